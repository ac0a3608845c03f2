//! Routing from (service, action) to handlers.

use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::toolkit::{Ctx, Env, Reply};
use crate::world::{Account, World};
use crate::{cvm, vpc};

pub const CVM_ACTIONS: &[&str] = &[
    "DescribeRegions",
    "DescribeZones",
    "DescribeImages",
    "DescribeInstanceTypeConfigs",
    "DescribeZoneInstanceConfigInfos",
    "DescribeInstances",
    "DescribeInstancesStatus",
    "RunInstances",
    "InquiryPriceRunInstances",
    "StartInstances",
    "StopInstances",
    "RebootInstances",
    "TerminateInstances",
    "ResetInstancesType",
    "InquiryPriceResetInstancesType",
    "ResetInstancesInternetMaxBandwidth",
    "InquiryPriceResetInstancesInternetMaxBandwidth",
    "ModifyInstancesChargeType",
    "InquiryPriceModifyInstancesChargeType",
    "RenewInstances",
    "InquiryPriceRenewInstances",
    "ModifyInstancesRenewFlag",
    "ModifyInstancesAttribute",
    "ResetInstancesPassword",
    "DescribeKeyPairs",
    "CreateKeyPair",
    "ImportKeyPair",
    "DeleteKeyPairs",
    "AssociateSecurityGroups",
    "DescribeInstancesModification",
    "CreateImage",
    "DeleteImages",
    "AssociateInstancesKeyPairs",
    "DisassociateInstancesKeyPairs",
    "CreateLaunchTemplate",
    "DescribeLaunchTemplates",
    "DescribeLaunchTemplateVersions",
    "DeleteLaunchTemplate",
    "InquiryPriceTerminateInstances",
];

pub const VPC_ACTIONS: &[&str] = &[
    "DescribeVpcs",
    "DescribeSubnets",
    "DescribeSecurityGroups",
    "DescribeSecurityGroupPolicies",
    "AllocateAddresses",
    "DescribeAddresses",
    "AssociateAddress",
    "DisassociateAddress",
    "ReleaseAddresses",
    "CreateSecurityGroup",
    "DeleteSecurityGroup",
    "CreateSecurityGroupPolicies",
];

pub fn exists(service: &str, action: &str) -> bool {
    match service {
        "cvm" => CVM_ACTIONS.contains(&action),
        "vpc" => VPC_ACTIONS.contains(&action),
        _ => false,
    }
}

/// Whether a successful call may have changed the world (and the state file must be written).
pub fn mutates(action: &str) -> bool {
    !(action.starts_with("Describe") || action.starts_with("InquiryPrice"))
}

pub fn dispatch(
    world: &mut World,
    ctx: &Ctx<'_>,
    service: &str,
    action: &str,
    p: &Params,
) -> ApiResult<Reply> {
    let World { accounts, rng, .. } = world;
    let acct = accounts
        .entry(ctx.account.to_owned())
        .or_insert_with(|| Account::new(ctx.balance));
    let mut balance = acct.balance;
    acct.region(ctx.region, rng, ctx.now)
        .settle(ctx.now, &mut balance);
    acct.balance = balance;
    let mut env = Env { acct, rng, ctx };
    match service {
        "cvm" => cvm::call(&mut env, action, p),
        "vpc" => vpc::call(&mut env, action, p).map(Reply::from),
        _ => Err(ApiError::new("InvalidAction", "Unknown service.")),
    }
}
