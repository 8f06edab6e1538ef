//! `procdef audit` (AUDIT.md): the worked example field by field, logs
//! generated from the examples with deviations at known places (every one
//! found, nothing else), the measures of §3 against figures worked out
//! independently, and the command line's exit codes.

mod common;
#[path = "support/eventlog.rs"]
mod eventlog;

use eventlog::{DAY, Dev, GenLog, HOUR, JAN_4_2027, MINUTE, Noise, Proc, Truth, Window};
use procdef::audit::log::LogBuilder;
use procdef::audit::names::NameMap;
use procdef::audit::read::{self, Form, Options};
use procdef::audit::report::Report;
use procdef::audit::time::{TimeReader, Zone};
use procdef::audit::{self, By, Settings};
use procdef::funnel::Analysis;
use procdef::model::Model;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(path: &str) -> PathBuf {
    common::root().join("tests/fixtures/audit").join(path)
}

fn compile(path: &Path) -> (Model, Analysis) {
    let bytes = std::fs::read(path).expect("process file");
    let compiled = procdef::compile(&bytes);
    assert!(!compiled.has_errors(), "{}: {:?}", path.display(), compiled.diagnostics);
    (compiled.model.expect("model"), compiled.analysis.expect("analysis"))
}

/// The processes logs are generated from: the two examples (with their
/// loops), the worked example's, and one with two tracks (for jumps and
/// ties between equally short paths).
fn processes() -> Vec<PathBuf> {
    vec![
        common::root().join("examples/sales-process.proc"),
        common::root().join("examples/sales-process-ru.proc"),
        fixture("conformance/tiny.proc"),
        fixture("generated/branches.proc"),
    ]
}

fn read_log(form: Form, text: &str, options: &Options) -> procdef::audit::log::Log {
    let mut b = LogBuilder::new();
    b.start_file("log.csv", true);
    read::read(form, text.as_bytes(), &mut b, options).expect("readable log");
    b.finish()
}

fn run(model: &Model, analysis: &Analysis, csv: &str, settings: &Settings) -> Report {
    let log = read_log(Form::Csv, csv, &Options::default());
    audit::audit(model, analysis, log, &NameMap::new(model), settings)
}

fn procdef(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_procdef")).args(args).current_dir(dir).output().expect("procdef runs")
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

fn report_devs(case: &procdef::audit::report::Case) -> Vec<Dev> {
    case.deviations
        .iter()
        .map(|d| Dev {
            kind: d.kind.name(),
            event: d.event,
            row: d.row,
            time: procdef::audit::time::rfc3339(d.time),
            from: d.from.as_deref().map(str::to_string),
            to: d.to.as_deref().map(str::to_string),
            skipped: d.skipped.as_ref().map(|s| s.iter().map(|x| x.to_string()).collect()),
            stage: d.stage.as_deref().map(str::to_string),
            stay_minutes: d.stay_minutes,
            limit_minutes: d.limit_minutes.map(i64::from),
            resource: d.resource.as_deref().map(str::to_string),
        })
        .collect()
}

// ---------------------------------------------------------------- the worked example

/// Compares every key `expected` has with `actual`; lists by position,
/// numbers exactly.
fn compare(expected: &Value, actual: &Value, path: &str, errors: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                match a.get(k) {
                    Some(w) => compare(v, w, &format!("{path}.{k}"), errors),
                    None => errors.push(format!("{path}.{k}: missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            // Rows of moves the process does not declare follow the
            // declared transitions; expected.json lists only the declared.
            let extra_allowed =
                path == ".transitions" && a[e.len().min(a.len())..].iter().all(|row| row["declared"].is_null());
            if e.len() != a.len() && !(extra_allowed && a.len() > e.len()) {
                errors.push(format!("{path}: {} items, expected {}", a.len(), e.len()));
            }
            for (i, (v, w)) in e.iter().zip(a).enumerate() {
                compare(v, w, &format!("{path}[{i}]"), errors);
            }
        }
        (Value::Number(e), Value::Number(a)) if e.as_f64() != a.as_f64() => {
            errors.push(format!("{path}: {a}, expected {e}"));
        }
        (Value::Number(_), Value::Number(_)) => {}
        (e, a) if e != a => errors.push(format!("{path}: {a}, expected {e}")),
        _ => {}
    }
}

#[test]
fn the_worked_example_gives_every_field_of_expected_json() {
    let dir = fixture("conformance");
    let out = procdef(&["audit", "tiny.proc", "--log", "log.csv", "--format", "json"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let actual = json_of(&out);
    let mut expected: Value =
        serde_json::from_slice(&std::fs::read(dir.join("expected.json")).expect("expected.json")).expect("JSON");
    // expected.json gives the as-of moment at the top; the report keeps it
    // with the other facts about the log.
    let as_of = expected.as_object_mut().expect("object").remove("as_of").expect("as_of");
    let mut errors = Vec::new();
    compare(&expected, &actual, "", &mut errors);
    compare(&as_of, &actual["log"]["as_of"], ".log.as_of", &mut errors);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // The comparison does look at values: a changed figure is caught.
    let mut wrong = actual.clone();
    wrong["cases"][1]["deviations"][0]["skipped"][0] = Value::from("lead");
    let mut caught = Vec::new();
    compare(&expected, &wrong, "", &mut caught);
    assert_eq!(caught.len(), 1, "{caught:?}");
    // Nothing is dropped silently.
    let log = &actual["log"];
    assert_eq!(log["rows"], 28);
    assert_eq!(
        log["rows"].as_u64(),
        Some(log["events"].as_u64().expect("events") + log["rows_skipped"].as_u64().expect("rows_skipped"))
    );
}

// ---------------------------------------------------------------- generated logs

/// Checks a report against what the generated log must give; returns the
/// deviations found and missed, for precision and recall.
fn check(proc: &Proc, glog: &GenLog, truth: &Truth, report: &Report, label: &str) -> (usize, usize, usize) {
    // The log's figures: nothing dropped silently.
    assert_eq!(report.log.events, truth.events, "{label}: events");
    assert_eq!(report.log.rows, truth.rows, "{label}: rows");
    assert_eq!(report.log.rows_skipped, glog.bad.len() as u64, "{label}: rows skipped");
    assert_eq!(report.log.rows, report.log.events + report.log.rows_skipped, "{label}");
    assert_eq!(report.log.first.as_deref(), Some(eventlog::rfc3339(truth.first).as_str()), "{label}");
    assert_eq!(report.log.last.as_deref(), Some(eventlog::rfc3339(truth.last).as_str()), "{label}");
    assert_eq!(report.log.as_of.as_deref(), Some(eventlog::rfc3339(truth.as_of).as_str()), "{label}");

    // Bad rows are problems with their rows; unknown names one problem
    // each, with their counts.
    let bad: BTreeSet<(u64, String)> = report
        .problems
        .iter()
        .filter(|p| p.name.is_none())
        .map(|p| {
            (p.row.expect("a row"), serde_json::to_value(p.kind).expect("JSON").as_str().expect("a kind").to_string())
        })
        .collect();
    let want: BTreeSet<(u64, String)> = glog.bad.iter().map(|b| (b.row, b.kind.to_string())).collect();
    assert_eq!(bad, want, "{label}: bad rows");
    let unknown: BTreeMap<String, u64> =
        report.problems.iter().filter_map(|p| p.name.clone().map(|n| (n, p.count))).collect();
    assert_eq!(unknown, truth.unknown, "{label}: unknown names");

    // Cases in the order of their first row, each with exactly its
    // deviations.
    let ids: Vec<&str> = report.cases.iter().map(|c| c.id.as_str()).collect();
    let want_ids: Vec<&str> = truth.cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, want_ids, "{label}: cases");
    let (mut found, mut reported, mut injected) = (0, 0, 0);
    let mut misses = Vec::new();
    for (c, t) in report.cases.iter().zip(&truth.cases) {
        let got = report_devs(c);
        reported += got.len();
        injected += t.deviations.len();
        let mut left = t.deviations.clone();
        for d in &got {
            if let Some(i) = left.iter().position(|x| x == d) {
                left.remove(i);
                found += 1;
            } else {
                misses.push(format!("{}: reported {d:?}", c.id));
            }
        }
        misses.extend(left.iter().map(|d| format!("{}: missed {d:?}", c.id)));
        if got == t.deviations {
            assert_eq!(
                (c.events, c.outcome.as_deref(), c.moves, c.fits, c.fitness),
                (t.events, t.outcome.as_deref(), t.moves, t.fits, t.fitness),
                "{label}: case {}",
                c.id
            );
        }
    }
    assert!(
        misses.is_empty(),
        "{label}: {} differences, the first:\n{}",
        misses.len(),
        misses[..misses.len().min(12)].join("\n")
    );

    // The summary.
    let s = &report.summary;
    let count = |k: &str| truth.counts.get(k).copied().unwrap_or(0);
    assert_eq!(
        [
            s.deviations.skip,
            s.deviations.backward,
            s.deviations.jump,
            s.deviations.reopened,
            s.deviations.time_breach,
            s.deviations.rotting
        ],
        [count("skip"), count("backward"), count("jump"), count("reopened"), count("time_breach"), count("rotting")],
        "{label}: deviation counts"
    );
    assert_eq!(s.cases, truth.cases.len() as u64);
    assert_eq!(s.open_cases, truth.cases.iter().filter(|c| c.outcome.is_none()).count() as u64);
    assert_eq!(s.fitting_cases, truth.cases.iter().filter(|c| c.fits).count() as u64);
    assert_eq!(s.moves, truth.moves);
    let flow: u64 = truth.cases.iter().map(|c| c.flow).sum();
    assert_eq!(s.log_fitness, (truth.moves > 0).then(|| 1.0 - flow as f64 / truth.moves as f64), "{label}");

    check_transitions(proc, truth, report, label);
    check_stages(proc, truth, report, label);
    (found, reported, injected)
}

/// z of a two-sided 95% interval.
const Z: f64 = 1.959963984540054;

/// The Wilson interval's ends are the two roots of
/// n (p̂ − p)² = z² p (1 − p): checks `low` and `high` are.
fn assert_wilson(k: u64, n: u64, low: f64, high: f64, what: &str) {
    let (kf, nf) = (k as f64, n as f64);
    let phat = kf / nf;
    let f = |p: f64| nf * (phat - p).powi(2) - Z * Z * p * (1.0 - p);
    for p in [low, high] {
        // Scaled by n so the tolerance means the same for every n.
        assert!(f(p).abs() / nf < 1e-9, "{what}: {p} is not a root ({})", f(p));
    }
    assert!(
        low <= phat + 1e-12 && phat <= high + 1e-12 && low > -1e-12 && high < 1.0 + 1e-12,
        "{what}: {low} {phat} {high}"
    );
    if k > 0 && k < n {
        assert!(low < phat && phat < high, "{what}");
    }
}

fn check_transitions(proc: &Proc, truth: &Truth, report: &Report, label: &str) {
    let index: BTreeMap<Option<&str>, usize> =
        proc.stages.iter().enumerate().map(|(i, s)| (Some(s.id.as_str()), i)).collect();
    let mut seen = BTreeSet::new();
    for row in &report.transitions {
        let from = row.from.as_deref().map(|f| index[&Some(f)]);
        let to = index[&Some(row.to.as_str())];
        assert!(seen.insert((from, to)), "{label}: {from:?} -> {to} twice");
        let exits = truth.exits.get(&from).copied().unwrap_or(0);
        let observed = truth.pairs.get(&(from, to)).copied().unwrap_or(0);
        let what = format!("{label}: {:?} -> {}", row.from, row.to);
        assert_eq!((row.exits, row.observed), (exits, observed), "{what}");
        let declared = proc.declared(from, to);
        assert_eq!(row.declared.is_some(), declared, "{what}");
        if exits == 0 {
            assert_eq!((row.share, row.low, row.high), (None, None, None), "{what}");
            continue;
        }
        assert_eq!(row.share, Some(observed as f64 / exits as f64), "{what}");
        let (low, high) = (row.low.expect("low"), row.high.expect("high"));
        assert_wilson(observed, exits, low, high, &what);
        match row.declared {
            Some(p) => assert_eq!(row.outside, Some(p < low || p > high), "{what}"),
            None => assert_eq!(row.outside, None, "{what}"),
        }
    }
    // Every declared transition has a row, and every move made.
    for (from, to) in truth.pairs.keys() {
        assert!(seen.contains(&(*from, *to)), "{label}: no row for {from:?} -> {to}");
    }
    for (e, p) in &proc.entries {
        let row =
            report.transitions.iter().find(|r| r.from.is_none() && r.to == proc.stages[*e].id).expect("entry row");
        assert_eq!(row.declared, Some(*p), "{label}: the entry share of {}", row.to);
    }
    for (u, s) in proc.stages.iter().enumerate() {
        for e in &s.edges {
            assert!(seen.contains(&(Some(u), e.to)), "{label}: no row for {} -> {}", s.id, proc.stages[e.to].id);
        }
    }
}

/// PERCENTILE.INC of whole seconds (linear between the closest ranks).
fn percentile(sorted: &[i64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let rank = p * (n - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    Some(sorted[lo] as f64 + (sorted[hi] - sorted[lo]) as f64 * (rank - lo as f64))
}

fn check_stages(proc: &Proc, truth: &Truth, report: &Report, label: &str) {
    assert_eq!(report.stages.len(), proc.stages.len());
    for ((row, st), t) in report.stages.iter().zip(&proc.stages).zip(&truth.stages) {
        let what = format!("{label}: stage {}", st.id);
        assert_eq!(row.id, st.id);
        assert_eq!((row.visits, row.time_breaches, row.rotting), (t.visits, t.breaches, t.rotting), "{what}");
        assert_eq!((row.within_minutes.map(i64::from), row.takes_minutes.map(i64::from)), (st.within, st.takes));
        let mut seconds: Vec<i64> = t.stays.iter().map(|s| s / 1000).collect();
        seconds.sort();
        let minutes = |s: Option<f64>| s.map(|s| (s / 60.0).floor() as i64);
        assert_eq!(row.median_stay_minutes, minutes(percentile(&seconds, 0.5)), "{what}: median");
        assert_eq!(row.p90_stay_minutes, minutes(percentile(&seconds, 0.9)), "{what}: p90");
        let mean =
            (!t.stays.is_empty()).then(|| t.stays.iter().sum::<i64>() as f64 / t.stays.len() as f64 / MINUTE as f64);
        match (row.mean_stay_minutes, mean) {
            (Some(m), Some(e)) => {
                assert!((m - e.floor() as i64).abs() <= 1 && m as f64 <= e + 1e-6, "{what}: mean {m} {e}")
            }
            (m, e) => assert_eq!(m.is_some(), e.is_some(), "{what}: mean"),
        }
        assert_eq!(row.closed_cases, t.closed, "{what}");
        assert_eq!(row.observed_win_probability, (t.closed > 0).then(|| t.won as f64 / t.closed as f64), "{what}");
        if t.closed > 0 {
            assert_wilson(t.won, t.closed, row.low.expect("low"), row.high.expect("high"), &what);
        }
        match st.outcome {
            Some(won) => assert_eq!(row.model_win_probability, Some(if won { 1.0 } else { 0.0 })),
            None => assert!(row.model_win_probability.is_some_and(|p| (0.0..=1.0).contains(&p)), "{what}"),
        }
    }
}

fn generated(cases: usize, seed: u64, noise: &Noise) -> Vec<(Proc, Model, Analysis, GenLog)> {
    processes()
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let (model, analysis) = compile(path);
            let proc = Proc::new(&model);
            let glog = eventlog::generate(&proc, cases, seed + i as u64, noise);
            (proc, model, analysis, glog)
        })
        .collect()
}

#[test]
fn generated_logs_give_exactly_the_injected_deviations() {
    let mut totals: BTreeMap<&str, u64> = BTreeMap::new();
    let (mut found, mut reported, mut injected) = (0, 0, 0);
    for (proc, model, analysis, glog) in generated(1500, 11, &Noise::all()) {
        let truth = eventlog::truth(&proc, &glog, None, Window::default());
        self_check(&proc, &glog, &truth);
        let report = run(&model, &analysis, &glog.csv, &Settings::default());
        let (f, r, i) = check(&proc, &glog, &truth, &report, &proc.id);
        (found, reported, injected) = (found + f, reported + r, injected + i);
        for (k, n) in &truth.counts {
            *totals.entry(k).or_insert(0) += n;
        }
        // Skips whose shortest paths tie on length and probability: the
        // tie rule is exercised, not only the shortest path.
        let index =
            |id: &Option<String>| id.as_ref().map(|i| proc.stages.iter().position(|s| s.id == *i).expect("stage"));
        let ties = truth
            .cases
            .iter()
            .flat_map(|c| &c.deviations)
            .filter(|d| d.kind == "skip" && proc.tie(index(&d.from), index(&d.to).expect("to")))
            .count();
        *totals.entry("skip with a tie").or_insert(0) += ties as u64;
        *totals.entry("cases").or_insert(0) += truth.cases.len() as u64;
        *totals.entry("events").or_insert(0) += truth.events;
    }
    eprintln!("{totals:?}; found {found} of {injected} injected, {reported} reported");
    assert!(totals["skip with a tie"] >= 10, "{totals:?}");
    let precision = found as f64 / reported as f64;
    let recall = found as f64 / injected as f64;
    assert_eq!((precision, recall), (1.0, 1.0));
    // Every kind was put in, many times.
    for kind in ["skip", "backward", "jump", "reopened", "time_breach", "rotting"] {
        assert!(totals.get(kind).copied().unwrap_or(0) >= 30, "only {totals:?}");
    }
}

/// The generator's own check: the deviations worked out from the
/// definitions are the ones it meant to put in, so neither side is
/// checked only against itself.
fn self_check(proc: &Proc, glog: &GenLog, truth: &Truth) {
    for t in &truth.cases {
        let case = glog.cases.iter().find(|c| c.id == t.id).expect("case");
        let mut events: Vec<_> = case.events.iter().collect();
        events.sort_by_key(|e| (e.time, e.row));
        let meant: Vec<(u64, &str)> = events
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.injected.filter(|k| !matches!(*k, "repeat" | "unknown")).map(|k| (i as u64, k)))
            .collect();
        let flow: Vec<(u64, &str)> = t
            .deviations
            .iter()
            .filter(|d| !matches!(d.kind, "time_breach" | "rotting"))
            .map(|d| (d.event, d.kind))
            .collect();
        assert_eq!(flow, meant, "{}: case {}", proc.id, t.id);
    }
}

#[test]
fn noise_alone_is_no_deviation() {
    // Repeated rows, unknown names, equal times, shuffled rows, bad rows,
    // every name and time form, but cases that follow the process and
    // finish in time.
    let noise = Noise {
        repeat: 0.3,
        unknown: 0.1,
        bad_row: 0.03,
        zero_stay: 0.1,
        shuffle: true,
        name_forms: true,
        time_forms: true,
        ..Noise::none()
    };
    for (proc, model, analysis, glog) in generated(400, 23, &noise) {
        let truth = eventlog::truth(&proc, &glog, None, Window::default());
        let report = run(&model, &analysis, &glog.csv, &Settings::default());
        check(&proc, &glog, &truth, &report, &proc.id);
        assert!(report.cases.iter().all(|c| c.fits && c.fitness == 1.0 && c.deviations.is_empty()), "{}", proc.id);
        assert_eq!(report.summary.log_fitness, Some(1.0));
        assert!(!glog.bad.is_empty() && !truth.unknown.is_empty(), "the noise was put in");
        let repeats = glog.cases.iter().flat_map(|c| &c.events).filter(|e| e.injected == Some("repeat")).count();
        assert!(repeats > 100, "{repeats}");
    }
}

#[test]
fn a_window_counts_only_what_falls_inside_it() {
    let from = JAN_4_2027 + 20 * DAY;
    let to = JAN_4_2027 + 45 * DAY + 7 * HOUR;
    let as_of = JAN_4_2027 + 90 * DAY;
    for (proc, model, analysis, glog) in generated(500, 31, &Noise::all()) {
        let window = Window { from: Some(from), to: Some(to) };
        let truth = eventlog::truth(&proc, &glog, Some(as_of), window);
        let settings = Settings { from: Some(from), to: Some(to), as_of: Some(as_of), ..Settings::default() };
        let report = run(&model, &analysis, &glog.csv, &settings);
        check(&proc, &glog, &truth, &report, &format!("{} in a window", proc.id));
        assert!(truth.cases.len() < glog.cases.len(), "the window leaves cases out");
        assert_eq!(report.log.from.as_deref(), Some(eventlog::rfc3339(from).as_str()));
    }
}

#[test]
fn the_binary_gives_what_the_library_gives() {
    let (proc, model, analysis, glog) = generated(300, 41, &Noise::all()).swap_remove(0);
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("log.csv"), &glog.csv).expect("write");
    let file = common::root().join("examples/sales-process.proc");
    let file = file.to_str().expect("path");
    let out = procdef(
        &["audit", file, "--log", "log.csv", "--format", "json", "--as-of", "2027-04-15T00:00:00Z"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let as_of = JAN_4_2027 + 101 * DAY;
    let settings = Settings { as_of: Some(as_of), ..Settings::default() };
    let report = run(&model, &analysis, &glog.csv, &settings);
    let truth = eventlog::truth(&proc, &glog, Some(as_of), Window::default());
    check(&proc, &glog, &truth, &report, "library");
    let mut library = serde_json::to_value(&report).expect("JSON");
    let mut binary = json_of(&out);
    // The binary names the file it read.
    for v in [&mut library, &mut binary] {
        for p in v["problems"].as_array_mut().expect("problems") {
            p.as_object_mut().expect("problem").remove("log");
        }
    }
    let mut differences = Vec::new();
    compare(&library, &binary, "", &mut differences);
    compare(&binary, &library, "", &mut differences);
    assert!(differences.is_empty(), "{}", differences[..differences.len().min(10)].join("\n"));
}

#[test]
fn a_salesforce_export_gives_the_same_cases_and_deviations() {
    let (_, model, analysis, glog) = generated(300, 43, &Noise::all()).swap_remove(2);
    let csv_report = run(&model, &analysis, &glog.csv, &Settings::default());
    // The same rows under OpportunityHistory's columns, with one more
    // column Salesforce writes.
    let mut sf = String::from("Id,OpportunityId,StageName,Amount,CreatedDate,CreatedById\n");
    for line in glog.csv.lines().skip(1) {
        let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(line.as_bytes());
        let rec = r.records().next().expect("a record").expect("CSV");
        if rec.len() != 4 {
            // A row of the wrong width stays one.
            sf.push_str(&format!("x,{line},1\n"));
            continue;
        }
        let f: Vec<String> = rec.iter().map(eventlog::field).collect();
        sf.push_str(&format!("006x,{},{},1000,{},{}\n", f[0], f[1], f[2], f[3]));
    }
    let log = read_log(Form::Salesforce, &sf, &Options::default());
    let sf_report = audit::audit(&model, &analysis, log, &NameMap::new(&model), &Settings::default());
    let view = |r: &Report| {
        (
            r.log.rows,
            r.log.rows_skipped,
            r.cases.iter().map(|c| (c.id.clone(), c.fits, c.outcome.clone(), report_devs(c))).collect::<Vec<_>>(),
        )
    };
    assert!(csv_report.summary.deviations.control_flow() > 0);
    assert_eq!(view(&sf_report), view(&csv_report));
}

#[test]
fn every_move_of_random_processes_is_classified_as_the_definitions_say() {
    // Every pair of stages (and the start) of many random processes: the
    // replay's kind against brute-force enumeration of every path.
    use procdef::audit::replay::{Move as M, Process};
    use procdef::model::StageId;
    let mut rng = eventlog::Rng::new(7);
    let (mut processes, mut pairs, mut ties) = (0, 0, 0);
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for _ in 0..1500 {
        let text = eventlog::random_process(&mut rng);
        let compiled = procdef::compile(text.as_bytes());
        if compiled.has_errors() {
            continue;
        }
        processes += 1;
        let model = compiled.model.expect("model");
        let mine = Proc::new(&model);
        let replay = Process::new(&model);
        for u in std::iter::once(None).chain((0..model.stages.len()).map(Some)) {
            for v in (0..model.stages.len()).filter(|v| Some(*v) != u) {
                pairs += 1;
                let want = mine.classify(u, v);
                let got = match replay.classify(u.map(StageId), StageId(v)) {
                    M::Conforming => eventlog::Move::Conforming,
                    M::Reopened => eventlog::Move::Reopened,
                    M::Skip(p) => eventlog::Move::Skip(p.iter().map(|s| s.0).collect()),
                    M::Backward => eventlog::Move::Backward,
                    M::Jump => eventlog::Move::Jump,
                };
                *kinds.entry(want.name().unwrap_or("conforming")).or_insert(0) += 1;
                match (&want, &got) {
                    // Paths that tie on length and probability: the one
                    // named must be one of them. Which one is the last tie
                    // rule's (declaration order), held on the processes of
                    // the generated logs.
                    (eventlog::Move::Skip(_), eventlog::Move::Skip(path)) if mine.tie(u, v) => {
                        ties += 1;
                        assert!(mine.best_paths(u, v).contains(path), "{u:?} -> {v}: {path:?}\n{text}");
                    }
                    _ => assert_eq!(got, want, "{u:?} -> {v}\n{text}"),
                }
            }
        }
    }
    eprintln!("{processes} processes, {pairs} moves, {ties} ties, {kinds:?}");
    assert!(processes > 300 && ties > 20, "{processes} {ties}");
    assert!(kinds.values().all(|n| *n > 100) && kinds.len() == 5, "{kinds:?}");
}

// ---------------------------------------------------------------- the replay's rules, by hand

fn tiny() -> (Model, Analysis) {
    compile(&fixture("conformance/tiny.proc"))
}

fn audit_text(csv: &str, settings: &Settings) -> Report {
    let (model, analysis) = tiny();
    run(&model, &analysis, csv, settings)
}

#[test]
fn equal_times_keep_the_order_of_the_file() {
    // Two moves at the same moment: the file says lead came first.
    let r = audit_text(
        "case,stage,time\nA,lead,2027-03-01T09:00:00Z\nA,qualify,2027-03-01T09:00:00Z\nA,offer,2027-03-02T09:00:00Z\n",
        &Settings::default(),
    );
    assert!(r.cases[0].fits, "{:?}", r.cases[0].deviations);
    // The other way round, it is a return.
    let r = audit_text(
        "case,stage,time\nA,qualify,2027-03-01T09:00:00Z\nA,lead,2027-03-01T09:00:00Z\nA,qualify,2027-03-02T09:00:00Z\n",
        &Settings::default(),
    );
    let kinds: Vec<_> = r.cases[0].deviations.iter().map(|d| (d.kind.name(), d.event, d.row)).collect();
    assert_eq!(kinds, [("skip", 0, Some(2)), ("backward", 1, Some(3))]);
}

#[test]
fn repeats_are_one_visit_unless_the_stage_loops_to_itself() {
    // Salesforce writes a row per amount change: lead three times is one
    // visit; offer loops to itself, so each offer row is a visit.
    let r = audit_text(
        "case,stage,time\nA,lead,2027-03-01T09:00:00Z\nA,lead,2027-03-01T10:00:00Z\nA,lead,2027-03-01T11:00:00Z\n\
         A,qualify,2027-03-02T09:00:00Z\nA,offer,2027-03-03T09:00:00Z\nA,offer,2027-03-04T09:00:00Z\nA,won,2027-03-05T09:00:00Z\n",
        &Settings::default(),
    );
    let c = &r.cases[0];
    assert_eq!((c.events, c.moves, c.fits), (7, 5, true));
    let loops = r.transitions.iter().find(|t| t.from.as_deref() == Some("offer") && t.to == "offer").expect("row");
    assert_eq!((loops.exits, loops.observed), (2, 1));
    let lead = r.stages.iter().find(|s| s.id == "lead").expect("lead");
    // The stay runs from the first lead row to qualify: one day.
    assert_eq!((lead.visits, lead.median_stay_minutes), (1, Some(24 * 60)));
}

#[test]
fn unknown_names_are_left_out_but_counted_in_event_indexes() {
    let r = audit_text(
        "case,stage,time\nA,Prospect,2027-03-01T08:00:00Z\nA,lead,2027-03-01T09:00:00Z\nA,Prospect,2027-03-01T10:00:00Z\n\
         A,lead,2027-03-01T11:00:00Z\nA,offer,2027-03-02T09:00:00Z\n",
        &Settings::default(),
    );
    // lead, (Prospect), lead is one visit; the skip arrives at event 4.
    let d = &r.cases[0].deviations;
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].kind.name(), d[0].event, d[0].row), ("skip", 4, Some(6)));
    assert_eq!(
        d[0].skipped.as_ref().map(|s| s.iter().map(|x| x.to_string()).collect::<Vec<_>>()),
        Some(vec!["qualify".to_string()])
    );
    let p = r.problems.iter().find(|p| p.name.as_deref() == Some("Prospect")).expect("problem");
    assert_eq!((p.count, p.row), (2, None));
    assert_eq!(r.log.events, 5);
    assert_eq!(r.log.first.as_deref(), Some("2027-03-01T08:00:00Z"), "their times still count");
}

#[test]
fn a_stay_of_exactly_the_limit_is_no_breach() {
    // lead has `within 2d`.
    let r = audit_text(
        "case,stage,time\nA,lead,2027-03-01T09:00:00Z\nA,qualify,2027-03-03T09:00:00Z\n\
         B,lead,2027-03-01T09:00:00Z\nB,qualify,2027-03-03T09:00:00.001Z\n\
         C,lead,2027-03-01T09:00:00Z\nC,qualify,2027-03-03T09:01:00Z\n",
        &Settings { as_of: Some(JAN_4_2027 + 60 * DAY), ..Settings::default() },
    );
    let breaches: Vec<_> = r
        .cases
        .iter()
        .map(|c| {
            c.deviations.iter().filter(|d| d.kind.name() == "time_breach").map(|d| d.stay_minutes).collect::<Vec<_>>()
        })
        .collect();
    // Strictly longer; minutes rounded down.
    assert_eq!(breaches, [vec![], vec![Some(2880)], vec![Some(2881)]]);
}

#[test]
fn open_cases_rot_at_the_as_of_moment() {
    let csv = "case,stage,time\nA,lead,2027-03-01T09:00:00Z\nB,lead,2027-03-01T09:00:00Z\nB,qualify,2027-03-02T09:00:00Z\n\
               C,lead,2027-03-01T09:00:00Z\nC,lost,2027-03-01T10:00:00Z\n";
    let at = |s: &str| TimeReader::default().parse(s);
    let rotting = |as_of: Option<i64>| {
        let r = audit_text(csv, &Settings { as_of, ..Settings::default() });
        r.cases
            .iter()
            .map(|c| {
                c.deviations
                    .iter()
                    .filter(|d| d.kind.name() == "rotting")
                    .map(|d| (d.stage.as_deref().expect("stage").to_string(), d.stay_minutes.expect("stay")))
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    // Default: the latest timestamp (03-02 09:00): A's lead has lasted 1d.
    assert_eq!(rotting(None), [vec![], vec![], vec![]]);
    // Two days and a minute later: A's lead (2d) rots, B's qualify (5d) not yet.
    assert_eq!(rotting(at("2027-03-03T09:01:00Z")), [vec![("lead".to_string(), 2881)], vec![], vec![]]);
    assert_eq!(
        rotting(at("2027-03-08T09:00:00Z")),
        [vec![("lead".to_string(), 7 * 1440)], vec![("qualify".to_string(), 6 * 1440)], vec![]]
    );
}

#[test]
fn a_window_starts_at_from_and_ends_before_to() {
    // Moves at exactly --from count; at exactly --to they do not. Replay
    // still uses every event: C's move into qualify is a return from offer
    // even though offer was entered before the window.
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "log.csv",
        "case,stage,time\nA,lead,2027-03-01T00:00:00Z\nA,qualify,2027-03-02T00:00:00Z\nA,offer,2027-03-03T00:00:00Z\n\
         B,lead,2027-03-02T12:00:00Z\nB,offer,2027-03-03T00:00:00Z\n\
         C,lead,2027-02-20T00:00:00Z\nC,offer,2027-02-21T00:00:00Z\nC,qualify,2027-03-02T06:00:00Z\n\
         D,lead,2027-02-01T00:00:00Z\n",
    );
    let tiny = fixture("conformance/tiny.proc");
    let out = procdef(
        &[
            "audit",
            tiny.to_str().expect("path"),
            "--log",
            "log.csv",
            "--format",
            "json",
            "--from",
            "2027-03-02",
            "--to",
            "2027-03-03",
        ],
        dir.path(),
    );
    assert_eq!(code(&out), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let r = json_of(&out);
    let cases: Vec<(&str, u64)> = r["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| (c["id"].as_str().expect("id"), c["moves"].as_u64().expect("moves")))
        .collect();
    // A: qualify at 03-02 00:00 counts, offer at 03-03 00:00 does not;
    // B: lead counts, its skip to offer at 03-03 does not; C: its return;
    // D has no event in the window.
    assert_eq!(cases, [("A", 1), ("B", 1), ("C", 1)]);
    let kinds: Vec<&str> = r["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .flat_map(|c| c["deviations"].as_array().expect("deviations"))
        .map(|d| d["kind"].as_str().expect("kind"))
        .collect();
    assert!(kinds.contains(&"backward") && !kinds.contains(&"skip"), "{kinds:?}");
    assert_eq!(r["log"]["from"], "2027-03-02T00:00:00Z");
    assert_eq!(r["log"]["to"], "2027-03-03T00:00:00Z");
}

// ---------------------------------------------------------------- periods

fn zone(z: &str) -> Zone {
    Zone::parse(z).expect("zone")
}

#[test]
fn weeks_are_iso_weeks_in_the_time_zone() {
    // 2027-03-07 is a Sunday: 22:30 UTC is Monday 01:30 at +03:00.
    let csv = "case,stage,time\nA,lead,2027-03-01T09:00:00Z\nA,qualify,2027-03-07T22:30:00Z\n\
               B,lead,2027-03-08T09:00:00Z\nB,qualify,2027-03-09T09:00:00Z\nB,lost,2027-03-10T09:00:00Z\n\
               C,lead,2027-01-01T10:00:00Z\n";
    let periods = |z: &str, by: By| {
        let r = audit_text(csv, &Settings { zone: zone(z), by, ..Settings::default() });
        r.periods.iter().map(|p| (p.period.clone(), p.start.clone(), p.new_cases, p.moves, p.lost)).collect::<Vec<_>>()
    };
    assert_eq!(
        periods("UTC", By::Week),
        [
            ("2026-W53".to_string(), "2026-12-28".to_string(), 1, 1, 0),
            ("2027-W09".to_string(), "2027-03-01".to_string(), 1, 2, 0),
            ("2027-W10".to_string(), "2027-03-08".to_string(), 1, 3, 1),
        ]
    );
    assert_eq!(
        periods("+03:00", By::Week),
        [
            ("2026-W53".to_string(), "2026-12-28".to_string(), 1, 1, 0),
            ("2027-W09".to_string(), "2027-03-01".to_string(), 1, 1, 0),
            ("2027-W10".to_string(), "2027-03-08".to_string(), 1, 4, 1),
        ]
    );
    assert_eq!(
        periods("UTC", By::Month),
        [
            ("2027-01".to_string(), "2027-01-01".to_string(), 1, 1, 0),
            ("2027-03".to_string(), "2027-03-01".to_string(), 2, 5, 1)
        ]
    );
}

#[test]
fn tz_reads_local_times_and_sets_the_weeks() {
    // Local times in +03:00: Monday 01:30 is Sunday 22:30 UTC.
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "log.csv", "case,stage,time\nA,lead,2027-03-05 10:00\nA,qualify,2027-03-08 01:30\n");
    let tiny = fixture("conformance/tiny.proc");
    let run = |extra: &[&str]| {
        let mut args = vec!["audit", tiny.to_str().expect("path"), "--log", "log.csv", "--format", "json"];
        args.extend_from_slice(extra);
        let out = procdef(&args, dir.path());
        assert_eq!(code(&out), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let r = json_of(&out);
        let periods: Vec<String> = r["periods"]
            .as_array()
            .expect("periods")
            .iter()
            .map(|p| format!("{} {}", p["period"], p["moves"]))
            .collect();
        (r["log"]["last"].as_str().expect("last").to_string(), periods)
    };
    assert_eq!(
        run(&["--tz", "+03:00"]),
        ("2027-03-07T22:30:00Z".into(), vec!["\"2027-W09\" 1".into(), "\"2027-W10\" 1".into()])
    );
    assert_eq!(
        run(&["--tz", "Europe/Moscow", "--by", "month"]),
        ("2027-03-07T22:30:00Z".into(), vec!["\"2027-03\" 2".into()])
    );
    assert_eq!(run(&[]), ("2027-03-08T01:30:00Z".into(), vec!["\"2027-W09\" 1".into(), "\"2027-W10\" 1".into()]));
}

#[test]
fn periods_count_deviations_and_the_share_that_conforms() {
    // Week 9: A conforms (2 moves); B skips qualify (1 of 3 moves) and
    // stays 3 days in lead (over 2d); week 10: B's reopening. B was won in
    // week 9, but reopened it is open: no week counts it won.
    let r = audit_text(
        "case,stage,time\nA,lead,2027-03-01T09:00:00Z\nA,qualify,2027-03-02T09:00:00Z\n\
         B,lead,2027-03-01T09:00:00Z\nB,offer,2027-03-04T09:00:00Z\nB,won,2027-03-05T09:00:00Z\nB,lead,2027-03-09T09:00:00Z\n",
        &Settings::default(),
    );
    let p: Vec<_> = r
        .periods
        .iter()
        .map(|p| {
            (
                p.period.as_str(),
                p.moves,
                p.deviations.skip,
                p.deviations.reopened,
                p.time_breaches,
                p.won,
                p.conforming_share,
            )
        })
        .collect();
    assert_eq!(p, [("2027-W09", 5, 1, 0, 1, 0, Some(4.0 / 5.0)), ("2027-W10", 1, 0, 1, 0, 0, Some(0.0))]);
}

#[test]
fn a_deal_is_won_or_lost_once_in_the_week_it_ended() {
    // C is lost in week 9, reopened and lost again in week 10; D is won in
    // week 10.
    let r = audit_text(
        "case,stage,time
C,lead,2027-03-01T09:00:00Z
C,lost,2027-03-02T09:00:00Z
C,lead,2027-03-08T09:00:00Z
         C,lost,2027-03-09T09:00:00Z
D,offer,2027-03-01T09:00:00Z
D,won,2027-03-10T09:00:00Z
",
        &Settings::default(),
    );
    let p: Vec<_> = r.periods.iter().map(|p| (p.period.as_str(), p.won, p.lost)).collect();
    assert_eq!(p, [("2027-W09", 0, 0), ("2027-W10", 1, 1)]);
}

// ---------------------------------------------------------------- metrics and people

const METRICS: &str = r#"process m "Metrics" {
  role rep "Sales rep" { headcount 2 capacity 6h/day }
  role boss "Head of sales" { headcount 1 capacity 6h/day }
  stage a "A" { entry owner rep instruct rep { "Call" } -> b 50% -> lost }
  stage b "B" { owner boss instruct boss { "Meet" } -> c 60% -> lost }
  stage c "C" { owner rep instruct rep { "Sign" } -> won }
  stage won "Won" { outcome won }
  stage lost "Lost" { outcome lost }
  metric a_to_c "A to C" { conversion a -> c target >= 50% }
  metric time_a "Time in A" { time a target <= 1d }
  metric a_to_c_time "A to C time" { time a -> c target <= 2d }
  metric volume_b "B per week" { volume b target >= 3/week }
  metric calls "Calls" { activity "Calls" by rep target >= 2/day }
  plan { workdays 20/month }
}
"#;

fn metrics_model() -> (Model, Analysis) {
    let compiled = procdef::compile(METRICS.as_bytes());
    assert!(!compiled.has_errors(), "{:?}", compiled.diagnostics);
    (compiled.model.expect("model"), compiled.analysis.expect("analysis"))
}

#[test]
fn metrics_are_measured_as_defined() {
    let (model, analysis) = metrics_model();
    // Monday 2027-03-01 to Friday 2027-03-05: 5 workdays.
    // X: a (12h) b (36h) c won: reaches C, 48h after A.
    // Y: a (36h) b lost: closed, does not reach C.
    // Z: a (6h) b, open: not closed, so not in the conversion; its stay in A counts.
    let log = "case,stage,time,owner\n\
               X,a,2027-03-01T00:00:00Z,ann\nX,b,2027-03-01T12:00:00Z,ann\nX,c,2027-03-03T00:00:00Z,ann\nX,won,2027-03-04T00:00:00Z,ann\n\
               Y,a,2027-03-01T00:00:00Z,bob\nY,b,2027-03-02T12:00:00Z,dora\nY,lost,2027-03-03T00:00:00Z,bob\n\
               Z,a,2027-03-04T00:00:00Z,ann\nZ,b,2027-03-04T06:00:00Z,ann\nZ,b,2027-03-05T23:00:00Z,ann\n";
    let activities = "resource,activity,time,count\nann,Calls,2027-03-01T10:00:00Z,6\nann,calls ,2027-03-02T10:00:00Z,4\n\
                      bob,Calls,2027-03-03T10:00:00Z,5\nbob,Emails,2027-03-03T11:00:00Z,50\n";
    let (rows, problems) =
        audit::activities::read(activities.as_bytes(), b',', &TimeReader::default()).expect("activities");
    assert!(problems.is_empty());
    let settings = Settings { activities: rows, ..Settings::default() };
    let r = run(&model, &analysis, log, &settings);
    let metric = |id: &str| r.metrics.iter().find(|m| m.id == id).expect("metric");
    // 1 of 2 closed cases that entered A reached C.
    assert_eq!((metric("a_to_c").observed_value, metric("a_to_c").met), (Some(0.5), Some(true)));
    // Stays in A: 12h, 36h, 6h: mean 18h = 1080 minutes.
    assert_eq!((metric("time_a").observed_value, metric("time_a").met), (Some(1080.0), Some(true)));
    // Only X goes from A to C: 48h = 2880 minutes, within 2d.
    assert_eq!((metric("a_to_c_time").observed_value, metric("a_to_c_time").met), (Some(2880.0), Some(true)));
    // 3 visits of B in 5 workdays: 3 a week.
    assert_eq!((metric("volume_b").observed_value, metric("volume_b").met), (Some(3.0), Some(true)));
    // Calls per workday of each rep: ann 10/5 = 2, bob 5/5 = 1; the norm is 2.
    let calls = metric("calls");
    let people: Vec<_> = calls.people.iter().map(|p| (p.resource.as_str(), p.per_workday, p.met)).collect();
    assert_eq!(people, [("ann", 2.0, Some(true)), ("bob", 1.0, Some(false))]);
    assert_eq!((calls.observed_value, calls.met), (Some(1.5), Some(false)));
}

#[test]
fn people_get_their_role_from_the_log_else_from_the_stages_they_work_in() {
    let (model, analysis) = metrics_model();
    // ann has a role column; carl acts mostly in b (owned by boss), once in a.
    // ann is written once as boss and twice as rep: the role she has most.
    let log = "case,stage,time,owner,role\n\
               W,a,2027-02-28T00:00:00Z,ann,boss\n\
               X,a,2027-03-01T00:00:00Z,ann,rep\nX,b,2027-03-01T12:00:00Z,carl,\nX,c,2027-03-02T00:00:00Z,ann,rep\n\
               Y,a,2027-03-01T00:00:00Z,carl,\nY,b,2027-03-02T00:00:00Z,carl,\nY,won,2027-03-03T00:00:00Z,carl,\n\
               Z,b,2027-03-01T00:00:00Z,carl,\n";
    let r = run(&model, &analysis, log, &Settings::default());
    let person = |name: &str| r.people.iter().find(|p| p.resource == name).expect("person");
    assert_eq!((person("ann").role.as_deref(), person("ann").role_from), (Some("rep"), Some("log")));
    let carl = person("carl");
    assert_eq!((carl.role.as_deref(), carl.role_from), (Some("boss"), Some("stages")));
    // carl: cases X, Y, Z; visits b, a, b, won, b; Y's b -> won skips c,
    // Z starts at b (a skip from the start).
    assert_eq!((carl.cases, carl.visits, carl.deviations.skip), (3, 5, 2));
}

// ---------------------------------------------------------------- the command line

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

#[test]
fn thresholds_set_the_exit_code() {
    let dir = fixture("conformance");
    let base = ["audit", "tiny.proc", "--log", "log.csv", "--format", "json"];
    let with = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        procdef(&args, &dir)
    };
    // The example's fitness is 0.7917, with 5 control-flow deviations.
    assert_eq!(code(&with(&["--min-fitness", "0.79"])), Some(0));
    let low = with(&["--min-fitness", "0.8"]);
    assert_eq!(code(&low), Some(1));
    assert!(String::from_utf8_lossy(&low.stderr).contains("below --min-fitness"));
    assert!(!low.stdout.is_empty(), "the report is still printed");
    assert_eq!(code(&with(&["--max-deviations", "5"])), Some(0));
    assert_eq!(code(&with(&["--max-deviations", "4"])), Some(1));
    assert_eq!(code(&with(&["--max-deviations", "5", "--min-fitness", "0.9"])), Some(1));
    assert_eq!(code(&with(&[])), Some(0));
}

#[test]
fn an_audit_that_cannot_run_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    std::fs::copy(fixture("conformance/tiny.proc"), d.join("tiny.proc")).expect("copy");
    write(d, "header.csv", "case,stage,time\n");
    write(d, "bad.csv", "case,stage,time\nA,lead,never\nB,,2027-01-04\n");
    write(d, "empty.csv", "");
    write(d, "nocolumns.csv", "id,when\n1,2027-01-04\n");
    std::fs::create_dir(d.join("folder.csv")).expect("folder");
    for (args, says) in [
        (vec!["audit", "tiny.proc"], "--log"),
        (vec!["audit", "tiny.proc", "--log", "missing.csv"], "missing.csv"),
        (vec!["audit", "tiny.proc", "--log", "folder.csv"], "folder.csv"),
        (vec!["audit", "tiny.proc", "--log", "empty.csv"], "empty"),
        (vec!["audit", "tiny.proc", "--log", "nocolumns.csv"], "--columns"),
        (vec!["audit", "tiny.proc", "--log", "header.csv"], "no event"),
        (vec!["audit", "tiny.proc", "--log", "bad.csv"], "no event"),
    ] {
        let out = procdef(&args, d);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(code(&out), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn several_logs_are_one_history() {
    // A deal's rows may sit in two exports; equal times keep the order of
    // the files as given. Problems say which file they are in.
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "one.csv", "case,stage,time\nA,lead,2027-03-01T09:00:00Z\nB,lead,2027-03-01T10:00:00Z\n");
    write(
        dir.path(),
        "two.csv",
        "deal_id;stage;timestamp\nA;lead;2027-03-01T09:00:00Z\nA;qualify;2027-03-01T09:00:00Z\nB;offer;never\n",
    );
    let tiny = fixture("conformance/tiny.proc");
    let out = procdef(
        &[
            "audit",
            tiny.to_str().expect("path"),
            "--log",
            "one.csv",
            "--log",
            "two.csv",
            "--delimiter",
            ";",
            "--format",
            "json",
        ],
        dir.path(),
    );
    // One delimiter for every file: one.csv has no `;`, so it is one column.
    assert_eq!(code(&out), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    write(
        dir.path(),
        "two.csv",
        "deal_id,stage,timestamp\nA,lead,2027-03-01T09:00:00Z\nA,qualify,2027-03-01T09:00:00Z\nB,offer,never\n",
    );
    let out = procdef(
        &["audit", tiny.to_str().expect("path"), "--log", "one.csv", "--log", "two.csv", "--format", "json"],
        dir.path(),
    );
    assert_eq!(code(&out), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let r = json_of(&out);
    assert_eq!(
        (r["log"]["rows"].as_u64(), r["log"]["events"].as_u64(), r["log"]["rows_skipped"].as_u64()),
        (Some(5), Some(4), Some(1))
    );
    assert_eq!(r["problems"][0]["row"], 4);
    assert_eq!(r["problems"][0]["log"], "two.csv");
    let a = &r["cases"][0];
    // lead (one.csv), lead (two.csv, a repeat), qualify: one conforming path.
    assert_eq!(
        (a["id"].as_str(), a["events"].as_u64(), a["moves"].as_u64(), a["fits"].as_bool()),
        (Some("A"), Some(3), Some(2), Some(true))
    );
}

#[test]
fn a_process_with_errors_exits_1() {
    let dir = fixture("conformance");
    let broken = common::root().join("examples/broken/mistakes.proc");
    let out = procdef(&["audit", broken.to_str().expect("path"), "--log", "log.csv", "--format", "json"], &dir);
    assert_eq!(code(&out), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty(), "no audit of a broken process");
    assert!(String::from_utf8_lossy(&out.stderr).contains("P301"), "its errors are printed");
}

// ---------------------------------------------------------------- token replay

/// The state-machine workflow net of a process (AUDIT.md §2): places
/// `source`, `sink`, and per stage one before and one after its visible
/// transition; a silent transition per declared transition, from the
/// entries' source, and from each outcome to the sink.
struct Net {
    places: usize,
    /// (consumes, produces).
    silent: Vec<(usize, usize)>,
    /// Per stage: (consumes, produces).
    visible: Vec<(usize, usize)>,
    source: usize,
    sink: usize,
}

impl Net {
    fn new(proc: &Proc) -> Net {
        let n = proc.stages.len();
        let (before, after) = (|s: usize| 2 * s, |s: usize| 2 * s + 1);
        let (source, sink) = (2 * n, 2 * n + 1);
        let mut silent: Vec<(usize, usize)> = proc.entries.iter().map(|&(e, _)| (source, before(e))).collect();
        for (u, s) in proc.stages.iter().enumerate() {
            silent.extend(s.edges.iter().map(|e| (after(u), before(e.to))));
            if s.outcome.is_some() {
                silent.push((after(u), sink));
            }
        }
        Net { places: 2 * n + 2, silent, visible: (0..n).map(|s| (before(s), after(s))).collect(), source, sink }
    }

    /// Markings reachable by silent transitions, nearest first.
    fn silent_reach(&self, m: &[u32]) -> Vec<Vec<u32>> {
        let mut seen = vec![m.to_vec()];
        let mut i = 0;
        while i < seen.len() && seen.len() < 10_000 {
            let cur = seen[i].clone();
            for &(c, p) in &self.silent {
                if cur[c] > 0 {
                    let mut next = cur.clone();
                    next[c] -= 1;
                    next[p] += 1;
                    if !seen.contains(&next) {
                        seen.push(next);
                    }
                }
            }
            i += 1;
        }
        seen
    }

    /// Token-based replay of a trace of stages (as PM4Py replays it):
    /// fire each visible transition, through silent ones when they enable
    /// it, else with a missing token; at the end, reach the final marking
    /// through silent ones if possible; the trace fits when no token was
    /// missing and none remains.
    fn fits(&self, trace: &[usize]) -> bool {
        let mut m = vec![0u32; self.places];
        m[self.source] = 1;
        let mut missing = 0;
        for &s in trace {
            let (c, p) = self.visible[s];
            if m[c] == 0 {
                if let Some(enabling) = self.silent_reach(&m).into_iter().find(|x| x[c] > 0) {
                    m = enabling;
                } else {
                    missing += 1;
                    m[c] += 1;
                }
            }
            m[c] -= 1;
            m[p] += 1;
        }
        let mut final_marking = vec![0u32; self.places];
        final_marking[self.sink] = 1;
        if let Some(done) = self.silent_reach(&m).into_iter().find(|x| *x == final_marking) {
            m = done;
        }
        if m[self.sink] == 0 {
            missing += 1;
        } else {
            m[self.sink] -= 1;
        }
        let remaining: u32 = m.iter().sum();
        missing == 0 && remaining == 0
    }
}

#[test]
fn a_closed_case_fits_exactly_when_token_replay_finds_it_fitting() {
    // No repeated rows and no unknown names (the proviso of §2); every
    // deviation, open cases, self-loops and equal times.
    let noise = Noise { repeat: 0.0, unknown: 0.0, bad_row: 0.0, ..Noise::all() };
    let mut compared = [0usize; 2];
    for (proc, model, analysis, glog) in generated(400, 53, &noise) {
        let net = Net::new(&proc);
        let report = run(&model, &analysis, &glog.csv, &Settings::default());
        let truth = eventlog::truth(&proc, &glog, None, Window::default());
        for (c, t) in report.cases.iter().zip(&truth.cases) {
            assert_eq!(c.id, t.id);
            // The trace as a token replay reads it: every event's stage.
            let case = glog.cases.iter().find(|g| g.id == c.id).expect("case");
            let mut events: Vec<_> = case.events.iter().collect();
            events.sort_by_key(|e| (e.time, e.row));
            let trace: Vec<usize> = events.iter().map(|e| e.stage.expect("a stage")).collect();
            let token = net.fits(&trace);
            if c.outcome.is_some() {
                assert_eq!(c.fits, token, "{}: case {} {trace:?}", proc.id, c.id);
                compared[usize::from(token)] += 1;
            } else {
                assert!(!token, "token replay never finds an open case fitting");
            }
        }
    }
    assert!(compared[0] > 100 && compared[1] > 100, "{compared:?}");

    // Why the proviso: a repeated row is one visit here, but a token
    // replay has no way back into the stage and finds the case unfit.
    let (model, _) = tiny();
    let proc = Proc::new(&model);
    let net = Net::new(&proc);
    let stage = |id: &str| proc.stages.iter().position(|s| s.id == id).expect("stage");
    let r = audit_text(
        "case,stage,time\nA,lead,2027-03-01T09:00:00Z\nA,lead,2027-03-01T10:00:00Z\nA,lost,2027-03-02T09:00:00Z\n",
        &Settings::default(),
    );
    assert!(r.cases[0].fits);
    assert!(!net.fits(&[stage("lead"), stage("lead"), stage("lost")]));
    assert!(net.fits(&[stage("lead"), stage("lost")]));
}

#[test]
fn tied_skips_take_the_path_whose_transitions_come_first() {
    // s -> b -> d -> t and s -> b -> c -> t both have 0.9 × 0.5 × 1: d is
    // b's first transition, although c was reached first (from a).
    let text = r#"process tie "Tie" { role rep "Rep" { headcount 1 capacity 6h/day }
  stage s "S" { entry owner rep instruct rep { "x" } -> a 10% -> b 90% }
  stage a "A" { owner rep instruct rep { "x" } -> c 100% }
  stage b "B" { owner rep instruct rep { "x" } -> d 50% -> c 50% }
  stage d "D" { owner rep instruct rep { "x" } -> t 100% }
  stage c "C" { owner rep instruct rep { "x" } -> t 100% }
  stage t "T" { owner rep instruct rep { "x" } -> won 50% -> lost }
  stage won "Won" { outcome won }
  stage lost "Lost" { outcome lost }
}
"#;
    let compiled = procdef::compile(text.as_bytes());
    assert!(!compiled.has_errors(), "{:?}", compiled.diagnostics);
    let (model, analysis) = (compiled.model.expect("model"), compiled.analysis.expect("analysis"));
    let r = run(
        &model,
        &analysis,
        "case,stage,time\nX,s,2027-03-01T00:00:00Z\nX,t,2027-03-02T00:00:00Z\n",
        &Settings::default(),
    );
    let skipped: Option<Vec<String>> =
        r.cases[0].deviations[0].skipped.as_ref().map(|s| s.iter().map(|x| x.to_string()).collect());
    assert_eq!(skipped, Some(vec!["b".to_string(), "d".to_string()]));
}

#[test]
fn activity_metrics_without_activities_say_why_they_are_null() {
    let (model, analysis) = metrics_model();
    let log = "case,stage,time,owner\nX,a,2027-03-01T00:00:00Z,ann\nX,b,2027-03-01T12:00:00Z,ann\n";
    let r = run(&model, &analysis, log, &Settings::default());
    let calls = r.metrics.iter().find(|m| m.id == "calls").expect("metric");
    assert_eq!((calls.observed_value, calls.met), (None, None));
    assert!(calls.why_null.as_deref().is_some_and(|w| w.contains("--activities")), "{:?}", calls.why_null);
    assert!(calls.people.is_empty());
}

#[test]
fn the_same_log_in_every_form_gives_the_same_cases_and_deviations() {
    // The conformance log in each form (tests/fixtures/audit/forms/): the
    // cases in the same order with the same outcome, fitness and
    // deviations. Rows exist only in the CSV forms; the Salesforce export
    // names deals and people by their record ids, HubSpot and Pipedrive
    // name stages by CRM ids, turned into labels by --crm-stages.
    let dir = fixture("forms");
    let process = fixture("conformance/tiny.proc");
    let process = process.to_str().expect("path");
    let shape = |args: &[&str]| -> Vec<Value> {
        let mut all = vec!["audit", process, "--format", "json"];
        all.extend_from_slice(args);
        let out = procdef(&all, &dir);
        assert_eq!(code(&out), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        let json = json_of(&out);
        json["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .map(|c| {
                let devs: Vec<Value> = c["deviations"]
                    .as_array()
                    .expect("deviations")
                    .iter()
                    .map(|d| {
                        serde_json::json!([
                            d["kind"],
                            d["event"],
                            d["from"],
                            d["to"],
                            d["skipped"],
                            d["stage"],
                            d["stay_minutes"]
                        ])
                    })
                    .collect();
                serde_json::json!([c["events"], c["outcome"], c["fits"], c["fitness"], devs])
            })
            .collect()
    };
    let csv = shape(&["--log", "log.csv"]);
    assert_eq!(csv.len(), 8);
    assert!(csv.iter().any(|c| c[4].as_array().is_some_and(|d| !d.is_empty())));
    for args in [
        &["--log", "log.xes"][..],
        &["--log", "log.xes.gz"][..],
        &["--log", "salesforce-opportunityhistory.csv", "--log-format", "salesforce"][..],
        &["--log", "hubspot-deals.json", "--log-format", "hubspot", "--crm-stages", "hubspot-stages.json"][..],
        &["--log", "hubspot-deals.jsonl", "--log-format", "hubspot", "--crm-stages", "hubspot-stages.json"][..],
        &["--log", "pipedrive-flows.json", "--log-format", "pipedrive", "--crm-stages", "pipedrive-stages.json"][..],
        &["--log", "pipedrive-flows.jsonl", "--log-format", "pipedrive", "--crm-stages", "pipedrive-stages.json"][..],
    ] {
        assert_eq!(shape(args), csv, "{args:?}");
    }
}

#[test]
fn mistakes_on_the_command_line_say_how_to_put_them_right() {
    let dir = tempfile::tempdir().expect("temp dir");
    let process = fixture("conformance/tiny.proc");
    let process = process.to_str().expect("path");
    let log = fixture("conformance/log.csv");
    let log = log.to_str().expect("path");
    // A window that holds nothing.
    let out = procdef(&["audit", process, "--log", log, "--from", "2027-03-10", "--to", "2027-03-01"], dir.path());
    assert_eq!(code(&out), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not before --to"));
    // A gate on fitness is not met by a log of which nothing was replayed.
    write(dir.path(), "ids.csv", "case,stage,time\nA,1001,2027-03-01T09:00:00Z\nA,1002,2027-03-02T09:00:00Z\n");
    let out = procdef(&["audit", process, "--log", "ids.csv", "--min-fitness", "0.5", "--format", "json"], dir.path());
    assert_eq!(code(&out), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no move of the log was replayed"));
    let json = json_of(&out);
    assert_eq!(json["summary"]["log_fitness"], Value::Null);
    // Numbers for stage names: CRM ids, which --crm-stages turns into labels.
    assert!(
        json["problems"]
            .as_array()
            .expect("problems")
            .iter()
            .all(|p| p["message"].as_str().is_some_and(|m| m.contains("--crm-stages")))
    );
    // A semicolon file read with the default delimiter.
    write(dir.path(), "semi.csv", "\u{feff}deal_id;stage;timestamp\nA;lead;2027-03-01\n");
    let out = procdef(&["audit", process, "--log", "semi.csv"], dir.path());
    assert_eq!(code(&out), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("give --delimiter ';'"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = procdef(&["audit", process, "--log", "semi.csv", "--delimiter", ";", "--format", "json"], dir.path());
    assert_eq!(code(&out), Some(0));
    assert_eq!(json_of(&out)["log"]["events"], 1);
}

#[test]
fn a_report_says_which_thresholds_of_the_run_were_met() {
    let dir = tempfile::tempdir().expect("temp dir");
    let process = fixture("conformance/tiny.proc");
    let log = fixture("conformance/log.csv");
    let (process, log) = (process.to_str().expect("path"), log.to_str().expect("path"));
    let args = ["audit", process, "--log", log, "--min-fitness", "0.9", "--max-deviations", "5"];
    let out = procdef(&[&args[..], &["--format", "json"]].concat(), dir.path());
    assert_eq!(code(&out), Some(1));
    let gates = json_of(&out)["gates"].clone();
    assert_eq!(
        gates,
        serde_json::json!([
            {"gate": "min_fitness", "threshold": 0.9, "value": 0.7916666666666666, "met": false},
            {"gate": "max_deviations", "threshold": 5.0, "value": 5.0, "met": true}
        ])
    );
    let md = procdef(&[&args[..], &["--format", "md"]].concat(), dir.path());
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(md.contains("at least 90% required: NOT MET") && md.contains("at most 5 allowed: met"), "{md}");
    // Without thresholds the report has none.
    let out = procdef(&["audit", process, "--log", log, "--format", "json"], dir.path());
    assert_eq!(json_of(&out)["gates"], serde_json::json!([]));
}
