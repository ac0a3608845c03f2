//! The tag service (2018-08-13): tagging resources by their six-segment name, and the
//! rules a tag key and value must follow (tag "Use Limits",
//! <https://cloud.tencent.com/document/product/651/13354>).

use crate::Error;
use serde::{Deserialize, Serialize};

/// `Tag` of the tag service (`TagKey`/`TagValue`, unlike CVM's `Key`/`Value`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    #[serde(rename = "TagKey")]
    pub tag_key: String,
    #[serde(rename = "TagValue")]
    pub tag_value: String,
}

/// `TagKeyObject`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagKeyObject {
    #[serde(rename = "TagKey")]
    pub tag_key: String,
}

/// `FailedResource`: one resource a batch could not (un)tag.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedResource {
    #[serde(rename = "Resource", default)]
    pub resource: String,
    #[serde(rename = "Code", default)]
    pub code: String,
    #[serde(rename = "Message", default)]
    pub message: String,
}

/// `TagResources` input: binds every tag to every resource (up to 10 of each).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TagResourcesRequest {
    #[serde(rename = "ResourceList")]
    pub resource_list: Vec<String>,
    #[serde(rename = "Tags")]
    pub tags: Vec<Tag>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TagResourcesResponse {
    #[serde(rename = "FailedResources", default)]
    pub failed_resources: Vec<FailedResource>,
}

/// `UnTagResources` input: unbinds the keys from every resource (up to 10 of each).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UnTagResourcesRequest {
    #[serde(rename = "ResourceList")]
    pub resource_list: Vec<String>,
    #[serde(rename = "TagKeys")]
    pub tag_keys: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UnTagResourcesResponse {
    #[serde(rename = "FailedResources", default)]
    pub failed_resources: Vec<FailedResource>,
}

/// `ModifyResourceTags` input: one resource, tags to set and keys to remove.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ModifyResourceTagsRequest {
    #[serde(rename = "Resource")]
    pub resource: String,
    #[serde(
        rename = "ReplaceTags",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub replace_tags: Option<Vec<Tag>>,
    #[serde(
        rename = "DeleteTags",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub delete_tags: Option<Vec<TagKeyObject>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ModifyResourceTagsResponse {}

crate::actions! {
    service = "tag";
    version = "2018-08-13";
    TagResources => tag_resources(TagResourcesRequest) -> TagResourcesResponse;
    UnTagResources => un_tag_resources(UnTagResourcesRequest) -> UnTagResourcesResponse;
    ModifyResourceTags => modify_resource_tags(ModifyResourceTagsRequest) -> ModifyResourceTagsResponse;
}

/// Resources and tags per TagResources/UnTagResources call (api.json: "N 取值范围：0~9").
pub const MAX_PER_CALL: usize = 10;

/// `qcs::cvm:<region>:uin/<account>:instance/<instance id>`.
pub fn cvm_instance_resource(region: &str, account: &str, instance_id: &str) -> String {
    format!("qcs::cvm:{region}:uin/{account}:instance/{instance_id}")
}

/// What is wrong with a tag key or value, in the tag service's own error codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagProblem {
    KeyEmpty,
    KeyTooLong,
    KeyCharacters,
    KeyReserved,
    ValueEmpty,
    ValueTooLong,
    ValueCharacters,
}

impl TagProblem {
    pub fn code(self) -> &'static str {
        match self {
            TagProblem::KeyEmpty => "InvalidParameterValue.TagKeyEmpty",
            TagProblem::KeyTooLong => "InvalidParameterValue.TagKeyLengthExceeded",
            TagProblem::KeyCharacters => "InvalidParameterValue.TagKeyCharacterIllegal",
            TagProblem::KeyReserved => "InvalidParameterValue.ReservedTagKey",
            TagProblem::ValueEmpty => "InvalidParameterValue.TagValueEmpty",
            TagProblem::ValueTooLong => "InvalidParameterValue.TagValueLengthExceeded",
            TagProblem::ValueCharacters => "InvalidParameterValue.TagValueCharacterIllegal",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            TagProblem::KeyEmpty => "must not be empty",
            TagProblem::KeyTooLong => "must be at most 127 characters",
            TagProblem::KeyCharacters => {
                "may hold letters, digits, inner spaces and + - = . _ : / @ ( ) [ ] , ; > < 【 】 （ ） ："
            }
            TagProblem::KeyReserved => "must not start with qcs:, project or 项目 (reserved)",
            TagProblem::ValueEmpty => "must not be empty",
            TagProblem::ValueTooLong => "must be at most 255 characters",
            TagProblem::ValueCharacters => {
                "may hold letters, digits, inner spaces and + - = . _ : / @ ( ) [ ] , ; > < 【 】 （ ） ："
            }
        }
    }

    /// The field a form shows it on.
    pub fn field(self) -> &'static str {
        match self {
            TagProblem::KeyEmpty
            | TagProblem::KeyTooLong
            | TagProblem::KeyCharacters
            | TagProblem::KeyReserved => "TagKey",
            _ => "TagValue",
        }
    }
}

fn allowed(c: char) -> bool {
    c.is_alphanumeric() || c == ' ' || "+-=._:/@()[],;><【】（）：".contains(c)
}

fn check(s: &str, max: usize) -> Result<(), (bool, bool)> {
    let n = s.chars().count();
    if n > max {
        return Err((true, false));
    }
    if s.starts_with(' ') || s.ends_with(' ') || !s.chars().all(allowed) {
        return Err((false, true));
    }
    Ok(())
}

/// A tag key: 1–127 characters, the allowed set, not reserved.
pub fn validate_tag_key(key: &str) -> Result<(), TagProblem> {
    if key.is_empty() {
        return Err(TagProblem::KeyEmpty);
    }
    match check(key, 127) {
        Err((true, _)) => return Err(TagProblem::KeyTooLong),
        Err(_) => return Err(TagProblem::KeyCharacters),
        Ok(()) => {}
    }
    let lower = key.to_ascii_lowercase();
    if lower.starts_with("qcs:") || lower.starts_with("project") || key.starts_with("项目") {
        return Err(TagProblem::KeyReserved);
    }
    Ok(())
}

/// A tag value: 1–255 characters of the allowed set.
pub fn validate_tag_value(value: &str) -> Result<(), TagProblem> {
    if value.is_empty() {
        return Err(TagProblem::ValueEmpty);
    }
    match check(value, 255) {
        Err((true, _)) => Err(TagProblem::ValueTooLong),
        Err(_) => Err(TagProblem::ValueCharacters),
        Ok(()) => Ok(()),
    }
}

/// Both, as the client's field-level error.
pub fn validate_tag(key: &str, value: Option<&str>) -> Result<(), Error> {
    let r = validate_tag_key(key).and_then(|()| value.map_or(Ok(()), validate_tag_value));
    r.map_err(|p| Error::invalid(p.field(), p.message()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_rules() {
        assert_eq!(validate_tag_key("env"), Ok(()));
        assert_eq!(validate_tag_key("团队 名称:a/b@c"), Ok(()));
        assert_eq!(validate_tag_key(&"k".repeat(127)), Ok(()));
        assert_eq!(validate_tag_key(&"键".repeat(127)), Ok(()));
        assert_eq!(validate_tag_key(""), Err(TagProblem::KeyEmpty));
        assert_eq!(
            validate_tag_key(&"k".repeat(128)),
            Err(TagProblem::KeyTooLong)
        );
        for bad in ["a*b", " lead", "trail ", "a\"b", "tab\tkey", "a#b"] {
            assert_eq!(
                validate_tag_key(bad),
                Err(TagProblem::KeyCharacters),
                "{bad}"
            );
        }
        for reserved in ["qcs:owner", "project", "Project-x", "项目A"] {
            assert_eq!(
                validate_tag_key(reserved),
                Err(TagProblem::KeyReserved),
                "{reserved}"
            );
        }
        assert_eq!(validate_tag_value(&"v".repeat(255)), Ok(()));
        assert_eq!(
            validate_tag_value(&"v".repeat(256)),
            Err(TagProblem::ValueTooLong)
        );
        assert_eq!(validate_tag_value(""), Err(TagProblem::ValueEmpty));
        let e = validate_tag(&"k".repeat(200), Some("v")).unwrap_err();
        assert_eq!(e.field(), Some("TagKey"));
        let e = validate_tag("k", Some("bad*")).unwrap_err();
        assert_eq!(e.field(), Some("TagValue"));
    }

    #[test]
    fn six_segment_names() {
        assert_eq!(
            cvm_instance_resource("ap-beijing", "1234567", "ins-123"),
            "qcs::cvm:ap-beijing:uin/1234567:instance/ins-123"
        );
    }
}
