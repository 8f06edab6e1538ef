//! Reports entry shares that are given for some entries but not all, or
//! that do not add up to 100%; the same for segment `share`s.
//!
//! **Why it matters.** Shares say where new clients come from (60% from
//! outbound calls, 40% from the website) and which segments they belong
//! to. The plan turns a sales goal into a number of new clients at each
//! entry with them, so they must describe all new clients, exactly once.
//! With no shares at all, new clients split evenly.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage calls { entry active 60% owner rep instruct rep { "Call" } -> won 10% -> lost }
//!   stage site { entry passive 30% owner rep instruct rep { "Answer" } -> won 30% -> lost }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage calls { entry active 60% owner rep instruct rep { "Call" } -> won 10% -> lost }
//!   stage site { entry passive 40% owner rep instruct rep { "Answer" } -> won 30% -> lost }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//! }
//! ```

use super::Context;
use super::say::{kw, percent};
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;
use crate::span::Span;

/// One share-bearing declaration: its name, where it is, and its share
/// (`Some(None)` when the share was written but rejected).
struct Item<'a> {
    id: &'a str,
    span: Span,
    share: Option<Option<f64>>,
    share_span: Option<Span>,
}

pub(super) fn check(cx: &mut Context) {
    let entries: Vec<Item> = cx
        .model
        .stages
        .iter()
        .filter_map(|s| {
            s.entry.as_ref().map(|e| Item {
                id: &s.id,
                span: e.span,
                share: e.share_span.map(|_| e.share),
                share_span: e.share_span,
            })
        })
        .collect();
    let segments: Vec<Item> = cx
        .model
        .segments
        .iter()
        .map(|s| Item { id: &s.id, span: s.span, share: s.share_span.map(|_| s.share), share_span: s.share_span })
        .collect();
    let mut found = Vec::new();
    found.extend(shares(cx.lang, &entries, Of::Entries));
    found.extend(shares(cx.lang, &segments, Of::Segments));
    found.into_iter().for_each(|d| cx.report(d));
}

/// Whose shares: the entry stages' or the segments'.
#[derive(Clone, Copy, PartialEq)]
enum Of {
    Entries,
    Segments,
}

fn shares(lang: Lang, items: &[Item], of: Of) -> Option<Diagnostic> {
    // A rejected share (P002) is reported once already.
    if items.iter().any(|i| matches!(i.share, Some(None))) {
        return None;
    }
    let given: Vec<&Item> = items.iter().filter(|i| i.share.is_some()).collect();
    if given.is_empty() {
        return None;
    }
    let example = match of {
        Of::Entries => format!("`{} {} 60%`", kw("entry"), kw("active")),
        Of::Segments => format!("`{} 60%`", kw("share")),
    };
    if let Some(missing) = items.iter().find(|i| i.share.is_none()) {
        let id = missing.id;
        let given_at = given[0].share_span.unwrap_or(given[0].span);
        return Some(match lang {
            Lang::En => {
                let (kind, plural) = match of {
                    Of::Entries => ("entry", "entry stages"),
                    Of::Segments => ("segment", "segments"),
                };
                Diagnostic::new(
                    Code::P304,
                    missing.span,
                    format!("shares are given for some {plural} but not for the {kind} `{id}`"),
                )
                .with_label("no share here")
                .with_related(given_at, "a share is given here")
                .with_help(format!(
                    "give every {kind} a share, e.g. {example}, adding up to 100%; or give none to split evenly"
                ))
            }
            Lang::Ru => {
                let (whose, of_the, each) = match of {
                    Of::Entries => ("входов", "у этапа", "для каждого входа"),
                    Of::Segments => ("сегментов", "у сегмента", "для каждого сегмента"),
                };
                Diagnostic::new(
                    Code::P304,
                    missing.span,
                    format!("доли указаны не для всех {whose}: {of_the} `{id}` доли нет"),
                )
                .with_label("доли нет")
                .with_related(given_at, "здесь доля указана")
                .with_help(format!(
                    "укажите долю {each}, например {example}, чтобы в сумме было 100%, или не указывайте ни одной: тогда клиенты распределятся поровну"
                ))
            }
        });
    }
    let sum: f64 = given.iter().filter_map(|i| i.share.flatten()).sum();
    if (sum - 1.0).abs() > 1e-9 {
        let first = given[0];
        let span = first.share_span.unwrap_or(first.span);
        let sum = percent(lang, sum);
        return Some(match lang {
            Lang::En => {
                let plural = if of == Of::Entries { "entry stages" } else { "segments" };
                Diagnostic::new(Code::P304, span, format!("the shares of the {plural} add up to {sum}, not 100%"))
                    .with_label(format!("{sum} in all"))
                    .with_help(format!("correct the shares of the {plural} so that they add up to exactly 100%"))
            }
            Lang::Ru => {
                let whose = if of == Of::Entries { "входов" } else { "сегментов" };
                Diagnostic::new(Code::P304, span, format!("доли {whose} в сумме дают {sum}, а не 100%"))
                    .with_label(format!("всего {sum}"))
                    .with_help(format!("исправьте доли {whose} так, чтобы в сумме было ровно 100%"))
            }
        });
    }
    None
}
