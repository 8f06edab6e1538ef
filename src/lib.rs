//! procdef: a compiler and validator for sales processes written in the
//! `.proc` language.
//!
//! The library does no I/O: it takes source text and returns a model,
//! diagnostics and rendered outputs. The `procdef` binary owns files, the
//! terminal and exit codes.

pub mod ast;
pub mod audit;
pub mod calendar;
pub mod checks;
pub mod config;
pub mod diagnostics;
pub mod emit;
pub mod fmt;
pub mod funnel;
pub mod i18n;
pub mod import;
pub mod lang;
pub mod lsp;
pub mod model;
pub mod project;
pub mod report;
pub mod rollout;
pub mod sarif;
pub mod span;
pub mod suggest;
pub mod syntax;

use diagnostics::Diagnostic;
pub use lang::Lang;

/// Everything known about one source file after checking it.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The decoded text the spans of the file given refer to (lossy when
    /// the file was not UTF-8).
    pub text: String,
    /// The diagnostics of the file given and of the libraries it reaches;
    /// each span names its file.
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
    /// The libraries reached through `use`, in the order of their file ids
    /// (the file given is `FileId::ROOT`).
    pub libraries: Vec<project::Source>,
    /// The language the diagnostics are written in.
    pub lang: Lang,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == diagnostics::Severity::Error)
    }

    /// The text of a file of the compilation.
    pub fn text_of(&self, file: span::FileId) -> &str {
        if file == span::FileId::ROOT {
            return &self.text;
        }
        self.libraries.iter().find(|s| s.id == file).map_or("", |s| s.text.as_str())
    }
}

/// How to compile.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// The language of the diagnostics; by default that of the file's
    /// keywords ([`lang::keyword_language`]).
    pub lang: Option<Lang>,
}

/// Reads and checks one file's bytes, on its own: a `use` in it is P005.
pub fn compile(bytes: &[u8]) -> Compiled {
    compile_with(bytes, &Options::default())
}

/// Checks already decoded text (without a BOM), on its own.
pub fn compile_str(text: String) -> Compiled {
    compile_str_with(text, &Options::default())
}

/// Reads and checks one file's bytes on its own, as `options` say.
pub fn compile_with(bytes: &[u8], options: &Options) -> Compiled {
    let entry = std::path::Path::new("");
    compile_project(&project::NoFiles, entry, entry, bytes, options)
}

/// Checks already decoded text (without a BOM) on its own, as `options`
/// say.
pub fn compile_str_with(text: String, options: &Options) -> Compiled {
    compile_with(text.as_bytes(), options)
}

/// Reads and checks the file `entry`, whose bytes are given, with the
/// libraries it reaches through `fs` inside the folder `root`.
pub fn compile_project(
    fs: &dyn project::FileSystem,
    root: &std::path::Path,
    entry: &std::path::Path,
    bytes: &[u8],
    options: &Options,
) -> Compiled {
    let mut project = project::Project::load(fs, root, entry, bytes, options.lang);
    let lang = lang::diagnostics_language(options.lang, &project.sources[0].text);
    let failed = project.failed();
    let mut diagnostics = std::mem::take(&mut project.reading);
    let done = |project: project::Project, mut diagnostics: Vec<Diagnostic>, rest: Rest| {
        diagnostics::sort(&mut diagnostics);
        diagnostics.dedup();
        let mut sources = project.sources.into_iter();
        let text = sources.next().map(|s| s.text).unwrap_or_default();
        Compiled {
            text,
            diagnostics,
            silenced: rest.silenced,
            model: rest.model,
            graph: rest.graph,
            analysis: rest.analysis,
            libraries: sources.collect(),
            lang,
        }
    };
    if failed {
        return done(project, diagnostics, Rest::default());
    }
    // Each library on its own: its names, P101, P104, P404.
    for source in &project.sources {
        if let Some(library) = project.library_as_process(source.id) {
            let model = model::build(&library);
            let graph = model::graph::StageGraph::new(&model);
            let lang = project.lang_of(source.id);
            diagnostics.extend(checks::run_library(&source.text, &library, &model, &graph, lang));
        }
    }
    let Some(process) = project.take_combined_process() else {
        return done(project, diagnostics, Rest::default());
    };
    let text = &project.sources[0].text;
    let mut model = model::build(&process);
    // Without a `language` item the outputs are in the language of the
    // file's keywords (LANGUAGE.md §5.2).
    if !process.items.iter().any(|i| matches!(i, ast::ProcessItem::Language(_))) {
        model.language = project.sources[0].parsed.as_ref().map_or(model.language, |p| p.keywords);
    }
    let graph = model::graph::StageGraph::new(&model);
    let checked = checks::run(text, &process, &model, &graph, lang);
    let (allows, unknown) = config::inline_allows(text, &process, lang);
    let (kept, silenced) = config::apply_allows(&allows, checked.diagnostics);
    diagnostics.extend(kept);
    diagnostics.extend(unknown);
    drop(process);
    let rest = Rest { silenced, model: Some(model), graph: Some(graph), analysis: checked.analysis };
    done(project, diagnostics, rest)
}

/// What a compilation that got as far as the checks found besides its
/// diagnostics.
#[derive(Default)]
struct Rest {
    silenced: Vec<Diagnostic>,
    model: Option<model::Model>,
    graph: Option<model::graph::StageGraph>,
    analysis: Option<funnel::Analysis>,
}
