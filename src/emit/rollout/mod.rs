//! The rollout as a list of dated events: briefings on day 0 and every
//! period, exams on their days, audits on day `every`, `2 × every`, …;
//! all on or before the last day. From them, the rollout kit: the
//! schedule, the calendar file, the exam sheets and the audit checklists.
//!
//! Without a `start` date the kit counts days from the start ("day 30",
//! "week 3") and writes no calendar file: a calendar needs real dates.

pub mod audit;
pub mod exam;
pub mod ics;
pub mod schedule;

use super::Output;
use super::i18n::Words;
use crate::model::graph::StageGraph;
use crate::model::{DAY, Date, Model, RoleId};

/// Every file of the rollout kit, when the process has a rollout.
/// `stems` are the roles' file stems, in declaration order.
pub fn kit(model: &Model, graph: &StageGraph, stems: &[String]) -> Vec<Output> {
    let Some(r) = &model.rollout else { return Vec::new() };
    let mut out = vec![Output { path: "rollout/schedule.md".into(), contents: schedule::markdown(model, stems) }];
    if r.start.is_some() {
        out.push(Output { path: "rollout/rollout.ics".into(), contents: ics::calendar(model) });
    }
    for role in examined(model) {
        let stem = stems.get(role.0).cloned().unwrap_or_default();
        out.push(Output { path: format!("rollout/exam-{stem}.md"), contents: exam::markdown(model, graph, role) });
    }
    for role in audited(model) {
        let stem = stems.get(role.0).cloned().unwrap_or_default();
        out.push(Output { path: format!("rollout/audit-{stem}.md"), contents: audit::markdown(model, graph, role) });
    }
    out
}

/// The roles some `exam` line names, in declaration order.
pub fn examined(model: &Model) -> Vec<RoleId> {
    let Some(r) = &model.rollout else { return Vec::new() };
    (0..model.roles.len()).map(RoleId).filter(|id| r.exams.iter().any(|e| e.roles.contains(id))).collect()
}

/// The roles some `audit` line names as audited, in declaration order.
pub fn audited(model: &Model) -> Vec<RoleId> {
    let Some(r) = &model.rollout else { return Vec::new() };
    (0..model.roles.len()).map(RoleId).filter(|id| r.audits.iter().any(|a| a.roles.contains(id))).collect()
}

/// The last day of the rollout (day 0 is the start).
pub fn last_day(model: &Model) -> u32 {
    model.rollout.as_ref().map_or(0, |r| r.length_minutes / DAY)
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventKind {
    Briefing,
    Exam,
    Audit,
}

impl EventKind {
    pub fn key(self) -> &'static str {
        match self {
            EventKind::Briefing => "briefing",
            EventKind::Exam => "exam",
            EventKind::Audit => "audit",
        }
    }
}

/// One occurrence of a rollout event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    /// Minutes from the start of day 0.
    pub at_minutes: u32,
    /// The roles it concerns (briefed, examined or audited).
    pub roles: Vec<RoleId>,
    /// The auditor of an audit.
    pub by: Option<RoleId>,
    /// Which line of the rollout block it comes from (briefings first,
    /// then exams, then audits), and which occurrence.
    pub source: usize,
    pub occurrence: usize,
    /// Which line of its kind it comes from: the second `exam` line is 1.
    pub line: usize,
}

impl Event {
    /// The whole day the event falls on.
    pub fn day(&self) -> u32 {
        self.at_minutes / DAY
    }

    pub fn concerns(&self, role: RoleId) -> bool {
        self.roles.contains(&role) || self.by == Some(role)
    }
}

/// The most occurrences one repeating line yields (a briefing every
/// 30 minutes for 100 days is 4 801); beyond it a line stops, so a
/// mistaken period can never exhaust the memory.
pub const MAX_OCCURRENCES: usize = 10_000;

/// Every rollout event in time order (ties: briefing, exam, audit, then the
/// order written).
pub fn events(model: &Model) -> Vec<Event> {
    let Some(r) = &model.rollout else { return Vec::new() };
    let last = r.length_minutes;
    let mut out = Vec::new();
    let mut source = 0;
    let repeat = |kind,
                  first: u32,
                  every: Option<u32>,
                  roles: &[RoleId],
                  by,
                  (source, line): (usize, usize),
                  out: &mut Vec<Event>| {
        let Some(every) = every.filter(|&e| e > 0) else { return };
        let mut at = first;
        let mut occurrence = 0;
        while at <= last && occurrence < MAX_OCCURRENCES {
            out.push(Event { kind, at_minutes: at, roles: roles.to_vec(), by, source, occurrence, line });
            occurrence += 1;
            at = match at.checked_add(every) {
                Some(a) => a,
                None => break,
            };
        }
    };
    for (line, b) in r.briefings.iter().enumerate() {
        repeat(EventKind::Briefing, 0, b.every_minutes, &b.roles, None, (source, line), &mut out);
        source += 1;
    }
    for (line, e) in r.exams.iter().enumerate() {
        for (k, &(at, _)) in e.at.iter().enumerate() {
            if at <= last {
                out.push(Event {
                    kind: EventKind::Exam,
                    at_minutes: at,
                    roles: e.roles.clone(),
                    by: None,
                    source,
                    occurrence: k,
                    line,
                });
            }
        }
        source += 1;
    }
    for (line, a) in r.audits.iter().enumerate() {
        let first = a.every_minutes.unwrap_or(0);
        repeat(EventKind::Audit, first, a.every_minutes, &a.roles, a.by, (source, line), &mut out);
        source += 1;
    }
    out.sort_by_key(|e| (e.at_minutes, e.kind, e.source, e.occurrence));
    out
}

/// The calendar date of `day` days after `start`.
pub fn date_after(start: Date, day: u32) -> Date {
    let base =
        chrono::NaiveDate::from_ymd_opt(start.year, start.month, start.day).expect("dates are validated when read");
    let d = base.checked_add_days(chrono::Days::new(u64::from(day))).unwrap_or(base);
    use chrono::Datelike;
    Date { year: d.year(), month: d.month(), day: d.day() }
}
