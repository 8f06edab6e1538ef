//! Reports a role whose planned workload exceeds its capacity, with the
//! utilization and the headcount that would fit.
//!
//! **Why it matters.** The plan says how many clients must enter each
//! stage; each stage's `effort` says how much of its owner's time one
//! client takes. When the sum exceeds `headcount × capacity × workdays`,
//! the plan cannot be met by following the process: hire, free up time,
//! or lower the plan. Workload counts the visits of each stage the role
//! owns times the stage's `effort`.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep { headcount 1 capacity 1h/day }
//!   stage a { entry owner rep effort 1h instruct rep { "Call" } -> won 50% -> lost }
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
//!   role rep { headcount 1 capacity 2h/day }
//!   stage a { entry owner rep effort 1h instruct rep { "Call" } -> won 50% -> lost }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//!   plan { goal 20/month }
//! }
//! ```

use super::{Context, percent};
use crate::diagnostics::{Code, Diagnostic};
use crate::funnel::Analysis;

pub(super) fn check(cx: &mut Context, analysis: &Analysis) {
    let Some(plan) = &analysis.plan else { return };
    for r in &plan.roles {
        let (Some(work), Some(cap), Some(util)) = (r.workload_hours, r.capacity_hours, r.utilization) else { continue };
        if util <= 1.0 + 1e-9 {
            continue;
        }
        let role = cx.model.role(r.role);
        let per_person = cap / f64::from(role.headcount);
        let fits = (work / per_person - 1e-9).ceil().max(1.0) as u64;
        cx.report(
            Diagnostic::new(
                Code::P504,
                role.span,
                format!(
                    "the plan needs {} h of `{}` per {} but they have {} h: utilization {}",
                    round(work),
                    role.id,
                    plan.period.as_str(),
                    round(cap),
                    percent(util)
                ),
            )
            .with_label(format!("{} busy", percent(util)))
            .with_help(format!(
                "with the same capacity a headcount of {fits} would fit (now {}); or raise `capacity`, reduce `effort`, or lower the plan's goal",
                role.headcount
            )),
        );
    }
}

fn round(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}
