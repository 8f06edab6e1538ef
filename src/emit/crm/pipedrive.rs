//! Pipedrive: the bodies of `POST /api/v2/pipelines` and then one
//! `POST /api/v2/stages` per stage (API v2: `AddPipelineRequest` and
//! `AddStageRequest` of Pipedrive's OpenAPI description; the v1 create
//! endpoints are deprecated and gone from Pipedrive's own client).
//!
//! In Pipedrive won and lost are a deal's status, not stages, so the
//! outcome stages (and the `sale` stages, which close a deal as won) are
//! left out. A process with stages after its sale gets a second pipeline,
//! "<title>: after the sale" (see [`payloads`]). A stage's `pipeline_id`
//! is only known once the pipeline exists: the payload holds the
//! placeholder [`PIPELINE_ID`], to be replaced by the `data.id` of the
//! response that created its pipeline. v2 takes no stage order: a new stage goes after the
//! pipeline's others, so the stages are to be sent in the order given.

use super::{PipelineStage, after_sale_name, pipelines};
use crate::funnel::Analysis;
use crate::model::Model;
use serde::Serialize;

/// Stands for the id Pipedrive gives the new pipeline.
pub const PIPELINE_ID: &str = "{pipeline_id}";

/// Both requests.
#[derive(Debug, Clone, Serialize)]
pub struct Export {
    /// The body of `POST /api/v2/pipelines`.
    pub pipeline: Pipeline,
    /// The bodies of `POST /api/v2/stages`, to be sent in this order.
    pub stages: Vec<Stage>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pipeline {
    /// The process title.
    pub name: String,
    /// `true`: deals are weighted by their stage's probability.
    pub is_deal_probability_enabled: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    /// The stage's title (unique in the pipeline).
    pub name: String,
    /// [`PIPELINE_ID`] until the pipeline exists; then the pipeline's
    /// integer id.
    pub pipeline_id: String,
    /// The win probability in whole percent, 0–100.
    pub deal_probability: u32,
    /// Whether deals left in the stage go rotten: when it has `within`.
    pub is_deal_rot_enabled: bool,
    /// The stage's `within` in days, rounded up; absent without `within`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_to_rotten: Option<u32>,
}

/// Days from minutes, rounded up; at least 1.
pub fn days(minutes: u32) -> u32 {
    minutes.div_ceil(24 * 60).max(1)
}

/// The requests of the sales pipeline.
pub fn payload(model: &Model, analysis: &Analysis) -> Export {
    requests(super::one_line(&model.title), pipelines(model, analysis, None).sales)
}

/// The requests of the sales pipeline and, when the process has stages
/// after the sale, of the pipeline after it, each sent as its own
/// pipeline (its stages get that pipeline's id).
pub fn payloads(model: &Model, analysis: &Analysis) -> Vec<Export> {
    let both = pipelines(model, analysis, None);
    let mut out = vec![requests(super::one_line(&model.title), both.sales)];
    if !both.after_sale.is_empty() {
        out.push(requests(after_sale_name(model), both.after_sale));
    }
    out
}

fn requests(name: String, stages: Vec<PipelineStage>) -> Export {
    let stages = stages
        .into_iter()
        .filter(|s| s.outcome().is_none())
        .map(|s| {
            let days_to_rotten = s.stage.within.map(days);
            Stage {
                name: s.label.clone(),
                pipeline_id: PIPELINE_ID.to_string(),
                deal_probability: (s.win_probability * 100.0).round().clamp(0.0, 100.0) as u32,
                is_deal_rot_enabled: days_to_rotten.is_some(),
                days_to_rotten,
            }
        })
        .collect();
    Export { pipeline: Pipeline { name, is_deal_probability_enabled: true }, stages }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotting_days_round_up() {
        assert_eq!(days(4 * 60), 1);
        assert_eq!(days(24 * 60), 1);
        assert_eq!(days(24 * 60 + 1), 2);
        assert_eq!(days(7 * 24 * 60), 7);
        assert_eq!(days(0), 1);
    }
}
