//! `procdef explain`: the long explanation of a diagnostic, and the list
//! of every code.

use super::{BROKEN, OK};
use procdef::diagnostics::Code;
use std::io::IsTerminal;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A code such as `P205` or a name such as `cycle`.
    #[arg(value_name = "CODE|NAME", required_unless_present = "list")]
    code: Option<String>,
    /// List every code with its name, default severity and summary.
    #[arg(long, conflicts_with = "code")]
    list: bool,
}

pub fn run(args: Args) -> u8 {
    if args.list {
        print!("{}", list());
        return OK;
    }
    let wanted = args.code.unwrap_or_default();
    let Some(code) = Code::lookup(&wanted) else {
        eprintln!("procdef: `{}` is not a diagnostic code or name", procdef::emit::visible(&wanted));
        let near = procdef::suggest::closest(
            &wanted,
            Code::ALL.iter().map(|c| c.name()).chain(Code::ALL.iter().map(|c| c.as_str())),
        );
        let (first, last) = (Code::ALL[0], Code::ALL[Code::ALL.len() - 1]);
        match near {
            Some(n) => eprintln!("did you mean `{n}`? `procdef explain --list` lists the codes {first}–{last}"),
            None => eprintln!(
                "`procdef explain --list` lists the codes {first}–{last}, e.g. `procdef explain P205` or `procdef explain cycle`"
            ),
        }
        return BROKEN;
    };
    let doc = code.doc();
    let text = format!(
        "{} {} ({} by default)\n\n{}\n",
        code.as_str(),
        code.name(),
        code.default_severity().as_str(),
        doc.text.trim_end()
    );
    let styled = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    print!("{}", if styled { terminal(&text) } else { text });
    OK
}

/// Every code, one a line: code, name, severity, summary.
fn list() -> String {
    let width = Code::ALL.iter().map(|c| c.name().len()).max().unwrap_or(0);
    Code::ALL
        .iter()
        .map(|c| format!("{}  {:width$}  {:7}  {}\n", c.as_str(), c.name(), c.default_severity().as_str(), c.summary()))
        .collect()
}

const BOLD: &str = "\x1b[1m";
const CODE: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

/// The Markdown of a rule's documentation for a terminal: the first line
/// and `**…**` in bold, `` `…` `` in colour, code blocks indented and
/// coloured without their fences.
fn terminal(markdown: &str) -> String {
    let mut out = String::new();
    let mut in_block = false;
    for (n, line) in markdown.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if in_block {
            out.push_str(&format!("    {CODE}{line}{RESET}\n"));
        } else if n == 0 || line.starts_with('#') {
            out.push_str(&format!("{BOLD}{}{RESET}\n", line.trim_start_matches('#').trim_start()));
        } else {
            out.push_str(&inline(line));
            out.push('\n');
        }
    }
    out
}

/// `**bold**` and `` `code` `` within a line.
fn inline(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("**") {
            if let Some(end) = after.find("**") {
                out.push_str(&format!("{BOLD}{}{RESET}", &after[..end]));
                rest = &after[end + 2..];
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix('`') {
            if let Some(end) = after.find('`') {
                out.push_str(&format!("{CODE}{}{RESET}", &after[..end]));
                rest = &after[end + 1..];
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_holds_every_code_once_with_its_name() {
        let list = list();
        assert_eq!(list.lines().count(), Code::ALL.len());
        for c in Code::ALL {
            assert_eq!(list.lines().filter(|l| l.starts_with(c.as_str()) && l.contains(c.name())).count(), 1, "{c}");
        }
    }

    #[test]
    fn markdown_loses_its_marks_on_a_terminal() {
        let out = terminal("P205 cycle\n\n**Why it matters.** a `loop`\n\n```proc\nprocess p {}\n```\n");
        assert!(!out.contains("**") && !out.contains("```") && !out.contains('`'), "{out:?}");
        assert!(out.contains(&format!("{BOLD}Why it matters.{RESET}")));
        assert!(out.contains(&format!("    {CODE}process p {{}}{RESET}")));
    }
}
