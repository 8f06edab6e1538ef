//! The stage graph (petgraph) and the graph questions the checks, the
//! funnel model and the emitters ask of it.
//!
//! Node `i` is always [`StageId`]`(i)`. Only resolved transitions are edges,
//! and an outcome stage has none (its transitions are P207 and left out).

use super::{Model, StageId};
use petgraph::Direction;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// One transition, as an edge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    /// Index of the transition in its stage's list.
    pub transition: usize,
    pub is_loop: bool,
    pub probability: f64,
}

/// The stage graph of a model.
#[derive(Debug, Clone)]
pub struct StageGraph {
    pub graph: DiGraph<StageId, Edge>,
    /// The process order, computed once.
    order: std::sync::OnceLock<Vec<StageId>>,
    /// Per role, the stages it owns or has instructions at, computed once.
    by_role: std::sync::OnceLock<Vec<Vec<StageId>>>,
    /// Per stage, the rank of its strongly connected component in a
    /// topological order of the components (all edges): every edge goes to
    /// an equal or a higher rank. Computed once.
    ranks: std::sync::OnceLock<Vec<u32>>,
}

/// Which edges a question considers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edges {
    All,
    /// Leave out transitions marked `loop`.
    WithoutLoops,
}

impl Edges {
    fn keeps(self, edge: &Edge) -> bool {
        self == Edges::All || !edge.is_loop
    }
}

fn node(id: StageId) -> NodeIndex {
    NodeIndex::new(id.0)
}

impl StageGraph {
    pub fn new(model: &Model) -> StageGraph {
        let mut graph = DiGraph::with_capacity(model.stages.len(), model.stages.len() * 2);
        for i in 0..model.stages.len() {
            graph.add_node(StageId(i));
        }
        for (i, stage) in model.stages.iter().enumerate() {
            for (k, t) in stage.transitions.iter().enumerate() {
                if let Some(target) = t.target {
                    graph.add_edge(
                        NodeIndex::new(i),
                        node(target),
                        Edge { transition: k, is_loop: t.is_loop, probability: t.probability },
                    );
                }
            }
        }
        StageGraph::from_graph(graph)
    }

    /// A stage graph around a prepared petgraph graph (node `i` must be
    /// stage `i`).
    pub fn from_graph(graph: DiGraph<StageId, Edge>) -> StageGraph {
        StageGraph {
            graph,
            order: std::sync::OnceLock::new(),
            by_role: std::sync::OnceLock::new(),
            ranks: std::sync::OnceLock::new(),
        }
    }

    /// A graph from plain edge lists, for tests: `(from, to, is_loop)`.
    pub fn from_edges(nodes: usize, edges: &[(usize, usize, bool)]) -> StageGraph {
        let mut graph = DiGraph::new();
        for i in 0..nodes {
            graph.add_node(StageId(i));
        }
        for (k, &(a, b, is_loop)) in edges.iter().enumerate() {
            graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), Edge { transition: k, is_loop, probability: 0.0 });
        }
        StageGraph::from_graph(graph)
    }

    pub fn len(&self) -> usize {
        self.graph.node_count()
    }

    pub fn is_empty(&self) -> bool {
        self.graph.node_count() == 0
    }

    /// Successors along the chosen edges.
    pub fn successors(&self, id: StageId, edges: Edges) -> impl Iterator<Item = (StageId, &Edge)> + '_ {
        self.graph
            .edges_directed(node(id), Direction::Outgoing)
            .filter(move |e| edges.keeps(e.weight()))
            .map(|e| (StageId(petgraph::visit::EdgeRef::target(&e).index()), e.weight()))
    }

    fn walk(&self, from: impl IntoIterator<Item = StageId>, dir: Direction, edges: Edges) -> Vec<bool> {
        let mut seen = vec![false; self.len()];
        let mut queue = VecDeque::new();
        for s in from {
            if !seen[s.0] {
                seen[s.0] = true;
                queue.push_back(s);
            }
        }
        while let Some(s) = queue.pop_front() {
            for other in self.neighbours(s, dir, edges) {
                if !seen[other.0] {
                    seen[other.0] = true;
                    queue.push_back(other);
                }
            }
        }
        seen
    }

    /// The stages on some path from `a` to `b` (both included when `b` can
    /// be reached): the stages reachable from `a` that can reach `b`.
    ///
    /// The search runs forwards from `a` and backwards from `b` in turns,
    /// each kept to the stages whose component lies between those of `a`
    /// and `b` in topological order (no path from `a` to `b` leaves them);
    /// when one side has seen all it can, the other is finished inside what
    /// that side saw. So a metric over a small stretch of a large process
    /// costs about that stretch, not the whole graph.
    pub fn between(&self, a: StageId, b: StageId, edges: Edges) -> Vec<bool> {
        let n = self.len();
        let ranks = self.ranks();
        let (low, high) = (ranks[a.0], ranks[b.0]);
        if low > high {
            return vec![false; n];
        }
        let within = |s: StageId| (low..=high).contains(&ranks[s.0]);
        let mut sides =
            [(vec![false; n], vec![a], Direction::Outgoing), (vec![false; n], vec![b], Direction::Incoming)];
        sides[0].0[a.0] = true;
        sides[1].0[b.0] = true;
        let done = 'search: loop {
            for (i, (seen, stack, dir)) in sides.iter_mut().enumerate() {
                let Some(s) = stack.pop() else { break 'search i };
                for other in self.neighbours(s, *dir, edges) {
                    if !seen[other.0] && within(other) {
                        seen[other.0] = true;
                        stack.push(other);
                    }
                }
            }
        };
        // Finish the other side, keeping to what the finished side saw.
        let [forward, backward] = sides;
        let ((inside, _, _), (_, _, dir), start) =
            if done == 0 { (forward, backward, b) } else { (backward, forward, a) };
        let mut result = vec![false; n];
        if !inside[start.0] {
            return result;
        }
        result[start.0] = true;
        let mut stack = vec![start];
        while let Some(s) = stack.pop() {
            for other in self.neighbours(s, dir, edges) {
                if inside[other.0] && !result[other.0] {
                    result[other.0] = true;
                    stack.push(other);
                }
            }
        }
        result
    }

    /// Neighbours along the chosen edges, in the direction `dir`.
    fn neighbours(&self, s: StageId, dir: Direction, edges: Edges) -> impl Iterator<Item = StageId> + '_ {
        self.graph.edges_directed(node(s), dir).filter(move |e| edges.keeps(e.weight())).map(move |e| {
            StageId(match dir {
                Direction::Outgoing => petgraph::visit::EdgeRef::target(&e).index(),
                Direction::Incoming => petgraph::visit::EdgeRef::source(&e).index(),
            })
        })
    }

    /// Stages reachable from `sources` (sources included).
    pub fn reachable_from(&self, sources: impl IntoIterator<Item = StageId>, edges: Edges) -> Vec<bool> {
        self.walk(sources, Direction::Outgoing, edges)
    }

    /// Stages reached from `sources` (included), going on only from the
    /// stages `through` keeps, along every transition.
    pub fn reachable_through(
        &self,
        sources: impl IntoIterator<Item = StageId>,
        through: impl Fn(StageId) -> bool,
    ) -> Vec<bool> {
        let mut seen = vec![false; self.graph.node_count()];
        let mut stack: Vec<StageId> = Vec::new();
        for s in sources {
            if !seen[s.0] {
                seen[s.0] = true;
                stack.push(s);
            }
        }
        while let Some(s) = stack.pop() {
            if !through(s) {
                continue;
            }
            for (t, _) in self.successors(s, Edges::All) {
                if !seen[t.0] {
                    seen[t.0] = true;
                    stack.push(t);
                }
            }
        }
        seen
    }

    /// Stages from which one of `targets` can be reached (targets included).
    pub fn reaching(&self, targets: impl IntoIterator<Item = StageId>, edges: Edges) -> Vec<bool> {
        self.walk(targets, Direction::Incoming, edges)
    }

    /// Strongly connected components that hold a cycle of the chosen edges
    /// (more than one stage, or one stage with an edge to itself). Each is
    /// sorted by stage id; the list is sorted by its first stage.
    pub fn cycles(&self, edges: Edges) -> Vec<Vec<StageId>> {
        let filtered = petgraph::visit::EdgeFiltered::from_fn(&self.graph, |e| edges.keeps(e.weight()));
        let mut out: Vec<Vec<StageId>> = petgraph::algo::kosaraju_scc(&filtered)
            .into_iter()
            .filter(|c| c.len() > 1 || self.graph.edges_connecting(c[0], c[0]).any(|e| edges.keeps(e.weight())))
            .map(|c| {
                let mut ids: Vec<StageId> = c.into_iter().map(|n| StageId(n.index())).collect();
                ids.sort();
                ids
            })
            .collect();
        out.sort();
        out
    }

    /// A shortest cycle through `start` inside `component`, as the list of
    /// stages `start, …, start`, and the edge that closes it.
    pub fn cycle_through(
        &self,
        start: StageId,
        component: &[StageId],
        edges: Edges,
    ) -> (Vec<StageId>, Option<EdgeIndex>) {
        let inside = |s: StageId| component.binary_search(&s).is_ok();
        let mut parent: Vec<Option<(StageId, EdgeIndex)>> = vec![None; self.len()];
        let mut queue = VecDeque::from([start]);
        let mut closing = None;
        'search: while let Some(s) = queue.pop_front() {
            let mut next: Vec<_> = self
                .graph
                .edges_directed(node(s), Direction::Outgoing)
                .filter(|e| edges.keeps(e.weight()))
                .map(|e| (petgraph::visit::EdgeRef::target(&e), petgraph::visit::EdgeRef::id(&e)))
                .collect();
            next.sort_by_key(|(_, e)| self.graph[*e].transition);
            for (t, e) in next {
                let t = StageId(t.index());
                if t == start {
                    closing = Some((s, e));
                    break 'search;
                }
                if inside(t) && parent[t.0].is_none() {
                    parent[t.0] = Some((s, e));
                    queue.push_back(t);
                }
            }
        }
        let Some((last, edge)) = closing else {
            return (vec![start], None);
        };
        let mut path = vec![last];
        let mut at = last;
        while at != start {
            at = parent[at.0].map_or(start, |(p, _)| p);
            path.push(at);
        }
        path.reverse();
        path.push(start);
        (path, Some(edge))
    }

    /// The stages a role owns or has instructions at, in process order.
    /// `model` must be the model this graph was made from.
    pub fn stages_of_role(&self, model: &super::Model, role: super::RoleId) -> &[StageId] {
        let all = self.by_role.get_or_init(|| {
            let mut by_role: Vec<Vec<StageId>> = vec![Vec::new(); model.roles.len()];
            for &id in self.process_order() {
                let stage = model.stage(id);
                for r in stage.owner.into_iter().chain(stage.instructions.iter().filter_map(|i| i.role)) {
                    if let Some(list) = by_role.get_mut(r.0) {
                        if list.last() != Some(&id) {
                            list.push(id);
                        }
                    }
                }
            }
            by_role
        });
        all.get(role.0).map_or(&[], Vec::as_slice)
    }

    /// The transitions into a stage, as `(from, transition index)`, in the
    /// order they are written (by stage, then by transition).
    pub fn incoming(&self, id: StageId) -> Vec<(StageId, usize)> {
        let mut v: Vec<(StageId, usize)> = self
            .graph
            .edges_directed(node(id), Direction::Incoming)
            .map(|e| (StageId(petgraph::visit::EdgeRef::source(&e).index()), e.weight().transition))
            .collect();
        v.sort();
        v
    }

    /// A closed walk from `start` through every stage of `component` and
    /// back, along the chosen edges, as the list of stages and the edge that
    /// returns to `start`. Each leg is a shortest path, taken to the
    /// unvisited stages in id order. For a component of more than `limit`
    /// stages, the shortest cycle through `start` instead.
    pub fn walk_through(
        &self,
        start: StageId,
        component: &[StageId],
        edges: Edges,
        limit: usize,
    ) -> (Vec<StageId>, Option<EdgeIndex>) {
        if component.len() > limit {
            return self.cycle_through(start, component, edges);
        }
        let inside = |s: StageId| component.binary_search(&s).is_ok();
        // The shortest path from `from` to `to` inside the component, as
        // (stages after `from`, the last edge).
        let leg = |from: StageId, to: StageId| -> Option<(Vec<StageId>, EdgeIndex)> {
            let mut parent: Vec<Option<(StageId, EdgeIndex)>> = vec![None; self.len()];
            let mut queue = VecDeque::from([from]);
            let mut seen = vec![false; self.len()];
            seen[from.0] = true;
            while let Some(s) = queue.pop_front() {
                let mut next: Vec<_> = self
                    .graph
                    .edges_directed(node(s), Direction::Outgoing)
                    .filter(|e| edges.keeps(e.weight()))
                    .map(|e| (StageId(petgraph::visit::EdgeRef::target(&e).index()), petgraph::visit::EdgeRef::id(&e)))
                    .collect();
                next.sort_by_key(|(_, e)| self.graph[*e].transition);
                for (t, e) in next {
                    if t == to {
                        let mut path = vec![t];
                        let mut at = s;
                        while at != from {
                            path.push(at);
                            at = parent[at.0].map_or(from, |(p, _)| p);
                        }
                        path.reverse();
                        return Some((path, e));
                    }
                    if inside(t) && !seen[t.0] {
                        seen[t.0] = true;
                        parent[t.0] = Some((s, e));
                        queue.push_back(t);
                    }
                }
            }
            None
        };
        let mut walk = vec![start];
        let mut visited: Vec<StageId> = vec![start];
        let mut at = start;
        for &target in component {
            if visited.contains(&target) {
                continue;
            }
            let Some((path, _)) = leg(at, target) else { return self.cycle_through(start, component, edges) };
            visited.extend(path.iter().copied());
            walk.extend(path);
            at = target;
        }
        match leg(at, start) {
            Some((path, edge)) => {
                walk.extend(path);
                (walk, Some(edge))
            }
            None => self.cycle_through(start, component, edges),
        }
    }

    /// The edge's source stage.
    pub fn source(&self, edge: EdgeIndex) -> StageId {
        StageId(self.graph.edge_endpoints(edge).map_or(0, |(a, _)| a.index()))
    }

    /// Each stage's component rank (see the field `ranks`).
    fn ranks(&self) -> &[u32] {
        self.ranks.get_or_init(|| {
            // kosaraju_scc lists the components in reverse topological order.
            let components = petgraph::algo::kosaraju_scc(&self.graph);
            let mut ranks = vec![0; self.len()];
            let count = components.len();
            for (i, component) in components.into_iter().enumerate() {
                for node in component {
                    ranks[node.index()] = u32::try_from(count - 1 - i).unwrap_or(u32::MAX);
                }
            }
            ranks
        })
    }

    /// A topological order of the graph without `loop` transitions, ties
    /// broken by declaration order; stages on an unmarked cycle come last,
    /// in declaration order.
    pub fn process_order(&self) -> &[StageId] {
        self.order.get_or_init(|| self.compute_order())
    }

    fn compute_order(&self) -> Vec<StageId> {
        let n = self.len();
        let mut indegree = vec![0usize; n];
        for e in self.graph.edge_indices() {
            if !self.graph[e].is_loop {
                if let Some((_, b)) = self.graph.edge_endpoints(e) {
                    indegree[b.index()] += 1;
                }
            }
        }
        let mut ready: BinaryHeap<Reverse<usize>> = (0..n).filter(|&i| indegree[i] == 0).map(Reverse).collect();
        let mut order = Vec::with_capacity(n);
        let mut placed = vec![false; n];
        while let Some(Reverse(i)) = ready.pop() {
            order.push(StageId(i));
            placed[i] = true;
            for (t, _) in self.successors(StageId(i), Edges::WithoutLoops) {
                indegree[t.0] -= 1;
                if indegree[t.0] == 0 {
                    ready.push(Reverse(t.0));
                }
            }
        }
        order.extend((0..n).filter(|&i| !placed[i]).map(StageId));
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[usize]) -> Vec<StageId> {
        v.iter().map(|&i| StageId(i)).collect()
    }

    #[test]
    fn reachability_follows_edges_both_ways() {
        // 0 -> 1 -> 2, 3 isolated
        let g = StageGraph::from_edges(4, &[(0, 1, false), (1, 2, false)]);
        assert_eq!(g.reachable_from([StageId(0)], Edges::All), vec![true, true, true, false]);
        assert_eq!(g.reaching([StageId(2)], Edges::All), vec![true, true, true, false]);
        assert_eq!(g.reachable_from([StageId(1)], Edges::All), vec![false, true, true, false]);
    }

    #[test]
    fn between_is_reachable_from_a_and_reaching_b() {
        // Random graphs, loops marked at random: `between` is the
        // intersection of the two full walks, whichever side ends first.
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |m: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % m as u64) as usize
        };
        for _ in 0..300 {
            let n = 1 + next(12);
            let edges: Vec<(usize, usize, bool)> = (0..next(3 * n)).map(|_| (next(n), next(n), next(4) == 0)).collect();
            let g = StageGraph::from_edges(n, &edges);
            let ranks = g.ranks();
            for &(from, to, _) in &edges {
                assert!(ranks[from] <= ranks[to], "an edge goes down in rank: {edges:?}");
            }
            for which in [Edges::All, Edges::WithoutLoops] {
                let (a, b) = (StageId(next(n)), StageId(next(n)));
                let from_a = g.reachable_from([a], which);
                let to_b = g.reaching([b], which);
                let expected: Vec<bool> = (0..n).map(|i| from_a[i] && to_b[i]).collect();
                assert_eq!(g.between(a, b, which), expected, "{edges:?} {a:?} -> {b:?}");
            }
        }
    }

    #[test]
    fn loop_edges_can_be_left_out() {
        let g = StageGraph::from_edges(2, &[(0, 1, false), (1, 0, true)]);
        assert_eq!(g.cycles(Edges::All), vec![ids(&[0, 1])]);
        assert!(g.cycles(Edges::WithoutLoops).is_empty());
        assert_eq!(g.reaching([StageId(0)], Edges::WithoutLoops), vec![true, false]);
    }

    #[test]
    fn self_loops_are_cycles() {
        let g = StageGraph::from_edges(2, &[(0, 0, false), (0, 1, false)]);
        assert_eq!(g.cycles(Edges::WithoutLoops), vec![ids(&[0])]);
        let (path, edge) = g.cycle_through(StageId(0), &ids(&[0]), Edges::WithoutLoops);
        assert_eq!(path, ids(&[0, 0]));
        assert!(edge.is_some());
    }

    #[test]
    fn cycle_path_is_in_edge_order() {
        // 0 -> 1 -> 2 -> 0 and a chord 0 -> 2
        let g = StageGraph::from_edges(3, &[(0, 1, false), (1, 2, false), (2, 0, false), (0, 2, false)]);
        let comps = g.cycles(Edges::All);
        assert_eq!(comps, vec![ids(&[0, 1, 2])]);
        let (path, edge) = g.cycle_through(StageId(0), &comps[0], Edges::All);
        assert_eq!(path, ids(&[0, 2, 0]));
        assert_eq!(edge.map(|e| g.source(e)), Some(StageId(2)));
        let (path, _) = g.cycle_through(StageId(1), &comps[0], Edges::All);
        assert_eq!(path, ids(&[1, 2, 0, 1]));
    }

    #[test]
    fn a_walk_names_every_stage_of_a_component() {
        // 0 -> 1 -> 0 and 0 -> 2 -> 3 -> 0: the shortest cycle misses 2 and 3.
        let g = StageGraph::from_edges(4, &[(0, 1, false), (1, 0, false), (0, 2, false), (2, 3, false), (3, 0, false)]);
        let comp = ids(&[0, 1, 2, 3]);
        let (cycle, _) = g.cycle_through(StageId(0), &comp, Edges::All);
        assert_eq!(cycle, ids(&[0, 1, 0]));
        let (walk, edge) = g.walk_through(StageId(0), &comp, Edges::All, 50);
        assert_eq!(walk, ids(&[0, 1, 0, 2, 3, 0]));
        assert_eq!(edge.map(|e| g.source(e)), Some(StageId(3)));
        let (short, _) = g.walk_through(StageId(0), &comp, Edges::All, 3);
        assert_eq!(short, ids(&[0, 1, 0]), "over the limit, the shortest cycle");
    }

    #[test]
    fn process_order_is_topological_with_declaration_ties() {
        // 0 -> 2, 1 -> 2, 2 -> 3, 3 -> 0 (loop)
        let g = StageGraph::from_edges(4, &[(0, 2, false), (1, 2, false), (2, 3, false), (3, 0, true)]);
        assert_eq!(g.process_order(), ids(&[0, 1, 2, 3]).as_slice());
        let g = StageGraph::from_edges(3, &[(2, 0, false), (0, 1, false)]);
        assert_eq!(g.process_order(), ids(&[2, 0, 1]).as_slice());
    }
}
