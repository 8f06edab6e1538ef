//! The log readers: one module per input form of AUDIT.md §1. Each reads a
//! stream (never the whole file into memory) and feeds a [`LogBuilder`];
//! a record it cannot use is a problem with its row, and only a stream
//! that cannot be read at all is an error.

pub mod csv;
pub mod hubspot;
pub mod pipedrive;
pub mod xes;

use super::log::LogBuilder;
use super::time::TimeReader;
use std::fmt;
use std::io::{BufRead, BufReader, Read};

/// The input forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Csv,
    Xes,
    Salesforce,
    Hubspot,
    Pipedrive,
}

impl Form {
    pub fn name(self) -> &'static str {
        match self {
            Form::Csv => "csv",
            Form::Xes => "xes",
            Form::Salesforce => "salesforce",
            Form::Hubspot => "hubspot",
            Form::Pipedrive => "pipedrive",
        }
    }

    /// The form a file name suggests: `.csv`, `.xes`, `.xes.gz`; `None` for
    /// the others, which need `--log-format`.
    pub fn from_name(name: &str) -> Option<Form> {
        let lower = name.to_lowercase();
        if lower.ends_with(".xes") || lower.ends_with(".xes.gz") {
            Some(Form::Xes)
        } else if lower.ends_with(".csv") || lower.ends_with(".csv.gz") {
            Some(Form::Csv)
        } else {
            None
        }
    }
}

/// Column names given with `--columns`, overriding the header aliases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    pub case: Option<String>,
    pub stage: Option<String>,
    pub time: Option<String>,
    pub resource: Option<String>,
    pub role: Option<String>,
}

impl Columns {
    /// Reads `case=NAME,stage=NAME,time=NAME,resource=NAME,role=NAME`.
    pub fn parse(text: &str) -> Result<Columns, String> {
        let mut c = Columns::default();
        for part in text.split(',').filter(|p| !p.trim().is_empty()) {
            let Some((key, value)) = part.split_once('=') else {
                return Err(format!("`{part}` is not FIELD=NAME; the fields are case, stage, time, resource, role"));
            };
            let value = Some(value.trim().to_string());
            match key.trim() {
                "case" => c.case = value,
                "stage" => c.stage = value,
                "time" => c.time = value,
                "resource" => c.resource = value,
                "role" => c.role = value,
                other => {
                    return Err(format!("`{other}` is not a field; the fields are case, stage, time, resource, role"));
                }
            }
        }
        Ok(c)
    }
}

/// How to read a log.
#[derive(Debug, Clone)]
pub struct Options {
    pub columns: Columns,
    pub delimiter: u8,
    pub time: TimeReader,
}

impl Default for Options {
    fn default() -> Options {
        Options { columns: Columns::default(), delimiter: b',', time: TimeReader::default() }
    }
}

/// A log that cannot be read at all: exit 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unreadable {}

/// Reads one log file of a known form into `builder` (which must have
/// been told the file with [`LogBuilder::start_file`], with [`has_rows`] of
/// the form; a reader that learns otherwise from the content says so with
/// [`LogBuilder::set_has_rows`]).
pub fn read(
    form: Form,
    input: impl Read + Send,
    builder: &mut LogBuilder,
    options: &Options,
) -> Result<(), Unreadable> {
    match form {
        Form::Csv => csv::read(input, builder, options, &csv::GENERIC),
        Form::Salesforce => csv::read(input, builder, options, &csv::SALESFORCE),
        Form::Xes => xes::read(input, builder, options),
        Form::Hubspot => hubspot::read(input, builder, options),
        Form::Pipedrive => pipedrive::read(input, builder, options),
    }
}

/// Whether a form's records are rows a person finds by number. HubSpot's
/// JSON has none; its CSV export has, and its reader says so.
pub fn has_rows(form: Form) -> bool {
    matches!(form, Form::Csv | Form::Salesforce)
}

/// The first byte of a stream that is not white space or a byte-order
/// mark, left unread; `None` for a stream with nothing else.
pub(crate) fn first_byte(input: &mut impl BufRead) -> std::io::Result<Option<u8>> {
    let mut start = true;
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        if start && buf.starts_with(b"\xEF\xBB\xBF") {
            input.consume(3);
            start = false;
            continue;
        }
        start = false;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let b = buf[i];
                input.consume(i);
                return Ok(Some(b));
            }
            None => {
                let n = buf.len();
                input.consume(n);
            }
        }
    }
}

/// How a stream of JSON values ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JsonEnd {
    /// Every value was read.
    Done,
    /// The JSON broke after some values: the message says where.
    Broken(String),
}

/// Calls `each` with every value of a JSON stream, one at a time: the
/// items of a top-level array, or each of a sequence of values (one value,
/// JSON lines, or values one after another). Only one item is held at a
/// time, so a file of many pages is never held whole. A stream whose first
/// value does not parse is [`Unreadable`]; one that breaks later ends with
/// [`JsonEnd::Broken`], the values before kept.
pub(crate) fn each_json_value(
    input: impl Read,
    what: &str,
    mut each: impl FnMut(serde_json::Value),
) -> Result<JsonEnd, Unreadable> {
    use serde::de::Deserializer as _;
    let mut input = BufReader::new(input);
    let first = first_byte(&mut input).map_err(|e| Unreadable(format!("the file cannot be read: {e}")))?;
    let broken = |e: &serde_json::Error| {
        let text = e.to_string();
        let why = text.rfind(" at line ").map_or(text.as_str(), |i| &text[..i]);
        JsonEnd::Broken(format!("the JSON cannot be read past line {}, column {}: {why}", e.line(), e.column()))
    };
    let mut seen = 0u64;
    match first {
        None => Err(Unreadable(format!("the file is empty: {what}"))),
        Some(b'[') => {
            let mut de = serde_json::Deserializer::from_reader(input);
            let result = de.deserialize_seq(Items { seen: &mut seen, each: &mut each });
            let result = result.and_then(|()| de.end());
            match result {
                Ok(()) => Ok(JsonEnd::Done),
                Err(e) if seen == 0 => Err(Unreadable(format!("it is not JSON ({e}): {what}"))),
                Err(e) => Ok(broken(&e)),
            }
        }
        Some(b'{') => {
            for value in serde_json::Deserializer::from_reader(input).into_iter::<serde_json::Value>() {
                match value {
                    Ok(v) => {
                        seen += 1;
                        each(v);
                    }
                    Err(e) if seen == 0 => {
                        return Err(Unreadable(format!("it is not JSON ({e}): {what}")));
                    }
                    Err(e) => return Ok(broken(&e)),
                }
            }
            Ok(JsonEnd::Done)
        }
        Some(_) => Err(Unreadable(format!("it is not JSON (it does not start with `{{` or `[`): {what}"))),
    }
}

struct Items<'a, F> {
    seen: &'a mut u64,
    each: &'a mut F,
}

impl<'de, F: FnMut(serde_json::Value)> serde::de::Visitor<'de> for Items<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<serde_json::Value>()? {
            *self.seen += 1;
            (self.each)(v);
        }
        Ok(())
    }
}

/// A JSON scalar as text: strings as they are, numbers written out;
/// `None` for null, objects and arrays.
pub(crate) fn json_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    //! The conformance log of AUDIT.md written in every form
    //! (`tests/fixtures/audit/forms/`) gives the same events.
    use super::*;
    use crate::audit::log::{Log, ProblemKind};
    use crate::audit::names::crm_stages;

    const FORMS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/audit/forms/");

    fn read_bytes(form: Form, name: &str, bytes: &[u8]) -> Log {
        let mut b = LogBuilder::new();
        b.start_file(name, has_rows(form));
        if name.ends_with(".gz") {
            read(form, flate2::read::MultiGzDecoder::new(bytes), &mut b, &Options::default())
        } else {
            read(form, bytes, &mut b, &Options::default())
        }
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        b.finish()
    }

    /// The events as (case number, stage in lower case, time, resource),
    /// with CRM ids turned into labels and tiny.proc's titles into ids, in
    /// time order per case.
    fn events(log: &Log, labels: &[(String, String)]) -> Vec<(u32, String, i64, Option<String>)> {
        let mut e: Vec<_> = log
            .events
            .iter()
            .map(|e| {
                let name = &log.names[e.name as usize].text;
                let label = labels.iter().find(|(id, _)| id == name).map_or(name, |(_, label)| label);
                // The stage `qualify` of tiny.proc is titled "Qualification".
                let stage = match label.to_lowercase().as_str() {
                    "qualification" => "qualify".to_string(),
                    other => other.to_string(),
                };
                (e.case, stage, e.time, log.resource(e.resource).map(str::to_string))
            })
            .collect();
        e.sort_by_key(|e| (e.0, e.2));
        e
    }

    fn without_resources(e: Vec<(u32, String, i64, Option<String>)>) -> Vec<(u32, String, i64)> {
        e.into_iter().map(|(c, s, t, _)| (c, s, t)).collect()
    }

    fn counts(log: &Log) -> (u64, usize, u64, Vec<ProblemKind>) {
        let kinds = log.problems.iter().filter(|p| p.kind != ProblemKind::Warning).map(|p| p.kind).collect();
        (log.rows, log.events.len(), log.skipped(), kinds)
    }

    #[test]
    fn every_form_of_the_conformance_log_gives_the_same_events() {
        let file = |name: &str| std::fs::read(format!("{FORMS}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"));
        let csv = read_bytes(Form::Csv, "log.csv", &file("log.csv"));
        let expected = events(&csv, &[]);
        assert_eq!(expected.len(), 26);
        assert_eq!(counts(&csv), (28, 26, 2, vec![ProblemKind::BadTimestamp, ProblemKind::MalformedRow]));
        let hubspot_ids = crm_stages(&String::from_utf8_lossy(&file("hubspot-stages.json"))).expect("stages");
        let pipedrive_ids = crm_stages(&String::from_utf8_lossy(&file("pipedrive-stages.json"))).expect("stages");
        let salesforce = [
            ("0055g00000AbCd1AAA".to_string(), "rep-1".to_string()),
            ("0055g00000AbCd2AAA".to_string(), "rep-2".to_string()),
        ];
        for (form, name, labels) in [
            (Form::Xes, "log.xes", &[][..]),
            (Form::Xes, "log.xes.gz", &[][..]),
            (Form::Salesforce, "salesforce-opportunityhistory.csv", &[][..]),
            (Form::Hubspot, "hubspot-deals.json", &hubspot_ids[..]),
            (Form::Hubspot, "hubspot-deals.jsonl", &hubspot_ids[..]),
            (Form::Pipedrive, "pipedrive-flows.json", &pipedrive_ids[..]),
            (Form::Pipedrive, "pipedrive-flows.jsonl", &pipedrive_ids[..]),
        ] {
            let log = read_bytes(form, name, &file(name));
            let (rows, events_read, skipped, kinds) = counts(&log);
            assert_eq!((rows, events_read, skipped, kinds.len()), (28, 26, 2, 2), "{name}: {:?}", log.problems);
            assert!(log.problems.iter().all(|p| p.kind != ProblemKind::Warning), "{name}: {:?}", log.problems);
            let got = events(&log, labels);
            match form {
                Form::Xes => assert_eq!(got, expected, "{name}"),
                Form::Salesforce => {
                    let people: Vec<_> = got
                        .iter()
                        .map(|(c, s, t, r)| {
                            let r =
                                r.as_ref().and_then(|r| salesforce.iter().find(|(id, _)| id == r)).map(|p| p.1.clone());
                            (*c, s.clone(), *t, r)
                        })
                        .collect();
                    assert_eq!(people, expected, "{name}");
                    assert!(log.files[0].has_rows);
                }
                _ => {
                    assert_eq!(without_resources(got), without_resources(expected.clone()), "{name}");
                    assert!(!log.files[0].has_rows, "{name}");
                }
            }
        }
    }

    #[test]
    fn the_wide_hubspot_export_gives_the_latest_entry_into_each_stage() {
        let file = |name: &str| std::fs::read(format!("{FORMS}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"));
        let csv = read_bytes(Form::Csv, "log.csv", &file("log.csv"));
        let mut latest: Vec<(u32, String, i64)> = Vec::new();
        for (case, stage, time) in without_resources(events(&csv, &[])) {
            latest.retain(|(c, s, _)| !(*c == case && *s == stage));
            latest.push((case, stage, time));
        }
        latest.sort_by_key(|e| (e.0, e.2));
        let labels = crm_stages(&String::from_utf8_lossy(&file("hubspot-stages.json"))).expect("stages");
        let log = read_bytes(Form::Hubspot, "hubspot-deals.csv", &file("hubspot-deals.csv"));
        assert_eq!(without_resources(events(&log, &labels)), latest);
        assert!(latest.len() < 26, "returns and repeats are lost");
        assert_eq!(log.problems[0].message, hubspot::LATEST_ONLY);
        assert_eq!(log.problems.iter().filter_map(|p| p.row).collect::<Vec<_>>(), [8], "G7's bad date, row 8");
        assert_eq!(log.rows, log.events.len() as u64 + log.skipped());
        assert!(log.files[0].has_rows);
    }
}
