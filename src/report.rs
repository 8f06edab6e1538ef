//! Rendering diagnostics: miette's graphical report for people, and the
//! JSON records for tools. Pure functions that return strings.

use crate::diagnostics::{Diagnostic, Severity};
use crate::emit::visible::{is_hidden_control, picture, visible};
use crate::lang::{Lang, plural_ru};
use crate::span::LineIndex;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteSpanContents, SourceSpan, SpanContents};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// One diagnostic with its source, as miette wants it: the source is the
/// [`Shown`] text, and the spans are mapped into it.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a ShownSource,
    /// Whether miette writes the help, under its English `help:`; in
    /// Russian the report writes it itself ([`russian_help`]).
    miette_help: bool,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&terminal_text(&self.diagnostic.message))
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&terminal_text(&self.diagnostic.message))
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!("{}({})", self.diagnostic.code.as_str(), self.diagnostic.code.name())))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let help = self.diagnostic.help.as_ref().filter(|_| self.miette_help);
        help.map(|h| Box::new(terminal_text(h)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let d = self.diagnostic;
        let label = |l: &Option<String>| l.as_deref().map(terminal_text);
        let primary = LabeledSpan::new_primary_with_span(label(&d.label), self.source.shown.span(d.span));
        let related = d
            .related
            .iter()
            .map(move |r| LabeledSpan::new_with_span(Some(terminal_text(&r.label)), self.source.shown.span(r.span)));
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

/// The most characters of a message, label or help the human report
/// shows; the rest is cut off with `…`.
const MAX_MESSAGE: usize = 500;

/// A line of the source longer than this many characters is shown only in
/// windows around the positions a diagnostic points at.
pub const LONG_LINE: usize = 120;

/// How many characters a window of a long line shows on either side of
/// the position it is around.
const WINDOW: usize = 40;

/// Text for the terminal: control characters made visible, at most
/// [`MAX_MESSAGE`] characters.
fn terminal_text(text: &str) -> String {
    clip(&visible(text), MAX_MESSAGE)
}

/// `text` cut to `max` characters, ending in `…` when cut.
pub(crate) fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// The source text as the human report shows it. The lines a diagnostic
/// shows (those its spans touch, and one line either side) have their
/// control characters made visible ([`crate::emit::visible`]) and, when
/// longer than [`LONG_LINE`] characters, are cut to windows around the
/// spans' ends, with `…` where text was left out. Every other line is kept
/// at the same length with its control bytes replaced by `?`, so that line
/// numbers stay right; miette never prints them. A lone `\r`, which miette
/// would take for a line end, counts as a control character, so the line
/// numbers are those of the JSON report.
struct Shown {
    text: String,
    /// Where the pieces of the shown text start, in the source and in the
    /// shown text, sorted. A piece is either copied (offsets map one to
    /// one) or a replacement (a control character's picture, or `…`
    /// standing for text left out) of the given length.
    pieces: Vec<Piece>,
    /// The 0-based column, in characters of the source, of each position
    /// a span points at, by its offset in the shown text.
    columns: HashMap<usize, usize>,
}

/// The shown text as miette reads it, named after the file. Where miette
/// asks for the position of a label (no context lines) for the report's
/// `[file:line:column]` header, the column is that of the source, counted
/// in characters like the JSON report's, not miette's count of the bytes
/// of the shown text.
struct ShownSource {
    shown: Shown,
    name: String,
}

impl miette::SourceCode for ShownSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.shown.text.read_span(span, context_lines_before, context_lines_after)?;
        let column = match self.shown.columns.get(&span.offset()) {
            Some(&c) if context_lines_before == 0 && context_lines_after == 0 => c,
            _ => inner.column(),
        };
        let contents = MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )
        .with_language("proc");
        Ok(Box::new(contents))
    }
}

#[derive(Debug, Clone, Copy)]
struct Piece {
    source: usize,
    shown: usize,
    /// `None` for a copied piece; the shown length of a replacement.
    replaced: Option<usize>,
}

impl Shown {
    fn new(text: &str, diagnostics: &[Diagnostic]) -> Shown {
        let starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let line_of = |offset: usize| starts.partition_point(|&s| s <= offset) - 1;
        // The lines shown, as ranges of line numbers, and the positions
        // pointed at.
        let mut ranges = Vec::new();
        let mut points = Vec::new();
        for d in diagnostics {
            for span in std::iter::once(d.span).chain(d.related.iter().map(|r| r.span)) {
                let start = floor_char_boundary(text, span.start);
                let end = floor_char_boundary(text, span.end.max(start));
                ranges.push((line_of(start).saturating_sub(1), line_of(end) + 1));
                points.extend([start, end]);
            }
        }
        ranges.sort_unstable();
        points.sort_unstable();
        points.dedup();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (a, b) in ranges {
            match merged.last_mut() {
                Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        let mut shown = Shown { text: String::with_capacity(text.len()), pieces: Vec::new(), columns: HashMap::new() };
        let mut done = 0;
        for (first, last) in merged {
            let from = starts[first.min(starts.len() - 1)];
            shown.hidden(&text[done..from], done);
            let to = starts.get(last + 1).copied().unwrap_or(text.len());
            for line in first..=last.min(starts.len() - 1) {
                let start = starts[line];
                let end = starts.get(line + 1).map_or(text.len(), |&next| next - 1);
                // A `\r` before the line end stays with it.
                let body = if end < text.len() && text[start..end].ends_with('\r') { end - 1 } else { end };
                let lo = points.partition_point(|&p| p < start);
                let hi = points.partition_point(|&p| p <= end);
                shown.line(text, start, body, &points[lo..hi]);
                shown.copy(&text[body..to.min(starts.get(line + 1).copied().unwrap_or(text.len()))], body);
            }
            done = to;
        }
        shown.hidden(&text[done..], done);
        // The columns of the points, counted from the previous point on the
        // same line, so that a long line is counted once.
        let mut previous: Option<(usize, usize, usize)> = None;
        for &p in &points {
            let line = line_of(p);
            let column = match previous {
                Some((l, at, c)) if l == line => c + text[at..p].chars().count(),
                _ => text[starts[line]..p].chars().count(),
            };
            shown.columns.entry(shown.offset(p, false)).or_insert(column);
            previous = Some((line, p, column));
        }
        shown
    }

    /// A line that is never printed: same length, control bytes replaced.
    fn hidden(&mut self, part: &str, at: usize) {
        if part.is_empty() {
            return;
        }
        self.pieces.push(Piece { source: at, shown: self.text.len(), replaced: None });
        let bytes = part.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        for (i, &b) in bytes.iter().enumerate() {
            let c1 = b == 0xC2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n));
            let c1_tail = (0x80..=0x9F).contains(&b) && i > 0 && bytes[i - 1] == 0xC2;
            let lone_cr = b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
            let control = (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r') || b == 0x7F;
            out.push(if control || c1 || c1_tail || lone_cr { b'?' } else { b });
        }
        // Whole characters were replaced by ASCII, so the text is UTF-8.
        match String::from_utf8(out) {
            Ok(clean) if self.text.is_empty() => self.text = clean,
            Ok(clean) => self.text.push_str(&clean),
            Err(e) => self.text.push_str(&String::from_utf8_lossy(e.as_bytes())),
        }
    }

    /// One line that may be printed (`start..end`, without its `\n`), cut to
    /// windows around `points` when it is long.
    fn line(&mut self, text: &str, start: usize, end: usize, points: &[usize]) {
        let line = &text[start..end];
        if line.len() <= LONG_LINE || line.chars().count() <= LONG_LINE {
            self.copy(line, start);
            return;
        }
        let back = |p: usize| text[start..p].char_indices().rev().nth(WINDOW - 1).map_or(start, |(i, _)| start + i);
        let ahead = |p: usize| text[p..end].char_indices().nth(WINDOW).map_or(end, |(i, _)| p + i);
        let mut windows: Vec<(usize, usize)> = Vec::new();
        let around: Vec<(usize, usize)> = if points.is_empty() {
            vec![(start, ahead(start))]
        } else {
            points.iter().map(|&p| p.min(end)).map(|p| (back(p), ahead(p))).collect()
        };
        for (a, b) in around {
            match windows.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => windows.push((a, b)),
            }
        }
        let mut at = start;
        for (a, b) in windows {
            if a > at {
                self.replace(at, "…");
            }
            self.copy(&text[a..b], a);
            at = b;
        }
        if at < end {
            self.replace(at, "…");
        }
    }

    /// Copies `part` (which starts at `at` in the source), with its control
    /// characters made visible.
    fn copy(&mut self, part: &str, at: usize) {
        let mut run = 0;
        for (i, c) in part.char_indices() {
            let lone_cr = c == '\r' && !part[i + 1..].starts_with('\n');
            if is_hidden_control(c) && (c != '\r' || lone_cr) {
                if i > run {
                    self.pieces.push(Piece { source: at + run, shown: self.text.len(), replaced: None });
                    self.text.push_str(&part[run..i]);
                }
                let mut buf = [0; 4];
                self.replace(at + i, picture(c).encode_utf8(&mut buf));
                run = i + c.len_utf8();
            }
        }
        if run < part.len() {
            self.pieces.push(Piece { source: at + run, shown: self.text.len(), replaced: None });
            self.text.push_str(&part[run..]);
        }
    }

    /// Shows `with` for the source text from `at` to the next piece.
    fn replace(&mut self, at: usize, with: &str) {
        self.pieces.push(Piece { source: at, shown: self.text.len(), replaced: Some(with.len()) });
        self.text.push_str(with);
    }

    /// Where a source offset is in the shown text. The end of a span that
    /// ends inside a replacement is after it.
    fn offset(&self, source: usize, is_end: bool) -> usize {
        let i = self.pieces.partition_point(|p| p.source <= source);
        let Some(piece) = i.checked_sub(1).map(|i| self.pieces[i]) else {
            return 0;
        };
        match piece.replaced {
            None => (piece.shown + (source - piece.source)).min(self.text.len()),
            Some(len) if is_end && source > piece.source => piece.shown + len,
            Some(_) => piece.shown,
        }
    }

    fn span(&self, span: crate::span::Span) -> SourceSpan {
        let start = self.offset(span.start, false);
        let end = self.offset(span.end, true).max(start);
        SourceSpan::new(start.into(), end - start)
    }
}

/// The last character boundary of `text` at or before `offset`.
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// How the human report looks.
#[derive(Debug, Clone, Copy)]
pub struct HumanStyle {
    pub color: bool,
    pub width: usize,
    /// The language of the report's own words (`help`, the count of
    /// diagnostics not shown); the messages come written.
    pub lang: Lang,
}

/// Renders diagnostics of one file as miette's graphical report. Control
/// characters in the source, the messages and the file name are shown
/// visibly ([`crate::emit::visible`]), so a file cannot send escape
/// sequences to the terminal; long lines are shown in windows.
pub fn human(file: &str, text: &str, diagnostics: &[Diagnostic], style: HumanStyle) -> String {
    if diagnostics.is_empty() {
        return String::new();
    }
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler =
        GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false).with_context_lines(1);
    let shown_diagnostics = &diagnostics[..diagnostics.len().min(MAX_SHOWN)];
    let shown = Shown::new(text, shown_diagnostics);
    let file = visible(file);
    let source = ShownSource { shown, name: file.to_string() };
    let mut out = String::new();
    for diagnostic in shown_diagnostics {
        let report = Report { diagnostic, source: &source, miette_help: style.lang == Lang::En };
        // Writing to a String cannot fail.
        let _ = handler.render_report(&mut out, &report);
        if let (Lang::Ru, Some(help)) = (style.lang, &diagnostic.help) {
            out.push_str(&russian_help(&terminal_text(help), style));
        }
        out.push('\n');
    }
    if diagnostics.len() > MAX_SHOWN {
        let more = (diagnostics.len() - MAX_SHOWN) as u64;
        out.push_str(&match style.lang {
            Lang::En => format!("{file}: and {more} more diagnostics not shown; `--format json` lists them all\n\n"),
            Lang::Ru => format!(
                "{file}: ещё {} {}; все их выводит `--format json`\n\n",
                count(Lang::Ru, more, "diagnostic"),
                plural_ru(more, "не показано", "не показаны", "не показано")
            ),
        });
    }
    out
}

/// The help of a diagnostic under `подсказка:`, laid out as miette lays
/// out its `help:` line: wrapped at the report's width, later lines
/// indented under the text. A piece of code in backticks is not broken
/// across lines unless it is longer than a line.
fn russian_help(help: &str, style: HumanStyle) -> String {
    const HEAD: &str = "  подсказка: ";
    let indent = " ".repeat(HEAD.chars().count());
    let width = style.width.saturating_sub(2).max(HEAD.chars().count() + 20);
    let room = width - HEAD.chars().count();
    let mut words: Vec<String> = Vec::new();
    for word in help.split(' ') {
        match words.last_mut() {
            Some(open) if open.matches('`').count() % 2 == 1 => {
                open.push(' ');
                open.push_str(word);
            }
            _ => words.push(word.to_string()),
        }
    }
    let words = words.iter().flat_map(|w| {
        let parts: Vec<&str> = if w.chars().count() > room { w.split(' ').collect() } else { vec![w.as_str()] };
        parts
    });
    let mut lines = vec![String::new()];
    for word in words {
        let line = lines.last_mut().expect("a line");
        let used = line.chars().count() + HEAD.chars().count();
        if !line.is_empty() && used + 1 + word.chars().count() > width {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    let head = if style.color { format!("\u{1b}[36m{HEAD}\u{1b}[39m") } else { HEAD.to_string() };
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        out.push_str(if i == 0 { &head } else { &indent });
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// `3 errors`, `3 ошибки`: a count of `what` (`file`, `error`, `warning`,
/// `diagnostic`) with its noun in the right form.
fn count(lang: Lang, n: u64, what: &str) -> String {
    let (one, few, many) = match (lang, what) {
        (Lang::En, "file") => ("file", "files", "files"),
        (Lang::En, "error") => ("error", "errors", "errors"),
        (Lang::En, "warning") => ("warning", "warnings", "warnings"),
        (Lang::En, _) => ("diagnostic", "diagnostics", "diagnostics"),
        (Lang::Ru, "file") => ("файл", "файла", "файлов"),
        (Lang::Ru, "error") => ("ошибка", "ошибки", "ошибок"),
        (Lang::Ru, "warning") => ("предупреждение", "предупреждения", "предупреждений"),
        (Lang::Ru, _) => ("сообщение", "сообщения", "сообщений"),
    };
    let word = match lang {
        Lang::En if n == 1 => one,
        Lang::En => many,
        Lang::Ru => plural_ru(n, one, few, many),
    };
    format!("{n} {word}")
}

/// The last line of the human report of a run: `3 files, 1 error, 2
/// warnings` (`3 файла, 1 ошибка, 2 предупреждения`).
pub fn summary(lang: Lang, files: usize, errors: usize, warnings: usize) -> String {
    format!(
        "{}, {}, {}\n",
        count(lang, files as u64, "file"),
        count(lang, errors as u64, "error"),
        count(lang, warnings as u64, "warning")
    )
}

/// The most diagnostics of one file the human report shows.
pub const MAX_SHOWN: usize = 100;

/// One diagnostic as `check --format json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonDiagnostic {
    pub file: String,
    pub code: &'static str,
    pub name: &'static str,
    pub severity: &'static str,
    pub message: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, counted in characters.
    pub column: usize,
    pub end_line: usize,
    /// 1-based, counted in characters; the position just after the span.
    pub end_column: usize,
    pub help: Option<String>,
}

/// The JSON records of one file's diagnostics.
pub fn json(file: &str, text: &str, diagnostics: &[Diagnostic]) -> Vec<JsonDiagnostic> {
    let index = LineIndex::new(text);
    diagnostics
        .iter()
        .map(|d| {
            let start = index.line_col(text, d.span.start);
            let end = index.line_col(text, d.span.end);
            JsonDiagnostic {
                file: file.to_string(),
                code: d.code.as_str(),
                name: d.code.name(),
                severity: d.severity.as_str(),
                message: d.message.clone(),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                help: d.help.clone(),
            }
        })
        .collect()
}

/// Escapes a value for a GitHub workflow command's message; control
/// characters are made visible, so none reach the job's log.
fn github_data(s: &str) -> String {
    visible(s).replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a value for a GitHub workflow command's property.
fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands, one line per diagnostic.
pub fn github(file: &str, text: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for j in json(file, text, diagnostics) {
        let level = if j.severity == "error" { "error" } else { "warning" };
        let mut message = j.message.clone();
        if let Some(help) = &j.help {
            message.push('\n');
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            github_property(&j.file),
            j.line,
            j.column,
            j.end_line,
            j.end_column,
            github_property(&format!("{} {}", j.code, j.name)),
            github_data(&message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;
    use crate::span::Span;
    use unicode_width::UnicodeWidthStr;

    fn render(text: &str, d: Diagnostic) -> String {
        human("f.proc", text, &[d], HumanStyle { color: false, width: 200, lang: Lang::En })
    }

    /// The display column of `needle` in the report line holding it, and
    /// that of the underline below it.
    fn columns(report: &str, needle: &str) -> (usize, usize) {
        let lines: Vec<&str> = report.lines().collect();
        let i = lines.iter().position(|l| l.contains(needle) && l.contains('│')).expect("the source line");
        let at = |l: &str, s: &str| l[..l.find(s).expect("found")].width();
        (at(lines[i], needle), at(lines[i + 1], "─"))
    }

    #[test]
    fn russian_help_wraps_at_the_width_and_keeps_code_together() {
        let style = HumanStyle { color: false, width: 40, lang: Lang::Ru };
        let out = russian_help("сделайте её ответственной через `instruct idle` или удалите", style);
        assert_eq!(
            out,
            "  подсказка: сделайте её ответственной\n             через `instruct idle` или\n             удалите\n"
        );
        // Code longer than a line is broken where it has blanks.
        let out = russian_help("`a b c d e f g h i j k l m n o p q r s t u v w x y z`", style);
        assert!(out.lines().all(|l| l.chars().count() <= 38), "{out}");
    }

    #[test]
    fn control_characters_are_shown_as_pictures_and_labels_stay_under_their_text() {
        let text = "a \u{1b}[2J\u{0}\u{85} target\nnext\n";
        let start = text.find("target").expect("target");
        let d = Diagnostic::new(Code::P102, Span::new(start, start + 6), "unknown \u{1b}]0;x\u{7}").with_label("here");
        let report = render(text, d);
        assert!(!report.chars().any(|c| c.is_control() && c != '\n'), "{report:?}");
        assert!(report.contains("a ␛[2J␀� target"), "{report}");
        assert!(report.contains("unknown ␛]0;x␇"), "{report}");
        let (word, underline) = columns(&report, "target");
        assert_eq!(word, underline, "{report}");
        // The header counts characters, as the JSON report does.
        assert!(report.contains("[f.proc:1:10]"), "{report}");
    }

    #[test]
    fn a_long_line_is_shown_in_windows_around_the_spans() {
        let text = format!("x\n{}target{} other\nz\n", "é".repeat(10_000), "b".repeat(10_000));
        let start = text.find("target").expect("target");
        let other = text.find("other").expect("other");
        let d = Diagnostic::new(Code::P102, Span::new(start, start + 6), "m")
            .with_label("here")
            .with_related(Span::new(other, other + 5), "and there");
        let report = render(&text, d);
        assert!(report.len() < 2_000, "{report}");
        let line = report.lines().find(|l| l.contains("target")).expect("the line");
        assert_eq!(line.matches('…').count(), 2, "{line}");
        assert!(line.contains(&format!("…{}target{}…", "é".repeat(WINDOW), "b".repeat(WINDOW))), "{line}");
        assert!(line.ends_with(&format!("{} other", "b".repeat(WINDOW - 1))), "{line}");
        let (word, underline) = columns(&report, "target");
        assert_eq!(word, underline, "{report}");
        assert!(report.contains("[f.proc:2:10001]"), "{report}");
    }

    #[test]
    fn lines_not_shown_keep_their_count() {
        // A lone `\r` is no line end for the parser: miette must not count
        // it as one either.
        let text = "a\rb\u{1b}\n\n\n\nlast\n";
        let start = text.find("last").expect("last");
        let report = render(text, Diagnostic::new(Code::P102, Span::new(start, start + 4), "m"));
        assert!(report.contains(" 5 │ last"), "{report}");
        assert!(report.contains("[f.proc:5:1]"), "{report}");
    }

    #[test]
    fn github_annotations_hold_no_control_characters() {
        let d = Diagnostic::new(Code::P102, Span::new(0, 1), "a\u{1b}[2Jb\u{7}");
        let out = github("f\u{1b}.proc", "x\n", &[d]);
        assert!(out.contains("f␛.proc") && out.contains("a␛[2Jb␇"), "{out}");
    }
}
