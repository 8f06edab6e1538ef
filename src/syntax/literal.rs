//! Classifying literal tokens: numbers with units, strings, dates, money.
//!
//! The grammar accepts any number with a unit-like tail as one token; here it
//! becomes a typed value or a [`LitError`]: `Syntax` (P001) when the kind is
//! wrong for the place (a percent where a duration belongs), `Invalid` (P002)
//! when the literal itself is bad (unknown unit, 120%, `0min`).

use super::expected::Wording;
use super::keywords::Keyword;
use crate::ast::Language;
use crate::ast::{Date, Period, Quantity, Rate};
use crate::lang::Lang;

/// Why a literal was rejected: the problem, worded where the language of
/// the messages and the file's keywords are known ([`LitError::words`]).
#[derive(Debug, Clone, PartialEq)]
pub enum LitError {
    /// The wrong kind of value for this place: a syntax error (P001).
    Syntax(Problem),
    /// A malformed or impossible value (P002).
    Invalid(Problem),
}

/// What is wrong with a literal; the strings are the tokens as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    UnknownPeriod {
        word: String,
        token: String,
    },
    NotANumber {
        digits: String,
    },
    TooLarge {
        digits: String,
    },
    UnknownUnit {
        unit: String,
        token: String,
        digits: String,
    },
    PercentOutOfRange {
        token: String,
    },
    NotPositive {
        token: String,
    },
    TooLong {
        token: String,
    },
    /// A value of another kind than `wanted`.
    Wanted {
        wanted: Wanted,
        found: Kind,
        token: String,
    },
    /// A number without the unit of a duration.
    BareNumber {
        token: String,
    },
    RolloutTooLong {
        token: String,
    },
    NegativeRate {
        token: String,
        per: Period,
    },
    OverADay {
        token: String,
    },
    /// `6h/week`: a capacity per another period.
    CapacityPer {
        per: Period,
    },
    /// `6h / week`: a capacity per another word, as written.
    CapacityPerWord {
        per: String,
    },
    NotHeadcount {
        token: String,
    },
    WorkdaysPer {
        per: Period,
    },
    WorkdaysRange {
        token: String,
    },
    NotATarget {
        token: String,
    },
    NegativeAmount {
        token: String,
    },
    UnknownCurrency {
        word: String,
    },
    NotADate {
        token: String,
    },
    NotACalendarDay {
        token: String,
    },
    UnknownLanguage {
        word: String,
    },
    NotQuestions {
        token: String,
    },
    /// A two-letter country whose calendar the project does not ship.
    NoCalendar {
        word: String,
    },
    NotAHoliday {
        word: String,
    },
    NoWorkingTime {
        token: String,
    },
    /// A unit or period spelt in the other keyword language: `14д` in an
    /// English file, `14d` in a Russian one.
    ForeignUnit {
        token: String,
        fixed: String,
    },
}

/// The kind of value a place wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    Percent,
    Duration,
    Rate,
    Capacity,
    Headcount,
    Amount,
    Questions,
}

/// The kind of value a number with its unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Number,
    Percent,
    Duration,
    Rate,
    DurationPer,
}

fn invalid(problem: Problem) -> LitError {
    LitError::Invalid(problem)
}

fn syntax(problem: Problem) -> LitError {
    LitError::Syntax(problem)
}

impl LitError {
    /// The problem, whatever its code.
    pub fn problem(&self) -> &Problem {
        match self {
            LitError::Syntax(p) | LitError::Invalid(p) => p,
        }
    }

    /// The message and the help, in the language of `say`, with the units,
    /// periods and keywords they name spelt as the file spells them.
    pub(super) fn words(&self, say: Wording) -> (String, String) {
        let problem = self.problem();
        match say.lang {
            Lang::En => english(problem, say),
            Lang::Ru => russian(problem, say),
        }
    }
}

/// "a percentage", "процент": what a value is, after "found".
fn kind_words(kind: Kind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (Kind::Number, Lang::En) => "a plain number",
        (Kind::Percent, Lang::En) => "a percentage",
        (Kind::Duration, Lang::En) => "a duration",
        (Kind::Rate, Lang::En) => "a rate",
        (Kind::DurationPer, Lang::En) => "a duration per period",
        (Kind::Number, Lang::Ru) => "обычное число",
        (Kind::Percent, Lang::Ru) => "процент",
        (Kind::Duration, Lang::Ru) => "длительность",
        (Kind::Rate, Lang::Ru) => "количество за период",
        (Kind::DurationPer, Lang::Ru) => "длительность за период",
    }
}

fn english(problem: &Problem, say: Wording) -> (String, String) {
    let [min, h, d, w] = ["min", "h", "d", "w"].map(|u| say.unit(u));
    let [day, week, month] = [Period::Day, Period::Week, Period::Month].map(|p| say.period(p));
    let durations = format!("durations use `{min}`, `{h}`, `{d}` or `{w}`");
    use Problem as P;
    let (message, help): (String, String) = match problem {
        P::UnknownPeriod { word, token } => (
            format!("unknown period `{word}` in `{token}`"),
            format!("a rate is counted per `{day}`, `{week}` or `{month}`, e.g. `40/{day}`"),
        ),
        P::NotANumber { digits } => (format!("`{digits}` is not a number"), "write numbers like `12` or `0.5`".into()),
        P::TooLarge { digits } => (format!("`{digits}` is too large"), "write a smaller number".into()),
        P::UnknownUnit { unit, token, digits } => (
            format!("unknown unit `{unit}` in `{token}`"),
            if is_currency(unit) {
                format!("write money with a space between amount and currency: `{digits} {unit}`")
            } else {
                format!("{durations} (`30{min}`, `2{h}`); percentages `%`; rates `/{day}`, `/{week}` or `/{month}`")
            },
        ),
        P::PercentOutOfRange { token } => (
            format!("`{token}` is not a percentage between 0% and 100%"),
            "a share or probability is at most 100%".into(),
        ),
        P::NotPositive { token } => (
            format!("`{token}` is not a positive duration"),
            format!("a duration must be at least one minute, e.g. `30{min}` or `2{h}`"),
        ),
        P::TooLong { token } => (format!("`{token}` is too long a duration"), "write a shorter duration".into()),
        P::Wanted { wanted, found, token } => {
            let found = kind_words(*found, Lang::En);
            match wanted {
                Wanted::Percent => (
                    format!("expected a percentage such as `40%`, found {found} `{token}`"),
                    "write a percentage with `%`, e.g. `40%`".into(),
                ),
                Wanted::Duration => (
                    format!("expected a duration such as `2{h}`, found {found} `{token}`"),
                    format!("{durations}: `30{min}`, `2{h}`, `3{d}`, `1{w}`"),
                ),
                Wanted::Rate => (
                    format!("expected a rate such as `10/{month}`, found {found} `{token}`"),
                    format!("write a rate as a number, `/` and a period: `40/{day}`, `5/{week}`, `20/{month}`"),
                ),
                Wanted::Capacity => (
                    format!("expected a duration per day such as `6{h}/{day}`, found {found} `{token}`"),
                    capacity_help(say),
                ),
                Wanted::Headcount => (
                    format!("expected a number of people such as `3`, found {found} `{token}`"),
                    "write the headcount as a plain whole number".into(),
                ),
                Wanted::Questions => (
                    format!("expected a number of questions such as `10`, found {found} `{token}`"),
                    "write the number of questions as a plain whole number".into(),
                ),
                Wanted::Amount => (
                    format!("expected an amount of money such as `250000 RUB`, found {found} `{token}`"),
                    "write the amount, a space, and an ISO 4217 currency code: `250000 RUB`".into(),
                ),
            }
        }
        P::BareNumber { token } => (
            format!("expected a duration such as `2{h}`, found the bare number `{token}`"),
            format!("add a unit: `{token}{min}`, `{token}{h}`, `{token}{d}` or `{token}{w}`"),
        ),
        P::RolloutTooLong { token } => (
            format!("`{token}` is too long for a rollout"),
            format!("a rollout lasts at most ten years (`{MAX_ROLLOUT_DAYS}{d}`); most last about `100{d}`"),
        ),
        P::NegativeRate { token, per } => (
            format!("`{token}` is a negative rate"),
            format!("a rate counts things per {}; it cannot be negative", per.as_str()),
        ),
        P::OverADay { token } => (
            format!("`{token}` is more than a day has"),
            "a person gives the process at most 24h per workday; most give 4h to 8h".into(),
        ),
        P::CapacityPer { per } => {
            (format!("capacity is counted per workday, not per {}", per.as_str()), capacity_help(say))
        }
        P::CapacityPerWord { per } => (format!("capacity is counted per workday, not per `{per}`"), capacity_help(say)),
        P::NotHeadcount { token } => {
            (format!("`{token}` is not a number of people"), "a headcount is a whole number, at least 1".into())
        }
        P::WorkdaysPer { per } => (
            format!("workdays are counted per month, not per {}", per.as_str()),
            format!(
                "write the working days in a month, e.g. `{} 21/{month}`",
                Keyword::Workdays.spelling(say.keywords)
            ),
        ),
        P::WorkdaysRange { token } => (
            format!("`{token}` is not a number of workdays in a month"),
            "a month has between 1 and 31 workdays".into(),
        ),
        P::NotATarget { token } => (
            format!("`{token}` is not a target value"),
            "a target is a percentage, a duration, a rate or a number".into(),
        ),
        P::NegativeAmount { token } => {
            (format!("`{token}` is a negative amount"), "an amount of money is not negative".into())
        }
        P::UnknownCurrency { word } => {
            (format!("unknown currency `{word}`"), "use an ISO 4217 currency code such as `RUB`, `EUR` or `USD`".into())
        }
        P::NotADate { token } => {
            (format!("`{token}` is not a date"), "write dates as YYYY-MM-DD, e.g. `2027-01-11`".into())
        }
        P::NotACalendarDay { token } => (
            format!("`{token}` is not a day of the calendar"),
            "check the month and the day: months run 01–12 and have 28 to 31 days".into(),
        ),
        P::UnknownLanguage { word } => (
            format!("unknown language `{word}`"),
            "the manuals can be written in `en` (English) or `ru` (Russian)".into(),
        ),
        P::NotQuestions { token } => (
            format!("`{token}` is not a number of questions"),
            format!(
                "an exam draws a whole number of questions, at least 1: `{} 10`",
                Keyword::Questions.spelling(say.keywords)
            ),
        ),
        P::NoCalendar { word } => (
            format!("there is no holiday calendar for `{word}`"),
            format!(
                "procdef knows Russia's fixed public holidays (`RU`); list other days off as dates: `{} 2027-04-05`",
                Keyword::Holidays.spelling(say.keywords)
            ),
        ),
        P::NotAHoliday { word } => (
            format!("`{word}` is neither a country code nor a date"),
            "write `RU` for Russia's fixed public holidays, or a date such as `2027-05-03`".into(),
        ),
        P::ForeignUnit { token, fixed } => (
            match say.keywords {
                Language::En => format!("`{token}` is written with a Russian unit in a file of English keywords"),
                Language::Ru => format!("`{token}` is written with an English unit in a file of Russian keywords"),
            },
            match say.keywords {
                Language::En => {
                    format!("write `{fixed}`; or make the whole file Russian with `# language: ru` on its first line")
                }
                Language::Ru => format!("write `{fixed}`: a file under `# language: ru` writes its units in Russian"),
            },
        ),
        P::NoWorkingTime { token } => (
            format!("`{token}` leaves no working time at all"),
            format!(
                "the utilization limit is the share of their hours people may spend on the process, e.g. `{} 85%`",
                Keyword::Utilization.spelling(say.keywords)
            ),
        ),
    };
    (message, help)
}

fn capacity_help(say: Wording) -> String {
    let (capacity, h, day) = (Keyword::Capacity.spelling(say.keywords), say.unit("h"), say.period(Period::Day));
    match say.lang {
        Lang::En => format!("write the working time each person gives per workday, e.g. `{capacity} 6{h}/{day}`"),
        Lang::Ru => format!(
            "укажите, сколько времени каждый сотрудник отдаёт процессу за рабочий день, например `{capacity} 6{h}/{day}`"
        ),
    }
}

/// "за день", "за неделю", "за месяц".
fn per_ru(per: Period) -> &'static str {
    match per {
        Period::Day => "за день",
        Period::Week => "за неделю",
        Period::Month => "за месяц",
    }
}

fn russian(problem: &Problem, say: Wording) -> (String, String) {
    let [min, h, d, w] = ["min", "h", "d", "w"].map(|u| say.unit(u));
    let [day, week, month] = [Period::Day, Period::Week, Period::Month].map(|p| say.period(p));
    let durations = format!("длительность пишется с единицей `{min}`, `{h}`, `{d}` или `{w}`");
    use Problem as P;
    let (message, help): (String, String) = match problem {
        P::UnknownPeriod { word, token } => (
            if word == token {
                format!("неизвестный период `{word}`")
            } else {
                format!("неизвестный период `{word}` в `{token}`")
            },
            format!("период — это `{day}`, `{week}` или `{month}`, например `40/{day}`"),
        ),
        P::NotANumber { digits } => (format!("`{digits}` — не число"), "числа пишутся так: `12` или `0.5`".into()),
        P::TooLarge { digits } => (format!("число `{digits}` слишком велико"), "напишите число поменьше".into()),
        P::UnknownUnit { unit, token, digits } => (
            format!("неизвестная единица `{unit}` в `{token}`"),
            if is_currency(unit) {
                format!("сумму денег пишут с пробелом между числом и валютой: `{digits} {unit}`")
            } else {
                format!(
                    "{durations} (`30{min}`, `2{h}`), процент — со знаком `%`, количество за период — с `/{day}`, `/{week}` или `/{month}`"
                )
            },
        ),
        P::PercentOutOfRange { token } => (
            format!("процент `{token}` не укладывается в пределы от 0% до 100%"),
            "доля или вероятность — не больше 100%".into(),
        ),
        P::NotPositive { token } => (
            format!("длительность `{token}` должна быть положительной"),
            format!("длительность — не меньше минуты, например `30{min}` или `2{h}`"),
        ),
        P::TooLong { token } => {
            (format!("длительность `{token}` слишком велика"), "напишите длительность покороче".into())
        }
        P::Wanted { wanted, found, token } => {
            let found = kind_words(*found, Lang::Ru);
            match wanted {
                Wanted::Percent => (
                    format!("ожидается процент, например `40%`, а здесь {found} `{token}`"),
                    "пишите процент со знаком `%`, например `40%`".into(),
                ),
                Wanted::Duration => (
                    format!("ожидается длительность, например `2{h}`, а здесь {found} `{token}`"),
                    format!("{durations}: `30{min}`, `2{h}`, `3{d}`, `1{w}`"),
                ),
                Wanted::Rate => (
                    format!("ожидается количество за период, например `10/{month}`, а здесь {found} `{token}`"),
                    format!("запишите число, `/` и период: `40/{day}`, `5/{week}`, `20/{month}`"),
                ),
                Wanted::Capacity => (
                    format!("ожидается время в день, например `6{h}/{day}`, а здесь {found} `{token}`"),
                    capacity_help(say),
                ),
                Wanted::Headcount => (
                    format!("ожидается число людей, например `3`, а здесь {found} `{token}`"),
                    "запишите число людей простым целым числом".into(),
                ),
                Wanted::Questions => (
                    format!("ожидается число вопросов, например `10`, а здесь {found} `{token}`"),
                    "запишите число вопросов простым целым числом".into(),
                ),
                Wanted::Amount => (
                    format!("ожидается сумма денег, например `250000 RUB`, а здесь {found} `{token}`"),
                    "запишите сумму, пробел и код валюты по `ISO 4217`: `250000 RUB`".into(),
                ),
            }
        }
        P::BareNumber { token } => (
            format!("ожидается длительность, например `2{h}`, а здесь число `{token}` без единицы"),
            format!("добавьте единицу: `{token}{min}`, `{token}{h}`, `{token}{d}` или `{token}{w}`"),
        ),
        P::RolloutTooLong { token } => (
            format!("`{token}` — слишком долгое внедрение"),
            format!("внедрение длится не больше десяти лет (`{MAX_ROLLOUT_DAYS}{d}`), а обычно — около `100{d}`"),
        ),
        P::NegativeRate { token, per } => (
            format!("`{token}` — отрицательное количество за период"),
            format!("количество {} не бывает отрицательным", per_ru(*per)),
        ),
        P::OverADay { token } => (
            format!("`{token}` — больше, чем есть в сутках"),
            "сотрудник отдаёт процессу не больше 24 ч за рабочий день, а обычно — от 4 до 8 ч".into(),
        ),
        P::CapacityPer { per } => {
            (format!("рабочее время считают за рабочий день, а не {}", per_ru(*per)), capacity_help(say))
        }
        P::CapacityPerWord { per } => {
            (format!("рабочее время считают за рабочий день, а не за `{per}`"), capacity_help(say))
        }
        P::NotHeadcount { token } => {
            (format!("`{token}` — не число людей"), "число людей в штате — целое, не меньше 1".into())
        }
        P::WorkdaysPer { per } => (
            format!("рабочие дни считают за месяц, а не {}", per_ru(*per)),
            format!(
                "укажите число рабочих дней в месяце, например `{} 21/{month}`",
                Keyword::Workdays.spelling(say.keywords)
            ),
        ),
        P::WorkdaysRange { token } => {
            (format!("`{token}` — не число рабочих дней в месяце"), "в месяце от 1 до 31 рабочего дня".into())
        }
        P::NotATarget { token } => (
            format!("`{token}` не может быть целевым значением"),
            "цель — это процент, длительность, количество за период или число".into(),
        ),
        P::NegativeAmount { token } => {
            (format!("`{token}` — отрицательная сумма"), "сумма денег не бывает отрицательной".into())
        }
        P::UnknownCurrency { word } => (
            format!("неизвестная валюта `{word}`"),
            "укажите код валюты по `ISO 4217`, например `RUB`, `EUR` или `USD`".into(),
        ),
        P::NotADate { token } => {
            (format!("`{token}` — не дата"), "даты пишутся как `ГГГГ-ММ-ДД`, например `2027-01-11`".into())
        }
        P::NotACalendarDay { token } => (
            format!("дня `{token}` нет в календаре"),
            "проверьте месяц и день: месяцы идут от 01 до 12, а в месяце от 28 до 31 дня".into(),
        ),
        P::UnknownLanguage { word } => {
            (format!("неизвестный язык `{word}`"), "инструкции пишутся на `en` (английском) или `ru` (русском)".into())
        }
        P::NotQuestions { token } => (
            format!("`{token}` — не число вопросов"),
            format!(
                "в экзамен входит целое число вопросов, не меньше одного: `{} 10`",
                Keyword::Questions.spelling(say.keywords)
            ),
        ),
        P::NoCalendar { word } => (
            format!("календаря праздников для `{word}` нет"),
            format!(
                "известны только постоянные праздники России (`RU`); другие нерабочие дни перечислите датами: `{} 2027-04-05`",
                Keyword::Holidays.spelling(say.keywords)
            ),
        ),
        P::NotAHoliday { word } => (
            format!("`{word}` — не код страны и не дата"),
            "напишите `RU` для постоянных праздников России или дату, например `2027-05-03`".into(),
        ),
        P::ForeignUnit { token, fixed } => (
            match say.keywords {
                Language::En => {
                    format!("`{token}` записано с русской единицей в файле с английскими ключевыми словами")
                }
                Language::Ru => {
                    format!("`{token}` записано с английской единицей в файле с русскими ключевыми словами")
                }
            },
            match say.keywords {
                Language::En => {
                    format!("напишите `{fixed}` или сделайте весь файл русским: первая строка `# language: ru`")
                }
                Language::Ru => format!("напишите `{fixed}`: в файле с `# language: ru` единицы пишутся по-русски"),
            },
        ),
        P::NoWorkingTime { token } => (
            format!("при `{token}` на процесс не остаётся времени"),
            format!(
                "предел загрузки — доля рабочего времени, которую сотрудники могут отдавать процессу, например `{} 85%`",
                Keyword::Utilization.spelling(say.keywords)
            ),
        ),
    };
    (message, help)
}

/// A number and its unit, as written.
#[derive(Debug, Clone, PartialEq)]
enum Raw {
    Number(f64),
    Percent(f64),
    /// Minutes (possibly fractional, possibly not positive).
    Duration(f64),
    Rate(f64, Period),
    /// A duration per period: `6h/day`.
    DurationPer(f64, Period),
}

fn period(word: &str, token: &str) -> Result<Period, LitError> {
    match super::keywords::period(word) {
        Some(period) => Ok(period),
        None => Err(invalid(Problem::UnknownPeriod { word: word.into(), token: token.into() })),
    }
}

fn classify(token: &str) -> Result<Raw, LitError> {
    let split = token
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (c == '-' && i == 0)))
        .map_or(token.len(), |(i, _)| i);
    let (digits, tail) = token.split_at(split);
    let number: f64 = digits.parse().map_err(|_| invalid(Problem::NotANumber { digits: digits.into() }))?;
    if !number.is_finite() {
        return Err(invalid(Problem::TooLarge { digits: digits.into() }));
    }
    if tail.is_empty() {
        return Ok(Raw::Number(number));
    }
    if tail == "%" {
        return Ok(Raw::Percent(number));
    }
    if let Some(per) = tail.strip_prefix('/') {
        return Ok(Raw::Rate(number, period(per, token)?));
    }
    let (unit, per) = match tail.split_once('/') {
        Some((unit, per)) => (unit, Some(per)),
        None => (tail, None),
    };
    let Some(factor) = super::keywords::duration_unit(unit) else {
        return Err(invalid(Problem::UnknownUnit { unit: unit.into(), token: token.into(), digits: digits.into() }));
    };
    let minutes = number * factor;
    match per {
        None => Ok(Raw::Duration(minutes)),
        Some(per) => Ok(Raw::DurationPer(minutes, period(per, token)?)),
    }
}

fn describe(raw: &Raw) -> Kind {
    match raw {
        Raw::Number(_) => Kind::Number,
        Raw::Percent(_) => Kind::Percent,
        Raw::Duration(_) => Kind::Duration,
        Raw::Rate(..) => Kind::Rate,
        Raw::DurationPer(..) => Kind::DurationPer,
    }
}

/// A value of the wrong kind for the place: P001.
fn wanted(wanted: Wanted, raw: &Raw, token: &str) -> LitError {
    syntax(Problem::Wanted { wanted, found: describe(raw), token: token.into() })
}

fn check_percent(value: f64, token: &str) -> Result<f64, LitError> {
    if !(0.0..=100.0).contains(&value) {
        return Err(invalid(Problem::PercentOutOfRange { token: token.into() }));
    }
    Ok(value / 100.0)
}

fn check_minutes(minutes: f64, token: &str) -> Result<u32, LitError> {
    let whole = minutes.round();
    if whole <= 0.0 {
        return Err(invalid(Problem::NotPositive { token: token.into() }));
    }
    if whole > f64::from(u32::MAX) {
        return Err(invalid(Problem::TooLong { token: token.into() }));
    }
    // The value is positive, whole and within range, so the cast is exact.
    Ok(whole as u32)
}

/// A percentage (`35%`), as a fraction from 0 to 1.
pub fn percent(token: &str) -> Result<f64, LitError> {
    match classify(token)? {
        Raw::Percent(v) => check_percent(v, token),
        other => Err(wanted(Wanted::Percent, &other, token)),
    }
}

/// A duration (`30min`, `2h`, `3d`, `1w`), in whole minutes.
pub fn duration(token: &str) -> Result<u32, LitError> {
    match classify(token)? {
        Raw::Duration(m) => check_minutes(m, token),
        Raw::Number(_) => Err(syntax(Problem::BareNumber { token: token.into() })),
        other => Err(wanted(Wanted::Duration, &other, token)),
    }
}

/// The longest rollout: ten years, leap days included. A rollout lasts
/// weeks or months; the schedule lists every week of it.
pub const MAX_ROLLOUT_DAYS: u32 = 3653;

/// The `length` of a rollout: a duration of at most [`MAX_ROLLOUT_DAYS`].
pub fn rollout_length(token: &str) -> Result<u32, LitError> {
    let minutes = duration(token)?;
    if minutes > MAX_ROLLOUT_DAYS * 24 * 60 {
        return Err(invalid(Problem::RolloutTooLong { token: token.into() }));
    }
    Ok(minutes)
}

/// A rate (`40/day`).
pub fn rate(token: &str) -> Result<Rate, LitError> {
    match classify(token)? {
        Raw::Rate(value, per) if value < 0.0 => Err(invalid(Problem::NegativeRate { token: token.into(), per })),
        Raw::Rate(value, per) => Ok(Rate { value, per }),
        other => Err(wanted(Wanted::Rate, &other, token)),
    }
}

/// Hours a person gives per workday: `6h/day`, in minutes.
pub fn capacity(token: &str, per: Option<&str>) -> Result<u32, LitError> {
    let per_day = per.is_some_and(|p| super::keywords::period(p) == Some(Period::Day));
    match (classify(token)?, per) {
        (Raw::DurationPer(m, Period::Day), None) | (Raw::Duration(m), Some(_))
            if (per.is_none() || per_day) && m > 24.0 * 60.0 =>
        {
            Err(invalid(Problem::OverADay { token: token.into() }))
        }
        (Raw::DurationPer(m, Period::Day), None) => check_minutes(m, token),
        (Raw::Duration(m), Some(_)) if per_day => check_minutes(m, token),
        (Raw::DurationPer(_, per), None) => Err(invalid(Problem::CapacityPer { per })),
        (Raw::Duration(_), Some(p)) => Err(invalid(Problem::CapacityPerWord { per: p.into() })),
        (other, _) => Err(wanted(Wanted::Capacity, &other, token)),
    }
}

/// A whole, positive number of people.
pub fn headcount(token: &str) -> Result<u32, LitError> {
    match classify(token)? {
        Raw::Number(v) if v >= 1.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX) => Ok(v as u32),
        Raw::Number(_) => Err(invalid(Problem::NotHeadcount { token: token.into() })),
        other => Err(wanted(Wanted::Headcount, &other, token)),
    }
}

/// Workdays per month: `21/month`.
pub fn workdays(token: &str) -> Result<f64, LitError> {
    let r = rate(token)?;
    if r.per != Period::Month {
        return Err(invalid(Problem::WorkdaysPer { per: r.per }));
    }
    if !(r.value > 0.0 && r.value <= 31.0) {
        return Err(invalid(Problem::WorkdaysRange { token: token.into() }));
    }
    Ok(r.value)
}

/// Any quantity (a metric target).
pub fn quantity(token: &str) -> Result<Quantity, LitError> {
    match classify(token)? {
        Raw::Number(v) => Ok(Quantity::Number(v)),
        Raw::Percent(v) => check_percent(v, token).map(Quantity::Percent),
        Raw::Duration(m) => check_minutes(m, token).map(Quantity::Minutes),
        Raw::Rate(value, per) => rate(token).map(|_| Quantity::Rate(Rate { value, per })),
        Raw::DurationPer(..) => Err(invalid(Problem::NotATarget { token: token.into() })),
    }
}

/// A money amount's number part.
pub fn amount(token: &str) -> Result<f64, LitError> {
    match classify(token)? {
        Raw::Number(v) if v >= 0.0 => Ok(v),
        Raw::Number(_) => Err(invalid(Problem::NegativeAmount { token: token.into() })),
        other => Err(wanted(Wanted::Amount, &other, token)),
    }
}

/// Checks an ISO 4217 currency code. A code in small letters (`usd`) is
/// read as the code (`USD`): it can mean nothing else, and rejecting it
/// would leave the deal or the revenue goal out of the plan.
pub fn currency(word: &str) -> Result<String, LitError> {
    let upper = word.to_ascii_uppercase();
    if is_currency(&upper) {
        return Ok(upper);
    }
    Err(invalid(Problem::UnknownCurrency { word: word.into() }))
}

/// A period word after `/` in `revenue … /month`.
pub fn period_word(word: &str) -> Result<Period, LitError> {
    period(word, word)
}

/// A calendar date `YYYY-MM-DD`.
pub fn date(token: &str) -> Result<Date, LitError> {
    let bad = || invalid(Problem::NotADate { token: token.into() });
    let mut parts = token.split('-');
    let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return Err(bad());
    };
    if chrono::NaiveDate::from_ymd_opt(year, month, day).is_none() {
        return Err(invalid(Problem::NotACalendarDay { token: token.into() }));
    }
    Ok(Date { year, month, day })
}

/// A problem inside a string: a bad escape at `offset..offset+len` of the
/// raw string content.
#[derive(Debug, Clone, PartialEq)]
pub struct EscapeError {
    pub offset: usize,
    pub len: usize,
    /// The message in English.
    pub message: String,
    /// The message in Russian.
    pub message_ru: String,
}

/// Unescapes the content of a `"…"` string. Bad escapes are left out of the
/// value and reported.
pub fn unescape(raw: &str) -> (String, Vec<EscapeError>) {
    let mut out = String::with_capacity(raw.len());
    let mut errors = Vec::new();
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else {
            errors.push(EscapeError {
                offset: i,
                len: 1,
                message: "a lone `\\` ends the text".into(),
                message_ru: "текст кончается одиночной обратной косой чертой `\\`".into(),
            });
            break;
        };
        match e {
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'u' => {
                let rest = &raw[i + 2..];
                let parsed = rest
                    .strip_prefix('{')
                    .and_then(|r| r.find('}').map(|end| &r[..end]))
                    .filter(|hex| !hex.is_empty() && hex.len() <= 6);
                match parsed.and_then(|hex| u32::from_str_radix(hex, 16).ok().map(|v| (hex, v))) {
                    Some((hex, value)) => {
                        let consumed = hex.len() + 2; // `{`, hex, `}`
                        for _ in 0..consumed {
                            chars.next();
                        }
                        match char::from_u32(value) {
                            Some(ch) => out.push(ch),
                            None => errors.push(EscapeError {
                                offset: i,
                                len: 2 + consumed,
                                message: format!("`\\u{{{hex}}}` is not a Unicode character"),
                                message_ru: format!("`\\u{{{hex}}}` — не символ Юникода"),
                            }),
                        }
                    }
                    None => errors.push(EscapeError {
                        offset: i,
                        len: 2,
                        message: "`\\u` must be followed by a hexadecimal code in braces, e.g. `\\u{263A}`".into(),
                        message_ru:
                            "после `\\u` должен идти шестнадцатеричный код в фигурных скобках, например `\\u{263A}`"
                                .into(),
                    }),
                }
            }
            other => errors.push(EscapeError {
                offset: i,
                len: 1 + other.len_utf8(),
                message: format!("unknown escape `\\{other}`"),
                message_ru: format!("неизвестная экранирующая последовательность `\\{other}`"),
            }),
        }
    }
    (out, errors)
}

/// Removes the common indentation of a text block's non-blank lines and its
/// closing line's indentation. `raw` is everything after the line end that
/// follows the opening `"""`, up to the closing `"""`.
pub fn dedent(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let mut lines: Vec<&str> = raw.split('\n').collect();
    // The closing `"""` on a line of its own: drop that line (and so the
    // last line end).
    if lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| if l.trim().is_empty() { "" } else { &l[indent..] })
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

/// ISO 4217 currency codes in use.
const CURRENCIES: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD \
BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP \
GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD \
KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD \
OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL \
THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD \
XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG ZWL";

fn is_currency(word: &str) -> bool {
    word.len() == 3 && CURRENCIES.split(' ').any(|c| c == word)
}

/// `token` with its unit and period in the spelling of keyword language
/// `language`, when either is spelt in the other one: `14д` in an English
/// file is `14d`. `None` when the token is as the file spells it.
pub fn foreign_unit(token: &str, language: Language) -> Option<String> {
    use super::keywords;
    let split = token
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (c == '-' && i == 0)))
        .map_or(token.len(), |(i, _)| i);
    let (digits, tail) = token.split_at(split);
    let (unit, per) = match tail.split_once('/') {
        Some((unit, per)) => (unit, Some(per)),
        None => (tail, None),
    };
    let mut changed = false;
    let unit = match keywords::unit_word(unit, language) {
        Some(spelt) if !unit.is_empty() && spelt != unit => {
            changed = true;
            spelt
        }
        _ => unit,
    };
    let per = per.map(|p| match keywords::period(p) {
        Some(period) if keywords::period_word(period, language) != p => {
            changed = true;
            keywords::period_word(period, language)
        }
        _ => p,
    });
    changed.then(|| match per {
        Some(per) => format!("{digits}{unit}/{per}"),
        None => format!("{digits}{unit}"),
    })
}

/// The size of an exam: `questions 10`, a whole number from 1 (§6.4).
pub fn questions(token: &str) -> Result<u32, LitError> {
    match classify(token)? {
        Raw::Number(v) if v >= 1.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX) => Ok(v as u32),
        Raw::Number(_) => Err(invalid(Problem::NotQuestions { token: token.into() })),
        other => Err(wanted(Wanted::Questions, &other, token)),
    }
}

/// A country of a `holidays` line: one whose fixed public holidays the
/// project ships (§6.3).
pub fn country(word: &str) -> Result<crate::ast::Country, LitError> {
    match word {
        "RU" => Ok(crate::ast::Country::Ru),
        w if w.len() == 2 && w.chars().all(|c| c.is_ascii_uppercase()) => {
            Err(invalid(Problem::NoCalendar { word: w.into() }))
        }
        w => Err(invalid(Problem::NotAHoliday { word: w.into() })),
    }
}

/// The utilization limit of a plan: a percentage above 0 (§6.2).
pub fn utilization(token: &str) -> Result<f64, LitError> {
    let share = percent(token)?;
    if share <= 0.0 {
        return Err(invalid(Problem::NoWorkingTime { token: token.into() }));
    }
    Ok(share)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_convert_to_minutes() {
        assert_eq!(duration("30min"), Ok(30));
        assert_eq!(duration("2h"), Ok(120));
        assert_eq!(duration("3d"), Ok(3 * 1440));
        assert_eq!(duration("1w"), Ok(7 * 1440));
        assert_eq!(duration("7.5h"), Ok(450));
    }

    #[test]
    fn a_rollout_lasts_at_most_ten_years() {
        assert_eq!(rollout_length("3653d"), Ok(3653 * 1440));
        assert_eq!(rollout_length("521w"), Ok(521 * 7 * 1440));
        assert!(matches!(rollout_length("3654d"), Err(LitError::Invalid { .. })));
        assert!(matches!(rollout_length("2900000d"), Err(LitError::Invalid { .. })));
        assert!(matches!(rollout_length("100"), Err(LitError::Syntax { .. })));
    }

    #[test]
    fn bad_durations_are_invalid_or_syntax() {
        assert!(matches!(duration("0min"), Err(LitError::Invalid { .. })));
        assert!(matches!(duration("-2h"), Err(LitError::Invalid { .. })));
        assert!(matches!(duration("5x"), Err(LitError::Invalid { .. })));
        assert!(matches!(duration("40%"), Err(LitError::Syntax { .. })));
        assert!(matches!(duration("5"), Err(LitError::Syntax { .. })));
    }

    #[test]
    fn percents_are_fractions_and_bounded() {
        assert_eq!(percent("35%"), Ok(0.35));
        assert_eq!(percent("12.5%"), Ok(0.125));
        assert!(matches!(percent("120%"), Err(LitError::Invalid { .. })));
    }

    #[test]
    fn rates_and_capacity() {
        assert_eq!(rate("40/day"), Ok(Rate { value: 40.0, per: Period::Day }));
        assert!(matches!(rate("4/year"), Err(LitError::Invalid { .. })));
        assert_eq!(capacity("6h/day", None), Ok(360));
        assert_eq!(capacity("7.5h", Some("day")), Ok(450));
        assert!(matches!(capacity("6h/week", None), Err(LitError::Invalid { .. })));
        assert!(matches!(capacity("30h/day", None), Err(LitError::Invalid { .. })));
    }

    #[test]
    fn money_dates_currencies() {
        assert_eq!(currency("RUB"), Ok("RUB".into()));
        assert_eq!(currency("rub"), Ok("RUB".into()));
        assert_eq!(currency("Usd"), Ok("USD".into()));
        assert!(matches!(currency("руб"), Err(LitError::Invalid { .. })));
        assert!(matches!(currency("ABC"), Err(LitError::Invalid { .. })));
        assert_eq!(date("2027-01-11"), Ok(Date { year: 2027, month: 1, day: 11 }));
        assert!(matches!(date("2027-02-30"), Err(LitError::Invalid { .. })));
        assert!(matches!(date("2027-1-1"), Err(LitError::Invalid { .. })));
    }

    /// Bad literals of every kind, rejected by their checks.
    use crate::ast::Language;

    fn rejected() -> Vec<LitError> {
        let bad: Vec<Result<(), LitError>> = vec![
            duration("5").map(drop),
            duration("40%").map(drop),
            duration("0min").map(drop),
            duration("5x").map(drop),
            duration("2rub").map(drop),
            duration("1e400h").map(drop),
            duration("99999999999w").map(drop),
            percent("120%").map(drop),
            percent("2h").map(drop),
            rollout_length("4000d").map(drop),
            rate("-4/day").map(drop),
            rate("4/year").map(drop),
            rate("4").map(drop),
            capacity("30h/day", None).map(drop),
            capacity("6h/week", None).map(drop),
            capacity("6h", Some("week")).map(drop),
            capacity("40%", None).map(drop),
            headcount("2.5").map(drop),
            headcount("2h").map(drop),
            workdays("21/week").map(drop),
            workdays("40/month").map(drop),
            quantity("6h/day").map(drop),
            amount("-5").map(drop),
            amount("5%").map(drop),
            currency("rur").map(drop),
            currency("XYZ").map(drop),
            date("2027-1-1").map(drop),
            date("2027-02-30").map(drop),
            period_word("fortnight").map(drop),
        ];
        bad.into_iter().map(|r| r.expect_err("a bad literal")).collect()
    }

    #[test]
    fn every_problem_is_worded_in_russian_with_the_files_units() {
        let cyrillic = |t: &str| t.chars().any(|c| ('а'..='я').contains(&c));
        for error in rejected() {
            let english = error.words(Wording::ENGLISH);
            let russian = error.words(Wording { keywords: Language::En, lang: Lang::Ru });
            assert!(cyrillic(&russian.0) && cyrillic(&russian.1), "{russian:?}");
            assert!(!cyrillic(&english.0) && !cyrillic(&english.1), "{english:?}");
            // A Russian-keyword file: its units, never the English ones.
            // (The messages quote the token as written, so only the helps.)
            for lang in [Lang::En, Lang::Ru] {
                let (_, help) = error.words(Wording { keywords: Language::Ru, lang });
                for unit in ["min`", "h`", "d`", "w`", "/day", "/week", "/month", "`capacity", "`workdays"] {
                    assert!(!help.contains(unit), "{unit} in {help}");
                }
            }
        }
        let bare = duration("5").expect_err("no unit");
        let (_, help) = bare.words(Wording { keywords: Language::Ru, lang: Lang::En });
        assert_eq!(help, "add a unit: `5мин`, `5ч`, `5д` or `5нед`");
        let negative = rate("-4/day").expect_err("negative");
        assert_eq!(
            negative.words(Wording { keywords: Language::En, lang: Lang::Ru }).1,
            "количество за день не бывает отрицательным"
        );
    }

    #[test]
    fn escapes() {
        let (value, errors) = unescape(r#"Tab\there, quote \" and \u{263A}"#);
        assert_eq!(value, "Tab\there, quote \" and \u{263A}");
        assert!(errors.is_empty());
        let (value, errors) = unescape(r"a\qb");
        assert_eq!(value, "ab");
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].offset, errors[0].len), (1, 2));
        let (_, errors) = unescape(r"\u{110000}");
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn text_blocks_lose_common_indentation() {
        let raw = "      The first call.\n        Indented.\n\n      End.\n    ";
        assert_eq!(dedent(raw), "The first call.\n  Indented.\n\nEnd.");
        assert_eq!(dedent("  a\r\n  b\r\n  "), "a\nb");
    }
}
