//! Reports a briefing, exam or audit that falls after the rollout's last
//! day. Day 0 is `start`; the last day is `length` (100 days unless
//! written). An event on the last day is inside. Also reports a rollout
//! whose last day, counted from its `start` date, is after 30 December
//! 9999: a calendar file writes a date with four digits of year, and an
//! event ends the day after it happens.
//!
//! **Why it matters.** The rollout is a fixed cycle of briefings, exams
//! and weekly audits; an event outside it never happens in the schedule
//! and calendar procdef produces, so the plan and the calendar would
//! disagree.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won }
//!   stage won { outcome won }
//!   rollout { start 2027-03-01 length 60d exam rep at 30d, 90d }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won }
//!   stage won { outcome won }
//!   rollout { start 2027-03-01 length 60d exam rep at 30d, 60d }
//! }
//! ```

use super::Context;
use crate::diagnostics::{Code, Diagnostic};

pub(super) fn check(cx: &mut Context) {
    let Some(rollout) = &cx.model.rollout else { return };
    let last = rollout.length_minutes;
    let mut found = Vec::new();
    for exam in &rollout.exams {
        for &(at, span) in &exam.at {
            if at > last {
                found.push(
                    Diagnostic::new(
                        Code::P601,
                        span,
                        format!("this exam falls on {}, after the rollout's last day ({})", day(at), day(last)),
                    )
                    .with_label("after the end of the rollout")
                    .with_help(format!(
                        "hold the exam by {}, or lengthen the rollout with `length {}`",
                        day(last),
                        crate::i18n::source_duration(at)
                    )),
                );
            }
        }
    }
    for audit in &rollout.audits {
        let Some(every) = audit.every_minutes else { continue };
        if every > last {
            found.push(
                Diagnostic::new(
                    Code::P601,
                    audit.every_span,
                    format!("the first audit falls on {}, after the rollout's last day ({})", day(every), day(last)),
                )
                .with_label("no audit happens within the rollout")
                .with_help("audit more often (e.g. `every 1w`), or lengthen the rollout"),
            );
        }
    }
    if let Some(start) = rollout.start {
        let end = chrono::NaiveDate::from_ymd_opt(start.year, start.month, start.day)
            .and_then(|d| d.checked_add_days(chrono::Days::new(u64::from(last / crate::model::DAY))));
        // The last date a calendar file can write is 9999-12-31, the end of
        // an event on 9999-12-30.
        let latest = chrono::NaiveDate::from_ymd_opt(9999, 12, 30);
        if end.is_none_or(|end| Some(end) > latest) {
            let until = end.map_or_else(
                || "after the year 9999".to_string(),
                |d| {
                    use chrono::Datelike;
                    format!("{}-{:02}-{:02}", d.year(), d.month(), d.day())
                },
            );
            found.push(
                Diagnostic::new(Code::P601, rollout.start_span, format!("the rollout runs until {until}, too late for a calendar"))
                    .with_label("the rollout starts here")
                    .with_help("a calendar file holds dates up to 9999-12-31, and each event ends the next day: start the rollout earlier or shorten it"),
            );
        }
    }
    found.into_iter().for_each(|d| cx.report(d));
}

fn day(minutes: u32) -> String {
    let days = f64::from(minutes) / f64::from(crate::model::DAY);
    if days.fract() == 0.0 { format!("day {days}") } else { format!("day {days:.2}") }
}
