//! `rollout/exam-<role>.md`: an exam sheet for one role, its questions
//! drawn from the role's manual, and the answer key at the end.
//!
//! The questions, stage by stage in process order:
//! - the stage's time limit (stages the role owns);
//! - what to do within each deadline (instructions with `within`);
//! - what to do for a segment or product (instructions with `for` and no
//!   deadline);
//! - which steps apply to every client with no deadline of their own;
//! - when the stage is done (its exit criteria) and where clients go next,
//!   in what shares (stages the role owns);
//!
//! then the role's norms: each metric with a target that it is measured
//! by (activity norms, metrics it is responsible for, metrics of its
//! stages). Every instruction is asked about exactly once.

use super::when;
use crate::emit::markdown::{inline, md, table};
use crate::emit::phrases::{for_title, metric_stage, metric_what, process_line, role_norms, target_words};
use crate::i18n::Words;
use crate::model::graph::StageGraph;
use crate::model::{Instruction, Measure, Model, OutcomeKind, RoleId, StageId};
use crate::rollout::{Event, EventKind};
use std::fmt::Write;

/// One question and its answer (one line, or several as a list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub text: String,
    pub answer: Vec<String>,
}

/// A group of questions under a heading (a stage, or the norms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub heading: String,
    pub questions: Vec<Question>,
}

/// An instruction as an answer: its text on one line, with its notes.
fn step(w: &Words, model: &Model, i: &Instruction, with_deadline: bool) -> String {
    let mut s = i.text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
    let mut notes = Vec::new();
    if with_deadline {
        if let Some(d) = i.within {
            notes.push(w.fill("manual.step_within", &[("d", &w.duration(d))]));
        }
    }
    if !i.for_names.is_empty() {
        let names: Vec<String> = i.for_names.iter().map(|n| for_title(model, n)).collect();
        notes.push(w.fill("manual.only_for", &[("names", &w.list(&names))]));
    }
    if !notes.is_empty() {
        let _ = write!(s, " ({})", notes.join("; "));
    }
    s
}

/// The questions for `role`, grouped.
pub fn questions(model: &Model, graph: &StageGraph, role: RoleId) -> Vec<Group> {
    let w = Words::new(model.language);
    let mut groups = Vec::new();
    let order = graph.process_order();
    for &id in order {
        let stage = model.stage(id);
        let own = stage.owner == Some(role) && stage.outcome.is_none();
        let mine: Vec<&Instruction> = stage.instructions.iter().filter(|i| i.role == Some(role)).collect();
        if !own && mine.is_empty() {
            continue;
        }
        let title = stage.title.as_str();
        let mut qs = Vec::new();
        if own {
            if let Some(d) = stage.within {
                qs.push(Question {
                    text: w.fill("exam.q_limit", &[("stage", title)]),
                    answer: vec![w.fill("exam.a_limit", &[("d", &w.duration(d))])],
                });
            }
        }
        // By deadline, shortest first.
        let mut deadlines: Vec<u32> = mine.iter().filter_map(|i| i.within).collect();
        deadlines.sort_unstable();
        deadlines.dedup();
        for d in deadlines {
            let answer = mine.iter().filter(|i| i.within == Some(d)).map(|i| step(&w, model, i, false)).collect();
            qs.push(Question { text: w.fill("exam.q_deadline", &[("stage", title), ("d", &w.duration(d))]), answer });
        }
        // By segment or product list, in the order first written.
        let mut lists: Vec<&Vec<String>> = Vec::new();
        for i in mine.iter().filter(|i| i.within.is_none() && !i.for_names.is_empty()) {
            if !lists.contains(&&i.for_names) {
                lists.push(&i.for_names);
            }
        }
        for list in lists {
            let names: Vec<String> = list.iter().map(|n| format!("«{}»", for_title(model, n))).collect();
            let answer = mine
                .iter()
                .filter(|i| i.within.is_none() && i.for_names == *list)
                .map(|i| {
                    let mut plain = (*i).clone();
                    plain.for_names.clear();
                    step(&w, model, &plain, false)
                })
                .collect();
            qs.push(Question { text: w.fill("exam.q_for", &[("stage", title), ("names", &w.list(&names))]), answer });
        }
        let rest: Vec<String> = mine
            .iter()
            .filter(|i| i.within.is_none() && i.for_names.is_empty())
            .map(|i| step(&w, model, i, false))
            .collect();
        if !rest.is_empty() {
            let key = if stage.outcome.is_some() { "exam.q_outcome" } else { "exam.q_rest" };
            let outcome = match stage.outcome {
                Some(OutcomeKind::Won) => w.get("manual.outcome_won"),
                _ => w.get("manual.outcome_lost"),
            };
            qs.push(Question { text: w.fill(key, &[("stage", title), ("outcome", outcome)]), answer: rest });
        }
        if own && !stage.exits.is_empty() {
            let answer = stage.exits.iter().map(|e| e.lines().map(str::trim).collect::<Vec<_>>().join(" ")).collect();
            qs.push(Question { text: w.fill("exam.q_exit", &[("stage", title)]), answer });
        }
        if own && !stage.transitions.is_empty() {
            let answer = stage
                .transitions
                .iter()
                .filter_map(|t| {
                    let next = model.stage(t.target?);
                    Some(w.fill("exam.a_next", &[("stage", &next.title), ("p", &w.percent(t.probability))]))
                })
                .collect();
            qs.push(Question { text: w.fill("exam.q_next", &[("stage", title)]), answer });
        }
        if !qs.is_empty() {
            groups.push(Group { heading: w.fill("exam.stage", &[("stage", title)]), questions: qs });
        }
    }

    // The norms: metrics with a target that concern the role.
    let mut norms = Vec::new();
    for (k, m) in model.metrics.iter().enumerate() {
        let of_role = role_norms(model, role).iter().any(|(j, _)| *j == k);
        let at_own_stage = metric_stage(m)
            .is_some_and(|s: StageId| model.stage(s).owner == Some(role) && model.stage(s).outcome.is_none());
        if !(of_role || at_own_stage) {
            continue;
        }
        let Some(target) = target_words(&w, m) else { continue };
        let stage_title = |s: &Option<StageId>| s.map_or_else(String::new, |s| model.stage(s).title.clone());
        let text = match &m.measure {
            Some(Measure::Conversion { from, to }) => {
                w.fill("exam.q_conversion", &[("from", &stage_title(from)), ("to", &stage_title(to))])
            }
            _ => w.fill("exam.q_norm", &[("metric", &m.title), ("what", &metric_what(&w, model, m))]),
        };
        norms.push(Question { text, answer: vec![target] });
    }
    if !norms.is_empty() {
        groups.push(Group { heading: w.get("manual.norms").to_string(), questions: norms });
    }
    groups
}

/// The exam sheet of `role`.
pub fn markdown(model: &Model, graph: &StageGraph, role: RoleId, all: &[Event]) -> String {
    let w = Words::new(model.language);
    let r = model.role(role);
    let groups = questions(model, graph, role);
    let total: usize = groups.iter().map(|g| g.questions.len()).sum();
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", md(&w.fill("exam.title", &[("role", &r.title)])));
    let line = process_line(&w, model);
    let _ = writeln!(s, "{}\n", inline(&line, ""));
    let start = model.rollout.as_ref().and_then(|r| r.start);
    let dates: Vec<String> = all
        .iter()
        .filter(|e| e.kind == EventKind::Exam && e.roles.contains(&role))
        .map(|e| match start {
            Some(_) => {
                format!("{} ({})", when(&w, start, e.day()), w.fill("event.day", &[("n", &e.day().to_string())]))
            }
            None => when(&w, start, e.day()),
        })
        .collect();
    if !dates.is_empty() {
        let _ = writeln!(s, "{}\n", md(&w.fill("exam.dates", &[("dates", &w.list(&dates))])));
    }
    let head = [w.get("exam.name"), w.get("event.date"), w.get("exam.result")].map(str::to_string);
    let result = w.fill("exam.of", &[("n", &total.to_string())]);
    table(&mut s, &head, &[vec![String::new(), String::new(), result]]);
    s.push('\n');
    let _ = writeln!(s, "{}\n", md(w.get("exam.intro")));
    if groups.is_empty() {
        let _ = writeln!(s, "{}\n", md(w.get("exam.none")));
        return s;
    }
    let _ = writeln!(s, "## {}\n", md(w.get("exam.questions")));
    let mut n = 0;
    for g in &groups {
        let _ = writeln!(s, "### {}\n", md(&g.heading));
        for q in &g.questions {
            n += 1;
            let _ = writeln!(s, "{n}. {}\n", md(&q.text));
        }
    }
    let _ = writeln!(s, "---\n\n## {}\n", md(w.get("exam.key")));
    let mut n = 0;
    for g in &groups {
        for q in &g.questions {
            n += 1;
            let number = format!("{n}. ");
            let indent = " ".repeat(number.len());
            match q.answer.as_slice() {
                [one] => {
                    let _ = writeln!(s, "{number}{}", md(one));
                }
                many => {
                    let _ = writeln!(s, "{}", number.trim_end());
                    for a in many {
                        let _ = writeln!(s, "{indent}- {}", md(a));
                    }
                }
            }
        }
    }
    s
}
