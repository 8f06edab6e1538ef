//! XES event logs (IEEE 1849), streamed with quick-xml: no tree of the
//! document is built. An event goes to the builder as soon as it is read;
//! only the events of a trace that come before the trace's own
//! `concept:name` are held until the name is known.
//!
//! A trace's `concept:name` is the case; an event's `concept:name`,
//! `time:timestamp`, `org:resource` and `org:role` give the rest. Only the
//! attributes directly inside a `<trace>` or an `<event>` count: global
//! attribute declarations, extensions, classifiers, attributes of the log
//! and attributes nested in other attributes (lists, containers, meta
//! attributes) are skipped. Element and attribute names are compared by
//! their local part, so a prefixed document (`<xes:log>`) reads the same.
//!
//! An event whose `lifecycle:transition` is present and is not `complete`
//! (`start`, `schedule`, `assign`, …) is left out of the log and counted in
//! one warning per transition: a stage is entered by a completed event, as
//! PM4Py and ProM read lifecycle logs, and a log of start and complete pairs
//! would otherwise count each stage twice.
//!
//! The record number of an event (`row` in [`crate::audit::log::Event`]) is
//! its 1-based ordinal among the `<event>` elements of the file, left-out
//! ones included, so a message's "event 12" is the twelfth `<event>` of the
//! file. XES has no rows: the report gives `row: null`.

use super::{Options, Unreadable};
use crate::audit::log::{LogBuilder, ProblemKind};
use crate::emit::visible::visible;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use std::collections::BTreeMap;
use std::io::{BufReader, Read};

/// Where the reader stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Log,
    Trace,
    Event,
    /// Anything else: its content is skipped.
    Skipped,
}

/// An event read, not yet given to the builder.
#[derive(Debug, Default)]
struct Pending {
    ordinal: u64,
    name: Option<String>,
    time: Option<String>,
    resource: Option<String>,
    role: Option<String>,
    lifecycle: Option<String>,
    /// Why one of its attributes could not be read.
    bad: Option<String>,
}

#[derive(Debug, Default)]
struct Trace {
    name: Option<String>,
    events: Vec<Pending>,
}

struct State<'a> {
    builder: &'a mut LogBuilder,
    options: &'a Options,
    /// `<event>` elements met so far.
    ordinal: u64,
    trace: Option<Trace>,
    event: Option<Pending>,
    /// Events left out for their lifecycle transition, per transition.
    left_out: BTreeMap<String, u64>,
}

/// Reads an XES log.
pub fn read(input: impl Read, builder: &mut LogBuilder, options: &Options) -> Result<(), Unreadable> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(input));
    let mut buf = Vec::new();
    let mut stack: Vec<Scope> = Vec::new();
    let mut seen_log = false;
    let mut state = State { builder, options, ordinal: 0, trace: None, event: None, left_out: BTreeMap::new() };
    loop {
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => {
                let at = reader.error_position();
                if !seen_log {
                    return Err(Unreadable(format!("it is not an XES log: it is not XML ({e}, at byte {at})")));
                }
                state.finish_trace();
                let ordinal = state.ordinal;
                state.builder.broken(
                    None,
                    format!(
                        "the XES cannot be read past byte {at} (after event {ordinal}): {e}; the events before are kept"
                    ),
                );
                break;
            }
        };
        match event {
            Event::Start(e) => {
                let scope = state.open(&e, stack.last().copied(), &mut seen_log)?;
                stack.push(scope);
            }
            Event::Empty(e) => {
                let scope = state.open(&e, stack.last().copied(), &mut seen_log)?;
                state.close(scope);
            }
            Event::End(_) => {
                if let Some(scope) = stack.pop() {
                    state.close(scope);
                }
            }
            Event::Text(t) if !seen_log && !t.iter().all(u8::is_ascii_whitespace) => {
                return Err(Unreadable("it is not an XES log: it is not XML (text before any element)".into()));
            }
            Event::Eof => {
                if !seen_log {
                    return Err(Unreadable("it is not an XES log: it has no <log> element".into()));
                }
                if !stack.is_empty() {
                    state.finish_trace();
                    let at = reader.buffer_position();
                    let ordinal = state.ordinal;
                    state.builder.broken(
                        None,
                        format!("the XES ends at byte {at} (after event {ordinal}) inside an element that is not closed; the events before are kept"),
                    );
                }
                break;
            }
            _ => {}
        }
    }
    for (transition, count) in std::mem::take(&mut state.left_out) {
        let events = if count == 1 { "1 event".to_string() } else { format!("{count} events") };
        state.builder.warning(format!(
            "{events} with lifecycle:transition `{}` left out: a stage is entered by its `complete` events (and events without a lifecycle)",
            visible(&transition)
        ));
    }
    Ok(())
}

/// The `key` and `value` of an attribute element, unescaped.
fn key_value(e: &BytesStart<'_>) -> (Option<Vec<u8>>, Option<Result<String, String>>) {
    let mut key = None;
    let mut value = None;
    for attr in e.attributes() {
        let Ok(attr) = attr else {
            return (key, Some(Err("an XML attribute cannot be read".into())));
        };
        match attr.key.local_name().as_ref() {
            b"key" if key.is_none() => {
                key = Some(attr.value.into_owned());
            }
            b"value" if value.is_none() => {
                value = Some(
                    attr.normalized_value(XmlVersion::Implicit1_0)
                        .map(|v| v.trim().to_string())
                        .map_err(|e| format!("a value cannot be read ({e})")),
                );
            }
            _ => {}
        }
    }
    (key, value)
}

impl State<'_> {
    /// A start tag (or an empty element) inside `parent`: the scope it opens.
    fn open(&mut self, e: &BytesStart<'_>, parent: Option<Scope>, seen_log: &mut bool) -> Result<Scope, Unreadable> {
        let local = e.local_name();
        let local = local.as_ref();
        Ok(match parent {
            None if local == b"log" && !*seen_log => {
                *seen_log = true;
                Scope::Log
            }
            None if *seen_log => Scope::Skipped,
            None => {
                return Err(Unreadable(format!(
                    "it is not an XES log: its root element is <{}>, not <log>",
                    visible(&String::from_utf8_lossy(e.name().as_ref()))
                )));
            }
            Some(Scope::Log) if local == b"trace" => {
                self.trace = Some(Trace::default());
                Scope::Trace
            }
            Some(Scope::Log | Scope::Trace) if local == b"event" => {
                self.ordinal += 1;
                self.event = Some(Pending { ordinal: self.ordinal, ..Pending::default() });
                Scope::Event
            }
            Some(Scope::Trace) => {
                if let (Some(trace), (Some(key), Some(value))) = (&mut self.trace, key_value(e))
                    && key == b"concept:name"
                    && trace.name.is_none()
                {
                    trace.name = Some(value.unwrap_or_default());
                }
                Scope::Skipped
            }
            Some(Scope::Event) => {
                if let (Some(event), (Some(key), Some(value))) = (&mut self.event, key_value(e)) {
                    let slot = match key.as_slice() {
                        b"concept:name" => Some(&mut event.name),
                        b"time:timestamp" => Some(&mut event.time),
                        b"org:resource" => Some(&mut event.resource),
                        b"org:role" => Some(&mut event.role),
                        b"lifecycle:transition" => Some(&mut event.lifecycle),
                        _ => None,
                    };
                    if let Some(slot) = slot.filter(|s| s.is_none()) {
                        match value {
                            Ok(v) => *slot = Some(v),
                            Err(why) => {
                                event.bad.get_or_insert(format!("{}: {why}", String::from_utf8_lossy(&key)));
                            }
                        }
                    }
                }
                Scope::Skipped
            }
            Some(_) => Scope::Skipped,
        })
    }

    fn close(&mut self, scope: Scope) {
        match scope {
            Scope::Event => {
                let Some(event) = self.event.take() else { return };
                match self.trace.take() {
                    // The usual case: the trace's name came before its
                    // events, so the event goes to the builder now.
                    Some(trace) if trace.name.is_some() => {
                        self.add(trace.name.as_deref(), event);
                        self.trace = Some(trace);
                    }
                    Some(mut trace) => {
                        trace.events.push(event);
                        self.trace = Some(trace);
                    }
                    None => {
                        if self.counts(&event) {
                            self.builder.problem(
                                None,
                                ProblemKind::MalformedRow,
                                format!("event {} is outside any trace, so it has no case", event.ordinal),
                            );
                        }
                    }
                }
            }
            Scope::Trace => self.finish_trace(),
            Scope::Log | Scope::Skipped => {}
        }
    }

    /// Whether an event is a record: not left out for its lifecycle.
    fn counts(&mut self, event: &Pending) -> bool {
        match &event.lifecycle {
            Some(t) if !t.eq_ignore_ascii_case("complete") => {
                *self.left_out.entry(t.to_lowercase()).or_insert(0) += 1;
                false
            }
            _ => true,
        }
    }

    /// Gives the events of the trace held so far (those read before its
    /// name) to the builder.
    fn finish_trace(&mut self) {
        let Some(trace) = self.trace.take() else { return };
        for event in trace.events {
            self.add(trace.name.as_deref(), event);
        }
    }

    /// Gives one event of a trace named `case` to the builder: an event,
    /// a problem, or nothing when it is left out for its lifecycle.
    fn add(&mut self, case: Option<&str>, event: Pending) {
        if !self.counts(&event) {
            return;
        }
        let n = event.ordinal;
        let Some(case) = case.filter(|c| !c.is_empty()) else {
            self.builder.problem(
                None,
                ProblemKind::EmptyField,
                format!("event {n} is in a trace without a concept:name, so it has no case"),
            );
            return;
        };
        if let Some(why) = &event.bad {
            self.builder.problem(None, ProblemKind::MalformedRow, format!("event {n}: {why}"));
            return;
        }
        let Some(name) = event.name.as_deref().filter(|t| !t.is_empty()) else {
            self.builder.problem(None, ProblemKind::EmptyField, format!("event {n} has no concept:name"));
            return;
        };
        let Some(time) = event.time.as_deref().filter(|t| !t.is_empty()) else {
            self.builder.problem(None, ProblemKind::EmptyField, format!("event {n} has no time:timestamp"));
            return;
        };
        let Some(millis) = self.options.time.parse(time) else {
            self.builder.problem(
                None,
                ProblemKind::BadTimestamp,
                format!("event {n}: `{}` is not a timestamp", visible(time)),
            );
            return;
        };
        self.builder.event(n, case, name, millis, event.resource.as_deref(), event.role.as_deref());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::log::Log;

    fn read_text(text: &str) -> Result<Log, Unreadable> {
        let mut b = LogBuilder::new();
        b.start_file("log.xes", false);
        read(text.as_bytes(), &mut b, &Options::default())?;
        Ok(b.finish())
    }

    fn events(log: &Log) -> Vec<(String, String, i64, u32, Option<String>)> {
        log.tuples()
    }

    const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- written by hand -->
<log xes.version="1849-2016" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <global scope="trace"><string key="concept:name" value="GLOBAL"/></global>
  <global scope="event"><string key="concept:name" value="global-stage"/><date key="time:timestamp" value="1970-01-01T00:00:00Z"/></global>
  <classifier name="Activity" keys="concept:name"/>
  <string key="concept:name" value="the log's own name"/>
"#;

    #[test]
    fn traces_and_events_give_cases_stages_times_and_people() {
        let text = format!(
            r#"{HEAD}
  <trace>
    <string key="concept:name" value="A &amp; 1"/>
    <event>
      <string key="concept:name" value="lead"/>
      <date key="time:timestamp" value="2027-03-01T10:00:00.000+01:00"/>
      <string key="org:resource" value="rep-1"><string key="org:resource" value="nested"/></string>
      <string key="org:role" value="rep"/>
    </event>
    <event><string key="concept:name" value="&#81;ualify"/><date key="time:timestamp" value="2027-03-02T09:00:00Z"/>
      <list key="items"><string key="concept:name" value="inside a list"/></list></event>
  </trace>
  <trace><event><string key="concept:name" value="lead"/><date key="time:timestamp" value="2027-03-01T11:00:00Z"/></event>
    <string key="concept:name" value="B2"/></trace>
</log>"#
        );
        let log = read_text(&text).expect("readable");
        let t = |s: &str| Options::default().time.parse(s).expect("time");
        assert_eq!(
            events(&log),
            [
                ("A & 1".into(), "lead".into(), t("2027-03-01T09:00:00Z"), 1, Some("rep-1".into())),
                ("A & 1".into(), "Qualify".into(), t("2027-03-02T09:00:00Z"), 2, None),
                ("B2".into(), "lead".into(), t("2027-03-01T11:00:00Z"), 3, None),
            ]
        );
        assert_eq!(log.roles, ["rep"]);
        assert!(log.problems.is_empty(), "{:?}", log.problems);
    }

    #[test]
    fn prefixes_and_cdata_do_not_matter() {
        let text = r#"<x:log xmlns:x="http://www.xes-standard.org/"><x:trace><x:string key="concept:name" value="C"/>
<x:event><x:string key="concept:name" value="lead"/><x:date key="time:timestamp" value="2027-03-01"/><![CDATA[ <event> ]]></x:event>
</x:trace></x:log>"#;
        let log = read_text(text).expect("readable");
        assert_eq!(events(&log).len(), 1);
        assert_eq!(log.cases, ["C"]);
    }

    #[test]
    fn bad_events_are_problems_with_their_ordinal() {
        let text = format!(
            r#"{HEAD}
  <event><string key="concept:name" value="lead"/><date key="time:timestamp" value="2027-03-01"/></event>
  <trace><event><string key="concept:name" value="lead"/><date key="time:timestamp" value="2027-03-01"/></event></trace>
  <trace><string key="concept:name" value="A"/>
    <event><date key="time:timestamp" value="2027-03-01"/></event>
    <event><string key="concept:name" value="lead"/></event>
    <event><string key="concept:name" value="lead"/><date key="time:timestamp" value="someday"/></event>
    <event><string key="concept:name" value="lead"/><date key="time:timestamp" value="2027-03-01"/></event>
    <event><string key="concept:name" value="lead"/><string key="lifecycle:transition" value="start"/></event>
    <event><string key="concept:name" value="lead"/><string key="lifecycle:transition" value="COMPLETE"/><date key="time:timestamp" value="2027-03-02"/></event>
  </trace>
</log>"#
        );
        let log = read_text(&text).expect("readable");
        let problems: Vec<_> = log.problems.iter().map(|p| (p.kind, p.message.clone())).collect();
        assert_eq!(
            problems,
            [
                (ProblemKind::MalformedRow, "event 1 is outside any trace, so it has no case".into()),
                (ProblemKind::EmptyField, "event 2 is in a trace without a concept:name, so it has no case".into()),
                (ProblemKind::EmptyField, "event 3 has no concept:name".into()),
                (ProblemKind::EmptyField, "event 4 has no time:timestamp".into()),
                (ProblemKind::BadTimestamp, "event 5: `someday` is not a timestamp".into()),
                (
                    ProblemKind::Warning,
                    "1 event with lifecycle:transition `start` left out: a stage is entered by its `complete` events (and events without a lifecycle)"
                        .into()
                ),
            ]
        );
        assert_eq!(log.events.iter().map(|e| e.row).collect::<Vec<_>>(), [6, 8]);
        assert_eq!(log.rows, 7);
        assert_eq!(log.rows, log.events.len() as u64 + log.skipped());
        assert!(log.problems.iter().all(|p| p.row.is_none()));
    }

    #[test]
    fn a_broken_document_keeps_what_was_read() {
        let text = format!(
            r#"{HEAD}<trace><string key="concept:name" value="A"/>
<event><string key="concept:name" value="lead"/><date key="time:timestamp" value="2027-03-01"/></event>
<event><string key="concept:name" value="offer"/><date key="time:timestamp" value="2027-03-02"/></event></trace>
<trace><string key="concept:name" value="B"/>
<event><string key="concept:name" value="lead"/><date key="time:timestamp" value="2027-03-01"/></event>
<event><string key="concept:name" value="lead"/></evnt></trace></log>"#
        );
        let log = read_text(&text).expect("readable up to the break");
        assert_eq!(log.cases, ["A", "B"]);
        assert_eq!(log.events.len(), 3);
        let broken = log.problems.last().expect("the break is a problem");
        assert_eq!((broken.kind, broken.count), (ProblemKind::MalformedRow, 0));
        assert!(broken.message.starts_with("the XES cannot be read past byte"), "{}", broken.message);
        assert!(broken.message.contains("after event 4"), "{}", broken.message);

        let cut = &text[..text.find("<event><string key=\"concept:name\" value=\"offer\"").expect("cut")];
        let log = read_text(cut).expect("readable up to the end");
        assert_eq!(log.events.len(), 1);
        assert!(log.problems[0].message.contains("not closed"), "{:?}", log.problems);
    }

    #[test]
    fn what_is_not_xes_is_unreadable() {
        for (text, said) in [
            ("case,stage,time\nA,lead,2027-03-01\n", "not XML"),
            ("", "no <log> element"),
            ("<?xml version=\"1.0\"?><html><body/></html>", "root element is <html>"),
            ("{\"results\": []}", "not XML"),
        ] {
            let e = read_text(text).expect_err(text);
            assert!(e.0.contains(said), "{text:?}: {e}");
        }
    }
}
