//! HubSpot: the body of `POST /crm/v3/pipelines/deals` (CRM Pipelines API
//! v3), which creates a deal pipeline with its stages in one request.
//!
//! A process with stages after its sale gets a second pipeline, "<title>:
//! after the sale", in a second request (see [`payloads`]).
//!
//! HubSpot keeps a deal stage's metadata as strings: `probability` from
//! `"0.0"` to `"1.0"` "in increments of 0.1" (its OpenAPI description of
//! `PipelineStageInput.metadata`), where `"0.0"` means closed lost and
//! `"1.0"` closed won, and `isClosed`. So a probability is rounded to a
//! tenth, and an open stage's is kept between `"0.1"` and `"0.9"`, or
//! HubSpot would close deals that reach it.

use super::{PipelineStage, after_sale_name, pipelines};
use crate::funnel::Analysis;
use crate::model::{Model, OutcomeKind};
use serde::Serialize;

/// The request body.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pipeline {
    /// The pipeline's name: the process title.
    pub label: String,
    /// Where the pipeline is listed among the account's pipelines.
    pub display_order: u32,
    pub stages: Vec<Stage>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stage {
    /// The stage's title (unique in the pipeline).
    pub label: String,
    /// 0, 1, 2, … in pipeline order.
    pub display_order: u32,
    pub metadata: Metadata,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    /// The win probability in tenths, `"0.0"`–`"1.0"`.
    pub probability: String,
    /// `"true"` for an outcome stage, `"false"` otherwise.
    pub is_closed: String,
}

/// The probability of a stage in tenths, `0`–`10`: the model's rounded to
/// the nearest tenth and kept between 1 and 9 for an open stage, off
/// HubSpot's closed values; 10 and 0 for won and lost outcomes.
pub fn stage_tenths(outcome: Option<OutcomeKind>, win: f64) -> u8 {
    match outcome {
        Some(OutcomeKind::Won) => 10,
        Some(OutcomeKind::Lost) => 0,
        None => {
            let win = if win.is_finite() { win } else { 0.0 };
            (win * 10.0).round().clamp(1.0, 9.0) as u8
        }
    }
}

/// A probability in tenths as HubSpot takes it: `"0.0"`, `"0.1"`, …,
/// `"1.0"`.
pub fn probability(tenths: u8) -> String {
    let t = tenths.min(10);
    format!("{}.{}", t / 10, t % 10)
}

/// The request body of the sales pipeline.
pub fn payload(model: &Model, analysis: &Analysis) -> Pipeline {
    body(super::one_line(&model.title), 0, pipelines(model, analysis, None).sales)
}

/// The request bodies: the sales pipeline and, when the process has
/// stages after the sale, the pipeline after it (each its own `POST`).
pub fn payloads(model: &Model, analysis: &Analysis) -> Vec<Pipeline> {
    let both = pipelines(model, analysis, None);
    let mut out = vec![body(super::one_line(&model.title), 0, both.sales)];
    if !both.after_sale.is_empty() {
        out.push(body(after_sale_name(model), 1, both.after_sale));
    }
    out
}

fn body(label: String, display_order: u32, stages: Vec<PipelineStage>) -> Pipeline {
    let stages = stages
        .into_iter()
        .enumerate()
        .map(|(i, s)| Stage {
            label: s.label.clone(),
            display_order: i as u32,
            metadata: Metadata {
                probability: probability(stage_tenths(s.outcome(), s.win_probability)),
                is_closed: s.outcome().is_some().to_string(),
            },
        })
        .collect();
    Pipeline { label, display_order, stages }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_are_tenths_as_strings() {
        assert_eq!(probability(0), "0.0");
        assert_eq!(probability(1), "0.1");
        assert_eq!(probability(9), "0.9");
        assert_eq!(probability(10), "1.0");
    }

    #[test]
    fn open_stages_round_to_a_tenth_between_one_and_nine() {
        assert_eq!(stage_tenths(None, 0.04), 1);
        assert_eq!(stage_tenths(None, 0.14), 1);
        assert_eq!(stage_tenths(None, 0.15), 2);
        assert_eq!(stage_tenths(None, 0.35), 4);
        assert_eq!(stage_tenths(None, 0.4146), 4);
        assert_eq!(stage_tenths(None, 0.94), 9);
        assert_eq!(stage_tenths(None, 0.99), 9);
        assert_eq!(stage_tenths(None, 1.0), 9);
        assert_eq!(stage_tenths(None, 0.0), 1);
        assert_eq!(stage_tenths(None, f64::NAN), 1);
        assert_eq!(stage_tenths(Some(OutcomeKind::Won), 0.0), 10);
        assert_eq!(stage_tenths(Some(OutcomeKind::Lost), 1.0), 0);
    }
}
