//! Syntax errors (P001) in words a consultant understands, and a file
//! with no process at all as P004.
//!
//! The parser says what it expected where it stopped ([`Expect`]) and in
//! which block ([`Block`]); the phrases name the keywords in the file's
//! keyword language, from the one table ([`super::keywords`]).

use super::keywords::{Keyword, items};
use crate::ast::Language;
use crate::diagnostics::{Code, Diagnostic};
use crate::report::clip;
use crate::span::{FileId, Span};

/// The most characters of the source a message quotes: a name or number
/// on a very long line is cut there, with `…`.
const QUOTED: usize = 40;

/// A block of items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    File,
    Process,
    Library,
    Segment,
    Product,
    Role,
    Stage,
    Instructions,
    Metric,
    Plan,
    Rollout,
}

impl Block {
    /// The keywords that start its items.
    pub fn items(self) -> &'static [Keyword] {
        match self {
            Block::File => items::FILE,
            Block::Process => items::PROCESS,
            Block::Library => items::LIBRARY,
            Block::Segment => items::SEGMENT,
            Block::Product => items::PRODUCT,
            Block::Role => items::ROLE,
            Block::Stage => items::STAGE,
            Block::Instructions => &[],
            Block::Metric => items::METRIC,
            Block::Plan => items::PLAN,
            Block::Rollout => items::ROLLOUT,
        }
    }
}

/// What the parser expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// An item of the block, or its end.
    Items(Block),
    Keyword(Keyword),
    Name,
    Text,
    /// A number, with the unit the place needs.
    Value,
    Currency,
    Date,
    LBrace,
    Arrow,
    Slash,
    Comparison,
}

/// Builds the P001 (or P004) diagnostic for the token at `pos`.
pub(super) fn syntax_error(
    text: &str,
    file: FileId,
    pos: usize,
    expected: &[Expect],
    block: Block,
    before: Option<Keyword>,
    language: Language,
) -> Diagnostic {
    let at = |start: usize, end: usize| Span::in_file(file, start, end);
    let found = found_token(text, pos);
    let span = at(pos, pos + found.len().max(usize::from(pos < text.len())));
    let kw = |k: Keyword| format!("`{}`", k.phrase(language));

    if expected.contains(&Expect::Items(Block::File)) && only_trivia_before(text, pos) {
        return Diagnostic::new(Code::P004, span, format!("this file has no {}", kw(Keyword::Process)))
            .with_label(format!("expected {} here", kw(Keyword::Process)))
            .with_help(format!(
                "a file holds exactly one process: wrap everything in `{} my_sales \"My sales\" {{ … }}`",
                Keyword::Process.spelling(language)
            ));
    }

    if text[pos..].starts_with('"') && !text[pos..].starts_with("\"\"\"") {
        let line_end = text[pos..].find(['\n', '\r']).map_or(text.len(), |i| pos + i);
        if !closes_on_line(&text[pos + 1..line_end]) {
            return Diagnostic::new(Code::P001, at(pos, line_end.max(pos + 1)), "this text has no closing `\"`")
                .with_label("the text starts here")
                .with_help("end the text with `\"` on the same line, or use a text block `\"\"\"` … `\"\"\"` for several lines");
        }
    }
    if text[pos..].starts_with("\"\"\"") && !text[pos + 3..].contains("\"\"\"") {
        return Diagnostic::new(Code::P001, at(pos, pos + 3), "this text block has no closing `\"\"\"`")
            .with_label("the text block starts here")
            .with_help("end the text block with `\"\"\"` on a line of its own");
    }

    if let Some(d) = common_slip(text, pos, found, span, language) {
        return d;
    }

    let mut phrases: Vec<String> = Vec::new();
    for e in expected {
        let phrase = phrase(*e, text, pos, before, language);
        if !phrases.contains(&phrase) {
            phrases.push(phrase);
        }
    }
    let expected_words = join_or(&phrases);
    let pasted = text[pos..].chars().next().and_then(|c| pasted_character(c, &text[pos + c.len_utf8()..]));
    let found_words = match &pasted {
        _ if pos >= text.len() => "the end of the file".to_string(),
        Some((what, _)) => what.clone(),
        None => format!("`{found}`"),
    };
    let message = if expected_words.is_empty() {
        format!("unexpected {found_words}")
    } else {
        format!("expected {expected_words}, found {found_words}")
    };
    let mut diagnostic = Diagnostic::new(Code::P001, span, message).with_label("not expected here");
    if let Some((_, help)) = pasted {
        diagnostic = diagnostic.with_help(help);
    } else if let Some(help) = help_for(expected, block, text, pos, found, language) {
        diagnostic = diagnostic.with_help(help);
    }
    diagnostic
}

/// Characters that text copied from a word processor, a chat or a web page
/// brings along, which look like the ones the language uses: what was
/// found, and what to write instead. `after` is the text that follows.
fn pasted_character(c: char, after: &str) -> Option<(String, &'static str)> {
    let code = format!("U+{:04X}", u32::from(c));
    let (what, help) = match c {
        '\u{00A0}' | '\u{202F}' => (
            format!("a no-break space ({code}), which looks like a space"),
            "replace it with an ordinary space; text copied from a word processor or a web page often carries them",
        ),
        '\u{2000}'..='\u{200A}' | '\u{205F}' | '\u{3000}' => (
            format!("a typographic space ({code}), which looks like a space"),
            "replace it with an ordinary space; text copied from a word processor or a web page often carries them",
        ),
        '\u{200B}'..='\u{200D}' | '\u{2060}' => (
            format!("an invisible zero-width character ({code})"),
            "delete it: most editors do not show it, so delete the character before and after it and type them again",
        ),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' | '\u{2018}' | '\u{2019}' => (
            format!("the typographic quote `{c}` ({code})"),
            "put text between straight double quotes: `\"…\"`; typographic quotes are fine inside them",
        ),
        '\u{2013}' | '\u{2014}' | '\u{2212}' if after.starts_with('>') => (
            format!("`{c}>` written with a dash ({code})"),
            "write the arrow as `->`, with the ordinary hyphen-minus `-`",
        ),
        '\u{2013}' | '\u{2014}' | '\u{2212}' => (
            format!("the dash `{c}` ({code})"),
            "the language uses the ordinary hyphen-minus `-` (in `->` and in negative numbers)",
        ),
        '\u{2192}' | '\u{27F6}' => (format!("the arrow `{c}` ({code})"), "write the arrow as `->`"),
        _ => return None,
    };
    Some((what, help))
}

/// Mistakes common enough to deserve their own message.
fn common_slip(text: &str, pos: usize, found: &str, span: Span, language: Language) -> Option<Diagnostic> {
    let before = text[..pos].trim_end();
    let last_token = before.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
    let is_number = !last_token.is_empty() && last_token.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-');
    // What the messages quote of the token, cut on a very long line.
    let quoted = clip(last_token, QUOTED);
    let unit = found == "%" || super::keywords::duration_unit(found).is_some() || text[pos..].starts_with('/');
    if is_number && unit && before.len() < pos {
        let joined = format!("{quoted}{}", if text[pos..].starts_with('/') { "/…" } else { found });
        return Some(
            Diagnostic::new(
                Code::P001,
                span.with(pos - (pos - before.len()) - last_token.len(), span.end),
                format!("a space between `{quoted}` and `{found}`"),
            )
            .with_label("one value, written apart")
            .with_help(format!("write the number and its unit together, without a space: `{joined}`")),
        );
    }
    let spelled = match found.to_lowercase().as_str() {
        "minute" | "minutes" | "mins" | "минута" | "минуты" | "минут" | "мин" => Some("min"),
        "hour" | "hours" | "hr" | "hrs" | "час" | "часа" | "часов" | "ч" => Some("h"),
        "day" | "days" | "день" | "дня" | "дней" | "дн" => Some("d"),
        "week" | "weeks" | "неделя" | "недели" | "недель" | "нед" => Some("w"),
        "percent" | "процент" | "процента" | "процентов" => Some("%"),
        _ => None,
    };
    if let (true, Some(unit)) = (is_number, spelled) {
        return Some(
            Diagnostic::new(Code::P001, span.with(before.len() - last_token.len(), span.end), format!("`{quoted} {found}` is not how a value is written"))
                .with_label("write the unit as a short suffix")
                .with_help(format!(
                    "write `{quoted}{unit}`: durations use `min`, `h`, `d` and `w` right after the number (`30min`, `2h`, `3d`, `1w`), percentages `%`"
                )),
        );
    }
    if found == "-"
        && before.ends_with(|c: char| c.is_alphanumeric() || c == '_')
        && !last_token.chars().all(|c| c.is_ascii_digit())
    {
        let rest: String =
            text[pos + 1..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-').collect();
        let rest = clip(rest.trim_end_matches('-'), QUOTED);
        if !rest.is_empty() {
            return Some(
                Diagnostic::new(
                    Code::P001,
                    span.with(pos, pos + 1),
                    format!("a name cannot contain `-`: `{quoted}-{rest}`"),
                )
                .with_label("not allowed in a name")
                .with_help(format!("names are letters, digits and `_`: write `{quoted}_{}`", rest.replace('-', "_"))),
            );
        }
    }
    if found == "\"" && before.ends_with("\"\"") {
        return Some(
            Diagnostic::new(Code::P001, span, "a text block must start on a line of its own")
                .with_label("the text after `\"\"\"` is not part of a text block")
                .with_help("for one line of text use quotes: \"…\"; a text block puts `\"\"\"` at the end of a line, the text on the next lines, and `\"\"\"` after it"),
        );
    }
    if Keyword::Loop.is(last_token, language) && found.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(
            Diagnostic::new(Code::P001, span, format!("the percentage `{found}` comes before `loop`"))
                .with_label("after `loop`")
                .with_help(format!(
                    "write the transition as `-> stage {found} loop \"label\"`: target, percentage, `loop`, label"
                )),
        );
    }
    None
}

fn closes_on_line(rest: &str) -> bool {
    let mut escaped = false;
    for c in rest.chars() {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '"') => return true,
            _ => {}
        }
    }
    false
}

/// The word or character at `pos`, for "found `…`".
fn found_token(text: &str, pos: usize) -> &str {
    let rest = &text[pos.min(text.len())..];
    let word_len = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '%' || c == '.'))
        .map_or(rest.len(), |(i, _)| i);
    if word_len > 0 {
        let word = &rest[..word_len];
        if word.len() > 40 { &word[..word.char_indices().nth(40).map_or(word.len(), |(i, _)| i)] } else { word }
    } else {
        rest.chars().next().map_or("", |c| &rest[..c.len_utf8()])
    }
}

fn only_trivia_before(text: &str, pos: usize) -> bool {
    text[..pos].lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#')
    })
}

/// The phrase for one thing expected.
fn phrase(expect: Expect, text: &str, pos: usize, before: Option<Keyword>, language: Language) -> String {
    let kw = |k: Keyword| format!("`{}`", k.phrase(language));
    let list = |ks: &[Keyword]| ks.iter().map(|k| kw(*k)).collect::<Vec<_>>().join(", ");
    use Keyword as K;
    match expect {
        Expect::Items(block) => match block {
            Block::File => format!("{}, {} or the end of the file", kw(K::Process), kw(K::Library)),
            Block::Process => format!(
                "a part of the process such as {}, {}, {}, {} or `}}`",
                kw(K::Stage),
                kw(K::Role),
                kw(K::Metric),
                kw(K::Plan)
            ),
            Block::Library => {
                format!("a part of the library such as {}, {}, {} or `}}`", kw(K::Role), kw(K::Segment), kw(K::Use))
            }
            Block::Stage => format!("a stage property such as {}, `->` or `}}`", kw(K::Owner)),
            Block::Role => {
                format!("a role property such as {} or `}}`", list(&[K::Headcount, K::Capacity, K::Reports]))
            }
            Block::Segment => format!("a segment property such as {} or `}}`", list(&[K::Share, K::Deal])),
            Block::Product => format!("{} or `}}`", kw(K::Description)),
            Block::Metric => {
                format!("a metric property such as {} or `}}`", list(&[K::Conversion, K::Target, K::Owner]))
            }
            Block::Plan => format!("a plan property such as {} or `}}`", list(&[K::Goal, K::Revenue, K::Workdays])),
            Block::Rollout => {
                format!("a rollout property such as {} or `}}`", list(&[K::Start, K::Briefing, K::Exam, K::Audit]))
            }
            Block::Instructions => "an instruction in quotes or `}`".to_string(),
        },
        Expect::Keyword(k) => kw(k),
        Expect::Name => "a name".to_string(),
        Expect::Text => "text in quotes".to_string(),
        Expect::Value => {
            let before_text = text[..pos].trim_end();
            if before_text.ends_with(">=") || before_text.ends_with("<=") {
                return "a target value such as `40%`, `2d` or `20/day`".to_string();
            }
            match before {
                Some(K::Takes | K::Within | K::Effort | K::Length | K::Every | K::At) => {
                    "a duration such as `2h` or `3d`"
                }
                Some(K::Share | K::Entry | K::Passive | K::Active) => "a percentage such as `40%`",
                Some(K::Goal | K::Workdays) => "a rate such as `10/month`",
                Some(K::Capacity) => "working time per day such as `6h/day`",
                Some(K::Headcount) => "a number of people",
                Some(K::Deal | K::Revenue) => "an amount such as `250000 RUB`",
                _ => "a number",
            }
            .to_string()
        }
        Expect::Currency => "a currency code such as `RUB`".to_string(),
        Expect::Date => "a date such as `2027-01-11`".to_string(),
        Expect::LBrace => "`{`".to_string(),
        Expect::Arrow => "`->`".to_string(),
        Expect::Slash => "`/`".to_string(),
        Expect::Comparison => "`>=` or `<=`".to_string(),
    }
}

fn help_for(
    expected: &[Expect],
    block: Block,
    text: &str,
    pos: usize,
    found: &str,
    language: Language,
) -> Option<String> {
    let in_items = expected.iter().any(|e| matches!(e, Expect::Items(b) if *b != Block::File));
    let word = text[pos..].split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("");
    let is_block_keyword = [K::Stage, K::Role, K::Segment, K::Product, K::Metric, K::Plan, K::Rollout]
        .iter()
        .any(|k| k.is(word, language));
    use Keyword as K;
    if in_items && is_block_keyword && block != Block::Process && block != Block::Library {
        return Some(format!("a `}}` is probably missing before this `{found}`: the block above is not closed"));
    }
    if expected.contains(&Expect::Items(Block::Stage)) {
        let all = [K::Description, K::Entry, K::Outcome, K::Owner, K::Takes, K::Within, K::Effort, K::Instruct]
            .iter()
            .map(|k| format!("`{}`", k.phrase(language)))
            .collect::<Vec<_>>()
            .join(", ");
        return Some(format!(
            "a stage holds {all}, `{}` and transitions `-> stage`; `{found}` is none of them",
            K::Exit.phrase(language)
        ));
    }
    if expected.contains(&Expect::Items(Block::Process)) {
        let all = items::PROCESS.iter().map(|k| format!("`{}`", k.phrase(language))).collect::<Vec<_>>();
        return Some(format!("inside a process come {}", join_and(&all)));
    }
    if expected.contains(&Expect::Name) {
        return Some("names start with a letter or `_` and continue with letters, digits or `_`".to_string());
    }
    None
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
