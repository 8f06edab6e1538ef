//! Control characters made visible: the one place that decides how text
//! from a `.proc` file (or a file name) that holds them is shown, in every
//! Markdown and HTML output and on the terminal.
//!
//! Such characters have no business in a process description, and some do
//! harm: an escape sequence (`ESC ]0;…BEL`, `ESC [2J`) retitles or clears
//! the terminal of whoever reads the report, and NUL or DEL make a
//! Markdown or HTML file that tools reject. So every C0 control except tab
//! and line feed, DEL and every C1 control (U+0080–U+009F) is replaced:
//! C0 and DEL by their Unicode control pictures (`␀` for NUL, `␛` for ESC,
//! `␡` for DEL), which show which character stood there and take one
//! column each; C1 controls, which have no pictures, by U+FFFD `�`.

use std::borrow::Cow;

/// Whether `c` is replaced by [`visible`].
pub fn is_hidden_control(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// What [`visible`] shows in place of a control character.
pub fn picture(c: char) -> char {
    match c {
        '\0'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        _ => '\u{fffd}',
    }
}

/// `text` with its control characters (see the module documentation)
/// replaced by visible ones; borrowed when there are none.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| if is_hidden_control(c) { picture(c) } else { c }).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_pictures() {
        assert_eq!(visible("a\u{1b}]0;PWNED\u{7}b"), "a␛]0;PWNED␇b");
        assert_eq!(visible("\0\u{7f}\u{85}\u{9f}\r"), "␀␡��␍");
    }

    #[test]
    fn tabs_line_ends_and_other_text_stay() {
        let text = "a\tb\nc «д» \u{a0}\u{2028}";
        assert!(matches!(visible(text), Cow::Borrowed(_)));
        assert_eq!(visible(text), text);
    }
}
