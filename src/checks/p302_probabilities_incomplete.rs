//! Reports a stage whose percentages add up to less than 100% when no
//! transition takes the remainder, and says how much is missing.
//!
//! **Why it matters.** Clients who leave a stage go somewhere; if the
//! percentages leave some unaccounted for, the funnel loses them. Either
//! fix the numbers or leave one transition without a percentage (usually
//! `-> lost`): it takes whatever remains.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won 30% -> lost 60% }
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
//!   stage a { entry owner rep instruct rep { "Call" } -> won 30% -> lost }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//! }
//! ```

use super::Context;
use super::say::{kw, percent};
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;
use crate::model::Stage;
use crate::span::Span;

/// The stages P301–P303 look at: not outcomes, with transitions, and no
/// percentage rejected by P002.
pub(super) fn checkable<'m>(cx: &Context<'m>) -> Vec<&'m Stage> {
    cx.model
        .stages
        .iter()
        .filter(|s| !s.is_terminal() && !s.transitions.is_empty() && !s.has_rejected_percent)
        .collect()
}

/// From the first transition of a stage to its last.
pub(super) fn transitions_span(stage: &Stage) -> Span {
    let first = stage.transitions.first().map_or(stage.span, |t| t.span);
    let last = stage.transitions.last().map_or(stage.span, |t| t.span);
    first.to(last)
}

pub(super) fn check(cx: &mut Context) {
    for stage in checkable(cx) {
        if stage.transitions.iter().any(|t| t.open) {
            continue;
        }
        let sum: f64 = stage.transitions.iter().filter_map(|t| t.given).sum();
        if sum < 1.0 - 1e-9 {
            let (lang, id, arrow) = (cx.lang, &stage.id, kw("->"));
            let (missing, sum) = (percent(lang, 1.0 - sum), percent(lang, sum));
            let span = transitions_span(stage);
            // The process's own lost outcome: the transition already going
            // there, else the first lost outcome, else the word itself.
            let lost_stage = |t: &&crate::model::Transition| {
                t.target.is_some_and(|s| cx.model.stage(s).outcome == Some(crate::model::OutcomeKind::Lost))
            };
            let lost = stage
                .transitions
                .iter()
                .find(lost_stage)
                .map(|t| t.target_name.clone())
                .or_else(|| {
                    cx.model
                        .stages
                        .iter()
                        .find(|s| s.outcome == Some(crate::model::OutcomeKind::Lost))
                        .map(|s| s.id.clone())
                });
            let example = match (&lost, lang) {
                (Some(name), _) => format!("`{arrow} {name}`"),
                (None, Lang::En) => format!("`{arrow} lost`"),
                (None, Lang::Ru) => format!("`{arrow} отказ`"),
            };
            let already = stage.transitions.iter().any(|t| lost.as_deref() == Some(t.target_name.as_str()));
            let fix = super::fix::complete_percentages(cx, stage);
            let d = match lang {
                Lang::En => Diagnostic::new(
                    Code::P302,
                    span,
                    format!("the transitions of `{id}` add up to {sum}: {missing} of its clients go nowhere"),
                )
                .with_label(format!("{missing} missing"))
                .with_help(if already {
                    format!("drop the percentage of {example} so that it takes the remaining {missing}, or correct the percentages")
                } else {
                    format!("add {example} without a percentage to take the remaining {missing}, or correct the percentages")
                }),
                Lang::Ru => Diagnostic::new(
                    Code::P302,
                    span,
                    format!("проценты переходов этапа `{id}` в сумме дают {sum}: {missing} клиентов никуда не уходят"),
                )
                .with_label(format!("не хватает {missing}"))
                .with_help(if already {
                    format!("уберите процент у {example}, чтобы этот переход забрал остаток ({missing}), или исправьте проценты")
                } else {
                    format!("добавьте {example} без процента, чтобы он забрал остаток ({missing}), или исправьте проценты")
                }),
            };
            cx.report(d.with_fix(fix));
        }
    }
}
