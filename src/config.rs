//! Rule levels: a project's `procdef.toml`, and `# allow(rule)` comments on
//! the line before a declaration. Pure functions over text; the CLI finds
//! and reads the files.
//!
//! ```toml
//! # procdef.toml
//! [rules]
//! needless-loop = "allow"     # by name…
//! P403 = "error"              # …or by code
//! ```

use crate::ast;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::lang::Lang;
use crate::span::Span;
use crate::syntax::lexer::{Trivia, trivia};
use std::collections::BTreeMap;

/// What a rule is set to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Allow,
}

/// Rule levels from a configuration file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleConfig {
    levels: BTreeMap<Code, Level>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    rules: BTreeMap<toml::Spanned<String>, toml::Spanned<String>>,
}

/// Why a configuration file was rejected, and where: shown as
/// `3:5: unknown rule …`, after the file's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {problem}")]
pub struct ConfigError {
    pub problem: Problem,
    /// From 1.
    pub line: usize,
    /// From 1, in characters.
    pub column: usize,
}

/// What is wrong with a configuration file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("not valid TOML: {0}")]
    Toml(String),
    #[error("unknown rule `{name}`{}", suggestion(.near))]
    UnknownRule { name: String, near: Option<String> },
    #[error("`{name}` is set to `{value}`; a rule is set to \"error\", \"warning\" or \"allow\"")]
    UnknownLevel { name: String, value: String },
}

impl ConfigError {
    /// The problem at byte `at` of `text`.
    fn at(text: &str, at: usize, problem: Problem) -> ConfigError {
        let before = text.get(..at.min(text.len())).unwrap_or(text);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        ConfigError {
            problem,
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

fn suggestion(near: &Option<String>) -> String {
    near.as_ref().map_or_else(String::new, |n| format!(" (did you mean `{n}`?)"))
}

fn rule_names() -> impl Iterator<Item = &'static str> {
    Code::ALL.iter().map(|c| c.name())
}

impl RuleConfig {
    /// Parses the text of a `procdef.toml`.
    ///
    /// The first problem is reported, with its line and column: of a TOML
    /// error where the `toml` crate places it (the start of the file when
    /// it gives no place), of an unknown rule at its name, of an unknown
    /// level at the level. Rules are read in the order they are written.
    pub fn from_toml(text: &str) -> Result<RuleConfig, ConfigError> {
        let file: File = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            ConfigError::at(text, at, Problem::Toml(e.message().trim_end().to_string()))
        })?;
        let mut rules: Vec<_> = file.rules.into_iter().collect();
        rules.sort_by_key(|(name, _)| name.span().start);
        let mut levels = BTreeMap::new();
        for (name, value) in rules {
            let code = Code::lookup(name.get_ref()).ok_or_else(|| {
                let problem = Problem::UnknownRule {
                    near: crate::suggest::closest(name.get_ref(), rule_names()).map(str::to_string),
                    name: name.get_ref().clone(),
                };
                ConfigError::at(text, name.span().start, problem)
            })?;
            let level = match value.get_ref().as_str() {
                "error" => Level::Error,
                "warning" => Level::Warning,
                "allow" => Level::Allow,
                _ => {
                    let problem =
                        Problem::UnknownLevel { name: name.get_ref().clone(), value: value.get_ref().clone() };
                    return Err(ConfigError::at(text, value.span().start, problem));
                }
            };
            levels.insert(code, level);
        }
        Ok(RuleConfig { levels })
    }

    /// The level of a rule, when the configuration sets it.
    pub fn level(&self, code: Code) -> Option<Level> {
        self.levels.get(&code).copied()
    }

    /// Applies the levels: changes severities and drops allowed rules.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter_map(|mut d| {
                match self.level(d.code) {
                    Some(Level::Allow) => return None,
                    Some(Level::Error) => d.severity = Severity::Error,
                    Some(Level::Warning) => d.severity = Severity::Warning,
                    None => {}
                }
                Some(d)
            })
            .collect()
    }
}

/// One `# allow(…)` comment and the declaration it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allow {
    pub rules: Vec<Code>,
    pub declaration: Span,
}

/// Finds the `# allow(rule, …)` comments on the lines directly above each
/// declaration (the process itself, segments, products, roles, stages,
/// metrics). Unknown rule names are reported as P102.
pub fn inline_allows(text: &str, process: &ast::Process, lang: Lang) -> (Vec<Allow>, Vec<Diagnostic>) {
    let mut allows = Vec::new();
    let mut unknown = Vec::new();
    for (declaration, comments) in comments_above_declarations(text, process) {
        let mut rules = Vec::new();
        for comment in comments {
            parse_allow(&text[comment.start..comment.end], comment.start, lang, &mut rules, &mut unknown);
        }
        if !rules.is_empty() {
            allows.push(Allow { rules, declaration });
        }
    }
    (allows, unknown)
}

/// The `# allow(…)` comments of each declaration, in declaration order, as
/// written (without trailing blanks): the formatter checks that its layout
/// gives every declaration the same ones.
pub(crate) fn allow_comments<'t>(text: &'t str, process: &ast::Process) -> Vec<Vec<&'t str>> {
    comments_above_declarations(text, process)
        .into_iter()
        .map(|(_, comments)| {
            comments
                .into_iter()
                .map(|c| text[c.start..c.end].trim_end_matches([' ', '\t']))
                .filter(|c| c.trim_start_matches('#').trim_start().starts_with("allow("))
                .collect()
        })
        .collect()
}

/// Every declaration with the whole-line comments right above it, in file
/// order, found as the parser reads the file: only in
/// the gap between the declaration and the token before it, with the
/// parser's own blanks, line breaks and comments
/// ([`crate::syntax::lexer`]). So a `#` inside a text block is
/// never taken for a comment, a lone `\r` ends a line as it does for the
/// parser, and a comment before a block's `{` belongs to no declaration.
fn comments_above_declarations(text: &str, process: &ast::Process) -> Vec<(Span, Vec<Span>)> {
    use ast::ProcessItem as I;
    let mut out = Vec::new();
    let whole = Span::new(process.keyword.start, text.len());
    out.push((whole, comments_in_gap(text, 0, process.keyword.start)));
    // The end of the last token read; only braces and trivia lie between it
    // and the next item.
    let mut known = process.title.as_ref().map_or(process.name.span.end, |t| t.span.end);
    for item in &process.items {
        let (declaration, end) = match item {
            I::Segment(s) => (Some(s.span), s.span.end),
            I::Product(p) => (Some(p.span), p.span.end),
            I::Role(r) => (Some(r.span), r.span.end),
            I::Stage(s) => (Some(s.span), s.span.end),
            I::Metric(m) => (Some(m.span), m.span.end),
            I::Language(l) => (None, l.span.end),
            I::Version(t) | I::Description(t) => (None, t.span.end),
            I::Plan(p) => {
                let last = p.items.last().map(|i| i.span.end);
                (None, last.or(p.title.as_ref().map(|t| t.span.end)).unwrap_or(p.keyword.end))
            }
            I::Rollout(r) => (None, r.items.last().map_or(r.keyword.end, |i| i.span.end)),
            I::Use(u) => (None, u.path.span.end),
        };
        // Declarations from the libraries the process uses come last, in
        // their own files.
        if declaration.is_some_and(|d| d.file != process.keyword.file) {
            break;
        }
        if let Some(declaration) = declaration {
            let gap = gap_start(text, known, declaration.start);
            debug_assert!(gap.is_some(), "no gap found before the declaration at {}", declaration.start);
            let comments = gap.map(|g| comments_in_gap(text, g, declaration.start)).unwrap_or_default();
            out.push((declaration, comments));
        }
        known = end;
    }
    out
}

/// Where the gap before the token at `token` starts, reading from `from`
/// (the end of a token) over trivia and the braces that close or open
/// blocks: right after the last of those braces.
fn gap_start(text: &str, from: usize, token: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut at, mut gap) = (from, from);
    loop {
        while let Some((_, end)) = trivia(text, at) {
            at = end;
        }
        if at >= token {
            return (at == token).then_some(gap);
        }
        match bytes.get(at) {
            Some(b'{' | b'}') => {
                at += 1;
                gap = at;
            }
            _ => return None,
        }
    }
}

/// The comments on whole lines right above `token`, in the gap `[start,
/// token)`, which holds only trivia. A comment runs to the end of its line,
/// so the token is the first on its line unless the gap holds no line
/// break at all. A blank line ends the walk up; so does the gap's first
/// line, which is the end of the previous token's line, unless the gap
/// starts the file.
fn comments_in_gap(text: &str, start: usize, token: usize) -> Vec<Span> {
    let text = &text[..token];
    // The comment of each line of the gap, if it has one.
    let mut lines: Vec<Option<Span>> = vec![None];
    let mut at = start;
    while let Some((kind, end)) = trivia(text, at) {
        match kind {
            Trivia::Blank => {}
            Trivia::LineBreak => lines.push(None),
            Trivia::Comment => {
                if let Some(line) = lines.last_mut() {
                    *line = Some(Span::new(at, end));
                }
            }
        }
        at = end;
    }
    debug_assert_eq!(at, token, "a gap holds only trivia");
    let first_whole = usize::from(start != 0);
    let above = lines.len() - 1;
    let mut found: Vec<Span> = (first_whole.min(above)..above).rev().map_while(|i| lines[i]).collect();
    found.reverse();
    found
}

/// Reads `# allow(a, b)` from one comment starting at byte `offset`.
fn parse_allow(comment: &str, offset: usize, lang: Lang, rules: &mut Vec<Code>, unknown: &mut Vec<Diagnostic>) {
    let body = comment.trim_start_matches('#').trim_start();
    let Some(list) = body.strip_prefix("allow(") else { return };
    let Some(end) = list.find(')') else { return };
    let list_offset = offset + (comment.len() - body.len()) + "allow(".len();
    let mut at = 0;
    for raw in list[..end].split(',') {
        let name = raw.trim();
        let start = list_offset + at + (raw.len() - raw.trim_start().len());
        at += raw.len() + 1;
        if name.is_empty() {
            continue;
        }
        match Code::lookup(name) {
            Some(code) => rules.push(code),
            None => {
                let span = Span::new(start, start + name.len());
                let near = crate::suggest::closest(name, rule_names());
                let d = match lang {
                    Lang::En => Diagnostic::new(Code::P102, span, format!("unknown rule `{name}` in `# allow(…)`"))
                        .with_label("no rule has this name")
                        .with_help(match near {
                            Some(near) => format!("did you mean `{near}`?"),
                            None => "`procdef explain CODE` lists a rule's name, e.g. `needless-loop` for P208".into(),
                        }),
                    Lang::Ru => Diagnostic::new(
                        Code::P102,
                        span,
                        format!("в `# allow(…)` неизвестное правило `{name}`"),
                    )
                    .with_label("правила с таким именем нет")
                    .with_help(match near {
                        Some(near) => format!("может быть, имелось в виду `{near}`?"),
                        None => "имя правила показывает `procdef explain КОД`: например, у `P208` это `needless-loop`"
                            .into(),
                    }),
                };
                unknown.push(d);
            }
        }
    }
}

/// Splits off the diagnostics an `# allow(…)` covers (its rule, with its
/// primary place inside the declaration): returns the kept ones and the
/// silenced ones.
pub fn apply_allows(allows: &[Allow], diagnostics: Vec<Diagnostic>) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    diagnostics.into_iter().partition(|d| {
        !allows.iter().any(|a| {
            a.rules.contains(&d.code)
                && d.span.file == a.declaration.file
                && d.span.start >= a.declaration.start
                && d.span.start < a.declaration.end
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_sets_levels_by_name_or_code() {
        let c = RuleConfig::from_toml("[rules]\nneedless-loop = \"allow\"\nP403 = \"error\"\n").expect("valid");
        assert_eq!(c.level(Code::P208), Some(Level::Allow));
        assert_eq!(c.level(Code::P403), Some(Level::Error));
        assert_eq!(c.level(Code::P205), None);
    }

    #[test]
    fn unknown_rules_and_levels_are_rejected_where_they_stand() {
        let error = |text: &str| RuleConfig::from_toml(text).expect_err("rejected");
        assert_eq!(
            error("[rules]\nneedless-loop = \"allow\"\n  needles-loop = \"allow\"\n"),
            ConfigError {
                problem: Problem::UnknownRule { name: "needles-loop".into(), near: Some("needless-loop".into()) },
                line: 3,
                column: 3,
            }
        );
        let e = error("[rules]\ncycle = \"off\"\n");
        assert_eq!((e.line, e.column), (2, 9));
        assert!(matches!(e.problem, Problem::UnknownLevel { .. }));
        assert_eq!(e.to_string(), "2:9: `cycle` is set to `off`; a rule is set to \"error\", \"warning\" or \"allow\"");
        // The first one written is reported, not the first in name order.
        assert_eq!(error("[rules]\nzz = \"allow\"\naa = \"allow\"\n").line, 2);
    }

    #[test]
    fn toml_errors_have_a_line_and_column() {
        let error = |text: &str| RuleConfig::from_toml(text).expect_err("rejected");
        let e = error("[rulez]\n");
        assert!(matches!(e.problem, Problem::Toml(_)));
        assert_eq!((e.line, e.column), (1, 2));
        let e = error("[rules]\nP208 = \"allow\"\nP403 = error\n");
        assert_eq!((e.line, e.column), (3, 8), "{e}");
        // Columns count characters, not bytes.
        let e = error("[rules]\n\"идл\" = 5\n");
        assert_eq!((e.line, e.column), (2, 9), "{e}");
    }

    /// The rules each declaration is allowed to break, by name.
    fn allowed(text: &str) -> Vec<(String, Vec<&'static str>)> {
        let parsed = crate::syntax::parse(text);
        let process = parsed.process.expect("parses");
        let (allows, unknown) = inline_allows(text, &process, Lang::En);
        assert!(unknown.is_empty(), "{unknown:?}");
        allows
            .iter()
            .map(|a| {
                let head = &text[a.declaration.start..];
                let head = head.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
                (head, a.rules.iter().map(|c| c.name()).collect())
            })
            .collect()
    }

    #[test]
    fn allow_comments_cover_the_declaration_below_them() {
        let text = "# allow(cycle)\nprocess p {\n  role a\n  # allow(idle-role)\n  # allow(no-instructions)\n  role b\n\n  # a blank line ends it\n\n  role c\n}\n";
        assert_eq!(
            allowed(text),
            [("process p".to_string(), vec!["cycle"]), ("role b".to_string(), vec!["idle-role", "no-instructions"])]
        );
        // On the line of a token, or before a role that does not start its
        // line, a comment covers nothing.
        assert!(allowed("process p { # allow(idle-role)\n  role a\n}\n").is_empty());
        assert!(allowed("process p {\n  # allow(idle-role)\n  role a role b\n}\n").len() == 1);
        assert!(allowed("process p {\n  role a # allow(idle-role)\n  role b\n}\n").is_empty());
    }

    #[test]
    fn allow_comments_are_found_as_the_parser_reads_the_file() {
        // A lone CR or a CRLF ends a line, as for the parser.
        for end in ["\r", "\r\n", "\n"] {
            let text = format!("process p {{\n  # allow(idle-role){end}  role a\n}}\n");
            assert_eq!(allowed(&text), [("role a".to_string(), vec!["idle-role"])], "{end:?}");
        }
        // A byte-order mark is a blank.
        let text = "process p {\n\u{FEFF}  # allow(idle-role)\n\u{FEFF}  role a\n}\n";
        assert_eq!(allowed(text).len(), 1);
        // Text that looks like a comment, inside a text block, is text.
        let text = "process p {\n  role a { description \"\"\"\n# allow(idle-role) \"\"\" }\n  role b\n}\n";
        assert!(allowed(text).is_empty(), "{:?}", allowed(text));
        // A comment before a block's `{` belongs to no declaration.
        assert!(allowed("process p \"P\"\n# allow(idle-role)\n{\n  role a\n}\n").is_empty());
        let text = "process p {\n  role a \"A\"\n  # allow(idle-role)\n  {}\n  role b\n}\n";
        assert!(allowed(text).is_empty(), "{:?}", allowed(text));
    }
}
