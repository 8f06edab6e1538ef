//! `procdef calibrate` (IMPORT.md): every example calibrated against a log
//! generated from it keeps every comment and every other byte but the
//! numbers, still passes `check`, and moves its numbers to the observed
//! shares; undeclared moves are reported and never added.

mod common;
#[path = "support/eventlog.rs"]
mod eventlog;

use eventlog::{Noise, Proc};
use procdef::ast::Language;
use procdef::audit::log::LogBuilder;
use procdef::audit::names::NameMap;
use procdef::audit::read::{self, Form, Options};
use procdef::audit::report::Report;
use procdef::audit::{self, Settings};
use procdef::import::calibrate::{Calibration, What, calibrate, table, unified_diff};
use procdef::syntax::keywords::Keyword;
use procdef::syntax::lexer::{Kind, tokens};
use std::path::Path;
use std::process::Command;

fn audit_of(text: &str, csv: &str) -> (procdef::model::Model, Report) {
    let compiled = procdef::compile(text.as_bytes());
    assert!(!compiled.has_errors(), "{:?}", compiled.diagnostics);
    let (model, analysis) = (compiled.model.expect("model"), compiled.analysis.expect("analysis"));
    let mut b = LogBuilder::new();
    b.start_file("log.csv", true);
    read::read(Form::Csv, csv.as_bytes(), &mut b, &Options::default()).expect("readable");
    let report = audit::audit(&model, &analysis, b.finish(), &NameMap::new(&model), &Settings::default());
    (model, report)
}

/// The texts of the tokens of one kind.
fn of_kind(text: &str, kind: Kind) -> Vec<&str> {
    tokens(text).into_iter().filter(|t| t.kind == kind).map(|t| t.text(text)).collect()
}

/// Every token but the numbers, in order, with the `takes` lines (which
/// calibrating may add) left out.
fn all_but_numbers(text: &str) -> Vec<String> {
    let takes = [Keyword::Takes.spelling(Language::En), Keyword::Takes.spelling(Language::Ru)];
    let kept: String = text
        .split_inclusive('\n')
        .filter(|l| !takes.iter().any(|k| l.trim_start().strip_prefix(k).is_some_and(|r| r.starts_with(' '))))
        .collect();
    tokens(&kept).into_iter().filter(|t| t.kind != Kind::Number).map(|t| t.text(&kept).to_string()).collect()
}

/// The `.proc` files of `examples/` and `examples/ru/`.
fn examples() -> Vec<std::path::PathBuf> {
    let mut all = common::examples();
    let mut ru: Vec<_> = std::fs::read_dir(common::root().join("examples/ru"))
        .expect("examples/ru")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "proc"))
        .collect();
    ru.sort();
    all.extend(ru);
    all
}

fn calibrated(path: &Path, cases: usize, seed: u64, noise: &Noise, min_exits: u64) -> (String, Calibration) {
    let text = std::fs::read_to_string(path).expect("example");
    let (model, _) = audit_of(&text, "case,stage,time\n");
    let glog = eventlog::generate(&Proc::new(&model), cases, seed, noise);
    let (model, report) = audit_of(&text, &glog.csv);
    let c = calibrate(&text, &model, &report, min_exits).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (text, c)
}

#[test]
fn every_example_keeps_every_comment_byte_for_byte() {
    let mut changed = 0;
    let all = examples();
    assert!(all.len() >= 4, "{all:?}");
    for path in all {
        for (noise, seed) in [(Noise::none(), 1), (Noise::all(), 2)] {
            let (text, c) = calibrated(&path, 2000, seed, &noise, 30);
            let name = path.display();
            assert_eq!(of_kind(&c.text, Kind::Comment), of_kind(&text, Kind::Comment), "{name}");
            assert_eq!(of_kind(&c.text, Kind::String), of_kind(&text, Kind::String), "{name}");
            assert_eq!(of_kind(&c.text, Kind::TextBlock), of_kind(&text, Kind::TextBlock), "{name}");
            // Nothing else than numbers changes; a `takes` may be added.
            assert_eq!(all_but_numbers(&c.text), all_but_numbers(&text), "{name}");
            let compiled = procdef::compile(c.text.as_bytes());
            assert!(!compiled.has_errors(), "{name}:\n{:?}", compiled.diagnostics);
            // The layout stays fmt's where it was.
            if procdef::fmt::format(&text).as_deref() == Ok(text.as_str()) {
                assert_eq!(procdef::fmt::format(&c.text).as_deref(), Ok(c.text.as_str()), "{name}");
            }
            // Undeclared moves are never added.
            let transitions = |t: &str| of_kind(t, Kind::Arrow).len();
            assert_eq!(transitions(&c.text), transitions(&text), "{name}");
            if c.text != text {
                changed += 1;
            }
        }
    }
    assert!(changed >= 2, "no example changed");
}

#[test]
fn percentages_become_the_observed_shares_with_the_remainder_rule_kept() {
    let path = common::root().join("tests/fixtures/audit/conformance/tiny.proc");
    let text = std::fs::read_to_string(&path).expect("tiny");
    // 60 cases: 40 qualified, of which 30 lost and 10 to an offer; the
    // offers: 9 won, 1 lost; 20 leads lost.
    let mut csv = String::from("case,stage,time\n");
    for c in 0..60 {
        let path: &[&str] = match c {
            0..=19 => &["lead", "lost"],
            20..=49 => &["lead", "qualify", "lost"],
            50..=58 => &["lead", "qualify", "offer", "won"],
            _ => &["lead", "qualify", "offer", "lost"],
        };
        for (k, s) in path.iter().enumerate() {
            csv.push_str(&format!("C{c},{s},2027-01-{:02}T09:00:00Z\n", 4 + 2 * k));
        }
    }
    let (model, report) = audit_of(&text, &csv);
    let c = calibrate(&text, &model, &report, 30).expect("calibrated");
    assert!(c.text.contains("-> qualify 67%\n    -> lost\n"), "{}", c.text);
    assert!(c.text.contains("-> offer 25%\n    -> lost\n"), "{}", c.text);
    // The offer has 10 exits, fewer than 30: kept as it was.
    assert!(c.text.contains("-> won 50%\n") && c.text.contains("-> offer 20% loop"), "{}", c.text);
    let offer = c.rows.iter().find(|r| r.stage == "offer" && r.to.as_deref() == Some("won")).expect("row");
    assert!(offer.kept && offer.exits == 10 && offer.observed == 9);
    // `takes` is added after the owner, on its own line, where there was none.
    assert!(c.text.contains("    owner rep\n    takes 2d\n    within 2d\n"), "{}", c.text);
    assert!(c.rows.iter().any(|r| r.what == What::Takes && r.stage == "lead" && r.old.is_none()));
    // With a lower bar the offer changes too; a lone remainder stays one.
    let c = calibrate(&text, &model, &report, 10).expect("calibrated");
    assert!(c.text.contains("-> won 89%\n    -> offer 1% loop"), "{}", c.text);
    let t = table(&c, 10);
    assert!(t.contains("qualify -> offer") && t.contains("10/40 = 25.0%"), "{t}");
}

#[test]
fn undeclared_moves_are_reported_not_added() {
    let path = common::root().join("tests/fixtures/audit/conformance/tiny.proc");
    let text = std::fs::read_to_string(&path).expect("tiny");
    let mut csv = String::from("case,stage,time\n");
    for c in 0..40 {
        let path: &[&str] = if c < 5 { &["lead", "offer", "won"] } else { &["lead", "lost"] };
        for (k, s) in path.iter().enumerate() {
            csv.push_str(&format!("C{c},{s},2027-01-{:02}T09:00:00Z\n", 4 + k));
        }
    }
    let (model, report) = audit_of(&text, &csv);
    let c = calibrate(&text, &model, &report, 30).expect("calibrated");
    assert_eq!(c.undeclared.len(), 1);
    assert_eq!(
        (c.undeclared[0].from.as_deref(), c.undeclared[0].to.as_str(), c.undeclared[0].count),
        (Some("lead"), "offer", 5)
    );
    assert!(!c.text.contains("lead\" {\n    entry\n    owner rep\n    within 2d\n    instruct rep { \"Call the lead\" within 1d }\n    -> offer"));
    assert_eq!(of_kind(&c.text, Kind::Arrow).len(), of_kind(&text, Kind::Arrow).len());
    // The declared moves share what was declared: all 35 of lead's
    // declared exits went to lost, and qualify keeps at least 1%.
    assert!(c.text.contains("-> qualify 1%"), "{}", c.text);
    assert!(table(&c, 30).contains("moves the process does not declare (not added):\n  lead -> offer  5\n"));
}

#[test]
fn the_diff_applies_and_write_rewrites_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("sales.proc");
    std::fs::copy(common::root().join("examples/sales-process.proc"), &file).expect("copy");
    let before = std::fs::read_to_string(&file).expect("read");
    let log = common::root().join("examples/sales-history.csv");
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_procdef"))
            .arg("calibrate")
            .arg(&file)
            .arg("--log")
            .arg(&log)
            .args(extra)
            .output()
            .expect("runs")
    };
    let dry = run(&["--min-exits", "20"]);
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    let out = String::from_utf8(dry.stdout).expect("UTF-8");
    assert!(
        out.contains(
            "-    -> offer 60% \"need and budget confirmed\"\n+    -> offer 58% \"need and budget confirmed\"\n"
        ),
        "{out}"
    );
    assert!(out.contains("development -> offer"), "{out}");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), before, "changed without --write");
    let wrote = run(&["--min-exits", "20", "--write"]);
    assert!(wrote.status.success(), "{}", String::from_utf8_lossy(&wrote.stderr));
    let after = std::fs::read_to_string(&file).expect("read");
    // The diff printed is the change written.
    let diff = unified_diff(&before, &after, &file.display().to_string());
    assert!(out.starts_with(&diff), "{out}\n---\n{diff}");
    assert!(after.contains("-> offer 58% \"need and budget confirmed\""));
    assert!(!procdef::compile(after.as_bytes()).has_errors());
    // Once calibrated, again is nothing to change.
    let again = run(&["--min-exits", "20", "--write"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("nothing to change"));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert_eq!(leftovers.len(), 1, "a temporary file was left");
}

#[test]
fn a_takes_added_to_a_russian_file_is_written_in_russian() {
    let original = std::fs::read_to_string(common::root().join("examples/ru/sales-process-ru.proc")).expect("example");
    let text = original.replacen("    длится 3д\n", "", 1);
    assert_ne!(text, original);
    let (model, _) = audit_of(&text, "case,stage,time\n");
    let glog = eventlog::generate(&Proc::new(&model), 1500, 9, &Noise::none());
    let (model, report) = audit_of(&text, &glog.csv);
    let c = calibrate(&text, &model, &report, 30).expect("calibrated");
    let at = c.text.find("    вход активный").expect("entry");
    let stage: String = c.text[at..].chars().take(120).collect();
    assert!(stage.contains("\n    ответственный оператор\n    длится "), "{stage}");
    let line = stage.lines().find(|l| l.trim_start().starts_with("длится")).expect("takes");
    assert!(line.ends_with('д') || line.ends_with('ч'), "{line}");
    let row = c.rows.iter().find(|r| r.what == What::Takes && r.stage == "холодный_обзвон").expect("row");
    assert_eq!(row.old, None);
    assert_eq!(row.new.as_deref(), Some(line.trim_start().trim_start_matches("длится ")));
    assert!(!procdef::compile(c.text.as_bytes()).has_errors());
    assert_eq!(procdef::fmt::format(&c.text).as_deref(), Ok(c.text.as_str()));
}
