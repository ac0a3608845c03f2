//! Saved fleet views: named filters (profiles, regions, a tag filter, text, a state) the
//! fleet page opens and alert rules watch by id, so renaming a view keeps its rules and
//! deleting one is seen by them.
//!
//! They live in `<config dir>/views.json` (written atomically), beside the alert rules.
//! Every field is checked here, naming it; nothing is written unless the whole view is
//! valid. Views made before the backend kept them (in the web view's local storage) are
//! imported once.

use crate::error::{AppCode, AppError};
use crate::profiles::invalid;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Characters in a view's name.
pub const NAME_MAX: usize = 64;
/// Characters in the text filter (an id, a name or an IP part).
pub const TEXT_MAX: usize = 256;
/// Views kept at most.
pub const MAX_VIEWS: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SavedView {
    pub id: String,
    pub name: String,
    /// Profile ids (None: every profile).
    pub accounts: Option<Vec<String>>,
    /// Regions (None: each profile's enabled regions).
    pub regions: Option<Vec<String>>,
    /// `key` or `key=value`, comma-separated; all must hold.
    pub tags: String,
    /// A case-insensitive part of the id, name or an IP.
    pub text: String,
    /// An instance state, "" for any.
    pub state: String,
}

/// A view as the fleet page has it (no id yet).
#[derive(Clone, Debug, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ViewDraft {
    pub name: String,
    pub accounts: Option<Vec<String>>,
    pub regions: Option<Vec<String>>,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub state: String,
}

/// One condition of a view's tag filter: the key, and the value when one is given.
pub fn parse_tag_filter(text: &str) -> Result<Vec<(String, Option<String>)>, String> {
    let mut out = Vec::new();
    for part in text.split(',') {
        let p = part.trim();
        if p.is_empty() {
            continue;
        }
        let (key, value) = match p.split_once('=') {
            Some((k, v)) => (k.trim(), Some(v.trim().to_owned())),
            None => (p, None),
        };
        if key.is_empty() {
            return Err(format!("a tag condition has no key: {p:?}"));
        }
        out.push((key.to_owned(), value));
    }
    Ok(out)
}

fn not_found(id: &str) -> AppError {
    AppError::not_found(
        AppCode::ViewNotFound,
        format!("no saved view with id {id:?}"),
    )
    .with_field("id")
}

/// The name trimmed, or why it cannot name a view among `others`.
fn check_name(name: &str, others: &[SavedView]) -> Result<String, AppError> {
    let n = name.trim();
    if n.is_empty() {
        return Err(invalid("name", "give the view a name"));
    }
    if n.chars().count() > NAME_MAX {
        return Err(invalid(
            "name",
            format!("a view's name has at most {NAME_MAX} characters"),
        ));
    }
    if n.chars().any(char::is_control) {
        return Err(invalid(
            "name",
            "a view's name cannot hold control characters",
        ));
    }
    if let Some(o) = others
        .iter()
        .find(|v| v.name.to_lowercase() == n.to_lowercase())
    {
        return Err(invalid(
            "name",
            format!("a view named {:?} already exists", o.name),
        ));
    }
    Ok(n.to_owned())
}

/// Checks a draft against the known profile ids and the other views: the first fault,
/// naming its field.
pub fn validate(
    draft: &ViewDraft,
    profiles: &[String],
    others: &[SavedView],
) -> Result<SavedView, AppError> {
    let name = check_name(&draft.name, others)?;
    if let Some(a) = &draft.accounts {
        if a.is_empty() {
            return Err(invalid("accounts", "choose at least one profile"));
        }
        if let Some(unknown) = a.iter().find(|id| !profiles.contains(id)) {
            return Err(invalid(
                "accounts",
                format!("no profile with id {unknown:?}"),
            ));
        }
    }
    let regions = match &draft.regions {
        None => None,
        Some(list) if list.is_empty() => {
            return Err(invalid("regions", "choose at least one region"));
        }
        Some(list) => {
            let mut clean: Vec<String> = Vec::with_capacity(list.len());
            for r in list {
                tencent_api::validate_region(r).map_err(|e| invalid("regions", e.message()))?;
                if !clean.contains(r) {
                    clean.push(r.clone());
                }
            }
            Some(clean)
        }
    };
    let tags = draft.tags.trim();
    for (key, value) in parse_tag_filter(tags).map_err(|m| invalid("tags", m))? {
        tencent_api::models::tag::validate_tag(&key, value.as_deref())
            .map_err(|e| invalid("tags", e.to_string()))?;
    }
    let text = draft.text.trim();
    if text.chars().count() > TEXT_MAX {
        return Err(invalid(
            "text",
            format!("the text filter has at most {TEXT_MAX} characters"),
        ));
    }
    let state = draft.state.trim();
    if state.len() > 32 || !state.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
        return Err(invalid(
            "state",
            format!("{state:?} is not an instance state"),
        ));
    }
    let mut accounts = draft.accounts.clone();
    if let Some(a) = &mut accounts {
        a.dedup();
    }
    Ok(SavedView {
        id: String::new(),
        name,
        accounts,
        regions,
        tags: tags.to_owned(),
        text: text.to_owned(),
        state: state.to_owned(),
    })
}

#[derive(Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ViewsFile {
    version: u32,
    views: Vec<SavedView>,
    /// The web view's own list was imported (it is never imported twice).
    #[serde(default)]
    imported_local: bool,
}

const FILE_VERSION: u32 = 1;

/// What an import did: the views now kept, and the names of those it skipped (the name
/// already taken, or a field refused) with why.
#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ViewImport {
    pub views: Vec<SavedView>,
    pub skipped: Vec<ViewSkipped>,
}

#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ViewSkipped {
    pub name: String,
    pub reason: String,
}

/// The views file. Reads are cheap (the alert watcher resolves its rules' views every
/// tick); writes are serialised and atomic.
pub struct ViewStore {
    path: PathBuf,
    write: Mutex<()>,
}

impl ViewStore {
    pub fn new(config_dir: &Path) -> ViewStore {
        ViewStore {
            path: config_dir.join("views.json"),
            write: Mutex::new(()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file; empty when there is none. One that cannot be read is an error and is
    /// never written over.
    fn read(&self) -> Result<ViewsFile, AppError> {
        crate::fsutil::read_versioned(&self.path, "a views file", FILE_VERSION, |f: &ViewsFile| {
            f.version
        })
        .map(|f| {
            f.unwrap_or(ViewsFile {
                version: FILE_VERSION,
                ..Default::default()
            })
        })
        .map_err(|m| AppError::internal(AppCode::Views, m))
    }

    fn write(&self, file: &ViewsFile) -> Result<(), AppError> {
        crate::fsutil::write_json(&self.path, file)
            .map_err(|m| AppError::internal(AppCode::Views, m))
    }

    /// The saved views, in the order they were saved.
    pub fn views(&self) -> Result<Vec<SavedView>, AppError> {
        Ok(self.read()?.views)
    }

    /// The view with this id, if it still exists.
    pub fn get(&self, id: &str) -> Result<Option<SavedView>, AppError> {
        Ok(self.read()?.views.into_iter().find(|v| v.id == id))
    }

    fn add(file: &mut ViewsFile, mut view: SavedView) -> Result<SavedView, AppError> {
        if file.views.len() >= MAX_VIEWS {
            return Err(AppError::conflict(
                AppCode::Views,
                format!("at most {MAX_VIEWS} saved views; delete one first"),
            ));
        }
        view.id = format!("view-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
        file.views.push(view.clone());
        Ok(view)
    }

    /// Validates and adds a view. Nothing is written when it is refused.
    pub fn save(&self, draft: &ViewDraft, profiles: &[String]) -> Result<SavedView, AppError> {
        let _guard = self.write.lock().unwrap_or_else(|p| p.into_inner());
        let mut file = self.read()?;
        let view = validate(draft, profiles, &file.views)?;
        let view = Self::add(&mut file, view)?;
        file.version = FILE_VERSION;
        self.write(&file)?;
        Ok(view)
    }

    /// Renames a view; its id (and so the alert rules watching it) stays.
    pub fn rename(&self, id: &str, name: &str) -> Result<SavedView, AppError> {
        let _guard = self.write.lock().unwrap_or_else(|p| p.into_inner());
        let mut file = self.read()?;
        let at = file
            .views
            .iter()
            .position(|v| v.id == id)
            .ok_or_else(|| not_found(id))?;
        let others: Vec<SavedView> = file.views.iter().filter(|v| v.id != id).cloned().collect();
        let name = check_name(name, &others)?;
        file.views[at].name = name;
        let view = file.views[at].clone();
        self.write(&file)?;
        Ok(view)
    }

    pub fn delete(&self, id: &str) -> Result<(), AppError> {
        let _guard = self.write.lock().unwrap_or_else(|p| p.into_inner());
        let mut file = self.read()?;
        let before = file.views.len();
        file.views.retain(|v| v.id != id);
        if file.views.len() == before {
            return Err(not_found(id));
        }
        self.write(&file)
    }

    /// Imports the web view's own list once: each valid view whose name is free is
    /// added; the others are reported. A second call imports nothing.
    pub fn import_local(
        &self,
        drafts: &[ViewDraft],
        profiles: &[String],
    ) -> Result<ViewImport, AppError> {
        let _guard = self.write.lock().unwrap_or_else(|p| p.into_inner());
        let mut file = self.read()?;
        let mut skipped = Vec::new();
        if file.imported_local {
            return Ok(ViewImport {
                views: file.views,
                skipped,
            });
        }
        for d in drafts {
            // A profile removed since is dropped from the view (one naming none of the
            // profiles left is refused, not widened to every profile).
            let mut d = d.clone();
            if let Some(a) = &mut d.accounts {
                a.retain(|id| profiles.contains(id));
            }
            match validate(&d, profiles, &file.views).and_then(|v| Self::add(&mut file, v)) {
                Ok(_) => {}
                Err(e) => skipped.push(ViewSkipped {
                    name: d.name.clone(),
                    reason: e.message,
                }),
            }
        }
        file.version = FILE_VERSION;
        file.imported_local = true;
        self.write(&file)?;
        Ok(ViewImport {
            views: file.views,
            skipped,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str) -> ViewDraft {
        ViewDraft {
            name: name.into(),
            accounts: None,
            regions: None,
            tags: String::new(),
            text: String::new(),
            state: String::new(),
        }
    }

    fn known() -> Vec<String> {
        vec!["sandbox".into(), "p-a".into()]
    }

    #[test]
    fn every_bad_field_is_named_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let store = ViewStore::new(dir.path());
        let cases: Vec<(ViewDraft, &str)> = vec![
            (draft(""), "name"),
            (draft("   "), "name"),
            (draft(&"x".repeat(NAME_MAX + 1)), "name"),
            (draft("tab\there"), "name"),
            (
                ViewDraft {
                    accounts: Some(vec![]),
                    ..draft("web")
                },
                "accounts",
            ),
            (
                ViewDraft {
                    accounts: Some(vec!["p-nobody".into()]),
                    ..draft("web")
                },
                "accounts",
            ),
            (
                ViewDraft {
                    regions: Some(vec![]),
                    ..draft("web")
                },
                "regions",
            ),
            (
                ViewDraft {
                    regions: Some(vec!["Mars 1".into()]),
                    ..draft("web")
                },
                "regions",
            ),
            (
                ViewDraft {
                    tags: "=web".into(),
                    ..draft("web")
                },
                "tags",
            ),
            (
                ViewDraft {
                    tags: "qcs:team".into(),
                    ..draft("web")
                },
                "tags",
            ),
            (
                ViewDraft {
                    tags: format!("{}=x", "k".repeat(128)),
                    ..draft("web")
                },
                "tags",
            ),
            (
                ViewDraft {
                    text: "x".repeat(TEXT_MAX + 1),
                    ..draft("web")
                },
                "text",
            ),
            (
                ViewDraft {
                    state: "running; rm".into(),
                    ..draft("web")
                },
                "state",
            ),
        ];
        for (d, field) in &cases {
            let e = store.save(d, &known()).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(*field), "{d:?}: {}", e.message);
            assert_eq!(e.code, AppCode::InvalidInput.as_str());
            assert!(!store.path().exists(), "{d:?} wrote the file");
        }
    }

    #[test]
    fn views_are_saved_renamed_and_deleted_by_id() {
        let dir = tempfile::tempdir().unwrap();
        let store = ViewStore::new(dir.path());
        assert_eq!(store.views().unwrap(), vec![]);
        let web = store
            .save(
                &ViewDraft {
                    accounts: Some(vec!["p-a".into()]),
                    regions: Some(vec!["ap-guangzhou".into(), "ap-guangzhou".into()]),
                    tags: " team=web, env ".into(),
                    text: " web- ".into(),
                    state: "RUNNING".into(),
                    ..draft(" Web ")
                },
                &known(),
            )
            .unwrap();
        assert!(web.id.starts_with("view-"));
        assert_eq!(web.name, "Web");
        assert_eq!(web.regions, Some(vec!["ap-guangzhou".to_owned()]));
        assert_eq!(
            (web.tags.as_str(), web.text.as_str()),
            ("team=web, env", "web-")
        );
        let db = store.save(&draft("db"), &known()).unwrap();
        assert_ne!(web.id, db.id);
        // Names are unique whatever their case, on save and on rename.
        let e = store.save(&draft("WEB"), &known()).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("name"));
        let before = std::fs::read(store.path()).unwrap();
        for bad in ["", " ", "web"] {
            let e = store.rename(&db.id, bad).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("name"), "{bad:?}");
        }
        assert_eq!(
            std::fs::read(store.path()).unwrap(),
            before,
            "nothing written"
        );
        // Renaming keeps the id and the filters; a view may take its own name's case.
        let renamed = store.rename(&web.id, "web servers").unwrap();
        assert_eq!(
            (renamed.id.as_str(), renamed.tags.as_str()),
            (web.id.as_str(), "team=web, env")
        );
        assert_eq!(store.rename(&db.id, "DB").unwrap().name, "DB");
        assert_eq!(store.get(&web.id).unwrap().unwrap().name, "web servers");
        // Unknown ids are refused naming the field.
        for e in [
            store.rename("view-ghost", "x").unwrap_err(),
            store.delete("view-ghost").unwrap_err(),
        ] {
            assert_eq!(
                (e.code.as_str(), e.field.as_deref()),
                (AppCode::ViewNotFound.as_str(), Some("id"))
            );
        }
        store.delete(&web.id).unwrap();
        assert_eq!(store.get(&web.id).unwrap(), None);
        assert_eq!(store.views().unwrap().len(), 1);
        // A fresh store reads the same file.
        assert_eq!(
            ViewStore::new(dir.path()).views().unwrap(),
            store.views().unwrap()
        );
    }

    #[test]
    fn the_web_views_list_is_imported_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = ViewStore::new(dir.path());
        store.save(&draft("Staging"), &known()).unwrap();
        let local = vec![
            ViewDraft {
                accounts: Some(vec!["p-a".into(), "p-removed".into()]),
                ..draft("Web")
            },
            draft("staging"),
            draft(""),
            ViewDraft {
                accounts: Some(vec!["p-removed".into()]),
                ..draft("Gone")
            },
        ];
        let r = store.import_local(&local, &known()).unwrap();
        let names: Vec<&str> = r.views.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, vec!["Staging", "Web"]);
        assert_eq!(r.views[1].accounts, Some(vec!["p-a".to_owned()]));
        let skipped: Vec<&str> = r.skipped.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(skipped, vec!["staging", "", "Gone"]);
        // The second time (another window, a restart before the web view forgot its
        // list) imports nothing.
        let again = store.import_local(&[draft("Other")], &known()).unwrap();
        assert_eq!(again.views, r.views);
        assert!(again.skipped.is_empty());
    }

    #[test]
    fn an_unreadable_views_file_is_reported_and_never_written_over() {
        let dir = tempfile::tempdir().unwrap();
        let store = ViewStore::new(dir.path());
        std::fs::write(store.path(), b"[not json").unwrap();
        assert_eq!(store.views().unwrap_err().code, AppCode::Views.as_str());
        assert_eq!(
            store.save(&draft("x"), &known()).unwrap_err().code,
            AppCode::Views.as_str()
        );
        assert!(store.import_local(&[draft("x")], &known()).is_err());
        assert_eq!(std::fs::read(store.path()).unwrap(), b"[not json");
    }
}
