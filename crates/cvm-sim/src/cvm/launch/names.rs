//! Instance names and host names: `{R:x}`/`{R:x,F:y}`/`{IP}` patterns, host name rules
//! per OS, and the default host name derived from the private address.

use crate::catalog::Image;
use crate::error::{ApiError, ApiResult};
use crate::msg;
use crate::params::Params;

/// Replaces `{R:x}`, `{R:x,F:y}` and `{IP}` in a name or host name for instance `n` (0-based).
pub fn expand(pattern: &str, n: i64, ip: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}')? + start;
        let inner = &rest[start + 1..end];
        if inner == "IP" {
            out.push_str(ip);
        } else {
            let spec = inner.strip_prefix("R:")?;
            let (x, width) = match spec.split_once(",F:") {
                Some((x, f)) => (x.parse::<i64>().ok()?, f.parse::<usize>().ok()?),
                None => (spec.parse::<i64>().ok()?, 0),
            };
            if width > 8 {
                return None;
            }
            out.push_str(&format!("{:0width$}", x + n, width = width));
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

pub fn has_pattern(s: &str) -> bool {
    s.contains("{R:") || s.contains("{IP}")
}

pub fn host_name_ok(h: &str, windows: bool) -> bool {
    let len = h.chars().count();
    let edge_ok = !(h.starts_with(['.', '-'])
        || h.ends_with(['.', '-'])
        || h.contains("..")
        || h.contains("--"));
    if windows {
        (2..=15).contains(&len)
            && edge_ok
            && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !h.chars().all(|c| c.is_ascii_digit())
    } else {
        (2..=60).contains(&len)
            && edge_ok
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    }
}

/// `InstanceName` and `HostName` of a launch, checked against the image's OS.
pub fn names(p: &Params, image: &Image) -> ApiResult<(Option<String>, Option<String>)> {
    let name = p.str("InstanceName")?;
    if let Some(n) = &name {
        if n.chars().count() > 128 {
            return Err(ApiError::new(
                "InvalidInstanceName.TooLong",
                msg::too_long(&"InstanceName", &128),
            ));
        }
        if has_pattern(n) && expand(n, 0, "0.0.0.0").is_none() {
            return Err(ApiError::invalid_value("InstanceName", msg::name_pattern()));
        }
    }
    let host_name = p.str("HostName")?;
    if let Some(h) = &host_name {
        let probe =
            expand(h, 0, "10.0.0.1").map(|s| s.replace('.', if image.windows { "" } else { "." }));
        let ok = probe
            .as_deref()
            .is_some_and(|s| host_name_ok(if has_pattern(h) { s } else { h }, image.windows));
        if !ok {
            return Err(ApiError::new(
                "InvalidParameterValue.IllegalHostName",
                msg::host_name_invalid(&h),
            ));
        }
    }
    Ok((name, host_name))
}

pub fn default_host_name(ip: &str, image: &Image) -> String {
    let o: Vec<&str> = ip.split('.').collect();
    let os = image.platform.to_lowercase().replace(' ', "");
    if image.windows {
        format!(
            "VM-{}-{}",
            o.get(2).unwrap_or(&"0"),
            o.get(3).unwrap_or(&"0")
        )
    } else {
        format!(
            "VM-{}-{}-{os}",
            o.get(2).unwrap_or(&"0"),
            o.get(3).unwrap_or(&"0")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_patterns_and_host_names() {
        assert_eq!(expand("web-{R:3}", 2, "").as_deref(), Some("web-5"));
        assert_eq!(expand("web-{R:1,F:3}", 0, "").as_deref(), Some("web-001"));
        assert_eq!(
            expand("node-{IP}", 0, "10.0.12.8").as_deref(),
            Some("node-10.0.12.8")
        );
        assert_eq!(expand("bad-{R:x}", 0, ""), None);
        assert!(host_name_ok("web-01.prod", false));
        assert!(!host_name_ok("-web", false));
        assert!(!host_name_ok("a..b", false));
        assert!(!host_name_ok("12345", true));
        assert!(!host_name_ok("has.dot", true));
    }
}
