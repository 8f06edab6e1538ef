//! The stage graph in Graphviz DOT.

use crate::i18n::Words;
use crate::model::graph::StageGraph;
use crate::model::{Model, OutcomeKind, RoleId};
use std::fmt::Write;

/// Escapes text for a quoted DOT string.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            // A control character would break the file for Graphviz, and
            // reach the terminal of whoever prints it: shown as its picture.
            c if super::visible::is_hidden_control(c) => out.push(super::visible::picture(c)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The digraph; with `highlight`, that role's stages are filled.
pub fn digraph(model: &Model, graph: &StageGraph, words: &Words, highlight: Option<RoleId>) -> String {
    let mut s = String::from("digraph process {\n");
    let _ = writeln!(s, "  graph [rankdir=LR, label={}, labelloc=t, fontname=\"Helvetica\"];", quoted(&model.title));
    s.push_str("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\"];\n");
    s.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for &id in graph.process_order() {
        let stage = model.stage(id);
        let mut attrs = vec![format!("label={}", quoted(&stage.title))];
        match stage.outcome {
            Some(OutcomeKind::Won) => {
                attrs.push("shape=oval".into());
                attrs.push("peripheries=2".into());
                attrs.push("fillcolor=\"#d7f0dc\"".into());
                attrs.push("color=\"#2e7d32\"".into());
            }
            Some(OutcomeKind::Lost) => {
                attrs.push("shape=oval".into());
                attrs.push("fillcolor=\"#f7dadb\"".into());
                attrs.push("color=\"#b3261e\"".into());
            }
            None => {}
        }
        if stage.entry.is_some() {
            attrs.push("penwidth=3".into());
            attrs.push("peripheries=2".into());
        }
        if highlight.is_some() && stage.owner == highlight {
            attrs.push("fillcolor=\"#fff1c2\"".into());
            attrs.push("color=\"#a86b00\"".into());
        }
        let _ = writeln!(s, "  s{} [{}];", id.0, attrs.join(", "));
    }
    for (i, stage) in model.stages.iter().enumerate() {
        for t in &stage.transitions {
            let Some(target) = t.target else { continue };
            let mut attrs = vec![format!("label={}", quoted(&words.percent(t.probability)))];
            if t.is_loop {
                attrs.push("style=dashed".into());
                attrs.push("constraint=false".into());
            }
            let _ = writeln!(s, "  s{i} -> s{} [{}];", target.0, attrs.join(", "));
        }
    }
    s.push_str("}\n");
    s
}
