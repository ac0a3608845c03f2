//! Export of the instance list as the page shows it (filtered and sorted): CSV for
//! spreadsheets (one row per instance, lists joined, quoted by the `csv` crate) or JSON
//! (the rows as the app sees them).
//!
//! Every CSV cell that a spreadsheet would read as a formula (it starts with `=`, `+`,
//! `-`, `@`, a tab or a carriage return) gets a leading `'`: instance names and tags are
//! chosen by whoever can tag instances in the account, and opening an export must never
//! run them. JSON is written as is.

use crate::console::instances::InstanceView;
use crate::error::{AppCode, AppError};
use crate::profiles::invalid;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }
}

/// The most rows one export takes (the list's own ceiling is far below).
pub const MAX_ROWS: usize = 200_000;

pub const CSV_HEADER: &[&str] = &[
    "Region",
    "InstanceId",
    "InstanceName",
    "InstanceState",
    "Zone",
    "InstanceType",
    "CPU",
    "MemoryGiB",
    "PrivateIpAddresses",
    "PublicIpAddresses",
    "InstanceChargeType",
    "InternetChargeType",
    "InternetMaxBandwidthOut",
    "ExpiredTime",
    "CreatedTime",
    "Tags",
    "Account",
];

/// Profile names by id, for the Account column (an unknown id is written as it is).
pub type AccountNames = std::collections::HashMap<String, String>;

/// The cell as a spreadsheet will take it literally: a leading `'` when it would
/// otherwise start a formula.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

pub fn to_csv(rows: &[InstanceView], accounts: &AccountNames) -> Result<Vec<u8>, AppError> {
    let err = |e: csv::Error| AppError::internal(AppCode::Export, e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER).map_err(err)?;
    for r in rows {
        let tags = r
            .tags
            .iter()
            .map(|t| format!("{}={}", t.key, t.value))
            .collect::<Vec<_>>()
            .join("; ");
        let cells = [
            r.region.as_str(),
            &r.id,
            &r.name,
            &r.state,
            &r.zone,
            &r.instance_type,
            &r.cpu.to_string(),
            &r.memory_gib.to_string(),
            &r.private_ips.join(" "),
            &r.public_ips.join(" "),
            &r.charge_type,
            r.internet_charge_type.as_deref().unwrap_or(""),
            &r.bandwidth_out_mbps.to_string(),
            r.expired_time.as_deref().unwrap_or(""),
            r.created_time.as_deref().unwrap_or(""),
            &tags,
            accounts.get(&r.profile_id).unwrap_or(&r.profile_id),
        ];
        w.write_record(cells.iter().map(|c| neutralise(c).into_owned()))
            .map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| AppError::internal(AppCode::Export, e.to_string()))
}

pub fn render(
    format: ExportFormat,
    rows: &[InstanceView],
    accounts: &AccountNames,
) -> Result<Vec<u8>, AppError> {
    if rows.is_empty() {
        return Err(invalid("rows", "nothing to export: no instance is shown"));
    }
    if rows.len() > MAX_ROWS {
        return Err(invalid(
            "rows",
            format!("at most {MAX_ROWS} rows can be exported at once"),
        ));
    }
    match format {
        ExportFormat::Csv => to_csv(rows, accounts),
        ExportFormat::Json => serde_json::to_vec_pretty(rows)
            .map_err(|e| AppError::internal(AppCode::Export, e.to_string())),
    }
}

/// Writes the export to `path` (replacing it).
pub fn write(
    path: &std::path::Path,
    format: ExportFormat,
    rows: &[InstanceView],
    accounts: &AccountNames,
) -> Result<(), AppError> {
    let bytes = render(format, rows, accounts)?;
    std::fs::write(path, bytes).map_err(|e| {
        AppError::internal(
            AppCode::Export,
            format!("could not write {}: {e}", path.display()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, tag_value: &str) -> InstanceView {
        serde_json::from_value(serde_json::json!({
            "id": "ins-aaaaaaaa", "profileId": "p-1", "region": "ap-guangzhou", "name": name, "state": "RUNNING",
            "zone": "ap-guangzhou-3", "instanceType": "S5.SMALL2", "cpu": 1, "memoryGib": 2,
            "privateIps": ["10.0.0.2"], "publicIps": [], "chargeType": "POSTPAID_BY_HOUR",
            "internetChargeType": null, "bandwidthOutMbps": 0, "expiredTime": null,
            "createdTime": null, "tags": [{"key": "=k", "value": tag_value}], "osName": null,
            "restrictState": null, "stopChargingMode": null, "disableApiTermination": false,
            "latestOperation": null, "latestOperationState": null, "latestOperationError": null
        }))
        .unwrap()
    }

    #[test]
    fn formula_cells_are_neutralised() {
        for bad in [
            "=HYPERLINK(\"http://x\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(neutralise(bad), format!("'{bad}"), "{bad:?}");
        }
        for ok in ["web-1", "", "10.0.0.2", "a=b", " =1", "'quoted"] {
            assert_eq!(neutralise(ok), ok);
        }
    }

    #[test]
    fn no_exported_cell_starts_a_formula() {
        let rows = vec![row("=cmd|' /C calc'!A0", "-x"), row("web-1", "ok")];
        let accounts = AccountNames::from([("p-1".to_owned(), "=Prod".to_owned())]);
        let csv = to_csv(&rows, &accounts).unwrap();
        let mut r = csv::Reader::from_reader(csv.as_slice());
        let recs: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(&recs[0][2], "'=cmd|' /C calc'!A0");
        assert_eq!(&recs[0][15], "'=k=-x", "the tags cell starts with the key");
        assert_eq!(&recs[1][2], "web-1");
        assert_eq!(&recs[0][16], "'=Prod", "the account's name, neutralised");
        for rec in &recs {
            for cell in rec.iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{cell:?}"
                );
            }
        }
        // JSON keeps the values as they are.
        let json = render(ExportFormat::Json, &rows, &accounts).unwrap();
        let back: Vec<InstanceView> = serde_json::from_slice(&json).unwrap();
        assert_eq!(back[0].name, "=cmd|' /C calc'!A0");
    }
}
