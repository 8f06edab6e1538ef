//! Lowering pest pairs into the AST, checking literals on the way (P002).
//!
//! Each `lower`-style method mirrors one grammar rule; where the grammar
//! rules a case out, the code says so with `expect("grammar: …")`.

use super::Rule;
use super::literal;
use super::values::Values;
use crate::ast::*;
use crate::span::Span;
use pest::iterators::{Pair, Pairs};

pub(super) struct Lowering {
    pub(super) values: Values,
}

/// The span of a pair, without the whitespace and comments pest leaves at
/// the end of a rule whose optional tail was absent: it ends where its last
/// token ends.
fn span(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    let end = pair.clone().into_inner().last().map_or(s.end(), |last| span(&last).end);
    Span::new(s.start(), end)
}

/// The meaningful children of a pair: punctuation and keywords dropped.
fn parts<'i>(pair: Pair<'i, Rule>) -> impl Iterator<Item = Pair<'i, Rule>> {
    pair.into_inner().filter(|p| !is_punctuation_or_keyword(p.as_rule()))
}

fn is_punctuation_or_keyword(rule: Rule) -> bool {
    use Rule::*;
    matches!(
        rule,
        lbrace
            | rbrace
            | arrow
            | slash
            | EOI
            | kw_process
            | kw_library
            | kw_use
            | kw_language
            | kw_version
            | kw_description
            | kw_segment
            | kw_share
            | kw_deal
            | kw_product
            | kw_role
            | kw_headcount
            | kw_capacity
            | kw_reports
            | kw_to
            | kw_stage
            | kw_entry
            | kw_active
            | kw_passive
            | kw_outcome
            | kw_won
            | kw_lost
            | kw_owner
            | kw_takes
            | kw_within
            | kw_effort
            | kw_instruct
            | kw_exit
            | kw_sale
            | kw_utilization
            | kw_questions
            | kw_weekdays
            | kw_holidays
            | kw_for
            | kw_loop
            | kw_metric
            | kw_conversion
            | kw_time
            | kw_volume
            | kw_activity
            | kw_by
            | kw_target
            | kw_review
            | kw_daily
            | kw_weekly
            | kw_monthly
            | kw_plan
            | kw_goal
            | kw_revenue
            | kw_workdays
            | kw_rollout
            | kw_start
            | kw_length
            | kw_briefing
            | kw_every
            | kw_exam
            | kw_at
            | kw_audit
    )
}

/// The single inner pair of a wrapper rule (`process_item`, `text`, …).
fn only(pair: Pair<'_, Rule>) -> Pair<'_, Rule> {
    pair.into_inner().next().expect("grammar: wrapper rules have exactly one child")
}

fn ident(pair: Pair<'_, Rule>) -> Ident {
    debug_assert_eq!(pair.as_rule(), Rule::ident);
    Ident { name: pair.as_str().to_string(), span: span(&pair) }
}

fn keyword<'i>(pairs: &Pairs<'i, Rule>, rule: Rule) -> Option<Pair<'i, Rule>> {
    pairs.clone().find(|p| p.as_rule() == rule)
}

impl Lowering {
    pub(super) fn new() -> Lowering {
        Lowering { values: Values::default() }
    }

    fn lit<T>(&mut self, pair: &Pair<'_, Rule>, check: impl FnOnce(&str) -> Result<T, literal::LitError>) -> Lit<T> {
        self.values.lit(pair.as_str(), span(pair), check)
    }

    pub(super) fn file(&mut self, pair: Pair<'_, Rule>) -> File {
        let mut file = File { processes: Vec::new(), libraries: Vec::new() };
        for p in parts(pair) {
            match p.as_rule() {
                Rule::process => file.processes.push(self.process(p)),
                Rule::library => file.libraries.push(self.library(p)),
                other => unreachable!("grammar: no file item {other:?}"),
            }
        }
        file
    }

    fn library(&mut self, pair: Pair<'_, Rule>) -> Library {
        let inner = pair.clone().into_inner();
        let keyword_span = span(&keyword(&inner, Rule::kw_library).expect("grammar: library keyword"));
        let mut it = parts(pair).peekable();
        let name = ident(it.next().expect("grammar: library name"));
        let title = if it.peek().is_some_and(|p| p.as_rule() == Rule::string) { it.next() } else { None };
        let title = self.title(title);
        let items = it
            .map(|p| {
                let p = only(p);
                match p.as_rule() {
                    Rule::description => LibraryItem::Description(self.description(p)),
                    Rule::segment => LibraryItem::Segment(self.segment(p)),
                    Rule::product => LibraryItem::Product(self.product(p)),
                    Rule::role => LibraryItem::Role(self.role(p)),
                    Rule::use_item => LibraryItem::Use(self.use_item(p)),
                    other => unreachable!("grammar: no library item {other:?}"),
                }
            })
            .collect();
        Library { keyword: keyword_span, name, title, items }
    }

    fn use_item(&mut self, pair: Pair<'_, Rule>) -> Use {
        let inner = pair.clone().into_inner();
        let keyword_span = span(&keyword(&inner, Rule::kw_use).expect("grammar: use keyword"));
        let path = self.text(parts(pair).next().expect("grammar: use path"));
        Use { keyword: keyword_span, path }
    }

    fn text(&mut self, pair: Pair<'_, Rule>) -> Text {
        let at = span(&pair);
        match pair.as_rule() {
            Rule::string => self.values.string(pair.as_str(), at),
            Rule::text_block => self.values.text_block(pair.as_str(), at),
            other => unreachable!("grammar: text is a string or a text block, not {other:?}"),
        }
    }

    fn title(&mut self, pair: Option<Pair<'_, Rule>>) -> Option<Text> {
        pair.map(|p| self.text(p))
    }

    fn process(&mut self, pair: Pair<'_, Rule>) -> Process {
        let inner = pair.clone().into_inner();
        let keyword_span = span(&keyword(&inner, Rule::kw_process).expect("grammar: process keyword"));
        let mut it = parts(pair).peekable();
        let name = ident(it.next().expect("grammar: process name"));
        let title = if it.peek().is_some_and(|p| p.as_rule() == Rule::string) { it.next() } else { None };
        let title = self.title(title);
        let items = it.map(|p| self.process_item(only(p))).collect();
        Process { keyword: keyword_span, name, title, items }
    }

    fn process_item(&mut self, pair: Pair<'_, Rule>) -> ProcessItem {
        match pair.as_rule() {
            Rule::language => {
                let word = parts(pair).next().expect("grammar: language word");
                ProcessItem::Language(self.values.language(word.as_str(), span(&word)))
            }
            Rule::version => ProcessItem::Version(self.text(parts(pair).next().expect("grammar: version text"))),
            Rule::description => ProcessItem::Description(self.description(pair)),
            Rule::segment => ProcessItem::Segment(self.segment(pair)),
            Rule::product => ProcessItem::Product(self.product(pair)),
            Rule::role => ProcessItem::Role(self.role(pair)),
            Rule::stage => ProcessItem::Stage(self.stage(pair)),
            Rule::metric => ProcessItem::Metric(self.metric(pair)),
            Rule::plan => ProcessItem::Plan(self.plan(pair)),
            Rule::rollout => ProcessItem::Rollout(self.rollout(pair)),
            Rule::use_item => ProcessItem::Use(self.use_item(pair)),
            other => unreachable!("grammar: no process item {other:?}"),
        }
    }

    fn description(&mut self, pair: Pair<'_, Rule>) -> Text {
        self.text(parts(pair).next().expect("grammar: description text"))
    }

    /// Name, optional title, and the remaining children.
    fn head<'i>(&mut self, pair: Pair<'i, Rule>) -> (Span, Ident, Option<Text>, Vec<Pair<'i, Rule>>) {
        let whole = span(&pair);
        let mut it = parts(pair).peekable();
        let name = ident(it.next().expect("grammar: declarations start with a name"));
        let title = if it.peek().is_some_and(|p| p.as_rule() == Rule::string) { it.next() } else { None };
        let title = self.title(title);
        (whole, name, title, it.collect())
    }

    fn segment(&mut self, pair: Pair<'_, Rule>) -> Segment {
        let (whole, name, title, rest) = self.head(pair);
        let items = rest
            .into_iter()
            .map(|p| {
                let p = only(p);
                match p.as_rule() {
                    Rule::description => SegmentItem::Description(self.description(p)),
                    Rule::share => {
                        let q = parts(p).next().expect("grammar: share value");
                        SegmentItem::Share(self.lit(&q, literal::percent))
                    }
                    Rule::deal => SegmentItem::Deal(self.money(parts(p).next().expect("grammar: deal money"))),
                    other => unreachable!("grammar: no segment item {other:?}"),
                }
            })
            .collect();
        Segment { span: whole, name, title, items }
    }

    fn money(&mut self, pair: Pair<'_, Rule>) -> Lit<Money> {
        let at = span(&pair);
        let mut it = parts(pair);
        let amount = it.next().expect("grammar: money amount");
        let currency = it.next().expect("grammar: money currency");
        self.values.money((amount.as_str(), span(&amount)), (currency.as_str(), span(&currency)), at)
    }

    fn product(&mut self, pair: Pair<'_, Rule>) -> Product {
        let (whole, name, title, rest) = self.head(pair);
        let descriptions = rest.into_iter().map(|p| self.description(only(p))).collect();
        Product { span: whole, name, title, descriptions }
    }

    fn role(&mut self, pair: Pair<'_, Rule>) -> Role {
        let (whole, name, title, rest) = self.head(pair);
        let items = rest
            .into_iter()
            .map(|p| {
                let p = only(p);
                match p.as_rule() {
                    Rule::description => RoleItem::Description(self.description(p)),
                    Rule::headcount => {
                        let q = parts(p).next().expect("grammar: headcount value");
                        RoleItem::Headcount(self.lit(&q, literal::headcount))
                    }
                    Rule::capacity => {
                        let at = span(&p);
                        let mut it = parts(p);
                        let q = it.next().expect("grammar: capacity value");
                        let per = it.next().map(|w| w.as_str().to_string());
                        RoleItem::Capacity(self.values.capacity(q.as_str(), per.as_deref(), at))
                    }
                    Rule::reports => {
                        let inner = p.clone().into_inner();
                        let kw = span(&keyword(&inner, Rule::kw_reports).expect("grammar: `reports`"));
                        let role = ident(parts(p).next().expect("grammar: reports to ROLE"));
                        RoleItem::ReportsTo { keyword: kw, role }
                    }
                    other => unreachable!("grammar: no role item {other:?}"),
                }
            })
            .collect();
        Role { span: whole, name, title, items }
    }

    fn stage(&mut self, pair: Pair<'_, Rule>) -> Stage {
        let (whole, name, title, rest) = self.head(pair);
        let items = rest.into_iter().map(|p| self.stage_item(only(p))).collect();
        Stage { span: whole, name, title, items }
    }

    fn stage_item(&mut self, pair: Pair<'_, Rule>) -> StageItem {
        let at = span(&pair);
        let kind = match pair.as_rule() {
            Rule::description => StageItemKind::Description(self.description(pair)),
            Rule::entry => {
                let inner = pair.clone().into_inner();
                let kind = if keyword(&inner, Rule::kw_active).is_some() {
                    Some(EntryKind::Active)
                } else if keyword(&inner, Rule::kw_passive).is_some() {
                    Some(EntryKind::Passive)
                } else {
                    None
                };
                let share = parts(pair).next().map(|q| self.lit(&q, literal::percent));
                StageItemKind::Entry { kind, share }
            }
            Rule::outcome => {
                let inner = pair.into_inner();
                if keyword(&inner, Rule::kw_won).is_some() {
                    StageItemKind::Outcome(OutcomeKind::Won)
                } else {
                    StageItemKind::Outcome(OutcomeKind::Lost)
                }
            }
            Rule::owner => StageItemKind::Owner(ident(parts(pair).next().expect("grammar: owner name"))),
            Rule::sale => StageItemKind::Sale,
            Rule::takes => StageItemKind::Takes(self.duration_of(pair)),
            Rule::within => StageItemKind::Within(self.duration_of(pair)),
            Rule::effort => StageItemKind::Effort(self.duration_of(pair)),
            Rule::instruct => {
                let mut it = parts(pair);
                let role = ident(it.next().expect("grammar: instruct ROLE"));
                let instructions = it.map(|p| self.instruction(p)).collect();
                StageItemKind::Instruct { role, instructions }
            }
            Rule::exit => StageItemKind::Exit(self.text(parts(pair).next().expect("grammar: exit text"))),
            Rule::transition => {
                let inner = pair.clone().into_inner();
                let is_loop = keyword(&inner, Rule::kw_loop).is_some();
                let mut target = None;
                let mut percent = None;
                let mut label = None;
                for p in parts(pair) {
                    match p.as_rule() {
                        Rule::ident => target = Some(ident(p)),
                        Rule::quantity => percent = Some(self.lit(&p, literal::percent)),
                        Rule::string => label = Some(self.text(p)),
                        other => unreachable!("grammar: no transition part {other:?}"),
                    }
                }
                let target = target.expect("grammar: a transition names its target");
                StageItemKind::Transition(Transition { target, percent, is_loop, label })
            }
            other => unreachable!("grammar: no stage item {other:?}"),
        };
        StageItem { kind, span: at }
    }

    fn duration_of(&mut self, pair: Pair<'_, Rule>) -> Lit<u32> {
        let q = parts(pair).next().expect("grammar: a duration follows the keyword");
        self.lit(&q, literal::duration)
    }

    fn instruction(&mut self, pair: Pair<'_, Rule>) -> Instruction {
        let at = span(&pair);
        let mut text = None;
        let mut within = None;
        let mut effort = None;
        let mut for_names = Vec::new();
        for p in parts(pair) {
            match p.as_rule() {
                Rule::string | Rule::text_block => text = Some(self.text(p)),
                Rule::within => within = Some(self.duration_of(p)),
                Rule::effort => effort = Some(self.duration_of(p)),
                Rule::for_list => for_names = parts(p).map(ident).collect(),
                other => unreachable!("grammar: no instruction part {other:?}"),
            }
        }
        Instruction { text: text.expect("grammar: an instruction has text"), within, effort, for_names, span: at }
    }

    fn metric(&mut self, pair: Pair<'_, Rule>) -> Metric {
        let (whole, name, title, rest) = self.head(pair);
        let items = rest
            .into_iter()
            .map(|p| {
                let p = only(p);
                let at = span(&p);
                let kind = match p.as_rule() {
                    Rule::description => MetricItemKind::Description(self.description(p)),
                    Rule::conversion => {
                        let mut it = parts(p).map(ident);
                        let from = it.next().expect("grammar: conversion A");
                        let to = it.next().expect("grammar: conversion B");
                        MetricItemKind::Conversion { from, to }
                    }
                    Rule::time => {
                        let mut it = parts(p).map(ident);
                        let from = it.next().expect("grammar: time A");
                        MetricItemKind::Time { from, to: it.next() }
                    }
                    Rule::volume => MetricItemKind::Volume(ident(parts(p).next().expect("grammar: volume A"))),
                    Rule::activity => {
                        let mut it = parts(p);
                        let what = self.text(it.next().expect("grammar: activity text"));
                        let role = ident(it.next().expect("grammar: activity by ROLE"));
                        MetricItemKind::Activity { what, role }
                    }
                    Rule::target => {
                        let mut it = parts(p);
                        let cmp = match it.next().expect("grammar: target comparison").as_rule() {
                            Rule::at_least => Comparison::AtLeast,
                            _ => Comparison::AtMost,
                        };
                        let q = it.next().expect("grammar: target value");
                        MetricItemKind::Target { cmp, value: self.lit(&q, literal::quantity) }
                    }
                    Rule::owner => MetricItemKind::Owner(ident(parts(p).next().expect("grammar: owner name"))),
                    Rule::review => {
                        let inner = p.into_inner();
                        MetricItemKind::Review(if keyword(&inner, Rule::kw_daily).is_some() {
                            Review::Daily
                        } else if keyword(&inner, Rule::kw_weekly).is_some() {
                            Review::Weekly
                        } else {
                            Review::Monthly
                        })
                    }
                    other => unreachable!("grammar: no metric item {other:?}"),
                };
                MetricItem { kind, span: at }
            })
            .collect();
        Metric { span: whole, name, title, items }
    }

    fn plan(&mut self, pair: Pair<'_, Rule>) -> Plan {
        let inner = pair.clone().into_inner();
        let kw = span(&keyword(&inner, Rule::kw_plan).expect("grammar: plan keyword"));
        let mut title = None;
        let mut items = Vec::new();
        for p in parts(pair) {
            match p.as_rule() {
                Rule::string => title = Some(self.text(p)),
                Rule::plan_item => {
                    let p = only(p);
                    let at = span(&p);
                    let kind = match p.as_rule() {
                        Rule::goal => {
                            let q = parts(p).next().expect("grammar: goal rate");
                            PlanItemKind::Goal(self.lit(&q, literal::rate))
                        }
                        Rule::workdays => {
                            let q = parts(p).next().expect("grammar: workdays rate");
                            PlanItemKind::Workdays(self.lit(&q, literal::workdays))
                        }
                        Rule::utilization => {
                            let q = parts(p).next().expect("grammar: utilization percent");
                            PlanItemKind::Utilization(self.lit(&q, literal::utilization))
                        }
                        Rule::revenue => {
                            let mut it = parts(p);
                            let amount = it.next().expect("grammar: revenue amount");
                            let currency = it.next().expect("grammar: revenue currency");
                            let per = it.next().expect("grammar: revenue period");
                            PlanItemKind::Revenue(self.values.revenue(
                                (amount.as_str(), span(&amount)),
                                (currency.as_str(), span(&currency)),
                                (per.as_str(), span(&per)),
                                at,
                            ))
                        }
                        other => unreachable!("grammar: no plan item {other:?}"),
                    };
                    items.push(PlanItem { kind, span: at });
                }
                other => unreachable!("grammar: no plan part {other:?}"),
            }
        }
        Plan { keyword: kw, title, items }
    }

    fn rollout(&mut self, pair: Pair<'_, Rule>) -> Rollout {
        let inner = pair.clone().into_inner();
        let kw = span(&keyword(&inner, Rule::kw_rollout).expect("grammar: rollout keyword"));
        let items = parts(pair)
            .map(|p| {
                let p = only(p);
                let at = span(&p);
                let kind = match p.as_rule() {
                    Rule::start => {
                        let d = parts(p).next().expect("grammar: start date");
                        RolloutItemKind::Start(self.lit(&d, literal::date))
                    }
                    Rule::length => {
                        let q = parts(p).next().expect("grammar: a duration follows `length`");
                        RolloutItemKind::Length(self.lit(&q, literal::rollout_length))
                    }
                    Rule::briefing => {
                        let mut it = parts(p);
                        let roles = parts(it.next().expect("grammar: briefing roles")).map(ident).collect();
                        let every = it.next().expect("grammar: briefing every");
                        RolloutItemKind::Briefing { roles, every: self.lit(&every, literal::duration) }
                    }
                    Rule::exam => {
                        let mut roles = Vec::new();
                        let mut at = Vec::new();
                        let mut questions = None;
                        let mut after_questions = false;
                        for q in p.into_inner() {
                            match q.as_rule() {
                                Rule::idents => roles = parts(q).map(ident).collect(),
                                Rule::kw_questions => after_questions = true,
                                Rule::quantity if after_questions => questions = Some(self.lit(&q, literal::questions)),
                                Rule::quantity => at.push(self.lit(&q, literal::duration)),
                                _ => {}
                            }
                        }
                        RolloutItemKind::Exam { roles, at, questions }
                    }
                    Rule::weekdays => RolloutItemKind::Weekdays,
                    Rule::holidays => RolloutItemKind::Holidays(
                        parts(p)
                            .map(|h| {
                                let h = only(h);
                                let at = span(&h);
                                match h.as_rule() {
                                    Rule::date => {
                                        self.values.lit(h.as_str(), at, |d| literal::date(d).map(Holiday::Date))
                                    }
                                    _ => self.values.lit(h.as_str(), at, |w| literal::country(w).map(Holiday::Country)),
                                }
                            })
                            .collect(),
                    ),
                    Rule::audit => {
                        let mut it = parts(p);
                        let roles = parts(it.next().expect("grammar: audit roles")).map(ident).collect();
                        let by = ident(it.next().expect("grammar: audit by ROLE"));
                        let every = it.next().expect("grammar: audit every");
                        RolloutItemKind::Audit { roles, by, every: self.lit(&every, literal::duration) }
                    }
                    other => unreachable!("grammar: no rollout item {other:?}"),
                };
                RolloutItem { kind, span: at }
            })
            .collect();
        Rollout { keyword: kw, items }
    }
}
