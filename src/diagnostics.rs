//! Diagnostics: the stable codes, and what one reported problem carries.
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

macro_rules! codes {
    ($($variant:ident = $code:literal, $name:literal, $sev:ident, $summary:literal;)*) => {
        /// Every diagnostic code. Codes never change meaning once released.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// All codes, in code order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable code, e.g. `P205`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The stable name, e.g. `cycle`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The severity unless a configuration changes it.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// One line: when the diagnostic is reported.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }
        }
    };
}

codes! {
    P001 = "P001", "syntax-error", Error, "The text does not follow the language's grammar.";
    P002 = "P002", "invalid-literal", Error, "A bad escape, a percentage over 100%, a zero or negative duration, an unknown unit or currency, an impossible date, or a rollout over ten years.";
    P003 = "P003", "invalid-encoding", Error, "The file is not UTF-8.";
    P004 = "P004", "one-process-per-file", Error, "The file holds no `process` nor `library`, more than one, or both.";
    P005 = "P005", "import-failed", Error, "A `use` that cannot be followed: absent, unreadable, absolute, outside the root, or not a library.";
    P006 = "P006", "import-cycle", Error, "A chain of `use` that returns to a file already on it.";
    P101 = "P101", "duplicate-definition", Error, "Two declarations of one kind share a name.";
    P102 = "P102", "unknown-name", Error, "A name resolves to nothing of the kind expected.";
    P103 = "P103", "unused-declaration", Warning, "A segment or product that no instruction's `for` names.";
    P104 = "P104", "duplicate-property", Error, "A property given twice where once is allowed.";
    P201 = "P201", "no-entry", Error, "No stage has `entry`.";
    P202 = "P202", "no-won-outcome", Error, "No stage has `outcome won`.";
    P203 = "P203", "unreachable-stage", Error, "No path from any entry reaches the stage.";
    P204 = "P204", "dead-end-stage", Error, "A stage that is not an outcome has no transitions.";
    P205 = "P205", "cycle", Error, "A cycle of transitions none of which is marked `loop`.";
    P206 = "P206", "trapped-stage", Error, "No outcome is reachable from the stage.";
    P207 = "P207", "outcome-has-transitions", Error, "An outcome stage has something besides `description` and `instruct`.";
    P208 = "P208", "needless-loop", Warning, "A `loop` transition that closes no cycle.";
    P209 = "P209", "duplicate-transition", Error, "Two transitions of one stage go to the same stage.";
    P301 = "P301", "probabilities-exceed", Error, "A stage's percentages add up to more than 100%.";
    P302 = "P302", "probabilities-incomplete", Error, "A stage's percentages add up to less than 100% and no transition takes the remainder.";
    P303 = "P303", "ambiguous-remainder", Error, "More than one transition of a stage omits its percentage.";
    P304 = "P304", "entry-shares", Error, "Entry (or segment) shares are given for some but not all, or do not add up to 100%.";
    P401 = "P401", "missing-owner", Error, "A stage that is not an outcome has no `owner`.";
    P402 = "P402", "no-instructions", Warning, "A stage that is not an outcome has no `instruct` block.";
    P403 = "P403", "idle-role", Warning, "A role owns no stage and has no instructions.";
    P404 = "P404", "reports-to-cycle", Error, "`reports to` forms a cycle.";
    P501 = "P501", "unit-mismatch", Error, "A metric's target has a unit that does not fit its measure.";
    P502 = "P502", "metric-incomplete", Error, "A metric has no measure, or more than one.";
    P503 = "P503", "target-unreachable", Warning, "The funnel model's value of a metric misses its target.";
    P504 = "P504", "over-capacity", Warning, "The plan needs more of a role's time than it has.";
    P505 = "P505", "plan-incomplete", Warning, "The plan's numbers cannot be computed.";
    P506 = "P506", "time-limit-exceeded", Warning, "A deadline or time target is tighter than the stage's own time limit allows.";
    P507 = "P507", "takes-over-limit", Warning, "A stage's `takes` is longer than its `within`: the typical client breaks the limit.";
    P601 = "P601", "rollout-out-of-range", Error, "A briefing, exam or audit falls after the rollout's last day, or the rollout runs past the dates a calendar holds.";
}

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
