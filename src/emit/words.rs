//! Durations and numbers in words, in English and in Russian.

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

fn en_plural<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// A duration in the largest unit that divides it: `2 h`, `3 days`.
pub fn duration(minutes: u32, language: Language) -> String {
    let m = u64::from(minutes);
    let (n, unit) = if m % (7 * 1440) == 0 {
        (m / (7 * 1440), 3)
    } else if m % 1440 == 0 {
        (m / 1440, 2)
    } else if m % 60 == 0 {
        (m / 60, 1)
    } else if m > 60 {
        return match language {
            Language::En => format!("{} h {} min", m / 60, m % 60),
            Language::Ru => format!("{} ч {} мин", m / 60, m % 60),
        };
    } else {
        (m, 0)
    };
    let word = match (language, unit) {
        (Language::En, 0) => "min",
        (Language::En, 1) => "h",
        (Language::En, 2) => en_plural(n, "day", "days"),
        (Language::En, _) => en_plural(n, "week", "weeks"),
        (Language::Ru, 0) => "мин",
        (Language::Ru, 1) => "ч",
        (Language::Ru, 2) => ru_plural(n, "день", "дня", "дней"),
        (Language::Ru, _) => ru_plural(n, "неделя", "недели", "недель"),
    };
    format!("{n} {word}")
}

/// A computed (fractional) duration, rounded to a readable unit:
/// `7.1 days`, `3.5 h`, `20 min`.
pub fn approx_duration(minutes: f64, language: Language) -> String {
    let (value, en, ru) = if minutes >= 1440.0 {
        (minutes / 1440.0, ("day", "days"), ("день", "дня", "дней"))
    } else if minutes >= 60.0 {
        (minutes / 60.0, ("h", "h"), ("ч", "ч", "ч"))
    } else {
        (minutes, ("min", "min"), ("мин", "мин", "мин"))
    };
    let rounded = (value * 10.0).round() / 10.0;
    let whole = rounded.fract() == 0.0;
    let shown = if whole { format!("{rounded:.0}") } else { format!("{rounded:.1}") };
    match language {
        Language::En => {
            let unit = if whole && rounded == 1.0 { en.0 } else { en.1 };
            format!("{shown} {unit}")
        }
        Language::Ru => {
            // A fraction takes the genitive singular: 7,1 дня.
            let unit = if whole { ru_plural(rounded as u64, ru.0, ru.1, ru.2) } else { ru.1 };
            format!("{} {unit}", shown.replace('.', ","))
        }
    }
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
        let forms: Vec<_> = [1, 2, 5, 11, 21, 22, 25, 111, 112].iter().map(|&n| ru_plural(n, "день", "дня", "дней")).collect();
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
