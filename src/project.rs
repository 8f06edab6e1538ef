//! A process and the libraries it uses (LANGUAGE.md §5.1).
//!
//! Reading follows `use` from the file given, through a [`FileSystem`]
//! that the caller implements: the command line reads the disk, the
//! language server its open documents, the tests a map. This module never
//! touches a file itself. Each file reached gets a [`FileId`]; spans name
//! it, and [`Project::sources`] maps it back to a path and a text.
//!
//! What reading can find: a `use` that cannot be followed (P005), a chain
//! of `use` that returns to a file on it (P006), and each file's own
//! P001–P004. Any of them stops a process there: its later checks would
//! only report the names of the missing library as unknown. Otherwise the
//! library declarations the process refers to, directly or through
//! `reports to`, are added to it, and it is checked as one process; each
//! library is also checked on its own (its literals, names, P101, P104,
//! P404), and those diagnostics are in the library's file.

use crate::ast::{self, Language};
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::{self, Lang};
use crate::span::FileId;
use crate::syntax;
use crate::syntax::Wording;
use crate::syntax::keywords::Keyword;
use std::collections::{BTreeSet, HashMap};
use std::io;
use std::path::{Component, Path, PathBuf};

/// How the project's files are reached.
pub trait FileSystem {
    /// The path with `..` and symbolic links resolved; an error when the
    /// file does not exist.
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;
    /// The file's bytes.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
}

/// No files at all: every `use` is P005. For compiling a text on its own.
pub struct NoFiles;

impl FileSystem for NoFiles {
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        Err(io::Error::new(io::ErrorKind::Unsupported, format!("no files can be read here: {}", path.display())))
    }
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.canonicalize(path).map(|_| Vec::new())
    }
}

/// One file of a project.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: FileId,
    /// The path as it was reached (canonical for libraries).
    pub path: PathBuf,
    /// The decoded text the spans refer to (lossy when it is not UTF-8).
    pub text: String,
    /// The parse, when the file is UTF-8.
    pub parsed: Option<syntax::Parsed>,
}

impl Source {
    /// The process or library has errors of reading (P001–P004).
    fn fatal(&self) -> bool {
        self.parsed.as_ref().is_none_or(|p| p.fatal)
    }
}

/// The files of a process (or a library) and what reading them found.
#[derive(Debug, Clone)]
pub struct Project {
    /// The root folder: no `use` may leave it.
    pub root: PathBuf,
    /// Every file reached, indexed by [`FileId`]; the first is the file
    /// given.
    pub sources: Vec<Source>,
    /// P001–P006 of every file, each in the file it is about.
    pub reading: Vec<Diagnostic>,
    /// The language of diagnostics chosen (`--lang`); without it each
    /// file's are in the language of its own header.
    chosen: Option<Lang>,
    /// Every `use` followed to a library: (the file that holds it, the
    /// library), as reading found them.
    uses: Vec<(FileId, FileId)>,
}

impl Project {
    /// Reads `entry` (whose bytes are given) and every library it reaches.
    /// `root` and `entry` should be canonical. The diagnostics of reading
    /// (P001–P006) are in `lang` when given, else in the language of the
    /// header of the file they are about.
    pub fn load(fs: &dyn FileSystem, root: &Path, entry: &Path, bytes: &[u8], lang: Option<Lang>) -> Project {
        let mut project = Project {
            root: root.to_path_buf(),
            sources: Vec::new(),
            reading: Vec::new(),
            chosen: lang,
            uses: Vec::new(),
        };
        let root_id = project.add(entry.to_path_buf(), bytes);
        let mut by_path: HashMap<PathBuf, FileId> = HashMap::new();
        by_path.insert(entry.to_path_buf(), root_id);
        let mut chain = vec![root_id];
        project.follow(fs, root_id, &mut chain, &mut by_path);
        project
    }

    /// The source of `file`.
    pub fn source(&self, file: FileId) -> &Source {
        &self.sources[file.index()]
    }

    /// The path of `file` relative to the root, with `/`, for messages.
    pub fn shown(&self, file: FileId) -> String {
        let path = &self.source(file).path;
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
    }

    /// The language of the diagnostics about `file`.
    pub fn lang_of(&self, file: FileId) -> Lang {
        lang::diagnostics_language(self.chosen, &self.source(file).text)
    }

    fn add(&mut self, path: PathBuf, bytes: &[u8]) -> FileId {
        let id = FileId(u32::try_from(self.sources.len()).unwrap_or(u32::MAX));
        let (text, parsed) = match syntax::decode_with(bytes, self.chosen) {
            Ok(text) => {
                let parsed = syntax::parse_file_with(&text, id, lang::diagnostics_language(self.chosen, &text));
                self.reading.extend(parsed.diagnostics.iter().cloned());
                (text, Some(parsed))
            }
            Err(failed) => {
                let (text, mut diagnostic) = *failed;
                diagnostic.span.file = id;
                self.reading.push(diagnostic);
                (text, None)
            }
        };
        self.sources.push(Source { id, path, text, parsed });
        id
    }

    /// The `use` items of a file's process or library.
    fn uses(&self, file: FileId) -> Vec<ast::Use> {
        let Some(parsed) = &self.source(file).parsed else { return Vec::new() };
        let from_process = parsed.process.iter().flat_map(|p| {
            p.items.iter().filter_map(|i| match i {
                ast::ProcessItem::Use(u) => Some(u.clone()),
                _ => None,
            })
        });
        let from_library = parsed.library.iter().flat_map(|l| {
            l.items.iter().filter_map(|i| match i {
                ast::LibraryItem::Use(u) => Some(u.clone()),
                _ => None,
            })
        });
        from_process.chain(from_library).collect()
    }

    fn follow(
        &mut self,
        fs: &dyn FileSystem,
        file: FileId,
        chain: &mut Vec<FileId>,
        by_path: &mut HashMap<PathBuf, FileId>,
    ) {
        let language = self.source(file).parsed.as_ref().map_or(Language::En, |p| p.keywords);
        let say = Wording { lang: self.lang_of(file), keywords: language };
        for item in self.uses(file) {
            let written = &item.path.value;
            let failed = |problem: String, help: String| {
                Diagnostic::new(Code::P005, item.path.span, problem)
                    .with_label(say.pick("cannot be used", "нельзя подключить"))
                    .with_help(help)
            };
            let target = match self.resolve(fs, file, written, say) {
                Ok(path) => path,
                Err((problem, help)) => {
                    self.reading.push(failed(problem, help));
                    continue;
                }
            };
            if let Some(&seen) = by_path.get(&target) {
                self.uses.push((file, seen));
                if let Some(at) = chain.iter().position(|&f| f == seen) {
                    let mut names: Vec<String> = chain[at..].iter().map(|&f| self.shown(f)).collect();
                    names.push(self.shown(seen));
                    let shown = names.join(" -> ");
                    let use_word = Keyword::Use.spelling(language);
                    let cycle = Diagnostic::new(
                        Code::P006,
                        item.keyword.to(item.path.span),
                        say.pick(
                            format!("this `{use_word}` closes a cycle: {shown}"),
                            format!("это `{use_word}` замыкает цикл: `{shown}`"),
                        ),
                    );
                    self.reading.push(match say.lang {
                        Lang::En => cycle
                            .with_label("returns to a file on the chain")
                            .with_help("a library cannot use, directly or through others, a file that uses it; move the shared declarations to a library of their own"),
                        Lang::Ru => cycle
                            .with_label("возвращается к файлу, который уже есть в цепочке")
                            .with_help("библиотека не может подключать файл, который подключает её, — ни напрямую, ни через другие; вынесите общие объявления в отдельную библиотеку"),
                    });
                }
                // Reached before by another path: read once.
                continue;
            }
            let bytes = match fs.read(&target) {
                Ok(bytes) => bytes,
                Err(e) => {
                    self.reading.push(failed(
                        cannot_read(written, &e, say),
                        say.pick(
                            "check that the file exists and can be read",
                            "проверьте, что файл есть и его можно прочитать",
                        )
                        .to_string(),
                    ));
                    continue;
                }
            };
            let id = self.add(target.clone(), &bytes);
            by_path.insert(target, id);
            let source = self.source(id);
            if !source.fatal() && source.parsed.as_ref().is_some_and(|p| p.process.is_some()) {
                let (use_word, library) = (Keyword::Use.spelling(language), Keyword::Library.spelling(language));
                self.reading.push(match say.lang {
                    Lang::En => failed(
                        format!("`{written}` holds a process, not a library"),
                        format!("`{use_word}` takes a library: a file that starts with `{library} name {{ … }}` and holds roles, segments and products"),
                    ),
                    Lang::Ru => failed(
                        format!("в `{written}` процесс, а не библиотека"),
                        format!("`{use_word}` подключает библиотеку: файл, который начинается с `{library} имя {{ … }}` и содержит роли, сегменты и продукты"),
                    ),
                });
                continue;
            }
            self.uses.push((file, id));
            chain.push(id);
            self.follow(fs, id, chain, by_path);
            chain.pop();
        }
    }

    /// The file a `use` names, or why it cannot be used: the message and
    /// the help, in the language of `say`.
    fn resolve(
        &self,
        fs: &dyn FileSystem,
        from: FileId,
        written: &str,
        say: Wording,
    ) -> Result<PathBuf, (String, String)> {
        let use_word = Keyword::Use.spelling(say.keywords);
        let relative = || match say.lang {
            Lang::En => format!(
                "write a path relative to this file, with `/` between folders: `{use_word} \"common/roles.proc\"`"
            ),
            Lang::Ru => format!(
                "напишите путь относительно этого файла, разделяя папки знаком `/`: `{use_word} \"common/roles.proc\"`"
            ),
        };
        if written.is_empty() {
            return Err((say.pick("the path is empty", "путь пуст").to_string(), relative()));
        }
        let absolute = written.starts_with('/')
            || written.starts_with('\\')
            || (written.len() >= 2 && written.as_bytes()[1] == b':' && written.as_bytes()[0].is_ascii_alphabetic());
        if absolute {
            return Err((
                say.pick(format!("`{written}` is an absolute path"), format!("`{written}` — абсолютный путь")),
                relative(),
            ));
        }
        if written.contains('\\') {
            let message = say.pick(
                format!("`{written}` separates folders with `\\`"),
                format!("в `{written}` папки разделены знаком `\\`"),
            );
            return Err((message, relative()));
        }
        let base = self.source(from).path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut path = base;
        for part in written.split('/') {
            match part {
                "" | "." => {}
                ".." => path.push(Component::ParentDir.as_os_str()),
                part => path.push(part),
            }
        }
        let canonical = fs.canonicalize(&path).map_err(|e| {
            let problem = if e.kind() == io::ErrorKind::NotFound {
                say.pick(format!("there is no file `{written}`"), format!("файла `{written}` нет"))
            } else {
                cannot_read(written, &e, say)
            };
            let help = match say.lang {
                Lang::En => format!("check the path: it is relative to the file that holds the `{use_word}`"),
                Lang::Ru => format!("проверьте путь: он отсчитывается от файла, в котором стоит `{use_word}`"),
            };
            (problem, help)
        })?;
        if !canonical.starts_with(&self.root) {
            let root = self.root.display();
            return Err(match say.lang {
                Lang::En => (
                    format!("`{written}` is outside the project's root folder `{root}`"),
                    "a library must be inside the folder of the nearest `procdef.toml` (or of the file checked); move it there".into(),
                ),
                Lang::Ru => (
                    format!("`{written}` лежит вне корневой папки проекта `{root}`"),
                    "библиотека должна лежать в папке ближайшего `procdef.toml` (или проверяемого файла); перенесите её туда".into(),
                ),
            });
        }
        Ok(canonical)
    }

    /// Whether the file given or a file it reaches failed to read.
    pub fn failed(&self) -> bool {
        self.reading.iter().any(|d| matches!(d.code, Code::P001 | Code::P003 | Code::P004 | Code::P005 | Code::P006))
            || self.sources.iter().any(Source::fatal)
    }

    /// The process given, taken out of its source, with the library
    /// declarations it refers to added after its own items. `None` when
    /// the file given is no process.
    pub fn take_combined_process(&mut self) -> Option<ast::Process> {
        let mut process = self.sources.first_mut()?.parsed.as_mut()?.process.take()?;
        let extra = self.referenced_items(&process, |f| f != FileId::ROOT);
        process.items.extend(extra);
        Some(process)
    }

    /// A library on its own as a process with no stages, for its checks:
    /// its declarations and those it refers to in the libraries it uses.
    pub fn library_as_process(&self, file: FileId) -> Option<ast::Process> {
        let library = self.source(file).parsed.as_ref()?.library.as_ref()?;
        let mut process = ast::Process {
            keyword: library.keyword,
            name: library.name.clone(),
            title: library.title.clone(),
            items: library.items.iter().filter_map(library_item).collect(),
        };
        let extra = self.referenced_items(&process, |f| f != file && self.reaches(file, f));
        process.items.extend(extra);
        Some(process)
    }

    /// Whether a `use` chain leads from `from` to `to`.
    fn reaches(&self, from: FileId, to: FileId) -> bool {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from];
        while let Some(f) = todo.pop() {
            if !seen.insert(f) {
                continue;
            }
            for &(_, used) in self.uses.iter().filter(|(holder, _)| *holder == f) {
                if used == to {
                    return true;
                }
                todo.push(used);
            }
        }
        false
    }

    /// The declarations of the libraries `among` admits that `process`
    /// refers to, directly or through `reports to`, in file order.
    fn referenced_items(&self, process: &ast::Process, among: impl Fn(FileId) -> bool) -> Vec<ast::ProcessItem> {
        if !self.sources.iter().any(|s| among(s.id) && s.parsed.as_ref().is_some_and(|p| p.library.is_some())) {
            return Vec::new();
        }
        let mut roles = BTreeSet::new();
        let mut others = BTreeSet::new();
        referenced_names(&process.items, &mut roles, &mut others);
        let library_items: Vec<ast::ProcessItem> = self
            .sources
            .iter()
            .filter(|s| among(s.id))
            .filter_map(|s| s.parsed.as_ref()?.library.as_ref())
            .flat_map(|l| l.items.iter().filter_map(library_item))
            .collect();
        let mut taken = vec![false; library_items.len()];
        loop {
            let mut more = false;
            for (i, item) in library_items.iter().enumerate() {
                if taken[i] {
                    continue;
                }
                let wanted = match item {
                    ast::ProcessItem::Role(r) => roles.contains(r.name.name.as_str()),
                    ast::ProcessItem::Segment(s) => others.contains(s.name.name.as_str()),
                    ast::ProcessItem::Product(p) => others.contains(p.name.name.as_str()),
                    _ => false,
                };
                if wanted {
                    taken[i] = true;
                    more = true;
                    referenced_names(std::slice::from_ref(item), &mut roles, &mut others);
                }
            }
            if !more {
                break;
            }
        }
        library_items.into_iter().zip(taken).filter_map(|(item, t)| t.then_some(item)).collect()
    }
}

fn library_item(item: &ast::LibraryItem) -> Option<ast::ProcessItem> {
    Some(match item {
        ast::LibraryItem::Role(r) => ast::ProcessItem::Role(r.clone()),
        ast::LibraryItem::Segment(s) => ast::ProcessItem::Segment(s.clone()),
        ast::LibraryItem::Product(p) => ast::ProcessItem::Product(p.clone()),
        ast::LibraryItem::Description(_) | ast::LibraryItem::Use(_) => return None,
    })
}

/// The names `items` use as roles, and as segments or products.
fn referenced_names<'a>(items: &'a [ast::ProcessItem], roles: &mut BTreeSet<&'a str>, others: &mut BTreeSet<&'a str>) {
    use ast::ProcessItem as I;
    for item in items {
        match item {
            I::Role(r) => {
                for i in &r.items {
                    if let ast::RoleItem::ReportsTo { role, .. } = i {
                        roles.insert(&role.name);
                    }
                }
            }
            I::Stage(s) => {
                for i in &s.items {
                    match &i.kind {
                        ast::StageItemKind::Owner(r) => {
                            roles.insert(&r.name);
                        }
                        ast::StageItemKind::Instruct { role, instructions } => {
                            roles.insert(&role.name);
                            for n in instructions.iter().flat_map(|i| &i.for_names) {
                                others.insert(&n.name);
                            }
                        }
                        _ => {}
                    }
                }
            }
            I::Metric(m) => {
                for i in &m.items {
                    match &i.kind {
                        ast::MetricItemKind::Owner(r) | ast::MetricItemKind::Activity { role: r, .. } => {
                            roles.insert(&r.name);
                        }
                        _ => {}
                    }
                }
            }
            I::Rollout(r) => {
                for i in &r.items {
                    match &i.kind {
                        ast::RolloutItemKind::Briefing { roles: rs, .. }
                        | ast::RolloutItemKind::Exam { roles: rs, .. } => {
                            roles.extend(rs.iter().map(|r| r.name.as_str()));
                        }
                        ast::RolloutItemKind::Audit { roles: rs, by, .. } => {
                            roles.extend(rs.iter().map(|r| r.name.as_str()));
                            roles.insert(&by.name);
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// "`common/roles.proc` cannot be read: permission denied".
fn cannot_read(written: &str, e: &io::Error, say: Wording) -> String {
    match say.lang {
        Lang::En => format!("`{written}` cannot be read: {}", io_reason(e)),
        Lang::Ru => format!("не удаётся прочитать `{written}`: {}", io_reason_ru(e)),
    }
}

fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::IsADirectory => "it is a folder".to_string(),
        _ => e.to_string(),
    }
}

/// Why a file cannot be read, in Russian; what the system says otherwise
/// is quoted as it says it.
fn io_reason_ru(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => "нет доступа".to_string(),
        io::ErrorKind::NotFound => "такого файла нет".to_string(),
        io::ErrorKind::IsADirectory => "это папка".to_string(),
        io::ErrorKind::Unsupported => "здесь файлы не читаются".to_string(),
        _ => format!("ошибка ввода-вывода `{e}`"),
    }
}
