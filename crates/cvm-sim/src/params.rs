//! Request parameters as the gateway sees them: a JSON object from a POST body, or the
//! flattened `Ids.0=…&Filters.0.Values.1=…` query of a GET turned into the same shape.
//! Accessors turn wrong types into Tencent errors instead of transport failures, and
//! every action lists its parameters so that an unknown one is `UnknownParameter`.

use crate::error::{ApiError, ApiResult};
use crate::msg::{self, Type};
use serde_json::{Map, Value};

/// One level of parameters (the top level or a nested object) with its path for messages.
#[derive(Clone, Debug)]
pub struct Params {
    map: Map<String, Value>,
    prefix: String,
    /// GET parameters arrive as strings; booleans are parsed from them here (numbers are
    /// parsed from strings in JSON bodies too).
    lenient: bool,
}

const MAX_DEPTH: usize = 8;
const MAX_INDEX: usize = 10_000;

impl Params {
    pub fn from_json(value: Value) -> ApiResult<Params> {
        match value {
            Value::Object(map) => Ok(Params {
                map,
                prefix: String::new(),
                lenient: false,
            }),
            _ => Err(ApiError::new("InvalidParameter", msg::body_not_object())),
        }
    }

    pub fn from_query(query: &str) -> ApiResult<Params> {
        let mut root = Value::Object(Map::new());
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let key = percent_decode(k)?;
            let value = percent_decode(v)?;
            insert_flat(&mut root, &key, value)?;
        }
        let root = densify(root)?;
        let Value::Object(map) = root else {
            return Err(ApiError::new("InvalidParameter", msg::query_malformed()));
        };
        Ok(Params {
            map,
            prefix: String::new(),
            lenient: true,
        })
    }

    fn path(&self, name: &str) -> String {
        if self.prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.prefix)
        }
    }

    /// The parameters as JSON (launch templates keep them).
    pub fn to_value(&self) -> Value {
        Value::Object(self.map.clone())
    }

    /// Parameters of the same kind (GET-lenient or not) with other values.
    pub fn replaced(&self, map: Map<String, Value>) -> Params {
        Params {
            map,
            prefix: self.prefix.clone(),
            lenient: self.lenient,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn has(&self, name: &str) -> bool {
        self.map.get(name).is_some_and(|v| !v.is_null())
    }

    /// `UnknownParameter` for anything not in `known`.
    pub fn only(&self, known: &[&str]) -> ApiResult<()> {
        match self.map.keys().find(|k| !known.contains(&k.as_str())) {
            Some(k) => Err(ApiError::unknown(&self.path(k))),
            None => Ok(()),
        }
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    pub fn str(&self, name: &str) -> ApiResult<Option<String>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::invalid_type(&self.path(name), Type::String)),
        }
    }

    pub fn str_req(&self, name: &str) -> ApiResult<String> {
        self.str(name)?
            .ok_or_else(|| ApiError::missing(&self.path(name)))
    }

    pub fn int(&self, name: &str) -> ApiResult<Option<i64>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) => Ok(Some(i)),
                None => Err(ApiError::invalid_type(&self.path(name), Type::Integer)),
            },
            // A number sent as a string is accepted in JSON too: Tencent's own examples
            // send `"InternetMaxBandwidthOut": "10"`, so its gateway takes them.
            Some(Value::String(s)) => s
                .trim()
                .parse::<i64>()
                .map(Some)
                .map_err(|_| ApiError::invalid_type(&self.path(name), Type::Integer)),
            Some(_) => Err(ApiError::invalid_type(&self.path(name), Type::Integer)),
        }
    }

    /// An integer that the spec declares as a String (VPC's Offset/Limit): both forms accepted.
    pub fn int_or_str(&self, name: &str) -> ApiResult<Option<i64>> {
        match self.get(name) {
            Some(Value::String(s)) => s.trim().parse::<i64>().map(Some).map_err(|_| {
                ApiError::new(
                    "InvalidParameterValue.Malformed",
                    msg::must_be_number(&(self.path(name))),
                )
            }),
            _ => self.int(name),
        }
    }

    pub fn float(&self, name: &str) -> ApiResult<Option<f64>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64()),
            Some(Value::String(s)) => s
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Some)
                .ok_or_else(|| ApiError::invalid_type(&self.path(name), Type::Number)),
            Some(_) => Err(ApiError::invalid_type(&self.path(name), Type::Number)),
        }
    }

    pub fn bool(&self, name: &str) -> ApiResult<Option<bool>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) if self.lenient => match s.to_ascii_lowercase().as_str() {
                "true" => Ok(Some(true)),
                "false" => Ok(Some(false)),
                _ => Err(ApiError::invalid_type(&self.path(name), Type::Boolean)),
            },
            Some(_) => Err(ApiError::invalid_type(&self.path(name), Type::Boolean)),
        }
    }

    pub fn str_list(&self, name: &str) -> ApiResult<Option<Vec<String>>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::String(s) => Ok(s.clone()),
                    _ => Err(ApiError::invalid_type(
                        &format!("{}.{i}", self.path(name)),
                        Type::String,
                    )),
                })
                .collect::<ApiResult<Vec<_>>>()
                .map(Some),
            Some(_) => Err(ApiError::invalid_type(&self.path(name), Type::Strings)),
        }
    }

    pub fn str_list_req(&self, name: &str) -> ApiResult<Vec<String>> {
        match self.str_list(name)? {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(ApiError::missing(&self.path(name))),
        }
    }

    pub fn obj(&self, name: &str) -> ApiResult<Option<Params>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Params {
                map: map.clone(),
                prefix: self.path(name),
                lenient: self.lenient,
            })),
            Some(_) => Err(ApiError::invalid_type(&self.path(name), Type::Object)),
        }
    }

    pub fn obj_list(&self, name: &str) -> ApiResult<Option<Vec<Params>>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::Object(map) => Ok(Params {
                        map: map.clone(),
                        prefix: format!("{}.{i}", self.path(name)),
                        lenient: self.lenient,
                    }),
                    _ => Err(ApiError::invalid_type(
                        &format!("{}.{i}", self.path(name)),
                        Type::Object,
                    )),
                })
                .collect::<ApiResult<Vec<_>>>()
                .map(Some),
            Some(_) => Err(ApiError::invalid_type(&self.path(name), Type::Objects)),
        }
    }
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Form decoding (`+` is a space, `%XX` a byte) into UTF-8.
pub fn percent_decode(s: &str) -> ApiResult<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let (Some(h), Some(l)) = (
                    bytes.get(i + 1).and_then(|b| hex_val(*b)),
                    bytes.get(i + 2).and_then(|b| hex_val(*b)),
                ) else {
                    return Err(ApiError::new("InvalidParameter", msg::query_bad_escape()));
                };
                out.push(h * 16 + l);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| ApiError::new("InvalidParameter", msg::query_not_utf8()))
}

fn insert_flat(root: &mut Value, key: &str, value: String) -> ApiResult<()> {
    let segments: Vec<&str> = key.split('.').collect();
    if segments.len() > MAX_DEPTH || segments.iter().any(|s| s.is_empty()) {
        return Err(ApiError::new(
            "InvalidParameter",
            msg::param_name_malformed(&key),
        ));
    }
    let mut node = root;
    for (i, seg) in segments.iter().enumerate() {
        let Value::Object(map) = node else {
            return Err(ApiError::new(
                "InvalidParameter",
                msg::param_conflicts(&key),
            ));
        };
        if i + 1 == segments.len() {
            if map.contains_key(*seg) {
                return Err(ApiError::new("InvalidParameter", msg::param_twice(&key)));
            }
            map.insert((*seg).to_owned(), Value::String(value));
            return Ok(());
        }
        node = map
            .entry((*seg).to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    Ok(())
}

/// Objects whose keys are all `0..n` become arrays; gaps are an error.
fn densify(v: Value) -> ApiResult<Value> {
    let Value::Object(map) = v else { return Ok(v) };
    let numeric = !map.is_empty()
        && map
            .keys()
            .all(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()));
    if numeric {
        let mut items: Vec<(usize, Value)> = Vec::with_capacity(map.len());
        for (k, v) in map {
            let idx: usize = k.parse().unwrap_or(usize::MAX);
            if idx > MAX_INDEX {
                return Err(ApiError::new("InvalidParameter", msg::index_too_large()));
            }
            items.push((idx, densify(v)?));
        }
        items.sort_by_key(|(i, _)| *i);
        if items
            .iter()
            .enumerate()
            .any(|(want, (got, _))| want != *got)
        {
            return Err(ApiError::new("InvalidParameter", msg::index_gaps()));
        }
        return Ok(Value::Array(items.into_iter().map(|(_, v)| v).collect()));
    }
    let mut out = Map::new();
    for (k, v) in map {
        out.insert(k, densify(v)?);
    }
    Ok(Value::Object(out))
}

/// One parsed `Filters` entry.
#[derive(Clone, Debug)]
pub struct Filter {
    pub name: String,
    pub values: Vec<String>,
}

/// How a service names filter problems: CVM and VPC use different codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterDialect {
    Cvm,
    Vpc,
}

/// Parses `Filters` with the limits of the action (`max_filters`, `max_values`) and the
/// names it accepts (`tag:` prefixed names are accepted when `tag:` is listed).
pub fn filters(
    p: &Params,
    dialect: FilterDialect,
    known: &[&str],
    max_filters: usize,
    max_values: usize,
) -> ApiResult<Vec<Filter>> {
    let Some(v) = p.get("Filters") else {
        return Ok(Vec::new());
    };
    let Value::Array(items) = v else {
        return Err(match dialect {
            FilterDialect::Cvm => ApiError::invalid_type("Filters", Type::Filters),
            FilterDialect::Vpc => {
                ApiError::new("InvalidParameter.FilterNotDict", msg::filters_not_list())
            }
        });
    };
    if items.len() > max_filters {
        return Err(ApiError::limit("Filters", max_filters));
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let Value::Object(map) = item else {
            return Err(match dialect {
                FilterDialect::Cvm => ApiError::invalid_type(&format!("Filters.{i}"), Type::Filter),
                FilterDialect::Vpc => {
                    ApiError::new("InvalidParameter.FilterNotDict", msg::filter_not_dict())
                }
            });
        };
        let fp = Params {
            map: map.clone(),
            prefix: format!("Filters.{i}"),
            lenient: p.lenient,
        };
        fp.only(&["Name", "Values"])?;
        let name = fp.str_req("Name")?;
        let values = match fp.get("Values") {
            None => return Err(ApiError::missing(&format!("Filters.{i}.Values"))),
            Some(Value::Array(_)) => fp.str_list("Values")?.unwrap_or_default(),
            Some(_) => {
                return Err(match dialect {
                    FilterDialect::Cvm => {
                        ApiError::invalid_type(&format!("Filters.{i}.Values"), Type::Strings)
                    }
                    FilterDialect::Vpc => ApiError::new(
                        "InvalidParameter.FilterValuesNotList",
                        msg::filter_values_not_list(),
                    ),
                });
            }
        };
        let is_known = known.contains(&name.as_str())
            || (known.contains(&"tag:") && name.starts_with("tag:") && name.len() > 4);
        if !is_known {
            return Err(match dialect {
                FilterDialect::Cvm => {
                    ApiError::new("InvalidFilter", msg::filter_unsupported(&name))
                }
                FilterDialect::Vpc => ApiError::new(
                    "InvalidParameter.FilterInvalidKey",
                    msg::filter_key_invalid(&name),
                ),
            });
        }
        if values.len() > max_values {
            return Err(match dialect {
                FilterDialect::Cvm => ApiError::new(
                    "InvalidFilterValue.LimitExceeded",
                    msg::filter_too_many_values(&name, &max_values),
                ),
                FilterDialect::Vpc => ApiError::limit(&format!("Filters.{i}.Values"), max_values),
            });
        }
        out.push(Filter { name, values });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn get_query_flattens_into_the_json_shape() {
        let p = Params::from_query("InstanceIds.0=ins-1&InstanceIds.1=ins-2&Filters.0.Name=zone&Filters.0.Values.0=ap-guangzhou-3&Limit=5&Name=a+b%2Fc").unwrap();
        assert_eq!(
            p.str_list("InstanceIds").unwrap().unwrap(),
            vec!["ins-1", "ins-2"]
        );
        assert_eq!(p.int("Limit").unwrap(), Some(5));
        assert_eq!(p.str("Name").unwrap().unwrap(), "a b/c");
        let f = filters(&p, FilterDialect::Cvm, &["zone"], 10, 5).unwrap();
        assert_eq!(f[0].values, vec!["ap-guangzhou-3"]);
    }

    #[test]
    fn wrong_types_are_tencent_errors() {
        let p = Params::from_json(
            json!({"Limit": "five", "InstanceIds": "ins-1", "DryRun": 1, "Price": "x"}),
        )
        .unwrap();
        assert_eq!(p.int("Limit").unwrap_err().code, "InvalidParameter");
        assert_eq!(p.float("Price").unwrap_err().code, "InvalidParameter");
        assert_eq!(
            p.str_list("InstanceIds").unwrap_err().code,
            "InvalidParameter"
        );
        assert_eq!(p.bool("DryRun").unwrap_err().code, "InvalidParameter");
        assert_eq!(p.only(&["Limit"]).unwrap_err().code, "UnknownParameter");
        assert!(Params::from_json(json!([1])).is_err());
        assert!(Params::from_query("A.1=x").is_err());
        assert!(Params::from_query("A=%zz").is_err());
        assert!(Params::from_query("A.0=x&A.0.B=y").is_err());
    }

    #[test]
    fn numbers_sent_as_strings_are_numbers_in_json_too() {
        let p =
            Params::from_json(json!({"Bandwidth": "10", "Price": " 0.5 ", "Neg": "-3"})).unwrap();
        assert_eq!(p.int("Bandwidth").unwrap(), Some(10));
        assert_eq!(p.int("Neg").unwrap(), Some(-3));
        assert_eq!(p.float("Price").unwrap(), Some(0.5));
        // Booleans stay strict in JSON (only a GET query carries them as text).
        let p = Params::from_json(json!({"DryRun": "true"})).unwrap();
        assert_eq!(p.bool("DryRun").unwrap_err().code, "InvalidParameter");
        let p = Params::from_json(json!({"Price": "NaN"})).unwrap();
        assert!(p.float("Price").is_err());
    }

    #[test]
    fn filter_limits_and_names() {
        let p = Params::from_json(json!({"Filters": [{"Name": "nope", "Values": ["a"]}]})).unwrap();
        assert_eq!(
            filters(&p, FilterDialect::Cvm, &["zone"], 10, 5)
                .unwrap_err()
                .code,
            "InvalidFilter"
        );
        assert_eq!(
            filters(&p, FilterDialect::Vpc, &["zone"], 10, 5)
                .unwrap_err()
                .code,
            "InvalidParameter.FilterInvalidKey"
        );
        let p = Params::from_json(
            json!({"Filters": [{"Name": "zone", "Values": ["a","b","c","d","e","f"]}]}),
        )
        .unwrap();
        assert_eq!(
            filters(&p, FilterDialect::Cvm, &["zone"], 10, 5)
                .unwrap_err()
                .code,
            "InvalidFilterValue.LimitExceeded"
        );
        let p = Params::from_json(json!({"Filters": [{"Name": "tag:env", "Values": ["prod"]}]}))
            .unwrap();
        assert_eq!(
            filters(&p, FilterDialect::Cvm, &["tag:"], 10, 5).unwrap()[0].name,
            "tag:env"
        );
    }
}
