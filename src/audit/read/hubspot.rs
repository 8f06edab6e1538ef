//! HubSpot deals: the JSON of
//! `GET /crm/v3/objects/deals?propertiesWithHistory=dealstage` (one page,
//! an array of pages, or pages one after another as JSON lines), or a
//! deals CSV export with one row per deal and a "date entered" column per
//! stage. The first byte that is not white space tells them apart: `{` or
//! `[` is JSON, anything else CSV.
//!
//! JSON: each `results[].propertiesWithHistory.dealstage[]` entry is one
//! event: the deal's `results[].id` is the case, `value` the stage id,
//! `timestamp` the time (RFC 3339, or epoch milliseconds as a string or a
//! number), `updatedByUserId` the resource. HubSpot lists a deal's history
//! newest first; the audit sorts by time, and an entry's record number is
//! its 1-based ordinal among the entries of the file, in file order. A
//! page is held while it is read, never the whole file.
//!
//! CSV: the case is the column `Record ID`, `hs_object_id`, `Deal ID` or
//! `id`; each column `hs_v2_date_entered_<stage id>`,
//! `hs_date_entered_<stage id>` (left out when the `hs_v2_` column of the
//! same stage is there) or `Date entered "<stage label> (<pipeline
//! label>)"` gives one event per non-empty cell, named by the stage id or
//! the label. Its records are rows: the header is row 1.

use super::{JsonEnd, Options, Unreadable, csv::normalize, each_json_value, first_byte, json_text};
use crate::audit::log::{LogBuilder, ProblemKind};
use crate::emit::visible::visible;
use serde_json::Value;
use std::io::{BufReader, Read};

/// The warning of the CSV form.
pub const LATEST_ONLY: &str = "this HubSpot export has one date per stage, the latest entry into it: returns to a stage and repeated stages cannot be seen, and stages entered again are replayed in the order of their latest entries; export the deals with propertiesWithHistory=dealstage for the full path";

/// The case column of the CSV form, first match first.
const CASE_COLUMNS: [&str; 4] = ["Record ID", "hs_object_id", "Deal ID", "id"];

/// Reads a HubSpot log: JSON or CSV, as its first byte says.
pub fn read(input: impl Read, builder: &mut LogBuilder, options: &Options) -> Result<(), Unreadable> {
    let mut options = options.clone();
    options.time.epoch_millis = true;
    let mut input = BufReader::new(input);
    match first_byte(&mut input).map_err(|e| Unreadable(format!("the file cannot be read: {e}")))? {
        Some(b'{' | b'[') => read_json(input, builder, &options),
        Some(_) => read_wide(input, builder, &options),
        None => Err(Unreadable(
            "the file is empty: a HubSpot log is the JSON of the deals API or a deals CSV export".into(),
        )),
    }
}

struct Json<'a> {
    builder: &'a mut LogBuilder,
    options: &'a Options,
    /// Records so far: history entries, and deals without any.
    ordinal: u64,
    /// JSON values so far.
    values: u64,
}

fn read_json(input: impl Read, builder: &mut LogBuilder, options: &Options) -> Result<(), Unreadable> {
    let mut json = Json { builder, options, ordinal: 0, values: 0 };
    let end = each_json_value(
        input,
        "a HubSpot log is the JSON of GET /crm/v3/objects/deals?propertiesWithHistory=dealstage",
        |value| json.value(&value),
    )?;
    if let JsonEnd::Broken(why) = end {
        let after = json.ordinal;
        json.builder.broken(None, format!("{why} (after history entry {after}); the entries before are kept"));
    }
    Ok(())
}

impl Json<'_> {
    /// A page of deals (`{"results": [...]}`), or one deal.
    fn value(&mut self, value: &Value) {
        self.values += 1;
        if let Some(results) = value.get("results").and_then(Value::as_array) {
            for deal in results {
                self.deal(deal);
            }
        } else if value.get("propertiesWithHistory").is_some() {
            self.deal(value);
        } else {
            self.ordinal += 1;
            self.builder.problem(
                None,
                ProblemKind::MalformedRow,
                format!(
                    "JSON value {} is not a page of deals (it has no `results`) nor a deal (no `propertiesWithHistory`)",
                    self.values
                ),
            );
        }
    }

    fn deal(&mut self, deal: &Value) {
        let id = deal.get("id").and_then(json_text).filter(|s| !s.is_empty());
        let shown = id.as_deref().map_or_else(|| "without an id".to_string(), |id| format!("`{}`", visible(id)));
        let Some(history) = deal.pointer("/propertiesWithHistory/dealstage").and_then(Value::as_array) else {
            self.ordinal += 1;
            self.builder.problem(
                None,
                ProblemKind::MalformedRow,
                format!(
                    "deal {shown} has no propertiesWithHistory.dealstage: ask the API with ?propertiesWithHistory=dealstage"
                ),
            );
            return;
        };
        if history.is_empty() {
            self.ordinal += 1;
            self.builder.problem(None, ProblemKind::EmptyField, format!("deal {shown} has an empty dealstage history"));
            return;
        }
        for entry in history {
            self.ordinal += 1;
            let n = self.ordinal;
            let Some(case) = id.as_deref() else {
                self.builder.problem(
                    None,
                    ProblemKind::EmptyField,
                    format!("history entry {n} belongs to a deal without an id"),
                );
                continue;
            };
            let Some(stage) = entry.get("value").and_then(json_text).filter(|s| !s.is_empty()) else {
                self.builder.problem(
                    None,
                    ProblemKind::EmptyField,
                    format!("history entry {n} (deal {shown}) has no stage (`value`)"),
                );
                continue;
            };
            let Some(time) = entry.get("timestamp").and_then(json_text).filter(|s| !s.is_empty()) else {
                self.builder.problem(
                    None,
                    ProblemKind::EmptyField,
                    format!("history entry {n} (deal {shown}) has no `timestamp`"),
                );
                continue;
            };
            let Some(millis) = self.options.time.parse(&time) else {
                self.builder.problem(
                    None,
                    ProblemKind::BadTimestamp,
                    format!("history entry {n} (deal {shown}): `{}` is not a timestamp", visible(&time)),
                );
                continue;
            };
            let user = entry.get("updatedByUserId").and_then(json_text);
            self.builder.event(n, case, &stage, millis, user.as_deref(), None);
        }
    }
}

/// Whether a header is a "date entered" column of HubSpot's deals export.
pub fn names_a_stage(header: &str) -> bool {
    stage_of_header(header).is_some()
}

/// The stage a header of the CSV form names, and whether it is an
/// `hs_v2_` column.
fn stage_of_header(header: &str) -> Option<(String, bool)> {
    let lower = header.to_ascii_lowercase();
    for (prefix, v2) in [("hs_v2_date_entered_", true), ("hs_date_entered_", false)] {
        if lower.starts_with(prefix) && header.len() > prefix.len() {
            return Some((header[prefix.len()..].trim().to_string(), v2));
        }
    }
    if !normalize(header).starts_with("dateentered") {
        return None;
    }
    // `Date entered "Appointment Scheduled (Sales Pipeline)"`, with straight
    // or curly quotes.
    let open = header.find(['"', '\u{201c}', '\''])?;
    let rest = &header[open..];
    let quote = rest.chars().next()?;
    let inner = &rest[quote.len_utf8()..];
    let close = inner.rfind(['"', '\u{201d}', '\'']).unwrap_or(inner.len());
    let label = inner[..close].trim();
    let label = match label.strip_suffix(')').and_then(|l| l.rfind(" (").map(|i| &label[..i])) {
        Some(stage) if !stage.trim().is_empty() => stage.trim(),
        _ => label,
    };
    (!label.is_empty()).then(|| (label.to_string(), false))
}

fn read_wide(input: impl Read, builder: &mut LogBuilder, options: &Options) -> Result<(), Unreadable> {
    builder.set_has_rows(true);
    let mut reader =
        ::csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(options.delimiter).from_reader(input);
    let mut record = ::csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => {}
        Ok(false) => return Err(Unreadable("the file is empty".into())),
        Err(e) => return Err(Unreadable(format!("the header row cannot be read: {e}"))),
    }
    let headers: Vec<String> =
        record.iter().map(|h| String::from_utf8_lossy(h).trim_start_matches('\u{feff}').trim().to_string()).collect();
    let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    let wanted = options.columns.case.as_deref().map(normalize);
    let case = match &wanted {
        Some(w) => normalized.iter().position(|h| h == w),
        None => CASE_COLUMNS.iter().find_map(|c| normalized.iter().position(|h| *h == normalize(c))),
    };
    let mut stages: Vec<(usize, String, bool)> =
        headers.iter().enumerate().filter_map(|(i, h)| stage_of_header(h).map(|(s, v2)| (i, s, v2))).collect();
    let v2: Vec<String> = stages.iter().filter(|s| s.2).map(|s| s.1.clone()).collect();
    stages.retain(|s| s.2 || !v2.contains(&s.1));
    let shown = || {
        if headers.is_empty() { "no fields".to_string() } else { format!("`{}`", headers.join("`, `")) }
    };
    let Some(case) = case else {
        return Err(Unreadable(match &options.columns.case {
            Some(name) => format!(
                "no column is named `{name}` (given with --columns case={name}); the header row has {}",
                shown()
            ),
            None => format!(
                "it is neither the JSON of the HubSpot deals API nor a deals export with a `Record ID` column; the header row has {}",
                shown()
            ),
        }));
    };
    if stages.is_empty() {
        return Err(Unreadable(format!(
            "this HubSpot export has no \"date entered\" column (`hs_v2_date_entered_<stage id>`, `hs_date_entered_<stage id>` or `Date entered \"<stage> (<pipeline>)\"`); the header row has {}",
            shown()
        )));
    }
    builder.warning(LATEST_ONLY);
    let width = headers.len();
    let mut row: u64 = 1;
    loop {
        row += 1;
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                builder.broken(Some(row), format!("the file cannot be read past row {row}: {e}"));
                break;
            }
        }
        if record.len() != width {
            builder.problem(
                Some(row),
                ProblemKind::MalformedRow,
                format!("row {row} has {} fields where the header has {width}", record.len()),
            );
            continue;
        }
        let field = |i: usize| record.get(i).map(std::str::from_utf8);
        let Some(Ok(id)) = field(case) else {
            builder.problem(Some(row), ProblemKind::MalformedRow, format!("row {row} is not UTF-8 text"));
            continue;
        };
        let id = id.trim();
        if id.is_empty() {
            builder.problem(Some(row), ProblemKind::EmptyField, format!("row {row} has an empty {}", headers[case]));
            continue;
        }
        let mut any = false;
        for (column, stage, _) in &stages {
            let Some(Ok(cell)) = field(*column) else {
                any = true;
                builder.problem(Some(row), ProblemKind::MalformedRow, format!("row {row} is not UTF-8 text"));
                continue;
            };
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            any = true;
            match options.time.parse(cell) {
                Some(millis) => builder.event(row, id, stage, millis, None, None),
                None => builder.problem(
                    Some(row),
                    ProblemKind::BadTimestamp,
                    format!("row {row}, {}: `{}` is not a timestamp", headers[*column], visible(cell)),
                ),
            }
        }
        if !any {
            builder.problem(Some(row), ProblemKind::EmptyField, format!("row {row} has no date entered in any stage"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::log::Log;

    fn read_text(text: &str) -> Result<Log, Unreadable> {
        let mut b = LogBuilder::new();
        b.start_file("deals", super::super::has_rows(super::super::Form::Hubspot));
        read(text.as_bytes(), &mut b, &Options::default())?;
        Ok(b.finish())
    }

    fn events(log: &Log) -> Vec<(String, String, i64, u32, Option<String>)> {
        log.tuples()
    }

    const PAGE: &str = r#"{"results": [
  {"id": "101", "properties": {"dealstage": "closedwon"},
   "propertiesWithHistory": {"dealstage": [
     {"value": "closedwon", "timestamp": "2027-03-02T09:00:00.000Z", "sourceType": "CRM_UI", "updatedByUserId": 7},
     {"value": "appointmentscheduled", "timestamp": "1803114000000", "sourceType": "CRM_UI"}
   ]}, "createdAt": "2027-03-01T09:00:00Z", "archived": false},
  {"id": 102, "propertiesWithHistory": {"dealstage": [
     {"value": "appointmentscheduled", "timestamp": 1803114000000}]}}
 ], "paging": {"next": {"after": "2"}}}"#;

    #[test]
    fn pages_give_every_entry_of_every_deal() {
        let t = |s: &str| Options::default().time.parse(s).expect("time");
        let one = read_text(PAGE).expect("one page");
        let expected = [
            ("101".to_string(), "closedwon".to_string(), t("2027-03-02T09:00:00Z"), 1, Some("7".to_string())),
            ("101".into(), "appointmentscheduled".into(), t("2027-02-20T09:00:00Z"), 2, None),
            ("102".into(), "appointmentscheduled".into(), t("2027-02-20T09:00:00Z"), 3, None),
        ];
        assert_eq!(events(&one), expected);
        assert!(one.problems.is_empty(), "{:?}", one.problems);
        assert!(!one.files[0].has_rows);

        let lines = format!("{}\n{}\n", PAGE.replace('\n', " "), PAGE.replace('\n', " ").replace("10", "20"));
        let array = format!("[{PAGE},\n{}]", PAGE.replace("10", "20"));
        for text in [lines, array] {
            let log = read_text(&text).expect("pages");
            assert_eq!(log.cases, ["101", "102", "201", "202"]);
            assert_eq!(log.events.iter().map(|e| e.row).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6]);
        }
    }

    #[test]
    fn bad_entries_are_problems_and_a_break_keeps_the_pages_before() {
        let text = r#"[{"results": [
  {"id": "1", "propertiesWithHistory": {"dealstage": [
    {"value": "", "timestamp": "2027-03-01T09:00:00Z"},
    {"value": "s", "timestamp": "yesterday"},
    {"value": "s"},
    {"value": "s", "timestamp": "2027-03-01T09:00:00Z"}]}},
  {"propertiesWithHistory": {"dealstage": [{"value": "s", "timestamp": "2027-03-01T09:00:00Z"}]}},
  {"id": "3", "properties": {}}]},
 {"total": 0},
 {"results": [{"id": "4", "propertiesWithHistory": {"dealstage": [{"value": "s", "timestamp": "2027-03-01T09:00:00Z"}]}}]},
 {"results": [{"id": "5", "propertiesWithHistory": {"dealstage": [{"value": "s", "timest"#;
        let log = read_text(text).expect("readable up to the break");
        let problems: Vec<_> = log.problems.iter().map(|p| (p.kind, p.message.as_str())).collect();
        assert_eq!(
            problems[..6],
            [
                (ProblemKind::EmptyField, "history entry 1 (deal `1`) has no stage (`value`)"),
                (ProblemKind::BadTimestamp, "history entry 2 (deal `1`): `yesterday` is not a timestamp"),
                (ProblemKind::EmptyField, "history entry 3 (deal `1`) has no `timestamp`"),
                (ProblemKind::EmptyField, "history entry 5 belongs to a deal without an id"),
                (
                    ProblemKind::MalformedRow,
                    "deal `3` has no propertiesWithHistory.dealstage: ask the API with ?propertiesWithHistory=dealstage"
                ),
                (
                    ProblemKind::MalformedRow,
                    "JSON value 2 is not a page of deals (it has no `results`) nor a deal (no `propertiesWithHistory`)"
                ),
            ]
        );
        let broken = &log.problems[6];
        assert!(
            broken.message.starts_with(
                "the JSON cannot be read past line 11, column 88: EOF while parsing a string (after history entry 8)"
            ),
            "{}",
            broken.message
        );
        assert_eq!(log.cases, ["1", "4"]);
        assert_eq!(log.events.iter().map(|e| e.row).collect::<Vec<_>>(), [4, 8]);
        assert_eq!(log.rows, log.events.len() as u64 + log.skipped());
        assert_eq!(log.rows, 8);
    }

    #[test]
    fn the_wide_export_gives_one_event_per_date_and_warns() {
        let text = "Record ID,Deal Name,hs_date_entered_qualify,hs_v2_date_entered_qualify,hs_v2_date_entered_closedwon,Date entered \"Offer made (Sales Pipeline)\",Date exited \"Offer made (Sales Pipeline)\"\n\
                    11,Acme,2020-01-01,2027-03-02 09:00,2027-03-05,2027-03-03T10:00:00Z,2027-03-05\n\
                    12,Beta,,,,,\n\
                    ,Gamma,,2027-03-02,,,\n\
                    14,Delta,,soon,1803114000000,,\n\
                    15,Eps\n";
        let log = read_text(text).expect("readable");
        let t = |s: &str| Options::default().time.parse(s).expect("time");
        assert_eq!(
            events(&log),
            [
                ("11".to_string(), "qualify".to_string(), t("2027-03-02T09:00:00Z"), 2, None),
                ("11".into(), "closedwon".into(), t("2027-03-05T00:00:00Z"), 2, None),
                ("11".into(), "Offer made".into(), t("2027-03-03T10:00:00Z"), 2, None),
                ("14".into(), "closedwon".into(), t("2027-02-20T09:00:00Z"), 5, None),
            ]
        );
        let problems: Vec<_> = log.problems.iter().map(|p| (p.row, p.kind)).collect();
        assert_eq!(
            problems,
            [
                (None, ProblemKind::Warning),
                (Some(3), ProblemKind::EmptyField),
                (Some(4), ProblemKind::EmptyField),
                (Some(5), ProblemKind::BadTimestamp),
                (Some(6), ProblemKind::MalformedRow),
            ]
        );
        assert_eq!(log.problems[0].message, LATEST_ONLY);
        assert!(log.files[0].has_rows);
        assert_eq!(log.rows, log.events.len() as u64 + log.skipped());
    }

    #[test]
    fn headers_name_stages() {
        assert_eq!(stage_of_header("hs_v2_date_entered_123456"), Some(("123456".into(), true)));
        assert_eq!(stage_of_header("HS_DATE_ENTERED_closedwon"), Some(("closedwon".into(), false)));
        assert_eq!(
            stage_of_header("Date entered \u{201c}Demo (booked) (Sales)\u{201d}"),
            Some(("Demo (booked)".into(), false))
        );
        assert_eq!(stage_of_header("Date entered 'Won'"), Some(("Won".into(), false)));
        assert_eq!(stage_of_header("hs_v2_date_exited_123"), None);
        assert_eq!(stage_of_header("Date exited \"Won (Sales)\""), None);
    }

    #[test]
    fn what_is_neither_is_unreadable() {
        for (text, said) in [
            ("", "the file is empty"),
            ("  \n", "the file is empty"),
            ("{\"results\": ", "it is not JSON"),
            ("Deal Name,Amount\nAcme,5\n", "nor a deals export with a `Record ID` column"),
            ("Record ID,Amount\n1,5\n", "no \"date entered\" column"),
        ] {
            let e = read_text(text).expect_err(text);
            assert!(e.0.contains(said), "{text:?}: {e}");
        }
    }
}
