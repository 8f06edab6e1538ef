//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The folder of the crate.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `.proc` files of a folder below `tests/fixtures`, sorted.
pub fn fixtures(folder: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures").join(folder))
        .expect("fixture folder exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "proc"))
        .collect();
    files.sort();
    files
}

/// The examples shipped in `examples/`.
pub fn examples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples folder exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "proc"))
        .collect();
    files.sort();
    files
}

/// The codes a fixture's first lines say it must get: `# expect: P205 P206`
/// or `# expect: ok`. Sorted, repeats kept.
pub fn expected_codes(bytes: &[u8]) -> Vec<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(400)]).into_owned();
    let line = head
        .lines()
        .find_map(|l| l.strip_prefix("# expect:"))
        .unwrap_or_else(|| panic!("fixture has no `# expect:` line"));
    let mut codes: Vec<String> = line.split_whitespace().filter(|c| *c != "ok").map(str::to_string).collect();
    codes.sort();
    codes
}

/// The codes procdef reports, sorted, repeats kept.
pub fn actual_codes(diagnostics: &[procdef::diagnostics::Diagnostic]) -> Vec<String> {
    let mut codes: Vec<String> = diagnostics.iter().map(|d| d.code.as_str().to_string()).collect();
    codes.sort();
    codes
}

pub fn name(path: &Path) -> String {
    path.file_stem().expect("file name").to_string_lossy().into_owned()
}

/// The diagnostics as a person sees them, without colour, 100 columns.
pub fn render(file: &str, compiled: &procdef::Compiled) -> String {
    procdef::report::human(
        file,
        &compiled.text,
        &compiled.diagnostics,
        procdef::report::HumanStyle { color: false, width: 100, lang: compiled.lang },
    )
}

/// The disk, for `use` in fixtures.
pub struct Disk;

impl procdef::project::FileSystem for Disk {
    fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(path)
    }
}

/// Compiles the file at `path` with the libraries it uses, the root folder
/// being its own.
pub fn compile_path(path: &Path) -> procdef::Compiled {
    let bytes = std::fs::read(path).expect("fixture is readable");
    let entry = std::fs::canonicalize(path).expect("fixture exists");
    let root = entry.parent().expect("a file has a folder").to_path_buf();
    procdef::compile_project(&Disk, &root, &entry, &bytes, &procdef::Options::default())
}

/// `process.json` of a compilation without its `span` fields; `None`
/// without a model.
pub fn meaning(compiled: &procdef::Compiled) -> Option<serde_json::Value> {
    let model = compiled.model.as_ref()?;
    let doc = procdef::emit::json::document(model, compiled.analysis.as_ref(), "f.proc", &compiled.text);
    let mut value: serde_json::Value = serde_json::from_str(&procdef::emit::json::render(&doc)).expect("JSON");
    strip_spans(&mut value);
    Some(value)
}

/// Removes every `span` field of a JSON value.
pub fn strip_spans(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            map.remove("span");
            map.values_mut().for_each(strip_spans);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_spans),
        _ => {}
    }
}
