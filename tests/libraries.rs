//! Libraries and `use` (LANGUAGE.md §5.1): through the library with an
//! in-memory file system, and through the binary on real folders.

mod common;

use procdef::project::FileSystem;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Files in memory, under `/p`; no links, so canonical paths are the
/// paths with `..` resolved.
struct Memory(BTreeMap<PathBuf, String>);

impl Memory {
    fn new(files: &[(&str, &str)]) -> Memory {
        Memory(files.iter().map(|(p, t)| (PathBuf::from("/p").join(p), t.to_string())).collect())
    }

    fn compile(&self, entry: &str) -> procdef::Compiled {
        let path = PathBuf::from("/p").join(entry);
        let bytes = self.0.get(&path).expect("the entry exists").clone();
        procdef::compile_project(self, Path::new("/p"), &path, bytes.as_bytes(), &procdef::Options::default())
    }
}

impl FileSystem for Memory {
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        let mut out = PathBuf::new();
        for c in path.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                c => out.push(c),
            }
        }
        if self.0.contains_key(&out) { Ok(out) } else { Err(io::Error::from(io::ErrorKind::NotFound)) }
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.0.get(path).map(|t| t.clone().into_bytes()).ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }
}

/// `(file, code)` of every diagnostic, the file by its path.
fn codes(compiled: &procdef::Compiled) -> Vec<(String, String)> {
    let path = |file: procdef::span::FileId| {
        if file == procdef::span::FileId::ROOT {
            "root".to_string()
        } else {
            let source = compiled.libraries.iter().find(|s| s.id == file).expect("a library of the compilation");
            source.path.strip_prefix("/p").expect("inside the root").display().to_string()
        }
    };
    compiled.diagnostics.iter().map(|d| (path(d.span.file), d.code.as_str().to_string())).collect()
}

const ROLES: &str = r#"library roles "Org chart" {
  role manager "Sales manager" { headcount 2 capacity 6h/day reports to head }
  role head "Head of sales" { capacity 3h/day }
  role lawyer "Nobody here needs one"
  segment retail { share 100% deal 1000 RUB }
  product spare "Spare parts"
}
"#;

const SALES: &str = r#"process sales {
  use "common/roles.proc"
  stage lead {
    entry
    owner manager
    effort 10min
    instruct manager { "Call back" for retail }
    instruct head { "Check the call" }
    -> won 30%
    -> lost
  }
  stage won { outcome won }
  stage lost { outcome lost }
}
"#;

#[test]
fn a_process_takes_only_the_library_declarations_it_refers_to() {
    let files = Memory::new(&[("sales.proc", SALES), ("common/roles.proc", ROLES)]);
    let compiled = files.compile("sales.proc");
    assert_eq!(codes(&compiled), Vec::<(String, String)>::new());
    let model = compiled.model.as_ref().expect("a model");
    let roles: Vec<&str> = model.roles.iter().map(|r| r.id.as_str()).collect();
    // `head` through `instruct` and `reports to`; `lawyer` and `spare` are
    // named by nobody, so they get no manual and no P403 or P103.
    assert_eq!(roles, ["manager", "head"]);
    assert_eq!(model.segments.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["retail"]);
    assert!(model.products.is_empty());
    // The declaration's span is in the library's file, and go-to-definition
    // from the owner's name lands there.
    let manager = &model.roles[0];
    assert_ne!(manager.span.file, procdef::span::FileId::ROOT);
    let owner_at = SALES.find("owner manager").expect("the owner line") + "owner ".len();
    let declared = model.name_at(procdef::span::FileId::ROOT, owner_at).expect("the owner resolves");
    assert_eq!(model.declaration_span(declared), Some(manager.span));
    let library_text = compiled.text_of(manager.span.file);
    assert_eq!(&library_text[manager.span.start..manager.span.end], "manager");
    // Every use of `manager` is kept: the owner, the instruct role, and the
    // library's own `reports to` is of `head`.
    assert_eq!(model.references_to(declared).count(), 2);
}

#[test]
fn process_json_spans_name_the_file_a_declaration_is_in() {
    let files = Memory::new(&[("sales.proc", SALES), ("common/roles.proc", ROLES)]);
    let compiled = files.compile("sales.proc");
    let model = compiled.model.as_ref().expect("a model");
    let library = &compiled.libraries[0];
    let libraries =
        [procdef::emit::json::LibraryFile { id: library.id, name: "common/roles.proc", text: &library.text }];
    let doc =
        procdef::emit::json::document_with(model, compiled.analysis.as_ref(), "sales.proc", &compiled.text, &libraries);
    let json = serde_json::to_value(&doc).expect("serializes");
    assert_eq!(json["roles"][0]["span"], serde_json::json!({"file": "common/roles.proc", "line": 2, "column": 8}));
    assert_eq!(json["stages"][0]["span"], serde_json::json!({"file": "sales.proc", "line": 3, "column": 9}));
}

#[test]
fn a_use_that_cannot_be_followed_is_p005_and_stops_the_checks() {
    let files = Memory::new(&[
        (
            "p.proc",
            "process p {\n  use \"/p/lib.proc\"\n  use \"../lib.proc\"\n  use \"nope.proc\"\n  use \"other.proc\"\n  stage a { owner ghost -> b }\n}\n",
        ),
        ("lib.proc", "library lib { role r }\n"),
        ("other.proc", "process other { }\n"),
    ]);
    let mut files = files;
    files.0.insert(PathBuf::from("/lib.proc"), "library outside { role r }\n".to_string());
    let compiled = files.compile("p.proc");
    // No P102 for `ghost` nor P203 for `b`: the checks need every library.
    let root = |c: &str| ("root".to_string(), c.to_string());
    assert_eq!(codes(&compiled), [root("P005"), root("P005"), root("P005"), root("P005")]);
    let messages: Vec<&str> = compiled.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(messages[0].contains("absolute"), "{messages:?}");
    assert!(messages[1].contains("outside"), "{messages:?}");
    assert!(messages[2].contains("no file"), "{messages:?}");
    assert!(messages[3].contains("holds a process"), "{messages:?}");
    assert!(compiled.model.is_none());
    // At the string.
    let at = &compiled.diagnostics[2].span;
    assert_eq!(&compiled.text[at.start..at.end], "\"nope.proc\"");
}

#[test]
fn a_chain_of_use_that_returns_is_p006_at_the_use_that_closes_it() {
    let files = Memory::new(&[
        ("p.proc", "process p {\n  use \"a.proc\"\n}\n"),
        ("a.proc", "library a { use \"sub/b.proc\" role x }\n"),
        ("sub/b.proc", "library b { use \"../a.proc\" role y }\n"),
    ]);
    let compiled = files.compile("p.proc");
    assert_eq!(codes(&compiled), [("sub/b.proc".to_string(), "P006".to_string())]);
    let d = &compiled.diagnostics[0];
    assert!(d.message.ends_with("a.proc -> sub/b.proc -> a.proc"), "{}", d.message);
    let text = compiled.text_of(d.span.file);
    assert_eq!(&text[d.span.start..d.span.end], "use \"../a.proc\"");
}

#[test]
fn a_library_reached_by_two_paths_is_read_once() {
    let files = Memory::new(&[
        (
            "p.proc",
            "process p {\n  use \"a.proc\"\n  use \"b.proc\"\n  role rep { reports to boss }\n  stage s { entry owner rep instruct rep { \"x\" } -> won }\n  stage won { outcome won }\n}\n",
        ),
        ("a.proc", "library a { use \"base.proc\" }\n"),
        ("b.proc", "library b { use \"./base.proc\" }\n"),
        ("base.proc", "library base { role boss { headcount 1 } }\n"),
    ]);
    let compiled = files.compile("p.proc");
    // `boss` is idle (P403) once, not also declared twice (P101).
    assert_eq!(codes(&compiled), [("base.proc".to_string(), "P403".to_string())]);
    assert_eq!(compiled.libraries.len(), 3);
}

#[test]
fn a_used_file_with_its_own_errors_gets_them_there_and_no_p005() {
    let files = Memory::new(&[
        ("p.proc", "process p {\n  use \"a.proc\"\n  use \"b.proc\"\n  stage s { owner nobody }\n}\n"),
        ("a.proc", "library a { role }\n"),
        ("b.proc", "library b { role x }\nprocess q { }\n"),
    ]);
    let compiled = files.compile("p.proc");
    assert_eq!(
        codes(&compiled),
        [("a.proc".to_string(), "P001".to_string()), ("b.proc".to_string(), "P004".to_string())]
    );
}

#[test]
fn one_name_declared_in_two_files_is_p101() {
    let files = Memory::new(&[
        (
            "p.proc",
            "process p {\n  use \"lib.proc\"\n  role rep\n  stage s { entry owner rep instruct rep { \"x\" } -> won }\n  stage won { outcome won }\n}\n",
        ),
        ("lib.proc", "library lib { role rep \"The library's\" }\n"),
    ]);
    let compiled = files.compile("p.proc");
    let got = codes(&compiled);
    assert!(got.iter().all(|(_, c)| c == "P101") && !got.is_empty(), "{got:?}");
    // The process's own declaration comes first, so the library's is the
    // duplicate, and the diagnostic points at both.
    let d = &compiled.diagnostics[0];
    assert_ne!(d.span.file, procdef::span::FileId::ROOT);
    assert!(d.related.iter().any(|r| r.span.file == procdef::span::FileId::ROOT), "{d:?}");
}

#[test]
fn a_library_on_its_own_checks_its_names_and_its_reporting_lines() {
    let files = Memory::new(&[
        (
            "lib.proc",
            "library lib {\n  use \"more.proc\"\n  role a { reports to b }\n  role b { reports to a }\n  role c { reports to boss }\n  role d { reports to nobody }\n}\n",
        ),
        ("more.proc", "library more { role boss segment s { share 120% } }\n"),
    ]);
    let compiled = files.compile("lib.proc");
    let mut got = codes(&compiled);
    got.sort();
    // `boss` resolves in the library used; `nobody` does not; `a` and `b`
    // report to each other; the other library's bad literal is its own.
    assert_eq!(
        got,
        [
            ("more.proc".to_string(), "P002".to_string()),
            ("root".to_string(), "P102".to_string()),
            ("root".to_string(), "P404".to_string())
        ]
    );
    assert!(compiled.model.is_none(), "a library alone has no process model");
}

#[test]
fn russian_keywords_read_libraries_too() {
    let files = Memory::new(&[
        (
            "p.proc",
            "# language: ru\nпроцесс п {\n  подключить \"оргструктура.proc\"\n  этап заявка { вход ответственный менеджер инструкция менеджер { \"Позвонить\" } -> выигран }\n  этап выигран { итог выигран }\n}\n",
        ),
        (
            "оргструктура.proc",
            "# язык: ru\nбиблиотека оргструктура { роль менеджер { штат 2 подчиняется рук } роль рук }\n",
        ),
    ]);
    let compiled = files.compile("p.proc");
    let got = codes(&compiled);
    // `рук` is reached through `подчиняется` and owns nothing.
    assert_eq!(got, [("оргструктура.proc".to_string(), "P403".to_string())]);
}

// ---------------------------------------------------------------- the binary

fn procdef(args: &[&str], dir: &Path) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_procdef")).args(args).current_dir(dir).output().expect("runs");
    (String::from_utf8_lossy(&out.stdout).into_owned(), out.status.code().unwrap_or(-1))
}

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("created");
        std::fs::write(path, text).expect("written");
    }
    dir
}

/// `(file, code)` from `check --format json`.
fn json_codes(stdout: &str) -> Vec<(String, String)> {
    let all: serde_json::Value = serde_json::from_str(stdout).expect("JSON");
    let mut got: Vec<(String, String)> = all
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| (d["file"].as_str().unwrap_or("").to_string(), d["code"].as_str().unwrap_or("").to_string()))
        .collect();
    got.sort();
    got
}

#[test]
fn check_of_a_folder_reports_each_files_diagnostics_once() {
    let lib = "library shared { role a { reports to b } role b { reports to a } role rep }\n";
    let process = |name: &str| {
        format!(
            "process {name} {{\n  use \"common/shared.proc\"\n  stage s {{ entry owner rep instruct rep {{ \"x\" }} -> won }}\n  stage won {{ outcome won }}\n}}\n"
        )
    };
    let dir = folder(&[("one.proc", &process("one")), ("two.proc", &process("two")), ("common/shared.proc", lib)]);
    let (stdout, code) = procdef(&["check", "--format", "json", "."], dir.path());
    assert_eq!(code, 1, "{stdout}");
    // The cycle of `reports to` is the library's own, found from the
    // library itself and from both processes, and reported once.
    let got = json_codes(&stdout);
    assert_eq!(got, [("./common/shared.proc".to_string(), "P404".to_string())], "{stdout}");
}

#[test]
fn the_root_is_the_folder_of_the_nearest_procdef_toml() {
    let process = "process p {\n  use \"../shared/roles.proc\"\n  stage s { entry owner rep instruct rep { \"x\" } -> won }\n  stage won { outcome won }\n}\n";
    let files = [("team/p.proc", process), ("shared/roles.proc", "library roles { role rep }\n")];
    // Without a configuration the root is the file's folder: `..` leaves it.
    let dir = folder(&files);
    let (stdout, _) = procdef(&["check", "--format", "json", "team/p.proc"], dir.path());
    assert_eq!(json_codes(&stdout), [("team/p.proc".to_string(), "P005".to_string())], "{stdout}");
    // With `procdef.toml` above both, the library is inside the root.
    std::fs::write(dir.path().join("procdef.toml"), "").expect("written");
    let (stdout, code) = procdef(&["check", "--format", "json", "team/p.proc"], dir.path());
    assert_eq!((json_codes(&stdout), code), (vec![], 0), "{stdout}");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_root_is_resolved_first() {
    let outside = folder(&[("roles.proc", "library roles { role rep }\n")]);
    let process = "process p {\n  use \"link/roles.proc\"\n  stage s { entry owner rep instruct rep { \"x\" } -> won }\n  stage won { outcome won }\n}\n";
    let dir = folder(&[("p.proc", process)]);
    std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).expect("a link");
    let (stdout, _) = procdef(&["check", "--format", "json", "p.proc"], dir.path());
    assert_eq!(json_codes(&stdout), [("p.proc".to_string(), "P005".to_string())], "{stdout}");
    assert!(stdout.contains("outside"), "{stdout}");
}

#[test]
fn build_writes_spans_that_name_the_library() {
    let dir = folder(&[
        (
            "p.proc",
            "process p {\n  use \"lib/roles.proc\"\n  stage s { entry owner rep effort 5min instruct rep { \"x\" } -> won }\n  stage won { outcome won }\n}\n",
        ),
        ("lib/roles.proc", "library roles {\n  role rep { capacity 6h/day }\n}\n"),
    ]);
    let (_, code) = procdef(&["build", "p.proc", "-o", "out"], dir.path());
    assert_eq!(code, 0);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/process.json")).expect("written"))
            .expect("JSON");
    assert_eq!(json["roles"][0]["span"], serde_json::json!({"file": "lib/roles.proc", "line": 2, "column": 8}));
    assert!(
        dir.path().join("out/manuals").exists() || dir.path().join("out").read_dir().expect("a folder").count() > 1
    );
}
