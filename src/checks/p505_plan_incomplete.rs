//! Reports a plan whose numbers cannot be computed, and says exactly what
//! is missing: a stage with an owner but no `effort`, an owner role with
//! no `capacity`, a revenue goal with a segment that has no `deal` (or no
//! segments at all).
//!
//! **Why it matters.** A plan turns the sales goal into new clients per
//! period, clients per stage, and hours per role. Each missing number
//! leaves part of that chain empty, and the utilization of the roles
//! cannot be checked.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won 50% -> lost }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//!   plan { goal 20/month }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep { capacity 6h/day }
//!   stage a { entry owner rep effort 30min instruct rep { "Call" } -> won 50% -> lost }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//!   plan { goal 20/month }
//! }
//! ```

use super::Context;
use crate::diagnostics::{Code, Diagnostic};
use crate::funnel::Analysis;

pub(super) fn check(cx: &mut Context, analysis: &Analysis) {
    let Some(plan) = &analysis.plan else { return };
    for m in &plan.missing {
        cx.report(
            Diagnostic::new(Code::P505, m.span, format!("the plan is incomplete: {}", m.message))
                .with_label("missing for the plan")
                .with_help(m.help.clone()),
        );
    }
}
