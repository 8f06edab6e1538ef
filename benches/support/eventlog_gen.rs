//! A generator of large CRM event logs for the audit benchmark and the
//! PM4Py comparison: deals walking a process by its declared probabilities,
//! with deviations, written as CSV (`case_id,stage,timestamp,resource`, RFC
//! 3339 timestamps) in time order, the cases interleaved as a CRM's export
//! of its history is. Deterministic: the same settings give the same bytes.
//!
//! - Every move has a 3% chance of going to a stage the process does not
//!   declare there (a skip, a return or a jump, whatever the audit makes of
//!   it), and a closed deal a 1% chance of being reopened.
//! - Deals start over a year and the export is taken a month later, so the
//!   deals still under way then are open.
//! - Stays are drawn around the stage's `takes` (exponential, capped at
//!   four times its `within`), so some breach their limit.
//! - `repeats`: a visit is logged by several rows, as a CRM writes one for
//!   every change of a deal (amount, close date); 1.8 rows per visit on
//!   average.
//! - `unknown`: one row in 2,000 names a stage the process does not have.
//! - `wide`: extra columns of 200 bytes each, to show that memory does not
//!   grow with the width of the rows.

use procdef::model::{Model, StageId};
use std::io::{self, Write};

/// A small deterministic pseudo-random sequence (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Rows to write (at least; the last case is written whole).
    pub events: usize,
    pub repeats: bool,
    pub unknown: bool,
    /// Extra columns of 200 bytes.
    pub wide: usize,
}

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    pub events: usize,
    pub cases: usize,
    pub bytes: u64,
}

/// One row before sorting: 12 bytes, so that 10 million fit in 120 MB.
#[derive(Clone, Copy)]
struct Row {
    /// Seconds since 2027-01-01T00:00:00Z.
    time: u32,
    case: u32,
    /// Index into the stage names, or `u16::MAX` for the unknown stage.
    stage: u16,
    resource: u16,
}

/// 2027-01-01T00:00:00Z in seconds since 1970.
const EPOCH_2027: i64 = 1_798_761_600;
/// Deals start over one year.
const YEAR: f64 = 365.0 * 86_400.0;
/// The export is taken 30 days after the last deal started: deals still
/// under way then are open.
const END: f64 = YEAR + 30.0 * 86_400.0;
/// Sales people.
const PEOPLE: usize = 240;
/// The name the `unknown` rows give: no stage of the example has it.
const UNKNOWN: &str = "Negotiation";

/// The process as the walk sees it.
struct Walk {
    ids: Vec<String>,
    /// Per stage: declared targets with cumulative probabilities.
    next: Vec<Vec<(usize, f64)>>,
    entries: Vec<(usize, f64)>,
    outcome: Vec<bool>,
    /// Mean stay in seconds, and the cap.
    stay: Vec<(f64, f64)>,
    working: Vec<usize>,
}

fn cumulative(items: impl Iterator<Item = (usize, f64)>) -> Vec<(usize, f64)> {
    let items: Vec<(usize, f64)> = items.collect();
    let total: f64 = items.iter().map(|x| x.1).sum::<f64>().max(1e-12);
    let mut acc = 0.0;
    items
        .into_iter()
        .map(|(t, p)| {
            acc += p / total;
            (t, acc)
        })
        .collect()
}

fn pick(items: &[(usize, f64)], u: f64) -> usize {
    items.iter().find(|x| u < x.1).or(items.last()).map_or(0, |x| x.0)
}

impl Walk {
    fn new(model: &Model) -> Walk {
        let shares = procdef::funnel::entry_shares(model);
        Walk {
            ids: model.stages.iter().map(|s| s.id.clone()).collect(),
            next: model
                .stages
                .iter()
                .map(|s| cumulative(s.transitions.iter().filter_map(|t| Some((t.target?.0, t.probability)))))
                .collect(),
            entries: cumulative(model.entries().map(|s: StageId| (s.0, shares[s.0]))),
            outcome: model.stages.iter().map(|s| s.is_terminal()).collect(),
            stay: model
                .stages
                .iter()
                .map(|s| {
                    let takes = f64::from(s.typical_minutes().unwrap_or(24 * 60)) * 60.0;
                    let cap = f64::from(s.within.unwrap_or(s.typical_minutes().unwrap_or(24 * 60))) * 60.0 * 4.0;
                    (takes, cap)
                })
                .collect(),
            working: (0..model.stages.len()).filter(|&i| !model.stages[i].is_terminal()).collect(),
        }
    }

    /// One deal's rows.
    fn case(&self, rng: &mut Rng, case: u32, spec: &Spec, rows: &mut Vec<Row>) {
        let mut t = rng.unit() * YEAR;
        let owner = rng.below(PEOPLE) as u16;
        let mut stage = pick(&self.entries, rng.unit());
        for _visit in 0..40 {
            let (mean, cap) = self.stay[stage];
            let stay = (-(1.0 - rng.unit()).ln() * mean).min(cap).max(60.0);
            let logged = if spec.repeats && !self.outcome[stage] {
                // 1 + a geometric count with mean 0.8.
                let mut n = 1;
                while n < 8 && rng.chance(0.45) {
                    n += 1;
                }
                n
            } else {
                1
            };
            for k in 0..logged {
                let at = t + stay * k as f64 / (logged as f64 + 1.0);
                if at >= END {
                    // The export was taken: what follows has not happened.
                    return;
                }
                let resource = if rng.chance(0.1) { rng.below(PEOPLE) as u16 } else { owner };
                let name = if spec.unknown && rng.below(2000) == 0 { u16::MAX } else { stage as u16 };
                rows.push(Row { time: at as u32, case, stage: name, resource });
            }
            if self.outcome[stage] {
                if rng.chance(0.01) {
                    stage = self.working[rng.below(self.working.len())];
                    t += stay;
                    continue;
                }
                break;
            }
            t += stay;
            let declared = &self.next[stage];
            stage = if rng.chance(0.03) {
                // Anywhere the process does not lead from here.
                let others: Vec<usize> =
                    (0..self.ids.len()).filter(|&s| s != stage && !declared.iter().any(|d| d.0 == s)).collect();
                if others.is_empty() { pick(declared, rng.unit()) } else { others[rng.below(others.len())] }
            } else {
                pick(declared, rng.unit())
            };
        }
    }
}

/// `2027-01-04T09:00:00Z` of seconds since 1970.
fn rfc3339(out: &mut Vec<u8>, seconds: i64) {
    let days = seconds.div_euclid(86_400);
    let s = seconds.rem_euclid(86_400);
    // Days to a civil date (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let two = |out: &mut Vec<u8>, v: i64| out.extend_from_slice(&[b'0' + (v / 10) as u8, b'0' + (v % 10) as u8]);
    two(out, year / 100);
    two(out, year % 100);
    out.push(b'-');
    two(out, month);
    out.push(b'-');
    two(out, day);
    out.push(b'T');
    two(out, s / 3600);
    out.push(b':');
    two(out, s / 60 % 60);
    out.push(b':');
    two(out, s % 60);
    out.push(b'Z');
}

/// Writes the log of `spec.events` rows of deals walking `model`.
pub fn write(model: &Model, spec: &Spec, out: &mut impl Write) -> io::Result<Written> {
    let walk = Walk::new(model);
    let mut rng = Rng(0x2545_F491_4F6C_DD1D ^ spec.events as u64);
    let mut rows: Vec<Row> = Vec::with_capacity(spec.events + 64);
    let mut cases = 0u32;
    while rows.len() < spec.events {
        walk.case(&mut rng, cases, spec, &mut rows);
        cases += 1;
    }
    // Time order, the cases interleaved; ties keep the order of the walk.
    rows.sort_by_key(|r| r.time);
    let mut header = b"case_id,stage,timestamp,resource".to_vec();
    for i in 0..spec.wide {
        header.extend_from_slice(format!(",note_{i}").as_bytes());
    }
    header.push(b'\n');
    let filler: Vec<u8> = (0..200).map(|i| b"lorem ipsum dolor sit amet "[i % 27]).collect();
    let mut buf = Vec::with_capacity(1 << 20);
    let mut bytes = 0u64;
    buf.extend_from_slice(&header);
    for r in &rows {
        buf.extend_from_slice(format!("D{:07}", r.case + 1).as_bytes());
        buf.push(b',');
        match r.stage {
            u16::MAX => buf.extend_from_slice(UNKNOWN.as_bytes()),
            s => buf.extend_from_slice(walk.ids[s as usize].as_bytes()),
        }
        buf.push(b',');
        rfc3339(&mut buf, EPOCH_2027 + i64::from(r.time));
        buf.extend_from_slice(format!(",rep-{:03}", r.resource).as_bytes());
        for _ in 0..spec.wide {
            buf.push(b',');
            buf.extend_from_slice(&filler);
        }
        buf.push(b'\n');
        if buf.len() >= 1 << 20 {
            out.write_all(&buf)?;
            bytes += buf.len() as u64;
            buf.clear();
        }
    }
    out.write_all(&buf)?;
    bytes += buf.len() as u64;
    out.flush()?;
    Ok(Written { events: rows.len(), cases: cases as usize, bytes })
}
