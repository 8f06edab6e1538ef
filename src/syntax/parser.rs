//! The parser: tokens from [`super::lexer`] into the AST, never failing.
//!
//! It is a hand-written recursive descent over the grammar of
//! `grammar/process.pest`, with the keywords of [`super::keywords`] in the
//! file's keyword language. Every choice is decided by the next token
//! (each alternative starts with its own keyword or punctuation), which is
//! how it stays equal to the PEG; `parsers_agree` holds the two to each
//! other on English files.
//!
//! Parsing never fails. At a token the grammar does not allow, the parser
//! records a syntax error (P001) saying what it expected, drops the item it
//! was reading, and skips to a place it can go on from: the next keyword
//! of the block's items, the `}` that closes the block, or a keyword of an
//! enclosing block at the start of a line (the `}` before it is probably
//! missing). So a half-typed file still gives a tree of every well-formed
//! item, which the editor needs; the command line reports only the errors.
//! Two errors are never reported at one token, and the tokens skipped
//! while recovering give none.

use super::expected::{self, Block, Expect};
use super::keywords::{Keyword, items};
use super::lexer::{Kind, Lexer, Token};
use super::literal;
use super::values::Values;
use crate::ast::*;
use crate::diagnostics::Diagnostic;
use crate::span::{FileId, Span};

/// The item being read cannot be completed; the error is recorded.
#[derive(Debug)]
pub(super) struct Stop;

type R<T> = Result<T, Stop>;

/// What parsing a file gave: the tree of every well-formed item, the
/// syntax errors (P001, P004) and the literals' diagnostics (P001, P002).
#[derive(Debug)]
pub(super) struct Output {
    pub file: File,
    pub syntax: Vec<Diagnostic>,
    pub literals: Vec<Diagnostic>,
}

/// `language` is the file's keyword language; `lang` that of the
/// messages.
pub(super) fn parse(text: &str, file: FileId, language: Language, lang: Language) -> Output {
    let mut parser = Parser {
        text,
        file,
        language,
        lang,
        lexer: Lexer::new(text),
        tok: None,
        line_start: true,
        last: 0,
        values: Values::new(lang, language),
        syntax: Vec::new(),
        last_error: None,
        blocks: Vec::new(),
        stage_items: Vec::new(),
        instructions: Vec::new(),
    };
    parser.advance();
    let file = parser.file();
    Output { file, syntax: parser.syntax, literals: parser.values.diagnostics }
}

/// After an error: where reading goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resume {
    /// At an item of the current block.
    Item,
    /// At the `}` that closes the current block.
    Close,
    /// At an item of an enclosing block: the current one is left unclosed.
    Outer,
    /// At the end of the text.
    End,
}

struct Parser<'t> {
    text: &'t str,
    file: FileId,
    language: Language,
    /// The language of the messages.
    lang: Language,
    lexer: Lexer<'t>,
    /// The next token that is not trivia; `None` at the end.
    tok: Option<Token>,
    /// Whether a line break (or the start of the text) comes between the
    /// previous token and `tok`.
    line_start: bool,
    /// The end of the last token read. A construct's span ends here, not
    /// after the whitespace that follows it.
    last: usize,
    values: Values,
    syntax: Vec<Diagnostic>,
    /// Where the last syntax error was reported: no second one there.
    last_error: Option<usize>,
    /// The blocks being read, innermost last, for recovery.
    blocks: Vec<Block>,
    /// Scratch lists, reused from stage to stage so that each stage's list
    /// is allocated once at its exact length.
    stage_items: Vec<StageItem>,
    instructions: Vec<Instruction>,
}

impl<'t> Parser<'t> {
    // ------------------------------------------------------------ tokens

    /// Moves to the next token that is not trivia.
    fn advance(&mut self) {
        let mut line_start = self.tok.is_none() && self.last == 0;
        loop {
            match self.lexer.next() {
                None => {
                    self.tok = None;
                    break;
                }
                Some(t) if t.kind == Kind::LineBreak => line_start = true,
                Some(t) if t.kind.is_trivia() => {}
                Some(t) => {
                    self.tok = Some(t);
                    break;
                }
            }
        }
        self.line_start = line_start;
    }

    /// Takes the current token.
    fn bump(&mut self) -> Token {
        let t = self.tok.expect("bump is called at a token");
        self.last = t.end;
        self.advance();
        t
    }

    fn kind(&self) -> Option<Kind> {
        self.tok.map(|t| t.kind)
    }

    fn at(&self, kind: Kind) -> bool {
        self.kind() == Some(kind)
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::in_file(self.file, start, end)
    }

    /// The span from `start` to the end of the last token read.
    fn since(&self, start: usize) -> Span {
        self.span(start, self.last)
    }

    /// The start of the current token (the end of the text at the end).
    fn pos(&self) -> usize {
        self.tok.map_or(self.text.len(), |t| t.start)
    }

    /// The current token's text if it is a word.
    fn word(&self) -> Option<&'t str> {
        let text: &'t str = self.text;
        self.tok.filter(|t| t.kind == Kind::Word).map(|t| &text[t.start..t.end])
    }

    fn at_keyword(&self, keyword: Keyword) -> bool {
        self.word().is_some_and(|w| keyword.is(w, self.language))
    }

    /// Which of `candidates` the current word is.
    fn keyword_among(&self, candidates: &[Keyword]) -> Option<Keyword> {
        Keyword::find(self.word()?, self.language, candidates)
    }

    // ------------------------------------------------------------ errors

    /// Records that `expected` was expected at the current token.
    fn error(&mut self, expected: &[Expect]) {
        let pos = self.pos();
        if self.last_error == Some(pos) {
            return;
        }
        self.last_error = Some(pos);
        let block = self.blocks.last().copied().unwrap_or(Block::File);
        let before = self.previous_keyword();
        self.syntax.push(expected::syntax_error(
            self.text,
            self.file,
            pos,
            expected,
            block,
            before,
            expected::Wording { keywords: self.language, lang: self.lang },
        ));
    }

    fn fail<T>(&mut self, expected: &[Expect]) -> R<T> {
        self.error(expected);
        Err(Stop)
    }

    /// The keyword (or `>=`, `<=`) just before the current token, for the
    /// wording of "expected a duration".
    fn previous_keyword(&self) -> Option<Keyword> {
        let before = self.text[..self.last].trim_end();
        let start = before
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = &before[start..];
        Keyword::find(word, self.language, Keyword::ALL)
    }

    /// Skips, after an error, to where reading can go on in `block`.
    fn recover(&mut self, block: Block) -> Resume {
        let mut depth = 0usize;
        loop {
            let Some(t) = self.tok else { return Resume::End };
            match t.kind {
                Kind::RBrace if depth == 0 => return Resume::Close,
                Kind::RBrace => depth -= 1,
                Kind::LBrace => depth += 1,
                _ if depth > 0 => {}
                Kind::Arrow if block == Block::Stage => return Resume::Item,
                Kind::String | Kind::TextBlock if block == Block::Instructions => return Resume::Item,
                Kind::Word => {
                    if self.keyword_among(block.items()).is_some() {
                        return Resume::Item;
                    }
                    if self.line_start && self.outer_keyword() {
                        return Resume::Outer;
                    }
                }
                _ => {}
            }
            self.bump();
        }
    }

    /// Whether the current word starts an item of an enclosing block.
    fn outer_keyword(&self) -> bool {
        let n = self.blocks.len();
        self.blocks[..n.saturating_sub(1)].iter().any(|b| self.keyword_among(b.items()).is_some())
            || (n > 0 && self.keyword_among(items::FILE).is_some())
            || (self.blocks.last() == Some(&Block::Instructions) && self.at(Kind::Arrow))
    }

    /// Reads the items of a block up to its `}`: `item` reads one item,
    /// starting at the current token, and returns `Ok(false)` when the
    /// token starts no item. Returns whether the `}` was there (it is
    /// taken).
    fn block(&mut self, block: Block, mut item: impl FnMut(&mut Self) -> R<bool>) -> bool {
        self.blocks.push(block);
        let closed = loop {
            match self.kind() {
                Some(Kind::RBrace) => {
                    self.bump();
                    break true;
                }
                None => {
                    self.error(&[Expect::Items(block)]);
                    break false;
                }
                _ => {}
            }
            let at = self.pos();
            let resume = match item(self) {
                Ok(true) => continue,
                Ok(false) => {
                    if self.line_start && self.outer_keyword() {
                        self.error(&[Expect::Items(block)]);
                        break false;
                    }
                    self.error(&[Expect::Items(block)]);
                    self.recover(block)
                }
                Err(Stop) => self.recover(block),
            };
            match resume {
                Resume::Item | Resume::Close => {
                    // An item that stopped at its first token must not be
                    // read again at the same place.
                    if resume == Resume::Item && self.pos() == at {
                        self.bump();
                    }
                }
                Resume::Outer | Resume::End => break false,
            }
        };
        self.blocks.pop();
        closed
    }

    // ------------------------------------------------------------ pieces

    fn keyword(&mut self, keyword: Keyword) -> R<Span> {
        if !self.at_keyword(keyword) {
            return self.fail(&[Expect::Keyword(keyword)]);
        }
        let t = self.bump();
        Ok(self.span(t.start, t.end))
    }

    fn punct(&mut self, kind: Kind, expect: Expect) -> R<Span> {
        if !self.at(kind) {
            return self.fail(&[expect]);
        }
        let t = self.bump();
        Ok(self.span(t.start, t.end))
    }

    fn ident(&mut self) -> R<Ident> {
        if !self.at(Kind::Word) {
            return self.fail(&[Expect::Name]);
        }
        let t = self.bump();
        Ok(Ident { name: t.text(self.text).to_string(), span: self.span(t.start, t.end) })
    }

    /// An identifier-shaped word as written (a currency, a period).
    fn bare_word(&mut self, expect: Expect) -> R<(&'t str, Span)> {
        if !self.at(Kind::Word) {
            return self.fail(&[expect]);
        }
        let t = self.bump();
        let text: &'t str = self.text;
        Ok((&text[t.start..t.end], self.span(t.start, t.end)))
    }

    fn quantity(&mut self) -> R<(&'t str, Span)> {
        if !self.at(Kind::Number) {
            return self.fail(&[Expect::Value]);
        }
        let t = self.bump();
        let text: &'t str = self.text;
        Ok((&text[t.start..t.end], self.span(t.start, t.end)))
    }

    /// A quantity classified by `check`.
    fn lit<T>(&mut self, check: impl FnOnce(&str) -> Result<T, literal::LitError>) -> R<Lit<T>> {
        let (raw, at) = self.quantity()?;
        Ok(self.values.lit(raw, at, check))
    }

    /// `quantity?` classified by `check`.
    fn opt_lit<T>(&mut self, check: impl FnOnce(&str) -> Result<T, literal::LitError>) -> R<Option<Lit<T>>> {
        if self.at(Kind::Number) { self.lit(check).map(Some) } else { Ok(None) }
    }

    /// `string` only (titles, labels, activities).
    fn string(&mut self) -> R<Text> {
        if !self.at(Kind::String) {
            return self.fail(&[Expect::Text]);
        }
        let t = self.bump();
        Ok(self.values.string(t.text(self.text), self.span(t.start, t.end)))
    }

    /// `string?`
    fn opt_string(&mut self) -> R<Option<Text>> {
        if self.at(Kind::String) { self.string().map(Some) } else { Ok(None) }
    }

    /// `text = text_block | string`
    fn text(&mut self) -> R<Text> {
        if self.at(Kind::TextBlock) {
            let t = self.bump();
            return Ok(self.values.text_block(t.text(self.text), self.span(t.start, t.end)));
        }
        self.string()
    }

    /// `idents = ident ("," ident)*`
    fn idents(&mut self) -> R<Vec<Ident>> {
        let mut names = vec![self.ident()?];
        while self.at(Kind::Comma) {
            self.bump();
            names.push(self.ident()?);
        }
        Ok(names)
    }

    /// `"{"`, where a title in quotes could also come.
    fn open_after_title(&mut self, title: &Option<Text>) -> R<()> {
        if self.at(Kind::LBrace) {
            self.bump();
            return Ok(());
        }
        if title.is_none() { self.fail(&[Expect::Text, Expect::LBrace]) } else { self.fail(&[Expect::LBrace]) }
    }

    // ------------------------------------------------------------ grammar

    fn file(&mut self) -> File {
        let mut file = File { processes: Vec::new(), libraries: Vec::new() };
        while self.tok.is_some() {
            let at = self.pos();
            let read = match self.keyword_among(items::FILE) {
                Some(Keyword::Process) => self.process().map(|p| file.processes.push(p)),
                Some(_) => self.library().map(|l| file.libraries.push(l)),
                None => {
                    self.error(&[Expect::Items(Block::File)]);
                    Err(Stop)
                }
            };
            if read.is_err() || self.pos() == at {
                // Skip to the next `process` or `library` at a line start.
                if self.pos() == at {
                    self.bump();
                }
                while self.tok.is_some() && !(self.line_start && self.keyword_among(items::FILE).is_some()) {
                    self.bump();
                }
            }
        }
        file
    }

    /// `KEYWORD ident string?`: the start, name and title of a declaration.
    fn head(&mut self, keyword: Keyword) -> R<(usize, Span, Ident, Option<Text>)> {
        let start = self.pos();
        let keyword = self.keyword(keyword)?;
        let name = self.ident()?;
        let title = self.opt_string()?;
        Ok((start, keyword, name, title))
    }

    fn process(&mut self) -> R<Process> {
        let (_, keyword, name, title) = self.head(Keyword::Process)?;
        self.open_after_title(&title)?;
        let mut items = Vec::new();
        self.block(Block::Process, |p| {
            let item = match p.keyword_among(items::PROCESS) {
                Some(Keyword::Stage) => ProcessItem::Stage(p.stage()?),
                Some(Keyword::Role) => ProcessItem::Role(p.role()?),
                Some(Keyword::Metric) => ProcessItem::Metric(p.metric()?),
                Some(Keyword::Segment) => ProcessItem::Segment(p.segment()?),
                Some(Keyword::Product) => ProcessItem::Product(p.product()?),
                Some(Keyword::Description) => ProcessItem::Description(p.description()?),
                Some(Keyword::Language) => {
                    p.bump();
                    let (word, at) = p.bare_word(Expect::Name)?;
                    ProcessItem::Language(p.values.language(word, at))
                }
                Some(Keyword::Version) => {
                    p.bump();
                    ProcessItem::Version(p.text()?)
                }
                Some(Keyword::Plan) => ProcessItem::Plan(p.plan()?),
                Some(Keyword::Rollout) => ProcessItem::Rollout(p.rollout()?),
                Some(Keyword::Use) => ProcessItem::Use(p.use_item()?),
                _ => return Ok(false),
            };
            items.push(item);
            Ok(true)
        });
        Ok(Process { keyword, name, title, items })
    }

    fn library(&mut self) -> R<Library> {
        let (_, keyword, name, title) = self.head(Keyword::Library)?;
        self.open_after_title(&title)?;
        let mut items = Vec::new();
        self.block(Block::Library, |p| {
            let item = match p.keyword_among(items::LIBRARY) {
                Some(Keyword::Role) => LibraryItem::Role(p.role()?),
                Some(Keyword::Segment) => LibraryItem::Segment(p.segment()?),
                Some(Keyword::Product) => LibraryItem::Product(p.product()?),
                Some(Keyword::Description) => LibraryItem::Description(p.description()?),
                Some(Keyword::Use) => LibraryItem::Use(p.use_item()?),
                _ => return Ok(false),
            };
            items.push(item);
            Ok(true)
        });
        Ok(Library { keyword, name, title, items })
    }

    fn use_item(&mut self) -> R<Use> {
        let keyword = self.keyword(Keyword::Use)?;
        Ok(Use { keyword, path: self.string()? })
    }

    fn description(&mut self) -> R<Text> {
        self.keyword(Keyword::Description)?;
        self.text()
    }

    /// `("{" ITEMS "}")?` of a declaration whose block is optional.
    fn opt_block(&mut self, block: Block, item: impl FnMut(&mut Self) -> R<bool>) {
        if self.at(Kind::LBrace) {
            self.bump();
            self.block(block, item);
        }
    }

    fn segment(&mut self) -> R<Segment> {
        let (start, _, name, title) = self.head(Keyword::Segment)?;
        let mut items = Vec::new();
        self.opt_block(Block::Segment, |p| {
            let item = match p.keyword_among(items::SEGMENT) {
                Some(Keyword::Description) => SegmentItem::Description(p.description()?),
                Some(Keyword::Share) => {
                    p.bump();
                    SegmentItem::Share(p.lit(literal::percent)?)
                }
                Some(Keyword::Deal) => {
                    p.bump();
                    let at = p.pos();
                    let amount = p.quantity()?;
                    let currency = p.bare_word(Expect::Currency)?;
                    SegmentItem::Deal(p.values.money(amount, currency, p.since(at)))
                }
                _ => return Ok(false),
            };
            items.push(item);
            Ok(true)
        });
        Ok(Segment { span: self.since(start), name, title, items })
    }

    fn product(&mut self) -> R<Product> {
        let (start, _, name, title) = self.head(Keyword::Product)?;
        let mut descriptions = Vec::new();
        self.opt_block(Block::Product, |p| {
            if !p.at_keyword(Keyword::Description) {
                return Ok(false);
            }
            descriptions.push(p.description()?);
            Ok(true)
        });
        Ok(Product { span: self.since(start), name, title, descriptions })
    }

    fn role(&mut self) -> R<Role> {
        let (start, _, name, title) = self.head(Keyword::Role)?;
        let mut items = Vec::new();
        self.opt_block(Block::Role, |p| {
            let item_start = p.pos();
            let item = match p.keyword_among(items::ROLE) {
                Some(Keyword::Description) => RoleItem::Description(p.description()?),
                Some(Keyword::Headcount) => {
                    p.bump();
                    RoleItem::Headcount(p.lit(literal::headcount)?)
                }
                Some(Keyword::Capacity) => {
                    p.bump();
                    let (quantity, _) = p.quantity()?;
                    let per = if p.at(Kind::Slash) {
                        p.bump();
                        Some(p.bare_word(Expect::Name)?.0)
                    } else {
                        None
                    };
                    RoleItem::Capacity(p.values.capacity(quantity, per, p.since(item_start)))
                }
                Some(Keyword::Reports) => {
                    let keyword = p.keyword(Keyword::Reports)?;
                    if !Keyword::To.spelling(p.language).is_empty() {
                        p.keyword(Keyword::To)?;
                    }
                    RoleItem::ReportsTo { keyword, role: p.ident()? }
                }
                _ => return Ok(false),
            };
            items.push(item);
            Ok(true)
        });
        Ok(Role { span: self.since(start), name, title, items })
    }

    fn stage(&mut self) -> R<Stage> {
        let (start, _, name, title) = self.head(Keyword::Stage)?;
        self.open_after_title(&title)?;
        // Nested stages cannot happen (a stage holds no stage), so the
        // scratch list is this stage's alone.
        let mut list = std::mem::take(&mut self.stage_items);
        list.clear();
        self.block(Block::Stage, |p| {
            let item_start = p.pos();
            let kind = if p.at(Kind::Arrow) {
                StageItemKind::Transition(p.transition()?)
            } else {
                match p.keyword_among(items::STAGE) {
                    Some(Keyword::Instruct) => p.instruct()?,
                    Some(Keyword::Owner) => {
                        p.bump();
                        StageItemKind::Owner(p.ident()?)
                    }
                    Some(Keyword::Within) => {
                        p.bump();
                        StageItemKind::Within(p.lit(literal::duration)?)
                    }
                    Some(Keyword::Takes) => {
                        p.bump();
                        StageItemKind::Takes(p.lit(literal::duration)?)
                    }
                    Some(Keyword::Effort) => {
                        p.bump();
                        StageItemKind::Effort(p.lit(literal::duration)?)
                    }
                    Some(Keyword::Exit) => {
                        p.bump();
                        StageItemKind::Exit(p.text()?)
                    }
                    Some(Keyword::Description) => StageItemKind::Description(p.description()?),
                    Some(Keyword::Entry) => p.entry()?,
                    Some(Keyword::Sale) => {
                        p.bump();
                        StageItemKind::Sale
                    }
                    Some(Keyword::Outcome) => {
                        p.bump();
                        match p.keyword_among(&[Keyword::Won, Keyword::Lost]) {
                            Some(Keyword::Won) => {
                                p.bump();
                                StageItemKind::Outcome(OutcomeKind::Won)
                            }
                            Some(_) => {
                                p.bump();
                                StageItemKind::Outcome(OutcomeKind::Lost)
                            }
                            None => return p.fail(&[Expect::Keyword(Keyword::Won), Expect::Keyword(Keyword::Lost)]),
                        }
                    }
                    _ => return Ok(false),
                }
            };
            list.push(StageItem { kind, span: p.since(item_start) });
            Ok(true)
        });
        // Drained, not taken: the list keeps its capacity for the next stage.
        #[expect(clippy::drain_collect, reason = "the scratch list is reused")]
        let items = list.drain(..).collect();
        self.stage_items = list;
        Ok(Stage { span: self.since(start), name, title, items })
    }

    /// `transition = "->" ident quantity? kw_loop? string?`
    fn transition(&mut self) -> R<Transition> {
        self.bump();
        let target = self.ident()?;
        let percent = self.opt_lit(literal::percent)?;
        let is_loop = self.at_keyword(Keyword::Loop);
        if is_loop {
            self.bump();
        }
        let label = self.opt_string()?;
        Ok(Transition { target, percent, is_loop, label })
    }

    /// `entry = kw_entry (kw_active | kw_passive)? quantity?`
    fn entry(&mut self) -> R<StageItemKind> {
        self.bump();
        let kind = match self.keyword_among(&[Keyword::Active, Keyword::Passive]) {
            Some(Keyword::Active) => Some(EntryKind::Active),
            Some(_) => Some(EntryKind::Passive),
            None => None,
        };
        if kind.is_some() {
            self.bump();
        }
        let share = self.opt_lit(literal::percent)?;
        Ok(StageItemKind::Entry { kind, share })
    }

    /// `instruct = kw_instruct ident "{" instruction* "}"`
    fn instruct(&mut self) -> R<StageItemKind> {
        self.bump();
        let role = self.ident()?;
        self.punct(Kind::LBrace, Expect::LBrace)?;
        let mut list = std::mem::take(&mut self.instructions);
        list.clear();
        self.block(Block::Instructions, |p| {
            if !matches!(p.kind(), Some(Kind::String | Kind::TextBlock)) {
                return Ok(false);
            }
            let instruction = p.instruction()?;
            list.push(instruction);
            Ok(true)
        });
        #[expect(clippy::drain_collect, reason = "the scratch list is reused")]
        let instructions = list.drain(..).collect();
        self.instructions = list;
        Ok(StageItemKind::Instruct { role, instructions })
    }

    /// `instruction = text within? for_list?`
    fn instruction(&mut self) -> R<Instruction> {
        let start = self.pos();
        let text = self.text()?;
        let within = if self.at_keyword(Keyword::Within) {
            self.bump();
            Some(self.lit(literal::duration)?)
        } else {
            None
        };
        let effort = if self.at_keyword(Keyword::Effort) {
            self.bump();
            Some(self.lit(literal::duration)?)
        } else {
            None
        };
        let mut for_names = Vec::new();
        if self.at_keyword(Keyword::For) {
            self.bump();
            for_names = self.idents()?;
        }
        Ok(Instruction { text, within, effort, for_names, span: self.since(start) })
    }

    fn metric(&mut self) -> R<Metric> {
        let (start, _, name, title) = self.head(Keyword::Metric)?;
        self.open_after_title(&title)?;
        let mut items = Vec::new();
        self.block(Block::Metric, |p| {
            let item_start = p.pos();
            let kind = match p.keyword_among(items::METRIC) {
                Some(Keyword::Description) => MetricItemKind::Description(p.description()?),
                Some(Keyword::Conversion) => {
                    p.bump();
                    let from = p.ident()?;
                    p.punct(Kind::Arrow, Expect::Arrow)?;
                    MetricItemKind::Conversion { from, to: p.ident()? }
                }
                Some(Keyword::Time) => {
                    p.bump();
                    let from = p.ident()?;
                    let to = if p.at(Kind::Arrow) {
                        p.bump();
                        Some(p.ident()?)
                    } else {
                        None
                    };
                    MetricItemKind::Time { from, to }
                }
                Some(Keyword::Volume) => {
                    p.bump();
                    MetricItemKind::Volume(p.ident()?)
                }
                Some(Keyword::Activity) => {
                    p.bump();
                    let what = p.string()?;
                    p.keyword(Keyword::ActivityBy)?;
                    MetricItemKind::Activity { what, role: p.ident()? }
                }
                Some(Keyword::Target) => {
                    p.bump();
                    let cmp = match p.kind() {
                        Some(Kind::AtLeast) => Comparison::AtLeast,
                        Some(Kind::AtMost) => Comparison::AtMost,
                        _ => return p.fail(&[Expect::Comparison]),
                    };
                    p.bump();
                    MetricItemKind::Target { cmp, value: p.lit(literal::quantity)? }
                }
                Some(Keyword::Owner) => {
                    p.bump();
                    MetricItemKind::Owner(p.ident()?)
                }
                Some(Keyword::Review) => {
                    p.bump();
                    let review = match p.keyword_among(&[Keyword::Daily, Keyword::Weekly, Keyword::Monthly]) {
                        Some(Keyword::Daily) => Review::Daily,
                        Some(Keyword::Weekly) => Review::Weekly,
                        Some(_) => Review::Monthly,
                        None => {
                            return p.fail(&[
                                Expect::Keyword(Keyword::Daily),
                                Expect::Keyword(Keyword::Weekly),
                                Expect::Keyword(Keyword::Monthly),
                            ]);
                        }
                    };
                    p.bump();
                    MetricItemKind::Review(review)
                }
                _ => return Ok(false),
            };
            items.push(MetricItem { kind, span: p.since(item_start) });
            Ok(true)
        });
        Ok(Metric { span: self.since(start), name, title, items })
    }

    /// `country | date` of a `holidays` line.
    fn holiday(&mut self) -> R<Lit<Holiday>> {
        match self.kind() {
            Some(Kind::Date) => {
                let t = self.bump();
                let at = self.span(t.start, t.end);
                Ok(self.values.lit(t.text(self.text), at, |d| literal::date(d).map(Holiday::Date)))
            }
            Some(Kind::Word) => {
                let t = self.bump();
                let at = self.span(t.start, t.end);
                Ok(self.values.lit(t.text(self.text), at, |w| literal::country(w).map(Holiday::Country)))
            }
            _ => self.fail(&[Expect::Date]),
        }
    }

    fn plan(&mut self) -> R<Plan> {
        let keyword = self.keyword(Keyword::Plan)?;
        let title = self.opt_string()?;
        self.open_after_title(&title)?;
        let mut items = Vec::new();
        self.block(Block::Plan, |p| {
            let item_start = p.pos();
            let kind = match p.keyword_among(items::PLAN) {
                Some(Keyword::Goal) => {
                    p.bump();
                    PlanItemKind::Goal(p.lit(literal::rate)?)
                }
                Some(Keyword::Revenue) => {
                    p.bump();
                    let amount = p.quantity()?;
                    let currency = p.bare_word(Expect::Currency)?;
                    p.punct(Kind::Slash, Expect::Slash)?;
                    let per = p.bare_word(Expect::Name)?;
                    PlanItemKind::Revenue(p.values.revenue(amount, currency, per, p.since(item_start)))
                }
                Some(Keyword::Workdays) => {
                    p.bump();
                    PlanItemKind::Workdays(p.lit(literal::workdays)?)
                }
                Some(Keyword::Utilization) => {
                    p.bump();
                    PlanItemKind::Utilization(p.lit(literal::utilization)?)
                }
                _ => return Ok(false),
            };
            items.push(PlanItem { kind, span: p.since(item_start) });
            Ok(true)
        });
        Ok(Plan { keyword, title, items })
    }

    fn rollout(&mut self) -> R<Rollout> {
        let keyword = self.keyword(Keyword::Rollout)?;
        self.punct(Kind::LBrace, Expect::LBrace)?;
        let mut items = Vec::new();
        self.block(Block::Rollout, |p| {
            let item_start = p.pos();
            let kind = match p.keyword_among(items::ROLLOUT) {
                Some(Keyword::Start) => {
                    p.bump();
                    if !p.at(Kind::Date) {
                        return p.fail(&[Expect::Date]);
                    }
                    let t = p.bump();
                    let at = p.span(t.start, t.end);
                    RolloutItemKind::Start(p.values.lit(t.text(p.text), at, literal::date))
                }
                Some(Keyword::Length) => {
                    p.bump();
                    RolloutItemKind::Length(p.lit(literal::rollout_length)?)
                }
                Some(Keyword::Briefing) => {
                    p.bump();
                    let roles = p.idents()?;
                    p.keyword(Keyword::Every)?;
                    RolloutItemKind::Briefing { roles, every: p.lit(literal::duration)? }
                }
                Some(Keyword::Exam) => {
                    p.bump();
                    let roles = p.idents()?;
                    p.keyword(Keyword::At)?;
                    let mut at = vec![p.lit(literal::duration)?];
                    while p.at(Kind::Comma) {
                        p.bump();
                        at.push(p.lit(literal::duration)?);
                    }
                    let questions = if p.at_keyword(Keyword::Questions) {
                        p.bump();
                        Some(p.lit(literal::questions)?)
                    } else {
                        None
                    };
                    RolloutItemKind::Exam { roles, at, questions }
                }
                Some(Keyword::Audit) => {
                    p.bump();
                    let roles = p.idents()?;
                    p.keyword(Keyword::AuditBy)?;
                    let by = p.ident()?;
                    p.keyword(Keyword::Every)?;
                    RolloutItemKind::Audit { roles, by, every: p.lit(literal::duration)? }
                }
                Some(Keyword::Weekdays) => {
                    p.bump();
                    RolloutItemKind::Weekdays
                }
                Some(Keyword::Holidays) => {
                    p.bump();
                    let mut days = vec![p.holiday()?];
                    while p.at(Kind::Comma) {
                        p.bump();
                        days.push(p.holiday()?);
                    }
                    RolloutItemKind::Holidays(days)
                }
                _ => return Ok(false),
            };
            items.push(RolloutItem { kind, span: p.since(item_start) });
            Ok(true)
        });
        Ok(Rollout { keyword, items })
    }
}
