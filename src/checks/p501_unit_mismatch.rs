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
use super::say::kw;
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;
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
        let t = kw("target");
        let example = match measure {
            Measure::Conversion { .. } => format!("`{t} >= 40%`"),
            Measure::Time { .. } => format!("`{t} <= 2{}`", kw("d")),
            Measure::Volume(_) => format!("`{t} >= 50/{}`", kw("month")),
            Measure::Activity { .. } => format!("`{t} >= 40/{}`", kw("day")),
        };
        let (measure_kw, id) = (kw(measure.keyword()), &metric.id);
        cx.report(match cx.lang {
            Lang::En => {
                let wanted = match measure {
                    Measure::Conversion { .. } => "a percentage",
                    Measure::Time { .. } => "a duration",
                    Measure::Volume(_) | Measure::Activity { .. } => "a rate",
                };
                let got = target.value.kind_name();
                let a = if measure_kw.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
                Diagnostic::new(
                    Code::P501,
                    target.span,
                    format!("the target of the {measure_kw} metric `{id}` is {got}, but it must be {wanted}"),
                )
                .with_label(format!("{got} here"))
                .with_help(format!("{a} {measure_kw} target is {wanted}, e.g. {example}"))
            }
            Lang::Ru => {
                let (needed, is) = match measure {
                    Measure::Conversion { .. } => ("нужен процент", "процент"),
                    Measure::Time { .. } => ("нужна длительность", "длительность"),
                    Measure::Volume(_) | Measure::Activity { .. } => {
                        ("нужно количество за период", "количество за период")
                    }
                };
                let got = match target.value {
                    Quantity::Number(_) => "число",
                    Quantity::Percent(_) => "процент",
                    Quantity::Minutes(_) => "длительность",
                    Quantity::Rate(_) => "количество за период",
                };
                Diagnostic::new(
                    Code::P501,
                    target.span,
                    format!("цель метрики `{id}` (`{measure_kw}`) задана как {got}, а {needed}"),
                )
                .with_label(format!("здесь {got}"))
                .with_help(format!("цель метрики `{measure_kw}` — это {is}, например {example}"))
            }
        });
    }
}
