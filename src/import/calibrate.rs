//! `procdef calibrate`: the observed numbers of a history put into an
//! existing file (IMPORT.md), changing nothing else.
//!
//! The numbers come from the audit's measures ([`crate::audit::audit`]):
//! per declared transition its exits and observed moves with the Wilson
//! interval, per stage the median stay. The file is edited on its tokens:
//! the exact bytes of each number that changes are replaced (a percentage,
//! an entry share, a `takes` duration), and a `takes` a stage lacks is
//! inserted on a line of its own after the stage's `owner`, indented as
//! that line is. Every other byte, comments and layout included, stays.

use super::{apportion, duration};
use crate::ast::{self, StageItemKind};
use crate::audit::report::{Report, TransitionRow};
use crate::model::Model;
use crate::syntax::keywords::{Keyword, file_language};
use crate::syntax::lexer::{Kind, tokens};
use std::collections::BTreeSet;

/// What a row of the table is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// A transition's percentage.
    Transition,
    /// An entry's share of new cases.
    Entry,
    /// A stage's `takes`.
    Takes,
}

/// One number of the file and what the log says of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub what: What,
    /// The stage (for an entry, the entry stage).
    pub stage: String,
    /// The target of a transition.
    pub to: Option<String>,
    /// As written; `None` when there was none (a remainder, a `takes` to
    /// add).
    pub old: Option<String>,
    /// As it is written now; `None` when it stays absent.
    pub new: Option<String>,
    /// The stage's observed exits (the cases, for entries; the completed
    /// stays, for `takes`).
    pub exits: u64,
    /// Moves along this transition (cases starting here, for entries).
    pub observed: u64,
    /// The Wilson 95% interval of the observed share.
    pub interval: Option<(f64, f64)>,
    /// Too few exits: the number is kept.
    pub kept: bool,
}

/// A move the process does not declare, with its count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undeclared {
    /// `None`: a case started there, which is no entry.
    pub from: Option<String>,
    pub to: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    pub text: String,
    pub rows: Vec<Row>,
    pub undeclared: Vec<Undeclared>,
}

/// Why a file cannot be calibrated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An edit of the text: the bytes `start..end` become `with`.
#[derive(Debug, Clone)]
struct Edit {
    start: usize,
    end: usize,
    with: String,
}

/// Calibrates `text` (whose checked model is `model`) with the audit of a
/// log against it. `min_exits`: the least observed exits of a stage (cases,
/// for the entries) for its numbers to change.
pub fn calibrate(text: &str, model: &Model, report: &Report, min_exits: u64) -> Result<Calibration, Error> {
    let parsed = crate::syntax::parse(text);
    let Some(process) = parsed.process.filter(|_| !parsed.fatal) else {
        return Err(Error("the file does not parse; run `procdef check` on it".into()));
    };
    let language = file_language(text);
    // The spans of the numbers of the file, from its tokens: only a whole
    // number token is ever replaced.
    let numbers: BTreeSet<(usize, usize)> =
        tokens(text).into_iter().filter(|t| t.kind == Kind::Number).map(|t| (t.start, t.end)).collect();
    let is_number = |span: crate::span::Span| numbers.contains(&(span.start, span.end));
    let row_of = |from: Option<&str>, to: &str| -> Option<&TransitionRow> {
        report.transitions.iter().find(|r| r.from.as_deref() == from && r.to == to)
    };
    let interval = |r: Option<&TransitionRow>| r.and_then(|r| r.low.zip(r.high));
    let mut edits: Vec<Edit> = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut seen = BTreeSet::new();
    let stages: Vec<&ast::Stage> = process
        .items
        .iter()
        .filter_map(|i| match i {
            ast::ProcessItem::Stage(s) => Some(s),
            _ => None,
        })
        .filter(|s| seen.insert(s.name.name.clone()))
        .collect();

    // Entries.
    let entries: Vec<(&ast::Stage, Option<&ast::Lit<f64>>)> = stages
        .iter()
        .flat_map(|s| {
            s.items.iter().filter_map(move |i| match &i.kind {
                StageItemKind::Entry { share, .. } => Some((*s, share.as_ref())),
                _ => None,
            })
        })
        .collect();
    let starts: u64 = report.transitions.iter().filter(|r| r.from.is_none()).map(|r| r.observed).sum();
    let observed: Vec<u64> =
        entries.iter().map(|(s, _)| row_of(None, &s.name.name).map_or(0, |r| r.observed)).collect();
    let enough = starts >= min_exits && observed.iter().sum::<u64>() > 0;
    // Entries without shares split new clients equally: that rule stays.
    let equal = entries.iter().all(|(_, share)| share.is_none());
    let shares = if enough && !equal { apportion(&observed, 1) } else { None };
    for (k, (stage, share)) in entries.iter().enumerate() {
        let old = share.map(|l| text[l.span.start..l.span.end].to_string());
        let new = match (&shares, share) {
            (Some(sh), Some(lit)) if is_number(lit.span) => {
                let with = format!("{}%", sh[k]);
                edits.push(Edit { start: lit.span.start, end: lit.span.end, with: with.clone() });
                Some(with)
            }
            _ => old.clone(),
        };
        let r = row_of(None, &stage.name.name);
        rows.push(Row {
            what: What::Entry,
            stage: stage.name.name.clone(),
            to: None,
            old,
            new,
            exits: starts,
            observed: observed[k],
            interval: interval(r),
            kept: shares.is_none() && !equal,
        });
    }

    for stage in &stages {
        let Some(model_stage) = model.stages.iter().find(|m| m.id == stage.name.name) else { continue };
        if model_stage.is_terminal() {
            continue;
        }
        let id = stage.name.name.as_str();
        let exits =
            report.transitions.iter().filter(|r| r.from.as_deref() == Some(id)).map(|r| r.exits).max().unwrap_or(0);
        let transitions: Vec<&ast::Transition> = stage
            .items
            .iter()
            .filter_map(|i| match &i.kind {
                StageItemKind::Transition(t) => Some(t),
                _ => None,
            })
            .collect();
        let observed: Vec<u64> =
            transitions.iter().map(|t| row_of(Some(id), &t.target.name).map_or(0, |r| r.observed)).collect();
        let enough = exits >= min_exits && observed.iter().sum::<u64>() > 0;
        let shares = if enough && transitions.len() > 1 { apportion(&observed, 1) } else { None };
        for (k, t) in transitions.iter().enumerate() {
            let old = t.percent.as_ref().map(|l| text[l.span.start..l.span.end].to_string());
            let new = match (&shares, &t.percent) {
                (Some(sh), Some(lit)) if is_number(lit.span) => {
                    let with = format!("{}%", sh[k]);
                    edits.push(Edit { start: lit.span.start, end: lit.span.end, with: with.clone() });
                    Some(with)
                }
                _ => old.clone(),
            };
            let r = row_of(Some(id), &t.target.name);
            rows.push(Row {
                what: What::Transition,
                stage: id.to_string(),
                to: Some(t.target.name.clone()),
                old,
                new,
                exits,
                observed: observed[k],
                interval: interval(r),
                kept: !enough,
            });
        }

        // `takes`: the median stay.
        let stay = report.stages.iter().find(|r| r.id == id);
        let median = stay.and_then(|r| r.median_stay_minutes);
        let takes = stage.items.iter().find_map(|i| match &i.kind {
            StageItemKind::Takes(lit) => Some(lit),
            _ => None,
        });
        let old = takes.map(|l| text[l.span.start..l.span.end].to_string());
        let mut new = old.clone();
        let change = median.filter(|_| exits >= min_exits);
        if let Some(m) = change {
            let (written, _) = duration(m as f64, false, language);
            match takes {
                Some(lit) if is_number(lit.span) => {
                    if old.as_deref() != Some(written.as_str()) {
                        edits.push(Edit { start: lit.span.start, end: lit.span.end, with: written.clone() });
                    }
                    new = Some(written);
                }
                Some(_) => {}
                None => {
                    // On a line of its own after `owner`, indented as it is.
                    let owner = stage.items.iter().find(|i| matches!(i.kind, StageItemKind::Owner(_)));
                    if let Some(owner) = owner {
                        let line_start = text[..owner.span.start].rfind('\n').map_or(0, |i| i + 1);
                        let indent: String = text[line_start..owner.span.start]
                            .chars()
                            .take_while(|c| *c == ' ' || *c == '\t')
                            .collect();
                        let own_line = text[line_start..owner.span.start].trim().is_empty();
                        let line_end = text[owner.span.end..].find('\n').map_or(text.len(), |i| owner.span.end + i);
                        let rest = text[owner.span.end..line_end].trim();
                        // Only where `owner` has its line to itself (a
                        // comment after it aside), else the layout would change.
                        if own_line && (rest.is_empty() || rest.starts_with('#')) {
                            let eol = if text[..line_end].ends_with('\r') { "\r\n" } else { "\n" };
                            let at = if eol == "\r\n" { line_end - 1 } else { line_end };
                            let kw = Keyword::Takes.spelling(language);
                            edits.push(Edit { start: at, end: at, with: format!("{eol}{indent}{kw} {written}") });
                            new = Some(written);
                        }
                    }
                }
            }
        }
        rows.push(Row {
            what: What::Takes,
            stage: id.to_string(),
            to: None,
            old,
            new,
            exits,
            observed: exits,
            interval: None,
            kept: change.is_none(),
        });
    }

    let undeclared = report
        .transitions
        .iter()
        .filter(|r| r.declared.is_none() && r.observed > 0)
        .map(|r| Undeclared { from: r.from.clone(), to: r.to.clone(), count: r.observed })
        .collect();

    edits.sort_by_key(|e| std::cmp::Reverse(e.start));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(e.start..e.end, &e.with);
    }
    Ok(Calibration { text: out, rows, undeclared })
}

/// The table of a calibration: each number old → new, the exits it rests
/// on and the interval of the observed share.
pub fn table(c: &Calibration, min_exits: u64) -> String {
    let mut lines: Vec<[String; 5]> =
        vec![["number".into(), "old".into(), "new".into(), "exits".into(), "observed (95% interval)".into()]];
    for r in &c.rows {
        let what = match (r.what, &r.to) {
            (What::Entry, _) => format!("entry {}", r.stage),
            (What::Transition, Some(to)) => format!("{} -> {to}", r.stage),
            (What::Transition, None) => r.stage.clone(),
            (What::Takes, _) => format!("{} takes", r.stage),
        };
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        let old = match (r.what, &r.old) {
            (What::Transition, None) => "rest".to_string(),
            (What::Entry, None) => "equal".to_string(),
            _ => show(&r.old),
        };
        let new = if r.kept {
            format!("kept (under {min_exits})")
        } else {
            match (r.what, &r.new) {
                (What::Transition, None) => "rest".to_string(),
                (What::Entry, None) => "equal".to_string(),
                _ => show(&r.new),
            }
        };
        let observed = match (r.what, r.interval) {
            (What::Takes, _) => String::new(),
            (_, Some((lo, hi))) if r.exits > 0 => format!(
                "{}/{} = {} ({} to {})",
                r.observed,
                r.exits,
                super::percent(r.observed as f64 / r.exits as f64),
                super::percent(lo),
                super::percent(hi)
            ),
            _ => format!("{}/{}", r.observed, r.exits),
        };
        lines.push([what, old, new, r.exits.to_string(), observed]);
    }
    let width = |k: usize| lines.iter().map(|l| l[k].chars().count()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..5).map(width).collect();
    let mut out = String::new();
    for l in &lines {
        let mut line = String::new();
        for k in 0..5 {
            let pad = widths[k] - l[k].chars().count();
            if k == 3 {
                line.push_str(&" ".repeat(pad));
                line.push_str(&l[k]);
            } else {
                line.push_str(&l[k]);
                if k < 4 {
                    line.push_str(&" ".repeat(pad));
                }
            }
            if k < 4 {
                line.push_str("  ");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if !c.undeclared.is_empty() {
        out.push_str("\nmoves the process does not declare (not added):\n");
        for u in &c.undeclared {
            let from = u.from.as_deref().unwrap_or("(start)");
            out.push_str(&format!("  {from} -> {}  {}\n", u.to, u.count));
        }
    }
    out
}

/// A unified diff of two texts, three lines of context, with `a/NAME`
/// and `b/NAME` headers; empty when they are equal. Lines are matched
/// greedily, which is exact for what calibrating does: lines changed in
/// place and lines inserted.
pub fn unified_diff(old: &str, new: &str, name: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    // (kind, a index, b index): ' ' same, '-' removed, '+' added.
    let mut ops: Vec<(char, usize, usize)> = Vec::new();
    // Lines changed in place, held back so that a run of them shows its
    // removed lines, then its added ones.
    let mut removed: Vec<(char, usize, usize)> = Vec::new();
    let mut added: Vec<(char, usize, usize)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.append(&mut removed);
            ops.append(&mut added);
            ops.push((' ', i, j));
            i += 1;
            j += 1;
            continue;
        }
        // Lines inserted: the old line comes back a little later.
        let ahead = (j..b.len().min(j + 8)).find(|&k| i < a.len() && b[k] == a[i]);
        match ahead {
            Some(k) => {
                for m in j..k {
                    added.push(('+', i, m));
                }
                j = k;
            }
            None => {
                if i < a.len() {
                    removed.push(('-', i, j));
                    i += 1;
                }
                if j < b.len() {
                    added.push(('+', i, j));
                    j += 1;
                }
            }
        }
    }
    ops.append(&mut removed);
    ops.append(&mut added);
    let mut out = format!("--- a/{name}\n+++ b/{name}\n");
    let changed: Vec<usize> = ops.iter().enumerate().filter(|(_, o)| o.0 != ' ').map(|(k, _)| k).collect();
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(3);
        let mut end = changed[k];
        while k + 1 < changed.len() && changed[k + 1] <= end + 7 {
            k += 1;
            end = changed[k];
        }
        let end = (end + 4).min(ops.len());
        let hunk = &ops[start..end];
        let a_start = hunk.iter().find(|o| o.0 != '+').map_or(hunk[0].1, |o| o.1);
        let b_start = hunk.iter().find(|o| o.0 != '-').map_or(hunk[0].2, |o| o.2);
        let a_len = hunk.iter().filter(|o| o.0 != '+').count();
        let b_len = hunk.iter().filter(|o| o.0 != '-').count();
        let at = |s: usize, len: usize| if len == 0 { s } else { s + 1 };
        out.push_str(&format!("@@ -{},{a_len} +{},{b_len} @@\n", at(a_start, a_len), at(b_start, b_len)));
        for &(kind, ai, bj) in hunk {
            let line = if kind == '+' { b[bj] } else { a[ai] };
            out.push(kind);
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
        k += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_shows_changed_and_inserted_lines_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n";
        let new = "a\nb\nC\nd\ne\nf\ng\nh\ni\nj\nk\nK2\nl\n";
        let diff = unified_diff(old, new, "x.proc");
        assert_eq!(
            diff,
            "--- a/x.proc\n+++ b/x.proc\n@@ -1,6 +1,6 @@\n a\n b\n-c\n+C\n d\n e\n f\n@@ -9,4 +9,5 @@\n i\n j\n k\n+K2\n l\n"
        );
        assert_eq!(unified_diff(old, old, "x"), "");
    }
}
