//! What the text alone gives: formatting, semantic tokens, folding and
//! selection ranges.

use super::World;
use super::names::{self, DeclKind};
use super::position::{Encoding, Lines};
use super::query::name_kind;
use crate::syntax::keywords::{self, Keyword};
use crate::syntax::lexer::{self, Kind, Token};
use lsp_types as lsp;
use std::collections::HashMap;

pub(crate) fn formatting(server: &World, p: lsp::DocumentFormattingParams) -> Option<Vec<lsp::TextEdit>> {
    let doc = server.docs.get(&p.text_document.uri)?;
    let text = doc.text.as_str();
    // A file that does not parse is not formatted.
    let formatted = crate::fmt::format(text).ok()?;
    if formatted == text {
        return Some(Vec::new());
    }
    let range = doc.lines.range(text, 0, text.len(), server.encoding);
    Some(vec![lsp::TextEdit { range, new_text: formatted }])
}

const TYPES: &[lsp::SemanticTokenType] = &[
    lsp::SemanticTokenType::KEYWORD,
    lsp::SemanticTokenType::NUMBER,
    lsp::SemanticTokenType::STRING,
    lsp::SemanticTokenType::COMMENT,
    lsp::SemanticTokenType::OPERATOR,
    lsp::SemanticTokenType::FUNCTION,
    lsp::SemanticTokenType::CLASS,
    lsp::SemanticTokenType::ENUM,
    lsp::SemanticTokenType::STRUCT,
    lsp::SemanticTokenType::PROPERTY,
    lsp::SemanticTokenType::NAMESPACE,
];

pub(crate) fn legend() -> lsp::SemanticTokensLegend {
    lsp::SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: vec![lsp::SemanticTokenModifier::DECLARATION],
    }
}

fn type_of_name(kind: DeclKind) -> u32 {
    match kind {
        DeclKind::Stage => 5,
        DeclKind::Role => 6,
        DeclKind::Segment => 7,
        DeclKind::Product => 8,
        DeclKind::Metric => 9,
        DeclKind::Process | DeclKind::Library | DeclKind::Plan | DeclKind::Rollout => 10,
    }
}

pub(crate) fn semantic_tokens(server: &World, p: lsp::SemanticTokensParams) -> Option<lsp::SemanticTokensResult> {
    let snapshot = server.snapshots.get(&p.text_document.uri)?;
    let root = snapshot.root();
    let text = root.text.as_str();
    // The names: by the start of each, its kind and whether it declares.
    let mut names: HashMap<usize, (DeclKind, bool)> = HashMap::new();
    for d in names::flat(&snapshot.trees[0].1) {
        if !matches!(d.kind, DeclKind::Plan | DeclKind::Rollout) {
            names.insert(root.offset(d.span.start), (d.kind, true));
        }
    }
    if let Some(model) = &snapshot.compiled.model {
        for r in model.references.iter().filter(|r| r.span.file == crate::span::FileId::ROOT) {
            names.insert(root.offset(r.span.start), (name_kind(r.to, r.kind), false));
        }
    }
    let language = keywords::file_language(text);
    let mut data = Vec::new();
    let mut last = (0u32, 0u32);
    let mut push = |start: usize, end: usize, kind: u32, modifiers: u32| {
        // One token per line: a text block is cut at its line ends.
        let mut from = start;
        while from < end {
            let line_end = text[from..end].find(['\n', '\r']).map_or(end, |i| from + i);
            if line_end > from {
                let at = root.lines.position(text, from, server.encoding);
                let length = match server.encoding {
                    Encoding::Utf8 => line_end - from,
                    Encoding::Utf16 => text[from..line_end].encode_utf16().count(),
                };
                let delta_line = at.line - last.0;
                let delta_start = if delta_line == 0 { at.character - last.1 } else { at.character };
                data.push(lsp::SemanticToken {
                    delta_line,
                    delta_start,
                    length: u32::try_from(length).unwrap_or(u32::MAX),
                    token_type: kind,
                    token_modifiers_bitset: modifiers,
                });
                last = (at.line, at.character);
            }
            from = line_end;
            while from < end && matches!(text.as_bytes()[from], b'\n' | b'\r') {
                from += 1;
            }
        }
    };
    for t in lexer::Lexer::new(text) {
        match t.kind {
            Kind::Word => {
                if let Some(&(kind, declares)) = names.get(&t.start) {
                    push(t.start, t.end, type_of_name(kind), u32::from(declares));
                } else if is_keyword(t, text, language) {
                    push(t.start, t.end, 0, 0);
                }
            }
            Kind::Number | Kind::Date => push(t.start, t.end, 1, 0),
            Kind::String | Kind::TextBlock | Kind::UnclosedString | Kind::UnclosedTextBlock => {
                push(t.start, t.end, 2, 0)
            }
            Kind::Comment => push(t.start, t.end, 3, 0),
            Kind::Arrow | Kind::AtLeast | Kind::AtMost => push(t.start, t.end, 4, 0),
            _ => {}
        }
    }
    Some(lsp::SemanticTokensResult::Tokens(lsp::SemanticTokens { result_id: None, data }))
}

fn is_keyword(t: Token, text: &str, language: crate::ast::Language) -> bool {
    let word = t.text(text);
    Keyword::ALL.iter().any(|k| !k.spelling(language).is_empty() && k.is(word, language))
        || keywords::duration_unit(word).is_some()
        || keywords::period(word).is_some()
}

/// The blocks of a text: from the start of the line that opens each to
/// its closing brace, and the text blocks.
fn blocks(text: &str) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut stack = Vec::new();
    let mut line_start_token: Option<usize> = None;
    for t in lexer::Lexer::new(text) {
        match t.kind {
            Kind::LineBreak => line_start_token = None,
            Kind::LBrace => stack.push(line_start_token.unwrap_or(t.start)),
            Kind::RBrace => {
                if let Some(start) = stack.pop() {
                    out.push((start, t.end, false));
                }
            }
            Kind::TextBlock | Kind::UnclosedTextBlock => out.push((t.start, t.end, true)),
            _ => {}
        }
        if !t.kind.is_trivia() && line_start_token.is_none() {
            line_start_token = Some(t.start);
        }
    }
    out
}

pub(crate) fn folding(server: &World, p: lsp::FoldingRangeParams) -> Option<Vec<lsp::FoldingRange>> {
    let doc = server.docs.get(&p.text_document.uri)?;
    let text = doc.text.as_str();
    let line = |offset: usize| doc.lines.position(text, offset, server.encoding).line;
    let mut out = Vec::new();
    for (start, end, _) in blocks(text) {
        let (a, b) = (line(start), line(end));
        if b > a + 1 || (b > a && text[..end].ends_with("\"\"\"")) {
            let end_line = if text[..end].ends_with('}') { b - 1 } else { b };
            out.push(lsp::FoldingRange {
                start_line: a,
                end_line: end_line.max(a),
                kind: Some(lsp::FoldingRangeKind::Region),
                ..Default::default()
            });
        }
    }
    // Runs of comment lines.
    let mut run: Option<(u32, u32)> = None;
    let flush = |run: &mut Option<(u32, u32)>, out: &mut Vec<lsp::FoldingRange>| {
        if let Some((a, b)) = run.take()
            && b > a
        {
            out.push(lsp::FoldingRange {
                start_line: a,
                end_line: b,
                kind: Some(lsp::FoldingRangeKind::Comment),
                ..Default::default()
            });
        }
    };
    for t in lexer::Lexer::new(text) {
        match t.kind {
            Kind::Comment => {
                let l = line(t.start);
                run = match run {
                    Some((a, b)) if l == b + 1 => Some((a, l)),
                    other => {
                        let mut other = other;
                        flush(&mut other, &mut out);
                        Some((l, l))
                    }
                };
            }
            Kind::Blank | Kind::LineBreak => {}
            _ => flush(&mut run, &mut out),
        }
    }
    flush(&mut run, &mut out);
    out.sort_by_key(|f| (f.start_line, f.end_line));
    Some(out)
}

pub(crate) fn selection(server: &World, p: lsp::SelectionRangeParams) -> Option<Vec<lsp::SelectionRange>> {
    let doc = server.docs.get(&p.text_document.uri)?;
    let text = doc.text.as_str();
    let blocks = blocks(text);
    let mut out = Vec::new();
    for position in p.positions {
        let offset = doc.lines.offset(text, position, server.encoding);
        out.push(selection_at(text, &doc.lines, &blocks, offset, server.encoding));
    }
    Some(out)
}

fn selection_at(
    text: &str,
    lines: &Lines,
    blocks: &[(usize, usize, bool)],
    offset: usize,
    encoding: Encoding,
) -> lsp::SelectionRange {
    // Innermost first: the token, its line, each enclosing block, the file.
    let mut spans: Vec<(usize, usize)> = Vec::new();
    if let Some(t) = super::query::token_at(text, offset) {
        spans.push((t.start, t.end));
    }
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = text[offset..].find(['\n', '\r']).map_or(text.len(), |i| offset + i);
    let content = text[line_start..line_end].trim();
    if !content.is_empty() {
        let start = line_start + text[line_start..line_end].find(content).unwrap_or(0);
        spans.push((start, start + content.len()));
    }
    let mut enclosing: Vec<(usize, usize)> =
        blocks.iter().filter(|(a, b, _)| *a <= offset && offset <= *b).map(|(a, b, _)| (*a, *b)).collect();
    enclosing.sort_by_key(|(a, b)| b - a);
    spans.extend(enclosing);
    spans.push((0, text.len()));
    // Each range must hold the one before it.
    let mut chain: Vec<(usize, usize)> = Vec::new();
    for s in spans {
        if chain.last().is_none_or(|l| s.0 <= l.0 && s.1 >= l.1 && *l != s) {
            chain.push(s);
        }
    }
    let mut result: Option<lsp::SelectionRange> = None;
    for (a, b) in chain.into_iter().rev() {
        result = Some(lsp::SelectionRange { range: lines.range(text, a, b, encoding), parent: result.map(Box::new) });
    }
    result.unwrap_or(lsp::SelectionRange { range: lines.range(text, offset, offset, encoding), parent: None })
}
