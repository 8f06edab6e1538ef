//! Classifying literal tokens: numbers with units, strings, dates, money.
//!
//! The grammar accepts any number with a unit-like tail as one token; here it
//! becomes a typed value or a [`LitError`]: `Syntax` (P001) when the kind is
//! wrong for the place (a percent where a duration belongs), `Invalid` (P002)
//! when the literal itself is bad (unknown unit, 120%, `0min`).

use crate::ast::{Date, Period, Quantity, Rate};

/// Why a literal was rejected.
#[derive(Debug, Clone, PartialEq)]
pub enum LitError {
    /// The wrong kind of value for this place: a syntax error (P001).
    Syntax { message: String, help: String },
    /// A malformed or impossible value (P002).
    Invalid { message: String, help: String },
}

fn invalid(message: impl Into<String>, help: impl Into<String>) -> LitError {
    LitError::Invalid { message: message.into(), help: help.into() }
}

fn syntax(message: impl Into<String>, help: impl Into<String>) -> LitError {
    LitError::Syntax { message: message.into(), help: help.into() }
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
        None => Err(invalid(
            format!("unknown period `{word}` in `{token}`"),
            "a rate is counted per `day`, `week` or `month`, e.g. `40/day`",
        )),
    }
}

fn classify(token: &str) -> Result<Raw, LitError> {
    let split = token
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (c == '-' && i == 0)))
        .map_or(token.len(), |(i, _)| i);
    let (digits, tail) = token.split_at(split);
    let number: f64 = digits
        .parse()
        .map_err(|_| invalid(format!("`{digits}` is not a number"), "write numbers like `12` or `0.5`"))?;
    if !number.is_finite() {
        return Err(invalid(format!("`{digits}` is too large"), "write a smaller number"));
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
        let help = if is_currency(unit) {
            format!("write money with a space between amount and currency: `{digits} {unit}`")
        } else {
            "durations use `min`, `h`, `d` or `w` (`30min`, `2h`); percentages `%`; rates `/day`, `/week` or `/month`"
                .to_string()
        };
        return Err(invalid(format!("unknown unit `{unit}` in `{token}`"), help));
    };
    let minutes = number * factor;
    match per {
        None => Ok(Raw::Duration(minutes)),
        Some(per) => Ok(Raw::DurationPer(minutes, period(per, token)?)),
    }
}

fn describe(raw: &Raw) -> &'static str {
    match raw {
        Raw::Number(_) => "a plain number",
        Raw::Percent(_) => "a percentage",
        Raw::Duration(_) => "a duration",
        Raw::Rate(..) => "a rate",
        Raw::DurationPer(..) => "a duration per period",
    }
}

fn check_percent(value: f64, token: &str) -> Result<f64, LitError> {
    if !(0.0..=100.0).contains(&value) {
        return Err(invalid(
            format!("`{token}` is not a percentage between 0% and 100%"),
            "a share or probability is at most 100%",
        ));
    }
    Ok(value / 100.0)
}

fn check_minutes(minutes: f64, token: &str) -> Result<u32, LitError> {
    let whole = minutes.round();
    if whole <= 0.0 {
        return Err(invalid(
            format!("`{token}` is not a positive duration"),
            "a duration must be at least one minute, e.g. `30min` or `2h`",
        ));
    }
    if whole > f64::from(u32::MAX) {
        return Err(invalid(format!("`{token}` is too long a duration"), "write a shorter duration"));
    }
    // The value is positive, whole and within range, so the cast is exact.
    Ok(whole as u32)
}

/// A percentage (`35%`), as a fraction from 0 to 1.
pub fn percent(token: &str) -> Result<f64, LitError> {
    match classify(token)? {
        Raw::Percent(v) => check_percent(v, token),
        other => Err(syntax(
            format!("expected a percentage such as `40%`, found {} `{token}`", describe(&other)),
            "write a percentage with `%`, e.g. `40%`",
        )),
    }
}

/// A duration (`30min`, `2h`, `3d`, `1w`), in whole minutes.
pub fn duration(token: &str) -> Result<u32, LitError> {
    match classify(token)? {
        Raw::Duration(m) => check_minutes(m, token),
        Raw::Number(_) => Err(syntax(
            format!("expected a duration such as `2h`, found the bare number `{token}`"),
            format!("add a unit: `{token}min`, `{token}h`, `{token}d` or `{token}w`"),
        )),
        other => Err(syntax(
            format!("expected a duration such as `2h`, found {} `{token}`", describe(&other)),
            "durations use `min`, `h`, `d` or `w`: `30min`, `2h`, `3d`, `1w`",
        )),
    }
}

/// The longest rollout: ten years, leap days included. A rollout lasts
/// weeks or months; the schedule lists every week of it.
pub const MAX_ROLLOUT_DAYS: u32 = 3653;

/// The `length` of a rollout: a duration of at most [`MAX_ROLLOUT_DAYS`].
pub fn rollout_length(token: &str) -> Result<u32, LitError> {
    let minutes = duration(token)?;
    if minutes > MAX_ROLLOUT_DAYS * 24 * 60 {
        return Err(invalid(
            format!("`{token}` is too long for a rollout"),
            format!("a rollout lasts at most ten years (`{MAX_ROLLOUT_DAYS}d`); most last about `100d`"),
        ));
    }
    Ok(minutes)
}

/// A rate (`40/day`).
pub fn rate(token: &str) -> Result<Rate, LitError> {
    match classify(token)? {
        Raw::Rate(value, per) if value < 0.0 => Err(invalid(
            format!("`{token}` is a negative rate"),
            format!("a rate counts things per {}; it cannot be negative", per.as_str()),
        )),
        Raw::Rate(value, per) => Ok(Rate { value, per }),
        other => Err(syntax(
            format!("expected a rate such as `10/month`, found {} `{token}`", describe(&other)),
            "write a rate as a number, `/` and a period: `40/day`, `5/week`, `20/month`",
        )),
    }
}

/// Hours a person gives per workday: `6h/day`, in minutes.
pub fn capacity(token: &str, per: Option<&str>) -> Result<u32, LitError> {
    let help = "write the working time each person gives per workday, e.g. `capacity 6h/day`";
    let per_day = per.is_some_and(|p| super::keywords::period(p) == Some(Period::Day));
    match (classify(token)?, per) {
        (Raw::DurationPer(m, Period::Day), None) | (Raw::Duration(m), Some(_))
            if (per.is_none() || per_day) && m > 24.0 * 60.0 =>
        {
            Err(invalid(
                format!("`{token}` is more than a day has"),
                "a person gives the process at most 24h per workday; most give 4h to 8h",
            ))
        }
        (Raw::DurationPer(m, Period::Day), None) => check_minutes(m, token),
        (Raw::Duration(m), Some(_)) if per_day => check_minutes(m, token),
        (Raw::DurationPer(_, p), None) => {
            Err(invalid(format!("capacity is counted per workday, not per {}", p.as_str()), help))
        }
        (Raw::Duration(_), Some(p)) => Err(invalid(format!("capacity is counted per workday, not per `{p}`"), help)),
        (other, _) => Err(syntax(
            format!("expected a duration per day such as `6h/day`, found {} `{token}`", describe(&other)),
            help,
        )),
    }
}

/// A whole, positive number of people.
pub fn headcount(token: &str) -> Result<u32, LitError> {
    match classify(token)? {
        Raw::Number(v) if v >= 1.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX) => Ok(v as u32),
        Raw::Number(_) => {
            Err(invalid(format!("`{token}` is not a number of people"), "a headcount is a whole number, at least 1"))
        }
        other => Err(syntax(
            format!("expected a number of people such as `3`, found {} `{token}`", describe(&other)),
            "write the headcount as a plain whole number",
        )),
    }
}

/// Workdays per month: `21/month`.
pub fn workdays(token: &str) -> Result<f64, LitError> {
    let r = rate(token)?;
    if r.per != Period::Month {
        return Err(invalid(
            format!("workdays are counted per month, not per {}", r.per.as_str()),
            "write the working days in a month, e.g. `workdays 21/month`",
        ));
    }
    if !(r.value > 0.0 && r.value <= 31.0) {
        return Err(invalid(
            format!("`{token}` is not a number of workdays in a month"),
            "a month has between 1 and 31 workdays",
        ));
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
        Raw::DurationPer(..) => Err(invalid(
            format!("`{token}` is not a target value"),
            "a target is a percentage, a duration, a rate or a number",
        )),
    }
}

/// A money amount's number part.
pub fn amount(token: &str) -> Result<f64, LitError> {
    match classify(token)? {
        Raw::Number(v) if v >= 0.0 => Ok(v),
        Raw::Number(_) => Err(invalid(format!("`{token}` is a negative amount"), "an amount of money is not negative")),
        other => Err(syntax(
            format!("expected an amount of money such as `250000 RUB`, found {} `{token}`", describe(&other)),
            "write the amount, a space, and an ISO 4217 currency code: `250000 RUB`",
        )),
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
    let help = "use an ISO 4217 currency code such as `RUB`, `EUR` or `USD`".to_string();
    Err(invalid(format!("unknown currency `{word}`"), help))
}

/// A period word after `/` in `revenue … /month`.
pub fn period_word(word: &str) -> Result<Period, LitError> {
    period(word, word)
}

/// A calendar date `YYYY-MM-DD`.
pub fn date(token: &str) -> Result<Date, LitError> {
    let bad = || invalid(format!("`{token}` is not a date"), "write dates as YYYY-MM-DD, e.g. `2027-01-11`");
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
        return Err(invalid(
            format!("`{token}` is not a day of the calendar"),
            "check the month and the day: months run 01–12 and have 28 to 31 days",
        ));
    }
    Ok(Date { year, month, day })
}

/// A problem inside a string: a bad escape at `offset..offset+len` of the
/// raw string content.
#[derive(Debug, Clone, PartialEq)]
pub struct EscapeError {
    pub offset: usize,
    pub len: usize,
    pub message: String,
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
            errors.push(EscapeError { offset: i, len: 1, message: "a lone `\\` ends the text".into() });
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
                            }),
                        }
                    }
                    None => errors.push(EscapeError {
                        offset: i,
                        len: 2,
                        message: "`\\u` must be followed by a hexadecimal code in braces, e.g. `\\u{263A}`".into(),
                    }),
                }
            }
            other => errors.push(EscapeError {
                offset: i,
                len: 1 + other.len_utf8(),
                message: format!("unknown escape `\\{other}`"),
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

/// The size of an exam: `questions 10`, a whole number from 1 (§6.4).
pub fn questions(token: &str) -> Result<u32, LitError> {
    match classify(token)? {
        Raw::Number(v) if v >= 1.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX) => Ok(v as u32),
        Raw::Number(_) => Err(invalid(
            format!("`{token}` is not a number of questions"),
            "an exam draws a whole number of questions, at least 1: `questions 10`",
        )),
        other => Err(syntax(
            format!("expected a number of questions such as `10`, found {} `{token}`", describe(&other)),
            "write the number of questions as a plain whole number",
        )),
    }
}

/// A country of a `holidays` line: one whose fixed public holidays the
/// project ships (§6.3).
pub fn country(word: &str) -> Result<crate::ast::Country, LitError> {
    match word {
        "RU" => Ok(crate::ast::Country::Ru),
        w if w.len() == 2 && w.chars().all(|c| c.is_ascii_uppercase()) => Err(invalid(
            format!("there is no holiday calendar for `{w}`"),
            "procdef knows Russia's fixed public holidays (`RU`); list other days off as dates: `holidays 2027-04-05`",
        )),
        w => Err(invalid(
            format!("`{w}` is neither a country code nor a date"),
            "write `RU` for Russia's fixed public holidays, or a date such as `2027-05-03`",
        )),
    }
}

/// The utilization limit of a plan: a percentage above 0 (§6.2).
pub fn utilization(token: &str) -> Result<f64, LitError> {
    let share = percent(token)?;
    if share <= 0.0 {
        return Err(invalid(
            format!("`{token}` leaves no working time at all"),
            "the utilization limit is the share of their hours people may spend on the process, e.g. `utilization 85%`",
        ));
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
