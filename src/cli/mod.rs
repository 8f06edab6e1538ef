//! The command line: arguments, files, the terminal and exit codes. One
//! file per subcommand.

mod audit;
mod build;
mod calibrate;
mod check;
mod completions;
mod config;
mod discover;
mod explain;
mod export;
mod files;
mod fmt;
mod funnel;
mod graph;
mod import;
mod init;
mod load;
mod lsp;
mod sources;

use clap::{Parser, Subcommand, ValueEnum};
use procdef::Lang;
use std::process::ExitCode;
use std::sync::OnceLock;

/// Compile and check sales processes written in the `.proc` language.
#[derive(Debug, Parser)]
#[command(name = "procdef", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Read source files of up to SIZE (such as `200M` or `1G`; default
    /// 64M). Only regular files are read.
    #[arg(long, global = true, value_name = "SIZE", value_parser = files::parse_size)]
    max_file_size: Option<u64>,
    /// Write diagnostics in this language, for every file. By default a
    /// file with the `# language: ru` header gets them in Russian, any
    /// other in English. `init --lang ru` writes the starter in Russian.
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    lang: Option<DiagnosticsLang>,
}

/// The languages of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiagnosticsLang {
    En,
    Ru,
}

/// The language `--lang` chose, if any; set once, before any command runs.
static LANG: OnceLock<Lang> = OnceLock::new();

/// The language `--lang` chose, if any.
fn chosen_lang() -> Option<Lang> {
    LANG.get().copied()
}

/// The language of the diagnostics about a file with this text.
fn lang_of(text: &str) -> Lang {
    procdef::lang::diagnostics_language(LANG.get().copied(), text)
}

/// The language of what a run says about several files: theirs when they
/// share one, else English.
fn lang_of_all<'t>(mut texts: impl Iterator<Item = &'t str>) -> Lang {
    match LANG.get() {
        Some(&lang) => lang,
        None if texts.all(|t| lang_of(t) == Lang::Ru) => Lang::Ru,
        None => Lang::En,
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check files for mistakes and print the diagnostics; writes nothing.
    Check(check::Args),
    /// Check a file and write its outputs (JSON, manuals, graph) into a folder.
    Build(build::Args),
    /// Lay files out in the one canonical layout, in place (see docs/format.md).
    ///
    /// Comments, strings and the order of everything are kept; only the
    /// layout changes, and with `--keywords` the keywords' language. A file that does not parse is left as it was and its
    /// diagnostics are printed. The files that were (or, with `--check`,
    /// would be) changed are listed on standard output.
    Fmt(fmt::Args),
    /// Show the funnel model: per stage the win probability, visits and
    /// volume under the plan; per position the workload and utilization.
    Funnel(funnel::Args),
    /// Print the pipeline a CRM takes (HubSpot, Pipedrive or Salesforce)
    /// as that CRM's own JSON, or write it as a Salesforce Metadata API
    /// folder (`--to salesforce -o DIR`).
    Export(export::Args),
    /// Explain a diagnostic code, with a wrong and a right example.
    Explain(explain::Args),
    /// Replay a CRM's history against the process: where deals leave it,
    /// which limits break, whether each planned conversion holds, and who
    /// needs help (see docs/audit.md).
    Audit(audit::Args),
    /// Turn a CRM's pipelines (HubSpot, Pipedrive or Salesforce JSON) into a
    /// process skeleton whose percentages give the CRM's probabilities back
    /// (see docs/import.md).
    Import(import::Args),
    /// Write a process from a CRM's history alone: stages, entries,
    /// transitions with their observed shares, stays and owners.
    Discover(discover::Args),
    /// Put a history's observed percentages, entry shares and median stays
    /// into a process file, changing nothing else; prints a diff, or
    /// rewrites the file with `--write`.
    Calibrate(calibrate::Args),
    /// Print the stage graph for Mermaid or Graphviz.
    Graph(graph::Args),
    /// Write a starter process that passes `check` and teaches the language.
    Init(init::Args),
    /// Run the language server on standard input and output, for editors
    /// (see docs/editors.md).
    Lsp(lsp::Args),
    /// Print a shell completion script.
    Completions(completions::CompletionArgs),
    /// Print the manual page (roff), or write one page per command into a
    /// folder.
    Man(completions::ManArgs),
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// A readable report, coloured on a terminal.
    #[default]
    Human,
    /// One JSON array of diagnostics for the whole run.
    Json,
    /// GitHub Actions workflow commands (`::error file=…`).
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// Which warnings fail the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Treat every warning as an error.
    Warnings,
}

/// Exit code 0: no errors.
const OK: u8 = 0;
/// Exit code 1: errors in the input.
const FAILED: u8 = 1;
/// Exit code 2: the tool could not run.
const BROKEN: u8 = 2;

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { BROKEN } else { OK });
        }
    };
    if let Some(limit) = cli.max_file_size {
        files::set_max_file_size(limit);
    }
    if let Some(lang) = cli.lang {
        let _ = LANG.set(match lang {
            DiagnosticsLang::En => Lang::En,
            DiagnosticsLang::Ru => Lang::Ru,
        });
    }
    let code = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Build(args) => build::run(args),
        Command::Funnel(args) => funnel::run(args),
        Command::Export(args) => export::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Graph(args) => graph::run(args),
        Command::Audit(args) => audit::run(args),
        Command::Import(args) => import::run(args),
        Command::Discover(args) => discover::run(args),
        Command::Calibrate(args) => calibrate::run(args),
        Command::Init(args) => init::run(args),
        Command::Completions(args) => completions::completions(args),
        Command::Man(args) => completions::man(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Lsp(args) => lsp::run(args),
    };
    ExitCode::from(code)
}
