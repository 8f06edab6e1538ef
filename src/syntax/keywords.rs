//! The one table of the language's words: every keyword in its English and
//! Russian spelling, the units of durations and the periods of rates.
//!
//! The parser, the syntax errors' phrases, `fmt --keywords`, the docs'
//! keyword table and the editor's completion all read this table; no other
//! file spells a keyword. Keywords are contextual (LANGUAGE.md §1): a word
//! is a keyword only where the grammar expects that keyword, so a name may
//! be spelled like one. A file uses one keyword language, chosen by its
//! first line (§5.2): under `# language: ru` only the Russian words are
//! keywords, elsewhere only the English ones.

use crate::ast::{Language, Period};

macro_rules! keywords {
    ($($variant:ident = $en:literal, $ru:literal, $summary:literal;)*) => {
        /// A keyword of the language.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Keyword {
            $($variant,)*
        }

        impl Keyword {
            /// Every keyword, in the order of the language reference.
            pub const ALL: &'static [Keyword] = &[$(Keyword::$variant,)*];

            /// The English spelling.
            pub const fn en(self) -> &'static str {
                match self { $(Keyword::$variant => $en,)* }
            }

            /// The Russian spelling, with `ё` where the word has it. Empty
            /// for a word Russian does without (`to` of `reports to`).
            pub const fn ru(self) -> &'static str {
                match self { $(Keyword::$variant => $ru,)* }
            }

            /// One line of the language reference: what the keyword does.
            pub const fn summary(self) -> &'static str {
                match self { $(Keyword::$variant => $summary,)* }
            }
        }
    };
}

keywords! {
    Process = "process", "процесс", "Opens the process: `process id \"Title\" { … }`; a file holds one.";
    Library = "library", "библиотека", "Opens a library of roles, segments and products that several processes share.";
    Use = "use", "подключить", "Makes a library's declarations available: `use \"common/roles.proc\"`.";
    Language = "language", "язык", "The language of the manuals' fixed text: `en` or `ru`.";
    Version = "version", "версия", "The version of the process, as text.";
    Description = "description", "описание", "A description, as a string or a text block.";
    Segment = "segment", "сегмент", "A group of clients, with its `share` of new clients and its `deal` size.";
    Share = "share", "доля", "A segment's share of new clients, a percentage.";
    Deal = "deal", "сделка", "A segment's typical deal: an amount and a currency.";
    Product = "product", "продукт", "A product that instructions can be limited to with `for`.";
    Role = "role", "роль", "A position in the sales team.";
    Headcount = "headcount", "штат", "How many people hold the role.";
    Capacity = "capacity", "часы", "Hours each person of the role gives the process per workday: `6h/day`.";
    Reports = "reports", "подчиняется", "`reports to ROLE`: the role's manager.";
    To = "to", "", "Part of `reports to`.";
    Stage = "stage", "этап", "A stage a client goes through.";
    Entry = "entry", "вход", "Clients start at this stage; optionally `active` or `passive` and a share.";
    Active = "active", "активный", "An entry the team works to fill (calls, visits).";
    Passive = "passive", "пассивный", "An entry clients come to by themselves (requests).";
    Outcome = "outcome", "итог", "Makes the stage a terminal one: `outcome won` or `outcome lost`.";
    Won = "won", "выигран", "The outcome of a won client.";
    Lost = "lost", "проигран", "The outcome of a lost client.";
    Owner = "owner", "ответственный", "The role responsible for the stage (or the metric).";
    Takes = "takes", "длится", "The typical time a client spends at the stage.";
    Within = "within", "срок", "The time limit: of the stage, or of an instruction from the client's entry.";
    Effort = "effort", "затраты", "Working time per client: the owner's at the stage, or a role's for one instruction.";
    Instruct = "instruct", "инструкция", "What a role does at the stage: `instruct ROLE { \"…\" }`.";
    Exit = "exit", "критерий", "An exit criterion of the stage.";
    Sale = "sale", "продажа", "Marks the stage where the deal is won: the contract signed, the first order placed.";
    For = "for", "для", "Limits an instruction to some segments or products.";
    Loop = "loop", "цикл", "Marks a transition as a deliberate return (rework, a repeat sale).";
    Metric = "metric", "метрика", "A measure of the process with its target.";
    Conversion = "conversion", "конверсия", "`conversion A -> B`: the share of clients entering A that reach B.";
    Time = "time", "время", "`time A` or `time A -> B`: time in a stage, or from one stage to another.";
    Volume = "volume", "объём", "`volume A`: clients entering stage A per period.";
    Activity = "activity", "активность", "`activity \"calls\" by ROLE`: an intensity norm for a role.";
    ActivityBy = "by", "по", "Part of `activity \"…\" by ROLE`.";
    Target = "target", "цель", "The metric's target: `target >= 40%`.";
    Review = "review", "разбор", "How often the metric is reviewed: `daily`, `weekly` or `monthly`.";
    Daily = "daily", "ежедневно", "Reviewed every day.";
    Weekly = "weekly", "еженедельно", "Reviewed every week.";
    Monthly = "monthly", "ежемесячно", "Reviewed every month.";
    Plan = "plan", "план", "The sales plan: a `goal` or a `revenue` goal, and `workdays`.";
    Goal = "goal", "цель", "Clients reaching a won outcome per period: `goal 20/month`.";
    Revenue = "revenue", "выручка", "A goal in money: `revenue 9000000 RUB/month`.";
    Workdays = "workdays", "рабочие_дни", "Workdays per month: `workdays 21/month`.";
    Utilization = "utilization", "загрузка", "The highest utilization the plan allows a role (default `100%`).";
    Rollout = "rollout", "внедрение", "The rollout: briefings, exams and audits over its length.";
    Start = "start", "начало", "The rollout's first day: `start 2027-01-11`.";
    Length = "length", "длительность", "How long the rollout lasts (default `100d`).";
    Briefing = "briefing", "инструктаж", "`briefing ROLE every 1w`: recurring briefings.";
    Every = "every", "каждые", "The interval of briefings and audits.";
    Exam = "exam", "экзамен", "`exam ROLE at 30d`: exams on given days of the rollout.";
    At = "at", "на", "The days of an exam.";
    Audit = "audit", "аудит", "`audit ROLE by ROLE every 1w`: audits of how people follow their instructions.";
    AuditBy = "by", "проводит", "Part of `audit ROLE by ROLE`: who audits.";
    Questions = "questions", "вопросов", "`exam ROLE at 30d questions 10`: the questions drawn for each exam.";
    Weekdays = "weekdays", "будни", "Events of the rollout that fall on a weekend move to the next working day.";
    Holidays = "holidays", "праздники", "`holidays RU, 2027-05-03`: days off (a country's fixed holidays, or dates) that events move from.";
}

/// Where a keyword is written in a block.
impl Keyword {
    /// The spelling in a file of keyword language `language`.
    pub const fn spelling(self, language: Language) -> &'static str {
        match language {
            Language::En => self.en(),
            Language::Ru => self.ru(),
        }
    }

    /// How the keyword reads in a message: `reports to` rather than
    /// `reports`.
    pub fn phrase(self, language: Language) -> &'static str {
        match (self, language) {
            (Keyword::Reports, Language::En) => "reports to",
            _ => self.spelling(language),
        }
    }

    /// Whether `word` is this keyword in a file of keyword language
    /// `language`. In Russian `ё` and `е` are the same letter.
    #[inline]
    pub fn is(self, word: &str, language: Language) -> bool {
        match language {
            Language::En => word == self.en(),
            Language::Ru => same_russian_word(word, self.ru()),
        }
    }

    /// The keyword of kind `self` among `candidates` that `word` is, if any.
    pub fn find(word: &str, language: Language, candidates: &[Keyword]) -> Option<Keyword> {
        candidates.iter().copied().find(|k| k.is(word, language))
    }
}

/// Compares two Russian words treating `ё` as `е`. Both spell the same
/// number of bytes, so a length check comes first.
fn same_russian_word(a: &str, b: &str) -> bool {
    if a.len() != b.len() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    a.chars().zip(b.chars()).all(|(x, y)| fold_yo(x) == fold_yo(y))
}

fn fold_yo(c: char) -> char {
    match c {
        'ё' => 'е',
        'Ё' => 'Е',
        c => c,
    }
}

/// The items a block may hold, each starting with its keyword. `->`
/// (transitions) and text (instructions) are items that start otherwise.
pub mod items {
    use super::Keyword::{self, *};

    pub const FILE: &[Keyword] = &[Process, Library];
    pub const PROCESS: &[Keyword] =
        &[Stage, Role, Metric, Segment, Product, Description, Language, Version, Plan, Rollout, Use];
    pub const LIBRARY: &[Keyword] = &[Role, Segment, Product, Description, Use];
    pub const SEGMENT: &[Keyword] = &[Description, Share, Deal];
    pub const PRODUCT: &[Keyword] = &[Description];
    pub const ROLE: &[Keyword] = &[Description, Headcount, Capacity, Reports];
    pub const STAGE: &[Keyword] = &[Instruct, Owner, Within, Takes, Effort, Exit, Description, Entry, Outcome, Sale];
    pub const METRIC: &[Keyword] = &[Description, Conversion, Time, Volume, Activity, Target, Owner, Review];
    pub const PLAN: &[Keyword] = &[Goal, Revenue, Workdays, Utilization];
    pub const ROLLOUT: &[Keyword] = &[Start, Length, Briefing, Exam, Audit, Weekdays, Holidays];
}

/// The units of a duration: each spelling and its length in minutes.
pub const DURATION_UNITS: &[(&str, &str, f64)] =
    &[("min", "мин", 1.0), ("h", "ч", 60.0), ("d", "д", 1440.0), ("w", "нед", 10080.0)];

/// The periods of rates, in both spellings.
pub const PERIODS: &[(Period, &str, &str)] =
    &[(Period::Day, "day", "день"), (Period::Week, "week", "неделя"), (Period::Month, "month", "месяц")];

/// A duration unit in either spelling: its minutes.
pub fn duration_unit(word: &str) -> Option<f64> {
    DURATION_UNITS.iter().find(|(en, ru, _)| *en == word || same_russian_word(word, ru)).map(|u| u.2)
}

/// A period word in either spelling.
pub fn period(word: &str) -> Option<Period> {
    PERIODS.iter().find(|(_, en, ru)| *en == word || same_russian_word(word, ru)).map(|p| p.0)
}

/// The spelling of a period in a keyword language.
pub fn period_word(period: Period, language: Language) -> &'static str {
    let (_, en, ru) = PERIODS.iter().find(|p| p.0 == period).copied().unwrap_or((period, "day", "день"));
    match language {
        Language::En => en,
        Language::Ru => ru,
    }
}

/// The spelling of a duration unit (given by its English spelling) in a
/// keyword language.
pub fn unit_word(en_unit: &str, language: Language) -> Option<&'static str> {
    DURATION_UNITS.iter().find(|u| u.0 == en_unit || same_russian_word(en_unit, u.1)).map(|u| match language {
        Language::En => u.0,
        Language::Ru => u.1,
    })
}

/// The keyword language of a file (§5.2): Russian when its first line,
/// after a byte-order mark, is `# language: ru` or `# язык: ru`.
pub fn file_language(text: &str) -> Language {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let first = text.split(['\n', '\r']).next().unwrap_or("");
    if header_language(first) == Some(Language::Ru) { Language::Ru } else { Language::En }
}

/// The language a header line names: `# language: ru`, `# язык: en`.
/// Spaces around the words and a missing space after `#` are allowed.
pub fn header_language(line: &str) -> Option<Language> {
    let rest = line.trim().strip_prefix('#')?.trim_start();
    let rest = rest.strip_prefix("language").or_else(|| rest.strip_prefix("язык"))?;
    let code = rest.trim_start().strip_prefix(':')?.trim();
    match code {
        "ru" => Some(Language::Ru),
        "en" => Some(Language::En),
        _ => None,
    }
}

/// The header line that marks a file's keyword language.
pub fn header(language: Language) -> &'static str {
    match language {
        Language::En => "# language: en",
        Language::Ru => "# language: ru",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyword_has_a_russian_spelling_but_to() {
        for k in Keyword::ALL {
            assert_eq!(k.ru().is_empty(), *k == Keyword::To, "{k:?}");
            assert!(!k.en().is_empty());
        }
    }

    #[test]
    fn yo_and_ye_are_one_letter_in_keywords_only() {
        assert!(Keyword::Volume.is("объём", Language::Ru));
        assert!(Keyword::Volume.is("объем", Language::Ru));
        assert!(!Keyword::Volume.is("volume", Language::Ru));
        assert!(!Keyword::Stage.is("этап", Language::En));
        assert!(!Keyword::To.is("", Language::Ru));
    }

    #[test]
    fn keywords_of_one_block_are_spelled_apart_in_each_language() {
        for block in [
            items::FILE,
            items::PROCESS,
            items::LIBRARY,
            items::SEGMENT,
            items::ROLE,
            items::STAGE,
            items::METRIC,
            items::PLAN,
            items::ROLLOUT,
        ] {
            for language in [Language::En, Language::Ru] {
                for (i, a) in block.iter().enumerate() {
                    for b in &block[i + 1..] {
                        assert!(!b.is(a.spelling(language), language), "{a:?} and {b:?} read alike");
                    }
                }
            }
        }
    }

    #[test]
    fn the_header_is_read_from_the_first_line_only() {
        assert_eq!(file_language("# language: ru\nprocess p {}"), Language::Ru);
        assert_eq!(file_language("\u{FEFF}#язык:ru\r\n"), Language::Ru);
        assert_eq!(file_language("\n# language: ru\n"), Language::En);
        assert_eq!(file_language("# language: de\n"), Language::En);
        assert_eq!(header_language("# language: en"), Some(Language::En));
    }

    #[test]
    fn units_and_periods_read_in_both_spellings() {
        assert_eq!(duration_unit("ч"), Some(60.0));
        assert_eq!(duration_unit("w"), Some(10080.0));
        assert_eq!(duration_unit("hours"), None);
        assert_eq!(period("месяц"), Some(Period::Month));
        assert_eq!(period_word(Period::Week, Language::Ru), "неделя");
        assert_eq!(unit_word("min", Language::Ru), Some("мин"));
    }
}
