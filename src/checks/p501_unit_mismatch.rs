//! Reports a metric target whose unit does not fit what the metric
//! measures: a conversion target is a percentage, a time target a
//! duration, a volume or activity target a rate.
//!
//! **Why it matters.** A target is compared with what the process
//! delivers: "at least 40% of offers become contracts", "the first call
//! within 2h", "at least 40 calls a day". A target in another unit cannot
//! be compared with anything.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won 20% -> lost }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//!   metric m { conversion a -> won target >= 2d }
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
//!   metric m { conversion a -> won target >= 15% }
//! }
//! ```

use super::Context;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Measure, Quantity};

/// Whether a target's value fits a measure.
pub(super) fn fits(measure: &Measure, value: &Quantity) -> bool {
    matches!(
        (measure, value),
        (Measure::Conversion { .. }, Quantity::Percent(_))
            | (Measure::Time { .. }, Quantity::Minutes(_))
            | (Measure::Volume(_) | Measure::Activity { .. }, Quantity::Rate(_))
    )
}

pub(super) fn check(cx: &mut Context) {
    for metric in &cx.model.metrics {
        let (Some(measure), Some(target)) = (&metric.measure, &metric.target) else { continue };
        if fits(measure, &target.value) {
            continue;
        }
        let (wanted, example) = match measure {
            Measure::Conversion { .. } => ("a percentage", "`target >= 40%`"),
            Measure::Time { .. } => ("a duration", "`target <= 2d`"),
            Measure::Volume(_) => ("a rate", "`target >= 50/month`"),
            Measure::Activity { .. } => ("a rate", "`target >= 40/day`"),
        };
        cx.report(
            Diagnostic::new(
                Code::P501,
                target.span,
                format!(
                    "the target of the {} metric `{}` is {}, but it must be {wanted}",
                    measure.keyword(),
                    metric.id,
                    target.value.kind_name()
                ),
            )
            .with_label(format!("{} here", target.value.kind_name()))
            .with_help(format!(
                "{} {} target is {wanted}, e.g. {example}",
                if measure.keyword().starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" },
                measure.keyword()
            )),
        );
    }
}
