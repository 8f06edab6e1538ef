//! `procdef check`: parse and validate, print diagnostics, write nothing.

use super::config::Configs;
use super::sources::{self, FileDiagnostics};
use super::{BROKEN, Deny, FAILED, Format, OK, files};
use procdef::diagnostics::{Diagnostic, Severity};
use procdef::emit::visible;
use procdef::report;
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files to check; a folder means every `.proc` file below it.
    #[arg(required = true, value_name = "FILE|DIR")]
    paths: Vec<PathBuf>,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// Fail (exit 1) when there are more than N warnings.
    #[arg(long, value_name = "N")]
    max_warnings: Option<usize>,
    /// Rule levels from this file instead of the nearest `procdef.toml`.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Print only errors: no warnings, no summary.
    #[arg(long, short)]
    quiet: bool,
}

/// The outcome of checking one file.
pub struct FileResult {
    /// The path for people: control characters shown, never sent to a terminal.
    pub name: String,
    /// The path as it is (lossy only where it is not UTF-8), for the JSON
    /// and SARIF reports, whose encoders escape what needs escaping and whose
    /// readers must find the file.
    pub path: String,
    pub text: String,
    /// With the configuration and `--deny` applied.
    pub diagnostics: Vec<Diagnostic>,
    /// The errors before any configuration: `build` refuses these even
    /// when `check` was told to allow them.
    pub unconfigured_errors: Vec<Diagnostic>,
    pub model: Option<procdef::model::Model>,
    pub graph: Option<procdef::model::graph::StageGraph>,
    pub analysis: Option<procdef::funnel::Analysis>,
    /// The diagnostics in the libraries the file reaches.
    pub libraries: Vec<FileDiagnostics>,
    /// Every library the file reaches: its id, its path for people and
    /// its text.
    pub sources: Vec<(procdef::span::FileId, String, String)>,
    /// The canonical path: a file reached from several processes is
    /// reported once.
    pub key: PathBuf,
}

/// Applies `--deny warnings`.
pub fn escalate(diagnostics: &mut [Diagnostic], deny: Option<Deny>) {
    if deny == Some(Deny::Warnings) {
        for d in diagnostics {
            d.severity = Severity::Error;
        }
    }
}

/// Reads, checks and configures one file.
pub fn check_file(path: &Path, configs: &Configs, deny: Option<Deny>) -> Result<FileResult, String> {
    let bytes = files::read(path)?;
    let config = configs.for_file(path)?;
    let compiled = sources::compile(path, &bytes);
    let errors = compiled.diagnostics.iter().chain(&compiled.silenced).filter(|d| d.severity == Severity::Error);
    // Split as the reported ones are, so that they compare equal.
    let unconfigured_errors =
        sources::by_file(path, &compiled, errors.cloned().collect()).into_iter().flat_map(|f| f.diagnostics).collect();
    let mut diagnostics = config.apply(compiled.diagnostics.clone());
    escalate(&mut diagnostics, deny);
    let mut found = sources::by_file(path, &compiled, diagnostics).into_iter();
    let given = found.next().expect("the file given is the first");
    Ok(FileResult {
        name: given.name,
        path: given.path,
        text: compiled.text,
        diagnostics: given.diagnostics,
        unconfigured_errors,
        model: compiled.model,
        graph: compiled.graph,
        analysis: compiled.analysis,
        libraries: found.collect(),
        key: given.key,
        sources: compiled
            .libraries
            .iter()
            .map(|s| (s.id, files::display(sources::relative_to_cwd(&s.path)), s.text.clone()))
            .collect(),
    })
}

/// Files at which a progress bar is worth showing.
const PROGRESS_FROM: usize = 50;

pub fn run(args: Args) -> u8 {
    let configs = match Configs::new(args.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("procdef: {}", visible(&e));
            return BROKEN;
        }
    };
    // A folder that cannot be read is reported, the rest is checked, and
    // the run fails at the end.
    let (paths, unreadable) = files::expand_all(&args.paths);
    for e in &unreadable {
        eprintln!("procdef: {e}");
    }
    let progress = if paths.len() >= PROGRESS_FROM && std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(paths.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let outcomes: Vec<Result<FileResult, String>> = paths
        .par_iter()
        .map(|p| {
            let r = check_file(p, &configs, args.deny);
            progress.inc(1);
            r
        })
        .collect();
    progress.finish_and_clear();
    // What could not be read, also for the SARIF log's invocation.
    let mut failures: Vec<String> = unreadable.clone();
    let mut results = Vec::new();
    for outcome in outcomes {
        match outcome {
            Ok(r) => results.push(r),
            Err(e) => {
                let e = visible(&e).into_owned();
                eprintln!("procdef: {e}");
                failures.push(e);
            }
        }
    }
    let broken = !failures.is_empty();
    let results = once_per_file(results);
    let count = |s: Severity| -> usize {
        results.iter().map(|r| r.diagnostics.iter().filter(|d| d.severity == s).count()).sum()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    if let Err(e) = print(&args, &results, &failures, errors, warnings) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("procdef: cannot write the report: {e}");
            return BROKEN;
        }
    }
    let too_many_warnings = args.max_warnings.is_some_and(|n| warnings > n);
    if too_many_warnings && args.format == Format::Human {
        eprintln!("procdef: {warnings} warnings, more than the {} allowed", args.max_warnings.unwrap_or(0));
    }
    if broken {
        BROKEN
    } else if errors > 0 || too_many_warnings {
        FAILED
    } else {
        OK
    }
}

/// Every file's diagnostics once (LANGUAGE.md §5.1): the files checked,
/// in order, each followed by the libraries it reaches that come up for
/// the first time; a library's diagnostics found from several processes
/// are merged.
fn once_per_file(results: Vec<FileResult>) -> Vec<FileDiagnostics> {
    let mut out: Vec<FileDiagnostics> = Vec::new();
    for r in results {
        let own = FileDiagnostics {
            file: procdef::span::FileId::ROOT,
            name: r.name,
            path: r.path,
            key: r.key,
            text: r.text,
            diagnostics: r.diagnostics,
        };
        for mut file in std::iter::once(own).chain(r.libraries) {
            // File ids belong to one compilation: the same library is file 0
            // when checked alone and file 1 when a process reaches it.
            for d in &mut file.diagnostics {
                d.span.file = procdef::span::FileId::ROOT;
                for r in &mut d.related {
                    r.span.file = procdef::span::FileId::ROOT;
                }
            }
            match out.iter_mut().find(|f| f.key == file.key) {
                Some(seen) => {
                    for d in file.diagnostics {
                        if !seen.diagnostics.contains(&d) {
                            seen.diagnostics.push(d);
                        }
                    }
                    procdef::diagnostics::sort(&mut seen.diagnostics);
                }
                None => out.push(file),
            }
        }
    }
    out
}

fn print(
    args: &Args,
    results: &[FileDiagnostics],
    failures: &[String],
    errors: usize,
    warnings: usize,
) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            let all: Vec<_> = results.iter().flat_map(|r| report::json(&r.path, &r.text, &r.diagnostics)).collect();
            let s = serde_json::to_string_pretty(&all).map_err(std::io::Error::other)?;
            writeln!(out, "{s}")
        }
        Format::Sarif => {
            let files: Vec<_> = results
                .iter()
                .map(|r| procdef::sarif::FileDiagnostics { file: &r.path, text: &r.text, diagnostics: &r.diagnostics })
                .collect();
            // Paths below the working folder are given relative to it.
            let cwd = std::env::current_dir().ok().and_then(|d| d.to_str().map(str::to_string));
            write!(out, "{}", procdef::sarif::render_in(&files, cwd.as_deref(), failures))
        }
        Format::Github => {
            for r in results {
                write!(out, "{}", report::github(&r.name, &r.text, &r.diagnostics))?;
            }
            Ok(())
        }
        Format::Human => {
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let width = terminal_width();
            let mut err = std::io::stderr().lock();
            for r in results {
                let shown: Vec<Diagnostic> =
                    r.diagnostics.iter().filter(|d| !args.quiet || d.severity == Severity::Error).cloned().collect();
                write!(
                    err,
                    "{}",
                    report::human(
                        &r.name,
                        &r.text,
                        &shown,
                        report::HumanStyle { color, width, lang: super::lang_of(&r.text) }
                    )
                )?;
            }
            if !args.quiet && !results.is_empty() {
                let lang = super::lang_of_all(results.iter().map(|r| r.text.as_str()));
                write!(err, "{}", report::summary(lang, results.len(), errors, warnings))?;
            }
            Ok(())
        }
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|&w: &usize| w >= 40).unwrap_or(100)
}
