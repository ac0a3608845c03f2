//! Every error code the emulator can answer has a zh-CN and an en-US text, and the
//! answer's language follows `X-TC-Language` (zh-CN when it is absent).
//!
//! The codes are read from the sources: every string literal passed as the code of
//! `ApiError::new` / `Self::new`, and every string literal shaped like a Tencent error
//! code (`Category.Detail`, with one of Tencent's category prefixes), plus the signature
//! errors, whose codes live in `tencent_api::sign::VerifyError`.

use cvm_sim::catalog::Lang;
use cvm_sim::client::SimClient;
use cvm_sim::error::{ApiError, CODES, STATE_FAMILY, code_text, type_zh};
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

/// The last string literal of every `invalid_type(...)` call: the expected type's name.
fn expected_types_in_sources() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            for (i, _) in text.match_indices("invalid_type(") {
                let rest = &text[i + "invalid_type(".len()..];
                // The call's own text: up to the parenthesis that closes it.
                let mut depth = 1;
                let end = rest
                    .char_indices()
                    .find(|&(_, c)| {
                        depth += match c {
                            '(' => 1,
                            ')' => -1,
                            _ => 0,
                        };
                        depth == 0
                    })
                    .map_or(rest.len(), |(j, _)| j);
                if let Some(lit) = rest[..end].split('"').rev().nth(1)
                    && rest[..end].matches('"').count() >= 2
                {
                    out.insert(lit.to_owned());
                }
            }
        }
    }
    out
}

#[test]
fn every_expected_type_has_a_chinese_name() {
    let types = expected_types_in_sources();
    assert!(types.len() >= 8, "{types:?}");
    let missing: Vec<_> = types.iter().filter(|t| type_zh(t).is_none()).collect();
    assert!(missing.is_empty(), "no Chinese name for {missing:?}");
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

#[test]
fn every_code_answers_in_both_languages() {
    for t in CODES {
        let e = ApiError::new(t.code, "specific English text");
        assert_eq!(e.message_in(Lang::En), "specific English text");
        assert_eq!(e.message_in(Lang::Zh), t.zh);
    }
    let e = ApiError::state("Running", "ins-1");
    assert!(e.message_in(Lang::Zh).contains("实例`ins-1`"));
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
    assert_eq!(message(&a), "the signature does not match the request");
    // An unsupported language is refused, in the default language.
    c.language = Some("fr-FR".into());
    let a = c.cvm("DescribeZones", json!({})).await.unwrap();
    assert_eq!(a.error_code(), Some("InvalidParameterValue"));
    assert!(message(&a).contains("Language"));
    assert!(message(&a).contains("取值错误"));
    sim.shutdown().await.unwrap();
}
