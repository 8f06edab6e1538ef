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

use super::Context;
use super::say::{kw, number, per, percent};
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;

pub(super) fn check(cx: &mut Context) {
    let Some(analysis) = cx.analysis else { return };
    let Some(plan) = &analysis.plan else { return };
    for r in &plan.roles {
        let (Some(work), Some(cap), Some(util)) = (r.workload_hours, r.capacity_hours, r.utilization) else { continue };
        if util <= 1.0 + 1e-9 {
            continue;
        }
        let role = cx.model.role(r.role);
        let per_person = cap / f64::from(role.headcount);
        let fits = (work / per_person - 1e-9).ceil().max(1.0) as u64;
        let lang = cx.lang;
        let (work, cap, util, per) = (number(lang, work), number(lang, cap), percent(lang, util), per(lang, plan.period));
        let (id, now) = (&role.id, role.headcount);
        let (capacity, effort, headcount) = (kw("capacity"), kw("effort"), kw("headcount"));
        cx.report(match lang {
            Lang::En => Diagnostic::new(
                Code::P504,
                role.span,
                format!("the plan needs {work} h of `{id}` {per} but they have {cap} h: utilization {util}"),
            )
            .with_label(format!("{util} busy"))
            .with_help(format!(
                "with the same capacity a headcount of {fits} would fit (now {now}); or raise `{capacity}`, reduce `{effort}`, or lower the plan's goal"
            )),
            Lang::Ru => Diagnostic::new(
                Code::P504,
                role.span,
                format!("по плану роли `{id}` нужно {work} ч {per}, а у неё есть {cap} ч: загрузка {util}"),
            )
            .with_label(format!("загрузка {util}"))
            .with_help(format!(
                "при той же `{capacity}` подошёл бы `{headcount} {fits}` (сейчас {now}); можно также увеличить `{capacity}`, уменьшить `{effort}` или снизить цель плана"
            )),
        });
    }
}

