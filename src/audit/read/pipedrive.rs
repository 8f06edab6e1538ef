//! Pipedrive deal flows: the responses of `GET /v1/deals/{id}/flow`, saved
//! as a JSON array of responses, as JSON lines, or one response. One
//! response is held while it is read, never the whole file.
//!
//! Of each response, only the `data[]` items whose `object` is `dealChange`
//! are read, and of those only three kinds, each one record:
//!
//! - `data.field_key` `add_time`: the deal's creation, its first event. The
//!   stage it was created in is the `data.old_value` of the deal's earliest
//!   `stage_id` change, or, for a deal never moved,
//!   `related_objects.deal.<id>.stage_id`.
//! - `data.field_key` `stage_id`: a move into the stage `data.new_value`.
//! - `data.field_key` `status` with `data.new_value` `won` or `lost`: the
//!   deal entering the stage `won` or `lost`. Pipedrive closes a deal by its
//!   status, not by a stage; a process imported from Pipedrive has these
//!   two outcome stages (`procdef import`). A status back to `open` (a
//!   reopened deal) is not a record: the deal's next move shows where it went.
//!
//! Of such an item: `data.item_id` (else `data.deal_id`, else the one deal
//! of `related_objects.deal`) is the case; `data.log_time` (else the item's
//! `timestamp`) the time, `YYYY-MM-DD HH:MM:SS` in UTC whatever `--tz` says;
//! `data.user_id` the resource. Everything else (notes, activities, files,
//! changes of other fields, `additional_data`) is skipped. Pipedrive lists a
//! flow newest first; the audit sorts by time, and a record's number is its
//! 1-based ordinal among the records of the file, in file order.

use super::{JsonEnd, Options, Unreadable, each_json_value, json_text};
use crate::audit::log::{LogBuilder, Millis, ProblemKind};
use crate::audit::time::Zone;
use crate::emit::visible::visible;
use foldhash::HashMap;
use serde_json::Value;
use std::cmp::Reverse;
use std::io::Read;

/// The records of a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `add_time`: the deal's creation.
    Creation,
    /// `stage_id`.
    Move,
    /// `status` to `won` or `lost`.
    Outcome(&'static str),
}

/// What the file says of a deal so far.
#[derive(Debug, Default)]
struct Deal {
    created: bool,
    /// The earliest move: time, ordinal, the stage it left.
    earliest: Option<(Millis, u64, Option<String>)>,
    /// `related_objects.deal.<id>.stage_id`.
    current: Option<String>,
}

/// A record of a response, given to the builder once the response is read.
#[derive(Debug)]
enum Out {
    Event(u64, String, String, Millis, Option<String>),
    Problem(ProblemKind, String),
    /// A creation, whose stage is known once the earliest move is.
    Creation(u64, String, Millis, Option<String>),
}

struct Flows<'a> {
    builder: &'a mut LogBuilder,
    options: Options,
    ordinal: u64,
    values: u64,
    deals: HashMap<String, Deal>,
    out: Vec<Out>,
}

/// Reads Pipedrive deal flows.
pub fn read(input: impl Read, builder: &mut LogBuilder, options: &Options) -> Result<(), Unreadable> {
    let mut options = options.clone();
    options.time.zone = Zone::Utc;
    let mut flows = Flows { builder, options, ordinal: 0, values: 0, deals: HashMap::default(), out: Vec::new() };
    let end = each_json_value(input, "a Pipedrive log is the JSON of GET /v1/deals/{id}/flow", |v| {
        flows.response(&v);
        flows.flush();
    })?;
    let without = flows.deals.values().filter(|d| !d.created).count();
    if without > 0 {
        let deals = if without == 1 { "1 deal has".to_string() } else { format!("{without} deals have") };
        flows.builder.warning(format!(
            "{deals} no creation (a dealChange of add_time) in its flow: its path starts at its first stage change, and the stage it was created in is not replayed"
        ));
    }
    if let JsonEnd::Broken(why) = end {
        let after = flows.ordinal;
        flows.builder.broken(None, format!("{why} (after record {after}); the records before are kept"));
    }
    Ok(())
}

impl Flows<'_> {
    /// Reads the records of one response into `out`.
    fn response(&mut self, response: &Value) {
        self.values += 1;
        let items = match response.get("data") {
            Some(Value::Array(items)) => items,
            Some(Value::Null) if response.get("success") == Some(&Value::Bool(true)) => return,
            _ => {
                self.ordinal += 1;
                let why = match response.get("error").and_then(json_text) {
                    Some(error) => format!("JSON value {} is a failed request: {}", self.values, visible(&error)),
                    None => format!("JSON value {} is not a deal flow (it has no `data` list)", self.values),
                };
                self.out.push(Out::Problem(ProblemKind::MalformedRow, why));
                return;
            }
        };
        // The deal a flow is about, for items that do not say.
        let related = response.pointer("/related_objects/deal").and_then(Value::as_object);
        let only_deal = related.filter(|d| d.len() == 1).and_then(|d| d.keys().next().cloned());
        for item in items {
            if item.get("object").and_then(Value::as_str) != Some("dealChange") {
                continue;
            }
            let Some(data) = item.get("data") else { continue };
            let kind = match data.get("field_key").and_then(Value::as_str) {
                Some("stage_id") => Kind::Move,
                Some("add_time") => Kind::Creation,
                Some("status") => match data.get("new_value").and_then(Value::as_str) {
                    Some("won") => Kind::Outcome("won"),
                    Some("lost") => Kind::Outcome("lost"),
                    _ => continue,
                },
                _ => continue,
            };
            self.ordinal += 1;
            let n = self.ordinal;
            let what = match kind {
                Kind::Creation => "creation",
                Kind::Move => "stage change",
                Kind::Outcome(_) => "status change",
            };
            let deal = ["item_id", "deal_id"]
                .iter()
                .find_map(|k| data.get(*k).and_then(json_text))
                .filter(|s| !s.is_empty())
                .or_else(|| only_deal.clone());
            let Some(deal) = deal else {
                self.out.push(Out::Problem(ProblemKind::EmptyField, format!("record {n} ({what}) has no deal id")));
                continue;
            };
            let time = data
                .get("log_time")
                .and_then(json_text)
                .or_else(|| item.get("timestamp").and_then(json_text))
                .filter(|s| !s.is_empty());
            let millis = time.as_deref().and_then(|t| self.options.time.parse(t));
            let state = self.deals.entry(deal.clone()).or_default();
            if state.current.is_none() {
                state.current = related
                    .and_then(|d| d.get(&deal))
                    .and_then(|d| d.get("stage_id"))
                    .and_then(json_text)
                    .filter(|s| !s.is_empty());
            }
            if kind == Kind::Move {
                // The earliest move, a move without a readable time counting
                // as the latest; at equal times the one later in the file,
                // since a flow lists the newest first.
                let at = millis.unwrap_or(Millis::MAX);
                if state.earliest.as_ref().is_none_or(|(t, o, _)| (at, Reverse(n)) < (*t, Reverse(*o))) {
                    let old = data.get("old_value").and_then(json_text).filter(|s| !s.is_empty());
                    state.earliest = Some((at, n, old));
                }
            }
            let shown = visible(&deal);
            let Some(time) = time else {
                let why = format!("record {n} ({what} of deal `{shown}`) has no log_time");
                self.out.push(Out::Problem(ProblemKind::EmptyField, why));
                continue;
            };
            let Some(millis) = millis else {
                let why = format!("record {n} ({what} of deal `{shown}`): `{}` is not a timestamp", visible(&time));
                self.out.push(Out::Problem(ProblemKind::BadTimestamp, why));
                continue;
            };
            let user = data.get("user_id").and_then(json_text);
            match kind {
                Kind::Creation if state.created => {
                    let why = format!("record {n}: deal `{shown}` is created a second time");
                    self.out.push(Out::Problem(ProblemKind::MalformedRow, why));
                }
                Kind::Creation => {
                    state.created = true;
                    self.out.push(Out::Creation(n, deal, millis, user));
                }
                Kind::Outcome(outcome) => self.out.push(Out::Event(n, deal, outcome.to_string(), millis, user)),
                Kind::Move => match data.get("new_value").and_then(json_text).filter(|s| !s.is_empty()) {
                    Some(stage) => self.out.push(Out::Event(n, deal, stage, millis, user)),
                    None => {
                        let why = format!("record {n} (stage change of deal `{shown}`) has no new_value");
                        self.out.push(Out::Problem(ProblemKind::EmptyField, why));
                    }
                },
            }
        }
    }

    /// Gives the records of a response to the builder, in file order. A
    /// flow lists the oldest items last, so the page that holds a deal's
    /// creation holds its earliest move too.
    fn flush(&mut self) {
        for out in std::mem::take(&mut self.out) {
            match out {
                Out::Event(n, deal, stage, millis, user) => {
                    self.builder.event(n, &deal, &stage, millis, user.as_deref(), None);
                }
                Out::Problem(kind, why) => self.builder.problem(None, kind, why),
                Out::Creation(n, deal, millis, user) => {
                    let state = self.deals.get(&deal);
                    let stage = state.and_then(|s| match &s.earliest {
                        Some((_, _, old)) => old.clone(),
                        None => s.current.clone(),
                    });
                    match stage {
                        Some(stage) => self.builder.event(n, &deal, &stage, millis, user.as_deref(), None),
                        None => self.builder.problem(
                            None,
                            ProblemKind::EmptyField,
                            format!(
                                "record {n} (creation of deal `{}`): the stage it was created in is not known (its earliest stage change has no old_value, or it has none and no related_objects.deal)",
                                visible(&deal)
                            ),
                        ),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::log::Log;

    fn read_text(text: &str, options: &Options) -> Result<Log, Unreadable> {
        let mut b = LogBuilder::new();
        b.start_file("flows.json", super::super::has_rows(super::super::Form::Pipedrive));
        read(text.as_bytes(), &mut b, options)?;
        Ok(b.finish())
    }

    fn events(log: &Log) -> Vec<(String, String, i64, u32, Option<String>)> {
        let mut e = log.tuples();
        e.sort_by_key(|e| e.3);
        e
    }

    const FLOW: &str = r#"{"success": true, "data": [
  {"object": "dealChange", "timestamp": "2027-03-04 10:00:00", "data": {"id": 3, "item_id": 7, "user_id": 12, "field_key": "stage_id", "old_value": "2", "new_value": "3", "is_bulk_update_flag": null, "log_time": "2027-03-04 10:00:00", "change_source": "app", "additional_data": {"old_value_formatted": "Qualified", "new_value_formatted": "Offer"}}},
  {"object": "activity", "timestamp": "2027-03-03 08:00:00", "data": {"id": 1, "deal_id": 7, "subject": "Call"}},
  {"object": "dealChange", "timestamp": "2027-03-03 11:00:00", "data": {"id": 2, "item_id": 7, "user_id": 12, "field_key": "value", "old_value": "0", "new_value": "500", "log_time": "2027-03-03 11:00:00"}},
  {"object": "dealChange", "timestamp": "2027-03-02 09:00:00", "data": {"id": 1, "item_id": 7, "user_id": 11, "field_key": "stage_id", "old_value": 1, "new_value": 2, "log_time": "2027-03-02 09:00:00"}},
  {"object": "dealChange", "timestamp": "2027-03-01 09:00:00", "data": {"id": 0, "item_id": 7, "user_id": 11, "field_key": "add_time", "old_value": null, "new_value": "2027-03-01 09:00:00", "log_time": "2027-03-01 09:00:00"}}
 ], "additional_data": {"pagination": {"start": 0, "limit": 100, "more_items_in_collection": false}},
 "related_objects": {"user": {"11": {"id": 11, "name": "Ann"}}, "deal": {"7": {"id": 7, "title": "Acme", "status": "open", "stage_id": 3, "pipeline_id": 1}}}}"#;

    #[test]
    fn a_flow_gives_its_creation_and_its_stage_changes() {
        let t = |s: &str| Options::default().time.parse(s).expect("time");
        let zone = Options {
            time: crate::audit::time::TimeReader { zone: Zone::parse("+03:00").expect("zone"), ..Default::default() },
            ..Options::default()
        };
        let log = read_text(FLOW, &zone).expect("readable");
        assert_eq!(
            events(&log),
            [
                ("7".to_string(), "3".to_string(), t("2027-03-04T10:00:00Z"), 1, Some("12".to_string())),
                ("7".into(), "2".into(), t("2027-03-02T09:00:00Z"), 2, Some("11".into())),
                ("7".into(), "1".into(), t("2027-03-01T09:00:00Z"), 3, Some("11".into())),
            ]
        );
        assert!(log.problems.is_empty(), "{:?}", log.problems);
        assert!(!log.files[0].has_rows);
    }

    #[test]
    fn arrays_and_lines_of_responses_read_the_same() {
        let second = FLOW.replace("\"7\"", "\"8\"").replace(": 7,", ": 8,");
        let lines = format!("{}\n{}\n", FLOW.replace('\n', ""), second.replace('\n', ""));
        let array = format!("[{FLOW}, {second}]");
        let (a, b) = (read_text(&lines, &Options::default()), read_text(&array, &Options::default()));
        let (a, b) = (a.expect("lines"), b.expect("array"));
        assert_eq!(events(&a), events(&b));
        assert_eq!(a.cases, ["7", "8"]);
        assert_eq!(a.events.len(), 6);
    }

    #[test]
    fn a_deal_never_moved_is_created_in_its_current_stage() {
        let text = r#"{"success": true, "data": [{"object": "dealChange", "timestamp": "2027-03-01 09:00:00",
          "data": {"item_id": 9, "field_key": "add_time", "log_time": "2027-03-01 09:00:00"}}],
          "related_objects": {"deal": {"9": {"id": 9, "stage_id": 4}}}}
          {"success": true, "data": null}"#;
        let log = read_text(text, &Options::default()).expect("readable");
        assert_eq!(events(&log).iter().map(|e| e.1.as_str()).collect::<Vec<_>>(), ["4"]);
    }

    #[test]
    fn bad_records_are_problems_with_their_ordinal() {
        let text = r#"[
 {"success": false, "error": "Deal not found", "error_info": "Please check developers.pipedrive.com"},
 {"success": true, "data": [
  {"object": "dealChange", "data": {"item_id": 5, "field_key": "stage_id", "old_value": "1", "new_value": "2"}},
  {"object": "dealChange", "data": {"item_id": 5, "field_key": "stage_id", "old_value": "1", "new_value": "2", "log_time": "03/01/2027"}},
  {"object": "dealChange", "data": {"item_id": 5, "field_key": "stage_id", "old_value": "1", "new_value": null, "log_time": "2027-03-02 09:00:00"}},
  {"object": "dealChange", "data": {"field_key": "stage_id", "new_value": "2", "log_time": "2027-03-02 09:00:00"}},
  {"object": "dealChange", "data": {"item_id": 5, "field_key": "add_time", "log_time": "2027-03-01 09:00:00"}}]},
 {"success": true, "data": [
  {"object": "dealChange", "data": {"item_id": 6, "field_key": "stage_id", "old_value": "1", "new_value": "2", "log_time": "2027-03-02 09:00:00"}}]},
 [1, 2],
 {"success": true, "data": [{"object": "dealChange", "data": {"item_id": 7, "field_key": "stage_id""#;
        let log = read_text(text, &Options::default()).expect("readable up to the break");
        let problems: Vec<_> = log.problems.iter().map(|p| (p.kind, p.message.as_str())).collect();
        assert_eq!(
            problems[..6],
            [
                (ProblemKind::MalformedRow, "JSON value 1 is a failed request: Deal not found"),
                (ProblemKind::EmptyField, "record 2 (stage change of deal `5`) has no log_time"),
                (ProblemKind::BadTimestamp, "record 3 (stage change of deal `5`): `03/01/2027` is not a timestamp"),
                (ProblemKind::EmptyField, "record 4 (stage change of deal `5`) has no new_value"),
                (ProblemKind::EmptyField, "record 5 (stage change) has no deal id"),
                (ProblemKind::MalformedRow, "JSON value 4 is not a deal flow (it has no `data` list)"),
            ]
        );
        assert_eq!(problems[6].0, ProblemKind::Warning);
        assert!(problems[6].1.starts_with("1 deal has no creation"), "{}", problems[6].1);
        assert!(
            problems[7].1.starts_with(
                "the JSON cannot be read past line 12, column 99: EOF while parsing an object (after record 8)"
            ),
            "{}",
            problems[7].1
        );
        // Deal 5 was created in stage 1: the old value of its earliest move.
        assert_eq!(
            events(&log).iter().map(|e| (e.0.as_str(), e.1.as_str(), e.3)).collect::<Vec<_>>(),
            [("5", "1", 6), ("6", "2", 7)]
        );
        assert_eq!(log.rows, log.events.len() as u64 + log.skipped());
        assert_eq!(log.rows, 8);
    }

    #[test]
    fn what_is_not_a_flow_is_unreadable() {
        for text in ["", "deal,stage\n", "{\"success\": tru"] {
            let e = read_text(text, &Options::default()).expect_err(text);
            assert!(e.0.contains("Pipedrive"), "{text:?}: {e}");
        }
    }
}
