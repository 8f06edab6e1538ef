//! CRM exports: the pipeline a CRM takes, as that CRM's own JSON payload,
//! built from typed structs, and for Salesforce also as the XML files of a
//! Metadata API folder. `docs/crm.md` says how each payload is sent
//! and which field comes from what.
//!
//! Every export shares one idea of the pipeline ([`pipeline`]): the stages
//! in process order with the outcome stages moved to the end (CRMs show
//! their closed stages last), each with a label that is unique within the
//! pipeline, and the funnel model's win probability.

pub mod hubspot;
pub mod pipedrive;
pub mod salesforce;
pub mod xml;

use crate::funnel::Analysis;
use crate::model::graph::StageGraph;
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
    /// The probability that a client at this stage is won; 1 for a won
    /// outcome, 0 for a lost one.
    pub win_probability: f64,
}

impl PipelineStage<'_> {
    pub fn outcome(&self) -> Option<OutcomeKind> {
        self.stage.outcome
    }
}

/// The pipeline: process order, outcome stages last, labels unique and at
/// most `max_label` characters when the CRM limits them.
pub fn pipeline<'a>(model: &'a Model, analysis: &Analysis, max_label: Option<usize>) -> Vec<PipelineStage<'a>> {
    let graph = StageGraph::new(model);
    let order = graph.process_order().to_vec();
    let (open, closed): (Vec<StageId>, Vec<StageId>) = order.into_iter().partition(|s| !model.stage(*s).is_terminal());
    let ids: Vec<StageId> = open.into_iter().chain(closed).collect();
    let titles: Vec<&str> = ids.iter().map(|s| model.stage(*s).title.as_str()).collect();
    let labels = unique_labels(&titles, max_label);
    ids.into_iter()
        .zip(labels)
        .map(|(id, label)| {
            let stage = model.stage(id);
            let win_probability = match stage.outcome {
                Some(OutcomeKind::Won) => 1.0,
                Some(OutcomeKind::Lost) => 0.0,
                None => analysis.stages.get(id.0).map_or(0.0, |f| f.win_probability),
            };
            // A stage no client leaves has probability 0 (see the funnel
            // model); anything not finite is treated the same way.
            let win_probability = if win_probability.is_finite() { win_probability.clamp(0.0, 1.0) } else { 0.0 };
            PipelineStage { id, stage, label, win_probability }
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
        Crm::Hubspot => render(&hubspot::payload(model, analysis)),
        Crm::Pipedrive => render(&pipedrive::payload(model, analysis)),
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
