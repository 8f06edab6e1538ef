//! HubSpot: the body of `POST /crm/v3/pipelines/deals` (CRM Pipelines API
//! v3), which creates a deal pipeline with its stages in one request.
//!
//! HubSpot keeps a deal stage's metadata as strings: `probability` from
//! `"0.0"` to `"1.0"`, where `"0.0"` means closed lost and `"1.0"` closed
//! won, and `isClosed`. So an open stage's probability is kept strictly
//! between the two (`"0.01"`–`"0.99"`), or HubSpot would close deals that
//! reach it.

use super::pipeline;
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
    /// The win probability, `"0.0"`–`"1.0"`.
    pub probability: String,
    /// `"true"` for an outcome stage, `"false"` otherwise.
    pub is_closed: String,
}

/// A probability as HubSpot takes it: two decimals at most, at least one
/// (`"0.0"`, `"0.25"`, `"1.0"`).
pub fn probability(p: f64) -> String {
    let s = format!("{:.2}", p);
    let s = s.trim_end_matches('0');
    if s.ends_with('.') { format!("{s}0") } else { s.to_string() }
}

/// The probability of a stage: the model's for an open stage, kept off
/// HubSpot's closed values; 1 and 0 for won and lost outcomes.
fn stage_probability(outcome: Option<OutcomeKind>, win: f64) -> f64 {
    match outcome {
        Some(OutcomeKind::Won) => 1.0,
        Some(OutcomeKind::Lost) => 0.0,
        None => ((win * 100.0).round() / 100.0).clamp(0.01, 0.99),
    }
}

pub fn payload(model: &Model, analysis: &Analysis) -> Pipeline {
    let stages = pipeline(model, analysis, None)
        .into_iter()
        .enumerate()
        .map(|(i, s)| Stage {
            label: s.label.clone(),
            display_order: i as u32,
            metadata: Metadata {
                probability: probability(stage_probability(s.outcome(), s.win_probability)),
                is_closed: s.outcome().is_some().to_string(),
            },
        })
        .collect();
    Pipeline { label: super::one_line(&model.title), display_order: 0, stages }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_are_strings_hubspot_accepts() {
        assert_eq!(probability(0.0), "0.0");
        assert_eq!(probability(1.0), "1.0");
        assert_eq!(probability(0.25), "0.25");
        assert_eq!(probability(0.4), "0.4");
        assert_eq!(stage_probability(None, 0.4146), 0.41);
        assert_eq!(probability(stage_probability(None, 0.001)), "0.01");
        assert_eq!(probability(stage_probability(None, 0.999)), "0.99");
        assert_eq!(probability(stage_probability(Some(OutcomeKind::Won), 0.0)), "1.0");
    }
}
