//! Rendering diagnostics: miette's graphical report for people, and the
//! JSON records for tools. Pure functions that return strings.

use crate::diagnostics::{Diagnostic, Severity};
use crate::span::LineIndex;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use serde::Serialize;
use std::fmt;

/// One diagnostic with its source, as miette wants it.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a NamedSource<String>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Report<'_> {}

fn source_span(span: crate::span::Span, len: usize) -> SourceSpan {
    let start = span.start.min(len);
    let end = span.end.clamp(start, len);
    SourceSpan::new(start.into(), end - start)
}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!("{}({})", self.diagnostic.code.as_str(), self.diagnostic.code.name())))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let len = self.source.inner().len();
        let d = self.diagnostic;
        let primary = LabeledSpan::new_primary_with_span(d.label.clone(), source_span(d.span, len));
        let related =
            d.related.iter().map(move |r| LabeledSpan::new_with_span(Some(r.label.clone()), source_span(r.span, len)));
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

/// How the human report looks.
#[derive(Debug, Clone, Copy)]
pub struct HumanStyle {
    pub color: bool,
    pub width: usize,
}

/// Renders diagnostics of one file as miette's graphical report.
pub fn human(file: &str, text: &str, diagnostics: &[Diagnostic], style: HumanStyle) -> String {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false);
    let source = NamedSource::new(file, text.to_string()).with_language("proc");
    let mut out = String::new();
    for diagnostic in diagnostics.iter().take(MAX_SHOWN) {
        let report = Report { diagnostic, source: &source };
        // Writing to a String cannot fail.
        let _ = handler.render_report(&mut out, &report);
        out.push('\n');
    }
    if diagnostics.len() > MAX_SHOWN {
        out.push_str(&format!(
            "{file}: and {} more diagnostics not shown; `--format json` lists them all\n\n",
            diagnostics.len() - MAX_SHOWN
        ));
    }
    out
}

/// The most diagnostics of one file the human report shows.
pub const MAX_SHOWN: usize = 100;

/// One diagnostic as `check --format json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonDiagnostic {
    pub file: String,
    pub code: &'static str,
    pub name: &'static str,
    pub severity: &'static str,
    pub message: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, counted in characters.
    pub column: usize,
    pub end_line: usize,
    /// 1-based, counted in characters; the position just after the span.
    pub end_column: usize,
    pub help: Option<String>,
}

/// The JSON records of one file's diagnostics.
pub fn json(file: &str, text: &str, diagnostics: &[Diagnostic]) -> Vec<JsonDiagnostic> {
    let index = LineIndex::new(text);
    diagnostics
        .iter()
        .map(|d| {
            let start = index.line_col(text, d.span.start);
            let end = index.line_col(text, d.span.end);
            JsonDiagnostic {
                file: file.to_string(),
                code: d.code.as_str(),
                name: d.code.name(),
                severity: d.severity.as_str(),
                message: d.message.clone(),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                help: d.help.clone(),
            }
        })
        .collect()
}

/// Escapes a value for a GitHub workflow command's message.
fn github_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a value for a GitHub workflow command's property.
fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands, one line per diagnostic.
pub fn github(file: &str, text: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for j in json(file, text, diagnostics) {
        let level = if j.severity == "error" { "error" } else { "warning" };
        let mut message = j.message.clone();
        if let Some(help) = &j.help {
            message.push('\n');
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            github_property(&j.file),
            j.line,
            j.column,
            j.end_line,
            j.end_column,
            github_property(&format!("{} {}", j.code, j.name)),
            github_data(&message)
        ));
    }
    out
}
