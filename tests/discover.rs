//! `procdef discover` (IMPORT.md): processes written from logs generated
//! from the examples give back the declared transitions, with the declared
//! percentages inside the observed intervals; every log, noisy or of one
//! case, gives a file that passes `check` with no error.

mod common;
#[path = "support/eventlog.rs"]
mod eventlog;

use eventlog::{Noise, Proc, Rng};
use procdef::audit::log::{Log, LogBuilder};
use procdef::audit::read::{self, Form, Options};
use procdef::audit::wilson;
use procdef::import::discover::{Settings, discover};
use procdef::model::Model;
use std::process::Command;

fn read_csv(text: &str) -> Log {
    let mut b = LogBuilder::new();
    b.start_file("log.csv", true);
    read::read(Form::Csv, text.as_bytes(), &mut b, &Options::default()).expect("readable log");
    b.finish()
}

fn model_of(text: &str) -> Model {
    let compiled = procdef::compile(text.as_bytes());
    assert!(!compiled.has_errors(), "{text}\n{:?}", compiled.diagnostics);
    assert_eq!(procdef::fmt::format(text).as_deref(), Ok(text), "not in fmt's layout:\n{text}");
    compiled.model.expect("model")
}

fn example_models() -> Vec<(String, Model)> {
    let mut out = Vec::new();
    for path in
        common::examples().into_iter().chain([common::root().join("tests/fixtures/audit/conformance/tiny.proc")])
    {
        let compiled = procdef::compile(&std::fs::read(&path).expect("example"));
        assert!(!compiled.has_errors(), "{}", path.display());
        out.push((path.display().to_string(), compiled.model.expect("model")));
    }
    out
}

#[test]
fn the_declared_transitions_come_back_inside_their_intervals() {
    let settings = Settings::default();
    for (name, model) in example_models() {
        let proc = Proc::new(&model);
        let glog = eventlog::generate(&proc, 3000, 5, &Noise::none());
        let log = read_csv(&glog.csv);
        let text = discover(&log, &settings).unwrap_or_else(|e| panic!("{name}: {e}"));
        let found = model_of(&text);
        // The exits of each stage and the moves along each transition, counted
        // from the generated cases themselves.
        let mut exits = std::collections::HashMap::new();
        let mut moves = std::collections::HashMap::new();
        for case in &glog.cases {
            for pair in case.events.windows(2) {
                let (u, v) = (pair[0].stage.expect("known"), pair[1].stage.expect("known"));
                *exits.entry(u).or_insert(0u64) += 1;
                *moves.entry((u, v)).or_insert(0u64) += 1;
            }
        }
        let mut checked = 0;
        for (u, stage) in model.stages.iter().enumerate() {
            // A stage with a rare declared move shares its exits among the
            // others: only stages whose every move is well above the
            // threshold are held to their intervals.
            // A self-loop cannot be seen: repeats at one name are one visit,
            // as in the audit.
            if stage
                .transitions
                .iter()
                .any(|t| t.probability < settings.min_share + 0.03 || t.target.is_some_and(|v| v.0 == u))
            {
                continue;
            }
            for t in &stage.transitions {
                let v = t.target.expect("resolved").0;
                let n = exits.get(&u).copied().unwrap_or(0);
                if t.probability < settings.min_share + 0.03 || n < 30 {
                    continue;
                }
                let back = found
                    .stages
                    .iter()
                    .find(|s| s.id == stage.id)
                    .unwrap_or_else(|| panic!("{name}: {} lost", stage.id));
                let tb = back
                    .transitions
                    .iter()
                    .find(|x| x.target.is_some_and(|s| found.stages[s.0].id == model.stages[v].id))
                    .unwrap_or_else(|| {
                        panic!("{name}: {} -> {} did not come back:\n{text}", stage.id, model.stages[v].id)
                    });
                let k = moves.get(&(u, v)).copied().unwrap_or(0);
                let (lo, hi) = wilson(k, n).expect("exits");
                assert!(
                    tb.probability >= lo - 0.005 && tb.probability <= hi + 0.005,
                    "{name}: {} -> {}: {} outside [{lo}, {hi}]",
                    stage.id,
                    model.stages[v].id,
                    tb.probability
                );
                assert!(
                    t.probability >= lo && t.probability <= hi,
                    "{name}: {} -> {}: declared {} outside the observed [{lo}, {hi}]",
                    stage.id,
                    model.stages[v].id,
                    t.probability
                );
                checked += 1;
            }
        }
        assert!(checked >= 3, "{name}: only {checked} transitions checked");
        // Outcomes are found by their names, entries where cases start.
        for s in model.stages.iter().filter(|s| s.outcome.is_some()) {
            let back = found.stages.iter().find(|b| b.id == s.id).expect("outcome back");
            assert_eq!(back.outcome, s.outcome, "{name}: {}", s.id);
        }
        let entries =
            |m: &Model| m.stages.iter().filter(|s| s.entry.is_some()).map(|s| s.id.clone()).collect::<Vec<_>>();
        assert_eq!(entries(&found), entries(&model), "{name}");
    }
}

#[test]
fn every_log_gives_a_file_that_passes_check() {
    let mut rng = Rng::new(3);
    let mut files = 0;
    for (name, model) in example_models() {
        let proc = Proc::new(&model);
        for (cases, seed) in [(1, 1), (2, 2), (5, 3), (400, 4)] {
            let glog = eventlog::generate(&proc, cases, seed, &Noise::all());
            let log = read_csv(&glog.csv);
            if log.events.is_empty() {
                continue;
            }
            let text = discover(&log, &Settings::default()).unwrap_or_else(|e| panic!("{name}, {cases} cases: {e}"));
            model_of(&text);
            files += 1;
        }
    }
    for _ in 0..150 {
        let text = eventlog::random_process(&mut rng);
        let compiled = procdef::compile(text.as_bytes());
        let Some(model) = compiled
            .model
            .filter(|_| !compiled.diagnostics.iter().any(|d| d.severity == procdef::diagnostics::Severity::Error))
        else {
            continue;
        };
        let proc = Proc::new(&model);
        let glog = eventlog::generate(&proc, 1 + rng.below(60), rng.next_u64(), &Noise::all());
        let log = read_csv(&glog.csv);
        if log.events.is_empty() {
            continue;
        }
        let text = discover(&log, &Settings { min_share: 0.2, ..Settings::default() }).expect("discovered");
        model_of(&text);
        files += 1;
    }
    assert!(files > 40, "{files}");
}

#[test]
fn one_case_gives_its_path() {
    let log = read_csv(
        "case,stage,time\nD1,Lead,2027-01-04\nD1,Offer,2027-01-06\nD1,Offer,2027-01-07\nD1,Closed Won,2027-01-09\n",
    );
    let text = discover(&log, &Settings::default()).expect("discovered");
    let model = model_of(&text);
    let ids: Vec<&str> = model.stages.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["lead", "offer", "closed_won"]);
    assert!(text.contains("entry 100%"), "{text}");
    assert!(text.contains("takes 2d") && text.contains("takes 3d"), "{text}");
    assert!(text.contains("# 1 case, 4 events, from 2027-01-04T00:00:00Z to 2027-01-09T00:00:00Z."), "{text}");
}

#[test]
fn rare_moves_are_comments_and_backward_moves_loops() {
    let mut csv = String::from("case,stage,time,role,resource\n");
    for c in 0..40 {
        let path: &[&str] = match c {
            0 => &["Lead", "Won"],
            1..=10 => &["Lead", "Offer", "Lead", "Offer", "Lost"],
            _ => &["Lead", "Offer", "Won"],
        };
        for (k, s) in path.iter().enumerate() {
            csv.push_str(&format!("C{c},{s},2027-01-{:02}T09:00:00Z,Sales rep,ann\n", k + 1));
        }
    }
    let log = read_csv(&csv);
    let text = discover(&log, &Settings::default()).expect("discovered");
    model_of(&text);
    assert!(text.contains("# rare moves, left out (below 5.0% of 50 exits): -> \"Won\" 1"), "{text}");
    assert!(text.contains("-> lead 21% loop"), "{text}");
    assert!(text.contains("role sales_rep \"Sales rep\"") && text.contains("owner sales_rep"), "{text}");
    assert!(!text.contains("role owner"), "{text}");
}

#[test]
fn outcomes_named_on_the_command_line_win() {
    let log =
        read_csv("case,stage,time\nA,Start,2027-01-04\nA,Paid,2027-01-05\nB,Start,2027-01-04\nB,Gone,2027-01-05\n");
    let settings = Settings { won: vec!["paid".into()], lost: vec!["Gone".into()], ..Settings::default() };
    let model = model_of(&discover(&log, &settings).expect("discovered"));
    let kind = |id: &str| model.stages.iter().find(|s| s.id == id).and_then(|s| s.outcome);
    assert_eq!(kind("paid"), Some(procdef::model::OutcomeKind::Won));
    assert_eq!(kind("gone"), Some(procdef::model::OutcomeKind::Lost));
    let bad = discover(&log, &Settings { won: vec!["Payd".into()], ..Settings::default() }).expect_err("unknown name");
    assert!(bad.0.contains("did you mean `Paid`?"), "{bad}");
}

#[test]
fn the_command_reads_logs_as_audit_does() {
    let out = Command::new(env!("CARGO_BIN_EXE_procdef"))
        .args(["discover", "examples/sales-history.csv", "--min-share", "10%"])
        .current_dir(common::root())
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    model_of(&text);
    assert!(text.starts_with("# Discovered by `procdef discover` from sales-history.csv.\n"), "{text}");
    assert!(text.contains("below 10.0%"), "{text}");
}

#[test]
fn crm_stage_ids_become_their_labels() {
    let forms = "tests/fixtures/audit/forms/";
    let out = Command::new(env!("CARGO_BIN_EXE_procdef"))
        .args(["discover", &format!("{forms}hubspot-deals.json"), "--log-format", "hubspot"])
        .args(["--crm-stages", &format!("{forms}hubspot-stages.json")])
        .current_dir(common::root())
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let model = model_of(&text);
    let titles: Vec<&str> = model.stages.iter().map(|s| s.title.as_str()).collect();
    for label in ["Lead", "Qualification", "Offer", "Won", "Lost"] {
        assert!(titles.contains(&label), "{label} missing: {titles:?}");
    }
    assert!(!titles.iter().any(|t| t.chars().all(|c| c.is_ascii_digit())), "{titles:?}");
    // The log's two bad records are said, and counted at the top.
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a timestamp"));
    assert!(text.contains("2 records of the log that could not be read"), "{text}");
}

#[test]
fn a_log_without_a_move_or_without_an_open_stage_still_gives_a_sound_file() {
    let text = discover(&read_csv("case,stage,time\nD1,Lead,2027-01-04\n"), &Settings::default()).expect("one event");
    let model = model_of(&text);
    assert_eq!(model.stages.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["lead", "won"]);
    assert!(text.contains("the outcome \"Won\" is added"), "{text}");
    assert!(text.contains("this move to one is added.\n    -> won\n"), "{text}");

    let log =
        read_csv("case,stage,time\nD1,Closed Won,2027-01-04\nD2,Closed Lost,2027-01-05\nD3,Closed Lost,2027-01-05\n");
    let text = discover(&log, &Settings::default()).expect("only outcomes");
    model_of(&text);
    assert!(
        text.contains(
            "stage start \"Start\" {\n    entry 100%\n    owner owner\n    -> closed_won 33%\n    -> closed_lost\n"
        ),
        "{text}"
    );

    assert_eq!(
        discover(&read_csv("case,stage,time\n"), &Settings::default()).expect_err("empty").0,
        "the log holds no event; nothing to discover"
    );
}
