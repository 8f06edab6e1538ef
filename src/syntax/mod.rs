//! Reading a file: decoding (P003), the pest parser (P001), lowering the
//! parse tree into [`crate::ast`] with literal checks (P002), and the
//! one-process rule (P004).

mod expected;
pub mod literal;
mod lower;

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
    let pairs = match ProcParser::parse(Rule::file, text) {
        Ok(pairs) => pairs,
        Err(error) => {
            let diagnostic = expected::syntax_error(text, &error);
            return Parsed { process: None, diagnostics: vec![diagnostic], fatal: true };
        }
    };
    let file_pair = pairs.into_iter().next().expect("grammar: `file` is the only top-level pair");
    let mut lowering = lower::Lowering::new(text);
    let file = lowering.file(file_pair);
    let mut diagnostics = lowering.diagnostics;
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

/// The pest parse tree of `text` (the `file` pair), for the formatter, which
/// works from the tokens as written. `None` when the text does not parse.
pub(crate) fn tree(text: &str) -> Option<pest::iterators::Pair<'_, Rule>> {
    ProcParser::parse(Rule::file, text).ok()?.next()
}

fn first_line_end(text: &str) -> usize {
    text.find('\n').unwrap_or(text.len())
}
