//! The checks: one file per rule, each under its stable code.
//!
//! Every rule file starts with its documentation (what it does, why it
//! matters, a wrong and a right example); `procdef explain` and
//! `docs/diagnostics.md` are made from that text, and the examples are
//! tested. The rules for P001–P006 are found while reading the files (see
//! [`crate::syntax`]); their files hold only the documentation. Every rule
//! is listed once, in [`registry`].
//!
//! Checks run in passes so that one mistake yields one diagnostic; the
//! suppressions are those of the language's diagnostics contract and are
//! written next to the pass that applies them, in [`run`]. Each pass calls
//! its rules through the registry.

use crate::ast;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::funnel::Analysis;
use crate::lang::Lang;
use crate::model::Model;
use crate::model::graph::StageGraph;

mod fix;
pub mod registry;
mod say;

use registry::{Pass, run_pass};

/// Declares the module of every rule in the registry.
macro_rules! declare_modules {
    ($($code:ident $name:literal $sev:ident $pass:ident $module:ident $summary:literal;)*) => {
        $(mod $module;)*
    };
}
registry::rules!(declare_modules);

/// What every rule sees.
pub struct Context<'a> {
    /// The source text the spans refer to.
    pub text: &'a str,
    pub source: &'a ast::Process,
    pub model: &'a Model,
    pub graph: &'a StageGraph,
    /// The language the messages are written in.
    pub lang: Lang,
    /// The funnel model, for the rules of [`Pass::Funnel`].
    pub analysis: Option<&'a Analysis>,
    diagnostics: Vec<Diagnostic>,
}

impl Context<'_> {
    /// The source text of a span.
    pub fn source_text(&self, span: crate::span::Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn has_error(&self, codes: &[Code]) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error && codes.contains(&d.code))
    }
}

/// The result of checking a model.
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    /// The funnel model, when the graph is sound enough to compute it.
    pub analysis: Option<Analysis>,
}

/// Runs every check over a parsed process and its model, with the messages
/// in `lang`.
pub fn run(text: &str, source: &ast::Process, model: &Model, graph: &StageGraph, lang: Lang) -> Checked {
    let keywords = crate::syntax::keywords::file_language(text);
    say::with_keywords(keywords, || run_passes(text, source, model, graph, lang))
}

fn run_passes(text: &str, source: &ast::Process, model: &Model, graph: &StageGraph, lang: Lang) -> Checked {
    let mut cx = Context { text, source, model, graph, lang, analysis: None, diagnostics: Vec::new() };

    // Declarations, names, properties, the stage graph's shape,
    // percentages, roles, metrics, time limits, rollout.
    run_pass(Pass::Model, &mut cx);
    // A misspelt target is one P102, not also an unreachable stage.
    let targets_resolve = model.targets_resolve();
    if targets_resolve {
        run_pass(Pass::Graph, &mut cx);
    }

    // The funnel model needs a sound graph.
    use Code::*;
    let sound =
        targets_resolve && !cx.has_error(&[P201, P202, P203, P204, P205, P206, P207, P209, P301, P302, P303, P304]);
    let analysis = sound.then(|| crate::funnel::analyse(model, graph));
    if let Some(analysis) = &analysis {
        cx.analysis = Some(analysis);
        run_pass(Pass::Funnel, &mut cx);
    }

    let mut diagnostics = cx.diagnostics;
    crate::diagnostics::sort(&mut diagnostics);
    Checked { diagnostics, analysis }
}

/// The checks of a library on its own (LANGUAGE.md §5.1): its names (a
/// `reports to` must resolve among it and the libraries it uses), P101,
/// P104 and P404. A library has no stages, so nothing else applies.
pub fn run_library(
    text: &str,
    source: &ast::Process,
    model: &Model,
    graph: &StageGraph,
    lang: Lang,
) -> Vec<Diagnostic> {
    let mut cx = Context { text, source, model, graph, lang, analysis: None, diagnostics: Vec::new() };
    p101_duplicate_definition::check(&mut cx);
    p102_unknown_name::check(&mut cx);
    p104_duplicate_property::check(&mut cx);
    p404_reports_to_cycle::check(&mut cx);
    let mut diagnostics = cx.diagnostics;
    crate::diagnostics::sort(&mut diagnostics);
    diagnostics
}
