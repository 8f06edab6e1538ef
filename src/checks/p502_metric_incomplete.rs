//! Reports a metric with no measure, or with more than one: a metric
//! measures exactly one of `conversion A -> B`, `time A`, `time A -> B`,
//! `volume A` or `activity "…" by ROLE`.
//!
//! **Why it matters.** A metric is one number someone is accountable
//! for; with no measure there is nothing to track, with two it is unclear
//! which the target is about. Split it into two metrics.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won 20% -> lost }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//!   metric m { conversion a -> won time a target >= 10% }
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
//!   metric m { conversion a -> won target >= 10% }
//! }
//! ```

use super::Context;
use crate::diagnostics::{Code, Diagnostic};

pub(super) fn check(cx: &mut Context) {
    for metric in &cx.model.metrics {
        let message = match metric.measure_count {
            1 => continue,
            0 => format!("the metric `{}` measures nothing", metric.id),
            n => format!("the metric `{}` has {n} measures; a metric measures one thing", metric.id),
        };
        cx.report(
            Diagnostic::new(Code::P502, metric.span, message)
                .with_label("needs exactly one measure")
                .with_help("use one of `conversion A -> B`, `time A`, `time A -> B`, `volume A` or `activity \"calls\" by ROLE`; split several into separate metrics"),
        );
    }
}
