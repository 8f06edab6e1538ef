//! Emitters: everything written from a checked model. Emitters never fail
//! on a valid model; they return text, and the caller writes it. Only
//! what the user adds can fail: an unknown `--segment`, or a template of
//! their own.

pub mod crm;
pub mod dot;
pub mod files;
pub mod funnel_html;
pub mod funnel_md;
pub mod funnel_table;
pub mod index;
pub mod json;
pub mod manual;
pub mod markdown;
pub mod mermaid;
pub mod page;
pub mod phrases;
pub mod rich;
pub mod rollout;
pub mod visible;

use crate::funnel::Analysis;
use crate::model::graph::StageGraph;
use crate::model::{Model, RoleId};
use manual::html::{Renderer, TemplateError};
use manual::{Audience, UnknownAudience};
pub use visible::visible;

/// One output file: its path below the output folder (`/`-separated) and
/// its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: String,
    pub contents: String,
}

/// What `build` may change about its outputs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Manuals only for this segment or product (an id).
    pub segment: Option<String>,
    /// Templates replacing the built-in ones: file name and source text.
    /// `manual.html.j2` renders the HTML manual, `page.html.j2` the other
    /// HTML pages (the funnel plan, the rollout kit, the index).
    pub templates: Vec<(String, String)>,
    /// The libraries the process uses: their file ids, names (as spans in
    /// `process.json` give them) and texts.
    pub libraries: Vec<(crate::span::FileId, String, String)>,
}

/// Why the outputs could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    UnknownSegment(UnknownAudience),
    Template(TemplateError),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::UnknownSegment(e) => e.fmt(f),
            Error::Template(e) => write!(f, "the template does not work: {e}"),
        }
    }
}

impl std::error::Error for Error {}

/// Everything `build` writes for a model without errors, with the
/// built-in templates and every segment. For a caller holding only the
/// model: it builds the stage graph that [`outputs_with`] is given.
pub fn outputs(model: &Model, analysis: Option<&Analysis>, file: &str, text: &str) -> Vec<Output> {
    outputs_with(model, &StageGraph::new(model), analysis, file, text, &Options::default())
        .expect("the built-in templates render every model (tested) and no segment is asked for")
}

/// `index.html`, linking every output in `outputs` (an `index.html` among
/// them is left out).
pub fn index_output(model: &Model, outputs: &[Output], renderer: &Renderer) -> Result<Output, TemplateError> {
    Ok(Output { path: "index.html".into(), contents: renderer.page(&index::content(model, outputs))? })
}

/// Everything `build` writes, with options; `graph` is the model's stage
/// graph ([`crate::Compiled::graph`]).
pub fn outputs_with(
    model: &Model,
    graph: &StageGraph,
    analysis: Option<&Analysis>,
    file: &str,
    text: &str,
    options: &Options,
) -> Result<Vec<Output>, Error> {
    let audience = match &options.segment {
        Some(id) => Some(Audience::find(model, id).map_err(Error::UnknownSegment)?),
        None => None,
    };
    let renderer = Renderer::new(&options.templates).map_err(Error::Template)?;
    let words = crate::i18n::Words::new(model.language);
    let mut out = Vec::new();
    let libraries: Vec<json::LibraryFile<'_>> =
        options.libraries.iter().map(|(id, name, text)| json::LibraryFile { id: *id, name, text }).collect();
    let doc = json::document_with(model, analysis, file, text, &libraries);
    out.push(Output { path: "process.json".into(), contents: json::render(&doc) });
    out.push(Output { path: "process.schema.json".into(), contents: json::schema() });
    out.push(Output { path: "graph.mmd".into(), contents: mermaid::flowchart(model, graph, &words, None) });
    if let (Some(_), Some(analysis)) = (&model.plan, analysis) {
        out.push(Output { path: "funnel.md".into(), contents: funnel_md::markdown(model, graph, analysis) });
        let page = funnel_html::content(model, graph, analysis);
        out.push(Output { path: "funnel.html".into(), contents: renderer.page(&page).map_err(Error::Template)? });
    }
    let ids: Vec<&str> = model.roles.iter().map(|r| r.id.as_str()).collect();
    let stems = files::stems(&ids);
    let events = crate::rollout::events(model);
    for (i, stem) in stems.iter().enumerate() {
        let doc = manual::build(model, graph, analysis, RoleId(i), audience.as_ref(), &events);
        out.push(Output { path: format!("manuals/{stem}.md"), contents: manual::render_markdown(&doc) });
        out.push(Output {
            path: format!("manuals/{stem}.html"),
            contents: renderer.manual(&doc, &words).map_err(Error::Template)?,
        });
    }
    out.extend(rollout::kit(model, graph, &stems, &events, &renderer).map_err(Error::Template)?);
    out.push(index_output(model, &out, &renderer).map_err(Error::Template)?);
    Ok(out)
}
