//! `procdef import --from CRM FILE`: a CRM's pipelines JSON as a `.proc`
//! skeleton (IMPORT.md). Exit 0: written; 2: the file could not be read or
//! is not the CRM's JSON, or a pipeline must be chosen.

use super::{BROKEN, OK, files};
use clap::ValueEnum;
use procdef::emit::crm::Crm;
use procdef::import::crm;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The CRM the file comes from.
    #[arg(long, value_enum, value_name = "CRM")]
    from: CrmArg,
    /// What the CRM's API returns for its pipelines, saved as JSON
    /// (see docs/import.md).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Write the process here (a new file) instead of standard output.
    #[arg(long, short, value_name = "OUT.proc")]
    output: Option<PathBuf>,
    /// The pipeline to import, by name or id, when the file holds several.
    #[arg(long, value_name = "NAME|ID")]
    pipeline: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CrmArg {
    /// HubSpot: `GET /crm/v3/pipelines/deals`, or one pipeline.
    Hubspot,
    /// Pipedrive: `GET /v1/stages` or `GET /api/v2/stages`.
    Pipedrive,
    /// Salesforce: a REST query of `OpportunityStage` records.
    Salesforce,
}

impl From<CrmArg> for Crm {
    fn from(c: CrmArg) -> Crm {
        match c {
            CrmArg::Hubspot => Crm::Hubspot,
            CrmArg::Pipedrive => Crm::Pipedrive,
            CrmArg::Salesforce => Crm::Salesforce,
        }
    }
}

fn fail(message: impl std::fmt::Display) -> u8 {
    eprintln!("procdef: {message}");
    BROKEN
}

pub fn run(args: Args) -> u8 {
    let from = Crm::from(args.from);
    let name = files::display(&args.file);
    let bytes = match files::read(&args.file) {
        Ok(b) => b,
        Err(e) => return fail(e),
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return fail(format!("{name}: it is not UTF-8 text; expected {}", crm::expected(from)));
    };
    let pipeline = crm::pipelines(from, text).and_then(|all| crm::choose(all, args.pipeline.as_deref()));
    let pipeline = match pipeline {
        Ok(p) => p,
        Err(e) => return fail(format!("{name}: {e}")),
    };
    let source = args.file.file_name().map_or_else(|| name.clone(), |f| f.to_string_lossy().into_owned());
    let proc = crm::to_proc(from, &pipeline, &source);
    write_output(args.output.as_deref(), &proc)
}

/// Checks a generated process (it must have no error) and writes it to
/// `out`, a new file, or to standard output.
pub(super) fn write_output(out: Option<&Path>, text: &str) -> u8 {
    let compiled = procdef::compile(text.as_bytes());
    if compiled.has_errors() {
        // Never expected: every generated file is held to this by the tests.
        let style = procdef::report::HumanStyle { color: false, width: 100, lang: compiled.lang };
        eprint!("{}", procdef::report::human("(generated)", text, &compiled.diagnostics, style));
        return fail("the process written has errors; it was not written. Please report this with the input");
    }
    match out {
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(text.as_bytes()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => fail(format!("cannot write: {e}")),
                _ => OK,
            }
        }
        Some(path) => match write_new(path, text.as_bytes()) {
            Ok(()) => {
                eprintln!("procdef: wrote {}", files::display(path));
                OK
            }
            Err(e) => fail(format!("cannot write {}: {e}", files::display(path))),
        },
    }
}

/// Writes a new file through a temporary file beside it, so that it is
/// whole or absent. An existing file is never replaced.
fn write_new(path: &Path, contents: &[u8]) -> Result<(), String> {
    if path.symlink_metadata().is_ok() {
        return Err("it exists already; give a new file to -o (nothing was written)".into());
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".procdef-new-")
        .tempfile_in(&dir)
        .map_err(|e| format!("cannot create a temporary file in {}: {e}", dir.display()))?;
    temp.write_all(contents).map_err(|e| e.to_string())?;
    temp.as_file().sync_all().map_err(|e| e.to_string())?;
    temp.persist_noclobber(path).map_err(|e| e.error.to_string())?;
    Ok(())
}
