//! The checks: one file per rule, each under its stable code.
//!
//! Every rule file starts with its documentation (what it does, why it
//! matters, a wrong and a right example); `procdef explain` and
//! `docs/diagnostics.md` are made from that text, and the examples are
//! tested. The rules for P001–P004 run while reading the file (see
//! [`crate::syntax`]); their files hold only the documentation.
//!
//! Checks run in passes so that one mistake yields one diagnostic; the
//! suppressions are those of the language's diagnostics contract and are
//! written next to the pass that applies them, in [`run`].

use crate::ast;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::funnel::Analysis;
use crate::model::Model;
use crate::model::graph::StageGraph;

mod p001_syntax_error;
mod p002_invalid_literal;
mod p003_invalid_encoding;
mod p004_one_process_per_file;
mod p005_import_failed;
mod p006_import_cycle;
mod p101_duplicate_definition;
mod p102_unknown_name;
mod p103_unused_declaration;
mod p104_duplicate_property;
mod p201_no_entry;
mod p202_no_won_outcome;
mod p203_unreachable_stage;
mod p204_dead_end_stage;
mod p205_cycle;
mod p206_trapped_stage;
mod p207_outcome_has_transitions;
mod p208_needless_loop;
mod p209_duplicate_transition;
mod p301_probabilities_exceed;
mod p302_probabilities_incomplete;
mod p303_ambiguous_remainder;
mod p304_entry_shares;
mod p401_missing_owner;
mod p402_no_instructions;
mod p403_idle_role;
mod p404_reports_to_cycle;
mod p501_unit_mismatch;
mod p502_metric_incomplete;
mod p503_target_unreachable;
mod p504_over_capacity;
mod p505_plan_incomplete;
mod p506_time_limit_exceeded;
mod p507_takes_over_limit;
mod p601_rollout_out_of_range;

/// What every rule sees.
pub struct Context<'a> {
    /// The source text the spans refer to.
    pub text: &'a str,
    pub source: &'a ast::Process,
    pub model: &'a Model,
    pub graph: &'a StageGraph,
    diagnostics: Vec<Diagnostic>,
}

impl Context<'_> {
    /// The source text of a span.
    pub fn source_text(&self, span: crate::span::Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn has_error(&self, codes: &[Code]) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error && codes.contains(&d.code))
    }
}

/// The result of checking a model.
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    /// The funnel model, when the graph is sound enough to compute it.
    pub analysis: Option<Analysis>,
}

/// Runs every check over a parsed process and its model.
pub fn run(text: &str, source: &ast::Process, model: &Model, graph: &StageGraph) -> Checked {
    let mut cx = Context { text, source, model, graph, diagnostics: Vec::new() };

    // Declarations, names and properties.
    p101_duplicate_definition::check(&mut cx);
    p102_unknown_name::check(&mut cx);
    p103_unused_declaration::check(&mut cx);
    p104_duplicate_property::check(&mut cx);

    // The stage graph.
    p201_no_entry::check(&mut cx);
    p202_no_won_outcome::check(&mut cx);
    p207_outcome_has_transitions::check(&mut cx);
    p209_duplicate_transition::check(&mut cx);
    // A misspelt target is one P102, not also an unreachable stage.
    let targets_resolve = model.targets_resolve();
    if targets_resolve {
        p203_unreachable_stage::check(&mut cx);
        p204_dead_end_stage::check(&mut cx);
        p205_cycle::check(&mut cx);
        p206_trapped_stage::check(&mut cx);
        p208_needless_loop::check(&mut cx);
    }

    // Percentages.
    p301_probabilities_exceed::check(&mut cx);
    p302_probabilities_incomplete::check(&mut cx);
    p303_ambiguous_remainder::check(&mut cx);
    p304_entry_shares::check(&mut cx);

    // Roles.
    p401_missing_owner::check(&mut cx);
    p402_no_instructions::check(&mut cx);
    p403_idle_role::check(&mut cx);
    p404_reports_to_cycle::check(&mut cx);

    // Metrics, time limits, rollout.
    p501_unit_mismatch::check(&mut cx);
    p502_metric_incomplete::check(&mut cx);
    p506_time_limit_exceeded::check(&mut cx);
    p507_takes_over_limit::check(&mut cx);
    p601_rollout_out_of_range::check(&mut cx);

    // The funnel model needs a sound graph.
    use Code::*;
    let sound =
        targets_resolve && !cx.has_error(&[P201, P202, P203, P204, P205, P206, P207, P209, P301, P302, P303, P304]);
    let analysis = sound.then(|| crate::funnel::analyse(model, graph));
    if let Some(analysis) = &analysis {
        p503_target_unreachable::check(&mut cx, analysis);
        p504_over_capacity::check(&mut cx, analysis);
        p505_plan_incomplete::check(&mut cx, analysis);
    }

    let mut diagnostics = cx.diagnostics;
    crate::diagnostics::sort(&mut diagnostics);
    Checked { diagnostics, analysis }
}

/// The checks of a library on its own (LANGUAGE.md §5.1): its names (a
/// `reports to` must resolve among it and the libraries it uses), P101,
/// P104 and P404. A library has no stages, so nothing else applies.
pub fn run_library(text: &str, source: &ast::Process, model: &Model, graph: &StageGraph) -> Vec<Diagnostic> {
    let mut cx = Context { text, source, model, graph, diagnostics: Vec::new() };
    p101_duplicate_definition::check(&mut cx);
    p102_unknown_name::check(&mut cx);
    p104_duplicate_property::check(&mut cx);
    p404_reports_to_cycle::check(&mut cx);
    let mut diagnostics = cx.diagnostics;
    crate::diagnostics::sort(&mut diagnostics);
    diagnostics
}

/// The documentation of a rule, as written at the top of its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDoc {
    pub code: Code,
    /// The Markdown text of the rule's `//!` comment.
    pub text: String,
}

impl RuleDoc {
    /// The `proc` code blocks of the documentation: the wrong example, then
    /// the right one.
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

macro_rules! docs {
    ($($code:ident => $module:ident,)*) => {
        fn source_of(code: Code) -> &'static str {
            match code {
                $(Code::$code => include_str!(concat!(stringify!($module), ".rs")),)*
            }
        }
    };
}

docs! {
    P001 => p001_syntax_error,
    P002 => p002_invalid_literal,
    P003 => p003_invalid_encoding,
    P004 => p004_one_process_per_file,
    P005 => p005_import_failed,
    P006 => p006_import_cycle,
    P101 => p101_duplicate_definition,
    P102 => p102_unknown_name,
    P103 => p103_unused_declaration,
    P104 => p104_duplicate_property,
    P201 => p201_no_entry,
    P202 => p202_no_won_outcome,
    P203 => p203_unreachable_stage,
    P204 => p204_dead_end_stage,
    P205 => p205_cycle,
    P206 => p206_trapped_stage,
    P207 => p207_outcome_has_transitions,
    P208 => p208_needless_loop,
    P209 => p209_duplicate_transition,
    P301 => p301_probabilities_exceed,
    P302 => p302_probabilities_incomplete,
    P303 => p303_ambiguous_remainder,
    P304 => p304_entry_shares,
    P401 => p401_missing_owner,
    P402 => p402_no_instructions,
    P403 => p403_idle_role,
    P404 => p404_reports_to_cycle,
    P501 => p501_unit_mismatch,
    P502 => p502_metric_incomplete,
    P503 => p503_target_unreachable,
    P504 => p504_over_capacity,
    P505 => p505_plan_incomplete,
    P506 => p506_time_limit_exceeded,
    P507 => p507_takes_over_limit,
    P601 => p601_rollout_out_of_range,
}

/// The documentation of a rule.
pub fn doc(code: Code) -> RuleDoc {
    RuleDoc { code, text: doc_text(code).to_string() }
}

/// The Markdown text of a rule's `//!` comment. Each is cut out of its
/// rule file once and kept: every SARIF log carries all of them.
pub fn doc_text(code: Code) -> &'static str {
    static TEXTS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let texts = TEXTS.get_or_init(|| Code::ALL.iter().map(|c| module_doc(source_of(*c))).collect());
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

/// Suggests the declared name closest to `wanted`, if any is close enough
/// to be a likely typo.
pub fn closest<'n>(wanted: &str, names: impl IntoIterator<Item = &'n str>) -> Option<&'n str> {
    let wanted_len = wanted.chars().count();
    let limit = (wanted_len / 3).max(1);
    names
        .into_iter()
        .filter(|n| *n != wanted)
        // The distance is at least the difference in length.
        .filter(|n| n.chars().count().abs_diff(wanted_len) <= limit)
        .map(|n| (strsim::damerau_levenshtein(wanted, n), n))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// Suggestions for many misspelt names against many declared ones.
///
/// Comparing each unknown name with each declared name is quadratic: a file
/// with 20,000 misspelt names among 20,000 stages took minutes. So the
/// edit distances computed per check are bounded by a budget (enough for a
/// couple of hundred unknown names in a process of 10,000 stages); past it,
/// only a declared name that differs in letter case, `_` or `-` is
/// suggested, which is a hash lookup. Up to the budget the suggestions are
/// exactly [`closest`]'s.
pub struct Suggestions<'n> {
    names: Vec<&'n str>,
    /// Declared names by [`shape`], the first of each shape; built when the
    /// budget runs out.
    shapes: Option<foldhash::HashMap<String, &'n str>>,
}

/// Edit distances one check run may compute for suggestions.
pub const SUGGESTION_BUDGET: usize = 2_000_000;

/// A name without letter case, `_` and `-`.
fn shape(name: &str) -> String {
    name.chars().filter(|c| !matches!(c, '_' | '-')).flat_map(char::to_lowercase).collect()
}

impl<'n> Suggestions<'n> {
    pub fn new(names: Vec<&'n str>) -> Suggestions<'n> {
        Suggestions { names, shapes: None }
    }

    /// The declared names, in declaration order.
    pub fn names(&self) -> &[&'n str] {
        &self.names
    }

    /// The declared name to suggest for `wanted`; `budget` is what is left of
    /// [`SUGGESTION_BUDGET`], shared by every list of one check run.
    pub fn closest(&mut self, wanted: &str, budget: &mut usize) -> Option<&'n str> {
        if *budget >= self.names.len() {
            *budget -= self.names.len();
            return closest(wanted, self.names.iter().copied());
        }
        let names = &self.names;
        let shapes = self.shapes.get_or_insert_with(|| {
            let mut shapes = foldhash::HashMap::default();
            for &n in names {
                shapes.entry(shape(n)).or_insert(n);
            }
            shapes
        });
        shapes.get(&shape(wanted)).copied().filter(|n| *n != wanted)
    }
}

/// Formats a fraction as a percentage for messages: `0.205` → `20.5%`.
pub fn percent(fraction: f64) -> String {
    let p = fraction * 100.0;
    let s = format!("{p:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s);
    format!("{s}%")
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
         Errors fail `procdef check` (exit 1); warnings do not, unless `--deny warnings`.\n\n\
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
            doc(*code).text.trim_end()
        ));
    }
    s
}
