//! The terminal report, worst first.

use crate::audit::report::Report;
use crate::emit::visible::visible;
use crate::model::Model;
use std::fmt::Write;

pub fn human(report: &Report, _model: &Model, _color: bool) -> String {
    let mut out = String::new();
    let s = &report.summary;
    let _ = writeln!(
        out,
        "{} cases, {} open; {} fit the process; log fitness {}",
        s.cases,
        s.open_cases,
        s.fitting_cases,
        s.log_fitness.map_or("-".to_string(), |f| format!("{:.1}%", f * 100.0))
    );
    for c in report.cases.iter().filter(|c| !c.deviations.is_empty()) {
        for d in &c.deviations {
            let _ = writeln!(out, "{}: {} at event {}", visible(&c.id), d.kind.name(), d.event);
        }
    }
    out
}
