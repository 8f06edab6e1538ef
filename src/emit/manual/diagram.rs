//! The stage graph laid out for drawing (the HTML manual draws it as
//! inline SVG). A small layered layout, deterministic and without a
//! library:
//!
//! - **columns** by depth in process order: a stage sits one column right
//!   of its furthest predecessor (over transitions without `loop`); every
//!   outcome goes to one last column;
//! - **rows**: within a column, stages keep process order;
//! - **arrows** leave a box on its right side and enter the next one on
//!   its left side. An arrow to the very next column is a curve; a longer
//!   one runs down the free channel beside its column, along a lane below
//!   all boxes and up the channel before its target; a `loop` (a return)
//!   does the same above the boxes, and is dashed. Every such arrow has a
//!   lane of its own, so arrows never run over boxes or over each other's
//!   horizontal stretch.
//!
//! Coordinates are whole numbers, so the output is the same everywhere.

use crate::i18n::Words;
use crate::model::graph::StageGraph;
use crate::model::{Model, OutcomeKind, RoleId};
use serde::Serialize;

const BOX_W: i32 = 112;
const GAP: i32 = 56;
const V_GAP: i32 = 26;
const LINE_H: i32 = 13;
const PAD: i32 = 10;
const MARGIN: i32 = 12;
const LANE: i32 = 9;
const MAX_CHARS: usize = 17;
const MAX_LINES: usize = 4;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagram {
    pub width: i32,
    pub height: i32,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// One stage's box.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    /// The full title (the box may show it shortened).
    pub title: String,
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
    /// CSS classes: `stage`, and `entry`, `won`, `lost`, `mine`.
    pub class: String,
    pub lines: Vec<TextLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextLine {
    pub x: i32,
    pub y: i32,
    pub text: String,
}

/// One transition's arrow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edge {
    /// SVG path data (numbers and the letters M, C, H, V only).
    pub path: String,
    /// A `loop` transition: drawn dashed.
    pub dashed: bool,
    /// The percentage of clients taking it.
    pub label: String,
    pub label_x: i32,
    pub label_y: i32,
}

/// Splits a title into at most [`MAX_LINES`] lines of about
/// [`MAX_CHARS`] characters, breaking at spaces; a longer title ends
/// with `…`.
fn wrap(title: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in title.split_whitespace() {
        let mut word = word.to_string();
        // A word longer than a line is cut.
        while word.chars().count() > MAX_CHARS {
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            let head: String = word.chars().take(MAX_CHARS).collect();
            word = word.chars().skip(MAX_CHARS).collect();
            lines.push(head);
        }
        let len = current.chars().count();
        if len > 0 && len + 1 + word.chars().count() > MAX_CHARS {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > MAX_LINES {
        lines.truncate(MAX_LINES);
        if let Some(last) = lines.last_mut() {
            let keep: String = last.chars().take(MAX_CHARS - 1).collect();
            *last = format!("{keep}…");
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Route {
    /// Backwards (or a `loop`): above the boxes.
    Above,
    /// To the next column: a direct curve.
    Next,
    /// Further right: below the boxes.
    Below,
}

/// Lays out the stage graph; `highlight` marks that role's stages.
pub fn layout(model: &Model, graph: &StageGraph, words: &Words, highlight: Option<RoleId>) -> Diagram {
    let order = graph.process_order().to_vec();
    let n = model.stages.len();
    // Columns by depth over transitions without `loop`, in process order.
    let mut pos = vec![usize::MAX; n];
    for (k, id) in order.iter().enumerate() {
        pos[id.0] = k;
    }
    let mut col = vec![0usize; n];
    for &id in &order {
        for t in model.stage(id).transitions.iter().filter(|t| !t.is_loop) {
            if let Some(target) = t.target.filter(|t| pos[t.0] > pos[id.0]) {
                col[target.0] = col[target.0].max(col[id.0] + 1);
            }
        }
    }
    let last = order.iter().filter(|id| model.stage(**id).outcome.is_none()).map(|id| col[id.0] + 1).max().unwrap_or(0);
    for &id in &order {
        if model.stage(id).outcome.is_some() {
            col[id.0] = last;
        }
    }
    let columns = order.iter().map(|id| col[id.0]).max().map_or(0, |c| c + 1);
    let mut row = vec![0usize; n];
    let mut filled = vec![0usize; columns];
    for &id in &order {
        row[id.0] = filled[col[id.0]];
        filled[col[id.0]] += 1;
    }
    let rows = filled.iter().copied().max().unwrap_or(0);

    // The arrows and how each is routed.
    struct Arrow {
        from: usize,
        to: usize,
        route: Route,
        dashed: bool,
        label: String,
    }
    let mut arrows = Vec::new();
    for &id in &order {
        let stage = model.stage(id);
        for t in &stage.transitions {
            let Some(target) = t.target else { continue };
            let (a, b) = (col[id.0], col[target.0]);
            let route = if t.is_loop || b <= a {
                Route::Above
            } else if b == a + 1 {
                Route::Next
            } else {
                Route::Below
            };
            arrows.push(Arrow {
                from: id.0,
                to: target.0,
                route,
                dashed: t.is_loop,
                label: words.percent(t.probability),
            });
        }
    }
    // Arrows routed round the boxes into one target share their last
    // stretch: one lane, one channel and one port per target and side.
    let mut groups: Vec<(Route, usize)> = Vec::new();
    for a in arrows.iter().filter(|a| a.route != Route::Next) {
        if !groups.contains(&(a.route, a.to)) {
            groups.push((a.route, a.to));
        }
    }
    // Nearer targets take the lanes nearer the boxes.
    groups.sort_by_key(|&(route, to)| match route {
        Route::Above => (route, usize::MAX - col[to], row[to]),
        _ => (route, col[to], row[to]),
    });
    let lane_of = |route: Route, to: usize| -> i32 {
        groups.iter().filter(|g| g.0 == route).position(|g| g.1 == to).map_or(0, |p| p as i32 + 1)
    };
    let above = groups.iter().filter(|g| g.0 == Route::Above).count() as i32;
    let below = groups.iter().filter(|g| g.0 == Route::Below).count() as i32;

    let wrapped: Vec<Vec<String>> = model.stages.iter().map(|s| wrap(&s.title)).collect();
    let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1) as i32;
    let box_h = 2 * PAD + lines * LINE_H;
    let top = MARGIN + above * LANE + if above > 0 { LANE } else { 0 };
    let boxes_bottom = top + rows as i32 * (box_h + V_GAP) - V_GAP;
    let width = 2 * MARGIN + columns as i32 * (BOX_W + GAP) - GAP + GAP / 2;
    let height = boxes_bottom + below * LANE + if below > 0 { LANE } else { 0 } + MARGIN;
    let x_of = |i: usize| MARGIN + col[i] as i32 * (BOX_W + GAP);
    let y_of = |i: usize| top + row[i] as i32 * (box_h + V_GAP);

    // Ports: where arrows leave (right side) and enter (left side), spread
    // along the side; arrows going up take the upper ports.
    let port = |k: usize, count: usize, y: i32| y + box_h * (k as i32 + 1) / (count as i32 + 1);
    let mut out_port = vec![0i32; arrows.len()];
    let mut in_port = vec![0i32; arrows.len()];
    for s in 0..n {
        let mut outs: Vec<usize> = (0..arrows.len()).filter(|&k| arrows[k].from == s).collect();
        outs.sort_by_key(|&k| (arrows[k].route, row[arrows[k].to], col[arrows[k].to]));
        for (j, &k) in outs.iter().enumerate() {
            out_port[k] = port(j, outs.len(), y_of(s));
        }
        // Incoming: each direct arrow on its own, each routed group once.
        let mut ins: Vec<(Route, usize, usize)> = Vec::new();
        for a in arrows.iter().filter(|a| a.to == s) {
            let key = if a.route == Route::Next { (a.route, row[a.from], a.from) } else { (a.route, 0, usize::MAX) };
            if !ins.contains(&key) {
                ins.push(key);
            }
        }
        ins.sort();
        for (k, a) in arrows.iter().enumerate().filter(|(_, a)| a.to == s) {
            let key = if a.route == Route::Next { (a.route, row[a.from], a.from) } else { (a.route, 0, usize::MAX) };
            let j = ins.iter().position(|i| *i == key).unwrap_or(0);
            in_port[k] = port(j, ins.len(), y_of(s));
        }
    }

    // Channels: the free gap beside a column; each source and each target
    // that runs an arrow through it gets its own offset there.
    let mut channel_users: Vec<(usize, (bool, Route, usize))> = Vec::new();
    let mut channel_x = |gap: usize, user: (bool, Route, usize)| -> i32 {
        let used = match channel_users.iter().filter(|(g, _)| *g == gap).position(|(_, u)| *u == user) {
            Some(p) => p,
            None => {
                channel_users.push((gap, user));
                channel_users.iter().filter(|(g, _)| *g == gap).count() - 1
            }
        } as i32;
        // The gap left of column `gap`.
        let base = MARGIN + gap as i32 * (BOX_W + GAP) - GAP + 10;
        base + (used * 7) % (GAP - 20)
    };

    let mut edges = Vec::new();
    for (k, a) in arrows.iter().enumerate() {
        let (x1, y1) = (x_of(a.from) + BOX_W, out_port[k]);
        let (x2, y2) = (x_of(a.to), in_port[k]);
        let path = match a.route {
            Route::Next => {
                let mid = (x1 + x2) / 2;
                format!("M {x1} {y1} C {mid} {y1} {mid} {y2} {x2} {y2}")
            }
            Route::Above | Route::Below => {
                let cx1 = channel_x(col[a.from] + 1, (false, a.route, a.from));
                let cx2 = channel_x(col[a.to], (true, a.route, a.to));
                let lane = lane_of(a.route, a.to);
                let lane_y = if a.route == Route::Above { top - lane * LANE } else { boxes_bottom + lane * LANE };
                format!("M {x1} {y1} H {cx1} V {lane_y} H {cx2} V {y2} H {x2}")
            }
        };
        edges.push(Edge { path, dashed: a.dashed, label: a.label.clone(), label_x: x1 + 3, label_y: y1 - 3 });
    }

    let mut nodes = Vec::new();
    for &id in &order {
        let i = id.0;
        let stage = model.stage(id);
        let mut class = String::from("stage");
        match stage.outcome {
            Some(OutcomeKind::Won) => class.push_str(" won"),
            Some(OutcomeKind::Lost) => class.push_str(" lost"),
            None => {}
        }
        if stage.entry.is_some() {
            class.push_str(" entry");
        }
        if highlight.is_some() && stage.owner == highlight && stage.outcome.is_none() {
            class.push_str(" mine");
        }
        let (x, y) = (x_of(i), y_of(i));
        let text = &wrapped[i];
        let first = y + box_h / 2 - (text.len() as i32 * LINE_H) / 2 + LINE_H - 3;
        let lines = text
            .iter()
            .enumerate()
            .map(|(j, t)| TextLine { x: x + BOX_W / 2, y: first + j as i32 * LINE_H, text: t.clone() })
            .collect();
        nodes.push(Node { title: stage.title.clone(), x, y, w: BOX_W, h: box_h, class, lines });
    }
    Diagram { width, height, nodes, edges }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_wrap_at_spaces_and_long_ones_are_cut() {
        assert_eq!(wrap("First contact and needs discussion"), ["First contact and", "needs discussion"]);
        let long = wrap(&"word ".repeat(40));
        assert_eq!(long.len(), MAX_LINES);
        assert!(long.last().is_some_and(|l| l.ends_with('…')));
        assert_eq!(wrap("Оченьдлинноеслововзаголовкеэтапа"), ["Оченьдлинноеслово", "взаголовкеэтапа"]);
        assert_eq!(wrap(""), [""]);
    }
}
