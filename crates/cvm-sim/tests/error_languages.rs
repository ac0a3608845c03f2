//! Every error code the emulator can answer has a zh-CN and an en-US text, every message
//! is answered in the language `X-TC-Language` asks for (zh-CN when it is absent), and
//! handler errors of every service are specific in both languages. (That each message has
//! both languages is checked by the compiler: `msg::Text` is only made by the catalog.)
//!
//! The codes are read from the sources: every string literal passed as the code of
//! `ApiError::new` / `Self::new`, and every string literal shaped like a Tencent error
//! code (`Category.Detail`, with one of Tencent's category prefixes), plus the signature
//! errors, whose codes live in `tencent_api::sign::VerifyError`.

use cvm_sim::client::SimClient;
use cvm_sim::error::{CODES, STATE_FAMILY, code_text};
use cvm_sim::{Config, Credential, RateLimit};
use serde_json::json;
use std::collections::BTreeSet;
use std::path::Path;
use tencent_api::sign::VerifyError;

/// First segments of Tencent's error codes (common and CVM/VPC ones).
const CATEGORIES: &[&str] = &[
    "AuthFailure",
    "DryRunOperation",
    "FailedOperation",
    "InternalError",
    "LimitExceeded",
    "MissingParameter",
    "OperationDenied",
    "RequestLimitExceeded",
    "ResourceInUse",
    "ResourceInsufficient",
    "ResourceNotFound",
    "ResourceUnavailable",
    "ResourcesSoldOut",
    "UnauthorizedOperation",
    "UnknownParameter",
    "UnsupportedOperation",
];

fn is_category(first: &str) -> bool {
    CATEGORIES.contains(&first) || first.starts_with("Invalid")
}

fn literals_after(text: &str, needle: &str, out: &mut BTreeSet<String>) {
    for (i, _) in text.match_indices(needle) {
        let rest = text[i + needle.len()..].trim_start();
        if let Some(lit) = rest.strip_prefix('"')
            && let Some(end) = lit.find('"')
        {
            out.insert(lit[..end].to_owned());
        }
    }
}

/// Every quoted `A.B[.C]` literal whose first segment is an error category.
fn dotted_codes(text: &str, out: &mut BTreeSet<String>) {
    for lit in text.split('"').skip(1).step_by(2) {
        let segments: Vec<&str> = lit.split('.').collect();
        let shaped = segments.len() >= 2
            && segments.iter().all(|s| {
                s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                    && s.chars().all(|c| c.is_ascii_alphanumeric())
            });
        if shaped && is_category(segments[0]) {
            out.insert(lit.to_owned());
        }
    }
}

fn codes_in_sources() -> BTreeSet<String> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut codes = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        literals_after(&text, "ApiError::new(", &mut codes);
        literals_after(&text, "Self::new(", &mut codes);
        dotted_codes(&text, &mut codes);
    }
    for e in [
        VerifyError::InvalidAuthorization("x"),
        VerifyError::Expired,
        VerifyError::Mismatch,
    ] {
        codes.insert(e.code().to_owned());
    }
    codes
}

#[test]
fn every_code_in_the_sources_has_both_languages() {
    let codes = codes_in_sources();
    assert!(codes.len() > 100, "the scan found only {codes:?}");
    let mut missing = Vec::new();
    for code in &codes {
        match code_text(code) {
            None => missing.push(format!("{code}: not in error::CODES")),
            Some(t) => {
                if !t.zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
                    missing.push(format!("{code}: no Chinese text"));
                }
                if t.en.trim().is_empty() || !t.en.is_ascii() {
                    missing.push(format!("{code}: no English text"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn the_table_lists_each_code_once_and_only_codes_in_use() {
    let codes = codes_in_sources();
    let mut seen = BTreeSet::new();
    for t in CODES {
        assert!(seen.insert(t.code), "{} twice", t.code);
        assert!(
            t.code == STATE_FAMILY || codes.contains(t.code),
            "{} is in the table but never answered",
            t.code
        );
    }
}

#[tokio::test]
async fn x_tc_language_picks_the_message_and_zh_cn_is_the_default() {
    let sim = cvm_sim::start(Config {
        time_scale: 0.0,
        rate_limit: RateLimit::Off,
        ..Default::default()
    })
    .await
    .unwrap();
    let mut c = SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou");
    let message = |v: &cvm_sim::client::Answer| {
        v.response["Error"]["Message"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    };
    // A handler's error, a parameter check and a signature error, in each language.
    let not_found = json!({"InstanceIds": ["ins-00000000"]});
    let cases: [(&str, serde_json::Value, &str); 2] = [
        ("StartInstances", not_found, "InvalidInstanceId.NotFound"),
        ("DescribeZones", json!({"Foo": 1}), "UnknownParameter"),
    ];
    for (action, params, want) in &cases {
        for (lang, chinese) in [(None, true), (Some("zh-CN"), true), (Some("en-US"), false)] {
            c.language = lang.map(str::to_owned);
            let a = c.cvm(action, params.clone()).await.unwrap();
            assert_eq!(a.error_code(), Some(*want));
            let m = message(&a);
            let has_cjk = m.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert_eq!(has_cjk, chinese, "{action} {lang:?}: {m}");
        }
    }
    let mut wrong = SimClient::new(
        sim.addr(),
        Credential::new(cvm_sim::DEFAULT_SECRET_ID, "nope"),
        "ap-guangzhou",
    );
    let a = wrong.cvm("DescribeZones", json!({})).await.unwrap();
    assert_eq!(message(&a), "签名错误。");
    wrong.language = Some("en-US".into());
    let a = wrong.cvm("DescribeZones", json!({})).await.unwrap();
    assert_eq!(message(&a), "The signature does not match the request.");
    // An unsupported language is refused, in the default language.
    c.language = Some("fr-FR".into());
    let a = c.cvm("DescribeZones", json!({})).await.unwrap();
    assert_eq!(a.error_code(), Some("InvalidParameterValue"));
    assert!(message(&a).contains("Language"));
    assert!(message(&a).contains("取值错误"));
    sim.shutdown().await.unwrap();
}

/// One failing request per handler family, each answered with its specific message in
/// both languages: Chinese (and not the code's general text) by default and for zh-CN,
/// English for en-US, naming the same id or parameter.
#[tokio::test]
async fn handler_errors_are_specific_in_both_languages() {
    let sim = cvm_sim::start(Config {
        time_scale: 0.0,
        rate_limit: RateLimit::Off,
        preload: 4,
        ..Default::default()
    })
    .await
    .unwrap();
    let mut c = SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou");
    let cvm = |a: &'static str, p: serde_json::Value, names: &'static str| ("cvm", a, p, names);
    let vpc = |a: &'static str, p: serde_json::Value, names: &'static str| ("vpc", a, p, names);
    let cases = [
        cvm("DescribeImages", json!({"ImageIds": ["img-1"]}), "img-1"),
        cvm(
            "DescribeImages",
            json!({"InstanceType": "S5.NOPE"}),
            "S5.NOPE",
        ),
        cvm(
            "RunInstances",
            json!({"Placement": {"Zone": "ap-shanghai-2"}, "ImageId": "img-487zeit5"}),
            "ap-shanghai-2",
        ),
        cvm(
            "RunInstances",
            json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5", "InstanceChargeType": "MONTHLY"}),
            "MONTHLY",
        ),
        cvm(
            "RunInstances",
            json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5", "InternetAccessible": {"InternetMaxBandwidthOut": 100000}}),
            "InternetMaxBandwidthOut",
        ),
        cvm(
            "DescribeZoneInstanceConfigInfos",
            json!({"Filters": [{"Name": "instance-charge-type", "Values": ["MONTHLY"]}]}),
            "MONTHLY",
        ),
        cvm(
            "DeleteKeyPairs",
            json!({"KeyIds": ["skey-00000000"]}),
            "skey-00000000",
        ),
        cvm(
            "CreateKeyPair",
            json!({"KeyName": "", "ProjectId": 0}),
            "KeyName",
        ),
        cvm(
            "DescribeLaunchTemplateVersions",
            json!({"LaunchTemplateId": "lt-00000000"}),
            "lt-00000000",
        ),
        cvm(
            "DescribeInstances",
            json!({"Filters": [{"Name": "colour", "Values": ["x"]}]}),
            "colour",
        ),
        cvm("DescribeInstances", json!({"Limit": "many"}), "Limit"),
        vpc(
            "DescribeSecurityGroupPolicies",
            json!({"SecurityGroupId": "sg-00000000"}),
            "sg-00000000",
        ),
        vpc(
            "AllocateAddresses",
            json!({"AddressCount": 0}),
            "AddressCount",
        ),
        vpc(
            "ReleaseAddresses",
            json!({"AddressIds": ["eip-00000000"]}),
            "eip-00000000",
        ),
        vpc("DescribeVpcs", json!({"VpcIds": ["vpc-1"]}), "vpc-1"),
    ];
    let cjk = |m: &str| m.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for (service, action, params, names) in cases {
        let mut seen = Vec::new();
        for lang in [None, Some("zh-CN"), Some("en-US")] {
            c.language = lang.map(str::to_owned);
            let a = if service == "cvm" {
                c.cvm(action, params.clone()).await.unwrap()
            } else {
                c.vpc(action, params.clone()).await.unwrap()
            };
            let code = a
                .error_code()
                .unwrap_or_else(|| panic!("{action} {params} succeeded"));
            let m = a.response["Error"]["Message"].as_str().unwrap().to_owned();
            assert_eq!(cjk(&m), lang != Some("en-US"), "{action} {lang:?}: {m}");
            assert!(
                m.contains(names),
                "{action} {lang:?} names no `{names}`: {m}"
            );
            if lang != Some("en-US") {
                let general = code_text(code).map(|t| t.zh).unwrap_or_default();
                assert_ne!(m, general, "{action}: only the code's general text");
            }
            seen.push(m);
        }
        assert_eq!(seen[0], seen[1], "{action}: zh-CN is the default");
        assert_ne!(seen[1], seen[2], "{action}");
    }
    sim.shutdown().await.unwrap();
}
