//! Reports a process in which no stage has `outcome won`.
//!
//! **Why it matters.** The whole process exists to win clients; without a
//! won outcome there is no success to measure, and every win probability
//! would be zero.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> lost }
//!   stage lost { outcome lost }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won 20% -> lost }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//! }
//! ```

use super::Context;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::OutcomeKind;

pub(super) fn check(cx: &mut Context) {
    if !cx.model.stages.iter().any(|s| s.outcome == Some(OutcomeKind::Won)) {
        cx.report(
            Diagnostic::new(Code::P202, cx.model.name_span, "no stage is a `won` outcome")
                .with_label("this process can never win a client")
                .with_help("add a stage for the successful end, e.g. `stage won \"Contract signed\" { outcome won }`"),
        );
    }
}
