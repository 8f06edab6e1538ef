//! `--activities FILE`: what people did besides moving deals (calls,
//! meetings), for the `activity` metrics: a CSV of `resource`, `activity`,
//! `time`, optional `count` and optional `role`. Bad rows are problems with
//! their rows, as in a log.

use super::log::{Millis, Problem, ProblemKind};
use super::read::csv::normalize;
use super::time::TimeReader;
use std::io::Read;

/// One row of the activities file.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub resource: String,
    pub activity: String,
    pub time: Millis,
    pub count: f64,
    pub role: Option<String>,
}

/// Whether an activity name is the one a metric names: ignoring case and
/// surrounding spaces.
pub fn same(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The rows read and the problems met; `Err` when the file cannot be read
/// at all.
pub fn read(input: impl Read, delimiter: u8, time: &TimeReader) -> Result<(Vec<Activity>, Vec<Problem>), String> {
    let mut reader =
        ::csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(input);
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(format!("the header row cannot be read: {e}")),
        None => return Err("the file is empty: it starts with a header row".into()),
    };
    let headers: Vec<String> = header.iter().map(|h| normalize(h.trim_start_matches('\u{feff}'))).collect();
    let col = |names: &[&str]| names.iter().find_map(|n| headers.iter().position(|h| *h == normalize(n)));
    let resource = col(&["resource", "org:resource", "user", "owner", "employee"]);
    let activity = col(&["activity", "type", "concept:name"]);
    let when = col(&["time", "timestamp", "date", "time:timestamp"]);
    let count = col(&["count", "n", "quantity"]);
    let role = col(&["role", "org:role"]);
    let (Some(resource), Some(activity), Some(when)) = (resource, activity, when) else {
        return Err(format!(
            "an activities file needs the columns resource, activity and time; its header has `{}`",
            header.iter().collect::<Vec<_>>().join("`, `")
        ));
    };
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut problem = |row: u64, kind, message: String| {
        problems.push(Problem { row: Some(row), kind, message, count: 1, name: None, log: None });
    };
    for (i, record) in records.enumerate() {
        let row = i as u64 + 2;
        let record = match record {
            Ok(r) if r.len() == headers.len() => r,
            Ok(r) => {
                problem(
                    row,
                    ProblemKind::MalformedRow,
                    format!("row {row} has {} fields where the header has {}", r.len(), headers.len()),
                );
                continue;
            }
            Err(e) => {
                problem(row, ProblemKind::MalformedRow, format!("row {row} cannot be read: {e}"));
                continue;
            }
        };
        let get = |i: usize| record.get(i).unwrap_or("").trim();
        let (who, what, t) = (get(resource), get(activity), get(when));
        if who.is_empty() || what.is_empty() || t.is_empty() {
            problem(row, ProblemKind::EmptyField, format!("row {row} has an empty resource, activity or time"));
            continue;
        }
        let Some(t) = time.parse(t) else {
            problem(
                row,
                ProblemKind::BadTimestamp,
                format!("row {row}: `{}` is not a timestamp", crate::emit::visible::visible(t)),
            );
            continue;
        };
        let n = match count.map(get) {
            None | Some("") => 1.0,
            Some(c) => match c.replace(',', ".").parse::<f64>() {
                Ok(n) if n.is_finite() && n >= 0.0 => n,
                _ => {
                    problem(
                        row,
                        ProblemKind::MalformedRow,
                        format!("row {row}: the count `{}` is not a number", crate::emit::visible::visible(c)),
                    );
                    continue;
                }
            },
        };
        let role = role.map(get).filter(|r| !r.is_empty()).map(str::to_string);
        rows.push(Activity { resource: who.to_string(), activity: what.to_string(), time: t, count: n, role });
    }
    Ok((rows, problems))
}
