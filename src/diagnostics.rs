//! Diagnostics: what one reported problem carries. The stable codes are
//! listed once, in the rule registry ([`crate::checks::registry`]).
//!
//! Passes build [`Diagnostic`]s with byte spans; rendering (miette, JSON,
//! lines and columns) happens at the edge, in [`crate::report`].

use crate::span::Span;
use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The codes, generated from the rule registry.
pub use crate::checks::registry::Code;

impl Code {
    /// Looks a code up by its code (`P205`, any case) or name (`cycle`).
    pub fn lookup(code_or_name: &str) -> Option<Code> {
        let wanted = code_or_name.trim();
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(wanted) || c.name().eq_ignore_ascii_case(wanted))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary place a diagnostic points at, with what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub label: String,
}

/// A repair a check offers with its diagnostic: replacements of spans,
/// which an editor applies as a quick fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What it does, in the diagnostic's language: "Replace by `offer`".
    pub title: String,
    /// Replacements that do not overlap; an empty span inserts.
    pub edits: Vec<(Span, String)>,
}

/// One problem found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// The primary place, in bytes of the (BOM-less) source.
    pub span: Span,
    /// A short label under the primary span.
    pub label: Option<String>,
    pub related: Vec<Related>,
    /// What to do about it.
    pub help: Option<String>,
    /// The repair, where a check knows one.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into(),
            span,
            label: None,
            related: Vec::new(),
            help: None,
            fix: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Attaches a repair, if there is one.
    pub fn with_fix(mut self, fix: Option<Fix>) -> Diagnostic {
        self.fix = fix;
        self
    }

    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.related.push(Related { span, label: label.into() });
        self
    }
}

/// Sorts diagnostics by position, then code, so output is stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code, &a.message).cmp(&(b.span.start, b.span.end, b.code, &b.message))
    });
}
