//! The fixed words of every output, in English and in Russian, and the
//! wording of numbers, dates and durations. The words live in data files
//! (`locales/en.json`, `locales/ru.json`), one per language, with the same
//! keys. The emitters, the audit reports and the diagnostics all say
//! durations through this module.

use crate::model::Language;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const EN: &str = include_str!("locales/en.json");
const RU: &str = include_str!("locales/ru.json");

type Table = BTreeMap<String, String>;

fn table(language: Language) -> &'static Table {
    static TABLES: OnceLock<(Table, Table)> = OnceLock::new();
    let (en, ru) = TABLES.get_or_init(|| {
        let parse = |s: &str| serde_json::from_str::<Table>(s).expect("the locale files are valid JSON (tested)");
        (parse(EN), parse(RU))
    });
    match language {
        Language::En => en,
        Language::Ru => ru,
    }
}

/// The keys of a language's table, for tests.
pub fn keys(language: Language) -> Vec<&'static str> {
    table(language).keys().map(String::as_str).collect()
}

/// Fixed words in one language.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    pub language: Language,
}

impl Words {
    pub fn new(language: Language) -> Words {
        Words { language }
    }

    /// The text of `key`; a missing key (a bug, caught by the tests) shows
    /// as the key itself.
    pub fn get(&self, key: &str) -> &'static str {
        table(self.language).get(key).map_or("", String::as_str)
    }

    /// The text of `key` with `{name}` placeholders filled in.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.get(key).to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// A fraction as a percentage with at most one decimal: `20.5%`, `20,5%`.
    pub fn percent(&self, fraction: f64) -> String {
        format!("{}%", self.number(fraction * 100.0, 1))
    }

    /// A number with at most `decimals` decimals, trailing zeros dropped,
    /// its thousands grouped the language's way: `1,512.5`, `1 512,5`.
    pub fn number(&self, value: f64, decimals: usize) -> String {
        self.grouped(value, decimals)
    }

    /// [`Words::number`] without the thousands grouped.
    fn ungrouped(&self, value: f64, decimals: usize) -> String {
        let s = format!("{value:.decimals$}");
        let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
        let s = if s == "-0" { "0".to_string() } else { s };
        s.replace('.', self.get("decimal"))
    }

    /// The form of the plural word `key` for a whole number `n`. The value
    /// holds the forms separated by `|`: `one|other` in English,
    /// `one|few|many` in Russian (1 день, 2 дня, 5 дней).
    pub fn plural(&self, key: &str, n: u64) -> &'static str {
        let forms: Vec<&'static str> = self.get(key).split('|').collect();
        let pick = |i: usize| forms.get(i).or(forms.last()).copied().unwrap_or("");
        match self.language {
            Language::En => pick(usize::from(n != 1)),
            Language::Ru => {
                let form = ru_plural(n, "0", "1", "2");
                pick(form.parse().unwrap_or(2))
            }
        }
    }

    /// A number with its plural word: `3 clients`, `3 клиента`,
    /// `100,5 клиента` (a fraction takes the genitive singular in Russian,
    /// the plural in English). At most `decimals` decimals.
    pub fn count(&self, key: &str, value: f64, decimals: usize) -> String {
        let shown = self.number(value, decimals);
        let scale = 10f64.powi(decimals as i32);
        let rounded = (value * scale).round() / scale;
        // A fraction takes the form of 2: `1.5 days`, `1,5 дня`.
        let word = if rounded.fract() == 0.0 && rounded >= 0.0 {
            self.plural(key, rounded as u64)
        } else {
            self.plural(key, 2)
        };
        format!("{shown} {word}")
    }

    /// A number with its thousands grouped: `12,150,000`, `12 150 000`.
    pub fn grouped(&self, value: f64, decimals: usize) -> String {
        let s = self.ungrouped(value, decimals);
        let mark = self.get("decimal");
        let (sign, rest) = s.strip_prefix('-').map_or(("", s.as_str()), |r| ("-", r));
        let (int, frac) = rest.split_once(mark).map_or((rest, None), |(i, f)| (i, Some(f)));
        let digits: Vec<char> = int.chars().collect();
        let mut out = String::from(sign);
        for (i, c) in digits.iter().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(self.get("thousands"));
            }
            out.push(*c);
        }
        if let Some(f) = frac {
            out.push_str(mark);
            out.push_str(f);
        }
        out
    }

    /// Money: `12,150,000 RUB`; in Russian, roubles with their sign after
    /// a no-break space, `12 150 000 ₽`, other currencies by their code.
    pub fn money(&self, amount: f64, currency: &str) -> String {
        let amount = self.grouped(amount, 2);
        match self.language {
            Language::Ru if currency == "RUB" => format!("{amount}\u{a0}₽"),
            _ => format!("{amount} {currency}"),
        }
    }

    pub fn duration(&self, minutes: u32) -> String {
        duration(minutes, self.language)
    }

    /// A date in words: `11 January 2027`, `11 января 2027`.
    pub fn date(&self, date: crate::model::Date) -> String {
        let months: Vec<&str> = self.get("months").split(' ').collect();
        let month = months.get((date.month as usize).wrapping_sub(1)).copied().unwrap_or("");
        format!("{} {month} {}", date.day, date.year)
    }

    /// A short date for narrow columns: `18 Jan`, `18 янв`.
    pub fn short_date(&self, date: crate::model::Date) -> String {
        let months: Vec<&str> = self.get("months_short").split(' ').collect();
        let month = months.get((date.month as usize).wrapping_sub(1)).copied().unwrap_or("");
        format!("{} {month}", date.day)
    }

    /// The weekday of a date, in words: `Monday`, `понедельник`.
    pub fn weekday(&self, date: crate::model::Date) -> &'static str {
        use chrono::Datelike;
        let index = chrono::NaiveDate::from_ymd_opt(date.year, date.month, date.day)
            .map_or(0, |d| d.weekday().num_days_from_monday() as usize);
        self.get("weekdays").split(' ').nth(index).unwrap_or("")
    }

    /// `a, b and c`.
    pub fn list(&self, items: &[String]) -> String {
        self.joined(items, "and")
    }

    /// `a, b or c`.
    pub fn alternatives(&self, items: &[String]) -> String {
        self.joined(items, "or")
    }

    fn joined(&self, items: &[String], word: &str) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} {} {last}", init.join(", "), self.get(word)),
        }
    }
}

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
    fn every_key_exists_in_every_language() {
        let en = keys(Language::En);
        let ru = keys(Language::Ru);
        let missing_ru: Vec<_> = en.iter().filter(|k| !ru.contains(k)).collect();
        let missing_en: Vec<_> = ru.iter().filter(|k| !en.contains(k)).collect();
        assert!(missing_ru.is_empty(), "missing in ru.json: {missing_ru:?}");
        assert!(missing_en.is_empty(), "missing in en.json: {missing_en:?}");
    }

    #[test]
    fn every_value_is_filled_and_placeholders_match() {
        for key in keys(Language::En) {
            let en = Words::new(Language::En).get(key);
            let ru = Words::new(Language::Ru).get(key);
            assert!(!en.is_empty() && !ru.is_empty(), "{key} is empty");
            let holes = |s: &str| {
                let mut v: Vec<String> =
                    s.split('{').skip(1).filter_map(|p| p.split_once('}')).map(|(h, _)| h.to_string()).collect();
                v.sort();
                v
            };
            assert_eq!(holes(en), holes(ru), "placeholders of {key} differ");
        }
    }

    #[test]
    fn counts_agree_with_their_numbers() {
        let ru = Words::new(Language::Ru);
        let forms: Vec<String> =
            [1.0, 3.0, 5.0, 11.0, 21.0, 1.5].iter().map(|&n| ru.count("count.client", n, 1)).collect();
        assert_eq!(forms, ["1 клиент", "3 клиента", "5 клиентов", "11 клиентов", "21 клиент", "1,5 клиента"]);
        assert_eq!(ru.count("unit.day", 2.0, 0), "2 дня");
        let en = Words::new(Language::En);
        assert_eq!(en.count("count.client", 1.0, 1), "1 client");
        assert_eq!(en.count("count.client", 100.5, 1), "100.5 clients");
        assert_eq!(en.plural("unit.week", 0), "weeks");
    }

    #[test]
    fn every_plural_has_its_forms() {
        for key in keys(Language::En).into_iter().filter(|k| k.starts_with("count.") || k.starts_with("unit.")) {
            let en = Words::new(Language::En).get(key).split('|').count();
            let ru = Words::new(Language::Ru).get(key).split('|').count();
            assert!(en == 1 || en == 2, "{key}: {en} English forms");
            assert!(ru == 1 || ru == 3, "{key}: {ru} Russian forms");
        }
    }

    #[test]
    fn numbers_use_the_language_decimal_mark() {
        assert_eq!(Words::new(Language::En).percent(0.205), "20.5%");
        assert_eq!(Words::new(Language::Ru).percent(0.205), "20,5%");
        assert_eq!(Words::new(Language::En).percent(0.4), "40%");
        assert_eq!(Words::new(Language::En).number(2.0, 1), "2");
    }

    #[test]
    fn thousands_are_grouped_in_the_language_way() {
        let en = Words::new(Language::En);
        let ru = Words::new(Language::Ru);
        assert_eq!(en.money(12_150_000.0, "RUB"), "12,150,000 RUB");
        assert_eq!(ru.money(486_000.5, "RUB"), "486\u{a0}000,5\u{a0}₽");
        assert_eq!(ru.money(12_000_000.0, "RUB"), "12\u{a0}000\u{a0}000\u{a0}₽");
        assert_eq!(ru.money(6000.0, "USD"), "6\u{a0}000 USD");
        assert_eq!(ru.number(1512.26, 1), "1\u{a0}512,3");
        assert_eq!(en.number(1512.26, 1), "1,512.3");
        assert_eq!(ru.count("count.client", 2000.0, 1), "2\u{a0}000 клиентов");
        assert_eq!(en.grouped(-1234.0, 0), "-1,234");
        assert_eq!(en.grouped(999.0, 0), "999");
        assert_eq!(en.grouped(0.25, 2), "0.25");
    }

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
