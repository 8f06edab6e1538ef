//! Reports a metric whose value in the funnel model misses its target,
//! and gives both numbers.
//!
//! **Why it matters.** The percentages of the transitions already say what
//! the process delivers. A target the model cannot meet ("40% of leads to
//! contract" when the transitions give 20%) will be missed by a team that
//! follows the process perfectly: either the target or the process is
//! wrong. `conversion A -> B` counts every way from A to B, loops
//! included; `time` uses `takes` (or `within`); `volume` needs a plan. An
//! `activity` metric has no model value and is never reported.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> b 60% -> lost }
//!   stage b { owner rep instruct rep { "Offer" } -> won 30% -> a 20% loop -> lost }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//!   metric m "Lead to contract" { conversion a -> won target >= 25% }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> b 60% -> lost }
//!   stage b { owner rep instruct rep { "Offer" } -> won 30% -> a 20% loop -> lost }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//!   metric m "Lead to contract" { conversion a -> won target >= 20% }
//! }
//! ```

use super::Context;
use super::say::{Case, duration, duration_in, number, percent};
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;
use crate::model::{Comparison, Measure, Quantity};

pub(super) fn check(cx: &mut Context) {
    let Some(analysis) = cx.analysis else { return };
    let (model, lang) = (cx.model, cx.lang);
    let period = analysis.plan.as_ref().map(|p| p.period);
    for (metric, value) in model.metrics.iter().zip(&analysis.metrics) {
        let (Some(measure), Some(target), Some(value)) = (&metric.measure, &metric.target, value) else { continue };
        if !super::p501_unit_mismatch::fits(measure, &target.value) {
            continue;
        }
        let (wanted, shown_target, shown_value) = match (measure, target.value) {
            (Measure::Conversion { .. }, Quantity::Percent(p)) => (p, percent(lang, p), percent(lang, *value)),
            (Measure::Time { .. }, Quantity::Minutes(m)) => {
                (f64::from(m), duration_in(lang, m, Case::Genitive), duration(lang, value.round() as u32))
            }
            (Measure::Volume(_), Quantity::Rate(rate)) => {
                let (Some(plan), Some(per)) = (&model.plan, period) else { continue };
                let wanted = plan.convert(rate, per);
                (
                    wanted,
                    format!("{} {}", number(lang, wanted), super::say::per(lang, per)),
                    format!("{} {}", number(lang, *value), super::say::per(lang, per)),
                )
            }
            _ => continue,
        };
        let missed = match target.cmp {
            Comparison::AtLeast => *value < wanted - 1e-9,
            Comparison::AtMost => *value > wanted + 1e-9,
        };
        if !missed {
            continue;
        }
        let id = &metric.id;
        cx.report(match lang {
            Lang::En => {
                let relation = match target.cmp {
                    Comparison::AtLeast => "at least",
                    Comparison::AtMost => "at most",
                };
                Diagnostic::new(
                    Code::P503,
                    target.span,
                    format!("the metric `{id}` targets {relation} {shown_target}, but the funnel model gives {shown_value}"),
                )
                .with_label(format!("the process gives {shown_value}"))
                .with_help("change the transitions' percentages (or times) so the process can meet the target, or set a target the process can meet")
            }
            Lang::Ru => {
                let relation = match target.cmp {
                    Comparison::AtLeast => "не меньше",
                    Comparison::AtMost => "не больше",
                };
                Diagnostic::new(
                    Code::P503,
                    target.span,
                    format!("цель метрики `{id}` — {relation} {shown_target}, а по модели воронки — {shown_value}"),
                )
                .with_label(format!("по модели: {shown_value}"))
                .with_help("измените проценты переходов (или сроки), чтобы процесс достигал цели, или поставьте цель, которой процесс может достичь")
            }
        });
    }
}

