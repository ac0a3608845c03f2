//! The `op-failed` fault: the request is accepted (a RequestId, for RunInstances the
//! InstanceIdSet) but the asynchronous operation it started fails, as the reference
//! warns can happen (§4.8 "IDs being returned does not mean success", §6.3
//! `LatestOperationState` OPERATING → FAILED). RunInstances ends in LAUNCH_FAILED;
//! StartInstances falls back to STOPPED, StopInstances to RUNNING; other operations keep
//! their end state. In every case `LatestOperationState` becomes FAILED with a
//! `LatestOperationErrorMsg`. Operations that destroy the instance are left alone.

use crate::catalog::Lang;
use crate::toolkit::Ctx;
use crate::world::{State, World};

/// Marks every instance the request `ctx.request_id` just started an operation on so the
/// operation fails when its steps are done. Returns how many were marked.
pub fn fail_operation(world: &mut World, ctx: &Ctx<'_>, action: &str) -> usize {
    let Some(region) = world
        .accounts
        .get_mut(ctx.account)
        .and_then(|a| a.regions.get_mut(ctx.region.id))
    else {
        return 0;
    };
    let mut marked = 0;
    for inst in region.instances.values_mut() {
        if inst.latest_op_request_id.as_deref() != Some(ctx.request_id) || inst.steps.is_empty() {
            continue;
        }
        let Some(last) = inst.steps.last_mut() else {
            continue;
        };
        let Some(target) = last.to else {
            continue;
        };
        last.to = Some(match (action, target) {
            ("RunInstances", _) => State::LaunchFailed,
            ("StartInstances", State::Running) => State::Stopped,
            ("StopInstances", State::Stopped) => State::Running,
            (_, s) => s,
        });
        inst.fail_with = Some(message(action, &inst.instance_type, ctx.lang));
        marked += 1;
    }
    marked
}

/// The LatestOperationErrorMsg of a failed `action` (also given to preloaded LAUNCH_FAILED
/// instances).
pub fn message(action: &str, instance_type: &str, lang: Lang) -> String {
    match action {
        "RunInstances" => match lang {
            Lang::Zh => format!("可用区内实例规格 {instance_type} 资源不足，实例创建失败。"),
            Lang::En => format!(
                "The zone ran out of resources for instance type {instance_type}; the instance could not be created."
            ),
        },
        "StartInstances" => lang
            .pick(
                "实例启动失败：宿主机资源不足，请稍后重试。",
                "The instance failed to start: the host has too few resources; try again later.",
            )
            .to_owned(),
        _ => match lang {
            Lang::Zh => format!("操作 {action} 执行失败，请稍后重试。"),
            Lang::En => format!("The operation {action} failed; try again later."),
        },
    }
}
