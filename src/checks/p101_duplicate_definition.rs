//! Reports two declarations of one kind with the same name, pointing at
//! both.
//!
//! **Why it matters.** Names are how stages, roles and segments refer to
//! each other; a name used twice makes every reference ambiguous. Only the
//! first declaration counts for every other check. A role and a stage may
//! share a name: each kind has its own names.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won }
//!   stage a { owner rep instruct rep { "Call again" } -> won }
//!   stage won { outcome won }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> b }
//!   stage b { owner rep instruct rep { "Call again" } -> won }
//!   stage won { outcome won }
//! }
//! ```

use super::Context;
use crate::ast::{Ident, ProcessItem};
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;
use foldhash::HashMap;

pub(super) fn check(cx: &mut Context) {
    let mut by_kind: HashMap<&'static str, Vec<&Ident>> = HashMap::default();
    for item in &cx.source.items {
        let (kind, name) = match item {
            ProcessItem::Segment(s) => ("segment", &s.name),
            ProcessItem::Product(p) => ("product", &p.name),
            ProcessItem::Role(r) => ("role", &r.name),
            ProcessItem::Stage(s) => ("stage", &s.name),
            ProcessItem::Metric(m) => ("metric", &m.name),
            _ => continue,
        };
        by_kind.entry(kind).or_default().push(name);
    }
    let mut found = Vec::new();
    for (kind, names) in by_kind {
        let mut first: HashMap<&str, &Ident> = HashMap::default();
        for name in names {
            match first.get(name.name.as_str()) {
                Some(original) => found.push(duplicate(cx.lang, kind, name, original)),
                None => {
                    first.insert(&name.name, name);
                }
            }
        }
    }
    found.into_iter().for_each(|d| cx.report(d));
}

fn duplicate(lang: Lang, kind: &str, name: &Ident, original: &Ident) -> Diagnostic {
    let d = Diagnostic::new(Code::P101, name.span, match lang {
        Lang::En => format!("the {kind} `{}` is declared twice", name.name),
        Lang::Ru => {
            let (noun, declared) = match kind {
                "segment" => ("сегмент", "объявлен"),
                "product" => ("продукт", "объявлен"),
                "role" => ("роль", "объявлена"),
                "metric" => ("метрика", "объявлена"),
                _ => ("этап", "объявлен"),
            };
            format!("{noun} `{}` {declared} дважды", name.name)
        }
    });
    match lang {
        Lang::En => d
            .with_label("declared again here")
            .with_related(original.span, "first declared here")
            .with_help(format!("rename one of the two, or merge them into one {kind}")),
        Lang::Ru => {
            let one = match kind {
                "segment" => "один сегмент",
                "product" => "один продукт",
                "role" => "одну роль",
                "metric" => "одну метрику",
                _ => "один этап",
            };
            d.with_label("повторное объявление")
                .with_related(original.span, "первое объявление")
                .with_help(format!("переименуйте одно из двух объявлений или объедините их в {one}"))
        }
    }
}
