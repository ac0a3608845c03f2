//! cvm-sim's parameter parsing: a GET query string (`Ids.0=…&Filters.0.Values.1=…`,
//! percent-encoded) or a POST JSON body into `Params`, then every accessor and the
//! `Filters` parser over whatever came out. Nothing may panic; a failure is an `ApiError`
//! with a Tencent code.

#![no_main]

use cvm_sim::catalog::Lang;
use cvm_sim::params::{FilterDialect, Params, filters, percent_decode};
use libfuzzer_sys::fuzz_target;

/// Parameter names the actions read, so accessors meet the keys the fuzzer invents.
const NAMES: &[&str] = &[
    "InstanceIds",
    "Filters",
    "Limit",
    "Offset",
    "Placement",
    "Zone",
    "ImageId",
    "InstanceType",
    "InstanceCount",
    "DryRun",
    "ClientToken",
    "Values",
    "Name",
    "Ids",
    "Price",
];

fn exercise(p: &Params, depth: usize) {
    let _ = p.is_empty();
    let _ = p.only(NAMES);
    for name in NAMES {
        let _ = p.has(name);
        check(p.str(name).map(drop));
        check(p.str_req(name).map(drop));
        check(p.int(name).map(drop));
        check(p.int_or_str(name).map(drop));
        check(p.float(name).map(drop));
        check(p.bool(name).map(drop));
        check(p.str_list(name).map(drop));
        check(p.str_list_req(name).map(drop));
        if depth < 3 {
            if let Ok(Some(o)) = p.obj(name) {
                exercise(&o, depth + 1);
            }
            if let Ok(Some(list)) = p.obj_list(name) {
                for o in list.iter().take(4) {
                    exercise(o, depth + 1);
                }
            }
        }
    }
    for dialect in [FilterDialect::Cvm, FilterDialect::Vpc] {
        check(filters(p, dialect, &["zone", "instance-id", "tag:"], 10, 5).map(drop));
    }
}

/// A failure must name a Tencent code and say something in both languages.
fn check(r: Result<(), cvm_sim::error::ApiError>) {
    if let Err(e) = r {
        let said = |lang| !e.message_in(lang).is_empty();
        assert!(
            !e.code.is_empty() && said(Lang::En) && said(Lang::Zh),
            "{e:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    match mode % 3 {
        0 => match Params::from_query(&text) {
            Ok(p) => exercise(&p, 0),
            Err(e) => assert!(!e.code.is_empty(), "{e:?}"),
        },
        1 => {
            if let Ok(v) = serde_json::from_slice::<serde_json::Value>(rest) {
                match Params::from_json(v) {
                    Ok(p) => exercise(&p, 0),
                    Err(e) => assert!(!e.code.is_empty(), "{e:?}"),
                }
            }
        }
        _ => {
            if let Ok(s) = percent_decode(&text) {
                // Decoding never grows the text.
                assert!(s.len() <= text.len(), "{text:?} -> {s:?}");
            }
        }
    }
});
