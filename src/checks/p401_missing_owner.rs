//! Reports a stage (not an outcome) with no `owner`.
//!
//! **Why it matters.** The process approach assigns every stage to a
//! position: someone is responsible for each client there, and that
//! stage's part of the manual goes to them. Without an owner nobody is
//! accountable, and the plan cannot count the stage's workload.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry instruct rep { "Call" } -> won }
//!   stage won { outcome won }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won }
//!   stage won { outcome won }
//! }
//! ```

use super::Context;
use crate::diagnostics::{Code, Diagnostic};

pub(super) fn check(cx: &mut Context) {
    for stage in &cx.model.stages {
        // An owner that does not resolve is P102, not also P401.
        if !stage.is_terminal() && stage.owner_span.is_none() {
            let example = cx.model.roles.first().map_or("manager", |r| r.id.as_str());
            cx.report(
                Diagnostic::new(Code::P401, stage.span, format!("nobody owns the stage `{}`", stage.id))
                    .with_label("no `owner`")
                    .with_help(format!("name the role responsible for clients here, e.g. `owner {example}`")),
            );
        }
    }
}
