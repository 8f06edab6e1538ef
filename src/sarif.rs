//! SARIF 2.1.0 output for code-scanning tools, as typed structs.

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::span::LineIndex;
use serde::Serialize;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
pub struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    results: Vec<SarifResult>,
    /// Columns count Unicode code points, as procdef's do.
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help_uri: String,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "procdef/v1")]
    procdef: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

/// Where each rule is documented.
pub fn help_uri(code: Code) -> String {
    format!("{}/blob/main/docs/diagnostics.md#{}", env!("CARGO_PKG_REPOSITORY"), code.as_str().to_lowercase())
}

/// A stable 64-bit FNV-1a hash, printed in hex.
fn fnv(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// One file's diagnostics for the log.
pub struct FileDiagnostics<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub diagnostics: &'a [Diagnostic],
}

/// The SARIF log of a run over several files.
pub fn log(files: &[FileDiagnostics]) -> Log {
    let rules = Code::ALL
        .iter()
        .map(|c| {
            let doc = crate::checks::doc(*c);
            let first_paragraph = doc.text.split("\n\n").next().unwrap_or("").replace('\n', " ");
            Rule {
                id: c.as_str(),
                name: c.name(),
                short_description: Text { text: c.summary().to_string() },
                full_description: Text { text: first_paragraph },
                help_uri: help_uri(*c),
                default_configuration: Configuration { level: level(c.default_severity()) },
            }
        })
        .collect();
    let mut results = Vec::new();
    for f in files {
        let index = LineIndex::new(f.text);
        for d in f.diagnostics {
            let start = index.line_col(f.text, d.span.start);
            let end = index.line_col(f.text, d.span.end);
            // The fingerprint ignores line numbers, so it survives unrelated
            // lines moving: the rule, the file, the message and the text at
            // the span.
            let snippet = f.text.get(d.span.start..d.span.end).unwrap_or("");
            results.push(SarifResult {
                rule_id: d.code.as_str(),
                rule_index: Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0),
                level: level(d.severity),
                message: Text {
                    text: d.help.as_ref().map_or_else(|| d.message.clone(), |h| format!("{}\n{h}", d.message)),
                },
                locations: vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation { uri: uri(f.file) },
                        region: Region {
                            start_line: start.line,
                            start_column: start.column,
                            end_line: end.line,
                            end_column: end.column,
                        },
                    },
                }],
                partial_fingerprints: Fingerprints { procdef: fnv(&[d.code.as_str(), f.file, &d.message, snippet]) },
            });
        }
    }
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "procdef",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules,
                },
            },
            results,
            column_kind: "unicodeCodePoints",
        }],
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A relative path as a URI reference: `/` separators, spaces and other
/// reserved characters percent-encoded.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The log as pretty JSON.
pub fn render(files: &[FileDiagnostics]) -> String {
    let mut s = serde_json::to_string_pretty(&log(files)).expect("plain data always serializes");
    s.push('\n');
    s
}
