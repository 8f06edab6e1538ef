//! Reading a file: decoding (P003), parsing (P001) into [`crate::ast`] with
//! literal checks (P002), and the one-process rule (P004).
//!
//! The grammar is `grammar/process.pest`. A file is first read by a
//! hand-written parser of the same grammar ([`descent`]), which is fast and
//! light but gives up at the first syntax error; pest then reads the file
//! again, and its parse tree is lowered ([`lower`]) or its error explained
//! ([`expected`]). [`parsers_agree`] holds the two parsers to each other.

pub(crate) mod descent;
mod expected;
pub mod literal;
mod lower;
mod values;

use crate::ast;
use crate::diagnostics::{Code, Diagnostic};
use crate::span::Span;
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/process.pest"]
pub(crate) struct ProcParser;

/// Decodes a file's bytes: strips a leading BOM and checks UTF-8.
///
/// On invalid UTF-8 the error is a P003 at the first invalid byte, spanning
/// it in the lossily decoded text that is returned for rendering.
pub fn decode(bytes: &[u8]) -> Result<String, Box<(String, Diagnostic)>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(error) => {
            let offset = error.valid_up_to();
            let lossy = String::from_utf8_lossy(bytes).into_owned();
            // In the lossy text the first bad sequence becomes U+FFFD (3 bytes).
            let span = Span::new(offset, (offset + 3).min(lossy.len()));
            let diagnostic = Diagnostic::new(
                Code::P003,
                span,
                format!("the file is not valid UTF-8: invalid byte 0x{:02X} at byte offset {offset}", bytes[offset]),
            )
            .with_label("not UTF-8")
            .with_help("save the file as UTF-8 (most editors offer it under \"Save with encoding\")");
            Err(Box::new((lossy, diagnostic)))
        }
    }
}

/// What reading a file gave: its process, when there is exactly one and it
/// parsed, and the diagnostics P001–P004.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub process: Option<ast::Process>,
    pub diagnostics: Vec<Diagnostic>,
    /// A P001, P003 or P004 was found: no later check may run.
    pub fatal: bool,
}

/// Parses source text (already decoded, BOM removed).
pub fn parse(text: &str) -> Parsed {
    let read = match descent::parse(text) {
        Some(read) => read,
        None => match read_with_pest(text) {
            Ok(read) => read,
            Err(diagnostic) => return Parsed { process: None, diagnostics: vec![*diagnostic], fatal: true },
        },
    };
    let (file, mut diagnostics) = read;
    let fatal = diagnostics.iter().any(|d| d.code == Code::P001) || file.processes.len() != 1;
    match file.processes.len() {
        0 => {
            let end = text.len();
            diagnostics.push(
                Diagnostic::new(Code::P004, Span::new(0, end.min(first_line_end(text))), "this file has no `process`")
                    .with_help("a file holds exactly one process: `process my_sales \"My sales\" { … }`"),
            );
        }
        1 => {}
        _ => {
            let first = &file.processes[0];
            for extra in &file.processes[1..] {
                diagnostics.push(
                    Diagnostic::new(
                        Code::P004,
                        extra.keyword.to(extra.name.span),
                        format!("a second process `{}` in one file", extra.name.name),
                    )
                    .with_label("second process")
                    .with_related(first.name.span, "the first process")
                    .with_help("put each process in a file of its own"),
                );
            }
        }
    }
    let mut processes = file.processes;
    let process = if processes.len() == 1 && !fatal { processes.pop() } else { None };
    Parsed { process, diagnostics, fatal }
}

/// Reads `text` with pest: the file and the literal diagnostics, or the
/// syntax error.
fn read_with_pest(text: &str) -> Result<(ast::File, Vec<Diagnostic>), Box<Diagnostic>> {
    let pairs = ProcParser::parse(Rule::file, text).map_err(|error| Box::new(expected::syntax_error(text, &error)))?;
    let file_pair = pairs.into_iter().next().expect("grammar: `file` is the only top-level pair");
    let mut lowering = lower::Lowering::new();
    let file = lowering.file(file_pair);
    Ok((file, lowering.values.diagnostics))
}

/// Whether the two parsers agree on `text`: both reject it, or both accept
/// it and give the same tree and the same diagnostics. `Err` says how they
/// differ. For the tests and the fuzz target `parsers`; not a stable API.
#[doc(hidden)]
pub fn parsers_agree(text: &str) -> Result<(), String> {
    match (descent::parse(text), read_with_pest(text)) {
        (None, Err(_)) => Ok(()),
        (Some(_), Err(error)) => Err(format!("only the fast parser accepts the text; pest says: {}", error.message)),
        (None, Ok(_)) => Err("only pest accepts the text".to_string()),
        (Some(fast), Ok(pest)) if fast.0 != pest.0 => {
            Err(format!("the trees differ:\nfast: {:#?}\npest: {:#?}", fast.0, pest.0))
        }
        (Some(fast), Ok(pest)) if fast.1 != pest.1 => {
            Err(format!("the diagnostics differ:\nfast: {:#?}\npest: {:#?}", fast.1, pest.1))
        }
        (Some(_), Ok(_)) => Ok(()),
    }
}

/// The pest parse tree of `text` (the `file` pair), for the formatter, which
/// works from the tokens as written. `None` when the text does not parse.
pub(crate) fn tree(text: &str) -> Option<pest::iterators::Pair<'_, Rule>> {
    ProcParser::parse(Rule::file, text).ok()?.next()
}

fn first_line_end(text: &str) -> usize {
    text.find('\n').unwrap_or(text.len())
}
