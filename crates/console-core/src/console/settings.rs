//! Console settings per profile that are not part of the profile itself: the regions the
//! "All regions" view fans out over. Stored in `console-settings.json` in the app's
//! config dir; no entry (or an unreadable file) means every region the account sees.

use crate::console::instances::validate_region;
use crate::error::{AppCode, AppError};
use crate::profiles::invalid;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SettingsFile {
    #[serde(default)]
    enabled_regions: BTreeMap<String, Vec<String>>,
}

pub struct ConsoleSettings {
    path: PathBuf,
}

impl ConsoleSettings {
    pub fn new(config_dir: &Path) -> Self {
        ConsoleSettings {
            path: config_dir.join("console-settings.json"),
        }
    }

    fn read(&self) -> SettingsFile {
        std::fs::read_to_string(&self.path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// The regions enabled for the profile; None: all of them (the default).
    pub fn enabled_regions(&self, profile_id: &str) -> Option<Vec<String>> {
        self.read().enabled_regions.remove(profile_id)
    }

    /// Sets (or with None, resets to "all") the profile's enabled regions. At least one
    /// region, each a known one; duplicates dropped.
    pub fn set_enabled_regions(
        &self,
        profile_id: &str,
        regions: Option<Vec<String>>,
    ) -> Result<(), AppError> {
        let mut file = self.read();
        match regions {
            None => {
                file.enabled_regions.remove(profile_id);
            }
            Some(list) => {
                if list.is_empty() {
                    return Err(invalid("regions", "enable at least one region"));
                }
                let mut clean: Vec<String> = Vec::with_capacity(list.len());
                for r in list {
                    validate_region(&r).map_err(|e| invalid("regions", e.message))?;
                    if !clean.contains(&r) {
                        clean.push(r);
                    }
                }
                file.enabled_regions.insert(profile_id.to_owned(), clean);
            }
        }
        let io = |e: std::io::Error| {
            AppError::internal(
                AppCode::Settings,
                format!("could not save the settings: {e}"),
            )
        };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let json = serde_json::to_vec_pretty(&file)
            .map_err(|e| AppError::internal(AppCode::Settings, e.to_string()))?;
        let tmp = self.path.with_extension("json.tmp");
        std::fs::write(&tmp, json).map_err(io)?;
        std::fs::rename(&tmp, &self.path).map_err(io)
    }
}
