//! `process.json`: the compiled process for other tools, and its JSON
//! Schema, generated from the same types so the two cannot drift.

use crate::funnel::Analysis;
use crate::model::{
    self, Comparison, EntryKind, Goal, Language, Measure, Model, OutcomeKind, Period, Quantity, Review,
};
use crate::span::{FileId, LineIndex, Span};
use schemars::JsonSchema;
use serde::Serialize;

/// The version of the JSON shape.
pub const SCHEMA_ID: &str = "procdef/1";

/// ISO 4217 currency codes: three capital letters.
const CURRENCY: &str = "^[A-Z]{3}$";

/// The language of a process's fixed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LanguageJson {
    En,
    Ru,
}

/// The period of a rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PeriodJson {
    Day,
    Week,
    Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EntryKindJson {
    Active,
    Passive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeJson {
    Won,
    Lost,
}

/// How a metric's value compares with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub enum TargetOpJson {
    #[serde(rename = ">=")]
    AtLeast,
    #[serde(rename = "<=")]
    AtMost,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TargetKindJson {
    /// A fraction from 0 to 1.
    Percent,
    Minutes,
    /// With `per`.
    Rate,
    Number,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MeasureJson {
    Conversion,
    Time,
    Volume,
    Activity,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReviewJson {
    Daily,
    Weekly,
    Monthly,
}

/// The whole compiled process.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ProcessJson {
    /// Always `procdef/1`.
    #[schemars(extend("const" = SCHEMA_ID))]
    pub schema: String,
    pub process: ProcessInfo,
    pub segments: Vec<SegmentJson>,
    pub products: Vec<ProductJson>,
    pub roles: Vec<RoleJson>,
    pub stages: Vec<StageJson>,
    pub metrics: Vec<MetricJson>,
    pub plan: Option<PlanJson>,
    pub rollout: Option<RolloutJson>,
    pub analysis: AnalysisJson,
}

/// Where a declaration is written: 1-based line and column (in characters).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SpanJson {
    pub file: String,
    #[schemars(range(min = 1))]
    pub line: usize,
    #[schemars(range(min = 1))]
    pub column: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ProcessInfo {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub version: Option<String>,
    /// The language of the manuals' fixed text.
    pub language: LanguageJson,
    pub span: SpanJson,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct MoneyJson {
    #[schemars(range(min = 0))]
    pub amount: f64,
    /// ISO 4217 code.
    #[schemars(regex(pattern = CURRENCY))]
    pub currency: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RateJson {
    #[schemars(range(min = 0))]
    pub value: f64,
    pub per: PeriodJson,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SegmentJson {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// Share of new clients, 0–1, as written.
    #[schemars(range(min = 0, max = 1))]
    pub share: Option<f64>,
    pub deal: Option<MoneyJson>,
    pub span: SpanJson,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ProductJson {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub span: SpanJson,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RoleJson {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// People in the position.
    #[schemars(range(min = 1))]
    pub headcount: u32,
    /// Minutes each person gives the process per workday.
    pub capacity_minutes: Option<u32>,
    /// The id of the role this one reports to.
    pub reports_to: Option<String>,
    pub span: SpanJson,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct EntryJson {
    pub kind: Option<EntryKindJson>,
    /// Share of new clients who start here, 0–1 (an even split when the
    /// file gives no shares).
    #[schemars(range(min = 0, max = 1))]
    pub share: f64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct InstructionJson {
    /// The id of the role that follows the instruction.
    pub role: String,
    pub text: String,
    /// Deadline counted from the client entering the stage.
    pub within_minutes: Option<u32>,
    /// The role's working time per client for this step.
    pub effort_minutes: Option<u32>,
    /// Segment or product ids the instruction is limited to; empty for all.
    #[serde(rename = "for")]
    #[schemars(rename = "for")]
    pub for_: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct TransitionJson {
    /// The id of the next stage.
    pub to: String,
    /// The share of clients leaving the stage who go there, 0–1, with the
    /// remainder resolved.
    #[schemars(range(min = 0, max = 1))]
    pub probability: f64,
    /// A deliberate return (rework, repeat sale).
    #[serde(rename = "loop")]
    #[schemars(rename = "loop")]
    pub is_loop: bool,
    pub label: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct StageJson {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// The id of the responsible role.
    pub owner: Option<String>,
    pub entry: Option<EntryJson>,
    pub outcome: Option<OutcomeJson>,
    /// The deal is won here: a sale stage.
    pub sale: bool,
    pub takes_minutes: Option<u32>,
    pub within_minutes: Option<u32>,
    pub effort_minutes: Option<u32>,
    pub instructions: Vec<InstructionJson>,
    /// Exit criteria.
    pub exit: Vec<String>,
    pub transitions: Vec<TransitionJson>,
    pub span: SpanJson,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct TargetJson {
    pub op: TargetOpJson,
    /// `percent` (value 0–1), `minutes`, `rate` (with `per`) or `number`.
    pub kind: TargetKindJson,
    pub value: f64,
    pub per: Option<PeriodJson>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct MetricJson {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub measure: Option<MeasureJson>,
    /// The stage the measure starts at (conversion, time, volume).
    pub from: Option<String>,
    /// The stage the measure ends at (conversion, time A -> B).
    pub to: Option<String>,
    /// What an activity metric counts, e.g. "Calls".
    pub activity: Option<String>,
    /// The role an activity metric is about.
    pub role: Option<String>,
    pub target: Option<TargetJson>,
    /// The id of the role accountable for the metric.
    pub owner: Option<String>,
    pub review: Option<ReviewJson>,
    pub span: SpanJson,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PlanJson {
    pub title: Option<String>,
    /// Clients reaching a `won` outcome per period.
    pub goal: Option<RateJson>,
    /// Revenue per period.
    pub revenue: Option<RevenueJson>,
    #[schemars(range(min = 1, max = 31))]
    pub workdays_per_month: f64,
    /// The highest utilization the plan allows a role, a fraction (1 unless
    /// written).
    #[schemars(range(min = 0, max = 1))]
    pub utilization_limit: f64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RevenueJson {
    #[schemars(range(min = 0))]
    pub amount: f64,
    /// ISO 4217 code.
    #[schemars(regex(pattern = CURRENCY))]
    pub currency: String,
    pub per: PeriodJson,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RolloutJson {
    /// ISO 8601 date of day 0, or null for a rollout in relative days.
    #[schemars(extend("format" = "date"))]
    pub start: Option<String>,
    pub length_minutes: u32,
    pub briefings: Vec<BriefingJson>,
    pub exams: Vec<ExamJson>,
    pub audits: Vec<AuditJson>,
    /// Events keep to working days: off Saturdays, Sundays and holidays.
    pub weekdays: bool,
    /// The holidays, as ISO 8601 dates: the countries' fixed holidays for
    /// every year of the rollout, and the dates listed; empty without a
    /// start.
    pub holidays: Vec<DateJson>,
}

/// An ISO 8601 calendar date.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct DateJson(#[schemars(extend("format" = "date"))] pub String);

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct BriefingJson {
    pub roles: Vec<String>,
    pub every_minutes: Option<u32>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ExamJson {
    pub roles: Vec<String>,
    pub at_minutes: Vec<u32>,
    /// The questions drawn for each exam, when written.
    #[schemars(range(min = 1))]
    pub questions: Option<u32>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct AuditJson {
    pub roles: Vec<String>,
    pub by: Option<String>,
    pub every_minutes: Option<u32>,
}

/// The funnel model.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct AnalysisJson {
    /// The probability that a new client is won: reaches a sale stage (a
    /// `won` outcome in a process without sale stages).
    #[schemars(range(min = 0, max = 1))]
    pub new_client_win_probability: Option<f64>,
    /// Expected sales per new client, repeat sales included: the expected
    /// visits of the sale stages (of the `won` outcomes without them).
    #[schemars(range(min = 0))]
    pub expected_sales_per_new_client: Option<f64>,
    pub stages: Vec<StageAnalysisJson>,
    pub entries: Vec<EntryAnalysisJson>,
    pub metrics: Vec<MetricAnalysisJson>,
    pub plan: Option<PlanAnalysisJson>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct StageAnalysisJson {
    pub id: String,
    #[schemars(range(min = 0, max = 1))]
    pub win_probability: Option<f64>,
    /// Expected visits per new client.
    #[schemars(range(min = 0))]
    pub expected_visits: Option<f64>,
    /// Clients entering the stage per plan period; null without a plan.
    #[schemars(range(min = 0))]
    pub volume_per_period: Option<f64>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct EntryAnalysisJson {
    pub id: String,
    #[schemars(range(min = 0))]
    pub expected_minutes_to_outcome: Option<f64>,
    #[schemars(range(min = 0))]
    pub worst_case_minutes_to_outcome: Option<f64>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct MetricAnalysisJson {
    pub id: String,
    /// A fraction (conversion), minutes (time) or clients per plan period
    /// (volume); null when the model has no value (activity).
    #[schemars(range(min = 0))]
    pub model_value: Option<f64>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PlanAnalysisJson {
    /// The goal's period.
    pub period: PeriodJson,
    #[schemars(range(min = 0))]
    pub new_clients_per_period: Option<f64>,
    pub roles: Vec<RoleLoadJson>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RoleLoadJson {
    pub id: String,
    #[schemars(range(min = 0))]
    pub workload_hours: Option<f64>,
    #[schemars(range(min = 0))]
    pub capacity_hours: Option<f64>,
    /// Workload over capacity, e.g. 0.71.
    #[schemars(range(min = 0))]
    pub utilization: Option<f64>,
}

/// The files spans may name: the process's, then its libraries'.
struct Spans<'a> {
    files: Vec<(FileId, &'a str, &'a str, LineIndex)>,
}

impl Spans<'_> {
    fn at(&self, span: Span) -> SpanJson {
        let (_, file, text, index) = self.files.iter().find(|f| f.0 == span.file).unwrap_or(&self.files[0]);
        let lc = index.line_col(text, span.start);
        SpanJson { file: file.to_string(), line: lc.line, column: lc.column }
    }
}

/// A library a process uses: its file id, its name for spans, its text.
#[derive(Debug, Clone, Copy)]
pub struct LibraryFile<'a> {
    pub id: FileId,
    pub name: &'a str,
    pub text: &'a str,
}

fn period(p: Period) -> PeriodJson {
    match p {
        Period::Day => PeriodJson::Day,
        Period::Week => PeriodJson::Week,
        Period::Month => PeriodJson::Month,
    }
}

/// Builds the JSON document of a checked model.
pub fn document(model: &Model, analysis: Option<&Analysis>, file: &str, text: &str) -> ProcessJson {
    document_with(model, analysis, file, text, &[])
}

/// [`document`] of a process that uses libraries: spans in them name them.
pub fn document_with(
    model: &Model,
    analysis: Option<&Analysis>,
    file: &str,
    text: &str,
    libraries: &[LibraryFile<'_>],
) -> ProcessJson {
    let mut files = vec![(FileId::ROOT, file, text, LineIndex::new(text))];
    files.extend(libraries.iter().map(|l| (l.id, l.name, l.text, LineIndex::new(l.text))));
    let spans = Spans { files };
    let role_id = |r: Option<model::RoleId>| r.map(|r| model.role(r).id.clone());
    let shares = crate::funnel::entry_shares(model);
    ProcessJson {
        schema: SCHEMA_ID.to_string(),
        process: ProcessInfo {
            id: model.id.clone(),
            title: model.title.clone(),
            description: model.description.clone(),
            version: model.version.clone(),
            language: match model.language {
                Language::En => LanguageJson::En,
                Language::Ru => LanguageJson::Ru,
            },
            span: spans.at(model.name_span),
        },
        segments: model
            .segments
            .iter()
            .map(|s| SegmentJson {
                id: s.id.clone(),
                title: s.title.clone(),
                description: s.description.clone(),
                share: s.share,
                deal: s.deal.as_ref().map(|d| MoneyJson { amount: d.amount, currency: d.currency.clone() }),
                span: spans.at(s.span),
            })
            .collect(),
        products: model
            .products
            .iter()
            .map(|p| ProductJson {
                id: p.id.clone(),
                title: p.title.clone(),
                description: p.description.clone(),
                span: spans.at(p.span),
            })
            .collect(),
        roles: model
            .roles
            .iter()
            .map(|r| RoleJson {
                id: r.id.clone(),
                title: r.title.clone(),
                description: r.description.clone(),
                headcount: r.headcount,
                capacity_minutes: r.capacity_minutes,
                reports_to: role_id(r.reports_to),
                span: spans.at(r.span),
            })
            .collect(),
        stages: model
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| StageJson {
                id: s.id.clone(),
                title: s.title.clone(),
                description: s.description.clone(),
                owner: role_id(s.owner),
                entry: s.entry.as_ref().map(|e| EntryJson {
                    kind: e.kind.map(|k| match k {
                        EntryKind::Active => EntryKindJson::Active,
                        EntryKind::Passive => EntryKindJson::Passive,
                    }),
                    share: fraction(shares[i]),
                }),
                outcome: s.outcome.map(|o| match o {
                    OutcomeKind::Won => OutcomeJson::Won,
                    OutcomeKind::Lost => OutcomeJson::Lost,
                }),
                sale: s.sale,
                takes_minutes: s.takes,
                within_minutes: s.within,
                effort_minutes: s.effort,
                instructions: s
                    .instructions
                    .iter()
                    .map(|i| InstructionJson {
                        role: i.role_name.clone(),
                        text: i.text.clone(),
                        within_minutes: i.within,
                        effort_minutes: i.effort,
                        for_: i.for_names.clone(),
                    })
                    .collect(),
                exit: s.exits.clone(),
                transitions: s
                    .transitions
                    .iter()
                    .map(|t| TransitionJson {
                        to: t.target_name.clone(),
                        probability: fraction(t.probability),
                        is_loop: t.is_loop,
                        label: t.label.clone(),
                    })
                    .collect(),
                span: spans.at(s.span),
            })
            .collect(),
        metrics: model.metrics.iter().map(|m| metric(model, m, &spans)).collect(),
        plan: model.plan.as_ref().map(|p| PlanJson {
            title: p.title.clone(),
            goal: match &p.goal {
                Some(Goal::Clients(r)) => Some(RateJson { value: r.value, per: period(r.per) }),
                _ => None,
            },
            revenue: match &p.goal {
                Some(Goal::Revenue(m, per)) => {
                    Some(RevenueJson { amount: m.amount, currency: m.currency.clone(), per: period(*per) })
                }
                _ => None,
            },
            workdays_per_month: p.workdays,
            utilization_limit: p.utilization_limit,
        }),
        rollout: model.rollout.as_ref().map(|r| {
            let roles = |ids: &[model::RoleId]| ids.iter().map(|id| model.role(*id).id.clone()).collect();
            RolloutJson {
                start: r.start.map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)),
                length_minutes: r.length_minutes,
                briefings: r
                    .briefings
                    .iter()
                    .map(|b| BriefingJson { roles: roles(&b.roles), every_minutes: b.every_minutes })
                    .collect(),
                exams: r
                    .exams
                    .iter()
                    .map(|e| ExamJson {
                        roles: roles(&e.roles),
                        at_minutes: e.at.iter().map(|(m, _)| *m).collect(),
                        questions: e.questions,
                    })
                    .collect(),
                audits: r
                    .audits
                    .iter()
                    .map(|a| AuditJson { roles: roles(&a.roles), by: role_id(a.by), every_minutes: a.every_minutes })
                    .collect(),
                weekdays: r.weekdays,
                holidays: crate::calendar::holidays(r)
                    .into_iter()
                    .map(|d| DateJson(format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)))
                    .collect(),
            }
        }),
        analysis: analysis_json(model, analysis),
    }
}

fn metric(model: &Model, m: &model::Metric, spans: &Spans) -> MetricJson {
    let stage = |s: &Option<model::StageId>| s.map(|s| model.stage(s).id.clone());
    let (measure, from, to, activity, role) = match &m.measure {
        None => (None, None, None, None, None),
        Some(Measure::Conversion { from, to }) => (Some(MeasureJson::Conversion), stage(from), stage(to), None, None),
        Some(Measure::Time { from, to }) => {
            (Some(MeasureJson::Time), stage(from), to.as_ref().and_then(stage), None, None)
        }
        Some(Measure::Volume(a)) => (Some(MeasureJson::Volume), stage(a), None, None, None),
        Some(Measure::Activity { what, role }) => {
            (Some(MeasureJson::Activity), None, None, Some(what.clone()), role.map(|r| model.role(r).id.clone()))
        }
    };
    MetricJson {
        id: m.id.clone(),
        title: m.title.clone(),
        description: m.description.clone(),
        measure,
        from,
        to,
        activity,
        role,
        target: m.target.as_ref().map(|t| {
            let op = match t.cmp {
                Comparison::AtLeast => TargetOpJson::AtLeast,
                Comparison::AtMost => TargetOpJson::AtMost,
            };
            let (kind, value, per) = match t.value {
                Quantity::Number(v) => (TargetKindJson::Number, v, None),
                Quantity::Percent(v) => (TargetKindJson::Percent, v, None),
                Quantity::Minutes(v) => (TargetKindJson::Minutes, f64::from(v), None),
                Quantity::Rate(r) => (TargetKindJson::Rate, r.value, Some(period(r.per))),
            };
            TargetJson { op, kind, value, per }
        }),
        owner: m.owner.map(|r| model.role(r).id.clone()),
        review: m.review.map(|r| match r {
            Review::Daily => ReviewJson::Daily,
            Review::Weekly => ReviewJson::Weekly,
            Review::Monthly => ReviewJson::Monthly,
        }),
        span: spans.at(m.span),
    }
}

/// A finite number, or null.
fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// How far rounding may carry a computed value past its bounds (OUTPUTS.md:
/// probabilities are exact to 1e-9).
const ROUNDING: f64 = 1e-9;

/// A computed fraction, put back into [0, 1] when rounding left it a hair
/// outside (`1/9` added nine times is `1.0000000000000002`). A value
/// further out is left as it is, for the schema to reject.
fn fraction(v: f64) -> f64 {
    if v > 1.0 && v <= 1.0 + ROUNDING { 1.0 } else { at_least_zero(v) }
}

/// A computed count or duration, `0` when rounding left it a hair below.
fn at_least_zero(v: f64) -> f64 {
    if (-ROUNDING..0.0).contains(&v) { 0.0 } else { v }
}

/// The `analysis` object of `process.json`: the funnel model, `null`-filled
/// when it could not be computed.
pub fn analysis_json(model: &Model, analysis: Option<&Analysis>) -> AnalysisJson {
    let Some(a) = analysis else {
        return AnalysisJson {
            new_client_win_probability: None,
            expected_sales_per_new_client: None,
            stages: model
                .stages
                .iter()
                .map(|s| StageAnalysisJson {
                    id: s.id.clone(),
                    win_probability: None,
                    expected_visits: None,
                    volume_per_period: None,
                })
                .collect(),
            entries: model
                .entries()
                .map(|s| EntryAnalysisJson {
                    id: model.stage(s).id.clone(),
                    expected_minutes_to_outcome: None,
                    worst_case_minutes_to_outcome: None,
                })
                .collect(),
            metrics: model.metrics.iter().map(|m| MetricAnalysisJson { id: m.id.clone(), model_value: None }).collect(),
            plan: None,
        };
    };
    AnalysisJson {
        new_client_win_probability: finite(a.new_client_win_probability).map(fraction),
        expected_sales_per_new_client: finite(a.expected_sales_per_new_client).map(at_least_zero),
        stages: model
            .stages
            .iter()
            .zip(&a.stages)
            .map(|(s, f)| StageAnalysisJson {
                id: s.id.clone(),
                win_probability: finite(f.win_probability).map(fraction),
                expected_visits: finite(f.expected_visits).map(at_least_zero),
                volume_per_period: f.volume_per_period.and_then(finite).map(at_least_zero),
            })
            .collect(),
        entries: a
            .entries
            .iter()
            .map(|e| EntryAnalysisJson {
                id: model.stage(e.stage).id.clone(),
                expected_minutes_to_outcome: e.expected_minutes_to_outcome.and_then(finite).map(at_least_zero),
                worst_case_minutes_to_outcome: e.worst_case_minutes_to_outcome.and_then(finite).map(at_least_zero),
            })
            .collect(),
        metrics: model
            .metrics
            .iter()
            .zip(&a.metrics)
            .map(|(m, v)| MetricAnalysisJson { id: m.id.clone(), model_value: v.and_then(finite).map(at_least_zero) })
            .collect(),
        plan: a.plan.as_ref().map(|p| PlanAnalysisJson {
            period: period(p.period),
            new_clients_per_period: p.new_clients_per_period.and_then(finite).map(at_least_zero),
            roles: p
                .roles
                .iter()
                .map(|r| RoleLoadJson {
                    id: model.role(r.role).id.clone(),
                    workload_hours: r.workload_hours.and_then(finite).map(at_least_zero),
                    capacity_hours: r.capacity_hours.and_then(finite).map(at_least_zero),
                    utilization: r.utilization.and_then(finite).map(at_least_zero),
                })
                .collect(),
        }),
    }
}

/// `process.json`, pretty-printed, ending in a line end.
pub fn render(doc: &ProcessJson) -> String {
    let mut s = serde_json::to_string_pretty(doc).expect("plain data always serializes");
    s.push('\n');
    s
}

/// The `analysis` object alone, pretty-printed exactly as in
/// `process.json`, ending in a line end.
pub fn render_analysis(analysis: &AnalysisJson) -> String {
    let mut s = serde_json::to_string_pretty(analysis).expect("plain data always serializes");
    s.push('\n');
    s
}

/// Formats JSON Schema 2020-12 defines; a strict validator (Ajv) refuses
/// any other.
pub const STANDARD_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

/// Every field of `process.json` is always written, `null` when it has no
/// value: so every property is required, the nullable ones too.
fn all_required(schema: &mut schemars::Schema) {
    let Some(keys) =
        schema.get("properties").and_then(|p| p.as_object()).map(|p| p.keys().cloned().collect::<Vec<_>>())
    else {
        return;
    };
    schema.insert("required".into(), keys.into());
}

/// Replaces the formats schemars gives Rust's number types (`uint32`,
/// `uint`, `double`, …), which no validator knows, by the ranges they
/// stand for.
fn standard_formats(schema: &mut schemars::Schema) {
    let Some(format) = schema.get("format").and_then(|f| f.as_str()).map(str::to_string) else {
        return;
    };
    if STANDARD_FORMATS.contains(&format.as_str()) {
        return;
    }
    schema.remove("format");
    let max = match format.as_str() {
        "uint8" => Some(u64::from(u8::MAX)),
        "uint16" => Some(u64::from(u16::MAX)),
        "uint32" => Some(u64::from(u32::MAX)),
        "uint64" | "uint" => Some(u64::MAX),
        _ => None,
    };
    if let Some(max) = max {
        if schema.get("minimum").is_none() {
            schema.insert("minimum".into(), 0.into());
        }
        if schema.get("maximum").is_none() && max < u64::MAX {
            schema.insert("maximum".into(), max.into());
        }
    }
}

/// `process.schema.json`: JSON Schema 2020-12, strict: no unknown
/// properties anywhere, enumerations and ranges where the contract has
/// them, standard formats only.
pub fn schema() -> String {
    let settings = schemars::generate::SchemaSettings::draft2020_12()
        .with_transform(schemars::transform::RecursiveTransform(standard_formats))
        .with_transform(schemars::transform::RecursiveTransform(all_required));
    let schema = settings.into_generator().into_root_schema_for::<ProcessJson>();
    let mut s = serde_json::to_string_pretty(&schema).expect("a schema always serializes");
    s.push('\n');
    s
}
