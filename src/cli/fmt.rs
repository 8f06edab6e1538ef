//! `procdef fmt`: lay files out in the canonical layout, in place.

use super::{BROKEN, FAILED, OK, files};
use procdef::ast::Language;
use procdef::report;
use procdef::syntax::keywords::file_language;
use std::collections::HashSet;
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
    /// Write the keywords in LANG, translating those of a file written in
    /// the other language, with the units and periods of its numbers and
    /// its `# language:` header. Without it each file keeps its own.
    #[arg(long, value_enum, value_name = "LANG")]
    keywords: Option<Keywords>,
}

/// The keyword language of a file (LANGUAGE.md §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Keywords {
    /// English keywords: `stage`, `owner`, `2h`.
    En,
    /// Russian keywords under a `# language: ru` header: `этап`,
    /// `ответственный`, `2ч`.
    Ru,
}

impl Keywords {
    fn language(self) -> Language {
        match self {
            Keywords::En => Language::En,
            Keywords::Ru => Language::Ru,
        }
    }
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
    // A folder that cannot be read is reported, the files found elsewhere
    // are still formatted (or checked), and the run fails at the end, as
    // `check` does.
    let (paths, unreadable) = files::expand_all(&args.paths);
    for e in &unreadable {
        eprintln!("procdef: {e}");
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (mut changed, mut unchanged, mut unparsed, mut broken) = (0, 0, 0, unreadable.len());
    // The folders already rid of an earlier run's temporary files.
    let mut cleaned = HashSet::new();
    for path in &paths {
        let keywords = args.keywords.map(Keywords::language);
        match one(path, args.check, keywords, color, &mut cleaned) {
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

fn one(path: &Path, check: bool, keywords: Option<Language>, color: bool, cleaned: &mut HashSet<PathBuf>) -> Outcome {
    let name = files::display(path);
    let bytes = match files::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("procdef: {e}");
            return Outcome::Broken;
        }
    };
    if !check {
        // A stopped run's leftovers go, whether or not this file changes.
        if let Some(dir) = std::fs::canonicalize(path).ok().and_then(|t| t.parent().map(Path::to_path_buf)) {
            if cleaned.insert(dir.clone()) {
                remove_stale_temps(&dir);
            }
        }
    }
    let formatted = match procdef::fmt::format_file_with(&bytes, keywords) {
        Ok(f) => f,
        Err(unparsed) => {
            let style = report::HumanStyle { color, width: 100, lang: super::lang_of(&unparsed.text) };
            eprint!("{}", report::human(&name, &unparsed.text, &unparsed.diagnostics, style));
            eprintln!("procdef: {name} does not parse; it was left as it was");
            return Outcome::Unparsed;
        }
    };
    if let Some(to) = keywords {
        // The formatter returns a file it could not translate safely as it
        // was, in its own keyword language.
        if std::str::from_utf8(&formatted).map_or(true, |text| file_language(text) != to) {
            eprintln!(
                "procdef: the keywords of {name} could not be translated to `{}`; it was left as it was",
                to.code()
            );
            return Outcome::Broken;
        }
    }
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

/// The start of the name of the temporary files `fmt` writes, followed by
/// the id of the process that writes them.
const TEMP_PREFIX: &str = ".procdef-fmt-";

/// Writes the file through a temporary file beside it, renamed over it, so
/// the file holds either the old text or the new one, never a part, even
/// after a crash or a power cut: the temporary file is flushed to disk
/// before the rename, and the folder after it.
///
/// What the file is stays as it was: a symbolic link is followed and its
/// target rewritten (the link stays a link), and the new file gets the old
/// one's owner, group and mode before it replaces it. A file that is
/// read-only (no write bit in its mode, which root would otherwise ignore),
/// or that this user may not write, is refused, and so is a file whose
/// owner could not be kept, and one with several names (hard links).
pub(super) fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), String> {
    let target = std::fs::canonicalize(path).map_err(|e| e.to_string())?;
    let meta = std::fs::metadata(&target).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("it is not a regular file".to_string());
    }
    if meta.permissions().readonly() {
        return Err(format!("it is read-only{}", mode(&meta)));
    }
    let names = links(&meta);
    if names > 1 {
        // Replacing the file would give this name the new text and leave
        // the file's other names with the old one.
        return Err(format!(
            "it has {names} names (hard links), and formatting replaces the file, which would part them; \
             format a copy and move it over each name, or remove the other names first"
        ));
    }
    // Opened to write, without truncating: fails when this user may not
    // write the file, which replacing it would otherwise ignore.
    std::fs::OpenOptions::new().write(true).open(&target).map_err(|e| format!("it is not writable: {e}"))?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
        .tempfile_in(&dir)
        .map_err(|e| format!("cannot create a temporary file in {}: {e}", dir.display()))?;
    keep_owner(temp.as_file(), &meta)?;
    temp.as_file().set_permissions(meta.permissions()).map_err(|e| format!("cannot keep its mode: {e}"))?;
    temp.write_all(contents).map_err(|e| e.to_string())?;
    temp.as_file().sync_all().map_err(|e| e.to_string())?;
    temp.persist(&target).map_err(|e| e.error.to_string())?;
    // The file is replaced by now: a folder that cannot be flushed is worth
    // a word, not a failure.
    if let Err(e) = super::build::writer::sync_folder(&dir) {
        eprintln!("procdef: {} was rewritten, but the folder could not be flushed to disk: {e}", path.display());
    }
    Ok(())
}

/// ` (mode 0444; …)`: a file's permission bits, where there are any.
#[cfg(unix)]
fn mode(meta: &std::fs::Metadata) -> String {
    use std::os::unix::fs::PermissionsExt;
    format!(" (mode {:04o}; `chmod u+w` makes it writable)", meta.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn mode(_: &std::fs::Metadata) -> String {
    String::new()
}

/// How many names (hard links) the file has.
#[cfg(unix)]
fn links(meta: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.nlink()
}

#[cfg(not(unix))]
fn links(_: &std::fs::Metadata) -> u64 {
    1
}

/// Gives the new file the owner and group of the old one, when they differ
/// from its own (as when root formats a user's file).
#[cfg(unix)]
fn keep_owner(file: &std::fs::File, old: &std::fs::Metadata) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let new = file.metadata().map_err(|e| e.to_string())?;
    if (new.uid(), new.gid()) == (old.uid(), old.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()))
        .map_err(|e| format!("cannot keep its owner {}:{} on the new text: {e}", old.uid(), old.gid()))
}

#[cfg(not(unix))]
fn keep_owner(_: &std::fs::File, _: &std::fs::Metadata) -> Result<(), String> {
    Ok(())
}

/// Removes the temporary files that an earlier `fmt` left in `dir` when it
/// was killed: those whose process is gone, or was started after the file
/// was last written (so its id was given to another process since).
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_pid) else { continue };
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() || !is_stale(pid, &meta) {
            continue;
        }
        let path = entry.path();
        if std::fs::remove_file(&path).is_ok() {
            eprintln!("procdef: removed {}, left by an earlier `procdef fmt` that was stopped", path.display());
        }
    }
}

/// The process id in the name of a temporary file of `fmt`.
fn temp_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?;
    let (pid, random) = rest.split_once('-')?;
    (!random.is_empty()).then_some(())?;
    pid.parse().ok()
}

/// Whether the process that wrote a temporary file is gone, as far as
/// `/proc` tells. Where there is no `/proc`, a file a day old is stale.
fn is_stale(pid: u32, meta: &std::fs::Metadata) -> bool {
    let written = meta.modified().ok();
    if !Path::new("/proc/self").exists() {
        let day = std::time::Duration::from_secs(24 * 3600);
        return written.and_then(|w| w.elapsed().ok()).is_some_and(|age| age > day);
    }
    if pid == std::process::id() {
        return false;
    }
    match (process_start(pid), written) {
        (None, _) => !Path::new(&format!("/proc/{pid}")).exists(),
        // The boot time is known to the second: allow for it.
        (Some(start), Some(written)) => written + std::time::Duration::from_secs(2) < start,
        (Some(_), None) => false,
    }
}

/// When a process started, from `/proc/PID/stat` (its 22nd field, in clock
/// ticks since boot, which Linux counts at 100 a second for user space)
/// and the boot time in `/proc/stat`.
fn process_start(pid: u32) -> Option<std::time::SystemTime> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The second field, the command name in parentheses, may hold spaces.
    let after_name = &stat[stat.rfind(')')? + 1..];
    let ticks: u64 = after_name.split_whitespace().nth(19)?.parse().ok()?;
    let boot: u64 = std::fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    let since_epoch = std::time::Duration::from_secs(boot) + std::time::Duration::from_millis(ticks * 10);
    std::time::UNIX_EPOCH.checked_add(since_epoch)
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
