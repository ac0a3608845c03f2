//! A wizard prefilled from somewhere else: a launch template version ("Create from
//! template") or an existing instance ("Buy the same configuration"). A `LaunchDraft` is a
//! `LaunchSpec` without secrets: the password is never copied (neither Tencent nor the app
//! has it), so the user enters one or chooses a key pair. `notes` say what could not be
//! carried over, as codes the UI translates.

use crate::types::RenewFlag;
use crate::wizard::spec::{Billing, DataDiskSpec, LaunchChoices, SystemDiskSpec, TagInput};
use serde::Serialize;
use tencent_api::models::cvm;
use tencent_api::models::launch_template::LaunchTemplateVersionData;

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LaunchDraft {
    #[serde(flatten)]
    pub choices: LaunchChoices,
    /// password, keyPair or keepImageLogin; a password is never part of a draft.
    pub login_kind: String,
    pub key_ids: Vec<String>,
    /// What the draft could not carry: `passwordNotCopied`, `periodDefaulted`,
    /// `billingChanged`, `hostNameNotCopied`.
    pub notes: Vec<String>,
}

impl std::ops::Deref for LaunchDraft {
    type Target = LaunchChoices;
    fn deref(&self) -> &LaunchChoices {
        &self.choices
    }
}

impl std::ops::DerefMut for LaunchDraft {
    fn deref_mut(&mut self) -> &mut LaunchChoices {
        &mut self.choices
    }
}

fn u32_of(n: Option<i64>, default: u32) -> u32 {
    n.and_then(|n| u32::try_from(n).ok()).unwrap_or(default)
}

/// The parts an instance and a template version have in common, in RunInstances' shapes.
struct Parts<'a> {
    zone: Option<&'a str>,
    charge: Option<&'a str>,
    prepaid: Option<&'a cvm::InstanceChargePrepaid>,
    renew_flag: Option<&'a str>,
    spot_max_price: Option<&'a str>,
    instance_type: Option<&'a str>,
    image_id: Option<&'a str>,
    system_disk: Option<&'a cvm::SystemDisk>,
    data_disks: Option<&'a [cvm::DataDisk]>,
    vpc: Option<&'a cvm::VirtualPrivateCloud>,
    internet: Option<&'a cvm::InternetAccessible>,
    has_public_ip: bool,
    security_group_ids: Option<&'a [String]>,
    login: Option<&'a cvm::LoginSettings>,
    name: Option<&'a str>,
    host_name: Option<&'a str>,
    tags: Vec<TagInput>,
    count: Option<i64>,
    termination_protection: Option<bool>,
}

fn build(region: &str, p: Parts<'_>, from_instance: bool) -> LaunchDraft {
    let mut notes = Vec::new();
    let billing = match p.charge.unwrap_or("POSTPAID_BY_HOUR") {
        "PREPAID" => {
            let period = p.prepaid.and_then(|x| x.period);
            if period.is_none() {
                notes.push("periodDefaulted".to_owned());
            }
            let flag = p
                .prepaid
                .and_then(|x| x.renew_flag.as_deref())
                .or(p.renew_flag)
                .and_then(RenewFlag::parse)
                .unwrap_or(RenewFlag::NotifyAndManualRenew);
            Billing::Prepaid {
                period: u32_of(period, 1),
                renew_flag: flag,
            }
        }
        "SPOTPAID" => Billing::Spotpaid {
            max_price: p.spot_max_price.map(str::to_owned),
        },
        "POSTPAID_BY_HOUR" => Billing::PostpaidByHour,
        _ => {
            // Dedicated hosts and clusters are not sold by the wizard.
            notes.push("billingChanged".to_owned());
            Billing::PostpaidByHour
        }
    };
    let internet = p.internet.cloned().unwrap_or_default();
    let bandwidth = u32_of(internet.internet_max_bandwidth_out, 0);
    let mut charge = internet
        .internet_charge_type
        .clone()
        .unwrap_or_else(|| "TRAFFIC_POSTPAID_BY_HOUR".into());
    if charge == "BANDWIDTH_PREPAID" && !matches!(billing, Billing::Prepaid { .. }) {
        charge = "TRAFFIC_POSTPAID_BY_HOUR".into();
    }
    let public_ip = internet.public_ip_assigned.unwrap_or(p.has_public_ip) && bandwidth > 0;
    let key_ids = p.login.and_then(|l| l.key_ids.clone()).unwrap_or_default();
    let keep = p
        .login
        .and_then(|l| l.keep_image_login.as_deref())
        .is_some_and(|k| k.eq_ignore_ascii_case("true"));
    let login_kind = if !key_ids.is_empty() {
        "keyPair"
    } else if keep {
        "keepImageLogin"
    } else {
        notes.push("passwordNotCopied".to_owned());
        "password"
    };
    let host_name = if from_instance {
        // An instance's host name is its own; the copy gets Tencent's default.
        if p.host_name.is_some_and(|h| !h.is_empty()) {
            notes.push("hostNameNotCopied".to_owned());
        }
        None
    } else {
        p.host_name.filter(|h| !h.is_empty()).map(str::to_owned)
    };
    let vpc = p.vpc.cloned().unwrap_or_default();
    let choices = LaunchChoices {
        region: region.to_owned(),
        zone: p.zone.unwrap_or_default().to_owned(),
        billing,
        instance_type: p.instance_type.unwrap_or_default().to_owned(),
        image_id: p.image_id.unwrap_or_default().to_owned(),
        system_disk: SystemDiskSpec {
            disk_type: p
                .system_disk
                .and_then(|d| d.disk_type.clone())
                .unwrap_or_else(|| "CLOUD_PREMIUM".into()),
            size_gib: u32_of(p.system_disk.and_then(|d| d.disk_size), 50),
        },
        data_disks: p
            .data_disks
            .unwrap_or_default()
            .iter()
            .filter(|d| d.disk_size.is_some())
            .map(|d| DataDiskSpec {
                disk_type: d
                    .disk_type
                    .clone()
                    .unwrap_or_else(|| "CLOUD_PREMIUM".into()),
                size_gib: u32_of(d.disk_size, 10),
                delete_with_instance: d.delete_with_instance.unwrap_or(true),
            })
            .collect(),
        vpc_id: vpc.vpc_id.unwrap_or_default(),
        subnet_id: vpc.subnet_id.unwrap_or_default(),
        public_ip,
        internet_charge_type: charge,
        bandwidth_mbps: if public_ip { bandwidth } else { 1 },
        security_group_ids: p.security_group_ids.unwrap_or_default().to_vec(),
        name: p.name.unwrap_or_default().to_owned(),
        host_name,
        tags: p.tags,
        count: u32_of(p.count, 1).max(1),
        termination_protection: p.termination_protection.unwrap_or(false),
    };
    LaunchDraft {
        choices,
        login_kind: login_kind.to_owned(),
        key_ids,
        notes,
    }
}

fn tags_of(tags: &[cvm::Tag]) -> Vec<TagInput> {
    tags.iter()
        .filter_map(|t| {
            Some(TagInput {
                key: t.key.clone()?,
                value: t.value.clone().unwrap_or_default(),
            })
        })
        .collect()
}

/// "Buy the same configuration": type, zone, image, disks, network, security groups,
/// billing, name and tags of an existing instance (one instance, a fresh password).
pub fn from_instance(region: &str, i: &cvm::Instance) -> LaunchDraft {
    build(
        region,
        Parts {
            zone: i.placement.as_ref().and_then(|p| p.zone.as_deref()),
            charge: i.instance_charge_type.as_deref(),
            prepaid: None,
            renew_flag: i.renew_flag.as_deref(),
            spot_max_price: None,
            instance_type: i.instance_type.as_deref(),
            image_id: i.image_id.as_deref(),
            system_disk: i.system_disk.as_ref(),
            data_disks: i.data_disks.as_deref(),
            vpc: i.virtual_private_cloud.as_ref(),
            internet: i.internet_accessible.as_ref(),
            has_public_ip: i
                .public_ip_addresses
                .as_ref()
                .is_some_and(|v| !v.is_empty()),
            security_group_ids: i.security_group_ids.as_deref(),
            login: i.login_settings.as_ref(),
            name: i.instance_name.as_deref(),
            host_name: i.host_name.as_deref(),
            tags: tags_of(i.tags.as_deref().unwrap_or_default()),
            count: Some(1),
            termination_protection: i.disable_api_termination,
        },
        true,
    )
}

/// "Create from template": a launch template version's parameters.
pub fn from_template(region: &str, d: &LaunchTemplateVersionData) -> LaunchDraft {
    let tags = d
        .tag_specification
        .as_deref()
        .unwrap_or_default()
        .iter()
        .filter(|s| s.resource_type.as_deref() == Some("instance"))
        .flat_map(|s| tags_of(s.tags.as_deref().unwrap_or_default()))
        .collect();
    build(
        region,
        Parts {
            zone: d.placement.as_ref().and_then(|p| p.zone.as_deref()),
            charge: d.instance_charge_type.as_deref(),
            prepaid: d.instance_charge_prepaid.as_ref(),
            renew_flag: None,
            spot_max_price: d
                .instance_market_options
                .as_ref()
                .and_then(|m| m.spot_options.as_ref())
                .and_then(|s| s.max_price.as_deref()),
            instance_type: d.instance_type.as_deref(),
            image_id: d.image_id.as_deref(),
            system_disk: d.system_disk.as_ref(),
            data_disks: d.data_disks.as_deref(),
            vpc: d.virtual_private_cloud.as_ref(),
            internet: d.internet_accessible.as_ref(),
            has_public_ip: true,
            security_group_ids: d.security_group_ids.as_deref(),
            login: d.login_settings.as_ref(),
            name: d.instance_name.as_deref(),
            host_name: d.host_name.as_deref(),
            tags,
            count: d.instance_count,
            termination_protection: d.disable_api_termination,
        },
        false,
    )
}

/// "Buy the same configuration" of an instance, read with DescribeInstances.
pub async fn same_as(
    client: &tencent_api::Client,
    region: &str,
    instance_id: &str,
) -> Result<LaunchDraft, crate::error::AppError> {
    use crate::console::instances::{describe_ids, validate_ids, validate_region};
    validate_region(region)?;
    let ids = validate_ids(&[instance_id.to_owned()])?;
    let found = describe_ids(client, region, &ids).await?;
    let i = found.into_iter().next().ok_or_else(|| {
        crate::profiles::invalid(
            "instanceId",
            format!("the instance {instance_id} does not exist in {region}"),
        )
    })?;
    Ok(from_instance(region, &i))
}
