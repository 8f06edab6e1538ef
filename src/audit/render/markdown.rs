//! `--format md` and `audit/report.md`: the report a head of sales reads,
//! as GitHub-flavoured Markdown that needs nothing to render: the funnel
//! chart is a table with bars of Unicode blocks.

use super::content::{self, Audit, Bar, Section, Table};
use crate::audit::report::Report;
use crate::emit::markdown::md;
use crate::model::Model;
use std::fmt::Write;

/// The width of a bar, in characters.
const BAR: usize = 10;

/// A share as a bar of `BAR` characters: full blocks, one partial block
/// in eighths, then light shade up to 100%.
pub(crate) fn bar(value: Option<f64>) -> String {
    let Some(v) = value.filter(|v| v.is_finite()) else { return "░".repeat(BAR) };
    let eighths = (v.clamp(0.0, 1.0) * (BAR * 8) as f64).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    let part = eighths % 8;
    if part > 0 {
        s.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][part - 1]);
    }
    let used = eighths / 8 + usize::from(part > 0);
    s.push_str(&"░".repeat(BAR - used));
    s
}

/// The Markdown report.
pub fn markdown(report: &Report, model: &Model) -> String {
    render(&content::build(report, model, content::CASES_SHOWN))
}

pub(crate) fn table(s: &mut String, t: &Table) {
    let _ = writeln!(s, "| {} |", t.head.iter().map(|h| md(h)).collect::<Vec<_>>().join(" | "));
    let rule: Vec<&str> = t.numeric.iter().map(|&n| if n { "---:" } else { "---" }).collect();
    let _ = writeln!(s, "| {} |", rule.join(" | "));
    for row in &t.rows {
        let cells: Vec<String> = row
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let c = md(&one_line(c));
                if row.alert && i == 0 { format!("**{c}**") } else { c }
            })
            .collect();
        let _ = writeln!(s, "| {} |", cells.join(" | "));
    }
    s.push('\n');
}

/// Text on one line: a table cell cannot hold a line end.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r', '\t'], " ")
}

fn section(s: &mut String, sec: &Section) {
    let _ = writeln!(s, "## {}\n", md(&sec.heading));
    if sec.table.rows.is_empty() {
        let _ = writeln!(s, "{}\n", md(&sec.empty));
        return;
    }
    if let Some(intro) = &sec.intro {
        let _ = writeln!(s, "{}\n", md(intro));
    }
    table(s, &sec.table);
    if let Some(more) = &sec.more {
        let _ = writeln!(s, "{}\n", md(more));
    }
}

fn bars(s: &mut String, heading: &str, head: &[String], bars: &[Bar]) {
    if bars.is_empty() {
        return;
    }
    let _ = writeln!(s, "### {}\n", md(heading));
    let _ = writeln!(s, "| {} |", head.iter().map(|h| md(h)).collect::<Vec<_>>().join(" | "));
    let _ = writeln!(s, "| --- | --- | --- | ---: | ---: |");
    for b in bars {
        let label = md(&one_line(&b.label));
        let label = if b.outside { format!("**{label}** ⚠") } else { label };
        let _ = writeln!(
            s,
            "| {label} | `{}` {} | `{}` {} | {} | {} |",
            bar(b.planned),
            md(&b.planned_text),
            bar(b.observed),
            md(&b.observed_text),
            md(&b.interval_text),
            md(&b.base_text)
        );
    }
    s.push('\n');
}

pub(crate) fn render(a: &Audit) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", md(&a.title));
    let _ = writeln!(s, "{}\n", md(&a.log_line));
    for f in &a.headline {
        let value = if f.alert { format!("**{}**", md(&f.value)) } else { md(&f.value) };
        let _ = writeln!(s, "- {}: {value}", md(&f.label));
    }
    s.push('\n');
    let f = &a.funnel;
    let _ = writeln!(s, "## {}\n", md(&f.heading));
    let _ = writeln!(s, "{}\n", md(&f.intro));
    bars(&mut s, &f.transitions_heading, &f.transitions_head, &f.transitions);
    bars(&mut s, &f.win_heading, &f.win_head, &f.win);
    section(&mut s, &a.outside);
    section(&mut s, &a.stages);
    section(&mut s, &a.metrics);
    section(&mut s, &a.people);
    section(&mut s, &a.periods);
    let c = &a.cases;
    let _ = writeln!(s, "## {}\n", md(&c.heading));
    if c.cases.is_empty() {
        let _ = writeln!(s, "{}\n", md(&c.empty));
    } else {
        for case in &c.cases {
            let _ = writeln!(s, "- **{}** — {}", md(&one_line(&case.id)), md(&case.status));
            for d in &case.deviations {
                let _ = writeln!(s, "  - {}", md(&one_line(d)));
            }
        }
        s.push('\n');
        if let Some(more) = &c.more {
            let _ = writeln!(s, "{}\n", md(more));
        }
    }
    section(&mut s, &a.problems);
    let _ = writeln!(s, "---\n\n*{}*", md(&a.footer));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_have_a_fixed_width_and_eighths() {
        assert_eq!(bar(Some(0.0)), "░░░░░░░░░░");
        assert_eq!(bar(Some(1.0)), "██████████");
        assert_eq!(bar(Some(0.5)), "█████░░░░░");
        assert_eq!(bar(Some(0.875)), "████████▊░");
        assert_eq!(bar(Some(1.7)), "██████████");
        assert_eq!(bar(None), "░░░░░░░░░░");
        for v in 0..=100 {
            assert_eq!(bar(Some(f64::from(v) / 100.0)).chars().count(), BAR);
        }
    }
}
