//! Host keys: trust on first use, kept in the app's own known_hosts file (OpenSSH
//! format), also reading the user's `~/.ssh/known_hosts`. A changed key is never
//! accepted; the user removes the old one explicitly (`forget`).

use russh::keys::known_hosts::{known_host_keys_path, learn_known_hosts_path};
use russh::keys::{HashAlg, PublicKey};
use std::path::{Path, PathBuf};

/// What the stored keys say about the key a host offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Known,
    /// Never seen: the user decides, seeing this fingerprint.
    Unknown {
        fingerprint: String,
    },
    /// Another key of the same type is stored for this host: refused.
    Changed {
        stored: String,
        offered: String,
        file: PathBuf,
        line: usize,
    },
}

/// `SHA256:…`, as `ssh-keygen -l` prints it.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

#[derive(Clone, Debug)]
pub struct HostKeys {
    /// The app's own file: the only one written.
    pub app_file: PathBuf,
    /// The user's OpenSSH file, read only.
    pub user_file: Option<PathBuf>,
}

impl HostKeys {
    pub fn new(app_file: PathBuf, user_file: Option<PathBuf>) -> Self {
        HostKeys {
            app_file,
            user_file,
        }
    }

    /// The user's `~/.ssh/known_hosts`, if there is a home folder.
    pub fn user_default() -> Option<PathBuf> {
        std::env::home_dir().map(|h| h.join(".ssh").join("known_hosts"))
    }

    fn files(&self) -> impl Iterator<Item = &Path> {
        std::iter::once(self.app_file.as_path()).chain(self.user_file.as_deref())
    }

    pub fn check(&self, host: &str, port: u16, offered: &PublicKey) -> Verdict {
        let mut known = false;
        for file in self.files() {
            // An unreadable or malformed file knows nothing (OpenSSH skips bad lines too).
            let Ok(entries) = known_host_keys_path(host, port, file) else {
                continue;
            };
            for (line, stored) in entries {
                if stored.algorithm() != offered.algorithm() {
                    continue;
                }
                if stored.key_data() == offered.key_data() {
                    known = true;
                } else {
                    return Verdict::Changed {
                        stored: fingerprint(&stored),
                        offered: fingerprint(offered),
                        file: file.to_owned(),
                        line,
                    };
                }
            }
        }
        if known {
            Verdict::Known
        } else {
            Verdict::Unknown {
                fingerprint: fingerprint(offered),
            }
        }
    }

    /// Records a key the user accepted, in the app's file.
    pub fn trust(&self, host: &str, port: u16, key: &PublicKey) -> std::io::Result<()> {
        if let Some(dir) = self.app_file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        learn_known_hosts_path(host, port, key, &self.app_file).map_err(std::io::Error::other)
    }

    /// Removes every key stored for the host from the app's file; returns how many.
    /// Keys in the user's own file are left alone (the app never writes there).
    pub fn forget(&self, host: &str, port: u16) -> std::io::Result<usize> {
        let text = match std::fs::read_to_string(&self.app_file) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let name = host_pattern(host, port);
        let mut removed = 0;
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| {
                let hit = l
                    .split_whitespace()
                    .next()
                    .is_some_and(|hosts| hosts.split(',').any(|h| h == name));
                removed += usize::from(hit);
                !hit
            })
            .collect();
        if removed > 0 {
            let mut out = kept.join("\n");
            if !out.is_empty() {
                out.push('\n');
            }
            crate::fsutil::write_atomic(&self.app_file, out.as_bytes())?;
        }
        Ok(removed)
    }
}

/// How a host is named in known_hosts (`host` on port 22, `[host]:port` otherwise).
pub fn host_pattern(host: &str, port: u16) -> String {
    if port == 22 {
        host.to_owned()
    } else {
        format!("[{host}]:{port}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use russh::keys::{Algorithm, PrivateKey};

    fn key() -> PublicKey {
        PrivateKey::random(&mut rand_010::rng(), Algorithm::Ed25519)
            .unwrap()
            .public_key()
            .clone()
    }

    #[test]
    fn first_use_then_known_then_changed_until_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let keys = HostKeys::new(dir.path().join("known_hosts"), None);
        let (a, b) = (key(), key());
        assert_eq!(
            keys.check("1.2.3.4", 22, &a),
            Verdict::Unknown {
                fingerprint: fingerprint(&a)
            }
        );
        keys.trust("1.2.3.4", 22, &a).unwrap();
        assert_eq!(keys.check("1.2.3.4", 22, &a), Verdict::Known);
        // Another port is another host.
        assert!(matches!(
            keys.check("1.2.3.4", 2222, &b),
            Verdict::Unknown { .. }
        ));
        match keys.check("1.2.3.4", 22, &b) {
            Verdict::Changed {
                stored, offered, ..
            } => {
                assert_eq!(stored, fingerprint(&a));
                assert_eq!(offered, fingerprint(&b));
            }
            v => panic!("{v:?}"),
        }
        keys.trust("5.6.7.8", 2222, &b).unwrap();
        assert_eq!(keys.forget("1.2.3.4", 22).unwrap(), 1);
        assert!(matches!(
            keys.check("1.2.3.4", 22, &b),
            Verdict::Unknown { .. }
        ));
        assert_eq!(keys.check("5.6.7.8", 2222, &b), Verdict::Known);
    }

    #[test]
    fn the_users_own_file_is_read_and_never_written() {
        let dir = tempfile::tempdir().unwrap();
        let user = dir.path().join("user_known_hosts");
        let a = key();
        std::fs::write(&user, format!("10.0.0.1 {}\n", a.to_openssh().unwrap())).unwrap();
        let keys = HostKeys::new(dir.path().join("app"), Some(user.clone()));
        assert_eq!(keys.check("10.0.0.1", 22, &a), Verdict::Known);
        let b = key();
        assert!(matches!(
            keys.check("10.0.0.1", 22, &b),
            Verdict::Changed { file, .. } if file == user
        ));
        assert_eq!(keys.forget("10.0.0.1", 22).unwrap(), 0);
        assert!(std::fs::read_to_string(&user).unwrap().contains("10.0.0.1"));
    }
}
