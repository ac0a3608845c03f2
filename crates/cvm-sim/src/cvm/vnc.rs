//! DescribeInstanceVncUrl: the one-time address of an instance's web VNC console.
//!
//! Tencent's rules (API docs): not for instances that are not running; the address is
//! valid for 15 s and once only. It answers URL-encoded, to be appended to
//! `https://img.qcloud.com/qcloud/app/active_vnc/index.html?InstanceVncUrl=`.

use super::require_state;
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::toolkit::{Env, lookup_instances};
use crate::world::State;
use base64::Engine;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

/// What Tencent's answers leave as they are (`bjvnc.qcloud.com` keeps its dots).
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'.').remove(b'-').remove(b'_');

pub fn describe_instance_vnc_url(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["InstanceId"])?;
    let id = p.str_req("InstanceId")?;
    if id.is_empty() {
        return Err(ApiError::missing("InstanceId"));
    }
    let city = env.ctx.region.id.trim_start_matches("ap-").to_owned();
    let short = match city.as_str() {
        "beijing" => "bj",
        "shanghai" => "sh",
        "guangzhou" => "gz",
        "chengdu" => "cd",
        "chongqing" => "cq",
        "nanjing" => "nj",
        "hongkong" => "hk",
        "singapore" => "sg",
        other => other.get(..2).unwrap_or("gz"),
    }
    .to_owned();
    let r = env.region();
    let inst = lookup_instances(r, std::slice::from_ref(&id), 1)?[0];
    require_state(inst, &[State::Running])?;
    let ubuntu = inst.os_name.to_lowercase().contains("ubuntu");
    let windows = inst.windows;
    // A fresh random token each call (single-use, like Tencent's).
    let mut token = Vec::with_capacity(48);
    for _ in 0..3 {
        token.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    }
    let token = base64::engine::general_purpose::STANDARD.encode(token);
    let host = format!("{short}vnc.qcloud.com");
    let url =
        format!("wss://{host}:26789/vnc?s={token}&password=&isWindows={windows}&isUbuntu={ubuntu}");
    Ok(json!({"InstanceVncUrl": utf8_percent_encode(&url, ENCODE).to_string()}))
}
