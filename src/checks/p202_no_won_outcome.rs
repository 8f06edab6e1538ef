//! Reports a process in which no stage has `outcome won` and none is a
//! `sale` stage.
//!
//! **Why it matters.** The whole process exists to win clients; without a
//! won outcome or a sale there is no success to measure, and every win
//! probability would be zero. A process whose `sale` stage marks the won
//! deal (and whose later stages serve the client) needs no `won` outcome.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> lost }
//!   stage lost { outcome lost }
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
//! }
//! ```

use super::Context;
use crate::diagnostics::{Code, Diagnostic};
use super::say::kw;
use crate::lang::Lang;
use crate::model::OutcomeKind;

pub(super) fn check(cx: &mut Context) {
    // A `sale` stage is where the deal is won (LANGUAGE.md §6.1).
    if !cx.model.stages.iter().any(|s| s.outcome == Some(OutcomeKind::Won) || (s.sale && !s.is_terminal())) {
        let (stage, outcome, won) = (kw("stage"), kw("outcome"), kw("won"));
        let span = cx.model.name_span;
        cx.report(match cx.lang {
            Lang::En => Diagnostic::new(Code::P202, span, format!("no stage is a `{won}` outcome"))
                .with_label("this process can never win a client")
                .with_help(format!(
                    "add a stage for the successful end, e.g. `{stage} won \"Contract signed\" {{ {outcome} {won} }}`"
                )),
            Lang::Ru => Diagnostic::new(Code::P202, span, format!("ни один этап не является итогом `{outcome} {won}`"))
                .with_label("в этом процессе клиента нельзя выиграть")
                .with_help(format!(
                    "добавьте этап успешного завершения, например `{stage} договор \"Договор подписан\" {{ {outcome} {won} }}`"
                )),
        });
    }
}
