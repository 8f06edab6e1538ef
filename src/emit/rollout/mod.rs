//! The rollout kit, written from the rollout's dated events
//! ([`crate::rollout::events`]): the schedule, the calendar file, the exam
//! sheets and their keys, and the audit checklists, each as Markdown and
//! as a printable HTML page ([`super::page`]).
//!
//! Without a `start` date the kit counts days from the start ("day 30",
//! "week 3") and writes no calendar file: a calendar needs real dates.

pub mod audit;
pub mod exam;
pub mod ics;
pub mod schedule;

use super::Output;
use super::manual::html::{Renderer, TemplateError};
use super::page::{self, Page};
use crate::i18n::Words;
use crate::model::graph::StageGraph;
use crate::model::{Date, Model, RoleId};
use crate::rollout::{Event, EventKind, audited, date_after, examined};

/// Every file of the rollout kit, when the process has a rollout: each
/// page as Markdown and as HTML (rendered by `renderer`). `stems` are the
/// roles' file stems, in declaration order; `all` is
/// [`crate::rollout::events`] of the model.
pub fn kit(
    model: &Model,
    graph: &StageGraph,
    stems: &[String],
    all: &[Event],
    renderer: &Renderer,
) -> Result<Vec<Output>, TemplateError> {
    let Some(r) = &model.rollout else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    let mut both = |stem: String, page: Page| -> Result<(), TemplateError> {
        out.push(Output { path: format!("rollout/{stem}.md"), contents: page::markdown(&page) });
        out.push(Output { path: format!("rollout/{stem}.html"), contents: renderer.page(&page)? });
        Ok(())
    };
    both("schedule".into(), schedule::content(model, stems, all))?;
    let stem_of = |role: RoleId| stems.get(role.0).cloned().unwrap_or_default();
    for role in examined(model) {
        both(format!("exam-{}", stem_of(role)), exam::content(model, graph, role, all, false))?;
        both(format!("exam-{}-key", stem_of(role)), exam::content(model, graph, role, all, true))?;
    }
    for role in audited(model) {
        both(format!("audit-{}", stem_of(role)), audit::content(model, graph, role, all, None))?;
    }
    if r.start.is_some() {
        out.push(Output { path: "rollout/rollout.ics".into(), contents: ics::calendar(model, all) });
    }
    Ok(out)
}

/// Replaces the audit checklists of `outputs` (Markdown and HTML) with
/// ones holding the figures that the audit of the CRM's history measured
/// (`build --log`).
pub fn with_measured(
    model: &Model,
    graph: &StageGraph,
    report: &crate::audit::report::Report,
    renderer: &Renderer,
    outputs: &mut [Output],
) -> Result<(), TemplateError> {
    let all = crate::rollout::events(model);
    let ids: Vec<&str> = model.roles.iter().map(|r| r.id.as_str()).collect();
    let stems = super::files::stems(&ids);
    for role in audited(model) {
        let page = audit::content(model, graph, role, &all, Some(report));
        let stem = format!("rollout/audit-{}", stems.get(role.0).map_or("", String::as_str));
        for o in outputs.iter_mut() {
            if o.path == format!("{stem}.md") {
                o.contents = page::markdown(&page);
            } else if o.path == format!("{stem}.html") {
                o.contents = renderer.page(&page)?;
            }
        }
    }
    Ok(())
}

/// When a day of the rollout falls: its date with a start date, else
/// `day 30`.
pub fn when(w: &Words, start: Option<Date>, day: u32) -> String {
    match start {
        Some(start) => w.date(date_after(start, day)),
        None => w.fill("event.day", &[("n", &day.to_string())]),
    }
}

/// The titles of roles.
pub fn titles(model: &Model, roles: &[RoleId]) -> Vec<String> {
    roles.iter().map(|r| model.role(*r).title.clone()).collect()
}

/// The name of an event's kind: `Briefing`, `Exam`, `Audit …`.
pub fn kind_word(w: &Words, kind: EventKind) -> &'static str {
    w.get(match kind {
        EventKind::Briefing => "event.briefing",
        EventKind::Exam => "event.exam",
        EventKind::Audit => "event.audit",
    })
}

/// Who an event concerns, in words: the roles, or for an audit who
/// audits whom.
pub fn who(w: &Words, model: &Model, e: &Event) -> String {
    let roles = w.list(&titles(model, &e.roles));
    match (e.kind, e.by) {
        (EventKind::Audit, Some(by)) => w.fill("event.audit_who", &[("by", &model.role(by).title), ("roles", &roles)]),
        _ => roles,
    }
}
