//! Arguments that check themselves when deserialised: a command that takes a `Region`
//! never sees a malformed one, and the refusal names the argument (Tauri reports which
//! argument failed to decode). On the TypeScript side they are plain strings under
//! their own names.

use serde::{Deserialize, Deserializer, Serialize};

macro_rules! checked_string {
    ($(#[$doc:meta])* $name:ident, $check:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, specta::Type)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Checks `s`; the error says what is wrong, for the argument's refusal.
            pub fn new(s: impl Into<String>) -> Result<Self, String> {
                let s = s.into();
                let check: fn(&str) -> Result<(), String> = $check;
                check(&s)?;
                Ok($name(s))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $name::new(String::deserialize(d)?).map_err(serde::de::Error::custom)
            }
        }
    };
}

checked_string!(
    /// A profile's id: `sandbox`, or `p-` and hex as the app makes them (1–64 of a–z, 0–9
    /// and `-`). Whether such a profile exists is the state's answer.
    ProfileId,
    |s| {
        if !s.is_empty()
            && s.len() <= 64
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            Ok(())
        } else {
            Err(format!("{s:?} is not a profile id"))
        }
    }
);

checked_string!(
    /// A region name like `ap-guangzhou`, checked by format only: which regions exist is
    /// the account's live DescribeRegions answer, so a region opened tomorrow works.
    Region,
    |s| tencent_api::validate_region(s).map_err(|e| e.message())
);

checked_string!(
    /// An instance id, `ins-` and eight lower-case letters or digits.
    InstanceId,
    |s| tencent_api::validate_id("instanceId", "ins", s).map_err(|e| e.message())
);

/// Plain ids, for the core's functions that take `&[String]`.
pub fn id_strings(ids: &[InstanceId]) -> Vec<String> {
    ids.iter().map(|i| i.0.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_checks_itself_when_deserialised() {
        let r: Region = serde_json::from_str("\"me-riyadh\"").unwrap();
        assert_eq!(&*r, "me-riyadh", "a region no catalog knows is well formed");
        for bad in ["\"\"", "\"AP GUANGZHOU\"", "\"../etc\"", "7"] {
            assert!(serde_json::from_str::<Region>(bad).is_err(), "{bad}");
        }
        let p: ProfileId = serde_json::from_str("\"p-0af3\"").unwrap();
        assert_eq!(p.as_str(), "p-0af3");
        let long = format!("\"{}\"", "a".repeat(65));
        for bad in ["\"\"", "\"P-UPPER\"", "\"p 1\"", long.as_str()] {
            assert!(serde_json::from_str::<ProfileId>(bad).is_err(), "{bad}");
        }
        let i: InstanceId = serde_json::from_str("\"ins-ab12cd34\"").unwrap();
        assert_eq!(serde_json::to_string(&i).unwrap(), "\"ins-ab12cd34\"");
        assert!(serde_json::from_str::<InstanceId>("\"i-1; rm -rf /\"").is_err());
        assert_eq!(id_strings(&[i]), vec!["ins-ab12cd34".to_owned()]);
    }
}
