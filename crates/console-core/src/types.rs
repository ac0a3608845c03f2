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

/// A region named by a plain string, checked by format only (which regions exist is the
/// account's live DescribeRegions answer, so a region opened tomorrow works); the refusal
/// names the field `region`.
pub fn validate_region(region: &str) -> Result<(), crate::error::AppError> {
    if region.is_empty() {
        return Err(crate::error::AppError::invalid(
            "region",
            "a region is required",
        ));
    }
    tencent_api::validate_region(region)
        .map_err(|e| crate::error::AppError::invalid("region", e.message()))
}

/// Where a command acts: one profile in one region. Both parts check themselves, so a
/// malformed scope is refused before the command runs, naming `scope` and the part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct Scope {
    pub profile: ProfileId,
    pub region: Region,
}

impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            profile: String,
            region: String,
        }
        let raw = Raw::deserialize(d)?;
        let part = |name: &str, e: String| serde::de::Error::custom(format!("{name}: {e}"));
        Ok(Scope {
            profile: ProfileId::new(raw.profile).map_err(|e| part("profile", e))?,
            region: Region::new(raw.region).map_err(|e| part("region", e))?,
        })
    }
}

/// Enums whose variants keep Tencent's wire spelling (serde and TypeScript alike); an
/// unknown value is refused when deserialised, naming the argument.
macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
        pub enum $name {
            $(#[serde(rename = $wire)] $variant),+
        }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant),+];

            /// The wire spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire),+
                }
            }

            /// The value spelled `s` on the wire, if any.
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum!(
    /// An instance's billing model (InstanceChargeType): monthly, hourly, spot, or on a
    /// dedicated host (CDH) or cluster (CDC).
    ChargeType {
        Prepaid = "PREPAID",
        PostpaidByHour = "POSTPAID_BY_HOUR",
        Spotpaid = "SPOTPAID",
        Cdhpaid = "CDHPAID",
        Cdcpaid = "CDCPAID",
    }
);

wire_enum!(
    /// What happens when a prepaid instance nears its expiry (RenewFlag).
    RenewFlag {
        NotifyAndAutoRenew = "NOTIFY_AND_AUTO_RENEW",
        NotifyAndManualRenew = "NOTIFY_AND_MANUAL_RENEW",
        DisableNotifyAndManualRenew = "DISABLE_NOTIFY_AND_MANUAL_RENEW",
    }
);

wire_enum!(
    /// How an instance stops (StopType): shut down, power off, or shut down and power off
    /// when that fails.
    StopType {
        Soft = "SOFT",
        Hard = "HARD",
        SoftFirst = "SOFT_FIRST",
    }
);

wire_enum!(
    /// Whether a stopped pay-as-you-go instance keeps billing (StoppedMode).
    StoppedMode {
        KeepCharging = "KEEP_CHARGING",
        StopCharging = "STOP_CHARGING",
    }
);

/// A tag to set: key and value as the tag service takes them.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TagInput {
    pub key: String,
    pub value: String,
}

wire_enum!(
    /// The language the API answers in (X-TC-Language), also the desktop notifications'.
    Language {
        ZhCn = "zh-CN",
        EnUs = "en-US",
    }
);

impl From<Language> for tencent_api::Language {
    fn from(l: Language) -> Self {
        match l {
            Language::ZhCn => tencent_api::Language::ZhCn,
            Language::EnUs => tencent_api::Language::EnUs,
        }
    }
}

/// Plain ids, for the core's functions that take `&[String]`.
pub fn id_strings(ids: &[InstanceId]) -> Vec<String> {
    ids.iter().map(|i| i.0.clone()).collect()
}

/// What checking a profile's credentials found (accounts and roles both report it).
#[derive(Clone, Debug, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct VerifyReport {
    pub masked_secret_id: String,
    /// Seconds the local clock is behind (+) or ahead (−) of Tencent's, when it mattered.
    pub clock_offset_seconds: i32,
    pub regions_visible: u32,
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

    #[test]
    fn a_scope_checks_both_parts_and_nothing_else() {
        let s: Scope =
            serde_json::from_str(r#"{"profile":"sandbox","region":"ap-guangzhou"}"#).unwrap();
        assert_eq!(
            (s.profile.as_str(), s.region.as_str()),
            ("sandbox", "ap-guangzhou")
        );
        for bad in [
            r#"{"profile":"sandbox","region":"AP GUANGZHOU"}"#,
            r#"{"profile":"P 1","region":"ap-guangzhou"}"#,
            r#"{"profile":"sandbox"}"#,
            r#"{"profileId":"sandbox","region":"ap-guangzhou"}"#,
            r#""sandbox/ap-guangzhou""#,
        ] {
            assert!(serde_json::from_str::<Scope>(bad).is_err(), "{bad}");
        }
        let e = serde_json::from_str::<Scope>(r#"{"profile":"sandbox","region":""}"#);
        assert!(e.unwrap_err().to_string().starts_with("region: "));
        let e = serde_json::from_str::<Scope>(r#"{"profile":"","region":"ap-guangzhou"}"#);
        assert!(e.unwrap_err().to_string().starts_with("profile: "));
    }

    #[test]
    fn wire_enums_keep_tencents_spelling_and_refuse_the_rest() {
        for c in ChargeType::ALL {
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
            assert_eq!(serde_json::from_str::<ChargeType>(&json).unwrap(), *c);
        }
        assert_eq!(
            serde_json::from_str::<RenewFlag>("\"NOTIFY_AND_AUTO_RENEW\"").unwrap(),
            RenewFlag::NotifyAndAutoRenew
        );
        assert_eq!(serde_json::to_string(&Language::ZhCn).unwrap(), "\"zh-CN\"");
        assert_eq!(Language::parse("en-US"), Some(Language::EnUs));
        for bad in ["\"prepaid\"", "\"\"", "\"MONTHLY\"", "1"] {
            assert!(serde_json::from_str::<ChargeType>(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<RenewFlag>("\"AUTO\"").is_err());
        assert!(serde_json::from_str::<Language>("\"fr-FR\"").is_err());
    }
}
