//! Reports a stage that is not an outcome and has no transitions.
//!
//! **Why it matters.** A client who reaches it has nowhere to go: the
//! manual cannot say what happens next, and the funnel loses these
//! clients. Every stage either leads on (`-> next`) or is an outcome.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> b 50% -> won }
//!   stage b { owner rep instruct rep { "Wait" } }
//!   stage won { outcome won }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> b 50% -> won }
//!   stage b { owner rep instruct rep { "Wait" } -> won 10% -> lost }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//! }
//! ```

use super::Context;
use crate::diagnostics::{Code, Diagnostic};
use super::say::kw;
use crate::lang::Lang;

pub(super) fn check(cx: &mut Context) {
    for stage in &cx.model.stages {
        if !stage.is_terminal() && stage.transitions.is_empty() {
            let (arrow, outcome, won, lost) = (kw("->"), kw("outcome"), kw("won"), kw("lost"));
            let id = &stage.id;
            cx.report(match cx.lang {
                Lang::En => Diagnostic::new(Code::P204, stage.span, format!("clients who reach `{id}` have nowhere to go"))
                    .with_label("no transitions and no outcome")
                    .with_help(format!("add transitions such as `{arrow} next_stage 60%` and `{arrow} lost`, or make it an outcome with `{outcome} {won}` or `{outcome} {lost}`")),
                Lang::Ru => Diagnostic::new(Code::P204, stage.span, format!("клиентам, попавшим на этап `{id}`, некуда идти дальше"))
                    .with_label("нет ни переходов, ни итога")
                    .with_help(format!("добавьте переходы, например `{arrow} следующий_этап 60%` и `{arrow} отказ`, или сделайте этап итогом: `{outcome} {won}` или `{outcome} {lost}`")),
            });
        }
    }
}
