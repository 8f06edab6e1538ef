//! `procdef fmt`: lay files out in the canonical layout, in place.

use super::{BROKEN, FAILED, OK, files};
use procdef::report;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files to format; a folder means every `.proc` file below it.
    #[arg(required = true, value_name = "FILE|DIR")]
    paths: Vec<PathBuf>,
    /// Change nothing: list the files that are not formatted and fail (exit 1)
    /// if there are any.
    #[arg(long)]
    check: bool,
}

/// What happened to one file.
enum Outcome {
    Unchanged,
    Changed,
    /// It does not parse; its diagnostics were printed.
    Unparsed,
    /// It could not be read or written; the error was printed.
    Broken,
}

pub fn run(args: Args) -> u8 {
    let paths = match files::expand(&args.paths) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("procdef: {e}");
            return BROKEN;
        }
    };
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (mut changed, mut unchanged, mut unparsed, mut broken) = (0, 0, 0, 0);
    for path in &paths {
        match one(path, args.check, color) {
            Outcome::Unchanged => unchanged += 1,
            Outcome::Changed => {
                changed += 1;
                // The list of files is the output: one name per line.
                let mut out = std::io::stdout().lock();
                if writeln!(out, "{}", files::display(path)).is_err() {
                    broken += 1;
                }
            }
            Outcome::Unparsed => unparsed += 1,
            Outcome::Broken => broken += 1,
        }
    }
    eprint!("{}", summary(args.check, changed, unchanged, unparsed));
    if broken > 0 {
        BROKEN
    } else if unparsed > 0 || (args.check && changed > 0) {
        FAILED
    } else {
        OK
    }
}

fn one(path: &Path, check: bool, color: bool) -> Outcome {
    let name = files::display(path);
    let bytes = match files::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("procdef: {e}");
            return Outcome::Broken;
        }
    };
    let formatted = match procdef::fmt::format_file(&bytes) {
        Ok(f) => f,
        Err(unparsed) => {
            let style = report::HumanStyle { color, width: 100 };
            eprint!("{}", report::human(&name, &unparsed.text, &unparsed.diagnostics, style));
            eprintln!("procdef: {name} does not parse; it was left as it was");
            return Outcome::Unparsed;
        }
    };
    if formatted == bytes {
        return Outcome::Unchanged;
    }
    if !check {
        if let Err(e) = write_atomically(path, &formatted) {
            eprintln!("procdef: cannot write {name}: {e}; it was left as it was");
            return Outcome::Broken;
        }
    }
    Outcome::Changed
}

/// Writes a temporary file beside the target and renames it over the
/// target, so the file holds either the old text or the new one, never a
/// part. The file keeps its permissions; a symbolic link keeps pointing to
/// it.
fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let permissions = std::fs::metadata(&target)?.permissions();
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut temp = tempfile::Builder::new().prefix(".procdef-fmt-").tempfile_in(&dir)?;
    temp.write_all(contents)?;
    temp.as_file().sync_all()?;
    std::fs::set_permissions(temp.path(), permissions)?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

fn count(n: usize) -> String {
    format!("{n} {}", if n == 1 { "file" } else { "files" })
}

/// `1 file reformatted, 2 files already formatted`.
fn summary(check: bool, changed: usize, unchanged: usize, unparsed: usize) -> String {
    let verb = if check { "would be reformatted" } else { "reformatted" };
    let mut s = format!("{} {verb}, {} already formatted", count(changed), count(unchanged));
    if unparsed > 0 {
        s.push_str(&format!(", {} not parsed", count(unparsed)));
    }
    s.push('\n');
    s
}
