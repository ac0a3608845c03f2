//! One instance in full (the detail view): everything DescribeInstances returns, grouped
//! the way the view shows it. The list's `InstanceView` is reused as the summary so both
//! views agree on what they share.

use crate::console::instances::{InstanceView, TagView, describe_ids, instance_view, validate_ids};
use crate::error::AppError;
use serde::Serialize;
use tencent_api::Client;
use tencent_api::models::cvm;

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DiskView {
    pub disk_id: String,
    pub disk_type: String,
    pub size_gib: u32,
    pub name: Option<String>,
    /// Data disks only.
    pub delete_with_instance: Option<bool>,
    pub encrypted: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InstanceDetail {
    /// What the list shows (state, type, IPs, billing, tags, latest operation…).
    pub summary: InstanceView,
    // overview
    pub uuid: Option<String>,
    pub project_id: Option<u32>,
    pub host_name: Option<String>,
    pub image_id: Option<String>,
    pub isolated_source: Option<String>,
    pub latest_operation_request_id: Option<String>,
    // configuration
    pub gpu_count: Option<f64>,
    pub gpu_type: Option<String>,
    pub license_type: Option<String>,
    pub cam_role_name: Option<String>,
    pub hpc_cluster_id: Option<String>,
    pub dedicated_cluster_id: Option<String>,
    pub disaster_recover_group_ids: Vec<String>,
    pub enable_jumbo_frame: Option<bool>,
    pub metadata: Vec<TagView>,
    // network
    pub vpc_id: Option<String>,
    pub subnet_id: Option<String>,
    pub ipv6_addresses: Vec<String>,
    pub public_ipv6_addresses: Vec<String>,
    pub rdma_ip_addresses: Vec<String>,
    pub public_ip_assigned: Option<bool>,
    pub bandwidth_package_id: Option<String>,
    pub internet_service_provider: Option<String>,
    pub security_group_ids: Vec<String>,
    // storage
    pub system_disk: Option<DiskView>,
    pub data_disks: Vec<DiskView>,
    // billing
    pub renew_flag: Option<String>,
    // login
    pub key_ids: Vec<String>,
    pub default_login_user: Option<String>,
    pub default_login_port: Option<u32>,
}

fn some(s: &Option<String>) -> Option<String> {
    s.clone().filter(|s| !s.is_empty())
}

fn size(n: Option<i64>) -> u32 {
    n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0)
}

pub fn instance_detail(region: &str, i: &cvm::Instance) -> InstanceDetail {
    let net = i.internet_accessible.as_ref();
    let vpc = i.virtual_private_cloud.as_ref();
    InstanceDetail {
        summary: instance_view(region, i),
        uuid: some(&i.uuid),
        project_id: i
            .placement
            .as_ref()
            .and_then(|p| p.project_id)
            .and_then(|n| u32::try_from(n).ok()),
        host_name: some(&i.host_name),
        image_id: some(&i.image_id),
        isolated_source: some(&i.isolated_source),
        latest_operation_request_id: some(&i.latest_operation_request_id),
        gpu_count: i.gpu_info.as_ref().and_then(|g| g.gpu_count),
        gpu_type: i.gpu_info.as_ref().and_then(|g| some(&g.gpu_type)),
        license_type: some(&i.license_type),
        cam_role_name: some(&i.cam_role_name),
        hpc_cluster_id: some(&i.hpc_cluster_id),
        dedicated_cluster_id: some(&i.dedicated_cluster_id),
        disaster_recover_group_ids: i.disaster_recover_group_ids.clone().unwrap_or_default(),
        enable_jumbo_frame: i.enable_jumbo_frame,
        metadata: i
            .metadata
            .iter()
            .flat_map(|m| m.items.iter().flatten())
            .map(|m| TagView {
                key: m.key.clone().unwrap_or_default(),
                value: m.value.clone().unwrap_or_default(),
            })
            .collect(),
        vpc_id: vpc.and_then(|v| some(&v.vpc_id)),
        subnet_id: vpc.and_then(|v| some(&v.subnet_id)),
        ipv6_addresses: i.ipv6_addresses.clone().unwrap_or_default(),
        public_ipv6_addresses: i.public_ipv6_addresses.clone().unwrap_or_default(),
        rdma_ip_addresses: i.rdma_ip_addresses.clone().unwrap_or_default(),
        public_ip_assigned: net.and_then(|n| n.public_ip_assigned),
        bandwidth_package_id: net.and_then(|n| some(&n.bandwidth_package_id)),
        internet_service_provider: net.and_then(|n| some(&n.internet_service_provider)),
        security_group_ids: i.security_group_ids.clone().unwrap_or_default(),
        system_disk: i.system_disk.as_ref().map(|d| DiskView {
            disk_id: d.disk_id.clone().unwrap_or_default(),
            disk_type: d.disk_type.clone().unwrap_or_default(),
            size_gib: size(d.disk_size),
            name: some(&d.disk_name),
            delete_with_instance: None,
            encrypted: d.encrypt,
        }),
        data_disks: i
            .data_disks
            .iter()
            .flatten()
            .map(|d| DiskView {
                disk_id: d.disk_id.clone().unwrap_or_default(),
                disk_type: d.disk_type.clone().unwrap_or_default(),
                size_gib: size(d.disk_size),
                name: some(&d.disk_name),
                delete_with_instance: d.delete_with_instance,
                encrypted: d.encrypt,
            })
            .collect(),
        renew_flag: some(&i.renew_flag),
        key_ids: i
            .login_settings
            .as_ref()
            .and_then(|l| l.key_ids.clone())
            .unwrap_or_default(),
        default_login_user: some(&i.default_login_user),
        default_login_port: i.default_login_port.and_then(|p| u32::try_from(p).ok()),
    }
}

/// Describes one instance; an id that no longer exists is `InvalidInstanceId.NotFound`
/// (DescribeInstances itself answers an empty set for it).
pub async fn describe_instance(
    client: &Client,
    region: &str,
    instance_id: &str,
) -> Result<InstanceDetail, AppError> {
    crate::console::instances::validate_region(region)?;
    let ids = validate_ids(&[instance_id.to_owned()]).map_err(|e| e.with_field("instanceId"))?;
    let found = describe_ids(client, region, &ids).await?;
    found
        .iter()
        .find(|i| i.instance_id.as_deref() == Some(instance_id))
        .map(|i| instance_detail(region, i))
        .ok_or_else(|| {
            AppError::not_found(
                "InvalidInstanceId.NotFound",
                format!("The instance {instance_id} does not exist in {region} (any more)."),
            )
            .with_field("instanceId")
        })
}

#[cfg(test)]
#[path = "detail_tests.rs"]
mod tests;
