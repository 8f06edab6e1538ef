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
use super::say::{Case, duration, duration_in, kw};
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;
use crate::model::{Comparison, Measure, Quantity};

pub(super) fn check(cx: &mut Context) {
    let (model, lang) = (cx.model, cx.lang);
    let mut found = Vec::new();
    for stage in &model.stages {
        let Some(limit) = stage.within else { continue };
        for i in &stage.instructions {
            let (Some(deadline), Some(span)) = (i.within, i.within_span) else { continue };
            if deadline > limit {
                let (step, whole, id) = (duration(lang, deadline), duration(lang, limit), &stage.id);
                let limit_at = stage.within_span.unwrap_or(stage.span);
                found.push(match lang {
                    Lang::En => Diagnostic::new(
                        Code::P506,
                        span,
                        format!("this step may take {step}, but the stage `{id}` must be done within {whole}"),
                    )
                    .with_label("longer than the stage's limit")
                    .with_related(limit_at, "the stage's limit")
                    .with_help("shorten the step's deadline, or give the stage more time"),
                    Lang::Ru => Diagnostic::new(
                        Code::P506,
                        span,
                        format!("срок этого шага — {step}, а срок всего этапа `{id}` — {whole}"),
                    )
                    .with_label("дольше срока этапа")
                    .with_related(limit_at, "срок этапа")
                    .with_help("сократите срок шага или дайте этапу больше времени"),
                });
            }
        }
    }
    let acyclic = model.targets_resolve() && cx.graph.cycles(crate::model::graph::Edges::WithoutLoops).is_empty();
    for metric in &model.metrics {
        let (Some(Measure::Time { from: Some(a), to }), Some(target)) = (&metric.measure, &metric.target) else {
            continue;
        };
        let (Comparison::AtMost, Quantity::Minutes(x)) = (target.cmp, target.value) else { continue };
        let from = &model.stage(*a).id;
        let (limit, what) = match (to, lang) {
            (None, Lang::En) => (model.stage(*a).within.map(f64::from), format!("the stage `{from}` may take")),
            (None, Lang::Ru) => {
                (model.stage(*a).within.map(f64::from), format!("этап `{from}` по своему сроку может длиться"))
            }
            (Some(Some(b)), _) if acyclic => (
                crate::funnel::longest_within(model, cx.graph, *a, *b),
                match lang {
                    Lang::En => format!("the path from `{from}` to `{}` may take", model.stage(*b).id),
                    Lang::Ru => format!("путь от `{from}` до `{}` по срокам его этапов может длиться", model.stage(*b).id),
                },
            ),
            (Some(_), _) => continue,
        };
        let Some(limit) = limit else { continue };
        if f64::from(x) < limit - 1e-9 {
            let (id, within) = (&metric.id, kw("within"));
            let limit = limit.round() as u32;
            found.push(match lang {
                Lang::En => Diagnostic::new(
                    Code::P506,
                    target.span,
                    format!(
                        "the target of `{id}` is at most {}, but {what} {} by its own time limits",
                        duration(lang, x),
                        duration(lang, limit)
                    ),
                )
                .with_label("tighter than the time limits allow")
                .with_help(format!("raise the target, or shorten the stages' `{within}` limits")),
                Lang::Ru => Diagnostic::new(
                    Code::P506,
                    target.span,
                    format!(
                        "цель метрики `{id}` — не больше {}, а {what} до {}",
                        duration_in(lang, x, Case::Genitive),
                        duration_in(lang, limit, Case::Genitive)
                    ),
                )
                .with_label("строже, чем позволяют сроки этапов")
                .with_help(format!("ослабьте цель или сократите сроки этапов (`{within}`)")),
            });
        }
    }
    found.into_iter().for_each(|d| cx.report(d));
}
