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

use super::Context;
use super::say::percent;
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;

pub(super) fn check(cx: &mut Context) {
    for stage in super::p302_probabilities_incomplete::checkable(cx) {
        let sum: f64 = stage.transitions.iter().filter_map(|t| t.given).sum();
        if sum > 1.0 + 1e-9 {
            let span = super::p302_probabilities_incomplete::transitions_span(stage);
            let (id, sum) = (&stage.id, percent(cx.lang, sum));
            cx.report(match cx.lang {
                Lang::En => {
                    Diagnostic::new(Code::P301, span, format!("the transitions of `{id}` add up to {sum}, more than 100%"))
                        .with_label(format!("{sum} in all"))
                        .with_help("lower the percentages so that they add up to 100% at most")
                }
                Lang::Ru => Diagnostic::new(
                    Code::P301,
                    span,
                    format!("проценты переходов этапа `{id}` в сумме дают {sum}, больше 100%"),
                )
                .with_label(format!("всего {sum}"))
                .with_help("уменьшите проценты, чтобы в сумме было не больше 100%"),
            });
        }
    }
}
