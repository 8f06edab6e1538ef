//! The rollout kit, written from the rollout's dated events
//! ([`crate::rollout::events`]): the schedule, the calendar file, the exam
//! sheets and the audit checklists.
//!
//! Without a `start` date the kit counts days from the start ("day 30",
//! "week 3") and writes no calendar file: a calendar needs real dates.

pub mod audit;
pub mod exam;
pub mod ics;
pub mod schedule;

use super::Output;
use crate::i18n::Words;
use crate::model::graph::StageGraph;
use crate::model::{Date, Model, RoleId};
use crate::rollout::{Event, EventKind, audited, date_after, examined};

/// Every file of the rollout kit, when the process has a rollout.
/// `stems` are the roles' file stems, in declaration order; `all` is
/// [`crate::rollout::events`] of the model.
pub fn kit(model: &Model, graph: &StageGraph, stems: &[String], all: &[Event]) -> Vec<Output> {
    let Some(r) = &model.rollout else { return Vec::new() };
    let mut out = vec![Output { path: "rollout/schedule.md".into(), contents: schedule::markdown(model, stems, all) }];
    if r.start.is_some() {
        out.push(Output { path: "rollout/rollout.ics".into(), contents: ics::calendar(model, all) });
    }
    for role in examined(model) {
        let stem = stems.get(role.0).cloned().unwrap_or_default();
        out.push(Output { path: format!("rollout/exam-{stem}.md"), contents: exam::markdown(model, graph, role, all) });
    }
    for role in audited(model) {
        let stem = stems.get(role.0).cloned().unwrap_or_default();
        out.push(Output {
            path: format!("rollout/audit-{stem}.md"),
            contents: audit::markdown(model, graph, role, all),
        });
    }
    out
}

/// When a day of the rollout falls: its date with a start date, else
/// `day 30`.
pub fn when(w: &Words, start: Option<Date>, day: u32) -> String {
    match start {
        Some(start) => w.date(date_after(start, day)),
        None => w.fill("event.day", &[("n", &day.to_string())]),
    }
}

/// The titles of roles.
pub fn titles(model: &Model, roles: &[RoleId]) -> Vec<String> {
    roles.iter().map(|r| model.role(*r).title.clone()).collect()
}

/// The name of an event's kind: `Briefing`, `Exam`, `Audit …`.
pub fn kind_word(w: &Words, kind: EventKind) -> &'static str {
    w.get(match kind {
        EventKind::Briefing => "event.briefing",
        EventKind::Exam => "event.exam",
        EventKind::Audit => "event.audit",
    })
}

/// Who an event concerns, in words: the roles, or for an audit who
/// audits whom.
pub fn who(w: &Words, model: &Model, e: &Event) -> String {
    let roles = w.list(&titles(model, &e.roles));
    match (e.kind, e.by) {
        (EventKind::Audit, Some(by)) => w.fill("event.audit_who", &[("by", &model.role(by).title), ("roles", &roles)]),
        _ => roles,
    }
}
