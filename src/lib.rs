//! procdef: a compiler and validator for sales processes written in the
//! `.proc` language.
//!
//! The library does no I/O: it takes source text and returns a model,
//! diagnostics and rendered outputs. The `procdef` binary owns files, the
//! terminal and exit codes.

pub mod ast;
pub mod audit;
pub mod checks;
pub mod config;
pub mod diagnostics;
pub mod emit;
pub mod fmt;
pub mod funnel;
pub mod i18n;
pub mod model;
pub mod report;
pub mod rollout;
pub mod sarif;
pub mod span;
pub mod syntax;

use diagnostics::Diagnostic;

/// Everything known about one source file after checking it.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The decoded text the spans refer to (lossy when the file was not
    /// UTF-8).
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Diagnostics silenced by `# allow(…)` comments: not reported, but an
    /// error among them still makes the process unfit to build.
    pub silenced: Vec<Diagnostic>,
    /// The model, when the file parsed (even with later errors).
    pub model: Option<model::Model>,
    /// The model's stage graph, built once: the checks and the funnel model
    /// asked it their questions, and the outputs are written from it.
    pub graph: Option<model::graph::StageGraph>,
    pub analysis: Option<funnel::Analysis>,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == diagnostics::Severity::Error)
    }
}

/// Reads and checks one file's bytes.
pub fn compile(bytes: &[u8]) -> Compiled {
    let text = match syntax::decode(bytes) {
        Ok(text) => text,
        Err(failed) => {
            let (text, diagnostic) = *failed;
            return Compiled {
                text,
                diagnostics: vec![diagnostic],
                silenced: Vec::new(),
                model: None,
                graph: None,
                analysis: None,
            };
        }
    };
    compile_str(text)
}

/// Checks already decoded text (without a BOM).
pub fn compile_str(text: String) -> Compiled {
    let parsed = syntax::parse(&text);
    let mut diagnostics = parsed.diagnostics;
    let Some(process) = parsed.process.filter(|_| !parsed.fatal) else {
        diagnostics::sort(&mut diagnostics);
        return Compiled { text, diagnostics, silenced: Vec::new(), model: None, graph: None, analysis: None };
    };
    let model = model::build(&process);
    let graph = model::graph::StageGraph::new(&model);
    let checked = checks::run(&text, &process, &model, &graph);
    let (allows, unknown) = config::inline_allows(&text, &process);
    let (kept, silenced) = config::apply_allows(&allows, checked.diagnostics);
    diagnostics.extend(kept);
    diagnostics.extend(unknown);
    diagnostics::sort(&mut diagnostics);
    Compiled { text, diagnostics, silenced, model: Some(model), graph: Some(graph), analysis: checked.analysis }
}
