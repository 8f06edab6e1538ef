//! The audit report for people and tools: JSON (the shape of AUDIT.md §4),
//! a terminal report, and Markdown and HTML for a head of sales. The three
//! reports for people render one [`content::Audit`], built from the
//! [`Report`], so they cannot drift.

pub mod content;
mod html;
mod human;
mod markdown;

pub use html::html;
pub use human::human;
pub use markdown::markdown;

use super::report::Report;

/// A table of the report's content as Markdown.
pub fn markdown_table(table: &content::Table) -> String {
    let mut s = String::new();
    markdown::table(&mut s, table);
    s
}

/// `--format json`: pretty JSON ending in a line end.
pub fn json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
    s.push('\n');
    s
}

/// The same bytes as [`json`], written as they are made: a report of a
/// million cases is never held as text too.
pub fn write_json(report: &Report, mut out: impl std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, report)?;
    out.write_all(b"\n")?;
    out.flush()
}
