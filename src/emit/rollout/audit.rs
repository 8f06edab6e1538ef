//! `rollout/audit-<role>.md`: the weekly checklist an auditor fills in for
//! one role: one line per instruction of the role, grouped by stage in
//! process order, and a column per audit (the audit's date as its
//! header). Tables hold at most [`COLUMNS`] audits, so they fit a printed
//! page; a longer rollout gets several tables.

use crate::audit::render::content;
use crate::audit::report::Report;
use crate::emit::page::{self, Block, Page, one_line};
use crate::emit::phrases::{for_title, process_line};
use crate::emit::rich::Rich;
use crate::i18n::Words;
use crate::model::graph::StageGraph;
use crate::model::{Model, RoleId};
use crate::rollout::{Event, EventKind, date_after};

/// The most audit columns in one table.
pub const COLUMNS: usize = 7;

/// The checklist of `role`.
pub fn markdown(model: &Model, graph: &StageGraph, role: RoleId, all: &[Event]) -> String {
    measured(model, graph, role, all, None)
}

/// The checklist of `role` as Markdown, with the figures the audit of the
/// CRM's history measured for the role, when there is one (`build --log`).
pub fn measured(model: &Model, graph: &StageGraph, role: RoleId, all: &[Event], report: Option<&Report>) -> String {
    page::markdown(&content(model, graph, role, all, report))
}

/// The checklist of `role` as the content of a page, with the measured
/// figures when there is a report: each audited person of the role
/// (deviations, time over the limit, activity rates) and the stages the
/// role owns (stays and breaches).
pub fn content(model: &Model, graph: &StageGraph, role: RoleId, all: &[Event], report: Option<&Report>) -> Page {
    let w = Words::new(model.language);
    let r = model.role(role);
    let title = w.fill("audit.title", &[("role", &r.title)]);
    let mut page = Page { lang: model.language.code(), title, lead: process_line(&w, model), blocks: Vec::new() };
    let Some(rollout) = &model.rollout else { return page };
    let start = rollout.start;
    let b = &mut page.blocks;
    let para = |t: String| Block::Para { text: Rich::plain(t) };
    b.push(para(w.get("audit.intro").to_string()));
    if let Some(report) = report {
        figures(model, role, report, b);
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
        b.push(Block::Heading { level: 2, text: w.fill("audit.by", &[("role", &auditor)]) });
        let count = w.count("count.audit", dates.len() as f64, 0);
        b.push(para(w.fill("audit.every", &[("every", &every), ("count", &count)])));
        b.push(para(w.fill("audit.auditor", &[("role", &auditor)])));
        if total == 0 {
            b.push(para(w.get("audit.no_steps").to_string()));
            continue;
        }
        if dates.is_empty() {
            b.push(para(w.get("audit.no_dates").to_string()));
            continue;
        }
        // With a history, each stage's row holds the figures of the days
        // before each audit (since the previous one).
        let since = audit.every_minutes.map_or(7, |m| (m / crate::model::DAY).max(1));
        let measured_cells = report.zip(start);
        if measured_cells.is_some() {
            b.push(para(w.get("audit.measured_cells").to_string()));
        }
        for chunk in dates.chunks(COLUMNS) {
            let mut head = vec![w.get("audit.step").to_string()];
            for &day in chunk {
                head.push(match start {
                    Some(start) => w.short_date(date_after(start, day)),
                    None => w.fill("event.day", &[("n", &day.to_string())]),
                });
            }
            let blanks = || vec![Rich::default(); chunk.len()];
            let mut rows = Vec::new();
            for (k, (stage, steps)) in stages.iter().enumerate() {
                let mut row = vec![Rich::strong(format!("{}. {}", k + 1, one_line(&stage.title)))];
                match measured_cells.and_then(|(r, start)| Some((r.stages.iter().find(|x| x.id == stage.id)?, start))) {
                    Some((measured, start)) => {
                        row.extend(chunk.iter().map(|&day| {
                            let d = date_after(start, day);
                            let to = chrono::NaiveDate::from_ymd_opt(d.year, d.month, d.day).unwrap_or_default();
                            let from = to - chrono::Duration::days(i64::from(since));
                            Rich::plain(match measured.between(from, to) {
                                (0, _) => "—".to_string(),
                                // A stage without a limit has nobody late.
                                (n, _) if measured.within_minutes.is_none() => n.to_string(),
                                (n, late) => {
                                    w.fill("audit.cell", &[("n", &n.to_string()), ("late", &late.to_string())])
                                }
                            })
                        }));
                    }
                    None => row.extend(blanks()),
                }
                rows.push(row);
                for (j, i) in steps.iter().enumerate() {
                    let mut text = Rich::plain(format!("{}.{} {}", k + 1, j + 1, one_line(&i.text)));
                    let mut notes = Vec::new();
                    if let Some(d) = i.within {
                        notes.push(w.fill("audit.within", &[("d", &w.duration(d))]));
                    }
                    if !i.for_names.is_empty() {
                        let names: Vec<String> = i.for_names.iter().map(|n| for_title(model, n)).collect();
                        notes.push(w.fill("manual.only_for", &[("names", &w.list(&names))]));
                    }
                    if !notes.is_empty() {
                        text.push_str(" ");
                        text.push(Rich::em(format!("({})", notes.join("; "))));
                    }
                    let mut row = vec![text];
                    row.extend(blanks());
                    rows.push(row);
                }
            }
            for key in ["audit.followed", "audit.signature"] {
                let mut row = vec![Rich::strong(w.fill(key, &[("n", &total.to_string())]))];
                row.extend(blanks());
                rows.push(row);
            }
            let numeric = vec![false; head.len()];
            b.push(Block::Table { head, rows, numeric, form: true });
        }
    }
    page
}

/// The measured figures of `role`: its people and its stages.
fn figures(model: &Model, role: RoleId, report: &Report, b: &mut Vec<Block>) {
    let w = Words::new(model.language);
    let r = model.role(role);
    let doc = content::build(report, model, 0);
    let table = |t: &content::Table| Block::Table {
        head: t.head.clone(),
        rows: t
            .rows
            .iter()
            .map(|row| {
                row.cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| if row.alert && i == 0 { Rich::strong(c.clone()) } else { Rich::plain(c.clone()) })
                    .collect()
            })
            .collect(),
        numeric: t.numeric.clone(),
        form: false,
    };
    let para = |t: &str| Block::Para { text: Rich::plain(t) };
    b.push(Block::Heading { level: 2, text: w.get("audit.measured").to_string() });
    b.push(para(&doc.log_line));
    b.push(Block::Heading { level: 3, text: w.get("audit.measured_people").to_string() });
    let mut people = doc.people.table.clone();
    people.rows.retain(|row| row.tag.as_deref() == Some(r.id.as_str()));
    if people.rows.is_empty() {
        b.push(para(w.get("audit.measured_nobody")));
    } else {
        // The role column says the same on every row.
        for row in people.rows.iter_mut() {
            row.cells.remove(1);
        }
        people.head.remove(1);
        people.numeric.remove(1);
        b.push(table(&people));
    }
    b.push(Block::Heading { level: 3, text: w.get("audit.measured_stages").to_string() });
    let stages: Vec<_> = report.stages.iter().filter(|st| st.owner.as_deref() == Some(r.id.as_str())).collect();
    if stages.is_empty() {
        b.push(para(w.get("audit.measured_no_stages")));
        return;
    }
    let stay = |m: Option<i64>| {
        m.map_or_else(|| "—".to_string(), |m| crate::i18n::approx_duration(m.max(0) as f64, model.language))
    };
    let measured = content::Table {
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
    b.push(table(&measured));
}
