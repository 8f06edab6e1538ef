//! What was written: the syntax tree of one `.proc` file, with spans.
//!
//! The AST knows no names: a reference is just the identifier as written.
//! Literals are already classified (a duration is minutes, a percent a
//! fraction); a literal the lowering rejected (P002) is `None`, so every
//! later pass treats it as absent.

use crate::span::Span;

/// An identifier and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A string or text block, already unescaped and dedented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

/// A value of type `T` and the span it was written at; `value` is `None`
/// when the literal was invalid (and reported as P002).
#[derive(Debug, Clone, PartialEq)]
pub struct Lit<T> {
    pub value: Option<T>,
    pub span: Span,
}

/// A parsed file: the processes it declares (exactly one is valid).
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    pub processes: Vec<Process>,
    pub libraries: Vec<Library>,
}

/// `library NAME "Title"? { … }`: declarations several processes share
/// (LANGUAGE.md §5.1).
#[derive(Debug, Clone, PartialEq)]
pub struct Library {
    pub keyword: Span,
    pub name: Ident,
    pub title: Option<Text>,
    pub items: Vec<LibraryItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LibraryItem {
    Description(Text),
    Use(Use),
    Segment(Segment),
    Product(Product),
    Role(Role),
}

/// `use "path/to/library.proc"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Use {
    pub keyword: Span,
    pub path: Text,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Process {
    pub keyword: Span,
    pub name: Ident,
    pub title: Option<Text>,
    pub items: Vec<ProcessItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    En,
    Ru,
}

impl Language {
    /// The language code: `en`, `ru`.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Ru => "ru",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ProcessItem {
    Language(Lit<Language>),
    Version(Text),
    Description(Text),
    Segment(Segment),
    Product(Product),
    Role(Role),
    Stage(Stage),
    Metric(Metric),
    Plan(Plan),
    Rollout(Rollout),
    Use(Use),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// The whole declaration, keyword to closing brace.
    pub span: Span,
    pub name: Ident,
    pub title: Option<Text>,
    pub items: Vec<SegmentItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SegmentItem {
    Description(Text),
    /// A fraction from 0 to 1.
    Share(Lit<f64>),
    Deal(Lit<Money>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    /// The whole declaration, keyword to closing brace.
    pub span: Span,
    pub name: Ident,
    pub title: Option<Text>,
    pub descriptions: Vec<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    /// The whole declaration, keyword to closing brace.
    pub span: Span,
    pub name: Ident,
    pub title: Option<Text>,
    pub items: Vec<RoleItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RoleItem {
    Description(Text),
    Headcount(Lit<u32>),
    /// Minutes per workday.
    Capacity(Lit<u32>),
    ReportsTo {
        keyword: Span,
        role: Ident,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    /// The whole declaration, keyword to closing brace.
    pub span: Span,
    pub name: Ident,
    pub title: Option<Text>,
    pub items: Vec<StageItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    Active,
    Passive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutcomeKind {
    Won,
    Lost,
}

/// One property of a stage; `span` covers the whole property.
#[derive(Debug, Clone, PartialEq)]
pub struct StageItem {
    pub kind: StageItemKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StageItemKind {
    Description(Text),
    Entry {
        kind: Option<EntryKind>,
        share: Option<Lit<f64>>,
    },
    Outcome(OutcomeKind),
    Owner(Ident),
    /// Durations are whole minutes.
    Takes(Lit<u32>),
    Within(Lit<u32>),
    Effort(Lit<u32>),
    Instruct {
        role: Ident,
        instructions: Vec<Instruction>,
    },
    Exit(Text),
    Transition(Transition),
    /// `sale`: the deal is won here (LANGUAGE.md §6.1).
    Sale,
}

impl StageItemKind {
    /// The keyword that introduces this property, as a user writes it.
    pub fn keyword(&self) -> &'static str {
        match self {
            StageItemKind::Description(_) => "description",
            StageItemKind::Entry { .. } => "entry",
            StageItemKind::Outcome(_) => "outcome",
            StageItemKind::Owner(_) => "owner",
            StageItemKind::Takes(_) => "takes",
            StageItemKind::Within(_) => "within",
            StageItemKind::Effort(_) => "effort",
            StageItemKind::Instruct { .. } => "instruct",
            StageItemKind::Exit(_) => "exit",
            StageItemKind::Transition(_) => "->",
            StageItemKind::Sale => "sale",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Instruction {
    pub text: Text,
    pub within: Option<Lit<u32>>,
    /// The role's working time per client for this step (§6.2).
    pub effort: Option<Lit<u32>>,
    pub for_names: Vec<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub target: Ident,
    /// `None` when no percentage was written.
    pub percent: Option<Lit<f64>>,
    pub is_loop: bool,
    pub label: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    /// The whole declaration, keyword to closing brace.
    pub span: Span,
    pub name: Ident,
    pub title: Option<Text>,
    pub items: Vec<MetricItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MetricItem {
    pub kind: MetricItemKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MetricItemKind {
    Description(Text),
    Conversion { from: Ident, to: Ident },
    Time { from: Ident, to: Option<Ident> },
    Volume(Ident),
    Activity { what: Text, role: Ident },
    Target { cmp: Comparison, value: Lit<Quantity> },
    Owner(Ident),
    Review(Review),
}

impl MetricItemKind {
    pub fn is_measure(&self) -> bool {
        matches!(
            self,
            MetricItemKind::Conversion { .. }
                | MetricItemKind::Time { .. }
                | MetricItemKind::Volume(_)
                | MetricItemKind::Activity { .. }
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparison {
    AtLeast,
    AtMost,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Review {
    Daily,
    Weekly,
    Monthly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Day,
    Week,
    Month,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }
}

/// A rate: `value` per `per`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub value: f64,
    pub per: Period,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Money {
    pub amount: f64,
    pub currency: String,
}

/// A target's value: whatever kind of quantity was written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Quantity {
    Number(f64),
    /// A fraction from 0 to 1.
    Percent(f64),
    Minutes(u32),
    Rate(Rate),
}

impl Quantity {
    /// How the kind is named in messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Quantity::Number(_) => "a plain number",
            Quantity::Percent(_) => "a percentage",
            Quantity::Minutes(_) => "a duration",
            Quantity::Rate(_) => "a rate",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub keyword: Span,
    pub title: Option<Text>,
    pub items: Vec<PlanItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanItem {
    pub kind: PlanItemKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PlanItemKind {
    Goal(Lit<Rate>),
    Revenue(Lit<(Money, Period)>),
    /// Workdays per month.
    Workdays(Lit<f64>),
    /// The highest utilization allowed, a fraction (§6.2).
    Utilization(Lit<f64>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rollout {
    pub keyword: Span,
    pub items: Vec<RolloutItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RolloutItem {
    pub kind: RolloutItemKind,
    pub span: Span,
}

/// A calendar date (validated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RolloutItemKind {
    Start(Lit<Date>),
    Length(Lit<u32>),
    Briefing {
        roles: Vec<Ident>,
        every: Lit<u32>,
    },
    Exam {
        roles: Vec<Ident>,
        at: Vec<Lit<u32>>,
        questions: Option<Lit<u32>>,
    },
    Audit {
        roles: Vec<Ident>,
        by: Ident,
        every: Lit<u32>,
    },
    /// `weekdays`: events keep off Saturdays and Sundays (§6.3).
    Weekdays,
    /// `holidays RU, 2027-05-03`.
    Holidays(Vec<Lit<Holiday>>),
}

/// One entry of a `holidays` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Holiday {
    /// A country whose fixed public holidays the project ships.
    Country(Country),
    Date(Date),
}

/// The countries whose calendars the project ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Country {
    /// Russia: 1–8 January, 23 February, 8 March, 1 and 9 May, 12 June,
    /// 4 November.
    Ru,
}
