//! The audit report for people and tools: JSON (the shape of AUDIT.md §4),
//! a terminal report, and Markdown and HTML for a head of sales.

mod human;

pub use human::human;

use super::report::Report;
use crate::model::Model;

/// `--format json`: pretty JSON ending in a line end.
pub fn json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
    s.push('\n');
    s
}

/// `--format md`.
pub fn markdown(report: &Report, model: &Model) -> String {
    human(report, model, false)
}

/// `--format html`.
pub fn html(report: &Report, model: &Model) -> String {
    human(report, model, false)
}
