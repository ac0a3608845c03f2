//! VPC actions (service `vpc`, version 2017-03-12): networks, security groups and EIPs.
//! VPC list calls take Offset/Limit as strings and name filter errors differently from CVM.

pub mod addresses;
pub mod networks;
pub mod security_groups;

use crate::error::{ApiError, ApiResult};
use crate::msg::{self, Thing};
use crate::params::{Filter, FilterDialect, Params};
use crate::toolkit::{self, well_formed};

fn ids_or_filters(
    p: &Params,
    ids_name: &str,
    prefix: &str,
    known: &[&str],
) -> ApiResult<(Option<Vec<String>>, Vec<Filter>)> {
    let (ids, fs) = toolkit::ids_or_filters(
        p,
        ids_name,
        FilterDialect::Vpc,
        known,
        100,
        "InvalidParameter.Coexist",
    )?;
    if let Some(ids) = &ids {
        if ids.len() > 100 {
            return Err(ApiError::limit(ids_name, 100));
        }
        if let Some(bad) = ids.iter().find(|i| !well_formed(i, prefix)) {
            return Err(ApiError::new(
                "InvalidParameterValue.Malformed",
                msg::malformed(Thing::Resource, &bad),
            ));
        }
    }
    Ok((ids, fs))
}

/// The items `ids` names, in the items' order (`ResourceNotFound` for an id that names
/// none), or every item when no ids are given.
fn chosen<'a, T>(
    items: &'a [T],
    ids: &Option<Vec<String>>,
    id_of: impl Fn(&T) -> &str,
) -> ApiResult<Vec<&'a T>> {
    let Some(ids) = ids else {
        return Ok(items.iter().collect());
    };
    if let Some(missing) = ids
        .iter()
        .find(|i| !items.iter().any(|x| id_of(x) == i.as_str()))
    {
        return Err(ApiError::new(
            "ResourceNotFound",
            msg::not_found(Thing::Resource, &missing),
        ));
    }
    Ok(items
        .iter()
        .filter(|x| ids.iter().any(|i| i == id_of(x)))
        .collect())
}

fn bool_value(values: &[String], b: bool) -> bool {
    values.iter().any(|v| {
        v.eq_ignore_ascii_case(if b { "true" } else { "false" }) || v == if b { "1" } else { "0" }
    })
}
