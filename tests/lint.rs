//! procdef as a CI linter: SARIF, GitHub annotations, configuration,
//! `--max-warnings`, folders.

mod common;

use common::*;
use std::process::Command;

fn procdef() -> Command {
    Command::new(env!("CARGO_BIN_EXE_procdef"))
}

fn sarif_of(files: &[(&str, &str)]) -> serde_json::Value {
    let compiled: Vec<_> = files.iter().map(|(name, text)| (*name, procdef::compile(text.as_bytes()))).collect();
    let inputs: Vec<_> = compiled
        .iter()
        .map(|(name, c)| procdef::sarif::FileDiagnostics { file: name, text: &c.text, diagnostics: &c.diagnostics })
        .collect();
    serde_json::from_str(&procdef::sarif::render(&inputs)).expect("SARIF is JSON")
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let text = std::fs::read_to_string(root().join("tests/sarif-schema-2.1.0.json")).expect("vendored");
    // The official schema's `language` pattern has an unescaped `]`, valid in
    // ECMAScript regexes but not in Rust's; escape it, the meaning is the same.
    let text = text.replace(r#"-[a-zA-Z]{2}]?$"#, r#"-[a-zA-Z]{2}\\]?$"#);
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let mut files = Vec::new();
    for path in fixtures("checks").into_iter().chain(fixtures("conformance")) {
        let text = String::from_utf8_lossy(&std::fs::read(&path).expect("readable")).into_owned();
        files.push((path.display().to_string(), text));
    }
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let log = sarif_of(&borrowed);
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), procdef::diagnostics::Code::ALL.len());
    for rule in rules {
        for key in ["id", "name", "shortDescription", "fullDescription", "helpUri"] {
            assert!(!rule[key].is_null(), "rule without {key}: {rule}");
        }
    }
    let results = run["results"].as_array().expect("results");
    assert!(results.len() > 50);
    for r in results {
        let i = r["ruleIndex"].as_u64().expect("index") as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        assert!(r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().is_some());
    }
}

#[test]
fn sarif_fingerprints_survive_unrelated_lines_moving() {
    let text = "process p {\n  role rep\n  stage a { entry owner rep instruct rep { \"x\" } -> b loop }\n  stage b { owner rep instruct rep { \"y\" } -> won }\n  stage won { outcome won }\n}\n";
    let moved = text.replacen("  role rep\n", "  # a new comment\n\n  role rep\n", 1);
    let fp = |t: &str| {
        let log = sarif_of(&[("f.proc", t)]);
        let r = &log["runs"][0]["results"][0];
        (
            r["partialFingerprints"]["procdef/v1"].clone(),
            r["locations"][0]["physicalLocation"]["region"]["startLine"].clone(),
        )
    };
    let (a, line_a) = fp(text);
    let (b, line_b) = fp(&moved);
    assert_ne!(line_a, line_b, "the result moved");
    assert_eq!(a, b, "but its fingerprint stayed");
    assert!(a.as_str().is_some_and(|s| s.len() == 16));
}

#[test]
fn github_annotations_escape_what_github_requires() {
    let text = "process p {\n  role rep\n  stage a { entry owner rep instruct rep { \"x\" } -> won }\n  stage won { outcome won }\n}\n";
    let compiled = procdef::compile(text.as_bytes());
    assert!(compiled.diagnostics.is_empty());
    let bad = "process p {\n  role rep\n  stage a { entry owner rp instruct rep { \"x\" } -> won }\n  stage won { outcome won }\n}\n";
    let compiled = procdef::compile(bad.as_bytes());
    let out = procdef::report::github("dir,with:odd%name.proc", &compiled.text, &compiled.diagnostics);
    assert!(
        out.starts_with(
            "::error file=dir%2Cwith%3Aodd%25name.proc,line=3,col=25,endLine=3,endColumn=27,title=P102 unknown-name::"
        ),
        "{out}"
    );
    assert_eq!(out.lines().count(), 1, "a multi-line message is one annotation: {out}");
    assert!(out.contains("%0A"), "{out}");
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("folder");
    }
    std::fs::write(&path, text).expect("written");
    path
}

const NEEDLESS_LOOP: &str = "process p {\n  role rep\n  stage a { entry owner rep instruct rep { \"x\" } -> b loop }\n  stage b { owner rep instruct rep { \"y\" } -> won }\n  stage won { outcome won }\n}\n";

fn codes(out: &std::process::Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    v.as_array()
        .expect("array")
        .iter()
        .map(|d| format!("{}:{}", d["code"].as_str().unwrap_or(""), d["severity"].as_str().unwrap_or("")))
        .collect()
}

#[test]
fn procdef_toml_is_found_by_walking_up_and_sets_levels() {
    let dir = tempfile::tempdir().expect("temp");
    let file = write(dir.path(), "team/processes/sales.proc", NEEDLESS_LOOP);
    let out = procdef().args(["check", "--format", "json"]).arg(&file).output().expect("runs");
    assert_eq!(codes(&out), ["P208:warning"]);
    assert_eq!(out.status.code(), Some(0));

    write(dir.path(), "team/procdef.toml", "[rules]\nneedless-loop = \"error\"\n");
    let out = procdef().args(["check", "--format", "json"]).arg(&file).output().expect("runs");
    assert_eq!(codes(&out), ["P208:error"]);
    assert_eq!(out.status.code(), Some(1));

    let allow = write(dir.path(), "elsewhere/allow.toml", "[rules]\nP208 = \"allow\"\n");
    let out = procdef().args(["check", "--format", "json", "--config"]).arg(&allow).arg(&file).output().expect("runs");
    assert_eq!(codes(&out), Vec::<String>::new());
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn an_unknown_rule_in_the_configuration_stops_the_run() {
    let dir = tempfile::tempdir().expect("temp");
    let file = write(dir.path(), "sales.proc", NEEDLESS_LOOP);
    write(dir.path(), "procdef.toml", "[rules]\nneedles-loop = \"allow\"\n");
    let out = procdef().arg("check").arg(&file).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown rule `needles-loop` (did you mean `needless-loop`?)"), "{err}");
}

#[test]
fn a_bad_configuration_is_reported_at_its_line_and_column() {
    let dir = tempfile::tempdir().expect("temp");
    let file = write(dir.path(), "sales.proc", NEEDLESS_LOOP);
    let config = write(dir.path(), "procdef.toml", "[rules]\nP208 = \"allow\"\nP403 = error\n");
    let out = procdef().arg("check").arg(&file).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with(&format!("procdef: {}:3:8: not valid TOML: ", config.display())), "{err}");
    write(dir.path(), "procdef.toml", "[rules]\nP208 = \"allow\"\n\nneedles-loop = \"allow\"\n");
    let out = procdef().arg("build").arg(&file).arg("-o").arg(dir.path().join("out")).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{}:4:1: unknown rule `needles-loop`", config.display())), "{err}");
}

#[test]
fn max_warnings_and_deny_warnings() {
    let dir = tempfile::tempdir().expect("temp");
    let file = write(dir.path(), "sales.proc", NEEDLESS_LOOP);
    let status = |extra: &[&str]| procdef().arg("check").args(extra).arg(&file).output().expect("runs").status.code();
    assert_eq!(status(&[]), Some(0));
    assert_eq!(status(&["--max-warnings", "1"]), Some(0));
    assert_eq!(status(&["--max-warnings", "0"]), Some(1));
    assert_eq!(status(&["--deny", "warnings"]), Some(1));
}

#[test]
fn a_folder_is_checked_in_full_with_a_summary() {
    let dir = tempfile::tempdir().expect("temp");
    for i in 0..60 {
        write(dir.path(), &format!("sub{}/p{i:02}.proc", i % 3), NEEDLESS_LOOP);
    }
    write(dir.path(), "sub0/broken.proc", "process p {");
    write(dir.path(), "notes.txt", "not a process");
    let out = procdef().arg("check").arg(dir.path()).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.ends_with("61 files, 1 error, 60 warnings\n"), "{}", &err[err.len().saturating_sub(200)..]);
    // Not a terminal: no progress bar characters.
    assert!(!err.contains('\u{2588}') && !err.contains("\x1b["), "progress or colour leaked");
    let json = procdef().args(["check", "--format", "json"]).arg(dir.path()).output().expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let files: Vec<&str> = v.as_array().expect("array").iter().filter_map(|d| d["file"].as_str()).collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "results come in a stable order");
}
