//! The rule registry: every rule, once.
//!
//! [`rules!`] holds the one list of rules: code, name, default severity,
//! the pass it runs in, its file under `src/checks/`, and its summary. From
//! that list come the [`Code`] enum and its tables, the `mod` declarations
//! of the rule files (in `checks/mod.rs`), the calls of each pass
//! ([`run_pass`]), the rule documentation ([`Code::doc`], `procdef explain`)
//! and the reference page ([`reference_markdown`], `docs/diagnostics.md`).
//!
//! Adding a rule is one line here and one file `src/checks/pNNN_name.rs`
//! that starts with its documentation and, unless the rule is found while
//! reading the files (pass `Reading`), has `pub(super) fn check(cx: &mut
//! Context)`.

use super::Context;
use crate::diagnostics::Severity;

/// Calls `$callback!` with the list of every rule, in code order:
/// `CODE "name" Severity Pass module "summary";`.
macro_rules! rules {
    ($callback:ident) => {
        $callback! {
            P001 "syntax-error" Error Reading p001_syntax_error "The text does not follow the language's grammar.";
            P002 "invalid-literal" Error Reading p002_invalid_literal "A bad escape, a percentage over 100%, a zero or negative duration, an unknown unit or currency, an impossible date, or a rollout over ten years.";
            P003 "invalid-encoding" Error Reading p003_invalid_encoding "The file is not UTF-8.";
            P004 "one-process-per-file" Error Reading p004_one_process_per_file "The file holds no `process` nor `library`, more than one, or both.";
            P005 "import-failed" Error Reading p005_import_failed "A `use` that cannot be read: absent, unreadable, absolute, outside the root, or not a library.";
            P006 "import-cycle" Error Reading p006_import_cycle "A chain of `use` that returns to a file already on it.";
            P101 "duplicate-definition" Error Model p101_duplicate_definition "Two declarations of one kind share a name.";
            P102 "unknown-name" Error Model p102_unknown_name "A name resolves to nothing of the kind expected.";
            P103 "unused-declaration" Warning Model p103_unused_declaration "A segment or product that no instruction's `for` names.";
            P104 "duplicate-property" Error Model p104_duplicate_property "A property given twice where once is allowed.";
            P201 "no-entry" Error Model p201_no_entry "No stage has `entry`.";
            P202 "no-won-outcome" Error Model p202_no_won_outcome "No stage has `outcome won`, and none is a `sale` stage.";
            P203 "unreachable-stage" Error Graph p203_unreachable_stage "No path from any entry reaches the stage.";
            P204 "dead-end-stage" Error Graph p204_dead_end_stage "A stage that is not an outcome has no transitions.";
            P205 "cycle" Error Graph p205_cycle "A cycle of transitions none of which is marked `loop`.";
            P206 "trapped-stage" Error Graph p206_trapped_stage "No outcome is reachable from the stage.";
            P207 "outcome-has-transitions" Error Model p207_outcome_has_transitions "An outcome stage has something besides `description` and `instruct`.";
            P208 "needless-loop" Warning Graph p208_needless_loop "A `loop` transition that closes no cycle.";
            P209 "duplicate-transition" Error Model p209_duplicate_transition "Two transitions of one stage go to the same stage.";
            P301 "probabilities-exceed" Error Model p301_probabilities_exceed "A stage's percentages add up to more than 100%.";
            P302 "probabilities-incomplete" Error Model p302_probabilities_incomplete "A stage's percentages add up to less than 100% and no transition takes the remainder.";
            P303 "ambiguous-remainder" Error Model p303_ambiguous_remainder "More than one transition of a stage omits its percentage.";
            P304 "entry-shares" Error Model p304_entry_shares "Entry (or segment) shares are given for some but not all, or do not add up to 100%.";
            P401 "missing-owner" Error Model p401_missing_owner "A stage that is not an outcome has no `owner`.";
            P402 "no-instructions" Warning Model p402_no_instructions "A stage that is not an outcome has no `instruct` block.";
            P403 "idle-role" Warning Model p403_idle_role "A role owns no stage and has no instructions.";
            P404 "reports-to-cycle" Error Model p404_reports_to_cycle "`reports to` forms a cycle.";
            P501 "unit-mismatch" Error Model p501_unit_mismatch "A metric's target has a unit that does not fit its measure.";
            P502 "metric-incomplete" Error Model p502_metric_incomplete "A metric has no measure, or more than one.";
            P503 "target-unreachable" Warning Funnel p503_target_unreachable "The funnel model's value of a metric misses its target.";
            P504 "over-capacity" Warning Funnel p504_over_capacity "The plan needs more of a role's time than it has.";
            P505 "plan-incomplete" Warning Funnel p505_plan_incomplete "The plan's numbers cannot be computed.";
            P506 "time-limit-exceeded" Warning Model p506_time_limit_exceeded "A deadline or time target is tighter than the stage's own time limit allows.";
            P507 "takes-over-limit" Warning Model p507_takes_over_limit "A stage's `takes` is longer than its `within`: the typical client breaks the limit.";
            P508 "tight-capacity" Warning Funnel p508_tight_capacity "A role's utilization is within 10 points below the plan's `utilization` limit: no room for a sick day.";
            P601 "rollout-out-of-range" Error Model p601_rollout_out_of_range "A briefing, exam or audit falls after the rollout's last day, or the rollout runs past the dates a calendar holds.";
        }
    };
}
pub(super) use rules;

/// When a rule runs. The order of the passes, and what each waits for, is
/// the diagnostics contract's suppressions, written out in
/// [`super::run`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Found while reading the files (P001–P006): no check runs for it.
    Reading,
    /// Runs on every model.
    Model,
    /// Runs only when every transition's target resolves.
    Graph,
    /// Runs only on a sound graph, with the funnel model
    /// ([`Context::analysis`]).
    Funnel,
}

/// One rule's call in [`run_pass`]; rules found while reading have none.
macro_rules! call {
    (Reading, $module:ident, $pass:ident, $cx:ident) => {};
    ($rule_pass:ident, $module:ident, $pass:ident, $cx:ident) => {
        if $pass == Pass::$rule_pass {
            super::$module::check($cx);
        }
    };
}

macro_rules! define {
    ($($code:ident $name:literal $sev:ident $pass:ident $module:ident $summary:literal;)*) => {
        /// Every diagnostic code. Codes never change meaning once released.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($code,)*
        }

        impl Code {
            /// All codes, in code order.
            pub const ALL: &'static [Code] = &[$(Code::$code,)*];

            /// The stable code, e.g. `P205`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$code => stringify!($code),)* }
            }

            /// The stable name, e.g. `cycle`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$code => $name,)* }
            }

            /// The severity unless a configuration changes it.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$code => Severity::$sev,)* }
            }

            /// One line: when the diagnostic is reported.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$code => $summary,)* }
            }

            /// The pass the rule runs in.
            pub fn pass(self) -> Pass {
                match self { $(Code::$code => Pass::$pass,)* }
            }

            /// The source of the rule's file, whose leading `//!` comment
            /// is its documentation.
            fn source(self) -> &'static str {
                match self { $(Code::$code => include_str!(concat!(stringify!($module), ".rs")),)* }
            }
        }

        /// Runs every rule of `pass`, in code order.
        pub(super) fn run_pass(pass: Pass, cx: &mut Context) {
            $(call!($pass, $module, pass, cx);)*
        }
    };
}

rules!(define);

/// The documentation of a rule, as written at the top of its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDoc {
    pub code: Code,
    /// The Markdown text of the rule's `//!` comment.
    pub text: &'static str,
}

impl RuleDoc {
    /// The `proc` code blocks of the documentation: the wrong example, then
    /// the right one (for a rule about several files, each example's files
    /// in turn).
    pub fn examples(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut current: Option<String> = None;
        for line in self.text.lines() {
            match (&mut current, line.trim_end()) {
                (None, "```proc") => current = Some(String::new()),
                (Some(_), "```") => out.extend(current.take()),
                (Some(block), l) => {
                    block.push_str(l);
                    block.push('\n');
                }
                (None, _) => {}
            }
        }
        out
    }
}

impl Code {
    /// The rule's documentation (what `procdef explain` prints).
    pub fn doc(self) -> RuleDoc {
        RuleDoc { code: self, text: doc_text(self) }
    }
}

/// The Markdown text of a rule's `//!` comment. Each is cut out of its
/// rule file once and kept: every SARIF log carries all of them.
fn doc_text(code: Code) -> &'static str {
    static TEXTS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let texts = TEXTS.get_or_init(|| Code::ALL.iter().map(|c| module_doc(c.source())).collect());
    // `Code::ALL` lists the codes in declaration order, so a code's
    // discriminant is its index there.
    texts.get(code as usize).map_or("", String::as_str)
}

/// The leading `//!` lines of a source file, without their markers.
fn module_doc(source: &str) -> String {
    source
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| l.strip_prefix("//! ").or_else(|| l.strip_prefix("//!")).unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The reference of every diagnostic as one Markdown document
/// (`docs/diagnostics.md` is this text; a test keeps them equal).
pub fn reference_markdown() -> String {
    let mut s = String::from(
        "# Diagnostics\n\n\
         <!-- Generated from the rule files in src/checks/ by `cargo test --test docs`\n\
         (set PROCDEF_BLESS=1 to rewrite it). Do not edit by hand. -->\n\n\
         Every problem procdef reports has a stable **code** and **name**. Codes never\n\
         change meaning. `procdef explain CODE` prints the same text as this page.\n\
         Errors fail `procdef check` (exit 1); warnings do not, unless `--deny warnings`.\n\
         Messages are in English, or in Russian for a file with the `# language: ru`\n\
         header and under `--lang ru`; codes and names are the same in both.\n\n\
         | code | name | severity | when |\n| --- | --- | --- | --- |\n",
    );
    for code in Code::ALL {
        s.push_str(&format!(
            "| [{}](#{}) | `{}` | {} | {} |\n",
            code.as_str(),
            code.as_str().to_lowercase(),
            code.name(),
            code.default_severity().as_str(),
            code.summary().replace('|', "\\|")
        ));
    }
    for code in Code::ALL {
        s.push_str(&format!(
            "\n## {}\n\n`{}`, {} by default.\n\n{}\n",
            code.as_str(),
            code.name(),
            code.default_severity().as_str(),
            code.doc().text.trim_end()
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_outside_the_reading_pass_is_called_by_its_pass() {
        // A rule's file name starts with its code, and only rules found
        // while reading run in no pass.
        for code in Code::ALL {
            let reading = code.as_str() <= "P006";
            assert_eq!(code.pass() == Pass::Reading, reading, "{code}");
            let has_check = code.source().contains("pub(super) fn check(cx: &mut Context)");
            assert_eq!(has_check, !reading, "{code}: a check function only outside the reading pass");
        }
    }
}
