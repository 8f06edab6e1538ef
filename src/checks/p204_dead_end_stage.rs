//! Reports a stage that is not an outcome and has no transitions.
//!
//! **Why it matters.** A client who reaches it has nowhere to go: the
//! manual cannot say what happens next, and the funnel loses these
//! clients. Every stage either leads on (`-> next`) or is an outcome.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> b 50% -> won }
//!   stage b { owner rep instruct rep { "Wait" } }
//!   stage won { outcome won }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> b 50% -> won }
//!   stage b { owner rep instruct rep { "Wait" } -> won 10% -> lost }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//! }
//! ```

use super::Context;
use crate::diagnostics::{Code, Diagnostic};

pub(super) fn check(cx: &mut Context) {
    for stage in &cx.model.stages {
        if !stage.is_terminal() && stage.transitions.is_empty() {
            cx.report(
                Diagnostic::new(Code::P204, stage.span, format!("clients who reach `{}` have nowhere to go", stage.id))
                    .with_label("no transitions and no outcome")
                    .with_help("add transitions such as `-> next_stage 60%` and `-> lost`, or make it an outcome with `outcome won` or `outcome lost`"),
            );
        }
    }
}
