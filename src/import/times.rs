//! Times as the original obby wrote them.
//!
//! Its `timestamp` columns hold local time without a zone (`YYYY-MM-DD HH:MM:SS[.ffffff]`, or
//! with a `T`, as Python's `datetime.now()` prints), read in `--timezone` (default: this
//! machine's zone); its `created_at` columns are SQLite's `CURRENT_TIMESTAMP`, which is UTC.
//! A text with an explicit offset (`Z`, `+02:00`) is taken as written, and a number as seconds
//! since the epoch (milliseconds when it is too large to be seconds).

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use rusqlite::types::ValueRef;

/// Milliseconds since the epoch for a stored time, reading zone-less text in `tz`.
#[must_use]
pub fn parse_value(value: ValueRef<'_>, tz: &TimeZone) -> Option<i64> {
    match value {
        ValueRef::Integer(n) => Some(from_number(n as f64)),
        ValueRef::Real(f) => Some(from_number(f)),
        ValueRef::Text(t) => parse_text(std::str::from_utf8(t).ok()?, tz),
        _ => None,
    }
}

fn from_number(n: f64) -> i64 {
    // Seconds until the year 5138; beyond that it must be milliseconds already.
    if n.abs() > 1e11 { n as i64 } else { (n * 1000.0).round() as i64 }
}

/// Milliseconds since the epoch for a time written as text, reading zone-less text in `tz`.
#[must_use]
pub fn parse_text(text: &str, tz: &TimeZone) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(n) = text.parse::<f64>() {
        return Some(from_number(n));
    }
    let iso = text.replacen(' ', "T", 1);
    if let Ok(ts) = iso.parse::<Timestamp>() {
        return Some(ts.as_millisecond());
    }
    let dt: DateTime = iso.parse().ok()?;
    let ts = tz.to_ambiguous_timestamp(dt).compatible().ok()?;
    Some(ts.as_millisecond())
}

/// The zone for `--timezone` (an IANA name such as `Europe/Berlin`, `UTC`, or a fixed offset
/// like `+02:00`), or this machine's zone.
///
/// # Errors
/// An unknown zone name.
pub fn zone(name: Option<&str>) -> Result<TimeZone, String> {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(crate::timeparse::local_zone());
    };
    if let Ok(tz) = TimeZone::get(name) {
        return Ok(tz);
    }
    if let Some(offset) = parse_offset(name) {
        return Ok(TimeZone::fixed(offset));
    }
    Err(format!("unknown time zone `{name}` (use an IANA name like `Europe/Berlin`, or `+02:00`)"))
}

/// `+HH:MM`, `-HH`, `+HHMM`.
fn parse_offset(text: &str) -> Option<jiff::tz::Offset> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) || !(digits.len() == 2 || digits.len() == 4) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = if digits.len() == 4 { digits[2..].parse().ok()? } else { 0 };
    jiff::tz::Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_time_is_read_in_the_given_zone() {
        let berlin = zone(Some("Europe/Berlin")).unwrap();
        let utc = TimeZone::UTC;
        let t = parse_text("2024-03-01 10:00:00", &berlin).unwrap();
        assert_eq!(t, parse_text("2024-03-01 09:00:00", &utc).unwrap());
        assert_eq!(
            parse_text("2024-03-01T09:00:00.250000", &utc).unwrap(),
            parse_text("2024-03-01 09:00:00", &utc).unwrap() + 250
        );
        assert_eq!(
            parse_text("2024-03-01T09:00:00Z", &berlin),
            parse_text("2024-03-01 09:00:00", &utc)
        );
        assert_eq!(parse_text("1700000000", &utc), Some(1_700_000_000_000));
        assert_eq!(parse_value(ValueRef::Real(1.5), &utc), Some(1500));
        assert!(parse_text("yesterday", &utc).is_none());
        assert!(zone(Some("Mars/Olympus")).is_err());
        assert!(zone(Some("+02:00")).is_ok());
    }
}
