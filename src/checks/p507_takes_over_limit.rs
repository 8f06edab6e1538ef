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
use crate::diagnostics::{Code, Diagnostic};
use crate::i18n::duration_en as show;

pub(super) fn check(cx: &mut Context) {
    let mut found = Vec::new();
    for stage in &cx.model.stages {
        let (Some(takes), Some(within)) = (stage.takes, stage.within) else { continue };
        if takes <= within {
            continue;
        }
        found.push(
            Diagnostic::new(
                Code::P507,
                stage.takes_span.unwrap_or(stage.span),
                format!(
                    "the stage `{}` typically takes {}, longer than its limit of {}",
                    stage.id,
                    show(takes),
                    show(within)
                ),
            )
            .with_label("longer than `within`")
            .with_related(stage.within_span.unwrap_or(stage.span), "the stage's limit")
            .with_help(
                "give the stage more time with `within`, or correct `takes` to what a client usually spends here",
            ),
        );
    }
    found.into_iter().for_each(|d| cx.report(d));
}
