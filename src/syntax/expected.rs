//! Turning pest's "expected rules" into words a consultant understands.
//!
//! This is the one place where pest positions become spans for P001, and
//! where a file with no process at all becomes P004 instead.

use super::Rule;
use crate::diagnostics::{Code, Diagnostic};
use crate::report::clip;
use crate::span::Span;
use pest::error::{ErrorVariant, InputLocation};

/// The most characters of the source a message quotes: a name or number
/// on a very long line is cut there, with `…`.
const QUOTED: usize = 40;

/// Builds the P001 (or P004) diagnostic for a parse failure.
pub(super) fn syntax_error(text: &str, error: &pest::error::Error<Rule>) -> Diagnostic {
    let pos = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let positives: Vec<Rule> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let found = found_token(text, pos);
    let span = Span::new(pos, pos + found.len().max(usize::from(pos < text.len())));

    if positives.contains(&Rule::kw_process) && only_trivia_before(text, pos) {
        return Diagnostic::new(Code::P004, span, "this file has no `process`")
            .with_label("expected `process` here")
            .with_help("a file holds exactly one process: wrap everything in `process my_sales \"My sales\" { … }`");
    }

    if text[pos..].starts_with('"') && !text[pos..].starts_with("\"\"\"") {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if !closes_on_line(&text[pos + 1..line_end]) {
            return Diagnostic::new(Code::P001, Span::new(pos, line_end.max(pos + 1)), "this text has no closing `\"`")
                .with_label("the text starts here")
                .with_help("end the text with `\"` on the same line, or use a text block `\"\"\"` … `\"\"\"` for several lines");
        }
    }
    if text[pos..].starts_with("\"\"\"") && !text[pos + 3..].contains("\"\"\"") {
        return Diagnostic::new(Code::P001, Span::new(pos, pos + 3), "this text block has no closing `\"\"\"`")
            .with_label("the text block starts here")
            .with_help("end the text block with `\"\"\"` on a line of its own");
    }

    if let Some(d) = common_slip(text, pos, found, span) {
        return d;
    }

    let before = previous_word(text, pos);
    let mut phrases: Vec<String> = Vec::new();
    let grouped = positives.iter().any(|r| group_phrase(*r).is_some());
    for rule in &positives {
        let phrase = match group_phrase(*rule) {
            Some(p) => p.to_string(),
            // The group phrase names `}`; the optional tail of the item just
            // read (a percentage, `loop`, a label) only lengthens the message.
            None if grouped
                && matches!(rule, Rule::rbrace | Rule::quantity | Rule::kw_loop | Rule::string | Rule::text_block) =>
            {
                continue;
            }
            None => rule_phrase(*rule, before),
        };
        if !phrases.contains(&phrase) {
            phrases.push(phrase);
        }
    }
    // Group phrases first, then single tokens, so the message starts with the
    // most helpful alternative.
    phrases.sort_by_key(|p| !p.starts_with('a') || p.starts_with("a name"));
    let expected = join_or(&phrases);
    let pasted = text[pos..].chars().next().and_then(|c| pasted_character(c, &text[pos + c.len_utf8()..]));
    let found_words = match &pasted {
        _ if pos >= text.len() => "the end of the file".to_string(),
        Some((what, _)) => what.clone(),
        None => format!("`{found}`"),
    };
    let message = if expected.is_empty() {
        format!("unexpected {found_words}")
    } else {
        format!("expected {expected}, found {found_words}")
    };
    let mut diagnostic = Diagnostic::new(Code::P001, span, message).with_label("not expected here");
    if let Some((_, help)) = pasted {
        diagnostic = diagnostic.with_help(help);
    } else if let Some(help) = help_for(&positives, found) {
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
fn common_slip(text: &str, pos: usize, found: &str, span: Span) -> Option<Diagnostic> {
    let before = text[..pos].trim_end();
    let last_token = before.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
    let is_number = !last_token.is_empty() && last_token.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-');
    // What the messages quote of the token, cut on a very long line.
    let quoted = clip(last_token, QUOTED);
    let unit = matches!(found, "min" | "h" | "d" | "w" | "%") || text[pos..].starts_with('/');
    if is_number && unit && before.len() < pos {
        let joined = format!("{quoted}{}", if text[pos..].starts_with('/') { "/…" } else { found });
        return Some(
            Diagnostic::new(
                Code::P001,
                Span::new(pos - (pos - before.len()) - last_token.len(), span.end),
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
            Diagnostic::new(Code::P001, Span::new(before.len() - last_token.len(), span.end), format!("`{quoted} {found}` is not how a value is written"))
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
                    Span::new(pos, pos + 1),
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
    if last_token == "loop" && found.starts_with(|c: char| c.is_ascii_digit()) {
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

/// The last word before `pos`, ignoring spaces and comments on the way.
fn previous_word(text: &str, pos: usize) -> &str {
    let before = text[..pos].trim_end();
    let start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &before[start..]
}

fn group_phrase(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::process_item => "a part of the process such as `stage`, `role`, `metric`, `plan` or `}`",
        Rule::stage_item => "a stage property such as `owner`, `->` or `}`",
        Rule::role_item => "a role property such as `headcount`, `capacity`, `reports to` or `}`",
        Rule::segment_item => "a segment property such as `share`, `deal` or `}`",
        Rule::product_item => "`description` or `}`",
        Rule::metric_item => "a metric property such as `conversion`, `target`, `owner` or `}`",
        Rule::plan_item => "a plan property such as `goal`, `revenue`, `workdays` or `}`",
        Rule::rollout_item => "a rollout property such as `start`, `briefing`, `exam`, `audit` or `}`",
        Rule::instruction => "an instruction in quotes or `}`",
        _ => return None,
    })
}

fn rule_phrase(rule: Rule, before: &str) -> String {
    let s = match rule {
        Rule::ident | Rule::idents => "a name",
        Rule::string | Rule::text_block => "text in quotes",
        Rule::quantity | Rule::number => {
            return match before {
                "takes" | "within" | "effort" | "length" | "every" | "at" => "a duration such as `2h` or `3d`",
                "share" | "entry" | "passive" | "active" => "a percentage such as `40%`",
                "goal" | "workdays" => "a rate such as `10/month`",
                "capacity" => "working time per day such as `6h/day`",
                "headcount" => "a number of people",
                "deal" | "revenue" => "an amount such as `250000 RUB`",
                ">=" | "<=" => "a target value such as `40%`, `2d` or `20/day`",
                _ => "a number",
            }
            .to_string();
        }
        Rule::currency => "a currency code such as `RUB`",
        Rule::date => "a date such as `2027-01-11`",
        Rule::lbrace => "`{`",
        Rule::rbrace => "`}`",
        Rule::arrow => "`->`",
        Rule::slash => "`/`",
        Rule::at_least | Rule::at_most => "`>=` or `<=`",
        Rule::EOI => "the end of the file",
        Rule::process => "`process`",
        other => {
            let name = format!("{other:?}");
            return match name.strip_prefix("kw_") {
                Some(word) => format!("`{word}`"),
                None => format!("`{name}`"),
            };
        }
    };
    s.to_string()
}

fn help_for(positives: &[Rule], found: &str) -> Option<String> {
    const BLOCKS: &[&str] = &["stage", "role", "segment", "product", "metric", "plan", "rollout"];
    let inside_block = positives.iter().any(|r| {
        matches!(
            r,
            Rule::stage_item
                | Rule::role_item
                | Rule::segment_item
                | Rule::product_item
                | Rule::metric_item
                | Rule::plan_item
                | Rule::rollout_item
                | Rule::instruction
        )
    });
    if inside_block && BLOCKS.contains(&found) {
        return Some(format!("a `}}` is probably missing before this `{found}`: the block above is not closed"));
    }
    if positives.contains(&Rule::stage_item) {
        return Some(format!(
            "a stage holds `description`, `entry`, `outcome`, `owner`, `takes`, `within`, `effort`, `instruct`, `exit` and transitions `-> stage`; `{found}` is none of them"
        ));
    }
    if positives.contains(&Rule::process_item) {
        return Some(
            "inside a process come `language`, `version`, `description`, `segment`, `product`, `role`, `stage`, `metric`, `plan` and `rollout`"
                .to_string(),
        );
    }
    if positives.contains(&Rule::ident) {
        return Some("names start with a letter or `_` and continue with letters, digits or `_`".to_string());
    }
    None
}

fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
