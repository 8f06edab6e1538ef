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

use super::Context;
use crate::suggest::{SUGGESTION_BUDGET, Suggestions};
use crate::diagnostics::{Code, Diagnostic};
use super::say::kw;
use crate::lang::Lang;
use crate::model::{NameKind, Reference};

pub(super) fn check(cx: &mut Context) {
    let model = cx.model;
    let kinds = [NameKind::Stage, NameKind::Role, NameKind::SegmentOrProduct];
    let mut suggestions = kinds.map(|kind| Suggestions::new(model.names_of(kind)));
    let mut budget = SUGGESTION_BUDGET;
    for r in model.references.iter().filter(|r| !r.resolved()) {
        let index = kinds.iter().position(|k| *k == r.kind).unwrap_or(0);
        let other_kind = match r.kind {
            NameKind::Role if model.stage_id(r.unresolved_name()).is_some() => Some(NameKind::Stage),
            NameKind::Stage if model.role_id(r.unresolved_name()).is_some() => Some(NameKind::Role),
            NameKind::Role | NameKind::Stage
                if model.segment_id(r.unresolved_name()).is_some() || model.product_id(r.unresolved_name()).is_some() =>
            {
                Some(NameKind::SegmentOrProduct)
            }
            NameKind::SegmentOrProduct if model.role_id(r.unresolved_name()).is_some() => Some(NameKind::Role),
            NameKind::SegmentOrProduct if model.stage_id(r.unresolved_name()).is_some() => Some(NameKind::Stage),
            _ => None,
        };
        let near = suggestions[index].closest(r.unresolved_name(), &mut budget);
        let names = suggestions[index].names();
        let d = match cx.lang {
            Lang::En => english(r, near, other_kind, names),
            Lang::Ru => russian(r, near, other_kind, names),
        };
        let fix = near.map(|near| super::fix::replace_name(cx, r.span, near));
        cx.report(d.with_fix(fix));
    }
}

fn english(r: &Reference, near: Option<&str>, other_kind: Option<NameKind>, names: &[&str]) -> Diagnostic {
    let help = match near {
        Some(near) => format!("did you mean `{near}`?"),
        None => match other_kind {
            Some(kind) => {
                let a = match kind {
                    NameKind::Stage => "a stage",
                    NameKind::Role => "a role",
                    NameKind::SegmentOrProduct => "a segment or product",
                };
                format!("`{}` is {a}, but a {} is expected here as the {}", r.unresolved_name(), r.kind.noun(), r.role_in_text)
            }
            None if names.is_empty() => format!("declare it, e.g. `{} {}`", declare_word(r.kind), r.unresolved_name()),
            None => format!("declare it, or use one of the declared {}: {}", r.kind.plural(), list(Lang::En, names)),
        },
    };
    Diagnostic::new(Code::P102, r.span, format!("unknown {} `{}`", r.kind.noun(), r.unresolved_name()))
        .with_label(format!("no {} has this name", r.kind.noun()))
        .with_help(help)
}

fn russian(r: &Reference, near: Option<&str>, other_kind: Option<NameKind>, names: &[&str]) -> Diagnostic {
    // The noun, "not declared" agreeing with it, "no … of this name", "it",
    // "one of the declared …", "is needed".
    let (noun, undeclared, nothing, it, one_of, needed) = match r.kind {
        NameKind::Stage => ("этап", "не объявлен", "этапа с таким именем нет", "его", "один из объявленных этапов", "нужен этап"),
        NameKind::Role => ("роль", "не объявлена", "роли с таким именем нет", "её", "одну из объявленных ролей", "нужна роль"),
        NameKind::SegmentOrProduct => (
            "сегмент или продукт",
            "не объявлен",
            "ни сегмента, ни продукта с таким именем нет",
            "его",
            "один из объявленных сегментов и продуктов",
            "нужен сегмент или продукт",
        ),
    };
    let help = match near {
        Some(near) => format!("может быть, имелось в виду `{near}`?"),
        None => match other_kind {
            Some(kind) => {
                let is = match kind {
                    NameKind::Stage => "этап",
                    NameKind::Role => "роль",
                    NameKind::SegmentOrProduct => "сегмент или продукт",
                };
                format!("`{}` — это {is}, а здесь {needed}: {}", r.unresolved_name(), used_as_ru(r.role_in_text))
            }
            None if names.is_empty() => {
                format!("объявите {it}, например: `{} {}`", declare_word(r.kind), r.unresolved_name())
            }
            None => format!("объявите {it} или выберите {one_of}: {}", list(Lang::Ru, names)),
        },
    };
    Diagnostic::new(Code::P102, r.span, format!("{noun} `{}` {undeclared}", r.unresolved_name())).with_label(nothing).with_help(help)
}

/// What a name is used as, in Russian, from the model's English phrase.
fn used_as_ru(used_as: &str) -> String {
    match used_as {
        "owner" => format!("ответственный за этап (`{}`)", kw("owner")),
        "transition target" => format!("этап, куда ведёт переход (`{}`)", kw("->")),
        "`reports to` role" => format!("руководитель в `{}`", kw("reports to")),
        "`instruct` role" => format!("исполнитель инструкции (`{}`)", kw("instruct")),
        "`for` list entry" => format!("адресат инструкции в списке `{}`", kw("for")),
        "stage of a conversion" => format!("этап конверсии (`{}`)", kw("conversion")),
        "stage of a time metric" => format!("этап метрики времени (`{}`)", kw("time")),
        "stage of a volume metric" => format!("этап метрики объёма (`{}`)", kw("volume")),
        "role of an activity" => format!("исполнитель активности (`{}`)", kw("activity")),
        "metric owner" => format!("ответственный за метрику (`{}`)", kw("owner")),
        "briefed role" => format!("участник инструктажа (`{}`)", kw("briefing")),
        "examined role" => format!("сдающий экзамен (`{}`)", kw("exam")),
        "audited role" => format!("проверяемый в аудите (`{}`)", kw("audit")),
        "auditor role" => format!("проводящий аудит (`{}`)", kw("by")),
        _ => "имя другого вида".to_string(),
    }
}

fn declare_word(kind: NameKind) -> &'static str {
    match kind {
        NameKind::Stage => kw("stage"),
        NameKind::Role => kw("role"),
        NameKind::SegmentOrProduct => kw("segment"),
    }
}

fn list(lang: Lang, names: &[&str]) -> String {
    const SHOWN: usize = 8;
    let mut out = names.iter().take(SHOWN).map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        let more = names.len() - SHOWN;
        out.push_str(&match lang {
            Lang::En => format!(" and {more} more"),
            Lang::Ru => format!(" и ещё {more}"),
        });
    }
    out
}
