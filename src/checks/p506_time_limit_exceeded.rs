//! Reports a deadline or time target tighter than the stage's own time
//! limit allows: an instruction whose `within` is longer than its stage's
//! `within`; a `time A` metric with `target <= X` where X is shorter than
//! A's `within`; a `time A -> B` metric with `target <= X` where X is
//! shorter than the longest path by `within` from A to B (without `loop`
//! transitions).
//!
//! **Why it matters.** The time limits must agree with each other: a step
//! cannot be given three days in a stage that may last one, and a target
//! of "two days from request to offer" cannot hold when the stages between
//! them may take a week by their own limits. Equal values, `>=` targets
//! and stages without `within` are not reported.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep within 1d instruct rep { "Send the price list" within 3d } -> won 20% -> lost }
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
//!   stage a { entry owner rep within 1d instruct rep { "Send the price list" within 4h } -> won 20% -> lost }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//! }
//! ```

use super::Context;
use crate::diagnostics::{Code, Diagnostic};
use crate::i18n::duration_en as show;
use crate::model::{Comparison, Measure, Quantity};

pub(super) fn check(cx: &mut Context) {
    let model = cx.model;
    let mut found = Vec::new();
    for stage in &model.stages {
        let Some(limit) = stage.within else { continue };
        for i in &stage.instructions {
            let (Some(deadline), Some(span)) = (i.within, i.within_span) else { continue };
            if deadline > limit {
                found.push(
                    Diagnostic::new(
                        Code::P506,
                        span,
                        format!(
                            "this step may take {}, but the stage `{}` must be done within {}",
                            show(deadline),
                            stage.id,
                            show(limit)
                        ),
                    )
                    .with_label("longer than the stage's limit")
                    .with_related(stage.within_span.unwrap_or(stage.span), "the stage's limit")
                    .with_help("shorten the step's deadline, or give the stage more time"),
                );
            }
        }
    }
    let acyclic = model.targets_resolve() && cx.graph.cycles(crate::model::graph::Edges::WithoutLoops).is_empty();
    for metric in &model.metrics {
        let (Some(Measure::Time { from: Some(a), to }), Some(target)) = (&metric.measure, &metric.target) else {
            continue;
        };
        let (Comparison::AtMost, Quantity::Minutes(x)) = (target.cmp, target.value) else { continue };
        let (limit, what) = match to {
            None => (model.stage(*a).within.map(f64::from), format!("the stage `{}` may take", model.stage(*a).id)),
            Some(Some(b)) if acyclic => (
                crate::funnel::longest_within(model, cx.graph, *a, *b),
                format!("the path from `{}` to `{}` may take", model.stage(*a).id, model.stage(*b).id),
            ),
            Some(_) => continue,
        };
        let Some(limit) = limit else { continue };
        if f64::from(x) < limit - 1e-9 {
            found.push(
                Diagnostic::new(
                    Code::P506,
                    target.span,
                    format!(
                        "the target of `{}` is at most {}, but {what} {} by its own time limits",
                        metric.id,
                        show(x),
                        show(limit.round() as u32)
                    ),
                )
                .with_label("tighter than the time limits allow")
                .with_help("raise the target, or shorten the stages' `within` limits"),
            );
        }
    }
    found.into_iter().for_each(|d| cx.report(d));
}
