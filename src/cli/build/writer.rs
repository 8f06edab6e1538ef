//! Writing `build`'s output folder: all or nothing, and never over a file
//! procdef did not write.
//!
//! Every build writes a manifest, `.procdef-manifest`, listing each file it
//! wrote with its SHA-256 (in `sha256sum`'s format). A later build replaces
//! the folder only when everything in it is listed there, unchanged; a
//! folder without a manifest must be empty.
//!
//! The new build is written into a staging folder beside the output folder,
//! every file and folder synced to disk, and then swapped in:
//!
//! - on Linux with one `renameat2(RENAME_EXCHANGE)`, so at every instant
//!   the output folder is the old build or the new one;
//! - where the system or the file system has no exchange (`EINVAL`,
//!   `ENOSYS`), with two renames: the old folder into
//!   `.procdef-old-*/<name>`, then the new one into place. A build killed
//!   between them leaves no output folder for a moment; the next build puts
//!   the old one back before it starts.
//!
//! Every failure before the swap is complete (and synced) puts the old
//! folder back. Builds beside one folder take turns (a lock on that
//! folder, Linux), and each removes what an interrupted one left.
//!
//! All file operations go through [`Fs`], which the tests and the fuzz
//! target make fail at any chosen operation.

use procdef::emit::Output;
use sha2::{Digest, Sha256};
use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The manifest's name, at the top of the output folder.
pub const MANIFEST: &str = ".procdef-manifest";
/// Staging folders: a build being written, or, after the swap, the build
/// it replaced.
const STAGING: &str = ".procdef-build-";
/// Where the two-rename swap keeps the old build meanwhile.
const OLD: &str = ".procdef-old-";

/// What a successful write did.
#[derive(Debug)]
pub struct Written {
    /// The folder written (links resolved).
    pub folder: PathBuf,
    /// Things worth telling: leftovers removed, an old build that could not
    /// be removed.
    pub notes: Vec<String>,
}

/// What kind of thing a path is, without following links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Dir,
    File,
    Link,
    Other,
}

/// A failure injected by the tests and the fuzz target.
#[cfg(any(test, fuzzing))]
#[derive(Debug, Clone, Copy)]
pub struct Fault {
    /// The operation (1-based) that fails.
    pub at: u64,
    /// Every operation after it fails too, as if the process had been
    /// killed there: nothing can be put back.
    pub dies: bool,
    /// Act as a system without `RENAME_EXCHANGE`.
    pub no_exchange: bool,
}

/// The file operations of a build, counted.
#[derive(Debug, Default)]
pub struct Fs {
    ops: Cell<u64>,
    #[cfg(any(test, fuzzing))]
    fault: Option<Fault>,
}

impl Fs {
    /// The real file system, with no failures of its own making.
    pub fn real() -> Fs {
        Fs::default()
    }

    /// A file system whose operation `fault.at` fails.
    #[cfg(any(test, fuzzing))]
    pub fn failing(fault: Fault) -> Fs {
        Fs { ops: Cell::new(0), fault: Some(fault) }
    }

    /// How many operations were made (or tried).
    #[cfg(any(test, fuzzing))]
    pub fn ops(&self) -> u64 {
        self.ops.get()
    }

    fn op(&self, what: &str, path: &Path) -> io::Result<()> {
        let n = self.ops.get() + 1;
        self.ops.set(n);
        #[cfg(any(test, fuzzing))]
        if let Some(f) = self.fault {
            if n == f.at || (f.dies && n > f.at) {
                return Err(io::Error::other(format!("injected failure of operation {n} ({what} {})", path.display())));
            }
        }
        let _ = (what, path);
        Ok(())
    }

    fn exchange_allowed(&self) -> bool {
        #[cfg(any(test, fuzzing))]
        if let Some(f) = self.fault {
            return !f.no_exchange;
        }
        true
    }

    pub fn kind(&self, path: &Path) -> io::Result<Option<Kind>> {
        self.op("inspect", path)?;
        match std::fs::symlink_metadata(path) {
            Ok(m) => Ok(Some(kind_of(m.file_type()))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        self.op("resolve", path)?;
        std::fs::canonicalize(path)
    }

    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        self.op("create folders", path)?;
        std::fs::create_dir_all(path)
    }

    /// The entries of a folder, sorted by name.
    pub fn list(&self, dir: &Path) -> io::Result<Vec<(OsString, Kind)>> {
        self.op("list", dir)?;
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            out.push((entry.file_name(), kind_of(entry.file_type()?)));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.op("read", path)?;
        std::fs::read(path)
    }

    fn create_dir(&self, path: &Path) -> io::Result<()> {
        self.op("create folder", path)?;
        std::fs::create_dir(path)
    }

    /// Creates a new file (never an existing one, never through a link),
    /// writes it and syncs it to disk.
    fn write_new(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        self.op("create", path)?;
        let mut file = File::options().write(true).create_new(true).open(path)?;
        self.op("write", path)?;
        file.write_all(bytes)?;
        self.op("sync", path)?;
        file.sync_all()
    }

    /// Syncs a folder's entries to disk (where folders can be opened).
    fn sync_dir(&self, path: &Path) -> io::Result<()> {
        self.op("sync folder", path)?;
        sync_folder(path)
    }

    /// Whether `dir` is a mount point: on another device than `parent`.
    pub fn mount_point(&self, dir: &Path, parent: &Path) -> io::Result<bool> {
        self.op("inspect", dir)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Ok(std::fs::symlink_metadata(dir)?.dev() != std::fs::metadata(parent)?.dev())
        }
        #[cfg(not(unix))]
        {
            let _ = parent;
            Ok(false)
        }
    }

    /// Gives the folder `to` the owner, group and permissions of `from`.
    /// An owner this user may not give (not root) is left as it is.
    pub fn keep_owner_and_mode(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.op("chmod", to)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::{MetadataExt, PermissionsExt};
            let was = std::fs::metadata(from)?;
            let now = std::fs::metadata(to)?;
            if (was.uid(), was.gid()) != (now.uid(), now.gid()) {
                match std::os::unix::fs::chown(to, Some(was.uid()), Some(was.gid())) {
                    Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {}
                    other => other?,
                }
            }
            std::fs::set_permissions(to, std::fs::Permissions::from_mode(was.mode() & 0o7777))?;
        }
        #[cfg(not(unix))]
        let _ = (from, to);
        Ok(())
    }

    /// Swaps two folders in one step; `Ok(false)` where the system cannot.
    fn exchange(&self, a: &Path, b: &Path) -> io::Result<bool> {
        self.op("exchange", a)?;
        if !self.exchange_allowed() {
            return Ok(false);
        }
        exchange_folders(a, b)
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.op("rename", from)?;
        std::fs::rename(from, to)
    }

    /// A rename that fails if `to` exists (where the system can tell).
    fn rename_new(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.op("rename", from)?;
        #[cfg(target_os = "linux")]
        if self.exchange_allowed() {
            use rustix::fs::{CWD, RenameFlags, renameat_with};
            use rustix::io::Errno;
            match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
                Ok(()) => return Ok(()),
                Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {}
                Err(e) => return Err(e.into()),
            }
        }
        std::fs::rename(from, to)
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        self.op("remove", path)?;
        std::fs::remove_file(path)
    }

    fn remove_dir(&self, path: &Path) -> io::Result<()> {
        self.op("remove folder", path)?;
        std::fs::remove_dir(path)
    }

    /// Removes a folder procdef made, and everything in it; a manifest
    /// last, so that a build cut short in its removal is still known as
    /// one.
    fn remove_tree(&self, dir: &Path) -> io::Result<()> {
        let mut entries = self.list(dir)?;
        entries.sort_by_key(|(name, _)| name == MANIFEST);
        for (name, kind) in entries {
            let path = dir.join(name);
            if kind == Kind::Dir {
                self.remove_tree(&path)?;
            } else {
                self.remove_file(&path)?;
            }
        }
        self.remove_dir(dir)
    }

    /// Takes the lock of builds beside `dir`'s entries, waiting for another
    /// build that holds it. `None` where no lock can be had.
    fn lock(&self, dir: &Path) -> io::Result<Option<File>> {
        self.op("lock", dir)?;
        lock(dir)
    }
}

#[cfg(target_os = "linux")]
fn lock(dir: &Path) -> io::Result<Option<File>> {
    use rustix::fs::{FlockOperation, flock};
    use rustix::io::Errno;
    let file = File::open(dir)?;
    match flock(&file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(Some(file)),
        Err(Errno::WOULDBLOCK) => {
            eprintln!("procdef: waiting for another build in {}", dir.display());
            flock(&file, FlockOperation::LockExclusive)?;
            Ok(Some(file))
        }
        // A file system without locks (some network ones).
        Err(_) => Ok(None),
    }
}

#[cfg(not(target_os = "linux"))]
fn lock(_: &Path) -> io::Result<Option<File>> {
    Ok(None)
}

/// Swaps two folders in one step, where the system can (Linux's
/// `renameat2` with `RENAME_EXCHANGE`); `Ok(false)` where it cannot, so the
/// caller falls back to two renames.
pub fn exchange_folders(a: &Path, b: &Path) -> io::Result<bool> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        use rustix::io::Errno;
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(true),
            Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

/// Flushes a folder's entries (new names, renames) to disk, where the
/// system can.
pub fn sync_folder(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(path)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn kind_of(t: std::fs::FileType) -> Kind {
    if t.is_symlink() {
        Kind::Link
    } else if t.is_dir() {
        Kind::Dir
    } else if t.is_file() {
        Kind::File
    } else {
        Kind::Other
    }
}

/// The SHA-256 of `bytes`, in lowercase hex.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// What a build of `outputs` leaves in its folder: every folder (`None`)
/// and file (its bytes) by its `/`-separated path, the manifest included.
/// For the tests and the fuzz target, which compare folders with it.
#[cfg(any(test, fuzzing))]
pub fn built_tree(outputs: &[Output]) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    for o in outputs {
        let mut at = 0;
        while let Some(i) = o.path[at..].find('/') {
            out.insert(o.path[..at + i].to_string(), None);
            at += i + 1;
        }
        out.insert(o.path.clone(), Some(o.contents.clone().into_bytes()));
    }
    out.insert(MANIFEST.to_string(), Some(manifest(outputs).into_bytes()));
    out
}

/// The manifest of `outputs`: one `<sha256>  <path>` line per file, sorted
/// by path, as `sha256sum` writes and `sha256sum -c` reads.
pub fn manifest(outputs: &[Output]) -> String {
    let mut lines: Vec<(&str, String)> =
        outputs.iter().map(|o| (o.path.as_str(), sha256(o.contents.as_bytes()))).collect();
    lines.sort();
    lines.iter().map(|(path, hash)| format!("{hash}  {path}\n")).collect()
}

/// A manifest's files and their hashes, or the number of the first line
/// that is not `<sha256>  <path>`.
pub fn parse_manifest(text: &str) -> Result<BTreeMap<String, String>, usize> {
    let mut files = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let ok = line.split_once("  ").filter(|(hash, path)| {
            hash.len() == 64
                && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
                && !path.is_empty()
                && !path.starts_with('\\')
        });
        let Some((hash, path)) = ok else { return Err(i + 1) };
        files.insert(path.to_string(), hash.to_string());
    }
    Ok(files)
}

/// Why a folder may not be replaced: the path (relative to the folder) and
/// what is wrong with it.
type Foreign = (PathBuf, &'static str);

/// The first file below `dir` (depth first, by name), or its first empty
/// folder; `dir` is not empty.
fn first_file(fs: &Fs, dir: &Path, relative: PathBuf) -> io::Result<PathBuf> {
    let entries = fs.list(&dir.join(&relative))?;
    if let Some((name, _)) = entries.iter().find(|(_, kind)| *kind != Kind::Dir) {
        return Ok(relative.join(name));
    }
    match entries.first() {
        Some((name, _)) => {
            let below = relative.join(name);
            first_file(fs, dir, below)
        }
        None => Ok(relative),
    }
}

/// The first thing in `dir` that replacing it would lose: a file, folder or
/// link its manifest does not list, a listed file whose content changed,
/// or anything at all when it has no manifest.
pub fn foreign(fs: &Fs, dir: &Path) -> io::Result<Option<Foreign>> {
    let entries = fs.list(dir)?;
    if entries.is_empty() {
        return Ok(None);
    }
    if !entries.iter().any(|(name, kind)| name == MANIFEST && *kind == Kind::File) {
        return Ok(Some((first_file(fs, dir, PathBuf::new())?, "no-manifest")));
    }
    let text = fs.read(&dir.join(MANIFEST))?;
    let files = match std::str::from_utf8(&text).map_err(|_| 1).and_then(parse_manifest) {
        Ok(f) => f,
        Err(_) => return Ok(Some((PathBuf::from(MANIFEST), "bad-manifest"))),
    };
    let mut folders = BTreeSet::new();
    for path in files.keys() {
        let mut at = 0;
        while let Some(i) = path[at..].find('/') {
            folders.insert(path[..at + i].to_string());
            at += i + 1;
        }
    }
    walk_foreign(fs, dir, "", &files, &folders)
}

fn walk_foreign(
    fs: &Fs,
    dir: &Path,
    prefix: &str,
    files: &BTreeMap<String, String>,
    folders: &BTreeSet<String>,
) -> io::Result<Option<Foreign>> {
    for (name, kind) in fs.list(dir)? {
        let Some(text) = name.to_str() else { return Ok(Some((Path::new(prefix).join(&name), "not-written"))) };
        let path = dir.join(text);
        let name = text;
        if prefix.is_empty() && name == MANIFEST && kind == Kind::File {
            continue;
        }
        let relative = format!("{prefix}{name}");
        match kind {
            Kind::Dir if folders.contains(&relative) => {
                if let Some(found) = walk_foreign(fs, &path, &format!("{relative}/"), files, folders)? {
                    return Ok(Some(found));
                }
            }
            Kind::File => match files.get(&relative) {
                Some(hash) if *hash == sha256(&fs.read(&path)?) => {}
                Some(_) => return Ok(Some((PathBuf::from(relative), "changed"))),
                None => return Ok(Some((PathBuf::from(relative), "not-written"))),
            },
            _ => return Ok(Some((PathBuf::from(relative), "not-written"))),
        }
    }
    Ok(None)
}

/// The refusal for what [`foreign`] found.
fn refusal(out: &Path, found: &Foreign, during: bool) -> String {
    let (path, why) = found;
    let path = out.join(path);
    let path = path.display();
    let what = match *why {
        "no-manifest" => format!(
            "it holds {path}, which procdef did not write: the folder is not empty and has no {MANIFEST}, \
             so it is not a procdef build"
        ),
        "bad-manifest" => format!("its manifest {path} is not one procdef wrote"),
        "changed" => format!("{path} changed since procdef wrote it"),
        _ => format!("it holds {path}, which procdef did not write"),
    };
    let when = if during { " (it appeared while the build was written)" } else { "" };
    format!(
        "{what}{when}; nothing was changed. Build into a new or empty folder, or move that file away \
         (procdef replaces its output folder as a whole)"
    )
}

/// The output folder, resolved: its parent folder (absolute, links
/// resolved) and its name there.
fn resolve(fs: &Fs, out: &Path) -> Result<(PathBuf, OsString), String> {
    let io = |e: io::Error| e.to_string();
    let full = match fs.kind(out).map_err(io)? {
        Some(Kind::Dir) => fs.canonicalize(out).map_err(io)?,
        Some(Kind::Link) => {
            let target = fs
                .canonicalize(out)
                .map_err(|e| format!("it is a symbolic link, and its target cannot be reached ({e})"))?;
            if fs.kind(&target).map_err(io)? != Some(Kind::Dir) {
                return Err(format!("it is a symbolic link to {}, which is not a folder", target.display()));
            }
            target
        }
        Some(_) => return Err("it exists and is not a folder".into()),
        None => {
            let Some(name) = out.file_name() else { return Err("that path does not name a folder".into()) };
            let parent = match out.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            fs.create_dir_all(parent).map_err(io)?;
            fs.canonicalize(parent).map_err(io)?.join(name)
        }
    };
    if full.parent().is_none() {
        return Err("it is the root folder".into());
    }
    if std::env::current_dir().and_then(std::fs::canonicalize).is_ok_and(|cwd| cwd.starts_with(&full)) {
        return Err("it is the current folder, or holds it; run procdef from outside it".into());
    }
    match (full.parent(), full.file_name()) {
        (Some(parent), Some(name)) => {
            if name.to_string_lossy().starts_with(".procdef-") {
                return Err("names starting with `.procdef-` are procdef's own; choose another folder".into());
            }
            Ok((parent.to_path_buf(), name.to_os_string()))
        }
        _ => Err("it is the root folder".into()),
    }
}

/// A new folder `<prefix><pid>-<n>` in `parent`.
fn fresh_dir(fs: &Fs, parent: &Path, prefix: &str) -> io::Result<PathBuf> {
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    for n in 0..100u32 {
        let path = parent.join(format!("{prefix}{}-{:08x}", std::process::id(), seed.wrapping_add(n)));
        match fs.create_dir(&path) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            other => return other.map(|()| path),
        }
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, "no free name for a staging folder"))
}

/// Removes what interrupted builds left in `parent` (under the lock, so none
/// of it belongs to a running build), putting back an output folder that a
/// two-rename swap had moved away. Fails only when `parent` cannot be
/// listed; what cannot be removed is told in the notes.
pub fn recover(fs: &Fs, parent: &Path) -> io::Result<Vec<String>> {
    let mut notes = Vec::new();
    for (name, kind) in fs.list(parent)? {
        let text = name.to_string_lossy();
        let path = parent.join(&name);
        if kind != Kind::Dir {
            continue;
        }
        let done = if text.starts_with(STAGING) {
            recover_staging(fs, &path)
        } else if text.starts_with(OLD) {
            recover_old(fs, parent, &path)
        } else {
            Ok(None)
        };
        match done {
            Ok(note) => notes.extend(note),
            Err(e) => notes.push(format!("could not remove {}, left by an interrupted build: {e}", path.display())),
        }
    }
    Ok(notes)
}

/// `.procdef-build-*`: a build cut short, or the build a swap replaced,
/// removed unless its complete manifest shows a file procdef did not write
/// (one that appeared in the old build during the swap).
fn recover_staging(fs: &Fs, path: &Path) -> io::Result<Option<String>> {
    if fs.kind(&path.join(MANIFEST))? == Some(Kind::File) {
        if let Some((file, why @ ("not-written" | "changed"))) = foreign(fs, path)? {
            return Ok(Some(left_alone(path, &file, why)));
        }
    }
    fs.remove_tree(path)?;
    Ok(Some(format!("removed {}, left by an interrupted build", path.display())))
}

/// The note for a leftover kept because `file` in it is not procdef's
/// (`why`, as [`foreign`] gives it).
fn left_alone(leftover: &Path, file: &Path, why: &str) -> String {
    let what = if why == "changed" { "changed since procdef wrote it" } else { "procdef did not write" };
    format!(
        "left {} alone: its {} {what}; move what you want to keep out of it, then remove it",
        leftover.display(),
        file.display()
    )
}

/// `.procdef-old-*/<name>`: the old build of `<name>`, checked before it
/// was moved there. Anything else there is left alone.
fn recover_old(fs: &Fs, parent: &Path, holder: &Path) -> io::Result<Option<String>> {
    let inside = fs.list(holder)?;
    if inside.is_empty() {
        fs.remove_dir(holder)?;
        return Ok(Some(format!("removed {}, left by an interrupted build", holder.display())));
    }
    let [(held, Kind::Dir)] = inside.as_slice() else { return Ok(None) };
    let old = holder.join(held);
    let contents = fs.list(&old)?;
    if !(contents.is_empty() || contents.iter().any(|(n, k)| n == MANIFEST && *k == Kind::File)) {
        return Ok(None);
    }
    let home = parent.join(held);
    if fs.kind(&home)?.is_none() {
        fs.rename(&old, &home)?;
        fs.sync_dir(parent)?;
        fs.remove_dir(holder)?;
        Ok(Some(format!("put {} back, which an interrupted build had moved away", home.display())))
    } else {
        // Its folder is back: this old build goes, unless a file appeared
        // in it or changed while it was being swapped out.
        if let Some((file, why)) = foreign(fs, &old)? {
            return Ok(Some(left_alone(holder, &file, why)));
        }
        fs.remove_tree(holder)?;
        Ok(Some(format!("removed {}, left by an interrupted build", holder.display())))
    }
}

/// Checks that every output path stays inside the folder.
fn safe_path(path: &str) -> bool {
    !path.is_empty()
        && path != MANIFEST
        && path.split('/').all(|p| !p.is_empty() && p != "." && p != ".." && !p.contains(['\\', '\0']))
}

/// Writes `outputs` as the folder `out`, all or nothing.
pub fn write(fs: &Fs, out: &Path, outputs: &[Output]) -> Result<Written, String> {
    let kept = "; the previous contents were left as they were";
    let (parent, name) = resolve(fs, out).map_err(|e| format!("{e}{kept}"))?;
    let target = parent.join(&name);
    if let Some(bad) = outputs.iter().find(|o| !safe_path(&o.path)) {
        return Err(format!("the output path {:?} would leave the folder; nothing was written", bad.path));
    }
    let lock = fs.lock(&parent).map_err(|e| format!("cannot lock {}: {e}{kept}", parent.display()))?;
    let mut notes = Vec::new();
    if lock.is_some() {
        notes.extend(recover(fs, &parent).map_err(|e| format!("cannot list {}: {e}{kept}", parent.display()))?);
    }
    let exists = match fs.kind(&target).map_err(|e| format!("{e}{kept}"))? {
        None => false,
        Some(Kind::Dir) => {
            if fs.mount_point(&target, &parent).map_err(|e| format!("{e}{kept}"))? {
                return Err(format!(
                    "it is a mount point (another file system is mounted there), and procdef replaces the \
                     output folder whole, which cannot be done to a mount point; build into a folder inside \
                     it, such as {}{kept}",
                    out.join("out").display()
                ));
            }
            if let Some(found) = foreign(fs, &target).map_err(|e| format!("{e}{kept}"))? {
                return Err(refusal(out, &found, false));
            }
            true
        }
        Some(_) => return Err(format!("it is no longer a folder{kept}")),
    };

    let staging = fresh_dir(fs, &parent, STAGING).map_err(|e| format!("{e}{kept}"))?;
    if let Err(e) = stage(fs, &staging, outputs) {
        let left = fs
            .remove_tree(&staging)
            .err()
            .map(|_| format!(" ({} is left; the next build removes it)", staging.display()));
        return Err(format!("{e}{kept}{}", left.unwrap_or_default()));
    }

    // The folder keeps its owner and permissions (a private `chmod 700`
    // output stays private).
    if exists {
        if let Err(e) = fs.keep_owner_and_mode(&target, &staging) {
            return Err(discard(fs, &staging, e, kept));
        }
    }

    if !exists {
        fs.rename_new(&staging, &target).map_err(|e| discard(fs, &staging, e, kept))?;
        if let Err(e) = fs.sync_dir(&parent) {
            return Err(match fs.rename(&target, &staging) {
                Ok(()) => discard(fs, &staging, e, kept),
                Err(_) => format!("{e}; the new build is in place, but may not be on disk yet"),
            });
        }
        return Ok(Written { folder: target, notes });
    }

    match fs.exchange(&staging, &target) {
        Err(e) => Err(discard(fs, &staging, e, kept)),
        Ok(true) => {
            // `staging` now holds the old build.
            let check = fs.sync_dir(&parent).map_err(|e| e.to_string()).and_then(|()| match foreign(fs, &staging) {
                Ok(None) => Ok(()),
                Ok(Some(found)) => Err(refusal(out, &found, true)),
                Err(e) => Err(e.to_string()),
            });
            if let Err(why) = check {
                if let Err(e) = fs.exchange(&staging, &target) {
                    return Err(not_put_back(&why, &e, &staging));
                }
                let _ = fs.sync_dir(&parent);
                return Err(discard_msg(fs, &staging, &why, kept));
            }
            if fs.remove_tree(&staging).is_err() {
                notes.push(format!(
                    "could not remove the previous build, now in {}; the next build removes it",
                    staging.display()
                ));
            }
            Ok(Written { folder: target, notes })
        }
        Ok(false) => {
            let holder = fresh_dir(fs, &parent, OLD).map_err(|e| discard(fs, &staging, e, kept))?;
            let old = holder.join(&name);
            if let Err(e) = fs.rename(&target, &old) {
                let _ = fs.remove_dir(&holder);
                return Err(discard(fs, &staging, e, kept));
            }
            let swapped = fs.rename(&staging, &target).map_err(|e| (e.to_string(), false)).and_then(|()| {
                let check = fs.sync_dir(&parent).map_err(|e| e.to_string()).and_then(|()| match foreign(fs, &old) {
                    Ok(None) => Ok(()),
                    Ok(Some(found)) => Err(refusal(out, &found, true)),
                    Err(e) => Err(e.to_string()),
                });
                check.map_err(|why| (why, true))
            });
            if let Err((why, moved)) = swapped {
                if moved {
                    if let Err(e) = fs.rename(&target, &staging) {
                        return Err(not_put_back(&why, &e, &old));
                    }
                }
                if let Err(e) = fs.rename(&old, &target) {
                    return Err(format!(
                        "{why}; the previous build could not be put back ({e}): it is in {} \
                         (the next build puts it back)",
                        old.display()
                    ));
                }
                let _ = fs.sync_dir(&parent);
                let _ = fs.remove_dir(&holder);
                return Err(discard_msg(fs, &staging, &why, kept));
            }
            if fs.remove_tree(&holder).is_err() {
                notes.push(format!(
                    "could not remove the previous build, now in {}; the next build removes it",
                    holder.display()
                ));
            }
            Ok(Written { folder: target, notes })
        }
    }
}

/// The new build is in place, and the old one, at `old`, could not be put
/// back: the next build removes it, unless it is not all procdef's.
fn not_put_back(why: &str, e: &io::Error, old: &Path) -> String {
    let next = if why.contains("appeared while the build was written") {
        "move that file out of it before you build again"
    } else {
        "the next build removes it"
    };
    format!(
        "{why}; the new build is in place, and the previous one could not be put back ({e}): it is in {}; {next}",
        old.display()
    )
}

/// Removes the staging folder after a failure, and says so.
fn discard(fs: &Fs, staging: &Path, e: io::Error, kept: &str) -> String {
    discard_msg(fs, staging, &e.to_string(), kept)
}

fn discard_msg(fs: &Fs, staging: &Path, why: &str, kept: &str) -> String {
    let kept = if why.contains("nothing was changed") { "" } else { kept };
    match fs.remove_tree(staging) {
        Ok(()) => format!("{why}{kept}"),
        Err(_) => format!("{why}{kept} ({} is left; the next build removes it)", staging.display()),
    }
}

/// Writes every output and the manifest into `staging`, and syncs them all.
fn stage(fs: &Fs, staging: &Path, outputs: &[Output]) -> io::Result<()> {
    let mut folders: BTreeSet<PathBuf> = BTreeSet::new();
    let mut sorted: Vec<&Output> = outputs.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    for o in sorted {
        let mut path = staging.to_path_buf();
        let parts: Vec<&str> = o.path.split('/').collect();
        for dir in &parts[..parts.len() - 1] {
            path.push(dir);
            if folders.insert(path.clone()) {
                fs.create_dir(&path)?;
            }
        }
        path.push(parts[parts.len() - 1]);
        fs.write_new(&path, o.contents.as_bytes())?;
    }
    // Written under another name and renamed, so that a staging folder
    // with a manifest holds the whole build.
    let part = staging.join(format!("{MANIFEST}.part"));
    fs.write_new(&part, manifest(outputs).as_bytes())?;
    fs.rename(&part, &staging.join(MANIFEST))?;
    // Deepest first, the staging folder last.
    for dir in folders.iter().rev() {
        fs.sync_dir(dir)?;
    }
    fs.sync_dir(staging)
}
