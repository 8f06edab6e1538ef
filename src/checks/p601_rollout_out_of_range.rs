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
use super::say::{kw, source_duration};
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;

pub(super) fn check(cx: &mut Context) {
    let Some(rollout) = &cx.model.rollout else { return };
    let (last, lang) = (rollout.length_minutes, cx.lang);
    let day = |minutes| day(lang, minutes);
    let mut found = Vec::new();
    for exam in &rollout.exams {
        for &(at, span) in &exam.at {
            if at > last {
                let (on, end, length) = (day(at), day(last), format!("{} {}", kw("length"), source_duration(at)));
                found.push(match lang {
                    Lang::En => Diagnostic::new(
                        Code::P601,
                        span,
                        format!("this exam falls on {on}, after the rollout's last day ({end})"),
                    )
                    .with_label("after the end of the rollout")
                    .with_help(format!("hold the exam by {end}, or lengthen the rollout with `{length}`")),
                    Lang::Ru => Diagnostic::new(
                        Code::P601,
                        span,
                        format!("этот экзамен приходится на {on}, позже последнего дня внедрения ({end})"),
                    )
                    .with_label("после окончания внедрения")
                    .with_help(format!("назначьте экзамен не позже чем на {end} или удлините внедрение: `{length}`")),
                });
            }
        }
    }
    for audit in &rollout.audits {
        let Some(every) = audit.every_minutes else { continue };
        if every > last {
            let (on, end, example) = (day(every), day(last), format!("{} 1{}", kw("every"), kw("w")));
            found.push(match lang {
                Lang::En => Diagnostic::new(
                    Code::P601,
                    audit.every_span,
                    format!("the first audit falls on {on}, after the rollout's last day ({end})"),
                )
                .with_label("no audit happens within the rollout")
                .with_help(format!("audit more often (e.g. `{example}`), or lengthen the rollout")),
                Lang::Ru => Diagnostic::new(
                    Code::P601,
                    audit.every_span,
                    format!("первый аудит приходится на {on}, позже последнего дня внедрения ({end})"),
                )
                .with_label("за время внедрения не пройдёт ни одного аудита")
                .with_help(format!("проводите аудит чаще (например, `{example}`) или удлините внедрение")),
            });
        }
    }
    if let Some(start) = rollout.start {
        let end = chrono::NaiveDate::from_ymd_opt(start.year, start.month, start.day)
            .and_then(|d| d.checked_add_days(chrono::Days::new(u64::from(last / crate::model::DAY))));
        // The last date a calendar file can write is 9999-12-31, the end of
        // an event on 9999-12-30.
        let latest = chrono::NaiveDate::from_ymd_opt(9999, 12, 30);
        if end.is_none_or(|end| Some(end) > latest) {
            let until = end.map(|d| {
                use chrono::Datelike;
                format!("{}-{:02}-{:02}", d.year(), d.month(), d.day())
            });
            let span = rollout.start_span;
            found.push(match lang {
                Lang::En => {
                    let until = until.unwrap_or_else(|| "after the year 9999".to_string());
                    Diagnostic::new(Code::P601, span, format!("the rollout runs until {until}, too late for a calendar"))
                        .with_label("the rollout starts here")
                        .with_help("a calendar file holds dates up to 9999-12-31, and each event ends the next day: start the rollout earlier or shorten it")
                }
                Lang::Ru => {
                    let message = match until {
                        Some(until) => format!("внедрение продлится до {until}: это слишком поздно для календаря"),
                        None => "внедрение продлится дольше 9999 года: это слишком поздно для календаря".to_string(),
                    };
                    Diagnostic::new(Code::P601, span, message)
                        .with_label("здесь внедрение начинается")
                        .with_help("файл календаря вмещает даты до 9999-12-31, а каждое событие заканчивается на следующий день: начните внедрение раньше или сократите его")
                }
            });
        }
    }
    found.into_iter().for_each(|d| cx.report(d));
}

/// `day 12` (`день 12`); a day and a part, `day 12.50` (`день 12,50`).
fn day(lang: Lang, minutes: u32) -> String {
    let days = f64::from(minutes) / f64::from(crate::model::DAY);
    let shown = if days.fract() == 0.0 { format!("{days}") } else { format!("{days:.2}") };
    match lang {
        Lang::En => format!("day {shown}"),
        Lang::Ru => format!("день {}", shown.replace('.', ",")),
    }
}
