//! Durations and numbers in words, in English and in Russian.

use super::i18n::Words;
use crate::model::Language;

/// The Russian plural form of `n`: one (1, 21), few (2–4, 22–24), many.
pub fn ru_plural<'a>(n: u64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    let (d10, d100) = (n % 10, n % 100);
    if d10 == 1 && d100 != 11 {
        one
    } else if (2..=4).contains(&d10) && !(12..=14).contains(&d100) {
        few
    } else {
        many
    }
}

/// A duration in the largest unit that divides it: `2 h`, `3 days`.
/// The unit words come from the locale files (`unit.*`).
pub fn duration(minutes: u32, language: Language) -> String {
    let w = Words::new(language);
    let m = u64::from(minutes);
    let (n, unit) = if m % (7 * 1440) == 0 {
        (m / (7 * 1440), "unit.week")
    } else if m % 1440 == 0 {
        (m / 1440, "unit.day")
    } else if m % 60 == 0 {
        (m / 60, "unit.h")
    } else if m > 60 {
        return format!("{} {} {} {}", m / 60, w.plural("unit.h", m / 60), m % 60, w.plural("unit.min", m % 60));
    } else {
        (m, "unit.min")
    };
    format!("{n} {}", w.plural(unit, n))
}

/// A computed (fractional) duration, rounded to a readable unit:
/// `7.1 days`, `3.5 h`, `20 min`.
pub fn approx_duration(minutes: f64, language: Language) -> String {
    let (value, unit) = if minutes >= 1440.0 {
        (minutes / 1440.0, "unit.day")
    } else if minutes >= 60.0 {
        (minutes / 60.0, "unit.h")
    } else {
        (minutes, "unit.min")
    };
    Words::new(language).count(unit, value, 1)
}

/// A duration as it is written in a `.proc` file: `61d`, `2h`, `90min`.
pub fn source_duration(minutes: u32) -> String {
    if minutes % (7 * 1440) == 0 {
        format!("{}w", minutes / (7 * 1440))
    } else if minutes % 1440 == 0 {
        format!("{}d", minutes / 1440)
    } else if minutes % 60 == 0 {
        format!("{}h", minutes / 60)
    } else {
        format!("{minutes}min")
    }
}

/// A duration in English, for diagnostics.
pub fn duration_en(minutes: u32) -> String {
    duration(minutes, Language::En)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_number_agreement() {
        let forms: Vec<_> =
            [1, 2, 5, 11, 21, 22, 25, 111, 112].iter().map(|&n| ru_plural(n, "день", "дня", "дней")).collect();
        assert_eq!(forms, ["день", "дня", "дней", "дней", "день", "дня", "дней", "дней", "дней"]);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(30, Language::En), "30 min");
        assert_eq!(duration(120, Language::En), "2 h");
        assert_eq!(duration(90, Language::En), "1 h 30 min");
        assert_eq!(duration(1440, Language::En), "1 day");
        assert_eq!(duration(3 * 1440, Language::Ru), "3 дня");
        assert_eq!(duration(5 * 1440, Language::Ru), "5 дней");
        assert_eq!(duration(7 * 1440, Language::Ru), "1 неделя");
        assert_eq!(approx_duration(10199.0, Language::En), "7.1 days");
        assert_eq!(approx_duration(10199.0, Language::Ru), "7,1 дня");
        assert_eq!(approx_duration(1440.0, Language::En), "1 day");
        assert_eq!(approx_duration(5.0 * 1440.0, Language::Ru), "5 дней");
        assert_eq!(approx_duration(90.0, Language::En), "1.5 h");
    }
}
