//! What every handler shares: the request context, the account and region it works on,
//! the answer shape, and parameter, id, paging and tag helpers. It knows no service.

use crate::catalog::{Lang, RegionInfo};
use crate::clock::Clock;
use crate::error::{ApiError, ApiResult};
use crate::identity::{Caller, Identity};
use crate::msg::{self, Text, Thing};
use crate::params::{Filter, FilterDialect, Params, filters};
use crate::rng::Rng;
use crate::world::{Account, Instance, KeyPair, Quotas, RegionState, Tag};
use serde_json::{Value, json};

/// The request's context: who, where, when, in which language.
pub struct Ctx<'a> {
    pub account: &'a str,
    /// Who signed the request (for STS).
    pub caller: &'a Caller,
    /// Roles and temporary credentials (for STS).
    pub identity: &'a Identity,
    pub region: &'static RegionInfo,
    pub lang: Lang,
    pub now: i64,
    pub request_id: &'a str,
    pub clock: &'a Clock,
    pub quotas: &'a Quotas,
    /// Starting balance for an account seen for the first time.
    pub balance: f64,
    /// Instances whose CPU runs hot in Cloud Monitor's answers.
    pub hot: &'a [String],
}

/// A handler's answer: JSON fields plus, for large lists, one field already serialized
/// (DescribeInstances pages are written straight to bytes, not built as a `Value` tree).
pub struct Reply {
    pub fields: Value,
    pub raw: Option<(&'static str, Vec<u8>)>,
}

impl From<Value> for Reply {
    fn from(fields: Value) -> Self {
        Reply { fields, raw: None }
    }
}

impl Reply {
    /// The `{"Response":{…,"RequestId":…}}` envelope as bytes.
    pub fn into_envelope(self, request_id: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(256 + self.raw.as_ref().map_or(0, |r| r.1.len()));
        out.extend_from_slice(b"{\"Response\":{");
        let mut first = true;
        let mut sep = |out: &mut Vec<u8>| {
            if !first {
                out.push(b',');
            }
            first = false;
        };
        if let Some((key, raw)) = &self.raw {
            sep(&mut out);
            out.extend_from_slice(format!("\"{key}\":").as_bytes());
            out.extend_from_slice(raw);
        }
        if let Value::Object(m) = &self.fields {
            for (k, v) in m {
                sep(&mut out);
                let _ = serde_json::to_writer(&mut out, k);
                out.push(b':');
                let _ = serde_json::to_writer(&mut out, v);
            }
        }
        sep(&mut out);
        out.extend_from_slice(b"\"RequestId\":");
        let _ = serde_json::to_writer(&mut out, request_id);
        out.extend_from_slice(b"}}");
        out
    }
}

/// The account and region a handler works on, with the world's PRNG.
pub struct Env<'a> {
    pub acct: &'a mut Account,
    pub rng: &'a mut Rng,
    pub ctx: &'a Ctx<'a>,
}

impl Env<'_> {
    pub fn region(&mut self) -> &mut RegionState {
        self.acct.region(self.ctx.region, self.rng, self.ctx.now)
    }
    /// Region state, PRNG, balance and key pairs at once (they are disjoint).
    pub fn parts(&mut self) -> (&mut RegionState, &mut Rng, &mut f64, &mut Vec<KeyPair>) {
        let Account {
            regions,
            balance,
            key_pairs,
            ..
        } = &mut *self.acct;
        let r = regions.entry(self.ctx.region.id.to_owned()).or_default();
        (r, &mut *self.rng, balance, key_pairs)
    }
}

/// `prefix-` + 8 of `[0-9a-z]`.
pub fn well_formed(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix)
        .and_then(|r| r.strip_prefix('-'))
        .is_some_and(|r| {
            r.len() == 8
                && r.bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
        })
}

/// Offset/Limit with Tencent's defaults (0, 20) and maximum (100).
pub fn page(p: &Params, vpc_strings: bool) -> ApiResult<(usize, usize)> {
    let (offset, limit) = if vpc_strings {
        (p.int_or_str("Offset")?, p.int_or_str("Limit")?)
    } else {
        (p.int("Offset")?, p.int("Limit")?)
    };
    let offset = offset.unwrap_or(0);
    let limit = limit.unwrap_or(20);
    let code = if vpc_strings {
        "InvalidParameterValue.Range"
    } else {
        "InvalidParameterValue"
    };
    if offset < 0 {
        return Err(ApiError::new(code, msg::offset_negative()));
    }
    if !(0..=100).contains(&limit) {
        let code = if vpc_strings {
            code
        } else {
            "InvalidParameterValue.LimitExceeded"
        };
        return Err(ApiError::new(code, msg::limit_range()));
    }
    Ok((offset as usize, limit as usize))
}

pub fn tags_json(tags: &[Tag]) -> Value {
    json!(
        tags.iter()
            .map(|t| json!({"Key": t.key, "Value": t.value}))
            .collect::<Vec<_>>()
    )
}

/// `tag-key`, `tag-value` and `tag:KEY` filters against a resource's tags.
pub fn tag_filter(name: &str, values: &[String], tags: &[Tag]) -> Option<bool> {
    if name == "tag-key" {
        Some(tags.iter().any(|t| values.contains(&t.key)))
    } else if name == "tag-value" {
        Some(tags.iter().any(|t| values.contains(&t.value)))
    } else {
        name.strip_prefix("tag:")
            .map(|k| tags.iter().any(|t| t.key == k && values.contains(&t.value)))
    }
}

/// Parses `Tags`/`TagSpecification.Tags` entries.
pub fn parse_tags(list: Option<Vec<Params>>) -> ApiResult<Vec<Tag>> {
    let mut out: Vec<Tag> = Vec::new();
    for t in list.unwrap_or_default() {
        t.only(&["Key", "Value"])?;
        let key = t.str_req("Key")?;
        let value = t.str("Value")?.unwrap_or_default();
        if key.is_empty() || key.len() > 127 || value.len() > 255 {
            return Err(ApiError::new("InvalidParameterValue", msg::tag_lengths()));
        }
        if out.iter().any(|o| o.key == key) {
            return Err(ApiError::new(
                "InvalidParameterValue.DuplicateTags",
                msg::tag_key_repeated(&key),
            ));
        }
        out.push(Tag { key, value });
    }
    Ok(out)
}

/// Looks up a batch of instance ids: malformed first, then missing, as the real API does.
pub fn lookup_instances<'r>(
    r: &'r RegionState,
    ids: &[String],
    max: usize,
) -> ApiResult<Vec<&'r Instance>> {
    if ids.len() > max {
        return Err(ApiError::limit("InstanceIds", max));
    }
    if let Some(bad) = ids.iter().find(|id| !well_formed(id, "ins")) {
        return Err(ApiError::new(
            "InvalidInstanceId.Malformed",
            msg::malformed(Thing::Instance, &bad),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(dup) = ids.iter().find(|id| !seen.insert(id.as_str())) {
        return Err(ApiError::new(
            "InvalidParameterValue",
            msg::instance_id_repeated(&dup),
        ));
    }
    ids.iter()
        .map(|id| {
            r.get(id).ok_or_else(|| {
                ApiError::new(
                    "InvalidInstanceId.NotFound",
                    msg::not_found(Thing::Instance, &id),
                )
            })
        })
        .collect()
}

/// A Describe* request's selection: `ids_name` or `Filters` (at most 10, each with at most
/// `max_values` values), answered `coexist` when both are given.
pub fn ids_or_filters(
    p: &Params,
    ids_name: &str,
    dialect: FilterDialect,
    known: &[&str],
    max_values: usize,
    coexist: &str,
) -> ApiResult<(Option<Vec<String>>, Vec<Filter>)> {
    let ids = p.str_list(ids_name)?;
    let fs = filters(p, dialect, known, 10, max_values)?;
    if ids.is_some() && !fs.is_empty() {
        return Err(ApiError::new(
            coexist,
            msg::exclusive(&ids_name, &"Filters"),
        ));
    }
    Ok((ids, fs))
}

/// The codes a lookup by id answers: the id is malformed, or names nothing.
pub struct IdCodes {
    pub malformed: &'static str,
    pub not_found: &'static str,
}

/// The position of the item `id` names among `items` (checked well formed first).
pub fn position_of<T>(
    items: &[T],
    id: &str,
    prefix: &str,
    thing: Thing,
    codes: IdCodes,
    id_of: impl Fn(&T) -> &str,
) -> ApiResult<usize> {
    if !well_formed(id, prefix) {
        return Err(ApiError::new(codes.malformed, msg::malformed(thing, &id)));
    }
    items
        .iter()
        .position(|x| id_of(x) == id)
        .ok_or_else(|| ApiError::new(codes.not_found, msg::not_found(thing, &id)))
}

/// Takes `cost` from the balance, or refuses with `InvalidAccount.InsufficientBalance`
/// and `why` (the balance is unchanged).
pub fn pay(balance: &mut f64, cost: f64, why: impl FnOnce(f64) -> Text) -> ApiResult<()> {
    if cost > *balance {
        return Err(ApiError::new(
            "InvalidAccount.InsufficientBalance",
            why(cost),
        ));
    }
    *balance = crate::catalog::round2(*balance - cost);
    Ok(())
}
