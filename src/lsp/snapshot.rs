//! Compiling the open documents on the worker thread: one [`Snapshot`]
//! per document, which every query reads.

use super::position::{Encoding, Lines};
use super::{Host, uri_of};
use crate::Compiled;
use crate::ast;
use crate::diagnostics::{Diagnostic, Severity};
use crate::project::FileSystem;
use crate::span::{FileId, Span};
use crate::syntax::{self, Parsed};
use crossbeam_channel::{Receiver, Sender};
use lsp_types::{self as lsp, Url};
use std::collections::HashMap;
use std::io;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A document to compile, as it was when the job was made.
pub(crate) struct Wanted {
    pub uri: Url,
    pub path: PathBuf,
    pub version: i32,
    pub text: Arc<String>,
}

pub(crate) struct Job {
    pub documents: Vec<Wanted>,
    /// The text of every open document, by path: what `use` reads first.
    pub open: Arc<HashMap<PathBuf, Arc<String>>>,
    /// How the published diagnostics count columns.
    pub encoding: Encoding,
}

pub(crate) type Outcome = Result<Snapshot, (Url, String)>;

/// One file of a compilation, as the editor addresses it.
pub(crate) struct FileInfo {
    pub uri: Option<Url>,
    pub path: PathBuf,
    /// The text the editor has (a byte-order mark included).
    pub text: Arc<String>,
    /// Bytes before the text the spans count from (a byte-order mark).
    pub shift: usize,
    pub lines: Lines,
}

impl FileInfo {
    /// The editor's byte offset of a span offset.
    pub fn offset(&self, span_offset: usize) -> usize {
        span_offset + self.shift
    }

    /// The span offset of an editor's byte offset.
    pub fn span_offset(&self, offset: usize) -> usize {
        offset.saturating_sub(self.shift)
    }

    pub fn range(&self, span: Span, encoding: Encoding) -> lsp::Range {
        self.lines.range(&self.text, self.offset(span.start), self.offset(span.end), encoding)
    }
}

/// A document compiled: what every query reads.
pub(crate) struct Snapshot {
    pub uri: Url,
    pub version: i32,
    pub compiled: Compiled,
    /// Every well-formed item of each file, also of a file with syntax
    /// errors: the document first, then its libraries (with the libraries
    /// a broken document names, which its compilation did not read).
    pub trees: Vec<(FileId, ast::File)>,
    /// Indexed by file id: the document, then its libraries.
    pub files: Vec<FileInfo>,
    /// The diagnostics to publish, by the document they are in.
    pub published: Vec<(Url, Vec<lsp::Diagnostic>)>,
}

impl Snapshot {
    pub fn file(&self, id: FileId) -> Option<&FileInfo> {
        self.files.get(id.index())
    }

    pub fn root(&self) -> &FileInfo {
        &self.files[0]
    }

    /// The file id of the document `uri` in this compilation.
    pub fn file_of(&self, uri: &Url) -> Option<FileId> {
        self.files.iter().position(|f| f.uri.as_ref() == Some(uri)).map(|i| FileId(i as u32))
    }

    /// Whether the compilation read `path` as a library.
    pub fn uses(&self, path: &Path) -> bool {
        self.files.iter().skip(1).any(|f| f.path == path)
    }

    /// The documents this compilation has diagnostics for.
    pub fn diagnostic_uris(&self) -> impl Iterator<Item = Url> + '_ {
        self.published.iter().map(|(u, _)| u.clone())
    }

    pub fn diagnostics_of(&self, uri: &Url) -> &[lsp::Diagnostic] {
        self.published.iter().find(|(u, _)| u == uri).map_or(&[], |(_, d)| d.as_slice())
    }

    /// The location of a span.
    pub fn location(&self, span: Span, encoding: Encoding) -> Option<lsp::Location> {
        let file = self.file(span.file)?;
        Some(lsp::Location { uri: file.uri.clone()?, range: file.range(span, encoding) })
    }
}

/// The worker: compiles each job's documents in turn until the server
/// goes away.
pub(crate) fn work(jobs: Receiver<Job>, done: Sender<Vec<Outcome>>, host: Arc<dyn Host>) {
    while let Ok(job) = jobs.recv() {
        // Only the newest text of a document matters: later jobs replace
        // earlier ones still waiting.
        let mut job = job;
        while let Ok(newer) = jobs.try_recv() {
            let mut documents = newer.documents;
            for old in job.documents {
                if !documents.iter().any(|d| d.uri == old.uri) {
                    documents.push(old);
                }
            }
            job = Job { documents, open: newer.open, encoding: newer.encoding };
        }
        let outcomes = job
            .documents
            .into_iter()
            .map(|wanted| {
                let uri = wanted.uri.clone();
                std::panic::catch_unwind(AssertUnwindSafe(|| compile(&*host, &job.open, wanted, job.encoding)))
                    .map_err(|_| (uri, "the check failed".to_string()))
            })
            .collect();
        if done.send(outcomes).is_err() {
            return;
        }
    }
}

/// The open documents over the host's files.
struct Overlay<'a> {
    host: &'a dyn Host,
    open: &'a HashMap<PathBuf, Arc<String>>,
}

impl FileSystem for Overlay<'_> {
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        match self.host.canonicalize(path) {
            Ok(p) => Ok(p),
            Err(e) => {
                let normal = normalize(path);
                if self.open.contains_key(&normal) { Ok(normal) } else { Err(e) }
            }
        }
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.open.get(path) {
            Some(text) => Ok(text.as_bytes().to_vec()),
            None => self.host.read(path),
        }
    }
}

/// `a/./b/../c` as `a/c`, without asking the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn compile(host: &dyn Host, open: &HashMap<PathBuf, Arc<String>>, wanted: Wanted, encoding: Encoding) -> Snapshot {
    let fs = Overlay { host, open };
    let root = host.root_of(&wanted.path);
    let compiled =
        crate::compile_project(&fs, &root, &wanted.path, wanted.text.as_bytes(), &crate::Options { lang: host.lang() });
    let mut trees = vec![(FileId::ROOT, whole_tree(syntax::parse(&compiled.text)))];
    for source in &compiled.libraries {
        if let Some(parsed) = &source.parsed {
            trees.push((source.id, whole_tree(parsed.clone())));
        }
    }
    if compiled.libraries.is_empty() {
        // A broken document's libraries, read for completion's sake.
        let uses: Vec<String> = trees[0]
            .1
            .processes
            .iter()
            .flat_map(|p| &p.items)
            .filter_map(|i| match i {
                ast::ProcessItem::Use(u) => Some(u.path.value.clone()),
                _ => None,
            })
            .collect();
        let folder = wanted.path.parent().map(Path::to_path_buf).unwrap_or_default();
        for written in uses {
            let Ok(path) = fs.canonicalize(&folder.join(&written)) else { continue };
            if !path.starts_with(&root) {
                continue;
            }
            if let Ok(bytes) = fs.read(&path)
                && let Ok(text) = String::from_utf8(bytes)
            {
                trees.push((FileId(u32::MAX), whole_tree(syntax::parse_file(&text, FileId(u32::MAX)))));
            }
        }
    }
    let shift = wanted.text.len().saturating_sub(compiled.text.len()).min(3);
    let mut files = vec![FileInfo {
        uri: Some(wanted.uri.clone()),
        path: wanted.path.clone(),
        lines: Lines::new(&wanted.text),
        text: wanted.text.clone(),
        shift,
    }];
    for source in &compiled.libraries {
        let text = open.get(&source.path).cloned().unwrap_or_else(|| Arc::new(source.text.clone()));
        let shift = text.len().saturating_sub(source.text.len()).min(3);
        files.push(FileInfo {
            uri: uri_of(&source.path),
            path: source.path.clone(),
            lines: Lines::new(&text),
            text,
            shift,
        });
    }
    let mut diagnostics = compiled.diagnostics.clone();
    let mut config_error = None;
    match host.rule_config(&wanted.path) {
        Ok(config) => diagnostics = config.apply(diagnostics),
        Err(e) => config_error = Some(e),
    }
    let mut published: Vec<(Url, Vec<lsp::Diagnostic>)> = vec![(wanted.uri.clone(), Vec::new())];
    for d in &diagnostics {
        let Some(uri) = files.get(d.span.file.index()).and_then(|f| f.uri.clone()) else { continue };
        let converted = convert(d, &files, encoding);
        match published.iter_mut().find(|(u, _)| *u == uri) {
            Some((_, list)) => list.push(converted),
            None => published.push((uri, vec![converted])),
        }
    }
    if let Some(message) = config_error {
        published[0].1.push(lsp::Diagnostic {
            range: lsp::Range::default(),
            severity: Some(lsp::DiagnosticSeverity::ERROR),
            source: Some("procdef".into()),
            message,
            ..Default::default()
        });
    }
    Snapshot { uri: wanted.uri, version: wanted.version, compiled, trees, files, published }
}

/// A parse's tree with its one process or library put back.
fn whole_tree(parsed: Parsed) -> ast::File {
    let mut tree = parsed.tree;
    tree.processes.extend(parsed.process);
    tree.libraries.extend(parsed.library);
    tree
}

/// The address of a rule's documentation.
pub(crate) fn rule_href(code: crate::diagnostics::Code) -> Option<Url> {
    Url::parse(&format!(
        "{}/blob/main/docs/diagnostics.md#{}",
        env!("CARGO_PKG_REPOSITORY"),
        code.as_str().to_lowercase()
    ))
    .ok()
}

fn convert(d: &Diagnostic, files: &[FileInfo], encoding: Encoding) -> lsp::Diagnostic {
    let file = &files[d.span.file.index()];
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let mut related = Vec::new();
    if let Some(label) = &d.label
        && let Some(uri) = &file.uri
    {
        related.push(lsp::DiagnosticRelatedInformation {
            location: lsp::Location { uri: uri.clone(), range: file.range(d.span, encoding) },
            message: label.clone(),
        });
    }
    for r in &d.related {
        if let Some(f) = files.get(r.span.file.index())
            && let Some(uri) = &f.uri
        {
            related.push(lsp::DiagnosticRelatedInformation {
                location: lsp::Location { uri: uri.clone(), range: f.range(r.span, encoding) },
                message: r.label.clone(),
            });
        }
    }
    lsp::Diagnostic {
        range: file.range(d.span, encoding),
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        }),
        code: Some(lsp::NumberOrString::String(d.code.as_str().to_string())),
        code_description: rule_href(d.code).map(|href| lsp::CodeDescription { href }),
        source: Some("procdef".into()),
        message,
        related_information: if related.is_empty() { None } else { Some(related) },
        tags: None,
        data: None,
    }
}
