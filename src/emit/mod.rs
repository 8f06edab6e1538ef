//! Emitters: everything written from a checked model. Emitters never fail
//! on a valid model; they return text, and the caller writes it.

pub mod crm;
pub mod files;
pub mod funnel_md;
pub mod funnel_table;
pub mod i18n;
pub mod json;
pub mod manual;
pub mod mermaid;
pub mod rollout;
pub mod words;

use crate::funnel::Analysis;
use crate::model::graph::StageGraph;
use crate::model::{Model, RoleId};

/// One output file: its path below the output folder (`/`-separated) and
/// its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: String,
    pub contents: String,
}

/// Everything `build` writes for a model without errors.
pub fn outputs(model: &Model, analysis: Option<&Analysis>, file: &str, text: &str) -> Vec<Output> {
    let graph = StageGraph::new(model);
    let words = i18n::Words::new(model.language);
    let mut out = Vec::new();
    let doc = json::document(model, analysis, file, text);
    out.push(Output { path: "process.json".into(), contents: json::render(&doc) });
    out.push(Output { path: "process.schema.json".into(), contents: json::schema() });
    out.push(Output { path: "graph.mmd".into(), contents: mermaid::flowchart(model, &graph, &words, None) });
    if let (Some(_), Some(analysis)) = (&model.plan, analysis) {
        out.push(Output { path: "funnel.md".into(), contents: funnel_md::markdown(model, &graph, analysis) });
    }
    let ids: Vec<&str> = model.roles.iter().map(|r| r.id.as_str()).collect();
    for (i, stem) in files::stems(&ids).into_iter().enumerate() {
        out.push(Output {
            path: format!("manuals/{stem}.md"),
            contents: manual::markdown(model, &graph, analysis, RoleId(i)),
        });
    }
    out
}
