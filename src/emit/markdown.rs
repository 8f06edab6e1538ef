//! The Markdown shared by the Markdown outputs (the manuals, the rollout
//! kit, `funnel.md`, the audit report): user text escaped, rich text as
//! inline markup, tables.

use super::rich::Rich;
use super::visible::{is_hidden_control, picture};
use std::fmt::Write;

/// Escapes user text for inline Markdown: characters that would start
/// markup or HTML are escaped, control characters made visible
/// ([`crate::emit::visible`](mod@crate::emit::visible)); the text otherwise
/// stays as written.
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
pub fn md_block(text: &str) -> String {
    text.lines().map(|l| md(l.trim_end())).collect::<Vec<_>>().join("\n")
}

/// User text inside a list item: continuation lines indented.
pub fn md_item(text: &str, indent: &str) -> String {
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

/// A Markdown table; cells are user text, escaped, on one line.
pub fn table(s: &mut String, head: &[String], rows: &[Vec<String>]) {
    let cell = |c: &String| md(&c.lines().map(str::trim).collect::<Vec<_>>().join(" "));
    let _ = writeln!(s, "| {} |", head.iter().map(cell).collect::<Vec<_>>().join(" | "));
    let _ = writeln!(s, "|{}", " --- |".repeat(head.len()));
    for row in rows {
        let _ = writeln!(s, "| {} |", row.iter().map(cell).collect::<Vec<_>>().join(" | "));
    }
}
