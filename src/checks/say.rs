//! The words of diagnostic messages in English and Russian: keywords,
//! numbers, percentages, durations and Russian plural forms.
//!
//! A message names a keyword only through [`kw`], so that every keyword a
//! message shows is spelt in one place.

use crate::lang::Lang;

thread_local! {
    /// The keyword language of the file being checked.
    static KEYWORDS: std::cell::Cell<Lang> = const { std::cell::Cell::new(Lang::En) };
}

/// Runs `f` with the keywords of messages spelled in `language`: the
/// keyword language of the file checked.
pub(super) fn with_keywords<T>(language: Lang, f: impl FnOnce() -> T) -> T {
    let before = KEYWORDS.with(|k| k.replace(language));
    let out = f();
    KEYWORDS.with(|k| k.set(before));
    out
}

/// The spelling of a keyword, a unit (`h`) or a period (`month`), given in
/// English, as messages show it: in the keyword language of the file
/// checked (LANGUAGE.md §5.2: the keywords messages name follow the
/// file), whatever the language of the message. Messages never write a
/// keyword themselves; they ask here, and the spellings come from the one
/// keyword table, `syntax::keywords`.
pub fn kw(keyword: &'static str) -> &'static str {
    use crate::syntax::keywords::{self, Keyword};
    let language = KEYWORDS.with(std::cell::Cell::get);
    if language == Lang::En || keyword == "->" {
        return keyword;
    }
    if keyword == "reports to" {
        return Keyword::Reports.spelling(language);
    }
    if let Some(k) = Keyword::ALL.iter().find(|k| k.en() == keyword) {
        return k.spelling(language);
    }
    if let Some(unit) = keywords::unit_word(keyword, language) {
        return unit;
    }
    match keywords::period(keyword) {
        Some(period) => keywords::period_word(period, language),
        None => keyword,
    }
}

pub use crate::lang::plural_ru;

/// `n` with its noun in the right form: `1 этап`, `3 этапа`, `5 этапов`.
pub fn count_ru(n: u64, one: &str, few: &str, many: &str) -> String {
    format!("{n} {}", plural_ru(n, one, few, many))
}

/// A number with at most one decimal, with a decimal point in English and
/// a decimal comma in Russian: `12.5`, `12,5`, `40`.
pub fn number(lang: Lang, value: f64) -> String {
    let s = format!("{value:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s);
    match lang {
        Lang::En => s.to_string(),
        Lang::Ru => s.replace('.', ","),
    }
}

/// A fraction as a percentage: `0.205` → `20.5%` (`20,5%` in Russian).
pub fn percent(lang: Lang, fraction: f64) -> String {
    format!("{}%", number(lang, fraction * 100.0))
}

/// "per month" as a phrase after a number: `per month`, `в месяц`.
pub fn per(lang: Lang, period: crate::model::Period) -> &'static str {
    use crate::model::Period;
    match (lang, period) {
        (Lang::En, Period::Day) => "per day",
        (Lang::En, Period::Week) => "per week",
        (Lang::En, Period::Month) => "per month",
        (Lang::Ru, Period::Day) => "в день",
        (Lang::Ru, Period::Week) => "в неделю",
        (Lang::Ru, Period::Month) => "в месяц",
    }
}

/// The grammatical case of a Russian duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `3 дня`: after a dash, as a subject.
    Nominative,
    /// `3 дней`: after `не больше`, `до`.
    Genitive,
}

/// A duration in words, in the largest unit that divides it: `2 h`,
/// `3 days`; `2 ч`, `3 дня` (or `3 дней` in the genitive).
pub fn duration(lang: Lang, minutes: u32) -> String {
    duration_in(lang, minutes, Case::Nominative)
}

/// A duration in words; in Russian, in `case`.
pub fn duration_in(lang: Lang, minutes: u32, case: Case) -> String {
    if lang == Lang::En {
        return crate::i18n::duration(minutes, lang);
    }
    let m = u64::from(minutes);
    let counted = |n: u64, nominative: [&str; 3], genitive: [&str; 2]| {
        let word = match case {
            Case::Nominative => plural_ru(n, nominative[0], nominative[1], nominative[2]),
            // After `не больше`, `до`: `1 дня`, `21 дня`, but `2 дней`.
            Case::Genitive => plural_ru(n, genitive[0], genitive[1], genitive[1]),
        };
        format!("{n} {word}")
    };
    const WEEK: u64 = 7 * 1440;
    if m > 0 && m % WEEK == 0 {
        counted(m / WEEK, ["неделя", "недели", "недель"], ["недели", "недель"])
    } else if m > 0 && m % 1440 == 0 {
        counted(m / 1440, ["день", "дня", "дней"], ["дня", "дней"])
    } else if m % 60 == 0 && m > 0 {
        format!("{} ч", m / 60)
    } else if m > 60 {
        format!("{} ч {} мин", m / 60, m % 60)
    } else {
        format!("{m} мин")
    }
}

/// A duration as it is written in a `.proc` file: `61d`, `2h`, `90min`.
pub fn source_duration(minutes: u32) -> String {
    const WEEK: u32 = 7 * 1440;
    if minutes % WEEK == 0 {
        format!("{}{}", minutes / WEEK, kw("w"))
    } else if minutes % 1440 == 0 {
        format!("{}{}", minutes / 1440, kw("d"))
    } else if minutes % 60 == 0 {
        format!("{}{}", minutes / 60, kw("h"))
    } else {
        format!("{minutes}{}", kw("min"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_counts_agree_with_their_number() {
        let forms: Vec<String> = [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112]
            .map(|n| count_ru(n, "этап", "этапа", "этапов"))
            .into();
        assert_eq!(
            forms,
            [
                "0 этапов",
                "1 этап",
                "2 этапа",
                "4 этапа",
                "5 этапов",
                "11 этапов",
                "12 этапов",
                "14 этапов",
                "21 этап",
                "22 этапа",
                "25 этапов",
                "101 этап",
                "111 этапов",
                "112 этапов"
            ]
        );
    }

    #[test]
    fn numbers_use_the_decimal_mark_of_the_language() {
        assert_eq!(percent(Lang::En, 0.205), "20.5%");
        assert_eq!(percent(Lang::Ru, 0.205), "20,5%");
        assert_eq!(percent(Lang::Ru, 1.2), "120%");
        assert_eq!(number(Lang::Ru, 37.24), "37,2");
        assert_eq!(duration(Lang::Ru, 3 * 1440), "3 дня");
        assert_eq!(duration(Lang::Ru, 7 * 1440), "1 неделя");
        assert_eq!(duration_in(Lang::Ru, 7 * 1440, Case::Genitive), "1 недели");
        assert_eq!(duration_in(Lang::Ru, 14 * 1440, Case::Genitive), "2 недель");
        assert_eq!(duration_in(Lang::Ru, 31 * 1440, Case::Genitive), "31 дня");
        assert_eq!(duration_in(Lang::Ru, 5 * 1440, Case::Genitive), "5 дней");
        assert_eq!(duration(Lang::Ru, 90), "1 ч 30 мин");
        assert_eq!(duration(Lang::Ru, 45), "45 мин");
        assert_eq!(duration(Lang::En, 120), "2 h");
        assert_eq!([61 * 1440, 14 * 1440, 120, 90].map(source_duration), ["61d", "2w", "2h", "90min"]);
    }
}
