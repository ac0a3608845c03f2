//! What a listing is narrowed to: one zone, and tag conditions (every one must hold: the
//! key, or the key with that value). Tencent filters DescribeInstances by `zone`,
//! `tag-key` and `tag:<key>` (api.json: Filters are ANDed, a filter's values ORed, at most
//! 10 filters of at most 5 values), so the conditions go to the server and only matching
//! instances come back; the few a request cannot say (a second key-only condition, a
//! second value for the same key) are applied here to what came back.

use crate::error::AppError;
use crate::profiles::invalid;
use serde::{Deserialize, Serialize};
use tencent_api::models::cvm;
use tencent_api::models::tag::validate_tag;

/// One tag of an instance, as listed and as the filter matches it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TagView {
    pub key: String,
    pub value: String,
}

/// The most tag conditions one listing takes.
pub const MAX_TAG_CONDITIONS: usize = 9;

/// One tag condition: the instance carries `key` (with `value`, when given).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TagCondition {
    pub key: String,
    /// None: any value.
    pub value: Option<String>,
}

/// A listing's narrowing. The default lists everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub zone: Option<String>,
    pub tags: Vec<TagCondition>,
}

impl ListFilter {
    pub fn zone(zone: Option<&str>) -> ListFilter {
        ListFilter {
            zone: zone.map(str::to_owned),
            tags: Vec::new(),
        }
    }

    pub fn tags(tags: Vec<TagCondition>) -> ListFilter {
        ListFilter { zone: None, tags }
    }

    /// Nothing narrowed: a listing of the whole region, which the cache may keep.
    pub fn is_whole(&self) -> bool {
        self.zone.is_none() && self.tags.is_empty()
    }

    /// The request's Filters: the zone, then each tag condition Tencent can take in one
    /// request (one `tag-key` filter, one `tag:<key>` per key).
    pub fn api_filters(&self) -> Option<Vec<cvm::Filter>> {
        let mut out: Vec<cvm::Filter> = Vec::new();
        let mut push = |name: String, value: &str| {
            if !out.iter().any(|f| f.name.as_deref() == Some(name.as_str())) {
                out.push(cvm::Filter {
                    name: Some(name),
                    values: Some(vec![value.to_owned()]),
                });
            }
        };
        if let Some(z) = &self.zone {
            push("zone".into(), z);
        }
        for c in &self.tags {
            match &c.value {
                Some(v) => push(format!("tag:{}", c.key), v),
                None => push("tag-key".into(), &c.key),
            }
        }
        (!out.is_empty()).then_some(out)
    }

    /// Whether an instance with these tags meets every tag condition (the zone is the
    /// server's).
    pub fn matches(&self, tags: &[TagView]) -> bool {
        self.tags.iter().all(|c| {
            tags.iter()
                .any(|t| t.key == c.key && c.value.as_ref().is_none_or(|v| *v == t.value))
        })
    }
}

/// Checks tag conditions before anything is sent: each key and value by Tencent's tag
/// rules (length, characters, reserved prefixes), at most [`MAX_TAG_CONDITIONS`]. The
/// error's field is `tags.<i>.key` or `tags.<i>.value`.
pub fn validate_tag_conditions(tags: &[TagCondition]) -> Result<(), AppError> {
    if tags.len() > MAX_TAG_CONDITIONS {
        return Err(invalid(
            "tags",
            format!("at most {MAX_TAG_CONDITIONS} tag conditions at once"),
        ));
    }
    for (i, c) in tags.iter().enumerate() {
        validate_tag(&c.key, c.value.as_deref()).map_err(|e| {
            let part = if e.field() == Some("TagValue") {
                "value"
            } else {
                "key"
            };
            invalid(&format!("tags.{i}.{part}"), e.to_string())
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::TagView;
    use super::*;

    fn c(key: &str, value: Option<&str>) -> TagCondition {
        TagCondition {
            key: key.into(),
            value: value.map(str::to_owned),
        }
    }

    fn names(f: &ListFilter) -> Vec<(String, Vec<String>)> {
        f.api_filters()
            .unwrap_or_default()
            .into_iter()
            .map(|f| (f.name.unwrap(), f.values.unwrap()))
            .collect()
    }

    #[test]
    fn conditions_become_tencents_filters() {
        assert_eq!(ListFilter::default().api_filters(), None);
        assert!(ListFilter::default().is_whole());
        let f = ListFilter {
            zone: Some("ap-guangzhou-3".into()),
            tags: vec![
                c("env", Some("prod")),
                c("team", None),
                c("owner", None),
                c("env", Some("staging")),
            ],
        };
        assert!(!f.is_whole());
        assert_eq!(
            names(&f),
            [
                ("zone".to_owned(), vec!["ap-guangzhou-3".to_owned()]),
                ("tag:env".to_owned(), vec!["prod".to_owned()]),
                ("tag-key".to_owned(), vec!["team".to_owned()]),
            ]
        );
    }

    #[test]
    fn every_condition_is_applied_to_what_came_back() {
        let with = |tags: &[(&str, &str)]| -> Vec<TagView> {
            tags.iter()
                .map(|(k, v)| TagView {
                    key: (*k).into(),
                    value: (*v).into(),
                })
                .collect()
        };
        let f = ListFilter::tags(vec![c("team", None), c("owner", None)]);
        assert!(f.matches(&with(&[("team", "a"), ("owner", "b")])));
        assert!(
            !f.matches(&with(&[("team", "a")])),
            "both keys must be there"
        );
        let f = ListFilter::tags(vec![c("env", Some("prod"))]);
        assert!(f.matches(&with(&[("env", "prod")])));
        assert!(!f.matches(&with(&[("env", "production")])), "exact value");
        assert!(
            !f.matches(&with(&[("Env", "prod")])),
            "keys are case-sensitive"
        );
    }

    #[test]
    fn bad_conditions_name_their_field() {
        let field = |tags: Vec<TagCondition>| validate_tag_conditions(&tags).unwrap_err().field;
        assert_eq!(field(vec![c("", None)]).as_deref(), Some("tags.0.key"));
        assert_eq!(
            field(vec![c("ok", None), c(&"k".repeat(128), None)]).as_deref(),
            Some("tags.1.key")
        );
        assert_eq!(field(vec![c("a*b", None)]).as_deref(), Some("tags.0.key"));
        assert_eq!(field(vec![c("qcs:x", None)]).as_deref(), Some("tags.0.key"));
        assert_eq!(
            field(vec![c("env", Some(&"v".repeat(256)))]).as_deref(),
            Some("tags.0.value")
        );
        assert_eq!(
            field(vec![c("env", None); MAX_TAG_CONDITIONS + 1]).as_deref(),
            Some("tags")
        );
        assert!(validate_tag_conditions(&[c("env", Some("prod")), c("团队", None)]).is_ok());
    }
}
