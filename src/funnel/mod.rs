//! The funnel model: the stage graph as an absorbing Markov chain whose
//! absorbing states are the outcome stages, and the plan arithmetic.
//!
//! Computed only for a model whose graph is sound (no unresolved target,
//! no error among P201–P207, P209, P301–P304), so every non-terminal stage
//! has transitions whose probabilities add up to 1 and reaches an outcome.
//! A value that cannot be computed is `None`, never a made-up number.

pub mod solve;

use crate::model::graph::{Edges, StageGraph};
use crate::model::{Goal, Measure, Model, OutcomeKind, Period, RoleId, StageId};
use crate::span::Span;

/// The funnel model of a process.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The probability that a new client is won: reaches a `sale` stage,
    /// or a `won` outcome in a process without sale stages.
    pub new_client_win_probability: f64,
    /// Expected sales per new client, repeat sales included: the expected
    /// visits of the `sale` stages (of the `won` outcomes without them).
    pub expected_sales_per_new_client: f64,
    /// Per stage, in declaration order.
    pub stages: Vec<StageFigures>,
    /// Per entry stage, in declaration order.
    pub entries: Vec<EntryFigures>,
    /// Per metric, in declaration order: the model's value of its measure
    /// (a fraction, minutes, or clients per plan period).
    pub metrics: Vec<Option<f64>>,
    pub plan: Option<PlanFigures>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StageFigures {
    /// The probability that a client here goes on to a sale (1 at a sale
    /// stage; after a sale, the probability of a further one).
    pub win_probability: f64,
    /// Expected visits per new client.
    pub expected_visits: f64,
    /// Clients entering per plan period.
    pub volume_per_period: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EntryFigures {
    pub stage: StageId,
    /// The share of new clients who start here.
    pub share: f64,
    pub expected_minutes_to_outcome: Option<f64>,
    pub worst_case_minutes_to_outcome: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanFigures {
    pub period: Period,
    /// Sales the plan needs per period (won clients without sale stages).
    pub goal_clients: Option<f64>,
    pub new_clients_per_period: Option<f64>,
    pub roles: Vec<RoleFigures>,
    /// Why some numbers could not be computed (P505).
    pub missing: Vec<Missing>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoleFigures {
    pub role: RoleId,
    pub workload_hours: Option<f64>,
    pub capacity_hours: Option<f64>,
    pub utilization: Option<f64>,
}

/// Something the plan needs and the process does not say.
#[derive(Debug, Clone, PartialEq)]
pub struct Missing {
    pub span: Span,
    pub lack: Lack,
}

/// What the plan lacks; P505 words it.
#[derive(Debug, Clone, PartialEq)]
pub enum Lack {
    /// The plan has no goal.
    NoGoal,
    /// No new client can be won.
    NoWin,
    /// Clients who reach `stage` never leave it, so `role`'s workload is
    /// unknown.
    NeverLeft { stage: String, role: String },
    /// `stage` has no `effort`, so `role`'s workload is unknown.
    NoEffort { stage: String, role: String },
    /// An owner role has no `capacity`.
    NoCapacity { role: String },
    /// A revenue goal and no segments.
    NoSegments,
    /// A revenue goal in `currency` and a segment without a `deal`.
    NoDeal { segment: String, currency: String },
    /// A segment's deal is in another currency than the revenue goal.
    OtherCurrency { segment: String, deal: String, goal: String },
    /// The segments' average deal is 0.
    ZeroDeal,
}

/// The share of new clients starting at each stage.
pub fn entry_shares(model: &Model) -> Vec<f64> {
    let mut e = vec![0.0; model.stages.len()];
    let entries: Vec<StageId> = model.entries().collect();
    let all_given = entries.iter().all(|s| model.stage(*s).entry.as_ref().is_some_and(|x| x.share.is_some()));
    for s in &entries {
        e[s.0] = if all_given {
            model.stage(*s).entry.as_ref().and_then(|x| x.share).unwrap_or(0.0)
        } else {
            1.0 / entries.len() as f64
        };
    }
    e
}

/// Computes the funnel model.
pub fn analyse(model: &Model, graph: &StageGraph) -> Analysis {
    let n = model.stages.len();
    let transient: Vec<bool> = model.stages.iter().map(|s| !s.is_terminal()).collect();

    // What counts as winning: the `sale` stages, or the `won` outcomes of
    // a process without them (LANGUAGE.md §6.1).
    let won = sales(model);
    // Win probability: w = P_won-reach + P·w over the transient stages
    // short of a sale: a sale stage is 1 whatever follows it, and a stage
    // after a sale counts the chance of a further one.
    let short_of_sale: Vec<bool> = (0..n).map(|i| transient[i] && !won[i]).collect();
    let c = into(graph, &short_of_sale, &won);
    let mut win = solve::backward(graph, &short_of_sale, &c);
    for (i, w) in won.iter().enumerate() {
        if *w {
            win[i] = 1.0;
        }
        // A probability; rounding in a long loop may leave it a hair
        // outside [0, 1].
        win[i] = win[i].clamp(0.0, 1.0);
    }

    let shares = entry_shares(model);
    let visits = solve::forward(graph, &transient, &shares);
    let new_client_win_probability: f64 = shares.iter().zip(&win).map(|(e, w)| e * w).sum();
    let expected_sales_per_new_client: f64 = (0..n).filter(|&i| won[i]).map(|i| visits[i]).sum();

    let typical: Vec<Option<f64>> = model.stages.iter().map(|s| s.typical_minutes().map(f64::from)).collect();
    let expected = expected_minutes(model, graph, &transient, &typical);
    let entries = model
        .entries()
        .map(|s| EntryFigures {
            stage: s,
            share: shares[s.0],
            expected_minutes_to_outcome: expected[s.0],
            worst_case_minutes_to_outcome: longest_within_to_outcome(model, graph, s),
        })
        .collect();

    let plan = model.plan.as_ref().map(|_| plan_figures(model, expected_sales_per_new_client, &visits));
    let volume = |s: StageId| plan.as_ref().and_then(|p| p.new_clients_per_period).map(|nc| nc * visits[s.0]);
    let stages = (0..n)
        .map(|i| StageFigures {
            win_probability: win[i],
            expected_visits: visits[i],
            volume_per_period: volume(StageId(i)),
        })
        .collect();

    let metrics = model
        .metrics
        .iter()
        .map(|m| match &m.measure {
            Some(Measure::Conversion { from: Some(a), to: Some(b) }) => Some(conversion(model, graph, *a, *b)),
            Some(Measure::Time { from: Some(a), to: None }) => typical[a.0],
            Some(Measure::Time { from: Some(a), to: Some(Some(b)) }) => time_between(model, graph, *a, *b, &typical),
            Some(Measure::Volume(Some(a))) => volume(*a),
            _ => None,
        })
        // Clients who can never leave a stage make a time or a volume
        // infinite: that is "cannot be computed", not a number.
        .map(|v| v.filter(|x| x.is_finite()))
        .collect();

    Analysis { new_client_win_probability, expected_sales_per_new_client, stages, entries, metrics, plan }
}

/// The stages where a client is won: the `sale` stages, or the `won`
/// outcomes when no stage is a sale.
pub fn sales(model: &Model) -> Vec<bool> {
    let sale: Vec<bool> = model.stages.iter().map(|s| s.sale && !s.is_terminal()).collect();
    if sale.iter().any(|s| *s) {
        sale
    } else {
        model.stages.iter().map(|s| s.outcome == Some(OutcomeKind::Won)).collect()
    }
}

/// The share of the clients an instruction is for (§6.2): that of the
/// segments its `for` names, when every segment has a `share`; all of
/// them when it names no segment (only products, or nothing), or when the
/// segments have no shares.
pub fn instruction_share(model: &Model, instruction: &crate::model::Instruction) -> f64 {
    let mut named: Vec<usize> =
        instruction.for_names.iter().filter_map(|n| model.segment_id(n)).map(|id| id.0).collect();
    named.sort_unstable();
    named.dedup();
    if named.is_empty() || !model.segments.iter().all(|s| s.share.is_some()) {
        return 1.0;
    }
    named.iter().filter_map(|&i| model.segments[i].share).sum()
}

/// For each active stage, the probability of stepping straight into a
/// `target` stage.
fn into(graph: &StageGraph, active: &[bool], target: &[bool]) -> Vec<f64> {
    (0..active.len())
        .map(|i| {
            if !active[i] {
                return 0.0;
            }
            graph.successors(StageId(i), Edges::All).filter(|(t, _)| target[t.0]).map(|(_, e)| e.probability).sum()
        })
        .collect()
}

/// The probability that a client entering `a` reaches `b` before an
/// outcome, loops included.
pub fn conversion(model: &Model, graph: &StageGraph, a: StageId, b: StageId) -> f64 {
    if a == b {
        return 1.0;
    }
    if model.stage(a).is_terminal() {
        return 0.0;
    }
    let (active, h) = reach_probability(model, graph, a, b);
    if active[a.0] { h[a.0].clamp(0.0, 1.0) } else { 0.0 }
}

/// Solves the probability of reaching `b` from every stage, with `b` and
/// the outcomes absorbing. Returns the transient mask and the values.
///
/// Only the stages between `a` and `b` (reachable from `a`, able to reach
/// `b`) take part: elsewhere the probability is 0 or not asked for, and a
/// metric over a small region of a large process stays cheap.
fn reach_probability(model: &Model, graph: &StageGraph, a: StageId, b: StageId) -> (Vec<bool>, Vec<f64>) {
    let between = graph.between(a, b, Edges::All);
    let active: Vec<bool> =
        model.stages.iter().enumerate().map(|(i, s)| !s.is_terminal() && i != b.0 && between[i]).collect();
    let mut is_b = vec![false; model.stages.len()];
    is_b[b.0] = true;
    let c = into(graph, &active, &is_b);
    let h = solve::backward(graph, &active, &c);
    (active, h)
}

/// Expected minutes from entering `a` to entering `b`, among the clients
/// who reach `b`.
fn time_between(model: &Model, graph: &StageGraph, a: StageId, b: StageId, typical: &[Option<f64>]) -> Option<f64> {
    if a == b {
        return Some(0.0);
    }
    if model.stage(a).is_terminal() {
        return None;
    }
    let (active, h) = reach_probability(model, graph, a, b);
    if h[a.0] <= 0.0 {
        return None;
    }
    // Every stage a client can pass through on the way must have a time.
    let reached = walk_active(graph, a, &active);
    if (0..active.len()).any(|s| reached[s] && h[s] > 0.0 && typical[s].is_none()) {
        return None;
    }
    let c: Vec<f64> =
        (0..active.len()).map(|s| if active[s] { typical[s].unwrap_or(0.0) * h[s] } else { 0.0 }).collect();
    let g = solve::backward(graph, &active, &c);
    Some(g[a.0] / h[a.0])
}

/// Stages reachable from `a` through active stages only.
fn walk_active(graph: &StageGraph, a: StageId, active: &[bool]) -> Vec<bool> {
    let mut seen = vec![false; active.len()];
    let mut stack = vec![a];
    seen[a.0] = true;
    while let Some(s) = stack.pop() {
        for (t, _) in graph.successors(s, Edges::All) {
            if active[t.0] && !seen[t.0] {
                seen[t.0] = true;
                stack.push(t);
            }
        }
    }
    seen
}

/// Expected minutes to an outcome from each stage; `None` where a stage a
/// client may pass through has neither `takes` nor `within`.
fn expected_minutes(
    model: &Model,
    graph: &StageGraph,
    transient: &[bool],
    typical: &[Option<f64>],
) -> Vec<Option<f64>> {
    let missing = (0..model.stages.len()).filter(|&i| transient[i] && typical[i].is_none()).map(StageId);
    let unknown = graph.reaching(missing, Edges::All);
    let c: Vec<f64> = typical.iter().map(|t| t.unwrap_or(0.0)).collect();
    let x = solve::backward(graph, transient, &c);
    (0..model.stages.len()).map(|i| (!unknown[i] && x[i].is_finite()).then_some(x[i])).collect()
}

/// The longest path by `within` from `a` to any outcome, without `loop`
/// transitions; `None` if a stage on the way has no `within`.
fn longest_within_to_outcome(model: &Model, graph: &StageGraph, a: StageId) -> Option<f64> {
    longest(model, graph, a, |s| model.stage(s).is_terminal())
}

/// The longest time by `within` from entering `a` to entering `b`, over
/// paths without `loop` transitions; `None` if `b` cannot be reached that
/// way or a stage on the way has no `within`.
pub fn longest_within(model: &Model, graph: &StageGraph, a: StageId, b: StageId) -> Option<f64> {
    longest(model, graph, a, |s| s == b)
}

fn longest(model: &Model, graph: &StageGraph, a: StageId, is_goal: impl Fn(StageId) -> bool) -> Option<f64> {
    let n = model.stages.len();
    let from_a = graph.reachable_from([a], Edges::WithoutLoops);
    let goals: Vec<StageId> = (0..n).map(StageId).filter(|s| from_a[s.0] && is_goal(*s)).collect();
    if goals.is_empty() {
        return None;
    }
    let to_goal = graph.reaching(goals.iter().copied(), Edges::WithoutLoops);
    let on_path = |s: StageId| from_a[s.0] && to_goal[s.0];
    // Every stage passed through (not a goal) needs a `within`.
    if (0..n).map(StageId).any(|s| on_path(s) && !is_goal(s) && model.stage(s).within.is_none()) {
        return None;
    }
    let mut best: Vec<Option<f64>> = vec![None; n];
    best[a.0] = Some(0.0);
    let mut result: Option<f64> = None;
    for &s in graph.process_order() {
        let Some(t) = best[s.0] else { continue };
        if !on_path(s) {
            continue;
        }
        if is_goal(s) {
            result = Some(result.map_or(t, |r: f64| r.max(t)));
            continue;
        }
        let here = f64::from(model.stage(s).within.unwrap_or(0));
        for (next, _) in graph.successors(s, Edges::WithoutLoops) {
            if on_path(next) {
                let cand = t + here;
                best[next.0] = Some(best[next.0].map_or(cand, |b| b.max(cand)));
            }
        }
    }
    result
}

fn plan_figures(model: &Model, sales_per_client: f64, visits: &[f64]) -> PlanFigures {
    let plan = model.plan.as_ref().expect("caller: the model has a plan");
    let mut missing = Vec::new();
    let period = plan.goal.as_ref().map_or(Period::Month, Goal::period);
    let goal_clients = match &plan.goal {
        None => {
            missing.push(Missing { span: plan.span, lack: Lack::NoGoal });
            None
        }
        Some(Goal::Clients(rate)) => Some(rate.value),
        Some(Goal::Revenue(money, _)) => {
            average_deal(model, &money.currency, plan.goal_span.unwrap_or(plan.span), &mut missing)
                .map(|d| money.amount / d)
        }
    };
    // Sales per period over expected sales per new client: repeat sales
    // lower the new clients needed.
    let new_clients = goal_clients.and_then(|g| {
        if sales_per_client > 0.0 {
            Some(g / sales_per_client)
        } else {
            missing.push(Missing { span: plan.goal_span.unwrap_or(plan.span), lack: Lack::NoWin });
            None
        }
    });
    let workdays = plan.workdays_per(period);
    let mut owned_by: Vec<Vec<StageId>> = vec![Vec::new(); model.roles.len()];
    for (i, stage) in model.stages.iter().enumerate() {
        if let Some(owner) = stage.owner {
            owned_by[owner.0].push(StageId(i));
        }
    }
    // Each role's instructions with an effort, as (stage, instruction), in
    // one pass over the stages.
    let mut steps_of: Vec<Vec<(usize, usize)>> = vec![Vec::new(); model.roles.len()];
    for (i, stage) in model.stages.iter().enumerate() {
        for (k, instruction) in stage.instructions.iter().enumerate() {
            if let (Some(role), Some(_)) = (instruction.role, instruction.effort) {
                steps_of[role.0].push((i, k));
            }
        }
    }
    let mut roles = Vec::new();
    for (r, role) in model.roles.iter().enumerate() {
        let owned = &owned_by[r];
        let mut workload = new_clients.map(|_| 0.0);
        for s in owned {
            let stage = model.stage(*s);
            match stage.effort {
                Some(_) if new_clients.is_some() && !visits[s.0].is_finite() => {
                    missing.push(Missing {
                        span: stage.span,
                        lack: Lack::NeverLeft { stage: stage.id.clone(), role: role.id.clone() },
                    });
                    workload = None;
                }
                Some(effort) => {
                    if let (Some(w), Some(nc)) = (workload.as_mut(), new_clients) {
                        *w += nc * visits[s.0] * f64::from(effort) / 60.0;
                    }
                }
                None => {
                    missing.push(Missing {
                        span: stage.span,
                        lack: Lack::NoEffort { stage: stage.id.clone(), role: role.id.clone() },
                    });
                    workload = None;
                }
            }
        }
        // The role's steps at the stages, owned or not: each counts for the
        // share of the clients it is for.
        let mut helps = false;
        for &(i, k) in &steps_of[r] {
            let stage = &model.stages[i];
            let instruction = &stage.instructions[k];
            {
                let Some(effort) = instruction.effort else { continue };
                helps = true;
                if new_clients.is_some() && !visits[i].is_finite() {
                    missing.push(Missing {
                        span: instruction.span,
                        lack: Lack::NeverLeft { stage: stage.id.clone(), role: role.id.clone() },
                    });
                    workload = None;
                } else if let (Some(w), Some(nc)) = (workload.as_mut(), new_clients) {
                    *w += nc * visits[i] * f64::from(effort) / 60.0 * instruction_share(model, instruction);
                }
            }
        }
        let capacity = role.capacity_minutes.map(|c| f64::from(role.headcount) * f64::from(c) / 60.0 * workdays);
        if capacity.is_none() && (!owned.is_empty() || helps) {
            missing.push(Missing { span: role.span, lack: Lack::NoCapacity { role: role.id.clone() } });
        }
        let utilization = match (workload, capacity) {
            (Some(w), Some(c)) if c > 0.0 => Some(w / c),
            _ => None,
        };
        roles.push(RoleFigures { role: RoleId(r), workload_hours: workload, capacity_hours: capacity, utilization });
    }
    PlanFigures { period, goal_clients, new_clients_per_period: new_clients, roles, missing }
}

/// The share-weighted deal of the segments, in `currency`.
fn average_deal(model: &Model, currency: &str, goal: Span, missing: &mut Vec<Missing>) -> Option<f64> {
    if model.segments.is_empty() {
        missing.push(Missing { span: goal, lack: Lack::NoSegments });
        return None;
    }
    let all_given = model.segments.iter().all(|s| s.share.is_some());
    let equal = 1.0 / model.segments.len() as f64;
    let mut total = Some(0.0);
    for s in &model.segments {
        let share = if all_given { s.share.unwrap_or(0.0) } else { equal };
        match &s.deal {
            None => {
                missing.push(Missing {
                    span: s.span,
                    lack: Lack::NoDeal { segment: s.id.clone(), currency: currency.to_string() },
                });
                total = None;
            }
            Some(deal) if deal.currency != currency => {
                missing.push(Missing {
                    span: s.span,
                    lack: Lack::OtherCurrency {
                        segment: s.id.clone(),
                        deal: deal.currency.clone(),
                        goal: currency.to_string(),
                    },
                });
                total = None;
            }
            Some(deal) => {
                if let Some(t) = total.as_mut() {
                    *t += share * deal.amount;
                }
            }
        }
    }
    match total {
        Some(t) if t > 0.0 => Some(t),
        Some(_) => {
            missing.push(Missing { span: goal, lack: Lack::ZeroDeal });
            None
        }
        None => None,
    }
}
