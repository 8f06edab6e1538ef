//! Reports a segment or product that no instruction's `for` list names.
//!
//! **Why it matters.** Segments and products exist to tailor the
//! instructions ("send the dealer price list" only for dealers). One that
//! no instruction mentions changes nothing in any manual, which usually
//! means a forgotten instruction or a misspelling. With a `revenue` goal
//! every segment is used: its share and `deal` turn money into clients.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   segment dealer "Dealers"
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won }
//!   stage won { outcome won }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   segment dealer "Dealers"
//!   role rep
//!   stage a { entry owner rep instruct rep { "Send the dealer price list" for dealer } -> won }
//!   stage won { outcome won }
//! }
//! ```

use super::Context;
use super::say::kw;
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;
use crate::model::Goal;
use foldhash::HashSet;

pub(super) fn check(cx: &mut Context) {
    let model = cx.model;
    let named: HashSet<&str> =
        model.stages.iter().flat_map(|s| &s.instructions).flat_map(|i| &i.for_names).map(String::as_str).collect();
    let revenue_goal = model.plan.as_ref().is_some_and(|p| matches!(p.goal, Some(Goal::Revenue(..))));
    let mut found = Vec::new();
    for s in &model.segments {
        if !named.contains(s.id.as_str()) && !revenue_goal {
            found.push(unused(cx.lang, "segment", &s.id, s.span).with_fix(super::fix::remove_declaration(cx, s.span, &s.id)));
        }
    }
    for p in &model.products {
        if !named.contains(p.id.as_str()) {
            found.push(unused(cx.lang, "product", &p.id, p.span).with_fix(super::fix::remove_declaration(cx, p.span, &p.id)));
        }
    }
    found.into_iter().for_each(|d| cx.report(d));
}

fn unused(lang: Lang, kind: &str, id: &str, span: crate::span::Span) -> Diagnostic {
    let for_ = kw("for");
    match lang {
        Lang::En => Diagnostic::new(Code::P103, span, format!("the {kind} `{id}` is not used by any instruction"))
            .with_label(format!("never named in a `{for_}` list"))
            .with_help(format!("limit an instruction to it with `{for_} {id}`, or remove the {kind}")),
        Lang::Ru => {
            let noun = if kind == "product" { "продукт" } else { "сегмент" };
            Diagnostic::new(Code::P103, span, format!("{noun} `{id}` не упомянут ни в одной инструкции"))
                .with_label(format!("не назван ни в одном списке `{for_}`"))
                .with_help(format!("адресуйте ему инструкцию через `{for_} {id}` или удалите {noun}"))
        }
    }
}
