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
use crate::i18n::Words;
use crate::model::graph::StageGraph;
use crate::model::{DAY, Date, Model, RoleId};

/// Every file of the rollout kit, when the process has a rollout.
/// `stems` are the roles' file stems, in declaration order; `all` is
/// [`events`] of the model.
pub fn kit(model: &Model, graph: &StageGraph, stems: &[String], all: &[Event]) -> Vec<Output> {
    let Some(r) = &model.rollout else { return Vec::new() };
    let mut out = vec![Output { path: "rollout/schedule.md".into(), contents: schedule::markdown(model, stems) }];
    if r.start.is_some() {
        out.push(Output { path: "rollout/rollout.ics".into(), contents: ics::calendar(model) });
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

/// The most events a rollout yields, all lines together, an event counted
/// once per role it concerns (a briefing of one role every 30 minutes for
/// 100 days is 4 801; a briefing of three roles counts three). Beyond it
/// the rollout's later events are left out, so neither a mistaken period
/// nor many lines nor long lists of roles can exhaust the memory: every
/// output lists an event once, or once per role it concerns.
pub const MAX_EVENTS: usize = 10_000;

/// How much of [`MAX_EVENTS`] an event takes: once per role it concerns
/// (the auditor too), and at least once.
pub fn weight(e: &Event) -> usize {
    cost(&e.roles, e.by)
}

fn cost(roles: &[RoleId], by: Option<RoleId>) -> usize {
    (roles.len() + usize::from(by.is_some())).max(1)
}

/// One line of the rollout block as a source of events in time order.
struct Line<'m> {
    kind: EventKind,
    source: usize,
    line: usize,
    roles: &'m [RoleId],
    by: Option<RoleId>,
    /// The times of its events, in minutes from the start, and their
    /// occurrence numbers: a period, or an exam's days as written.
    times: Times,
}

enum Times {
    Every {
        first: u32,
        every: u32,
    },
    /// Sorted by time, then by the order written.
    Listed(Vec<(u32, usize)>),
}

impl Line<'_> {
    /// The time of occurrence `n`, if it is on or before the last day.
    fn at(&self, n: usize, last: u32) -> Option<(u32, usize)> {
        let (at, occurrence) = match &self.times {
            Times::Every { first, every } => {
                let steps = u32::try_from(n).ok()?;
                (every.checked_mul(steps)?.checked_add(*first)?, n)
            }
            Times::Listed(times) => *times.get(n)?,
        };
        (at <= last).then_some((at, occurrence))
    }
}

/// Every rollout event in time order (ties: briefing, exam, audit, then the
/// order written), the earliest up to [`MAX_EVENTS`] (by [`weight`]).
pub fn events(model: &Model) -> Vec<Event> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let Some(r) = &model.rollout else { return Vec::new() };
    let last = r.length_minutes;
    // `source` numbers the lines: briefings, then exams, then audits.
    let mut lines = Vec::new();
    let mut source = 0;
    let every = |first: u32, every: Option<u32>| every.filter(|&e| e > 0).map(|every| Times::Every { first, every });
    for (line, b) in r.briefings.iter().enumerate() {
        if let Some(times) = every(0, b.every_minutes) {
            lines.push(Line { kind: EventKind::Briefing, source, line, roles: &b.roles, by: None, times });
        }
        source += 1;
    }
    for (line, e) in r.exams.iter().enumerate() {
        let mut times: Vec<(u32, usize)> = e.at.iter().enumerate().map(|(k, &(at, _))| (at, k)).collect();
        times.sort_unstable();
        lines.push(Line {
            kind: EventKind::Exam,
            source,
            line,
            roles: &e.roles,
            by: None,
            times: Times::Listed(times),
        });
        source += 1;
    }
    for (line, a) in r.audits.iter().enumerate() {
        if let Some(times) = every(a.every_minutes.unwrap_or(0), a.every_minutes) {
            lines.push(Line { kind: EventKind::Audit, source, line, roles: &a.roles, by: a.by, times });
        }
        source += 1;
    }
    // Merge the lines in time order: a heap of each line's next event, by
    // its sort key (time, kind, source, occurrence), then the line's index
    // and the event's number in the line.
    type Next = Reverse<(u32, EventKind, usize, usize, usize, usize)>;
    let mut next: BinaryHeap<Next> = BinaryHeap::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some((at, occurrence)) = l.at(0, last) {
            next.push(Reverse((at, l.kind, l.source, occurrence, i, 0)));
        }
    }
    let mut out = Vec::new();
    let mut budget = MAX_EVENTS;
    while let Some(Reverse((at, kind, source, occurrence, i, n))) = next.pop() {
        let l = &lines[i];
        let Some(left) = budget.checked_sub(cost(l.roles, l.by)) else { break };
        budget = left;
        out.push(Event { kind, at_minutes: at, roles: l.roles.to_vec(), by: l.by, source, occurrence, line: l.line });
        if let Some((at, occurrence)) = l.at(n + 1, last) {
            next.push(Reverse((at, l.kind, l.source, occurrence, i, n + 1)));
        }
    }
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
