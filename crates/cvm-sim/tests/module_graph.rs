//! The crate's top-level modules depend on each other one way only. Services (`cvm`,
//! `vpc`, and later ones) use the handler toolkit and the world; the router uses the
//! services; the toolkit knows no service; the world knows neither the router, the
//! toolkit nor any service. Dependencies are read from `crate::…` paths in the source
//! (in `use` lines and inline), so a new circle fails here, in CI, not in review.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const SERVICES: &[&str] = &["cvm", "vpc", "tag"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Top-level module → the top-level modules it names through `crate::`.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut modules: BTreeSet<String> = BTreeSet::new();
    let mut owner = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_owned();
        // The crate root, the binaries: not modules of the library.
        if ["lib", "main", "bin"].contains(&module.as_str()) {
            continue;
        }
        modules.insert(module.clone());
        owner.push((module, std::fs::read_to_string(f).unwrap()));
    }
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in owner {
        let deps = g.entry(module.clone()).or_default();
        for name in crate_paths(&text) {
            if name != module && modules.contains(&name) {
                deps.insert(name);
            }
        }
    }
    g
}

/// The first segment after every `crate::`, including each item of `crate::{a, b::c}`.
fn crate_paths(text: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            out.extend(group.split(',').map(|s| ident(s.trim())));
        } else {
            out.push(ident(rest));
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

fn cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            let mut c = path[i..].to_vec();
            c.push(n.to_owned());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_owned());
        for d in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(d, g, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    g.keys()
        .find_map(|n| visit(n, g, &mut Vec::new(), &mut done))
}

#[test]
fn top_level_modules_form_no_circle() {
    let g = graph();
    if let Some(c) = cycle(&g) {
        panic!("import circle: {}\n{g:#?}", c.join(" → "));
    }
}

#[test]
fn arrows_point_from_router_to_services_to_toolkit_and_world() {
    let g = graph();
    let deps = |m: &str| g.get(m).cloned().unwrap_or_default();
    for s in SERVICES {
        assert!(deps("router").contains(*s), "the router dispatches to {s}");
        let d = deps(s);
        assert!(d.contains("toolkit") && d.contains("world"), "{s}: {d:?}");
        assert!(!d.contains("router"), "{s} imports the router");
        for other in SERVICES.iter().filter(|o| *o != s) {
            assert!(!d.contains(*other), "{s} imports the {other} service");
        }
    }
    for m in ["router", "server"].iter().chain(SERVICES) {
        assert!(!deps("toolkit").contains(*m), "the toolkit imports {m}");
    }
    for m in ["router", "toolkit", "server"].iter().chain(SERVICES) {
        assert!(!deps("world").contains(*m), "the world imports {m}");
    }
}

#[test]
fn the_reader_sees_grouped_and_inline_paths() {
    let found = crate_paths("use crate::{a, b::c};\nlet x = crate::d::e(); use crate::f::{g, h};");
    assert_eq!(found, ["a", "b", "d", "f"]);
}
