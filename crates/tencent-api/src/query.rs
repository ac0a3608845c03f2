//! GET requests: parameters flattened into the query string the way the SDKs do
//! (`Filters.0.Name=zone&Filters.0.Values.0=ap-guangzhou-3`, 0-based), form-encoded.

use serde_json::Value;

/// Flattens a JSON object into `(name, value)` pairs.
pub fn flatten(params: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk("", params, &mut out);
    out
}

fn walk(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_owned()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        Value::Null => {}
        Value::Object(m) => m.iter().for_each(|(k, v)| walk(&key(k), v, out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, v)| walk(&key(&i.to_string()), v, out)),
        Value::String(s) => out.push((prefix.to_owned(), s.clone())),
        Value::Bool(b) => out.push((prefix.to_owned(), b.to_string())),
        Value::Number(n) => out.push((prefix.to_owned(), n.to_string())),
    }
}

/// `application/x-www-form-urlencoded` as Python's `urlencode` writes it (`quote_plus`:
/// space as `+`, only `A-Za-z0-9_.-~` left bare), so vectors made with the SDK match.
pub fn encode(pairs: &[(String, String)]) -> String {
    let mut s = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            s.push('&');
        }
        escape(k, &mut s);
        s.push('=');
        escape(v, &mut s);
    }
    s
}

fn escape(v: &str, out: &mut String) {
    for b in v.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flattens_like_the_sdks() {
        let v = json!({"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-3", "a b/c"]}], "Limit": 10, "DryRun": false});
        let q = encode(&flatten(&v));
        assert_eq!(
            q,
            "DryRun=false&Filters.0.Name=zone&Filters.0.Values.0=ap-guangzhou-3&Filters.0.Values.1=a+b%2Fc&Limit=10"
        );
        assert_eq!(
            encode(&flatten(&json!({"InstanceName": "测试"}))),
            "InstanceName=%E6%B5%8B%E8%AF%95"
        );
    }
}
