//! Reports a stage with more than one transition that omits its
//! percentage.
//!
//! **Why it matters.** A transition without a percentage takes whatever
//! the others leave. With two such transitions nobody can tell how to
//! split the rest, so the funnel cannot be computed.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> b 40% -> won -> lost }
//!   stage b { owner rep instruct rep { "Follow up" } -> won }
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
//!   stage a { entry owner rep instruct rep { "Call" } -> b 40% -> won 10% -> lost }
//!   stage b { owner rep instruct rep { "Follow up" } -> won }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//! }
//! ```

use super::Context;
use super::say::count_ru;
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;

pub(super) fn check(cx: &mut Context) {
    for stage in super::p302_probabilities_incomplete::checkable(cx) {
        let mut open = stage.transitions.iter().filter(|t| t.open);
        let (Some(first), Some(second)) = (open.next(), open.next()) else { continue };
        let names: Vec<_> =
            stage.transitions.iter().filter(|t| t.open).map(|t| format!("`{}`", t.target_name)).collect();
        let (id, n, names) = (&stage.id, names.len(), names.join(", "));
        cx.report(match cx.lang {
            Lang::En => Diagnostic::new(
                Code::P303,
                second.span,
                format!("`{id}` has {n} transitions without a percentage ({names})"),
            )
            .with_label("a second transition without a percentage")
            .with_related(first.span, "the first one")
            .with_help("give every transition a percentage except one, which takes the remainder"),
            Lang::Ru => Diagnostic::new(
                Code::P303,
                second.span,
                format!(
                    "у этапа `{id}` {} без процента ({names})",
                    count_ru(n as u64, "переход", "перехода", "переходов")
                ),
            )
            .with_label("второй переход без процента")
            .with_related(first.span, "первый")
            .with_help("укажите проценты у всех переходов, кроме одного: он заберёт остаток"),
        });
    }
}
