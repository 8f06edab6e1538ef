//! `procdef lsp`: the language server (docs/editors.md).
//!
//! Synchronous, on `lsp-server`: the main loop takes every message in
//! order, applies edits to the open documents at once, and answers queries
//! on the latest compiled snapshot of each document. Compiling runs on one
//! worker thread, after a short pause in the typing (newest text wins), so
//! that a large file never holds up the answers to other requests. A
//! handler that panics answers with an error and the server goes on. The
//! server never writes a file: edits go back to the editor.
//!
//! The module is pure over a [`Connection`] and a [`Host`] (the disk and
//! `procdef.toml` behind the open documents), so the tests drive it in
//! memory; `procdef lsp` starts it on stdio.

mod fixes;
mod names;
pub mod position;
mod query;
mod snapshot;
mod text;

use crate::config::RuleConfig;
use crate::project::FileSystem;
use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{self as lsp, Url};
use position::{Encoding, Lines};
use snapshot::Snapshot;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the server reads besides the open documents: the files behind
/// them (for `use`), the root folder of a file and its rule levels.
pub trait Host: FileSystem + Send + Sync {
    /// The root folder of `file` (LANGUAGE.md §5.1).
    fn root_of(&self, file: &Path) -> PathBuf;
    /// The rule levels for `file` (its `procdef.toml`), or why they cannot
    /// be read.
    fn rule_config(&self, file: &Path) -> Result<RuleConfig, String>;
    /// The language of the diagnostics, for every file; by default each
    /// file's own (its keyword language).
    fn lang(&self) -> Option<crate::Lang> {
        None
    }
}

/// The custom request that returns the server's text of a document, for
/// tests and for editors that want to compare.
pub const TEXT_REQUEST: &str = "procdef/text";

/// How long the server waits after a change before compiling.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

/// Runs the server on `connection` until the client shuts it down.
pub fn run(connection: Connection, host: Arc<dyn Host>) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: lsp::InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = choose_encoding(&params);
    let inlay_hints = params
        .initialization_options
        .as_ref()
        .and_then(|o| o.get("inlayHints"))
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(true);
    let refresh = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.semantic_tokens.as_ref())
        .and_then(|s| s.refresh_support)
        .unwrap_or(false);
    let result = lsp::InitializeResult {
        capabilities: capabilities(encoding),
        server_info: Some(lsp::ServerInfo { name: "procdef".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
    };
    let result = serde_json::to_value(result).map_err(|e| e.to_string())?;
    connection.initialize_finish(id, result).map_err(|e| e.to_string())?;
    let (jobs, job_rx) = crossbeam_channel::unbounded::<snapshot::Job>();
    let (done_tx, done) = crossbeam_channel::unbounded::<Vec<snapshot::Outcome>>();
    let worker_host = host.clone();
    let worker = std::thread::Builder::new()
        .name("procdef-check".into())
        .stack_size(16 << 20)
        .spawn(move || snapshot::work(job_rx, done_tx, worker_host))
        .map_err(|e| e.to_string())?;
    let mut server = Server {
        sender: connection.sender.clone(),
        world: World { encoding, inlay_hints, docs: HashMap::new(), snapshots: HashMap::new() },
        host: host.clone(),
        refresh,
        dirty: BTreeSet::new(),
        deadline: None,
        compiling: false,
        jobs,
        published: BTreeMap::new(),
        next_id: 0,
    };
    let outcome = server.run(&connection, &done);
    drop(server);
    let _ = worker.join();
    outcome
}

fn choose_encoding(params: &lsp::InitializeParams) -> Encoding {
    let offered = params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_ref());
    if offered.is_some_and(|e| e.contains(&lsp::PositionEncodingKind::UTF8)) { Encoding::Utf8 } else { Encoding::Utf16 }
}

fn capabilities(encoding: Encoding) -> lsp::ServerCapabilities {
    use lsp::*;
    ServerCapabilities {
        position_encoding: Some(match encoding {
            position::Encoding::Utf8 => PositionEncodingKind::UTF8,
            position::Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..Default::default()
        })),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".into(), ">".into(), ",".into()]),
            ..Default::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        inlay_hint_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..Default::default()
        })),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: text::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                work_done_progress_options: Default::default(),
            },
        )),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
        ..Default::default()
    }
}

/// An open document as the editor has it now.
#[derive(Clone)]
pub(crate) struct Doc {
    pub path: PathBuf,
    pub version: i32,
    pub text: Arc<String>,
    pub lines: Arc<Lines>,
}

/// What queries read: the open documents and their last snapshots. A
/// copy costs a few reference counts, so each query gets its own and
/// runs beside the main loop.
#[derive(Clone)]
pub(crate) struct World {
    pub encoding: Encoding,
    pub inlay_hints: bool,
    pub docs: HashMap<Url, Doc>,
    pub snapshots: HashMap<Url, Arc<Snapshot>>,
}

pub(crate) struct Server {
    sender: Sender<Message>,
    world: World,
    host: Arc<dyn Host>,
    refresh: bool,
    dirty: BTreeSet<Url>,
    deadline: Option<Instant>,
    compiling: bool,
    jobs: Sender<snapshot::Job>,
    /// The diagnostics last published, per document.
    published: BTreeMap<Url, Vec<lsp::Diagnostic>>,
    next_id: i32,
}

/// A failed request: the code and message of its error response.
pub(crate) struct Failure(ErrorCode, String);

impl Failure {
    pub(crate) fn invalid(message: impl Into<String>) -> Failure {
        Failure(ErrorCode::InvalidParams, message.into())
    }
}

type Answer = Result<serde_json::Value, Failure>;

impl Server {
    fn run(&mut self, connection: &Connection, done: &Receiver<Vec<snapshot::Outcome>>) -> Result<(), String> {
        loop {
            let wait = self.deadline.map_or(Duration::from_secs(3600), |d| d.saturating_duration_since(Instant::now()));
            crossbeam_channel::select! {
                recv(connection.receiver) -> message => {
                    let Ok(message) = message else { return Ok(()) };
                    match message {
                        Message::Request(request) => {
                            if connection.handle_shutdown(&request).map_err(|e| e.to_string())? {
                                return Ok(());
                            }
                            self.request(request);
                        }
                        Message::Notification(notification) => {
                            if notification.method == lsp::notification::Exit::METHOD {
                                return Ok(());
                            }
                            self.notification(notification);
                        }
                        Message::Response(_) => {}
                    }
                }
                recv(done) -> outcomes => {
                    if let Ok(outcomes) = outcomes {
                        self.compiling = false;
                        self.install(outcomes);
                    }
                }
                default(wait) => {}
            }
            if !self.compiling && !self.dirty.is_empty() && self.deadline.is_none_or(|d| d <= Instant::now()) {
                self.start_compile();
            }
        }
    }

    fn send(&self, message: Message) {
        let _ = self.sender.send(message);
    }

    /// Answers a request beside the main loop, on a copy of the world as
    /// it is now (every edit before the request applied).
    fn request(&mut self, request: Request) {
        let world = self.world.clone();
        let sender = self.sender.clone();
        // A thread of its own, not a pool's: a few slow requests (the
        // semantic tokens of a huge file) cannot take every thread there is.
        let job = move || {
            let response = respond(&world, request);
            let _ = sender.send(Message::Response(response));
        };
        let shared = Arc::new(std::sync::Mutex::new(Some(job)));
        let mine = shared.clone();
        let spawned = std::thread::Builder::new().name("procdef-query".into()).spawn(move || {
            if let Some(job) = mine.lock().ok().and_then(|mut j| j.take()) {
                job();
            }
        });
        if spawned.is_err() {
            // No thread to be had: answer here.
            if let Some(job) = shared.lock().ok().and_then(|mut j| j.take()) {
                job();
            }
        }
    }

    fn notification(&mut self, notification: Notification) {
        use lsp::notification::*;
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(notification.params) {
                    self.open(p.text_document);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(notification.params) {
                    self.change(p);
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp::DidSaveTextDocumentParams>(notification.params) {
                    self.touch(&p.text_document.uri);
                    // Saving can change what another file reads from the disk.
                    let all: Vec<Url> = self.world.docs.keys().cloned().collect();
                    self.dirty.extend(all);
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(notification.params) {
                    self.close(&p.text_document.uri);
                }
            }
            DidChangeConfiguration::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp::DidChangeConfigurationParams>(notification.params) {
                    let settings = p.settings.get("procdef").unwrap_or(&p.settings);
                    if let Some(on) = settings.get("inlayHints").and_then(serde_json::Value::as_bool) {
                        self.world.inlay_hints = on;
                    }
                }
            }
            _ => {}
        }));
        if result.is_err() {
            self.log(&format!("procdef: the notification {} failed", notification.method));
        }
    }

    fn log(&self, message: &str) {
        let params = lsp::LogMessageParams { typ: lsp::MessageType::ERROR, message: message.to_string() };
        if let Ok(params) = serde_json::to_value(params) {
            self.send(Message::Notification(Notification {
                method: lsp::notification::LogMessage::METHOD.into(),
                params,
            }));
        }
    }

    fn open(&mut self, document: lsp::TextDocumentItem) {
        // Canonical, as the paths `use` reaches are.
        let path = path_of(&document.uri);
        let path = self.host.canonicalize(&path).unwrap_or(path);
        let lines = Arc::new(Lines::new(&document.text));
        let doc = Doc { path, version: document.version, text: Arc::new(document.text), lines };
        self.world.docs.insert(document.uri.clone(), doc);
        self.touch(&document.uri);
    }

    fn change(&mut self, p: lsp::DidChangeTextDocumentParams) {
        let encoding = self.world.encoding;
        let Some(doc) = self.world.docs.get_mut(&p.text_document.uri) else { return };
        for change in p.content_changes {
            let text = Arc::make_mut(&mut doc.text);
            match change.range {
                Some(range) => {
                    let (start, end) = doc.lines.span(text, range, encoding);
                    text.replace_range(start..end, &change.text);
                }
                None => *text = change.text,
            }
            doc.lines = Arc::new(Lines::new(text));
        }
        doc.version = p.text_document.version;
        self.touch(&p.text_document.uri);
    }

    fn close(&mut self, uri: &Url) {
        let Some(doc) = self.world.docs.remove(uri) else { return };
        let importers = self.importers(&doc.path);
        self.dirty.extend(importers);
        self.dirty.remove(uri);
        if let Some(old) = self.world.snapshots.remove(uri) {
            self.publish(old.diagnostic_uris().chain([uri.clone()]).collect(), &BTreeSet::new());
        }
    }

    /// Marks a document, and every open document that uses it, to be
    /// compiled after the pause.
    fn touch(&mut self, uri: &Url) {
        self.dirty.insert(uri.clone());
        if let Some(doc) = self.world.docs.get(uri) {
            let importers = self.importers(&doc.path);
            self.dirty.extend(importers);
        }
        self.deadline = Some(Instant::now() + DEBOUNCE);
    }

    /// The open documents whose last compilation read the file at `path`
    /// as a library.
    fn importers(&self, path: &Path) -> Vec<Url> {
        self.world.snapshots.iter().filter(|(_, s)| s.uses(path)).map(|(u, _)| u.clone()).collect()
    }

    fn start_compile(&mut self) {
        let open: HashMap<PathBuf, Arc<String>> =
            self.world.docs.values().map(|d| (d.path.clone(), d.text.clone())).collect();
        let mut documents = Vec::new();
        for uri in std::mem::take(&mut self.dirty) {
            if let Some(doc) = self.world.docs.get(&uri) {
                documents.push(snapshot::Wanted {
                    uri,
                    path: doc.path.clone(),
                    version: doc.version,
                    text: doc.text.clone(),
                });
            }
        }
        self.deadline = None;
        if documents.is_empty() {
            return;
        }
        if self.jobs.send(snapshot::Job { documents, open: Arc::new(open), encoding: self.world.encoding }).is_ok() {
            self.compiling = true;
        }
    }

    fn install(&mut self, outcomes: Vec<snapshot::Outcome>) {
        let mut affected = Vec::new();
        let mut own = BTreeSet::new();
        for outcome in outcomes {
            match outcome {
                Ok(snapshot) => {
                    // A document closed meanwhile keeps no snapshot.
                    if !self.world.docs.contains_key(&snapshot.uri) {
                        continue;
                    }
                    let snapshot = Arc::new(snapshot);
                    own.insert(snapshot.uri.clone());
                    affected.extend(snapshot.diagnostic_uris());
                    if let Some(old) = self.world.snapshots.insert(snapshot.uri.clone(), snapshot) {
                        affected.extend(old.diagnostic_uris());
                    }
                }
                Err((uri, message)) => self.log(&format!("procdef: checking {uri} failed: {message}")),
            }
        }
        self.publish(affected, &own);
        if self.refresh {
            self.next_id += 1;
            let id = RequestId::from(format!("refresh-{}", self.next_id));
            let request = Request::new(id, lsp::request::SemanticTokensRefresh::METHOD.into(), serde_json::Value::Null);
            self.send(Message::Request(request));
        }
    }

    /// Publishes the diagnostics of each of `uris`, gathered from every
    /// snapshot, unless a newer text of the document is about to be
    /// checked: those of `checked` (just compiled) always, the others
    /// when they changed.
    fn publish(&mut self, uris: Vec<Url>, checked: &BTreeSet<Url>) {
        let uris: BTreeSet<Url> = uris.into_iter().chain(checked.iter().cloned()).collect();
        for uri in uris {
            if self.dirty.contains(&uri)
                || self
                    .world
                    .snapshots
                    .get(&uri)
                    .is_some_and(|s| self.world.docs.get(&uri).is_some_and(|d| d.version != s.version))
            {
                continue;
            }
            let mut all: Vec<lsp::Diagnostic> = Vec::new();
            // The document's own compilation first, then what others say about it.
            let own = self.world.snapshots.get(&uri).into_iter();
            let others = self.world.snapshots.iter().filter(|(u, _)| **u != uri).map(|(_, s)| s);
            for snapshot in own.chain(others) {
                for d in snapshot.diagnostics_of(&uri) {
                    if !all.iter().any(|a| a.range == d.range && a.code == d.code && a.message == d.message) {
                        all.push(d.clone());
                    }
                }
            }
            if !checked.contains(&uri) && self.published.get(&uri) == Some(&all) {
                continue;
            }
            if self.world.docs.contains_key(&uri) || !all.is_empty() {
                self.published.insert(uri.clone(), all.clone());
            } else {
                self.published.remove(&uri);
            }
            let version = self.world.docs.get(&uri).map(|d| d.version);
            let params = lsp::PublishDiagnosticsParams { uri, diagnostics: all, version };
            if let Ok(params) = serde_json::to_value(params) {
                self.send(Message::Notification(Notification {
                    method: lsp::notification::PublishDiagnostics::METHOD.into(),
                    params,
                }));
            }
        }
    }
}

/// Answers one request; a handler that fails or panics gives an error.
fn respond(world: &World, request: Request) -> Response {
    let id = request.id.clone();
    let method = request.method.clone();
    match std::panic::catch_unwind(AssertUnwindSafe(|| answer(world, &request))) {
        Ok(Ok(value)) => Response { id, result: Some(value), error: None },
        Ok(Err(Failure(code, message))) => Response::new_err(id, code as i32, message),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Response::new_err(id, ErrorCode::InternalError as i32, format!("{method} failed: {what}"))
        }
    }
}

fn answer(world: &World, request: &Request) -> Answer {
    use lsp::request::*;
    fn params<P: serde::de::DeserializeOwned>(request: &lsp_server::Request) -> Result<P, Failure> {
        serde_json::from_value(request.params.clone()).map_err(|e| Failure::invalid(e.to_string()))
    }
    fn json<T: serde::Serialize>(value: T) -> Answer {
        serde_json::to_value(value).map_err(|e| Failure(ErrorCode::InternalError, e.to_string()))
    }
    match request.method.as_str() {
        GotoDefinition::METHOD => json(query::definition(world, params(request)?)),
        References::METHOD => json(query::references(world, params(request)?)),
        PrepareRenameRequest::METHOD => json(query::prepare_rename(world, params(request)?)?),
        Rename::METHOD => json(query::rename(world, params(request)?)?),
        Completion::METHOD => json(query::completion(world, params(request)?)),
        HoverRequest::METHOD => json(query::hover(world, params(request)?)),
        InlayHintRequest::METHOD => json(query::inlay_hints(world, params(request)?)),
        CodeActionRequest::METHOD => json(fixes::code_actions(world, params(request)?)),
        Formatting::METHOD => json(text::formatting(world, params(request)?)),
        DocumentSymbolRequest::METHOD => json(query::document_symbols(world, params(request)?)),
        WorkspaceSymbolRequest::METHOD => json(query::workspace_symbols(world, params(request)?)),
        SemanticTokensFullRequest::METHOD => json(text::semantic_tokens(world, params(request)?)),
        FoldingRangeRequest::METHOD => json(text::folding(world, params(request)?)),
        SelectionRangeRequest::METHOD => json(text::selection(world, params(request)?)),
        TEXT_REQUEST => {
            let p: lsp::TextDocumentIdentifier = params(request)?;
            json(world.docs.get(&p.uri).map(|d| d.text.as_str()))
        }
        other => Err(Failure(ErrorCode::MethodNotFound, format!("unknown request {other}"))),
    }
}

/// The path of a document: its file, or for an unsaved one a path made
/// from its URI.
pub(crate) fn path_of(uri: &Url) -> PathBuf {
    uri.to_file_path().unwrap_or_else(|()| PathBuf::from(format!("/{}{}", uri.scheme(), uri.path())))
}

/// The URI of a file path.
pub(crate) fn uri_of(path: &Path) -> Option<Url> {
    Url::from_file_path(path).ok()
}
