//! Quick fixes: the code actions that repair a diagnostic.

use super::World;
use super::snapshot::Snapshot;
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;
use crate::model::{Model, OutcomeKind};
use crate::span::{FileId, Span};
use crate::syntax::keywords::{self, Keyword};
use crate::syntax::lexer::{Kind, Lexer};
use lsp_types::{self as lsp, Url};
use std::collections::HashMap;

/// One fix: its title and its edits of the root file.
struct Fix {
    title: String,
    edits: Vec<(Span, String)>,
}

pub(crate) fn code_actions(server: &World, p: lsp::CodeActionParams) -> Option<lsp::CodeActionResponse> {
    let uri = &p.text_document.uri;
    let snapshot = server.snapshots.get(uri)?;
    // Edits are made on the text that was checked.
    if server.docs.get(uri).is_some_and(|d| d.version != snapshot.version) {
        return Some(Vec::new());
    }
    let root = snapshot.root();
    let (from, to) = root.lines.span(&root.text, p.range, server.encoding);
    let (from, to) = (root.span_offset(from), root.span_offset(to));
    let mut out = Vec::new();
    for d in &snapshot.compiled.diagnostics {
        if d.span.file != FileId::ROOT || d.span.end < from || d.span.start > to {
            continue;
        }
        let Some(fix) = fix(snapshot, d) else { continue };
        let edits = fix
            .edits
            .into_iter()
            .map(|(span, new_text)| lsp::TextEdit { range: root.range(span, server.encoding), new_text })
            .collect();
        let diagnostic = snapshot.diagnostics_of(uri).iter().find(|l| {
            l.range == root.range(d.span, server.encoding)
                && l.code == Some(lsp::NumberOrString::String(d.code.as_str().into()))
        });
        let changes: HashMap<Url, Vec<lsp::TextEdit>> = [(uri.clone(), edits)].into_iter().collect();
        out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title: fix.title,
            kind: Some(lsp::CodeActionKind::QUICKFIX),
            diagnostics: diagnostic.map(|d| vec![d.clone()]),
            edit: Some(lsp::WorkspaceEdit { changes: Some(changes), ..Default::default() }),
            is_preferred: Some(true),
            ..Default::default()
        }));
    }
    Some(out)
}

fn fix(snapshot: &Snapshot, d: &Diagnostic) -> Option<Fix> {
    let model = snapshot.compiled.model.as_ref()?;
    let text = snapshot.compiled.text.as_str();
    let lang = snapshot.compiled.lang;
    let language = keywords::file_language(text);
    let say = |en: String, ru: String| if lang == Lang::Ru { ru } else { en };
    match d.code {
        Code::P102 => {
            let r = model.references.iter().find(|r| r.span == d.span && !r.resolved())?;
            let names = model.names_of(r.kind);
            let mut budget = crate::suggest::SUGGESTION_BUDGET;
            let near = crate::suggest::Suggestions::new(names).closest(r.unresolved_name(), &mut budget)?.to_string();
            Some(Fix {
                title: say(format!("Replace by `{near}`"), format!("Заменить на `{near}`")),
                edits: vec![(d.span, near)],
            })
        }
        Code::P205 => {
            let written = text.get(d.span.start..d.span.end)?;
            let word = Keyword::Loop.spelling(language);
            let label = Lexer::new(written).find(|t| t.kind == Kind::String);
            let edit = match label {
                Some(t) => (d.span.with(d.span.start + t.start, d.span.start + t.start), format!("{word} ")),
                None => (d.span.with(d.span.end, d.span.end), format!(" {word}")),
            };
            Some(Fix {
                title: say(format!("Mark the transition `{word}`"), format!("Пометить переход как `{word}`")),
                edits: vec![edit],
            })
        }
        Code::P302 => p302(model, text, d, lang),
        Code::P401 => {
            let stage = model.stages.iter().find(|s| s.span == d.span)?;
            let role = stage
                .instructions
                .iter()
                .find_map(|i| i.role)
                .or_else(|| (!model.roles.is_empty()).then_some(crate::model::RoleId(0)))?;
            let role = &model.role(role).id;
            let brace =
                Lexer::at(text, stage.span.end).find(|t| t.kind == Kind::LBrace || t.kind == Kind::LineBreak)?;
            let owner = Keyword::Owner.spelling(language);
            let indent = indentation(text, stage.span.start);
            let edit = if brace.kind == Kind::LBrace {
                let next = Lexer::at(text, brace.end).find(|t| !matches!(t.kind, Kind::Blank))?;
                let close = if next.kind == Kind::RBrace { format!("\n{indent}") } else { String::new() };
                (Span::new(brace.end, brace.end), format!("\n{indent}  {owner} {role}{close}"))
            } else {
                return None;
            };
            Some(Fix {
                title: say(format!("Add `{owner} {role}`"), format!("Добавить `{owner} {role}`")),
                edits: vec![edit],
            })
        }
        Code::P103 | Code::P403 => {
            let decl = super::names::flat(&snapshot.trees[0].1).into_iter().find(|x| x.span == d.span)?;
            let name = &decl.name;
            Some(Fix {
                title: say(format!("Remove `{name}`"), format!("Удалить `{name}`")),
                edits: vec![(whole_lines(text, decl.whole), String::new())],
            })
        }
        _ => None,
    }
}

fn p302(model: &Model, text: &str, d: &Diagnostic, lang: Lang) -> Option<Fix> {
    let stage = model.stages.iter().find(|s| s.transitions.first().is_some_and(|t| t.span.start == d.span.start))?;
    let sum: f64 = stage.transitions.iter().filter_map(|t| t.given).sum();
    let missing = 1.0 - sum;
    let is_lost =
        |t: &&crate::model::Transition| t.target.is_some_and(|s| model.stage(s).outcome == Some(OutcomeKind::Lost));
    if let Some(t) = stage.transitions.iter().find(is_lost) {
        let written = text.get(t.span.start..t.span.end)?;
        let percent = Lexer::new(written).find(|k| k.kind == Kind::Number && k.text(written).ends_with('%'))?;
        let new = format!("{}%", source_number((t.given.unwrap_or(0.0) + missing) * 100.0));
        let title = match lang {
            Lang::En => format!("Give `{}` the missing {}%: {new}", t.target_name, source_number(missing * 100.0)),
            Lang::Ru => format!("Отдать `{}` недостающие {}%: {new}", t.target_name, source_number(missing * 100.0)),
        };
        let span = t.span.with(t.span.start + percent.start, t.span.start + percent.end);
        return Some(Fix { title, edits: vec![(span, new)] });
    }
    let lost = model.stages.iter().find(|s| s.outcome == Some(OutcomeKind::Lost))?;
    let last = stage.transitions.last()?;
    let indent = indentation(text, last.span.start);
    let title = match lang {
        Lang::En => format!("Add `-> {}` for the remaining {}%", lost.id, source_number(missing * 100.0)),
        Lang::Ru => format!("Добавить `-> {}` на оставшиеся {}%", lost.id, source_number(missing * 100.0)),
    };
    Some(Fix { title, edits: vec![(Span::new(last.span.end, last.span.end), format!("\n{indent}-> {}", lost.id))] })
}

/// A number as the source writes it: a decimal point, at most two decimals.
fn source_number(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// The blanks at the start of the line holding `offset`.
fn indentation(text: &str, offset: usize) -> String {
    let start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    text[start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect()
}

/// `span` widened to whole lines when nothing else stands on them.
fn whole_lines(text: &str, span: Span) -> Span {
    let line_start = text[..span.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let start = if text[line_start..span.start].trim().is_empty() { line_start } else { span.start };
    let rest = &text[span.end..];
    let line_end = rest.find('\n').map_or(text.len(), |i| span.end + i + 1);
    let end = if text[span.end..line_end].trim().is_empty() { line_end } else { span.end };
    span.with(start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_the_source_writes_them() {
        assert_eq!(source_number(35.0), "35");
        assert_eq!(source_number(12.5), "12.5");
        assert_eq!(source_number(100.0 / 3.0), "33.33");
    }

    #[test]
    fn a_removed_declaration_takes_its_lines() {
        let text = "a\n  role r {\n  }\nb\n";
        let start = text.find("role").expect("a role");
        let end = text.find('}').expect("a brace") + 1;
        let span = whole_lines(text, Span::new(start, end));
        assert_eq!(&text[..span.start], "a\n");
        assert_eq!(&text[span.end..], "b\n");
    }
}
