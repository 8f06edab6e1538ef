//! The lossless lexer: the text cut into tokens, every byte in exactly one.
//!
//! Whitespace, line breaks, comments and a byte-order mark are tokens too
//! ("trivia"), so the parser, the formatter, the `# allow(…)` search and
//! the editor's highlighting read one definition of them. Nothing fails
//! here: a character the language has no use for is an [`Kind::Unknown`]
//! token, an unclosed string an [`Kind::UnclosedString`], and the parser
//! says what it expected instead.
//!
//! Tokens are made on demand ([`Lexer`] is an iterator), so the parser of
//! a large file holds one token at a time; [`tokens`] collects them all.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A byte-order mark (U+FEFF), wherever it is.
    Bom,
    /// Spaces and tabs.
    Blank,
    /// `\n`, `\r\n` or a lone `\r`.
    LineBreak,
    /// `#` up to the line break.
    Comment,
    /// An identifier-shaped word: a name, a keyword, a currency.
    Word,
    /// A number with what is glued to it: `12`, `-0.5`, `35%`, `2h`,
    /// `40/day`, `6h/day`, `3xyz` (an unknown unit is the literal's
    /// problem, not the lexer's).
    Number,
    /// Three dashed runs of digits: `2027-01-11`.
    Date,
    /// `"…"`, on one line.
    String,
    /// `"""`, a line break, anything, `"""`.
    TextBlock,
    /// A `"` with no closing `"` on its line: up to the line break.
    UnclosedString,
    /// A `"""` block with no closing `"""`: up to the end of the file.
    UnclosedTextBlock,
    LBrace,
    RBrace,
    /// `->`
    Arrow,
    Comma,
    Slash,
    /// `>=`
    AtLeast,
    /// `<=`
    AtMost,
    /// One character the language has no use for.
    Unknown,
}

impl Kind {
    /// Whitespace, a line break, a comment or a BOM: what the grammar skips.
    pub fn is_trivia(self) -> bool {
        matches!(self, Kind::Bom | Kind::Blank | Kind::LineBreak | Kind::Comment)
    }
}

/// A token: its kind and byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text(self, text: &str) -> &str {
        &text[self.start..self.end]
    }
}

/// All tokens of `text`, trivia included. Their texts, joined, are `text`.
pub fn tokens(text: &str) -> Vec<Token> {
    Lexer::new(text).collect()
}

/// Cuts a text into tokens, one at a time.
#[derive(Debug, Clone)]
pub struct Lexer<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
}

impl<'t> Lexer<'t> {
    pub fn new(text: &'t str) -> Lexer<'t> {
        Lexer { text, bytes: text.as_bytes(), pos: 0 }
    }

    /// Starts at byte `pos` (a token boundary).
    pub fn at(text: &'t str, pos: usize) -> Lexer<'t> {
        Lexer { text, bytes: text.as_bytes(), pos }
    }

    fn char_at(&self, at: usize) -> Option<char> {
        match self.bytes.get(at) {
            None => None,
            Some(&b) if b < 0x80 => Some(b as char),
            Some(_) => self.text.get(at..).and_then(|rest| rest.chars().next()),
        }
    }

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

    fn digits_end(&self, mut at: usize) -> Option<usize> {
        let start = at;
        while self.bytes.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        (at > start).then_some(at)
    }

    /// `digits "-" digits "-" digits`
    fn date_end(&self, at: usize) -> Option<usize> {
        let at = self.digits_end(at)?;
        (self.bytes.get(at) == Some(&b'-')).then_some(())?;
        let at = self.digits_end(at + 1)?;
        (self.bytes.get(at) == Some(&b'-')).then_some(())?;
        self.digits_end(at + 1)
    }

    /// `"-"? digits ("." digits)? ("%" | "/" ident_char* | ident_char+ ("/" ident_char*)?)?`
    fn number_end(&self, at: usize) -> Option<usize> {
        let at = if self.bytes.get(at) == Some(&b'-') { at + 1 } else { at };
        let mut at = self.digits_end(at)?;
        if self.bytes.get(at) == Some(&b'.') {
            if let Some(end) = self.digits_end(at + 1) {
                at = end;
            }
        }
        match self.bytes.get(at) {
            Some(b'%') => return Some(at + 1),
            Some(b'/') => return Some(self.ident_chars_end(at + 1)),
            _ => {}
        }
        let word_end = self.ident_chars_end(at);
        if word_end > at && self.bytes.get(word_end) == Some(&b'/') {
            return Some(self.ident_chars_end(word_end + 1));
        }
        Some(word_end)
    }

    /// A string from the `"` at `at`: its end and whether it closed.
    fn string_end(&self, at: usize) -> (usize, bool) {
        let mut i = at + 1;
        loop {
            match self.bytes.get(i) {
                None => return (i, false),
                Some(b'"') => return (i + 1, true),
                Some(b'\n' | b'\r') => return (i, false),
                Some(b'\\') => match self.char_at(i + 1) {
                    None | Some('\n' | '\r') => i += 1,
                    Some(c) => i += 1 + c.len_utf8(),
                },
                Some(_) => i += self.char_at(i).map_or(1, char::len_utf8),
            }
        }
    }

    /// A text block from the `"""` at `at`, if the quotes end their line:
    /// its end and whether it closed.
    fn text_block_end(&self, at: usize) -> Option<(usize, bool)> {
        let rest = &self.bytes[at..];
        rest.starts_with(b"\"\"\"").then_some(())?;
        let mut i = 3;
        while matches!(rest.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        match rest.get(i) {
            Some(b'\n' | b'\r') => i += 1,
            _ => return None,
        }
        Some(match rest[i..].windows(3).position(|w| w == b"\"\"\"") {
            Some(close) => (at + i + close + 3, true),
            None => (self.bytes.len(), false),
        })
    }

    /// The kind and end of the token at `at` (not the end of the text).
    fn token_at(&self, at: usize) -> (Kind, usize) {
        let b = self.bytes[at];
        match b {
            b' ' | b'\t' => {
                let end = at
                    + self.bytes[at..].iter().position(|&c| c != b' ' && c != b'\t').unwrap_or(self.bytes.len() - at);
                (Kind::Blank, end)
            }
            b'\n' => (Kind::LineBreak, at + 1),
            b'\r' if self.bytes.get(at + 1) == Some(&b'\n') => (Kind::LineBreak, at + 2),
            b'\r' => (Kind::LineBreak, at + 1),
            b'#' => {
                let rest = &self.bytes[at..];
                (Kind::Comment, at + rest.iter().position(|&c| c == b'\n' || c == b'\r').unwrap_or(rest.len()))
            }
            b'{' => (Kind::LBrace, at + 1),
            b'}' => (Kind::RBrace, at + 1),
            b',' => (Kind::Comma, at + 1),
            b'/' => (Kind::Slash, at + 1),
            b'-' if self.bytes.get(at + 1) == Some(&b'>') => (Kind::Arrow, at + 2),
            b'>' if self.bytes.get(at + 1) == Some(&b'=') => (Kind::AtLeast, at + 2),
            b'<' if self.bytes.get(at + 1) == Some(&b'=') => (Kind::AtMost, at + 2),
            b'"' => match self.text_block_end(at) {
                Some((end, true)) => (Kind::TextBlock, end),
                Some((end, false)) => (Kind::UnclosedTextBlock, end),
                None => match self.string_end(at) {
                    (end, true) => (Kind::String, end),
                    (end, false) => (Kind::UnclosedString, end),
                },
            },
            b'0'..=b'9' => match self.date_end(at) {
                Some(end) => (Kind::Date, end),
                None => (Kind::Number, self.number_end(at).unwrap_or(at + 1)),
            },
            b'-' if self.bytes.get(at + 1).is_some_and(u8::is_ascii_digit) => {
                (Kind::Number, self.number_end(at).unwrap_or(at + 1))
            }
            _ => {
                let c = self.char_at(at).unwrap_or('\u{FFFD}');
                let next = at + c.len_utf8();
                if c == '\u{FEFF}' {
                    (Kind::Bom, next)
                } else if is_ident_start(c) {
                    (Kind::Word, self.ident_chars_end(next))
                } else {
                    (Kind::Unknown, next)
                }
            }
        }
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    #[inline]
    fn next(&mut self) -> Option<Token> {
        if self.pos >= self.bytes.len() {
            return None;
        }
        let start = self.pos;
        let (kind, end) = self.token_at(start);
        self.pos = end;
        Some(Token { kind, start, end })
    }
}

/// A piece of what the grammar skips, as the `# allow(…)` search and the
/// formatter's gaps read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trivia {
    /// Spaces, tabs, a byte-order mark.
    Blank,
    LineBreak,
    Comment,
}

/// The trivia token at byte `at` of `text` and where it ends; `None` at a
/// token that is not trivia, or at the end.
pub(crate) fn trivia(text: &str, at: usize) -> Option<(Trivia, usize)> {
    let token = Lexer::at(text, at).next()?;
    let kind = match token.kind {
        Kind::Blank | Kind::Bom => Trivia::Blank,
        Kind::LineBreak => Trivia::LineBreak,
        Kind::Comment => Trivia::Comment,
        _ => return None,
    };
    Some((kind, token.end))
}

pub fn is_ident_start(c: char) -> bool {
    c == '_' || pest::unicode::XID_START(c)
}

pub fn is_ident_char(c: char) -> bool {
    c == '_' || pest::unicode::XID_CONTINUE(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        tokens(text).into_iter().map(|t| (t.kind, t.text(text))).collect()
    }

    #[test]
    fn every_byte_is_in_one_token() {
        let text = "\u{FEFF}process p \"Т\" { # c\r\n  stage a{ -> b 30% loop \"x\\\"y\" }\n\"\"\"  \n блок\n\"\"\" 2027-01-11 6h/day >= <= ,/ -5 ~ \"open\n";
        let toks = tokens(text);
        let mut at = 0;
        for t in &toks {
            assert_eq!(t.start, at);
            assert!(t.end > t.start);
            at = t.end;
        }
        assert_eq!(at, text.len());
    }

    #[test]
    fn tokens_are_what_the_grammar_names() {
        use Kind::*;
        let got: Vec<_> =
            kinds("a->b 30% 6h/day 40/день 12.5 2027-01-11 -3d").into_iter().filter(|t| t.0 != Blank).collect();
        assert_eq!(
            got,
            vec![
                (Word, "a"),
                (Arrow, "->"),
                (Word, "b"),
                (Number, "30%"),
                (Number, "6h/day"),
                (Number, "40/день"),
                (Number, "12.5"),
                (Date, "2027-01-11"),
                (Number, "-3d"),
            ]
        );
    }

    #[test]
    fn strings_end_at_their_line_and_blocks_at_their_quotes() {
        use Kind::*;
        assert_eq!(kinds("\"a\\\"b\"")[0], (String, "\"a\\\"b\""));
        assert_eq!(kinds("\"open\nx")[0], (UnclosedString, "\"open"));
        assert_eq!(kinds("\"\"\"\nx\n\"\"\"")[0], (TextBlock, "\"\"\"\nx\n\"\"\""));
        assert_eq!(kinds("\"\"\"\nx")[0], (UnclosedTextBlock, "\"\"\"\nx"));
        // `"""` not followed by a line break is an empty string and a quote.
        assert_eq!(kinds("\"\"\"x\"")[..2], [(String, "\"\""), (String, "\"x\"")]);
    }

    #[test]
    fn trivia_is_blanks_line_breaks_comments_and_byte_order_marks() {
        use Kind::*;
        assert_eq!(
            kinds(" \t\r\n\r#c\u{FEFF}"),
            vec![(Blank, " \t"), (LineBreak, "\r\n"), (LineBreak, "\r"), (Comment, "#c\u{FEFF}")]
        );
        assert_eq!(kinds("\u{FEFF}a"), vec![(Bom, "\u{FEFF}"), (Word, "a")]);
        assert!(tokens(" \n#x\u{FEFF}").iter().all(|t| t.kind.is_trivia()));
        assert_eq!(kinds("\u{00A0}"), vec![(Unknown, "\u{00A0}")]);
    }
}
