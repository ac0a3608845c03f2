//! Routing: one table of every action (service, version, handler, whether it may change
//! the world), and dispatch through it. It only dispatches; handlers live in the service
//! folders and share `toolkit`.

use crate::error::ApiResult;
use crate::params::Params;
use crate::toolkit::{Ctx, Env, Reply};
use crate::world::{Account, World};
use crate::{cvm, monitor, sts, tag, vpc};

/// The API version CVM and VPC speak.
pub const VERSION: &str = "2017-03-12";
/// Cloud Monitor's API version.
pub const MONITOR_VERSION: &str = "2018-07-24";
/// The API version STS and the tag service speak.
pub const STS_TAG_VERSION: &str = "2018-08-13";

type Handler = fn(&mut Env, &Params) -> ApiResult<Reply>;

/// One action of the emulated API.
pub struct Action {
    pub name: &'static str,
    /// `cvm`, `vpc` or `monitor`: the signature's credential scope.
    pub service: &'static str,
    pub version: &'static str,
    /// Whether a successful call may have changed the world (and the state file must be
    /// written). Reads still settle due transitions, which later reads would replay.
    pub mutates: bool,
    handler: Handler,
}

impl std::fmt::Debug for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Action")
            .field("name", &self.name)
            .field("service", &self.service)
            .field("version", &self.version)
            .field("mutates", &self.mutates)
            .finish_non_exhaustive()
    }
}

const fn read(service: &'static str, name: &'static str, handler: Handler) -> Action {
    Action {
        name,
        service,
        version: VERSION,
        mutates: false,
        handler,
    }
}

const fn write(service: &'static str, name: &'static str, handler: Handler) -> Action {
    Action {
        mutates: true,
        ..read(service, name, handler)
    }
}

/// A handler answering plain JSON fields.
macro_rules! json {
    ($f:path) => {
        |env: &mut Env, p: &Params| $f(env, p).map(Reply::from)
    };
    ($f:path, $arg:expr) => {
        |env: &mut Env, p: &Params| $f(env, p, $arg).map(Reply::from)
    };
}

/// An STS or tag action: their own version.
const fn global(a: Action) -> Action {
    Action {
        version: STS_TAG_VERSION,
        ..a
    }
}

const CVM: &str = "cvm";
const VPC: &str = "vpc";
const MONITOR: &str = "monitor";
const STS: &str = "sts";
const TAG: &str = "tag";

/// Every action, CVM's first.
pub static ACTIONS: &[Action] = &[
    read(
        CVM,
        "DescribeRegions",
        json!(cvm::regions::describe_regions),
    ),
    read(CVM, "DescribeZones", json!(cvm::regions::describe_zones)),
    read(CVM, "DescribeImages", json!(cvm::images::describe_images)),
    read(
        CVM,
        "DescribeInstanceTypeConfigs",
        json!(cvm::regions::describe_instance_type_configs),
    ),
    read(
        CVM,
        "DescribeZoneInstanceConfigInfos",
        json!(cvm::regions::describe_zone_instance_config_infos),
    ),
    read(CVM, "DescribeInstances", cvm::describe::describe_instances),
    read(
        CVM,
        "DescribeInstanceVncUrl",
        json!(cvm::vnc::describe_instance_vnc_url),
    ),
    read(
        CVM,
        "DescribeInstancesStatus",
        json!(cvm::describe::describe_instances_status),
    ),
    write(CVM, "RunInstances", json!(cvm::templates::run_instances)),
    read(
        CVM,
        "InquiryPriceRunInstances",
        json!(cvm::templates::inquiry_price_run_instances),
    ),
    write(
        CVM,
        "StartInstances",
        json!(cvm::lifecycle::start_instances),
    ),
    write(CVM, "StopInstances", json!(cvm::lifecycle::stop_instances)),
    write(
        CVM,
        "RebootInstances",
        json!(cvm::lifecycle::reboot_instances),
    ),
    write(
        CVM,
        "TerminateInstances",
        json!(cvm::lifecycle::terminate_instances),
    ),
    write(
        CVM,
        "ResetInstancesType",
        json!(cvm::resize::reset_instances_type, false),
    ),
    read(
        CVM,
        "InquiryPriceResetInstancesType",
        json!(cvm::resize::reset_instances_type, true),
    ),
    write(
        CVM,
        "ResetInstancesInternetMaxBandwidth",
        json!(cvm::resize::reset_bandwidth, false),
    ),
    read(
        CVM,
        "InquiryPriceResetInstancesInternetMaxBandwidth",
        json!(cvm::resize::reset_bandwidth, true),
    ),
    write(
        CVM,
        "ModifyInstancesChargeType",
        json!(cvm::billing::modify_charge_type, false),
    ),
    read(
        CVM,
        "InquiryPriceModifyInstancesChargeType",
        json!(cvm::billing::modify_charge_type, true),
    ),
    write(
        CVM,
        "RenewInstances",
        json!(cvm::billing::renew_instances, false),
    ),
    read(
        CVM,
        "InquiryPriceRenewInstances",
        json!(cvm::billing::renew_instances, true),
    ),
    write(
        CVM,
        "ModifyInstancesRenewFlag",
        json!(cvm::billing::modify_renew_flag),
    ),
    write(
        CVM,
        "ModifyInstancesAttribute",
        json!(cvm::attributes::modify_attribute),
    ),
    write(
        CVM,
        "ResetInstancesPassword",
        json!(cvm::password::reset_password),
    ),
    read(
        CVM,
        "DescribeKeyPairs",
        json!(cvm::key_pairs::describe_key_pairs),
    ),
    write(CVM, "CreateKeyPair", json!(cvm::key_pairs::create_key_pair)),
    write(CVM, "ImportKeyPair", json!(cvm::key_pairs::import_key_pair)),
    write(
        CVM,
        "DeleteKeyPairs",
        json!(cvm::key_pairs::delete_key_pairs),
    ),
    write(
        CVM,
        "AssociateSecurityGroups",
        json!(cvm::security_groups::associate_security_groups),
    ),
    read(
        CVM,
        "DescribeInstancesModification",
        json!(cvm::resize::describe_instances_modification),
    ),
    write(CVM, "CreateImage", json!(cvm::images::create_image)),
    write(CVM, "DeleteImages", json!(cvm::images::delete_images)),
    write(
        CVM,
        "AssociateInstancesKeyPairs",
        json!(cvm::key_pair_binding::bind, true),
    ),
    write(
        CVM,
        "DisassociateInstancesKeyPairs",
        json!(cvm::key_pair_binding::bind, false),
    ),
    write(CVM, "CreateLaunchTemplate", json!(cvm::templates::create)),
    read(
        CVM,
        "DescribeLaunchTemplates",
        json!(cvm::templates::describe),
    ),
    read(
        CVM,
        "DescribeLaunchTemplateVersions",
        json!(cvm::templates::describe_versions),
    ),
    write(CVM, "DeleteLaunchTemplate", json!(cvm::templates::delete)),
    read(
        CVM,
        "InquiryPriceTerminateInstances",
        json!(cvm::terminate::inquiry_price_terminate_instances),
    ),
    read(VPC, "DescribeVpcs", json!(vpc::networks::describe_vpcs)),
    read(
        VPC,
        "DescribeSubnets",
        json!(vpc::networks::describe_subnets),
    ),
    read(
        VPC,
        "DescribeSecurityGroups",
        json!(vpc::security_groups::describe_security_groups),
    ),
    read(
        VPC,
        "DescribeSecurityGroupPolicies",
        json!(vpc::security_groups::describe_security_group_policies),
    ),
    write(
        VPC,
        "AllocateAddresses",
        json!(vpc::addresses::allocate_addresses),
    ),
    read(
        VPC,
        "DescribeAddresses",
        json!(vpc::addresses::describe_addresses),
    ),
    write(
        VPC,
        "AssociateAddress",
        json!(vpc::addresses::associate_address),
    ),
    write(
        VPC,
        "DisassociateAddress",
        json!(vpc::addresses::disassociate_address),
    ),
    write(
        VPC,
        "ReleaseAddresses",
        json!(vpc::addresses::release_addresses),
    ),
    write(
        VPC,
        "CreateSecurityGroup",
        json!(vpc::security_groups::create_security_group),
    ),
    write(
        VPC,
        "DeleteSecurityGroup",
        json!(vpc::security_groups::delete_security_group),
    ),
    write(
        VPC,
        "CreateSecurityGroupPolicies",
        json!(vpc::security_groups::create_policies),
    ),
    Action {
        version: MONITOR_VERSION,
        ..read(MONITOR, "GetMonitorData", json!(monitor::get_monitor_data))
    },
    // AssumeRole issues credentials but changes nothing in the world (or its file).
    global(read(STS, "AssumeRole", json!(sts::assume_role))),
    global(read(
        STS,
        "GetCallerIdentity",
        json!(sts::get_caller_identity),
    )),
    global(write(TAG, "TagResources", json!(tag::tag_resources))),
    global(write(TAG, "UnTagResources", json!(tag::un_tag_resources))),
    global(write(
        TAG,
        "ModifyResourceTags",
        json!(tag::modify_resource_tags),
    )),
];

/// The action `name` of `service`, if the emulator has it.
pub fn find(service: &str, name: &str) -> Option<&'static Action> {
    ACTIONS
        .iter()
        .find(|a| a.service == service && a.name == name)
}

/// The action of this name in whichever service has it, for a client whose signature
/// scope names no service (an SDK pointed at an address). Names are unique across
/// services, which a test checks.
pub fn find_any(name: &str) -> Option<&'static Action> {
    ACTIONS.iter().find(|a| a.name == name)
}

/// Runs `action` for the request's account and region, after applying every transition
/// that has come due there.
pub fn dispatch(world: &mut World, ctx: &Ctx<'_>, action: &Action, p: &Params) -> ApiResult<Reply> {
    let World { accounts, rng, .. } = world;
    let acct = accounts
        .entry(ctx.account.to_owned())
        .or_insert_with(|| Account::new(ctx.balance));
    let mut balance = acct.balance;
    acct.region(ctx.region, rng, ctx.now)
        .settle(ctx.now, &mut balance);
    acct.balance = balance;
    let mut env = Env { acct, rng, ctx };
    let result = (action.handler)(&mut env, p);
    if action.mutates && result.is_ok() {
        env.region().note_power(ctx.now);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_action_is_listed_once_per_service() {
        let mut seen = HashSet::new();
        for a in ACTIONS {
            assert!(seen.insert((a.service, a.name)), "{} twice", a.name);
            assert!(
                [CVM, VPC, MONITOR, STS, TAG].contains(&a.service),
                "{}",
                a.name
            );
            let version = match a.service {
                MONITOR => MONITOR_VERSION,
                STS | TAG => STS_TAG_VERSION,
                _ => VERSION,
            };
            assert_eq!(a.version, version, "{}", a.name);
        }
    }

    #[test]
    fn reads_and_price_inquiries_never_mark_the_world_changed() {
        for a in ACTIONS {
            let reads = a.name.starts_with("Describe")
                || a.name.starts_with("InquiryPrice")
                || a.name.starts_with("Get")
                || a.service == STS;
            assert_eq!(a.mutates, !reads, "{}", a.name);
        }
    }
}
