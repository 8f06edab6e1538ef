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
use super::say::kw;
use crate::diagnostics::{Code, Diagnostic};
use crate::funnel::Lack;
use crate::lang::Lang;

pub(super) fn check(cx: &mut Context) {
    let Some(analysis) = cx.analysis else { return };
    let Some(plan) = &analysis.plan else { return };
    for m in &plan.missing {
        let (message, help) = words(cx.lang, &m.lack);
        let d = match cx.lang {
            Lang::En => Diagnostic::new(Code::P505, m.span, format!("the plan is incomplete: {message}"))
                .with_label("missing for the plan"),
            Lang::Ru => Diagnostic::new(Code::P505, m.span, format!("в плане не хватает данных: {message}"))
                .with_label("нужно для плана"),
        };
        cx.report(d.with_help(help));
    }
}

/// What is missing, and what to do about it.
fn words(lang: Lang, lack: &Lack) -> (String, String) {
    let (goal, revenue, month, effort, capacity) =
        (kw("goal"), kw("revenue"), kw("month"), kw("effort"), kw("capacity"));
    let (won, deal, segment, share) = (kw("won"), kw("deal"), kw("segment"), kw("share"));
    let goal_example = format!("`{goal} 10/{month}`");
    let effort_example = format!("`{effort} 30{}`", kw("min"));
    let capacity_example = format!("`{capacity} 6{}/{}`", kw("h"), kw("day"));
    match (lang, lack) {
        (Lang::En, Lack::NoGoal) => (
            "the plan has no goal".into(),
            format!("add {goal_example} (won clients per period) or `{revenue} 5000000 RUB/{month}`"),
        ),
        (Lang::Ru, Lack::NoGoal) => (
            "у плана нет цели".into(),
            format!("добавьте {goal_example} (выигранные клиенты за период) или `{revenue} 5000000 RUB/{month}`"),
        ),
        (Lang::En, Lack::NoWin) => (
            "no new client can be won, so no number of new clients reaches the goal".into(),
            format!("give the transitions towards the `{won}` outcome a percentage above 0%"),
        ),
        (Lang::Ru, Lack::NoWin) => (
            "ни одного нового клиента нельзя выиграть, поэтому цель недостижима при любом числе новых клиентов".into(),
            format!("дайте переходам, ведущим к итогу `{won}`, процент больше 0%"),
        ),
        (Lang::En, Lack::NeverLeft { stage, role }) => (
            format!("clients who reach `{stage}` never leave it (every way out has 0%), so the workload of `{role}` cannot be computed"),
            "give a transition out of the stage a percentage above 0%".into(),
        ),
        (Lang::Ru, Lack::NeverLeft { stage, role }) => (
            format!("клиенты, попавшие на этап `{stage}`, никогда его не покидают (у всех выходов 0%), поэтому нагрузку роли `{role}` не вычислить"),
            "дайте одному из переходов из этого этапа процент больше 0%".into(),
        ),
        (Lang::En, Lack::NoEffort { stage, role }) => (
            format!("the stage `{stage}` has no `{effort}`, so the workload of `{role}` cannot be computed"),
            format!("say how much of the owner's working time one client takes here, e.g. {effort_example}"),
        ),
        (Lang::Ru, Lack::NoEffort { stage, role }) => (
            format!("у этапа `{stage}` нет `{effort}`, поэтому нагрузку роли `{role}` не вычислить"),
            format!("укажите, сколько рабочего времени ответственного занимает здесь один клиент, например {effort_example}"),
        ),
        (Lang::En, Lack::NoCapacity { role }) => (
            format!("the role `{role}` has no `{capacity}`, so its utilization cannot be computed"),
            format!("say how many hours each person gives the process per workday, e.g. {capacity_example}"),
        ),
        (Lang::Ru, Lack::NoCapacity { role }) => (
            format!("у роли `{role}` нет `{capacity}`, поэтому её загрузку не вычислить"),
            format!("укажите, сколько часов в рабочий день каждый сотрудник отдаёт процессу, например {capacity_example}"),
        ),
        (Lang::En, Lack::NoSegments) => (
            format!("a revenue goal needs segments with a `{deal}` size, and there are none"),
            format!("declare the client segments with their typical deal, e.g. `{segment} dealer {{ {share} 60% {deal} 300000 RUB }}`, or set the goal in clients: {goal_example}"),
        ),
        (Lang::Ru, Lack::NoSegments) => (
            format!("для цели по выручке нужны сегменты с размером сделки (`{deal}`), а их нет"),
            format!("объявите сегменты клиентов с типичной сделкой, например `{segment} дилер {{ {share} 60% {deal} 300000 RUB }}`, или задайте цель в клиентах: {goal_example}"),
        ),
        (Lang::En, Lack::NoDeal { segment, currency }) => (
            format!("the segment `{segment}` has no `{deal}`, so the revenue goal cannot be turned into clients"),
            format!("give its typical deal size, e.g. `{deal} 300000 {currency}`"),
        ),
        (Lang::Ru, Lack::NoDeal { segment, currency }) => (
            format!("у сегмента `{segment}` нет `{deal}`, поэтому цель по выручке не пересчитать в клиентов"),
            format!("укажите типичный размер сделки, например `{deal} 300000 {currency}`"),
        ),
        (Lang::En, Lack::OtherCurrency { segment, deal, goal }) => (
            format!("the deal of the segment `{segment}` is in {deal}, but the revenue goal is in {goal}"),
            format!("give every deal in {goal}"),
        ),
        (Lang::Ru, Lack::OtherCurrency { segment, deal, goal }) => (
            format!("сделка сегмента `{segment}` указана в `{deal}`, а цель по выручке — в `{goal}`"),
            format!("укажите все сделки в `{goal}`"),
        ),
        (Lang::En, Lack::ZeroDeal) => (
            "the segments' average deal is 0, so no number of clients reaches the revenue goal".into(),
            "give the segments a deal size above 0".into(),
        ),
        (Lang::Ru, Lack::ZeroDeal) => (
            "средняя сделка сегментов равна 0, поэтому цель по выручке недостижима при любом числе клиентов".into(),
            "дайте сегментам размер сделки больше 0".into(),
        ),
    }
}
