//! A role's manual, written for the person in that position, who never saw
//! the process language. In the process's language; the user's own text is
//! kept as written.
//!
//! The content is built once, as a [`Manual`], and rendered twice: as
//! Markdown (`markdown.rs`) and as a printable HTML page through a template
//! (`html.rs`, with the stage graph laid out as SVG in `diagram.rs`). Both
//! show the same sections in the same order (OUTPUTS.md, "A role's manual").

pub mod diagram;
pub mod html;
mod markdown;

use super::phrases::{self, for_title, metric_stage, metric_what, rate_words, role_norms, target_words};
use super::rich::{self, Rich};
use crate::funnel::Analysis;
use crate::i18n::Words;
use crate::model::Period;
use crate::model::graph::StageGraph;
use crate::model::{EntryKind, Instruction, Measure, Metric, Model, OutcomeKind, Review, RoleId, StageId};
use crate::rollout::{self, EventKind};
use serde::Serialize;

/// Whose steps a manual keeps: everyone's, or only those for one segment
/// or product (`build --segment ID`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audience {
    /// The segment or product id.
    pub id: String,
    pub kind: AudienceKind,
    pub title: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudienceKind {
    Segment,
    Product,
}

/// An id given to `--segment` that names no segment and no product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownAudience {
    pub id: String,
    pub segments: Vec<String>,
    pub products: Vec<String>,
}

impl std::fmt::Display for UnknownAudience {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no segment or product is called `{}`", self.id)?;
        let list = |v: &[String]| v.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
        match (self.segments.is_empty(), self.products.is_empty()) {
            (true, true) => write!(f, "; the process declares no segments and no products"),
            (false, true) => write!(f, "; the segments are {}", list(&self.segments)),
            (true, false) => write!(f, "; the products are {}", list(&self.products)),
            (false, false) => {
                write!(f, "; the segments are {}; the products are {}", list(&self.segments), list(&self.products))
            }
        }
    }
}

impl std::error::Error for UnknownAudience {}

impl Audience {
    /// The segment (or, failing that, the product) called `id`.
    pub fn find(model: &Model, id: &str) -> Result<Audience, UnknownAudience> {
        if let Some(s) = model.segment_id(id) {
            let seg = &model.segments[s.0];
            return Ok(Audience { id: id.to_string(), kind: AudienceKind::Segment, title: seg.title.clone() });
        }
        if let Some(p) = model.product_id(id) {
            let prod = &model.products[p.0];
            return Ok(Audience { id: id.to_string(), kind: AudienceKind::Product, title: prod.title.clone() });
        }
        Err(UnknownAudience {
            id: id.to_string(),
            segments: model.segments.iter().map(|s| s.id.clone()).collect(),
            products: model.products.iter().map(|p| p.id.clone()).collect(),
        })
    }

    /// Whether an instruction applies to this audience: it names no
    /// segment or product, or names this one.
    pub fn keeps(&self, i: &Instruction) -> bool {
        i.for_names.is_empty() || i.for_names.contains(&self.id)
    }
}

/// The whole content of one manual, in reading order. Text fields hold the
/// user's text unescaped; each renderer escapes it.
#[derive(Debug, Clone, Serialize)]
pub struct Manual {
    /// `en` or `ru`.
    pub lang: &'static str,
    /// The role's title.
    pub role_title: String,
    /// The title (section 1), with the process line and, with
    /// `--segment`, whom this edition is for.
    pub title: String,
    pub process_line: Rich,
    pub audience: Option<Rich>,
    /// The table of contents: the sections and the stages, with anchors.
    pub contents_heading: String,
    pub contents: Vec<TocEntry>,
    /// 2. The role.
    pub role: RoleSection,
    /// 3. The process at a glance.
    pub glance: Glance,
    /// 4. The stages the role owns.
    pub own: StagesSection,
    /// 5. The stages where the role helps.
    pub help: Option<StagesSection>,
    /// 6. The role's norms.
    pub norms: ListSection,
    /// 7. The role's rollout dates.
    pub rollout: TableSection,
    pub footer: Rich,
}

#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub anchor: String,
    pub title: String,
    /// The stages inside a section.
    pub children: Vec<TocEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoleSection {
    pub anchor: &'static str,
    pub heading: String,
    pub description: Option<String>,
    /// Whom the role reports to, who reports to it, headcount and time.
    pub lines: Vec<Rich>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Glance {
    pub anchor: &'static str,
    pub heading: String,
    pub intro: String,
    /// The stage graph as Mermaid source (used by the Markdown manual).
    pub mermaid: String,
    /// The stage graph laid out for drawing (used by the HTML manual).
    pub diagram: diagram::Diagram,
    pub order_intro: String,
    pub order: Vec<Rich>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StagesSection {
    pub anchor: &'static str,
    pub heading: String,
    pub intro: Option<String>,
    /// Shown instead of stages when there are none.
    pub empty: Option<String>,
    pub stages: Vec<StageDoc>,
}

/// One stage, as the role needs it.
#[derive(Debug, Clone, Serialize)]
pub struct StageDoc {
    pub anchor: String,
    pub number: usize,
    /// The heading, without the number.
    pub title: String,
    /// Owned stages get every part; helped ones only the role's steps.
    pub full: bool,
    pub owned_by: Option<Rich>,
    /// The heading over the description (owned stages only).
    pub purpose_heading: Option<String>,
    pub description: Option<String>,
    /// One paragraph: the parts joined by spaces.
    pub time: Option<Part>,
    pub come_from: Option<Part>,
    pub steps: Steps,
    pub exit: Option<Part>,
    pub next: Option<Part>,
    /// What the owner delivers here: clients per period, the share won.
    pub numbers: Option<Part>,
    pub metrics: Option<Part>,
}

/// A headed group of lines (a paragraph or a bullet list).
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub heading: String,
    pub items: Vec<Rich>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Steps {
    pub heading: String,
    pub empty: Option<String>,
    pub items: Vec<Step>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub text: String,
    /// Deadline and segment/product notes.
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListSection {
    pub anchor: &'static str,
    pub heading: String,
    pub empty: Option<String>,
    pub items: Vec<Rich>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableSection {
    pub anchor: &'static str,
    pub heading: String,
    pub empty: Option<String>,
    pub table: Option<Table>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

struct Ctx<'a> {
    model: &'a Model,
    graph: &'a StageGraph,
    analysis: Option<&'a Analysis>,
    w: Words,
    role: RoleId,
    audience: Option<&'a Audience>,
    /// [`rollout::events`] of the model.
    events: &'a [rollout::Event],
    /// Whether the process has `sale` stages; then "won" is a sale, and a
    /// `won` outcome only where the service ends.
    with_sale: bool,
    /// The stages a client reaches before a first sale
    /// ([`phrases::before_sale`]).
    before_sale: Vec<bool>,
}

impl Ctx<'_> {
    /// What reaching a `won` outcome means, in words: the client is won,
    /// or, after a sale, the client stays with us.
    fn won_word(&self) -> &'static str {
        self.w.get(if self.with_sale { "manual.completed" } else { "manual.won" })
    }

    /// `Title (what it is)`, or the title alone when it says just that.
    fn outcome_line(&self, title: &str, kind: OutcomeKind) -> String {
        let word = if kind == OutcomeKind::Won { self.won_word() } else { self.w.get("manual.lost") };
        if phrases::same_words(title, word) { title.to_string() } else { format!("{title} ({word})") }
    }

    /// The role's instructions at a stage that this manual keeps.
    fn my_steps(&self, id: StageId) -> Vec<&Instruction> {
        self.model
            .stage(id)
            .instructions
            .iter()
            .filter(|i| i.role == Some(self.role) && self.audience.is_none_or(|a| a.keeps(i)))
            .collect()
    }
}

/// The Markdown manual of `role`, with every step.
pub fn markdown(model: &Model, graph: &StageGraph, analysis: Option<&Analysis>, role: RoleId) -> String {
    markdown::render(&build(model, graph, analysis, role, None, &rollout::events(model)))
}

/// The content of `role`'s manual; with an audience, only the steps for it.
/// `events` are [`rollout::events`] of the model.
pub fn build(
    model: &Model,
    graph: &StageGraph,
    analysis: Option<&Analysis>,
    role: RoleId,
    audience: Option<&Audience>,
    events: &[rollout::Event],
) -> Manual {
    let cx = Ctx {
        model,
        graph,
        analysis,
        w: Words::new(model.language),
        role,
        audience,
        events,
        with_sale: phrases::has_sale(model),
        before_sale: phrases::before_sale(model, graph),
    };
    let w = &cx.w;
    let r = model.role(role);
    let process_line = phrases::process_line(w, model);
    let audience_line = audience.map(|a| {
        let key = match a.kind {
            AudienceKind::Segment => "manual.for_segment",
            AudienceKind::Product => "manual.for_product",
        };
        rich::fill_plain(w, key, &[("name", &a.title)])
    });
    let own = own_stages(&cx);
    let help = helping(&cx);
    let entry =
        |anchor: &str, title: &str| TocEntry { anchor: anchor.into(), title: title.into(), children: Vec::new() };
    let with_stages = |s: &StagesSection| TocEntry {
        anchor: s.anchor.into(),
        title: s.heading.clone(),
        children: s.stages.iter().map(|st| entry(&st.anchor, &format!("{}. {}", st.number, st.title))).collect(),
    };
    let mut contents =
        vec![entry("role", w.get("manual.role")), entry("glance", w.get("manual.glance")), with_stages(&own)];
    if let Some(h) = &help {
        contents.push(with_stages(h));
    }
    contents.push(entry("norms", w.get("manual.norms")));
    contents.push(entry("rollout", w.get("manual.rollout")));
    Manual {
        lang: model.language.code(),
        role_title: r.title.clone(),
        title: w.fill("manual.title", &[("role", &r.title)]),
        process_line,
        audience: audience_line,
        contents_heading: w.get("manual.contents").into(),
        contents,
        role: about_role(&cx),
        glance: glance(&cx),
        own,
        help,
        norms: norms(&cx),
        rollout: rollout_dates(&cx),
        footer: Rich::em(w.fill("manual.footer", &[("process", &model.title)])),
    }
}

fn about_role(cx: &Ctx) -> RoleSection {
    let model = cx.model;
    let w = &cx.w;
    let role = model.role(cx.role);
    let mut lines = Vec::new();
    if let Some(boss) = role.reports_to {
        lines.push(rich::fill_plain(w, "manual.reports_to", &[("role", &model.role(boss).title)]));
    }
    let reports: Vec<Rich> =
        model.roles.iter().filter(|r| r.reports_to == Some(cx.role)).map(|r| Rich::strong(r.title.clone())).collect();
    if !reports.is_empty() {
        lines.push(rich::fill(w, "manual.reported_by", &[("roles", list(w, reports))]));
    }
    let mut line = rich::fill_plain(w, "manual.headcount", &[("n", &role.headcount.to_string())]);
    if let Some(c) = role.capacity_minutes {
        line.push_str(" ");
        line.push(rich::fill_plain(w, "manual.capacity", &[("d", &w.duration(c))]));
    }
    lines.push(line);
    RoleSection { anchor: "role", heading: w.get("manual.role").into(), description: role.description.clone(), lines }
}

/// `a, b and c` with rich items.
fn list(w: &Words, items: Vec<Rich>) -> Rich {
    let n = items.len();
    let and = format!(" {} ", w.get("and"));
    let mut out = Rich::default();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == n { &and } else { ", " });
        }
        out.push(item);
    }
    out
}

/// Processes with more stages than this show, in each manual, only the
/// role's stages and the stages just before and after them.
pub const WHOLE_GRAPH_UP_TO: usize = 40;

/// The stages a role's manual draws: all of them in a small process; in a
/// large one, those the role owns or helps at and their direct neighbours.
fn drawn_stages(cx: &Ctx) -> Option<Vec<bool>> {
    let model = cx.model;
    if model.stages.len() <= WHOLE_GRAPH_UP_TO {
        return None;
    }
    let mut keep = vec![false; model.stages.len()];
    for &id in cx.graph.stages_of_role(model, cx.role) {
        let (i, stage) = (id.0, model.stage(id));
        keep[i] = true;
        // An outcome is where every path ends: its predecessors are not the
        // role's neighbourhood.
        if stage.is_terminal() {
            continue;
        }
        for t in stage.transitions.iter().filter_map(|t| t.target) {
            keep[t.0] = true;
        }
        for (from, _) in cx.graph.incoming(StageId(i)) {
            keep[from.0] = true;
        }
    }
    Some(keep)
}

fn glance(cx: &Ctx) -> Glance {
    let w = &cx.w;
    let drawn = drawn_stages(cx);
    let shown = |id: StageId| drawn.as_ref().is_none_or(|k| k[id.0]);
    let mut order = Vec::new();
    for &id in cx.graph.process_order().iter().filter(|id| shown(**id)) {
        let stage = cx.model.stage(id);
        let mut line = match stage.outcome {
            Some(kind) => Rich::plain(cx.outcome_line(&stage.title, kind)),
            None if stage.owner == Some(cx.role) => Rich::strong(stage.title.clone()),
            None => Rich::plain(stage.title.clone()),
        };
        if stage.sale && !stage.is_terminal() {
            line.push_str(&format!(" ({})", w.get("manual.sale_mark")));
        }
        if stage.outcome.is_none() && stage.owner == Some(cx.role) {
            line.push_str(&format!(" ← {}", w.get("manual.mine_mark")));
        }
        order.push(line);
    }
    let owns_any =
        cx.graph.stages_of_role(cx.model, cx.role).iter().any(|id| cx.model.stage(*id).owner == Some(cx.role));
    let intro_key = if owns_any { "manual.glance_intro" } else { "manual.glance_intro_none" };
    let (mermaid, diagram, intro) = match &drawn {
        None => (
            super::mermaid::flowchart(cx.model, cx.graph, w, Some(cx.role)),
            diagram::layout(cx.model, cx.graph, w, Some(cx.role)),
            w.get(intro_key).to_string(),
        ),
        Some(keep) => {
            let part = cx.model.part(keep);
            let graph = StageGraph::new(&part);
            let intro = format!(
                "{} {}",
                w.get(intro_key),
                w.fill("manual.glance_part", &[("n", &cx.model.stages.len().to_string())])
            );
            (
                super::mermaid::flowchart(&part, &graph, w, Some(cx.role)),
                diagram::layout(&part, &graph, w, Some(cx.role)),
                intro,
            )
        }
    };
    Glance {
        anchor: "glance",
        heading: w.get("manual.glance").into(),
        intro,
        mermaid,
        diagram,
        order_intro: w.get("manual.order_intro").into(),
        order,
    }
}

fn own_stages(cx: &Ctx) -> StagesSection {
    let mine: Vec<StageId> = cx
        .graph
        .stages_of_role(cx.model, cx.role)
        .iter()
        .copied()
        .filter(|id| cx.model.stage(*id).owner == Some(cx.role))
        .collect();
    let stages: Vec<StageDoc> = mine.into_iter().enumerate().map(|(n, id)| stage_doc(cx, id, n + 1, true)).collect();
    StagesSection {
        anchor: "stages",
        heading: cx.w.get("manual.your_stages").into(),
        intro: None,
        empty: stages.is_empty().then(|| cx.w.get("manual.no_stages").into()),
        stages,
    }
}

fn helping(cx: &Ctx) -> Option<StagesSection> {
    let helped: Vec<StageId> = cx
        .graph
        .stages_of_role(cx.model, cx.role)
        .iter()
        .copied()
        .filter(|id| cx.model.stage(*id).owner != Some(cx.role) && !cx.my_steps(*id).is_empty())
        .collect();
    if helped.is_empty() {
        return None;
    }
    Some(StagesSection {
        anchor: "help",
        heading: cx.w.get("manual.help").into(),
        intro: Some(cx.w.get("manual.help_intro").into()),
        empty: None,
        stages: helped.into_iter().enumerate().map(|(n, id)| stage_doc(cx, id, n + 1, false)).collect(),
    })
}

fn stage_doc(cx: &Ctx, id: StageId, number: usize, full: bool) -> StageDoc {
    let model = cx.model;
    let w = &cx.w;
    let stage = model.stage(id);
    let title = match stage.outcome {
        Some(kind) => {
            let outcome = match kind {
                OutcomeKind::Won if cx.with_sale => w.get("manual.completed"),
                OutcomeKind::Won => w.get("manual.outcome_won"),
                OutcomeKind::Lost => w.get("manual.outcome_lost"),
            };
            if phrases::same_words(&stage.title, outcome) {
                stage.title.clone()
            } else {
                format!("{}: «{}»", w.fill("manual.outcome_stage", &[("outcome", outcome)]), stage.title)
            }
        }
        None => stage.title.clone(),
    };
    let owned_by = if full {
        None
    } else {
        stage.owner.map(|o| rich::fill_plain(w, "manual.owned_by", &[("role", &model.role(o).title)]))
    };
    let purpose_heading = (full && stage.description.is_some()).then(|| w.get("manual.purpose").to_string());
    StageDoc {
        anchor: format!("stage-{}", id.0),
        number,
        title,
        full,
        owned_by,
        purpose_heading,
        description: stage.description.clone(),
        time: if stage.outcome.is_none() { time_part(cx, id, full) } else { None },
        come_from: if full { come_from(cx, id) } else { None },
        steps: steps(cx, id),
        exit: if full && !stage.exits.is_empty() {
            Some(Part { heading: w.get("manual.exit").into(), items: stage.exits.iter().map(Rich::plain).collect() })
        } else {
            None
        },
        next: if full { go_next(cx, id) } else { None },
        numbers: if full && stage.outcome.is_none() { stage_numbers(cx, id) } else { None },
        metrics: if full { stage_metrics(cx, id) } else { None },
    }
}

fn time_part(cx: &Ctx, id: StageId, full: bool) -> Option<Part> {
    let w = &cx.w;
    let stage = cx.model.stage(id);
    let mut parts = Vec::new();
    if let Some(within) = stage.within {
        parts.push(rich::fill_plain(w, "manual.within", &[("d", &w.duration(within))]));
    }
    if let Some(takes) = stage.takes {
        parts.push(rich::fill_plain(w, "manual.takes", &[("d", &w.duration(takes))]));
    }
    if full {
        if let Some(effort) = stage.effort {
            parts.push(rich::fill_plain(w, "manual.effort", &[("d", &w.duration(effort))]));
        }
    }
    if parts.is_empty() {
        if !full {
            return None;
        }
        parts.push(Rich::plain(w.get("manual.no_time")));
    }
    Some(Part { heading: w.get("manual.time").into(), items: parts })
}

fn come_from(cx: &Ctx, id: StageId) -> Option<Part> {
    let w = &cx.w;
    let model = cx.model;
    let stage = model.stage(id);
    let mut lines = Vec::new();
    if let Some(entry) = &stage.entry {
        let share = crate::funnel::entry_shares(model).get(id.0).copied().unwrap_or(0.0);
        let key = match entry.kind {
            Some(EntryKind::Active) => "manual.new_active",
            Some(EntryKind::Passive) => "manual.new_passive",
            None => "manual.new_plain",
        };
        lines.push(rich::fill_plain(w, key, &[("p", &w.percent(share))]));
    }
    for (from, k) in cx.graph.incoming(id) {
        let from = model.stage(from);
        let Some(t) = from.transitions.get(k) else { continue };
        let key = if t.is_loop { "manual.back_from" } else { "manual.from_stage" };
        lines.push(rich::fill_plain(w, key, &[("stage", &from.title), ("p", &w.percent(t.probability))]));
    }
    if lines.is_empty() {
        return None;
    }
    Some(Part { heading: w.get("manual.come_from").into(), items: lines })
}

/// The stage's clients per plan period, where the plan gives them.
fn stage_volume(cx: &Ctx, id: StageId) -> Option<(f64, Period)> {
    let a = cx.analysis?;
    let period = a.plan.as_ref()?.period;
    let v = a.stages.get(id.0)?.volume_per_period.filter(|v| v.is_finite())?;
    Some((v, period))
}

/// The share of the stage's clients who are eventually won.
fn stage_win(cx: &Ctx, id: StageId) -> Option<f64> {
    cx.analysis?.stages.get(id.0).map(|f| f.win_probability).filter(|p| p.is_finite())
}

/// What the owner delivers at a stage: its clients per period under the
/// plan, and the share of them eventually won.
fn stage_numbers(cx: &Ctx, id: StageId) -> Option<Part> {
    let w = &cx.w;
    let mut items = Vec::new();
    if let Some((volume, period)) = stage_volume(cx, id) {
        items.push(rich::fill_plain(
            w,
            "manual.flow",
            &[
                ("clients", &w.count("count.client", volume, 1)),
                ("period", w.get(&format!("period.{}", period.as_str()))),
            ],
        ));
    }
    if let Some(p) = stage_win(cx, id) {
        items.push(rich::fill_plain(w, &conversion_key(cx, id, "manual.stage_conversion"), &[("p", &w.percent(p))]));
    }
    (!items.is_empty()).then(|| Part { heading: w.get("manual.stage_numbers").into(), items })
}

/// The locale key of a stage's chance of a sale: `key` (the clients are
/// won in the end) without sale stages; with them, `key` + `_sale` before
/// the sale (they buy), `_at_sale` at a sale stage, `_after` after it
/// (they buy again).
fn conversion_key(cx: &Ctx, id: StageId, key: &str) -> String {
    let which = if !cx.with_sale {
        ""
    } else if cx.model.stage(id).sale {
        "_at_sale"
    } else if cx.before_sale[id.0] {
        "_sale"
    } else {
        "_after"
    };
    format!("{key}{which}")
}

fn steps(cx: &Ctx, id: StageId) -> Steps {
    let w = &cx.w;
    let model = cx.model;
    let mine = cx.my_steps(id);
    let items = mine
        .iter()
        .map(|i| {
            let mut notes = Vec::new();
            if let Some(d) = i.within {
                notes.push(w.fill("manual.step_within", &[("d", &w.duration(d))]));
            }
            if let Some(d) = i.effort {
                notes.push(w.fill("manual.step_effort", &[("d", &w.duration(d))]));
            }
            if !i.for_names.is_empty() {
                let names: Vec<String> = i.for_names.iter().map(|n| for_title(model, n)).collect();
                notes.push(w.fill("manual.only_for", &[("names", &w.alternatives(&names))]));
            }
            Step { text: i.text.clone(), notes: (!notes.is_empty()).then(|| notes.join("; ")) }
        })
        .collect::<Vec<_>>();
    Steps {
        heading: w.get("manual.steps").into(),
        empty: items.is_empty().then(|| w.get("manual.no_steps").into()),
        items,
    }
}

fn go_next(cx: &Ctx, id: StageId) -> Option<Part> {
    let w = &cx.w;
    let model = cx.model;
    let stage = model.stage(id);
    let mut items = Vec::new();
    for t in &stage.transitions {
        let Some(target) = t.target else { continue };
        let next = model.stage(target);
        let doubled = |word: &str| phrases::same_words(&next.title, w.get(word));
        let key = match (t.is_loop, next.outcome) {
            (true, _) => "manual.next_loop",
            (false, Some(OutcomeKind::Won)) if cx.with_sale && !doubled("manual.completed") => "manual.next_completed",
            (false, Some(OutcomeKind::Won)) if !cx.with_sale && !doubled("manual.won") => "manual.next_won",
            (false, Some(OutcomeKind::Lost)) if !doubled("manual.lost") => "manual.next_lost",
            (false, None) if next.sale => "manual.next_sale",
            (false, _) => "manual.next_item",
        };
        let mut line = rich::fill_plain(w, key, &[("stage", &next.title), ("p", &w.percent(t.probability))]);
        if let Some(label) = &t.label {
            line.push_str(" ");
            line.push(Rich::em(w.fill("manual.when", &[("label", label)])));
        }
        items.push(line);
    }
    if items.is_empty() {
        return None;
    }
    Some(Part { heading: w.get("manual.next").into(), items })
}

fn stage_metrics(cx: &Ctx, id: StageId) -> Option<Part> {
    let items: Vec<Rich> = cx
        .model
        .metrics
        .iter()
        .enumerate()
        .filter(|(_, m)| metric_stage(m) == Some(id))
        .map(|(k, m)| metric_line(&cx.w, cx.model, cx.analysis, k, m))
        .collect();
    if items.is_empty() {
        return None;
    }
    Some(Part { heading: cx.w.get("manual.metrics").into(), items })
}

/// A metric in words: what it measures, its target, the model's value.
fn metric_line(w: &Words, model: &Model, analysis: Option<&Analysis>, index: usize, m: &Metric) -> Rich {
    let what = metric_what(w, model, m);
    // A title that only repeats what is measured is said once.
    let mut line = if m.title == m.id || what.starts_with(&m.title) {
        Rich::strong(what)
    } else {
        let mut l = Rich::strong(m.title.clone());
        l.push_str(&format!(": {what}"));
        l
    };
    let mut notes = Vec::new();
    if let Some(t) = target_words(w, m) {
        notes.push(t);
    }
    if let Some(v) = analysis.and_then(|a| a.metrics.get(index).copied().flatten()) {
        let shown = match &m.measure {
            Some(Measure::Conversion { .. }) => Some(w.percent(v)),
            Some(Measure::Time { .. }) => Some(crate::i18n::approx_duration(v, model.language)),
            Some(Measure::Volume(_)) => analysis.and_then(|a| a.plan.as_ref()).map(|p| rate_words(w, v, p.period)),
            _ => None,
        };
        if let Some(shown) = shown {
            notes.push(w.fill("metric.model", &[("value", &shown)]));
        }
    }
    if let Some(owner) = m.owner {
        notes.push(w.fill("metric.owner", &[("role", &model.role(owner).title)]));
    }
    if let Some(r) = m.review {
        notes.push(w.fill("metric.review", &[("review", w.get(review_key(r)))]));
    }
    if !notes.is_empty() {
        line.push_str(&format!("; {}", notes.join("; ")));
    }
    line
}

fn review_key(r: Review) -> &'static str {
    match r {
        Review::Daily => "review.daily",
        Review::Weekly => "review.weekly",
        Review::Monthly => "review.monthly",
    }
}

/// The role's norms: what it must deliver at each stage it owns (clients
/// per period and the share won), the metrics it is measured by (its
/// activity, the metrics it is responsible for, those measured at its
/// stages), and its workload under the plan, for the position and per
/// person and workday.
fn norms(cx: &Ctx) -> ListSection {
    let w = &cx.w;
    let model = cx.model;
    let owned: Vec<StageId> = cx
        .graph
        .stages_of_role(model, cx.role)
        .iter()
        .copied()
        .filter(|id| model.stage(*id).owner == Some(cx.role) && !model.stage(*id).is_terminal())
        .collect();
    let mut items: Vec<Rich> = Vec::new();
    for &id in &owned {
        let title = &model.stage(id).title;
        let Some(p) = stage_win(cx, id) else { continue };
        items.push(match stage_volume(cx, id) {
            Some((v, period)) => rich::fill_plain(
                w,
                &conversion_key(cx, id, "manual.norm_stage"),
                &[
                    ("stage", title),
                    ("n", &w.grouped(v, 1)),
                    ("period", w.get(&format!("period.{}", period.as_str()))),
                    ("p", &w.percent(p)),
                ],
            ),
            None => rich::fill_plain(
                w,
                &conversion_key(cx, id, "manual.norm_stage_no_plan"),
                &[("stage", title), ("p", &w.percent(p))],
            ),
        });
    }
    let measured_here = model.metrics.iter().enumerate().filter(|(_, m)| {
        metric_stage(m).is_some_and(|st| owned.contains(&st))
            && !role_norms(model, cx.role).iter().any(|(_, n)| n.id == m.id)
    });
    items.extend(
        role_norms(model, cx.role)
            .into_iter()
            .chain(measured_here)
            .map(|(k, m)| metric_line(w, model, cx.analysis, k, m)),
    );
    if let Some(plan) = cx.analysis.and_then(|a| a.plan.as_ref()) {
        if let Some(r) = plan.roles.iter().find(|r| r.role == cx.role) {
            let owns = super::funnel_table::has_workload(model, cx.role);
            let role = model.role(cx.role);
            let limit = model.plan.as_ref().map_or(1.0, |p| p.utilization_limit);
            match (r.workload_hours, r.capacity_hours, r.utilization) {
                (Some(work), Some(cap), Some(util)) if owns => {
                    let mut line = rich::fill_plain(
                        w,
                        "manual.workload",
                        &[
                            ("work", &w.number(work, 1)),
                            ("cap", &w.number(cap, 1)),
                            ("util", &w.percent(util)),
                            ("period", w.get(&format!("period.{}", plan.period.as_str()))),
                        ],
                    );
                    let days = model.plan.as_ref().map_or(1.0, |p| p.workdays_per(plan.period));
                    if let (Some(minutes), true) = (role.capacity_minutes, days > 0.0 && role.headcount > 0) {
                        let day = work / days / f64::from(role.headcount);
                        let key = if role.headcount > 1 { "manual.workload_day_each" } else { "manual.workload_day" };
                        line.push_str(" ");
                        line.push(rich::fill_plain(
                            w,
                            key,
                            &[("day", &w.number(day, 1)), ("cap", &w.number(f64::from(minutes) / 60.0, 1))],
                        ));
                    }
                    if limit < 1.0 - 1e-9 {
                        line.push_str(" ");
                        line.push(rich::fill_plain(w, "manual.workload_limit", &[("limit", &w.percent(limit))]));
                    }
                    if util > 1.0 + 1e-9 {
                        line.push_str(" ");
                        line.push(Rich::plain(w.get("manual.workload_over")));
                    } else if util > limit + 1e-9 {
                        line.push_str(" ");
                        line.push(Rich::plain(w.get("manual.workload_over_limit")));
                    }
                    items.push(line);
                    let hours = where_hours_go(cx, plan);
                    if !hours.is_empty() {
                        items.push(Rich::plain(w.get("manual.hours_intro")));
                        items.extend(hours);
                    }
                }
                _ if owns => items.push(Rich::plain(w.get("manual.workload_unknown"))),
                _ => {}
            }
        }
    }
    ListSection {
        anchor: "norms",
        heading: w.get("manual.norms").into(),
        empty: items.is_empty().then(|| w.get("manual.no_norms").into()),
        items,
    }
}

/// The longest a step's text gets where the hours are listed.
const STEP_TEXT: usize = 60;

/// Text cut to at most `max` characters at a word's end, ending in `…`
/// when cut.
fn cut_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    let at_word = match kept.rfind(' ') {
        Some(i) if i > 0 => &kept[..i],
        _ => kept.as_str(),
    };
    format!("{}…", at_word.trim_end_matches(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == ':'))
}

/// Where a role's hours under the plan go, a line per stage in process
/// order: the clients times the owner's `effort`, and the clients each of
/// its steps with an `effort` is for times that effort (the share of the
/// segments it names, as the funnel model counts it).
fn where_hours_go(cx: &Ctx, plan: &crate::funnel::PlanFigures) -> Vec<Rich> {
    let (w, model) = (&cx.w, cx.model);
    let Some(new_clients) = plan.new_clients_per_period.filter(|v| v.is_finite()) else { return Vec::new() };
    let Some(analysis) = cx.analysis else { return Vec::new() };
    let period = w.get(&format!("period.{}", plan.period.as_str()));
    let mut lines = Vec::new();
    for &id in cx.graph.process_order() {
        let stage = model.stage(id);
        let visits = analysis.stages.get(id.0).map_or(0.0, |f| f.expected_visits);
        let clients = new_clients * visits;
        if !clients.is_finite() {
            continue;
        }
        let mut parts = Vec::new();
        let mut total = 0.0;
        if let (Some(effort), false, true) = (stage.effort, stage.is_terminal(), stage.owner == Some(cx.role)) {
            total += clients * f64::from(effort) / 60.0;
            parts.push(w.fill(
                "manual.hours_owner",
                &[("clients", &w.count("count.client", clients, 1)), ("d", &w.duration(effort))],
            ));
        }
        for i in stage.instructions.iter().filter(|i| i.role == Some(cx.role)) {
            let Some(effort) = i.effort else { continue };
            let served = clients * crate::funnel::instruction_share(model, i);
            total += served * f64::from(effort) / 60.0;
            let text = cut_words(&super::crm::one_line(&i.text), STEP_TEXT);
            parts.push(w.fill(
                "manual.hours_step",
                &[("clients", &w.count("count.client", served, 1)), ("d", &w.duration(effort)), ("step", &text)],
            ));
        }
        if parts.is_empty() {
            continue;
        }
        lines.push(rich::fill_plain(
            w,
            "manual.hours_stage",
            &[("stage", &stage.title), ("h", &w.number(total, 1)), ("period", period), ("parts", &parts.join("; "))],
        ));
    }
    lines
}

fn rollout_dates(cx: &Ctx) -> TableSection {
    let w = &cx.w;
    let model = cx.model;
    let heading = w.get("manual.rollout").to_string();
    let events: Vec<_> = cx.events.iter().filter(|e| e.concerns(cx.role)).collect();
    if events.is_empty() {
        return TableSection {
            anchor: "rollout",
            heading,
            empty: Some(w.get("manual.no_rollout").into()),
            table: None,
        };
    }
    let start = model.rollout.as_ref().and_then(|r| r.start);
    let mut head = Vec::new();
    if start.is_some() {
        head.push(w.get("event.date").to_string());
    }
    head.push(w.get("event.day_col").to_string());
    head.push(w.get("event.event").to_string());
    let mut rows = Vec::new();
    for e in events {
        let what = match e.kind {
            EventKind::Briefing => w.get("event.briefing").to_string(),
            EventKind::Exam => w.get("event.exam").to_string(),
            EventKind::Audit if e.by == Some(cx.role) && !e.roles.contains(&cx.role) => {
                let names: Vec<String> = e.roles.iter().map(|r| model.role(*r).title.clone()).collect();
                w.fill("event.audit_by", &[("roles", &w.list(&names))])
            }
            EventKind::Audit => w.get("event.audit").to_string(),
        };
        let day = w.fill("event.day", &[("n", &e.day().to_string())]);
        let mut row = Vec::new();
        if let Some(start) = start {
            row.push(w.date(rollout::date_after(start, e.day())));
        }
        row.push(day);
        row.push(what);
        rows.push(row);
    }
    TableSection { anchor: "rollout", heading, empty: None, table: Some(Table { head, rows }) }
}

/// A manual's content as Markdown.
pub fn render_markdown(manual: &Manual) -> String {
    markdown::render(manual)
}

#[cfg(test)]
mod tests {
    use super::cut_words;

    #[test]
    fn step_texts_are_cut_at_a_word() {
        assert_eq!(cut_words("Approve the discount", 60), "Approve the discount");
        assert_eq!(
            cut_words("Approve or refuse a discount request, and tell", 40),
            "Approve or refuse a discount request…"
        );
        assert_eq!(cut_words("Согласуйте скидку", 12), "Согласуйте…");
        assert_eq!(cut_words("Averyveryverylongword", 10), "Averyvery…");
    }
}
