//! Reports a cycle of transitions none of which is marked `loop`, and
//! shows it as a path: `a -> b -> c -> a`.
//!
//! **Why it matters.** Going back is sometimes deliberate (rework of an
//! offer, a repeat sale), and then one transition of the cycle says so with
//! `loop`. An unmarked cycle is usually a mistake, and it leaves the
//! process without a clear order for the manuals. Each cycle is reported
//! once, at the transition that closes it.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage offer { entry owner rep instruct rep { "Send the offer" } -> won 40% -> rework 30% -> lost }
//!   stage rework { owner rep instruct rep { "Change the offer" } -> offer }
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
//!   stage offer { entry owner rep instruct rep { "Send the offer" } -> won 40% -> rework 30% -> lost }
//!   stage rework { owner rep instruct rep { "Change the offer" } -> offer loop }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//! }
//! ```

use super::Context;
use crate::diagnostics::{Code, Diagnostic};
use super::say::kw;
use crate::lang::Lang;
use crate::model::graph::Edges;

pub(super) fn check(cx: &mut Context) {
    let model = cx.model;
    for component in cx.graph.cycles(Edges::WithoutLoops) {
        let start = component[0];
        // Name every stage of the cycle's component (up to a readable size).
        let (path, closing) = cx.graph.walk_through(start, &component, Edges::WithoutLoops, 50);
        let shown = path.iter().map(|s| model.stage(*s).id.as_str()).collect::<Vec<_>>().join(" -> ");
        let Some(edge) = closing else { continue };
        let from = model.stage(cx.graph.source(edge));
        let transition = &from.transitions[cx.graph.graph[edge].transition];
        let written = cx.source_text(transition.span);
        let marked = match written.find('"') {
            Some(label) => format!("{} {} {}", written[..label].trim_end(), kw("loop"), &written[label..]),
            None => format!("{written} {}", kw("loop")),
        };
        let mut d = match cx.lang {
            Lang::En => Diagnostic::new(Code::P205, transition.span, format!("an unmarked cycle: {shown}"))
                .with_label("this transition closes the cycle")
                .with_help(format!(
                    "if clients really go back here (rework, a repeat sale), mark it: `{marked}`; otherwise break the cycle"
                )),
            Lang::Ru => Diagnostic::new(Code::P205, transition.span, format!("цикл без пометки `{}`: `{shown}`", kw("loop")))
                .with_label("этот переход замыкает цикл")
                .with_help(format!(
                    "если клиенты действительно возвращаются сюда (доработка, повторная продажа), отметьте переход: `{marked}`; иначе разорвите цикл"
                )),
        };
        d = d.with_fix(Some(super::fix::mark_loop(cx, transition)));
        // Point at the start of the cycle too when it is near enough to show.
        let start_span = model.stage(start).span;
        let lines_between = cx.source_text(start_span.to(transition.span)).matches('\n').count();
        if path.len() > 2 && lines_between <= 4 {
            let label = match cx.lang {
                Lang::En => "the cycle starts here",
                Lang::Ru => "здесь цикл начинается",
            };
            d = d.with_related(start_span, label);
        }
        cx.report(d);
    }
}
