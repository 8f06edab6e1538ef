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
use super::say::{count_ru, kw};
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;

pub(super) fn check(cx: &mut Context) {
    for metric in &cx.model.metrics {
        let (n, id) = (metric.measure_count, &metric.id);
        if n == 1 {
            continue;
        }
        let (conversion, time, volume, activity, by, arrow) =
            (kw("conversion"), kw("time"), kw("volume"), kw("activity"), kw("by"), kw("->"));
        cx.report(match cx.lang {
            Lang::En => Diagnostic::new(Code::P502, metric.span, match n {
                0 => format!("the metric `{id}` measures nothing"),
                n => format!("the metric `{id}` has {n} measures; a metric measures one thing"),
            })
            .with_label("needs exactly one measure")
            .with_help(format!("use one of `{conversion} A {arrow} B`, `{time} A`, `{time} A {arrow} B`, `{volume} A` or `{activity} \"calls\" {by} ROLE`; split several into separate metrics")),
            Lang::Ru => Diagnostic::new(Code::P502, metric.span, match n {
                0 => format!("метрика `{id}` ничего не измеряет"),
                n => format!(
                    "у метрики `{id}` {}, а метрика измеряет что-то одно",
                    count_ru(n as u64, "измерение", "измерения", "измерений")
                ),
            })
            .with_label("нужно ровно одно измерение")
            .with_help(format!("выберите одно из: `{conversion} А {arrow} Б`, `{time} А`, `{time} А {arrow} Б`, `{volume} А` или `{activity} \"звонки\" {by} РОЛЬ`; несколько измерений разнесите по отдельным метрикам")),
        });
    }
}
