//! Which private key file the user picked for a key pair: only the path is remembered
//! (`<config dir>/ssh-key-paths.json`), never the key or its passphrase.

use crate::error::{AppCode, AppError};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct KeyPaths {
    file: PathBuf,
    paths: BTreeMap<String, PathBuf>,
}

impl KeyPaths {
    /// Reads the file (a missing one is empty). A file that is not ours is reported and
    /// left as it is.
    pub fn load(file: &Path) -> Result<KeyPaths, AppError> {
        let paths = match std::fs::read(file) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                AppError::internal(
                    AppCode::Settings,
                    format!("{} is not a key path list: {e}.", file.display()),
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => {
                return Err(AppError::internal(
                    AppCode::Io,
                    format!("Cannot read {}: {e}.", file.display()),
                ));
            }
        };
        Ok(KeyPaths {
            file: file.to_owned(),
            paths,
        })
    }

    pub fn get(&self, key_id: &str) -> Option<&Path> {
        self.paths.get(key_id).map(PathBuf::as_path)
    }

    /// Remembers (or, with `None`, forgets) the key file of a key pair, on disk at once.
    pub fn set(&mut self, key_id: &str, path: Option<&Path>) -> Result<(), AppError> {
        match path {
            Some(p) => self.paths.insert(key_id.to_owned(), p.to_owned()),
            None => self.paths.remove(key_id),
        };
        let bytes = serde_json::to_vec_pretty(&self.paths)
            .map_err(|e| AppError::internal(AppCode::Encode, e.to_string()))?;
        if let Some(dir) = self.file.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        crate::fsutil::write_atomic(&self.file, &bytes).map_err(|e| {
            AppError::internal(
                AppCode::Io,
                format!("Cannot write {}: {e}.", self.file.display()),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_remembered_per_key_pair_and_only_paths() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ssh-key-paths.json");
        let mut k = KeyPaths::load(&file).unwrap();
        assert_eq!(k.get("skey-abc12345"), None);
        k.set("skey-abc12345", Some(Path::new("/home/me/.ssh/deploy.pem")))
            .unwrap();
        k.set("skey-def67890", Some(Path::new("/home/me/ops")))
            .unwrap();
        k.set("skey-def67890", None).unwrap();
        let again = KeyPaths::load(&file).unwrap();
        assert_eq!(
            again.get("skey-abc12345"),
            Some(Path::new("/home/me/.ssh/deploy.pem"))
        );
        assert_eq!(again.get("skey-def67890"), None);
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            serde_json::json!({"skey-abc12345": "/home/me/.ssh/deploy.pem"})
        );
    }

    #[test]
    fn a_file_that_is_not_ours_is_reported_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ssh-key-paths.json");
        std::fs::write(&file, "[1, 2").unwrap();
        let e = KeyPaths::load(&file).unwrap_err();
        assert!(e.message.contains("ssh-key-paths.json"));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "[1, 2");
    }
}
