//! The emulated world: accounts → regions → resources (moto's `backends[account][region]`),
//! plus the instance lifecycle. Transitions are stored as timed steps and applied lazily
//! whenever a region is touched, so a world with 10,000 instances costs nothing at rest.

use crate::catalog::{self, RegionInfo};
use crate::clock;
use crate::rng::Rng;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

mod images;
mod instance;
mod network;
mod templates;

pub use images::CustomImage;
pub use instance::{
    ChargeType, DataDisk, Instance, IsolatedSource, OperationState, PowerEdge, RenewFlag,
    RestrictState, State, Step,
};
pub use network::{Address, Policy, SecurityGroup, Subnet, Vpc, ipv4, parse_ipv4, public_ip};
pub use templates::{LaunchTemplate, TemplateVersion};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Tag {
    #[serde(rename = "Key")]
    pub key: String,
    #[serde(rename = "Value")]
    pub value: String,
}

/// Expired prepaid instances are destroyed after seven days in isolation.
pub const RETENTION_MS: i64 = 7 * 24 * 3600 * 1000;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct KeyPair {
    pub id: String,
    pub name: String,
    pub project_id: i64,
    pub description: String,
    pub public_key: String,
    pub created_ms: i64,
    pub tags: Vec<Tag>,
}

fn force_scan() -> Option<i64> {
    Some(i64::MIN)
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
pub struct RegionState {
    /// Boxed: keys only ever grow (`next_seq`), and a B-tree filled in ascending order
    /// leaves each node about half empty; with ~1 KiB instances inline that slack was 40 %
    /// of a large world's memory (a 30,000-instance world's heap: 78 → 55 MiB boxed).
    pub instances: BTreeMap<u64, Box<Instance>>,
    #[serde(skip)]
    pub index: HashMap<String, u64>,
    pub next_seq: u64,
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub security_groups: Vec<SecurityGroup>,
    pub addresses: Vec<Address>,
    #[serde(default)]
    pub images: Vec<CustomImage>,
    #[serde(default)]
    pub launch_templates: Vec<LaunchTemplate>,
    /// Earliest time anything scheduled happens; None = nothing scheduled.
    #[serde(skip, default = "force_scan")]
    pub next_deadline: Option<i64>,
}

impl RegionState {
    pub fn rebuild_index(&mut self) {
        self.index = self
            .instances
            .iter()
            .map(|(seq, i)| (i.id.clone(), *seq))
            .collect();
    }
    pub fn get(&self, id: &str) -> Option<&Instance> {
        self.index
            .get(id)
            .and_then(|s| self.instances.get(s))
            .map(|i| &**i)
    }
    pub fn get_mut(&mut self, id: &str) -> Option<&mut Instance> {
        let seq = *self.index.get(id)?;
        self.instances.get_mut(&seq).map(|i| &mut **i)
    }
    pub fn insert(&mut self, inst: Instance) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.index.insert(inst.id.clone(), seq);
        self.note_deadline(inst.next_deadline());
        self.instances.insert(seq, Box::new(inst));
    }
    /// Call after scheduling something on an instance.
    pub fn touch(&mut self, id: &str) {
        let d = self.get(id).and_then(|i| i.next_deadline());
        self.note_deadline(d);
    }
    pub fn note_deadline(&mut self, d: Option<i64>) {
        if let Some(d) = d {
            self.next_deadline = Some(self.next_deadline.map_or(d, |x| x.min(d)));
        }
    }
    pub fn remove(&mut self, id: &str) {
        if let Some(seq) = self.index.remove(id)
            && let Some(inst) = self.instances.remove(&seq)
        {
            self.release_instance_resources(&inst);
        }
    }
    fn release_instance_resources(&mut self, inst: &Instance) {
        for a in self
            .addresses
            .iter_mut()
            .filter(|a| a.instance_id.as_deref() == Some(&inst.id))
        {
            a.status = "UNBIND".into();
            a.instance_id = None;
            a.private_ip = None;
        }
        if let Some(s) = self.subnets.iter_mut().find(|s| s.id == inst.subnet_id) {
            s.used = s.used.saturating_sub(1);
        }
    }

    /// Applies every step, expiry and timer due by `now`. `balance` pays auto-renewals.
    pub fn settle(&mut self, now: i64, balance: &mut f64) {
        match self.next_deadline {
            Some(d) if d <= now => {}
            _ => return,
        }
        let mut doomed = Vec::new();
        let mut next: Option<i64> = None;
        for inst in self.instances.values_mut() {
            let mut gone = false;
            while inst.steps.first().is_some_and(|s| s.at_ms <= now) {
                let step = inst.steps.remove(0);
                match step.to {
                    Some(s) => {
                        inst.state = s;
                        inst.note_power(step.at_ms);
                    }
                    None => gone = true,
                }
            }
            if inst.steps.is_empty() && inst.latest_op_state == Some(OperationState::Operating) {
                inst.latest_op_state = Some(if inst.fail_with.is_some() {
                    OperationState::Failed
                } else {
                    OperationState::Success
                });
                inst.latest_op_error = inst.fail_with.take();
            }
            if inst.terminate_at.is_some_and(|t| t <= now) {
                gone = true;
            }
            if inst.charge_type == ChargeType::Prepaid
                && inst.state != State::Shutdown
                && inst.steps.is_empty()
                && inst.expired_ms.is_some_and(|t| t <= now)
            {
                let price = catalog::instance_type(&inst.instance_type)
                    .map(|t| t.monthly())
                    .unwrap_or(0.0);
                if inst.renew_flag == Some(RenewFlag::NotifyAndAutoRenew) && *balance >= price {
                    *balance = catalog::round2(*balance - price);
                    inst.expired_ms = inst.expired_ms.map(|t| clock::add_months(t, 1));
                } else {
                    inst.state = State::Shutdown;
                    inst.restrict_state = RestrictState::Expired;
                    inst.isolated_source = IsolatedSource::Expire;
                    inst.isolated_ms = inst.expired_ms;
                    inst.note_power(inst.expired_ms.unwrap_or(now));
                }
            }
            if inst.isolated_source == IsolatedSource::Expire
                && inst.isolated_ms.is_some_and(|t| t + RETENTION_MS <= now)
            {
                gone = true;
            }
            if gone {
                doomed.push(inst.id.clone());
            } else if let Some(d) = inst.next_deadline() {
                next = Some(next.map_or(d, |x| x.min(d)));
            }
        }
        self.next_deadline = next;
        for id in doomed {
            self.remove(&id);
        }
    }

    /// Records the power edges of state changes a handler made directly, at `now`.
    pub fn note_power(&mut self, now: i64) {
        for inst in self.instances.values_mut() {
            inst.note_power(now);
        }
    }

    /// Allocates the next private address of a subnet.
    pub fn allocate_ip(&mut self, subnet_id: &str) -> Option<String> {
        let s = self.subnets.iter_mut().find(|s| s.id == subnet_id)?;
        if s.available() == 0 || s.next_host + 2 >= s.size {
            return None;
        }
        // Offsets 0 (network) and 1 (gateway) are never handed out.
        let ip = s.base + s.next_host.max(2);
        s.next_host = s.next_host.max(2) + 1;
        s.used += 1;
        Some(ipv4(ip))
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Account {
    pub balance: f64,
    pub key_pairs: Vec<KeyPair>,
    pub regions: BTreeMap<String, RegionState>,
    /// ClientToken answers: `region|action|token` → the original response (without RequestId).
    pub tokens: BTreeMap<String, serde_json::Value>,
}

impl Account {
    pub fn new(balance: f64) -> Self {
        Account {
            balance,
            key_pairs: Vec::new(),
            regions: BTreeMap::new(),
            tokens: BTreeMap::new(),
        }
    }

    /// The region's state, created on first use with a default VPC, a subnet per zone and
    /// a default security group (what a new Tencent account finds).
    pub fn region(
        &mut self,
        region: &'static RegionInfo,
        rng: &mut Rng,
        now: i64,
    ) -> &mut RegionState {
        self.regions
            .entry(region.id.to_owned())
            .or_insert_with(|| new_region(region, rng, now))
    }
}

fn new_region(region: &'static RegionInfo, rng: &mut Rng, now: i64) -> RegionState {
    let mut r = RegionState {
        next_deadline: None,
        ..Default::default()
    };
    let vpc_id = rng.id("vpc");
    r.vpcs.push(Vpc {
        id: vpc_id.clone(),
        name: "Default-VPC".into(),
        cidr: "172.16.0.0/16".into(),
        is_default: true,
        created_ms: now,
        dhcp_options_id: String::new(),
        tags: Vec::new(),
    });
    let rtb = rng.id("rtb");
    for (i, z) in catalog::zones(region).iter().enumerate() {
        let base = (172u32 << 24) | (16 << 16) | ((i as u32 * 16) << 8);
        r.subnets.push(Subnet {
            id: rng.id("subnet"),
            name: "Default-Subnet".into(),
            vpc_id: vpc_id.clone(),
            cidr: format!("{}/20", ipv4(base)),
            zone: z.zone.clone(),
            is_default: true,
            created_ms: now,
            route_table_id: rtb.clone(),
            network_acl_id: String::new(),
            base,
            size: 4096,
            next_host: 2,
            used: 0,
            tags: Vec::new(),
        });
    }
    let p = |protocol: &str, port: &str, cidr: &str, action: &str, description: &str| Policy {
        protocol: protocol.into(),
        port: port.into(),
        cidr: cidr.into(),
        action: action.into(),
        description: description.into(),
    };
    r.security_groups.push(SecurityGroup {
        id: rng.id("sg"),
        name: "default".into(),
        description: "System created security group".into(),
        project_id: 0,
        is_default: true,
        created_ms: now,
        ingress: vec![
            p("TCP", "22", "0.0.0.0/0", "ACCEPT", "SSH"),
            p("TCP", "3389", "0.0.0.0/0", "ACCEPT", "RDP"),
            p("TCP", "80,443", "0.0.0.0/0", "ACCEPT", "Web"),
            p("ICMP", "ALL", "0.0.0.0/0", "ACCEPT", "Ping"),
            p("ALL", "ALL", "172.16.0.0/16", "ACCEPT", "VPC"),
        ],
        egress: vec![p("ALL", "ALL", "0.0.0.0/0", "ACCEPT", "")],
        version: 1,
        tags: Vec::new(),
    });
    r
}

/// Account-level limits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quotas {
    /// Pay-as-you-go instances per region.
    pub postpaid_per_region: usize,
    /// Monthly-subscription instances per region.
    pub prepaid_per_region: usize,
    /// Spot instances per region.
    pub spot_per_region: usize,
    pub key_pairs: usize,
    pub eips_per_region: usize,
    #[serde(default = "default_images_per_region")]
    pub images_per_region: usize,
    #[serde(default = "default_security_groups_per_region")]
    pub security_groups_per_region: usize,
}

fn default_images_per_region() -> usize {
    500
}

fn default_security_groups_per_region() -> usize {
    50
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            postpaid_per_region: 2000,
            prepaid_per_region: 2000,
            spot_per_region: 200,
            key_pairs: 500,
            eips_per_region: 20,
            images_per_region: default_images_per_region(),
            security_groups_per_region: default_security_groups_per_region(),
        }
    }
}

/// Everything that persists in a state file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct World {
    pub accounts: BTreeMap<String, Account>,
    pub rng: Rng,
    pub clock_offset_ms: i64,
}

impl World {
    pub fn new(seed: u64) -> Self {
        World {
            accounts: BTreeMap::new(),
            rng: Rng::new(seed),
            clock_offset_ms: 0,
        }
    }
    pub fn after_load(&mut self) {
        for a in self.accounts.values_mut() {
            for r in a.regions.values_mut() {
                r.rebuild_index();
                r.next_deadline = Some(i64::MIN);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_round_trip_and_subnet_allocation() {
        assert_eq!(parse_ipv4("172.16.0.2"), Some((172 << 24) | (16 << 16) | 2));
        assert_eq!(parse_ipv4("1.2.3"), None);
        assert_eq!(parse_ipv4("256.1.1.1"), None);
        let mut rng = Rng::new(1);
        let mut acct = Account::new(0.0);
        let r = acct.region(catalog::region("ap-guangzhou").unwrap(), &mut rng, 0);
        let sid = r.subnets[2].id.clone();
        assert_eq!(r.allocate_ip(&sid).as_deref(), Some("172.16.32.2"));
        assert_eq!(r.allocate_ip(&sid).as_deref(), Some("172.16.32.3"));
        assert_eq!(r.subnets[2].available(), 4096 - 3 - 2);
    }
}
