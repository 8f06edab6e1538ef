//! The events of a log, held compactly, and the problems met reading it.
//!
//! Readers (`src/audit/read/`) turn each input form into calls on a
//! [`LogBuilder`]: one [`LogBuilder::event`] per event, one
//! [`LogBuilder::problem`] per record that cannot be used. The builder
//! interns case ids, stage names and resources, so an event is 24 bytes
//! whatever the width of its row; stage names are matched to the process
//! later, once per distinct name.

use foldhash::HashMap;
use serde::Serialize;

/// Milliseconds since 1970-01-01T00:00:00Z.
pub type Millis = i64;

/// "No resource" in [`Event::resource`].
pub const NO_RESOURCE: u32 = u32::MAX;

/// One event: a case entering a stage at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// Index into [`Log::cases`].
    pub case: u32,
    /// Index into [`Log::names`]: the stage name as the log wrote it.
    pub name: u32,
    pub time: Millis,
    /// Index into [`Log::resources`], or [`NO_RESOURCE`].
    pub resource: u32,
    /// The record's number in its file: the CSV row (the header is row 1),
    /// or the 1-based ordinal of the event for other forms. Equal times
    /// keep this order.
    pub row: u32,
}

/// What is wrong with a record, or with the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The wrong number of fields, or a record that is not what the form
    /// expects (an XES event without a name, a JSON item of the wrong type).
    MalformedRow,
    BadTimestamp,
    EmptyField,
    /// A stage name that matches no stage of the process: one problem per
    /// distinct name, with its count.
    UnknownStage,
    /// Something the reader wants said about the whole log (HubSpot's wide
    /// export holds only the latest entry into each stage).
    Warning,
}

/// One problem: a record skipped, or a name left out of the replay.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// The record's row (the header is row 1), when the form has rows.
    pub row: Option<u64>,
    pub kind: ProblemKind,
    pub message: String,
    pub count: u64,
    /// The stage name, for `unknown_stage`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The log file, when several were read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log: Option<String>,
}

/// A distinct stage name of one log file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    /// Index into [`Log::files`].
    pub file: u16,
}

/// A log: every event of every file read, and what could not be used.
#[derive(Debug, Default)]
pub struct Log {
    pub events: Vec<Event>,
    /// Case ids, in the order of their first record.
    pub cases: Vec<String>,
    pub names: Vec<Name>,
    pub resources: Vec<String>,
    pub roles: Vec<String>,
    /// How often each resource was written with each role: (resource, role).
    pub resource_roles: HashMap<(u32, u32), u64>,
    /// The files read, for messages; one entry per `--log`.
    pub files: Vec<LogFile>,
    /// Records read, skipped ones included: `events.len() + skipped()`.
    pub rows: u64,
    pub problems: Vec<Problem>,
}

/// One file of a log.
#[derive(Debug, Clone)]
pub struct LogFile {
    pub name: String,
    /// Whether its records are rows that a person can find (CSV forms).
    pub has_rows: bool,
}

impl Log {
    /// Records skipped: every problem that stands for records.
    pub fn skipped(&self) -> u64 {
        self.problems
            .iter()
            .filter(|p| !matches!(p.kind, ProblemKind::UnknownStage | ProblemKind::Warning))
            .map(|p| p.count)
            .sum()
    }

    /// The row of an event as the report gives it: `None` for forms
    /// without rows.
    pub fn row_of(&self, event: &Event) -> Option<u64> {
        let file = self.names.get(event.name as usize).map_or(0, |n| n.file as usize);
        self.files.get(file).filter(|f| f.has_rows).map(|_| u64::from(event.row))
    }

    pub fn resource(&self, index: u32) -> Option<&str> {
        self.resources.get(index as usize).map(String::as_str)
    }
}

#[cfg(test)]
impl Log {
    /// Every event as (case, stage name, time, row, resource), in the
    /// order read: what the readers' tests compare.
    pub fn tuples(&self) -> Vec<(String, String, Millis, u32, Option<String>)> {
        self.events
            .iter()
            .map(|e| {
                (
                    self.cases[e.case as usize].clone(),
                    self.names[e.name as usize].text.clone(),
                    e.time,
                    e.row,
                    self.resource(e.resource).map(str::to_string),
                )
            })
            .collect()
    }
}

/// Problems listed one by one per file and kind; beyond this many, the
/// rest of that kind are summed into one problem without a row.
pub const LISTED_PROBLEMS: u64 = 1000;

/// From this many events on, the list of events grows by a quarter at a
/// time.
const GROW_SLOWLY_FROM: usize = 1 << 20;

/// Builds a [`Log`] from the records of one or more files.
#[derive(Debug, Default)]
pub struct LogBuilder {
    log: Log,
    file: u16,
    case_index: Index,
    /// The names of the current file → index into `names`.
    name_index: HashMap<Box<str>, u32>,
    /// The last case interned: logs often hold a case's rows together.
    last_case: Option<u32>,
    resource_index: Index,
    role_index: Index,
    /// Per kind, problems of this file beyond [`LISTED_PROBLEMS`].
    overflow: HashMap<ProblemKind, (u64, u64)>,
    listed: HashMap<ProblemKind, u64>,
    several: bool,
}

impl LogBuilder {
    pub fn new() -> LogBuilder {
        LogBuilder::default()
    }

    /// Starts the next file. `has_rows`: its records are rows a person can
    /// find by number (CSV forms).
    pub fn start_file(&mut self, name: &str, has_rows: bool) {
        self.flush_overflow();
        if !self.log.files.is_empty() {
            self.several = true;
        }
        self.file = u16::try_from(self.log.files.len()).unwrap_or(u16::MAX);
        self.name_index.clear();
        self.log.files.push(LogFile { name: name.to_string(), has_rows });
    }

    /// Says whether the current file's records are rows after all: a
    /// reader that tells its form from the content (HubSpot's JSON or its
    /// CSV export) decides it once it knows, before the first record.
    pub fn set_has_rows(&mut self, has_rows: bool) {
        if let Some(f) = self.log.files.get_mut(self.file as usize) {
            f.has_rows = has_rows;
        }
    }

    /// Adds one event. `row` is the record's row or ordinal in its file.
    pub fn event(
        &mut self,
        row: u64,
        case: &str,
        stage: &str,
        time: Millis,
        resource: Option<&str>,
        role: Option<&str>,
    ) {
        self.log.rows += 1;
        let case = match self.last_case {
            Some(i) if self.log.cases[i as usize] == case => i,
            _ => {
                let i = self.case_index.intern(&mut self.log.cases, case);
                self.last_case = Some(i);
                i
            }
        };
        let name = match self.name_index.get(stage) {
            Some(&i) => i,
            None => {
                let i = u32::try_from(self.log.names.len()).unwrap_or(u32::MAX);
                self.log.names.push(Name { text: stage.to_string(), file: self.file });
                self.name_index.insert(Box::from(stage), i);
                i
            }
        };
        let resource = match resource.filter(|r| !r.is_empty()) {
            Some(r) => self.resource_index.intern(&mut self.log.resources, r),
            None => NO_RESOURCE,
        };
        if let (Some(role), true) = (role.filter(|r| !r.is_empty()), resource != NO_RESOURCE) {
            let role = self.role_index.intern(&mut self.log.roles, role);
            *self.log.resource_roles.entry((resource, role)).or_insert(0) += 1;
        }
        let row = u32::try_from(row).unwrap_or(u32::MAX);
        let events = &mut self.log.events;
        if events.len() == events.capacity() && events.len() >= GROW_SLOWLY_FROM {
            // Past a million events, grow by a quarter rather than double:
            // at most 25% of the events' memory is spare, not 100%.
            events.reserve_exact(events.len() / 4);
        }
        events.push(Event { case, name, time, resource, row });
    }

    /// Skips one record, saying why. `row` is its row, where the form has
    /// rows.
    pub fn problem(&mut self, row: Option<u64>, kind: ProblemKind, message: impl Into<String>) {
        self.log.rows += 1;
        let listed = self.listed.entry(kind).or_insert(0);
        if *listed >= LISTED_PROBLEMS {
            let entry = self.overflow.entry(kind).or_insert((0, row.unwrap_or(0)));
            entry.0 += 1;
            return;
        }
        *listed += 1;
        let log = self.file_name();
        self.log.problems.push(Problem { row, kind, message: message.into(), count: 1, name: None, log });
    }

    /// Says something about the whole file without skipping a record.
    pub fn warning(&mut self, message: impl Into<String>) {
        let log = self.file_name();
        self.log.problems.push(Problem {
            row: None,
            kind: ProblemKind::Warning,
            message: message.into(),
            count: 0,
            name: None,
            log,
        });
    }

    /// A file that could not be read past some point: the records before
    /// it are kept, and the reason is one problem.
    pub fn broken(&mut self, row: Option<u64>, message: impl Into<String>) {
        let log = self.file_name();
        self.log.problems.push(Problem {
            row,
            kind: ProblemKind::MalformedRow,
            message: message.into(),
            count: 0,
            name: None,
            log,
        });
    }

    fn file_name(&self) -> Option<String> {
        self.log.files.get(self.file as usize).map(|f| f.name.clone())
    }

    fn flush_overflow(&mut self) {
        let mut kinds: Vec<_> = self.overflow.drain().collect();
        kinds.sort();
        let log = self.file_name();
        for (kind, (count, _)) in kinds {
            self.log.problems.push(Problem {
                row: None,
                kind,
                message: format!("{count} more records like the ones above were skipped"),
                count,
                name: None,
                log: log.clone(),
            });
        }
        self.listed.clear();
    }

    /// The log, with `log` named on each problem only when several files
    /// were read.
    pub fn finish(mut self) -> Log {
        self.flush_overflow();
        if !self.several {
            for p in &mut self.log.problems {
                p.log = None;
            }
        }
        self.log
    }
}

/// The index of an interned list of strings (case ids, resources, roles):
/// an open-addressing table of `(hash, position + 1)` pairs, 8 bytes a
/// slot, at most three quarters full. The strings themselves are kept once,
/// in the list; a map from `Box<str>` would keep a second copy and take
/// 24 bytes a slot, so that a million cases cost 40 MB more while reading.
#[derive(Debug, Default)]
struct Index {
    slots: Vec<u64>,
    len: usize,
}

impl Index {
    fn hash(text: &str) -> u32 {
        use std::hash::BuildHasher;
        let h = foldhash::fast::FixedState::with_seed(0x5EED).hash_one(text);
        (h ^ (h >> 32)) as u32
    }

    /// The position of `text` in `list`, pushing it first if it is new.
    fn intern(&mut self, list: &mut Vec<String>, text: &str) -> u32 {
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        let hash = Self::hash(text);
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                let position = u32::try_from(list.len()).unwrap_or(u32::MAX - 1).min(u32::MAX - 1);
                list.push(text.to_string());
                self.slots[i] = u64::from(hash) << 32 | u64::from(position + 1);
                self.len += 1;
                return position;
            }
            let position = (slot as u32).wrapping_sub(1);
            if (slot >> 32) as u32 == hash && list.get(position as usize).is_some_and(|s| s == text) {
                return position;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(64);
        let mut slots = vec![0u64; size];
        let mask = size - 1;
        for &slot in self.slots.iter().filter(|&&s| s != 0) {
            let mut i = (slot >> 32) as usize & mask;
            while slots[i] != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = slot;
        }
        self.slots = slots;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_24_bytes() {
        assert_eq!(std::mem::size_of::<Event>(), 24);
    }

    #[test]
    fn rows_are_events_and_skipped_records() {
        let mut b = LogBuilder::new();
        b.start_file("a.csv", true);
        b.event(2, "A", "lead", 0, Some("ann"), Some("rep"));
        b.problem(Some(3), ProblemKind::BadTimestamp, "bad");
        b.event(4, "B", "lead", 5, None, None);
        b.event(5, "A", "offer", 9, Some("ann"), None);
        let log = b.finish();
        assert_eq!(log.rows, 4);
        assert_eq!(log.events.len() as u64 + log.skipped(), log.rows);
        assert_eq!(log.cases, ["A", "B"]);
        assert_eq!(log.names.len(), 2);
        assert_eq!(log.problems[0].log, None);
        assert_eq!(log.resource_roles.get(&(0, 0)), Some(&1));
    }

    #[test]
    fn interned_cases_keep_the_order_of_their_first_record() {
        let mut b = LogBuilder::new();
        b.start_file("a.csv", true);
        // Interleaved, so that most rows miss the last-case shortcut, and
        // enough to grow the index many times.
        let ids: Vec<String> = (0..5000).map(|i| format!("D{}", i * 7919 % 10007)).collect();
        for round in 0..3 {
            for (i, id) in ids.iter().enumerate() {
                b.event((round * ids.len() + i) as u64 + 2, id, "lead", 0, Some(&format!("rep-{}", i % 37)), None);
            }
        }
        let log = b.finish();
        assert_eq!(log.cases, ids);
        assert_eq!(log.resources.len(), 37);
        for (k, e) in log.events.iter().enumerate() {
            assert_eq!(log.cases[e.case as usize], ids[k % ids.len()]);
            assert_eq!(log.resources[e.resource as usize], format!("rep-{}", k % ids.len() % 37));
        }
    }

    #[test]
    fn problems_beyond_the_listed_ones_are_summed() {
        let mut b = LogBuilder::new();
        b.start_file("a.csv", true);
        for row in 0..LISTED_PROBLEMS + 5 {
            b.problem(Some(row + 2), ProblemKind::EmptyField, "empty");
        }
        let log = b.finish();
        assert_eq!(log.problems.len() as u64, LISTED_PROBLEMS + 1);
        assert_eq!(log.problems.last().map(|p| (p.row, p.count)), Some((None, 5)));
        assert_eq!(log.skipped(), LISTED_PROBLEMS + 5);
    }
}
