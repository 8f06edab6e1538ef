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

pub(super) fn check(cx: &mut Context) {
    if cx.model.entries().next().is_none() {
        cx.report(
            Diagnostic::new(Code::P201, cx.model.name_span, "no stage is an entry: no client ever enters this process")
                .with_label("this process has no `entry` stage")
                .with_help("mark the stage where clients start with `entry`, `entry active` or `entry passive`"),
        );
    }
}
