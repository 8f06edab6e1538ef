//! Reports a stage (not an outcome) with no `instruct` block.
//!
//! **Why it matters.** The manuals are made of instructions: a stage
//! without any tells its owner nothing about what to do there, so the
//! stage is empty in every manual.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep -> won }
//!   stage won { outcome won }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call the client back within an hour" } -> won }
//!   stage won { outcome won }
//! }
//! ```

use super::Context;
use crate::diagnostics::{Code, Diagnostic};

pub(super) fn check(cx: &mut Context) {
    for stage in &cx.model.stages {
        if !stage.is_terminal() && !stage.has_instruct_block {
            cx.report(
                Diagnostic::new(Code::P402, stage.span, format!("the stage `{}` has no instructions", stage.id))
                    .with_label("no `instruct` block")
                    .with_help("say what the owner does here: `instruct ROLE { \"first step\" \"second step\" }`"),
            );
        }
    }
}
