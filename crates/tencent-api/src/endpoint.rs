//! Where requests go, and input checks that must fail before any network call.

use crate::Error;
use reqwest::Url;
use std::net::IpAddr;

/// The API host family. The access region in the host is independent of the resource
/// region (`X-TC-Region`) but is part of Tencent's rate-limit key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// `{service}.tencentcloudapi.com`: nearest access point.
    Default,
    /// `{service}.{region}.tencentcloudapi.com`, with the call's region (required for the
    /// finance regions).
    Regional,
    /// `{service}.intl.tencentcloudapi.com`.
    International,
    /// A base URL such as `http://127.0.0.1:8080` (the Sandbox) for every service. Plain
    /// http is accepted only for loopback hosts: credentials must not cross a network in clear.
    Custom(String),
}

/// A resolved target: the URL to send to and the exact `Host` header value that is signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    pub url: Url,
    pub host: String,
}

impl Endpoint {
    /// Checks a custom base URL once, when the client is built.
    pub fn validate(&self) -> Result<(), Error> {
        if let Endpoint::Custom(base) = self {
            parse_custom(base)?;
        }
        Ok(())
    }

    /// The access region a call for `region` reaches, which Tencent's rate limits count
    /// by: the call's region for a regional host, `None` for a host that routes to the
    /// nearest access point (and for the global services, STS and tags, which always do).
    /// A custom base URL (the Sandbox, cvm-sim) counts by the call's region, as cvm-sim
    /// does.
    pub fn access_region<'r>(&self, service: &str, region: &'r str) -> Option<&'r str> {
        match self {
            Endpoint::Regional if is_global(service) => None,
            Endpoint::Regional | Endpoint::Custom(_) => Some(region),
            Endpoint::Default | Endpoint::International => None,
        }
    }

    pub(crate) fn target(&self, service: &str, region: &str) -> Result<Target, Error> {
        let host = match self {
            Endpoint::Default => format!("{service}.tencentcloudapi.com"),
            Endpoint::Regional if is_global(service) => format!("{service}.tencentcloudapi.com"),
            Endpoint::Regional => format!("{service}.{region}.tencentcloudapi.com"),
            Endpoint::International => format!("{service}.intl.tencentcloudapi.com"),
            Endpoint::Custom(base) => return parse_custom(base),
        };
        let url = Url::parse(&format!("https://{host}/"))
            .map_err(|e| Error::invalid("endpoint", e.to_string()))?;
        Ok(Target { url, host })
    }
}

/// Services with one global host (STS, tags): no regional access points are assumed.
fn is_global(service: &str) -> bool {
    matches!(service, "sts" | "tag")
}

fn parse_custom(base: &str) -> Result<Target, Error> {
    let url = Url::parse(base).map_err(|e| Error::invalid("endpoint", e.to_string()))?;
    let host = url
        .host_str()
        .ok_or_else(|| Error::invalid("endpoint", "has no host"))?
        .to_owned();
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => {
            return Err(Error::invalid(
                "endpoint",
                "plain http is allowed only for a loopback address (127.0.0.0/8, ::1, localhost)",
            ));
        }
        other => {
            return Err(Error::invalid(
                "endpoint",
                format!("unsupported scheme {other}"),
            ));
        }
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid(
            "endpoint",
            "must be a base URL without path, query or fragment",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid("endpoint", "must not carry user info"));
    }
    // `port()` is None for the scheme's default port, which is exactly when clients omit it
    // from the Host header.
    let host = match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    };
    Ok(Target { url, host })
}

fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Region names like `ap-guangzhou`, `ap-shanghai-fsi`, `na-siliconvalley`, `eu-frankfurt`.
pub fn validate_region(region: &str) -> Result<(), Error> {
    let mut parts = region.split('-');
    let geo = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    let ok = (2..=3).contains(&geo.len())
        && geo.bytes().all(|b| b.is_ascii_lowercase())
        && !rest.is_empty()
        && rest.len() <= 3
        && rest.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && rest[0]
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase());
    if region.is_empty() {
        Err(Error::invalid("Region", "must not be empty"))
    } else if !ok {
        Err(Error::invalid(
            "Region",
            format!("{region:?} is not a region name like ap-guangzhou"),
        ))
    } else {
        Ok(())
    }
}

/// Resource ids: `<prefix>-` followed by 8 lower-case letters or digits.
pub fn validate_id(field: &str, prefix: &str, id: &str) -> Result<(), Error> {
    let ok = id
        .strip_prefix(prefix)
        .and_then(|r| r.strip_prefix('-'))
        .is_some_and(|r| {
            r.len() == 8
                && r.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("{id:?} is not a {prefix}-xxxxxxxx id"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_per_endpoint() {
        let t = |e: Endpoint| e.target("cvm", "ap-guangzhou").unwrap().host;
        assert_eq!(t(Endpoint::Default), "cvm.tencentcloudapi.com");
        assert_eq!(
            t(Endpoint::Regional),
            "cvm.ap-guangzhou.tencentcloudapi.com"
        );
        assert_eq!(t(Endpoint::International), "cvm.intl.tencentcloudapi.com");
        assert_eq!(
            t(Endpoint::Custom("http://127.0.0.1:8080".into())),
            "127.0.0.1:8080"
        );
        assert_eq!(t(Endpoint::Custom("http://[::1]:9".into())), "[::1]:9");
        assert_eq!(
            t(Endpoint::Custom("http://localhost:9/".into())),
            "localhost:9"
        );
        assert_eq!(
            t(Endpoint::Custom("https://api.example.com:443".into())),
            "api.example.com"
        );
    }

    #[test]
    fn plain_http_only_on_loopback() {
        for bad in [
            "http://10.0.0.1:8080",
            "http://example.com",
            "http://127.0.0.1.nip.io",
            "ftp://127.0.0.1",
            "http://127.0.0.1:80/api",
            "not a url",
        ] {
            let e = Endpoint::Custom(bad.into()).validate().unwrap_err();
            assert_eq!(e.field(), Some("endpoint"), "{bad}");
        }
        assert!(
            Endpoint::Custom("http://127.8.9.10:1".into())
                .validate()
                .is_ok()
        );
    }

    #[test]
    fn regions() {
        for ok in [
            "ap-guangzhou",
            "ap-shanghai-fsi",
            "na-siliconvalley",
            "eu-frankfurt",
            "sa-saopaulo",
        ] {
            assert!(validate_region(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "guangzhou",
            "AP-guangzhou",
            "ap-",
            "ap--x",
            "ap-guangzhou ",
            "ap/gz",
            "-ap",
        ] {
            assert_eq!(
                validate_region(bad).unwrap_err().field(),
                Some("Region"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn ids() {
        assert!(validate_id("InstanceIds", "ins", "ins-r8hr2upy").is_ok());
        for bad in [
            "ins-1122",
            "ins-R8HR2UPY",
            "img-r8hr2upy",
            "ins-r8hr2upyy",
            "insr8hr2upy",
            "",
        ] {
            assert!(validate_id("InstanceIds", "ins", bad).is_err(), "{bad}");
        }
    }
}
