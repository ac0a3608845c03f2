//! The last known instance list per profile and region, so the page can show something
//! at once (marked stale) while the fresh listing streams in. One JSON file per profile
//! and region under the app's cache dir; it holds only [`InstanceView`] data (names,
//! ids, states, addresses), never a credential. An unreadable file counts as no cache.

use crate::console::instances::{InstanceView, validate_region};
use crate::error::{AppCode, AppError};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CachedList {
    /// The profile the list belongs to.
    pub profile_id: String,
    pub region: String,
    /// When the listing completed (milliseconds since the Unix epoch).
    pub saved_at_ms: f64,
    pub instances: Vec<InstanceView>,
}

pub struct ListCache {
    dir: PathBuf,
}

/// A profile id as a file name: kept when plain, hex otherwise (ids are ours, but the
/// file system must never see a separator or `..`).
fn file_part(s: &str) -> String {
    if !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        s.to_owned()
    } else {
        s.bytes().map(|b| format!("{b:02x}")).collect()
    }
}

fn now_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_millis() as f64)
}

impl ListCache {
    /// `dir` is the app's cache dir; the lists live in `dir/instance-lists`.
    pub fn new(dir: &Path) -> Self {
        ListCache {
            dir: dir.join("instance-lists"),
        }
    }

    fn path(&self, profile_id: &str, region: &str) -> PathBuf {
        self.dir
            .join(file_part(profile_id))
            .join(format!("{}.json", file_part(region)))
    }

    /// The cached list, or None when there is none or it cannot be read.
    pub fn load(&self, profile_id: &str, region: &str) -> Option<CachedList> {
        validate_region(region).ok()?;
        let path = self.path(profile_id, region);
        let text = std::fs::read_to_string(&path).ok()?;
        match serde_json::from_str::<CachedList>(&text) {
            Ok(mut c) if c.region == region => {
                c.profile_id = profile_id.to_owned();
                for i in &mut c.instances {
                    i.profile_id = profile_id.to_owned();
                }
                Some(c)
            }
            Ok(_) => None,
            Err(e) => {
                tracing::warn!("ignoring the unreadable list cache {}: {e}", path.display());
                None
            }
        }
    }

    /// The regions with a cached list for the profile (none when it has no folder).
    pub fn regions(&self, profile_id: &str) -> Vec<String> {
        let Ok(dir) = std::fs::read_dir(self.dir.join(file_part(profile_id))) else {
            return Vec::new();
        };
        let mut out: Vec<String> = dir
            .filter_map(|e| {
                let name = e.ok()?.file_name().into_string().ok()?;
                let region = name.strip_suffix(".json")?;
                validate_region(region).ok()?;
                Some(region.to_owned())
            })
            .collect();
        out.sort();
        out
    }

    /// Replaces the cached list (written to a temporary file, then renamed into place so
    /// a crash never leaves half a file).
    pub fn save(
        &self,
        profile_id: &str,
        region: &str,
        instances: Vec<InstanceView>,
    ) -> Result<(), AppError> {
        validate_region(region)?;
        let path = self.path(profile_id, region);
        let io = |e: std::io::Error| {
            AppError::internal(
                AppCode::Cache,
                format!("could not write the list cache: {e}"),
            )
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let list = CachedList {
            profile_id: profile_id.to_owned(),
            region: region.to_owned(),
            saved_at_ms: now_ms(),
            instances,
        };
        let json = serde_json::to_vec(&list)
            .map_err(|e| AppError::internal(AppCode::Cache, e.to_string()))?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, json).map_err(io)?;
        std::fs::rename(&tmp, &path).map_err(io)
    }
}
