//! The stage graph as a Mermaid flowchart (renders inside GitHub Markdown).

use super::i18n::Words;
use crate::model::graph::StageGraph;
use crate::model::{Model, OutcomeKind, RoleId};
use std::fmt::Write;

/// Escapes a label for a quoted Mermaid string.
pub fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
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
        let node = match (stage.entry.is_some(), stage.outcome) {
            (_, Some(_)) => format!("s{}((\"{text}\"))", i.0),
            (true, None) => format!("s{}([\"{text}\"])", i.0),
            (false, None) => format!("s{}[\"{text}\"]", i.0),
        };
        let _ = writeln!(s, "  {node}");
    }
    for (i, stage) in model.stages.iter().enumerate() {
        for t in &stage.transitions {
            let Some(target) = t.target else { continue };
            let p = words.percent(t.probability);
            let arrow = if t.is_loop { "-.->" } else { "-->" };
            let _ = writeln!(s, "  s{i} {arrow}|\"{p}\"| s{}", target.0);
        }
    }
    s.push_str("  classDef won fill:#d7f0dc,stroke:#2e7d32,color:#123d19\n");
    s.push_str("  classDef lost fill:#f7dadb,stroke:#b3261e,color:#4a0e0b\n");
    s.push_str("  classDef entry stroke-width:3px\n");
    s.push_str("  classDef mine fill:#fff1c2,stroke:#a86b00,stroke-width:3px,color:#3d2600\n");
    let class = |f: &dyn Fn(&crate::model::Stage) -> bool| -> Vec<String> {
        model.stages.iter().enumerate().filter(|(_, st)| f(st)).map(|(i, _)| format!("s{i}")).collect()
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
