//! Working-day calendars.
//!
//! The Freedom of Information Act 2000 s.10(6) defines a working day as any day other than a
//! Saturday, a Sunday, Christmas Day, Good Friday or a day that is a bank holiday in *any
//! part* of the United Kingdom. The `uk` calendar is that rule: weekends plus the union of the
//! bank holidays of England and Wales, Scotland and Northern Ireland (which include Christmas
//! Day and Good Friday, or their substitutes). The other calendars use one division's
//! holidays, or weekends only. A constitution may add local closure days.
//!
//! The bank holidays are known for 2019–2027 (`data/uk-bank-holidays.json`). Counting over
//! days outside that range is refused ([`Calendar::covers`]) rather than guessed, so an audit
//! can report "period not covered" instead of a wrong number.
//!
//! Counting is O(1): a cumulative table holds the number of working days before each day of
//! the covered range.

use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;
use time::{Date, Weekday};

/// The bank holidays as published, shipped with the crate.
const BANK_HOLIDAYS: &str = include_str!("../data/uk-bank-holidays.json");

#[derive(Deserialize)]
struct Division {
    events: Vec<Event>,
}

#[derive(Deserialize)]
struct Event {
    date: String,
}

/// Bank holiday dates by division key (`england-and-wales`, `scotland`, `northern-ireland`).
fn bank_holidays() -> &'static HashMap<String, Vec<Date>> {
    static HOLIDAYS: OnceLock<HashMap<String, Vec<Date>>> = OnceLock::new();
    HOLIDAYS.get_or_init(|| {
        let divisions: HashMap<String, Division> =
            serde_json::from_str(BANK_HOLIDAYS).unwrap_or_default();
        divisions
            .into_iter()
            .map(|(name, division)| {
                let dates = division
                    .events
                    .iter()
                    .filter_map(|e| crate::parse::parse_date(&e.date))
                    .collect();
                (name, dates)
            })
            .collect()
    })
}

/// The first and last day whose status is known.
fn covered_range() -> (Date, Date) {
    let first = Date::from_calendar_date(2019, time::Month::January, 1).unwrap_or(Date::MIN);
    let last = Date::from_calendar_date(2027, time::Month::December, 31).unwrap_or(Date::MIN);
    (first, last)
}

/// Why a calendar cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarError {
    /// The name is not a known calendar.
    Unknown(String),
}

/// A working-day calendar with a precomputed cumulative count.
#[derive(Debug, Clone)]
pub struct Calendar {
    first: Date,
    last: Date,
    /// `before[i]`: working days in `first .. first + i` (exclusive).
    before: Vec<u32>,
    closed: BTreeSet<Date>,
}

impl Calendar {
    /// The calendar called `name` (`uk`, `england_and_wales`, `scotland`,
    /// `northern_ireland`, `weekdays`) with `closed` local closure days added.
    pub fn new(name: &str, closed: &[Date]) -> Result<Calendar, CalendarError> {
        let holidays = bank_holidays();
        let divisions: &[&str] = match name {
            "uk" => &["england-and-wales", "scotland", "northern-ireland"],
            "england_and_wales" => &["england-and-wales"],
            "scotland" => &["scotland"],
            "northern_ireland" => &["northern-ireland"],
            "weekdays" => &[],
            other => return Err(CalendarError::Unknown(other.to_string())),
        };
        let mut non_working: BTreeSet<Date> = closed.iter().copied().collect();
        for division in divisions {
            if let Some(dates) = holidays.get(*division) {
                non_working.extend(dates.iter().copied());
            }
        }
        let (first, last) = covered_range();
        let days = (last - first).whole_days().max(0) as usize + 2;
        let mut before = Vec::with_capacity(days);
        let mut count = 0u32;
        let mut day = first;
        before.push(0);
        while day <= last {
            if !is_weekend(day) && !non_working.contains(&day) {
                count += 1;
            }
            before.push(count);
            match day.next_day() {
                Some(next) => day = next,
                None => break,
            }
        }
        Ok(Calendar {
            first,
            last,
            before,
            closed: non_working,
        })
    }

    /// Whether the calendar knows which days are working days on `date`.
    pub fn covers(&self, date: Date) -> bool {
        self.first <= date && date <= self.last
    }

    /// The first and last day covered.
    pub fn range(&self) -> (Date, Date) {
        (self.first, self.last)
    }

    /// Whether `date` is a working day; `None` outside the covered range.
    pub fn is_working_day(&self, date: Date) -> Option<bool> {
        self.covers(date)
            .then(|| !is_weekend(date) && !self.closed.contains(&date))
    }

    fn index(&self, date: Date) -> Option<usize> {
        self.covers(date)
            .then(|| (date.to_julian_day() - self.first.to_julian_day()) as usize)
    }

    /// Working days after `from` up to and including `to`: the FOI count, where day 1 is the
    /// first working day after receipt. Negative when `to` is before `from`; `None` when
    /// either date is outside the covered range.
    pub fn working_days(&self, from: Date, to: Date) -> Option<i64> {
        let a = self.index(from)?;
        let b = self.index(to)?;
        // Working days in (from, to] = before[to + 1] - before[from + 1].
        let upto = |i: usize| self.before.get(i + 1).copied().map(i64::from);
        Some(upto(b)? - upto(a)?)
    }
}

fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        crate::parse::parse_date(s).unwrap()
    }

    #[test]
    fn uk_calendar_skips_weekends_and_every_division_s_holidays() {
        let uk = Calendar::new("uk", &[]).unwrap();
        // Friday 3 Jan 2025 → Monday 6 Jan: one working day.
        assert_eq!(uk.working_days(d("2025-01-03"), d("2025-01-06")), Some(1));
        // Received the same day as answered: zero.
        assert_eq!(uk.working_days(d("2025-01-06"), d("2025-01-06")), Some(0));
        // 2 January is a bank holiday in Scotland only, so not a UK working day.
        assert_eq!(uk.is_working_day(d("2025-01-02")), Some(false));
        let ew = Calendar::new("england_and_wales", &[]).unwrap();
        assert_eq!(ew.is_working_day(d("2025-01-02")), Some(true));
        // 17 March (St Patrick's Day) is a holiday in Northern Ireland.
        assert_eq!(uk.is_working_day(d("2025-03-17")), Some(false));
        // Good Friday 2025 was 18 April; Easter Monday 21 April (not in Scotland, but in E&W).
        assert_eq!(uk.is_working_day(d("2025-04-18")), Some(false));
        assert_eq!(uk.is_working_day(d("2025-04-21")), Some(false));
    }

    #[test]
    fn twenty_working_days_over_christmas() {
        let uk = Calendar::new("uk", &[]).unwrap();
        // Received Fri 12 Dec 2025. Holidays: 25, 26 Dec, 1 Jan, 2 Jan (Scotland).
        // Working days: Dec 15-19 (5), 22-24 (3), 29-31 (3), Jan 5-9 (5), 12-15 (4) = 20.
        assert_eq!(uk.working_days(d("2025-12-12"), d("2026-01-15")), Some(20));
        assert_eq!(uk.working_days(d("2025-12-12"), d("2026-01-16")), Some(21));
        // Reversed dates count negative.
        assert_eq!(uk.working_days(d("2026-01-15"), d("2025-12-12")), Some(-20));
    }

    #[test]
    fn closure_days_and_coverage() {
        let closed = Calendar::new("uk", &[d("2025-12-29")]).unwrap();
        assert_eq!(
            closed.working_days(d("2025-12-12"), d("2026-01-15")),
            Some(19)
        );
        assert_eq!(closed.working_days(d("2018-12-31"), d("2019-01-10")), None);
        assert!(Calendar::new("england", &[]).is_err());
        let weekdays = Calendar::new("weekdays", &[]).unwrap();
        assert_eq!(weekdays.is_working_day(d("2025-12-25")), Some(true));
    }
}
