//! API credentials and other secret strings.
//!
//! Secrets live in zeroising memory behind an `Arc` (clones share one copy), print as
//! `** redacted **`, and `Credentials` has no `Serialize`: there is no way to write a key
//! to a log, a file or an IPC message by accident.

use std::fmt;
use std::sync::Arc;
use zeroize::Zeroizing;

const REDACTED: &str = "** redacted **";

/// SecretId + SecretKey, plus the STS session token of temporary credentials.
#[derive(Clone)]
pub struct Credentials(Arc<Inner>);

struct Inner {
    secret_id: String,
    secret_key: Zeroizing<String>,
    token: Option<Zeroizing<String>>,
}

impl Credentials {
    /// Long-term credentials. Surrounding whitespace is a typical copy-paste accident that
    /// the gateway reports as `AuthFailure.SecretIdNotFound`; [`crate::ClientBuilder::build`]
    /// rejects it up front.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self(Arc::new(Inner {
            secret_id: secret_id.into(),
            secret_key: Zeroizing::new(secret_key.into()),
            token: None,
        }))
    }

    /// Temporary (STS) credentials: the token travels in `X-TC-Token`.
    pub fn with_token(
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
        token: impl Into<String>,
    ) -> Self {
        Self(Arc::new(Inner {
            secret_id: secret_id.into(),
            secret_key: Zeroizing::new(secret_key.into()),
            token: Some(Zeroizing::new(token.into())),
        }))
    }

    /// The SecretId is an identifier, not a secret, but it is still shown masked in the UI.
    pub fn secret_id(&self) -> &str {
        &self.0.secret_id
    }

    /// `AKID…MPLE`: the first four and last four characters.
    pub fn masked_secret_id(&self) -> String {
        mask(&self.0.secret_id)
    }

    pub fn has_token(&self) -> bool {
        self.0.token.is_some()
    }

    pub(crate) fn secret_key(&self) -> &[u8] {
        self.0.secret_key.as_bytes()
    }

    pub(crate) fn token(&self) -> Option<&str> {
        self.0.token.as_deref().map(String::as_str)
    }

    /// Checks the parts are present and carry no stray whitespace; names the field.
    pub(crate) fn validate(&self) -> Result<(), crate::Error> {
        let check = |field: &str, v: &str| {
            if v.is_empty() {
                Err(crate::Error::invalid(field, "must not be empty"))
            } else if v.trim() != v {
                Err(crate::Error::invalid(
                    field,
                    "has leading or trailing whitespace",
                ))
            } else {
                Ok(())
            }
        };
        check("SecretId", &self.0.secret_id)?;
        check("SecretKey", &self.0.secret_key)?;
        if let Some(t) = &self.0.token {
            check("Token", t)?;
        }
        Ok(())
    }
}

struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

fn mask(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.masked_secret_id())
            .field("secret_key", &Redacted)
            .field("token", &self.0.token.as_ref().map(|_| Redacted))
            .finish()
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({REDACTED})", self.masked_secret_id())
    }
}

/// A secret string inside a request or response model (an instance password, a key pair's
/// private key). Unlike [`Credentials`] it must travel over the wire, so it serialises as
/// a plain string; it still never prints and is zeroised on drop.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Sensitive(Zeroizing<String>);

impl Sensitive {
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The secret itself; call only where it is handed to its one consumer.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Sensitive {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Sensitive {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl serde::Serialize for Sensitive {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Sensitive {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Self::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_redacted_exactly() {
        let c = Credentials::new(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        );
        assert_eq!(
            format!("{c:?}"),
            r#"Credentials { secret_id: "AKID…MPLE", secret_key: ** redacted **, token: None }"#
        );
        assert_eq!(format!("{c}"), "AKID…MPLE (** redacted **)");
        let t = Credentials::with_token("AKIDtemporary0001", "k3y", "T0KEN-value");
        assert_eq!(
            format!("{t:#?}"),
            "Credentials {\n    secret_id: \"AKID…0001\",\n    secret_key: ** redacted **,\n    token: Some(\n        ** redacted **,\n    ),\n}"
        );
        assert!(!format!("{t:?}{t}").contains("k3y"));
        assert!(!format!("{t:?}{t}").contains("T0KEN"));
    }

    #[test]
    fn sensitive_serialises_but_never_prints() {
        let s = Sensitive::new("Pa55w0rd!");
        assert_eq!(format!("{s:?}"), "** redacted **");
        assert_eq!(serde_json::to_string(&s).unwrap(), r#""Pa55w0rd!""#);
        let back: Sensitive = serde_json::from_str(r#""Pa55w0rd!""#).unwrap();
        assert_eq!(back.expose(), "Pa55w0rd!");
    }

    #[test]
    fn validation_names_the_field() {
        let e = Credentials::new(" AKID", "k").validate().unwrap_err();
        assert_eq!(e.field(), Some("SecretId"));
        let e = Credentials::new("AKID", "").validate().unwrap_err();
        assert_eq!(e.field(), Some("SecretKey"));
        assert!(Credentials::new("AKID", "k").validate().is_ok());
    }

    #[test]
    fn short_ids_are_fully_masked() {
        assert_eq!(mask("AKID"), "****");
        assert_eq!(mask("AKIDabcdefgh"), "AKID…efgh");
    }
}
