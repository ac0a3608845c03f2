//! The world on disk. Loading never stops the emulator from starting: a file that cannot
//! be read or parsed is moved aside (never overwritten: it may be the only copy of
//! someone's world) and reported. Saves are crash-safe: a uniquely named temporary file,
//! fsync, rename over the old file, fsync the folder; callers serialise them.

use crate::world::World;
use std::fmt;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Why the state file was not used at start. The emulator runs with a fresh world
/// either way; show this to the user, who may want the moved-aside file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoadNotice {
    /// The file was renamed to `backup`; the fresh world is saved at `path` as usual.
    MovedAside {
        path: PathBuf,
        backup: PathBuf,
        reason: String,
    },
    /// The file could not be renamed either, so it is left as found and this run saves
    /// nothing (saving would replace it).
    LeftInPlace {
        path: PathBuf,
        reason: String,
        move_error: String,
    },
}

impl LoadNotice {
    /// The state file that could not be loaded.
    pub fn path(&self) -> &Path {
        match self {
            LoadNotice::MovedAside { path, .. } | LoadNotice::LeftInPlace { path, .. } => path,
        }
    }
    /// Where the unusable file now is, when it could be moved.
    pub fn backup(&self) -> Option<&Path> {
        match self {
            LoadNotice::MovedAside { backup, .. } => Some(backup),
            LoadNotice::LeftInPlace { .. } => None,
        }
    }
    /// Why it could not be loaded (the read or parse error).
    pub fn reason(&self) -> &str {
        match self {
            LoadNotice::MovedAside { reason, .. } | LoadNotice::LeftInPlace { reason, .. } => {
                reason
            }
        }
    }
}

impl fmt::Display for LoadNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadNotice::MovedAside {
                path,
                backup,
                reason,
            } => write!(
                f,
                "the saved world {} could not be loaded ({reason}); it was moved to {} and a fresh world was started",
                path.display(),
                backup.display()
            ),
            LoadNotice::LeftInPlace {
                path,
                reason,
                move_error,
            } => write!(
                f,
                "the saved world {} could not be loaded ({reason}) nor moved aside ({move_error}); a fresh world was started and will not be saved",
                path.display()
            ),
        }
    }
}

pub(crate) enum Loaded {
    World(Box<World>),
    /// No file yet: a new world, saved at this path from now on.
    Missing,
    Unusable(LoadNotice),
}

pub(crate) fn load(path: &Path) -> Loaded {
    let reason = match std::fs::read(path) {
        Ok(bytes) => match serde_json::from_slice::<World>(&bytes) {
            Ok(mut w) => {
                w.after_load();
                return Loaded::World(Box::new(w));
            }
            Err(e) => format!("not a cvm-sim world: {e}"),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Loaded::Missing,
        Err(e) => format!("cannot read it: {e}"),
    };
    let backup = aside_path(path);
    Loaded::Unusable(match std::fs::rename(path, &backup) {
        Ok(()) => LoadNotice::MovedAside {
            path: path.to_owned(),
            backup,
            reason,
        },
        Err(e) => LoadNotice::LeftInPlace {
            path: path.to_owned(),
            reason,
            move_error: e.to_string(),
        },
    })
}

/// `world.json.corrupt-<unix time>`, with a suffix when that name is taken (an earlier
/// backup is never overwritten).
fn aside_path(path: &Path) -> PathBuf {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let name = path.file_name().unwrap_or_default().to_os_string();
    let with_suffix = |suffix: String| {
        let mut n = name.clone();
        n.push(suffix);
        path.with_file_name(n)
    };
    let mut candidate = with_suffix(format!(".corrupt-{stamp}"));
    let mut n = 1;
    while candidate.symlink_metadata().is_ok() {
        candidate = with_suffix(format!(".corrupt-{stamp}-{n}"));
        n += 1;
    }
    candidate
}

/// Replaces `path` with `bytes` so that a crash at any point leaves either the old or the
/// new file, never a torn one. The temporary name is unique per process and call, so
/// two writers never share (or rename away) each other's temporary file.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "the state file path names no file",
        )
    })?;
    let mut tmp_name = name.to_os_string();
    tmp_name.push(format!(
        ".tmp-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let tmp = path.with_file_name(tmp_name);
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        sync_folder(path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Makes the rename itself durable: without it a power cut can bring back the old name.
fn sync_folder(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        // Windows cannot open a folder as a file; its rename is already journaled.
        let _ = path;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aside_names_never_overwrite_an_earlier_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("world.json");
        let first = aside_path(&path);
        assert!(
            first
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("world.json.corrupt-")
        );
        std::fs::write(&first, b"x").unwrap();
        let second = aside_path(&path);
        assert_ne!(first, second);
        assert_eq!(second.parent(), first.parent());
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where the file should be: the rename fails after the temp is written.
        let path = dir.path().join("world.json");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("inside"), b"keep").unwrap();
        assert!(write_atomically(&path, b"{}").is_err());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("world.json")]);
    }
}
