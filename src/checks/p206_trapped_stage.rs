//! Reports a stage from which no outcome can be reached: clients who get
//! there circle forever.
//!
//! **Why it matters.** Every client must eventually be won or lost; a
//! trapped client is never counted and the funnel model has no answer for
//! them. A dead-end stage (P204) counts as a way out here, so it is not
//! reported twice.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> b 10% -> won }
//!   stage b { owner rep instruct rep { "Remind" } -> c }
//!   stage c { owner rep instruct rep { "Wait" } -> b loop }
//!   stage won { outcome won }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> b 10% -> won }
//!   stage b { owner rep instruct rep { "Remind" } -> c }
//!   stage c { owner rep instruct rep { "Wait" } -> b 50% loop -> lost }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//! }
//! ```

use super::Context;
use crate::diagnostics::{Code, Diagnostic};
use super::say::kw;
use crate::lang::Lang;
use crate::model::StageId;
use crate::model::graph::Edges;

pub(super) fn check(cx: &mut Context) {
    let model = cx.model;
    let exits = model
        .stages
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_terminal() || s.transitions.is_empty())
        .map(|(i, _)| StageId(i));
    let can_leave = cx.graph.reaching(exits, Edges::All);
    for (stage, ok) in model.stages.iter().zip(can_leave) {
        if !ok {
            let (arrow, won, lost, id) = (kw("->"), kw("won"), kw("lost"), &stage.id);
            cx.report(match cx.lang {
                Lang::En => Diagnostic::new(Code::P206, stage.span, format!("clients in `{id}` can never reach an outcome"))
                    .with_label(format!("no path from here leads to `{won}` or `{lost}`"))
                    .with_help(format!("add a transition that leads out of the cycle, e.g. `{arrow} lost`")),
                Lang::Ru => {
                    Diagnostic::new(Code::P206, stage.span, format!("клиенты с этапа `{id}` никогда не дойдут до итога"))
                        .with_label(format!("отсюда ни один путь не ведёт к `{won}` или `{lost}`"))
                        .with_help(format!("добавьте переход, который выводит из цикла, например `{arrow} отказ`"))
                }
            });
        }
    }
}
