//! `procdef export`: the pipeline definition a CRM takes, as JSON on
//! stdout, or for Salesforce as a Metadata API folder (`-o DIR`).

use super::build::writer::{exchange_folders, sync_folder};
use super::load::{Config, load};
use super::{BROKEN, Deny, OK};
use clap::ValueEnum;
use procdef::emit::crm::salesforce::{self, MetadataFile};
use procdef::emit::crm::{self, Crm};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The process file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The CRM whose payload to print (see docs/crm.md for sending it).
    #[arg(long, value_enum, value_name = "CRM")]
    to: CrmArg,
    /// Salesforce only: write a Metadata API folder for
    /// `sf project deploy start --metadata-dir DIR` instead of printing JSON.
    /// DIR must be missing, empty or an earlier export; it is replaced whole.
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Fail (exit 1) on warnings too.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// Print no warnings, only errors.
    #[arg(long, short)]
    quiet: bool,
}

/// The CRMs, as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CrmArg {
    /// HubSpot: the body of `POST /crm/v3/pipelines/deals`.
    Hubspot,
    /// Pipedrive: the bodies of `POST /api/v2/pipelines` and `POST /api/v2/stages`.
    Pipedrive,
    /// Salesforce: opportunity stages and the Sales Path; with `-o`, a Metadata API folder.
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

pub fn run(args: Args) -> u8 {
    let to = Crm::from(args.to);
    if args.output.is_some() && to != Crm::Salesforce {
        eprintln!(
            "procdef: -o writes a Salesforce Metadata API folder; the {} export is one JSON payload, \
             printed on stdout (redirect it to a file)",
            to.name()
        );
        return BROKEN;
    }
    let loaded = match load(&args.file, Config { deny: args.deny, quiet: args.quiet }) {
        Ok(l) => l,
        Err(code) => return code,
    };
    if let Some(dir) = &args.output {
        let files = crm::salesforce_folder(&loaded.model, &loaded.analysis);
        return match write_folder(dir, &files) {
            Ok(()) => {
                if !args.quiet {
                    let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
                    eprintln!("procdef: wrote {} ({})", super::files::display(dir), names.join(", "));
                }
                OK
            }
            Err(e) => {
                eprintln!("procdef: cannot write {}: {e}", super::files::display(dir));
                BROKEN
            }
        };
    }
    let text = crm::export(&loaded.model, &loaded.analysis, to);
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("procdef: cannot write the {} export of {}: {e}", to.name(), loaded.name);
            BROKEN
        }
        _ => OK,
    }
}

/// What stands at the folder's path before the export.
enum Before {
    Nothing,
    Empty,
    /// An earlier export: only files its `package.xml` lists.
    Export,
}

/// The largest `package.xml` read to recognise an earlier export.
const MAX_PACKAGE_XML: u64 = 1 << 20;

/// Why a folder is not replaced.
fn refuse(why: &str) -> io::Error {
    io::Error::other(format!(
        "{why}; it is not an earlier export, so it was left as it was (give a new or empty folder)"
    ))
}

/// What is at `dir`; an error for anything the export must not replace.
fn before(dir: &Path) -> io::Result<Before> {
    let meta = match fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Before::Nothing),
        Err(e) => return Err(e),
    };
    if meta.file_type().is_symlink() {
        return Err(io::Error::other("it is a symbolic link; give the folder itself"));
    }
    if !meta.is_dir() {
        return Err(io::Error::other("it exists and is not a folder"));
    }
    if fs::read_dir(dir)?.next().is_none() {
        return Ok(Before::Empty);
    }
    let package = dir.join("package.xml");
    let listed = match fs::symlink_metadata(&package) {
        Ok(m) if m.is_file() && m.len() <= MAX_PACKAGE_XML => {
            fs::read_to_string(&package).ok().and_then(|t| salesforce::manifest(&t))
        }
        _ => None,
    };
    let Some(listed) = listed else {
        return Err(refuse("the folder holds files and no package.xml written by procdef"));
    };
    let mut found = Vec::new();
    walk(dir, "", &mut found)?;
    for (path, is_dir) in found {
        let ours =
            if is_dir { listed.iter().any(|f| f.starts_with(&format!("{path}/"))) } else { listed.contains(&path) };
        if !ours {
            return Err(refuse(&format!("the folder holds {path}, which procdef did not write")));
        }
    }
    Ok(Before::Export)
}

/// Every entry below `dir`, as `/`-separated paths relative to it, with
/// whether it is a folder. Anything but plain files and folders (links,
/// FIFOs, …) is an error, as is a name that is not UTF-8.
fn walk(dir: &Path, prefix: &str, out: &mut Vec<(String, bool)>) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            return Err(refuse(&format!(
                "the folder holds {}, which procdef did not write",
                super::files::display(entry.path())
            )));
        };
        let path = if prefix.is_empty() { name.to_string() } else { format!("{prefix}/{name}") };
        let kind = entry.file_type()?;
        if kind.is_dir() {
            out.push((path.clone(), true));
            walk(&entry.path(), &path, out)?;
        } else if kind.is_file() {
            out.push((path, false));
        } else {
            return Err(refuse(&format!("the folder holds {path}, which is not a plain file")));
        }
    }
    Ok(())
}

/// Writes and flushes one file.
fn write_file(path: &Path, text: &str) -> io::Result<()> {
    let mut f = fs::File::create_new(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

/// The names of the folders an export makes beside `DIR`: the new folder
/// while it is written, and the holder of the previous one while it is
/// swapped out (`.procdef-export-old-*/DIR`).
const STAGING: &str = ".procdef-export-";
const OLD: &str = ".procdef-export-old-";

/// Puts back or removes what an interrupted export left in `parent`: a
/// previous export of `name` moved aside goes back when `name` is missing,
/// and is removed otherwise; a new folder left unswapped is removed.
fn recover(parent: &Path, name: &std::ffi::OsStr) -> io::Result<()> {
    for entry in fs::read_dir(parent)? {
        let entry = entry?;
        let file_name = entry.file_name();
        let Some(n) = file_name.to_str() else { continue };
        if !n.starts_with(STAGING) || !entry.file_type()?.is_dir() {
            continue;
        }
        if !n.starts_with(OLD) {
            // A new export that was never moved into place, or a previous
            // one exchanged out of it: neither is wanted any more. (An export
            // running beside this one at the same moment then fails, and
            // leaves its folder as it was.)
            fs::remove_dir_all(entry.path())?;
            continue;
        }
        let aside = entry.path().join(name);
        if fs::symlink_metadata(&aside).is_ok_and(|m| m.is_dir()) {
            let dir = parent.join(name);
            if fs::symlink_metadata(&dir).is_err() {
                fs::rename(&aside, &dir)?;
            }
            fs::remove_dir_all(entry.path())?;
        }
    }
    Ok(())
}

/// Whether `dir` is the working folder or holds it: swapping it would pull
/// the folder from under the shell that runs procdef.
fn holds_working_folder(dir: &Path) -> bool {
    let (Ok(dir), Ok(cwd)) = (fs::canonicalize(dir), std::env::current_dir().and_then(fs::canonicalize)) else {
        return false;
    };
    cwd.starts_with(dir)
}

/// Writes `files` as the folder `dir`, all or nothing: into a new folder
/// beside it, flushed to disk, then moved into place. A missing or empty
/// folder is replaced by one rename (an empty one removed first, and made
/// again should the rename fail). An earlier export is exchanged with the
/// new one in one step where the system can, and otherwise renamed aside
/// into `.procdef-export-old-*/DIR` first, then removed once the new one is
/// in place; should the second rename fail, it is renamed back, and should
/// the export be killed in between, the next export puts it back.
fn write_folder(dir: &Path, files: &[MetadataFile]) -> io::Result<()> {
    let Some(name) = dir.file_name().map(std::ffi::OsStr::to_os_string) else {
        return Err(io::Error::other("give the folder by its name, not as `.`, `..` or `/`"));
    };
    if holds_working_folder(dir) {
        return Err(io::Error::other("it is the working folder or holds it; give another folder"));
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)?;
    recover(&parent, &name)?;
    let was = before(dir)?;
    let new = tempfile::Builder::new().prefix(STAGING).tempdir_in(&parent)?;
    let mut dirs = vec![new.path().to_path_buf()];
    for file in files {
        let path = new.path().join(&file.path);
        if let Some(p) = path.parent() {
            if !p.exists() {
                fs::create_dir_all(p)?;
                dirs.push(p.to_path_buf());
            }
        }
        write_file(&path, &file.text)?;
    }
    for d in dirs.iter().rev() {
        sync_folder(d)?;
    }
    match was {
        Before::Nothing => fs::rename(new.path(), dir)?,
        Before::Empty => {
            fs::remove_dir(dir)?;
            if let Err(e) = fs::rename(new.path(), dir) {
                let _ = fs::create_dir(dir);
                return Err(e);
            }
        }
        Before::Export => {
            if exchange_folders(new.path(), dir)? {
                // `new` now holds the previous export, removed when dropped.
                sync_folder(&parent)?;
                return Ok(());
            }
            let old = tempfile::Builder::new().prefix(OLD).tempdir_in(&parent)?;
            let aside = old.path().join(&name);
            fs::rename(dir, &aside)?;
            if let Err(e) = fs::rename(new.path(), dir) {
                fs::rename(&aside, dir)?;
                return Err(e);
            }
            // `old` goes with the previous export in it when dropped.
        }
    }
    // The new folder is in place: it must outlive `new`.
    let _ = new.keep();
    sync_folder(&parent)
}
