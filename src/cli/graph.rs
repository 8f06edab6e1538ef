//! `procdef graph`: the stage graph for Mermaid or Graphviz.

use super::{BROKEN, FAILED, OK};
use clap::ValueEnum;
use procdef::i18n::Words;
use procdef::model::graph::StageGraph;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum GraphFormat {
    /// A Mermaid flowchart (renders inside GitHub Markdown).
    #[default]
    Mermaid,
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The process file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The graph language.
    #[arg(long, value_enum, default_value_t)]
    format: GraphFormat,
    /// Highlight the stages this role owns.
    #[arg(long, value_name = "ROLE")]
    role: Option<String>,
}

pub fn run(args: Args) -> u8 {
    let bytes = match super::files::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("procdef: {e}");
            return BROKEN;
        }
    };
    let compiled = super::sources::compile(&args.file, &bytes);
    let name = super::files::display(&args.file);
    let (Some(model), false) = (&compiled.model, compiled.has_errors()) else {
        let errors: Vec<_> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.severity == procdef::diagnostics::Severity::Error)
            .cloned()
            .collect();
        for f in super::sources::by_file(&args.file, &compiled, errors) {
            if !f.diagnostics.is_empty() {
                let style = procdef::report::HumanStyle { color: false, width: 100, lang: compiled.lang };
                eprint!("{}", procdef::report::human(&f.name, &f.text, &f.diagnostics, style));
            }
        }
        eprintln!("procdef: {name} has errors; fix them to draw its graph");
        return FAILED;
    };
    let highlight = match &args.role {
        None => None,
        Some(role) => match model.role_id(role) {
            Some(id) => Some(id),
            None => {
                let roles: Vec<String> = model.roles.iter().map(|r| format!("`{}`", r.id)).collect();
                eprintln!("procdef: no role `{role}` in {name}; the roles are {}", roles.join(", "));
                return BROKEN;
            }
        },
    };
    // The graph the checks asked their questions of.
    let owned;
    let graph = match &compiled.graph {
        Some(graph) => graph,
        None => {
            owned = StageGraph::new(model);
            &owned
        }
    };
    let words = Words::new(model.language);
    let text = match args.format {
        GraphFormat::Mermaid => procdef::emit::mermaid::flowchart(model, graph, &words, highlight),
        GraphFormat::Dot => procdef::emit::dot::digraph(model, graph, &words, highlight),
    };
    print!("{text}");
    OK
}
