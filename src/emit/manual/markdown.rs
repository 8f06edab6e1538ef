//! The manual as Markdown.

use super::{Manual, Part, StageDoc, StagesSection};
use crate::emit::rich::Rich;
use crate::emit::visible::{is_hidden_control, picture, visible};
use std::fmt::Write;

/// Escapes user text for inline Markdown: characters that would start
/// markup or HTML are escaped, control characters made visible
/// ([`crate::emit::visible`]); the text otherwise stays as written.
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if is_hidden_control(c) => out.push(picture(c)),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' | '`' | '[' | ']' | '|' | '\\' | '_' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// User text as a Markdown block: line ends inside a paragraph wrap, blank
/// lines separate paragraphs, as the writer laid them out.
fn md_block(text: &str) -> String {
    text.lines().map(|l| md(l.trim_end())).collect::<Vec<_>>().join("\n")
}

/// User text inside a list item: continuation lines indented.
fn md_item(text: &str, indent: &str) -> String {
    text.lines().map(|l| md(l.trim_end())).collect::<Vec<_>>().join(&format!("\n{indent}"))
}

/// Rich text as inline Markdown; line ends inside it break the line and
/// continue at `indent`.
pub fn inline(r: &Rich, indent: &str) -> String {
    let mut s = String::new();
    for run in &r.0 {
        let text = if run.text.contains('\n') { md_item(&run.text, indent) } else { md(&run.text) };
        // Emphasis markers must touch the text: keep spaces outside them.
        let core = text.trim();
        let (lead, trail) = (&text[..text.len() - text.trim_start().len()], &text[text.trim_end().len()..]);
        let mark = match (run.strong, run.em) {
            _ if core.is_empty() => "",
            (true, true) => "***",
            (true, false) => "**",
            (false, true) => "*",
            (false, false) => "",
        };
        let _ = write!(s, "{lead}{mark}{core}{mark}{trail}");
    }
    s
}

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

/// A Markdown table; cells are user text, escaped, on one line.
pub fn table(s: &mut String, head: &[String], rows: &[Vec<String>]) {
    let cell = |c: &String| md(&c.lines().map(str::trim).collect::<Vec<_>>().join(" "));
    let _ = writeln!(s, "| {} |", head.iter().map(cell).collect::<Vec<_>>().join(" | "));
    let _ = writeln!(s, "|{}", " --- |".repeat(head.len()));
    for row in rows {
        let _ = writeln!(s, "| {} |", row.iter().map(cell).collect::<Vec<_>>().join(" | "));
    }
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
