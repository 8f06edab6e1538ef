//! The stage graph as a Mermaid flowchart (renders inside GitHub Markdown).

use crate::i18n::Words;
use crate::model::graph::StageGraph;
use crate::model::{Model, OutcomeKind, RoleId};
use std::fmt::Write;

/// Escapes a label for a quoted Mermaid string: quotes, markup and `#`
/// (Mermaid's entity mark) as Mermaid entities, a backtick (which would
/// start a Markdown string) too; line breaks and tabs as spaces; other
/// control characters as [`super::visible`] shows them.
pub fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if super::visible::is_hidden_control(c) => out.push(super::visible::picture(c)),
            c => out.push(c),
        }
    }
    out
}

/// Words a Mermaid flowchart reads as keywords where a node id may stand
/// (from its grammar, flow.jison); a stage with one of these ids, in any
/// letter case, gets an escaped node id.
const RESERVED: &[&str] = &[
    "end",
    "graph",
    "flowchart",
    "subgraph",
    "style",
    "linkstyle",
    "classdef",
    "class",
    "click",
    "call",
    "href",
    "callback",
    "interpolate",
    "default",
    "direction",
    "acctitle",
    "accdescr",
    "tb",
    "td",
    "bt",
    "rl",
    "lr",
];

/// The prefix of escaped node ids: a plain id never holds `__`.
const ESCAPED: &str = "s__";

/// A letter Mermaid takes in a node id as it is: ASCII, or from the
/// Cyrillic block (all of its letters render with mermaid-cli).
fn plain_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (('\u{400}'..='\u{4ff}').contains(&c) && c.is_alphabetic())
}

/// The Mermaid node id of a stage: the stage's own id when Mermaid takes it
/// as it is (ASCII or Cyrillic letters, ASCII digits, single `_` between
/// them, starting with a letter, not a keyword), else `s__` and the id
/// with every character but those letters and digits written `_HEX_` (its
/// code point in lowercase hex): `end` → `s__end`, `_x` → `s___5f_x`,
/// `a·b` → `s__a_b7_b`.
///
/// Each node id depends on its stage id alone, so adding a stage changes
/// no other line; and no two stage ids share a node id (plain ids hold no
/// `__`, escaped ones start with it, and `_HEX_` reads back one way).
/// An id starting with `o` or `x` stays plain: Mermaid reads `--o`/`--x`
/// as arrow heads only without a space, and every arrow here has one.
pub fn node_id(stage: &str) -> String {
    let plain = stage.starts_with(plain_letter)
        && stage.chars().all(|c| plain_letter(c) || c.is_ascii_digit() || c == '_')
        && !stage.contains("__")
        && !stage.ends_with('_')
        && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stage));
    if plain {
        return stage.to_string();
    }
    let mut out = String::from(ESCAPED);
    for c in stage.chars() {
        if plain_letter(c) || c.is_ascii_digit() {
            out.push(c);
        } else {
            let _ = write!(out, "_{:x}_", c as u32);
        }
    }
    out
}

/// The flowchart; with `highlight`, that role's stages are marked.
pub fn flowchart(model: &Model, graph: &StageGraph, words: &Words, highlight: Option<RoleId>) -> String {
    let mut s = String::from("flowchart LR\n");
    for &i in graph.process_order() {
        let stage = model.stage(i);
        let text = label(&stage.title);
        let id = node_id(&stage.id);
        let node = match (stage.entry.is_some(), stage.outcome) {
            (_, Some(_)) => format!("{id}((\"{text}\"))"),
            (true, None) => format!("{id}([\"{text}\"])"),
            (false, None) => format!("{id}[\"{text}\"]"),
        };
        let _ = writeln!(s, "  {node}");
    }
    for stage in &model.stages {
        let from = node_id(&stage.id);
        for t in &stage.transitions {
            let Some(target) = t.target else { continue };
            let p = words.percent(t.probability);
            let arrow = if t.is_loop { "-.->" } else { "-->" };
            let _ = writeln!(s, "  {from} {arrow}|\"{p}\"| {}", node_id(&model.stage(target).id));
        }
    }
    s.push_str("  classDef won fill:#d7f0dc,stroke:#2e7d32,color:#123d19\n");
    s.push_str("  classDef lost fill:#f7dadb,stroke:#b3261e,color:#4a0e0b\n");
    s.push_str("  classDef entry stroke-width:3px\n");
    s.push_str("  classDef mine fill:#fff1c2,stroke:#a86b00,stroke-width:3px,color:#3d2600\n");
    let class = |f: &dyn Fn(&crate::model::Stage) -> bool| -> Vec<String> {
        model.stages.iter().filter(|st| f(st)).map(|st| node_id(&st.id)).collect()
    };
    let groups = [
        ("won", class(&|st| st.outcome == Some(OutcomeKind::Won))),
        ("lost", class(&|st| st.outcome == Some(OutcomeKind::Lost))),
        ("entry", class(&|st| st.entry.is_some())),
        ("mine", highlight.map_or_else(Vec::new, |r| class(&|st| st.owner == Some(r)))),
    ];
    for (name, nodes) in groups {
        if !nodes.is_empty() {
            let _ = writeln!(s, "  class {} {name}", nodes.join(","));
        }
    }
    s
}
