//! Local alerts: rules the user sets per profile or per saved fleet view, checked by a
//! background watcher (`engine`) that raises desktop notifications and writes the alert
//! history into the activity log.
//!
//! The rules live in `<config dir>/alerts.json` (written atomically). They hold profile
//! ids, regions and view filters, never a secret. The form sends numbers as typed, so a
//! value that is not a number is refused here naming its field, like one out of range;
//! nothing is written unless the whole rule is valid.

pub mod engine;
#[cfg(test)]
mod tests;

use crate::console::instances::validate_region;
use crate::console::views::SavedView;
pub use crate::console::views::parse_tag_filter;
use crate::error::{AppCode, AppError};
use crate::profiles::invalid;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// CPU thresholds are percentages strictly between these bounds (0 % always fires,
/// 100 % never can).
pub const THRESHOLD_MIN: f64 = 0.0;
pub const THRESHOLD_MAX: f64 = 100.0;
/// "For N minutes" at Cloud Monitor's one-minute period. With the data lag allowed for,
/// ten instances × (120 + lag) points stay under GetMonitorData's 1,440 points a request.
pub const MAX_MINUTES: u32 = 120;
/// Prepaid instances are bought for up to 36 months; warning a year ahead is the most
/// that is useful.
pub const MAX_DAYS: u32 = 365;
/// Rules kept at most (each one costs calls every minute).
pub const MAX_RULES: usize = 50;

/// What a rule watches for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum AlertCondition {
    /// CPUUsage above `threshold` % at every one-minute point of the last `minutes`.
    #[serde(rename_all = "camelCase")]
    CpuAbove { threshold: f64, minutes: u32 },
    /// A RUNNING instance is found in another state (or gone) without an action of this
    /// app on it shortly before.
    LeftRunning,
    /// A prepaid instance's ExpiredTime is less than `days` days away.
    #[serde(rename_all = "camelCase")]
    Expiring { days: u32 },
}

/// The kinds of [`AlertCondition`], as the form sends them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum AlertKind {
    CpuAbove,
    LeftRunning,
    Expiring,
}

/// Which instances a rule watches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum AlertTarget {
    /// Every instance of one profile in `regions` (None: the regions enabled for the
    /// profile in the console's settings, or every region the account sees).
    #[serde(rename_all = "camelCase")]
    Profile {
        profile_id: String,
        regions: Option<Vec<String>>,
    },
    /// The instances a saved fleet view shows (`console::views`), resolved by its id
    /// at every tick: renaming the view keeps the rule, changing what it shows changes
    /// what the rule watches, and while the view is deleted the rule runs on nothing.
    #[serde(rename_all = "camelCase")]
    View { view_id: String },
}

/// What a rule watches, its view resolved.
#[derive(Clone, Debug, PartialEq)]
pub enum Watch {
    Profile {
        profile_id: String,
        regions: Option<Vec<String>>,
    },
    View(SavedView),
}

impl Watch {
    /// The rule's target now; None when its view was deleted.
    pub fn of(target: &AlertTarget, views: &[SavedView]) -> Option<Watch> {
        match target {
            AlertTarget::Profile {
                profile_id,
                regions,
            } => Some(Watch::Profile {
                profile_id: profile_id.clone(),
                regions: regions.clone(),
            }),
            AlertTarget::View { view_id } => views
                .iter()
                .find(|v| &v.id == view_id)
                .map(|v| Watch::View(v.clone())),
        }
    }

    /// The profiles it covers (None: every profile).
    pub fn accounts(&self) -> Option<&[String]> {
        match self {
            Watch::Profile { profile_id, .. } => Some(std::slice::from_ref(profile_id)),
            Watch::View(v) => v.accounts.as_deref(),
        }
    }

    /// Its regions (None: each profile's enabled regions).
    pub fn regions(&self) -> Option<&[String]> {
        match self {
            Watch::Profile { regions, .. } => regions.as_deref(),
            Watch::View(v) => v.regions.as_deref(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AlertRule {
    pub id: String,
    pub enabled: bool,
    pub condition: AlertCondition,
    pub target: AlertTarget,
}

/// A rule as the form has it: numbers as typed (checked here, naming the field), the
/// target possibly missing. `id` set: replace that rule.
#[derive(Clone, Debug, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AlertRuleDraft {
    pub id: Option<String>,
    pub enabled: bool,
    pub kind: AlertKind,
    /// CPU rules: percent.
    #[serde(default)]
    pub threshold: String,
    /// CPU rules: whole minutes.
    #[serde(default)]
    pub minutes: String,
    /// Expiry rules: whole days.
    #[serde(default)]
    pub days: String,
    pub target: Option<AlertTarget>,
}

fn parse_number(field: &str, text: &str) -> Result<f64, AppError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(invalid(field, format!("{field} is required")));
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(invalid(field, format!("{field} is not a number: {t:?}"))),
    }
}

fn parse_whole(field: &str, text: &str, max: u32) -> Result<u32, AppError> {
    let v = parse_number(field, text)?;
    if v.fract() != 0.0 {
        return Err(invalid(field, format!("{field} must be a whole number")));
    }
    if v == 0.0 {
        return Err(invalid(field, format!("{field} cannot be zero")));
    }
    if v < 0.0 || v > f64::from(max) {
        return Err(invalid(field, format!("{field} must be from 1 to {max}")));
    }
    Ok(v as u32)
}

fn check_regions(regions: &Option<Vec<String>>) -> Result<Option<Vec<String>>, AppError> {
    let Some(list) = regions else {
        return Ok(None);
    };
    if list.is_empty() {
        return Err(invalid("regions", "choose at least one region"));
    }
    let mut clean: Vec<String> = Vec::with_capacity(list.len());
    for r in list {
        validate_region(r).map_err(|e| invalid("regions", e.message))?;
        if !clean.contains(r) {
            clean.push(r.clone());
        }
    }
    Ok(Some(clean))
}

/// Checks a draft against the known profile ids and saved views: the first fault, naming
/// its field.
pub fn validate(
    draft: &AlertRuleDraft,
    profiles: &[String],
    views: &[SavedView],
) -> Result<AlertRule, AppError> {
    let condition = match draft.kind {
        AlertKind::CpuAbove => {
            let threshold = parse_number("threshold", &draft.threshold)?;
            if threshold <= THRESHOLD_MIN || threshold >= THRESHOLD_MAX {
                return Err(invalid(
                    "threshold",
                    format!("threshold must be above {THRESHOLD_MIN} and below {THRESHOLD_MAX} %"),
                ));
            }
            let minutes = parse_whole("minutes", &draft.minutes, MAX_MINUTES)?;
            AlertCondition::CpuAbove { threshold, minutes }
        }
        AlertKind::LeftRunning => AlertCondition::LeftRunning,
        AlertKind::Expiring => AlertCondition::Expiring {
            days: parse_whole("days", &draft.days, MAX_DAYS)?,
        },
    };
    let no_target = || invalid("target", "choose a profile or a saved view to watch");
    let target = match &draft.target {
        None => return Err(no_target()),
        Some(AlertTarget::Profile {
            profile_id,
            regions,
        }) => {
            if profile_id.trim().is_empty() {
                return Err(no_target());
            }
            if !profiles.iter().any(|p| p == profile_id) {
                return Err(invalid(
                    "target",
                    format!("no profile with id {profile_id:?}"),
                ));
            }
            AlertTarget::Profile {
                profile_id: profile_id.clone(),
                regions: check_regions(regions)?,
            }
        }
        Some(AlertTarget::View { view_id }) => {
            if view_id.trim().is_empty() {
                return Err(no_target());
            }
            if !views.iter().any(|v| &v.id == view_id) {
                return Err(invalid(
                    "target",
                    format!("no saved view with id {view_id:?} (deleted?)"),
                ));
            }
            AlertTarget::View {
                view_id: view_id.clone(),
            }
        }
    };
    Ok(AlertRule {
        id: draft.id.clone().unwrap_or_default(),
        enabled: draft.enabled,
        condition,
        target,
    })
}

#[derive(Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct RulesFile {
    version: u32,
    rules: Vec<AlertRule>,
}

/// Version 2: view targets name a saved view by id (version 1 kept a copy of the view).
const FILE_VERSION: u32 = 2;

/// A view target as version 1 kept it: a copy of the view's name and filters.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CopiedView {
    name: String,
    accounts: Option<Vec<String>>,
    regions: Option<Vec<String>>,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    state: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum StoredTarget {
    Current(AlertTarget),
    Copied(CopiedView),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredRule {
    id: String,
    enabled: bool,
    condition: AlertCondition,
    target: StoredTarget,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredFile {
    version: u32,
    rules: Vec<StoredRule>,
}

fn not_found(id: &str) -> AppError {
    AppError::not_found(
        AppCode::AlertRuleNotFound,
        format!("no alert rule with id {id:?}"),
    )
    .with_field("id")
}

/// The rules file. Reads are cheap (the watcher reads it every tick); writes are
/// serialised and atomic, and happen only for a valid rule.
pub struct AlertStore {
    path: PathBuf,
    write: Mutex<()>,
}

impl AlertStore {
    pub fn new(config_dir: &Path) -> AlertStore {
        AlertStore {
            path: config_dir.join("alerts.json"),
            write: Mutex::new(()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved rules; none when there is no file. A file that cannot be read as rules
    /// is an error (and is never written over: saving refuses too). A version 1 rule on
    /// a view reads as one on no view until [`AlertStore::migrate_copies`] has run.
    fn read(&self) -> Result<RulesFile, AppError> {
        let stored = self.read_stored()?;
        Ok(RulesFile {
            version: stored.version,
            rules: stored
                .rules
                .into_iter()
                .map(|r| AlertRule {
                    id: r.id,
                    enabled: r.enabled,
                    condition: r.condition,
                    target: match r.target {
                        StoredTarget::Current(t) => t,
                        StoredTarget::Copied(_) => AlertTarget::View {
                            view_id: String::new(),
                        },
                    },
                })
                .collect(),
        })
    }

    fn read_stored(&self) -> Result<StoredFile, AppError> {
        crate::fsutil::read_versioned(
            &self.path,
            "a rules file",
            FILE_VERSION,
            |f: &StoredFile| f.version,
        )
        .map(|f| {
            f.unwrap_or(StoredFile {
                version: FILE_VERSION,
                rules: Vec::new(),
            })
        })
        .map_err(|m| AppError::internal(AppCode::Alerts, m))
    }

    pub fn rules(&self) -> Result<Vec<AlertRule>, AppError> {
        Ok(self.read()?.rules)
    }

    /// Turns version 1's copies of views into references: each rule watches the saved
    /// view of the copy's name (case-insensitive), which is saved from the copy when no
    /// view has that name. A copy that cannot be saved (its profiles are gone) leaves
    /// the rule on no view, which the Alerts page shows. Returns how many rules changed;
    /// nothing is written when none did.
    pub fn migrate_copies(
        &self,
        views: &crate::console::views::ViewStore,
        profiles: &[String],
    ) -> Result<usize, AppError> {
        let _guard = self.write.lock().unwrap_or_else(|p| p.into_inner());
        let stored = self.read_stored()?;
        if !stored
            .rules
            .iter()
            .any(|r| matches!(r.target, StoredTarget::Copied(_)))
        {
            return Ok(0);
        }
        let mut changed = 0;
        let mut rules = Vec::with_capacity(stored.rules.len());
        for r in stored.rules {
            let target = match r.target {
                StoredTarget::Current(t) => t,
                StoredTarget::Copied(c) => {
                    changed += 1;
                    let existing = views
                        .views()?
                        .into_iter()
                        .find(|v| v.name.to_lowercase() == c.name.trim().to_lowercase());
                    let view_id = match existing {
                        Some(v) => v.id,
                        None => {
                            let draft = crate::console::views::ViewDraft {
                                name: c.name,
                                accounts: c.accounts,
                                regions: c.regions,
                                tags: c.tags,
                                text: c.text,
                                state: c.state,
                            };
                            views
                                .save(&draft, profiles)
                                .map(|v| v.id)
                                .unwrap_or_default()
                        }
                    };
                    AlertTarget::View { view_id }
                }
            };
            rules.push(AlertRule {
                id: r.id,
                enabled: r.enabled,
                condition: r.condition,
                target,
            });
        }
        self.write(&RulesFile {
            version: FILE_VERSION,
            rules,
        })?;
        Ok(changed)
    }

    fn write(&self, file: &RulesFile) -> Result<(), AppError> {
        crate::fsutil::write_json(&self.path, file)
            .map_err(|m| AppError::internal(AppCode::Alerts, m))
    }

    /// Validates and saves (adds, or replaces the rule with the draft's id). Nothing is
    /// written when the draft is refused.
    pub fn save(
        &self,
        draft: &AlertRuleDraft,
        profiles: &[String],
        views: &[SavedView],
    ) -> Result<AlertRule, AppError> {
        let mut rule = validate(draft, profiles, views)?;
        let _guard = self.write.lock().unwrap_or_else(|p| p.into_inner());
        let mut file = self.read()?;
        file.version = FILE_VERSION;
        match &draft.id {
            Some(id) => {
                let slot = file
                    .rules
                    .iter_mut()
                    .find(|r| &r.id == id)
                    .ok_or_else(|| not_found(id))?;
                *slot = rule.clone();
            }
            None => {
                if file.rules.len() >= MAX_RULES {
                    return Err(AppError::conflict(
                        AppCode::Alerts,
                        format!("at most {MAX_RULES} alert rules; remove one first"),
                    ));
                }
                rule.id = format!("rule-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
                file.rules.push(rule.clone());
            }
        }
        self.write(&file)?;
        Ok(rule)
    }

    pub fn delete(&self, id: &str) -> Result<(), AppError> {
        let _guard = self.write.lock().unwrap_or_else(|p| p.into_inner());
        let mut file = self.read()?;
        let before = file.rules.len();
        file.rules.retain(|r| r.id != id);
        if file.rules.len() == before {
            return Err(not_found(id));
        }
        self.write(&file)
    }
}
