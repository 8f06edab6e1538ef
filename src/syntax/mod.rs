//! Reading a file: decoding (P003), parsing (P001) into [`crate::ast`] with
//! literal checks (P002), and the one-process rule (P004).
//!
//! [`lexer`] cuts the text into tokens, trivia included; [`parser`] reads
//! them into the AST with the keywords of [`keywords`] and never fails: it
//! returns every well-formed item and the syntax errors. The grammar's
//! definition is `grammar/process.pest`; pest stays in the library only to
//! hold the parser to it ([`parsers_agree`], tested and fuzzed).

mod expected;
pub use expected::Wording;
pub mod keywords;
pub mod lexer;
pub mod literal;
mod lower;
mod parser;
mod values;

use crate::ast::{self, Language};
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;
use crate::span::{FileId, Span};
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/process.pest"]
pub(crate) struct ProcParser;
/// Decodes a file's bytes: strips a leading BOM and checks UTF-8.
///
/// On invalid UTF-8 the error is a P003 at the first invalid byte, spanning
/// it in the lossily decoded text that is returned for rendering. Its
/// message is in the language of the file's header, read from that text.
pub fn decode(bytes: &[u8]) -> Result<String, Box<(String, Diagnostic)>> {
    decode_with(bytes, None)
}

/// Decodes a file's bytes as [`decode`] does, with the P003 message in
/// `chosen` (from `--lang`) when given. Otherwise the text cannot tell its
/// language for sure, since it is not decoded; the header is read from the
/// lossily decoded text (its first line, `# language: ru`, is ASCII and
/// survives any 8-bit encoding), so a Russian-header file saved in
/// Windows-1251 gets the message in Russian too.
pub fn decode_with(bytes: &[u8], chosen: Option<Lang>) -> Result<String, Box<(String, Diagnostic)>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(error) => {
            let offset = error.valid_up_to();
            let lossy = String::from_utf8_lossy(bytes).into_owned();
            // In the lossy text the first bad sequence becomes U+FFFD (3 bytes).
            let span = Span::new(offset, (offset + 3).min(lossy.len()));
            let byte = bytes[offset];
            let diagnostic = match crate::lang::diagnostics_language(chosen, &lossy) {
                Lang::En => Diagnostic::new(
                    Code::P003,
                    span,
                    format!("the file is not valid UTF-8: invalid byte 0x{byte:02X} at byte offset {offset}"),
                )
                .with_label("not UTF-8")
                .with_help("save the file as UTF-8 (most editors offer it under \"Save with encoding\")"),
                Lang::Ru => Diagnostic::new(
                    Code::P003,
                    span,
                    format!("файл не в кодировке `UTF-8`: недопустимый байт `0x{byte:02X}` по смещению {offset}"),
                )
                .with_label("не `UTF-8`")
                .with_help(
                    "сохраните файл в кодировке `UTF-8` (в большинстве редакторов это пункт «Сохранить в кодировке»)",
                ),
            };
            Err(Box::new((lossy, diagnostic)))
        }
    }
}

/// What reading a file gave.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The file's process, when it holds exactly one, and no library, and
    /// parsed.
    pub process: Option<ast::Process>,
    /// The file's library, when it holds exactly one, and no process, and
    /// parsed.
    pub library: Option<ast::Library>,
    /// What the command line reports: the syntax errors when there are
    /// any (P001, P004), else the literals' diagnostics and P004.
    pub diagnostics: Vec<Diagnostic>,
    /// A P001, P003 or P004 was found: no later check may run.
    pub fatal: bool,
    /// Every well-formed item of a file with errors of reading (P001,
    /// P004): what an editor shows. A file without them has its process
    /// or library in `process` or `library`, and an empty tree.
    pub tree: ast::File,
    /// The file's keyword language (its `# language:` header).
    pub keywords: Language,
}

/// Parses source text (already decoded, BOM removed) of the root file,
/// with the messages in the language of its header.
pub fn parse(text: &str) -> Parsed {
    parse_file(text, FileId::ROOT)
}

/// Parses the source text of file `file`, with the messages in the
/// language of its header ([`crate::lang::diagnostics_language`] with no
/// language chosen): Russian for a `# language: ru` file.
pub fn parse_file(text: &str, file: FileId) -> Parsed {
    parse_file_with(text, file, crate::lang::diagnostics_language(None, text))
}

/// Parses the source text of file `file`, with the messages (P001, P002,
/// P004) in `lang`; the keywords they name are the file's.
pub fn parse_file_with(text: &str, file: FileId, lang: Lang) -> Parsed {
    let keywords = keywords::file_language(text);
    let out = parser::parse(text, file, keywords, lang);
    let mut tree = out.file;
    let mut diagnostics = if out.syntax.is_empty() { out.literals } else { out.syntax };
    let count = tree.processes.len() + tree.libraries.len();
    let syntax_failed = diagnostics.iter().any(|d| matches!(d.code, Code::P001 | Code::P004));
    if !syntax_failed {
        one_per_file(text, file, &tree, (keywords, lang), &mut diagnostics);
    }
    let fatal = diagnostics.iter().any(|d| matches!(d.code, Code::P001 | Code::P004)) || count != 1;
    // The one process or library moves out of the tree, which then holds
    // only what a broken file has.
    let process = if fatal { None } else { tree.processes.pop() };
    let library = if fatal { None } else { tree.libraries.pop() };
    Parsed { process, library, diagnostics, fatal, tree, keywords }
}

/// P004: a file holds exactly one process or one library. `say` is the
/// file's keyword language and the language of the messages.
fn one_per_file(text: &str, file: FileId, tree: &ast::File, say: (Language, Lang), out: &mut Vec<Diagnostic>) {
    let say = expected::Wording { keywords: say.0, lang: say.1 };
    let mut heads: Vec<(Span, &ast::Ident, bool)> = tree
        .processes
        .iter()
        .map(|p| (p.keyword, &p.name, true))
        .chain(tree.libraries.iter().map(|l| (l.keyword, &l.name, false)))
        .collect();
    heads.sort_by_key(|h| h.0.start);
    let Some((_, first, first_is_process)) = heads.first().copied() else {
        let end = text.len().min(first_line_end(text));
        out.push(expected::no_process(Span::in_file(file, 0, end), say).with_help(expected::no_process_help(say)));
        return;
    };
    let use_word = keywords::Keyword::Use.spelling(say.keywords);
    for &(keyword, name, is_process) in &heads[1..] {
        let name_text = &name.name;
        let (message, help) = match (say.lang, first_is_process, is_process) {
            (Lang::En, true, true) => {
                (format!("a second process `{name_text}` in one file"), "put each process in a file of its own".into())
            }
            (Lang::En, false, false) => {
                (format!("a second library `{name_text}` in one file"), "put each library in a file of its own".into())
            }
            (Lang::En, _, _) => (
                format!("a file holds a process or a library, not both: `{name_text}`"),
                format!("move the library to a file of its own and `{use_word}` it from the process"),
            ),
            (Lang::Ru, true, true) => (
                format!("второй процесс `{name_text}` в том же файле"),
                "поместите каждый процесс в отдельный файл".into(),
            ),
            (Lang::Ru, false, false) => (
                format!("вторая библиотека `{name_text}` в том же файле"),
                "поместите каждую библиотеку в отдельный файл".into(),
            ),
            (Lang::Ru, _, _) => (
                format!("в одном файле бывает процесс или библиотека, но не то и другое сразу: `{name_text}`"),
                format!("перенесите библиотеку в отдельный файл и подключите её к процессу через `{use_word}`"),
            ),
        };
        let first_label = match (say.lang, first_is_process) {
            (Lang::En, true) => "the first process",
            (Lang::En, false) => "the first library",
            (Lang::Ru, true) => "первый процесс",
            (Lang::Ru, false) => "первая библиотека",
        };
        let label = match (say.lang, is_process) {
            (Lang::En, true) => "second process",
            (Lang::En, false) => "second library",
            (Lang::Ru, true) => "второй процесс",
            (Lang::Ru, false) => "вторая библиотека",
        };
        out.push(
            Diagnostic::new(Code::P004, keyword.to(name.span), message)
                .with_label(label)
                .with_related(first.span, first_label)
                .with_help(help),
        );
    }
}

/// Reads `text` with pest: the file and the literal diagnostics, or the
/// error.
fn read_with_pest(text: &str) -> Result<(ast::File, Vec<Diagnostic>), String> {
    let pairs = ProcParser::parse(Rule::file, text).map_err(|error| error.to_string())?;
    let file_pair = pairs.into_iter().next().ok_or("grammar: `file` is the only top-level pair")?;
    let mut lowering = lower::Lowering::new();
    let file = lowering.file(file_pair);
    Ok((file, lowering.values.diagnostics))
}

/// Whether the parser and the grammar agree on `text` (an English-keyword
/// file): both reject it, or both accept it and give the same tree and the
/// same diagnostics. `Err` says how they differ. For the tests and the
/// fuzz target `parsers`; not a stable API.
#[doc(hidden)]
pub fn parsers_agree(text: &str) -> Result<(), String> {
    let out = parser::parse(text, FileId::ROOT, Language::En, Language::En);
    let ours = out.syntax.is_empty().then_some((out.file, out.literals));
    match (ours, read_with_pest(text)) {
        (None, Err(_)) => Ok(()),
        (Some(_), Err(error)) => Err(format!("only the parser accepts the text; pest says: {error}")),
        (None, Ok(_)) => Err(format!("only pest accepts the text; the parser says: {:?}", out.syntax)),
        (Some(fast), Ok(pest)) if fast.0 != pest.0 => {
            Err(format!("the trees differ:\nparser: {:#?}\npest: {:#?}", fast.0, pest.0))
        }
        (Some(fast), Ok(pest)) if fast.1 != pest.1 => {
            Err(format!("the diagnostics differ:\nparser: {:#?}\npest: {:#?}", fast.1, pest.1))
        }
        (Some(_), Ok(_)) => Ok(()),
    }
}

fn first_line_end(text: &str) -> usize {
    text.find('\n').unwrap_or(text.len())
}
