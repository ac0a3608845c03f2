//! What the user asks for (`LaunchSpec`), its validation and the RunInstances request it
//! becomes. Validation happens in two passes, both before anything is sent: `check_shape`
//! needs nothing but the spec; `check_facts` compares it with what the API said about the
//! chosen type, image and subnet. Every error names the spec's field by its camelCase path
//! (`systemDisk.sizeGib`, `login.password`, `dataDisks[1].sizeGib`) so the UI can show it on
//! the step that owns it.

use crate::console::instances::{check_password, validate_region, validate_zone};
use crate::error::{AppCode, AppError};
use crate::profiles::invalid;
use crate::types::{ChargeType, RenewFlag};
use serde::{Deserialize, Serialize};
use tencent_api::Sensitive;
use tencent_api::models::cvm;

/// Prepaid periods Tencent sells, in months.
pub const PERIODS: &[u32] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 24, 36, 48, 60];
pub const SYSTEM_DISK_TYPES: &[&str] = &[
    "CLOUD_BASIC",
    "CLOUD_PREMIUM",
    "CLOUD_SSD",
    "CLOUD_BSSD",
    "CLOUD_HSSD",
    "CLOUD_TSSD",
    "LOCAL_BASIC",
    "LOCAL_SSD",
];
pub const DATA_DISK_TYPES: &[&str] = &[
    "CLOUD_BASIC",
    "CLOUD_PREMIUM",
    "CLOUD_SSD",
    "CLOUD_BSSD",
    "CLOUD_HSSD",
    "CLOUD_TSSD",
    "LOCAL_BASIC",
    "LOCAL_SSD",
    "LOCAL_NVME",
    "LOCAL_PRO",
];
pub const INTERNET_CHARGE_TYPES: &[&str] = &[
    "TRAFFIC_POSTPAID_BY_HOUR",
    "BANDWIDTH_POSTPAID_BY_HOUR",
    "BANDWIDTH_PREPAID",
];
/// Instances per RunInstances call (the China site's limit; the international site's
/// pay-as-you-go limit is 100, enforced by the API and mapped back to `count`).
pub const MAX_COUNT: u32 = 500;
pub const MAX_DATA_DISKS: usize = 20;
pub const MAX_SECURITY_GROUPS: usize = 5;
pub const MAX_TAGS: usize = 50;

/// The three billing models the wizard sells.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, specta::Type)]
#[serde(tag = "type")]
pub enum Billing {
    /// Monthly subscription, paid up front.
    #[serde(rename = "PREPAID")]
    Prepaid {
        /// Months: 1–12, 24, 36, 48 or 60.
        period: u32,
        #[serde(rename = "renewFlag")]
        renew_flag: RenewFlag,
    },
    #[serde(rename = "POSTPAID_BY_HOUR")]
    PostpaidByHour,
    /// Spot: a bid (CNY per hour, per instance) or the market price when None.
    #[serde(rename = "SPOTPAID")]
    Spotpaid {
        #[serde(rename = "maxPrice")]
        max_price: Option<String>,
    },
}

impl Billing {
    pub fn charge_type(&self) -> ChargeType {
        match self {
            Billing::Prepaid { .. } => ChargeType::Prepaid,
            Billing::PostpaidByHour => ChargeType::PostpaidByHour,
            Billing::Spotpaid { .. } => ChargeType::Spotpaid,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SystemDiskSpec {
    pub disk_type: String,
    pub size_gib: u32,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DataDiskSpec {
    pub disk_type: String,
    pub size_gib: u32,
    pub delete_with_instance: bool,
}

/// How the user logs in. The password arrives write-only: never echoed, logged, stored
/// on disk or copied.
#[derive(Clone, Debug, Deserialize, specta::Type)]
#[serde(tag = "kind")]
pub enum Login {
    #[serde(rename = "password")]
    Password {
        #[specta(type = String)]
        password: Sensitive,
    },
    /// SSH key pairs (Linux images only).
    #[serde(rename = "keyPair")]
    KeyPair {
        #[serde(rename = "keyIds")]
        key_ids: Vec<String>,
    },
    /// Keep the image's own login (custom and shared images).
    #[serde(rename = "keepImageLogin")]
    KeepImageLogin,
}

pub use crate::types::TagInput;

/// What a launch is made of apart from the login: a spec adds the login (with its
/// password), a draft says which login it carries and what it could not copy. Field
/// names are the error `field` paths.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LaunchChoices {
    pub region: String,
    pub zone: String,
    pub billing: Billing,
    pub instance_type: String,
    pub image_id: String,
    pub system_disk: SystemDiskSpec,
    pub data_disks: Vec<DataDiskSpec>,
    /// Empty for the default VPC (and then `subnetId` empty for its subnet in the zone).
    pub vpc_id: String,
    pub subnet_id: String,
    pub public_ip: bool,
    pub internet_charge_type: String,
    pub bandwidth_mbps: u32,
    /// Empty: the project's default security group.
    pub security_group_ids: Vec<String>,
    /// Batch patterns `{R:x}` and `{R:x,F:y}` are allowed; empty = Tencent's default.
    pub name: String,
    pub host_name: Option<String>,
    pub tags: Vec<TagInput>,
    pub count: u32,
    pub termination_protection: bool,
}

/// Everything the wizard collects: the choices and how the user logs in.
#[derive(Clone, Debug, Deserialize, specta::Type)]
pub struct LaunchSpec {
    #[serde(flatten)]
    pub choices: LaunchChoices,
    pub login: Login,
}

impl std::ops::Deref for LaunchSpec {
    type Target = LaunchChoices;
    fn deref(&self) -> &LaunchChoices {
        &self.choices
    }
}

impl std::ops::DerefMut for LaunchSpec {
    fn deref_mut(&mut self) -> &mut LaunchChoices {
        &mut self.choices
    }
}

/// What the API said about the things the spec refers to (gathered by
/// `launch::gather_facts`), so validation can compare without a network.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// The type's DescribeZoneInstanceConfigInfos row for the zone and billing model.
    pub instance_type: Option<cvm::InstanceTypeQuotaItem>,
    /// The image, if it exists.
    pub image: Option<cvm::Image>,
    /// Whether the image is among the ones the type can run (DescribeImages by type).
    pub image_fits_type: bool,
    /// (zone, vpc id) of the chosen subnet, if one was chosen and exists.
    pub subnet: Option<(String, String)>,
    /// Windows image (password rules, no key pairs).
    pub windows: bool,
}

fn tencent_name_ok(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

/// `{R:x}` / `{R:x,F:y}` patterns must be well formed (x ≥ 0, 0 ≤ y ≤ 8).
fn patterns_ok(s: &str) -> bool {
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        let Some(j) = rest[i..].find('}') else {
            return false;
        };
        let inner = &rest[i + 1..i + j];
        let mut parts = inner.split(',');
        let ok_r = parts
            .next()
            .and_then(|p| p.strip_prefix("R:"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        let ok_f = match parts.next() {
            None => true,
            Some(f) => f
                .strip_prefix("F:")
                .and_then(|n| n.parse::<u32>().ok())
                .is_some_and(|n| n <= 8),
        };
        if inner != "IP" && !(ok_r && ok_f && parts.next().is_none()) {
            return false;
        }
        rest = &rest[i + j + 1..];
    }
    true
}

/// Host names: no leading/trailing/consecutive `.` or `-`; Windows 2–15 of
/// `[A-Za-z0-9-]`, not all digits; others 2–60 characters in dot-separated segments.
fn host_name_ok(h: &str, windows: bool) -> bool {
    let plain: String = if patterns_ok(h) {
        // Judge the shape with patterns replaced by a typical expansion.
        let mut out = String::new();
        let mut rest = h;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let j = rest[i..].find('}').unwrap_or(0);
            out.push_str(if &rest[i + 1..i + j] == "IP" {
                "10-0-0-1"
            } else {
                "1"
            });
            rest = &rest[i + j + 1..];
        }
        out.push_str(rest);
        out
    } else {
        return false;
    };
    let b = plain.as_bytes();
    if b.is_empty()
        || matches!(b[0], b'.' | b'-')
        || matches!(b[b.len() - 1], b'.' | b'-')
        || plain.contains("..")
        || plain.contains("--")
        || plain.contains(".-")
        || plain.contains("-.")
    {
        return false;
    }
    if windows {
        (2..=15).contains(&plain.len())
            && plain
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-')
            && !plain.bytes().all(|c| c.is_ascii_digit())
    } else {
        (2..=60).contains(&plain.len())
            && plain
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.')
    }
}

fn id_ok(id: &str, prefix: &str) -> bool {
    tencent_api::validate_id("id", prefix, id).is_ok()
}

/// Checks that need only the spec. `max_name_chars` is 60 (China site) or 128.
pub fn check_shape(s: &LaunchSpec, max_name_chars: usize) -> Result<(), AppError> {
    validate_region(&s.region)?;
    if s.zone.is_empty() {
        return Err(invalid("zone", "choose an availability zone"));
    }
    validate_zone(&s.region, &s.zone)?;
    match &s.billing {
        Billing::Prepaid { period, .. } => {
            if !PERIODS.contains(period) {
                return Err(invalid(
                    "billing.period",
                    "the period is 1–12, 24, 36, 48 or 60 months",
                ));
            }
        }
        Billing::PostpaidByHour => {}
        Billing::Spotpaid { max_price } => {
            if let Some(p) = max_price {
                let ok = p.trim().parse::<f64>().is_ok_and(|v| v > 0.0 && v < 1e6);
                if !ok {
                    return Err(invalid(
                        "billing.maxPrice",
                        "the bid is a positive price per hour, like 0.05",
                    ));
                }
            }
        }
    }
    if s.instance_type.is_empty() {
        return Err(invalid("instanceType", "choose an instance type"));
    }
    if !s.instance_type.contains('.') || s.instance_type.len() > 64 {
        return Err(invalid(
            "instanceType",
            format!(
                "{:?} is not an instance type (like S5.MEDIUM4)",
                s.instance_type
            ),
        ));
    }
    if !id_ok(&s.image_id, "img") {
        return Err(invalid("imageId", "choose an image"));
    }
    if !SYSTEM_DISK_TYPES.contains(&s.system_disk.disk_type.as_str()) {
        return Err(invalid("systemDisk.diskType", "unknown system disk type"));
    }
    if !(20..=1024).contains(&s.system_disk.size_gib) {
        return Err(invalid(
            "systemDisk.sizeGib",
            "the system disk is 20–1024 GiB",
        ));
    }
    if s.data_disks.len() > MAX_DATA_DISKS {
        return Err(invalid(
            "dataDisks",
            format!("at most {MAX_DATA_DISKS} data disks"),
        ));
    }
    for (i, d) in s.data_disks.iter().enumerate() {
        if !DATA_DISK_TYPES.contains(&d.disk_type.as_str()) {
            return Err(invalid(
                &format!("dataDisks[{i}].diskType"),
                "unknown data disk type",
            ));
        }
        if !(10..=32000).contains(&d.size_gib) || d.size_gib % 10 != 0 {
            return Err(invalid(
                &format!("dataDisks[{i}].sizeGib"),
                "a data disk is 10–32000 GiB, in steps of 10",
            ));
        }
        if d.disk_type == "CLOUD_SSD" && d.size_gib < 20 {
            return Err(invalid(
                &format!("dataDisks[{i}].sizeGib"),
                "CLOUD_SSD data disks start at 20 GiB",
            ));
        }
    }
    if !s.vpc_id.is_empty() && !id_ok(&s.vpc_id, "vpc") {
        return Err(invalid("vpcId", "not a VPC id (vpc-xxxxxxxx)"));
    }
    if !s.subnet_id.is_empty() && !id_ok(&s.subnet_id, "subnet") {
        return Err(invalid("subnetId", "not a subnet id (subnet-xxxxxxxx)"));
    }
    if s.vpc_id.is_empty() != s.subnet_id.is_empty() {
        return Err(invalid(
            "subnetId",
            "choose a subnet of the VPC (or the default VPC)",
        ));
    }
    if !INTERNET_CHARGE_TYPES.contains(&s.internet_charge_type.as_str()) {
        return Err(invalid(
            "internetChargeType",
            "unknown network billing model",
        ));
    }
    if s.internet_charge_type == "BANDWIDTH_PREPAID"
        && !matches!(s.billing, Billing::Prepaid { .. })
    {
        return Err(invalid(
            "internetChargeType",
            "prepaid bandwidth needs a prepaid instance",
        ));
    }
    if s.public_ip && s.bandwidth_mbps == 0 {
        return Err(invalid(
            "bandwidthMbps",
            "a public IP needs a bandwidth of at least 1 Mbps",
        ));
    }
    if s.bandwidth_mbps > 1000 {
        return Err(invalid("bandwidthMbps", "at most 1000 Mbps"));
    }
    if s.security_group_ids.len() > MAX_SECURITY_GROUPS {
        return Err(invalid(
            "securityGroupIds",
            format!("at most {MAX_SECURITY_GROUPS} security groups"),
        ));
    }
    if let Some(bad) = s.security_group_ids.iter().find(|g| !id_ok(g, "sg")) {
        return Err(invalid(
            "securityGroupIds",
            format!("{bad:?} is not a security group id (sg-xxxxxxxx)"),
        ));
    }
    match &s.login {
        Login::Password { password } if password.expose().is_empty() => {
            return Err(invalid("login.password", "enter a password"));
        }
        Login::KeyPair { key_ids } => {
            if key_ids.is_empty() {
                return Err(invalid("login.keyIds", "choose a key pair"));
            }
            if let Some(bad) = key_ids.iter().find(|k| !id_ok(k, "skey")) {
                return Err(invalid(
                    "login.keyIds",
                    format!("{bad:?} is not a key pair id (skey-xxxxxxxx)"),
                ));
            }
        }
        _ => {}
    }
    let name = s.name.trim();
    if name.chars().count() > max_name_chars {
        return Err(invalid(
            "name",
            format!("a name is at most {max_name_chars} characters"),
        ));
    }
    if !tencent_name_ok(name) || !patterns_ok(name) {
        return Err(invalid(
            "name",
            "use {R:x} or {R:x,F:y} for numbering; no control characters",
        ));
    }
    if s.tags.len() > MAX_TAGS {
        return Err(invalid("tags", format!("at most {MAX_TAGS} tags")));
    }
    for (i, t) in s.tags.iter().enumerate() {
        if t.key.trim().is_empty() || t.key.chars().count() > 127 {
            return Err(invalid(
                &format!("tags[{i}].key"),
                "a tag key is 1–127 characters",
            ));
        }
        if t.value.chars().count() > 255 {
            return Err(invalid(
                &format!("tags[{i}].value"),
                "a tag value is at most 255 characters",
            ));
        }
        if s.tags[..i].iter().any(|o| o.key == t.key) {
            return Err(invalid(&format!("tags[{i}].key"), "duplicate tag key"));
        }
    }
    if !(1..=MAX_COUNT).contains(&s.count) {
        return Err(invalid(
            "count",
            format!("create 1–{MAX_COUNT} instances at a time"),
        ));
    }
    Ok(())
}

/// Checks against what the API said about the type, image and subnet.
pub fn check_facts(s: &LaunchSpec, f: &Facts) -> Result<(), AppError> {
    let Some(t) = &f.instance_type else {
        return Err(invalid(
            "instanceType",
            format!(
                "{} is not sold in {} as {}",
                s.instance_type,
                s.zone,
                s.billing.charge_type()
            ),
        ));
    };
    if t.status.as_deref() == Some("SOLD_OUT") {
        let reason = t.sold_out_reason.clone().filter(|r| !r.is_empty());
        return Err(AppError::app(
            crate::error::ErrorKind::SoldOut,
            AppCode::SoldOut,
            format!(
                "{} is sold out in {}{}",
                s.instance_type,
                s.zone,
                reason.map(|r| format!(": {r}")).unwrap_or_default()
            ),
        )
        .with_field("instanceType"));
    }
    let Some(image) = &f.image else {
        return Err(invalid(
            "imageId",
            format!("the image {} does not exist in {}", s.image_id, s.region),
        ));
    };
    if !f.image_fits_type {
        return Err(invalid(
            "imageId",
            format!(
                "the image is for {} and cannot run on {}; choose an image of the type's architecture",
                image
                    .architecture
                    .as_deref()
                    .unwrap_or("another architecture"),
                s.instance_type
            ),
        ));
    }
    let min_system = if f.windows {
        50
    } else {
        u32::try_from(image.image_size.unwrap_or(20))
            .unwrap_or(20)
            .max(20)
    };
    if s.system_disk.size_gib < min_system {
        return Err(invalid(
            "systemDisk.sizeGib",
            format!("this image needs a system disk of at least {min_system} GiB"),
        ));
    }
    if let Billing::Spotpaid {
        max_price: Some(bid),
    } = &s.billing
    {
        let market = t.price.as_ref().and_then(|p| p.unit_price_discount);
        if let (Ok(bid), Some(market)) = (bid.trim().parse::<f64>(), market)
            && bid < market
        {
            return Err(invalid(
                "billing.maxPrice",
                format!("the bid {bid} is below the current spot price {market} per hour"),
            ));
        }
    }
    if !s.subnet_id.is_empty() {
        match &f.subnet {
            None => {
                return Err(invalid(
                    "subnetId",
                    format!("the subnet {} does not exist", s.subnet_id),
                ));
            }
            Some((zone, vpc)) => {
                if zone != &s.zone {
                    return Err(invalid(
                        "subnetId",
                        format!("the subnet is in {zone}, not in {}", s.zone),
                    ));
                }
                if vpc != &s.vpc_id {
                    return Err(invalid("subnetId", "the subnet belongs to another VPC"));
                }
            }
        }
    }
    match &s.login {
        Login::Password { password } => {
            let user = if f.windows { "Administrator" } else { "root" };
            check_password(password.expose(), f.windows, user)
                .map_err(|e| e.with_field("login.password"))?;
        }
        Login::KeyPair { .. } if f.windows => {
            return Err(invalid(
                "login.keyIds",
                "Windows images cannot use key pairs; set a password",
            ));
        }
        Login::KeepImageLogin if image.image_type.as_deref() == Some("PUBLIC_IMAGE") => {
            return Err(invalid(
                "login",
                "keeping the image's login works for custom and shared images only",
            ));
        }
        _ => {}
    }
    if let Some(h) = s.host_name.as_deref().filter(|h| !h.is_empty())
        && !host_name_ok(h, f.windows)
    {
        return Err(invalid(
            "hostName",
            if f.windows {
                "Windows host names are 2–15 letters, digits or -, not all digits"
            } else {
                "host names are 2–60 letters, digits, . or -, without leading, trailing or repeated . and -"
            },
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------- the request

fn prepaid_of(b: &Billing) -> Option<cvm::InstanceChargePrepaid> {
    match b {
        Billing::Prepaid { period, renew_flag } => Some(cvm::InstanceChargePrepaid {
            period: Some(i64::from(*period)),
            renew_flag: Some(renew_flag.as_str().into()),
        }),
        _ => None,
    }
}

fn market_of(b: &Billing) -> Option<cvm::InstanceMarketOptionsRequest> {
    match b {
        Billing::Spotpaid { max_price: Some(p) } => Some(cvm::InstanceMarketOptionsRequest {
            market_type: Some("spot".into()),
            spot_options: Some(cvm::SpotMarketOptions {
                max_price: Some(p.trim().to_owned()),
                spot_instance_type: Some("one-time".into()),
            }),
        }),
        _ => None,
    }
}

fn internet_of(s: &LaunchSpec) -> cvm::InternetAccessible {
    cvm::InternetAccessible {
        internet_charge_type: Some(s.internet_charge_type.clone()),
        internet_max_bandwidth_out: Some(i64::from(if s.public_ip { s.bandwidth_mbps } else { 0 })),
        public_ip_assigned: Some(s.public_ip),
        ..Default::default()
    }
}

fn system_disk_of(s: &LaunchSpec) -> cvm::SystemDisk {
    cvm::SystemDisk {
        disk_type: Some(s.system_disk.disk_type.clone()),
        disk_size: Some(i64::from(s.system_disk.size_gib)),
        ..Default::default()
    }
}

fn data_disks_of(s: &LaunchSpec) -> Option<Vec<cvm::DataDisk>> {
    (!s.data_disks.is_empty()).then(|| {
        s.data_disks
            .iter()
            .map(|d| cvm::DataDisk {
                disk_type: Some(d.disk_type.clone()),
                disk_size: Some(i64::from(d.size_gib)),
                delete_with_instance: Some(d.delete_with_instance),
                ..Default::default()
            })
            .collect()
    })
}

/// The RunInstances request for a validated spec. `client_token` is None for DryRun.
pub fn run_request(
    s: &LaunchSpec,
    client_token: Option<String>,
    dry_run: bool,
) -> cvm::RunInstancesRequest {
    let login = match &s.login {
        Login::Password { password } => cvm::LoginSettings {
            password: Some(password.clone()),
            ..Default::default()
        },
        Login::KeyPair { key_ids } => cvm::LoginSettings {
            key_ids: Some(key_ids.clone()),
            ..Default::default()
        },
        Login::KeepImageLogin => cvm::LoginSettings {
            keep_image_login: Some("true".into()),
            ..Default::default()
        },
    };
    let tags: Vec<cvm::Tag> = s
        .tags
        .iter()
        .map(|t| cvm::Tag {
            key: Some(t.key.trim().to_owned()),
            value: Some(t.value.clone()),
        })
        .collect();
    cvm::RunInstancesRequest {
        instance_charge_type: Some(s.billing.charge_type().as_str().into()),
        instance_charge_prepaid: prepaid_of(&s.billing),
        placement: Some(cvm::Placement {
            zone: Some(s.zone.clone()),
            ..Default::default()
        }),
        instance_type: Some(s.instance_type.clone()),
        image_id: Some(s.image_id.clone()),
        system_disk: Some(system_disk_of(s)),
        data_disks: data_disks_of(s),
        virtual_private_cloud: (!s.vpc_id.is_empty()).then(|| cvm::VirtualPrivateCloud {
            vpc_id: Some(s.vpc_id.clone()),
            subnet_id: Some(s.subnet_id.clone()),
            ..Default::default()
        }),
        internet_accessible: Some(internet_of(s)),
        instance_count: Some(i64::from(s.count)),
        instance_name: Some(s.name.trim().to_owned()).filter(|n| !n.is_empty()),
        login_settings: Some(login),
        security_group_ids: (!s.security_group_ids.is_empty())
            .then(|| s.security_group_ids.clone()),
        client_token,
        host_name: s.host_name.clone().filter(|h| !h.is_empty()),
        tag_specification: (!tags.is_empty()).then(|| {
            vec![cvm::TagSpecification {
                resource_type: Some("instance".into()),
                tags: Some(tags),
            }]
        }),
        instance_market_options: market_of(&s.billing),
        dry_run: dry_run.then_some(true),
        disable_api_termination: Some(s.termination_protection),
        ..Default::default()
    }
}

/// The price inquiry: only what changes the price, so an unfinished login or name step
/// does not stop the price panel.
pub fn price_request(s: &LaunchSpec) -> cvm::InquiryPriceRunInstancesRequest {
    cvm::InquiryPriceRunInstancesRequest {
        placement: Some(cvm::Placement {
            zone: Some(s.zone.clone()),
            ..Default::default()
        }),
        image_id: Some(s.image_id.clone()),
        instance_charge_type: Some(s.billing.charge_type().as_str().into()),
        instance_charge_prepaid: prepaid_of(&s.billing),
        instance_type: Some(s.instance_type.clone()),
        system_disk: Some(system_disk_of(s)),
        data_disks: data_disks_of(s),
        internet_accessible: Some(internet_of(s)),
        instance_count: Some(i64::from(s.count)),
        instance_market_options: market_of(&s.billing),
        ..Default::default()
    }
}

/// Shape checks that matter for a price (the rest of the spec may still be unfinished).
pub fn check_price_shape(s: &LaunchSpec) -> Result<(), AppError> {
    // Reuse the full check with the parts that do not affect the price neutralised.
    let mut probe = s.clone();
    probe.login = Login::KeepImageLogin;
    probe.name = String::new();
    probe.host_name = None;
    probe.tags = Vec::new();
    probe.security_group_ids = Vec::new();
    probe.vpc_id = String::new();
    probe.subnet_id = String::new();
    check_shape(&probe, 128)
}

const PASSWORD_PLACEHOLDER: &str = "<password>";

/// The request as JSON, exactly as it will be sent apart from the password (replaced by a
/// placeholder). Credentials are never part of a request body.
pub fn redacted_json(req: &cvm::RunInstancesRequest) -> serde_json::Value {
    let mut v = serde_json::to_value(req).unwrap_or_default();
    if let Some(pw) = v.pointer_mut("/LoginSettings/Password") {
        *pw = serde_json::Value::String(PASSWORD_PLACEHOLDER.into());
    }
    v
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:/@".contains(&b))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r#"'\''"#))
    }
}

/// The same request as a `tccli` command (one `--Param value` per top-level parameter,
/// objects as JSON), password replaced by a placeholder.
pub fn tccli_command(region: &str, req: &serde_json::Value) -> String {
    let mut out = format!("tccli cvm RunInstances --region {}", shell_quote(region));
    if let Some(obj) = req.as_object() {
        for (k, v) in obj {
            let value = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.push_str(&format!(" \\\n  --{k} {}", shell_quote(&value)));
        }
    }
    out
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LaunchPreview {
    /// Pretty-printed RunInstances parameters (password replaced by a placeholder).
    pub request_json: String,
    pub tccli: String,
}

pub fn preview(s: &LaunchSpec) -> LaunchPreview {
    let json = redacted_json(&run_request(s, None, false));
    LaunchPreview {
        request_json: serde_json::to_string_pretty(&json).unwrap_or_default(),
        tccli: tccli_command(&s.region, &json),
    }
}

/// Which Tencent error code points at which spec field (for DryRun and submission
/// failures), so the UI can send the user to the right step.
pub fn field_for_code(code: &str, message: &str) -> Option<&'static str> {
    let c = code;
    Some(
        if c == "InvalidPassword" || c.starts_with("InvalidPassword") {
            "login.password"
        } else if c.contains("KeyPair") || c.starts_with("InvalidKeyPairId") {
            "login.keyIds"
        } else if c.contains("InvalidImageForGivenInstanceType") || c.starts_with("InvalidImageId")
        {
            "imageId"
        } else if c.starts_with("ResourcesSoldOut")
            || c.starts_with("ResourceInsufficient.SpecifiedInstanceType")
            || c.starts_with("ResourceUnavailable.InstanceType")
            || c.starts_with("InvalidInstanceType")
            || c == "InvalidParameterValue.InstanceTypeNotFound"
            || c == "UnsupportedOperation.NoInstanceTypeSupportSpot"
        {
            "instanceType"
        } else if c.starts_with("ResourceInsufficient.AvailabilityZoneSoldOut")
            || c.starts_with("InvalidZone")
            || c == "InvalidParameterValue.ZoneNotSupported"
        {
            "zone"
        } else if c == "InvalidParameterValue.InsufficientPrice" {
            "billing.maxPrice"
        } else if c == "InvalidPeriod" {
            "billing.period"
        } else if c.starts_with("LimitExceeded") && c.ends_with("Quota")
            || c == "InstancesQuotaLimitExceeded"
            || c == "LimitExceeded.InstanceQuota"
        {
            "count"
        } else if c.contains("Subnet") || c == "FailedOperation.NoAvailableIpAddressCountInSubnet" {
            "subnetId"
        } else if c.contains("VpcId") {
            "vpcId"
        } else if c.contains("SgId") || c.contains("SecurityGroup") || c.contains("USGLimit") {
            "securityGroupIds"
        } else if c.contains("HostName") {
            "hostName"
        } else if c.contains("InstanceName") {
            "name"
        } else if c == "InvalidParameterValue.Range" || c.starts_with("InvalidParameterValue") {
            if message.contains("SystemDisk") {
                "systemDisk.sizeGib"
            } else if message.contains("DataDisks") {
                "dataDisks"
            } else if message.contains("InternetMaxBandwidthOut") {
                "bandwidthMbps"
            } else if message.contains("InstanceCount") {
                "count"
            } else {
                return None;
            }
        } else if c == "UnsupportedOperation.SpotUnsupportedRegion" {
            "billing"
        } else {
            return None;
        },
    )
}

/// A Tencent error with the spec field it points at, when one does.
pub fn with_field(e: &tencent_api::Error) -> AppError {
    let mut err = AppError::from(e);
    // The client names request parameters (PascalCase); the UI wants spec fields.
    err.field = match err.field.as_deref() {
        Some("ImageId" | "ImageIds") => Some("imageId"),
        Some("SecurityGroupIds") => Some("securityGroupIds"),
        Some("KeyIds") => Some("login.keyIds"),
        Some("InstanceIds") => Some("instanceIds"),
        _ => field_for_code(&err.code, &err.message),
    }
    .map(str::to_owned);
    err
}
