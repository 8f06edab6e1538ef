//! procdef: a compiler and validator for sales processes written in the
//! `.proc` language.
//!
//! The library does no I/O: it takes source text and returns a model,
//! diagnostics and rendered outputs. The `procdef` binary owns files, the
//! terminal and exit codes.

pub mod ast;
pub mod checks;
pub mod diagnostics;
pub mod emit;
pub mod fmt;
pub mod funnel;
pub mod model;
pub mod span;
pub mod report;
pub mod syntax;

use diagnostics::Diagnostic;

/// Everything known about one source file after checking it.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The decoded text the spans refer to (lossy when the file was not
    /// UTF-8).
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    /// The model, when the file parsed (even with later errors).
    pub model: Option<model::Model>,
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
            return Compiled { text, diagnostics: vec![diagnostic], model: None, analysis: None };
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
        return Compiled { text, diagnostics, model: None, analysis: None };
    };
    let model = model::build(&process);
    let graph = model::graph::StageGraph::new(&model);
    let checked = checks::run(&process, &model, &graph);
    diagnostics.extend(checked.diagnostics);
    diagnostics::sort(&mut diagnostics);
    Compiled { text, diagnostics, model: Some(model), analysis: checked.analysis }
}
