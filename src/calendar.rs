//! The working calendar of a rollout (LANGUAGE.md §6.3): which days are
//! days off, and the working day an event moves to.
//!
//! With `weekdays`, or any `holidays` line, Saturdays, Sundays and the
//! holidays are days off. A country names its fixed public holidays for
//! every year the rollout touches; the government's yearly transfers of
//! days off are not fixed, so a process lists them as dates.

use crate::ast::{Country, Holiday};
use crate::model::{Date, Rollout};
use chrono::{Datelike, NaiveDate, Weekday};

/// Russia's fixed public holidays (month, day): 1–8 January (New Year
/// holidays and Christmas), 23 February, 8 March, 1 May, 9 May, 12 June,
/// 4 November.
pub const RU: &[(u32, u32)] = &[
    (1, 1),
    (1, 2),
    (1, 3),
    (1, 4),
    (1, 5),
    (1, 6),
    (1, 7),
    (1, 8),
    (2, 23),
    (3, 8),
    (5, 1),
    (5, 9),
    (6, 12),
    (11, 4),
];

fn naive(d: Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(d.year, d.month, d.day)
}

fn date(d: NaiveDate) -> Date {
    Date { year: d.year(), month: d.month(), day: d.day() }
}

/// The rollout's days off that are holidays (weekends aside), in date
/// order: its countries' holidays in every year from the start to the last
/// day, and the dates listed. Empty without a `start`.
pub fn holidays(rollout: &Rollout) -> Vec<Date> {
    let Some(start) = rollout.start.and_then(naive) else { return Vec::new() };
    let last = start
        .checked_add_days(chrono::Days::new(u64::from(rollout.length_minutes / crate::model::DAY)))
        .unwrap_or(start);
    let mut out = Vec::new();
    for h in &rollout.holidays {
        match h {
            Holiday::Date(d) => out.push(*d),
            Holiday::Country(Country::Ru) => {
                for year in start.year()..=last.year() {
                    out.extend(RU.iter().filter_map(|&(m, d)| NaiveDate::from_ymd_opt(year, m, d)).map(date));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The rollout's working calendar, when it keeps to working days and has
/// a start.
#[derive(Debug, Clone)]
pub struct Calendar {
    start: NaiveDate,
    holidays: Vec<Date>,
}

impl Calendar {
    pub fn of(rollout: &Rollout) -> Option<Calendar> {
        if !rollout.weekdays {
            return None;
        }
        Some(Calendar { start: rollout.start.and_then(naive)?, holidays: holidays(rollout) })
    }

    /// The date of day `day` of the rollout.
    pub fn date(&self, day: u32) -> Date {
        date(self.start.checked_add_days(chrono::Days::new(u64::from(day))).unwrap_or(self.start))
    }

    /// Whether day `day` of the rollout is a working day.
    pub fn is_working(&self, day: u32) -> bool {
        let d = self.start.checked_add_days(chrono::Days::new(u64::from(day))).unwrap_or(self.start);
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && self.holidays.binary_search(&date(d)).is_err()
    }

    /// The day an event of day `day` is held on: `day` itself when it is a
    /// working day, else the next working day, or, when that would pass
    /// `last`, the last working day on or before `last`. A rollout with no
    /// working day at all keeps `day`.
    pub fn working_day(&self, day: u32, last: u32) -> u32 {
        if self.is_working(day) {
            return day;
        }
        if let Some(next) = (day + 1..=last).find(|&d| self.is_working(d)) {
            return next;
        }
        (0..=last.min(day)).rev().find(|&d| self.is_working(d)).unwrap_or(day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DAY;

    fn rollout(start: Date, days: u32, holidays: Vec<Holiday>) -> Rollout {
        Rollout {
            span: Default::default(),
            start: Some(start),
            start_span: Default::default(),
            length_minutes: days * DAY,
            briefings: Vec::new(),
            exams: Vec::new(),
            audits: Vec::new(),
            weekdays: true,
            holidays,
        }
    }

    #[test]
    fn russian_holidays_are_expanded_for_every_year_the_rollout_touches() {
        let r = rollout(Date { year: 2026, month: 12, day: 1 }, 100, vec![Holiday::Country(Country::Ru)]);
        let days = holidays(&r);
        assert!(days.contains(&Date { year: 2027, month: 1, day: 7 }));
        assert!(days.contains(&Date { year: 2026, month: 11, day: 4 }));
        assert_eq!(days.len(), 2 * RU.len());
    }

    #[test]
    fn events_move_to_the_next_working_day_and_never_past_the_last() {
        // 2027-03-06 is a Saturday; 8 March (Monday) is a holiday.
        let r = rollout(Date { year: 2027, month: 3, day: 1 }, 7, vec![Holiday::Country(Country::Ru)]);
        let c = Calendar::of(&r).expect("a calendar");
        assert_eq!(c.working_day(4, 30), 4, "Friday stays");
        assert_eq!(c.working_day(5, 30), 8, "Saturday to Tuesday 9 March");
        // Past the last day (day 7 is the holiday): back to Friday.
        assert_eq!(c.working_day(7, 7), 4);
    }
}
