//! `funnel.md`: the funnel plan as Markdown, written when the process has
//! a plan. A bar chart of the clients per period at each stage (Mermaid,
//! which GitHub renders), the stage table with a bar drawn in block
//! characters (readable where Mermaid is not), the plan in sentences and
//! the load on each position. The numbers are those of
//! [`super::funnel_table`], so the terminal and the file never disagree.

use super::funnel_table::{self, Table, period_word};
use super::markdown::md;
use crate::funnel::Analysis;
use crate::i18n::Words;
use crate::model::graph::StageGraph;
use crate::model::{Model, OutcomeKind};
use std::fmt::Write;

/// User text inside a Markdown table cell or a paragraph: one line,
/// escaped.
fn cell(text: &str) -> String {
    md(&funnel_table::one_line(text))
}

/// The widest bar, in character cells.
const BAR_CELLS: f64 = 20.0;

/// A bar of `value / max` of `BAR_CELLS` cells in block characters, to an
/// eighth of a cell.
pub fn bar(value: f64, max: f64) -> String {
    if !(value.is_finite() && max.is_finite()) || max <= 0.0 || value <= 0.0 {
        return String::new();
    }
    let eighths = ((value / max).min(1.0) * BAR_CELLS * 8.0).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    if let Some(part) = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"].get(eighths % 8) {
        s.push_str(part);
    }
    if s.is_empty() {
        // Too small to draw, but not nothing.
        s.push('▏');
    }
    s
}

/// Text for a quoted string of a Mermaid chart: one line, no quotes or
/// backticks (which would end the string or start Markdown).
pub fn chart_text(text: &str) -> String {
    let clean: String = funnel_table::one_line(text)
        .chars()
        .map(|c| match c {
            '"' | '`' => '\'',
            c => c,
        })
        .collect();
    clean.trim().to_string()
}

/// A category label of a Mermaid chart: [`chart_text`], at most 30
/// characters.
pub fn chart_label(text: &str) -> String {
    let clean = chart_text(text);
    if clean.chars().count() <= 30 {
        return clean.to_string();
    }
    let cut: String = clean.chars().take(29).collect();
    format!("{}…", cut.trim_end())
}

/// A number as Mermaid reads it: a dot, at most one decimal.
fn chart_number(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// The top of the axis: the next "round" number (1, 2, 2.5 or 5 times a
/// power of ten) at or above `max`.
pub fn axis_top(max: f64) -> f64 {
    if !max.is_finite() || max <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powi(max.log10().floor() as i32);
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if step * power >= max - 1e-9 {
            return step * power;
        }
    }
    10.0 * power
}

fn markdown_table(table: &Table, s: &mut String) {
    let _ = writeln!(s, "| {} |", table.head.join(" | "));
    let align: Vec<&str> = table.numeric.iter().map(|n| if *n { "---:" } else { "---" }).collect();
    let _ = writeln!(s, "| {} |", align.join(" | "));
    for row in &table.rows {
        let _ = writeln!(s, "| {} |", row.join(" | "));
    }
    s.push('\n');
}

/// `funnel.md` for a model with a plan.
pub fn markdown(model: &Model, graph: &StageGraph, analysis: &Analysis) -> String {
    let w = Words::new(model.language);
    let f = funnel_table::figures(model, graph, analysis, &w, &cell);
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", w.fill("funnel.md_title", &[("process", &cell(&model.title))]));
    if let Some(period) = f.period {
        let _ = writeln!(s, "{}\n", w.fill("funnel.md_intro", &[("period", period_word(&w, period))]));
    }

    // The stages that make the funnel: every stage but the lost outcomes.
    let charted: Vec<(usize, f64)> = f
        .order
        .iter()
        .zip(&f.volumes)
        .enumerate()
        .filter(|(_, (id, _))| model.stage(**id).outcome != Some(OutcomeKind::Lost))
        .filter_map(|(i, (_, v))| v.map(|v| (i, v)))
        .collect();
    let max = charted.iter().map(|(_, v)| *v).fold(0.0, f64::max);
    if let (Some(period), true) = (f.period, max > 0.0) {
        let title = w.fill("funnel.chart_title", &[("period", period_word(&w, period))]);
        let axis = w.fill("funnel.col.volume", &[("period", period_word(&w, period))]);
        let labels: Vec<String> =
            charted.iter().map(|(i, _)| format!("\"{}\"", chart_label(&model.stage(f.order[*i]).title))).collect();
        let values: Vec<String> = charted.iter().map(|(_, v)| chart_number(*v)).collect();
        let _ = writeln!(s, "```mermaid\nxychart-beta horizontal");
        let _ = writeln!(s, "  title \"{}\"", chart_text(&title));
        let _ = writeln!(s, "  x-axis [{}]", labels.join(", "));
        let _ = writeln!(s, "  y-axis \"{}\" 0 --> {}", chart_text(&axis), chart_number(axis_top(max)));
        let _ = writeln!(s, "  bar [{}]", values.join(", "));
        let _ = writeln!(s, "```\n");
    }

    let _ = writeln!(s, "## {}\n", w.get("funnel.stages"));
    let mut stages = f.stages.clone();
    // The bar goes right after the volume column.
    stages.head.insert(4, w.get("funnel.col.bar").to_string());
    stages.numeric.insert(4, false);
    for (i, row) in stages.rows.iter_mut().enumerate() {
        let drawn = charted.iter().find(|(k, _)| *k == i).map_or_else(String::new, |(_, v)| bar(*v, max));
        row.insert(4, drawn);
    }
    markdown_table(&stages, &mut s);
    for (line, detail) in &f.summary {
        let indent = if *detail { "  " } else { "" };
        let _ = writeln!(s, "{indent}- {line}");
    }
    s.push('\n');
    if let Some(roles) = f.roles.as_ref().filter(|r| !r.rows.is_empty()) {
        let _ = writeln!(s, "## {}\n", w.get("funnel.roles"));
        markdown_table(roles, &mut s);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional_to_an_eighth_of_a_cell() {
        assert_eq!(bar(100.0, 100.0), "█".repeat(20));
        assert_eq!(bar(50.0, 100.0), "█".repeat(10));
        assert_eq!(bar(51.0, 100.0), format!("{}▎", "█".repeat(10)));
        assert_eq!(bar(57.0, 100.0), format!("{}▍", "█".repeat(11)));
        assert_eq!(bar(0.01, 100.0), "▏");
        assert_eq!(bar(0.0, 100.0), "");
        assert_eq!(bar(f64::INFINITY, 100.0), "");
    }

    #[test]
    fn chart_labels_cannot_break_the_chart() {
        assert_eq!(chart_label("Say \"yes\"\n`now`"), "Say 'yes' 'now'");
        assert_eq!(chart_label(&"x".repeat(40)), format!("{}…", "x".repeat(29)));
    }

    #[test]
    fn the_axis_ends_on_a_round_number() {
        assert_eq!(axis_top(437.1), 500.0);
        assert_eq!(axis_top(100.5), 200.0);
        assert_eq!(axis_top(100.0), 100.0);
        assert_eq!(axis_top(21.0), 25.0);
        assert_eq!(axis_top(0.3), 0.5);
        assert_eq!(axis_top(0.0), 1.0);
    }
}
