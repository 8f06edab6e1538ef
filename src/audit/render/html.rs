//! `--format html` and `audit/report.html`: the report as one
//! self-contained, printable page (no outside CSS, script or font; A4,
//! page breaks, a light background), rendered from the minijinja template
//! `templates/audit.html.j2` with HTML auto-escaping. Nothing from the log
//! or the process is marked safe; control characters are made visible
//! ([`crate::emit::visible`]) before they are escaped.

use super::content;
use crate::audit::report::Report;
use crate::emit::visible::{is_hidden_control, visible};
use crate::model::Model;
use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};

/// The built-in template of the report.
pub const TEMPLATE: &str = include_str!("../../../templates/audit.html.j2");

fn environment() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_formatter(|out, state, value| match value.as_str() {
        Some(text) if text.chars().any(is_hidden_control) => {
            minijinja::escape_formatter(out, state, &Value::from(visible(text).into_owned()))
        }
        _ => minijinja::escape_formatter(out, state, value),
    });
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()?;
    env.set_syntax(syntax);
    env.add_template("audit.html.j2", TEMPLATE)?;
    Ok(env)
}

/// The HTML report.
pub fn html(report: &Report, model: &Model) -> String {
    let a = content::build(report, model, content::CASES_SHOWN);
    let rendered = environment().and_then(|env| {
        let template = env.get_template("audit.html.j2")?;
        template.render(minijinja::context! { a => Value::from(Serde(&a)), lang => a.lang })
    });
    // The built-in template renders every report (tested); should it not,
    // say so in the page rather than fail the audit.
    rendered.unwrap_or_else(|e| {
        format!("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>audit</title></head><body><p>{}</p></body></html>\n", escape(&e.to_string()))
    })
}

fn escape(text: &str) -> String {
    visible(text).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
