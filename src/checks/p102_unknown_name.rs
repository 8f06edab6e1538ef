//! Reports a name that refers to nothing of the kind expected there, and
//! suggests the closest declared name.
//!
//! **Why it matters.** A misspelt owner or transition target silently
//! breaks the manuals and the funnel. procdef reports each such name once,
//! with a suggestion ("did you mean `offer`?"), and does not also report
//! what follows from it (an unreachable stage, a missing owner).
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role manager
//!   stage call { entry owner manger instruct manager { "Call" } -> ofer }
//!   stage offer { owner manager instruct manager { "Send the offer" } -> won }
//!   stage won { outcome won }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role manager
//!   stage call { entry owner manager instruct manager { "Call" } -> offer }
//!   stage offer { owner manager instruct manager { "Send the offer" } -> won }
//!   stage won { outcome won }
//! }
//! ```

use super::{Context, SUGGESTION_BUDGET, Suggestions};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::NameKind;

pub(super) fn check(cx: &mut Context) {
    let model = cx.model;
    let kinds = [NameKind::Stage, NameKind::Role, NameKind::SegmentOrProduct];
    let mut suggestions = kinds.map(|kind| Suggestions::new(model.names_of(kind)));
    let mut budget = SUGGESTION_BUDGET;
    for r in model.references.iter().filter(|r| !r.resolved()) {
        let index = kinds.iter().position(|k| *k == r.kind).unwrap_or(0);
        let mut d = Diagnostic::new(Code::P102, r.span, format!("unknown {} `{}`", r.kind.noun(), r.name))
            .with_label(format!("no {} has this name", r.kind.noun()));
        let other_kind = match r.kind {
            NameKind::Role if model.stage_id(&r.name).is_some() => Some("a stage"),
            NameKind::Stage if model.role_id(&r.name).is_some() => Some("a role"),
            NameKind::Role | NameKind::Stage
                if model.segment_id(&r.name).is_some() || model.product_id(&r.name).is_some() =>
            {
                Some("a segment or product")
            }
            NameKind::SegmentOrProduct if model.role_id(&r.name).is_some() => Some("a role"),
            NameKind::SegmentOrProduct if model.stage_id(&r.name).is_some() => Some("a stage"),
            _ => None,
        };
        let near = suggestions[index].closest(&r.name, &mut budget);
        let names = suggestions[index].names();
        let help = match near {
            Some(near) => format!("did you mean `{near}`?"),
            None => match other_kind {
                Some(kind) => format!(
                    "`{}` is {kind}, but a {} is expected here as the {}",
                    r.name,
                    r.kind.noun(),
                    r.role_in_text
                ),
                None if names.is_empty() => format!("declare it, e.g. `{} {}`", declare_word(r.kind), r.name),
                None => format!("declare it, or use one of the declared {}: {}", r.kind.plural(), list(names)),
            },
        };
        d = d.with_help(help);
        cx.report(d);
    }
}

fn declare_word(kind: NameKind) -> &'static str {
    match kind {
        NameKind::Stage => "stage",
        NameKind::Role => "role",
        NameKind::SegmentOrProduct => "segment",
    }
}

fn list(names: &[&str]) -> String {
    const SHOWN: usize = 8;
    let mut out = names.iter().take(SHOWN).map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        out.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    out
}
