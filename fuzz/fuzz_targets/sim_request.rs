//! The emulator end to end through its public surface: correctly signed requests with
//! fuzzed parameters (JSON bodies, GET queries, or raw bytes) for every action, sent over
//! loopback to an in-process cvm-sim. Every request must get a Tencent envelope with a
//! RequestId; a panic anywhere in the sim (even one its handler would contain and turn
//! into InternalError) aborts the fuzzer, because libFuzzer's panic hook runs first.

#![no_main]

use arbitrary::Arbitrary;
use cvm_sim::client::{SimClient, flatten_query};
use cvm_sim::{Config, Credential, RateLimit};
use http::Method;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Number, Value};
use std::sync::{Mutex, OnceLock};
use tokio::runtime::Runtime;

// The sim's own routing tables, so every action it serves (new ones included) is fuzzed.
use cvm_sim::ACTIONS;
/// Parameter names and values the actions know, so the fuzzer gets past "unknown parameter".
const KEYS: &[&str] = &[
    "InstanceIds",
    "Filters",
    "Name",
    "Values",
    "Limit",
    "Offset",
    "Placement",
    "Zone",
    "ImageId",
    "InstanceType",
    "InstanceChargeType",
    "InstanceChargePrepaid",
    "Period",
    "RenewFlag",
    "InternetAccessible",
    "InternetMaxBandwidthOut",
    "InternetChargeType",
    "PublicIpAssigned",
    "SystemDisk",
    "DiskType",
    "DiskSize",
    "DataDisks",
    "InstanceCount",
    "InstanceName",
    "LoginSettings",
    "Password",
    "KeyIds",
    "KeyName",
    "KeyId",
    "PublicKey",
    "ProjectId",
    "DryRun",
    "ClientToken",
    "StopType",
    "ForceStop",
    "StoppedMode",
    "ReleaseAddress",
    "SecurityGroupIds",
    "SecurityGroupId",
    "VirtualPrivateCloud",
    "VpcId",
    "SubnetId",
    "AddressIds",
    "AddressId",
    "AddressCount",
    "InstanceId",
    "DisableApiTermination",
    "ImageName",
    "ImageIds",
    "ForcePoweroff",
    "LaunchTemplateName",
    "LaunchTemplateData",
    "LaunchTemplateId",
    "LaunchTemplateIds",
    "LaunchTemplateVersion",
    "LaunchTemplate",
    "GroupName",
    "GroupDescription",
    "SecurityGroupPolicySet",
    "Ingress",
    "Egress",
    "UserName",
    "ForceReboot",
];
const WORDS: &[&str] = &[
    "ins-00000000",
    "ap-guangzhou-3",
    "ap-guangzhou",
    "img-487zeit5",
    "S5.MEDIUM4",
    "SA2.SMALL1",
    "PREPAID",
    "POSTPAID_BY_HOUR",
    "SPOTPAID",
    "CLOUD_PREMIUM",
    "BANDWIDTH_POSTPAID_BY_HOUR",
    "TRAFFIC_POSTPAID_BY_HOUR",
    "STOP_CHARGING",
    "SOFT",
    "HARD",
    "zone",
    "instance-id",
    "instance-state",
    "tag:env",
    "vpc-00000000",
    "subnet-00000000",
    "sg-00000000",
    "eip-00000000",
    "skey-00000000",
    "",
];

#[derive(Arbitrary, Debug)]
enum Word {
    Known(u8),
    Other(String),
}

impl Word {
    fn get(&self, list: &[&str]) -> String {
        match self {
            Word::Known(i) => list[*i as usize % list.len()].to_owned(),
            Word::Other(s) => s.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum J {
    Null,
    Bool(bool),
    Int(i64),
    Small(u8),
    Float(f64),
    Str(Word),
    Arr(Vec<J>),
    Obj(Vec<(Word, J)>),
}

impl J {
    fn value(&self, depth: usize) -> Value {
        match self {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Int(i) => Value::from(*i),
            J::Small(i) => Value::from(*i),
            J::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
            J::Str(w) => Value::String(w.get(WORDS)),
            J::Arr(items) if depth < 6 => {
                Value::Array(items.iter().map(|j| j.value(depth + 1)).collect())
            }
            J::Obj(fields) if depth < 6 => object(fields, depth + 1),
            J::Arr(_) | J::Obj(_) => Value::Null,
        }
    }
}

fn object(fields: &[(Word, J)], depth: usize) -> Value {
    let mut m = Map::new();
    for (k, v) in fields {
        m.insert(k.get(KEYS), v.value(depth));
    }
    Value::Object(m)
}

#[derive(Arbitrary, Debug)]
enum Body {
    Params(Vec<(Word, J)>),
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
struct Input {
    action: u8,
    get: bool,
    region: Word,
    body: Body,
}

struct Fixture {
    rt: Runtime,
    client: Mutex<SimClient>,
    _sim: cvm_sim::SimHandle,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let sim = rt
            .block_on(cvm_sim::start(Config {
                time_scale: 0.0,
                rate_limit: RateLimit::Off,
                preload: 20,
                seed: 1,
                ..Default::default()
            }))
            .unwrap();
        let client = SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou");
        Fixture {
            rt,
            client: Mutex::new(client),
            _sim: sim,
        }
    })
}

fuzz_target!(|input: Input| {
    let f = fixture();
    let entry = &ACTIONS[input.action as usize % ACTIONS.len()];
    let (service, action) = (entry.service, entry.name);
    let method = if input.get { Method::GET } else { Method::POST };
    let (body, query) = match (&input.body, input.get) {
        (Body::Params(fields), false) => (
            serde_json::to_vec(&object(fields, 0)).unwrap(),
            String::new(),
        ),
        (Body::Params(fields), true) => (Vec::new(), flatten_query(&object(fields, 0))),
        (Body::Raw(bytes), false) => (bytes.clone(), String::new()),
        // A raw query must still be a valid URI component for the request to be built.
        (Body::Raw(bytes), true) => (
            Vec::new(),
            bytes
                .iter()
                .map(|&b| {
                    if b.is_ascii_alphanumeric() || b"=&.%+-_~".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect(),
        ),
    };
    let mut client = f.client.lock().unwrap_or_else(|p| p.into_inner());
    client.region = input.region.get(&[
        "ap-guangzhou",
        "ap-shanghai",
        "na-ashburn",
        "",
        "xx-nowhere-1",
    ]);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let Ok(req) = client.build_raw(service, action, method, body, query, now) else {
        // Not a valid HTTP request (a region with a control character, say): nothing sent.
        return;
    };
    let answer =
        f.rt.block_on(client.send(req))
            .unwrap_or_else(|e| panic!("{action}: no envelope from the sim: {e}"));
    let response = answer
        .get("Response")
        .unwrap_or_else(|| panic!("{action}: not an envelope: {answer}"));
    let rid = response.get("RequestId").and_then(Value::as_str);
    assert!(
        rid.is_some_and(|r| !r.is_empty()),
        "{action}: no RequestId: {answer}"
    );
    if let Some(err) = response.get("Error") {
        let code = err.get("Code").and_then(Value::as_str).unwrap_or("");
        assert!(
            !code.is_empty(),
            "{action}: an error without a code: {answer}"
        );
    }
});
