//! Reports a process in which no stage has `entry`.
//!
//! **Why it matters.** Entry stages are where new clients come in (active
//! or passive attraction). Without one, no client ever enters the process:
//! nothing is reachable and the funnel is empty.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { owner rep instruct rep { "Call" } -> won }
//!   stage won { outcome won }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry passive owner rep instruct rep { "Call" } -> won }
//!   stage won { outcome won }
//! }
//! ```

use super::Context;
use crate::diagnostics::{Code, Diagnostic};
use super::say::kw;
use crate::lang::Lang;

pub(super) fn check(cx: &mut Context) {
    if cx.model.entries().next().is_none() {
        let (entry, active, passive) = (kw("entry"), kw("active"), kw("passive"));
        let span = cx.model.name_span;
        cx.report(match cx.lang {
            Lang::En => Diagnostic::new(Code::P201, span, "no stage is an entry: no client ever enters this process")
                .with_label(format!("this process has no `{entry}` stage"))
                .with_help(format!(
                    "mark the stage where clients start with `{entry}`, `{entry} {active}` or `{entry} {passive}`"
                )),
            Lang::Ru => Diagnostic::new(Code::P201, span, "ни один этап не отмечен как вход: клиенты в процесс не попадают")
                .with_label(format!("в процессе нет этапа с `{entry}`"))
                .with_help(format!(
                    "отметьте этап, с которого клиенты начинают, словом `{entry}`, `{entry} {active}` или `{entry} {passive}`"
                )),
        });
    }
}
