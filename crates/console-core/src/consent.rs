//! The user's yes, checked again in Rust.
//!
//! Every destructive or billable command carries what the app's own confirmation dialog
//! produced: the resources it named (and, for terminate and delete profile, what the user
//! typed), or the price the user accepted. The command compares that with what it is about
//! to do and refuses, before anything is sent, when they differ. The UI checks the same
//! things for speed of feedback; a path that skipped the dialog (a shortcut, a bug, a
//! script in the web view) cannot reach Tencent.

use crate::error::{AppCode, AppError};
use crate::profiles::invalid;
use crate::types::{StopType, StoppedMode};
use serde::Deserialize;
use std::collections::HashSet;

/// What the lifecycle dialog showed and the user confirmed.
#[derive(Clone, Debug, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Consent {
    /// Every instance the dialog named (all regions; a call may carry a subset of them).
    pub instance_ids: Vec<String>,
    /// What the user typed into the dialog, where it asks for it (terminate).
    pub typed: Option<String>,
    /// The stop type the dialog showed (stop, reboot).
    pub stop_type: Option<StopType>,
    /// The stopped mode the dialog showed (stop).
    pub stopped_mode: Option<StoppedMode>,
}

fn refused(message: impl Into<String>) -> AppError {
    invalid("consent", message).with_code(AppCode::ConsentRequired)
}

impl Consent {
    /// Every id this call sends was named by the dialog.
    fn covers(&self, ids: &[String]) -> Result<(), AppError> {
        let named: HashSet<&str> = self.instance_ids.iter().map(|s| s.trim()).collect();
        if let Some(missing) = ids.iter().find(|id| !named.contains(id.trim())) {
            return Err(refused(format!(
                "{missing} was not among the instances you confirmed"
            )));
        }
        if ids.is_empty() {
            return Err(refused("no instance was confirmed"));
        }
        Ok(())
    }

    /// Every instance this call changes was named by the dialog (tag removal).
    pub fn check_covers(&self, ids: &[String]) -> Result<(), AppError> {
        self.covers(ids)
    }

    pub fn check_stop(
        &self,
        ids: &[String],
        stop_type: StopType,
        stopped_mode: StoppedMode,
    ) -> Result<(), AppError> {
        self.covers(ids)?;
        if self.stop_type != Some(stop_type) || self.stopped_mode != Some(stopped_mode) {
            return Err(refused(
                "the stop mode differs from the one you confirmed; confirm again",
            ));
        }
        Ok(())
    }

    pub fn check_reboot(&self, ids: &[String], stop_type: StopType) -> Result<(), AppError> {
        self.covers(ids)?;
        if self.stop_type != Some(stop_type) {
            return Err(refused(
                "the reboot mode differs from the one you confirmed; confirm again",
            ));
        }
        Ok(())
    }

    /// Terminate needs the phrase typed: the instance id for one, `terminate N` for N.
    pub fn check_terminate(&self, ids: &[String]) -> Result<(), AppError> {
        self.covers(ids)?;
        let want = terminate_phrase(&self.instance_ids);
        let typed = self.typed.as_deref().map(str::trim).unwrap_or_default();
        if typed != want {
            return Err(invalid("typed", format!("type {want} to confirm"))
                .with_code(AppCode::ConsentRequired));
        }
        Ok(())
    }
}

/// The phrase a terminate of `ids` needs typed.
pub fn terminate_phrase(ids: &[String]) -> String {
    match ids {
        [one] => one.trim().to_owned(),
        many => format!("terminate {}", many.len()),
    }
}

/// A confirmation that must name its target exactly (a profile's name, a template's id, a
/// file's path), after trimming.
pub fn check_named(field: &str, confirm: &str, accepted: &[&str]) -> Result<(), AppError> {
    let c = confirm.trim();
    if c.is_empty() || !accepted.iter().any(|a| !a.is_empty() && *a == c) {
        return Err(invalid(
            field,
            format!(
                "confirm by naming {}",
                accepted.first().copied().unwrap_or_default()
            ),
        )
        .with_code(AppCode::ConsentRequired));
    }
    Ok(())
}

/// Goes ahead only when Tencent's fresh quote is the price the user accepted (to the
/// cent). The message carries the new price so the UI can show it.
pub fn check_price(quoted: f64, accepted: f64) -> Result<(), AppError> {
    if !accepted.is_finite() || accepted < 0.0 {
        return Err(invalid(
            "acceptedPrice",
            "the accepted price must be a number of at least 0",
        ));
    }
    if (quoted - accepted).abs() > 0.005 {
        return Err(AppError::conflict(
            AppCode::PriceChanged,
            format!(
                "the price is now {quoted:.2}, not the {accepted:.2} you accepted; review it and confirm again"
            ),
        )
        .with_field("acceptedPrice"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn consent(v: &[&str], typed: Option<&str>) -> Consent {
        Consent {
            instance_ids: ids(v),
            typed: typed.map(str::to_owned),
            stop_type: Some(StopType::Soft),
            stopped_mode: Some(StoppedMode::KeepCharging),
        }
    }

    #[test]
    fn a_call_may_send_only_what_was_named() {
        let c = consent(&["ins-a", "ins-b"], None);
        c.check_stop(&ids(&["ins-a"]), StopType::Soft, StoppedMode::KeepCharging)
            .unwrap();
        let e = c
            .check_stop(
                &ids(&["ins-a", "ins-c"]),
                StopType::Soft,
                StoppedMode::KeepCharging,
            )
            .unwrap_err();
        assert_eq!(e.code, crate::error::AppCode::ConsentRequired.as_str());
        assert_eq!(e.field.as_deref(), Some("consent"));
        assert!(e.message.contains("ins-c"), "{}", e.message);
        assert!(
            consent(&[], None)
                .check_reboot(&[], StopType::Soft)
                .is_err()
        );
    }

    #[test]
    fn stop_mode_must_be_the_one_shown() {
        let c = consent(&["ins-a"], None);
        assert!(
            c.check_stop(&ids(&["ins-a"]), StopType::Soft, StoppedMode::StopCharging)
                .is_err()
        );
        assert!(
            c.check_stop(&ids(&["ins-a"]), StopType::Hard, StoppedMode::KeepCharging)
                .is_err()
        );
        let none = Consent {
            stop_type: None,
            stopped_mode: None,
            ..c
        };
        assert!(
            none.check_stop(&ids(&["ins-a"]), StopType::Soft, StoppedMode::KeepCharging)
                .is_err()
        );
        assert!(none.check_reboot(&ids(&["ins-a"]), StopType::Soft).is_err());
    }

    #[test]
    fn terminate_needs_the_typed_phrase() {
        let one = ids(&["ins-a"]);
        assert!(consent(&["ins-a"], None).check_terminate(&one).is_err());
        assert!(
            consent(&["ins-a"], Some("ins-b"))
                .check_terminate(&one)
                .is_err()
        );
        consent(&["ins-a"], Some(" ins-a "))
            .check_terminate(&one)
            .unwrap();
        let two = consent(&["ins-a", "ins-b"], Some("terminate 2"));
        two.check_terminate(&ids(&["ins-b"])).unwrap();
        let e = consent(&["ins-a", "ins-b"], Some("terminate 1"))
            .check_terminate(&ids(&["ins-a"]))
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("typed"));
        assert!(e.message.contains("terminate 2"));
    }

    #[test]
    fn named_confirmation_is_exact() {
        assert!(check_named("confirmName", "", &["prod"]).is_err());
        assert!(check_named("confirmName", "Prod", &["prod"]).is_err());
        assert!(check_named("confirmName", "prod", &[""]).is_err());
        check_named("confirmName", " prod ", &["prod"]).unwrap();
        let e = check_named("confirm", "x", &["lt-1", "web"]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("confirm"));
        assert!(e.message.contains("lt-1"));
    }

    #[test]
    fn price_must_be_the_one_accepted() {
        check_price(12.34, 12.34).unwrap();
        check_price(12.344, 12.34).unwrap();
        let e = check_price(13.0, 12.34).unwrap_err();
        assert_eq!(e.code, crate::error::AppCode::PriceChanged.as_str());
        assert!(e.message.contains("13.00"), "{}", e.message);
        assert_eq!(
            check_price(1.0, f64::NAN).unwrap_err().field.as_deref(),
            Some("acceptedPrice")
        );
        assert!(check_price(0.0, -1.0).is_err());
    }
}
