//! `rollout/rollout.ics`: the rollout as an iCalendar file (RFC 5545), one
//! all-day event per briefing, exam and audit.
//!
//! Re-importing a changed file updates the events instead of duplicating
//! them: each event's UID is made from the process id, the kind, the line
//! of that kind in the rollout block and the occurrence
//! (`tools-exam-0-2@procdef` is the third date of the first `exam` line),
//! so adding a line of one kind leaves every other event's UID as it was.
//! DTSTAMP is the start date at midnight UTC, not the clock, so the same
//! input gives the same bytes. Only a rollout with a `start` date has a
//! calendar file. An event moved off a day off (LANGUAGE.md §6.3) is on
//! the day it is held, and its description says the day it moved from.

use super::{kind_word, titles, who};
use crate::emit::visible::visible;
use crate::i18n::Words;
use crate::model::{Date, Model};
use crate::rollout::{Event, EventKind, date_after};
use icalendar::{Calendar, Component, EventLike, Property};

fn naive(d: Date) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(d.year, d.month, d.day).unwrap_or_default()
}

/// The UID of one event occurrence.
pub fn uid(model: &Model, e: &Event) -> String {
    format!("{}-{}-{}-{}@procdef", model.id, e.kind.key(), e.line, e.occurrence)
}

/// Folds content lines to at most 75 octets (RFC 5545, 3.1), never inside
/// a character. The library folds too, but can leave a last piece one
/// octet too long; unfolding and folding again makes every line fit.
fn refold(text: &str) -> String {
    let unfolded = text.replace("\r\n ", "");
    let mut out = String::with_capacity(text.len() + text.len() / 70 * 3);
    for line in unfolded.split_terminator("\r\n") {
        let mut rest = line;
        let mut limit = 75;
        while rest.len() > limit {
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            out.push_str(&rest[..cut]);
            out.push_str("\r\n ");
            rest = &rest[cut..];
            limit = 74;
        }
        out.push_str(rest);
        out.push_str("\r\n");
    }
    out
}

/// The calendar of the rollout's events `all`
/// ([`crate::rollout::events`]); empty of events without a start date.
pub fn calendar(model: &Model, all: &[Event]) -> String {
    refold(&unfolded_calendar(model, all))
}

fn unfolded_calendar(model: &Model, all: &[Event]) -> String {
    let w = Words::new(model.language);
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"));
    cal.append_property(Property::new("PRODID", "-//procdef//rollout//EN"));
    cal.append_property(Property::new("CALSCALE", "GREGORIAN"));
    cal.append_property(Property::new("METHOD", "PUBLISH"));
    let name = w.fill("schedule.title", &[("process", &model.title)]);
    // Text values may hold no control characters (RFC 5545, 3.3.11).
    cal.append_property(Property::new("X-WR-CALNAME", visible(&name)));
    let Some(start) = model.rollout.as_ref().and_then(|r| r.start) else { return cal.to_string() };
    let stamp = naive(start).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    for e in all {
        let day = naive(date_after(start, e.day()));
        let next = day.succ_opt().unwrap_or(day);
        let summary = w.fill("ics.summary", &[("event", kind_word(&w, e.kind)), ("who", &who(&w, model, e))]);
        let roles = w.list(&titles(model, &e.roles));
        let mut description = match (e.kind, e.by) {
            (EventKind::Audit, Some(by)) => w.fill("ics.audit", &[("by", &model.role(by).title), ("roles", &roles)]),
            (EventKind::Briefing, _) => w.fill("ics.briefing", &[("roles", &roles)]),
            _ => w.fill("ics.exam", &[("roles", &roles)]),
        };
        if let Some(note) = model.rollout.as_ref().and_then(|r| super::schedule::moved_note(&w, r, e)) {
            description.push('\n');
            description.push_str(&capitalized(&note));
            description.push('.');
        }
        description.push('\n');
        description.push_str(&w.fill("ics.day", &[("n", &e.day().to_string()), ("process", &model.title)]));
        let event = icalendar::Event::new()
            .uid(&uid(model, e))
            .timestamp(stamp)
            .starts(day)
            .ends(next)
            .summary(&visible(&summary))
            .description(&visible(&description))
            .add_property("CATEGORIES", kind_word(&w, e.kind))
            .add_property("TRANSP", "TRANSPARENT")
            .done();
        cal.push(event);
    }
    cal.to_string()
}

/// `moved from …` as the start of a sentence.
fn capitalized(text: &str) -> String {
    let mut c = text.chars();
    c.next().map_or_else(String::new, |first| first.to_uppercase().chain(c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_folded_at_75_octets_between_characters() {
        let long = format!("DESCRIPTION:{}\r\n", "я".repeat(100));
        let folded = refold(&long);
        for line in folded.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), long);
        assert_eq!(refold("A:b\r\n"), "A:b\r\n");
    }
}
