//! `procdef build`: check a file and write its outputs, all or nothing.

use super::check::escalate;
use super::{files, Deny, BROKEN, FAILED, OK};
use procdef::diagnostics::Severity;
use procdef::emit::{self, Options, Output};
use procdef::report;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The process file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The output folder; replaced as a whole on success.
    #[arg(short, long, value_name = "DIR", default_value = "out")]
    out: PathBuf,
    /// Fail (and write nothing) on warnings too.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
    /// Write the manuals for one segment or product only (its id): steps
    /// meant only for others are left out.
    #[arg(long, value_name = "ID")]
    segment: Option<String>,
    /// A folder with your own templates for the HTML manuals
    /// (`manual.html.j2`, and any `.j2` file it includes).
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
}

pub fn run(args: Args) -> u8 {
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("procdef: cannot read {}: {e}", args.file.display());
            return BROKEN;
        }
    };
    let name = files::display(&args.file);
    let compiled = procdef::compile(&bytes);
    let mut diagnostics = compiled.diagnostics.clone();
    escalate(&mut diagnostics, args.deny);
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let shown: Vec<_> = diagnostics.iter().filter(|d| !args.quiet || d.severity == Severity::Error).cloned().collect();
    if !shown.is_empty() {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        eprint!("{}", report::human(&name, &compiled.text, &shown, report::HumanStyle { color, width: 100 }));
    }
    if failed {
        eprintln!("procdef: {name} has errors; nothing was written");
        return FAILED;
    }
    let Some(model) = &compiled.model else {
        eprintln!("procdef: {name} could not be compiled");
        return FAILED;
    };
    let templates = match &args.templates {
        Some(dir) => match read_templates(dir) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("procdef: {e}");
                return BROKEN;
            }
        },
        None => Vec::new(),
    };
    let options = Options { segment: args.segment.clone(), templates };
    let outputs = match procdef::emit::outputs_with(model, compiled.analysis.as_ref(), &name, &compiled.text, &options) {
        Ok(o) => o,
        Err(e @ emit::Error::UnknownSegment(_)) => {
            eprintln!("procdef: --segment: {e}");
            return BROKEN;
        }
        Err(e @ emit::Error::Template(_)) => {
            eprintln!("procdef: {e}; nothing was written");
            return BROKEN;
        }
    };
    match write_all(&args.out, &outputs) {
        Ok(()) => {
            if !args.quiet {
                eprintln!("procdef: wrote {} files to {}", outputs.len(), args.out.display());
            }
            OK
        }
        Err(e) => {
            eprintln!("procdef: cannot write {}: {e}; the previous contents were left as they were", args.out.display());
            BROKEN
        }
    }
}

/// The `.j2` files of a templates folder (not below it), sorted by name;
/// `manual.html.j2` must be one of them.
fn read_templates(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read the templates folder {}: {e}", dir.display()))?;
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read the templates folder {}: {e}", dir.display()))?;
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
        if !name.ends_with(".j2") || !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read the template {}: {e}", path.display()))?;
        out.push((name, text));
    }
    out.sort();
    if !out.iter().any(|(n, _)| n == emit::manual::html::MANUAL_TEMPLATE) {
        return Err(format!(
            "the templates folder {} has no {}; start from the built-in one (templates/{} in the procdef sources)",
            dir.display(),
            emit::manual::html::MANUAL_TEMPLATE,
            emit::manual::html::MANUAL_TEMPLATE
        ));
    }
    Ok(out)
}

/// Writes every output into a fresh folder beside `out`, then swaps it in
/// with renames, so `out` holds either the old build or the new one, never
/// a mix.
fn write_all(out: &Path, outputs: &[Output]) -> std::io::Result<()> {
    if out.exists() && !out.is_dir() {
        return Err(std::io::Error::other("it exists and is not a folder"));
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let staging = tempfile::Builder::new().prefix(".procdef-build-").tempdir_in(&parent)?;
    for o in outputs {
        let path = staging.path().join(o.path.split('/').collect::<PathBuf>());
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, o.contents.as_bytes())?;
    }
    if out.exists() {
        let old = tempfile::Builder::new().prefix(".procdef-old-").tempdir_in(&parent)?;
        let old_path = old.path().join("out");
        std::fs::rename(out, &old_path)?;
        if let Err(e) = std::fs::rename(staging.path(), out) {
            // Put the previous build back.
            let _ = std::fs::rename(&old_path, out);
            return Err(e);
        }
        let _ = staging.keep();
        drop(old);
    } else {
        std::fs::rename(staging.path(), out)?;
        let _ = staging.keep();
    }
    Ok(())
}
