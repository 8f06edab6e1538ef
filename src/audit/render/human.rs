//! `--format human`: the terminal report, worst first, within 100
//! columns: the headline, the problems of the log, the transitions off
//! the plan, the stages over their limits, the metrics, the people with
//! the most deviations, the deals with deviations, and the weekly table.

use super::content::{self, Audit, Section, Table};
use crate::audit::report::Report;
use crate::emit::visible::visible;
use crate::model::Model;
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

/// The width the report keeps within.
pub const WIDTH: usize = 100;
/// The narrowest a text column is cut to.
const MIN_TEXT: usize = 12;

const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const RESET: &str = "\x1b[0m";

struct Paint {
    color: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.color { format!("{code}{text}{RESET}") } else { text.to_string() }
    }
}

/// Text from the log or the process as one clean terminal line: control
/// characters made visible, line ends and tabs as spaces.
fn clean(text: &str) -> String {
    visible(text).replace(['\n', '\r', '\t', '\u{2028}', '\u{2029}'], " ")
}

/// Cuts text to `width` columns, ending in `…` when cut.
fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.to_string().width();
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Some columns of a table, aligned, within [`WIDTH`]: the widest text
/// columns are cut until it fits.
fn table(out: &mut String, t: &Table, columns: &[usize], p: &Paint) {
    let cell = |row: &[String], i: usize| clean(row.get(i).map_or("", String::as_str));
    let mut widths: Vec<usize> = columns
        .iter()
        .map(|&i| {
            std::iter::once(cell(&t.head, i).width())
                .chain(t.rows.iter().map(|r| cell(&r.cells, i).width()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1) + 2;
    while total(&widths) > WIDTH {
        let widest = (0..columns.len())
            .filter(|&k| !t.numeric[columns[k]] && widths[k] > MIN_TEXT)
            .max_by_key(|&k| (widths[k], std::cmp::Reverse(k)));
        match widest {
            Some(k) => widths[k] -= 1,
            None => break,
        }
    }
    // The last column, when it holds text, wraps instead of being cut: it
    // is where the detail is (a did-you-mean, why a metric is missed).
    let last = columns.len().saturating_sub(1);
    let wraps = columns.last().is_some_and(|&i| !t.numeric[i]);
    let start = total(&widths[..last]) + if last > 0 { 2 } else { 0 };
    let line = |row: &[String]| -> String {
        let mut s = String::from("  ");
        let mut rest: Vec<String> = Vec::new();
        for (k, &i) in columns.iter().enumerate() {
            let c = if k == last && wraps {
                let wrapped = wrap_words(&cell(row, i), widths[k].max(MIN_TEXT));
                let mut lines = wrapped.lines().map(|l| fit(l, widths[k]));
                let first = lines.next().unwrap_or_default();
                rest = lines.collect();
                first
            } else {
                fit(&cell(row, i), widths[k])
            };
            let pad = " ".repeat(widths[k].saturating_sub(c.width()));
            if k > 0 {
                s.push_str("  ");
            }
            if t.numeric[i] {
                s.push_str(&pad);
                s.push_str(&c);
            } else {
                s.push_str(&c);
                s.push_str(&pad);
            }
        }
        let mut s = s.trim_end().to_string();
        for more in rest {
            s.push('\n');
            s.push_str(&" ".repeat(start));
            s.push_str(&more);
        }
        s
    };
    let _ = writeln!(out, "{}", p.wrap(BOLD, &line(&t.head)));
    let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
    let _ = writeln!(out, "  {}", rule.join("  "));
    for row in &t.rows {
        let text = line(&row.cells);
        let _ = writeln!(out, "{}", if row.alert { p.wrap(RED, &text) } else { text });
    }
}

fn heading(out: &mut String, text: &str, p: &Paint) {
    let _ = writeln!(out, "\n{}", p.wrap(BOLD, &clean(text)));
}

/// A section with the given columns; `skip_empty` leaves out a section
/// with nothing to show.
fn section(out: &mut String, s: &Section, columns: &[usize], p: &Paint, skip_empty: bool) {
    if skip_empty && s.table.rows.is_empty() {
        return;
    }
    heading(out, &s.heading, p);
    if s.table.rows.is_empty() {
        let _ = writeln!(out, "  {}", clean(&s.empty));
        return;
    }
    table(out, &s.table, columns, p);
}

fn all(t: &Table) -> Vec<usize> {
    (0..t.head.len()).collect()
}

/// The terminal report; `color` adds bold and red (the caller decides,
/// from the terminal and `NO_COLOR`).
pub fn human(report: &Report, model: &Model, color: bool) -> String {
    render(&content::build(report, model, content::CASES_SHOWN_TERMINAL), color)
}

fn render(a: &Audit, color: bool) -> String {
    let p = Paint { color };
    let mut out = String::new();
    let _ = writeln!(out, "{}", p.wrap(BOLD, &clean(&a.title)));
    let _ = writeln!(out, "{}", wrap_words(&clean(&a.log_line), WIDTH));
    let label_width = a.headline.iter().map(|f| f.label.width()).max().unwrap_or(0);
    out.push('\n');
    for f in &a.headline {
        let pad = " ".repeat(label_width - f.label.width());
        let indent = " ".repeat(label_width + 4);
        let value = wrap_words(&clean(&f.value), WIDTH.saturating_sub(label_width + 4).max(20))
            .replace('\n', &format!("\n{indent}"));
        let value = if f.alert { p.wrap(RED, &value) } else { value };
        let _ = writeln!(out, "  {}{pad}  {value}", clean(&f.label));
    }
    // Worst first: what could not be read, then where the history leaves
    // the plan.
    section(&mut out, &a.problems, &all(&a.problems.table), &p, true);
    section(&mut out, &a.outside, &all(&a.outside.table), &p, false);
    section(&mut out, &a.stages, &[0, 2, 3, 4, 5, 6, 7, 8], &p, false);
    section(&mut out, &a.metrics, &all(&a.metrics.table), &p, true);
    let people: Vec<usize> = [0, 2, 3, 4, 9, 10, 11].into_iter().filter(|&i| i < a.people.table.head.len()).collect();
    section(&mut out, &a.people, &people, &p, true);
    let c = &a.cases;
    heading(&mut out, &c.heading, &p);
    if c.cases.is_empty() {
        let _ = writeln!(out, "  {}", clean(&c.empty));
    }
    for case in &c.cases {
        let _ = writeln!(out, "  {}  {}", p.wrap(BOLD, &fit(&clean(&case.id), 40)), clean(&case.status));
        for d in &case.deviations {
            let _ = writeln!(out, "    {}", wrap_words(&clean(d), WIDTH - 6).replace('\n', "\n      "));
        }
    }
    if let Some(more) = &c.more {
        let _ = writeln!(out, "  {}", clean(more));
    }
    section(&mut out, &a.periods, &[0, 2, 3, 4, 9, 10, 11, 12], &p, false);
    out
}

/// Text broken into lines of at most `width` columns at spaces.
fn wrap_words(text: &str, width: usize) -> String {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.width() + 1 + word.width() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cut_and_cleaned() {
        assert_eq!(fit("a longer title", 8), "a longe…");
        assert_eq!(fit("short", 8), "short");
        assert_eq!(clean("a\nb\u{1b}[31m"), "a b␛[31m");
        assert_eq!(wrap_words("aa bb cc", 5), "aa bb\ncc");
    }

    #[test]
    fn the_last_column_wraps_under_itself_and_the_others_are_cut() {
        use crate::audit::render::content::{Row, Table};
        let detail = "word ".repeat(40);
        let t = Table {
            head: vec!["Name".into(), "N".into(), "Detail".into()],
            numeric: vec![false, true, false],
            rows: vec![Row { cells: vec!["x".repeat(80), "7".into(), detail.clone()], alert: false, tag: None }],
        };
        let mut out = String::new();
        table(&mut out, &t, &[0, 1, 2], &Paint { color: false });
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.iter().all(|l| l.width() <= WIDTH), "{out}");
        assert!(lines.len() > 4, "the detail wraps: {out}");
        // Every word of the detail is there, each continuation under the column.
        let column = |l: &str| l.find("word").map(|i| l[..i].width());
        assert!(lines[3..].iter().all(|l| column(l) == column(lines[2])), "{out}");
        assert_eq!(out.matches("word").count(), 40);
        assert!(lines[2].contains('…'), "the first column is cut: {out}");
    }
}
