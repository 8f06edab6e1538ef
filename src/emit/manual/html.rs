//! The manual as one self-contained, printable HTML page, rendered from a
//! minijinja template with HTML auto-escaping. The built-in template is
//! `templates/manual.html.j2`; `build --templates DIR` replaces it.

use super::Manual;
use crate::emit::visible::{is_hidden_control, visible};
use crate::i18n::{self, Words};
use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};

/// The name of the manual's template.
pub const MANUAL_TEMPLATE: &str = "manual.html.j2";

/// The built-in manual template.
pub const DEFAULT_MANUAL_TEMPLATE: &str = include_str!("../../../templates/manual.html.j2");

/// The name of the template of the kit's other pages (the schedule, the
/// exams, the audit checklists, the funnel plan, the index).
pub const PAGE_TEMPLATE: &str = "page.html.j2";

/// The built-in page template.
pub const DEFAULT_PAGE_TEMPLATE: &str = include_str!("../../../templates/page.html.j2");

/// A template that does not parse or does not render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError(pub String);

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TemplateError {}

fn error(e: &minijinja::Error) -> TemplateError {
    let mut s = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        s.push_str(&format!(": {inner}"));
        source = inner.source();
    }
    TemplateError(s)
}

/// The templates of the HTML outputs, ready to render.
pub struct Renderer {
    env: Environment<'static>,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer").finish_non_exhaustive()
    }
}

impl Renderer {
    /// The built-in templates, replaced or extended by `templates` (file
    /// name and source text; names may be included from one another).
    pub fn new(templates: &[(String, String)]) -> Result<Renderer, TemplateError> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        // Every value a template prints, the built-in one or the user's,
        // has its control characters made visible before it is escaped.
        env.set_formatter(|out, state, value| match value.as_str() {
            Some(text) if text.chars().any(is_hidden_control) => {
                let text = visible(text).into_owned();
                let value = if value.is_safe() { Value::from_safe_string(text) } else { Value::from(text) };
                minijinja::escape_formatter(out, state, &value)
            }
            _ => minijinja::escape_formatter(out, state, value),
        });
        let syntax = minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .map_err(|e| error(&e))?;
        env.set_syntax(syntax);
        env.add_filter("lines", |text: String| -> Vec<String> {
            text.lines().map(|l| l.trim_end().to_string()).collect()
        });
        env.add_filter("paragraphs", |text: String| -> Vec<String> { paragraphs(&text) });
        if !templates.iter().any(|(name, _)| name == MANUAL_TEMPLATE) {
            env.add_template(MANUAL_TEMPLATE, DEFAULT_MANUAL_TEMPLATE).map_err(|e| error(&e))?;
        }
        if !templates.iter().any(|(name, _)| name == PAGE_TEMPLATE) {
            env.add_template(PAGE_TEMPLATE, DEFAULT_PAGE_TEMPLATE).map_err(|e| error(&e))?;
        }
        for (name, source) in templates {
            env.add_template_owned(name.clone(), source.clone()).map_err(|e| error(&e))?;
        }
        Ok(Renderer { env })
    }

    /// Renders one manual.
    pub fn manual(&self, manual: &Manual, words: &Words) -> Result<String, TemplateError> {
        let template = self.env.get_template(MANUAL_TEMPLATE).map_err(|e| error(&e))?;
        let t: std::collections::BTreeMap<&str, &str> =
            i18n::keys(words.language).into_iter().map(|k| (k, words.get(k))).collect();
        let ctx = minijinja::context! {
            manual => Value::from(Serde(manual)),
            t => Value::from(Serde(t)),
            lang => manual.lang,
        };
        template.render(ctx).map_err(|e| error(&e))
    }
}

impl Renderer {
    /// Renders one page of the kit.
    pub fn page(&self, page: &crate::emit::page::Page) -> Result<String, TemplateError> {
        let template = self.env.get_template(PAGE_TEMPLATE).map_err(|e| error(&e))?;
        let sections = crate::emit::page::sections(page);
        let ctx = minijinja::context! {
            page => Value::from(Serde(page)),
            sections => Value::from(Serde(&sections)),
            lang => page.lang,
        };
        template.render(ctx).map_err(|e| error(&e))
    }
}

/// Text split into paragraphs at blank lines; the lines inside a
/// paragraph are kept.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line.trim_end());
        }
    }
    if !current.is_empty() {
        out.push(current.join("\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_at_blank_lines() {
        assert_eq!(paragraphs("a\nb\n\n\nc  \n"), ["a\nb", "c"]);
        assert!(paragraphs("  \n").is_empty());
    }

    #[test]
    fn a_template_that_does_not_parse_is_an_error() {
        let e = Renderer::new(&[(MANUAL_TEMPLATE.into(), "{% if %}".into())]).expect_err("a syntax error");
        assert!(e.0.contains("manual.html.j2"), "{e}");
    }
}
