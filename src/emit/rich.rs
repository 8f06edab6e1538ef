//! Text with a little emphasis, shared by the Markdown and the HTML
//! renderers: fixed words from the locale files (where `**…**` marks bold)
//! with the user's text filled in, kept apart so that each renderer escapes
//! the user's text its own way and user text can never turn into markup.

use crate::i18n::Words;
use serde::Serialize;

/// A piece of text in one style.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    pub text: String,
    pub strong: bool,
    pub em: bool,
}

/// A line of text made of runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Rich(pub Vec<Run>);

impl Rich {
    pub fn plain(text: impl Into<String>) -> Rich {
        Rich(vec![Run { text: text.into(), strong: false, em: false }])
    }

    pub fn strong(text: impl Into<String>) -> Rich {
        Rich(vec![Run { text: text.into(), strong: true, em: false }])
    }

    pub fn em(text: impl Into<String>) -> Rich {
        Rich(vec![Run { text: text.into(), strong: false, em: true }])
    }

    pub fn push(&mut self, other: Rich) -> &mut Rich {
        for run in other.0 {
            self.push_run(run);
        }
        self
    }

    pub fn push_str(&mut self, text: &str) -> &mut Rich {
        self.push_run(Run { text: text.to_string(), strong: false, em: false })
    }

    fn push_run(&mut self, run: Run) -> &mut Rich {
        if run.text.is_empty() {
            return self;
        }
        match self.0.last_mut() {
            Some(last) if last.strong == run.strong && last.em == run.em => last.text.push_str(&run.text),
            _ => self.0.push(run),
        }
        self
    }

    /// The runs joined by `sep`.
    pub fn join(parts: Vec<Rich>, sep: &str) -> Rich {
        let mut out = Rich::default();
        for (i, p) in parts.into_iter().enumerate() {
            if i > 0 {
                out.push_str(sep);
            }
            out.push(p);
        }
        out
    }

    /// The text without styles.
    pub fn text(&self) -> String {
        self.0.iter().map(|r| r.text.as_str()).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|r| r.text.is_empty())
    }
}

/// The locale text of `key` with `{name}` placeholders filled by rich
/// values; `**` in the locale text marks bold.
pub fn fill(words: &Words, key: &str, args: &[(&str, Rich)]) -> Rich {
    let template = words.get(key);
    let mut out = Rich::default();
    for (k, segment) in template.split("**").enumerate() {
        let strong = k % 2 == 1;
        let mut rest = segment;
        while !rest.is_empty() {
            let hole = rest.find('{').and_then(|open| {
                let close = open + rest[open..].find('}')?;
                let name = &rest[open + 1..close];
                args.iter().find(|(n, _)| *n == name).map(|(_, v)| (open, close, v))
            });
            match hole {
                Some((open, close, value)) => {
                    out.push_run(Run { text: rest[..open].to_string(), strong, em: false });
                    for run in &value.0 {
                        out.push_run(Run { text: run.text.clone(), strong: strong || run.strong, em: run.em });
                    }
                    rest = &rest[close + 1..];
                }
                None => {
                    // No known placeholder left in this segment (a `{` that
                    // starts none is kept as written).
                    let cut = rest.find('{').map_or(rest.len(), |open| open + 1);
                    out.push_run(Run { text: rest[..cut].to_string(), strong, em: false });
                    rest = &rest[cut..];
                }
            }
        }
    }
    out
}

/// Like [`fill`], with plain user text as the values.
pub fn fill_plain(words: &Words, key: &str, args: &[(&str, &str)]) -> Rich {
    let args: Vec<(&str, Rich)> = args.iter().map(|(k, v)| (*k, Rich::plain(*v))).collect();
    fill(words, key, &args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Language;

    #[test]
    fn bold_markers_and_user_text_stay_apart() {
        let w = Words::new(Language::En);
        let r = fill_plain(&w, "manual.within", &[("d", "2 h **not bold**")]);
        assert_eq!(r.0.len(), 3);
        assert_eq!(r.0[1], Run { text: "2 h **not bold**".into(), strong: true, em: false });
        assert!(!r.0[0].strong && !r.0[2].strong);
        assert_eq!(r.text(), "The stage must be finished within 2 h **not bold** of the client entering it.");
    }

    #[test]
    fn braces_in_user_text_are_not_placeholders() {
        let w = Words::new(Language::En);
        let r = fill_plain(&w, "manual.when", &[("label", "{label} {x")]);
        assert_eq!(r.text(), "when: {label} {x");
    }
}
