//! Reports a role whose planned workload exceeds its capacity, or the
//! plan's `utilization` limit of it, with the utilization and the
//! headcount that would fit.
//!
//! **Why it matters.** The plan says how many clients must enter each
//! stage; each stage's `effort` says how much of its owner's time one
//! client takes. When the sum exceeds `headcount × capacity × workdays`,
//! the plan cannot be met by following the process: hire, free up time,
//! or lower the plan. Workload counts the visits of each stage the role
//! owns times the stage's `effort`, and the visits of each stage where the
//! role has instructions with an `effort` times that effort, for the share
//! of the clients the instruction is for. A plan's `utilization 85%` keeps
//! room for the rest of the job: above it is P504 too.
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

/// A role's figures under the plan: its workload and capacity in hours
/// per period, and its utilization.
pub(super) struct Load {
    pub role: crate::model::RoleId,
    pub work: f64,
    pub cap: f64,
    pub util: f64,
}

/// The loads of the roles whose figures are all known, the plan's
/// utilization limit and its period; `None` without a plan. P504 and P508
/// read the same figures.
pub(super) fn loads(cx: &Context) -> Option<(Vec<Load>, f64, crate::model::Period)> {
    let plan = cx.analysis?.plan.as_ref()?;
    let limit = cx.model.plan.as_ref().map_or(1.0, |p| p.utilization_limit);
    let loads = plan
        .roles
        .iter()
        .filter_map(|r| Some(Load { role: r.role, work: r.workload_hours?, cap: r.capacity_hours?, util: r.utilization? }))
        .collect();
    Some((loads, limit, plan.period))
}

pub(super) fn check(cx: &mut Context) {
    let Some((loads, limit, period)) = loads(cx) else { return };
    for Load { role, work, cap, util } in loads {
        if util <= limit + 1e-9 {
            continue;
        }
        let role = cx.model.role(role);
        // The people that keep the role within the limit.
        let per_person = cap / f64::from(role.headcount) * limit;
        let fits = (work / per_person - 1e-9).ceil().max(1.0) as u64;
        if limit < 1.0 - 1e-9 && util <= 1.0 + 1e-9 {
            report_over_limit(cx, role, util, limit, fits, period, work);
            continue;
        }
        let lang = cx.lang;
        let (work, cap, util, per) = (number(lang, work), number(lang, cap), percent(lang, util), per(lang, period));
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


/// A role within its capacity but above the plan's `utilization` limit.
fn report_over_limit(
    cx: &mut Context,
    role: &crate::model::Role,
    util: f64,
    limit: f64,
    fits: u64,
    period: crate::model::Period,
    work: f64,
) {
    let lang = cx.lang;
    let (work, util, limit_text, per) = (number(lang, work), percent(lang, util), percent(lang, limit), per(lang, period));
    let (id, now) = (&role.id, role.headcount);
    let (utilization, headcount, effort) = (kw("utilization"), kw("headcount"), kw("effort"));
    let span = cx.model.plan.as_ref().and_then(|p| p.utilization_span);
    let mut d = match lang {
        Lang::En => Diagnostic::new(
            Code::P504,
            role.span,
            format!("the plan needs {work} h of `{id}` {per}: utilization {util}, above the plan's limit of {limit_text}"),
        )
        .with_label(format!("{util} busy"))
        .with_help(format!(
            "a headcount of {fits} would keep it within `{utilization} {limit_text}` (now {now}); or reduce `{effort}`, or lower the plan's goal"
        )),
        Lang::Ru => Diagnostic::new(
            Code::P504,
            role.span,
            format!("по плану роли `{id}` нужно {work} ч {per}: загрузка {util}, выше предела плана {limit_text}"),
        )
        .with_label(format!("загрузка {util}"))
        .with_help(format!(
            "`{headcount} {fits}` удержал бы её в пределах `{utilization} {limit_text}` (сейчас {now}); можно также уменьшить `{effort}` или снизить цель плана"
        )),
    };
    if let Some(span) = span {
        d = d.with_related(span, match lang {
            Lang::En => "the limit",
            Lang::Ru => "предел",
        });
    }
    cx.report(d);
}
