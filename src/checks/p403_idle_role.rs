//! Reports a role that owns no stage and has no instructions.
//!
//! **Why it matters.** Its manual would be empty: the role takes no part
//! in the process. It is usually a role whose instructions were forgotten,
//! or one that is no longer needed.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   role assistant
//!   stage a { entry owner rep instruct rep { "Call" } -> won }
//!   stage won { outcome won }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   role assistant
//!   stage a { entry owner rep instruct rep { "Call" } instruct assistant { "Prepare the client card" } -> won }
//!   stage won { outcome won }
//! }
//! ```

use super::Context;
use super::say::kw;
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;
use crate::model::RoleId;

pub(super) fn check(cx: &mut Context) {
    let model = cx.model;
    let mut busy = vec![false; model.roles.len()];
    for stage in &model.stages {
        for id in stage.owner.into_iter().chain(stage.instructions.iter().filter_map(|i| i.role)) {
            busy[id.0] = true;
        }
    }
    for (i, role) in model.roles.iter().enumerate() {
        if !busy[i] {
            let _ = RoleId(i);
            let (owner, instruct, id) = (kw("owner"), kw("instruct"), &role.id);
            let fix = super::fix::remove_declaration(cx, role.span, id);
            let d = match cx.lang {
                Lang::En => Diagnostic::new(Code::P403, role.span, format!("the role `{id}` has nothing to do"))
                    .with_label("owns no stage and has no instructions")
                    .with_help(format!(
                        "make it the `{owner}` of a stage or give it instructions with `{instruct} {id}`, or remove it"
                    )),
                Lang::Ru => Diagnostic::new(Code::P403, role.span, format!("роли `{id}` нечего делать"))
                    .with_label("не отвечает ни за один этап и не получает инструкций")
                    .with_help(format!(
                        "сделайте её ответственной за этап (`{owner}`), дайте ей инструкции через `{instruct} {id}` или удалите её"
                    )),
            };
            cx.report(d.with_fix(fix));
        }
    }
}
