//! The replay of AUDIT.md §2: what kind of move `u -> v` is, against the
//! declared transitions.

use crate::model::{Model, StageId};
use foldhash::HashMap;
use std::cell::RefCell;

/// How a move relates to the process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Move {
    Conforming,
    Reopened,
    /// The stages in between on the shortest path.
    Skip(Vec<StageId>),
    Backward,
    Jump,
}

/// The process as the replay sees it. `None` as a stage is the start.
pub struct Process<'m> {
    model: &'m Model,
    /// Per stage: its declared targets with their probabilities and
    /// whether each is a loop.
    edges: Vec<Vec<(StageId, f64, bool)>>,
    /// The entries with their shares.
    entries: Vec<(StageId, f64)>,
    self_loop: Vec<bool>,
    cache: RefCell<HashMap<(Option<StageId>, StageId), Move>>,
}

impl<'m> Process<'m> {
    pub fn new(model: &'m Model) -> Process<'m> {
        let edges: Vec<Vec<(StageId, f64, bool)>> = model
            .stages
            .iter()
            .map(|s| s.transitions.iter().filter_map(|t| Some((t.target?, t.probability, t.is_loop))).collect())
            .collect();
        let self_loop =
            edges.iter().enumerate().map(|(i, e)| e.iter().any(|&(t, _, is_loop)| t.0 == i && is_loop)).collect();
        let shares = crate::funnel::entry_shares(model);
        let entries = model.entries().map(|s| (s, shares.get(s.0).copied().unwrap_or(0.0))).collect();
        Process { model, edges, entries, self_loop, cache: RefCell::new(HashMap::default()) }
    }

    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// The declared transitions from `u` (the start's go to the entries),
    /// in declaration order.
    pub fn declared(&self, u: Option<StageId>) -> Vec<(StageId, f64)> {
        match u {
            None => self.entries.clone(),
            Some(u) => self.edges[u.0].iter().map(|&(t, p, _)| (t, p)).collect(),
        }
    }

    /// Whether repeated events at `s` are each a new visit.
    pub fn has_self_loop(&self, s: StageId) -> bool {
        self.self_loop[s.0]
    }

    /// The kind of the move `u -> v`.
    pub fn classify(&self, u: Option<StageId>, v: StageId) -> Move {
        if let Some(m) = self.cache.borrow().get(&(u, v)) {
            return m.clone();
        }
        let m = self.classify_uncached(u, v);
        self.cache.borrow_mut().insert((u, v), m.clone());
        m
    }

    fn classify_uncached(&self, u: Option<StageId>, v: StageId) -> Move {
        if self.declared(u).iter().any(|&(t, _)| t == v) {
            return Move::Conforming;
        }
        if let Some(u) = u
            && self.model.stage(u).is_terminal()
        {
            return Move::Reopened;
        }
        if let Some(path) = self.shortest(u, v) {
            return Move::Skip(path);
        }
        if let Some(u) = u
            && self.shortest(Some(v), u).is_some()
        {
            return Move::Backward;
        }
        Move::Jump
    }

    /// The stages strictly between `from` and `to` on the shortest path of
    /// non-loop transitions, if `to` can be reached. Ties: the highest
    /// product of probabilities, then the path whose transitions come first
    /// in declaration order (compared from the start of the path).
    ///
    /// Breadth-first, one layer of equal length at a time. Within a layer
    /// each stage's best path is ranked against the others', so a path
    /// through `w` by `w`'s transition `i` compares as `(rank of w, i)`:
    /// lexicographic order of whole paths without storing them.
    fn shortest(&self, from: Option<StageId>, to: StageId) -> Option<Vec<StageId>> {
        let n = self.edges.len();
        let mut dist = vec![u32::MAX; n];
        let mut d = 1u32;
        let mut best = vec![0.0f64; n];
        // (rank of the predecessor, transition index): smaller comes first.
        let mut key = vec![(usize::MAX, usize::MAX); n];
        let mut rank = vec![0usize; n];
        let mut pred: Vec<Option<StageId>> = vec![None; n];
        let mut layer: Vec<StageId> = Vec::new();
        let first: Vec<(StageId, f64)> = match from {
            None => self.entries.clone(),
            Some(u) => self.edges[u.0].iter().filter(|e| !e.2 && e.0 != u).map(|&(t, p, _)| (t, p)).collect(),
        };
        if let Some(u) = from {
            dist[u.0] = 0;
        }
        for (i, (t, p)) in first.into_iter().enumerate() {
            if dist[t.0] == u32::MAX {
                dist[t.0] = 1;
                best[t.0] = p;
                key[t.0] = (0, i);
                layer.push(t);
            } else if dist[t.0] == 1 && p > best[t.0] {
                best[t.0] = p;
                key[t.0] = (0, i);
            }
        }
        while !layer.is_empty() && dist[to.0] != d {
            layer.sort_by_key(|s| key[s.0]);
            for (r, s) in layer.iter().enumerate() {
                rank[s.0] = r;
            }
            let mut next: Vec<StageId> = Vec::new();
            for &w in &layer {
                for (i, &(t, p, is_loop)) in self.edges[w.0].iter().enumerate() {
                    if is_loop {
                        continue;
                    }
                    let through = best[w.0] * p;
                    let k = (rank[w.0], i);
                    if dist[t.0] == u32::MAX {
                        dist[t.0] = d + 1;
                        next.push(t);
                    } else if dist[t.0] != d + 1 || !(through > best[t.0] || (through == best[t.0] && k < key[t.0])) {
                        // Reached on a shorter path, or a better one of this length.
                        continue;
                    }
                    best[t.0] = through;
                    key[t.0] = k;
                    pred[t.0] = Some(w);
                }
            }
            layer = next;
            d += 1;
        }
        if dist[to.0] == u32::MAX || dist[to.0] == 0 {
            return None;
        }
        let mut path = Vec::new();
        let mut at = pred[to.0];
        while let Some(w) = at {
            path.push(w);
            at = pred[w.0];
        }
        // The first stage of the path (an entry, from the start) has no
        // predecessor, so the path holds exactly the stages in between.
        path.reverse();
        Some(path)
    }
}
