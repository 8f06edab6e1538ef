//! The audit's result, in the shape of `--format json` (AUDIT.md §4): the
//! one value every output renders. Fields that do not apply are `null`;
//! times are RFC 3339 UTC, durations whole minutes rounded down.

use super::log::{Millis, Problem};
use serde::Serialize;
use std::sync::Arc;

/// A stage id or a resource, shared by every case and deviation that
/// names it: a report of millions of cases holds each name once.
pub type Name = Arc<str>;

fn as_rfc3339<S: serde::Serializer>(m: &Millis, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&super::time::rfc3339(*m))
}

pub const SCHEMA: &str = "procdef-audit/1";

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub process: String,
    pub log: LogSummary,
    pub problems: Vec<Problem>,
    pub summary: Summary,
    pub cases: Vec<Case>,
    pub transitions: Vec<TransitionRow>,
    pub stages: Vec<StageRow>,
    pub metrics: Vec<MetricRow>,
    pub people: Vec<Person>,
    /// `week` or `month`.
    pub period: &'static str,
    pub periods: Vec<PeriodRow>,
    /// The thresholds given on the command line (`--min-fitness`,
    /// `--max-deviations`), and whether the log meets them.
    pub gates: Vec<Gate>,
}

/// A threshold a CI run sets.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Gate {
    /// `min_fitness` or `max_deviations`.
    pub gate: &'static str,
    pub threshold: f64,
    /// The log's figure; `null` when no move was replayed.
    pub value: Option<f64>,
    pub met: bool,
}

impl Report {
    /// Sets the gates of `--min-fitness` and `--max-deviations`. A log of
    /// which nothing was replayed does not meet a minimum fitness.
    pub fn set_gates(&mut self, min_fitness: Option<f64>, max_deviations: Option<u64>) {
        self.gates.clear();
        if let Some(min) = min_fitness {
            let value = self.summary.log_fitness;
            self.gates.push(Gate { gate: "min_fitness", threshold: min, value, met: value.is_some_and(|f| f >= min) });
        }
        if let Some(max) = max_deviations {
            let n = self.summary.deviations.control_flow();
            self.gates.push(Gate {
                gate: "max_deviations",
                threshold: max as f64,
                value: Some(n as f64),
                met: n <= max,
            });
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LogSummary {
    /// Records read, skipped ones included.
    pub rows: u64,
    pub events: u64,
    pub cases: u64,
    pub rows_skipped: u64,
    pub first: Option<String>,
    pub last: Option<String>,
    pub as_of: Option<String>,
    /// The audited window, when `--from` / `--to` were given.
    pub from: Option<String>,
    pub to: Option<String>,
    /// The zone dates and periods are taken in.
    pub time_zone: String,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub skip: u64,
    pub backward: u64,
    pub jump: u64,
    pub reopened: u64,
    pub time_breach: u64,
    pub rotting: u64,
}

impl Counts {
    pub fn add(&mut self, kind: Kind) {
        match kind {
            Kind::Skip => self.skip += 1,
            Kind::Backward => self.backward += 1,
            Kind::Jump => self.jump += 1,
            Kind::Reopened => self.reopened += 1,
            Kind::TimeBreach => self.time_breach += 1,
            Kind::Rotting => self.rotting += 1,
        }
    }

    /// Control-flow deviations: skips, returns, jumps and reopenings.
    pub fn control_flow(&self) -> u64 {
        self.skip + self.backward + self.jump + self.reopened
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub cases: u64,
    pub open_cases: u64,
    pub fitting_cases: u64,
    pub moves: u64,
    /// `null` when no move was counted.
    pub log_fitness: Option<f64>,
    pub deviations: Counts,
}

/// The kinds of deviation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Skip,
    Backward,
    Jump,
    Reopened,
    TimeBreach,
    Rotting,
}

impl Kind {
    pub const ALL: [Kind; 6] =
        [Kind::Skip, Kind::Backward, Kind::Jump, Kind::Reopened, Kind::TimeBreach, Kind::Rotting];

    pub fn is_control_flow(self) -> bool {
        !matches!(self, Kind::TimeBreach | Kind::Rotting)
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Skip => "skip",
            Kind::Backward => "backward",
            Kind::Jump => "jump",
            Kind::Reopened => "reopened",
            Kind::TimeBreach => "time_breach",
            Kind::Rotting => "rotting",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Case {
    pub id: String,
    /// Events of the case, repeats and unknown stages included.
    pub events: u64,
    /// The outcome stage the case ended in, `null` while open.
    pub outcome: Option<Name>,
    pub fits: bool,
    pub moves: u64,
    pub fitness: f64,
    pub deviations: Vec<Deviation>,
}

/// One deviation. A move (`skip`, `backward`, `jump`, `reopened`) has
/// `from`, `to` and (for a skip) `skipped`; a `time_breach` or `rotting`
/// has `stage`, `stay_minutes` and `limit_minutes`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Deviation {
    pub kind: Kind,
    /// 0-based index, in the case's time order, of the event it is about.
    pub event: u64,
    pub row: Option<u64>,
    /// The moment of that event (RFC 3339 in the JSON).
    #[serde(serialize_with = "as_rfc3339")]
    pub time: Millis,
    pub from: Option<Name>,
    pub to: Option<Name>,
    pub skipped: Option<Vec<Name>>,
    pub stage: Option<Name>,
    pub stay_minutes: Option<i64>,
    pub limit_minutes: Option<u32>,
    pub resource: Option<Name>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TransitionRow {
    /// `null` for the start.
    pub from: Option<String>,
    pub to: String,
    /// The planned probability; `null` for a move the process does not
    /// declare.
    pub declared: Option<f64>,
    pub exits: u64,
    pub observed: u64,
    pub share: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// The planned probability lies outside the interval; `null` for an
    /// undeclared move or a stage nobody left.
    pub outside: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageRow {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    pub visits: u64,
    pub median_stay_minutes: Option<i64>,
    pub mean_stay_minutes: Option<i64>,
    pub p90_stay_minutes: Option<i64>,
    pub takes_minutes: Option<u32>,
    pub within_minutes: Option<u32>,
    pub time_breaches: u64,
    pub rotting: u64,
    pub model_win_probability: Option<f64>,
    /// Closed cases that visited the stage.
    pub closed_cases: u64,
    pub observed_win_probability: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Per local day (in the report's zone) with visits: the visits that
    /// began that day and how many of them broke `within`. Not in the JSON:
    /// the audit checklists sum it over the days before each audit.
    #[serde(skip)]
    pub days: Vec<(chrono::NaiveDate, u64, u64)>,
}

impl StageRow {
    /// Visits that began in `[from, to)`, and the time breaches among them.
    pub fn between(&self, from: chrono::NaiveDate, to: chrono::NaiveDate) -> (u64, u64) {
        self.days.iter().filter(|(d, _, _)| *d >= from && *d < to).fold((0, 0), |(v, b), (_, dv, db)| (v + dv, b + db))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MetricRow {
    pub id: String,
    pub title: String,
    /// `conversion`, `time`, `volume` or `activity`.
    pub measure: &'static str,
    /// `>=` or `<=`.
    pub comparison: Option<&'static str>,
    /// The target in the unit of `observed_value`: a fraction, minutes, or
    /// a count per period (per workday for `activity`).
    pub target: Option<f64>,
    pub unit: &'static str,
    pub model_value: Option<f64>,
    pub observed_value: Option<f64>,
    pub met: Option<bool>,
    pub why_null: Option<String>,
    /// For `activity`: each person of the role.
    pub people: Vec<PersonRate>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PersonRate {
    pub resource: String,
    pub per_workday: f64,
    pub met: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub resource: String,
    pub role: Option<String>,
    /// Where the role comes from: `log` (the role column) or `stages` (the
    /// owner of the stages where they act most).
    pub role_from: Option<&'static str>,
    pub cases: u64,
    pub visits: u64,
    pub moves: u64,
    pub deviations: Counts,
    pub time_breaches: u64,
    /// Per `activity` metric of their role: the count per workday.
    pub activities: Vec<ActivityRate>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ActivityRate {
    pub metric: String,
    pub activity: String,
    pub per_workday: f64,
    pub target: Option<f64>,
    pub met: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodRow {
    /// `2027-W09` or `2027-03`.
    pub period: String,
    /// The first day of the period.
    pub start: String,
    pub new_cases: u64,
    pub moves: u64,
    pub deviations: Counts,
    pub time_breaches: u64,
    pub won: u64,
    pub lost: u64,
    pub conforming_share: Option<f64>,
}
