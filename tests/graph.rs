//! `procdef graph`, `init`, completions and the man page.

mod common;

use common::*;
use std::process::Command;

fn procdef() -> Command {
    Command::new(env!("CARGO_BIN_EXE_procdef"))
}

fn stdout(args: &[&str]) -> (Option<i32>, String) {
    let out = procdef().args(args).output().expect("runs");
    (out.status.code(), String::from_utf8(out.stdout).expect("UTF-8"))
}

fn valid_files() -> Vec<String> {
    let mut files: Vec<String> = examples().iter().map(|p| p.display().to_string()).collect();
    files.push(root().join("tests/fixtures/conformance/valid_service_company.proc").display().to_string());
    files
}

#[test]
fn dot_output_parses_and_shows_stages_loops_and_outcomes() {
    for file in valid_files() {
        let (code, dot) = stdout(&["graph", "--format", "dot", &file]);
        assert_eq!(code, Some(0));
        let parsed = dot_parser::ast::Graph::try_from(dot.as_str());
        assert!(parsed.is_ok(), "{file}: DOT does not parse: {:?}\n{dot}", parsed.err());
        let compiled = procdef::compile(&std::fs::read(&file).expect("readable"));
        let model = compiled.model.expect("a model");
        for stage in &model.stages {
            assert!(
                dot.contains(&format!("label=\"{}\"", stage.title.replace('"', "\\\""))),
                "{file}: {} missing",
                stage.id
            );
        }
        let loops = model.stages.iter().flat_map(|s| &s.transitions).filter(|t| t.is_loop).count();
        assert_eq!(dot.matches("style=dashed").count(), loops, "{file}");
        assert!(dot.contains("peripheries=2"));
    }
}

#[test]
fn the_chosen_role_is_highlighted() {
    let file = root().join("tests/fixtures/conformance/valid_service_company.proc").display().to_string();
    let (_, plain) = stdout(&["graph", "--format", "dot", &file]);
    let (_, marked) = stdout(&["graph", "--format", "dot", "--role", "presale", &file]);
    assert_eq!(plain.matches("#fff1c2").count(), 0);
    assert_eq!(marked.matches("#fff1c2").count(), 3, "presale owns three stages");
    let (_, mermaid) = stdout(&["graph", "--role", "presale", &file]);
    assert!(mermaid.starts_with("flowchart LR\n"));
    assert!(mermaid.contains("class s0,s1,s2 mine"), "{mermaid}");
    assert!(mermaid.contains("s2 -.->|\"100%\"| s1"), "the rework loop is dashed: {mermaid}");
    let (code, _) = stdout(&["graph", "--role", "nobody", &file]);
    assert_eq!(code, Some(2));
}

#[test]
fn hostile_titles_stay_inside_their_labels() {
    let text = "process p \"A \\\"quoted\\\" <b>title</b>\" {\n  role rep\n  stage a \"Call \\\"now\\\" \\\\ # <script>\" { entry owner rep instruct rep { \"x\" } -> won }\n  stage won { outcome won }\n}\n";
    let compiled = procdef::compile(text.as_bytes());
    assert!(compiled.diagnostics.is_empty(), "{}", render("t.proc", &compiled));
    let model = compiled.model.expect("model");
    let graph = procdef::model::graph::StageGraph::new(&model);
    let words = procdef::emit::i18n::Words::new(model.language);
    let dot = procdef::emit::dot::digraph(&model, &graph, &words, None);
    assert!(dot_parser::ast::Graph::try_from(dot.as_str()).is_ok(), "{dot}");
    assert!(dot.contains(r#"label="Call \"now\" \\ # <script>""#), "{dot}");
    let mermaid = procdef::emit::mermaid::flowchart(&model, &graph, &words, None);
    assert!(mermaid.contains("s0([\"Call #quot;now#quot; \\ #35; #lt;script#gt;\"])"), "{mermaid}");
}

#[test]
fn init_writes_a_starter_that_passes_check_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("temp");
    let target = dir.path().join("new");
    let status = procdef().arg("init").arg(&target).status().expect("runs");
    assert_eq!(status.code(), Some(0));
    let file = target.join("sales.proc");
    let bytes = std::fs::read(&file).expect("written");
    let compiled = procdef::compile(&bytes);
    assert!(compiled.diagnostics.is_empty(), "{}", render("sales.proc", &compiled));
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert!(text.lines().filter(|l| l.contains('#')).count() >= 20, "it teaches in comments");
    std::fs::write(&file, "mine").expect("writable");
    let status = procdef().arg("init").arg(&target).status().expect("runs");
    assert_eq!(status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&file).expect("kept"), "mine");
}

#[test]
fn completions_and_man_page() {
    let (code, bash) = stdout(&["completions", "bash"]);
    assert_eq!(code, Some(0));
    assert!(bash.contains("procdef") && bash.contains("check") && bash.contains("--format"));
    let (code, man) = stdout(&["man"]);
    assert_eq!(code, Some(0));
    assert!(man.contains(".TH procdef") && man.contains("check"), "{}", &man[..man.len().min(300)]);
}
