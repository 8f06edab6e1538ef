//! Reading and checking one file for the commands that need a sound
//! model (`funnel`, `export`): the diagnostics go to stderr, and the run
//! stops on errors.

use super::check::escalate;
use super::{BROKEN, Deny, FAILED, files};
use procdef::diagnostics::Severity;
use procdef::funnel::Analysis;
use procdef::model::Model;
use procdef::report;
use std::io::IsTerminal;
use std::path::Path;

/// A checked file with its funnel model.
pub struct Loaded {
    pub name: String,
    pub model: Model,
    pub analysis: Analysis,
}

/// How much to say on stderr.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    pub deny: Option<Deny>,
    pub quiet: bool,
}

/// Reads and checks `path`, printing its diagnostics as a readable report
/// on stderr. On errors, returns the exit code.
pub fn load(path: &Path, config: Config) -> Result<Loaded, u8> {
    let bytes = files::read(path).map_err(|e| {
        eprintln!("procdef: {e}");
        BROKEN
    })?;
    let name = files::display(path);
    let compiled = super::sources::compile(path, &bytes);
    let mut diagnostics = compiled.diagnostics.clone();
    escalate(&mut diagnostics, config.deny);
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let shown: Vec<_> =
        diagnostics.iter().filter(|d| !config.quiet || d.severity == Severity::Error).cloned().collect();
    if !shown.is_empty() {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let files = super::sources::by_file(path, &compiled, shown);
        for f in &files {
            if !f.diagnostics.is_empty() {
                eprint!(
                    "{}",
                    report::human(
                        &f.name,
                        &f.text,
                        &f.diagnostics,
                        report::HumanStyle { color, width: 100, lang: compiled.lang }
                    )
                );
            }
        }
    }
    if failed {
        eprintln!("procdef: {name} has errors; fix them first (`procdef check {name}`)");
        return Err(FAILED);
    }
    match (compiled.model, compiled.analysis) {
        (Some(model), Some(analysis)) => Ok(Loaded { name, model, analysis }),
        _ => {
            eprintln!("procdef: the funnel model of {name} could not be computed");
            Err(FAILED)
        }
    }
}
