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
use crate::diagnostics::{Code, Diagnostic};
use crate::span::Span;

/// Collects `(property, span)` pairs and reports every repeat.
struct Once<'a> {
    /// What has the properties: `the stage`, and its name if it has one.
    owner: (&'static str, Option<&'a str>),
    seen: Vec<(&'static str, Span)>,
    found: Vec<Diagnostic>,
}

impl<'a> Once<'a> {
    fn new(what: &'static str, name: Option<&'a str>) -> Once<'a> {
        Once { owner: (what, name), seen: Vec::new(), found: Vec::new() }
    }

    fn owner(&self) -> String {
        match self.owner {
            (what, Some(name)) => format!("{what} `{name}`"),
            (what, None) => what.to_string(),
        }
    }

    fn add(&mut self, property: &'static str, span: Span) {
        match self.seen.iter().find(|(p, _)| *p == property) {
            Some(&(_, first)) => self.found.push(
                Diagnostic::new(Code::P104, span, format!("{} has `{property}` twice", self.owner()))
                    .with_label("given again here")
                    .with_related(first, "first given here")
                    .with_help(format!("keep one `{property}`; procdef uses the first")),
            ),
            None => self.seen.push((property, span)),
        }
    }
}

pub(super) fn check(cx: &mut Context) {
    let mut all = Vec::new();
    let mut process = Once::new("the process", None);
    for item in &cx.source.items {
        match item {
            ProcessItem::Language(l) => process.add("language", l.span),
            ProcessItem::Version(t) => process.add("version", t.span),
            ProcessItem::Use(_) => {}
            ProcessItem::Plan(p) => {
                process.add("plan", p.keyword);
                all.extend(plan(p));
            }
            ProcessItem::Rollout(r) => {
                process.add("rollout", r.keyword);
                all.extend(rollout(r));
            }
            ProcessItem::Segment(s) => {
                let mut once = Once::new("the segment", Some(&s.name.name));
                for i in &s.items {
                    match i {
                        SegmentItem::Share(l) => once.add("share", l.span),
                        SegmentItem::Deal(l) => once.add("deal", l.span),
                        SegmentItem::Description(_) => {}
                    }
                }
                all.extend(once.found);
            }
            ProcessItem::Role(r) => {
                let mut once = Once::new("the role", Some(&r.name.name));
                for i in &r.items {
                    match i {
                        RoleItem::Headcount(l) => once.add("headcount", l.span),
                        RoleItem::Capacity(l) => once.add("capacity", l.span),
                        RoleItem::ReportsTo { keyword, role } => once.add("reports to", keyword.to(role.span)),
                        RoleItem::Description(_) => {}
                    }
                }
                all.extend(once.found);
            }
            ProcessItem::Stage(s) => all.extend(stage(s)),
            ProcessItem::Metric(m) => {
                let mut once = Once::new("the metric", Some(&m.name.name));
                for i in &m.items {
                    match i.kind {
                        MetricItemKind::Target { .. } => once.add("target", i.span),
                        MetricItemKind::Owner(_) => once.add("owner", i.span),
                        MetricItemKind::Review(_) => once.add("review", i.span),
                        _ => {}
                    }
                }
                all.extend(once.found);
            }
            ProcessItem::Description(_) | ProcessItem::Product(_) => {}
        }
    }
    all.extend(process.found);
    all.into_iter().for_each(|d| cx.report(d));
}

fn stage(s: &Stage) -> Vec<Diagnostic> {
    let is_outcome = s.items.iter().any(|i| matches!(i.kind, StageItemKind::Outcome(_)));
    let mut once = Once::new("the stage", Some(&s.name.name));
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
            _ => continue,
        };
        once.add(property, i.span);
    }
    once.found
}

fn plan(p: &Plan) -> Vec<Diagnostic> {
    let mut once = Once::new("the plan", None);
    for i in &p.items {
        match i.kind {
            PlanItemKind::Goal(_) | PlanItemKind::Revenue(_) => once.add("goal", i.span),
            PlanItemKind::Workdays(_) => once.add("workdays", i.span),
        }
    }
    for d in &mut once.found {
        if d.message.ends_with("`goal` twice") {
            d.message = "the plan has two goals".into();
            d.help =
                Some("a plan has one goal: either `goal N/month` (won clients) or `revenue AMOUNT CUR/month`".into());
        }
    }
    once.found
}

fn rollout(r: &Rollout) -> Vec<Diagnostic> {
    let mut once = Once::new("the rollout", None);
    for i in &r.items {
        match i.kind {
            RolloutItemKind::Start(_) => once.add("start", i.span),
            RolloutItemKind::Length(_) => once.add("length", i.span),
            _ => {}
        }
    }
    once.found
}
