//! The fast path: a hand-written recursive-descent parser for the grammar
//! in `grammar/process.pest`.
//!
//! Most files that are checked have no syntax error, and pest spends most
//! of its time building a token queue (two tokens per pair, millions of
//! pairs for a large process) that the lowering then walks once. This
//! parser reads the same grammar straight into the AST, through the same
//! literal classification ([`super::values`]), so it gives the same tree
//! and the same diagnostics in the same order.
//!
//! It never reports a syntax error itself: at the first thing it does not
//! expect it stops, and [`super::parse`] lets pest read the file again and
//! explain the error (P001). The grammar file stays the definition of the
//! language; `parsers_agree` (tested on every fixture, the generated
//! processes and thousands of mutations of them, and fuzzed) holds this
//! parser to it.
//!
//! How it stays equal to the PEG: every choice in the grammar is decided by
//! its first token (each alternative starts with its own keyword or
//! punctuation), so dispatching on the next word is the ordered choice.
//! Where an optional part has started but does not complete, pest
//! backtracks, and what follows can never match there either (the callers
//! expect a keyword or `}` at that point), so stopping is the same outcome.
//! Whitespace and comments between tokens are skipped as pest's implicit
//! `WHITESPACE` and `COMMENT` are; tokens are scanned with the same
//! character classes (`XID_START`, `XID_CONTINUE` from pest's own tables).

use super::literal;
use super::values::Values;
use crate::ast::*;
use crate::diagnostics::Diagnostic;
use crate::span::Span;

/// Something the grammar does not allow here: pest will explain it.
#[derive(Debug)]
pub(super) struct Stop;

type R<T> = Result<T, Stop>;

/// The file's AST and its literal diagnostics, or `None` when the file has a
/// syntax error.
pub(super) fn parse(text: &str) -> Option<(File, Vec<Diagnostic>)> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        last: 0,
        values: Values::default(),
        stage_items: Vec::new(),
        instructions: Vec::new(),
    };
    let file = parser.file().ok()?;
    Some((file, parser.values.diagnostics))
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    /// The next byte to read; always at a token (whitespace and comments
    /// are skipped after each token).
    pos: usize,
    /// The end of the last token read. A construct's span ends here, not
    /// after the whitespace that follows it.
    last: usize,
    values: Values,
    /// Scratch lists, reused from stage to stage so that each stage's list
    /// is allocated once at its exact length (the AST of a large process
    /// is mostly these lists).
    stage_items: Vec<StageItem>,
    instructions: Vec<Instruction>,
}

/// What the grammar skips between tokens (its `WHITESPACE` and `COMMENT`),
/// one piece at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trivia {
    /// A space, a tab or a byte-order mark.
    Blank,
    /// `NEWLINE`: `\n`, `\r\n` or a lone `\r`.
    LineBreak,
    /// `#` up to the next line break.
    Comment,
}

/// The piece of whitespace or comment starting at byte `at`, and where it
/// ends; `None` at a token or at the end. The one definition of blanks,
/// line breaks and comments outside the grammar: this parser, the
/// formatter and the `# allow(…)` search all read the gaps with it.
#[inline]
pub(crate) fn trivia(bytes: &[u8], at: usize) -> Option<(Trivia, usize)> {
    match *bytes.get(at)? {
        b' ' | b'\t' => Some((Trivia::Blank, at + 1)),
        0xEF if bytes[at..].starts_with("\u{FEFF}".as_bytes()) => Some((Trivia::Blank, at + 3)),
        b'\n' => Some((Trivia::LineBreak, at + 1)),
        b'\r' if bytes.get(at + 1) == Some(&b'\n') => Some((Trivia::LineBreak, at + 2)),
        b'\r' => Some((Trivia::LineBreak, at + 1)),
        b'#' => {
            let rest = &bytes[at..];
            Some((Trivia::Comment, at + rest.iter().position(|&c| c == b'\n' || c == b'\r').unwrap_or(rest.len())))
        }
        _ => None,
    }
}

fn is_ident_start(c: char) -> bool {
    c == '_' || pest::unicode::XID_START(c)
}

fn is_ident_char(c: char) -> bool {
    c == '_' || pest::unicode::XID_CONTINUE(c)
}

impl<'t> Parser<'t> {
    // ------------------------------------------------------------ scanning

    /// The character at byte `at`, if any.
    fn char_at(&self, at: usize) -> Option<char> {
        match self.bytes.get(at) {
            None => None,
            Some(&b) if b < 0x80 => Some(b as char),
            Some(_) => self.text.get(at..).and_then(|rest| rest.chars().next()),
        }
    }

    /// Skips identifier characters from `at`: where they end.
    fn ident_chars_end(&self, mut at: usize) -> usize {
        while let Some(&b) = self.bytes.get(at) {
            if b < 0x80 {
                if b.is_ascii_alphanumeric() || b == b'_' {
                    at += 1;
                } else {
                    break;
                }
            } else {
                match self.char_at(at) {
                    Some(c) if is_ident_char(c) => at += c.len_utf8(),
                    _ => break,
                }
            }
        }
        at
    }

    /// The end of an identifier starting at `at`.
    fn ident_end(&self, at: usize) -> Option<usize> {
        let first = self.char_at(at)?;
        is_ident_start(first).then(|| self.ident_chars_end(at + first.len_utf8()))
    }

    fn digits_end(&self, mut at: usize) -> Option<usize> {
        let start = at;
        while self.bytes.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        (at > start).then_some(at)
    }

    /// `number = "-"? ASCII_DIGIT+ ("." ASCII_DIGIT+)?`
    fn number_end(&self, at: usize) -> Option<usize> {
        let at = if self.bytes.get(at) == Some(&b'-') { at + 1 } else { at };
        let at = self.digits_end(at)?;
        if self.bytes.get(at) == Some(&b'.') {
            if let Some(end) = self.digits_end(at + 1) {
                return Some(end);
            }
        }
        Some(at)
    }

    /// `quantity = number ("%" | unit_tail)?` where
    /// `unit_tail = "/" ident_char* | ident_char+ ("/" ident_char*)?`
    fn quantity_end(&self, at: usize) -> Option<usize> {
        let at = self.number_end(at)?;
        if self.bytes.get(at) == Some(&b'%') {
            return Some(at + 1);
        }
        if self.bytes.get(at) == Some(&b'/') {
            return Some(self.ident_chars_end(at + 1));
        }
        let word_end = self.ident_chars_end(at);
        if word_end > at && self.bytes.get(word_end) == Some(&b'/') {
            return Some(self.ident_chars_end(word_end + 1));
        }
        Some(word_end)
    }

    /// `date = ASCII_DIGIT+ "-" ASCII_DIGIT+ "-" ASCII_DIGIT+`
    fn date_end(&self, at: usize) -> Option<usize> {
        let at = self.digits_end(at)?;
        (self.bytes.get(at) == Some(&b'-')).then_some(())?;
        let at = self.digits_end(at + 1)?;
        (self.bytes.get(at) == Some(&b'-')).then_some(())?;
        self.digits_end(at + 1)
    }

    /// `string = "\"" (("\\" (!NEWLINE ANY)) | (!("\"" | "\\" | NEWLINE) ANY))* "\""`
    fn string_end(&self, at: usize) -> Option<usize> {
        (self.bytes.get(at) == Some(&b'"')).then_some(())?;
        let mut i = at + 1;
        loop {
            match *self.bytes.get(i)? {
                b'"' => return Some(i + 1),
                b'\n' | b'\r' => return None,
                b'\\' => match self.char_at(i + 1)? {
                    '\n' | '\r' => return None,
                    c => i += 1 + c.len_utf8(),
                },
                _ => i += self.char_at(i)?.len_utf8(),
            }
        }
    }

    /// `text_block = "\"\"\"" (" " | "\t")* NEWLINE (!"\"\"\"" ANY)* "\"\"\""`
    fn text_block_end(&self, at: usize) -> Option<usize> {
        let rest = self.bytes.get(at..)?;
        rest.starts_with(b"\"\"\"").then_some(())?;
        let mut i = 3;
        while matches!(rest.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        match rest.get(i) {
            Some(b'\n' | b'\r') => i += 1,
            _ => return None,
        }
        let close = rest[i..].windows(3).position(|w| w == b"\"\"\"")?;
        Some(at + i + close + 3)
    }

    /// Skips what pest's implicit `WHITESPACE` and `COMMENT` match.
    fn skip(&mut self) {
        while let Some((_, end)) = trivia(self.bytes, self.pos) {
            self.pos = end;
        }
    }

    /// Takes the token up to `end`: its text and span.
    fn take(&mut self, end: usize) -> (&'t str, Span) {
        let start = self.pos;
        self.pos = end;
        self.last = end;
        self.skip();
        (&self.text[start..end], Span::new(start, end))
    }

    // ------------------------------------------------------------- tokens

    /// The word (identifier-shaped) at the current position.
    fn word(&self) -> Option<&'t str> {
        let end = self.ident_end(self.pos)?;
        Some(&self.text[self.pos..end])
    }

    fn at_word(&self, word: &str) -> bool {
        self.word() == Some(word)
    }

    fn at(&self, punct: &[u8]) -> bool {
        self.bytes[self.pos..].starts_with(punct)
    }

    fn keyword(&mut self, word: &str) -> R<Span> {
        if !self.at_word(word) {
            return Err(Stop);
        }
        Ok(self.take(self.pos + word.len()).1)
    }

    fn punct(&mut self, punct: &[u8]) -> R<Span> {
        if !self.at(punct) {
            return Err(Stop);
        }
        Ok(self.take(self.pos + punct.len()).1)
    }

    fn ident(&mut self) -> R<Ident> {
        let end = self.ident_end(self.pos).ok_or(Stop)?;
        let (name, span) = self.take(end);
        Ok(Ident { name: name.to_string(), span })
    }

    /// An identifier-shaped word as written (a currency, a period).
    fn bare_word(&mut self) -> R<(&'t str, Span)> {
        let end = self.ident_end(self.pos).ok_or(Stop)?;
        Ok(self.take(end))
    }

    fn quantity(&mut self) -> R<(&'t str, Span)> {
        let end = self.quantity_end(self.pos).ok_or(Stop)?;
        Ok(self.take(end))
    }

    fn at_quantity(&self) -> bool {
        self.quantity_end(self.pos).is_some()
    }

    /// A quantity classified by `check`.
    fn lit<T>(&mut self, check: impl FnOnce(&str) -> Result<T, literal::LitError>) -> R<Lit<T>> {
        let (raw, at) = self.quantity()?;
        Ok(self.values.lit(raw, at, check))
    }

    /// `string` only (titles, labels, activities).
    fn string(&mut self) -> R<Text> {
        let end = self.string_end(self.pos).ok_or(Stop)?;
        let (raw, at) = self.take(end);
        Ok(self.values.string(raw, at))
    }

    /// `string?`
    fn opt_string(&mut self) -> R<Option<Text>> {
        if self.at(b"\"") { self.string().map(Some) } else { Ok(None) }
    }

    /// `text = text_block | string`
    fn text(&mut self) -> R<Text> {
        if let Some(end) = self.text_block_end(self.pos) {
            let (raw, at) = self.take(end);
            return Ok(self.values.text_block(raw, at));
        }
        self.string()
    }

    /// `idents = ident ("," ident)*`
    fn idents(&mut self) -> R<Vec<Ident>> {
        let mut names = vec![self.ident()?];
        while self.at(b",") {
            self.punct(b",")?;
            names.push(self.ident()?);
        }
        Ok(names)
    }

    /// The span from `start` to the end of the last token read.
    fn since(&self, start: usize) -> Span {
        Span::new(start, self.last)
    }

    // ------------------------------------------------------------ grammar

    fn file(&mut self) -> R<File> {
        self.skip();
        let mut processes = Vec::new();
        while self.at_word("process") {
            processes.push(self.process()?);
        }
        if self.pos != self.bytes.len() {
            return Err(Stop);
        }
        Ok(File { processes })
    }

    fn process(&mut self) -> R<Process> {
        let keyword = self.keyword("process")?;
        let name = self.ident()?;
        let title = self.opt_string()?;
        self.punct(b"{")?;
        let mut items = Vec::new();
        loop {
            let item = match self.word() {
                Some("stage") => ProcessItem::Stage(self.stage()?),
                Some("role") => ProcessItem::Role(self.role()?),
                Some("metric") => ProcessItem::Metric(self.metric()?),
                Some("segment") => ProcessItem::Segment(self.segment()?),
                Some("product") => ProcessItem::Product(self.product()?),
                Some("description") => ProcessItem::Description(self.description()?),
                Some("language") => {
                    self.keyword("language")?;
                    let (word, at) = self.bare_word()?;
                    ProcessItem::Language(self.values.language(word, at))
                }
                Some("version") => {
                    self.keyword("version")?;
                    ProcessItem::Version(self.text()?)
                }
                Some("plan") => ProcessItem::Plan(self.plan()?),
                Some("rollout") => ProcessItem::Rollout(self.rollout()?),
                _ => break,
            };
            items.push(item);
        }
        self.punct(b"}")?;
        Ok(Process { keyword, name, title, items })
    }

    fn description(&mut self) -> R<Text> {
        self.keyword("description")?;
        self.text()
    }

    /// `KEYWORD ident string?`: the start, name and title of a declaration.
    fn head(&mut self, keyword: &str) -> R<(usize, Ident, Option<Text>)> {
        let start = self.pos;
        self.keyword(keyword)?;
        let name = self.ident()?;
        let title = self.opt_string()?;
        Ok((start, name, title))
    }

    fn segment(&mut self) -> R<Segment> {
        let (start, name, title) = self.head("segment")?;
        let mut items = Vec::new();
        if self.at(b"{") {
            self.punct(b"{")?;
            loop {
                let item = match self.word() {
                    Some("description") => SegmentItem::Description(self.description()?),
                    Some("share") => {
                        self.keyword("share")?;
                        SegmentItem::Share(self.lit(literal::percent)?)
                    }
                    Some("deal") => {
                        self.keyword("deal")?;
                        let at = self.pos;
                        let amount = self.quantity()?;
                        let currency = self.bare_word()?;
                        SegmentItem::Deal(self.values.money(amount, currency, self.since(at)))
                    }
                    _ => break,
                };
                items.push(item);
            }
            self.punct(b"}")?;
        }
        Ok(Segment { span: self.since(start), name, title, items })
    }

    fn product(&mut self) -> R<Product> {
        let (start, name, title) = self.head("product")?;
        let mut descriptions = Vec::new();
        if self.at(b"{") {
            self.punct(b"{")?;
            while self.at_word("description") {
                descriptions.push(self.description()?);
            }
            self.punct(b"}")?;
        }
        Ok(Product { span: self.since(start), name, title, descriptions })
    }

    fn role(&mut self) -> R<Role> {
        let (start, name, title) = self.head("role")?;
        let mut items = Vec::new();
        if self.at(b"{") {
            self.punct(b"{")?;
            loop {
                let item_start = self.pos;
                let item = match self.word() {
                    Some("description") => RoleItem::Description(self.description()?),
                    Some("headcount") => {
                        self.keyword("headcount")?;
                        RoleItem::Headcount(self.lit(literal::headcount)?)
                    }
                    Some("capacity") => {
                        self.keyword("capacity")?;
                        let (quantity, _) = self.quantity()?;
                        let per = if self.at(b"/") {
                            self.punct(b"/")?;
                            Some(self.bare_word()?.0)
                        } else {
                            None
                        };
                        RoleItem::Capacity(self.values.capacity(quantity, per, self.since(item_start)))
                    }
                    Some("reports") => {
                        let keyword = self.keyword("reports")?;
                        self.keyword("to")?;
                        RoleItem::ReportsTo { keyword, role: self.ident()? }
                    }
                    _ => break,
                };
                items.push(item);
            }
            self.punct(b"}")?;
        }
        Ok(Role { span: self.since(start), name, title, items })
    }

    fn stage(&mut self) -> R<Stage> {
        let (start, name, title) = self.head("stage")?;
        self.punct(b"{")?;
        self.stage_items.clear();
        loop {
            let item_start = self.pos;
            let kind = if self.at(b"->") {
                StageItemKind::Transition(self.transition()?)
            } else {
                match self.word() {
                    Some("instruct") => self.instruct()?,
                    Some("owner") => {
                        self.keyword("owner")?;
                        StageItemKind::Owner(self.ident()?)
                    }
                    Some("within") => {
                        self.keyword("within")?;
                        StageItemKind::Within(self.lit(literal::duration)?)
                    }
                    Some("takes") => {
                        self.keyword("takes")?;
                        StageItemKind::Takes(self.lit(literal::duration)?)
                    }
                    Some("effort") => {
                        self.keyword("effort")?;
                        StageItemKind::Effort(self.lit(literal::duration)?)
                    }
                    Some("exit") => {
                        self.keyword("exit")?;
                        StageItemKind::Exit(self.text()?)
                    }
                    Some("description") => StageItemKind::Description(self.description()?),
                    Some("entry") => self.entry()?,
                    Some("outcome") => {
                        self.keyword("outcome")?;
                        if self.at_word("won") {
                            self.keyword("won")?;
                            StageItemKind::Outcome(OutcomeKind::Won)
                        } else {
                            self.keyword("lost")?;
                            StageItemKind::Outcome(OutcomeKind::Lost)
                        }
                    }
                    _ => break,
                }
            };
            self.stage_items.push(StageItem { kind, span: self.since(item_start) });
        }
        self.punct(b"}")?;
        let items = self.stage_items.drain(..).collect();
        Ok(Stage { span: self.since(start), name, title, items })
    }

    /// `transition = "->" ident quantity? kw_loop? string?`
    fn transition(&mut self) -> R<Transition> {
        self.punct(b"->")?;
        let target = self.ident()?;
        let percent = if self.at_quantity() { Some(self.lit(literal::percent)?) } else { None };
        let is_loop = self.at_word("loop");
        if is_loop {
            self.keyword("loop")?;
        }
        let label = self.opt_string()?;
        Ok(Transition { target, percent, is_loop, label })
    }

    /// `entry = kw_entry (kw_active | kw_passive)? quantity?`
    fn entry(&mut self) -> R<StageItemKind> {
        self.keyword("entry")?;
        let kind = match self.word() {
            Some("active") => {
                self.keyword("active")?;
                Some(EntryKind::Active)
            }
            Some("passive") => {
                self.keyword("passive")?;
                Some(EntryKind::Passive)
            }
            _ => None,
        };
        let share = if self.at_quantity() { Some(self.lit(literal::percent)?) } else { None };
        Ok(StageItemKind::Entry { kind, share })
    }

    /// `instruct = kw_instruct ident "{" instruction* "}"`
    fn instruct(&mut self) -> R<StageItemKind> {
        self.keyword("instruct")?;
        let role = self.ident()?;
        self.punct(b"{")?;
        self.instructions.clear();
        while self.at(b"\"") {
            let instruction = self.instruction()?;
            self.instructions.push(instruction);
        }
        self.punct(b"}")?;
        Ok(StageItemKind::Instruct { role, instructions: self.instructions.drain(..).collect() })
    }

    /// `instruction = text within? for_list?`
    fn instruction(&mut self) -> R<Instruction> {
        let start = self.pos;
        let text = self.text()?;
        let within = if self.at_word("within") {
            self.keyword("within")?;
            Some(self.lit(literal::duration)?)
        } else {
            None
        };
        let mut for_names = Vec::new();
        if self.at_word("for") {
            self.keyword("for")?;
            for_names = self.idents()?;
        }
        Ok(Instruction { text, within, for_names, span: self.since(start) })
    }

    fn metric(&mut self) -> R<Metric> {
        let (start, name, title) = self.head("metric")?;
        self.punct(b"{")?;
        let mut items = Vec::new();
        loop {
            let item_start = self.pos;
            let kind = match self.word() {
                Some("description") => MetricItemKind::Description(self.description()?),
                Some("conversion") => {
                    self.keyword("conversion")?;
                    let from = self.ident()?;
                    self.punct(b"->")?;
                    MetricItemKind::Conversion { from, to: self.ident()? }
                }
                Some("time") => {
                    self.keyword("time")?;
                    let from = self.ident()?;
                    let to = if self.at(b"->") {
                        self.punct(b"->")?;
                        Some(self.ident()?)
                    } else {
                        None
                    };
                    MetricItemKind::Time { from, to }
                }
                Some("volume") => {
                    self.keyword("volume")?;
                    MetricItemKind::Volume(self.ident()?)
                }
                Some("activity") => {
                    self.keyword("activity")?;
                    let what = self.string()?;
                    self.keyword("by")?;
                    MetricItemKind::Activity { what, role: self.ident()? }
                }
                Some("target") => {
                    self.keyword("target")?;
                    let cmp = if self.at(b">=") {
                        self.punct(b">=")?;
                        Comparison::AtLeast
                    } else {
                        self.punct(b"<=")?;
                        Comparison::AtMost
                    };
                    MetricItemKind::Target { cmp, value: self.lit(literal::quantity)? }
                }
                Some("owner") => {
                    self.keyword("owner")?;
                    MetricItemKind::Owner(self.ident()?)
                }
                Some("review") => {
                    self.keyword("review")?;
                    let review = match self.word() {
                        Some("daily") => Review::Daily,
                        Some("weekly") => Review::Weekly,
                        Some("monthly") => Review::Monthly,
                        _ => return Err(Stop),
                    };
                    self.bare_word()?;
                    MetricItemKind::Review(review)
                }
                _ => break,
            };
            items.push(MetricItem { kind, span: self.since(item_start) });
        }
        self.punct(b"}")?;
        Ok(Metric { span: self.since(start), name, title, items })
    }

    fn plan(&mut self) -> R<Plan> {
        let keyword = self.keyword("plan")?;
        let title = self.opt_string()?;
        self.punct(b"{")?;
        let mut items = Vec::new();
        loop {
            let item_start = self.pos;
            let kind = match self.word() {
                Some("goal") => {
                    self.keyword("goal")?;
                    PlanItemKind::Goal(self.lit(literal::rate)?)
                }
                Some("revenue") => {
                    self.keyword("revenue")?;
                    let amount = self.quantity()?;
                    let currency = self.bare_word()?;
                    self.punct(b"/")?;
                    let per = self.bare_word()?;
                    PlanItemKind::Revenue(self.values.revenue(amount, currency, per, self.since(item_start)))
                }
                Some("workdays") => {
                    self.keyword("workdays")?;
                    PlanItemKind::Workdays(self.lit(literal::workdays)?)
                }
                _ => break,
            };
            items.push(PlanItem { kind, span: self.since(item_start) });
        }
        self.punct(b"}")?;
        Ok(Plan { keyword, title, items })
    }

    fn rollout(&mut self) -> R<Rollout> {
        let keyword = self.keyword("rollout")?;
        self.punct(b"{")?;
        let mut items = Vec::new();
        loop {
            let item_start = self.pos;
            let kind = match self.word() {
                Some("start") => {
                    self.keyword("start")?;
                    let end = self.date_end(self.pos).ok_or(Stop)?;
                    let (raw, at) = self.take(end);
                    RolloutItemKind::Start(self.values.lit(raw, at, literal::date))
                }
                Some("length") => {
                    self.keyword("length")?;
                    RolloutItemKind::Length(self.lit(literal::rollout_length)?)
                }
                Some("briefing") => {
                    self.keyword("briefing")?;
                    let roles = self.idents()?;
                    self.keyword("every")?;
                    RolloutItemKind::Briefing { roles, every: self.lit(literal::duration)? }
                }
                Some("exam") => {
                    self.keyword("exam")?;
                    let roles = self.idents()?;
                    self.keyword("at")?;
                    let mut at = vec![self.lit(literal::duration)?];
                    while self.at(b",") {
                        self.punct(b",")?;
                        at.push(self.lit(literal::duration)?);
                    }
                    RolloutItemKind::Exam { roles, at }
                }
                Some("audit") => {
                    self.keyword("audit")?;
                    let roles = self.idents()?;
                    self.keyword("by")?;
                    let by = self.ident()?;
                    self.keyword("every")?;
                    RolloutItemKind::Audit { roles, by, every: self.lit(literal::duration)? }
                }
                _ => break,
            };
            items.push(RolloutItem { kind, span: self.since(item_start) });
        }
        self.punct(b"}")?;
        Ok(Rollout { keyword, items })
    }
}
