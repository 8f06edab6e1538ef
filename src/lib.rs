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
pub mod lang;
pub mod model;
pub mod report;
pub mod sarif;
pub mod span;
pub mod suggest;
pub mod syntax;

use diagnostics::Diagnostic;
pub use lang::Lang;

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
    pub analysis: Option<funnel::Analysis>,
    /// The language the diagnostics are written in.
    pub lang: Lang,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == diagnostics::Severity::Error)
    }
}

/// How to compile.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// The language of the diagnostics; by default that of the file's
    /// keywords ([`lang::keyword_language`]).
    pub lang: Option<Lang>,
}

/// Reads and checks one file's bytes.
pub fn compile(bytes: &[u8]) -> Compiled {
    compile_with(bytes, &Options::default())
}

/// Checks already decoded text (without a BOM).
pub fn compile_str(text: String) -> Compiled {
    compile_str_with(text, &Options::default())
}

/// Reads and checks one file's bytes, as `options` say.
pub fn compile_with(bytes: &[u8], options: &Options) -> Compiled {
    let text = match syntax::decode(bytes) {
        Ok(text) => text,
        Err(failed) => {
            let (text, diagnostic) = *failed;
            let lang = lang::diagnostics_language(options.lang, &text);
            return Compiled {
                text,
                diagnostics: vec![diagnostic],
                silenced: Vec::new(),
                model: None,
                analysis: None,
                lang,
            };
        }
    };
    compile_str_with(text, options)
}

/// Checks already decoded text (without a BOM), as `options` say.
pub fn compile_str_with(text: String, options: &Options) -> Compiled {
    let lang = lang::diagnostics_language(options.lang, &text);
    let parsed = syntax::parse(&text);
    let mut diagnostics = parsed.diagnostics;
    let Some(process) = parsed.process.filter(|_| !parsed.fatal) else {
        diagnostics::sort(&mut diagnostics);
        return Compiled { text, diagnostics, silenced: Vec::new(), model: None, analysis: None, lang };
    };
    let model = model::build(&process);
    let graph = model::graph::StageGraph::new(&model);
    let checked = checks::run(&text, &process, &model, &graph, lang);
    let (allows, unknown) = config::inline_allows(&text, &process, lang);
    let (kept, silenced) = config::apply_allows(&allows, checked.diagnostics);
    diagnostics.extend(kept);
    diagnostics.extend(unknown);
    diagnostics::sort(&mut diagnostics);
    Compiled { text, diagnostics, silenced, model: Some(model), analysis: checked.analysis, lang }
}
