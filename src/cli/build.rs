//! `procdef build`: check a file and write its outputs, all or nothing.

use super::check::check_file;
use super::{Deny, BROKEN, FAILED, OK};
use procdef::diagnostics::Severity;
use procdef::emit::Output;
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
    /// Rule levels from this file instead of the nearest `procdef.toml`.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: Args) -> u8 {
    let checked = super::config::Configs::new(args.config.as_deref())
        .and_then(|configs| check_file(&args.file, &configs, args.deny));
    let checked = match checked {
        Ok(c) => c,
        Err(e) => {
            eprintln!("procdef: {e}");
            return BROKEN;
        }
    };
    let name = &checked.name;
    let diagnostics = &checked.diagnostics;
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let shown: Vec<_> = diagnostics.iter().filter(|d| !args.quiet || d.severity == Severity::Error).cloned().collect();
    if !shown.is_empty() {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        eprint!("{}", report::human(name, &checked.text, &shown, report::HumanStyle { color, width: 100 }));
    }
    if failed {
        eprintln!("procdef: {name} has errors; nothing was written");
        return FAILED;
    }
    let Some(model) = &checked.model else {
        eprintln!("procdef: {name} could not be compiled");
        return FAILED;
    };
    let outputs = procdef::emit::outputs(model, checked.analysis.as_ref(), name, &checked.text);
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
