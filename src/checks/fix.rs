//! The repairs some checks attach to their diagnostics ([`Fix`]): what an
//! editor offers as a quick fix. Each is made from the model and the text
//! the check saw, in the language of its messages.

use super::Context;
use super::say::kw;
use crate::ast::{self, ProcessItem};
use crate::diagnostics::Fix;
use crate::lang::Lang;
use crate::model::{OutcomeKind, Stage, Transition};
use crate::span::Span;
use crate::syntax::lexer::{Kind, Lexer};

fn say(cx: &Context, en: String, ru: String) -> String {
    if cx.lang == Lang::Ru { ru } else { en }
}

/// P102: the misspelt name replaced by the closest declared one.
pub(super) fn replace_name(cx: &Context, span: Span, near: &str) -> Fix {
    Fix {
        title: say(cx, format!("Replace by `{near}`"), format!("Заменить на `{near}`")),
        edits: vec![(span, near.to_string())],
    }
}

/// P205: the transition that closes the cycle, marked `loop` (before its
/// label, if it has one).
pub(super) fn mark_loop(cx: &Context, transition: &Transition) -> Fix {
    let word = kw("loop");
    let span = transition.span;
    let written = cx.source_text(span);
    let edit = match Lexer::new(written).find(|t| t.kind == Kind::String) {
        Some(t) => (span.with(span.start + t.start, span.start + t.start), format!("{word} ")),
        None => (span.with(span.end, span.end), format!(" {word}")),
    };
    Fix {
        title: say(cx, format!("Mark the transition `{word}`"), format!("Пометить переход словом `{word}`")),
        edits: vec![edit],
    }
}

/// A number as the source writes it: a decimal point, at most two decimals.
pub(super) fn source_number(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// The blanks at the start of the line holding `offset`.
fn indentation(text: &str, offset: usize) -> String {
    let start = text[..offset.min(text.len())].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    text[start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect()
}

/// P302: the missing share given to the transition to the `lost` outcome,
/// or a new transition to it without a percentage.
pub(super) fn complete_percentages(cx: &Context, stage: &Stage) -> Option<Fix> {
    let model = cx.model;
    let sum: f64 = stage.transitions.iter().filter_map(|t| t.given).sum();
    let missing = source_number((1.0 - sum) * 100.0);
    let arrow = kw("->");
    let is_lost = |t: &&Transition| t.target.is_some_and(|s| model.stage(s).outcome == Some(OutcomeKind::Lost));
    if let Some(t) = stage.transitions.iter().find(is_lost) {
        let written = cx.source_text(t.span);
        let percent = Lexer::new(written).find(|k| k.kind == Kind::Number && k.text(written).ends_with('%'))?;
        let new = format!("{}%", source_number((t.given.unwrap_or(0.0) + 1.0 - sum) * 100.0));
        let name = &t.target_name;
        let title = say(
            cx,
            format!("Give `{name}` the missing {missing}%: {new}"),
            format!("Отдать переходу в `{name}` недостающие {missing}%: станет {new}"),
        );
        return Some(Fix {
            title,
            edits: vec![(t.span.with(t.span.start + percent.start, t.span.start + percent.end), new)],
        });
    }
    let lost = model.stages.iter().find(|s| s.outcome == Some(OutcomeKind::Lost))?;
    let last = stage.transitions.last()?;
    let indent = indentation(cx.text, last.span.start);
    let title = say(
        cx,
        format!("Add `{arrow} {}` for the remaining {missing}%", lost.id),
        format!("Добавить `{arrow} {}` на оставшиеся {missing}%", lost.id),
    );
    Some(Fix {
        title,
        edits: vec![(last.span.with(last.span.end, last.span.end), format!("\n{indent}{arrow} {}", lost.id))],
    })
}

/// P401: `owner ROLE` as the stage's first property.
pub(super) fn add_owner(cx: &Context, stage: &Stage, role: &str) -> Option<Fix> {
    let text = cx.text;
    let brace = Lexer::at(text, stage.span.end).find(|t| t.kind == Kind::LBrace || t.kind == Kind::LineBreak)?;
    if brace.kind != Kind::LBrace {
        return None;
    }
    let owner = kw("owner");
    let indent = indentation(text, stage.span.start);
    let next = Lexer::at(text, brace.end).find(|t| t.kind != Kind::Blank)?;
    let close = if next.kind == Kind::RBrace { format!("\n{indent}") } else { String::new() };
    let at = stage.span.with(brace.end, brace.end);
    Some(Fix {
        title: say(cx, format!("Add `{owner} {role}`"), format!("Добавить `{owner} {role}`")),
        edits: vec![(at, format!("\n{indent}  {owner} {role}{close}"))],
    })
}

/// P103, P403: the unused declaration (named at `name`) removed, with its
/// lines when nothing else stands on them.
pub(super) fn remove_declaration(cx: &Context, name: Span, id: &str) -> Option<Fix> {
    let whole = cx.source.items.iter().find_map(|item| match item {
        ProcessItem::Segment(ast::Segment { span, name: n, .. })
        | ProcessItem::Product(ast::Product { span, name: n, .. })
        | ProcessItem::Role(ast::Role { span, name: n, .. })
            if n.span == name =>
        {
            Some(*span)
        }
        _ => None,
    })?;
    // A declaration from a library is the library's file's; not removed
    // from here.
    if whole.file != name.file || whole.file != crate::span::FileId::ROOT {
        return None;
    }
    Some(Fix {
        title: say(cx, format!("Remove `{id}`"), format!("Удалить `{id}`")),
        edits: vec![(whole_lines(cx.text, whole), String::new())],
    })
}

/// `span` widened to whole lines when nothing else stands on them.
fn whole_lines(text: &str, span: Span) -> Span {
    let line_start = text[..span.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let start = if text[line_start..span.start].trim().is_empty() { line_start } else { span.start };
    let line_end = text[span.end..].find('\n').map_or(text.len(), |i| span.end + i + 1);
    let end = if text[span.end..line_end].trim().is_empty() { line_end } else { span.end };
    span.with(start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(text: &str, fix: &Fix) -> String {
        let mut out = text.to_string();
        let mut edits = fix.edits.clone();
        edits.sort_by_key(|e| std::cmp::Reverse(e.0.start));
        for (span, new) in edits {
            out.replace_range(span.start..span.end, &new);
        }
        out
    }

    #[test]
    fn checks_attach_their_repairs() {
        let text = "process p {\n  stage a {\n    entry\n    owner r\n    instruct r { \"x\" }\n    -> b\n  }\n  stage b {\n    owner r\n    instruct r { \"y\" }\n    -> a \"again\"\n  }\n  role r\n  segment s\n}\n";
        let compiled = crate::compile_str(text.to_string());
        let fix = |code: crate::diagnostics::Code| {
            let d = compiled.diagnostics.iter().find(|d| d.code == code).expect("the diagnostic");
            d.fix.clone().expect("a repair")
        };
        let cycle = fix(crate::diagnostics::Code::P205);
        assert_eq!(cycle.title, "Mark the transition `loop`");
        assert_eq!(applied(text, &cycle), text.replace("-> a \"again\"", "-> a loop \"again\""));
        let unused = fix(crate::diagnostics::Code::P103);
        assert_eq!(applied(text, &unused), text.replace("  segment s\n", ""));
    }

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
