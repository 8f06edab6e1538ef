//! Reports two transitions of one stage that go to the same stage.
//!
//! **Why it matters.** Each transition says what share of clients goes
//! where; two to the same place split one share in two and make the
//! manual say the same thing twice. Write one transition with the sum.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won 20% -> won 10% -> lost }
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
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;

pub(super) fn check(cx: &mut Context) {
    for stage in &cx.model.stages {
        for (k, t) in stage.transitions.iter().enumerate() {
            let Some(target) = t.target else { continue };
            if let Some(first) = stage.transitions[..k].iter().find(|u| u.target == Some(target)) {
                let (from, to) = (&stage.id, &t.target_name);
                cx.report(match cx.lang {
                    Lang::En => Diagnostic::new(Code::P209, t.span, format!("`{from}` has two transitions to `{to}`"))
                        .with_label("second transition to the same stage")
                        .with_related(first.span, "first transition")
                        .with_help("merge them into one transition and add their percentages"),
                    Lang::Ru => Diagnostic::new(Code::P209, t.span, format!("у этапа `{from}` два перехода в `{to}`"))
                        .with_label("второй переход в тот же этап")
                        .with_related(first.span, "первый переход")
                        .with_help("объедините их в один переход, сложив проценты"),
                });
            }
        }
    }
}
