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
