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
            crate::ast::OutcomeKind::Won => "won",
            crate::ast::OutcomeKind::Lost => "lost",
        };
        for i in &stage.items {
            let what = match &i.kind {
                StageItemKind::Description(_) | StageItemKind::Instruct { .. } | StageItemKind::Outcome(_) => continue,
                StageItemKind::Transition(t) => format!("a transition (`-> {}`)", t.target.name),
                other => format!("`{}`", other.keyword()),
            };
            found.push(
                Diagnostic::new(
                    Code::P207,
                    i.span,
                    format!("the outcome stage `{}` cannot have {what}", stage.name.name),
                )
                .with_label(format!("not allowed on an `outcome {word}` stage"))
                .with_help("an outcome ends the client's path: it may hold only `description` and `instruct`; move this to the stage before it"),
            );
        }
    }
    found.into_iter().for_each(|d| cx.report(d));
}
