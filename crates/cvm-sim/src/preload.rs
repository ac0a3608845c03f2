//! Deterministic demo worlds: N instances spread over regions, zones, types, billing
//! models and states, the same for the same seed.

use crate::catalog::{self, Lang, Stock};
use crate::clock;
use crate::world::{
    Account, ChargeType, DataDisk, Instance, IsolatedSource, KeyPair, OperationState, PowerEdge,
    RenewFlag, RestrictState, State, Step, Tag, World, public_ip,
};

const NAMES: &[&str] = &[
    "web", "api", "db", "cache", "worker", "batch", "gateway", "build", "search", "monitor",
];
const ENVS: &[&str] = &["prod", "staging", "dev"];
const TEAMS: &[&str] = &["payments", "growth", "platform", "data"];
const DAY: i64 = 86_400_000;

pub fn populate(world: &mut World, account: &str, n: usize, balance: f64, now: i64) {
    let World { accounts, rng, .. } = world;
    let acct = accounts
        .entry(account.to_owned())
        .or_insert_with(|| Account::new(balance));
    let types = catalog::instance_types();
    let main = ["ap-guangzhou", "ap-shanghai", "ap-beijing"];
    for k in 0..3 {
        let id = rng.id("skey");
        acct.key_pairs.push(KeyPair {
            id: id.clone(),
            name: format!("{}_key", ["deploy", "ops", "ci"][k]),
            project_id: 0,
            description: String::new(),
            public_key: format!("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDemo{k}Key {id}"),
            created_ms: now - 200 * DAY,
            tags: Vec::new(),
        });
    }
    let key_ids: Vec<String> = acct.key_pairs.iter().map(|k| k.id.clone()).collect();
    for n_i in 0..n {
        // The first three land in the three big regions; then 60 % there, the rest spread out.
        let region_id = if n_i < 3 {
            main[n_i]
        } else if rng.below(10) < 6 {
            main[rng.below(3) as usize]
        } else {
            catalog::REGIONS[rng.below(catalog::REGIONS.len() as u64) as usize].id
        };
        let Some(region) = catalog::region(region_id) else {
            continue;
        };
        let zones: Vec<_> = catalog::zones(region)
            .into_iter()
            .filter(|z| z.available)
            .collect();
        if zones.is_empty() {
            continue;
        }
        let zone = &zones[rng.below(zones.len() as u64) as usize];
        let sellable: Vec<&catalog::InstanceType> = types
            .iter()
            .filter(|t| catalog::stock(zone, t) == Stock::Sell)
            .collect();
        if sellable.is_empty() {
            continue;
        }
        let t = sellable[rng.below(sellable.len() as u64) as usize];
        let images: Vec<&catalog::Image> = catalog::IMAGES
            .iter()
            .filter(|i| i.arch == t.family.arch)
            .collect();
        let image = images[rng.below(images.len() as u64) as usize];
        let roll = rng.below(100);
        let charge = if roll < 30 {
            ChargeType::Prepaid
        } else if roll < 40 && region.spot && t.family.spot {
            ChargeType::Spotpaid
        } else {
            ChargeType::PostpaidByHour
        };
        let sroll = rng.below(100);
        let mut state = match sroll {
            0..=64 => State::Running,
            65..=84 => State::Stopped,
            85..=86 => State::Pending,
            87..=88 => State::Starting,
            89..=90 => State::Stopping,
            91..=92 => State::Rebooting,
            93..=94 => State::LaunchFailed,
            _ => State::Shutdown,
        };
        if state == State::Shutdown && charge != ChargeType::Prepaid {
            state = State::Running;
        }
        let created = now - (1 + rng.below(180) as i64) * DAY - rng.below(DAY as u64) as i64;
        let r = acct.regions.entry(region.id.to_owned()).or_insert_with(|| {
            let mut tmp = Account::new(0.0);
            tmp.region(region, rng, now);
            tmp.regions.remove(region.id).unwrap_or_default()
        });
        let Some(subnet) = r
            .subnets
            .iter()
            .find(|s| s.zone == zone.zone)
            .map(|s| s.id.clone())
        else {
            continue;
        };
        let Some(private_ip) = r.allocate_ip(&subnet) else {
            continue;
        };
        let vpc = r.vpcs.first().map(|v| v.id.clone()).unwrap_or_default();
        let sg = r
            .security_groups
            .first()
            .map(|s| s.id.clone())
            .unwrap_or_default();
        let bandwidth = if rng.below(2) == 0 {
            1 + rng.below(t.max_bandwidth().min(100) as u64) as i64
        } else {
            0
        };
        let env = ENVS[rng.below(3) as usize];
        let name = format!(
            "{}-{env}-{:02}",
            NAMES[rng.below(NAMES.len() as u64) as usize],
            1 + rng.below(40)
        );
        let mut inst = Instance {
            id: rng.id("ins"),
            uuid: rng.uuid(),
            name,
            zone: zone.zone.clone(),
            project_id: 0,
            instance_type: t.name.clone(),
            family: t.family.name.to_owned(),
            cpu: t.cpu,
            memory: t.memory,
            gpu: t.gpu,
            gpu_type: t.family.gpu_type.to_owned(),
            image_id: image.id.to_owned(),
            os_name: image.os_name.to_owned(),
            windows: image.windows,
            login_user: image.login_user.to_owned(),
            charge_type: charge,
            state,
            system_disk_type: "CLOUD_PREMIUM".into(),
            system_disk_id: rng.id("disk"),
            system_disk_size: if image.windows { 60 } else { 50 },
            system_disk_encryption: None,
            data_disks: Vec::new(),
            private_ip: private_ip.clone(),
            public_ip: None,
            eip_id: None,
            internet_charge_type: if charge == ChargeType::Prepaid {
                "BANDWIDTH_PREPAID"
            } else {
                "TRAFFIC_POSTPAID_BY_HOUR"
            }
            .into(),
            bandwidth,
            vpc_id: vpc,
            subnet_id: subnet,
            security_group_ids: vec![sg],
            password_hash: None,
            key_ids: if !image.windows && rng.below(3) == 0 {
                vec![key_ids[rng.below(3) as usize].clone()]
            } else {
                Vec::new()
            },
            renew_flag: (charge == ChargeType::Prepaid)
                .then(|| rng.below(3) as usize)
                .and_then(|i| RenewFlag::parse(catalog::RENEW_FLAGS[i])),
            created_ms: created,
            expired_ms: (charge == ChargeType::Prepaid)
                .then(|| now + (1 + rng.below(300) as i64) * DAY),
            tags: vec![
                Tag {
                    key: "env".into(),
                    value: env.into(),
                },
                Tag {
                    key: "team".into(),
                    value: TEAMS[rng.below(4) as usize].into(),
                },
            ],
            stop_charging: false,
            latest_op: Some("RunInstances".into()),
            latest_op_state: Some(if state == State::LaunchFailed {
                OperationState::Failed
            } else {
                OperationState::Success
            }),
            latest_op_request_id: Some(rng.uuid()),
            latest_op_error: (state == State::LaunchFailed)
                .then(|| crate::outcomes::message("RunInstances", &t.name, Lang::En)),
            fail_with: None,
            restrict_state: RestrictState::Normal,
            isolated_source: IsolatedSource::NotIsolated,
            isolated_ms: None,
            disable_api_termination: rng.below(10) == 0,
            host_name: String::new(),
            spot_max_price: (charge == ChargeType::Spotpaid).then(|| catalog::spot_hourly(t)),
            cam_role_name: String::new(),
            user_data: None,
            terminate_at: None,
            steps: Vec::new(),
            power: Vec::new(),
        };
        let o: Vec<&str> = private_ip.split('.').collect();
        inst.host_name = format!(
            "VM-{}-{}-{}",
            o[2],
            o[3],
            image.platform.to_lowercase().replace(' ', "")
        );
        if bandwidth > 0 && !matches!(state, State::LaunchFailed | State::Shutdown) {
            inst.public_ip = Some(public_ip(rng));
        }
        if state == State::Stopped && charge == ChargeType::PostpaidByHour && rng.below(3) == 0 {
            inst.stop_charging = true;
            inst.public_ip = None;
        }
        if rng.below(4) == 0 {
            inst.data_disks.push(DataDisk {
                disk_type: "CLOUD_PREMIUM".into(),
                disk_id: rng.id("disk"),
                disk_size: 100,
                delete_with_instance: true,
                encryption: None,
            });
        }
        if state == State::Shutdown {
            inst.restrict_state = RestrictState::Expired;
            inst.isolated_source = IsolatedSource::Expire;
            inst.expired_ms = Some(now - (1 + rng.below(5) as i64) * DAY);
            inst.isolated_ms = inst.expired_ms;
            inst.stop_charging = false;
        }
        // Instances caught mid-transition finish on their own, like real ones would.
        let (op, to) = match state {
            State::Pending => (Some("RunInstances"), Some(State::Running)),
            State::Starting => (Some("StartInstances"), Some(State::Running)),
            State::Stopping => (Some("StopInstances"), Some(State::Stopped)),
            State::Rebooting => (Some("RebootInstances"), Some(State::Running)),
            _ => (None, None),
        };
        if let Some(op) = op {
            inst.latest_op = Some(op.into());
            inst.latest_op_state = Some(OperationState::Operating);
            inst.steps.push(Step {
                at_ms: now + 10_000 + rng.below(20_000) as i64,
                to,
            });
        }
        inst.power = power_history(&inst, now);
        r.insert(inst);
    }
    let _ = clock::iso(now);
}

/// A past of power edges that fits the instance's state: up since creation, and for a
/// stopped or isolated one, off since a moment derived from its id (not the world's PRNG,
/// so the rest of the world stays what the seed always made).
fn power_history(inst: &Instance, now: i64) -> Vec<PowerEdge> {
    let on = |at_ms| PowerEdge { at_ms, on: true };
    let off = |at_ms| PowerEdge { at_ms, on: false };
    let h = inst.id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let frac = (h % 1000) as f64 / 1000.0;
    let created = inst.created_ms;
    match inst.state {
        State::Pending | State::LaunchFailed => Vec::new(),
        State::Running | State::Stopping | State::Rebooting => vec![on(created)],
        State::Stopped | State::Starting | State::Terminating => {
            let stopped = now - 2 * 3_600_000 - (frac * 46.0 * 3_600_000.0) as i64;
            vec![on(created), off(stopped.max(created + 60_000))]
        }
        State::Shutdown => vec![
            on(created),
            off(inst.isolated_ms.unwrap_or(now).max(created + 60_000)),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Arch;

    #[test]
    fn same_seed_same_world_with_variety() {
        let mut a = World::new(1);
        let mut b = World::new(1);
        populate(&mut a, "1", 60, 0.0, 1_700_000_000_000);
        populate(&mut b, "1", 60, 0.0, 1_700_000_000_000);
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
        let acct = &a.accounts["1"];
        assert!(acct.regions.len() >= 3);
        let all: Vec<&Instance> = acct
            .regions
            .values()
            .flat_map(|r| r.instances.values().map(|i| &**i))
            .collect();
        assert_eq!(all.len(), 60);
        for charge in [ChargeType::Prepaid, ChargeType::PostpaidByHour] {
            assert!(all.iter().any(|i| i.charge_type == charge));
        }
        for s in [State::Running, State::Stopped] {
            assert!(all.iter().any(|i| i.state == s));
        }
        assert!(
            all.iter().all(
                |i| i.family != "SR1" || catalog::image(&i.image_id).unwrap().arch == Arch::Arm
            )
        );
    }
}
