//! Reports `reports to` lines that form a cycle (a role that, through its
//! managers, reports to itself).
//!
//! **Why it matters.** The manuals tell each person whom they report to
//! and who reports to them; a cycle has no head and cannot be drawn as an
//! organisation chart.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep { reports to head }
//!   role head { reports to rep }
//!   stage a { entry owner rep instruct rep { "Call" } instruct head { "Check" } -> won }
//!   stage won { outcome won }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep { reports to head }
//!   role head
//!   stage a { entry owner rep instruct rep { "Call" } instruct head { "Check" } -> won }
//!   stage won { outcome won }
//! }
//! ```

use super::Context;
use super::say::kw;
use crate::diagnostics::{Code, Diagnostic};
use crate::lang::Lang;

pub(super) fn check(cx: &mut Context) {
    let roles = &cx.model.roles;
    // Each role reports to at most one other, so following the chain from
    // each role finds every cycle; report each once, at its first role.
    let mut state = vec![0u8; roles.len()]; // 0 new, 1 on the current chain, 2 done
    let mut found = Vec::new();
    for start in 0..roles.len() {
        let mut chain = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at {
            match state[i] {
                2 => break,
                1 => {
                    let from = chain.iter().position(|&c| c == i).unwrap_or(0);
                    let cycle = &chain[from..];
                    let first = *cycle.iter().min().unwrap_or(&i);
                    let rotate = cycle.iter().position(|&c| c == first).unwrap_or(0);
                    let ordered: Vec<usize> = cycle[rotate..].iter().chain(&cycle[..rotate]).copied().collect();
                    let mut shown: Vec<&str> = ordered.iter().map(|&r| roles[r].id.as_str()).collect();
                    shown.push(&roles[first].id);
                    let span = roles[first].reports_to_span.unwrap_or(roles[first].span);
                    let (reports, shown) = (kw("reports to"), shown.join(" -> "));
                    found.push(match cx.lang {
                        Lang::En => Diagnostic::new(
                            Code::P404,
                            span,
                            format!("`{reports}` goes round in a circle: {shown}"),
                        )
                        .with_label("this line is part of the circle")
                        .with_help(format!("the head of the chain reports to nobody: remove one `{reports}`")),
                        Lang::Ru => Diagnostic::new(Code::P404, span, format!("`{reports}` замыкается в круг: `{shown}`"))
                            .with_label("эта строка входит в круг")
                            .with_help(format!("глава цепочки никому не подчиняется: уберите одну из строк `{reports}`")),
                    });
                    break;
                }
                _ => {
                    state[i] = 1;
                    chain.push(i);
                    at = roles[i].reports_to.map(|r| r.0);
                }
            }
        }
        for i in chain {
            state[i] = 2;
        }
    }
    found.into_iter().for_each(|d| cx.report(d));
}
