//! What the process means: declarations resolved to ids, one value per
//! property, the transition percentages resolved, and the stage graph.
//!
//! Building the model never fails and reports nothing: of two declarations
//! sharing a name only the first is kept (P101 reports the rest), of a
//! property given twice only the first counts (P104), and an outcome stage
//! keeps only its description and instructions (P207). A name that does not
//! resolve is `None`; [`Model::references`] holds every use of a name with
//! what it resolves to ([`names`]), and the unresolved ones are P102.

mod build;
pub mod graph;
pub mod names;

pub use crate::ast::{Comparison, Date, EntryKind, Language, Money, OutcomeKind, Period, Quantity, Rate, Review};
use crate::span::Span;
pub use build::build;
use foldhash::HashMap;
pub use names::{Declared, NameKind, Reference};

macro_rules! id_type {
    ($($name:ident),*) => {$(
        /// An index into the model's list of that kind.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub usize);
    )*};
}
id_type!(StageId, RoleId, SegmentId, ProductId, MetricId);

/// The resolved process.
#[derive(Debug, Clone)]
pub struct Model {
    pub id: String,
    pub title: String,
    pub name_span: Span,
    pub language: Language,
    pub version: Option<String>,
    pub description: Option<String>,
    pub segments: Vec<Segment>,
    pub products: Vec<Product>,
    pub roles: Vec<Role>,
    pub stages: Vec<Stage>,
    pub metrics: Vec<Metric>,
    pub plan: Option<Plan>,
    pub rollout: Option<Rollout>,
    /// The names used in the file that did not resolve, in the order written.
    pub references: Vec<Reference>,
    pub(crate) stage_index: HashMap<String, StageId>,
    pub(crate) role_index: HashMap<String, RoleId>,
    pub(crate) segment_index: HashMap<String, SegmentId>,
    pub(crate) product_index: HashMap<String, ProductId>,
}

#[derive(Debug, Clone)]
pub struct Segment {
    pub id: String,
    pub title: String,
    pub span: Span,
    pub description: Option<String>,
    pub share: Option<f64>,
    pub share_span: Option<Span>,
    pub deal: Option<Money>,
}

#[derive(Debug, Clone)]
pub struct Product {
    pub id: String,
    pub title: String,
    pub span: Span,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Role {
    pub id: String,
    pub title: String,
    pub span: Span,
    pub description: Option<String>,
    /// People in the position; 1 unless written.
    pub headcount: u32,
    /// Minutes each person gives the process per workday.
    pub capacity_minutes: Option<u32>,
    pub reports_to: Option<RoleId>,
    /// Where `reports to` was written.
    pub reports_to_span: Option<Span>,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: Option<EntryKind>,
    pub share: Option<f64>,
    pub span: Span,
    pub share_span: Option<Span>,
}

#[derive(Debug, Clone)]
pub struct Stage {
    pub id: String,
    pub title: String,
    pub span: Span,
    pub description: Option<String>,
    pub entry: Option<Entry>,
    pub outcome: Option<OutcomeKind>,
    pub owner: Option<RoleId>,
    /// Where `owner` was written (resolved or not).
    pub owner_span: Option<Span>,
    pub takes: Option<u32>,
    /// Where `takes` was written.
    pub takes_span: Option<Span>,
    pub within: Option<u32>,
    pub within_span: Option<Span>,
    pub effort: Option<u32>,
    pub instructions: Vec<Instruction>,
    /// Whether any `instruct` block was written (even an empty one).
    pub has_instruct_block: bool,
    pub exits: Vec<String>,
    /// `sale`: the deal is won here (LANGUAGE.md §6.1).
    pub sale: bool,
    pub sale_span: Option<Span>,
    /// Empty for an outcome stage.
    pub transitions: Vec<Transition>,
    /// A percentage of this stage was rejected (P002).
    pub has_rejected_percent: bool,
}

impl Stage {
    pub fn is_terminal(&self) -> bool {
        self.outcome.is_some()
    }

    /// The time a client typically spends here: `takes`, else `within`.
    pub fn typical_minutes(&self) -> Option<u32> {
        self.takes.or(self.within)
    }
}

#[derive(Debug, Clone)]
pub struct Instruction {
    pub role: Option<RoleId>,
    pub role_name: String,
    pub text: String,
    pub within: Option<u32>,
    pub within_span: Option<Span>,
    /// The role's working time per client for this step (§6.2).
    pub effort: Option<u32>,
    /// Segment or product ids, as written.
    pub for_names: Vec<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Transition {
    pub target: Option<StageId>,
    pub target_name: String,
    /// The percentage as written, as a fraction; `None` if omitted or rejected.
    pub given: Option<f64>,
    /// Written without a percentage.
    pub open: bool,
    /// The probability with the remainder resolved.
    pub probability: f64,
    pub is_loop: bool,
    pub label: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Measure {
    Conversion { from: Option<StageId>, to: Option<StageId> },
    Time { from: Option<StageId>, to: Option<Option<StageId>> },
    Volume(Option<StageId>),
    Activity { what: String, role: Option<RoleId> },
}

impl Measure {
    pub fn keyword(&self) -> &'static str {
        match self {
            Measure::Conversion { .. } => "conversion",
            Measure::Time { .. } => "time",
            Measure::Volume(_) => "volume",
            Measure::Activity { .. } => "activity",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Target {
    pub cmp: Comparison,
    pub value: Quantity,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Metric {
    pub id: String,
    pub title: String,
    pub span: Span,
    pub description: Option<String>,
    /// The measure, when exactly one was written.
    pub measure: Option<Measure>,
    pub measure_count: usize,
    pub target: Option<Target>,
    pub owner: Option<RoleId>,
    pub review: Option<Review>,
}

#[derive(Debug, Clone)]
pub enum Goal {
    /// Clients reaching a `won` outcome per period.
    Clients(Rate),
    /// Money per period.
    Revenue(Money, Period),
}

impl Goal {
    pub fn period(&self) -> Period {
        match self {
            Goal::Clients(r) => r.per,
            Goal::Revenue(_, p) => *p,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub title: Option<String>,
    pub span: Span,
    pub goal: Option<Goal>,
    pub goal_span: Option<Span>,
    /// Workdays per month; 21 unless written.
    pub workdays: f64,
    /// The highest utilization allowed a role, a fraction; 1 unless
    /// written (§6.2).
    pub utilization_limit: f64,
    pub utilization_span: Option<Span>,
}

impl Plan {
    /// Workdays in one period of the plan's rate.
    pub fn workdays_per(&self, period: Period) -> f64 {
        match period {
            Period::Day => 1.0,
            Period::Week => 5.0,
            Period::Month => self.workdays,
        }
    }

    /// Converts a rate to the given period.
    pub fn convert(&self, rate: Rate, to: Period) -> f64 {
        rate.value / self.workdays_per(rate.per) * self.workdays_per(to)
    }
}

/// Minutes in a day, for rollout day arithmetic.
pub const DAY: u32 = 24 * 60;

#[derive(Debug, Clone)]
pub struct Rollout {
    pub span: Span,
    pub start: Option<Date>,
    /// Where `start` is written (the `rollout` keyword without one).
    pub start_span: Span,
    /// 100 days unless written.
    pub length_minutes: u32,
    pub briefings: Vec<Briefing>,
    pub exams: Vec<Exam>,
    pub audits: Vec<Audit>,
    /// Events keep to working days (§6.3): `weekdays`, or any `holidays`.
    pub weekdays: bool,
    /// The days off listed, in order: countries and dates.
    pub holidays: Vec<crate::ast::Holiday>,
}

#[derive(Debug, Clone)]
pub struct Briefing {
    pub roles: Vec<RoleId>,
    pub every_minutes: Option<u32>,
    pub every_span: Span,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Exam {
    pub roles: Vec<RoleId>,
    /// Each time, in minutes from the start, with where it was written.
    pub at: Vec<(u32, Span)>,
    /// The questions drawn for each exam (§6.4), when written.
    pub questions: Option<u32>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Audit {
    pub roles: Vec<RoleId>,
    pub by: Option<RoleId>,
    pub every_minutes: Option<u32>,
    pub every_span: Span,
    pub span: Span,
}

impl Model {
    /// The same process with only the stages where `keep` holds, and only
    /// the transitions between them: a part of a large process to draw.
    /// Stage ids are renumbered; everything else is kept.
    pub fn part(&self, keep: &[bool]) -> Model {
        let mut new_id = vec![None; self.stages.len()];
        let mut stages = Vec::new();
        for (i, stage) in self.stages.iter().enumerate() {
            if keep.get(i).copied().unwrap_or(false) {
                new_id[i] = Some(StageId(stages.len()));
                stages.push(stage.clone());
            }
        }
        for stage in &mut stages {
            stage.transitions.retain(|t| t.target.is_some_and(|s| new_id[s.0].is_some()));
            for t in &mut stage.transitions {
                t.target = t.target.and_then(|s| new_id[s.0]);
            }
        }
        let stage_index = stages.iter().enumerate().map(|(i, s)| (s.id.clone(), StageId(i))).collect();
        Model { stages, stage_index, references: Vec::new(), metrics: Vec::new(), ..self.clone_without_stages() }
    }

    fn clone_without_stages(&self) -> Model {
        Model {
            id: self.id.clone(),
            title: self.title.clone(),
            name_span: self.name_span,
            language: self.language,
            version: self.version.clone(),
            description: self.description.clone(),
            segments: self.segments.clone(),
            products: self.products.clone(),
            roles: self.roles.clone(),
            stages: Vec::new(),
            metrics: Vec::new(),
            plan: self.plan.clone(),
            rollout: self.rollout.clone(),
            references: Vec::new(),
            stage_index: HashMap::default(),
            role_index: self.role_index.clone(),
            segment_index: self.segment_index.clone(),
            product_index: self.product_index.clone(),
        }
    }

    pub fn stage(&self, id: StageId) -> &Stage {
        &self.stages[id.0]
    }

    pub fn role(&self, id: RoleId) -> &Role {
        &self.roles[id.0]
    }

    pub fn stage_id(&self, name: &str) -> Option<StageId> {
        self.stage_index.get(name).copied()
    }

    pub fn role_id(&self, name: &str) -> Option<RoleId> {
        self.role_index.get(name).copied()
    }

    pub fn segment_id(&self, name: &str) -> Option<SegmentId> {
        self.segment_index.get(name).copied()
    }

    pub fn product_id(&self, name: &str) -> Option<ProductId> {
        self.product_index.get(name).copied()
    }

    /// Declared names of a kind, in declaration order, for suggestions.
    pub fn names_of(&self, kind: NameKind) -> Vec<&str> {
        match kind {
            NameKind::Stage => self.stages.iter().map(|s| s.id.as_str()).collect(),
            NameKind::Role => self.roles.iter().map(|r| r.id.as_str()).collect(),
            NameKind::SegmentOrProduct => {
                self.segments.iter().map(|s| s.id.as_str()).chain(self.products.iter().map(|p| p.id.as_str())).collect()
            }
        }
    }

    /// Every transition target resolved.
    pub fn targets_resolve(&self) -> bool {
        self.stages.iter().all(|s| s.transitions.iter().all(|t| t.target.is_some()))
    }

    pub fn entries(&self) -> impl Iterator<Item = StageId> + '_ {
        self.stages.iter().enumerate().filter(|(_, s)| s.entry.is_some()).map(|(i, _)| StageId(i))
    }
}
