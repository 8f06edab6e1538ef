//! Reports a stage (not an outcome) with no `owner`.
//!
//! **Why it matters.** The process approach assigns every stage to a
//! position: someone is responsible for each client there, and that
//! stage's part of the manual goes to them. Without an owner nobody is
//! accountable, and the plan cannot count the stage's workload.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry instruct rep { "Call" } -> won }
//!   stage won { outcome won }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won }
//!   stage won { outcome won }
//! }
//! ```

use super::Context;
use super::say::kw;
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;

pub(super) fn check(cx: &mut Context) {
    for stage in &cx.model.stages {
        // An owner that does not resolve is P102, not also P401.
        if !stage.is_terminal() && stage.owner_span.is_none() {
            let (owner, id) = (kw("owner"), &stage.id);
            // The role with instructions here is the likely owner; else the
            // process's first role.
            let first_role = stage
                .instructions
                .iter()
                .find_map(|i| i.role.map(|r| cx.model.role(r).id.as_str()))
                .or_else(|| cx.model.roles.first().map(|r| r.id.as_str()));
            let fix = first_role.and_then(|role| super::fix::add_owner(cx, stage, role));
            let d = match cx.lang {
                Lang::En => Diagnostic::new(Code::P401, stage.span, format!("nobody owns the stage `{id}`"))
                    .with_label(format!("no `{owner}`"))
                    .with_help(format!(
                        "name the role responsible for clients here, e.g. `{owner} {}`",
                        first_role.unwrap_or("manager")
                    )),
                Lang::Ru => Diagnostic::new(Code::P401, stage.span, format!("у этапа `{id}` нет ответственного"))
                    .with_label(format!("нет `{owner}`"))
                    .with_help(format!(
                        "назовите роль, которая отвечает за клиентов на этом этапе, например `{owner} {}`",
                        first_role.unwrap_or("менеджер")
                    )),
            };
            cx.report(d.with_fix(fix));
        }
    }
}
