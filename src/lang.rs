//! The language of a file's keywords and of the diagnostics about it.
//!
//! A file whose first line (after a byte-order mark) is `# language: ru`
//! or `# язык: ru` is written with the Russian keywords, and its
//! diagnostics are in Russian (LANGUAGE.md §5.2); `--lang ru|en` chooses
//! the language of diagnostics for every file.

/// English or Russian: the same two languages as a process's outputs.
pub use crate::ast::Language as Lang;

/// The keyword language a file's header declares: Russian when its first
/// line (after a BOM) is `# language: ru` or `# язык: ru`, with any blanks
/// around the words; English otherwise.
pub fn keyword_language(text: &str) -> Lang {
    crate::syntax::keywords::file_language(text)
}

/// The language of a file's diagnostics: `chosen` (from `--lang`) when
/// given, else the file's keyword language.
pub fn diagnostics_language(chosen: Option<Lang>, text: &str) -> Lang {
    chosen.unwrap_or_else(|| keyword_language(text))
}

/// The Russian plural form for `n`: `one` for 1, 21, 101; `few` for 2–4,
/// 22–24; `many` for 0, 5–20, 25–30 and the teens. The one rule of the
/// outputs' locale files serves the diagnostics too.
pub use crate::i18n::ru_plural as plural_ru;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_on_the_first_line_makes_a_file_russian() {
        for text in [
            "# language: ru\nprocess p {}",
            "# язык: ru\n",
            "\u{FEFF}# language: ru\r\n",
            "#language:ru",
            "  #  язык :  ru  \n",
        ] {
            assert_eq!(keyword_language(text), Lang::Ru, "{text:?}");
        }
        for text in [
            "",
            "process p {}",
            "# language: en\n",
            "\n# language: ru\n",
            "# language: russian\n",
            "# languages: ru\n",
            "# language ru\n",
            "// language: ru\n",
        ] {
            assert_eq!(keyword_language(text), Lang::En, "{text:?}");
        }
    }

    #[test]
    fn a_chosen_language_wins_over_the_header() {
        assert_eq!(diagnostics_language(Some(Lang::En), "# language: ru\n"), Lang::En);
        assert_eq!(diagnostics_language(Some(Lang::Ru), "process p {}"), Lang::Ru);
        assert_eq!(diagnostics_language(None, "# язык: ru\n"), Lang::Ru);
    }
}
