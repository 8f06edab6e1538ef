//! A printed page of the kit (the schedule, the exam sheets and keys, the
//! audit checklists, the funnel plan, the index) as plain content: headings,
//! paragraphs, lists, tables, questions, a chart. One content, two
//! renderings: [`markdown`] here, and the HTML page through the minijinja
//! template `templates/page.html.j2` (auto-escaping; see
//! [`crate::emit::manual::html::Renderer::page`]), so the two files of an
//! output never say different things and user text is escaped by each
//! renderer its own way.
//!
//! A heading starts a section; the HTML keeps a short section on one
//! printed page (`break-inside: avoid`) and a heading with what follows it.

use super::markdown::{inline, md};
use super::rich::Rich;
use serde::Serialize;
use std::fmt::Write;

/// One page's content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    /// `en` or `ru`.
    pub lang: &'static str,
    pub title: String,
    /// The line under the title (the process and its version).
    pub lead: Rich,
    pub blocks: Vec<Block>,
}

/// A link to another output of the build: its text, and its path without
/// the extension (`exam-manager`); Markdown links the `.md`, HTML the
/// `.html`, or the file as it is when `exact`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub text: String,
    pub stem: String,
    /// The file as named (`rollout.ics`, a manual's `.md`), not by stem.
    pub exact: bool,
}

/// One bar of a chart, laid out: its label's lines (right-aligned at
/// [`Chart::LABEL_W`]), its bar and its value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    pub label: Vec<String>,
    /// The baseline of each label line.
    pub label_y: Vec<i32>,
    pub value: String,
    /// The bar's length, 0–1 of the widest.
    pub share: f64,
    pub y: i32,
    pub h: i32,
    /// The bar's width in pixels, and where its value is written.
    pub w: i32,
    pub value_x: i32,
    pub value_y: i32,
}

/// A horizontal bar chart, laid out to the printed page's width.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    pub title: String,
    pub axis: String,
    pub width: i32,
    pub height: i32,
    pub label_w: i32,
    pub axis_y: i32,
    pub bars: Vec<Bar>,
}

impl Chart {
    /// The width of the chart: A4 less the page's margins (180 mm at 96
    /// dpi is 680 px).
    pub const WIDTH: i32 = 680;
    pub const LABEL_W: i32 = 230;
    const BAR_W: i32 = 360;
    const LINE_H: i32 = 13;
    const TOP: i32 = 26;

    /// A chart of `bars` (label, value, the value as shown).
    pub fn new(title: String, axis: String, bars: &[(String, f64, String)]) -> Chart {
        let max = bars.iter().map(|b| b.1).fold(0.0, f64::max);
        let mut y = Self::TOP;
        let mut out = Vec::new();
        for (label, value, shown) in bars {
            let lines = wrap(label, 34, 3);
            let h = lines.len() as i32 * Self::LINE_H + 6;
            let share = if max > 0.0 && value.is_finite() { (value / max).clamp(0.0, 1.0) } else { 0.0 };
            let w = ((share * f64::from(Self::BAR_W)).round() as i32).max(i32::from(*value > 0.0));
            let label_y = (0..lines.len() as i32).map(|k| y + 3 + (k + 1) * Self::LINE_H - 2).collect();
            out.push(Bar {
                label: lines,
                label_y,
                value: shown.clone(),
                share,
                y,
                h,
                w,
                value_x: Self::LABEL_W + w + 5,
                value_y: y + h / 2 + 4,
            });
            y += h + 4;
        }
        Chart { title, axis, width: Self::WIDTH, height: y + 22, label_w: Self::LABEL_W, axis_y: y + 14, bars: out }
    }
}

/// Splits `text` into at most `lines` lines of about `chars` characters at
/// spaces; a longer text ends with `…`.
pub fn wrap(text: &str, chars: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        while word.chars().count() > chars {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            out.push(word.chars().take(chars).collect());
            word = word.chars().skip(chars).collect();
        }
        let len = current.chars().count();
        if len > 0 && len + 1 + word.chars().count() > chars {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    if !current.is_empty() {
        out.push(current);
    }
    if out.len() > lines {
        out.truncate(lines);
        if let Some(last) = out.last_mut() {
            let keep: String = last.chars().take(chars.saturating_sub(1)).collect();
            *last = format!("{keep}…");
        }
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    Heading {
        level: u8,
        text: String,
    },
    Para {
        text: Rich,
    },
    List {
        items: Vec<Rich>,
    },
    /// A list item of links: `label: a, b, c`.
    Links {
        label: String,
        links: Vec<Link>,
    },
    Table {
        head: Vec<String>,
        rows: Vec<Vec<Rich>>,
        /// Per column: right-aligned numbers.
        numeric: Vec<bool>,
        /// A table to fill in by hand (taller rows in print).
        form: bool,
    },
    /// A question with room to answer.
    Question {
        number: usize,
        text: String,
        /// Lines left to write the answer on.
        room: usize,
    },
    /// A question of the examiner's key with its answer.
    Answer {
        number: usize,
        question: String,
        answer: Vec<String>,
    },
    Chart {
        chart: Chart,
    },
    /// A page break in print (a thematic break in Markdown).
    Break,
}

/// The words of an answer's writing line in Markdown.
const ROOM: &str = "…………………………………………………………………………………………";

/// The page as Markdown.
pub fn markdown(page: &Page) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", md(&page.title));
    if !page.lead.0.is_empty() {
        let _ = writeln!(s, "{}\n", inline(&page.lead, ""));
    }
    for (k, b) in page.blocks.iter().enumerate() {
        match b {
            Block::Heading { level, text } => {
                let _ = writeln!(s, "{} {}\n", "#".repeat(usize::from(*level)), md(text));
            }
            Block::Para { text } => {
                let _ = writeln!(s, "{}\n", inline(text, ""));
            }
            Block::List { items } => {
                for i in items {
                    let _ = writeln!(s, "- {}", inline(i, "  "));
                }
                s.push('\n');
            }
            Block::Links { label, links } => {
                let links: Vec<String> = links
                    .iter()
                    .map(|l| {
                        let file = if l.exact { l.stem.clone() } else { format!("{}.md", l.stem) };
                        format!("[{}]({})", md(&l.text), file.replace(' ', "%20"))
                    })
                    .collect();
                let _ = writeln!(s, "- {}: {}", md(label), links.join(", "));
                // Links one after another make one list.
                if !matches!(page.blocks.get(k + 1), Some(Block::Links { .. })) {
                    s.push('\n');
                }
            }
            Block::Table { head, rows, numeric, form } => {
                let one = |r: &Rich| inline(&Rich(r.0.iter().map(one_line_run).collect()), "");
                let _ = writeln!(s, "| {} |", head.iter().map(|h| md(&one_line(h))).collect::<Vec<_>>().join(" | "));
                let align: Vec<&str> =
                    (0..head.len()).map(|i| if numeric.get(i) == Some(&true) { " ---: |" } else { " --- |" }).collect();
                let _ = writeln!(s, "|{}", align.concat());
                for row in rows {
                    // A blank cell of a form to fill in is a bare `|`.
                    let blank = if *form { " |" } else { "  |" };
                    let cells: String = row
                        .iter()
                        .map(one)
                        .map(|c| if c.is_empty() { blank.to_string() } else { format!(" {c} |") })
                        .collect();
                    let _ = writeln!(s, "|{cells}");
                }
                s.push('\n');
            }
            Block::Question { number, text, room } => {
                let _ = writeln!(s, "{number}. {}\n", md(text));
                for _ in 0..*room {
                    let _ = writeln!(s, "   {ROOM}\n");
                }
            }
            Block::Answer { number, question, answer } => {
                let _ = writeln!(s, "{number}. *{}*", md(question));
                for a in answer {
                    let _ = writeln!(s, "   - {}", md(&one_line(a)));
                }
                s.push('\n');
            }
            Block::Chart { chart } => {
                let _ = writeln!(s, "**{}**\n", md(&chart.title));
                let _ = writeln!(s, "| | {} | |", md(&chart.axis));
                let _ = writeln!(s, "| --- | ---: | --- |");
                for b in &chart.bars {
                    let _ = writeln!(
                        s,
                        "| {} | {} | {} |",
                        md(&b.label.join(" ")),
                        md(&b.value),
                        super::funnel_md::bar(b.share, 1.0)
                    );
                }
                s.push('\n');
            }
            Block::Break => {
                let _ = writeln!(s, "---\n");
            }
        }
    }
    while s.ends_with("\n\n") {
        s.pop();
    }
    s
}

/// Text on one line: its lines trimmed and joined by spaces.
pub fn one_line(text: &str) -> String {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

fn one_line_run(run: &super::rich::Run) -> super::rich::Run {
    let mut r = run.clone();
    if r.text.contains('\n') {
        r.text = r.text.split('\n').map(str::trim).collect::<Vec<_>>().join(" ");
    }
    r
}

/// A section of the HTML page: a heading and the blocks up to the next
/// heading of the same or a higher level; what comes before the first
/// heading is a section without one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section<'a> {
    pub level: u8,
    pub heading: Option<&'a str>,
    pub blocks: Vec<&'a Block>,
    /// Short enough to keep on one printed page.
    pub keep: bool,
    /// Starts a new printed page.
    pub new_page: bool,
}

/// The page's blocks grouped into sections for the HTML template.
pub fn sections(page: &Page) -> Vec<Section<'_>> {
    let mut out: Vec<Section<'_>> = Vec::new();
    let mut new_page = false;
    for b in &page.blocks {
        match b {
            Block::Heading { level, text } => {
                out.push(Section { level: *level, heading: Some(text), blocks: Vec::new(), keep: true, new_page });
                new_page = false;
            }
            Block::Break => new_page = true,
            other => {
                if out.is_empty() || new_page {
                    out.push(Section { level: 0, heading: None, blocks: Vec::new(), keep: true, new_page });
                    new_page = false;
                }
                if let Some(last) = out.last_mut() {
                    last.blocks.push(other);
                }
            }
        }
    }
    // A section of many rows or questions may fill more than a page: it
    // breaks where it must, its headings and rows still kept together.
    for s in &mut out {
        let weight: usize = s
            .blocks
            .iter()
            .map(|b| match b {
                Block::Table { rows, .. } => rows.len() + 1,
                Block::List { items } => items.len(),
                Block::Question { room, .. } => 2 + room,
                Block::Answer { answer, .. } => 1 + answer.len(),
                Block::Chart { chart } => chart.bars.len() + 2,
                _ => 2,
            })
            .sum();
        s.keep = weight <= 24;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(blocks: Vec<Block>) -> Page {
        Page { lang: "en", title: "T <x>".into(), lead: Rich::plain("lead"), blocks }
    }

    #[test]
    fn markdown_escapes_user_text_and_links_the_md_files() {
        let p = page(vec![
            Block::Heading { level: 2, text: "A *b*".into() },
            Block::Links {
                label: "Sheets".into(),
                links: vec![Link { text: "Rep [1]".into(), stem: "exam-rep".into(), exact: false }],
            },
            Block::Table {
                head: vec!["H|1".into()],
                rows: vec![vec![Rich::plain("a\nb")]],
                numeric: vec![true],
                form: false,
            },
        ]);
        let s = markdown(&p);
        assert!(s.starts_with("# T &lt;x&gt;\n\nlead\n\n## A \\*b\\*\n\n"), "{s}");
        assert!(s.contains("- Sheets: [Rep \\[1\\]](exam-rep.md)"), "{s}");
        assert!(s.contains("| H\\|1 |\n| ---: |\n| a b |"), "{s}");
    }

    #[test]
    fn sections_start_at_headings_and_breaks() {
        let p = page(vec![
            Block::Para { text: Rich::plain("intro") },
            Block::Heading { level: 2, text: "one".into() },
            Block::Para { text: Rich::plain("x") },
            Block::Break,
            Block::Heading { level: 2, text: "two".into() },
        ]);
        let s = sections(&p);
        assert_eq!(s.len(), 3);
        assert_eq!((s[0].heading, s[1].heading, s[2].heading), (None, Some("one"), Some("two")));
        assert!(!s[1].new_page && s[2].new_page);
    }
}
