//! The formatter: one canonical layout for `.proc` files (`docs/format.md`).
//!
//! It works from the pest parse tree, token by token, so everything written
//! is kept as written: names, numbers, keywords and strings are copied from
//! the source. The comments, which the grammar skips, are recovered from the
//! gaps between tokens: since strings and text blocks are tokens, a gap holds
//! only whitespace, at most one comma, and comments.
//!
//! What may change is whitespace, the place of a comma (always right after
//! the word before it), and a capacity written `6h / day`, which becomes
//! `6h/day`. A comment never crosses a token: one written between a header
//! and its `{` stays there, and the `{` goes on a line of its own, since
//! below the `{` an `# allow(…)` would start to cover the block's first
//! item. Before the result is returned it is parsed again, and its tokens,
//! its comments and the `# allow(…)` comments of each declaration are
//! compared with the input's; if they differ the input is returned
//! unchanged, so the formatter never changes a file's meaning.

use crate::config;
use crate::diagnostics::{self, Diagnostic};
use crate::syntax::lexer::{Trivia, trivia};
use crate::syntax::{self, Rule};
use pest::iterators::Pair;

const BOM: &[u8] = b"\xEF\xBB\xBF";
const INDENT: &str = "  ";

/// A file the formatter leaves alone because it does not parse (P001, P003
/// or P004).
#[derive(Debug, Clone)]
pub struct Unparsed {
    /// The text the diagnostics' spans refer to (lossy when the file is not
    /// UTF-8, without a BOM).
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Formats a file's bytes. A leading BOM is kept; invalid UTF-8 is P003.
pub fn format_file(bytes: &[u8]) -> Result<Vec<u8>, Unparsed> {
    let text = match syntax::decode(bytes) {
        Ok(text) => text,
        Err(failed) => {
            let (text, diagnostic) = *failed;
            return Err(Unparsed { text, diagnostics: vec![diagnostic] });
        }
    };
    match format(&text) {
        Ok(formatted) => {
            let mut out = Vec::with_capacity(formatted.len() + BOM.len());
            if bytes.starts_with(BOM) {
                out.extend_from_slice(BOM);
            }
            out.extend_from_slice(formatted.as_bytes());
            Ok(out)
        }
        Err(diagnostics) => Err(Unparsed { text, diagnostics }),
    }
}

/// Formats decoded source text (without a BOM, as [`crate::compile_str`]
/// takes it).
///
/// A text that does not parse (P001 or P004) is an error carrying the
/// diagnostics; invalid literals (P002) and every later problem do not stop
/// the formatter.
pub fn format(text: &str) -> Result<String, Vec<Diagnostic>> {
    let parsed = syntax::parse(text);
    if parsed.fatal {
        let mut found = parsed.diagnostics;
        diagnostics::sort(&mut found);
        return Err(found);
    }
    let allows = parsed.process.as_ref().map(|p| config::allow_comments(text, p));
    Ok(match layout(text) {
        Some(formatted) if same_words(text, &formatted) && allows == allow_comments(&formatted) => formatted,
        _ => text.to_string(),
    })
}

// ---------------------------------------------------------------- tokens and gaps

/// One token of the source: a leaf of the parse tree, or a whole string or
/// text block.
#[derive(Debug, Clone, Copy)]
struct Token {
    rule: Rule,
    /// The rule the token belongs to (`capacity` for the `/` of `6h / day`).
    parent: Rule,
    start: usize,
    end: usize,
}

fn tokens(pair: Pair<'_, Rule>, parent: Rule, out: &mut Vec<Token>) {
    let rule = pair.as_rule();
    let span = pair.as_span();
    let token = Token { rule, parent, start: span.start(), end: span.end() };
    match rule {
        Rule::EOI => {}
        Rule::string | Rule::text_block => out.push(token),
        _ => {
            let mut inner = pair.into_inner().peekable();
            if inner.peek().is_none() {
                out.push(token);
            }
            for child in inner {
                tokens(child, rule, out);
            }
        }
    }
}

/// A comment, without its trailing spaces and tabs.
#[derive(Debug, Clone, Copy)]
struct Comment<'t> {
    text: &'t str,
    /// Line ends between the previous token, comma or comment and this
    /// comment.
    newlines_before: usize,
}

/// What lies between two tokens.
#[derive(Debug, Clone, Default)]
struct Gap<'t> {
    comments: Vec<Comment<'t>>,
    comma: bool,
    /// Line ends between the last comment (or the previous token) and the
    /// next token.
    newlines_before_token: usize,
}

/// Reads a gap; `None` if it holds anything but whitespace, commas and
/// comments (which the grammar rules out).
fn gap(text: &str) -> Option<Gap<'_>> {
    let bytes = text.as_bytes();
    let mut gap = Gap::default();
    let mut newlines = 0;
    let mut at = 0;
    while at < bytes.len() {
        match trivia(text, at) {
            Some((Trivia::Blank, end)) => at = end,
            Some((Trivia::LineBreak, end)) => {
                newlines += 1;
                at = end;
            }
            Some((Trivia::Comment, end)) => {
                let comment = text.get(at..end)?.trim_end_matches([' ', '\t']);
                gap.comments.push(Comment { text: comment, newlines_before: newlines });
                newlines = 0;
                at = end;
            }
            // A comma is printed right after the word before it, so line ends
            // are counted from it: a comment after it on its line trails it.
            None if bytes[at] == b',' && !gap.comma => {
                gap.comma = true;
                newlines = 0;
                at += 1;
            }
            None => return None,
        }
    }
    gap.newlines_before_token = newlines;
    Some(gap)
}

/// The tokens of `text` and the gaps around them: `gaps[i]` comes before
/// `tokens[i]`, the last gap after the last token.
fn split(text: &str) -> Option<(Pair<'_, Rule>, Vec<Token>, Vec<Gap<'_>>)> {
    let tree = syntax::tree(text)?;
    let mut toks = Vec::new();
    tokens(tree.clone(), Rule::file, &mut toks);
    let mut gaps = Vec::with_capacity(toks.len() + 1);
    let mut at = 0;
    for t in &toks {
        gaps.push(gap(text.get(at..t.start)?)?);
        at = t.end;
    }
    gaps.push(gap(text.get(at..)?)?);
    Some((tree, toks, gaps))
}

// ---------------------------------------------------------------- layout

/// Where the next token goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    /// On the current line, after a space.
    Inline,
    /// At the start of a line: the first token of an item.
    Item,
    /// The `}` of a block laid out over several lines.
    Close,
}

struct Printer<'t> {
    text: &'t str,
    toks: Vec<Token>,
    gaps: Vec<Gap<'t>>,
    /// The next token to print.
    next: usize,
    lines: Vec<String>,
    /// The line being written, with its indentation; empty before its first
    /// word.
    cur: String,
    depth: usize,
    /// The current item was broken by a comment: the rest of it is indented
    /// one step further.
    cont: bool,
    /// Something was written since the innermost `{` (or the start of the
    /// file): a blank line may come before the next line.
    filled: bool,
    at: At,
    /// The next token follows without a space (after the `/` of `6h/day`).
    glue: bool,
    /// The tree and the tokens agreed all along.
    ok: bool,
}

impl<'t> Printer<'t> {
    fn put(&mut self, s: &str, space: bool) {
        if self.cur.is_empty() {
            self.cur.push_str(&INDENT.repeat(self.depth + usize::from(self.cont)));
        } else if space {
            self.cur.push(' ');
        }
        self.cur.push_str(s);
        self.filled = true;
    }

    fn end_line(&mut self) {
        if !self.cur.is_empty() {
            self.lines.push(std::mem::take(&mut self.cur));
        }
    }

    fn blank(&mut self) {
        self.end_line();
        if self.filled && self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    /// Prints the comments of gap `g`. A comment on the line of the previous
    /// token stays at the end of that line; one on a line of its own gets a
    /// line of its own, indented like the next item, or, inside an item,
    /// like the item's continuation.
    fn comments(&mut self, g: usize, inline: bool) {
        let comments = self.gaps.get_mut(g).map(|gap| std::mem::take(&mut gap.comments)).unwrap_or_default();
        for c in comments {
            if c.newlines_before == 0 && !self.cur.is_empty() {
                self.cur.push(' ');
                self.cur.push_str(c.text);
            } else {
                self.end_line();
                if inline {
                    self.cont = true;
                } else {
                    self.cont = false;
                    if c.newlines_before >= 2 {
                        self.blank();
                    }
                }
                self.put(c.text, false);
            }
            self.end_line();
            if inline {
                self.cont = true;
            }
        }
    }

    fn has_comments(&self, g: usize) -> bool {
        self.gaps.get(g).is_some_and(|gap| !gap.comments.is_empty())
    }

    /// Prints the token `pair` with what comes before it.
    fn word(&mut self, pair: &Pair<'_, Rule>) {
        let g = self.next;
        let Some(tok) = self.toks.get(g).copied() else {
            self.ok = false;
            return;
        };
        let text = self.text;
        let Some(word) = text.get(tok.start..tok.end).filter(|_| tok.start == pair.as_span().start()) else {
            self.ok = false;
            return;
        };
        let at = std::mem::replace(&mut self.at, At::Inline);
        match at {
            At::Inline => {
                if self.gaps.get(g).is_some_and(|gap| gap.comma) {
                    self.put(",", false);
                }
                let glue = std::mem::take(&mut self.glue) && !self.has_comments(g);
                let join = tok.rule == Rule::slash && !self.has_comments(g) && !self.has_comments(g + 1);
                // A comment before a `{` stays before it (moved below, it
                // would become the comment of the block's first item); the
                // `{` then starts a line, at the indentation of its `}`.
                let brace_below = tok.rule == Rule::lbrace && self.has_comments(g);
                self.comments(g, true);
                if brace_below {
                    self.cont = false;
                }
                self.put(word, !(glue || join));
                self.glue = join;
            }
            At::Item => {
                self.comments(g, false);
                self.cont = false;
                if self.gaps.get(g).is_some_and(|gap| gap.newlines_before_token >= 2) {
                    self.blank();
                }
                self.end_line();
                self.put(word, false);
            }
            At::Close => {
                self.comments(g, false);
                self.depth = self.depth.saturating_sub(1);
                self.cont = false;
                self.end_line();
                self.put(word, false);
            }
        }
        self.next += 1;
    }

    fn index_of(&self, pair: &Pair<'_, Rule>) -> Option<usize> {
        let start = pair.as_span().start();
        self.toks.binary_search_by_key(&start, |t| t.start).ok()
    }

    /// Prints a pair: its tokens in order, its blocks laid out.
    fn node(&mut self, pair: Pair<'_, Rule>) {
        let rule = pair.as_rule();
        match rule {
            Rule::EOI => {}
            Rule::string | Rule::text_block => self.word(&pair),
            _ => {
                let children: Vec<Pair<'_, Rule>> = pair.clone().into_inner().collect();
                if children.is_empty() {
                    self.word(&pair);
                    return;
                }
                let mut i = 0;
                while let Some(child) = children.get(i) {
                    if child.as_rule() == Rule::lbrace {
                        let close = children.iter().skip(i).position(|c| c.as_rule() == Rule::rbrace).map(|p| p + i);
                        let (Some(close), Some(items)) = (close, close.and_then(|c| children.get(i + 1..c))) else {
                            self.ok = false;
                            return;
                        };
                        let Some(rbrace) = children.get(close) else {
                            self.ok = false;
                            return;
                        };
                        self.block(rule, child, items, rbrace);
                        i = close + 1;
                    } else {
                        self.node(child.clone());
                        i += 1;
                    }
                }
            }
        }
    }

    /// A block: `{}` when empty, on one line when it holds one short item,
    /// otherwise one item per line, indented.
    fn block(&mut self, kind: Rule, open: &Pair<'_, Rule>, items: &[Pair<'_, Rule>], close: &Pair<'_, Rule>) {
        let (Some(o), Some(c)) = (self.index_of(open), self.index_of(close)) else {
            self.ok = false;
            return;
        };
        let quiet = !(o + 1..=c).any(|g| self.has_comments(g));
        self.word(open);
        match items {
            [] if quiet => {
                self.glue = true;
                self.word(close);
            }
            [item] if quiet && kind != Rule::process && is_short(item) => {
                self.node(item.clone());
                self.word(close);
            }
            _ => {
                self.depth += 1;
                self.filled = false;
                for item in items {
                    self.at = At::Item;
                    self.node(item.clone());
                }
                self.at = At::Close;
                self.word(close);
                self.filled = true;
            }
        }
    }
}

/// An item that may share a line with its block's braces: one without text
/// and without a block of its own (`outcome won`, `headcount 2`).
fn is_short(item: &Pair<'_, Rule>) -> bool {
    !item.clone().into_inner().flatten().any(|p| matches!(p.as_rule(), Rule::string | Rule::text_block | Rule::lbrace))
}

/// The line end of the file: the kind its first line ends with.
fn line_end(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes().get(i - 1) == Some(&b'\r') => "\r\n",
        _ => "\n",
    }
}

/// Lays the text out; `None` if it does not parse or the tree and the
/// tokens disagree.
fn layout(text: &str) -> Option<String> {
    let (tree, toks, gaps) = split(text)?;
    let count = toks.len();
    let mut p = Printer {
        text,
        toks,
        gaps,
        next: 0,
        lines: Vec::new(),
        cur: String::new(),
        depth: 0,
        cont: false,
        filled: false,
        at: At::Item,
        glue: false,
        ok: true,
    };
    for child in tree.into_inner() {
        if child.as_rule() == Rule::process {
            p.at = At::Item;
            p.node(child);
        }
    }
    p.comments(count, false);
    p.end_line();
    if !p.ok || p.next != count {
        return None;
    }
    let mut lines = p.lines;
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    let nl = line_end(text);
    let mut out = lines.join(nl);
    out.push_str(nl);
    Some(out)
}

// ---------------------------------------------------------------- the safety check

/// The words of a text as the compiler reads them, and its comments (sorted).
struct Words {
    words: Vec<(Rule, String)>,
    comments: Vec<String>,
}

/// Reads the [`Words`] of a text. The `/` of a capacity is joined to its
/// neighbours: `6h / day` reads as `6h/day`.
fn words(text: &str) -> Option<Words> {
    let (_, toks, gaps) = split(text)?;
    let mut out: Vec<(Rule, String)> = Vec::with_capacity(toks.len());
    let mut iter = toks.iter().peekable();
    while let Some(t) = iter.next() {
        let word = text.get(t.start..t.end)?.to_string();
        if t.rule == Rule::slash && t.parent == Rule::capacity {
            let next = iter.next_if(|n| n.rule == Rule::ident);
            if let (Some(last), Some(n)) = (out.last_mut(), next) {
                if last.0 == Rule::quantity {
                    last.1.push('/');
                    last.1.push_str(text.get(n.start..n.end)?);
                    continue;
                }
            }
            return None;
        }
        out.push((t.rule, word));
    }
    let mut comments: Vec<String> = gaps.iter().flat_map(|g| g.comments.iter().map(|c| c.text.to_string())).collect();
    comments.sort();
    Some(Words { words: out, comments })
}

/// The two texts read as the same words and comments.
fn same_words(before: &str, after: &str) -> bool {
    match (words(before), words(after)) {
        (Some(a), Some(b)) => a.words == b.words && a.comments == b.comments,
        _ => false,
    }
}

/// The `# allow(…)` comments of each declaration (see
/// [`config::allow_comments`]), or `None` when the text does not parse.
fn allow_comments(text: &str) -> Option<Vec<Vec<&str>>> {
    let parsed = syntax::parse(text);
    parsed.process.filter(|_| !parsed.fatal).map(|p| config::allow_comments(text, &p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        let out = layout(text).expect("lays out");
        assert!(same_words(text, &out), "not the same words:\n{out}");
        out
    }

    #[test]
    fn short_blocks_stay_on_one_line_and_long_ones_break() {
        let text =
            "process p { role rep { headcount 2 } stage won \"Won\" {\noutcome won\n} stage a { owner rep -> won } }";
        assert_eq!(
            fmt(text),
            "process p {\n  role rep { headcount 2 }\n  stage won \"Won\" { outcome won }\n  stage a {\n    owner rep\n    -> won\n  }\n}\n"
        );
    }

    #[test]
    fn comments_stay_where_they_were() {
        let text = "# head\nprocess p { # after brace\n  role rep # trailing\n\n\n  # own line\n  stage won { outcome won } }\n# end\n";
        assert_eq!(
            fmt(text),
            "# head\nprocess p { # after brace\n  role rep # trailing\n\n  # own line\n  stage won { outcome won }\n}\n# end\n"
        );
    }

    #[test]
    fn a_comment_inside_an_item_breaks_it_and_indents_the_rest() {
        let text = "process p { stage a { -> b # why\n 40% } }";
        assert_eq!(fmt(text), "process p {\n  stage a {\n    -> b # why\n      40%\n  }\n}\n");
    }

    #[test]
    fn a_comment_before_a_brace_stays_before_it() {
        let text = "process p\n# about p\n{ role r }";
        assert_eq!(fmt(text), "process p\n  # about p\n{\n  role r\n}\n");
        let text = "process p { stage a \"A\" # why\n { entry owner r -> won } stage won { outcome won } }";
        assert_eq!(
            fmt(text),
            "process p {\n  stage a \"A\" # why\n  {\n    entry\n    owner r\n    -> won\n  }\n  stage won { outcome won }\n}\n"
        );
    }

    #[test]
    fn a_layout_that_would_move_an_allow_comment_is_refused() {
        // Laid out by hand as the formatter once did: the comment below the
        // `{` covers the role, so the check refuses the layout.
        let before = "process p\n# allow(idle-role)\n{ role r }\n";
        let after = "process p {\n  # allow(idle-role)\n  role r\n}\n";
        assert!(same_words(before, after), "the words and comments are the same");
        assert_ne!(allow_comments(before), allow_comments(after));
        assert_eq!(allow_comments(before), Some(vec![vec![], vec![]]));
    }

    #[test]
    fn gaps_are_read_with_the_parsers_line_breaks() {
        let g = gap("# a\r# b\r\n\n#c").expect("a gap");
        assert_eq!(
            g.comments.iter().map(|c| (c.text, c.newlines_before)).collect::<Vec<_>>(),
            [("# a", 0), ("# b", 1), ("#c", 2)]
        );
    }

    #[test]
    fn commas_slashes_and_arrows_are_spaced() {
        let text = "process p { role r { capacity 6h / day } plan { revenue 10 RUB / month }\n rollout { exam r ,r at 1d ,2d } }";
        assert_eq!(
            fmt(text),
            "process p {\n  role r { capacity 6h/day }\n  plan { revenue 10 RUB/month }\n  rollout { exam r, r at 1d, 2d }\n}\n"
        );
    }

    #[test]
    fn crlf_files_stay_crlf() {
        assert_eq!(fmt("process p {\r\n role r }\r\n"), "process p {\r\n  role r\r\n}\r\n");
    }

    #[test]
    fn gaps_hold_only_whitespace_commas_and_comments() {
        let g = gap(" ,\n  # a \t\r\n\n# b").expect("a gap");
        assert!(g.comma);
        assert_eq!(
            g.comments.iter().map(|c| (c.text, c.newlines_before)).collect::<Vec<_>>(),
            [("# a", 1), ("# b", 2)]
        );
        assert!(gap(" x ").is_none());
    }

    #[test]
    fn a_capacity_slash_reads_like_the_joined_quantity() {
        assert!(same_words("process p { role r { capacity 6h / day } }", "process p { role r { capacity 6h/day } }"));
        assert!(!same_words("process p { role r { capacity 6h/day } }", "process p { role r { capacity 7h/day } }"));
        assert!(!same_words("process p { role r # a\n }", "process p { role r # b\n }"));
    }
}
