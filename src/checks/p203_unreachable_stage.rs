//! Reports a stage that no path of transitions from an entry reaches.
//!
//! **Why it matters.** No client ever gets to such a stage, so its
//! instructions are never used and its numbers are always zero. It is
//! usually a forgotten transition (`-> stage`) in an earlier stage.
//! Checked only when at least one stage is an entry and every transition
//! target is a declared stage.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won }
//!   stage b { owner rep instruct rep { "Follow up" } -> won }
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
//!   stage b { owner rep instruct rep { "Follow up" } -> won }
//!   stage won { outcome won }
//! }
//! ```

use super::Context;
use crate::diagnostics::{Code, Diagnostic};
use super::say::kw;
use crate::lang::Lang;
use crate::model::graph::Edges;

pub(super) fn check(cx: &mut Context) {
    let entries: Vec<_> = cx.model.entries().collect();
    if entries.is_empty() {
        return;
    }
    let reached = cx.graph.reachable_from(entries, Edges::All);
    for (stage, reached) in cx.model.stages.iter().zip(reached) {
        if !reached {
            let (arrow, entry, id) = (kw("->"), kw("entry"), &stage.id);
            cx.report(match cx.lang {
                Lang::En => Diagnostic::new(Code::P203, stage.span, format!("no client can reach the stage `{id}`"))
                    .with_label("no path from an entry leads here")
                    .with_help(format!(
                        "add a transition `{arrow} {id}` to an earlier stage, mark it as an `{entry}`, or remove it"
                    )),
                Lang::Ru => Diagnostic::new(Code::P203, stage.span, format!("ни один клиент не попадёт на этап `{id}`"))
                    .with_label("сюда не ведёт ни один путь от входа")
                    .with_help(format!(
                        "добавьте переход `{arrow} {id}` в один из предыдущих этапов, отметьте этап как `{entry}` или удалите его"
                    )),
            });
        }
    }
}
