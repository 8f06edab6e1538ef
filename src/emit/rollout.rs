//! The rollout as a list of dated events: briefings on day 0 and every
//! period, exams on their days, audits on day `every`, `2 × every`, …;
//! all on or before the last day.

use crate::model::{Date, Model, RoleId, DAY};

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
    /// Which line of the rollout block it comes from, and which occurrence.
    pub source: usize,
    pub occurrence: usize,
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

/// Every rollout event in time order (ties: briefing, exam, audit, then the
/// order written).
pub fn events(model: &Model) -> Vec<Event> {
    let Some(r) = &model.rollout else { return Vec::new() };
    let last = r.length_minutes;
    let mut out = Vec::new();
    let mut source = 0;
    let repeat = |kind, first: u32, every: Option<u32>, roles: &[RoleId], by, source: usize, out: &mut Vec<Event>| {
        let Some(every) = every else { return };
        let mut at = first;
        let mut occurrence = 0;
        while at <= last {
            out.push(Event { kind, at_minutes: at, roles: roles.to_vec(), by, source, occurrence });
            occurrence += 1;
            at = match at.checked_add(every) {
                Some(a) => a,
                None => break,
            };
        }
    };
    for b in &r.briefings {
        repeat(EventKind::Briefing, 0, b.every_minutes, &b.roles, None, source, &mut out);
        source += 1;
    }
    for e in &r.exams {
        for (k, &(at, _)) in e.at.iter().enumerate() {
            if at <= last {
                out.push(Event { kind: EventKind::Exam, at_minutes: at, roles: e.roles.clone(), by: None, source, occurrence: k });
            }
        }
        source += 1;
    }
    for a in &r.audits {
        let first = a.every_minutes.unwrap_or(0);
        repeat(EventKind::Audit, first, a.every_minutes, &a.roles, a.by, source, &mut out);
        source += 1;
    }
    out.sort_by_key(|e| (e.at_minutes, e.kind, e.source, e.occurrence));
    out
}

/// The calendar date of `day` days after `start`.
pub fn date_after(start: Date, day: u32) -> Date {
    let base = chrono::NaiveDate::from_ymd_opt(start.year, start.month, start.day).expect("dates are validated when read");
    let d = base.checked_add_days(chrono::Days::new(u64::from(day))).unwrap_or(base);
    use chrono::Datelike;
    Date { year: d.year(), month: d.month(), day: d.day() }
}
