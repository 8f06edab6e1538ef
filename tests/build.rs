//! `build`: the outputs of the examples, their shape, determinism, and
//! all-or-nothing writing.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

fn outputs(path: &Path) -> Vec<procdef::emit::Output> {
    let bytes = std::fs::read(path).expect("example is readable");
    let compiled = procdef::compile(&bytes);
    assert!(!compiled.has_errors(), "{}", render(&name(path), &compiled));
    let model = compiled.model.as_ref().expect("a model");
    let file = format!("examples/{}.proc", name(path));
    procdef::emit::outputs(model, compiled.analysis.as_ref(), &file, &compiled.text)
}

#[test]
fn example_outputs_match_their_snapshots() {
    for path in examples() {
        for output in outputs(&path) {
            if output.path == "process.schema.json" {
                continue;
            }
            let snapshot = format!("{}__{}", name(&path), output.path.replace('/', "__"));
            insta::with_settings!({ snapshot_path => "snapshots/build", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(snapshot, output.contents);
            });
        }
    }
}

#[test]
fn outputs_are_deterministic() {
    for path in examples() {
        assert_eq!(outputs(&path), outputs(&path));
    }
}

#[test]
fn process_json_validates_against_its_schema_and_has_the_contract_shape() {
    let schema: serde_json::Value = serde_json::from_str(&procdef::emit::json::schema()).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    for path in examples() {
        let all = outputs(&path);
        let json = all.iter().find(|o| o.path == "process.json").expect("process.json is written");
        let value: serde_json::Value = serde_json::from_str(&json.contents).expect("process.json is JSON");
        let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}");
        let keys: Vec<&str> = value.as_object().expect("an object").keys().map(String::as_str).collect();
        for key in
            ["schema", "process", "segments", "products", "roles", "stages", "metrics", "plan", "rollout", "analysis"]
        {
            assert!(keys.contains(&key), "missing {key}");
        }
        assert_eq!(keys.len(), 10, "{keys:?}");
        assert_eq!(value["schema"], "procdef/1");
        let analysis = &value["analysis"];
        let p = analysis["new_client_win_probability"].as_f64().expect("a probability");
        assert!((0.0..=1.0).contains(&p));
        for stage in analysis["stages"].as_array().expect("stages") {
            let obj = stage.as_object().expect("object");
            let mut k: Vec<&str> = obj.keys().map(String::as_str).collect();
            k.sort();
            assert_eq!(k, ["expected_visits", "id", "volume_per_period", "win_probability"]);
        }
        // Every transition's probability is filled in and each stage's sum to 1.
        for stage in value["stages"].as_array().expect("stages") {
            let ts = stage["transitions"].as_array().expect("transitions");
            if !ts.is_empty() {
                let sum: f64 = ts.iter().map(|t| t["probability"].as_f64().expect("a number")).sum();
                assert!((sum - 1.0).abs() < 1e-9, "{}: {sum}", stage["id"]);
            }
            assert!(stage["span"]["line"].as_u64().is_some());
        }
    }
}

#[test]
fn every_role_gets_a_manual_with_its_sections_in_order() {
    for path in examples() {
        let all = outputs(&path);
        let json = all.iter().find(|o| o.path == "process.json").expect("process.json");
        let value: serde_json::Value = serde_json::from_str(&json.contents).expect("JSON");
        let roles = value["roles"].as_array().expect("roles").len();
        let manuals: Vec<_> =
            all.iter().filter(|o| o.path.starts_with("manuals/") && o.path.ends_with(".md")).collect();
        assert_eq!(manuals.len(), roles);
        let ru = value["process"]["language"] == "ru";
        let headings: &[&str] = if ru {
            &["## Ваша должность", "## Процесс целиком", "## Ваши этапы", "## Ваши нормативы", "## Ваши даты внедрения"]
        } else {
            &["## Your role", "## The process at a glance", "## Your stages", "## Your norms", "## Your rollout dates"]
        };
        for m in manuals {
            let at: Vec<usize> =
                headings.iter().map(|h| m.contents.find(h).unwrap_or_else(|| panic!("{}: no {h}", m.path))).collect();
            assert!(at.windows(2).all(|w| w[0] < w[1]), "{}: sections out of order", m.path);
            assert!(m.contents.contains("```mermaid\nflowchart LR"), "{}: no stage graph", m.path);
            for word in ["DSL", "procdef", "instruct ", "->", "P2"] {
                assert!(
                    !m.contents.replace("-.->", "").replace("-->", "").contains(word),
                    "{}: jargon `{word}`",
                    m.path
                );
            }
        }
    }
}

fn procdef() -> Command {
    Command::new(env!("CARGO_BIN_EXE_procdef"))
}

#[test]
fn a_failed_build_leaves_the_previous_output_as_it_was() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let good = root().join("tests/fixtures/conformance/valid_service_company.proc");
    let status = procdef().args(["build", "-o"]).arg(&out).arg(&good).status().expect("runs");
    assert_eq!(status.code(), Some(0));
    let before = std::fs::read(out.join("process.json")).expect("written");
    let manuals: Vec<String> = std::fs::read_dir(out.join("manuals"))
        .expect("manuals")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(manuals.iter().filter(|n| n.ends_with(".md")).count(), 2, "{manuals:?}");
    assert_eq!(manuals.iter().filter(|n| n.ends_with(".html")).count(), 2, "{manuals:?}");

    // A file with errors writes nothing.
    let bad = root().join("tests/fixtures/conformance/cycle_and_trap.proc");
    let status = procdef().args(["build", "-o"]).arg(&out).arg(&bad).status().expect("runs");
    assert_eq!(status.code(), Some(1));
    assert_eq!(std::fs::read(out.join("process.json")).expect("still there"), before);

    // An output path that cannot be a folder: exit 2, nothing touched.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "keep me").expect("written");
    let status = procdef().args(["build", "-o"]).arg(&blocker).arg(&good).status().expect("runs");
    assert_eq!(status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&blocker).expect("kept"), "keep me");

    // The manual of a role that no longer exists goes with the rest of the
    // old build; no staging folder is left behind.
    let two_roles = dir.path().join("two.proc");
    let process = |roles: &str| {
        format!(
            "process p {{\n  {roles}\n  stage a {{ entry owner rep instruct rep {{ \"x\" }} -> won }}\n  stage won {{ outcome won }}\n}}\n"
        )
    };
    std::fs::write(&two_roles, process("role rep\n  role old_role")).expect("written");
    let status = procdef().args(["build", "-q", "-o"]).arg(&out).arg(&two_roles).status().expect("runs");
    assert_eq!(status.code(), Some(0));
    assert!(out.join("manuals/old_role.md").exists());
    std::fs::write(&two_roles, process("role rep")).expect("written");
    let status = procdef().args(["build", "-q", "-o"]).arg(&out).arg(&two_roles).status().expect("runs");
    assert_eq!(status.code(), Some(0));
    assert!(!out.join("manuals/old_role.md").exists());
    assert!(out.join("manuals/rep.md").exists());
    let status = procdef().args(["build", "-o"]).arg(&out).arg(&good).status().expect("runs");
    assert_eq!(status.code(), Some(0));

    // A folder holding anything procdef did not write is never replaced.
    std::fs::write(out.join("notes.txt"), "mine").expect("written");
    let output = procdef().args(["build", "-o"]).arg(&out).arg(&good).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("which procdef did not write"));
    assert_eq!(std::fs::read_to_string(out.join("notes.txt")).expect("kept"), "mine");
    assert_eq!(std::fs::read(out.join("process.json")).expect("kept"), before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("listable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".procdef"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let manifest = std::fs::read_to_string(out.join(".procdef-manifest")).expect("a manifest");
    assert!(manifest.lines().any(|l| l.ends_with("  process.json")), "{manifest}");
}

fn good() -> std::path::PathBuf {
    root().join("tests/fixtures/conformance/valid_service_company.proc")
}

fn build(out: &Path) -> std::process::Output {
    procdef().args(["build", "-o"]).arg(out).arg(good()).output().expect("runs")
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The names beside `dir`'s entries that procdef made (staging folders).
fn procdef_leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("listable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".procdef"))
        .collect()
}

#[test]
fn a_folder_that_is_not_a_build_is_refused_and_its_files_kept() {
    let dir = tempfile::tempdir().expect("temp");
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(docs.join("manuals")).expect("folders");
    std::fs::write(docs.join("manuals/notes.md"), "notes").expect("written");
    let output = build(&docs);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let said = stderr(&output);
    assert!(said.contains("manuals/notes.md, which procdef did not write"), "{said}");
    assert!(said.contains("has no .procdef-manifest"), "{said}");
    assert_eq!(std::fs::read_to_string(docs.join("manuals/notes.md")).expect("kept"), "notes");
    assert!(!docs.join("process.json").exists());
    assert!(procdef_leftovers(dir.path()).is_empty());

    // An empty folder is fine.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("folder");
    assert_eq!(build(&empty).status.code(), Some(0));
    assert!(empty.join("process.json").exists());
}

#[test]
fn a_build_edited_by_hand_is_not_replaced() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path().join("out");
    assert_eq!(build(&out).status.code(), Some(0));
    std::fs::write(out.join("graph.mmd"), "my own graph").expect("written");
    let output = build(&out);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("graph.mmd changed since procdef wrote it"), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(out.join("graph.mmd")).expect("kept"), "my own graph");
}

/// The manifest is what `sha256sum -c` checks: every file of the build,
/// with its hash, and nothing else.
#[cfg(target_os = "linux")]
#[test]
fn the_manifest_is_checked_by_sha256sum() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path().join("out");
    assert_eq!(build(&out).status.code(), Some(0));
    let check = Command::new("sha256sum")
        .args(["--check", "--strict", ".procdef-manifest"])
        .current_dir(&out)
        .output()
        .expect("sha256sum runs (coreutils)");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    let checked = String::from_utf8_lossy(&check.stdout).lines().filter(|l| l.ends_with(": OK")).count();
    let mut files = 0;
    let mut stack = vec![out.clone()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(at).expect("listable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n != ".procdef-manifest") {
                files += 1;
            }
        }
    }
    assert_eq!(checked, files);
    // A changed file fails the check.
    std::fs::write(out.join("process.json"), "{}").expect("written");
    let check = Command::new("sha256sum").args(["--check", "--quiet", ".procdef-manifest"]).current_dir(&out).output();
    assert!(!check.expect("runs").status.success());
}

#[test]
fn a_second_build_into_a_path_with_dot_dot_replaces_the_folder() {
    let dir = tempfile::tempdir().expect("temp");
    let x = dir.path().join("x");
    assert_eq!(build(&x).status.code(), Some(0));
    std::fs::remove_file(x.join("graph.mmd")).expect("removed");
    let output = build(&dir.path().join("x/../x"));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(x.join("graph.mmd").exists(), "the new build is in x");
    assert!(procdef_leftovers(dir.path()).is_empty(), "{:?}", procdef_leftovers(dir.path()));
}

/// `-o LINK`: the build goes into the folder the link points to, and the
/// link stays.
#[cfg(unix)]
#[test]
fn a_build_through_a_link_replaces_the_links_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().expect("temp");
    let real = dir.path().join("real");
    assert_eq!(build(&real).status.code(), Some(0));
    std::fs::remove_file(real.join("graph.mmd")).expect("removed");
    let link = dir.path().join("link");
    std::os::unix::fs::symlink("real", &link).expect("linked");
    let output = build(&link);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("the link's target"), "{}", stderr(&output));
    assert!(std::fs::symlink_metadata(&link).expect("there").file_type().is_symlink(), "the link stays");
    assert_eq!(std::fs::read_link(&link).expect("a link"), Path::new("real"));
    assert!(real.join("graph.mmd").exists(), "the target holds the new build");
    assert!(procdef_leftovers(dir.path()).is_empty());

    // A link to nowhere is refused.
    let dangling = dir.path().join("dangling");
    std::os::unix::fs::symlink("missing", &dangling).expect("linked");
    let output = build(&dangling);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("symbolic link"), "{}", stderr(&output));
    assert!(!dir.path().join("missing").exists());
}

#[test]
fn the_current_folder_is_never_swapped_away() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path().join("out");
    assert_eq!(build(&out).status.code(), Some(0));
    for (cwd, arg) in [(&out, "."), (&out.join("manuals"), "..")] {
        let output = procdef().args(["build", "-o", arg]).arg(good()).current_dir(cwd).output().expect("runs");
        assert_eq!(output.status.code(), Some(2), "{arg}");
        assert!(stderr(&output).contains("it is the current folder, or holds it"), "{}", stderr(&output));
        assert!(out.join("manuals").is_dir());
    }
}

/// What an interrupted build left beside the folder goes with the next
/// build.
#[test]
fn leftovers_of_an_interrupted_build_are_removed() {
    let dir = tempfile::tempdir().expect("temp");
    let staging = dir.path().join(".procdef-build-1-0000");
    std::fs::create_dir_all(staging.join("manuals")).expect("folders");
    std::fs::write(staging.join("manuals/rep.md"), "half a manu").expect("written");
    let output = build(&dir.path().join("out"));
    assert_eq!(output.status.code(), Some(0));
    assert!(stderr(&output).contains("left by an interrupted build"), "{}", stderr(&output));
    assert!(procdef_leftovers(dir.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn init_never_writes_through_a_link() {
    let dir = tempfile::tempdir().expect("temp");
    let d = dir.path().join("d");
    std::fs::create_dir(&d).expect("folder");
    let outside = dir.path().join("outside.proc");
    std::os::unix::fs::symlink(&outside, d.join("sales.proc")).expect("linked");
    let output = procdef().arg("init").arg(&d).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("is a symbolic link; nothing was written"), "{}", stderr(&output));
    assert!(!outside.exists(), "nothing written outside the folder");

    // The folder itself a link to nothing: said so, nothing made.
    let nowhere = dir.path().join("nowhere");
    let e = dir.path().join("e");
    std::os::unix::fs::symlink(&nowhere, &e).expect("linked");
    let output = procdef().arg("init").arg(&e).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("is a symbolic link to nothing; nothing was written"), "{}", stderr(&output));
    assert!(!nowhere.exists());
}

/// Role ids that NTFS and APFS fold to one name get manuals of their own.
#[test]
fn look_alike_role_ids_get_distinct_manuals() {
    let text = "process p {\n  role σ_x\n  role ς_x\n  role ſ\n  role s\n  role ı\n  role I\n  stage a { entry owner σ_x instruct ς_x { \"x\" } instruct ſ { \"x\" } instruct s { \"x\" } instruct ı { \"x\" } instruct I { \"x\" } -> won }\n  stage won { outcome won }\n}\n";
    let compiled = procdef::compile(text.as_bytes());
    assert!(!compiled.has_errors(), "{}", render("p.proc", &compiled));
    let model = compiled.model.as_ref().expect("model");
    let paths: Vec<String> = procdef::emit::outputs(model, compiled.analysis.as_ref(), "p.proc", &compiled.text)
        .into_iter()
        .map(|o| o.path)
        .filter(|p| p.starts_with("manuals/") && p.ends_with(".md"))
        .collect();
    assert_eq!(
        paths,
        ["manuals/σ_x.md", "manuals/ς_x-2.md", "manuals/ſ.md", "manuals/s-2.md", "manuals/ı.md", "manuals/I-2.md"]
    );
}

#[test]
fn building_into_the_source_folder_deletes_nothing() {
    let dir = tempfile::tempdir().expect("temp");
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).expect("folder");
    let file = src.join("sales.proc");
    std::fs::copy(root().join("tests/fixtures/conformance/valid_service_company.proc"), &file).expect("copied");
    let status = procdef().args(["build", "-o"]).arg(dir.path()).arg(&file).status().expect("runs");
    assert_eq!(status.code(), Some(2));
    assert!(file.exists(), "the source file is still there");
}

#[test]
fn errors_allowed_by_configuration_still_stop_the_build() {
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("p.proc");
    std::fs::write(
        &file,
        "process p {\n  role rep\n  # allow(probabilities-incomplete)\n  stage a { entry owner rep instruct rep { \"x\" } -> won 20% -> lost 10% }\n  stage won { outcome won }\n  stage lost { outcome lost }\n}\n",
    )
    .expect("written");
    let check = procdef().arg("check").arg(&file).status().expect("runs");
    assert_eq!(check.code(), Some(0), "check honours the allow");
    let out = dir.path().join("out");
    let build = procdef().args(["build", "-o"]).arg(&out).arg(&file).output().expect("runs");
    assert_eq!(build.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&build.stderr).contains("P302"));
    assert!(!out.exists());
}

#[test]
fn odd_and_cyrillic_role_ids_give_safe_distinct_manual_names() {
    let text = "process p {\n  role CON\n  role con\n  role менеджер\n  stage a { entry owner CON instruct con { \"x\" } instruct менеджер { \"y\" } -> won }\n  stage won { outcome won }\n}\n";
    let compiled = procdef::compile(text.as_bytes());
    assert!(compiled.diagnostics.is_empty(), "{}", render("odd.proc", &compiled));
    let model = compiled.model.as_ref().expect("model");
    let paths: Vec<String> = procdef::emit::outputs(model, compiled.analysis.as_ref(), "odd.proc", &compiled.text)
        .into_iter()
        .map(|o| o.path)
        .filter(|p| p.starts_with("manuals/") && p.ends_with(".md"))
        .collect();
    assert_eq!(paths, ["manuals/CON_.md", "manuals/con_-2.md", "manuals/менеджер.md"]);
}

#[test]
fn emitters_do_not_panic_on_any_fixture_that_has_a_model() {
    let mut built = 0;
    for folder in ["checks", "conformance"] {
        for path in fixtures(folder) {
            let bytes = std::fs::read(&path).expect("readable");
            let compiled = procdef::compile(&bytes);
            let Some(model) = &compiled.model else { continue };
            // Even a model with errors (which `build` never writes) renders.
            let all = procdef::emit::outputs(model, compiled.analysis.as_ref(), &name(&path), &compiled.text);
            assert!(all.iter().any(|o| o.path == "process.json"), "{}", path.display());
            built += 1;
        }
    }
    assert!(built > 20, "{built}");
}

#[test]
fn funnel_md_is_written_only_with_a_plan() {
    let with_plan = |plan: &str| {
        let text = format!(
            "process p {{\n  role rep {{ capacity 6h/day }}\n  stage a {{ entry owner rep effort 1h instruct rep {{ \"x\" }} -> won 50% -> lost }}\n  stage won {{ outcome won }}\n  stage lost {{ outcome lost }}\n  {plan}\n}}\n"
        );
        let compiled = procdef::compile(text.as_bytes());
        assert!(!compiled.has_errors(), "{}", render("p.proc", &compiled));
        let model = compiled.model.as_ref().expect("model");
        procdef::emit::outputs(model, compiled.analysis.as_ref(), "p.proc", &compiled.text)
            .into_iter()
            .any(|o| o.path == "funnel.md")
    };
    assert!(with_plan("plan { goal 5/week }"));
    assert!(!with_plan(""));
}

#[test]
fn funnel_md_escapes_every_text_of_the_user() {
    let text = r#"process p "Plan | <b>bold</b>" {
  role rep "Rep | *star*" { capacity 6h/day }
  stage a "Say \"yes\" | `now` <i>\nplease" { entry owner rep effort 1h instruct rep { "x" } -> won 50% -> lost }
  stage won "Won_deal [x](y)" { outcome won }
  stage lost { outcome lost }
  plan { goal 5/week }
}
"#;
    let compiled = procdef::compile(text.as_bytes());
    assert!(!compiled.has_errors(), "{}", render("p.proc", &compiled));
    let model = compiled.model.as_ref().expect("model");
    let graph = procdef::model::graph::StageGraph::new(model);
    let md = procdef::emit::funnel_md::markdown(model, &graph, compiled.analysis.as_ref().expect("analysis"));
    assert!(md.starts_with("# Funnel plan: Plan \\| &lt;b&gt;bold&lt;/b&gt;\n"), "{md}");
    assert!(md.contains("| Say \"yes\" \\| \\`now\\` &lt;i&gt; please | 50% |"), "{md}");
    assert!(md.contains("| Rep \\| \\*star\\* | 1 |"), "{md}");
    assert!(md.contains("Won\\_deal \\[x\\](y) (outcome: won)"), "{md}");
    // Every table row has the same number of cells as its header.
    for table in md.split("\n\n").filter(|b| b.starts_with('|')) {
        let cells = |l: &str| l.replace("\\|", "").matches('|').count();
        let first = cells(table.lines().next().expect("a header"));
        assert!(table.lines().all(|l| cells(l) == first), "{table}");
    }
    // Inside the chart, a label is one quoted string without quotes or backticks.
    let chart = md.split("```mermaid\n").nth(1).and_then(|c| c.split("```").next()).expect("a chart");
    assert!(chart.contains(r#"x-axis ["Say 'yes' | 'now' <i> please", "Won_deal [x](y)"]"#), "{chart}");
    assert!(chart.contains("bar [10, 5]"), "{chart}");
}

/// The manual of a role that owns stages says what it must deliver there
/// and how busy the plan keeps it.
#[test]
fn manuals_give_each_role_its_numbers() {
    let manual = |text: &str, role: &str| {
        let compiled = procdef::compile(text.as_bytes());
        assert!(!compiled.has_errors(), "{}", render("p.proc", &compiled));
        let model = compiled.model.as_ref().expect("model");
        procdef::emit::outputs(model, compiled.analysis.as_ref(), "p.proc", &compiled.text)
            .into_iter()
            .find(|o| o.path == format!("manuals/{role}.md"))
            .expect("a manual")
            .contents
    };
    let text = std::fs::read_to_string(root().join("tests/fixtures/funnel/self_loop.proc")).expect("fixture");
    let rep = manual(&text, "rep");
    // 20 new clients a month visit `calls` twice each; half are won.
    assert!(rep.contains("- Under the plan: 40 clients per month.\n"), "{rep}");
    assert!(rep.contains("- Of the clients who reach this stage, **50%** are won in the end"), "{rep}");
    assert!(rep.contains("- «Calls»: about **40** clients per month; **50%** of them are won in the end.\n"), "{rep}");
    // 20 h a month for 2 people over 21 workdays: 0.48 h a day each.
    assert!(rep.contains("**20 h** per month of the **168 h** your position has: **11.9%**"), "{rep}");
    assert!(
        rep.contains("That is about **0.5 h** of the **4 h** each of you gives the process in a workday."),
        "{rep}"
    );
    assert!(!rep.contains("more time than your position has"), "{rep}");

    // The head needs 50 h a month against 21 h: the manual says so.
    let text = std::fs::read_to_string(root().join("tests/fixtures/conformance/capacity.proc")).expect("fixture");
    let head = manual(&text, "head");
    assert!(
        head.contains("**238.1%** of your working time. That is about **2.4 h** of the **1 h** you give"),
        "{head}"
    );
    assert!(head.contains("The plan needs more time than your position has"), "{head}");

    // Without a plan: the conversion, no volume.
    let text = std::fs::read_to_string(root().join("tests/fixtures/funnel/no_plan.proc")).expect("fixture");
    let m = manual(&text, "менеджер");
    assert!(m.contains("- Из клиентов, попавших на этот этап, в итоге покупают **52,6%**"), "{m}");
    assert!(m.contains("- «Предложение»: в итоге покупают **52,6%** клиентов этапа.\n"), "{m}");
    assert!(!m.contains("клиентов в месяц"), "{m}");
}
