//! `procdef audit`: a CRM's history replayed against the process
//! (AUDIT.md). Readers (`read/`) fill a compact [`log::Log`]; [`audit`]
//! matches its stage names, replays every case (`replay.rs`) and measures
//! what §3 asks, into one [`report::Report`] that every output renders.
//!
//! Like the rest of the library this does no I/O: readers take any
//! `std::io::Read`, and the CLI opens the files.

pub mod activities;
pub mod log;
pub mod names;
pub mod read;
pub mod render;
pub mod replay;
pub mod report;
pub mod time;

use crate::funnel::Analysis;
use crate::model::{Comparison, Measure, Model, OutcomeKind, Period, Quantity, StageId};
use activities::Activity;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use foldhash::{HashMap, HashSet};
use log::{Event, Log, Millis, NO_RESOURCE, Problem, ProblemKind};
use names::NameMap;
use replay::{Move, Process};
use report::*;
use time::Zone;

/// The z of a two-sided 95% interval.
const Z95: f64 = 1.959963984540054;

/// The Wilson score interval of `k` successes in `n` trials, at 95%.
pub fn wilson(k: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let d = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / d;
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / d;
    Some((centre - half, centre + half))
}

/// `--by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum By {
    #[default]
    Week,
    Month,
}

/// What the command line sets.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub as_of: Option<Millis>,
    pub from: Option<Millis>,
    pub to: Option<Millis>,
    pub zone: Zone,
    pub by: By,
    pub activities: Vec<Activity>,
}

impl Settings {
    fn counts(&self, t: Millis) -> bool {
        self.from.is_none_or(|f| t >= f) && self.to.is_none_or(|e| t < e)
    }
}

/// One visit of a case: a stage entered.
#[derive(Debug, Clone, Copy)]
struct Visit {
    stage: StageId,
    /// Index of its first event among the case's events.
    event: usize,
    time: Millis,
    /// The local date of `time`, in the report's zone.
    date: NaiveDate,
    resource: u32,
    row: Option<u64>,
}

/// Per-stage tallies.
#[derive(Debug, Default, Clone)]
struct StageTally {
    visits: u64,
    /// Completed stays, in seconds.
    stays: Vec<u32>,
    stay_sum: f64,
    breaches: u64,
    rotting: u64,
    closed: u64,
    won: u64,
    /// Per local day: visits begun, and time breaches among them.
    days: std::collections::BTreeMap<NaiveDate, (u64, u64)>,
}

#[derive(Debug, Default, Clone)]
struct PersonTally {
    cases: u64,
    visits: u64,
    moves: u64,
    deviations: Counts,
    breaches: u64,
    /// Visits per owner role of the stage, for people without a role column.
    by_owner: HashMap<usize, u64>,
}

#[derive(Debug, Default, Clone)]
struct PeriodTally {
    new_cases: u64,
    moves: u64,
    conforming: u64,
    deviations: Counts,
    won: u64,
    lost: u64,
}

/// Per-metric tallies: (sum, count) or (hits, trials).
#[derive(Debug, Default, Clone, Copy)]
struct MetricTally {
    num: f64,
    den: u64,
}

/// Runs the audit of `log` against a checked model.
pub fn audit(model: &Model, analysis: &Analysis, mut log: Log, names: &NameMap, settings: &Settings) -> Report {
    let process = Process::new(model);
    let rows_skipped = log.skipped();
    let mut problems = std::mem::take(&mut log.problems);

    // Names → stages, once per distinct name; unknown ones are one problem
    // per distinct text, with their count.
    let stage_of: Vec<Option<StageId>> = log.names.iter().map(|n| names.resolve(&n.text)).collect();
    let mut unknown: Vec<(String, u64)> = Vec::new();
    {
        let mut counts = vec![0u64; log.names.len()];
        for e in &log.events {
            if stage_of[e.name as usize].is_none() {
                counts[e.name as usize] += 1;
            }
        }
        let mut index: HashMap<&str, usize> = HashMap::default();
        for (i, n) in log.names.iter().enumerate() {
            if counts[i] == 0 {
                continue;
            }
            match index.get(n.text.as_str()) {
                Some(&j) => unknown[j].1 += counts[i],
                None => {
                    index.insert(n.text.as_str(), unknown.len());
                    unknown.push((n.text.clone(), counts[i]));
                }
            }
        }
    }
    for (name, count) in &unknown {
        let shown = crate::emit::visible::visible(name);
        let hint =
            names.suggest(name).map(|s| format!("; did you mean `{}`?", crate::emit::visible::visible(s))).or_else(
                || {
                    // HubSpot and Pipedrive name stages by their CRM ids.
                    name.trim().bytes().all(|b| b.is_ascii_digit()).then(|| {
                        "; a CRM stage id? Give the CRM's list of its stages with --crm-stages FILE".to_string()
                    })
                },
            );
        let times = if *count == 1 { "1 event".to_string() } else { format!("{count} events") };
        problems.push(Problem {
            row: None,
            kind: ProblemKind::UnknownStage,
            message: format!(
                "`{shown}` is not a stage of the process ({times} left out of the replay){}",
                hint.unwrap_or_default()
            ),
            count: *count,
            name: Some(name.clone()),
            log: None,
        });
    }

    // Time order within each case; equal times keep the order of the file.
    if log.files.len() <= 1 {
        log.events.sort_unstable_by_key(|e| (e.case, e.time, e.row));
    } else {
        log.events.sort_unstable_by_key(|e| (e.case, e.time, e.name_file(&log.names), e.row));
    }
    let first = log.events.iter().map(|e| e.time).min();
    let last = log.events.iter().map(|e| e.time).max();
    let as_of = settings.as_of.or(last);

    let n = model.stages.len();
    let mut stages = vec![StageTally::default(); n];
    let mut pairs: HashMap<(Option<StageId>, StageId), u64> = HashMap::default();
    let mut exits: HashMap<Option<StageId>, u64> = HashMap::default();
    let mut people = vec![PersonTally::default(); log.resources.len()];
    let mut periods: Periods = Default::default();
    let mut metric_tallies = vec![MetricTally::default(); model.metrics.len()];
    let mut cases = Vec::with_capacity(log.cases.len());
    let mut summary = Summary {
        cases: 0,
        open_cases: 0,
        fitting_cases: 0,
        moves: 0,
        log_fitness: None,
        deviations: Counts::default(),
    };
    // A period is keyed by its first day; its label is made once.
    let period_of = |date: NaiveDate| -> NaiveDate {
        match settings.by {
            By::Week => date - Duration::days(i64::from(date.weekday().num_days_from_monday())),
            By::Month => date.with_day(1).unwrap_or(date),
        }
    };

    let ids: Vec<Name> = model.stages.iter().map(|s| Name::from(s.id.as_str())).collect();
    let resource_names: Vec<Name> = log.resources.iter().map(|r| Name::from(r.as_str())).collect();
    let resource_of = |r: u32| resource_names.get(r as usize).cloned();
    let mut visits: Vec<Visit> = Vec::new();
    let mut start = 0;
    let events = &log.events;
    // Each case id moves into its report; the log keeps only the count.
    let mut case_ids = std::mem::take(&mut log.cases);
    let case_count = case_ids.len() as u64;
    while start < events.len() {
        let case = events[start].case;
        let mut end = start;
        while end < events.len() && events[end].case == case {
            end += 1;
        }
        let case_events = &events[start..end];
        start = end;
        if !case_events.iter().any(|e| settings.counts(e.time)) {
            continue;
        }

        // Visits: repeats at a stage without a self-loop are one visit.
        visits.clear();
        for (i, e) in case_events.iter().enumerate() {
            let Some(stage) = stage_of[e.name as usize] else { continue };
            if let Some(prev) = visits.last()
                && prev.stage == stage
                && !process.has_self_loop(stage)
            {
                continue;
            }
            let date = settings.zone.date_of(e.time);
            visits.push(Visit { stage, event: i, time: e.time, date, resource: e.resource, row: log.row_of(e) });
        }

        let mut deviations = Vec::new();
        let mut moves = 0u64;
        let mut flow = 0u64;
        let mut resources: Vec<u32> = Vec::new();
        if let Some(v) = visits.first()
            && settings.counts(v.time)
        {
            tally(&mut periods, period_of(v.date), settings.by).new_cases += 1;
        }
        for (k, v) in visits.iter().enumerate() {
            let from = k.checked_sub(1).map(|j| visits[j].stage);
            let counted = settings.counts(v.time);
            if v.resource != NO_RESOURCE && !resources.contains(&v.resource) {
                resources.push(v.resource);
            }
            if !counted {
                continue;
            }
            moves += 1;
            *exits.entry(from).or_insert(0) += 1;
            *pairs.entry((from, v.stage)).or_insert(0) += 1;
            stages[v.stage.0].visits += 1;
            stages[v.stage.0].days.entry(v.date).or_insert((0, 0)).0 += 1;
            let kind = match process.classify(from, v.stage) {
                Move::Conforming => None,
                Move::Reopened => Some((Kind::Reopened, None)),
                Move::Skip(between) => Some((Kind::Skip, Some(between))),
                Move::Backward => Some((Kind::Backward, None)),
                Move::Jump => Some((Kind::Jump, None)),
            };
            let p = tally(&mut periods, period_of(v.date), settings.by);
            p.moves += 1;
            match &kind {
                None => p.conforming += 1,
                Some((kind, _)) => p.deviations.add(*kind),
            }
            if let Some(person) = people.get_mut(v.resource as usize) {
                person.visits += 1;
                person.moves += 1;
                if let Some(owner) = model.stage(v.stage).owner {
                    *person.by_owner.entry(owner.0).or_insert(0) += 1;
                }
                if let Some((kind, _)) = &kind {
                    person.deviations.add(*kind);
                }
            }
            if let Some((kind, between)) = kind {
                flow += 1;
                summary.deviations.add(kind);
                deviations.push(Deviation {
                    kind,
                    event: v.event as u64,
                    row: v.row,
                    time: v.time,
                    from: from.map(|s| ids[s.0].clone()),
                    to: Some(ids[v.stage.0].clone()),
                    skipped: between.map(|b| b.iter().map(|s| ids[s.0].clone()).collect()),
                    stage: None,
                    stay_minutes: None,
                    limit_minutes: None,
                    resource: resource_of(v.resource),
                });
            }
        }

        // Stays, breaches and rotting.
        let last_visit = visits.last().copied();
        let outcome = last_visit.and_then(|v| model.stage(v.stage).outcome.map(|_| v.stage));
        for (k, v) in visits.iter().enumerate() {
            let stage = model.stage(v.stage);
            let (stay, kind) = match visits.get(k + 1) {
                Some(next) => (next.time - v.time, Kind::TimeBreach),
                None if outcome.is_none() => (as_of.unwrap_or(v.time) - v.time, Kind::Rotting),
                None => continue,
            };
            if !settings.counts(v.time) && kind == Kind::TimeBreach {
                continue;
            }
            if kind == Kind::TimeBreach {
                let t = &mut stages[v.stage.0];
                t.stays.push(u32::try_from((stay / 1000).max(0)).unwrap_or(u32::MAX));
                t.stay_sum += stay as f64 / 60_000.0;
            }
            let Some(limit) = stage.within else { continue };
            if stay <= i64::from(limit) * 60_000 {
                continue;
            }
            summary.deviations.add(kind);
            if kind == Kind::TimeBreach {
                stages[v.stage.0].breaches += 1;
                stages[v.stage.0].days.entry(v.date).or_insert((0, 0)).1 += 1;
                tally(&mut periods, period_of(v.date), settings.by).deviations.add(kind);
                if let Some(person) = people.get_mut(v.resource as usize) {
                    person.breaches += 1;
                }
            } else {
                stages[v.stage.0].rotting += 1;
            }
            deviations.push(Deviation {
                kind,
                event: v.event as u64,
                row: v.row,
                time: v.time,
                from: None,
                to: None,
                skipped: None,
                stage: Some(ids[v.stage.0].clone()),
                stay_minutes: Some(stay.div_euclid(60_000)),
                limit_minutes: Some(limit),
                resource: resource_of(v.resource),
            });
        }
        deviations.sort_by_key(|d| (d.event, !d.kind.is_control_flow()));
        // Most cases have none or one: a list grown by pushing holds room
        // for four, which a report of millions of cases cannot afford.
        deviations.shrink_to_fit();

        // A deal is won or lost in the period of its final outcome: a deal
        // reopened and closed again counts once, where it ended.
        if let (Some(o), Some(v)) = (outcome, last_visit)
            && settings.counts(v.time)
        {
            let p = tally(&mut periods, period_of(v.date), settings.by);
            match model.stage(o).outcome {
                Some(OutcomeKind::Won) => p.won += 1,
                Some(OutcomeKind::Lost) => p.lost += 1,
                None => {}
            }
        }

        // Win probabilities and metrics, over closed cases.
        if let Some(o) = outcome {
            let won = model.stage(o).outcome == Some(OutcomeKind::Won);
            let mut seen = vec![];
            for v in visits.iter().filter(|v| settings.counts(v.time)) {
                if !seen.contains(&v.stage) {
                    seen.push(v.stage);
                    stages[v.stage.0].closed += 1;
                    stages[v.stage.0].won += u64::from(won);
                }
            }
        }
        for (m, tally) in model.metrics.iter().zip(&mut metric_tallies) {
            measure_case(m.measure.as_ref(), &visits, outcome.is_some(), settings, tally);
        }

        for r in resources {
            if let Some(person) = people.get_mut(r as usize) {
                person.cases += 1;
            }
        }
        summary.cases += 1;
        summary.moves += moves;
        let fits = flow == 0;
        summary.fitting_cases += u64::from(fits);
        summary.open_cases += u64::from(outcome.is_none());
        cases.push(Case {
            id: std::mem::take(&mut case_ids[case as usize]),
            events: case_events.len() as u64,
            outcome: outcome.map(|o| ids[o.0].clone()),
            fits,
            moves,
            fitness: if moves == 0 { 1.0 } else { 1.0 - flow as f64 / moves as f64 },
            deviations,
        });
    }
    // Cases keep the order of their first record.
    summary.log_fitness =
        (summary.moves > 0).then(|| 1.0 - summary.deviations.control_flow() as f64 / summary.moves as f64);

    let transitions = transition_rows(&process, &pairs, &exits);
    let stage_rows = stage_rows(model, analysis, &mut stages);
    let window = Window::new(settings, first, as_of);
    let people_rows = person_rows(model, &log, &people, settings, &window);
    let metrics = metric_rows(model, analysis, &metric_tallies, &people_rows, &window, settings);
    let period_rows = periods
        .into_iter()
        .map(|(start, (key, t))| PeriodRow {
            period: key,
            start: start.format("%Y-%m-%d").to_string(),
            new_cases: t.new_cases,
            moves: t.moves,
            time_breaches: t.deviations.time_breach,
            deviations: t.deviations,
            won: t.won,
            lost: t.lost,
            conforming_share: (t.moves > 0).then(|| t.conforming as f64 / t.moves as f64),
        })
        .collect();

    Report {
        schema: SCHEMA,
        process: model.id.clone(),
        log: LogSummary {
            rows: log.rows,
            events: log.events.len() as u64,
            cases: case_count,
            rows_skipped,
            first: first.map(time::rfc3339),
            last: last.map(time::rfc3339),
            as_of: as_of.map(time::rfc3339),
            from: settings.from.map(time::rfc3339),
            to: settings.to.map(time::rfc3339),
            time_zone: settings.zone.to_string(),
        },
        problems,
        summary,
        cases,
        transitions,
        stages: stage_rows,
        metrics,
        people: people_rows,
        period: match settings.by {
            By::Week => "week",
            By::Month => "month",
        },
        periods: period_rows,
        gates: Vec::new(),
    }
}

type Periods = std::collections::BTreeMap<NaiveDate, (String, PeriodTally)>;

fn tally(periods: &mut Periods, start: NaiveDate, by: By) -> &mut PeriodTally {
    &mut periods
        .entry(start)
        .or_insert_with(|| {
            let label = match by {
                By::Week => time::iso_week(start),
                By::Month => time::month(start),
            };
            (label, PeriodTally::default())
        })
        .1
}

impl Event {
    fn name_file(&self, names: &[log::Name]) -> u16 {
        names.get(self.name as usize).map_or(0, |n| n.file)
    }
}

/// One case's part of a metric.
fn measure_case(measure: Option<&Measure>, visits: &[Visit], closed: bool, settings: &Settings, t: &mut MetricTally) {
    match measure {
        Some(Measure::Conversion { from: Some(a), to: Some(b) }) if closed => {
            if let Some(i) = visits.iter().position(|v| v.stage == *a && settings.counts(v.time)) {
                t.den += 1;
                if visits[i + 1..].iter().any(|v| v.stage == *b) {
                    t.num += 1.0;
                }
            }
        }
        Some(Measure::Time { from: Some(a), to: None }) => {
            for w in visits.windows(2) {
                if w[0].stage == *a && settings.counts(w[0].time) {
                    t.den += 1;
                    t.num += (w[1].time - w[0].time) as f64 / 60_000.0;
                }
            }
        }
        Some(Measure::Time { from: Some(a), to: Some(Some(b)) }) => {
            for (i, v) in visits.iter().enumerate() {
                if v.stage == *a
                    && settings.counts(v.time)
                    && let Some(next) = visits[i + 1..].iter().find(|w| w.stage == *b)
                {
                    t.den += 1;
                    t.num += (next.time - v.time) as f64 / 60_000.0;
                }
            }
        }
        Some(Measure::Volume(Some(a))) => {
            t.num += visits.iter().filter(|v| v.stage == *a && settings.counts(v.time)).count() as f64;
        }
        _ => {}
    }
}

fn transition_rows(
    process: &Process,
    pairs: &HashMap<(Option<StageId>, StageId), u64>,
    exits: &HashMap<Option<StageId>, u64>,
) -> Vec<TransitionRow> {
    let model = process.model();
    let id = |s: StageId| model.stage(s).id.clone();
    let row = |from: Option<StageId>, to: StageId, declared: Option<f64>| {
        // A move from the start counts every case; from a stage, the visits
        // of it that another visit followed.
        let exits = exits.get(&from).copied().unwrap_or(0);
        let observed = pairs.get(&(from, to)).copied().unwrap_or(0);
        let interval = wilson(observed, exits);
        TransitionRow {
            from: from.map(id),
            to: id(to),
            declared,
            exits,
            observed,
            share: (exits > 0).then(|| observed as f64 / exits as f64),
            low: interval.map(|i| i.0),
            high: interval.map(|i| i.1),
            outside: declared.zip(interval).map(|(p, (lo, hi))| p < lo || p > hi),
        }
    };
    let mut rows = Vec::new();
    let mut declared_pairs: HashSet<(Option<StageId>, StageId)> = HashSet::default();
    let sources = std::iter::once(None).chain((0..model.stages.len()).map(|i| Some(StageId(i))));
    for from in sources.clone() {
        for (to, p) in process.declared(from) {
            if declared_pairs.insert((from, to)) {
                rows.push(row(from, to, Some(p)));
            }
        }
    }
    let mut undeclared: Vec<_> = pairs.keys().filter(|k| !declared_pairs.contains(k)).copied().collect();
    undeclared.sort_by_key(|(f, t)| (f.map_or(0, |s| s.0 + 1), t.0));
    rows.extend(undeclared.into_iter().map(|(f, t)| row(f, t, None)));
    rows
}

/// `p` (0 to 1) of sorted values, by linear interpolation between the
/// closest ranks (as spreadsheets' PERCENTILE.INC).
fn percentile(sorted: &[u32], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = p * (sorted.len() - 1) as f64;
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    let (a, b) = (f64::from(sorted[lo]), f64::from(sorted[hi]));
    Some(a + (b - a) * (rank - lo as f64))
}

fn stage_rows(model: &Model, analysis: &Analysis, tallies: &mut [StageTally]) -> Vec<StageRow> {
    model
        .stages
        .iter()
        .zip(tallies.iter_mut())
        .enumerate()
        .map(|(i, (stage, t))| {
            t.stays.sort_unstable();
            let minutes = |seconds: Option<f64>| seconds.map(|s| (s / 60.0).floor() as i64);
            let interval = wilson(t.won, t.closed);
            let model_win = match stage.outcome {
                Some(OutcomeKind::Won) => Some(1.0),
                Some(OutcomeKind::Lost) => Some(0.0),
                None => analysis.stages.get(i).map(|f| f.win_probability).filter(|p| p.is_finite()),
            };
            StageRow {
                id: stage.id.clone(),
                title: stage.title.clone(),
                owner: stage.owner.map(|r| model.role(r).id.clone()),
                visits: t.visits,
                median_stay_minutes: minutes(percentile(&t.stays, 0.5)),
                mean_stay_minutes: (!t.stays.is_empty()).then(|| (t.stay_sum / t.stays.len() as f64).floor() as i64),
                p90_stay_minutes: minutes(percentile(&t.stays, 0.9)),
                takes_minutes: stage.takes,
                within_minutes: stage.within,
                time_breaches: t.breaches,
                rotting: t.rotting,
                model_win_probability: model_win,
                closed_cases: t.closed,
                observed_win_probability: (t.closed > 0).then(|| t.won as f64 / t.closed as f64),
                low: interval.map(|i| i.0),
                high: interval.map(|i| i.1),
                days: t.days.iter().map(|(d, (v, b))| (*d, *v, *b)).collect(),
            }
        })
        .collect()
}

/// The audited window, in workdays (Monday to Friday in the zone).
struct Window {
    workdays: u64,
}

impl Window {
    fn new(settings: &Settings, first: Option<Millis>, as_of: Option<Millis>) -> Window {
        let start = settings.from.or(first);
        // `--to` is exclusive: its day is not in the window.
        let end = settings.to.map(|t| t - 1).or(as_of);
        let workdays = match (start, end) {
            (Some(s), Some(e)) if e >= s => {
                let (a, b) = (settings.zone.date_of(s), settings.zone.date_of(e));
                a.iter_days()
                    .take_while(|d| *d <= b)
                    .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
                    .count() as u64
            }
            _ => 0,
        };
        Window { workdays }
    }
}

fn person_rows(model: &Model, log: &Log, people: &[PersonTally], settings: &Settings, window: &Window) -> Vec<Person> {
    let mut from_log: HashMap<u32, (u64, u32)> = HashMap::default();
    let mut pairs: Vec<_> = log.resource_roles.iter().collect();
    pairs.sort_by_key(|((r, role), _)| (*r, *role));
    for ((r, role), count) in pairs {
        let best = from_log.entry(*r).or_insert((0, *role));
        if *count > best.0 {
            *best = (*count, *role);
        }
    }
    let activity_metrics: Vec<(usize, &str, Option<usize>)> = model
        .metrics
        .iter()
        .enumerate()
        .filter_map(|(i, m)| match &m.measure {
            Some(Measure::Activity { what, role }) => Some((i, what.as_str(), role.map(|r| r.0))),
            _ => None,
        })
        .collect();
    let mut rows: Vec<Person> = log
        .resources
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let t = people.get(i).cloned().unwrap_or_default();
            let (role, role_from) = match from_log.get(&(i as u32)) {
                Some((_, role)) => (log.roles.get(*role as usize).cloned(), Some("log")),
                None => {
                    let mut owners: Vec<_> = t.by_owner.iter().collect();
                    owners.sort_by_key(|(r, n)| (std::cmp::Reverse(**n), **r));
                    match owners.first() {
                        Some((r, _)) => (Some(model.roles[**r].id.clone()), Some("stages")),
                        None => (None, None),
                    }
                }
            };
            Person {
                resource: name.clone(),
                role,
                role_from,
                cases: t.cases,
                visits: t.visits,
                moves: t.moves,
                deviations: t.deviations,
                time_breaches: t.breaches,
                activities: Vec::new(),
            }
        })
        .collect();
    // People who appear only in the activities file.
    for a in &settings.activities {
        if !rows.iter().any(|p| p.resource == a.resource) {
            rows.push(Person {
                resource: a.resource.clone(),
                role: a.role.clone(),
                role_from: a.role.as_ref().map(|_| "activities"),
                cases: 0,
                visits: 0,
                moves: 0,
                deviations: Counts::default(),
                time_breaches: 0,
                activities: Vec::new(),
            });
        }
    }
    for person in &mut rows {
        if person.role.is_none()
            && let Some(a) = settings.activities.iter().find(|a| a.resource == person.resource && a.role.is_some())
        {
            person.role = a.role.clone();
            person.role_from = Some("activities");
        }
    }
    // Without an activities file there is nothing to rate: the metrics say
    // why they are `null` rather than rating everyone at zero.
    let activity_metrics = if settings.activities.is_empty() { Vec::new() } else { activity_metrics };
    for (metric, what, role) in &activity_metrics {
        let m = &model.metrics[*metric];
        let target = m.target.as_ref().and_then(|t| per_workday_target(model, &t.value));
        for person in &mut rows {
            let in_role = match role {
                Some(r) => person.role.as_deref().is_some_and(|name| role_matches(model, *r, name)),
                None => false,
            };
            if !in_role {
                continue;
            }
            let count: f64 = settings
                .activities
                .iter()
                .filter(|a| {
                    a.resource == person.resource && activities::same(&a.activity, what) && settings.counts(a.time)
                })
                .fold(0.0, |sum, a| sum + a.count);
            let per_workday = if window.workdays == 0 { 0.0 } else { count / window.workdays as f64 };
            let met = target.zip(m.target.as_ref()).map(|(t, tg)| compare(tg.cmp, per_workday, t));
            person.activities.push(ActivityRate {
                metric: m.id.clone(),
                activity: what.to_string(),
                per_workday,
                target,
                met,
            });
        }
    }
    rows
}

fn role_matches(model: &Model, role: usize, name: &str) -> bool {
    let r = &model.roles[role];
    let name = name.trim();
    r.id == name || r.title.trim().to_lowercase() == name.to_lowercase()
}

fn compare(cmp: Comparison, observed: f64, target: f64) -> bool {
    match cmp {
        Comparison::AtLeast => observed >= target,
        Comparison::AtMost => observed <= target,
    }
}

/// A rate target as a count per workday.
fn per_workday_target(model: &Model, value: &Quantity) -> Option<f64> {
    match value {
        Quantity::Rate(rate) => {
            let workdays = model.plan.as_ref().map_or(default_workdays(rate.per), |p| p.workdays_per(rate.per));
            Some(rate.value / workdays)
        }
        Quantity::Number(n) => Some(*n),
        _ => None,
    }
}

fn metric_rows(
    model: &Model,
    analysis: &Analysis,
    tallies: &[MetricTally],
    people: &[Person],
    window: &Window,
    settings: &Settings,
) -> Vec<MetricRow> {
    model
        .metrics
        .iter()
        .zip(tallies)
        .enumerate()
        .map(|(i, (m, t))| {
            let model_value = analysis.metrics.get(i).copied().flatten();
            let mut people_rates = Vec::new();
            let (target, unit, observed, why): (Option<f64>, &'static str, Option<f64>, Option<String>) = match &m
                .measure
            {
                Some(Measure::Conversion { .. }) => {
                    let target = m.target.as_ref().and_then(|t| match t.value {
                        Quantity::Percent(p) => Some(p),
                        _ => None,
                    });
                    let observed = (t.den > 0).then(|| t.num / t.den as f64);
                    (
                        target,
                        "fraction",
                        observed,
                        observed.is_none().then(|| "no closed case entered the first stage".into()),
                    )
                }
                Some(Measure::Time { to, .. }) => {
                    let target = m.target.as_ref().and_then(|t| match t.value {
                        Quantity::Minutes(m) => Some(f64::from(m)),
                        _ => None,
                    });
                    let observed = (t.den > 0).then(|| t.num / t.den as f64);
                    let why = match to {
                        None => "no completed stay in the stage",
                        Some(_) => "no case went from the first stage to the second",
                    };
                    (target, "minutes", observed, observed.is_none().then(|| why.into()))
                }
                Some(Measure::Volume(_)) => {
                    let period = match m.target.as_ref().map(|t| &t.value) {
                        Some(Quantity::Rate(r)) => Some(r.per),
                        _ => model.plan.as_ref().and_then(|p| p.goal.as_ref()).map(|g| g.period()),
                    };
                    let target = m.target.as_ref().and_then(|t| match &t.value {
                        Quantity::Rate(r) => Some(r.value),
                        Quantity::Number(n) => Some(*n),
                        _ => None,
                    });
                    let per =
                        period.map(|p| model.plan.as_ref().map_or(default_workdays(p), |plan| plan.workdays_per(p)));
                    let (observed, why) = match per {
                        _ if window.workdays == 0 => (None, Some("the audited window holds no workday".to_string())),
                        Some(per) => (Some(t.num / window.workdays as f64 * per), None),
                        None => (None, Some("the metric has no rate target and the process no plan period".into())),
                    };
                    (target, unit_of(period), observed, why)
                }
                Some(Measure::Activity { role, .. }) => {
                    let target = m.target.as_ref().and_then(|t| per_workday_target(model, &t.value));
                    for p in people {
                        if let Some(a) = p.activities.iter().find(|a| a.metric == m.id) {
                            people_rates.push(PersonRate {
                                resource: p.resource.clone(),
                                per_workday: a.per_workday,
                                met: a.met,
                            });
                        }
                    }
                    let observed = (!people_rates.is_empty()).then(|| {
                        people_rates.iter().fold(0.0, |sum, r| sum + r.per_workday) / people_rates.len() as f64
                    });
                    let why = if observed.is_some() {
                        None
                    } else if settings.activities.is_empty() {
                        Some("no activities were given (--activities FILE)".into())
                    } else {
                        let name =
                            role.map_or_else(|| "its role".to_string(), |r| format!("role `{}`", model.role(r).id));
                        Some(format!("no person of {name} is in the log or the activities"))
                    };
                    (target, "per_workday", observed, why)
                }
                None => (None, "", None, Some("the metric has no measure".into())),
            };
            let met = match (&m.measure, observed, target, m.target.as_ref()) {
                (Some(Measure::Activity { .. }), Some(_), Some(_), Some(_)) => {
                    Some(people_rates.iter().all(|r| r.met == Some(true)))
                }
                (_, Some(o), Some(tv), Some(tg)) => Some(compare(tg.cmp, o, tv)),
                _ => None,
            };
            let why_null = match (met, &why) {
                (Some(_), _) => None,
                (None, Some(w)) => Some(w.clone()),
                (None, None) => Some("the metric has no target".into()),
            };
            MetricRow {
                id: m.id.clone(),
                title: m.title.clone(),
                measure: m.measure.as_ref().map_or("", |x| x.keyword()),
                comparison: m.target.as_ref().map(|t| match t.cmp {
                    Comparison::AtLeast => ">=",
                    Comparison::AtMost => "<=",
                }),
                target,
                unit,
                model_value,
                observed_value: observed,
                met,
                why_null,
                people: people_rates,
            }
        })
        .collect()
}

/// Workdays in a period without a plan: 1, 5, and the 21 a plan assumes.
fn default_workdays(period: Period) -> f64 {
    match period {
        Period::Day => 1.0,
        Period::Week => 5.0,
        Period::Month => 21.0,
    }
}

fn unit_of(period: Option<Period>) -> &'static str {
    match period {
        Some(Period::Day) => "per_day",
        Some(Period::Week) => "per_week",
        Some(Period::Month) => "per_month",
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_the_textbook_values() {
        let (lo, hi) = wilson(7, 8).expect("interval");
        assert!((lo - 0.529_111_8).abs() < 1e-6 && (hi - 0.977_582_5).abs() < 1e-6, "{lo} {hi}");
        assert_eq!(wilson(0, 0), None);
        let (lo, hi) = wilson(0, 6).expect("interval");
        assert!(lo.abs() < 1e-12 && (hi - 0.390_334_3).abs() < 1e-6);
    }

    #[test]
    fn percentiles_interpolate() {
        assert_eq!(percentile(&[1, 2, 3, 4], 0.5), Some(2.5));
        assert_eq!(percentile(&[10], 0.9), Some(10.0));
        assert_eq!(percentile(&[0, 10], 0.9), Some(9.0));
        assert_eq!(percentile(&[], 0.5), None);
    }
}
