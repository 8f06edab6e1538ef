//! Linear systems of an absorbing Markov chain, solved one strongly
//! connected component at a time.
//!
//! A loop-free process has only one-stage components and is solved in
//! linear time; a component with `k` stages (a rework loop) is solved by
//! Gaussian elimination on a dense `k × k` matrix of that component only.

use crate::model::graph::StageGraph;
use crate::model::StageId;
use petgraph::visit::{EdgeRef, NodeFiltered};
use petgraph::Direction;

/// Strongly connected components of the stages where `active` holds, in
/// reverse topological order (a component comes after every component it
/// leads to).
fn components(graph: &StageGraph, active: &[bool]) -> Vec<Vec<usize>> {
    let filtered = NodeFiltered::from_fn(&graph.graph, |n| active[n.index()]);
    petgraph::algo::tarjan_scc(&filtered)
        .into_iter()
        .map(|c| c.into_iter().map(|n| n.index()).collect())
        .collect()
}

/// Solves `x(s) = c(s) + Σ p(s,t)·x(t)` over the `active` stages, where
/// the sum runs over active successors `t`; inactive stages count as 0.
pub fn backward(graph: &StageGraph, active: &[bool], c: &[f64]) -> Vec<f64> {
    let mut x = vec![0.0; active.len()];
    let mut local = vec![usize::MAX; active.len()];
    for comp in components(graph, active) {
        for (k, &s) in comp.iter().enumerate() {
            local[s] = k;
        }
        let n = comp.len();
        let mut a = vec![0.0; n * n];
        let mut b = vec![0.0; n];
        for (k, &s) in comp.iter().enumerate() {
            a[k * n + k] = 1.0;
            b[k] = c[s];
            for e in graph.graph.edges_directed(petgraph::graph::NodeIndex::new(s), Direction::Outgoing) {
                let t = e.target().index();
                if !active[t] {
                    continue;
                }
                let p = e.weight().probability;
                if local[t] != usize::MAX && comp.get(local[t]) == Some(&t) {
                    a[k * n + local[t]] -= p;
                } else {
                    b[k] += p * x[t];
                }
            }
        }
        let solved = gauss(a, b, n);
        for (k, &s) in comp.iter().enumerate() {
            x[s] = solved[k];
        }
        for &s in &comp {
            local[s] = usize::MAX;
        }
    }
    x
}

/// Solves `v(s) = e(s) + Σ p(u,s)·v(u)` over the `active` stages, where
/// the sum runs over active predecessors `u`. Inactive stages get
/// `e(s) + Σ p(u,s)·v(u)` from the active ones (what flows into them).
pub fn forward(graph: &StageGraph, active: &[bool], e: &[f64]) -> Vec<f64> {
    let mut v = vec![0.0; active.len()];
    let mut local = vec![usize::MAX; active.len()];
    let mut comps = components(graph, active);
    comps.reverse();
    for comp in comps {
        for (k, &s) in comp.iter().enumerate() {
            local[s] = k;
        }
        let n = comp.len();
        let mut a = vec![0.0; n * n];
        let mut b = vec![0.0; n];
        for (k, &s) in comp.iter().enumerate() {
            a[k * n + k] = 1.0;
            b[k] = e[s];
            for edge in graph.graph.edges_directed(petgraph::graph::NodeIndex::new(s), Direction::Incoming) {
                let u = edge.source().index();
                if !active[u] {
                    continue;
                }
                let p = edge.weight().probability;
                if local[u] != usize::MAX && comp.get(local[u]) == Some(&u) {
                    a[k * n + local[u]] -= p;
                } else {
                    b[k] += p * v[u];
                }
            }
        }
        let solved = gauss(a, b, n);
        for (k, &s) in comp.iter().enumerate() {
            v[s] = solved[k];
        }
        for &s in &comp {
            local[s] = usize::MAX;
        }
    }
    // What flows into the inactive (absorbing) stages.
    for s in 0..active.len() {
        if active[s] {
            continue;
        }
        let mut inflow = e[s];
        for edge in graph.graph.edges_directed(petgraph::graph::NodeIndex::new(s), Direction::Incoming) {
            let u = edge.source().index();
            if active[u] {
                inflow += edge.weight().probability * v[u];
            }
        }
        v[s] = inflow;
    }
    v
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

    #[test]
    fn gauss_reports_singular_systems() {
        let x = gauss(vec![1.0, 1.0, 1.0, 1.0], vec![1.0, 2.0], 2);
        assert!(x.iter().all(|v| v.is_infinite()));
    }
}
