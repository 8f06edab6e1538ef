//! Reports a property given twice where it may be given once: two `owner`s
//! of a stage, two `target`s of a metric, two `headcount`s of a role, two
//! `plan`s in a process.
//!
//! **Why it matters.** With two values it is unclear which one the writer
//! meant; procdef uses the first and points at both so the other can be
//! removed. Repeatable properties (`description`, `exit`, `instruct`,
//! transitions) are never reported.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   role head
//!   stage a { entry owner rep owner head instruct rep { "Call" } instruct head { "Check" } -> won }
//!   stage won { outcome won }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   role head
//!   stage a { entry owner rep instruct rep { "Call" } instruct head { "Check" } -> won }
//!   stage won { outcome won }
//! }
//! ```

use super::Context;
use crate::ast::*;
use super::say::kw;
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;
use crate::span::Span;

/// Collects `(property, span)` pairs and reports every repeat.
struct Once<'a> {
    lang: Lang,
    /// What has the properties (`stage`, `process`), and its name if it
    /// has one.
    owner: (&'static str, Option<&'a str>),
    seen: Vec<(&'static str, Span)>,
    /// Each repeat, with its property.
    found: Vec<(&'static str, Diagnostic)>,
}

impl<'a> Once<'a> {
    fn new(lang: Lang, what: &'static str, name: Option<&'a str>) -> Once<'a> {
        Once { lang, owner: (what, name), seen: Vec::new(), found: Vec::new() }
    }

    /// `the stage `a``; in Russian, the genitive after `у`: `этапа `a``.
    fn owner(&self) -> String {
        let (what, name) = self.owner;
        let what = match self.lang {
            Lang::En => match what {
                "process" => "the process",
                "segment" => "the segment",
                "role" => "the role",
                "metric" => "the metric",
                "plan" => "the plan",
                "rollout" => "the rollout",
                _ => "the stage",
            },
            Lang::Ru => match what {
                "process" => "процесса",
                "segment" => "сегмента",
                "role" => "роли",
                "metric" => "метрики",
                "plan" => "плана",
                "rollout" => "внедрения",
                _ => "этапа",
            },
        };
        match name {
            Some(name) => format!("{what} `{name}`"),
            None => what.to_string(),
        }
    }

    fn add(&mut self, property: &'static str, span: Span) {
        let Some(&(_, first)) = self.seen.iter().find(|(p, _)| *p == property) else {
            self.seen.push((property, span));
            return;
        };
        let shown = kw(property);
        let d = match self.lang {
            Lang::En => Diagnostic::new(Code::P104, span, format!("{} has `{shown}` twice", self.owner()))
                .with_label("given again here")
                .with_related(first, "first given here")
                .with_help(format!("keep one `{shown}`; procdef uses the first")),
            Lang::Ru => Diagnostic::new(Code::P104, span, format!("у {} дважды указано свойство `{shown}`", self.owner()))
                .with_label("указано повторно")
                .with_related(first, "указано впервые")
                .with_help(format!("оставьте одно свойство `{shown}`: действует первое")),
        };
        self.found.push((property, d));
    }

    fn found(self) -> impl Iterator<Item = Diagnostic> {
        self.found.into_iter().map(|(_, d)| d)
    }
}

pub(super) fn check(cx: &mut Context) {
    let mut all = Vec::new();
    let lang = cx.lang;
    let mut process = Once::new(lang, "process", None);
    for item in &cx.source.items {
        match item {
            ProcessItem::Language(l) => process.add("language", l.span),
            ProcessItem::Version(t) => process.add("version", t.span),
            ProcessItem::Use(_) => {}
            ProcessItem::Plan(p) => {
                process.add("plan", p.keyword);
                all.extend(plan(lang, p));
            }
            ProcessItem::Rollout(r) => {
                process.add("rollout", r.keyword);
                all.extend(rollout(lang, r));
            }
            ProcessItem::Segment(s) => {
                let mut once = Once::new(lang, "segment", Some(&s.name.name));
                for i in &s.items {
                    match i {
                        SegmentItem::Share(l) => once.add("share", l.span),
                        SegmentItem::Deal(l) => once.add("deal", l.span),
                        SegmentItem::Description(_) => {}
                    }
                }
                all.extend(once.found());
            }
            ProcessItem::Role(r) => {
                let mut once = Once::new(lang, "role", Some(&r.name.name));
                for i in &r.items {
                    match i {
                        RoleItem::Headcount(l) => once.add("headcount", l.span),
                        RoleItem::Capacity(l) => once.add("capacity", l.span),
                        RoleItem::ReportsTo { keyword, role } => once.add("reports to", keyword.to(role.span)),
                        RoleItem::Description(_) => {}
                    }
                }
                all.extend(once.found());
            }
            ProcessItem::Stage(s) => all.extend(stage(lang, s)),
            ProcessItem::Metric(m) => {
                let mut once = Once::new(lang, "metric", Some(&m.name.name));
                for i in &m.items {
                    match i.kind {
                        MetricItemKind::Target { .. } => once.add("target", i.span),
                        MetricItemKind::Owner(_) => once.add("owner", i.span),
                        MetricItemKind::Review(_) => once.add("review", i.span),
                        _ => {}
                    }
                }
                all.extend(once.found());
            }
            ProcessItem::Description(_) | ProcessItem::Product(_) => {}
        }
    }
    all.extend(process.found());
    all.into_iter().for_each(|d| cx.report(d));
}

fn stage(lang: Lang, s: &Stage) -> impl Iterator<Item = Diagnostic> {
    let is_outcome = s.items.iter().any(|i| matches!(i.kind, StageItemKind::Outcome(_)));
    let mut once = Once::new(lang, "stage", Some(&s.name.name));
    for i in &s.items {
        let property = match i.kind {
            StageItemKind::Outcome(_) => "outcome",
            // On an outcome stage these are P207 already.
            _ if is_outcome => continue,
            StageItemKind::Owner(_) => "owner",
            StageItemKind::Takes(_) => "takes",
            StageItemKind::Within(_) => "within",
            StageItemKind::Effort(_) => "effort",
            StageItemKind::Entry { .. } => "entry",
            StageItemKind::Sale => "sale",
            _ => continue,
        };
        once.add(property, i.span);
    }
    once.found()
}

fn plan(lang: Lang, p: &Plan) -> Vec<Diagnostic> {
    let mut once = Once::new(lang, "plan", None);
    for i in &p.items {
        match i.kind {
            PlanItemKind::Goal(_) | PlanItemKind::Revenue(_) => once.add("goal", i.span),
            PlanItemKind::Workdays(_) => once.add("workdays", i.span),
            PlanItemKind::Utilization(_) => once.add("utilization", i.span),
        }
    }
    let (goal, revenue, month) = (kw("goal"), kw("revenue"), kw("month"));
    let mut found = Vec::new();
    for (property, mut d) in once.found {
        if property == "goal" {
            (d.message, d.help) = match lang {
                Lang::En => (
                    "the plan has two goals".into(),
                    Some(format!(
                        "a plan has one goal: either `{goal} N/{month}` (won clients) or `{revenue} AMOUNT CUR/{month}`"
                    )),
                ),
                Lang::Ru => (
                    "у плана две цели".into(),
                    Some(format!(
                        "у плана одна цель: либо `{goal} N/{month}` (выигранные клиенты), либо `{revenue} СУММА ВАЛЮТА/{month}`"
                    )),
                ),
            };
        }
        found.push(d);
    }
    found
}

fn rollout(lang: Lang, r: &Rollout) -> impl Iterator<Item = Diagnostic> {
    let mut once = Once::new(lang, "rollout", None);
    for i in &r.items {
        match i.kind {
            RolloutItemKind::Start(_) => once.add("start", i.span),
            RolloutItemKind::Length(_) => once.add("length", i.span),
            _ => {}
        }
    }
    once.found()
}
