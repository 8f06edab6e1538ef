//! Linear systems of an absorbing Markov chain, solved one strongly
//! connected component at a time.
//!
//! A loop-free process has only one-stage components and is solved in
//! linear time; a component with `k` stages (a rework loop) is solved by
//! Gaussian elimination on a dense `k × k` matrix of that component only.
//! A component of more than [`DENSE_LIMIT`] stages (a process whose every
//! stage can send clients back to the start) would make that matrix
//! enormous and the elimination cubic: it is solved by Gauss-Seidel
//! iteration over its transitions instead, to a relative precision of
//! 1e-13, and within a budget of work; a component that has not converged
//! by then is "cannot be computed", like a closed one.
//!
//! Components are taken over the transitions that clients really follow
//! (probability above 0). A transition written with `0%` carries nobody:
//! it is left out, so it can neither join stages into one component nor
//! multiply an infinity into NaN. A component that no client can leave
//! (every way out has 0%) is *closed*: its system is singular. Its minimal
//! non-negative solution is exact and needs no elimination: 0 when nothing
//! feeds it (no chance of being won, no inflow), infinity otherwise
//! (clients who get there stay forever), which callers treat as "cannot be
//! computed".

use crate::model::StageId;
use crate::model::graph::StageGraph;
use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

/// Whether clients follow this transition at all.
fn carries(p: f64) -> bool {
    p > 0.0
}

/// Strongly connected components of the stages where `active` holds,
/// joined by the transitions clients follow, in reverse topological order
/// (a component comes after every component it leads to).
fn components(graph: &StageGraph, active: &[bool]) -> Vec<Vec<usize>> {
    // The subgraph of the active stages only, so a system over a small
    // region of a large process costs the size of the region.
    let nodes: Vec<usize> = (0..active.len()).filter(|&i| active[i]).collect();
    // Stage -> node of the subgraph (None outside it).
    let mut index: Vec<Option<NodeIndex>> = vec![None; active.len()];
    let mut followed: DiGraph<usize, ()> = DiGraph::with_capacity(nodes.len(), nodes.len() * 2);
    for &s in &nodes {
        index[s] = Some(followed.add_node(s));
    }
    for &s in &nodes {
        for e in graph.graph.edges_directed(NodeIndex::new(s), Direction::Outgoing) {
            let t = e.target().index();
            if let (true, Some(from), Some(to)) = (carries(e.weight().probability), index[s], index[t]) {
                followed.add_edge(from, to, ());
            }
        }
    }
    petgraph::algo::kosaraju_scc(&followed)
        .into_iter()
        .map(|c| {
            // Stage order inside a component fixes the elimination order,
            // so the last bits of the results never depend on the search.
            let mut c: Vec<usize> = c.into_iter().map(|n| followed[n]).collect();
            c.sort_unstable();
            c
        })
        .collect()
}

/// A component no client can leave: no member has a followed transition
/// to a stage outside it (an outcome or an inactive stage counts as
/// outside).
fn closed(graph: &StageGraph, comp: &[usize], local: &[usize]) -> bool {
    comp.iter().all(|&s| {
        graph
            .graph
            .edges_directed(NodeIndex::new(s), Direction::Outgoing)
            .filter(|e| carries(e.weight().probability))
            .all(|e| local[e.target().index()] != usize::MAX)
    })
}

/// Solves one component's system, or gives the exact answer of a closed
/// one: zeros when nothing feeds it, infinities otherwise.
fn solve_component(a: Vec<f64>, b: Vec<f64>, n: usize, is_closed: bool) -> Vec<f64> {
    if is_closed {
        let fed = b.iter().any(|v| *v != 0.0);
        return vec![if fed { f64::INFINITY } else { 0.0 }; n];
    }
    gauss(a, b, n)
}

/// The active neighbours of `s` in direction `dir` that clients are sent
/// to (or come from), with the probability of the transition.
fn followed<'g>(
    graph: &'g StageGraph,
    s: usize,
    dir: Direction,
    active: &'g [bool],
) -> impl Iterator<Item = (usize, f64)> + 'g {
    graph.graph.edges_directed(NodeIndex::new(s), dir).filter_map(move |e| {
        let other = if dir == Direction::Outgoing { e.target() } else { e.source() }.index();
        let p = e.weight().probability;
        (active[other] && carries(p)).then_some((other, p))
    })
}

/// Solves `x(s) = c(s) + Σ p·x(n)` over the `active` stages, where `n`
/// runs over the active neighbours of `s` in direction `dir` (successors
/// going backward from the outcomes, predecessors going forward from the
/// entries), one component at a time in the order that makes every
/// neighbour outside the component already known.
fn sweep(graph: &StageGraph, active: &[bool], c: &[f64], dir: Direction) -> Vec<f64> {
    let mut x = vec![0.0; active.len()];
    let mut local = vec![usize::MAX; active.len()];
    let mut comps = components(graph, active);
    if dir == Direction::Incoming {
        comps.reverse();
    }
    for comp in comps {
        if comp.len() > DENSE_LIMIT {
            for (k, &s) in comp.iter().enumerate() {
                local[s] = k;
            }
            let mut diag = vec![1.0; comp.len()];
            let mut rows: Vec<Vec<(usize, f64)>> = vec![Vec::new(); comp.len()];
            let mut b = vec![0.0; comp.len()];
            for (k, &s) in comp.iter().enumerate() {
                b[k] = c[s];
                for (other, p) in followed(graph, s, dir, active) {
                    match local[other] {
                        j if j == k => diag[k] -= p,
                        usize::MAX => b[k] += p * x[other],
                        j => rows[k].push((j, p)),
                    }
                }
            }
            // As for a dense system: a closed component is 0 or infinity;
            // one that does not converge cannot be computed.
            let solved = if closed(graph, &comp, &local) { None } else { iterate(&diag, &rows, &b) };
            let fed = b.iter().any(|v| *v != 0.0);
            for (k, &s) in comp.iter().enumerate() {
                x[s] = match &solved {
                    Some(v) => v[k],
                    None if fed => f64::INFINITY,
                    None => 0.0,
                };
                local[s] = usize::MAX;
            }
            continue;
        }
        if let [s] = comp[..] {
            // Most components are single stages: the same arithmetic as the
            // dense 1 × 1 system below, without building it.
            local[s] = 0;
            let (mut a, mut b) = (1.0, c[s]);
            for (other, p) in followed(graph, s, dir, active) {
                if other == s {
                    a -= p;
                } else {
                    b += p * x[other];
                }
            }
            x[s] = if closed(graph, &comp, &local) {
                if b != 0.0 { f64::INFINITY } else { 0.0 }
            } else if f64::abs(a) < 1e-300 {
                f64::INFINITY
            } else {
                b / a
            };
            local[s] = usize::MAX;
            continue;
        }
        for (k, &s) in comp.iter().enumerate() {
            local[s] = k;
        }
        let n = comp.len();
        let mut a = vec![0.0; n * n];
        let mut b = vec![0.0; n];
        for (k, &s) in comp.iter().enumerate() {
            a[k * n + k] = 1.0;
            b[k] = c[s];
            for (other, p) in followed(graph, s, dir, active) {
                if local[other] != usize::MAX {
                    a[k * n + local[other]] -= p;
                } else {
                    b[k] += p * x[other];
                }
            }
        }
        let is_closed = closed(graph, &comp, &local);
        let solved = solve_component(a, b, n, is_closed);
        for (k, &s) in comp.iter().enumerate() {
            x[s] = solved[k];
        }
        for &s in &comp {
            local[s] = usize::MAX;
        }
    }
    x
}

/// Solves `x(s) = c(s) + Σ p(s,t)·x(t)` over the `active` stages, where
/// the sum runs over active successors `t`; inactive stages count as 0.
pub fn backward(graph: &StageGraph, active: &[bool], c: &[f64]) -> Vec<f64> {
    sweep(graph, active, c, Direction::Outgoing)
}

/// Solves `v(s) = e(s) + Σ p(u,s)·v(u)` over the `active` stages, where
/// the sum runs over active predecessors `u`. Inactive stages get
/// `e(s) + Σ p(u,s)·v(u)` from the active ones (what flows into them).
pub fn forward(graph: &StageGraph, active: &[bool], e: &[f64]) -> Vec<f64> {
    let mut v = sweep(graph, active, e, Direction::Incoming);
    // What flows into the inactive (absorbing) stages.
    for s in 0..active.len() {
        if active[s] {
            continue;
        }
        let mut inflow = e[s];
        for edge in graph.graph.edges_directed(NodeIndex::new(s), Direction::Incoming) {
            let u = edge.source().index();
            let p = edge.weight().probability;
            if active[u] && carries(p) {
                inflow += p * v[u];
            }
        }
        v[s] = inflow;
    }
    v
}

/// Components of more stages than this are solved by iteration.
const DENSE_LIMIT: usize = 300;

/// Transitions the iteration may visit for one component before it gives
/// up (a few seconds of work at most).
const ITERATION_BUDGET: usize = 300_000_000;

/// Solves `diag(k)·x(k) − Σ p·x(j) = b(k)` by Gauss-Seidel iteration, where
/// `rows[k]` lists `(j, p)`. Converges for the transient part of an
/// absorbing chain (every row's coefficients sum to less than `diag`
/// somewhere along every path); `None` when it has not reached a relative
/// change of 1e-13 within [`ITERATION_BUDGET`].
fn iterate(diag: &[f64], rows: &[Vec<(usize, f64)>], b: &[f64]) -> Option<Vec<f64>> {
    if diag.iter().any(|d| *d < 1e-300) {
        return None;
    }
    let work = rows.iter().map(|r| r.len() + 1).sum::<usize>();
    let mut x = vec![0.0; diag.len()];
    for _ in 0..(ITERATION_BUDGET / work.max(1)).max(1) {
        let mut change: f64 = 0.0;
        for (k, row) in rows.iter().enumerate() {
            let v = (b[k] + row.iter().map(|&(j, p)| p * x[j]).sum::<f64>()) / diag[k];
            let scale = v.abs().max(x[k].abs());
            if scale > 0.0 {
                change = change.max((v - x[k]).abs() / scale);
            }
            x[k] = v;
        }
        if !change.is_finite() {
            return None;
        }
        if change < 1e-13 {
            return Some(x);
        }
    }
    None
}

/// Gaussian elimination with partial pivoting on a dense `n × n` system
/// (row-major `a`). A singular system (clients who can never leave) gives
/// infinities, which callers treat as "cannot be computed".
fn gauss(mut a: Vec<f64>, mut b: Vec<f64>, n: usize) -> Vec<f64> {
    if n == 1 {
        return vec![if a[0].abs() < 1e-300 { f64::INFINITY } else { b[0] / a[0] }];
    }
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i * n + col].abs().total_cmp(&a[j * n + col].abs())).unwrap_or(col);
        if a[pivot * n + col].abs() < 1e-300 {
            return vec![f64::INFINITY; n];
        }
        if pivot != col {
            for k in 0..n {
                a.swap(col * n + k, pivot * n + k);
            }
            b.swap(col, pivot);
        }
        let d = a[col * n + col];
        for row in col + 1..n {
            let f = a[row * n + col] / d;
            if f == 0.0 {
                continue;
            }
            for k in col..n {
                a[row * n + k] -= f * a[col * n + k];
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let mut s = b[row];
        for k in row + 1..n {
            s -= a[row * n + k] * x[k];
        }
        x[row] = s / a[row * n + row];
    }
    x
}

/// Stage ids of a mask, for tests and callers.
pub fn ids(mask: &[bool]) -> Vec<StageId> {
    mask.iter().enumerate().filter(|(_, m)| **m).map(|(i, _)| StageId(i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauss_solves_a_small_system() {
        // x + y = 3, x - y = 1
        let x = gauss(vec![1.0, 1.0, 1.0, -1.0], vec![3.0, 1.0], 2);
        assert!((x[0] - 2.0).abs() < 1e-12 && (x[1] - 1.0).abs() < 1e-12);
    }

    /// A graph with probabilities: `(from, to, probability)`.
    fn chain(nodes: usize, edges: &[(usize, usize, f64)]) -> StageGraph {
        let mut graph = DiGraph::new();
        for i in 0..nodes {
            graph.add_node(StageId(i));
        }
        for (k, &(a, b, probability)) in edges.iter().enumerate() {
            graph.add_edge(
                NodeIndex::new(a),
                NodeIndex::new(b),
                crate::model::graph::Edge { transition: k, is_loop: a >= b, probability },
            );
        }
        StageGraph::from_graph(graph)
    }

    #[test]
    fn a_rework_loop_is_solved_exactly() {
        // 0 -> 1 80%, 0 -> lost 20%; 1 -> won 50%, 1 -> 0 30%, 1 -> lost 20%.
        let g = chain(4, &[(0, 1, 0.8), (0, 3, 0.2), (1, 2, 0.5), (1, 0, 0.3), (1, 3, 0.2)]);
        let active = [true, true, false, false];
        let win = backward(&g, &active, &[0.0, 0.5, 0.0, 0.0]);
        assert!((win[0] - 10.0 / 19.0).abs() < 1e-12 && (win[1] - 25.0 / 38.0).abs() < 1e-12, "{win:?}");
        let visits = forward(&g, &active, &[1.0, 0.0, 0.0, 0.0]);
        assert!((visits[0] - 25.0 / 19.0).abs() < 1e-12 && (visits[1] - 20.0 / 19.0).abs() < 1e-12, "{visits:?}");
        assert!((visits[2] - 10.0 / 19.0).abs() < 1e-12 && (visits[3] - 9.0 / 19.0).abs() < 1e-12, "{visits:?}");
    }

    /// A component larger than [`DENSE_LIMIT`] (every stage can send the
    /// client back to the start) is iterated; the result matches the dense
    /// elimination of the same system.
    #[test]
    fn a_large_component_is_iterated_to_the_dense_answer() {
        let n = DENSE_LIMIT + 100;
        let (won, lost) = (n, n + 1);
        let mut edges = Vec::new();
        for i in 0..n {
            let back = 0.02 + 0.01 * (i % 7) as f64;
            edges.push((i, if i + 1 < n { i + 1 } else { won }, 0.9 - back));
            edges.push((i, if i % 3 == 0 { 0 } else { i / 2 }, back));
            edges.push((i, lost, 0.1));
        }
        let g = chain(n + 2, &edges);
        let active: Vec<bool> = (0..n + 2).map(|i| i < n).collect();
        let mut c = vec![0.0; n + 2];
        c[n - 1] = 0.9 - (0.02 + 0.01 * ((n - 1) % 7) as f64);
        let win = backward(&g, &active, &c);
        let mut entries = vec![0.0; n + 2];
        entries[0] = 1.0;
        let visits = forward(&g, &active, &entries);
        // The dense systems, (I − P)x = c and (I − Pᵀ)v = e.
        let mut a = vec![0.0; n * n];
        let mut at = vec![0.0; n * n];
        for k in 0..n {
            a[k * n + k] = 1.0;
            at[k * n + k] = 1.0;
        }
        for &(i, j, p) in &edges {
            if j < n {
                a[i * n + j] -= p;
                at[j * n + i] -= p;
            }
        }
        let dense_win = gauss(a, c[..n].to_vec(), n);
        let dense_visits = gauss(at, entries[..n].to_vec(), n);
        for k in 0..n {
            assert!((win[k] - dense_win[k]).abs() <= 1e-11 * dense_win[k].abs().max(1e-300), "win {k}");
            assert!((visits[k] - dense_visits[k]).abs() <= 1e-11 * dense_visits[k].abs(), "visits {k}");
        }
        assert!(visits[0] > 1.0, "clients come back to the start");
    }

    #[test]
    fn a_stage_no_client_leaves_is_never_won_and_visited_forever() {
        // 0 -> 0 100% (loop), 0 -> won 0%: nobody is won, and a client stays forever.
        let g = chain(2, &[(0, 0, 1.0), (0, 1, 0.0)]);
        let active = [true, false];
        assert_eq!(backward(&g, &active, &[0.0, 0.0]), vec![0.0, 0.0]);
        let visits = forward(&g, &active, &[1.0, 0.0]);
        assert!(visits[0].is_infinite(), "{visits:?}");
        assert_eq!(visits[1], 0.0, "no NaN from 0% × ∞");
        let time = backward(&g, &active, &[60.0, 0.0]);
        assert!(time[0].is_infinite());
    }

    #[test]
    fn zero_percent_transitions_do_not_join_components() {
        // 0 -> 1 100%, 1 -> 0 0% (loop), 1 -> won 100%; 2 -> 2 100%, 2 -> won 0%,
        // and nothing flows into 2: it stays at 0 and does not disturb the rest.
        let g = chain(4, &[(0, 1, 1.0), (1, 0, 0.0), (1, 3, 1.0), (2, 2, 1.0), (2, 3, 0.0)]);
        let active = [true, true, true, false];
        let visits = forward(&g, &active, &[1.0, 0.0, 0.0, 0.0]);
        assert_eq!(visits, vec![1.0, 1.0, 0.0, 1.0]);
        let win = backward(&g, &active, &[0.0, 1.0, 0.0, 0.0]);
        assert_eq!(win, vec![1.0, 1.0, 0.0, 0.0]);
    }

    #[test]
    fn gauss_reports_singular_systems() {
        let x = gauss(vec![1.0, 1.0, 1.0, 1.0], vec![1.0, 2.0], 2);
        assert!(x.iter().all(|v| v.is_infinite()));
    }
}
