//! Reports a stage (not an outcome) with no `instruct` block.
//!
//! **Why it matters.** The manuals are made of instructions: a stage
//! without any tells its owner nothing about what to do there, so the
//! stage is empty in every manual.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep -> won }
//!   stage won { outcome won }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call the client back within an hour" } -> won }
//!   stage won { outcome won }
//! }
//! ```

use super::Context;
use super::say::kw;
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;

pub(super) fn check(cx: &mut Context) {
    for stage in &cx.model.stages {
        if !stage.is_terminal() && !stage.has_instruct_block {
            let (instruct, id) = (kw("instruct"), &stage.id);
            cx.report(match cx.lang {
                Lang::En => Diagnostic::new(Code::P402, stage.span, format!("the stage `{id}` has no instructions"))
                    .with_label(format!("no `{instruct}` block"))
                    .with_help(format!(
                        "say what the owner does here: `{instruct} ROLE {{ \"first step\" \"second step\" }}`"
                    )),
                Lang::Ru => Diagnostic::new(Code::P402, stage.span, format!("у этапа `{id}` нет инструкций"))
                    .with_label(format!("нет блока `{instruct}`"))
                    .with_help(format!(
                        "опишите, что здесь делает ответственный: `{instruct} РОЛЬ {{ \"первый шаг\" \"второй шаг\" }}`"
                    )),
            });
        }
    }
}
