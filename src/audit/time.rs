//! Timestamps of a log: every form AUDIT.md §1 names, read without
//! allocating, and the time zone that dates without an offset are taken in.

use super::log::Millis;
use chrono::{DateTime, Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use std::fmt;

/// The zone of `--tz`: UTC, a fixed offset, or a zone of the IANA database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zone {
    #[default]
    Utc,
    Fixed(FixedOffset),
    Named(chrono_tz::Tz),
}

impl Zone {
    /// Reads `UTC`, `Z`, `+03:00`, `-0500`, `+3`, or a zone name such as
    /// `Europe/Moscow`.
    pub fn parse(text: &str) -> Result<Zone, String> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("utc") || t == "Z" || t.eq_ignore_ascii_case("gmt") {
            return Ok(Zone::Utc);
        }
        // `+3` is `+03`.
        let padded = match t.as_bytes() {
            [sign @ (b'+' | b'-'), d] if d.is_ascii_digit() => format!("{}0{}", *sign as char, *d as char),
            _ => t.to_string(),
        };
        if let Some(seconds) = offset_seconds(padded.as_bytes()) {
            return FixedOffset::east_opt(seconds).map(Zone::Fixed).ok_or_else(|| format!("`{t}` is not an offset"));
        }
        t.parse::<chrono_tz::Tz>().map(Zone::Named).map_err(|_| {
            format!(
                "`{t}` is not a time zone: write `UTC`, an offset such as `+03:00`, or a name such as `Europe/Moscow`"
            )
        })
    }

    /// The UTC offset, in seconds, in force at `utc`.
    pub fn offset_at(self, utc: Millis) -> i32 {
        match self {
            Zone::Utc => 0,
            Zone::Fixed(o) => o.local_minus_utc(),
            Zone::Named(tz) => match DateTime::<Utc>::from_timestamp_millis(utc) {
                Some(t) => {
                    use chrono::Offset;
                    tz.offset_from_utc_datetime(&t.naive_utc()).fix().local_minus_utc()
                }
                None => 0,
            },
        }
    }

    /// The local date of a moment.
    pub fn date_of(self, utc: Millis) -> NaiveDate {
        let local = utc + i64::from(self.offset_at(utc)) * 1000;
        DateTime::<Utc>::from_timestamp_millis(local).map_or(NaiveDate::MIN, |t| t.date_naive())
    }

    /// A local date and time as a moment: the earlier one when the clock
    /// goes back, the moment the clock jumps to when it skips ahead.
    pub fn local(self, naive: NaiveDateTime) -> Option<Millis> {
        match self {
            Zone::Utc => Some(naive.and_utc().timestamp_millis()),
            Zone::Fixed(o) => Some(naive.and_utc().timestamp_millis() - i64::from(o.local_minus_utc()) * 1000),
            Zone::Named(tz) => match tz.from_local_datetime(&naive) {
                LocalResult::Single(t) => Some(t.timestamp_millis()),
                LocalResult::Ambiguous(a, _) => Some(a.timestamp_millis()),
                LocalResult::None => {
                    // A time the clock skips: the hour after it.
                    let later = naive + chrono::Duration::hours(1);
                    tz.from_local_datetime(&later).earliest().map(|t| t.timestamp_millis() - 3_600_000)
                }
            },
        }
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Utc => f.write_str("UTC"),
            Zone::Fixed(o) => write!(f, "{o}"),
            Zone::Named(tz) => f.write_str(tz.name()),
        }
    }
}

/// How the timestamps of a log are read.
#[derive(Debug, Clone, Default)]
pub struct TimeReader {
    pub zone: Zone,
    /// A strftime pattern (`--time-format`), tried before the built-in forms.
    pub format: Option<String>,
    /// Whether a string of 11 to 14 digits is epoch milliseconds (HubSpot).
    pub epoch_millis: bool,
}

impl TimeReader {
    pub fn parse(&self, text: &str) -> Option<Millis> {
        let t = text.trim();
        if let Some(format) = &self.format {
            return self.parse_with(t, format);
        }
        if let Some(m) = parse_builtin(t.as_bytes(), self.zone) {
            return Some(m);
        }
        if t.len() >= 11
            && t.len() <= 14
            && t.bytes().all(|b| b.is_ascii_digit())
            && (self.epoch_millis || t.len() == 13)
        {
            return t.parse::<i64>().ok();
        }
        None
    }

    fn parse_with(&self, text: &str, format: &str) -> Option<Millis> {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Some(t.timestamp_millis());
        }
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return self.zone.local(t);
        }
        NaiveDate::parse_from_str(text, format).ok().and_then(|d| self.zone.local(d.and_hms_opt(0, 0, 0)?))
    }
}

/// `YYYY-MM-DD`, then optionally `T` or a space and `HH:MM[:SS[.fraction]]`,
/// then optionally `Z` or an offset (`+03:00`, `+0300`, `+03`). Without an
/// offset the time is local to `zone`.
fn parse_builtin(b: &[u8], zone: Zone) -> Option<Millis> {
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(&b[0..4])? as i32;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let rest = &b[10..];
    if rest.is_empty() {
        return zone.local(date.and_hms_opt(0, 0, 0)?);
    }
    if !(rest[0] == b'T' || rest[0] == b't' || rest[0] == b' ') || rest.len() < 6 || rest[3] != b':' {
        return None;
    }
    let hour = digits(&rest[1..3])?;
    let minute = digits(&rest[4..6])?;
    let mut i = 6;
    let mut second = 0;
    let mut millis = 0u32;
    if rest.len() >= 9 && rest[6] == b':' {
        second = digits(&rest[7..9])?;
        i = 9;
        if rest.len() > 9 && (rest[9] == b'.' || rest[9] == b',') {
            let start = 10;
            let mut end = start;
            while end < rest.len() && rest[end].is_ascii_digit() {
                end += 1;
            }
            if end == start {
                return None;
            }
            // Milliseconds: the first three digits, the rest dropped.
            let mut scale = 100;
            for &d in &rest[start..end.min(start + 3)] {
                millis += u32::from(d - b'0') * scale;
                scale /= 10;
            }
            i = end;
        }
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let time = date.and_hms_milli_opt(hour, minute, second.min(59), millis)?;
    let tail = &rest[i..];
    if tail.is_empty() {
        return zone.local(time);
    }
    let offset = if tail == b"Z" || tail == b"z" { 0 } else { offset_seconds(tail)? };
    Some(time.and_utc().timestamp_millis() - i64::from(offset) * 1000)
}

/// `+03:00`, `+0300`, `+03`, `-05:30`: seconds east of UTC.
fn offset_seconds(b: &[u8]) -> Option<i32> {
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m) = match b.len() {
        3 => (digits(&b[1..3])?, 0),
        5 => (digits(&b[1..3])?, digits(&b[3..5])?),
        6 if b[3] == b':' => (digits(&b[1..3])?, digits(&b[4..6])?),
        _ => return None,
    };
    if h > 18 || m > 59 {
        return None;
    }
    Some(sign * (h as i32 * 3600 + m as i32 * 60))
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut n = 0u32;
    for &d in b {
        if !d.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(d - b'0');
    }
    Some(n)
}

/// A moment as RFC 3339 in UTC, to the second (milliseconds when there
/// are any).
pub fn rfc3339(m: Millis) -> String {
    match DateTime::<Utc>::from_timestamp_millis(m) {
        // The usual case, written by hand: chrono's formatter is slow for
        // the millions of times a large report holds.
        Some(t) if m % 1000 == 0 && (0..=9999).contains(&t.year()) => {
            use chrono::Timelike;
            let mut s = String::with_capacity(20);
            let two = |s: &mut String, v: u32| {
                s.push(char::from(b'0' + (v / 10) as u8));
                s.push(char::from(b'0' + (v % 10) as u8));
            };
            let y = t.year() as u32;
            two(&mut s, y / 100);
            two(&mut s, y % 100);
            s.push('-');
            two(&mut s, t.month());
            s.push('-');
            two(&mut s, t.day());
            s.push('T');
            two(&mut s, t.hour());
            s.push(':');
            two(&mut s, t.minute());
            s.push(':');
            two(&mut s, t.second());
            s.push('Z');
            s
        }
        Some(t) if m % 1000 == 0 => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => String::new(),
    }
}

/// The ISO week of a date, as `2027-W09`.
pub fn iso_week(date: NaiveDate) -> String {
    let w = date.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

/// The calendar month of a date, as `2027-03`.
pub fn month(date: NaiveDate) -> String {
    format!("{}-{:02}", date.year(), date.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Option<Millis> {
        TimeReader::default().parse(s)
    }

    #[test]
    fn every_form_of_the_spec_is_read() {
        let nine = utc("2027-01-04T09:00:00Z").expect("RFC 3339");
        assert_eq!(rfc3339(nine), "2027-01-04T09:00:00Z");
        assert_eq!(utc("2027-01-04T12:00:00+03:00"), Some(nine));
        assert_eq!(utc("2027-01-04T09:00:00.000+0000"), Some(nine));
        assert_eq!(utc("2027-01-04 09:00"), Some(nine));
        assert_eq!(utc("2027-01-04 09:00:00"), Some(nine));
        assert_eq!(utc("2027-01-04T09:00:00.250Z"), Some(nine + 250));
        assert_eq!(utc("2027-01-04"), Some(nine - 9 * 3_600_000));
        assert_eq!(utc(&nine.to_string()), Some(nine), "13 digits are epoch milliseconds");
        for bad in ["yesterday", "2027-13-01", "2027-02-30", "2027-01-04T25:00", "2027-01-04T09:00:00+0", ""] {
            assert_eq!(utc(bad), None, "{bad}");
        }
    }

    #[test]
    fn moments_are_written_as_chrono_writes_them() {
        for m in [0, 1_799_053_200_000, -62_135_596_800_000, 253_402_300_799_000, 1_799_053_200_250] {
            let t = DateTime::<Utc>::from_timestamp_millis(m).expect("in range");
            let chrono = if m % 1000 == 0 {
                t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
            } else {
                t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
            };
            assert_eq!(rfc3339(m), chrono);
        }
    }

    #[test]
    fn local_times_are_taken_in_the_zone() {
        let moscow = TimeReader { zone: Zone::parse("Europe/Moscow").expect("zone"), ..TimeReader::default() };
        assert_eq!(moscow.parse("2027-01-04 12:00"), utc("2027-01-04T09:00:00Z"));
        let plus3 = TimeReader { zone: Zone::parse("+03:00").expect("offset"), ..TimeReader::default() };
        assert_eq!(plus3.parse("2027-01-04 12:00"), utc("2027-01-04T09:00:00Z"));
        assert_eq!(plus3.parse("2027-01-04T12:00:00Z"), utc("2027-01-04T12:00:00Z"), "an offset wins over the zone");
        assert!(Zone::parse("Mars/Olympus").is_err());
    }

    #[test]
    fn a_strftime_pattern_reads_other_forms() {
        let r = TimeReader { format: Some("%d.%m.%Y %H:%M".into()), ..TimeReader::default() };
        assert_eq!(r.parse("04.01.2027 09:00"), utc("2027-01-04T09:00:00Z"));
        assert_eq!(r.parse("2027-01-04 09:00"), None);
    }

    #[test]
    fn weeks_are_iso_weeks_in_the_zone() {
        let z = Zone::parse("+03:00").expect("offset");
        let late_sunday = utc("2027-01-03T22:30:00Z").expect("time");
        assert_eq!(iso_week(Zone::Utc.date_of(late_sunday)), "2026-W53");
        assert_eq!(iso_week(z.date_of(late_sunday)), "2027-W01");
    }
}
