//! Networks, security groups and elastic addresses, and IPv4 arithmetic.

use super::Tag;
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Vpc {
    pub id: String,
    pub name: String,
    pub cidr: String,
    pub is_default: bool,
    pub created_ms: i64,
    pub dhcp_options_id: String,
    pub tags: Vec<Tag>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Subnet {
    pub id: String,
    pub name: String,
    pub vpc_id: String,
    pub cidr: String,
    pub zone: String,
    pub is_default: bool,
    pub created_ms: i64,
    pub route_table_id: String,
    pub network_acl_id: String,
    /// First address of the block and its size.
    pub base: u32,
    pub size: u32,
    /// Next host offset to hand out; addresses are never reused, like a fresh lab account.
    pub next_host: u32,
    pub used: u32,
    pub tags: Vec<Tag>,
}

impl Subnet {
    /// Reserved: network, gateway, broadcast.
    pub fn available(&self) -> u32 {
        self.size.saturating_sub(3).saturating_sub(self.used)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Policy {
    pub protocol: String,
    pub port: String,
    pub cidr: String,
    pub action: String,
    pub description: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub description: String,
    pub project_id: i64,
    pub is_default: bool,
    pub created_ms: i64,
    pub ingress: Vec<Policy>,
    pub egress: Vec<Policy>,
    pub version: i64,
    pub tags: Vec<Tag>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Address {
    pub id: String,
    pub name: Option<String>,
    pub status: String,
    pub ip: String,
    pub instance_id: Option<String>,
    pub private_ip: Option<String>,
    pub created_ms: i64,
    pub internet_charge_type: String,
    pub bandwidth: i64,
    pub address_type: String,
    pub isp: String,
    pub tags: Vec<Tag>,
}

pub fn ipv4(v: u32) -> String {
    format!(
        "{}.{}.{}.{}",
        v >> 24,
        (v >> 16) & 0xff,
        (v >> 8) & 0xff,
        v & 0xff
    )
}

pub fn parse_ipv4(s: &str) -> Option<u32> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut v = 0u32;
    for p in parts {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        v = (v << 8) | p.parse::<u8>().ok()? as u32;
    }
    Some(v)
}

/// A public address from the pools Tencent announces in mainland China and abroad.
pub fn public_ip(rng: &mut Rng) -> String {
    const FIRST: [u32; 8] = [43, 49, 81, 101, 106, 119, 129, 150];
    let first = *rng.pick(&FIRST);
    ipv4((first << 24) | (rng.below(1 << 24) as u32 | 1))
}
