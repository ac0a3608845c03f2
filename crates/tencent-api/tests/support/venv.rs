//! Finds the Python venv with the official SDK and tccli (made by `scripts/ensure-venv`).
//! A test that needs it fails loudly when it is missing: a silent pass would hide that
//! the check never ran.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The venv's python, honouring `TENCENT_API_VENV`.
pub fn python() -> PathBuf {
    let venv = std::env::var_os("TENCENT_API_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".venv"));
    let py = venv.join("bin/python");
    assert!(
        py.exists(),
        "this test needs the Python venv with tccli and the Tencent Cloud SDK at {}: \
         run scripts/ensure-venv (or set TENCENT_API_VENV)",
        venv.display()
    );
    py
}

/// tccli's spec for a service, located through the venv's own python.
pub fn api_json(service: &str) -> PathBuf {
    let out = std::process::Command::new(python())
        .args([
            "-c",
            &format!(
                "import os, tccli; print(os.path.join(os.path.dirname(tccli.__file__), \
                 'services', '{service}', 'v20170312', 'api.json'))"
            ),
        ])
        .output()
        .expect("run the venv's python");
    assert!(
        out.status.success(),
        "tccli is not importable in the venv: run scripts/ensure-venv\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
    assert!(path.exists(), "tccli has no spec at {}", path.display());
    path
}
