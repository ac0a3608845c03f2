//! Export of the instance list as the page shows it (filtered and sorted): CSV for
//! spreadsheets (one row per instance, lists joined, quoted by the `csv` crate) or JSON
//! (the rows as the app sees them).

use crate::console::instances::InstanceView;
use crate::error::AppError;
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
];

pub fn to_csv(rows: &[InstanceView]) -> Result<Vec<u8>, AppError> {
    let err = |e: csv::Error| AppError::internal("App.Export", e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER).map_err(err)?;
    for r in rows {
        let tags = r
            .tags
            .iter()
            .map(|t| format!("{}={}", t.key, t.value))
            .collect::<Vec<_>>()
            .join("; ");
        w.write_record([
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
        ])
        .map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| AppError::internal("App.Export", e.to_string()))
}

pub fn render(format: ExportFormat, rows: &[InstanceView]) -> Result<Vec<u8>, AppError> {
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
        ExportFormat::Csv => to_csv(rows),
        ExportFormat::Json => serde_json::to_vec_pretty(rows)
            .map_err(|e| AppError::internal("App.Export", e.to_string())),
    }
}

/// Writes the export to `path` (replacing it).
pub fn write(
    path: &std::path::Path,
    format: ExportFormat,
    rows: &[InstanceView],
) -> Result<(), AppError> {
    let bytes = render(format, rows)?;
    std::fs::write(path, bytes).map_err(|e| {
        AppError::internal(
            "App.Export",
            format!("could not write {}: {e}", path.display()),
        )
    })
}
