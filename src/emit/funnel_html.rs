//! `funnel.html`: the funnel plan as a printable page, with the numbers of
//! [`super::funnel_table`] (as `funnel.md` has them) and the chart of the
//! clients per period at each stage drawn in as inline SVG.

use super::funnel_table::{self, Table, period_word};
use super::page::{Block, Chart, Page};
use super::rich::Rich;
use crate::funnel::Analysis;
use crate::i18n::Words;
use crate::model::graph::StageGraph;
use crate::model::{Model, OutcomeKind};

fn table(t: &Table) -> Block {
    Block::Table {
        head: t.head.clone(),
        rows: t.rows.iter().map(|row| row.iter().map(|c| Rich::plain(c.clone())).collect()).collect(),
        numeric: t.numeric.clone(),
        form: false,
    }
}

/// The funnel plan of a model with a plan, as the content of a page.
pub fn content(model: &Model, graph: &StageGraph, analysis: &Analysis) -> Page {
    let w = Words::new(model.language);
    // Plain text: the page's renderer escapes it.
    let f = funnel_table::figures(model, graph, analysis, &w, &funnel_table::one_line);
    let title = w.fill("funnel.md_title", &[("process", &funnel_table::one_line(&model.title))]);
    let mut page =
        Page { lang: model.language.code(), title, lead: super::phrases::process_line(&w, model), blocks: Vec::new() };
    let b = &mut page.blocks;
    if let Some(period) = f.period {
        b.push(Block::Para { text: Rich::plain(w.fill("funnel.md_intro", &[("period", period_word(&w, period))])) });
    }
    // The stages that make the funnel: every stage but the lost outcomes.
    let bars: Vec<(String, f64, String)> = f
        .order
        .iter()
        .zip(&f.volumes)
        .filter(|(id, _)| model.stage(**id).outcome != Some(OutcomeKind::Lost))
        .filter_map(|(id, v)| v.map(|v| (funnel_table::one_line(&model.stage(*id).title), v)))
        .map(|(label, v)| (label, v, w.grouped(v, 1)))
        .collect();
    let max = bars.iter().map(|b| b.1).fold(0.0, f64::max);
    if let (Some(period), true) = (f.period, max > 0.0) {
        let title = w.fill("funnel.chart_title", &[("period", period_word(&w, period))]);
        let axis = w.fill("funnel.col.volume", &[("period", period_word(&w, period))]);
        b.push(Block::Chart { chart: Chart::new(title, axis, &bars) });
    }
    b.push(Block::Heading { level: 2, text: w.get("funnel.stages").to_string() });
    b.push(table(&f.stages));
    b.push(Block::List { items: f.summary.iter().map(|(line, _)| Rich::plain(line.clone())).collect() });
    if let Some(roles) = f.roles.as_ref().filter(|r| !r.rows.is_empty()) {
        b.push(Block::Heading { level: 2, text: w.get("funnel.roles").to_string() });
        b.push(table(roles));
    }
    page
}
