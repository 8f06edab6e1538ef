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
    assert!(mermaid.contains("class request,estimate,rework mine"), "{mermaid}");
    assert!(mermaid.contains("rework -.->|\"100%\"| estimate"), "the rework loop is dashed: {mermaid}");
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
    let words = procdef::i18n::Words::new(model.language);
    let dot = procdef::emit::dot::digraph(&model, &graph, &words, None);
    assert!(dot_parser::ast::Graph::try_from(dot.as_str()).is_ok(), "{dot}");
    assert!(dot.contains(r#"label="Call \"now\" \\ # <script>""#), "{dot}");
    let mermaid = procdef::emit::mermaid::flowchart(&model, &graph, &words, None);
    assert!(mermaid.contains("a([\"Call #quot;now#quot; \\ #35; #lt;script#gt;\"])"), "{mermaid}");
}

#[test]
fn control_characters_and_backticks_never_reach_a_mermaid_label() {
    use procdef::emit::mermaid::label;
    assert_eq!(label("a\u{0}b\u{1b}[2J\u{7}\u{7f}\u{9b}c"), "a\u{2400}b\u{241b}[2J\u{2407}\u{2421}\u{fffd}c");
    assert_eq!(label("line\nbreak\r\ttab\u{2028}end"), "line break  tab end");
    assert_eq!(label("`**md**` & \"q\" <i>#1"), "#96;**md**#96; #amp; #quot;q#quot; #lt;i#gt;#35;1");
    for c in (0..0x20).chain(0x7f..0xa0).filter_map(char::from_u32) {
        let l = label(&format!("x{c}y"));
        assert!(!l.chars().any(char::is_control), "{c:?} -> {l:?}");
    }
}

/// The inverse of `node_id`, to show that no two stage ids share a node.
fn decode_node_id(node: &str) -> String {
    let Some(body) = node.strip_prefix("s__") else { return node.to_string() };
    let mut out = String::new();
    let mut hex: Option<String> = None;
    for c in body.chars() {
        match (&mut hex, c) {
            (None, '_') => hex = Some(String::new()),
            (None, c) => out.push(c),
            (Some(h), '_') => {
                out.push(char::from_u32(u32::from_str_radix(h, 16).expect("hex")).expect("a character"));
                hex = None;
            }
            (Some(h), c) => h.push(c),
        }
    }
    assert!(hex.is_none(), "unterminated escape in {node}");
    out
}

const HARD_IDS: &[&str] = &[
    "end",
    "End",
    "END",
    "graph",
    "flowchart",
    "subgraph",
    "style",
    "linkStyle",
    "classDef",
    "class",
    "click",
    "call",
    "href",
    "interpolate",
    "default",
    "direction",
    "LR",
    "o",
    "ops",
    "x",
    "x1",
    "xray",
    "звонок",
    "Звонок_2",
    "s__end",
    "s_",
    "s",
    "_self",
    "_blank",
    "_",
    "__",
    "a__b",
    "a_b",
    "a_",
    "é",
    "e\u{301}",
    "a·b",
    "Ⅻ",
    "ﬀ",
    "ff",
    "a-b",
    "a_2d_b",
    "s___2d_",
    "stage1",
    "ЀЁ",
];

#[test]
fn mermaid_node_ids_are_injective_and_safe_on_the_hard_cases() {
    use procdef::emit::mermaid::node_id;
    let mut seen = std::collections::HashMap::new();
    for id in HARD_IDS {
        let node = node_id(id);
        assert_eq!(decode_node_id(&node), *id, "{node}");
        if let Some(other) = seen.insert(node.clone(), *id) {
            panic!("{other:?} and {id:?} share the node id {node}");
        }
        assert!(
            node.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || ('\u{400}'..='\u{4ff}').contains(&c)),
            "{id:?} -> {node}"
        );
        let keyword = ["end", "graph", "subgraph", "style", "click", "class", "classdef", "call", "href", "_self"];
        assert!(!keyword.iter().any(|k| k.eq_ignore_ascii_case(&node)), "{id:?} -> {node}");
    }
    // Plain ids stay as they are: the graph reads like the process.
    for id in ["offer", "o", "x1", "needs_analysis", "звонок", "Stage2"] {
        assert_eq!(node_id(id), id);
    }
    assert_eq!(node_id("end"), "s__end");
    assert_eq!(node_id("_self"), "s___5f_self");
}

proptest::proptest! {
    #[test]
    fn mermaid_node_ids_read_back_to_their_stage(id in "[a-zA-Z_0-9звЁ·é\u{301}-]{1,8}") {
        let node = procdef::emit::mermaid::node_id(&id);
        proptest::prop_assert_eq!(decode_node_id(&node), id);
    }
}

/// The node and edge lines of a graph: what a diff shows.
fn graph_of(text: &str) -> String {
    let compiled = procdef::compile(text.as_bytes());
    assert!(!compiled.has_errors(), "{}", render("t.proc", &compiled));
    let model = compiled.model.expect("model");
    let graph = procdef::model::graph::StageGraph::new(&model);
    let words = procdef::i18n::Words::new(model.language);
    procdef::emit::mermaid::flowchart(&model, &graph, &words, None)
}

#[test]
fn adding_a_stage_changes_no_other_line_of_the_mermaid_graph() {
    let before = r#"process p {
  role rep
  stage call { entry owner rep instruct rep { "x" } -> offer 50% -> lost }
  stage offer { owner rep instruct rep { "y" } -> end 60% -> lost }
  stage end "Signed" { owner rep instruct rep { "z" } -> won }
  stage won { outcome won }
  stage lost { outcome lost }
}
"#;
    // A stage declared first, which the old numbering put in front of all.
    let after = before.replacen(
        "  stage call",
        "  stage intro { entry owner rep instruct rep { \"w\" } -> call }\n  stage call",
        1,
    );
    let (old, new) = (graph_of(before), graph_of(&after));
    let new_lines: std::collections::HashSet<&str> = new.lines().collect();
    let lost: Vec<&str> = old.lines().filter(|l| !new_lines.contains(l)).collect();
    // Only the list of entries gains the new one.
    assert_eq!(lost, ["  class s__call entry"], "lines changed by adding a stage:\n{new}");
    let added: Vec<&str> = new.lines().filter(|l| !old.lines().any(|o| o == *l)).collect();
    assert_eq!(
        added,
        ["  intro([\"intro\"])", "  intro -->|\"100%\"| s__call", "  class intro,s__call entry"],
        "{new}"
    );
    assert!(old.contains("  s__end[\"Signed\"]") && old.contains("offer -->|\"60%\"| s__end"), "{old}");
}

#[test]
fn hostile_stage_ids_give_one_node_each() {
    let path = root().join("tests/fixtures/mermaid/hostile-ids.proc");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let compiled = procdef::compile(text.as_bytes());
    let model = compiled.model.as_ref().expect("model");
    let mermaid = graph_of(&text);
    let nodes: Vec<&str> = mermaid
        .lines()
        .filter(|l| !l.contains("-->") && !l.contains("-.->") && l.contains("[\"") || l.contains("((\""))
        .map(|l| l.trim().split(['[', '(']).next().unwrap_or(""))
        .collect();
    let unique: std::collections::HashSet<&&str> = nodes.iter().collect();
    assert_eq!(nodes.len(), model.stages.len(), "{mermaid}");
    assert_eq!(unique.len(), nodes.len(), "{mermaid}");
    for stage in &model.stages {
        assert!(nodes.contains(&procdef::emit::mermaid::node_id(&stage.id).as_str()), "{}", stage.id);
    }
    assert!(!mermaid.chars().any(|c| c.is_control() && c != '\n'), "{mermaid}");
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
fn init_in_russian_writes_russian_keywords_and_texts_that_pass_check() {
    let dir = tempfile::tempdir().expect("temp");
    let status = procdef().args(["init", "--lang", "ru"]).arg(dir.path()).status().expect("runs");
    assert_eq!(status.code(), Some(0));
    let text = std::fs::read_to_string(dir.path().join("sales.proc")).expect("written");
    assert!(text.starts_with("# language: ru\n"), "the header makes the keywords Russian");
    let compiled = procdef::compile(text.as_bytes());
    assert!(compiled.diagnostics.is_empty(), "{}", render("sales.proc", &compiled));
    let model = compiled.model.expect("a model");
    assert_eq!(model.language, procdef::Lang::Ru, "Russian manuals");
    assert!(model.stages.iter().any(|s| s.sale), "the contract is the sale");
    // No English keyword outside the comments and texts.
    for line in text.lines().map(|l| l.split('#').next().unwrap_or("")).filter(|l| !l.contains('"')) {
        for word in line.split(|c: char| !c.is_alphanumeric() && c != '_').filter(|w| !w.is_empty()) {
            assert!(
                !word.chars().any(|c| c.is_ascii_lowercase()) || ["ru", "day"].contains(&word),
                "an English word `{word}` in `{line}`"
            );
        }
    }
}

#[test]
fn explain_lists_every_code_and_suggests_the_nearest() {
    let (code, list) = stdout(&["explain", "--list"]);
    assert_eq!(code, Some(0));
    for c in procdef::diagnostics::Code::ALL {
        assert!(list.lines().any(|l| l.starts_with(c.as_str()) && l.contains(c.name())), "{c} missing:\n{list}");
    }
    let out = procdef().args(["explain", "tight-capasity"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `tight-capacity`?"));
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

/// The long options `procdef COMMAND --help` lists.
fn long_options(help: &str) -> Vec<String> {
    // An option is declared where a line of `--help` starts with it (after
    // an optional short flag); a `--flag` quoted inside a description is not one.
    let mut found = Vec::new();
    for line in help.lines() {
        let line = line.trim_start();
        let line = match line.strip_prefix('-') {
            Some(rest) if !rest.starts_with('-') => rest.split_once(", ").map_or("", |(_, long)| long),
            _ => line,
        };
        if let Some(name) = line.strip_prefix("--") {
            let name: String = name.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
            if !name.is_empty() && !found.contains(&name) {
                found.push(name);
            }
        }
    }
    found
}

#[test]
fn man_writes_every_page_the_main_page_names_each_with_its_options() {
    let dir = tempfile::tempdir().expect("temp");
    let out = procdef().arg("man").arg(dir.path().join("man1")).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let read = |name: &str| std::fs::read_to_string(dir.path().join("man1").join(name));
    let main = read("procdef.1").expect("procdef.1 written");
    let (_, printed) = stdout(&["man"]);
    assert_eq!(printed, main, "`procdef man` prints the main page");
    // Every page the main page refers to, in SUBCOMMANDS and SEE ALSO.
    let mut named: Vec<String> = main
        .split("procdef\\-")
        .skip(1)
        .filter_map(|rest| rest.split_once("(1)").map(|(name, _)| name.trim_end_matches("\\fR").to_string()))
        .filter(|name| name.chars().all(|c| c.is_ascii_lowercase()))
        .collect();
    named.sort();
    named.dedup();
    let (_, help) = stdout(&["--help"]);
    let commands: Vec<&str> = help
        .split("Commands:")
        .nth(1)
        .expect("a command list")
        .split("Options:")
        .next()
        .unwrap_or("")
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 10, "{commands:?}");
    let mut sorted = commands.clone();
    sorted.sort();
    assert_eq!(named, sorted, "the main page names a page per command");
    assert!(!main.contains("procdef\\-help"), "no page is named that is not written");
    for command in &commands {
        let page = read(&format!("procdef-{command}.1")).unwrap_or_else(|e| panic!("procdef-{command}.1: {e}"));
        assert!(page.starts_with(".ie") && page.contains(&format!(".TH procdef-{command} 1")), "{page}");
        assert!(page.contains(".SH \"SEE ALSO\"\n\\fBprocdef\\fR(1)"), "{command}: {page}");
        assert!(page.is_ascii(), "{command}: non-ASCII roff");
        let (_, help) = stdout(&[command, "--help"]);
        let options = long_options(&help);
        assert!(options.contains(&"help".to_string()), "{command}: {help}");
        if *command == "export" {
            assert!(
                options.contains(&"output".to_string()) && !options.contains(&"metadata-dir".to_string()),
                "{options:?}"
            );
        }
        for option in options {
            let roff = format!("\\fB\\-\\-{}\\fR", option.replace('-', "\\-"));
            assert!(page.contains(&roff), "procdef-{command}.1 lacks --{option}");
        }
        if *command == "check" {
            assert!(page.contains(".SH OPTIONS") && page.contains("\\-\\-max\\-warnings"), "{page}");
        }
    }
    let written = std::fs::read_dir(dir.path().join("man1")).expect("folder").count();
    assert_eq!(written, commands.len() + 1);
}
