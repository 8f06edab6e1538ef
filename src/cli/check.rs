//! `procdef check`: parse and validate, print diagnostics, write nothing.

use super::{files, Deny, Format, BROKEN, FAILED, OK};
use procdef::diagnostics::{Diagnostic, Severity};
use procdef::report;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

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
    /// Print only errors and the exit status; no warnings, no summary.
    #[arg(long, short)]
    quiet: bool,
}

/// The outcome of checking one file.
pub struct FileResult {
    pub name: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Applies `--deny warnings`.
pub fn escalate(diagnostics: &mut [Diagnostic], deny: Option<Deny>) {
    if deny == Some(Deny::Warnings) {
        for d in diagnostics {
            d.severity = Severity::Error;
        }
    }
}

pub fn run(args: Args) -> u8 {
    let paths = match files::expand(&args.paths) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("procdef: {e}");
            return BROKEN;
        }
    };
    let mut broken = false;
    let mut results = Vec::new();
    for path in &paths {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("procdef: cannot read {}: {e}", path.display());
                broken = true;
                continue;
            }
        };
        let compiled = procdef::compile(&bytes);
        let mut diagnostics = compiled.diagnostics;
        escalate(&mut diagnostics, args.deny);
        results.push(FileResult { name: files::display(path), text: compiled.text, diagnostics });
    }
    let errors: usize = results.iter().map(|r| r.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()).sum();
    let warnings: usize =
        results.iter().map(|r| r.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count()).sum();
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => {
            let all: Vec<_> = results.iter().flat_map(|r| report::json(&r.name, &r.text, &r.diagnostics)).collect();
            serde_json::to_string_pretty(&all).map_or(Ok(()), |s| writeln!(out, "{s}"))
        }
        Format::Github => {
            let mut s = String::new();
            for r in &results {
                s.push_str(&report::github(&r.name, &r.text, &r.diagnostics));
            }
            write!(out, "{s}")
        }
        Format::Human => {
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let width = terminal_width();
            let mut s = String::new();
            for r in &results {
                let shown: Vec<Diagnostic> = r
                    .diagnostics
                    .iter()
                    .filter(|d| !args.quiet || d.severity == Severity::Error)
                    .cloned()
                    .collect();
                s.push_str(&report::human(&r.name, &r.text, &shown, report::HumanStyle { color, width }));
            }
            if !args.quiet {
                s.push_str(&summary(results.len(), errors, warnings));
            }
            let mut err = std::io::stderr().lock();
            write!(err, "{s}")
        }
    };
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("procdef: cannot write the report: {e}");
            return BROKEN;
        }
    }
    if broken {
        BROKEN
    } else if errors > 0 {
        FAILED
    } else {
        OK
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `3 files, 1 error, 2 warnings`.
pub fn summary(files: usize, errors: usize, warnings: usize) -> String {
    format!(
        "{}, {}, {}\n",
        plural(files, "file", "files"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings")
    )
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|&w: &usize| w >= 40).unwrap_or(100)
}
