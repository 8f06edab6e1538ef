//! CRM exports: the pipeline a CRM takes, as that CRM's own JSON payload,
//! built from typed structs, and for Salesforce also as the XML files of a
//! Metadata API folder. `docs/crm.md` says how each payload is sent
//! and which field comes from what.
//!
//! Every export shares one idea of the pipeline ([`pipelines`]): the stages
//! in process order with the closed stages moved to the end (CRMs show
//! them last), each with a label that is unique within the pipeline, and
//! the funnel model's win probability. A process with `sale` stages
//! (LANGUAGE.md §6.1) has two: the sales pipeline holds the stages a
//! client passes before the first sale, the sale stages closed as won and
//! the lost outcomes closed as lost; the stages after the sale make a
//! second pipeline, "<title>: after the sale", for the CRMs that keep
//! several.

pub mod hubspot;
pub mod pipedrive;
pub mod salesforce;
pub mod xml;

use crate::funnel::{self, Analysis};
use crate::i18n::Words;
use crate::model::graph::{Edges, StageGraph};
use crate::model::{Model, OutcomeKind, Stage, StageId};
use serde::Serialize;

/// The CRMs procdef exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crm {
    Hubspot,
    Pipedrive,
    Salesforce,
}

impl Crm {
    pub const ALL: &'static [Crm] = &[Crm::Hubspot, Crm::Pipedrive, Crm::Salesforce];

    /// The CRM's name as people write it.
    pub fn name(self) -> &'static str {
        match self {
            Crm::Hubspot => "HubSpot",
            Crm::Pipedrive => "Pipedrive",
            Crm::Salesforce => "Salesforce",
        }
    }
}

/// One stage of the pipeline, as every CRM sees it.
#[derive(Debug, Clone)]
pub struct PipelineStage<'a> {
    pub id: StageId,
    pub stage: &'a Stage,
    /// The stage's title, made unique within the pipeline.
    pub label: String,
    /// Whether the stage closes a deal, and how: won for a `won` outcome
    /// and, in the sales pipeline, for a `sale` stage; lost for a `lost`
    /// outcome; `None` for an open stage.
    pub closed: Option<OutcomeKind>,
    /// The probability that a deal at this stage is won: 1 for a stage
    /// closed as won, 0 for one closed as lost. In the sales pipeline, the
    /// chance of a sale; after the sale, of a `won` outcome.
    pub win_probability: f64,
}

impl PipelineStage<'_> {
    /// How the stage closes a deal, if it does.
    pub fn outcome(&self) -> Option<OutcomeKind> {
        self.closed
    }
}

/// The pipelines of a process: the sales pipeline and, when the process
/// has `sale` stages followed by stages of their own, the one after the
/// sale (else empty).
#[derive(Debug, Clone)]
pub struct Pipelines<'a> {
    pub sales: Vec<PipelineStage<'a>>,
    pub after_sale: Vec<PipelineStage<'a>>,
}

/// The name of the pipeline after the sale: `<title>: after the sale`.
pub fn after_sale_name(model: &Model) -> String {
    Words::new(model.language).fill("crm.after_sale", &[("title", &one_line(&model.title))])
}

/// The sales pipeline: process order, closed stages last, labels unique
/// and at most `max_label` characters when the CRM limits them.
pub fn pipeline<'a>(model: &'a Model, analysis: &Analysis, max_label: Option<usize>) -> Vec<PipelineStage<'a>> {
    pipelines(model, analysis, max_label).sales
}

/// Both pipelines (see [`Pipelines`]).
pub fn pipelines<'a>(model: &'a Model, analysis: &Analysis, max_label: Option<usize>) -> Pipelines<'a> {
    let graph = StageGraph::new(model);
    let order = graph.process_order().to_vec();
    let n = model.stages.len();
    let sale: Vec<bool> = model.stages.iter().map(|s| s.sale && !s.is_terminal()).collect();
    let win = |id: StageId| analysis.stages.get(id.0).map_or(0.0, |f| f.win_probability);
    if !sale.iter().any(|s| *s) {
        // No sale stage: reaching a `won` outcome is the sale, and every
        // stage is in the one pipeline.
        let stages = order
            .iter()
            .map(|&id| {
                let closed = model.stage(id).outcome;
                (id, closed, if closed.is_some() { 0.0 } else { win(id) })
            })
            .collect();
        return Pipelines { sales: make(model, stages, max_label), after_sale: Vec::new() };
    }
    // Before the first sale: what the entries reach without passing a sale.
    let before = super::phrases::before_sale(model, &graph);
    // After it: what the sale stages lead to, short of the stages before
    // a sale (a repeat order goes back to the sales pipeline).
    let after =
        walk(&graph, (0..n).map(StageId).filter(|s| sale[s.0]), |s| !before[s.0] && !model.stage(s).is_terminal());
    let is_lost = |id: StageId| model.stage(id).outcome == Some(OutcomeKind::Lost);
    let open = |id: StageId| !model.stage(id).is_terminal() && !sale[id.0];
    let sales = order
        .iter()
        .filter_map(|&id| {
            if sale[id.0] {
                Some((id, Some(OutcomeKind::Won), 1.0))
            } else if open(id) && before[id.0] {
                Some((id, None, win(id)))
            } else if is_lost(id) && fed_by(&graph, id, &before, model) {
                Some((id, Some(OutcomeKind::Lost), 0.0))
            } else {
                None
            }
        })
        .collect();
    let after_open: Vec<StageId> =
        order.iter().copied().filter(|&id| open(id) && !before[id.0] && after[id.0]).collect();
    let after_sale = if after_open.is_empty() {
        Vec::new()
    } else {
        let mut in_after = vec![false; n];
        for id in &after_open {
            in_after[id.0] = true;
        }
        let served = won_probability(model, &graph);
        let stages = order
            .iter()
            .filter_map(|&id| {
                if in_after[id.0] {
                    Some((id, None, served[id.0]))
                } else if model.stage(id).is_terminal() && fed_by(&graph, id, &in_after, model) {
                    Some((id, model.stage(id).outcome, 0.0))
                } else {
                    None
                }
            })
            .collect();
        make(model, stages, max_label)
    };
    Pipelines { sales: make(model, sales, max_label), after_sale }
}

/// The stages reached from `starts`, going on from the starts and from the
/// stages `through` keeps.
fn walk(graph: &StageGraph, starts: impl Iterator<Item = StageId>, through: impl Fn(StageId) -> bool) -> Vec<bool> {
    let starts: Vec<StageId> = starts.collect();
    graph.reachable_through(starts.iter().copied(), |s| through(s) || starts.contains(&s))
}

/// Whether a stage marked in `from` leads straight to the outcome `id`.
fn fed_by(graph: &StageGraph, id: StageId, from: &[bool], model: &Model) -> bool {
    graph.incoming(id).iter().any(|(s, _)| from[s.0] && !model.stage(*s).is_terminal())
}

/// The probability of ending in a `won` outcome, from every stage.
fn won_probability(model: &Model, graph: &StageGraph) -> Vec<f64> {
    let transient: Vec<bool> = model.stages.iter().map(|s| !s.is_terminal()).collect();
    let c: Vec<f64> = (0..model.stages.len())
        .map(|i| {
            if !transient[i] {
                return 0.0;
            }
            graph
                .successors(StageId(i), Edges::All)
                .filter(|(t, _)| model.stage(*t).outcome == Some(OutcomeKind::Won))
                .map(|(_, e)| e.probability)
                .sum()
        })
        .collect();
    funnel::solve::backward(graph, &transient, &c)
}

/// A pipeline from its stages in process order: the open ones first, then
/// the closed (won before lost as they come), with unique labels.
fn make<'a>(
    model: &'a Model,
    stages: Vec<(StageId, Option<OutcomeKind>, f64)>,
    max_label: Option<usize>,
) -> Vec<PipelineStage<'a>> {
    let (open, closed): (Vec<_>, Vec<_>) = stages.into_iter().partition(|(_, c, _)| c.is_none());
    let all: Vec<_> = open.into_iter().chain(closed).collect();
    let titles: Vec<&str> = all.iter().map(|(s, _, _)| model.stage(*s).title.as_str()).collect();
    let labels = unique_labels(&titles, max_label);
    all.into_iter()
        .zip(labels)
        .map(|((id, closed, p), label)| {
            let p = match closed {
                Some(OutcomeKind::Won) => 1.0,
                Some(OutcomeKind::Lost) => 0.0,
                // A stage no client leaves has probability 0 (see the
                // funnel model); anything not finite is treated the same way.
                None if p.is_finite() => p.clamp(0.0, 1.0),
                None => 0.0,
            };
            PipelineStage { id, stage: model.stage(id), label, closed, win_probability: p }
        })
        .collect()
}

/// Cuts `text` to `max` characters, ending in `…` when cut.
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

/// One line of text: line ends and other control characters become
/// spaces, runs of spaces one space.
pub fn one_line(text: &str) -> String {
    let spaced: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Labels from titles: one line, cut to `max` characters, and unique (a
/// repeated label gets ` 2`, ` 3`, … in declaration order).
pub fn unique_labels(titles: &[&str], max: Option<usize>) -> Vec<String> {
    let fit = |s: &str| max.map_or_else(|| s.to_string(), |m| cut(s, m));
    let mut out: Vec<String> = Vec::with_capacity(titles.len());
    for title in titles {
        let base = fit(&one_line(title));
        let mut label = base.clone();
        let mut n = 2;
        while out.iter().any(|l| l.to_lowercase() == label.to_lowercase()) {
            let suffix = format!(" {n}");
            let room = max.map_or(usize::MAX, |m| m.saturating_sub(suffix.chars().count()));
            label = format!("{}{suffix}", cut(&base, room));
            n += 1;
        }
        out.push(label);
    }
    out
}

/// Pretty JSON ending in a line end: one payload as it is, several as an
/// array, to be sent one after the other.
fn render_all<T: Serialize>(values: &[T]) -> String {
    match values {
        [one] => render(one),
        many => render(&many),
    }
}

/// Pretty JSON ending in a line end.
fn render<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("plain data always serializes");
    s.push('\n');
    s
}

/// The Salesforce export as the files of a Metadata API folder.
pub fn salesforce_folder(model: &Model, analysis: &Analysis) -> Vec<salesforce::MetadataFile> {
    salesforce::metadata_files(&salesforce::payload(model, analysis))
}

/// The payload of `crm` for a model with its funnel analysis.
pub fn export(model: &Model, analysis: &Analysis, crm: Crm) -> String {
    match crm {
        Crm::Hubspot => render_all(&hubspot::payloads(model, analysis)),
        Crm::Pipedrive => render_all(&pipedrive::payloads(model, analysis)),
        Crm::Salesforce => render(&salesforce::payload(model, analysis)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_unique_and_fit() {
        assert_eq!(unique_labels(&["Offer", "offer", "Offer"], None), ["Offer", "offer 2", "Offer 3"]);
        assert_eq!(unique_labels(&["abcdef", "abcdefgh"], Some(5)), ["abcd…", "ab… 2"]);
        assert_eq!(unique_labels(&["two\nlines"], None), ["two lines"]);
    }

    #[test]
    fn cutting_keeps_whole_characters() {
        assert_eq!(cut("Привлечение", 5), "Прив…");
        assert_eq!(cut("short", 5), "short");
    }
}
