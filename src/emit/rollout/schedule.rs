//! `rollout/schedule.md`: the rollout week by week, one row per event,
//! every week listed (a week without events says so).

use super::{kind_word, who};
use crate::emit::page::{self, Block, Link, Page};
use crate::emit::phrases::process_line;
use crate::emit::rich::Rich;
use crate::i18n::Words;
use crate::model::{Date, Model};
use crate::rollout::{Event, EventKind, audited, date_after, examined, last_day};

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

/// Where a moved event was due, in words: `moved from Sunday 7 March
/// (holiday)`; `None` for an event held on its day.
pub fn moved_note(w: &Words, rollout: &crate::model::Rollout, e: &Event) -> Option<String> {
    let from = e.moved_from? / crate::model::DAY;
    let start = rollout.start?;
    let date = date_after(start, from);
    let why = if crate::calendar::holidays(rollout).contains(&date) { "schedule.holiday" } else { "schedule.day_off" };
    let weekday = w.get("schedule.weekdays_from").split(' ').nth(weekday_index(date)).unwrap_or("");
    Some(w.fill("schedule.moved_from", &[("weekday", weekday), ("date", &day_month(w, date)), ("why", w.get(why))]))
}

/// A date without its year: `7 March`, `7 марта`.
pub fn day_month(w: &Words, d: Date) -> String {
    let full = w.date(d);
    full.rsplit_once(' ').map_or(full.clone(), |(head, _)| head.to_string())
}

fn weekday_index(d: Date) -> usize {
    use chrono::Datelike;
    chrono::NaiveDate::from_ymd_opt(d.year, d.month, d.day).map_or(0, |d| d.weekday().num_days_from_monday() as usize)
}

/// The schedule of the rollout's events `all` ([`crate::rollout::events`]);
/// `stems` name the exam and audit files it links to.
pub fn markdown(model: &Model, stems: &[String], all: &[Event]) -> String {
    page::markdown(&content(model, stems, all))
}

/// The schedule as the content of a page.
pub fn content(model: &Model, stems: &[String], all: &[Event]) -> Page {
    let w = Words::new(model.language);
    let title = w.fill("schedule.title", &[("process", &model.title)]);
    let mut page = Page { lang: model.language.code(), title, lead: process_line(&w, model), blocks: Vec::new() };
    let Some(r) = &model.rollout else { return page };
    let b = &mut page.blocks;
    let para = |text: String| Block::Para { text: Rich::plain(text) };
    let start = r.start;
    let last = last_day(model);
    let weeks = last / 7 + 1;
    let days = w.count("unit.day", f64::from(last), 0);
    let week_count = w.count("count.week", f64::from(weeks), 0);
    match start {
        Some(start) => {
            b.push(para(w.fill(
                "schedule.span",
                &[
                    ("from", &w.date(start)),
                    ("to", &w.date(date_after(start, last))),
                    ("days", &days),
                    ("weeks", &week_count),
                ],
            )));
            b.push(para(w.get("schedule.ics").to_string()));
            if r.weekdays {
                // The holidays that fall within the rollout.
                let end = date_after(start, last);
                let listed: Vec<Date> =
                    crate::calendar::holidays(r).into_iter().filter(|d| *d >= start && *d <= end).collect();
                let key = if listed.is_empty() { "schedule.working_days" } else { "schedule.working_days_holidays" };
                let dates: Vec<String> = listed.iter().map(|d| day_month(&w, *d)).collect();
                b.push(para(w.fill(key, &[("holidays", &w.list(&dates))])));
            }
        }
        None => {
            b.push(para(w.fill("schedule.span_relative", &[("days", &days), ("weeks", &week_count)])));
            b.push(para(w.get("schedule.no_start").to_string()));
            if r.weekdays {
                b.push(para(w.get("schedule.calendar_no_start").to_string()));
            }
        }
    }
    let mut head = vec![w.get("schedule.week").to_string()];
    if start.is_some() {
        head.push(w.get("event.date").to_string());
    }
    head.extend([w.get("event.day_col"), w.get("event.event"), w.get("event.who")].map(str::to_string));
    let plain = |t: String| Rich::plain(t);
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
            let mut row = vec![plain(label)];
            if start.is_some() {
                row.push(Rich::default());
            }
            row.extend([Rich::default(), plain(w.get("schedule.no_events").to_string()), Rich::default()]);
            rows.push(row);
            continue;
        }
        for (k, e) in in_week.iter().enumerate() {
            let mut row = vec![if k == 0 { plain(label.clone()) } else { Rich::default() }];
            if let Some(start) = start {
                let date = date_after(start, e.day());
                let mut cell = Rich::plain(format!("{}, {}", w.weekday(date), w.date(date)));
                if let Some(note) = moved_note(&w, r, e) {
                    cell.push_str("; ");
                    cell.push(Rich::em(note));
                }
                row.push(cell);
            }
            row.push(plain(w.fill("event.day", &[("n", &e.day().to_string())])));
            row.push(plain(kind_word(&w, e.kind).to_string()));
            row.push(plain(who(&w, model, e)));
            rows.push(row);
        }
    }
    let numeric = vec![false; head.len()];
    b.push(Block::Table { head, rows, numeric, form: false });

    // The materials: exam sheets and audit checklists, linked.
    let link = |prefix: &str, role: crate::model::RoleId| {
        let stem = stems.get(role.0).map_or("", String::as_str);
        Link { text: model.role(role).title.clone(), stem: format!("{prefix}-{stem}"), exact: false }
    };
    let exams = examined(model);
    let audits = audited(model);
    if !exams.is_empty() || !audits.is_empty() {
        b.push(Block::Heading { level: 2, text: w.get("schedule.materials").to_string() });
        if !exams.is_empty() {
            let links = exams.iter().map(|r| link("exam", *r)).collect();
            b.push(Block::Links { label: w.get("schedule.exams").to_string(), links });
            let links = exams.iter().map(|r| link("exam", *r)).map(|mut l| {
                l.stem.push_str("-key");
                l
            });
            b.push(Block::Links { label: w.get("schedule.keys").to_string(), links: links.collect() });
        }
        if !audits.is_empty() {
            let links = audits.iter().map(|r| link("audit", *r)).collect();
            b.push(Block::Links { label: w.get("schedule.audits").to_string(), links });
        }
    }

    // Counts per kind, for the record.
    let count = |kind: EventKind| all.iter().filter(|e| e.kind == kind).count() as f64;
    let moved = all.iter().filter(|e| e.moved_from.is_some()).count();
    let mut totals = w.fill(
        "schedule.totals",
        &[
            ("briefings", &w.count("count.briefing", count(EventKind::Briefing), 0)),
            ("exams", &w.count("count.exam", count(EventKind::Exam), 0)),
            ("audits", &w.count("count.audit", count(EventKind::Audit), 0)),
        ],
    );
    if moved > 0 {
        totals.push(' ');
        totals.push_str(&w.fill("schedule.moved_count", &[("n", &w.count("count.event", moved as f64, 0))]));
    }
    b.push(Block::Para { text: Rich::em(totals) });
    page
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
