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

/// The values github/codeql-action's own tests expect of its line hash
/// (`src/fingerprints.test.ts`, test "hash").
#[test]
fn line_hashes_match_the_upload_actions_published_values() {
    let lorem = "Lorem ipsum dolor sit amet.\n".repeat(10);
    let cases: &[(&str, &[&str])] = &[
        ("", &["c129715d7a2bc9a3:1"]),
        (" a\nb\n  \t\tc\n d", &["271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"]),
        (
            " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
            &[
                "8b7cf3e952e7aeb2:1",
                "b1ae1287ec4718d9:1",
                "bff680108adb0fcc:1",
                "c6805c5e1288b612:1",
                "b86d3392aea1be30:1",
                "e6ceba753e1a442:1",
            ],
        ),
        (
            &lorem,
            &[
                "a7f2ff13bc495cf2:1",
                "a7f2ff13bc495cf2:2",
                "a7f2ff13bc495cf2:3",
                "a7f2ff13bc495cf2:4",
                "a7f2ff13bc495cf2:5",
                "a7f2ff13bc495cf2:6",
                "a7f2ff1481e87703:1",
                "a9cf91f7bbf1862b:1",
                "55ec222b86bcae53:1",
                "cc97dc7b1d7d8f7b:1",
                "c129715d7a2bc9a3:1",
            ],
        ),
        (
            "x = 2\nx = 1\nprint(x)\nx = 3\nprint(x)\nx = 4\nprint(x)\n",
            &[
                "e54938cc54b302f1:1",
                "bb609acbe9138d60:1",
                "1131fd5871777f34:1",
                "5c482a0f8b35ea28:1",
                "54517377da7028d2:1",
                "2c644846cb18d53e:1",
                "f1b89f20de0d133:1",
                "c129715d7a2bc9a3:1",
            ],
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(procdef::sarif::line_hashes(text), *expected, "{text:?}");
    }
    // The same seven hashes whatever the line ends.
    let lf = procdef::sarif::line_hashes(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n");
    assert_eq!(lf[0], "e9496ae3ebfced30:1");
    assert_eq!(lf[6], "c129715d7a2bc9a3:1");
    for text in [
        " hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r",
        " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
        " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n",
    ] {
        assert_eq!(procdef::sarif::line_hashes(text), lf, "{text:?}");
    }
}

/// Files hashed by the upload action's code itself (see the README there).
#[test]
fn line_hashes_match_the_upload_action_on_real_files() {
    let dir = root().join("tests/fixtures/line-hashes");
    for name in ["sales-process-ru.proc.txt", "mixed-line-ends.txt"] {
        let text = std::fs::read_to_string(dir.join(name)).expect("fixture");
        let expected =
            std::fs::read_to_string(dir.join(format!("{}.hashes", name.trim_end_matches(".txt")))).expect("hashes");
        let ours: Vec<String> =
            procdef::sarif::line_hashes(&text).iter().enumerate().map(|(i, h)| format!("{} {h}", i + 1)).collect();
        assert_eq!(ours, expected.lines().collect::<Vec<_>>(), "{name}");
    }
}

/// Each result carries the hash GitHub's upload step computed for its line
/// (the fixture's `.hashes`), whatever line of the file it points at.
#[test]
fn every_result_carries_the_line_hash_of_its_line() {
    use procdef::diagnostics::{Code, Diagnostic};
    let dir = root().join("tests/fixtures/line-hashes");
    let text = std::fs::read_to_string(dir.join("sales-process-ru.proc.txt")).expect("fixture");
    let expected: Vec<String> = std::fs::read_to_string(dir.join("sales-process-ru.proc.hashes"))
        .expect("hashes")
        .lines()
        .map(|l| l.split_once(' ').expect("LINE HASH").1.to_string())
        .collect();
    // A diagnostic at the start of every fifth line, and one in the middle of the last.
    let mut starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    starts.retain(|s| *s < text.len());
    let mut diagnostics: Vec<Diagnostic> = starts
        .iter()
        .step_by(5)
        .map(|s| Diagnostic::new(Code::P102, procdef::span::Span::new(*s, *s + 1), "x"))
        .collect();
    let last = *starts.last().expect("lines") + 2;
    diagnostics.push(Diagnostic::new(Code::P102, procdef::span::Span::new(last, last + 1), "y"));
    let inputs = [procdef::sarif::FileDiagnostics { file: "ru.proc", text: &text, diagnostics: &diagnostics }];
    let log: serde_json::Value = serde_json::from_str(&procdef::sarif::render(&inputs)).expect("SARIF is JSON");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), diagnostics.len());
    for r in results {
        let line = r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().expect("line") as usize;
        assert_eq!(r["partialFingerprints"]["primaryLocationLineHash"], expected[line - 1].as_str(), "{r}");
    }
}

/// GitHub code scanning needs `help` on every rule (multitool rule GH2012):
/// the rule's documentation, as Markdown and as plain text.
#[test]
fn every_rule_has_its_documentation_as_help() {
    let log = sarif_of(&[]);
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), procdef::diagnostics::Code::ALL.len());
    for (rule, code) in rules.iter().zip(procdef::diagnostics::Code::ALL) {
        let doc = code.doc();
        let markdown = rule["help"]["markdown"].as_str().unwrap_or_else(|| panic!("no help.markdown: {rule}"));
        let text = rule["help"]["text"].as_str().unwrap_or_else(|| panic!("no help.text: {rule}"));
        assert_eq!(markdown, doc.text.trim_end(), "{}", code.as_str());
        assert!(markdown.contains("**Wrong:**") && markdown.contains("```proc"), "{markdown}");
        assert!(!text.contains("```") && !text.contains("**"), "plain text: {text}");
        // Each example is in the text, indented as a code block.
        for example in doc.examples() {
            let indented: String = example.lines().map(|l| format!("    {l}\n")).collect();
            assert!(text.contains(indented.trim_end()), "{}: {text}", code.as_str());
        }
    }
}

fn uris(working_folder: Option<&str>, files: &[&str]) -> (serde_json::Value, Vec<(String, Option<String>)>) {
    let text = "process p {\n  role rep\n  stage a { entry owner rp instruct rep { \"x\" } -> won }\n  stage won { outcome won }\n}\n";
    let compiled = procdef::compile(text.as_bytes());
    let inputs: Vec<_> = files
        .iter()
        .map(|f| procdef::sarif::FileDiagnostics { file: f, text: &compiled.text, diagnostics: &compiled.diagnostics })
        .collect();
    let log: serde_json::Value =
        serde_json::from_str(&procdef::sarif::render_in(&inputs, working_folder, &[])).expect("SARIF is JSON");
    let found = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let a = &r["locations"][0]["physicalLocation"]["artifactLocation"];
            (a["uri"].as_str().expect("uri").to_string(), a["uriBaseId"].as_str().map(str::to_string))
        })
        .collect();
    (log, found)
}

#[cfg(unix)]
#[test]
fn sarif_uris_are_relative_to_srcroot_or_file_uris() {
    let (log, found) = uris(
        Some("/home/ann/sales team"),
        &[
            "processes/a.proc",
            "./processes/../b.proc",
            "/home/ann/sales team/processes/c.proc",
            "/home/ann/sales teams/d.proc",
            "../other/e.proc",
            "/srv/процессы/продажи 1.proc",
            "odd:name#1?.proc",
        ],
    );
    let srcroot = Some("%SRCROOT%".to_string());
    assert_eq!(
        found,
        [
            ("processes/a.proc".to_string(), srcroot.clone()),
            ("b.proc".to_string(), srcroot.clone()),
            ("processes/c.proc".to_string(), srcroot.clone()),
            ("file:///home/ann/sales%20teams/d.proc".to_string(), None),
            ("file:///home/ann/other/e.proc".to_string(), None),
            (
                "file:///srv/%D0%BF%D1%80%D0%BE%D1%86%D0%B5%D1%81%D1%81%D1%8B/%D0%BF%D1%80%D0%BE%D0%B4%D0%B0%D0%B6%D0%B8%201.proc"
                    .to_string(),
                None
            ),
            ("odd%3Aname%231%3F.proc".to_string(), srcroot.clone()),
        ]
    );
    assert_eq!(log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///home/ann/sales%20team/");
    let (log, _) = uris(Some("/"), &["a.proc"]);
    assert_eq!(log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///");
    // Without a working folder nothing is declared, and relative paths stay
    // relative references.
    let (log, found) = uris(None, &["x/./y.proc", "/abs/z.proc"]);
    assert!(log["runs"][0]["originalUriBaseIds"].is_null());
    assert_eq!(found, [("x/y.proc".to_string(), srcroot), ("file:///abs/z.proc".to_string(), None)]);
}

/// The CLI passes its working folder: an absolute path below it is
/// relative to `%SRCROOT%`, one elsewhere a `file://` URI.
#[cfg(unix)]
#[test]
fn check_gives_sarif_uris_against_its_working_folder() {
    let temp = tempfile::tempdir().expect("temp");
    let dir = temp.path().canonicalize().expect("exists");
    let inside = write(&dir, "work/п р/sales.proc", NEEDLESS_LOOP);
    let outside = write(&dir, "elsewhere/sales.proc", NEEDLESS_LOOP);
    let work = dir.join("work");
    let out = procdef()
        .args(["check", "--format", "sarif"])
        .arg(&inside)
        .arg(&outside)
        .current_dir(&work)
        .output()
        .expect("runs");
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let run = &log["runs"][0];
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"].as_str().expect("declared");
    assert_eq!(base, format!("file://{}/", work.display()));
    let locations: Vec<&serde_json::Value> = run["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| &r["locations"][0]["physicalLocation"]["artifactLocation"])
        .collect();
    assert_eq!(locations.len(), 2);
    assert_eq!(locations[0]["uri"], "%D0%BF%20%D1%80/sales.proc");
    assert_eq!(locations[0]["uriBaseId"], "%SRCROOT%");
    assert_eq!(locations[1]["uri"], format!("file://{}", outside.display()));
    assert!(locations[1]["uriBaseId"].is_null());
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
