//! Durations and points in time as users type them: `500ms`, `2h`, `7d`, `1h30m`; `2026-11-20`,
//! `2026-11-20 14:00`, RFC 3339, `yesterday`, `today`, `now`, `2h` (meaning two hours ago), and
//! `@1700000000` (Unix seconds). Shared by every command that takes a time.
//!
//! Times without a zone are read in the system's local time zone; the store keeps UTC
//! milliseconds.

use std::time::Duration;

use jiff::{Timestamp, tz::TimeZone};

/// A duration or time that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TimeError {
    /// Not a duration.
    #[error("`{0}` is not a duration (use a number with a unit: 500ms, 30s, 5m, 2h, 7d, 2w)")]
    Duration(String),
    /// Not a time.
    #[error(
        "`{0}` is not a time (use 2026-11-20, \"2026-11-20 14:00\", an RFC 3339 time, yesterday, today, now, a duration ago such as 2h, or @UNIX_SECONDS)"
    )]
    Time(String),
}

/// Parses a duration such as `500ms`, `2h`, `1h30m`, `7d`, `2w`; a bare number is seconds.
///
/// # Errors
/// [`TimeError::Duration`] when the text is not a duration.
pub fn parse_duration(text: &str) -> Result<Duration, TimeError> {
    let err = || TimeError::Duration(text.to_owned());
    let s = text.trim();
    if s.is_empty() {
        return Err(err());
    }
    if let Ok(secs) = s.parse::<f64>() {
        return if secs.is_finite() && secs >= 0.0 {
            Ok(Duration::from_secs_f64(secs))
        } else {
            Err(err())
        };
    }
    let mut total = Duration::ZERO;
    let mut rest = s;
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).ok_or_else(err)?;
        if num_len == 0 {
            return Err(err());
        }
        let value: f64 = rest[..num_len].parse().map_err(|_| err())?;
        rest = &rest[num_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let unit = rest[..unit_len].trim();
        rest = rest[unit_len..].trim_start();
        let secs = match unit {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
            "d" | "day" | "days" => 86_400.0,
            "w" | "week" | "weeks" => 604_800.0,
            _ => return Err(err()),
        };
        total += Duration::try_from_secs_f64(value * secs).map_err(|_| err())?;
    }
    Ok(total)
}

/// Parses a point in time relative to `now`.
///
/// # Errors
/// [`TimeError::Time`] when the text is not a time.
pub fn parse_time(text: &str, now: Timestamp) -> Result<Timestamp, TimeError> {
    parse_time_in(text, now, &local_zone())
}

/// This machine's time zone, looked up once per process.
///
/// With `TZ` unset, the zone is read straight from `/etc/localtime`: jiff's own lookup lists the
/// whole zoneinfo tree (hundreds of `stat` calls, several milliseconds) just to name the zone,
/// which would dominate a short-lived command such as `obby query`.
#[must_use]
pub fn local_zone() -> TimeZone {
    static ZONE: std::sync::OnceLock<TimeZone> = std::sync::OnceLock::new();
    ZONE.get_or_init(|| {
        if std::env::var_os("TZ").is_none()
            && let Ok(data) = std::fs::read("/etc/localtime")
        {
            let name = std::fs::read_link("/etc/localtime").ok().and_then(|target| {
                let text = target.to_str()?.to_owned();
                text.split_once("zoneinfo/").map(|(_, name)| name.to_owned())
            });
            if let Ok(tz) = TimeZone::tzif(name.as_deref().unwrap_or("Local"), &data) {
                return tz;
            }
        }
        TimeZone::system()
    })
    .clone()
}

/// [`parse_time`] with an explicit time zone for zone-less inputs.
///
/// # Errors
/// [`TimeError::Time`] when the text is not a time.
pub fn parse_time_in(text: &str, now: Timestamp, tz: &TimeZone) -> Result<Timestamp, TimeError> {
    let err = || TimeError::Time(text.to_owned());
    let s = text.trim();
    let start_of_day = |days_back: i64| -> Result<Timestamp, TimeError> {
        let date = now.to_zoned_datetime(tz.clone()).date();
        let date = date.checked_sub(jiff::Span::new().days(days_back)).map_err(|_| err())?;
        date.to_zoned_datetime(tz.clone()).map(|z| z.timestamp()).map_err(|_| err())
    };
    match s {
        "now" => return Ok(now),
        "today" => return start_of_day(0),
        "yesterday" => return start_of_day(1),
        _ => {}
    }
    if let Some(secs) = s.strip_prefix('@') {
        let secs: i64 = secs.parse().map_err(|_| err())?;
        return Timestamp::from_second(secs).map_err(|_| err());
    }
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Ok(ts);
    }
    if let Ok(dt) = s.replace(' ', "T").parse::<jiff::civil::DateTime>() {
        return dt.to_zoned_datetime(tz.clone()).map(|z| z.timestamp()).map_err(|_| err());
    }
    if let Ok(date) = s.parse::<jiff::civil::Date>() {
        return date.to_zoned_datetime(tz.clone()).map(|z| z.timestamp()).map_err(|_| err());
    }
    let ago = s.strip_suffix("ago").map_or(s, str::trim);
    if let Ok(d) = parse_duration(ago) {
        let span = jiff::SignedDuration::try_from(d).map_err(|_| err())?;
        return now.checked_sub(span).map_err(|_| err());
    }
    Err(err())
}

/// Milliseconds since the Unix epoch, the store's unit of time.
#[must_use]
pub fn now_ms() -> i64 {
    Timestamp::now().as_millisecond()
}

/// Formats store milliseconds as RFC 3339 in UTC with millisecond precision.
#[must_use]
pub fn format_ms(ms: i64) -> String {
    Timestamp::from_millisecond(ms).map_or_else(|_| ms.to_string(), |t| format!("{t:.3}"))
}

/// Formats store milliseconds as local time for humans: `2026-11-23 14:05:09`.
#[must_use]
pub fn format_local(ms: i64) -> String {
    Timestamp::from_millisecond(ms).map_or_else(
        |_| ms.to_string(),
        |t| t.to_zoned_datetime(local_zone()).strftime("%Y-%m-%d %H:%M:%S").to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_zone_agrees_with_jiffs_lookup() {
        let at = Timestamp::from_second(1_790_000_000).unwrap();
        assert_eq!(local_zone().to_offset(at), TimeZone::system().to_offset(at));
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_duration("7d").unwrap(), Duration::from_secs(7 * 86_400));
        assert_eq!(parse_duration("0").unwrap(), Duration::ZERO);
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("5 parsecs").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn times() {
        let now: Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
        let utc = TimeZone::UTC;
        let t = |s: &str| parse_time_in(s, now, &utc).unwrap().to_string();
        assert_eq!(t("2h"), "2026-11-23T10:00:00Z");
        assert_eq!(t("2h ago"), "2026-11-23T10:00:00Z");
        assert_eq!(t("yesterday"), "2026-11-22T00:00:00Z");
        assert_eq!(t("2026-11-20"), "2026-11-20T00:00:00Z");
        assert_eq!(t("2026-11-20 14:00"), "2026-11-20T14:00:00Z");
        assert_eq!(t("@0"), "1970-01-01T00:00:00Z");
        assert!(parse_time_in("someday", now, &utc).is_err());
    }
}
