//! Reports a stage whose `takes` (the time a client typically spends
//! there) is longer than its `within` (the most it may take).
//!
//! **Why it matters.** `takes` says what usually happens, `within` what
//! must not be exceeded. A stage that usually takes longer than its limit
//! has the typical client over the limit: every audit will count most of
//! its deals as late, and the funnel's times, which use `takes`, promise
//! what the limit forbids. Either the limit is too tight or the estimate is
//! wrong. Equal values are not reported.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage offer { entry owner rep takes 10d within 7d instruct rep { "Send the offer" } -> won 40% -> lost }
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
//!   stage offer { entry owner rep takes 5d within 7d instruct rep { "Send the offer" } -> won 40% -> lost }
//!   stage won { outcome won }
//!   stage lost { outcome lost }
//! }
//! ```

use super::Context;
use super::say::{duration, kw};
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;

pub(super) fn check(cx: &mut Context) {
    let mut found = Vec::new();
    for stage in &cx.model.stages {
        let (Some(takes), Some(within)) = (stage.takes, stage.within) else { continue };
        if takes <= within {
            continue;
        }
        let lang = cx.lang;
        let (id, takes, limit) = (&stage.id, duration(lang, takes), duration(lang, within));
        let (span, limit_at) = (stage.takes_span.unwrap_or(stage.span), stage.within_span.unwrap_or(stage.span));
        let (takes_kw, within_kw) = (kw("takes"), kw("within"));
        found.push(match lang {
            Lang::En => Diagnostic::new(
                Code::P507,
                span,
                format!("the stage `{id}` typically takes {takes}, longer than its limit of {limit}"),
            )
            .with_label(format!("longer than `{within_kw}`"))
            .with_related(limit_at, "the stage's limit")
            .with_help(format!(
                "give the stage more time with `{within_kw}`, or correct `{takes_kw}` to what a client usually spends here"
            )),
            Lang::Ru => Diagnostic::new(
                Code::P507,
                span,
                format!("обычная длительность этапа `{id}` — {takes}, больше его срока ({limit})"),
            )
            .with_label(format!("дольше, чем `{within_kw}`"))
            .with_related(limit_at, "срок этапа")
            .with_help(format!(
                "дайте этапу больше времени через `{within_kw}` или исправьте `{takes_kw}` на время, которое клиент обычно проводит здесь"
            )),
        });
    }
    found.into_iter().for_each(|d| cx.report(d));
}
