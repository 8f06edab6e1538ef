//! The audit report's content, built once from the [`Report`] and rendered
//! three times: for the terminal (`human.rs`), as Markdown (`markdown.rs`)
//! and as HTML (`html.rs`), so the three cannot drift. Every fixed word
//! comes from the locale files, in the process's language; text from the
//! log or the process is kept unescaped here, and each renderer escapes it.
//! Lists are sorted worst first; ties keep the report's order.

use crate::audit::log::ProblemKind;
use crate::audit::names::NameMap;
use crate::audit::report::{Case, Counts, Deviation, Kind, MetricRow, Report, TransitionRow};
use crate::i18n::Words;
use crate::i18n::approx_duration;
use crate::model::{Language, Model};
use serde::Serialize;

/// The whole report, in reading order.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    /// `en` or `ru`.
    pub lang: &'static str,
    pub title: String,
    /// What was read: rows, events, dates, the as-of moment.
    pub log_line: String,
    /// The figures of the headline, as label and value.
    pub headline: Vec<Fact>,
    /// The planned funnel against the observed one.
    pub funnel: Funnel,
    /// The transitions whose planned share lies outside the observed
    /// interval, and the moves the process does not have.
    pub outside: Section,
    /// The stages over their time limits.
    pub stages: Section,
    pub metrics: Section,
    /// Deviations per person, the most first.
    pub people: Section,
    /// The weekly (or monthly) table.
    pub periods: Section,
    /// The deals with deviations, the worst first, at most `limit`.
    pub cases: CaseSection,
    /// What could not be read.
    pub problems: Section,
    pub footer: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
    /// Worth a reader's attention (coloured, highlighted).
    pub alert: bool,
}

/// A headed table, or a sentence saying there is nothing to show.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub id: &'static str,
    pub heading: String,
    pub intro: Option<String>,
    /// Shown instead of the table when it has no rows.
    pub empty: String,
    pub table: Table,
    pub more: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub head: Vec<String>,
    /// Which columns hold numbers (aligned right).
    pub numeric: Vec<bool>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub cells: Vec<String>,
    pub alert: bool,
    /// What the row is of, for filtering: a person's role id.
    #[serde(skip)]
    pub tag: Option<String>,
}

/// The planned funnel against the observed one.
#[derive(Debug, Clone, Serialize)]
pub struct Funnel {
    pub id: &'static str,
    pub heading: String,
    pub intro: String,
    pub legend_planned: String,
    pub legend_observed: String,
    pub legend_interval: String,
    pub transitions_heading: String,
    pub transitions: Vec<Bar>,
    pub win_heading: String,
    pub win: Vec<Bar>,
    /// Column heads of the transitions: transition, planned, observed,
    /// interval, deals counted.
    pub transitions_head: Vec<String>,
    /// Column heads of the chances to win.
    pub win_head: Vec<String>,
}

/// One planned share beside the observed one.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub label: String,
    pub planned: Option<f64>,
    pub observed: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub planned_text: String,
    pub observed_text: String,
    pub interval_text: String,
    /// Out of how many deals.
    pub base_text: String,
    /// The planned share lies outside the interval.
    pub outside: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseSection {
    pub id: &'static str,
    pub heading: String,
    pub empty: String,
    pub cases: Vec<CaseLine>,
    pub more: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseLine {
    /// The deal's id, from the log.
    pub id: String,
    /// `lost, fitness 66.7%`.
    pub status: String,
    pub deviations: Vec<String>,
}

/// The most deals listed in the terminal report.
pub const CASES_SHOWN_TERMINAL: usize = 15;
/// The most deals listed in the Markdown and HTML reports.
pub const CASES_SHOWN: usize = 50;

struct Ctx<'a> {
    w: Words,
    model: &'a Model,
}

impl Ctx<'_> {
    fn stage(&self, id: &str) -> String {
        self.model.stage_id(id).map_or_else(|| id.to_string(), |s| self.model.stage(s).title.clone())
    }

    fn from(&self, id: Option<&str>) -> String {
        id.map_or_else(|| self.w.get("report.start").to_string(), |i| self.stage(i))
    }

    fn role(&self, id: &str) -> String {
        self.model.role_id(id).map_or_else(|| id.to_string(), |r| self.model.role(r).title.clone())
    }

    fn pct(&self, v: Option<f64>) -> String {
        v.filter(|x| x.is_finite()).map_or_else(|| "—".to_string(), |x| self.w.percent(x))
    }

    fn interval(&self, low: Option<f64>, high: Option<f64>) -> String {
        match (low, high) {
            (Some(l), Some(h)) => {
                format!("{}–{}%", self.w.number(l * 100.0, 0), self.w.number(h * 100.0, 0))
            }
            _ => "—".to_string(),
        }
    }

    fn stay(&self, minutes: Option<i64>) -> String {
        minutes.map_or_else(|| "—".to_string(), |m| approx_duration(m.max(0) as f64, self.w.language))
    }

    fn limit(&self, minutes: Option<u32>) -> String {
        minutes.map_or_else(|| "—".to_string(), |m| self.w.duration(m))
    }

    fn n(&self, n: u64) -> String {
        self.w.grouped(n as f64, 0)
    }

    fn kind(&self, kind: Kind) -> &'static str {
        self.w.get(&format!("report.kind.{}", kind.name()))
    }
}

/// The report's content in the process's language; at most `limit` deals
/// are listed.
pub fn build(report: &Report, model: &Model, limit: usize) -> Audit {
    let c = Ctx { w: Words::new(model.language), model };
    let w = &c.w;
    Audit {
        lang: model.language.code(),
        title: w.fill("report.title", &[("process", &model.title)]),
        log_line: log_line(&c, report),
        headline: headline(&c, report),
        funnel: funnel(&c, report),
        outside: outside(&c, report),
        stages: stages(&c, report),
        metrics: metrics(&c, report),
        people: people(&c, report),
        periods: periods(&c, report),
        cases: cases(&c, report, limit),
        problems: problems(&c, report),
        footer: w.fill("report.footer", &[("schema", report.schema)]),
    }
}

/// `2027-03-01T09:00:00Z` as `1 March 2027, 09:00` in the report's time
/// zone, with the zone's name.
fn moment(c: &Ctx, rfc3339: &str, zone_name: &str) -> String {
    use chrono::{Datelike, Timelike};
    let zone = crate::audit::time::Zone::parse(zone_name).unwrap_or_default();
    let Ok(t) = chrono::DateTime::parse_from_rfc3339(rfc3339) else { return rfc3339.to_string() };
    let utc = t.timestamp_millis();
    let local = utc + i64::from(zone.offset_at(utc)) * 1000;
    let Some(l) = chrono::DateTime::<chrono::Utc>::from_timestamp_millis(local) else { return rfc3339.to_string() };
    let date = crate::model::Date { year: l.year(), month: l.month(), day: l.day() };
    // Another zone is named once, in the log line.
    let zone = if zone_name == "UTC" { " UTC" } else { "" };
    format!("{}, {:02}:{:02}{zone}", c.w.date(date), l.hour(), l.minute())
}

fn log_line(c: &Ctx, r: &Report) -> String {
    let w = &c.w;
    let l = &r.log;
    let mut s = w.fill(
        "report.log",
        &[
            ("rows", &format!("{} {}", c.n(l.rows), w.plural("count.row", l.rows))),
            ("events", &c.n(l.events)),
            ("cases", &c.n(l.cases)),
            ("skipped", &c.n(l.rows_skipped)),
        ],
    );
    if let (Some(first), Some(last)) = (&l.first, &l.last) {
        s.push(' ');
        s.push_str(&w.fill(
            "report.span",
            &[("first", &moment(c, first, &l.time_zone)), ("last", &moment(c, last, &l.time_zone))],
        ));
    }
    if let Some(as_of) = &l.as_of {
        s.push(' ');
        s.push_str(&w.fill("report.as_of", &[("as_of", &moment(c, as_of, &l.time_zone))]));
    }
    if l.from.is_some() || l.to.is_some() {
        s.push(' ');
        let dash = "…".to_string();
        s.push_str(&w.fill(
            "report.window",
            &[
                ("from", &l.from.as_deref().map_or(dash.clone(), |f| moment(c, f, &l.time_zone))),
                ("to", &l.to.as_deref().map_or(dash, |t| moment(c, t, &l.time_zone))),
            ],
        ));
    }
    if l.time_zone != "UTC" {
        s.push(' ');
        s.push_str(&w.fill("report.zone", &[("zone", &l.time_zone)]));
    }
    s
}

fn headline(c: &Ctx, r: &Report) -> Vec<Fact> {
    let w = &c.w;
    let s = &r.summary;
    let d = &s.deviations;
    let fact = |label: &str, value: String, alert: bool| Fact { label: w.get(label).to_string(), value, alert };
    let fitting_share = if s.cases > 0 { Some(s.fitting_cases as f64 / s.cases as f64) } else { None };
    let conforming = s.moves.saturating_sub(d.control_flow());
    let mut facts = vec![
        fact(
            "report.h.cases",
            w.fill("report.h.cases_value", &[("n", &c.n(s.cases)), ("open", &c.n(s.open_cases))]),
            false,
        ),
        fact(
            "report.h.fitting",
            w.fill(
                "report.h.fitting_value",
                &[("n", &c.n(s.fitting_cases)), ("of", &c.n(s.cases)), ("share", &c.pct(fitting_share))],
            ),
            s.fitting_cases < s.cases,
        ),
        fact(
            "report.h.fitness",
            match s.log_fitness {
                Some(f) => w.fill(
                    "report.h.fitness_value",
                    &[("share", &w.percent(f)), ("n", &c.n(conforming)), ("moves", &c.n(s.moves))],
                ),
                None => w.get("report.h.no_moves").to_string(),
            },
            s.log_fitness.is_some_and(|f| f < 1.0),
        ),
    ];
    let kinds: Vec<String> =
        Kind::ALL.iter().map(|&k| w.fill("report.pair", &[("what", c.kind(k)), ("n", &c.n(count(d, k)))])).collect();
    facts.push(fact("report.h.deviations", kinds.join("; "), d != &Counts::default()));
    let over = r.transitions.iter().filter(|t| t.outside == Some(true)).count() as u64;
    facts.push(fact("report.h.outside", c.n(over), over > 0));
    if !r.problems.is_empty() {
        facts.push(fact("report.h.problems", c.n(r.log.rows_skipped), r.log.rows_skipped > 0));
    }
    if !r.gates.is_empty() {
        let gates: Vec<String> = r
            .gates
            .iter()
            .map(|g| {
                let verdict = w.get(if g.met { "report.gate.met" } else { "report.gate.missed" });
                let (value, threshold) = match g.gate {
                    "min_fitness" => (
                        g.value.map_or_else(|| w.get("report.h.no_moves").to_string(), |v| w.percent(v)),
                        w.percent(g.threshold),
                    ),
                    _ => (c.n(g.value.unwrap_or_default() as u64), c.n(g.threshold as u64)),
                };
                w.fill(
                    &format!("report.gate.{}", g.gate),
                    &[("value", &value), ("threshold", &threshold), ("verdict", verdict)],
                )
            })
            .collect();
        facts.push(fact("report.h.gates", gates.join("; "), r.gates.iter().any(|g| !g.met)));
    }
    facts
}

pub(crate) fn count(d: &Counts, kind: Kind) -> u64 {
    match kind {
        Kind::Skip => d.skip,
        Kind::Backward => d.backward,
        Kind::Jump => d.jump,
        Kind::Reopened => d.reopened,
        Kind::TimeBreach => d.time_breach,
        Kind::Rotting => d.rotting,
    }
}

fn transition_label(c: &Ctx, t: &TransitionRow) -> String {
    format!("{} → {}", c.from(t.from.as_deref()), c.stage(&t.to))
}

/// How far the planned share lies from the interval (0 inside it).
fn gap(t: &TransitionRow) -> f64 {
    match (t.declared, t.low, t.high) {
        (Some(p), Some(l), Some(h)) => (l - p).max(p - h).max(0.0),
        _ => 0.0,
    }
}

fn bar(
    c: &Ctx,
    label: String,
    planned: Option<f64>,
    observed: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    base: String,
) -> Bar {
    let outside = match (planned, low, high) {
        (Some(p), Some(l), Some(h)) => p < l - 1e-12 || p > h + 1e-12,
        _ => false,
    };
    Bar {
        planned_text: c.pct(planned),
        observed_text: c.pct(observed),
        interval_text: c.interval(low, high),
        label,
        planned,
        observed,
        low,
        high,
        base_text: base,
        outside,
    }
}

fn funnel(c: &Ctx, r: &Report) -> Funnel {
    let w = &c.w;
    let transitions = r
        .transitions
        .iter()
        .filter(|t| t.declared.is_some())
        .map(|t| {
            let mut b = bar(c, transition_label(c, t), t.declared, t.share, t.low, t.high, c.n(t.exits));
            b.outside = t.outside == Some(true);
            b
        })
        .collect();
    let win = r
        .stages
        .iter()
        .filter(|s| c.model.stage_id(&s.id).is_some_and(|id| !c.model.stage(id).is_terminal()))
        .map(|s| {
            bar(
                c,
                s.title.clone(),
                s.model_win_probability,
                s.observed_win_probability,
                s.low,
                s.high,
                c.n(s.closed_cases),
            )
        })
        .collect();
    Funnel {
        id: "funnel",
        heading: w.get("report.funnel").to_string(),
        intro: w.get("report.funnel_intro").to_string(),
        legend_planned: w.get("report.planned").to_string(),
        legend_observed: w.get("report.observed").to_string(),
        legend_interval: w.get("report.interval").to_string(),
        transitions_heading: w.get("report.funnel_transitions").to_string(),
        transitions,
        win_heading: w.get("report.funnel_win").to_string(),
        win,
        transitions_head: heads(
            w,
            &["report.col.transition", "report.planned", "report.observed", "report.interval", "report.col.out_of"],
        ),
        win_head: heads(
            w,
            &["report.col.stage", "report.planned", "report.observed", "report.interval", "report.col.closed"],
        ),
    }
}

impl Section {
    /// A section whose words follow the locale's keys: `report.ID` is its
    /// heading, `report.ID_intro` its intro, `report.ID_none` what shows
    /// without rows.
    fn of(w: &Words, id: &'static str, head: &[&str], numeric: Vec<bool>, rows: Vec<Row>) -> Section {
        Section {
            id,
            heading: w.get(&format!("report.{id}")).to_string(),
            intro: Some(w.get(&format!("report.{id}_intro")).to_string()),
            empty: w.get(&format!("report.{id}_none")).to_string(),
            table: Table { head: heads(w, head), numeric, rows },
            more: None,
        }
    }
}

fn heads(w: &Words, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| w.get(k).to_string()).collect()
}

fn outside(c: &Ctx, r: &Report) -> Section {
    let w = &c.w;
    let mut rows: Vec<(f64, u8, &TransitionRow)> = r
        .transitions
        .iter()
        .filter(|t| t.outside == Some(true) || (t.declared.is_none() && t.observed > 0))
        .map(|t| (gap(t), u8::from(t.declared.is_none()), t))
        .collect();
    // Planned transitions outside their interval first, the farthest first;
    // then the moves the process does not have, the most frequent first.
    rows.sort_by(|a, b| a.1.cmp(&b.1).then(b.0.total_cmp(&a.0)).then(b.2.observed.cmp(&a.2.observed)));
    let rows = rows
        .into_iter()
        .map(|(_, undeclared, t)| Row {
            cells: vec![
                transition_label(c, t),
                if undeclared == 1 { w.get("report.not_planned").to_string() } else { c.pct(t.declared) },
                c.pct(t.share),
                c.interval(t.low, t.high),
                format!("{} / {}", c.n(t.observed), c.n(t.exits)),
            ],
            alert: true,
            tag: None,
        })
        .collect();
    Section::of(
        w,
        "outside",
        &["report.col.transition", "report.planned", "report.observed", "report.interval", "report.col.moves_of"],
        vec![false, true, true, true, true],
        rows,
    )
}

fn stages(c: &Ctx, r: &Report) -> Section {
    let w = &c.w;
    let over = |stay: Option<i64>, limit: Option<u32>| matches!((stay, limit), (Some(s), Some(l)) if s > i64::from(l));
    let mut rows: Vec<_> = r
        .stages
        .iter()
        .filter(|s| {
            s.time_breaches > 0
                || s.rotting > 0
                || over(s.median_stay_minutes, s.takes_minutes)
                || over(s.p90_stay_minutes, s.within_minutes)
        })
        .collect();
    rows.sort_by_key(|s| std::cmp::Reverse(s.time_breaches + s.rotting));
    let rows = rows
        .into_iter()
        .map(|s| Row {
            cells: vec![
                s.title.clone(),
                s.owner.as_deref().map_or_else(|| "—".to_string(), |o| c.role(o)),
                c.n(s.visits),
                c.n(s.time_breaches),
                c.n(s.rotting),
                c.stay(s.median_stay_minutes),
                c.limit(s.takes_minutes),
                c.stay(s.p90_stay_minutes),
                c.limit(s.within_minutes),
            ],
            alert: s.time_breaches > 0 || s.rotting > 0,
            tag: None,
        })
        .collect();
    Section::of(
        w,
        "stages",
        &[
            "report.col.stage",
            "report.col.owner",
            "report.col.visits",
            "report.kind.time_breach",
            "report.kind.rotting",
            "report.col.median",
            "report.col.takes",
            "report.col.p90",
            "report.col.within",
        ],
        vec![false, false, true, true, true, true, true, true, true],
        rows,
    )
}

/// A metric's value in its unit.
fn metric_value(c: &Ctx, m: &MetricRow, v: Option<f64>) -> String {
    let Some(v) = v.filter(|x| x.is_finite()) else { return "—".to_string() };
    let w = &c.w;
    match m.unit {
        "fraction" => w.percent(v),
        "minutes" => approx_duration(v.max(0.0), w.language),
        "per_workday" => w.fill("rate", &[("value", &w.number(v, 1)), ("period", w.get("report.workday"))]),
        "per_day" | "per_week" | "per_month" => {
            let period = &m.unit[4..];
            w.fill("rate", &[("value", &w.number(v, 1)), ("period", w.get(&format!("period.{period}")))])
        }
        _ => w.number(v, 2),
    }
}

/// Why a metric could not be judged, in words.
fn why(c: &Ctx, text: &str) -> String {
    const KNOWN: [(&str, &str); 9] = [
        ("no closed case entered", "report.why.no_closed"),
        ("no completed stay", "report.why.no_stay"),
        ("no case went from", "report.why.no_pair"),
        ("the audited window holds no workday", "report.why.no_workday"),
        ("the metric has no rate target", "report.why.no_period"),
        ("no activities were given", "report.why.no_activities"),
        ("no person of", "report.why.no_person"),
        ("the metric has no measure", "report.why.no_measure"),
        ("the metric has no target", "report.why.no_target"),
    ];
    KNOWN
        .iter()
        .find(|(start, _)| text.starts_with(start))
        .map_or_else(|| text.to_string(), |(_, key)| c.w.get(key).to_string())
}

fn metrics(c: &Ctx, r: &Report) -> Section {
    let w = &c.w;
    let mut rows: Vec<&MetricRow> = r.metrics.iter().collect();
    // Missed first, then those that cannot be judged, then those met.
    rows.sort_by_key(|m| match m.met {
        Some(false) => 0,
        None => 1,
        Some(true) => 2,
    });
    let rows = rows
        .into_iter()
        .map(|m| {
            let target = match (m.comparison, m.target) {
                (Some(cmp), Some(_)) => {
                    format!("{cmp} {}", metric_value(c, m, m.target)).replace(">=", "≥").replace("<=", "≤")
                }
                _ => "—".to_string(),
            };
            let verdict = match m.met {
                Some(true) => w.get("report.met").to_string(),
                Some(false) => w.get("report.missed").to_string(),
                None => w.fill("report.unknown", &[("why", &why(c, m.why_null.as_deref().unwrap_or("")))]),
            };
            let mut verdict = verdict;
            let missed: Vec<String> =
                m.people.iter().filter(|p| p.met == Some(false)).map(|p| p.resource.clone()).collect();
            if !missed.is_empty() {
                verdict.push_str(&format!(" ({})", w.fill("report.below", &[("people", &missed.join(", "))])));
            }
            Row {
                cells: vec![
                    m.title.clone(),
                    target,
                    metric_value(c, m, m.model_value),
                    metric_value(c, m, m.observed_value),
                    verdict,
                ],
                alert: m.met == Some(false),
                tag: None,
            }
        })
        .collect();
    Section::of(
        w,
        "metrics",
        &["report.col.metric", "report.col.target", "report.col.model", "report.observed", "report.col.verdict"],
        vec![false, true, true, true, false],
        rows,
    )
}

fn people(c: &Ctx, r: &Report) -> Section {
    let w = &c.w;
    let mut list: Vec<_> = r.people.iter().collect();
    list.sort_by(|a, b| {
        (b.deviations.control_flow() + b.time_breaches).cmp(&(a.deviations.control_flow() + a.time_breaches))
    });
    let activity = list.iter().any(|p| !p.activities.is_empty());
    let rows = list
        .into_iter()
        .map(|p| {
            let d = &p.deviations;
            let share = if p.moves > 0 { Some(1.0 - d.control_flow() as f64 / p.moves as f64) } else { None };
            let mut cells = vec![
                p.resource.clone(),
                p.role.as_deref().map_or_else(|| "—".to_string(), |r| c.role(r)),
                c.n(p.cases),
                c.n(p.moves),
                c.n(d.control_flow()),
                c.n(d.skip),
                c.n(d.backward),
                c.n(d.jump),
                c.n(d.reopened),
                c.n(p.time_breaches),
                c.pct(share),
            ];
            if activity {
                let rates: Vec<String> = p
                    .activities
                    .iter()
                    .map(|a| {
                        let mut s = format!("{}: {}", a.activity, w.number(a.per_workday, 1));
                        if let Some(t) = a.target {
                            s.push_str(&format!(" / {}", w.number(t, 1)));
                        }
                        if a.met == Some(false) {
                            s.push_str(" ✗");
                        }
                        s
                    })
                    .collect();
                cells.push(if rates.is_empty() { "—".to_string() } else { rates.join("; ") });
            }
            Row {
                cells,
                alert: d.control_flow() + p.time_breaches > 0 || p.activities.iter().any(|a| a.met == Some(false)),
                tag: p.role.clone(),
            }
        })
        .collect();
    let mut head = heads(
        w,
        &[
            "report.col.person",
            "report.col.role",
            "report.col.deals",
            "report.col.moves",
            "report.col.off",
            "report.kind.skip",
            "report.kind.backward",
            "report.kind.jump",
            "report.kind.reopened",
            "report.kind.time_breach",
            "report.col.conforming",
        ],
    );
    let mut numeric = vec![false, false, true, true, true, true, true, true, true, true, true];
    if activity {
        head.push(w.get("report.col.activity").to_string());
        numeric.push(false);
    }
    Section {
        id: "people",
        heading: w.get("report.people").to_string(),
        intro: Some(w.get("report.people_intro").to_string()),
        empty: w.get("report.people_none").to_string(),
        table: Table { head, numeric, rows },
        more: None,
    }
}

fn periods(c: &Ctx, r: &Report) -> Section {
    let w = &c.w;
    let rows = r
        .periods
        .iter()
        .map(|p| {
            let d = &p.deviations;
            Row {
                cells: vec![
                    p.period.clone(),
                    p.start.clone(),
                    c.n(p.new_cases),
                    c.n(p.moves),
                    c.n(d.control_flow()),
                    c.n(d.skip),
                    c.n(d.backward),
                    c.n(d.jump),
                    c.n(d.reopened),
                    c.n(p.time_breaches),
                    c.n(p.won),
                    c.n(p.lost),
                    c.pct(p.conforming_share),
                ],
                alert: d.control_flow() > 0 || p.time_breaches > 0,
                tag: None,
            }
        })
        .collect();
    let by = if r.period == "month" { "report.col.month" } else { "report.col.week" };
    Section {
        heading: w.get(if r.period == "month" { "report.periods_month" } else { "report.periods_week" }).to_string(),
        ..Section::of(
            w,
            "periods",
            &[
                by,
                "report.col.first_day",
                "report.col.new",
                "report.col.moves",
                "report.col.off",
                "report.kind.skip",
                "report.kind.backward",
                "report.kind.jump",
                "report.kind.reopened",
                "report.kind.time_breach",
                "report.col.won",
                "report.col.lost",
                "report.col.conforming",
            ],
            vec![false, false, true, true, true, true, true, true, true, true, true, true, true],
            rows,
        )
    }
}

/// Where a deviation is: the CSV row, else the event's number in its deal.
fn place(c: &Ctx, d: &Deviation) -> String {
    let mut parts = Vec::new();
    if let Some(r) = &d.resource {
        parts.push(r.to_string());
    }
    parts.push(match d.row {
        Some(row) => c.w.fill("report.at_row", &[("row", &row.to_string())]),
        None => c.w.fill("report.at_event", &[("n", &(d.event + 1).to_string())]),
    });
    parts.join(", ")
}

/// One deviation in words.
fn deviation(c: &Ctx, d: &Deviation) -> String {
    let w = &c.w;
    let from = c.from(d.from.as_deref());
    let to = d.to.as_deref().map(|t| c.stage(t)).unwrap_or_default();
    let stage = d.stage.as_deref().map(|s| c.stage(s)).unwrap_or_default();
    let text = match d.kind {
        Kind::Skip => {
            let skipped: Vec<String> = d.skipped.iter().flatten().map(|s| format!("«{}»", c.stage(s))).collect();
            let key = if d.from.is_none() { "report.d.skip_start" } else { "report.d.skip" };
            w.fill(key, &[("from", &from), ("to", &to), ("skipped", &w.list(&skipped))])
        }
        Kind::Backward => w.fill("report.d.backward", &[("from", &from), ("to", &to)]),
        Kind::Jump => w.fill("report.d.jump", &[("from", &from), ("to", &to)]),
        Kind::Reopened => w.fill("report.d.reopened", &[("from", &from), ("to", &to)]),
        Kind::TimeBreach => w.fill(
            "report.d.time_breach",
            &[("stage", &stage), ("stay", &c.stay(d.stay_minutes)), ("limit", &c.limit(d.limit_minutes))],
        ),
        Kind::Rotting => w.fill(
            "report.d.rotting",
            &[("stage", &stage), ("stay", &c.stay(d.stay_minutes)), ("limit", &c.limit(d.limit_minutes))],
        ),
    };
    format!("{text} ({})", place(c, d))
}

fn cases(c: &Ctx, r: &Report, limit: usize) -> CaseSection {
    let w = &c.w;
    let mut list: Vec<&Case> = r.cases.iter().filter(|k| !k.deviations.is_empty()).collect();
    let control = |k: &Case| k.deviations.iter().filter(|d| d.kind.is_control_flow()).count();
    list.sort_by(|a, b| control(b).cmp(&control(a)).then(b.deviations.len().cmp(&a.deviations.len())));
    let total = list.len();
    let cases = list
        .into_iter()
        .take(limit)
        .map(|k| {
            let outcome = k.outcome.as_deref().map_or_else(|| w.get("report.open").to_string(), |o| c.stage(o));
            CaseLine {
                id: k.id.clone(),
                status: w.fill("report.case_status", &[("outcome", &outcome), ("fitness", &w.percent(k.fitness))]),
                deviations: k.deviations.iter().map(|d| deviation(c, d)).collect(),
            }
        })
        .collect();
    CaseSection {
        id: "cases",
        heading: w.get("report.cases").to_string(),
        empty: w.get("report.cases_none").to_string(),
        cases,
        more: (total > limit)
            .then(|| w.fill("report.more_cases", &[("n", &w.count("count.deal", (total - limit) as f64, 0))])),
    }
}

/// The first `…`-quoted piece of a reader's message.
fn quoted(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once('`')?;
    rest.split_once('`').map(|(q, _)| q)
}

fn problems(c: &Ctx, r: &Report) -> Section {
    let w = &c.w;
    let names = NameMap::new(c.model);
    let rows = r
        .problems
        .iter()
        .map(|p| {
            let kind = match p.kind {
                ProblemKind::MalformedRow => "malformed_row",
                ProblemKind::BadTimestamp => "bad_timestamp",
                ProblemKind::EmptyField => "empty_field",
                ProblemKind::UnknownStage => "unknown_stage",
                ProblemKind::Warning => "warning",
            };
            let text = match (p.kind, c.w.language) {
                (ProblemKind::UnknownStage, _) => {
                    let name = p.name.clone().unwrap_or_default();
                    let mut s = w.fill("report.p.unknown", &[("name", &name)]);
                    if let Some(hint) = names.suggest(&name) {
                        s.push_str("; ");
                        s.push_str(&w.fill("report.p.did_you_mean", &[("name", &c.stage(hint))]));
                    }
                    s
                }
                (_, Language::En) => p.message.clone(),
                (ProblemKind::BadTimestamp, _) if p.row.is_some() => match quoted(&p.message) {
                    Some(value) => w.fill("report.p.bad_timestamp_value", &[("value", value)]),
                    None => w.get("report.p.bad_timestamp").to_string(),
                },
                (ProblemKind::Warning, _) => p.message.clone(),
                (_, _) if p.row.is_none() && p.count > 1 => w.get("report.p.more").to_string(),
                (_, _) if p.count == 0 => w.get("report.p.broken").to_string(),
                (ProblemKind::MalformedRow, _) => w.get("report.p.malformed_row").to_string(),
                (ProblemKind::EmptyField, _) => w.get("report.p.empty_field").to_string(),
                (ProblemKind::BadTimestamp, _) => w.get("report.p.bad_timestamp").to_string(),
            };
            let mut place = p.row.map_or_else(|| "—".to_string(), |r| w.fill("report.row", &[("row", &r.to_string())]));
            if let Some(log) = &p.log {
                place = format!("{log}: {place}");
            }
            Row {
                cells: vec![
                    place,
                    w.get(&format!("report.problem.{kind}")).to_string(),
                    if p.count == 0 { "—".to_string() } else { c.n(p.count) },
                    text,
                ],
                alert: p.kind != ProblemKind::Warning,
                tag: None,
            }
        })
        .collect();
    Section {
        intro: Some(
            w.fill("report.problems_intro", &[("skipped", &c.n(r.log.rows_skipped)), ("rows", &c.n(r.log.rows))]),
        ),
        ..Section::of(
            w,
            "problems",
            &["report.col.where", "report.col.problem", "report.col.count", "report.col.detail"],
            vec![false, false, true, false],
            rows,
        )
    }
}
