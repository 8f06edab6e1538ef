//! A role's manual in Markdown, written for the person in that position,
//! who never saw the process language. In the process's language; the
//! user's own text is kept as written.

use super::funnel_table::period_word;
use super::i18n::Words;
use super::rollout::{self, EventKind};
use crate::funnel::Analysis;
use crate::model::graph::{Edges, StageGraph};
use crate::model::{Comparison, EntryKind, Measure, Metric, Model, OutcomeKind, Period, Quantity, Review, RoleId, StageId};
use std::fmt::Write;

/// Escapes user text for inline Markdown: characters that would start
/// markup or HTML are escaped; the text otherwise stays as written.
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '*' | '`' | '[' | ']' | '|' | '\\' | '_' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// User text as a Markdown block: line ends inside a paragraph wrap, blank
/// lines separate paragraphs, as the writer laid them out.
fn md_block(text: &str) -> String {
    text.lines().map(|l| md(l.trim_end())).collect::<Vec<_>>().join("\n")
}

/// User text inside a list item: continuation lines indented.
fn md_item(text: &str, indent: &str) -> String {
    text.lines().map(|l| md(l.trim_end())).collect::<Vec<_>>().join(&format!("  \n{indent}"))
}

struct Ctx<'a> {
    model: &'a Model,
    graph: &'a StageGraph,
    analysis: Option<&'a Analysis>,
    w: Words,
    role: RoleId,
}

/// The Markdown manual of `role`.
pub fn markdown(model: &Model, graph: &StageGraph, analysis: Option<&Analysis>, role: RoleId) -> String {
    let cx = Ctx { model, graph, analysis, w: Words::new(model.language), role };
    let mut s = String::new();
    title(&cx, &mut s);
    about_role(&cx, &mut s);
    glance(&cx, &mut s);
    own_stages(&cx, &mut s);
    helping(&cx, &mut s);
    norms(&cx, &mut s);
    rollout_dates(&cx, &mut s);
    let _ = writeln!(s, "---\n\n*{}*", cx.w.fill("manual.footer", &[("process", &md(&model.title))]));
    s
}

fn title(cx: &Ctx, s: &mut String) {
    let role = cx.model.role(cx.role);
    let _ = writeln!(s, "# {}\n", cx.w.fill("manual.title", &[("role", &md(&role.title))]));
    let mut line = cx.w.fill("manual.process", &[("process", &md(&cx.model.title))]);
    if let Some(v) = &cx.model.version {
        line.push_str(", ");
        line.push_str(&cx.w.fill("manual.version", &[("version", &md(v))]));
    }
    let _ = writeln!(s, "{line}\n");
}

fn about_role(cx: &Ctx, s: &mut String) {
    let model = cx.model;
    let role = model.role(cx.role);
    let _ = writeln!(s, "## {}\n", cx.w.get("manual.role"));
    if let Some(d) = &role.description {
        let _ = writeln!(s, "{}\n", md_block(d));
    }
    if let Some(boss) = role.reports_to {
        let _ = writeln!(s, "{}\n", cx.w.fill("manual.reports_to", &[("role", &md(&model.role(boss).title))]));
    }
    let reports: Vec<String> =
        model.roles.iter().filter(|r| r.reports_to == Some(cx.role)).map(|r| format!("**{}**", md(&r.title))).collect();
    if !reports.is_empty() {
        let _ = writeln!(s, "{}\n", cx.w.fill("manual.reported_by", &[("roles", &cx.w.list(&reports))]));
    }
    let mut line = cx.w.fill("manual.headcount", &[("n", &role.headcount.to_string())]);
    if let Some(c) = role.capacity_minutes {
        line.push(' ');
        line.push_str(&cx.w.fill("manual.capacity", &[("d", &cx.w.duration(c))]));
    }
    let _ = writeln!(s, "{line}\n");
}

fn glance(cx: &Ctx, s: &mut String) {
    let _ = writeln!(s, "## {}\n", cx.w.get("manual.glance"));
    let _ = writeln!(s, "{}\n", cx.w.get("manual.glance_intro"));
    let chart = super::mermaid::flowchart(cx.model, cx.graph, &cx.w, Some(cx.role));
    let _ = writeln!(s, "```mermaid\n{chart}```\n");
    let _ = writeln!(s, "{}\n", cx.w.get("manual.order_intro"));
    for (n, id) in cx.graph.process_order().into_iter().enumerate() {
        let stage = cx.model.stage(id);
        let mut line = format!("{}. {}", n + 1, md(&stage.title));
        match stage.outcome {
            Some(OutcomeKind::Won) => line.push_str(&format!(" ({})", cx.w.get("manual.won"))),
            Some(OutcomeKind::Lost) => line.push_str(&format!(" ({})", cx.w.get("manual.lost"))),
            None if stage.owner == Some(cx.role) => line = format!("{}. **{}** ← {}", n + 1, md(&stage.title), cx.w.get("manual.mine_mark")),
            None => {}
        }
        let _ = writeln!(s, "{line}");
    }
    s.push('\n');
}

fn own_stages(cx: &Ctx, s: &mut String) {
    let _ = writeln!(s, "## {}\n", cx.w.get("manual.your_stages"));
    let mine: Vec<StageId> =
        cx.graph.process_order().into_iter().filter(|id| cx.model.stage(*id).owner == Some(cx.role)).collect();
    if mine.is_empty() {
        let _ = writeln!(s, "{}\n", cx.w.get("manual.no_stages"));
        return;
    }
    for (n, id) in mine.into_iter().enumerate() {
        stage_section(cx, s, id, n + 1, true);
    }
}

fn helping(cx: &Ctx, s: &mut String) {
    let helped: Vec<StageId> = cx
        .graph
        .process_order()
        .into_iter()
        .filter(|id| {
            let st = cx.model.stage(*id);
            st.owner != Some(cx.role) && st.instructions.iter().any(|i| i.role == Some(cx.role))
        })
        .collect();
    if helped.is_empty() {
        return;
    }
    let _ = writeln!(s, "## {}\n", cx.w.get("manual.help"));
    let _ = writeln!(s, "{}\n", cx.w.get("manual.help_intro"));
    for (n, id) in helped.into_iter().enumerate() {
        stage_section(cx, s, id, n + 1, false);
    }
}

fn stage_section(cx: &Ctx, s: &mut String, id: StageId, n: usize, full: bool) {
    let model = cx.model;
    let w = &cx.w;
    let stage = model.stage(id);
    match stage.outcome {
        Some(kind) => {
            let outcome = w.get(if kind == OutcomeKind::Won { "manual.outcome_won" } else { "manual.outcome_lost" });
            let _ = writeln!(s, "### {n}. {}: «{}»\n", w.fill("manual.outcome_stage", &[("outcome", outcome)]), md(&stage.title));
        }
        None => {
            let _ = writeln!(s, "### {n}. {}\n", md(&stage.title));
        }
    }
    if !full {
        if let Some(owner) = stage.owner {
            let _ = writeln!(s, "{}\n", w.fill("manual.owned_by", &[("role", &md(&model.role(owner).title))]));
        }
    }
    if let Some(d) = &stage.description {
        if full {
            let _ = writeln!(s, "**{}**\n", w.get("manual.purpose"));
        }
        let _ = writeln!(s, "{}\n", md_block(d));
    }
    if stage.outcome.is_none() {
        time_block(cx, s, id, full);
    }
    if full {
        come_from(cx, s, id);
    }
    steps(cx, s, id);
    if full {
        if !stage.exits.is_empty() {
            let _ = writeln!(s, "**{}**\n", w.get("manual.exit"));
            for e in &stage.exits {
                let _ = writeln!(s, "- {}", md_item(e, "  "));
            }
            s.push('\n');
        }
        go_next(cx, s, id);
        if stage.outcome.is_none() {
            stage_numbers(cx, s, id);
        }
        stage_metrics(cx, s, id);
    }
}

/// The stage's clients per plan period, where the plan gives them.
fn stage_volume(cx: &Ctx, id: StageId) -> Option<(f64, Period)> {
    let a = cx.analysis?;
    let period = a.plan.as_ref()?.period;
    let v = a.stages.get(id.0)?.volume_per_period.filter(|v| v.is_finite())?;
    Some((v, period))
}

/// The stage's conversion: the share of its clients eventually won.
fn stage_win(cx: &Ctx, id: StageId) -> Option<f64> {
    cx.analysis?.stages.get(id.0).map(|f| f.win_probability).filter(|p| p.is_finite())
}

/// The numbers a stage's owner delivers there: clients per period under
/// the plan, and the share of them eventually won.
fn stage_numbers(cx: &Ctx, s: &mut String, id: StageId) {
    let w = &cx.w;
    let mut lines = Vec::new();
    if let Some((v, period)) = stage_volume(cx, id) {
        lines.push(w.fill("manual.stage_volume", &[("n", &w.grouped(v, 1)), ("period", period_word(w, period))]));
    }
    if let Some(p) = stage_win(cx, id) {
        lines.push(w.fill("manual.stage_conversion", &[("p", &w.percent(p))]));
    }
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(s, "**{}**\n", w.get("manual.stage_numbers"));
    for l in lines {
        let _ = writeln!(s, "- {l}");
    }
    s.push('\n');
}

fn time_block(cx: &Ctx, s: &mut String, id: StageId, full: bool) {
    let w = &cx.w;
    let stage = cx.model.stage(id);
    let mut parts = Vec::new();
    if let Some(within) = stage.within {
        parts.push(w.fill("manual.within", &[("d", &w.duration(within))]));
    }
    if let Some(takes) = stage.takes {
        parts.push(w.fill("manual.takes", &[("d", &w.duration(takes))]));
    }
    if full {
        if let Some(effort) = stage.effort {
            parts.push(w.fill("manual.effort", &[("d", &w.duration(effort))]));
        }
    }
    if parts.is_empty() {
        if !full {
            return;
        }
        parts.push(w.get("manual.no_time").to_string());
    }
    let _ = writeln!(s, "**{}**\n\n{}\n", w.get("manual.time"), parts.join(" "));
}

fn come_from(cx: &Ctx, s: &mut String, id: StageId) {
    let w = &cx.w;
    let model = cx.model;
    let stage = model.stage(id);
    let mut lines = Vec::new();
    if let Some(entry) = &stage.entry {
        let share = crate::funnel::entry_shares(model)[id.0];
        let key = match entry.kind {
            Some(EntryKind::Active) => "manual.new_active",
            Some(EntryKind::Passive) => "manual.new_passive",
            None => "manual.new_plain",
        };
        lines.push(w.fill(key, &[("p", &w.percent(share))]));
    }
    for (i, from) in model.stages.iter().enumerate() {
        for t in from.transitions.iter().filter(|t| t.target == Some(id)) {
            let key = if t.is_loop { "manual.back_from" } else { "manual.from_stage" };
            let _ = i;
            lines.push(w.fill(key, &[("stage", &md(&from.title)), ("p", &w.percent(t.probability))]));
        }
    }
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(s, "**{}**\n", w.get("manual.come_from"));
    for l in lines {
        let _ = writeln!(s, "- {l}");
    }
    s.push('\n');
}

fn steps(cx: &Ctx, s: &mut String, id: StageId) {
    let w = &cx.w;
    let model = cx.model;
    let stage = model.stage(id);
    let mine: Vec<_> = stage.instructions.iter().filter(|i| i.role == Some(cx.role)).collect();
    let _ = writeln!(s, "**{}**\n", w.get("manual.steps"));
    if mine.is_empty() {
        let _ = writeln!(s, "{}\n", w.get("manual.no_steps"));
        return;
    }
    for (n, i) in mine.iter().enumerate() {
        let number = format!("{}. ", n + 1);
        let indent = " ".repeat(number.len());
        let mut line = format!("{number}{}", md_item(&i.text, &indent));
        let mut notes = Vec::new();
        if let Some(d) = i.within {
            notes.push(w.fill("manual.step_within", &[("d", &w.duration(d))]));
        }
        if !i.for_names.is_empty() {
            let names: Vec<String> = i.for_names.iter().map(|n| md(&for_title(model, n))).collect();
            notes.push(w.fill("manual.only_for", &[("names", &w.list(&names))]));
        }
        if !notes.is_empty() {
            line.push_str(&format!("  \n{indent}*{}*", notes.join("; ")));
        }
        let _ = writeln!(s, "{line}");
    }
    s.push('\n');
}

/// The title of a segment or product named in a `for` list.
fn for_title(model: &Model, id: &str) -> String {
    model
        .segment_id(id)
        .map(|s| model.segments[s.0].title.clone())
        .or_else(|| model.product_id(id).map(|p| model.products[p.0].title.clone()))
        .unwrap_or_else(|| id.to_string())
}

fn go_next(cx: &Ctx, s: &mut String, id: StageId) {
    let w = &cx.w;
    let model = cx.model;
    let stage = model.stage(id);
    if stage.transitions.is_empty() {
        return;
    }
    let _ = writeln!(s, "**{}**\n", w.get("manual.next"));
    for t in &stage.transitions {
        let Some(target) = t.target else { continue };
        let next = model.stage(target);
        let key = match (t.is_loop, next.outcome) {
            (true, _) => "manual.next_loop",
            (false, Some(OutcomeKind::Won)) => "manual.next_won",
            (false, Some(OutcomeKind::Lost)) => "manual.next_lost",
            (false, None) => "manual.next_item",
        };
        let mut line = w.fill(key, &[("stage", &md(&next.title)), ("p", &w.percent(t.probability))]);
        if let Some(label) = &t.label {
            line.push_str(&format!(" *{}*", w.fill("manual.when", &[("label", &md(label))])));
        }
        let _ = writeln!(s, "- {line}");
    }
    s.push('\n');
}

/// The stage a metric is measured at.
fn metric_stage(m: &Metric) -> Option<StageId> {
    match &m.measure {
        Some(Measure::Conversion { from, .. }) | Some(Measure::Time { from, .. }) => *from,
        Some(Measure::Volume(a)) => *a,
        _ => None,
    }
}

fn stage_metrics(cx: &Ctx, s: &mut String, id: StageId) {
    let lines: Vec<String> = cx
        .model
        .metrics
        .iter()
        .enumerate()
        .filter(|(_, m)| metric_stage(m) == Some(id))
        .map(|(k, m)| metric_line(cx, k, m))
        .collect();
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(s, "**{}**\n", cx.w.get("manual.metrics"));
    for l in lines {
        let _ = writeln!(s, "- {l}");
    }
    s.push('\n');
}

fn rate_words(cx: &Ctx, value: f64, per: crate::model::Period) -> String {
    cx.w.fill("rate", &[("value", &cx.w.number(value, 1)), ("period", cx.w.get(&format!("period.{}", per.as_str())))])
}

/// A metric in words: what it measures, its target, the model's value.
fn metric_line(cx: &Ctx, index: usize, m: &Metric) -> String {
    let w = &cx.w;
    let model = cx.model;
    let title = |s: &Option<StageId>| s.map_or_else(String::new, |s| md(&model.stage(s).title));
    let what = match &m.measure {
        Some(Measure::Conversion { from, to }) => w.fill("measure.conversion", &[("from", &title(from)), ("to", &title(to))]),
        Some(Measure::Time { from, to: None }) => w.fill("measure.time", &[("from", &title(from))]),
        Some(Measure::Time { from, to: Some(to) }) => {
            w.fill("measure.time_between", &[("from", &title(from)), ("to", &title(to))])
        }
        Some(Measure::Volume(a)) => w.fill("measure.volume", &[("from", &title(a))]),
        Some(Measure::Activity { what, role }) => w.fill(
            "measure.activity",
            &[("what", &md(what)), ("role", &role.map_or_else(String::new, |r| md(&model.role(r).title)))],
        ),
        None => String::new(),
    };
    let mut line = format!("**{}**: {what}", md(&m.title));
    if m.title == m.id {
        line = format!("**{what}**");
    }
    let mut notes = Vec::new();
    if let Some(t) = &m.target {
        let value = match t.value {
            Quantity::Percent(p) => w.percent(p),
            Quantity::Minutes(d) => w.duration(d),
            Quantity::Rate(r) => rate_words(cx, r.value, r.per),
            Quantity::Number(n) => w.number(n, 2),
        };
        let key = if t.cmp == Comparison::AtLeast { "metric.target_at_least" } else { "metric.target_at_most" };
        notes.push(w.fill(key, &[("value", &value)]));
    }
    if let Some(v) = cx.analysis.and_then(|a| a.metrics.get(index).copied().flatten()) {
        let shown = match &m.measure {
            Some(Measure::Conversion { .. }) => Some(w.percent(v)),
            Some(Measure::Time { .. }) => Some(super::words::approx_duration(v, cx.model.language)),
            Some(Measure::Volume(_)) => cx.analysis.and_then(|a| a.plan.as_ref()).map(|p| rate_words(cx, v, p.period)),
            _ => None,
        };
        if let Some(shown) = shown {
            notes.push(w.fill("metric.model", &[("value", &shown)]));
        }
    }
    if let Some(owner) = m.owner {
        notes.push(w.fill("metric.owner", &[("role", &md(&model.role(owner).title))]));
    }
    if let Some(r) = m.review {
        let key = match r {
            Review::Daily => "review.daily",
            Review::Weekly => "review.weekly",
            Review::Monthly => "review.monthly",
        };
        notes.push(w.fill("metric.review", &[("review", w.get(key))]));
    }
    if !notes.is_empty() {
        line.push_str(&format!("; {}", notes.join("; ")));
    }
    line
}

/// The role's norms: what it must deliver at each stage it owns (clients
/// per period and the share won), the metrics it is measured by (its
/// activity, the metrics it is responsible for, those measured at its
/// stages), and its workload under the plan, for the position and per
/// person and workday.
fn norms(cx: &Ctx, s: &mut String) {
    let w = &cx.w;
    let model = cx.model;
    let _ = writeln!(s, "## {}\n", w.get("manual.norms"));
    let owned: Vec<StageId> = cx
        .graph
        .process_order()
        .into_iter()
        .filter(|id| model.stage(*id).owner == Some(cx.role) && !model.stage(*id).is_terminal())
        .collect();
    let mut lines: Vec<String> = Vec::new();
    for &id in &owned {
        let title = md(&model.stage(id).title);
        let Some(p) = stage_win(cx, id) else { continue };
        let line = match stage_volume(cx, id) {
            Some((v, period)) => w.fill(
                "manual.norm_stage",
                &[("stage", &title), ("n", &w.grouped(v, 1)), ("period", period_word(w, period)), ("p", &w.percent(p))],
            ),
            None => w.fill("manual.norm_stage_no_plan", &[("stage", &title), ("p", &w.percent(p))]),
        };
        lines.push(line);
    }
    lines.extend(
        model
            .metrics
            .iter()
            .enumerate()
            .filter(|(_, m)| {
                matches!(&m.measure, Some(Measure::Activity { role: Some(r), .. }) if *r == cx.role)
                    || m.owner == Some(cx.role)
                    || metric_stage(m).is_some_and(|st| owned.contains(&st))
            })
            .map(|(k, m)| metric_line(cx, k, m)),
    );
    if let Some(plan) = cx.analysis.and_then(|a| a.plan.as_ref()) {
        if let Some(r) = plan.roles.iter().find(|r| r.role == cx.role) {
            let owns = !owned.is_empty();
            let role = model.role(cx.role);
            match (r.workload_hours, r.capacity_hours, r.utilization) {
                (Some(work), Some(cap), Some(util)) if owns => {
                    let mut line = w.fill(
                        "manual.workload",
                        &[
                            ("work", &w.number(work, 1)),
                            ("cap", &w.number(cap, 1)),
                            ("util", &w.percent(util)),
                            ("period", period_word(w, plan.period)),
                        ],
                    );
                    let days = model.plan.as_ref().map_or(1.0, |p| p.workdays_per(plan.period));
                    if let (Some(minutes), true) = (role.capacity_minutes, days > 0.0 && role.headcount > 0) {
                        let day = work / days / f64::from(role.headcount);
                        let key = if role.headcount > 1 { "manual.workload_day_each" } else { "manual.workload_day" };
                        line.push(' ');
                        line.push_str(&w.fill(key, &[("day", &w.number(day, 1)), ("cap", &w.number(f64::from(minutes) / 60.0, 1))]));
                    }
                    if util > 1.0 + 1e-9 {
                        line.push(' ');
                        line.push_str(w.get("manual.workload_over"));
                    }
                    lines.push(line);
                }
                _ if owns => lines.push(w.get("manual.workload_unknown").to_string()),
                _ => {}
            }
        }
    }
    if lines.is_empty() {
        let _ = writeln!(s, "{}\n", w.get("manual.no_norms"));
        return;
    }
    for l in lines {
        let _ = writeln!(s, "- {l}");
    }
    s.push('\n');
}

fn rollout_dates(cx: &Ctx, s: &mut String) {
    let w = &cx.w;
    let model = cx.model;
    let _ = writeln!(s, "## {}\n", w.get("manual.rollout"));
    let events: Vec<_> = rollout::events(model).into_iter().filter(|e| e.concerns(cx.role)).collect();
    if events.is_empty() {
        let _ = writeln!(s, "{}\n", w.get("manual.no_rollout"));
        return;
    }
    let start = model.rollout.as_ref().and_then(|r| r.start);
    match start {
        Some(_) => {
            let _ = writeln!(s, "| {} | {} | {} |\n| --- | --- | --- |", w.get("event.date"), w.get("event.day_col"), w.get("event.event"));
        }
        None => {
            let _ = writeln!(s, "| {} | {} |\n| --- | --- |", w.get("event.day_col"), w.get("event.event"));
        }
    }
    for e in events {
        let what = match e.kind {
            EventKind::Briefing => w.get("event.briefing").to_string(),
            EventKind::Exam => w.get("event.exam").to_string(),
            EventKind::Audit if e.by == Some(cx.role) && !e.roles.contains(&cx.role) => {
                let names: Vec<String> = e.roles.iter().map(|r| md(&model.role(*r).title)).collect();
                w.fill("event.audit_by", &[("roles", &w.list(&names))])
            }
            EventKind::Audit => w.get("event.audit").to_string(),
        };
        let day = w.fill("event.day", &[("n", &e.day().to_string())]);
        match start {
            Some(start) => {
                let _ = writeln!(s, "| {} | {day} | {what} |", w.date(rollout::date_after(start, e.day())));
            }
            None => {
                let _ = writeln!(s, "| {day} | {what} |");
            }
        }
    }
    s.push('\n');
    let _ = Edges::All;
}
