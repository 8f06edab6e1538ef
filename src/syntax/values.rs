//! Turning literal tokens into AST values, with their diagnostics (P002,
//! and P001 for a value of the wrong kind).
//!
//! Both parsers go through here: the lowering of pest pairs
//! ([`super::lower`]) and the fast path ([`super::descent`]). Each method
//! takes a token as written and its span, so the two produce the same
//! values and the same diagnostics, in the same order.

use super::expected::Wording;
use super::literal::{self, LitError, Problem};
use crate::ast::{Language, Lit, Money, Period, Text};
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;
use crate::span::Span;

#[derive(Debug)]
pub(super) struct Values {
    pub(super) diagnostics: Vec<Diagnostic>,
    /// The language of the messages and the file's keywords.
    say: Wording,
}

impl Default for Values {
    /// English messages about an English-keyword file.
    fn default() -> Values {
        Values { diagnostics: Vec::new(), say: Wording::ENGLISH }
    }
}

impl Values {
    /// The messages in `lang`, naming the units and keywords as a file of
    /// keyword language `keywords` spells them.
    pub(super) fn new(lang: Lang, keywords: Language) -> Values {
        Values { diagnostics: Vec::new(), say: Wording { keywords, lang } }
    }

    fn report(&mut self, at: Span, error: LitError) {
        let code = match error {
            LitError::Syntax(_) => Code::P001,
            LitError::Invalid(_) => Code::P002,
        };
        let (message, help) = error.words(self.say);
        self.diagnostics.push(Diagnostic::new(code, at, message).with_help(help));
    }

    /// Classifies `raw` (written at `at`) with `check`.
    pub(super) fn lit<T>(&mut self, raw: &str, at: Span, check: impl FnOnce(&str) -> Result<T, LitError>) -> Lit<T> {
        // A unit of the other keyword language reads as a slip, not as a
        // value: say how this file writes it.
        if raw.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
            if let Some(fixed) = literal::foreign_unit(raw, self.say.keywords) {
                self.report(at, LitError::Invalid(Problem::ForeignUnit { token: raw.to_string(), fixed }));
                return Lit { value: None, span: at };
            }
        }
        match check(raw) {
            Ok(v) => Lit { value: Some(v), span: at },
            Err(e) => {
                self.report(at, e);
                Lit { value: None, span: at }
            }
        }
    }

    /// A string token, quotes included.
    pub(super) fn string(&mut self, raw: &str, at: Span) -> Text {
        // The grammar guarantees the quotes around the content.
        let inner = &raw[1..raw.len() - 1];
        let base = at.start + 1;
        let (value, errors) = literal::unescape(inner);
        let (label, help) = self.say.pick(
            ("bad escape", "the escapes are `\\\"`, `\\\\`, `\\n`, `\\t` and `\\u{263A}`; write `\\\\` for a backslash"),
            (
                "неверная экранирующая последовательность",
                "экранирующие последовательности — `\\\"`, `\\\\`, `\\n`, `\\t` и `\\u{263A}`; обратную косую черту пишите как `\\\\`",
            ),
        );
        for e in errors {
            let message = self.say.pick(e.message, e.message_ru);
            let span = at.with(base + e.offset, base + e.offset + e.len);
            self.diagnostics.push(Diagnostic::new(Code::P002, span, message).with_label(label).with_help(help));
        }
        Text { value, span: at }
    }

    /// A text block token, from the opening to the closing triple quotes.
    pub(super) fn text_block(&mut self, raw: &str, at: Span) -> Text {
        // After the opening quotes and the rest of their line, up to the
        // closing quotes.
        let body_start = raw.find('\n').map_or(3, |i| i + 1);
        let body = raw.get(body_start..raw.len() - 3).unwrap_or("");
        Text { value: literal::dedent(body), span: at }
    }

    /// The word after `language`.
    pub(super) fn language(&mut self, word: &str, at: Span) -> Lit<Language> {
        self.lit(word, at, |w| match w {
            "en" => Ok(Language::En),
            "ru" => Ok(Language::Ru),
            other => Err(LitError::Invalid(Problem::UnknownLanguage { word: other.into() })),
        })
    }

    /// `capacity QUANTITY [/ PERIOD]`; `at` is the whole property.
    pub(super) fn capacity(&mut self, quantity: &str, per: Option<&str>, at: Span) -> Lit<u32> {
        self.lit(quantity, at, |q| literal::capacity(q, per))
    }

    /// An amount and a currency; `at` covers both.
    pub(super) fn money(&mut self, amount: (&str, Span), currency: (&str, Span), at: Span) -> Lit<Money> {
        let amount = self.lit(amount.0, amount.1, literal::amount);
        let currency = self.lit(currency.0, currency.1, literal::currency);
        let value = match (amount.value, currency.value) {
            (Some(amount), Some(currency)) => Some(Money { amount, currency }),
            _ => None,
        };
        Lit { value, span: at }
    }

    /// `revenue AMOUNT CURRENCY / PERIOD`; `at` is the whole property.
    pub(super) fn revenue(
        &mut self,
        amount: (&str, Span),
        currency: (&str, Span),
        per: (&str, Span),
        at: Span,
    ) -> Lit<(Money, Period)> {
        let amount = self.lit(amount.0, amount.1, literal::amount);
        let currency = self.lit(currency.0, currency.1, literal::currency);
        let per = self.lit(per.0, per.1, literal::period_word);
        let value = match (amount.value, currency.value, per.value) {
            (Some(amount), Some(currency), Some(per)) => Some((Money { amount, currency }, per)),
            _ => None,
        };
        Lit { value, span: at }
    }
}
