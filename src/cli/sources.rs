//! The files of a compilation: the disk behind `use`, the root folder,
//! and the diagnostics split by the file they are in.

use super::files;
use procdef::Compiled;
use procdef::diagnostics::Diagnostic;
use procdef::span::FileId;
use std::io;
use std::path::{Path, PathBuf};

/// The disk, as the library reads it for `use`.
pub struct Disk;

impl procdef::project::FileSystem for Disk {
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        if std::fs::metadata(path)?.is_dir() {
            return Err(io::Error::from(io::ErrorKind::IsADirectory));
        }
        files::read(path).map_err(io::Error::other)
    }
}

/// The root folder of `file` (LANGUAGE.md §5.1): the folder of the nearest
/// `procdef.toml` above it, else its own folder. `file` is canonical.
pub fn root_of(file: &Path) -> PathBuf {
    let folder = file.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    folder
        .ancestors()
        .find(|f| f.join(super::config::FILE_NAME).symlink_metadata().is_ok())
        .map_or_else(|| folder.clone(), Path::to_path_buf)
}

/// Checks the file at `path`, whose bytes are given, with the libraries
/// it uses.
pub fn compile(path: &Path, bytes: &[u8]) -> Compiled {
    let entry = std::fs::canonicalize(path).unwrap_or_else(|_| std::path::absolute(path).unwrap_or(path.to_path_buf()));
    let root = root_of(&entry);
    procdef::compile_project(&Disk, &root, &entry, bytes, &procdef::Options { lang: super::chosen_lang() })
}

/// The diagnostics of one file of a compilation.
#[derive(Debug, Clone)]
pub struct FileDiagnostics {
    /// The file's id in the compilation it came from.
    pub file: FileId,
    /// The path for people.
    pub name: String,
    /// The path as it is, for JSON and SARIF.
    pub path: String,
    /// The canonical path: one file reached from several processes is
    /// reported once.
    pub key: PathBuf,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Splits `diagnostics` (of `compiled`, for the file given at `path`) by
/// file: the file given first, then each library with diagnostics. A
/// related place in another file becomes a line of the help, since a
/// report shows one file's text at a time.
pub fn by_file(path: &Path, compiled: &Compiled, diagnostics: Vec<Diagnostic>) -> Vec<FileDiagnostics> {
    let library_path = |file: FileId| compiled.libraries.iter().find(|s| s.id == file).map(|s| s.path.clone());
    let shown_path = |file: FileId| -> PathBuf {
        if file == FileId::ROOT {
            return path.to_path_buf();
        }
        let lib = library_path(file).unwrap_or_default();
        relative_to_cwd(&lib)
    };
    let mut out = vec![FileDiagnostics {
        file: FileId::ROOT,
        name: files::display(path),
        path: path.to_string_lossy().into_owned(),
        key: std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        text: compiled.text.clone(),
        diagnostics: Vec::new(),
    }];
    for mut d in diagnostics {
        let file = d.span.file;
        let mut moved = Vec::new();
        d.related.retain(|r| {
            if r.span.file == file {
                return true;
            }
            let text = compiled.text_of(r.span.file);
            let at = procdef::span::LineIndex::new(text).line_col(text, r.span.start);
            moved.push(format!("{}: {}:{}:{}", r.label, files::display(shown_path(r.span.file)), at.line, at.column));
            false
        });
        if !moved.is_empty() {
            let note = moved.join("; ");
            d.help = Some(match d.help.take() {
                Some(help) => format!("{help} ({note})"),
                None => note,
            });
        }
        // One compilation's file ids name its files.
        let index = match out.iter().position(|f| f.file == file) {
            Some(i) => i,
            None => {
                let shown = shown_path(file);
                out.push(FileDiagnostics {
                    file,
                    name: files::display(&shown),
                    path: shown.to_string_lossy().into_owned(),
                    key: library_path(file).unwrap_or_default(),
                    text: compiled.text_of(file).to_string(),
                    diagnostics: Vec::new(),
                });
                out.len() - 1
            }
        };
        out[index].diagnostics.push(d);
    }
    out
}

/// A canonical path as the user would write it: relative to the working
/// folder when it is below it.
pub fn relative_to_cwd(path: &Path) -> PathBuf {
    let cwd = std::env::current_dir().ok().and_then(|c| std::fs::canonicalize(c).ok());
    match cwd.as_deref().and_then(|c| path.strip_prefix(c).ok()) {
        Some(relative) => relative.to_path_buf(),
        None => path.to_path_buf(),
    }
}

/// The readable report of `diagnostics`, each with the text of its file
/// among `files`.
pub fn human(files: &[FileDiagnostics], diagnostics: &[Diagnostic], style: procdef::report::HumanStyle) -> String {
    files
        .iter()
        .filter_map(|f| {
            let mine: Vec<Diagnostic> = diagnostics.iter().filter(|d| d.span.file == f.file).cloned().collect();
            (!mine.is_empty()).then(|| procdef::report::human(&f.name, &f.text, &mine, style))
        })
        .collect()
}
