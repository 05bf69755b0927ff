//! Calendar-date helpers: strict parsing, month arithmetic with clamping, today in Asia/Shanghai.

use chrono::{Datelike, Days, Months, NaiveDate};

/// Parses a strict `YYYY-MM-DD` real calendar date (`2026-02-30`, `2026/10/01`, `2026-1-5` and
/// `20261001` are all `None`).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let year = digits(0..4)?;
    let month = digits(5..7)?;
    let day = digits(8..10)?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// `date` plus `months` calendar months (negative: minus), clamped to the month's last day
/// (2024-02-29 + 60 months = 2029-02-28). `None` only outside chrono's range (±262,000 years),
/// which four-digit input years plus or minus a few decades cannot reach.
pub fn add_months(date: NaiveDate, months: i64) -> Option<NaiveDate> {
    let n = Months::new(u32::try_from(months.unsigned_abs()).ok()?);
    if months >= 0 {
        date.checked_add_months(n)
    } else {
        date.checked_sub_months(n)
    }
}

/// `date` plus `days` days (negative: minus).
pub(crate) fn add_days(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    let n = Days::new(days.unsigned_abs());
    if days >= 0 {
        date.checked_add_days(n)
    } else {
        date.checked_sub_days(n)
    }
}

/// The calendar date in Asia/Shanghai (UTC+8 all year, no DST) at `unix_millis` milliseconds
/// since the Unix epoch. Pure: the caller reads the clock. Saturates at chrono's date range.
pub fn today_in_shanghai(unix_millis: i64) -> NaiveDate {
    const DAY_MS: i64 = 86_400_000;
    const OFFSET_MS: i64 = 8 * 3_600_000;
    let days = unix_millis.saturating_add(OFFSET_MS).div_euclid(DAY_MS);
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    add_days(epoch, days).unwrap_or(if days < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

/// Whole days from `from` to `to` (positive when `to` is later).
pub(crate) fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    to.signed_duration_since(from).num_days()
}

/// Formats a date as the contract's `YYYY-MM-DD`.
///
/// Years outside 0..=9999 get a sign and at least four digits (`+10000-01-01`, `-0001-12-31`),
/// as chrono's `%Y` writes them. The classification never outputs such a date: a derived date
/// outside 0000–9999 is `INVALID_DATE` on the field it comes from (see `classify.rs`), so this
/// only keeps the function total. Written by hand because chrono's `format` pulls its whole strftime machinery
/// into the WebAssembly (about 8 KB).
pub(crate) fn format_date(date: NaiveDate) -> String {
    let year = date.year();
    let mut out = String::with_capacity(11);
    if !(0..=9999).contains(&year) {
        out.push(if year < 0 { '-' } else { '+' });
    }
    push_padded(&mut out, year.unsigned_abs(), 4);
    out.push('-');
    push_padded(&mut out, date.month(), 2);
    out.push('-');
    push_padded(&mut out, date.day(), 2);
    out
}

/// Appends `n` in decimal, zero-padded to at least `width` digits.
fn push_padded(out: &mut String, n: u32, width: usize) {
    let digits = n.to_string();
    out.extend(std::iter::repeat_n('0', width.saturating_sub(digits.len())));
    out.push_str(&digits);
}

/// The date in `year` with the month and day of `md`, clamped to the month's end (so a
/// `02-29` rule still gives a date in common years).
pub(crate) fn in_year(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).or_else(|| {
        let first = NaiveDate::from_ymd_opt(year, month, 1)?;
        let next = first.checked_add_months(Months::new(1))?;
        next.pred_opt().filter(|d| d.year() == year)
    })
}

/// `MM-DD` as (month, day), accepting only days that exist in a common year.
pub(crate) fn parse_month_day(md: &str) -> Option<(u32, u32)> {
    let b = md.as_bytes();
    if b.len() != 5 || b[2] != b'-' {
        return None;
    }
    let month: u32 = md.get(0..2)?.parse().ok()?;
    let day: u32 = md.get(3..5)?.parse().ok()?;
    if !md[0..2]
        .bytes()
        .chain(md[3..5].bytes())
        .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(2001, month, day).map(|_| (month, day))
}

#[cfg(test)]
mod tests {
    use super::{add_days, format_date};
    use chrono::NaiveDate;

    #[test]
    fn format_date_writes_what_chrono_would() {
        let mut dates = vec![NaiveDate::MIN, NaiveDate::MAX];
        for (y, m, d) in [
            (0, 1, 1),
            (1, 2, 3),
            (999, 12, 31),
            (2026, 11, 27),
            (9999, 12, 31),
            (10_000, 1, 1),
            (-1, 12, 31),
            (-10_000, 6, 15),
        ] {
            dates.extend(NaiveDate::from_ymd_opt(y, m, d));
        }
        // Every day of a few years around the edges of four-digit years, and of today's era.
        for start in [(-2, 1, 1), (2024, 1, 1), (9998, 1, 1)] {
            let first = NaiveDate::from_ymd_opt(start.0, start.1, start.2);
            for n in 0..(3 * 366) {
                dates.extend(first.and_then(|f| add_days(f, n)));
            }
        }
        assert!(dates.len() > 3000);
        for d in dates {
            assert_eq!(format_date(d), d.format("%Y-%m-%d").to_string(), "{d:?}");
        }
    }
}
