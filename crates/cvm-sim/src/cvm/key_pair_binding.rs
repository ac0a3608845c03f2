//! AssociateInstancesKeyPairs / DisassociateInstancesKeyPairs.
//!
//! Rules (CN API docs): the instances must be STOPPED, or RUNNING with `ForceStop` (then
//! they are forced off, changed and started again, as ResetInstancesPassword does);
//! Windows instances take no key pairs; at most 100 instances and 100 keys a call. A key
//! that is already bound (or not bound, when unbinding) is left as it is.

use super::require_state;
use crate::cvm::key_pairs::key_pair_index;
use crate::error::{ApiError, ApiResult};
use crate::msg::{self};
use crate::params::Params;
use crate::toolkit::{Env, lookup_instances};
use crate::world::State;
use serde_json::{Value, json};

const STOPPING_MS: i64 = 5_000;
const QUICK_MS: i64 = 3_000;
const STARTING_MS: i64 = 15_000;

pub fn bind(env: &mut Env, p: &Params, associate: bool) -> ApiResult<Value> {
    p.only(&["InstanceIds", "KeyIds", "ForceStop"])?;
    let ids = p.str_list_req("InstanceIds")?;
    let keys = p.str_list_req("KeyIds")?;
    let force = p.bool("ForceStop")?.unwrap_or(false);
    if keys.is_empty() {
        return Err(ApiError::missing("KeyIds"));
    }
    if keys.len() > 100 {
        return Err(ApiError::limit("KeyIds", 100));
    }
    for k in &keys {
        key_pair_index(&env.acct.key_pairs, k, "InvalidKeyPairId.NotFound")?;
    }
    let clock = env.ctx.clock;
    let (now, req) = (env.ctx.now, env.ctx.request_id.to_owned());
    let (stop, quick, start) = (
        clock.scaled(STOPPING_MS),
        clock.scaled(QUICK_MS),
        clock.scaled(STARTING_MS),
    );
    let r = env.region();
    for i in lookup_instances(r, &ids, 100)? {
        if i.windows {
            return Err(ApiError::new(
                "UnsupportedOperation.KeyPairUnsupportedWindows",
                msg::windows_no_key_pairs_on(&i.id),
            ));
        }
        if i.state == State::Running && !force {
            return Err(ApiError::state("Running", &i.id));
        }
        require_state(i, &[State::Stopped, State::Running])?;
    }
    let op = if associate {
        "AssociateInstancesKeyPairs"
    } else {
        "DisassociateInstancesKeyPairs"
    };
    for id in &ids {
        let Some(i) = r.get_mut(id) else { continue };
        if associate {
            for k in &keys {
                if !i.key_ids.contains(k) {
                    i.key_ids.push(k.clone());
                }
            }
        } else {
            i.key_ids.retain(|k| !keys.contains(k));
        }
        if i.state == State::Running {
            i.state = State::Stopping;
            i.begin(
                op,
                &req,
                now,
                &[
                    (stop, Some(State::Stopped)),
                    (quick, Some(State::Starting)),
                    (start, Some(State::Running)),
                ],
            );
        } else {
            i.begin(op, &req, now, &[(quick, Some(State::Stopped))]);
        }
        r.touch(id);
    }
    Ok(json!({}))
}
