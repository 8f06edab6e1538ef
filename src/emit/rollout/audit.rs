//! `rollout/audit-<role>.md`: the weekly checklist an auditor fills in for
//! one role: one line per instruction of the role, grouped by stage in
//! process order, and a column per audit (the audit's date as its
//! header). Tables hold at most [`COLUMNS`] audits, so they fit a printed
//! page; a longer rollout gets several tables.

use crate::audit::render::{content, markdown_table};
use crate::audit::report::Report;
use crate::emit::markdown::{inline, md};
use crate::emit::phrases::{for_title, process_line};
use crate::i18n::Words;
use crate::model::graph::StageGraph;
use crate::model::{Model, RoleId};
use crate::rollout::{Event, EventKind, date_after};
use std::fmt::Write;

/// The most audit columns in one table.
pub const COLUMNS: usize = 7;

/// A table cell: user text on one line, escaped for Markdown.
fn cell(text: &str) -> String {
    md(&text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" "))
}

/// The checklist of `role`.
pub fn markdown(model: &Model, graph: &StageGraph, role: RoleId, all: &[Event]) -> String {
    measured(model, graph, role, all, None)
}

/// The checklist of `role`, with the figures the audit of the CRM's
/// history measured for the role, when there is one (`build --log`):
/// each audited person of the role (deviations, time over the limit,
/// activity rates) and the stages the role owns (stays and breaches).
pub fn measured(model: &Model, graph: &StageGraph, role: RoleId, all: &[Event], report: Option<&Report>) -> String {
    let w = Words::new(model.language);
    let r = model.role(role);
    let Some(rollout) = &model.rollout else { return String::new() };
    let start = rollout.start;
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", md(&w.fill("audit.title", &[("role", &r.title)])));
    let line = process_line(&w, model);
    let _ = writeln!(s, "{}\n", inline(&line, ""));
    let _ = writeln!(s, "{}\n", md(w.get("audit.intro")));
    if let Some(report) = report {
        s.push_str(&figures(model, role, report));
    }

    // The role's steps, stage by stage.
    let mut stages = Vec::new();
    for &id in graph.process_order() {
        let stage = model.stage(id);
        let steps: Vec<_> = stage.instructions.iter().filter(|i| i.role == Some(role)).collect();
        if !steps.is_empty() {
            stages.push((stage, steps));
        }
    }
    let total: usize = stages.iter().map(|(_, st)| st.len()).sum();

    for (line_no, audit) in rollout.audits.iter().enumerate().filter(|(_, a)| a.roles.contains(&role)) {
        let dates: Vec<u32> =
            all.iter().filter(|e| e.kind == EventKind::Audit && e.line == line_no).map(|e| e.day()).collect();
        let auditor = audit.by.map_or_else(String::new, |b| model.role(b).title.clone());
        let every = audit.every_minutes.map_or_else(String::new, |m| w.duration(m));
        let _ = writeln!(s, "## {}\n", md(&w.fill("audit.by", &[("role", &auditor)])));
        let count = w.count("count.audit", dates.len() as f64, 0);
        let _ = writeln!(s, "{}\n", md(&w.fill("audit.every", &[("every", &every), ("count", &count)])));
        let _ = writeln!(s, "{}\n", md(&w.fill("audit.auditor", &[("role", &auditor)])));
        if total == 0 {
            let _ = writeln!(s, "{}\n", md(w.get("audit.no_steps")));
            continue;
        }
        if dates.is_empty() {
            let _ = writeln!(s, "{}\n", md(w.get("audit.no_dates")));
            continue;
        }
        // With a history, each stage's row holds the figures of the days
        // before each audit (since the previous one).
        let since = audit.every_minutes.map_or(7, |m| (m / crate::model::DAY).max(1));
        let measured_cells = report.zip(start);
        if measured_cells.is_some() {
            let _ = writeln!(s, "{}\n", md(w.get("audit.measured_cells")));
        }
        for chunk in dates.chunks(COLUMNS) {
            let mut head = vec![w.get("audit.step").to_string()];
            for &day in chunk {
                head.push(match start {
                    Some(start) => w.short_date(date_after(start, day)),
                    None => w.fill("event.day", &[("n", &day.to_string())]),
                });
            }
            let blanks = " |".repeat(chunk.len());
            let _ = writeln!(s, "| {} |", head.iter().map(|h| md(h)).collect::<Vec<_>>().join(" | "));
            let _ = writeln!(s, "|{}", " --- |".repeat(head.len()));
            for (k, (stage, steps)) in stages.iter().enumerate() {
                match measured_cells.and_then(|(r, start)| Some((r.stages.iter().find(|x| x.id == stage.id)?, start))) {
                    Some((row, start)) => {
                        let cells: Vec<String> = chunk
                            .iter()
                            .map(|&day| {
                                let d = date_after(start, day);
                                let to = chrono::NaiveDate::from_ymd_opt(d.year, d.month, d.day).unwrap_or_default();
                                let from = to - chrono::Duration::days(i64::from(since));
                                match row.between(from, to) {
                                    (0, _) => "—".to_string(),
                                    // A stage without a limit has nobody late.
                                    (n, _) if row.within_minutes.is_none() => n.to_string(),
                                    (n, late) => {
                                        md(&w.fill("audit.cell", &[("n", &n.to_string()), ("late", &late.to_string())]))
                                    }
                                }
                            })
                            .collect();
                        let _ = writeln!(s, "| **{}. {}** | {} |", k + 1, cell(&stage.title), cells.join(" | "));
                    }
                    None => {
                        let _ = writeln!(s, "| **{}. {}** |{blanks}", k + 1, cell(&stage.title));
                    }
                }
                for (j, i) in steps.iter().enumerate() {
                    let mut text = format!("{}.{} {}", k + 1, j + 1, cell(&i.text));
                    let mut notes = Vec::new();
                    if let Some(d) = i.within {
                        notes.push(w.fill("audit.within", &[("d", &w.duration(d))]));
                    }
                    if !i.for_names.is_empty() {
                        let names: Vec<String> = i.for_names.iter().map(|n| for_title(model, n)).collect();
                        notes.push(w.fill("manual.only_for", &[("names", &w.list(&names))]));
                    }
                    if !notes.is_empty() {
                        let _ = write!(text, " *({})*", md(&notes.join("; ")));
                    }
                    let _ = writeln!(s, "| {text} |{blanks}");
                }
            }
            let _ = writeln!(s, "| **{}** |{}", md(&w.fill("audit.followed", &[("n", &total.to_string())])), blanks);
            let _ = writeln!(s, "| **{}** |{}", md(w.get("audit.signature")), blanks);
            s.push('\n');
        }
    }
    s
}

/// The measured figures of `role`: its people and its stages.
fn figures(model: &Model, role: RoleId, report: &Report) -> String {
    let w = Words::new(model.language);
    let r = model.role(role);
    let doc = content::build(report, model, 0);
    let mut s = String::new();
    let _ = writeln!(s, "## {}\n", md(w.get("audit.measured")));
    let _ = writeln!(s, "{}\n", md(&doc.log_line));
    let _ = writeln!(s, "### {}\n", md(w.get("audit.measured_people")));
    let mut people = doc.people.table.clone();
    people.rows.retain(|row| row.tag.as_deref() == Some(r.id.as_str()));
    if people.rows.is_empty() {
        let _ = writeln!(s, "{}\n", md(w.get("audit.measured_nobody")));
    } else {
        // The role column says the same on every row.
        for row in people.rows.iter_mut() {
            row.cells.remove(1);
        }
        people.head.remove(1);
        people.numeric.remove(1);
        s.push_str(&markdown_table(&people));
    }
    let _ = writeln!(s, "### {}\n", md(w.get("audit.measured_stages")));
    let stages: Vec<_> = report.stages.iter().filter(|st| st.owner.as_deref() == Some(r.id.as_str())).collect();
    if stages.is_empty() {
        let _ = writeln!(s, "{}\n", md(w.get("audit.measured_no_stages")));
        return s;
    }
    let stay = |m: Option<i64>| {
        m.map_or_else(|| "—".to_string(), |m| crate::i18n::approx_duration(m.max(0) as f64, model.language))
    };
    let table = content::Table {
        head: [
            "report.col.stage",
            "report.col.visits",
            "report.kind.time_breach",
            "report.kind.rotting",
            "report.col.median",
            "report.col.p90",
            "report.col.within",
        ]
        .iter()
        .map(|k| w.get(k).to_string())
        .collect(),
        numeric: vec![false, true, true, true, true, true, true],
        rows: stages
            .iter()
            .map(|st| content::Row {
                cells: vec![
                    st.title.clone(),
                    w.grouped(st.visits as f64, 0),
                    w.grouped(st.time_breaches as f64, 0),
                    w.grouped(st.rotting as f64, 0),
                    stay(st.median_stay_minutes),
                    stay(st.p90_stay_minutes),
                    st.within_minutes.map_or_else(|| "—".to_string(), |m| w.duration(m)),
                ],
                alert: st.time_breaches + st.rotting > 0,
                tag: None,
            })
            .collect(),
    };
    s.push_str(&markdown_table(&table));
    s
}
