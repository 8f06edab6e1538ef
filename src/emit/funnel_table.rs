//! The funnel model in words, in the process's language: a row per stage
//! in process order, the plan in sentences (the sales it needs, the new
//! clients that takes and why the two differ), a row per position with a
//! workload (an owner's `effort` or its own steps' `effort`). `procdef funnel` prints it as a text table ([`text`]);
//! `funnel.md` lays the same numbers out in Markdown (see
//! [`super::funnel_md`]).

use super::visible::{is_hidden_control, picture};
use crate::funnel::Analysis;
use crate::i18n::Words;
use crate::model::graph::StageGraph;
use crate::model::{Goal, Model, OutcomeKind, Period, RoleId, StageId};
use unicode_width::UnicodeWidthStr;

/// A table of words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Which columns hold numbers (aligned right).
    pub numeric: Vec<bool>,
}

/// The funnel model in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// One row per stage, in process order: stage, win probability,
    /// visits per new client, clients per period, owner, owner's
    /// utilization.
    pub stages: Table,
    /// The stage of each row.
    pub order: Vec<StageId>,
    /// Clients entering the stage of each row per plan period, where known.
    pub volumes: Vec<Option<f64>>,
    /// The plan in sentences; a sentence with `true` details the one
    /// before it.
    pub summary: Vec<(String, bool)>,
    /// One row per position that owns stages, when there is a plan.
    pub roles: Option<Table>,
    /// The plan's period.
    pub period: Option<Period>,
}

/// A finite value, or nothing: an infinity means "cannot be computed".
fn known(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

/// The words of the period: `month`, `месяц`.
pub fn period_word(w: &Words, period: Period) -> &'static str {
    w.get(&format!("period.{}", period.as_str()))
}

/// The funnel model in words; `esc` turns the user's text into the target
/// format (Markdown escaping, or one clean line for a terminal).
pub fn figures(
    model: &Model,
    graph: &StageGraph,
    analysis: &Analysis,
    w: &Words,
    esc: &dyn Fn(&str) -> String,
) -> Figures {
    let plan = analysis.plan.as_ref();
    let period = plan.map(|p| p.period);
    let none = || w.get("funnel.none").to_string();
    let percent = |v: Option<f64>| known(v).map_or_else(none, |v| w.percent(v));
    let util_of =
        |r: RoleId| plan.and_then(|p| p.roles.iter().find(|f| f.role == r)).and_then(|f| known(f.utilization));

    let volume_head = match period {
        Some(p) => w.fill("funnel.col.volume", &[("period", period_word(w, p))]),
        None => w.get("funnel.col.volume_any").to_string(),
    };
    let head = vec![
        w.get("funnel.col.stage").to_string(),
        w.get("funnel.col.win").to_string(),
        w.get("funnel.col.visits").to_string(),
        volume_head,
        w.get("funnel.col.owner").to_string(),
        w.get("funnel.col.owner_util").to_string(),
    ];
    let order = graph.process_order().to_vec();
    let with_sale = model.stages.iter().any(|s| s.sale && !s.is_terminal());
    let mut rows = Vec::new();
    let mut volumes = Vec::new();
    for &id in &order {
        let stage = model.stage(id);
        let f = &analysis.stages[id.0];
        let title = esc(&stage.title);
        // A title that already says what the outcome is, is said once.
        let doubled = |word: &str| super::phrases::same_words(&stage.title, w.get(word));
        let title = match stage.outcome {
            Some(OutcomeKind::Won) if doubled(if with_sale { "manual.completed" } else { "manual.won" }) => title,
            Some(OutcomeKind::Lost) if doubled("manual.lost") => title,
            // With sale stages a `won` outcome is where the service ends,
            // not the sale.
            Some(OutcomeKind::Won) if with_sale => w.fill("funnel.completed", &[("stage", &title)]),
            Some(OutcomeKind::Won) => w.fill("funnel.won", &[("stage", &title)]),
            Some(OutcomeKind::Lost) => w.fill("funnel.lost", &[("stage", &title)]),
            None if stage.sale => w.fill("funnel.sale", &[("stage", &title)]),
            None => title,
        };
        let volume = known(f.volume_per_period);
        volumes.push(volume);
        let owner = stage.owner.filter(|_| !stage.is_terminal());
        rows.push(vec![
            title,
            percent(Some(f.win_probability)),
            known(Some(f.expected_visits)).map_or_else(none, |v| w.number(v, 2)),
            volume.map_or_else(none, |v| w.grouped(v, 1)),
            owner.map_or_else(none, |r| esc(&model.role(r).title)),
            owner.and_then(util_of).map_or_else(none, |u| w.percent(u)),
        ]);
    }
    let stages = Table { head, rows, numeric: vec![false, true, true, true, false, true] };

    let mut summary =
        vec![(w.fill("funnel.new_client_win", &[("p", &percent(Some(analysis.new_client_win_probability)))]), false)];
    let per_client = known(Some(analysis.expected_sales_per_new_client));
    if let (true, Some(s)) = (with_sale, per_client) {
        summary.push((w.fill("funnel.sales_per_client", &[("n", &significant(w, s))]), false));
    }
    let mut roles = None;
    match (plan, period) {
        (Some(plan), Some(period)) => {
            let per = period_word(w, period);
            if let Some(goal) = known(plan.goal_clients) {
                let n = w.grouped(goal, 1);
                let line = match model.plan.as_ref().and_then(|p| p.goal.as_ref()) {
                    Some(Goal::Revenue(money, _)) if goal > 0.0 => w.fill(
                        "funnel.goal_revenue",
                        &[
                            ("money", &w.money(money.amount, &money.currency)),
                            ("period", per),
                            ("deal", &w.money(money.amount / goal, &money.currency)),
                            ("n", &n),
                        ],
                    ),
                    _ => w.fill("funnel.goal_clients", &[("n", &n), ("period", per)]),
                };
                summary.push((line, false));
            }
            if let Some(nc) = known(plan.new_clients_per_period) {
                summary.push((w.fill("funnel.new_clients", &[("n", &w.grouped(nc, 1)), ("period", per)]), false));
                if analysis.entries.len() > 1 {
                    for e in &analysis.entries {
                        let line = w.fill(
                            "funnel.new_clients_entry",
                            &[
                                ("stage", &esc(&model.stage(e.stage).title)),
                                ("n", &w.grouped(nc * e.share, 1)),
                                ("period", per),
                            ],
                        );
                        summary.push((line, true));
                    }
                }
                if let Some(why) = why_new_clients(analysis, plan, w) {
                    summary.push((why, false));
                }
            }
            if !plan.missing.is_empty() {
                summary.push((w.get("funnel.plan_incomplete").to_string(), false));
            }
            roles = Some(role_table(model, analysis, w, esc, per));
        }
        _ => summary.push((w.get("funnel.no_plan").to_string(), false)),
    }
    Figures { stages, order, volumes, summary, roles, period }
}

/// Why the new clients needed differ from the sales planned, in one
/// sentence: clients lost before a sale, and repeat sales. `None` when
/// the two are the same.
pub fn why_new_clients(analysis: &Analysis, plan: &crate::funnel::PlanFigures, w: &Words) -> Option<String> {
    let goal = known(plan.goal_clients)?;
    let nc = known(plan.new_clients_per_period)?;
    // The same when shown.
    if w.grouped(goal, 1) == w.grouped(nc, 1) {
        return None;
    }
    let p = analysis.new_client_win_probability;
    let sales = analysis.expected_sales_per_new_client;
    let repeat = sales - p;
    if repeat > 0.005 {
        Some(w.fill(
            "funnel.why_repeat",
            &[("sales", &sales_words(w, sales)), ("p", &w.percent(p)), ("repeat", &significant(w, repeat))],
        ))
    } else {
        Some(w.fill("funnel.why_lost", &[("p", &w.percent(p))]))
    }
}

/// A number of sales in words: `0.076 sales`, `1 sale`, `0,076 продажи`.
fn sales_words(w: &Words, n: f64) -> String {
    if n < 1.0 {
        // A fraction takes the form of 2 (`0,5 продажи`).
        format!("{} {}", significant(w, n), w.plural("count.sale", 2))
    } else {
        w.count("count.sale", n, 2)
    }
}

/// A number with two significant digits below 1 (`0.076`), else at most
/// two decimals: a small number never shows as `0`.
pub fn significant(w: &Words, v: f64) -> String {
    if v.is_finite() && v > 0.0 && v < 1.0 {
        let decimals = (1 - v.log10().floor() as i32).max(2) as usize;
        w.number(v, decimals)
    } else {
        w.number(v, 2)
    }
}

/// Whether a role has a workload under the plan: it owns a stage with
/// clients to serve, or has steps of its own with an `effort`.
pub fn has_workload(model: &Model, role: RoleId) -> bool {
    model.stages.iter().any(|s| {
        (!s.is_terminal() && s.owner == Some(role))
            || s.instructions.iter().any(|i| i.role == Some(role) && i.effort.is_some())
    })
}

/// A utilization in words against the plan's limit: `95% (over the 85%
/// limit)`, `120% (over capacity)`.
pub fn utilization_words(w: &Words, u: f64, limit: f64) -> String {
    if u > 1.0 + 1e-9 {
        w.fill("funnel.over_capacity", &[("p", &w.percent(u))])
    } else if u > limit + 1e-9 {
        w.fill("funnel.over_limit", &[("p", &w.percent(u)), ("limit", &w.percent(limit))])
    } else {
        w.percent(u)
    }
}

fn role_table(model: &Model, analysis: &Analysis, w: &Words, esc: &dyn Fn(&str) -> String, per: &str) -> Table {
    let none = || w.get("funnel.none").to_string();
    let hours = |v: Option<f64>| known(v).map_or_else(none, |v| w.grouped(v, 1));
    let head = vec![
        w.get("funnel.col.role").to_string(),
        w.get("funnel.col.headcount").to_string(),
        w.fill("funnel.col.workload", &[("period", per)]),
        w.fill("funnel.col.capacity", &[("period", per)]),
        w.get("funnel.col.utilization").to_string(),
    ];
    let rows = analysis
        .plan
        .iter()
        .flat_map(|p| &p.roles)
        .filter(|r| has_workload(model, r.role))
        .map(|r| {
            let role = model.role(r.role);
            let limit = model.plan.as_ref().map_or(1.0, |p| p.utilization_limit);
            let util = known(r.utilization).map_or_else(none, |u| utilization_words(w, u, limit));
            vec![esc(&role.title), role.headcount.to_string(), hours(r.workload_hours), hours(r.capacity_hours), util]
        })
        .collect();
    Table { head, rows, numeric: vec![false, true, true, true, true] }
}

/// User text as one clean terminal line: line ends and tabs become
/// spaces, other control characters (escape sequences) are made visible
/// ([`crate::emit::visible`]).
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => ' ',
            c if is_hidden_control(c) => picture(c),
            c => c,
        })
        .collect()
}

/// Cuts text to `width` terminal columns, ending in `…` when cut.
fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + c.to_string().width() + 1 > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// The widest a name column gets in the terminal.
const NAME_WIDTH: usize = 40;

/// A table as aligned text columns.
pub fn text_table(table: &Table) -> String {
    let cells: Vec<Vec<String>> = std::iter::once(&table.head)
        .chain(&table.rows)
        .map(|row| {
            row.iter().enumerate().map(|(i, c)| if table.numeric[i] { c.clone() } else { fit(c, NAME_WIDTH) }).collect()
        })
        .collect();
    let widths: Vec<usize> =
        (0..table.head.len()).map(|i| cells.iter().map(|r| r[i].width()).max().unwrap_or(0)).collect();
    let mut s = String::new();
    for (n, row) in cells.iter().enumerate() {
        let mut line = String::new();
        for (i, c) in row.iter().enumerate() {
            let pad = " ".repeat(widths[i] - c.width());
            if i > 0 {
                line.push_str("  ");
            }
            if table.numeric[i] {
                line.push_str(&pad);
                line.push_str(c);
            } else {
                line.push_str(c);
                line.push_str(&pad);
            }
        }
        s.push_str(line.trim_end());
        s.push('\n');
        if n == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
            s.push_str(&rule.join("  "));
            s.push('\n');
        }
    }
    s
}

/// The funnel model as text for a terminal (`procdef funnel`).
pub fn text(model: &Model, graph: &StageGraph, analysis: &Analysis) -> String {
    let w = Words::new(model.language);
    let f = figures(model, graph, analysis, &w, &|t| one_line(t));
    let mut s = format!("{}\n\n", w.fill("funnel.title", &[("process", &one_line(&model.title))]));
    s.push_str(&text_table(&f.stages));
    s.push('\n');
    for (line, detail) in &f.summary {
        if *detail {
            s.push_str("  ");
        }
        s.push_str(line);
        s.push('\n');
    }
    if let Some(roles) = &f.roles {
        if !roles.rows.is_empty() {
            s.push('\n');
            s.push_str(w.get("funnel.roles"));
            s.push_str("\n\n");
            s.push_str(&text_table(roles));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cut_to_its_column() {
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("a longer title", 8), "a longe…");
        assert_eq!(fit("Привлечение клиентов", 6), "Привл…");
    }

    #[test]
    fn columns_align_numbers_right() {
        let t = Table {
            head: vec!["Stage".into(), "Win".into()],
            rows: vec![vec!["a".into(), "5%".into()], vec!["Этап б".into(), "12.5%".into()]],
            numeric: vec![false, true],
        };
        assert_eq!(text_table(&t), "Stage     Win\n──────  ─────\na          5%\nЭтап б  12.5%\n");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(one_line("a\nb\u{1b}[31mc\u{7}"), "a b␛[31mc␇");
    }
}
