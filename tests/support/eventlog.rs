//! Event logs generated from a known process, with deviations and noise at
//! known places, and what an audit must say about them.
//!
//! Cases walk the declared transitions with their probabilities (a seeded
//! xorshift, so every log is the same on every run). Deviations are put in
//! on purpose: skips, backward moves where there is no loop, jumps,
//! reopenings after an outcome, stays over `within`, cases left open. Noise
//! that is not a deviation is added too: repeated rows at a stage (one
//! visit), unknown stage names, equal timestamps, shuffled rows, and bad rows
//! (wrong width, empty fields, timestamps that do not parse).
//!
//! The expected findings ([`Truth`]) are worked out here from the
//! definitions of AUDIT.md §2 and §3, independently of the audit's code: the
//! kind of a move from brute-force enumeration of every simple path, stays
//! from the generated times, counts from the generated visits.
#![allow(dead_code)]

use procdef::model::{Model, OutcomeKind};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

pub const SECOND: i64 = 1000;
pub const MINUTE: i64 = 60 * SECOND;
pub const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;
/// 2027-01-04T00:00:00Z, a Monday.
pub const JAN_4_2027: i64 = 1_799_020_800_000;

/// xorshift64: tiny, seeded, the same sequence everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03 | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..hi` (`hi > lo`).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % (hi - lo) as u64) as i64
    }

    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// An index chosen with the given weights.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// A declared transition.
#[derive(Debug, Clone)]
pub struct Edge {
    pub to: usize,
    pub p: f64,
    pub is_loop: bool,
}

#[derive(Debug, Clone)]
pub struct StageInfo {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    /// Minutes.
    pub within: Option<i64>,
    pub takes: Option<i64>,
    /// `Some(true)` won, `Some(false)` lost.
    pub outcome: Option<bool>,
    pub edges: Vec<Edge>,
}

/// What a move `u -> v` is (AUDIT.md §2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Move {
    Conforming,
    Reopened,
    /// The stages in between on the chosen shortest path.
    Skip(Vec<usize>),
    Backward,
    Jump,
}

impl Move {
    pub fn name(&self) -> Option<&'static str> {
        match self {
            Move::Conforming => None,
            Move::Reopened => Some("reopened"),
            Move::Skip(_) => Some("skip"),
            Move::Backward => Some("backward"),
            Move::Jump => Some("jump"),
        }
    }
}

/// The process as the generator and the expected findings see it: read
/// from the compiled model, which is the input of the audit, not its code.
#[derive(Debug)]
pub struct Proc {
    pub id: String,
    pub stages: Vec<StageInfo>,
    /// Entry stages with their shares, in declaration order.
    pub entries: Vec<(usize, f64)>,
    cache: RefCell<HashMap<(Option<usize>, usize), Move>>,
}

impl Proc {
    pub fn new(model: &Model) -> Proc {
        let stages: Vec<StageInfo> = model
            .stages
            .iter()
            .map(|s| StageInfo {
                id: s.id.clone(),
                title: s.title.clone(),
                owner: s.owner.map(|r| model.role(r).id.clone()),
                within: s.within.map(i64::from),
                takes: s.takes.map(i64::from),
                outcome: s.outcome.map(|o| o == OutcomeKind::Won),
                edges: s
                    .transitions
                    .iter()
                    .map(|t| Edge { to: t.target.expect("resolved target").0, p: t.probability, is_loop: t.is_loop })
                    .collect(),
            })
            .collect();
        // LANGUAGE.md §3: the entries' shares when every entry gives one,
        // else an equal split.
        let entry: Vec<(usize, Option<f64>)> =
            model.stages.iter().enumerate().filter_map(|(i, s)| s.entry.as_ref().map(|e| (i, e.share))).collect();
        let all = entry.iter().all(|(_, s)| s.is_some());
        let n = entry.len() as f64;
        let entries = entry.iter().map(|&(i, s)| (i, if all { s.unwrap_or(0.0) } else { 1.0 / n })).collect();
        Proc { id: model.id.clone(), stages, entries, cache: RefCell::new(HashMap::new()) }
    }

    pub fn is_outcome(&self, s: usize) -> bool {
        self.stages[s].outcome.is_some()
    }

    pub fn self_loop(&self, s: usize) -> bool {
        self.stages[s].edges.iter().any(|e| e.to == s && e.is_loop)
    }

    pub fn declared(&self, u: Option<usize>, v: usize) -> bool {
        match u {
            None => self.entries.iter().any(|&(e, _)| e == v),
            Some(u) => self.stages[u].edges.iter().any(|e| e.to == v),
        }
    }

    /// Every simple path of non-loop transitions from `from` (the start
    /// when `None`) to `to`: (the stages after `from`, `to` included; the
    /// declaration index of each transition taken; the product of their
    /// probabilities, multiplied left to right).
    pub fn paths(&self, from: Option<usize>, to: usize) -> Vec<(Vec<usize>, Vec<usize>, f64)> {
        let mut out = Vec::new();
        let first: Vec<(usize, usize, f64)> = match from {
            None => self.entries.iter().enumerate().map(|(k, &(e, p))| (e, k, p)).collect(),
            Some(u) => self.stages[u]
                .edges
                .iter()
                .enumerate()
                .filter(|(_, e)| !e.is_loop)
                .map(|(k, e)| (e.to, k, e.p))
                .collect(),
        };
        for (s, k, p) in first {
            if Some(s) == from {
                continue;
            }
            let mut stack = vec![s];
            let mut idx = vec![k];
            self.extend(from, to, &mut stack, &mut idx, p, &mut out);
        }
        out
    }

    fn extend(
        &self,
        from: Option<usize>,
        to: usize,
        stack: &mut Vec<usize>,
        idx: &mut Vec<usize>,
        product: f64,
        out: &mut Vec<(Vec<usize>, Vec<usize>, f64)>,
    ) {
        let at = *stack.last().expect("non-empty path");
        if at == to {
            out.push((stack.clone(), idx.clone(), product));
            return;
        }
        for (k, e) in self.stages[at].edges.iter().enumerate() {
            if e.is_loop || Some(e.to) == from || stack.contains(&e.to) {
                continue;
            }
            stack.push(e.to);
            idx.push(k);
            self.extend(from, to, stack, idx, product * e.p, out);
            stack.pop();
            idx.pop();
        }
    }

    /// The path a skip names: fewest transitions, then the highest
    /// product of probabilities, then the earliest-declared transitions
    /// (compared step by step from the start of the path).
    pub fn shortest(&self, from: Option<usize>, to: usize) -> Option<Vec<usize>> {
        let mut paths = self.paths(from, to);
        paths
            .sort_by(|a, b| a.0.len().cmp(&b.0.len()).then(b.2.partial_cmp(&a.2).expect("finite")).then(a.1.cmp(&b.1)));
        paths.into_iter().next().map(|(mut stages, _, _)| {
            stages.pop();
            stages
        })
    }

    /// The stages in between on every path that is best on length and
    /// product (several when they tie).
    pub fn best_paths(&self, from: Option<usize>, to: usize) -> Vec<Vec<usize>> {
        let paths = self.paths(from, to);
        let Some(len) = paths.iter().map(|p| p.0.len()).min() else { return Vec::new() };
        let best = paths.iter().filter(|p| p.0.len() == len).map(|p| p.2).fold(f64::MIN, f64::max);
        paths
            .into_iter()
            .filter(|p| p.0.len() == len && p.2 == best)
            .map(|(mut stages, _, _)| {
                stages.pop();
                stages
            })
            .collect()
    }

    /// Whether two or more paths tie on length and product for `from -> to`.
    pub fn tie(&self, from: Option<usize>, to: usize) -> bool {
        let paths = self.paths(from, to);
        let Some(len) = paths.iter().map(|p| p.0.len()).min() else { return false };
        let short: Vec<f64> = paths.iter().filter(|p| p.0.len() == len).map(|p| p.2).collect();
        let best = short.iter().cloned().fold(f64::MIN, f64::max);
        short.iter().filter(|p| **p == best).count() > 1
    }

    pub fn classify(&self, u: Option<usize>, v: usize) -> Move {
        if let Some(m) = self.cache.borrow().get(&(u, v)) {
            return m.clone();
        }
        let m = if self.declared(u, v) {
            Move::Conforming
        } else if u.is_some_and(|u| self.is_outcome(u)) {
            Move::Reopened
        } else if let Some(path) = self.shortest(u, v) {
            Move::Skip(path)
        } else if let Some(u) = u
            && !self.paths(Some(v), u).is_empty()
        {
            Move::Backward
        } else {
            Move::Jump
        };
        self.cache.borrow_mut().insert((u, v), m.clone());
        m
    }

    /// Stages `v` such that `u -> v` is a move of the given kind.
    pub fn targets(&self, u: Option<usize>, kind: &str) -> Vec<usize> {
        (0..self.stages.len()).filter(|&v| Some(v) != u && self.classify(u, v).name() == Some(kind)).collect()
    }
}

/// How often each deviation and each kind of noise is put in.
#[derive(Debug, Clone)]
pub struct Noise {
    /// Per move from a stage that is not an outcome.
    pub skip: f64,
    pub backward: f64,
    pub jump: f64,
    /// Per case: its first visit is not an entry.
    pub late_start: f64,
    /// Per case that reached an outcome: it moves again.
    pub reopen: f64,
    /// Per stay at a stage with `within`: longer than the limit.
    pub breach: f64,
    /// Per case: it stops before an outcome.
    pub open: f64,
    /// Per visit at a stage without a self-loop: more rows at that stage.
    pub repeat: f64,
    /// Per visit: an event under a name that is no stage.
    pub unknown: f64,
    /// Per event: a bad row next to it.
    pub bad_row: f64,
    /// Per stay: none at all (the next visit at the same moment).
    pub zero_stay: f64,
    /// Rows in random order (equal times of a case keep their order).
    pub shuffle: bool,
    /// Names written as titles, in other cases, with spaces.
    pub name_forms: bool,
    /// Timestamps in every form of AUDIT.md §1.
    pub time_forms: bool,
}

impl Noise {
    /// Everything at once.
    pub fn all() -> Noise {
        Noise {
            skip: 0.04,
            backward: 0.03,
            jump: 0.03,
            late_start: 0.05,
            reopen: 0.08,
            breach: 0.08,
            open: 0.2,
            repeat: 0.15,
            unknown: 0.03,
            bad_row: 0.01,
            zero_stay: 0.03,
            shuffle: true,
            name_forms: true,
            time_forms: true,
        }
    }

    /// Cases that only follow the process: no deviation, no noise.
    pub fn none() -> Noise {
        Noise {
            skip: 0.0,
            backward: 0.0,
            jump: 0.0,
            late_start: 0.0,
            reopen: 0.0,
            breach: 0.0,
            open: 0.0,
            repeat: 0.0,
            unknown: 0.0,
            bad_row: 0.0,
            zero_stay: 0.0,
            shuffle: false,
            name_forms: false,
            time_forms: false,
        }
    }
}

/// Names that match no stage of any process used here.
pub const UNKNOWN_NAMES: [&str; 4] = ["Qualifcation", "Closed (old pipeline)", "Stage 7", "Negotiation/Review"];

/// One generated event of a case.
#[derive(Debug, Clone)]
pub struct GenEvent {
    /// The name as written in the log.
    pub name: String,
    /// The stage it names; `None` for an unknown name.
    pub stage: Option<usize>,
    pub time: i64,
    pub resource: Option<String>,
    pub role: Option<String>,
    /// What the generator put in here, for its own check.
    pub injected: Option<&'static str>,
    /// Filled when the file is laid out.
    pub row: u64,
}

#[derive(Debug, Clone)]
pub struct GenCase {
    pub id: String,
    /// In the intended time order (equal times in file order).
    pub events: Vec<GenEvent>,
}

/// A bad row and the problem it must be.
#[derive(Debug, Clone)]
pub struct BadRow {
    pub text: String,
    pub kind: &'static str,
    pub row: u64,
}

/// A generated log: its cases, its bad rows, and the CSV text.
#[derive(Debug, Clone)]
pub struct GenLog {
    pub cases: Vec<GenCase>,
    pub bad: Vec<BadRow>,
    pub csv: String,
    /// Case indices in the order of their first row in the file.
    pub case_order: Vec<usize>,
}

fn stay_for(rng: &mut Rng, stage: &StageInfo, noise: &Noise, grain: i64) -> i64 {
    let stay = if rng.chance(noise.zero_stay) {
        0
    } else if let Some(w) = stage.within {
        let limit = w * MINUTE;
        if rng.chance(noise.breach) {
            // Just over, or well over.
            if rng.chance(0.2) { limit + grain } else { limit + rng.range(1, 2 * limit) }
        } else if rng.chance(0.05) {
            limit
        } else {
            rng.range(0, limit + 1)
        }
    } else {
        let typical = stage.takes.unwrap_or(24 * 60) * MINUTE;
        rng.range(0, 3 * typical)
    };
    // Whole grains; a stay just over the limit stays over it.
    let rounded = stay / grain * grain;
    if let Some(w) = stage.within
        && stay > w * MINUTE
        && rounded <= w * MINUTE
    {
        return rounded + grain;
    }
    rounded
}

/// Generates `n` cases through `proc`.
pub fn generate(proc: &Proc, n: usize, seed: u64, noise: &Noise) -> GenLog {
    let mut rng = Rng::new(seed);
    let mut cases = Vec::with_capacity(n);
    let people = ["ann", "bob", "chen", "dora", "emil"];
    for c in 0..n {
        let grain = match rng.below(3) {
            0 => 1,
            1 => SECOND,
            _ => MINUTE,
        };
        let mut t = (JAN_4_2027 + rng.range(0, 60 * DAY)) / grain * grain;
        let open = rng.chance(noise.open);
        let mut visits: Vec<(usize, Option<&'static str>)> = Vec::new();
        // The first visit.
        let late = rng.chance(noise.late_start);
        let first = if late {
            let targets = proc.targets(None, "skip");
            (!targets.is_empty()).then(|| (targets[rng.below(targets.len())], Some("skip")))
        } else {
            None
        };
        let first = first.unwrap_or_else(|| {
            let w: Vec<f64> = proc.entries.iter().map(|e| e.1).collect();
            (proc.entries[rng.weighted(&w)].0, None)
        });
        visits.push(first);
        loop {
            let (cur, _) = *visits.last().expect("a visit");
            if visits.len() >= 40 {
                break;
            }
            if proc.is_outcome(cur) {
                if !rng.chance(noise.reopen) {
                    break;
                }
                let others: Vec<usize> = (0..proc.stages.len()).filter(|&s| s != cur).collect();
                visits.push((others[rng.below(others.len())], Some("reopened")));
                continue;
            }
            if open && rng.chance(0.3) {
                break;
            }
            let r = rng.unit();
            let kind = if r < noise.skip {
                Some("skip")
            } else if r < noise.skip + noise.backward {
                Some("backward")
            } else if r < noise.skip + noise.backward + noise.jump {
                Some("jump")
            } else {
                None
            };
            if let Some(kind) = kind {
                let targets = proc.targets(Some(cur), kind);
                if !targets.is_empty() {
                    visits.push((targets[rng.below(targets.len())], Some(kind)));
                    continue;
                }
            }
            let edges = &proc.stages[cur].edges;
            let w: Vec<f64> = edges.iter().map(|e| e.p).collect();
            visits.push((edges[rng.weighted(&w)].to, None));
        }
        // An open case must not end at an outcome; a closed one must.
        if open {
            while visits.len() > 1 && proc.is_outcome(visits.last().expect("a visit").0) {
                visits.pop();
            }
            if proc.is_outcome(visits[0].0) {
                visits = vec![(proc.entries[0].0, None)];
            }
        }

        let owner = people[rng.below(people.len())];
        let mut events = Vec::new();
        let name_of = |rng: &mut Rng, s: usize| -> String {
            let st = &proc.stages[s];
            if !noise.name_forms {
                return st.id.clone();
            }
            match rng.below(5) {
                0 | 1 => st.id.clone(),
                2 => st.title.clone(),
                3 => format!("  {}  ", st.title.to_uppercase()),
                _ => st.title.to_lowercase(),
            }
        };
        let unknown_event = |rng: &mut Rng, time: i64| GenEvent {
            name: UNKNOWN_NAMES[rng.below(UNKNOWN_NAMES.len())].to_string(),
            stage: None,
            time,
            resource: Some(owner.to_string()),
            role: None,
            injected: Some("unknown"),
            row: 0,
        };
        for (k, &(stage, injected)) in visits.iter().enumerate() {
            let last = k + 1 == visits.len();
            let stay = if last {
                rng.range(0, 2 * DAY) / grain * grain
            } else {
                stay_for(&mut rng, &proc.stages[stage], noise, grain)
            };
            if k == 0 && rng.chance(noise.unknown) {
                let before = t - rng.range(0, HOUR) / grain * grain;
                events.push(unknown_event(&mut rng, before));
            }
            let resource = if rng.chance(0.1) { None } else { Some(owner.to_string()) };
            events.push(GenEvent {
                name: name_of(&mut rng, stage),
                stage: Some(stage),
                time: t,
                resource,
                role: None,
                injected,
                row: 0,
            });
            let inside = |rng: &mut Rng| if stay == 0 { t } else { t + rng.range(0, stay) / grain * grain };
            if !proc.self_loop(stage) && rng.chance(noise.repeat) {
                for _ in 0..1 + rng.below(3) {
                    let time = inside(&mut rng);
                    events.push(GenEvent {
                        name: name_of(&mut rng, stage),
                        stage: Some(stage),
                        time,
                        resource: Some(owner.to_string()),
                        role: None,
                        injected: Some("repeat"),
                        row: 0,
                    });
                }
            }
            if rng.chance(noise.unknown) {
                let time = inside(&mut rng);
                events.push(unknown_event(&mut rng, time));
            }
            t += stay;
        }
        // The intended order: by time, equal times in the order written.
        events.sort_by_key(|e| e.time);
        cases.push(GenCase { id: format!("{}-{c:05}", proc.id.chars().take(3).collect::<String>()), events });
    }
    lay_out(cases, &mut rng, noise)
}

/// Writes the CSV: rows per case in time order, bad rows among them,
/// shuffled when asked (equal times of a case keep their file order), and
/// fills in every row number.
fn lay_out(mut cases: Vec<GenCase>, rng: &mut Rng, noise: &Noise) -> GenLog {
    enum Item {
        Event(usize, usize),
        Bad(String, &'static str),
    }
    let mut items = Vec::new();
    for (c, case) in cases.iter().enumerate() {
        for e in 0..case.events.len() {
            items.push(Item::Event(c, e));
            if rng.chance(noise.bad_row) {
                let (text, kind) = bad_row(rng, &case.id);
                items.push(Item::Bad(text, kind));
            }
        }
    }
    if noise.shuffle {
        for i in (1..items.len()).rev() {
            items.swap(i, rng.below(i + 1));
        }
        // Equal times of a case go back to their order.
        let mut groups: BTreeMap<(usize, i64), Vec<usize>> = BTreeMap::new();
        for (pos, item) in items.iter().enumerate() {
            if let Item::Event(c, e) = item {
                groups.entry((*c, cases[*c].events[*e].time)).or_default().push(pos);
            }
        }
        for positions in groups.values() {
            let mut members: Vec<(usize, usize)> = positions
                .iter()
                .map(|&p| match items[p] {
                    Item::Event(c, e) => (c, e),
                    Item::Bad(..) => unreachable!(),
                })
                .collect();
            members.sort();
            for (p, (c, e)) in positions.iter().zip(members) {
                items[*p] = Item::Event(c, e);
            }
        }
    }
    let mut csv = String::from("deal_id,stage,timestamp,owner\n");
    let mut bad = Vec::new();
    let mut case_order = Vec::new();
    let mut seen = vec![false; cases.len()];
    for (i, item) in items.iter().enumerate() {
        let row = i as u64 + 2;
        match item {
            Item::Event(c, e) => {
                if !seen[*c] {
                    seen[*c] = true;
                    case_order.push(*c);
                }
                let case_id = cases[*c].id.clone();
                let ev = &mut cases[*c].events[*e];
                ev.row = row;
                let time = if noise.time_forms { time_text(rng, ev.time) } else { rfc3339(ev.time) };
                csv.push_str(&format!(
                    "{},{},{},{}\n",
                    field(&case_id),
                    field(&ev.name),
                    field(&time),
                    field(ev.resource.as_deref().unwrap_or(""))
                ));
            }
            Item::Bad(text, kind) => {
                csv.push_str(text);
                csv.push('\n');
                bad.push(BadRow { text: text.clone(), kind, row });
            }
        }
    }
    GenLog { cases, bad, csv, case_order }
}

fn bad_row(rng: &mut Rng, case: &str) -> (String, &'static str) {
    match rng.below(7) {
        0 => (format!("{case},lead,2027-01-05T10:00:00Z"), "malformed_row"),
        1 => (format!("{case},lead,2027-01-05T10:00:00Z,ann,extra"), "malformed_row"),
        2 => (format!("{case},,2027-01-05T10:00:00Z,ann"), "empty_field"),
        3 => (",lead,2027-01-05T10:00:00Z,ann".to_string(), "empty_field"),
        4 => (format!("{case},lead,  ,ann"), "empty_field"),
        5 => (format!("{case},lead,yesterday,ann"), "bad_timestamp"),
        _ => (format!("{case},lead,2027-02-30T10:00:00Z,ann"), "bad_timestamp"),
    }
}

/// A CSV field, quoted when it must be.
pub fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
pub fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// (date, hour, minute, second, millisecond) of a UTC moment shifted by
/// `offset` minutes.
fn parts(t: i64, offset: i64) -> (String, i64, i64, i64, i64) {
    let local = t + offset * MINUTE;
    let (y, m, d) = civil(local.div_euclid(DAY));
    let ms = local.rem_euclid(DAY);
    (format!("{y:04}-{m:02}-{d:02}"), ms / HOUR, ms / MINUTE % 60, ms / SECOND % 60, ms % 1000)
}

/// RFC 3339 in UTC as the audit's JSON writes it: seconds, and
/// milliseconds only when there are any.
pub fn rfc3339(t: i64) -> String {
    let (date, h, mi, s, ms) = parts(t, 0);
    if ms == 0 { format!("{date}T{h:02}:{mi:02}:{s:02}Z") } else { format!("{date}T{h:02}:{mi:02}:{s:02}.{ms:03}Z") }
}

/// The same moment in one of the forms of AUDIT.md §1 that can hold it.
pub fn time_text(rng: &mut Rng, t: i64) -> String {
    let (date, h, mi, s, ms) = parts(t, 0);
    match rng.below(6) {
        0 if ms == 0 => format!("{date}T{h:02}:{mi:02}:{s:02}Z"),
        1 => {
            let (date, h, mi, s, ms) = parts(t, 180);
            format!("{date}T{h:02}:{mi:02}:{s:02}.{ms:03}+03:00")
        }
        2 if ms == 0 && s == 0 => format!("{date} {h:02}:{mi:02}"),
        3 if ms == 0 => format!("{date} {h:02}:{mi:02}:{s:02}"),
        4 => format!("{date}T{h:02}:{mi:02}:{s:02}.{ms:03}+0000"),
        5 if ms == 0 && s == 0 && mi == 0 && h == 0 => date,
        _ => {
            let (date, h, mi, s, ms) = parts(t, -330);
            format!("{date}T{h:02}:{mi:02}:{s:02}.{ms:03}-05:30")
        }
    }
}

// ------------------------------------------------------------------ truth

/// A deviation as the audit must report it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dev {
    pub kind: &'static str,
    pub event: u64,
    pub row: Option<u64>,
    /// When its event happened, as the JSON writes it.
    pub time: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub skipped: Option<Vec<String>>,
    pub stage: Option<String>,
    pub stay_minutes: Option<i64>,
    pub limit_minutes: Option<i64>,
    pub resource: Option<String>,
}

/// One visit, as §2 defines it.
#[derive(Debug, Clone, Copy)]
pub struct Visit {
    pub stage: usize,
    pub event: usize,
    pub time: i64,
}

#[derive(Debug, Clone)]
pub struct TruthCase {
    pub id: String,
    pub events: u64,
    pub outcome: Option<String>,
    pub moves: u64,
    pub flow: u64,
    pub fits: bool,
    pub fitness: f64,
    pub deviations: Vec<Dev>,
    pub visits: Vec<Visit>,
}

#[derive(Debug, Clone, Default)]
pub struct StageTruth {
    pub visits: u64,
    /// Completed stays counted, in milliseconds.
    pub stays: Vec<i64>,
    pub breaches: u64,
    pub rotting: u64,
    pub closed: u64,
    pub won: u64,
}

/// What the audit must find in a generated log.
#[derive(Debug, Clone)]
pub struct Truth {
    pub cases: Vec<TruthCase>,
    pub events: u64,
    pub rows: u64,
    pub first: i64,
    pub last: i64,
    pub as_of: i64,
    /// (from, to) → moves counted.
    pub pairs: BTreeMap<(Option<usize>, usize), u64>,
    pub exits: BTreeMap<Option<usize>, u64>,
    pub stages: Vec<StageTruth>,
    /// Unknown name → events.
    pub unknown: BTreeMap<String, u64>,
    pub counts: BTreeMap<&'static str, u64>,
    pub moves: u64,
}

/// The window of `--from` / `--to`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    pub from: Option<i64>,
    pub to: Option<i64>,
}

impl Window {
    pub fn counts(&self, t: i64) -> bool {
        self.from.is_none_or(|f| t >= f) && self.to.is_none_or(|e| t < e)
    }
}

/// Works out, from the definitions, what the audit must report.
pub fn truth(proc: &Proc, log: &GenLog, as_of: Option<i64>, window: Window) -> Truth {
    let all = || log.cases.iter().flat_map(|c| &c.events);
    let first = all().map(|e| e.time).min().expect("events");
    let last = all().map(|e| e.time).max().expect("events");
    let as_of = as_of.unwrap_or(last);
    let mut unknown = BTreeMap::new();
    for e in all().filter(|e| e.stage.is_none()) {
        *unknown.entry(e.name.clone()).or_insert(0) += 1;
    }
    let mut t = Truth {
        cases: Vec::new(),
        events: all().count() as u64,
        rows: all().count() as u64 + log.bad.len() as u64,
        first,
        last,
        as_of,
        pairs: BTreeMap::new(),
        exits: BTreeMap::new(),
        stages: vec![StageTruth::default(); proc.stages.len()],
        unknown,
        counts: BTreeMap::new(),
        moves: 0,
    };
    for &c in &log.case_order {
        let case = &log.cases[c];
        // Time order; equal times in file order.
        let mut events: Vec<&GenEvent> = case.events.iter().collect();
        events.sort_by_key(|e| (e.time, e.row));
        if !events.iter().any(|e| window.counts(e.time)) {
            continue;
        }
        let mut visits: Vec<Visit> = Vec::new();
        for (i, e) in events.iter().enumerate() {
            let Some(s) = e.stage else { continue };
            if visits.last().is_some_and(|v| v.stage == s && !proc.self_loop(s)) {
                continue;
            }
            visits.push(Visit { stage: s, event: i, time: e.time });
        }
        let id = |s: usize| proc.stages[s].id.clone();
        let mut devs = Vec::new();
        let mut moves = 0;
        let mut flow = 0;
        for (k, v) in visits.iter().enumerate() {
            if !window.counts(v.time) {
                continue;
            }
            let from = k.checked_sub(1).map(|j| visits[j].stage);
            moves += 1;
            *t.exits.entry(from).or_insert(0) += 1;
            *t.pairs.entry((from, v.stage)).or_insert(0) += 1;
            t.stages[v.stage].visits += 1;
            let m = proc.classify(from, v.stage);
            if let Some(kind) = m.name() {
                flow += 1;
                let ev = events[v.event];
                devs.push(Dev {
                    kind,
                    event: v.event as u64,
                    row: Some(ev.row),
                    time: rfc3339(ev.time),
                    from: from.map(id),
                    to: Some(id(v.stage)),
                    skipped: match &m {
                        Move::Skip(between) => Some(between.iter().map(|&s| id(s)).collect()),
                        _ => None,
                    },
                    stage: None,
                    stay_minutes: None,
                    limit_minutes: None,
                    resource: ev.resource.clone(),
                });
            }
        }
        let outcome = visits.last().filter(|v| proc.is_outcome(v.stage)).map(|v| v.stage);
        for (k, v) in visits.iter().enumerate() {
            let st = &proc.stages[v.stage];
            let (stay, kind) = match visits.get(k + 1) {
                Some(next) => (next.time - v.time, "time_breach"),
                None if outcome.is_none() => (as_of - v.time, "rotting"),
                None => continue,
            };
            if kind == "time_breach" {
                if !window.counts(v.time) {
                    continue;
                }
                t.stages[v.stage].stays.push(stay);
            }
            let Some(w) = st.within else { continue };
            if stay <= w * MINUTE {
                continue;
            }
            if kind == "time_breach" {
                t.stages[v.stage].breaches += 1;
            } else {
                t.stages[v.stage].rotting += 1;
            }
            let ev = events[v.event];
            devs.push(Dev {
                kind,
                event: v.event as u64,
                row: Some(ev.row),
                time: rfc3339(ev.time),
                from: None,
                to: None,
                skipped: None,
                stage: Some(st.id.clone()),
                stay_minutes: Some(stay.div_euclid(MINUTE)),
                limit_minutes: Some(w),
                resource: ev.resource.clone(),
            });
        }
        if let Some(o) = outcome {
            let won = proc.stages[o].outcome == Some(true);
            let mut seen = Vec::new();
            for v in visits.iter().filter(|v| window.counts(v.time)) {
                if !seen.contains(&v.stage) {
                    seen.push(v.stage);
                    t.stages[v.stage].closed += 1;
                    t.stages[v.stage].won += u64::from(won);
                }
            }
        }
        for d in &devs {
            *t.counts.entry(d.kind).or_insert(0) += 1;
        }
        devs.sort_by_key(|d| (d.event, matches!(d.kind, "time_breach" | "rotting")));
        t.moves += moves;
        t.cases.push(TruthCase {
            id: case.id.clone(),
            events: events.len() as u64,
            outcome: outcome.map(id),
            moves,
            flow,
            fits: flow == 0,
            fitness: if moves == 0 { 1.0 } else { 1.0 - flow as f64 / moves as f64 },
            deviations: devs,
            visits,
        });
    }
    t
}

/// The text of a random process: stages `s0`… in an order every forward
/// transition follows, one or two entries, a few `loop` transitions back,
/// and `won` / `lost` outcomes. Some do not compile (a stage no client
/// reaches): the caller skips those.
pub fn random_process(rng: &mut Rng) -> String {
    let n = 3 + rng.below(6);
    let mut text = String::from("process r \"Random\" {\n  role rep \"Rep\" { headcount 1 capacity 6h/day }\n");
    let two_entries = rng.chance(0.5);
    for i in 0..n {
        let mut items = String::new();
        match (i, two_entries) {
            (0, false) => items.push_str("entry "),
            (0, true) => items.push_str("entry 60% "),
            (1, true) => items.push_str("entry 40% "),
            _ => {}
        }
        let mut left = 100;
        let mut targets: Vec<usize> = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let t = i + 1 + rng.below(n - i);
            if targets.contains(&t) {
                continue;
            }
            targets.push(t);
            let p = [10, 20, 25, 30, 50][rng.below(5)].min(left - 10);
            if p <= 0 {
                continue;
            }
            left -= p;
            let name = if t >= n { "won".to_string() } else { format!("s{t}") };
            items.push_str(&format!("-> {name} {p}% "));
        }
        if i > 0 && rng.chance(0.3) && left > 20 {
            items.push_str(&format!("-> s{} 10% loop \"again\" ", rng.below(i + 1)));
        }
        items.push_str("-> lost");
        text.push_str(&format!("  stage s{i} \"S{i}\" {{ owner rep instruct rep {{ \"Work\" }} {items} }}\n"));
    }
    text.push_str("  stage won \"Won\" { outcome won }\n  stage lost \"Lost\" { outcome lost }\n}\n");
    text
}
