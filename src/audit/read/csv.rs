//! CSV event logs, and Salesforce's `OpportunityHistory` export: a header
//! row, then one row per event. Columns are found by header name, ignoring
//! case, spaces, `_` and `:` (AUDIT.md §1); `--columns` overrides any.

use super::{Options, Unreadable};
use crate::audit::log::{LogBuilder, Millis, ProblemKind};
use std::io::Read;

/// The accepted headers of each field, first match first.
pub struct Aliases {
    pub case: &'static [&'static str],
    pub stage: &'static [&'static str],
    pub time: &'static [&'static str],
    pub resource: &'static [&'static str],
    pub role: &'static [&'static str],
}

/// The headers of AUDIT.md §1.
pub const GENERIC: Aliases = Aliases {
    case: &["case_id", "case", "deal_id", "deal", "opportunity_id", "OpportunityId", "record_id", "concept:case"],
    stage: &["stage", "stage_name", "StageName", "activity", "concept:name"],
    time: &["timestamp", "time", "time:timestamp", "date", "CreatedDate", "changed_at"],
    resource: &["resource", "org:resource", "owner", "user", "CreatedById"],
    role: &["role", "org:role"],
};

/// `OpportunityHistory`: its own columns first, then the generic ones.
/// Data Loader and the REST API write the field names (`OPPORTUNITYID`,
/// `STAGENAME`, `CREATEDDATE`, `CREATEDBYID`; case does not matter); an
/// "Opportunity History" report writes labels (`Opportunity ID`, `To
/// Stage` or `Stage`, `Edit Date` or `Last Modified`, `Edited By`).
pub const SALESFORCE: Aliases = Aliases {
    case: &["OpportunityId", "Opportunity.Id", "Opportunity ID"],
    stage: &["StageName", "To Stage", "Stage", "Stage Name"],
    time: &["CreatedDate", "Created Date", "Edit Date", "Last Modified", "Last Modified Date", "SystemModstamp"],
    resource: &["CreatedById", "CreatedBy.Name", "Created By", "Edited By", "Last Modified By"],
    role: &["role"],
};

/// A header as it is compared: lower case, without spaces, `_` and `:`.
pub fn normalize(header: &str) -> String {
    header.chars().filter(|c| !matches!(c, ' ' | '_' | ':' | '\t')).flat_map(char::to_lowercase).collect()
}

fn find(headers: &[String], wanted: Option<&str>, aliases: &[&str], fallback: &[&str]) -> Option<usize> {
    let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    if let Some(w) = wanted {
        let w = normalize(w);
        return normalized.iter().position(|h| *h == w);
    }
    aliases.iter().chain(fallback).find_map(|a| {
        let a = normalize(a);
        normalized.iter().position(|h| *h == a)
    })
}

/// The field positions of a header row.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub case: usize,
    pub stage: usize,
    pub time: usize,
    pub resource: Option<usize>,
    pub role: Option<usize>,
    pub width: usize,
}

/// Finds the columns, or says which are missing and what the header holds.
pub fn layout(headers: &[String], options: &Options, aliases: &Aliases) -> Result<Layout, Unreadable> {
    let c = &options.columns;
    let fallback =
        |a: &'static [&'static str], g: &'static [&'static str]| if std::ptr::eq(a, g) { &[][..] } else { g };
    let case = find(headers, c.case.as_deref(), aliases.case, fallback(aliases.case, GENERIC.case));
    let stage = find(headers, c.stage.as_deref(), aliases.stage, fallback(aliases.stage, GENERIC.stage));
    let time = find(headers, c.time.as_deref(), aliases.time, fallback(aliases.time, GENERIC.time));
    let resource = find(headers, c.resource.as_deref(), aliases.resource, fallback(aliases.resource, GENERIC.resource));
    let role = find(headers, c.role.as_deref(), aliases.role, fallback(aliases.role, GENERIC.role));
    let mut missing = Vec::new();
    for (field, found, given, accepted) in [
        ("case", case, &c.case, aliases.case),
        ("stage", stage, &c.stage, aliases.stage),
        ("time", time, &c.time, aliases.time),
    ] {
        if found.is_none() {
            missing.push(match given {
                Some(name) => format!("no column is named `{name}` (given with --columns {field}={name})"),
                None => format!("no {field} column (a header such as `{}`)", accepted[0]),
            });
        }
    }
    for (field, given, found) in [("resource", &c.resource, resource), ("role", &c.role, role)] {
        if let (Some(name), None) = (given, found) {
            missing.push(format!("no column is named `{name}` (given with --columns {field}={name})"));
        }
    }
    match (case, stage, time) {
        (Some(case), Some(stage), Some(time)) if missing.is_empty() => {
            Ok(Layout { case, stage, time, resource, role, width: headers.len() })
        }
        _ => {
            // One field holding another separator: the wrong delimiter.
            let other = match headers {
                [one] => [';', '\t', '|', ',']
                    .into_iter()
                    .find(|d| one.contains(*d) && *d as u32 != u32::from(options.delimiter)),
                _ => None,
            };
            let hint = match other {
                Some('\t') => "; the fields seem to be separated by tabs: give --delimiter tab".to_string(),
                Some(d) => format!("; the fields seem to be separated by `{d}`: give --delimiter '{d}'"),
                None => "; name the columns with --columns case=NAME,stage=NAME,time=NAME".to_string(),
            };
            Err(Unreadable(format!(
                "{}; the header row has {}{hint}",
                missing.join(", "),
                if headers.is_empty() { "no fields".to_string() } else { format!("`{}`", headers.join("`, `")) }
            )))
        }
    }
}

/// Reads a CSV log.
pub fn read(
    input: impl Read + Send,
    builder: &mut LogBuilder,
    options: &Options,
    aliases: &Aliases,
) -> Result<(), Unreadable> {
    let mut reader =
        ::csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(options.delimiter).from_reader(input);
    let mut record = ::csv::ByteRecord::new();
    let header = match reader.read_byte_record(&mut record) {
        Ok(true) => record.clone(),
        Ok(false) => return Err(Unreadable("the file is empty: a CSV log starts with a header row".into())),
        Err(e) => return Err(Unreadable(format!("the header row cannot be read: {e}"))),
    };
    let headers: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = String::from_utf8_lossy(h);
            let h = if i == 0 { h.trim_start_matches('\u{feff}') } else { &h };
            h.trim().to_string()
        })
        .collect();
    let layout = layout(&headers, options, aliases).map_err(|Unreadable(why)| {
        // A HubSpot deals export read as a plain CSV (its name ends in .csv).
        if headers.iter().any(|h| super::hubspot::names_a_stage(h)) {
            Unreadable(format!("{why}; this looks like a HubSpot deals export: give --log-format hubspot"))
        } else {
            Unreadable(why)
        }
    })?;
    // A row is a record: the header is row 1, and blank lines, which the
    // csv crate skips, are not counted (docs/audit-logs.md).
    //
    // Two threads: this one parses the rows and their timestamps, the
    // other interns the fields into the log, batch by batch, in order.
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Batch>(8);
        scope.spawn(move || {
            let mut row: u64 = 1;
            let mut batch = Batch::default();
            loop {
                row += 1;
                match reader.read_byte_record(&mut record) {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(e) => {
                        // An I/O error or broken UTF-8 inside quotes ends
                        // the file; what was read is kept.
                        let message = format!("the file cannot be read past row {row}: {e}");
                        batch.items.push(Item::Broken { row, message });
                        break;
                    }
                }
                batch.push(row, parse_record(row, &record, &layout, options));
                if batch.items.len() == BATCH && send.send(std::mem::take(&mut batch)).is_err() {
                    return;
                }
            }
            let _ = send.send(batch);
        });
        for batch in receive {
            batch.add_to(builder);
        }
    });
    Ok(())
}

/// Rows handed from the parsing thread to the interning one at a time.
const BATCH: usize = 4096;

/// Parsed rows: their text fields in one buffer.
#[derive(Default)]
struct Batch {
    text: String,
    items: Vec<Item>,
}

type Span = (u32, u32);

enum Item {
    Event { row: u64, case: Span, stage: Span, time: Millis, resource: Option<Span>, role: Option<Span> },
    Problem { row: u64, kind: ProblemKind, message: String },
    Broken { row: u64, message: String },
}

impl Batch {
    fn keep(&mut self, text: &str) -> Span {
        let start = self.text.len() as u32;
        self.text.push_str(text);
        (start, self.text.len() as u32)
    }

    fn push(&mut self, row: u64, parsed: Result<Parsed<'_>, (ProblemKind, String)>) {
        let item = match parsed {
            Ok(p) => Item::Event {
                row,
                case: self.keep(p.case),
                stage: self.keep(p.stage),
                time: p.time,
                resource: p.resource.map(|r| self.keep(r)),
                role: p.role.map(|r| self.keep(r)),
            },
            Err((kind, message)) => Item::Problem { row, kind, message },
        };
        self.items.push(item);
    }

    fn add_to(self, builder: &mut LogBuilder) {
        let text = |(a, b): Span| self.text.get(a as usize..b as usize).unwrap_or("");
        for item in self.items {
            match item {
                Item::Event { row, case, stage, time, resource, role } => {
                    builder.event(row, text(case), text(stage), time, resource.map(text), role.map(text))
                }
                Item::Problem { row, kind, message } => builder.problem(Some(row), kind, message),
                Item::Broken { row, message } => builder.broken(Some(row), message),
            }
        }
    }
}

/// The fields of a row that is an event.
pub struct Parsed<'r> {
    pub case: &'r str,
    pub stage: &'r str,
    pub time: Millis,
    pub resource: Option<&'r str>,
    pub role: Option<&'r str>,
}

/// Reads one data row: its event's fields, or what is wrong with it.
pub fn parse_record<'r>(
    row: u64,
    record: &'r ::csv::ByteRecord,
    layout: &Layout,
    options: &Options,
) -> Result<Parsed<'r>, (ProblemKind, String)> {
    if record.len() != layout.width {
        return Err((
            ProblemKind::MalformedRow,
            format!("row {row} has {} where the header has {}", fields(record.len()), layout.width),
        ));
    }
    let field = |i: usize| record.get(i).map(std::str::from_utf8);
    let (Some(Ok(case)), Some(Ok(stage)), Some(Ok(time))) =
        (field(layout.case), field(layout.stage), field(layout.time))
    else {
        return Err((ProblemKind::MalformedRow, format!("row {row} is not UTF-8 text")));
    };
    let (case, stage, time) = (case.trim(), stage.trim(), time.trim());
    for (name, value) in [("case", case), ("stage", stage), ("time", time)] {
        if value.is_empty() {
            return Err((ProblemKind::EmptyField, format!("row {row} has an empty {name}")));
        }
    }
    let Some(millis) = options.time.parse(time) else {
        return Err((
            ProblemKind::BadTimestamp,
            format!("row {row}: `{}` is not a timestamp", crate::emit::visible::visible(time)),
        ));
    };
    let text =
        |i: Option<usize>| i.and_then(|i| record.get(i)).and_then(|f| std::str::from_utf8(f).ok()).map(str::trim);
    Ok(Parsed { case, stage, time: millis, resource: text(layout.resource), role: text(layout.role) })
}

fn fields(n: usize) -> String {
    if n == 1 { "1 field".to_string() } else { format!("{n} fields") }
}

/// Adds one data row: an event, or a problem with its row.
pub fn add_record(builder: &mut LogBuilder, row: u64, record: &::csv::ByteRecord, layout: &Layout, options: &Options) {
    match parse_record(row, record, layout, options) {
        Ok(p) => builder.event(row, p.case, p.stage, p.time, p.resource, p.role),
        Err((kind, message)) => builder.problem(Some(row), kind, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str, options: &Options) -> Result<crate::audit::log::Log, Unreadable> {
        let mut b = LogBuilder::new();
        b.start_file("log.csv", true);
        read(text.as_bytes(), &mut b, options, &GENERIC)?;
        Ok(b.finish())
    }

    #[test]
    fn headers_match_ignoring_case_spaces_and_underscores() {
        let log = read_text(
            "\u{feff}Deal ID;Stage Name;Changed_At\nA;lead;2027-01-04\n",
            &Options { delimiter: b';', ..Options::default() },
        )
        .expect("readable");
        assert_eq!(log.events.len(), 1);
        assert_eq!(log.cases, ["A"]);
    }

    #[test]
    fn bad_rows_are_problems_with_their_rows() {
        let log = read_text(
            "case,stage,time\nA,lead,2027-01-04\nA,,2027-01-05\nB,lead,never\nC,lead\n\"D\",\"offer\",\"2027-01-06\"\n",
            &Options::default(),
        )
        .expect("readable");
        let rows: Vec<_> = log.problems.iter().map(|p| (p.row, p.kind)).collect();
        assert_eq!(
            rows,
            [
                (Some(3), ProblemKind::EmptyField),
                (Some(4), ProblemKind::BadTimestamp),
                (Some(5), ProblemKind::MalformedRow)
            ]
        );
        assert_eq!(log.events.len(), 2);
        assert_eq!(log.events[1].row, 6);
        assert_eq!(log.rows, 5);
    }

    #[test]
    fn salesforce_exports_are_read_by_their_own_headers() {
        let read_sf = |text: &str| {
            let mut b = LogBuilder::new();
            b.start_file("history.csv", true);
            read(text.as_bytes(), &mut b, &Options::default(), &SALESFORCE).expect("readable");
            b.finish()
        };
        // Data Loader: field names in upper case, every field quoted; the
        // `ID` column is the history row's own id, not the deal's.
        let log = read_sf(
            "\"ID\",\"OPPORTUNITYID\",\"CREATEDBYID\",\"CREATEDDATE\",\"STAGENAME\",\"AMOUNT\",\"EXPECTEDREVENUE\",\"CLOSEDATE\",\"PROBABILITY\",\"FORECASTCATEGORY\",\"SYSTEMMODSTAMP\",\"ISDELETED\"\n\
             \"0085g00001Hx000AAA\",\"0065g00000Xk000AAA\",\"0055g00000AbCd1AAA\",\"2027-03-01T09:00:00.000+0000\",\"Prospecting\",\"1000.0\",\"100.0\",\"2027-03-31\",\"10\",\"Pipeline\",\"2027-03-02T09:00:00.000+0000\",\"false\"\n",
        );
        assert_eq!(log.cases, ["0065g00000Xk000AAA"]);
        assert_eq!(log.names[0].text, "Prospecting");
        assert_eq!(log.resources, ["0055g00000AbCd1AAA"]);
        assert_eq!(log.events[0].time, Options::default().time.parse("2027-03-01T09:00:00Z").expect("time"));
        // A report: labels, the stage moved to as `To Stage` beside the
        // deal's current `Stage`.
        let log = read_sf(
            "Opportunity Name,Opportunity ID,From Stage,To Stage,Stage,Amount,Edit Date,Edited By\n\
             Acme,0065g00000Xk001AAA,Prospecting,Qualification,Closed Won,1000,2027-03-02 10:00,Ann Lee\n",
        );
        assert_eq!(log.cases, ["0065g00000Xk001AAA"]);
        assert_eq!(log.names[0].text, "Qualification");
        assert_eq!(log.resources, ["Ann Lee"]);
        assert_eq!(log.events[0].time, Options::default().time.parse("2027-03-02T10:00:00Z").expect("time"));
        let log = read_sf("Opportunity ID,Stage,Edit Date\n0065g00000Xk002AAA,Negotiation,2027-03-03\n");
        assert_eq!((log.cases.len(), log.names[0].text.as_str()), (1, "Negotiation"));
    }

    #[test]
    fn a_hubspot_export_read_as_csv_says_which_form_it_is() {
        let e = read_text("Record ID,hs_v2_date_entered_1001\n1,2027-03-01\n", &Options::default())
            .expect_err("no stage column");
        assert!(e.0.ends_with("this looks like a HubSpot deals export: give --log-format hubspot"), "{e}");
    }

    #[test]
    fn missing_columns_are_named() {
        let e = read_text("id,when\n1,2027-01-04\n", &Options::default()).expect_err("no stage column");
        assert!(e.0.contains("no case column") && e.0.contains("`id`, `when`"), "{e}");
        let columns = super::super::Columns::parse("case=id,stage=what,time=when").expect("columns");
        let e =
            read_text("id,when\n1,2027-01-04\n", &Options { columns, ..Options::default() }).expect_err("no `what`");
        assert!(e.0.contains("no column is named `what`"), "{e}");
    }
}
