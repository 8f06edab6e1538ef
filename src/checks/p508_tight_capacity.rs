//! Reports a role whose planned utilization is within 10 points below the
//! plan's `utilization` limit (above 90% when the plan sets none), but not
//! above it (that is P504).
//!
//! **Why it matters.** A role planned at 95% has no room for a sick day, a
//! holiday or a month with more requests than usual: the plan holds only if
//! nothing goes wrong. The head of sales should know before the month
//! starts, while hiring or moving work is still possible.
//!
//! **Wrong:**
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
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep { headcount 1 capacity 3h/day }
//!   stage a { entry owner rep effort 1h instruct rep { "Call" } -> won 50% -> lost }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//!   plan { goal 20/month }
//! }
//! ```

use super::Context;
use super::say::{kw, number, per, percent};
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;

/// How close below the limit a utilization is tight: 10 points.
const MARGIN: f64 = 0.10;

pub(super) fn check(cx: &mut Context) {
    let Some((loads, limit, period)) = super::p504_over_capacity::loads(cx) else { return };
    for super::p504_over_capacity::Load { role, work, cap, util } in loads {
        // Above the limit is P504; exactly 10 points below is not tight.
        if util > limit + 1e-9 || util <= limit - MARGIN + 1e-9 {
            continue;
        }
        let role = cx.model.role(role);
        let lang = cx.lang;
        let spare = (cap * limit - work).max(0.0);
        let (util, limit, spare, per) = (percent(lang, util), percent(lang, limit), number(lang, spare), per(lang, period));
        let id = &role.id;
        let (capacity, headcount, utilization) = (kw("capacity"), kw("headcount"), kw("utilization"));
        cx.report(match lang {
            Lang::En => Diagnostic::new(
                Code::P508,
                role.span,
                format!("`{id}` is planned at {util} of its time, close to the limit of {limit}: {spare} h {per} to spare"),
            )
            .with_label(format!("{util} busy"))
            .with_help(format!(
                "a sick day or a busy month breaks the plan; raise `{headcount}` or `{capacity}`, or set the limit you mean with `{utilization}`"
            )),
            Lang::Ru => Diagnostic::new(
                Code::P508,
                role.span,
                format!("роль `{id}` загружена по плану на {util}, близко к пределу {limit}: в запасе {spare} ч {per}"),
            )
            .with_label(format!("загрузка {util}"))
            .with_help(format!(
                "один больничный или напряжённый месяц сорвут план; увеличьте `{headcount}` или `{capacity}` либо задайте нужный предел через `{utilization}`"
            )),
        });
    }
}
