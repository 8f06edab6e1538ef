//! From the CRM to the process (IMPORT.md): [`crm`] turns the pipelines a
//! CRM's API returns into a `.proc` skeleton, [`discover`] writes a process
//! from a history alone, and [`calibrate`] puts a history's numbers into an
//! existing file, editing its tokens and nothing else.
//!
//! Like the rest of the library this does no I/O: it takes text and logs
//! already read ([`crate::audit::read`]), and returns text. Every file it
//! writes is laid out by [`crate::fmt::format`].

pub mod calibrate;
pub mod crm;
pub mod discover;

use crate::ast::Language;
use crate::syntax::keywords;

/// An identifier made from a label: lower-case ASCII or Cyrillic letters,
/// digits and `_`, starting with a letter or `_`; `fallback` when nothing
/// is left. Not yet unique: see [`Ids`].
pub fn make_id(label: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in label.chars().flat_map(char::to_lowercase) {
        let keep = c.is_ascii_alphanumeric() || ('а'..='я').contains(&c) || c == 'ё';
        if keep {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() {
        return fallback.to_string();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, &format!("{fallback}_"));
    }
    out
}

/// Identifiers made unique: a repeated one gets `_2`, `_3`, …
#[derive(Debug, Default, Clone)]
pub struct Ids {
    taken: Vec<String>,
}

impl Ids {
    pub fn new() -> Ids {
        Ids::default()
    }

    /// A unique id made from `label`.
    pub fn make(&mut self, label: &str, fallback: &str) -> String {
        let base = make_id(label, fallback);
        let mut id = base.clone();
        let mut n = 2;
        while self.taken.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        self.taken.push(id.clone());
        id
    }
}

/// A string literal of the language: quoted, with `"`, `\` and control
/// characters escaped.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:X}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One line of text for a comment: control characters become spaces.
pub fn comment_text(text: &str) -> String {
    let spaced: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whole percents for counts, adding up to 100 (largest remainders; ties
/// to the earlier count), each at least `floor`. `None` when there is no
/// count above zero or there are too many counts for each to get `floor`.
pub fn apportion(counts: &[u64], floor: u32) -> Option<Vec<u32>> {
    let total: u64 = counts.iter().sum();
    if total == 0 || counts.len() as u64 * u64::from(floor) > 100 {
        return None;
    }
    let exact: Vec<f64> = counts.iter().map(|&c| c as f64 * 100.0 / total as f64).collect();
    let mut out: Vec<u32> = exact.iter().map(|e| e.floor() as u32).collect();
    let mut left = 100 - out.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = exact[a] - exact[a].floor();
        let rb = exact[b] - exact[b].floor();
        rb.partial_cmp(&ra).unwrap_or(std::cmp::Ordering::Equal).then(a.cmp(&b))
    });
    for &i in order.iter().cycle().take(counts.len() * 100) {
        if left == 0 {
            break;
        }
        out[i] += 1;
        left -= 1;
    }
    // Raise each share below the floor, taking from the largest.
    for i in 0..out.len() {
        while out[i] < floor {
            let (j, _) = out.iter().enumerate().filter(|(j, v)| *j != i && **v > floor).max_by_key(|(_, v)| **v)?;
            out[j] -= 1;
            out[i] += 1;
        }
    }
    Some(out)
}

/// A duration in whole minutes written in a readable unit of `language`:
/// minutes below an hour, hours below a day, days below eight weeks, weeks
/// above; rounded to the nearest (`up`: up) whole unit, at least 1.
pub fn duration(minutes: f64, up: bool, language: Language) -> (String, u32) {
    let minutes = if minutes.is_finite() { minutes.max(0.0) } else { 0.0 };
    let (unit, size) = if minutes < 60.0 {
        ("min", 1.0)
    } else if minutes < 1440.0 {
        ("h", 60.0)
    } else if minutes < 8.0 * 10080.0 {
        ("d", 1440.0)
    } else {
        ("w", 10080.0)
    };
    let n = if up { (minutes / size).ceil() } else { (minutes / size).round() };
    let n = n.clamp(1.0, 1_000_000.0) as u32;
    let word = keywords::unit_word(unit, language).unwrap_or(unit);
    (format!("{n}{word}"), n * size as u32)
}

/// A fraction as a percentage with one decimal: `41.5%`.
pub fn percent(p: f64) -> String {
    format!("{:.1}%", p * 100.0)
}

/// Lays generated text out as `procdef fmt` does; text the formatter
/// cannot read is returned as it was (it never is: every generator writes
/// what the parser reads, and the tests hold them to it).
pub fn laid_out(text: String) -> String {
    crate::fmt::format(&text).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_letters_digits_and_underscores() {
        assert_eq!(make_id("Appointment Scheduled", "stage"), "appointment_scheduled");
        assert_eq!(make_id("Переговоры / КП", "stage"), "переговоры_кп");
        assert_eq!(make_id("1st call", "stage"), "stage_1st_call");
        assert_eq!(make_id("!!!", "stage"), "stage");
        assert_eq!(make_id("Qualifié", "stage"), "qualifi");
        let mut ids = Ids::new();
        assert_eq!(ids.make("Won", "s"), "won");
        assert_eq!(ids.make("won", "s"), "won_2");
        assert_eq!(ids.make("WON", "s"), "won_3");
    }

    #[test]
    fn quoting_escapes() {
        assert_eq!(quote("a \"b\" \\ c\nd"), r#""a \"b\" \\ c\nd""#);
        assert_eq!(quote("bell\u{7}"), r#""bell\u{7}""#);
    }

    #[test]
    fn shares_add_up_to_a_hundred() {
        assert_eq!(apportion(&[1, 1, 1], 0), Some(vec![34, 33, 33]));
        assert_eq!(apportion(&[2, 1], 0), Some(vec![67, 33]));
        assert_eq!(apportion(&[1000, 1], 1), Some(vec![99, 1]));
        assert_eq!(apportion(&[1000, 0], 1), Some(vec![99, 1]));
        assert_eq!(apportion(&[1000, 0], 0), Some(vec![100, 0]));
        assert_eq!(apportion(&[0, 0], 0), None);
        assert_eq!(apportion(&[1; 101], 1), None);
        for counts in [[7u64, 13, 29, 51], [1, 2, 3, 994], [5, 5, 5, 5]] {
            assert_eq!(apportion(&counts, 1).map(|v| v.iter().sum::<u32>()), Some(100));
        }
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(duration(0.0, false, Language::En), ("1min".to_string(), 1));
        assert_eq!(duration(45.4, false, Language::En), ("45min".to_string(), 45));
        assert_eq!(duration(90.0, false, Language::En), ("2h".to_string(), 120));
        assert_eq!(duration(90.0, true, Language::En), ("2h".to_string(), 120));
        assert_eq!(duration(61.0, true, Language::En), ("2h".to_string(), 120));
        assert_eq!(duration(3.0 * 1440.0 + 100.0, false, Language::Ru), ("3д".to_string(), 3 * 1440));
        assert_eq!(duration(60.0 * 1440.0, false, Language::En), ("9w".to_string(), 9 * 10080));
    }
}
