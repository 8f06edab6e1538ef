//! The stage graph laid out for drawing (the HTML manual draws it as
//! inline SVG), top to bottom so that it fits the width of a printed A4
//! page ([`MAX_WIDTH`]). A small layered layout, deterministic and without
//! a library:
//!
//! - **rows** by depth in process order: a stage sits one row below its
//!   furthest predecessor (over transitions without `loop`), every `won`
//!   outcome in the last row; a row holds at most [`PER_ROW`] boxes and
//!   wraps onto the next. Titles wrap inside the boxes.
//! - **losses**: a `lost` outcome is a box of the bottom row that names the
//!   stages feeding it ("from: …"), and each feeding stage's box shows the
//!   outcome it loses clients to and the share: no arrow runs to a loss, so
//!   losses never merge into one line.
//! - **arrows** leave a box at its bottom and enter the next at its top. An
//!   arrow to the next row is a curve; any other runs down into the gap
//!   below its row, along it to a lane of its own beside the boxes (right
//!   going down, left going back up; a `loop` is dashed), to the gap above
//!   its target and into it. A stage that returns to itself gets a loop on
//!   its right side. Each arrow's percentage stands on it: at the middle of
//!   a curve, on the lane of a routed arrow, beside a loop.
//!
//! Coordinates are whole numbers, so the output is the same everywhere.

use crate::i18n::Words;
use crate::model::graph::StageGraph;
use crate::model::{Model, OutcomeKind, RoleId};
use serde::Serialize;

/// The widest drawing: A4 less the page's margins, 180 mm at 96 dpi.
pub const MAX_WIDTH: i32 = 680;
/// The most boxes side by side.
pub const PER_ROW: usize = 3;
const BOX_W: i32 = 150;
const H_GAP: i32 = 34;
const V_GAP: i32 = 40;
const LINE_H: i32 = 13;
const PAD: i32 = 8;
const MARGIN: i32 = 8;
const LANE: i32 = 8;
/// Lanes on each side; more arrows than that share them.
const MAX_LANES: i32 = 6;
/// Room on the right for a stage's loop to itself.
const LOOP_W: i32 = 30;
const MAX_CHARS: usize = 22;
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
    /// `title`, `loss` (a share lost to an outcome) or `from` (the stages
    /// feeding a loss).
    pub class: &'static str,
}

/// One transition's arrow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edge {
    /// SVG path data (numbers and the letters M, C, H, V only).
    pub path: String,
    /// A `loop` transition: drawn dashed.
    pub dashed: bool,
    /// A stage returning to itself.
    pub own: bool,
    /// The percentage of clients taking it.
    pub label: String,
    pub label_x: i32,
    pub label_y: i32,
}

/// Splits a title into at most [`MAX_LINES`] lines of about
/// [`MAX_CHARS`] characters, breaking at spaces; a longer title ends
/// with `…`.
fn wrap(title: &str) -> Vec<String> {
    wrap_to(title, MAX_CHARS, MAX_LINES)
}

fn wrap_to(title: &str, max_chars: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in title.split_whitespace() {
        let mut word = word.to_string();
        // A word longer than a line is cut.
        while word.chars().count() > max_chars {
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            let head: String = word.chars().take(max_chars).collect();
            word = word.chars().skip(max_chars).collect();
            lines.push(head);
        }
        let len = current.chars().count();
        if len > 0 && len + 1 + word.chars().count() > max_chars {
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
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            let keep: String = last.chars().take(max_chars - 1).collect();
            *last = format!("{keep}…");
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Lays out the stage graph; `highlight` marks that role's stages.
pub fn layout(model: &Model, graph: &StageGraph, words: &Words, highlight: Option<RoleId>) -> Diagram {
    let order = graph.process_order().to_vec();
    let n = model.stages.len();
    let lost = |i: usize| model.stages[i].outcome == Some(OutcomeKind::Lost);
    let mut pos = vec![usize::MAX; n];
    for (k, id) in order.iter().enumerate() {
        pos[id.0] = k;
    }
    // Depth over transitions without `loop`, in process order.
    let mut depth = vec![0usize; n];
    for &id in &order {
        for t in model.stage(id).transitions.iter().filter(|t| !t.is_loop) {
            if let Some(target) = t.target.filter(|t| pos[t.0] > pos[id.0]) {
                depth[target.0] = depth[target.0].max(depth[id.0] + 1);
            }
        }
    }
    let last =
        order.iter().filter(|id| model.stage(**id).outcome.is_none()).map(|id| depth[id.0] + 1).max().unwrap_or(0);
    for &id in &order {
        if model.stage(id).outcome.is_some() {
            depth[id.0] = last;
        }
    }
    // Rows: each depth's boxes, at most PER_ROW a row; the losses last.
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let layers = order.iter().map(|id| depth[id.0]).max().map_or(0, |d| d + 1);
    for d in 0..layers {
        let here: Vec<usize> = order.iter().map(|id| id.0).filter(|&i| depth[i] == d && !lost(i)).collect();
        rows.extend(here.chunks(PER_ROW).map(<[usize]>::to_vec));
    }
    let losses: Vec<usize> = order.iter().map(|id| id.0).filter(|&i| lost(i)).collect();
    rows.extend(losses.chunks(PER_ROW).map(<[usize]>::to_vec));
    let mut rank = vec![0usize; n];
    let mut slot = vec![0usize; n];
    for (r, row) in rows.iter().enumerate() {
        for (k, &i) in row.iter().enumerate() {
            rank[i] = r;
            slot[i] = k;
        }
    }

    // The text of each box: the title; the shares lost, or the stages
    // feeding a loss.
    let mut text: Vec<Vec<TextLine>> = vec![Vec::new(); n];
    let line = |t: String, class| TextLine { x: 0, y: 0, text: t, class };
    for &id in &order {
        let stage = model.stage(id);
        text[id.0].extend(wrap(&stage.title).into_iter().map(|t| line(t, "title")));
        for t in &stage.transitions {
            if let Some(to) = t.target.filter(|to| lost(to.0)) {
                let tag = format!("{} → {}", words.percent(t.probability), model.stage(to).title);
                text[id.0].extend(wrap_to(&tag, MAX_CHARS, 2).into_iter().map(|t| line(t, "loss")));
            }
        }
    }
    for &i in &losses {
        let feeders: Vec<String> = order
            .iter()
            .filter(|id| model.stage(**id).transitions.iter().any(|t| t.target.is_some_and(|to| to.0 == i)))
            .map(|id| model.stage(*id).title.clone())
            .collect();
        if !feeders.is_empty() {
            let from = words.fill("diagram.from", &[("stages", &feeders.join(", "))]);
            text[i].extend(wrap_to(&from, MAX_CHARS, 3 * MAX_LINES).into_iter().map(|t| line(t, "from")));
        }
    }

    // The arrows: every transition but those to a loss.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Route {
        /// To the next row: a curve.
        Next,
        /// Down the right lane.
        Down,
        /// Back up the left lane.
        Up,
        /// To itself.
        Own,
    }
    struct Arrow {
        from: usize,
        to: usize,
        route: Route,
        dashed: bool,
        label: String,
    }
    let mut arrows = Vec::new();
    for &id in &order {
        for t in &model.stage(id).transitions {
            let Some(to) = t.target.filter(|to| !lost(to.0)) else { continue };
            let (a, b) = (rank[id.0], rank[to.0]);
            let route = if to == id {
                Route::Own
            } else if t.is_loop || b <= a {
                Route::Up
            } else if b == a + 1 {
                Route::Next
            } else {
                Route::Down
            };
            arrows.push(Arrow { from: id.0, to: to.0, route, dashed: t.is_loop, label: words.percent(t.probability) });
        }
    }
    let lanes = |route: Route| (arrows.iter().filter(|a| a.route == route).count() as i32).min(MAX_LANES);
    let (left, right) = (lanes(Route::Up), lanes(Route::Down));
    let left_w = if left > 0 { left * LANE + LANE } else { 0 };
    let loops = arrows.iter().any(|a| a.route == Route::Own);
    let right_w = (if right > 0 { right * LANE + LANE } else { 0 }).max(if loops { LOOP_W } else { 0 });
    let per_row = rows.iter().map(Vec::len).max().unwrap_or(1) as i32;
    let content_w = per_row * (BOX_W + H_GAP) - H_GAP;
    let width = (2 * MARGIN + left_w + content_w + right_w).min(MAX_WIDTH);
    let x0 = MARGIN + left_w;

    // Rows' heights and tops; the gap above the first row is there when an
    // arrow goes back up into it.
    let heights: Vec<i32> = text.iter().map(|t| 2 * PAD + t.len() as i32 * LINE_H).collect();
    let box_h = |i: usize| heights[i];
    let row_h: Vec<i32> = rows.iter().map(|r| r.iter().map(|&i| box_h(i)).max().unwrap_or(0)).collect();
    let mut top = vec![0i32; rows.len()];
    let mut y = MARGIN + if left > 0 { V_GAP } else { 0 };
    for (r, h) in row_h.iter().enumerate() {
        top[r] = y;
        y += h + V_GAP;
    }
    let height = y - V_GAP
        + MARGIN
        + if arrows.iter().any(|a| a.route != Route::Next && rank[a.from] + 1 == rows.len()) { V_GAP } else { 0 };
    // A row narrower than the widest is centred.
    let x_of = |i: usize| {
        let count = rows[rank[i]].len() as i32;
        x0 + (content_w - (count * (BOX_W + H_GAP) - H_GAP)) / 2 + slot[i] as i32 * (BOX_W + H_GAP)
    };
    let y_of = |i: usize| top[rank[i]];

    // Ports: along the bottom for arrows leaving, along the top for
    // arrows entering, in the order of the other end's place.
    let place = |i: usize| (rank[i], slot[i]);
    let port = |x: i32, k: usize, count: usize| x + BOX_W * (k as i32 + 1) / (count as i32 + 1);
    let mut out_x = vec![0i32; arrows.len()];
    let mut in_x = vec![0i32; arrows.len()];
    for s in 0..n {
        let mut outs: Vec<usize> =
            (0..arrows.len()).filter(|&k| arrows[k].from == s && arrows[k].route != Route::Own).collect();
        outs.sort_by_key(|&k| (place(arrows[k].to).1, place(arrows[k].to).0));
        for (j, &k) in outs.iter().enumerate() {
            out_x[k] = port(x_of(s), j, outs.len());
        }
        let mut ins: Vec<usize> =
            (0..arrows.len()).filter(|&k| arrows[k].to == s && arrows[k].route != Route::Own).collect();
        ins.sort_by_key(|&k| (place(arrows[k].from).1, place(arrows[k].from).0));
        for (j, &k) in ins.iter().enumerate() {
            in_x[k] = port(x_of(s), j, ins.len());
        }
    }

    // Each routed arrow: a lane of its own (as far as there are lanes), and
    // its own height in the gaps it runs along.
    let mut gap_users: Vec<usize> = vec![0; rows.len() + 1];
    let mut gap_y = |gap: usize| -> i32 {
        // The gap above row `gap`.
        let k = gap_users[gap] as i32;
        gap_users[gap] += 1;
        let base = if gap == 0 { top[0] - V_GAP } else { top[gap - 1] + row_h[gap - 1] };
        base + 8 + (k * 6) % (V_GAP - 14)
    };
    let (mut ups, mut downs) = (0, 0);
    let mut edges = Vec::new();
    for (k, a) in arrows.iter().enumerate() {
        let (sx, sy, sh) = (x_of(a.from), y_of(a.from), box_h(a.from));
        let edge = match a.route {
            Route::Own => {
                let (x, y1, y2) = (sx + BOX_W, sy + sh / 3, sy + 2 * sh / 3);
                let bulge = LOOP_W - 4;
                Edge {
                    path: format!("M {x} {y1} C {} {} {} {} {x} {y2}", x + bulge, y1 - 10, x + bulge, y2 + 10),
                    dashed: a.dashed,
                    own: true,
                    label: a.label.clone(),
                    label_x: x + 4,
                    label_y: y1 - 6,
                }
            }
            Route::Next => {
                let (x1, y1) = (out_x[k], sy + sh);
                let (x2, y2) = (in_x[k], y_of(a.to));
                let mid = (y1 + y2) / 2;
                Edge {
                    path: format!("M {x1} {y1} C {x1} {mid} {x2} {mid} {x2} {y2}"),
                    dashed: a.dashed,
                    own: false,
                    label: a.label.clone(),
                    label_x: (x1 + x2) / 2,
                    label_y: mid + 4,
                }
            }
            Route::Up | Route::Down => {
                let lane_x = if a.route == Route::Up {
                    let l = ups % MAX_LANES;
                    ups += 1;
                    x0 - LANE - l * LANE
                } else {
                    let l = downs % MAX_LANES;
                    downs += 1;
                    x0 + content_w + LANE + l * LANE
                };
                let (x1, y1) = (out_x[k], sy + sh);
                let (x2, y2) = (in_x[k], y_of(a.to));
                let below = gap_y(rank[a.from] + 1);
                let above = gap_y(rank[a.to]);
                Edge {
                    path: format!("M {x1} {y1} V {below} H {lane_x} V {above} H {x2} V {y2}"),
                    dashed: a.dashed,
                    own: false,
                    label: a.label.clone(),
                    label_x: lane_x,
                    label_y: (below + above) / 2 + 4,
                }
            }
        };
        edges.push(edge);
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
        let (x, y, h) = (x_of(i), y_of(i), box_h(i));
        let lines = std::mem::take(&mut text[i])
            .into_iter()
            .enumerate()
            .map(|(j, mut l)| {
                l.x = x + BOX_W / 2;
                l.y = y + PAD + (j as i32 + 1) * LINE_H - 3;
                l
            })
            .collect();
        nodes.push(Node { title: stage.title.clone(), x, y, w: BOX_W, h, class, lines });
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
        assert_eq!(wrap("Оченьдлинноеслововзаголовкеэтапа"), ["Оченьдлинноеслововзаго", "ловкеэтапа"]);
        assert_eq!(wrap(""), [""]);
    }

    const LOOPS: &str = r#"process p "P" {
  role rep "Rep"
  stage a "A stage with a rather long title that has to wrap inside its box" {
    entry owner rep
    -> b 60%
    -> a 10% loop
    -> nope 30%
  }
  stage b "B" { owner rep -> c 50% -> a 20% loop -> gone }
  stage c "C" { owner rep -> won 70% -> nope }
  stage won "Won" { outcome won }
  stage nope "No budget" { outcome lost }
  stage gone "Went elsewhere" { outcome lost }
}
"#;

    #[test]
    fn losses_name_their_feeders_loops_are_loops_and_the_drawing_fits_the_page() {
        let compiled = crate::compile(LOOPS.as_bytes());
        let model = compiled.model.as_ref().expect("a model");
        let graph = compiled.graph.as_ref().expect("a graph");
        let d = layout(model, graph, &Words::new(model.language), None);
        assert!(d.width <= MAX_WIDTH, "{}", d.width);
        for n in &d.nodes {
            assert!(n.x >= 0 && n.x + n.w <= d.width && n.y >= 0 && n.y + n.h <= d.height, "{n:?}");
            // Every line of text stays inside its box.
            for l in &n.lines {
                assert!(l.y > n.y && l.y <= n.y + n.h, "{l:?} outside {n:?}");
            }
        }
        // No arrow runs to a loss: 8 transitions, 3 of them to losses.
        assert_eq!(d.edges.len(), 5, "{:?}", d.edges);
        let box_of = |title: &str| d.nodes.iter().find(|n| n.title.starts_with(title)).expect(title);
        let texts = |title: &str| -> Vec<String> {
            box_of(title).lines.iter().filter(|l| l.class != "title").map(|l| l.text.clone()).collect()
        };
        let feeders = texts("No budget").join(" ");
        assert!(feeders.starts_with("from: A stage with") && feeders.ends_with(", C"), "{feeders}");
        assert_eq!(texts("Went elsewhere"), ["from: B"]);
        assert_eq!(texts("C"), ["30% → No budget"]);
        assert_eq!(texts("A stage"), ["30% → No budget"]);
        // The long title wraps inside its box.
        assert!(box_of("A stage").lines.iter().filter(|l| l.class == "title").count() >= 3);
        // A's loop to itself is a loop on its side, with its share beside it.
        let a = box_of("A stage");
        let own: Vec<&Edge> = d.edges.iter().filter(|e| e.own).collect();
        assert_eq!(own.len(), 1);
        assert!(own[0].path.starts_with(&format!("M {} ", a.x + a.w)), "{}", own[0].path);
        assert_eq!(own[0].label, "10%");
        // B's return to A runs up the left lane, dashed, its share on the lane.
        let back = d.edges.iter().find(|e| e.label == "20%").expect("the return");
        assert!(back.dashed && back.label_x < a.x, "{back:?}");
        // A curve's share stands at its middle, between the two boxes.
        let next = d.edges.iter().find(|e| e.label == "60%").expect("A to B");
        let b = box_of("B");
        assert!(next.label_y > a.y + a.h && next.label_y < b.y, "{next:?}");
    }
}
