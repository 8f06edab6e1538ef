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
use crate::span::Span;
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
    rules: BTreeMap<String, String>,
}

/// Why a configuration file was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("not valid TOML: {0}")]
    Toml(String),
    #[error("unknown rule `{name}`{}", suggestion(.near))]
    UnknownRule { name: String, near: Option<String> },
    #[error("`{name}` is set to `{value}`; a rule is set to \"error\", \"warning\" or \"allow\"")]
    UnknownLevel { name: String, value: String },
}

fn suggestion(near: &Option<String>) -> String {
    near.as_ref().map_or_else(String::new, |n| format!(" (did you mean `{n}`?)"))
}

fn rule_names() -> impl Iterator<Item = &'static str> {
    Code::ALL.iter().map(|c| c.name())
}

impl RuleConfig {
    /// Parses the text of a `procdef.toml`.
    pub fn from_toml(text: &str) -> Result<RuleConfig, ConfigError> {
        let file: File = toml::from_str(text).map_err(|e| ConfigError::Toml(e.message().to_string()))?;
        let mut levels = BTreeMap::new();
        for (name, value) in file.rules {
            let code = Code::lookup(&name).ok_or_else(|| ConfigError::UnknownRule {
                near: crate::checks::closest(&name, rule_names()).map(str::to_string),
                name: name.clone(),
            })?;
            let level = match value.as_str() {
                "error" => Level::Error,
                "warning" => Level::Warning,
                "allow" => Level::Allow,
                _ => return Err(ConfigError::UnknownLevel { name, value }),
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
pub fn inline_allows(text: &str, process: &ast::Process) -> (Vec<Allow>, Vec<Diagnostic>) {
    use ast::ProcessItem as I;
    let mut declarations = vec![Span::new(process.keyword.start, text.len())];
    for item in &process.items {
        let span = match item {
            I::Segment(s) => s.span,
            I::Product(p) => p.span,
            I::Role(r) => r.span,
            I::Stage(s) => s.span,
            I::Metric(m) => m.span,
            _ => continue,
        };
        declarations.push(span);
    }
    let mut allows = Vec::new();
    let mut unknown = Vec::new();
    for declaration in declarations {
        let mut rules = Vec::new();
        // Walk up over the whole-line comments right above the declaration.
        let mut line_start = text[..declaration.start].rfind('\n').map_or(0, |i| i + 1);
        if !text[line_start..declaration.start].trim_matches(is_blank).is_empty() {
            continue; // something else precedes the declaration on its line
        }
        while line_start > 0 {
            let prev_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
            let line = &text[prev_start..line_start - 1];
            let trimmed = line.trim_start_matches(is_blank);
            if !trimmed.starts_with('#') {
                break;
            }
            let offset = prev_start + (line.len() - trimmed.len());
            parse_allow(trimmed, offset, &mut rules, &mut unknown);
            line_start = prev_start;
        }
        if !rules.is_empty() {
            allows.push(Allow { rules, declaration });
        }
    }
    (allows, unknown)
}

/// Whitespace as the grammar has it (a byte-order mark included), so that a
/// comment is found where the parser and the formatter see one.
fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{FEFF}')
}

/// Reads `# allow(a, b)` from one comment starting at byte `offset`.
fn parse_allow(comment: &str, offset: usize, rules: &mut Vec<Code>, unknown: &mut Vec<Diagnostic>) {
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
                let mut d = Diagnostic::new(
                    Code::P102,
                    Span::new(start, start + name.len()),
                    format!("unknown rule `{name}` in `# allow(…)`"),
                )
                .with_label("no rule has this name");
                d = match crate::checks::closest(name, rule_names()) {
                    Some(near) => d.with_help(format!("did you mean `{near}`?")),
                    None => d.with_help("`procdef explain CODE` lists a rule's name, e.g. `needless-loop` for P208"),
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
            a.rules.contains(&d.code) && d.span.start >= a.declaration.start && d.span.start < a.declaration.end
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
    fn unknown_rules_and_levels_are_rejected() {
        assert_eq!(
            RuleConfig::from_toml("[rules]\nneedles-loop = \"allow\"\n"),
            Err(ConfigError::UnknownRule { name: "needles-loop".into(), near: Some("needless-loop".into()) })
        );
        assert!(matches!(RuleConfig::from_toml("[rules]\ncycle = \"off\"\n"), Err(ConfigError::UnknownLevel { .. })));
        assert!(matches!(RuleConfig::from_toml("[rulez]\n"), Err(ConfigError::Toml(_))));
    }
}
