//! Elastic IPs of a region: list, allocate (with a ClientToken, so a retried intent
//! does not allocate twice), associate with an instance, disassociate, release.
//! An EIP that is not bound to anything is still charged (an idle-IP fee).

use super::{check_confirmation, clamp_u32, conflict, vpc_filter};
use crate::error::{AppCode, AppError};
use crate::profiles::invalid;
use serde::{Deserialize, Serialize};
use tencent_api::Client;
use tencent_api::models::vpc;

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AddressView {
    pub id: String,
    pub name: String,
    pub ip: String,
    /// CREATING, BINDING, BIND, UNBINDING, UNBIND, OFFLINING, BIND_ENI.
    pub status: String,
    pub instance_id: Option<String>,
    pub bandwidth_mbps: u32,
    pub internet_charge_type: String,
    pub address_type: String,
    pub created_time: Option<String>,
    pub is_arrears: bool,
}

#[derive(Clone, Debug, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AllocateInput {
    /// TRAFFIC_POSTPAID_BY_HOUR or BANDWIDTH_POSTPAID_BY_HOUR.
    pub internet_charge_type: String,
    pub bandwidth_mbps: u32,
    pub name: Option<String>,
    /// The UI's idempotency token for this intent (≤64 ASCII); one is made when absent.
    pub client_token: Option<String>,
}

pub fn validate_address_id(field: &str, id: &str) -> Result<(), AppError> {
    tencent_api::validate_id(field, "eip", id)
        .map_err(|_| invalid(field, format!("{id:?} is not an EIP id (eip-xxxxxxxx)")))
}

fn view(a: vpc::Address) -> Option<AddressView> {
    Some(AddressView {
        id: a.address_id?,
        name: a.address_name.unwrap_or_default(),
        ip: a.address_ip.unwrap_or_default(),
        status: a.address_status.unwrap_or_default(),
        instance_id: a.instance_id.filter(|s| !s.is_empty()),
        bandwidth_mbps: clamp_u32(a.bandwidth),
        internet_charge_type: a.internet_charge_type.unwrap_or_default(),
        address_type: a.address_type.unwrap_or_default(),
        created_time: a.created_time,
        is_arrears: a.is_arrears.unwrap_or(false),
    })
}

pub async fn list_addresses(client: &Client, region: &str) -> Result<Vec<AddressView>, AppError> {
    let all = client
        .list_all(region, vpc::DescribeAddressesRequest::default())
        .await?;
    Ok(all.into_iter().filter_map(view).collect())
}

async fn find(client: &Client, region: &str, id: &str) -> Result<AddressView, AppError> {
    let out = client
        .describe_addresses(
            region,
            &vpc::DescribeAddressesRequest {
                address_ids: Some(vec![id.to_owned()]),
                ..Default::default()
            },
        )
        .await?;
    out.address_set
        .unwrap_or_default()
        .into_iter()
        .filter_map(view)
        .find(|a| a.id == id)
        .ok_or_else(|| {
            AppError::not_found(
                "InvalidAddressId.NotFound",
                format!("no EIP {id} in {region}"),
            )
            .with_field("addressId")
        })
}

/// The bandwidth range per billing model for a new EIP (Mbps).
pub fn eip_bandwidth_limits(charge: &str) -> Option<(u32, u32)> {
    match charge {
        "TRAFFIC_POSTPAID_BY_HOUR" | "BANDWIDTH_POSTPAID_BY_HOUR" => Some((1, 100)),
        _ => None,
    }
}

pub fn validate_allocate(input: &AllocateInput) -> Result<(), AppError> {
    let Some((min, max)) = eip_bandwidth_limits(&input.internet_charge_type) else {
        return Err(invalid(
            "internetChargeType",
            format!(
                "{:?}: choose TRAFFIC_POSTPAID_BY_HOUR or BANDWIDTH_POSTPAID_BY_HOUR",
                input.internet_charge_type
            ),
        ));
    };
    if !(min..=max).contains(&input.bandwidth_mbps) {
        return Err(invalid(
            "bandwidth",
            format!(
                "{} Mbps is out of range: {min}–{max} Mbps for {}",
                input.bandwidth_mbps, input.internet_charge_type
            ),
        ));
    }
    if let Some(n) = &input.name
        && (n.chars().count() > 128 || n.chars().any(char::is_control))
    {
        return Err(invalid("name", "a name is at most 128 characters"));
    }
    if let Some(t) = &input.client_token
        && (t.is_empty() || t.len() > 64 || !t.is_ascii())
    {
        return Err(invalid(
            "clientToken",
            "a client token is 1–64 ASCII characters",
        ));
    }
    Ok(())
}

/// Allocates one EIP; returns its id.
pub async fn allocate(
    client: &Client,
    region: &str,
    input: &AllocateInput,
) -> Result<Vec<String>, AppError> {
    validate_allocate(input)?;
    let token = input
        .client_token
        .clone()
        .unwrap_or_else(tencent_api::new_client_token);
    let out = client
        .allocate_addresses(
            region,
            &vpc::AllocateAddressesRequest {
                address_count: Some(1),
                internet_charge_type: Some(input.internet_charge_type.clone()),
                internet_max_bandwidth_out: Some(i64::from(input.bandwidth_mbps)),
                address_name: input
                    .name
                    .as_ref()
                    .map(|n| n.trim().to_owned())
                    .filter(|n| !n.is_empty()),
                client_token: Some(token),
                ..Default::default()
            },
        )
        .await?;
    Ok(out.address_set.unwrap_or_default())
}

/// Binds an unbound EIP to an instance that has none. The instance's own public IP (if
/// any) is released by Tencent when the EIP takes its place.
pub async fn associate(
    client: &Client,
    region: &str,
    address_id: &str,
    instance_id: &str,
) -> Result<Option<String>, AppError> {
    validate_address_id("addressId", address_id)?;
    tencent_api::validate_id("instanceId", "ins", instance_id).map_err(|_| {
        invalid(
            "instanceId",
            format!("{instance_id:?} is not an instance id (ins-xxxxxxxx)"),
        )
    })?;
    let a = find(client, region, address_id).await?;
    if a.status != "UNBIND" {
        return Err(invalid(
            "addressId",
            match &a.instance_id {
                Some(i) => format!("{address_id} is already bound to {i}; disassociate it first"),
                None => format!(
                    "{address_id} is {}; only an unbound EIP can be associated",
                    a.status
                ),
            },
        ));
    }
    let on_instance = client
        .describe_addresses(
            region,
            &vpc::DescribeAddressesRequest {
                filters: Some(vec![vpc_filter(
                    "instance-id",
                    vec![instance_id.to_owned()],
                )]),
                ..Default::default()
            },
        )
        .await?;
    if let Some(other) = on_instance
        .address_set
        .unwrap_or_default()
        .into_iter()
        .filter_map(view)
        .find(|x| x.address_type != "WanIP")
    {
        return Err(invalid(
            "instanceId",
            format!(
                "{instance_id} already has the EIP {} ({})",
                other.id, other.ip
            ),
        ));
    }
    client
        .associate_address(
            region,
            &vpc::AssociateAddressRequest {
                address_id: Some(address_id.to_owned()),
                instance_id: Some(instance_id.to_owned()),
                ..Default::default()
            },
        )
        .await
        .map(|r| r.request_id)
        .map_err(AppError::from)
}

pub async fn disassociate(
    client: &Client,
    region: &str,
    address_id: &str,
) -> Result<Option<String>, AppError> {
    validate_address_id("addressId", address_id)?;
    let a = find(client, region, address_id).await?;
    if a.status != "BIND" {
        return Err(conflict(
            AppCode::NotBound,
            Some("addressId"),
            format!(
                "{address_id} is {}; only a bound EIP can be disassociated",
                a.status
            ),
        ));
    }
    client
        .disassociate_address(
            region,
            &vpc::DisassociateAddressRequest {
                address_id: Some(address_id.to_owned()),
                reallocate_normal_public_ip: None,
            },
        )
        .await
        .map(|r| r.request_id)
        .map_err(AppError::from)
}

/// Releases an unbound EIP for good. `confirm` must be its id or its IP.
pub async fn release(
    client: &Client,
    region: &str,
    address_id: &str,
    confirm: &str,
) -> Result<Option<String>, AppError> {
    super::require_confirmation(confirm)?;
    validate_address_id("addressId", address_id)?;
    let a = find(client, region, address_id).await?;
    check_confirmation(confirm, &[address_id, a.ip.as_str()])?;
    if a.status != "UNBIND" {
        return Err(conflict(
            AppCode::AddressBound,
            Some("addressId"),
            format!(
                "{address_id} is {}; disassociate it before releasing",
                a.status
            ),
        ));
    }
    client
        .release_addresses(
            region,
            &vpc::ReleaseAddressesRequest {
                address_ids: Some(vec![address_id.to_owned()]),
            },
        )
        .await
        .map(|r| r.request_id)
        .map_err(AppError::from)
}
