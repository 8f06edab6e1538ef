//! The rollout as a list of dated events: briefings on day 0 and every
//! period, exams on their days, audits on day `every`, `2 × every`, …;
//! all on or before the last day, and with a working calendar
//! ([`crate::calendar`]) on working days. A pure derivation of the model, like the
//! funnel model: the rollout kit (`emit::rollout`) and the manuals' rollout
//! dates are written from it.

use crate::model::{DAY, Date, Model, RoleId};

/// What an event is; of events at the same time, briefings come first,
/// then exams, then audits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventKind {
    Briefing,
    Exam,
    Audit,
}

impl EventKind {
    /// The kind as a word of the calendar's event ids.
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
    /// Where the event was due, in minutes from the start, when it fell on
    /// a day off and moved to a working day (§6.3).
    pub moved_from: Option<u32>,
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
        out.push(Event {
            kind,
            at_minutes: at,
            roles: l.roles.to_vec(),
            by: l.by,
            source,
            occurrence,
            line: l.line,
            moved_from: None,
        });
        if let Some((at, occurrence)) = l.at(n + 1, last) {
            next.push(Reverse((at, l.kind, l.source, occurrence, i, n + 1)));
        }
    }
    // Off days: each event that falls on one moves to a working day, and
    // the order follows the days held.
    if let Some(calendar) = crate::calendar::Calendar::of(r) {
        let last_day = last / DAY;
        for e in &mut out {
            let held = calendar.working_day(e.day(), last_day);
            if held != e.day() {
                e.moved_from = Some(e.at_minutes);
                e.at_minutes = held * DAY + e.at_minutes % DAY;
            }
        }
        out.sort_by_key(|e| (e.at_minutes, e.kind, e.source, e.occurrence));
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

/// The calendar date of `day` days after `start`.
pub fn date_after(start: Date, day: u32) -> Date {
    let base =
        chrono::NaiveDate::from_ymd_opt(start.year, start.month, start.day).expect("dates are validated when read");
    let d = base.checked_add_days(chrono::Days::new(u64::from(day))).unwrap_or(base);
    use chrono::Datelike;
    Date { year: d.year(), month: d.month(), day: d.day() }
}
