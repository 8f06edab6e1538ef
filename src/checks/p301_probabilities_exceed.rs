//! Reports a stage whose transition percentages add up to more than 100%.
//!
//! **Why it matters.** The percentages say how the clients who leave a
//! stage divide between the next stages; together they cannot be more than
//! all of them. The funnel model cannot be computed until they add up.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won 60% -> lost 50% }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won 60% -> lost 40% }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//! }
//! ```

use super::{Context, percent};
use crate::diagnostics::{Code, Diagnostic};

pub(super) fn check(cx: &mut Context) {
    for stage in super::p302_probabilities_incomplete::checkable(cx) {
        let sum: f64 = stage.transitions.iter().filter_map(|t| t.given).sum();
        if sum > 1.0 + 1e-9 {
            let span = super::p302_probabilities_incomplete::transitions_span(stage);
            cx.report(
                Diagnostic::new(
                    Code::P301,
                    span,
                    format!("the transitions of `{}` add up to {}, more than 100%", stage.id, percent(sum)),
                )
                .with_label(format!("{} in all", percent(sum)))
                .with_help("lower the percentages so that they add up to 100% at most"),
            );
        }
    }
}
