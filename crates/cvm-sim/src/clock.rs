//! The emulator's clock: wall time plus an offset that tests can advance, and a scale for
//! how long transitions take. Signatures are always checked against real wall time, so
//! advancing the world clock never breaks a client's requests.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug)]
pub struct Clock {
    offset_ms: AtomicI64,
    /// 1.0 = realistic durations, 0.0 = transitions finish immediately.
    pub scale: f64,
}

pub fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl Clock {
    pub fn new(scale: f64, offset_ms: i64) -> Self {
        Clock {
            offset_ms: AtomicI64::new(offset_ms),
            scale,
        }
    }
    /// World time in Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        wall_ms() + self.offset_ms.load(Ordering::Relaxed)
    }
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }
    pub fn advance_ms(&self, ms: i64) {
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
    /// A realistic duration scaled for this world.
    pub fn scaled(&self, realistic_ms: i64) -> i64 {
        (realistic_ms as f64 * self.scale).round() as i64
    }
}

/// `YYYY-MM-DDThh:mm:ssZ`, the CVM time format.
pub fn iso(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `YYYY-MM-DD hh:mm:ss`, the VPC time format (and DescribeInstances' creation filters).
pub fn plain(ms: i64) -> String {
    iso(ms).replace('T', " ").trim_end_matches('Z').to_owned()
}

/// Parses `YYYY-MM-DD hh:mm:ss` (UTC) into Unix milliseconds.
pub fn parse_plain(s: &str) -> Option<i64> {
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let t = time::PrimitiveDateTime::parse(s, &fmt).ok()?;
    Some(t.assume_utc().unix_timestamp() * 1000)
}

/// Parses `YYYY-MM-DD` into Unix milliseconds at midnight UTC.
pub fn parse_date(s: &str) -> Option<i64> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let d = time::Date::parse(s, &fmt).ok()?;
    Some(d.midnight().assume_utc().unix_timestamp() * 1000)
}

/// Adds calendar months, clamping the day (Jan 31 + 1 month = Feb 28/29).
pub fn add_months(ms: i64, months: i64) -> i64 {
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)) else {
        return ms;
    };
    let total = t.year() as i64 * 12 + (u8::from(t.month()) as i64 - 1) + months;
    let (year, month0) = (total.div_euclid(12) as i32, total.rem_euclid(12) as u8);
    let Ok(month) = time::Month::try_from(month0 + 1) else {
        return ms;
    };
    let mut day = t.day();
    loop {
        if let Ok(d) = time::Date::from_calendar_date(year, month, day) {
            return d.with_time(t.time()).assume_utc().unix_timestamp() * 1000
                + ms.rem_euclid(1000);
        }
        if day <= 28 {
            return ms;
        }
        day -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_month_arithmetic() {
        assert_eq!(iso(1_551_113_065_000), "2019-02-25T16:44:25Z");
        assert_eq!(plain(1_551_113_065_000), "2019-02-25 16:44:25");
        assert_eq!(parse_plain("2019-02-25 16:44:25"), Some(1_551_113_065_000));
        let jan31 = parse_plain("2024-01-31 10:00:00").unwrap();
        assert_eq!(plain(add_months(jan31, 1)), "2024-02-29 10:00:00");
        assert_eq!(plain(add_months(jan31, 12)), "2025-01-31 10:00:00");
    }
}
