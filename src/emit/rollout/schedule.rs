//! `rollout/schedule.md`: the rollout week by week, one row per event,
//! every week listed (a week without events says so).

use super::{kind_word, who};
use crate::emit::markdown::{inline, md, table};
use crate::emit::phrases::process_line;
use crate::i18n::Words;
use crate::model::{Date, Model};
use crate::rollout::{Event, EventKind, audited, date_after, examined, last_day};
use std::fmt::Write;

/// A range of dates in words: `11–17 January 2027`,
/// `25 January – 1 February 2027`, `28 December 2026 – 3 January 2027`.
pub fn date_range(w: &Words, a: Date, b: Date) -> String {
    if a == b {
        return w.date(a);
    }
    let full = w.date(a);
    let end = w.date(b);
    if a.year != b.year {
        return format!("{full} – {end}");
    }
    // `11 January 2027` → `11 January`, `11`.
    let without_year = full.rsplit_once(' ').map_or(full.as_str(), |(head, _)| head).to_string();
    if a.month == b.month { format!("{}–{end}", a.day) } else { format!("{without_year} – {end}") }
}

/// The schedule of the rollout's events `all` ([`crate::rollout::events`]);
/// `stems` name the exam and audit files it links to.
pub fn markdown(model: &Model, stems: &[String], all: &[Event]) -> String {
    let w = Words::new(model.language);
    let Some(r) = &model.rollout else { return String::new() };
    let start = r.start;
    let last = last_day(model);
    let weeks = last / 7 + 1;
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", md(&w.fill("schedule.title", &[("process", &model.title)])));
    let line = process_line(&w, model);
    let _ = writeln!(s, "{}\n", inline(&line, ""));
    let days = w.count("unit.day", f64::from(last), 0);
    let week_count = w.count("count.week", f64::from(weeks), 0);
    match start {
        Some(start) => {
            let _ = writeln!(
                s,
                "{}\n",
                md(&w.fill(
                    "schedule.span",
                    &[
                        ("from", &w.date(start)),
                        ("to", &w.date(date_after(start, last))),
                        ("days", &days),
                        ("weeks", &week_count)
                    ]
                ))
            );
            let _ = writeln!(s, "{}\n", md(w.get("schedule.ics")));
        }
        None => {
            let _ =
                writeln!(s, "{}\n", md(&w.fill("schedule.span_relative", &[("days", &days), ("weeks", &week_count)])));
            let _ = writeln!(s, "{}\n", md(w.get("schedule.no_start")));
        }
    }
    let mut head = vec![w.get("schedule.week").to_string()];
    if start.is_some() {
        head.push(w.get("event.date").to_string());
    }
    head.extend([w.get("event.day_col"), w.get("event.event"), w.get("event.who")].map(str::to_string));
    let mut rows = Vec::new();
    let mut next = 0;
    for week in 0..weeks {
        let (first, end) = (week * 7, (week * 7 + 6).min(last));
        let span = match start {
            Some(start) => date_range(&w, date_after(start, first), date_after(start, end)),
            None => w.fill("schedule.days", &[("from", &first.to_string()), ("to", &end.to_string())]),
        };
        let label = w.fill("schedule.week_n", &[("n", &(week + 1).to_string()), ("span", &span)]);
        // The events are in time order: take this week's off the front.
        let count = all[next..].iter().take_while(|e| e.day() <= end).count();
        let in_week = &all[next..next + count];
        next += count;
        if in_week.is_empty() {
            let mut row = vec![label];
            if start.is_some() {
                row.push(String::new());
            }
            row.extend([String::new(), w.get("schedule.no_events").to_string(), String::new()]);
            rows.push(row);
            continue;
        }
        for (k, e) in in_week.iter().enumerate() {
            let mut row = vec![if k == 0 { label.clone() } else { String::new() }];
            if let Some(start) = start {
                let date = date_after(start, e.day());
                row.push(format!("{}, {}", w.weekday(date), w.date(date)));
            }
            row.push(w.fill("event.day", &[("n", &e.day().to_string())]));
            row.push(kind_word(&w, e.kind).to_string());
            row.push(who(&w, model, e));
            rows.push(row);
        }
    }
    table(&mut s, &head, &rows);
    s.push('\n');

    // The materials: exam sheets and audit checklists, linked.
    let link = |prefix: &str, role: crate::model::RoleId| {
        let stem = stems.get(role.0).map_or("", String::as_str);
        format!("[{}]({prefix}-{}.md)", md(&model.role(role).title), stem)
    };
    let exams = examined(model);
    let audits = audited(model);
    if !exams.is_empty() || !audits.is_empty() {
        let _ = writeln!(s, "## {}\n", md(w.get("schedule.materials")));
        if !exams.is_empty() {
            let dates: Vec<String> = exams.iter().map(|r| link("exam", *r)).collect();
            let _ = writeln!(s, "- {}: {}", md(w.get("schedule.exams")), dates.join(", "));
        }
        if !audits.is_empty() {
            let links: Vec<String> = audits.iter().map(|r| link("audit", *r)).collect();
            let _ = writeln!(s, "- {}: {}", md(w.get("schedule.audits")), links.join(", "));
        }
        s.push('\n');
    }

    // Counts per kind, for the record.
    let count = |kind: EventKind| all.iter().filter(|e| e.kind == kind).count() as f64;
    let _ = writeln!(
        s,
        "*{}*",
        md(&w.fill(
            "schedule.totals",
            &[
                ("briefings", &w.count("count.briefing", count(EventKind::Briefing), 0)),
                ("exams", &w.count("count.exam", count(EventKind::Exam), 0)),
                ("audits", &w.count("count.audit", count(EventKind::Audit), 0)),
            ]
        ))
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Language;

    #[test]
    fn ranges_drop_what_repeats() {
        let w = Words::new(Language::En);
        let d = |year, month, day| Date { year, month, day };
        assert_eq!(date_range(&w, d(2027, 1, 11), d(2027, 1, 17)), "11–17 January 2027");
        assert_eq!(date_range(&w, d(2027, 1, 25), d(2027, 2, 1)), "25 January – 1 February 2027");
        assert_eq!(date_range(&w, d(2026, 12, 28), d(2027, 1, 3)), "28 December 2026 – 3 January 2027");
        assert_eq!(date_range(&w, d(2027, 4, 19), d(2027, 4, 19)), "19 April 2027");
        let ru = Words::new(Language::Ru);
        assert_eq!(date_range(&ru, d(2027, 1, 11), d(2027, 1, 17)), "11–17 января 2027");
    }
}
