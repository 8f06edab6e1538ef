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
use crate::model::graph::Edges;

pub(super) fn check(cx: &mut Context) {
    let entries: Vec<_> = cx.model.entries().collect();
    if entries.is_empty() {
        return;
    }
    let reached = cx.graph.reachable_from(entries, Edges::All);
    for (stage, reached) in cx.model.stages.iter().zip(reached) {
        if !reached {
            cx.report(
                Diagnostic::new(Code::P203, stage.span, format!("no client can reach the stage `{}`", stage.id))
                    .with_label("no path from an entry leads here")
                    .with_help(format!(
                        "add a transition `-> {}` to an earlier stage, mark it as an `entry`, or remove it",
                        stage.id
                    )),
            );
        }
    }
}
