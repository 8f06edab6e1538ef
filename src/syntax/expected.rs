//! Syntax errors (P001) in words a consultant understands, and a file
//! with no process at all as P004.
//!
//! The parser says what it expected where it stopped ([`Expect`]) and in
//! which block ([`Block`]); the phrases name the keywords in the file's
//! keyword language, from the one table ([`super::keywords`]), and are
//! written in the language of the messages ([`Wording`]).

use super::keywords::{self, Keyword, items};
use crate::ast::{Language, Period};
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;
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

/// How the messages are worded: the file's keyword language, which the
/// keywords, units and periods they name are spelt in, and the language
/// the messages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wording {
    pub keywords: Language,
    pub lang: Lang,
}

impl Wording {
    /// English messages about an English-keyword file.
    pub const ENGLISH: Wording = Wording { keywords: Language::En, lang: Lang::En };

    /// A keyword as a message quotes it: `` `reports to` ``.
    pub fn kw(self, k: Keyword) -> String {
        format!("`{}`", k.phrase(self.keywords))
    }

    /// A duration unit, given in English (`h`), in the file's spelling.
    pub fn unit(self, en: &'static str) -> &'static str {
        keywords::unit_word(en, self.keywords).unwrap_or(en)
    }

    /// A period in the file's spelling: `day`, `день`.
    pub fn period(self, period: Period) -> &'static str {
        keywords::period_word(period, self.keywords)
    }

    /// The English or the Russian text, as the messages are written.
    pub fn pick<T>(self, en: T, ru: T) -> T {
        match self.lang {
            Lang::En => en,
            Lang::Ru => ru,
        }
    }
}

/// Builds the P001 (or P004) diagnostic for the token at `pos`.
pub(super) fn syntax_error(
    text: &str,
    file: FileId,
    pos: usize,
    expected: &[Expect],
    block: Block,
    before: Option<Keyword>,
    say: Wording,
) -> Diagnostic {
    let at = |start: usize, end: usize| Span::in_file(file, start, end);
    let found = found_token(text, pos);
    let span = at(pos, pos + found.len().max(usize::from(pos < text.len())));
    let ru = say.lang == Lang::Ru;

    if expected.contains(&Expect::Items(Block::File)) && only_trivia_before(text, pos) {
        let (process, spelt) = (say.kw(Keyword::Process), Keyword::Process.spelling(say.keywords));
        return no_process(span, say)
            .with_label(if ru {
                format!("здесь ожидается {process}")
            } else {
                format!("expected {process} here")
            })
            .with_help(if ru {
                format!("в файле ровно один процесс: заключите всё в `{spelt} my_sales \"Мои продажи\" {{ … }}`")
            } else {
                format!("a file holds exactly one process: wrap everything in `{spelt} my_sales \"My sales\" {{ … }}`")
            });
    }

    if text[pos..].starts_with('"') && !text[pos..].starts_with("\"\"\"") {
        let line_end = text[pos..].find(['\n', '\r']).map_or(text.len(), |i| pos + i);
        if !closes_on_line(&text[pos + 1..line_end]) {
            let d = Diagnostic::new(
                Code::P001,
                at(pos, line_end.max(pos + 1)),
                say.pick("this text has no closing `\"`", "текст не закрыт кавычкой `\"`"),
            );
            return if ru {
                d.with_label("текст начинается здесь")
                    .with_help("закончите текст кавычкой `\"` на той же строке, а для нескольких строк возьмите блок текста `\"\"\"` … `\"\"\"`")
            } else {
                d.with_label("the text starts here")
                    .with_help("end the text with `\"` on the same line, or use a text block `\"\"\"` … `\"\"\"` for several lines")
            };
        }
    }
    if text[pos..].starts_with("\"\"\"") && !text[pos + 3..].contains("\"\"\"") {
        let d = Diagnostic::new(
            Code::P001,
            at(pos, pos + 3),
            say.pick("this text block has no closing `\"\"\"`", "блок текста не закрыт: нет закрывающих `\"\"\"`"),
        );
        return if ru {
            d.with_label("блок текста начинается здесь")
                .with_help("закончите блок текста строкой, на которой стоят только `\"\"\"`")
        } else {
            d.with_label("the text block starts here")
                .with_help("end the text block with `\"\"\"` on a line of its own")
        };
    }

    if let Some(d) = common_slip(text, pos, found, span, say) {
        return d;
    }

    let mut phrases: Vec<String> = Vec::new();
    for e in expected {
        let phrase = phrase(*e, text, pos, before, say);
        if !phrases.contains(&phrase) {
            phrases.push(phrase);
        }
    }
    let expected_words = join(&phrases, say.pick("or", "или"));
    let pasted = text[pos..].chars().next().and_then(|c| pasted_character(c, &text[pos + c.len_utf8()..], say));
    let found_words = match &pasted {
        _ if pos >= text.len() => say.pick("the end of the file", "конец файла").to_string(),
        Some((what, _)) => what.clone(),
        None => format!("`{found}`"),
    };
    let message = match (expected_words.is_empty(), ru) {
        (true, false) => format!("unexpected {found_words}"),
        (false, false) => format!("expected {expected_words}, found {found_words}"),
        (true, true) => format!("здесь не ожидается {found_words}"),
        (false, true) => format!("ожидается {expected_words}, а здесь {found_words}"),
    };
    let mut diagnostic =
        Diagnostic::new(Code::P001, span, message).with_label(say.pick("not expected here", "здесь не ожидается"));
    if let Some((_, help)) = pasted {
        diagnostic = diagnostic.with_help(help);
    } else if let Some(help) = help_for(expected, block, text, pos, found, say) {
        diagnostic = diagnostic.with_help(help);
    }
    diagnostic
}

/// P004 for a file with no process, with its message: "this file has no
/// `process`".
pub(super) fn no_process(span: Span, say: Wording) -> Diagnostic {
    let process = say.kw(Keyword::Process);
    let message = match say.lang {
        Lang::En => format!("this file has no {process}"),
        Lang::Ru => format!("в этом файле нет объявления {process}"),
    };
    Diagnostic::new(Code::P004, span, message)
}

/// The help of P004 for a file with no process.
pub(super) fn no_process_help(say: Wording) -> String {
    let spelt = Keyword::Process.spelling(say.keywords);
    match say.lang {
        Lang::En => format!("a file holds exactly one process: `{spelt} my_sales \"My sales\" {{ … }}`"),
        Lang::Ru => format!("в файле ровно один процесс: `{spelt} my_sales \"Мои продажи\" {{ … }}`"),
    }
}

/// Characters that text copied from a word processor, a chat or a web page
/// brings along, which look like the ones the language uses: what was
/// found, and what to write instead. `after` is the text that follows.
fn pasted_character(c: char, after: &str, say: Wording) -> Option<(String, &'static str)> {
    let code = format!("U+{:04X}", u32::from(c));
    let space_help = say.pick(
        "replace it with an ordinary space; text copied from a word processor or a web page often carries them",
        "замените его обычным пробелом: такие пробелы часто приходят с текстом из текстового редактора или с веб-страницы",
    );
    let (what, help) = match (c, say.lang) {
        ('\u{00A0}' | '\u{202F}', Lang::En) => {
            (format!("a no-break space ({code}), which looks like a space"), space_help)
        }
        ('\u{00A0}' | '\u{202F}', Lang::Ru) => {
            (format!("неразрывный пробел (`{code}`), похожий на обычный"), space_help)
        }
        ('\u{2000}'..='\u{200A}' | '\u{205F}' | '\u{3000}', Lang::En) => {
            (format!("a typographic space ({code}), which looks like a space"), space_help)
        }
        ('\u{2000}'..='\u{200A}' | '\u{205F}' | '\u{3000}', Lang::Ru) => {
            (format!("типографский пробел (`{code}`), похожий на обычный"), space_help)
        }
        ('\u{200B}'..='\u{200D}' | '\u{2060}', Lang::En) => (
            format!("an invisible zero-width character ({code})"),
            "delete it: most editors do not show it, so delete the character before and after it and type them again",
        ),
        ('\u{200B}'..='\u{200D}' | '\u{2060}', Lang::Ru) => (
            format!("невидимый символ нулевой ширины (`{code}`)"),
            "удалите его: большинство редакторов его не показывают, поэтому сотрите символы до и после него и наберите их заново",
        ),
        ('\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' | '\u{2018}' | '\u{2019}', Lang::En) => (
            format!("the typographic quote `{c}` ({code})"),
            "put text between straight double quotes: `\"…\"`; typographic quotes are fine inside them",
        ),
        ('\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' | '\u{2018}' | '\u{2019}', Lang::Ru) => (
            format!("типографская кавычка `{c}` (`{code}`)"),
            "текст пишется между прямыми двойными кавычками: `\"…\"`; внутри них типографские кавычки можно",
        ),
        ('\u{2013}' | '\u{2014}' | '\u{2212}', Lang::En) if after.starts_with('>') => (
            format!("`{c}>` written with a dash ({code})"),
            "write the arrow as `->`, with the ordinary hyphen-minus `-`",
        ),
        ('\u{2013}' | '\u{2014}' | '\u{2212}', Lang::Ru) if after.starts_with('>') => (
            format!("стрелка `{c}>`, набранная через тире (`{code}`)"),
            "запишите стрелку как `->`, с обычным дефисом-минусом `-`",
        ),
        ('\u{2013}' | '\u{2014}' | '\u{2212}', Lang::En) => (
            format!("the dash `{c}` ({code})"),
            "the language uses the ordinary hyphen-minus `-` (in `->` and in negative numbers)",
        ),
        ('\u{2013}' | '\u{2014}' | '\u{2212}', Lang::Ru) => (
            format!("тире `{c}` (`{code}`)"),
            "в языке используется обычный дефис-минус `-` (в `->` и в отрицательных числах)",
        ),
        ('\u{2192}' | '\u{27F6}', Lang::En) => (format!("the arrow `{c}` ({code})"), "write the arrow as `->`"),
        ('\u{2192}' | '\u{27F6}', Lang::Ru) => (format!("стрелка `{c}` (`{code}`)"), "запишите стрелку как `->`"),
        _ => return None,
    };
    Some((what, help))
}

/// Mistakes common enough to deserve their own message.
fn common_slip(text: &str, pos: usize, found: &str, span: Span, say: Wording) -> Option<Diagnostic> {
    let before = text[..pos].trim_end();
    let last_token = before.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
    let is_number = !last_token.is_empty() && last_token.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-');
    // What the messages quote of the token, cut on a very long line.
    let quoted = clip(last_token, QUOTED);
    let ru = say.lang == Lang::Ru;
    // `64,5%`: a decimal comma. A comma separates lists here, so the number
    // is read as 64 and the rest is out of place; say what to write.
    if found == "," && is_number && before.len() == pos {
        let rest: String =
            text[pos + 1..].chars().take_while(|c| c.is_alphanumeric() || *c == '%' || *c == '/').collect();
        if rest.starts_with(|c: char| c.is_ascii_digit()) {
            let (written, fixed) =
                (clip(&format!("{last_token},{rest}"), QUOTED), clip(&format!("{last_token}.{rest}"), QUOTED));
            let span = span.with(pos - last_token.len(), pos + 1 + rest.len());
            return Some(if ru {
                Diagnostic::new(Code::P001, span, format!("`{written}` записано с десятичной запятой"))
                    .with_label("запятая разделяет списки")
                    .with_help(format!("дробную часть отделяйте точкой: `{fixed}`"))
            } else {
                Diagnostic::new(Code::P001, span, format!("`{written}` is written with a decimal comma"))
                    .with_label("a comma separates lists")
                    .with_help(format!("write the decimal part after a point: `{fixed}`"))
            });
        }
    }
    // `12 000 000 RUB`: digits grouped with spaces.
    if is_number
        && !last_token.contains('.')
        && before.len() < pos
        && found.len() == 3
        && found.bytes().all(|b| b.is_ascii_digit())
    {
        let start = pos - (pos - before.len()) - last_token.len();
        // The whole run of groups, for the message.
        let mut end = pos + 3;
        let bytes = text.as_bytes();
        while end + 4 <= text.len()
            && bytes[end] == b' '
            && bytes[end + 1..end + 4].iter().all(u8::is_ascii_digit)
            && bytes.get(end + 4).is_none_or(|b| !b.is_ascii_digit())
        {
            end += 4;
        }
        let written = clip(&text[start..end], QUOTED);
        let fixed = clip(&text[start..end].replace(' ', ""), QUOTED);
        let span = span.with(start, end);
        return Some(if ru {
            Diagnostic::new(Code::P001, span, format!("в `{written}` разряды отделены пробелами"))
                .with_label("это несколько чисел")
                .with_help(format!("пишите число без пробелов: `{fixed}`"))
        } else {
            Diagnostic::new(Code::P001, span, format!("`{written}` groups its digits with spaces"))
                .with_label("read as several numbers")
                .with_help(format!("write the number without spaces: `{fixed}`"))
        });
    }
    let unit = found == "%" || keywords::duration_unit(found).is_some() || text[pos..].starts_with('/');
    if is_number && unit && before.len() < pos {
        let joined = format!("{quoted}{}", if text[pos..].starts_with('/') { "/…" } else { found });
        let span = span.with(pos - (pos - before.len()) - last_token.len(), span.end);
        return Some(if ru {
            Diagnostic::new(Code::P001, span, format!("пробел между `{quoted}` и `{found}`"))
                .with_label("одно значение, записанное раздельно")
                .with_help(format!("пишите число и его единицу слитно, без пробела: `{joined}`"))
        } else {
            Diagnostic::new(Code::P001, span, format!("a space between `{quoted}` and `{found}`"))
                .with_label("one value, written apart")
                .with_help(format!("write the number and its unit together, without a space: `{joined}`"))
        });
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
        let unit = if unit == "%" { unit } else { say.unit(unit) };
        let [min, h, d, w] = ["min", "h", "d", "w"].map(|u| say.unit(u));
        let span = span.with(before.len() - last_token.len(), span.end);
        return Some(if ru {
            Diagnostic::new(Code::P001, span, format!("`{quoted} {found}` — так значения не пишут"))
                .with_label("единица пишется коротким суффиксом")
                .with_help(format!(
                    "напишите `{quoted}{unit}`: единица длительности (`{min}`, `{h}`, `{d}` или `{w}`) пишется сразу после числа (`30{min}`, `2{h}`, `3{d}`, `1{w}`), а у процентов — знак `%`"
                ))
        } else {
            Diagnostic::new(Code::P001, span, format!("`{quoted} {found}` is not how a value is written"))
                .with_label("write the unit as a short suffix")
                .with_help(format!(
                    "write `{quoted}{unit}`: durations use `{min}`, `{h}`, `{d}` and `{w}` right after the number (`30{min}`, `2{h}`, `3{d}`, `1{w}`), percentages `%`"
                ))
        });
    }
    if found == "-"
        && before.ends_with(|c: char| c.is_alphanumeric() || c == '_')
        && !last_token.chars().all(|c| c.is_ascii_digit())
    {
        let rest: String =
            text[pos + 1..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-').collect();
        let rest = clip(rest.trim_end_matches('-'), QUOTED);
        if !rest.is_empty() {
            let (span, fixed) = (span.with(pos, pos + 1), rest.replace('-', "_"));
            return Some(if ru {
                Diagnostic::new(Code::P001, span, format!("в имени не может быть `-`: `{quoted}-{rest}`"))
                    .with_label("в имени так нельзя")
                    .with_help(format!("имя состоит из букв, цифр и `_`: напишите `{quoted}_{fixed}`"))
            } else {
                Diagnostic::new(Code::P001, span, format!("a name cannot contain `-`: `{quoted}-{rest}`"))
                    .with_label("not allowed in a name")
                    .with_help(format!("names are letters, digits and `_`: write `{quoted}_{fixed}`"))
            });
        }
    }
    if found == "\"" && before.ends_with("\"\"") {
        return Some(if ru {
            Diagnostic::new(Code::P001, span, "блок текста должен начинаться с новой строки")
                .with_label("текст после `\"\"\"` не входит в блок текста")
                .with_help("для одной строки текста возьмите кавычки: `\"…\"`; в блоке текста `\"\"\"` стоят в конце строки, текст — на следующих строках, а после него — закрывающие `\"\"\"`")
        } else {
            Diagnostic::new(Code::P001, span, "a text block must start on a line of its own")
                .with_label("the text after `\"\"\"` is not part of a text block")
                .with_help("for one line of text use quotes: \"…\"; a text block puts `\"\"\"` at the end of a line, the text on the next lines, and `\"\"\"` after it")
        });
    }
    if Keyword::Loop.is(last_token, say.keywords) && found.starts_with(|c: char| c.is_ascii_digit()) {
        let looped = Keyword::Loop.spelling(say.keywords);
        return Some(if ru {
            // The target as written, when there is one before the keyword.
            let target = before[..before.len() - last_token.len()]
                .trim_end()
                .rsplit(|c: char| c.is_whitespace())
                .next()
                .filter(|t| t.chars().all(|c| c.is_alphanumeric() || c == '_') && !t.is_empty())
                .map_or("этап".to_string(), |t| clip(t, QUOTED));
            Diagnostic::new(Code::P001, span, format!("процент `{found}` пишется перед `{looped}`"))
                .with_label(format!("стоит после `{looped}`"))
                .with_help(format!(
                    "запишите переход так: `-> {target} {found} {looped} \"подпись\"`: цель, процент, `{looped}`, подпись"
                ))
        } else {
            Diagnostic::new(Code::P001, span, format!("the percentage `{found}` comes before `{looped}`"))
                .with_label(format!("after `{looped}`"))
                .with_help(format!(
                    "write the transition as `-> stage {found} {looped} \"label\"`: target, percentage, `{looped}`, label"
                ))
        });
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
fn phrase(expect: Expect, text: &str, pos: usize, before: Option<Keyword>, say: Wording) -> String {
    let kw = |k: Keyword| say.kw(k);
    let list = |ks: &[Keyword]| ks.iter().map(|k| kw(*k)).collect::<Vec<_>>().join(", ");
    let ru = say.lang == Lang::Ru;
    // "a stage property such as `owner`, `->` or `}`": what the block
    // holds, and its examples.
    let such_as = |en: &str, ru_words: &str, examples: String| match say.lang {
        Lang::En => format!("{en} such as {examples} or `}}`"),
        Lang::Ru => format!("{ru_words} (например, {examples}) или `}}`"),
    };
    let (h, d) = (say.unit("h"), say.unit("d"));
    let (day, month) = (say.period(Period::Day), say.period(Period::Month));
    use Keyword as K;
    match expect {
        Expect::Items(block) => match block {
            Block::File => match say.lang {
                Lang::En => format!("{}, {} or the end of the file", kw(K::Process), kw(K::Library)),
                Lang::Ru => format!("{}, {} или конец файла", kw(K::Process), kw(K::Library)),
            },
            Block::Process => such_as(
                "a part of the process",
                "часть процесса",
                format!("{}, {}, {}, {}", kw(K::Stage), kw(K::Role), kw(K::Metric), kw(K::Plan)),
            ),
            Block::Library => such_as(
                "a part of the library",
                "часть библиотеки",
                format!("{}, {}, {}", kw(K::Role), kw(K::Segment), kw(K::Use)),
            ),
            Block::Stage => such_as("a stage property", "свойство этапа", format!("{}, `->`", kw(K::Owner))),
            Block::Role => such_as("a role property", "свойство роли", list(&[K::Headcount, K::Capacity, K::Reports])),
            Block::Segment => such_as("a segment property", "свойство сегмента", list(&[K::Share, K::Deal])),
            Block::Product => format!("{} {} `}}`", kw(K::Description), say.pick("or", "или")),
            Block::Metric => {
                such_as("a metric property", "свойство метрики", list(&[K::Conversion, K::Target, K::Owner]))
            }
            Block::Plan => such_as("a plan property", "свойство плана", list(&[K::Goal, K::Revenue, K::Workdays])),
            Block::Rollout => {
                such_as("a rollout property", "свойство внедрения", list(&[K::Start, K::Briefing, K::Exam, K::Audit]))
            }
            Block::Instructions => {
                say.pick("an instruction in quotes or `}`", "инструкция в кавычках или `}`").to_string()
            }
        },
        Expect::Keyword(k) => kw(k),
        Expect::Name => say.pick("a name", "имя").to_string(),
        Expect::Text => say.pick("text in quotes", "текст в кавычках").to_string(),
        Expect::Value => {
            let before_text = text[..pos].trim_end();
            if before_text.ends_with(">=") || before_text.ends_with("<=") {
                return match say.lang {
                    Lang::En => format!("a target value such as `40%`, `2{d}` or `20/{day}`"),
                    Lang::Ru => format!("целевое значение, например `40%`, `2{d}` или `20/{day}`"),
                };
            }
            match (before, ru) {
                (Some(K::Takes | K::Within | K::Effort | K::Length | K::Every | K::At), false) => {
                    format!("a duration such as `2{h}` or `3{d}`")
                }
                (Some(K::Takes | K::Within | K::Effort | K::Length | K::Every | K::At), true) => {
                    format!("длительность, например `2{h}` или `3{d}`")
                }
                (Some(K::Share | K::Entry | K::Passive | K::Active), false) => "a percentage such as `40%`".to_string(),
                (Some(K::Share | K::Entry | K::Passive | K::Active), true) => "процент, например `40%`".to_string(),
                (Some(K::Goal | K::Workdays), false) => format!("a rate such as `10/{month}`"),
                (Some(K::Goal | K::Workdays), true) => format!("количество за период, например `10/{month}`"),
                (Some(K::Capacity), false) => format!("working time per day such as `6{h}/{day}`"),
                (Some(K::Capacity), true) => format!("рабочее время в день, например `6{h}/{day}`"),
                (Some(K::Headcount), false) => "a number of people".to_string(),
                (Some(K::Headcount), true) => "число людей".to_string(),
                (Some(K::Deal | K::Revenue), false) => "an amount such as `250000 RUB`".to_string(),
                (Some(K::Deal | K::Revenue), true) => "сумма, например `250000 RUB`".to_string(),
                (_, false) => "a number".to_string(),
                (_, true) => "число".to_string(),
            }
        }
        Expect::Currency => say.pick("a currency code such as `RUB`", "код валюты, например `RUB`").to_string(),
        Expect::Date => say.pick("a date such as `2027-01-11`", "дата, например `2027-01-11`").to_string(),
        Expect::LBrace => "`{`".to_string(),
        Expect::Arrow => "`->`".to_string(),
        Expect::Slash => "`/`".to_string(),
        Expect::Comparison => say.pick("`>=` or `<=`", "`>=` или `<=`").to_string(),
    }
}

fn help_for(expected: &[Expect], block: Block, text: &str, pos: usize, found: &str, say: Wording) -> Option<String> {
    let in_items = expected.iter().any(|e| matches!(e, Expect::Items(b) if *b != Block::File));
    let word = text[pos..].split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("");
    let is_block_keyword = [K::Stage, K::Role, K::Segment, K::Product, K::Metric, K::Plan, K::Rollout]
        .iter()
        .any(|k| k.is(word, say.keywords));
    use Keyword as K;
    let ru = say.lang == Lang::Ru;
    if in_items && is_block_keyword && block != Block::Process && block != Block::Library {
        return Some(if ru {
            format!("перед этим `{found}`, видимо, не хватает `}}`: блок выше не закрыт")
        } else {
            format!("a `}}` is probably missing before this `{found}`: the block above is not closed")
        });
    }
    if expected.contains(&Expect::Items(Block::Stage)) {
        let all = [K::Description, K::Entry, K::Outcome, K::Owner, K::Takes, K::Within, K::Effort, K::Instruct]
            .iter()
            .map(|k| say.kw(*k))
            .collect::<Vec<_>>()
            .join(", ");
        let exit = say.kw(K::Exit);
        return Some(if ru {
            let stage = K::Stage.spelling(say.keywords);
            format!("в этапе бывают {all}, {exit} и переходы `-> {stage}`; `{found}` среди них нет")
        } else {
            format!("a stage holds {all}, {exit} and transitions `-> stage`; `{found}` is none of them")
        });
    }
    if expected.contains(&Expect::Items(Block::Process)) {
        let all = items::PROCESS.iter().map(|k| say.kw(*k)).collect::<Vec<_>>();
        return Some(match say.lang {
            Lang::En => format!("inside a process come {}", join(&all, "and")),
            Lang::Ru => format!("внутри процесса бывают {}", join(&all, "и")),
        });
    }
    if expected.contains(&Expect::Name) {
        return Some(
            say.pick(
                "names start with a letter or `_` and continue with letters, digits or `_`",
                "имя начинается с буквы или `_`, а дальше идут буквы, цифры или `_`",
            )
            .to_string(),
        );
    }
    None
}

/// `a, b and c` (or `or`, `и`, `или`: `conjunction`).
fn join(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}
