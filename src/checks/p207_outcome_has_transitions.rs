//! Reports an outcome stage (`outcome won` or `outcome lost`) that has
//! anything besides `description` and `instruct`: transitions, `owner`,
//! `entry`, `takes`, `within`, `effort` or `exit`.
//!
//! **Why it matters.** An outcome is where a client's path ends: won or
//! lost. Nothing follows it, so it has no transitions, time limits or
//! owner. What to do when a client is won or lost (a thank-you note,
//! recording the reason) goes in its `instruct` blocks. The extra
//! properties are ignored by every other check.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won 50% -> lost }
//!   stage won { outcome won }
//!   stage lost { outcome lost within 1d -> a }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won 50% -> lost }
//!   stage won { outcome won }
//!   stage lost { outcome lost instruct rep { "Record the reason in the CRM" } }
//! }
//! ```

use super::Context;
use crate::ast::{ProcessItem, StageItemKind};
use crate::diagnostics::{Code, Diagnostic};
use super::say::kw;
use crate::lang::Lang;

pub(super) fn check(cx: &mut Context) {
    let mut found = Vec::new();
    for item in &cx.source.items {
        let ProcessItem::Stage(stage) = item else { continue };
        let Some(kind) = stage.items.iter().find_map(|i| match i.kind {
            StageItemKind::Outcome(k) => Some(k),
            _ => None,
        }) else {
            continue;
        };
        let word = match kind {
            crate::ast::OutcomeKind::Won => kw("won"),
            crate::ast::OutcomeKind::Lost => kw("lost"),
        };
        let (outcome, description, instruct, arrow) = (kw("outcome"), kw("description"), kw("instruct"), kw("->"));
        let name = &stage.name.name;
        for i in &stage.items {
            let (transition, property) = match &i.kind {
                StageItemKind::Description(_) | StageItemKind::Instruct { .. } | StageItemKind::Outcome(_) => continue,
                StageItemKind::Transition(t) => (Some(&t.target.name), ""),
                other => (None, kw(other.keyword())),
            };
            found.push(match cx.lang {
                Lang::En => {
                    let what = match transition {
                        Some(target) => format!("a transition (`{arrow} {target}`)"),
                        None => format!("`{property}`"),
                    };
                    Diagnostic::new(Code::P207, i.span, format!("the outcome stage `{name}` cannot have {what}"))
                        .with_label(format!("not allowed on an `{outcome} {word}` stage"))
                        .with_help(format!("an outcome ends the client's path: it may hold only `{description}` and `{instruct}`; move this to the stage before it"))
                }
                Lang::Ru => {
                    let what = match transition {
                        Some(target) => format!("перехода (`{arrow} {target}`)"),
                        None => format!("свойства `{property}`"),
                    };
                    Diagnostic::new(Code::P207, i.span, format!("у итогового этапа `{name}` не может быть {what}"))
                        .with_label(format!("недопустимо на этапе с `{outcome} {word}`"))
                        .with_help(format!("итог завершает путь клиента: в нём могут быть только `{description}` и `{instruct}`; перенесите это в предыдущий этап"))
                }
            });
        }
    }
    found.into_iter().for_each(|d| cx.report(d));
}
