//! The manual as Markdown.

use super::{Manual, Part, StageDoc, StagesSection};
use crate::emit::markdown::{inline, md, md_block, md_item, table};
use crate::emit::visible::visible;
use std::fmt::Write;

pub(super) fn render(m: &Manual) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", md(&m.title));
    let _ = writeln!(s, "{}\n", inline(&m.process_line, ""));
    if let Some(a) = &m.audience {
        let _ = writeln!(s, "{}\n", inline(a, ""));
    }

    let _ = writeln!(s, "## {}\n", md(&m.role.heading));
    if let Some(d) = &m.role.description {
        let _ = writeln!(s, "{}\n", md_block(d));
    }
    for line in &m.role.lines {
        let _ = writeln!(s, "{}\n", inline(line, ""));
    }

    let g = &m.glance;
    let _ = writeln!(s, "## {}\n", md(&g.heading));
    let _ = writeln!(s, "{}\n", md(&g.intro));
    let _ = writeln!(s, "```mermaid\n{}```\n", visible(&g.mermaid));
    let _ = writeln!(s, "{}\n", md(&g.order_intro));
    for (n, line) in g.order.iter().enumerate() {
        let _ = writeln!(s, "{}. {}", n + 1, inline(line, ""));
    }
    s.push('\n');

    stages(&mut s, &m.own);
    if let Some(h) = &m.help {
        stages(&mut s, h);
    }

    let _ = writeln!(s, "## {}\n", md(&m.norms.heading));
    if let Some(e) = &m.norms.empty {
        let _ = writeln!(s, "{}\n", md(e));
    } else {
        for item in &m.norms.items {
            let _ = writeln!(s, "- {}", inline(item, "  "));
        }
        s.push('\n');
    }

    let _ = writeln!(s, "## {}\n", md(&m.rollout.heading));
    if let Some(e) = &m.rollout.empty {
        let _ = writeln!(s, "{}\n", md(e));
    }
    if let Some(t) = &m.rollout.table {
        table(&mut s, &t.head, &t.rows);
        s.push('\n');
    }
    let _ = writeln!(s, "---\n\n{}", inline(&m.footer, ""));
    s
}

fn stages(s: &mut String, section: &StagesSection) {
    let _ = writeln!(s, "## {}\n", md(&section.heading));
    if let Some(intro) = &section.intro {
        let _ = writeln!(s, "{}\n", md(intro));
    }
    if let Some(e) = &section.empty {
        let _ = writeln!(s, "{}\n", md(e));
    }
    for st in &section.stages {
        stage(s, st);
    }
}

fn part_heading(s: &mut String, heading: &str) {
    let _ = writeln!(s, "**{}**\n", md(heading));
}

fn bullets(s: &mut String, p: &Part) {
    part_heading(s, &p.heading);
    for item in &p.items {
        let _ = writeln!(s, "- {}", inline(item, "  "));
    }
    s.push('\n');
}

fn stage(s: &mut String, st: &StageDoc) {
    let _ = writeln!(s, "### {}. {}\n", st.number, md(&st.title));
    if let Some(o) = &st.owned_by {
        let _ = writeln!(s, "{}\n", inline(o, ""));
    }
    if let Some(h) = &st.purpose_heading {
        part_heading(s, h);
    }
    if let Some(d) = &st.description {
        let _ = writeln!(s, "{}\n", md_block(d));
    }
    if let Some(t) = &st.time {
        part_heading(s, &t.heading);
        let text: Vec<String> = t.items.iter().map(|i| inline(i, "")).collect();
        let _ = writeln!(s, "{}\n", text.join(" "));
    }
    if let Some(c) = &st.come_from {
        bullets(s, c);
    }
    part_heading(s, &st.steps.heading);
    if let Some(e) = &st.steps.empty {
        let _ = writeln!(s, "{}\n", md(e));
    } else {
        for (n, step) in st.steps.items.iter().enumerate() {
            let number = format!("{}. ", n + 1);
            let indent = " ".repeat(number.len());
            let mut line = format!("{number}{}", md_item(&step.text, &indent));
            if let Some(notes) = &step.notes {
                let _ = write!(line, "  \n{indent}*{}*", md(notes));
            }
            let _ = writeln!(s, "{line}");
        }
        s.push('\n');
    }
    for p in [&st.exit, &st.next, &st.numbers, &st.metrics].into_iter().flatten() {
        bullets(s, p);
    }
}
