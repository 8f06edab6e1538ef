//! Reports a transition marked `loop` that closes no cycle.
//!
//! **Why it matters.** `loop` says "clients deliberately go back here".
//! On a transition that only goes forward it is misleading: readers of the
//! manual expect a return that never happens, and a real unmarked cycle
//! elsewhere may be the one that needed the mark.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> b loop }
//!   stage b { owner rep instruct rep { "Send the offer" } -> won }
//!   stage won { outcome won }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> b }
//!   stage b { owner rep instruct rep { "Send the offer" } -> won }
//!   stage won { outcome won }
//! }
//! ```

use super::Context;
use crate::diagnostics::{Code, Diagnostic};
use super::say::kw;
use crate::lang::Lang;
use crate::model::graph::Edges;

pub(super) fn check(cx: &mut Context) {
    let model = cx.model;
    // A loop edge s -> t closes a cycle exactly when s and t share a
    // strongly connected component of the whole graph.
    let mut component = vec![usize::MAX; model.stages.len()];
    for (k, c) in cx.graph.cycles(Edges::All).iter().enumerate() {
        for s in c {
            component[s.0] = k;
        }
    }
    for (i, stage) in model.stages.iter().enumerate() {
        for t in stage.transitions.iter().filter(|t| t.is_loop) {
            let Some(target) = t.target else { continue };
            if component[i] == usize::MAX || component[i] != component[target.0] {
                let (arrow, looped, to, from) = (kw("->"), kw("loop"), &t.target_name, &stage.id);
                cx.report(match cx.lang {
                    Lang::En => Diagnostic::new(
                        Code::P208,
                        t.span,
                        format!("`{arrow} {to} {looped}` does not lead back: no path returns from `{to}` to `{from}`"),
                    )
                    .with_label(format!("marked `{looped}` but closes no cycle"))
                    .with_help(format!("remove `{looped}`: it is only for transitions that return to an earlier stage")),
                    Lang::Ru => Diagnostic::new(
                        Code::P208,
                        t.span,
                        format!("`{arrow} {to} {looped}` не возвращает назад: из `{to}` нет пути обратно в `{from}`"),
                    )
                    .with_label(format!("переход отмечен `{looped}`, но цикла не замыкает"))
                    .with_help(format!("уберите `{looped}`: эта пометка нужна только переходам, которые возвращают к более раннему этапу")),
                });
            }
        }
    }
}
