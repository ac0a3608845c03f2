//! docs/CVM-SIM.md lists every action cvm-sim serves, with its service, and no other.

use std::collections::BTreeSet;

#[test]
fn the_emulated_table_lists_exactly_the_routed_actions() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/CVM-SIM.md"
    ))
    .unwrap();
    let section = doc
        .split("## What is emulated")
        .nth(1)
        .expect("a `What is emulated` section");
    let listed: BTreeSet<(String, String)> = section
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            // `| `Action` | service | notes |` → ["", "`Action`", "service", "notes", ""]
            let action = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((cells.get(2)?.to_string(), action.to_owned()))
        })
        .collect();
    let routed: BTreeSet<(String, String)> = cvm_sim::ACTIONS
        .iter()
        .map(|a| (a.service.to_owned(), a.name.to_owned()))
        .collect();
    let missing: Vec<_> = routed.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&routed).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "docs/CVM-SIM.md is out of date: add {missing:?}, remove {extra:?}"
    );
}
