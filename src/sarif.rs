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
    /// `%SRCROOT%`, the working folder, when the caller gave it.
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BaseIds>,
    /// Whether the run read every file it was given, and what stopped it
    /// where it did not: a log without results must not pass for a clean run.
    invocations: Vec<Invocation>,
    results: Vec<SarifResult>,
    /// Columns count Unicode code points, as procdef's do.
    column_kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
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
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct BaseIds {
    #[serde(rename = "%SRCROOT%")]
    src_root: BaseUri,
}

#[derive(Serialize)]
struct BaseUri {
    uri: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
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
    /// What GitHub code scanning matches alerts by, computed as its upload
    /// action computes it (see [`line_hashes`]).
    #[serde(rename = "primaryLocationLineHash")]
    line_hash: String,
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
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
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

/// A rule's documentation as SARIF `help`: the Markdown of `procdef
/// explain`, and the same as plain text (no emphasis marks, code blocks
/// indented instead of fenced).
fn help(doc: &str) -> Help {
    let mut text = String::with_capacity(doc.len());
    let mut in_code = false;
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            text.push_str("    ");
            text.push_str(line);
        } else {
            text.push_str(&line.replace("**", ""));
        }
        text.push('\n');
    }
    Help { text: text.trim_end().to_string(), markdown: doc.trim_end().to_string() }
}

/// The characters of the sliding window GitHub's line hash covers.
const WINDOW: usize = 100;

/// GitHub's `primaryLocationLineHash` for every line of `text`, in order:
/// element 0 is line 1. This is the hash the `upload-sarif` step of
/// github/codeql-action computes (its `fingerprints.ts`) when a result
/// has none, recomputed here so the log carries it:
///
/// - the text is read as UTF-16 code units; spaces and tabs are skipped;
///   CR LF and a lone CR count as LF; one unit 0xFFFF marks the end;
/// - a line's hash is the polynomial hash, base 37 modulo 2^64, of the
///   100 units starting at its first unit (units past the end count as 0),
///   so it also covers the lines that follow;
/// - it is written in lowercase hex without leading zeros, then `:N`, N
///   counting the lines of the file that have the same hash so far.
///
/// Lines are numbered as GitHub numbers them: CR, LF and CR LF end a line,
/// and a text ending in a line end has one more, empty, line.
pub fn line_hashes(text: &str) -> Vec<String> {
    const SPACE: u16 = b' ' as u16;
    const TAB: u16 = b'\t' as u16;
    const LF: u16 = b'\n' as u16;
    const CR: u16 = b'\r' as u16;
    const END: u16 = 0xFFFF;
    let mut units: Vec<u16> = Vec::with_capacity(text.len() + 1);
    let mut starts = Vec::new();
    let mut at_line_start = true;
    let mut after_cr = false;
    for unit in text.encode_utf16().chain([END]) {
        if unit == SPACE || unit == TAB || (after_cr && unit == LF) {
            after_cr = false;
            continue;
        }
        after_cr = unit == CR;
        let unit = if after_cr { LF } else { unit };
        if at_line_start {
            starts.push(units.len());
        }
        at_line_start = unit == LF;
        units.push(unit);
    }
    let unit = |i: usize| units.get(i).map_or(0, |&u| u64::from(u));
    // 37^100: the weight of the unit that leaves the window.
    let leaving_weight = 37u64.wrapping_pow(WINDOW as u32);
    let mut seen: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    let mut hashes = Vec::with_capacity(starts.len());
    let mut hash = 0u64;
    let mut next = starts.iter().peekable();
    let mut i = 0;
    while let Some(&&start) = next.peek() {
        let leaving = if i >= WINDOW { unit(i - WINDOW) } else { 0 };
        hash = hash.wrapping_mul(37).wrapping_add(unit(i)).wrapping_sub(leaving_weight.wrapping_mul(leaving));
        // The window now ends at unit i: it is the line's when it began at
        // the line's first unit.
        if start + WINDOW - 1 == i {
            let n = seen.entry(hash).or_insert(0);
            *n += 1;
            hashes.push(format!("{hash:x}:{n}"));
            next.next();
        }
        i += 1;
    }
    hashes
}

/// One file's diagnostics for the log.
pub struct FileDiagnostics<'a> {
    /// The path as the user gave it, relative to the working folder or
    /// absolute.
    pub file: &'a str,
    pub text: &'a str,
    pub diagnostics: &'a [Diagnostic],
}

/// The base id of URIs relative to the working folder.
pub const SRCROOT: &str = "%SRCROOT%";

/// The SARIF log of a run over several files, with paths relative to an
/// unknown folder: relative paths become references relative to
/// `%SRCROOT%`, which the log does not declare.
pub fn log(files: &[FileDiagnostics]) -> Log {
    log_in(files, None, &[])
}

/// The SARIF log of a run over several files, made in `working_folder` (an
/// absolute path): files below it are referenced relative to `%SRCROOT%`,
/// declared as that folder's `file://` URI; others by their own `file://`
/// URI. `failures` are the messages of what the run could not do (a file
/// it could not read): they make the invocation unsuccessful.
pub fn log_in(files: &[FileDiagnostics], working_folder: Option<&str>, failures: &[String]) -> Log {
    let rules = Code::ALL
        .iter()
        .map(|c| {
            let doc = c.doc();
            let first_paragraph = doc.text.split("\n\n").next().unwrap_or("").replace('\n', " ");
            Rule {
                id: c.as_str(),
                name: c.name(),
                short_description: Text { text: c.summary().to_string() },
                full_description: Text { text: first_paragraph },
                help_uri: help_uri(*c),
                help: help(doc.text),
                default_configuration: Configuration { level: level(c.default_severity()) },
            }
        })
        .collect();
    let mut results = Vec::new();
    for f in files {
        if f.diagnostics.is_empty() {
            continue;
        }
        let index = LineIndex::new(f.text);
        let line_hashes = line_hashes(f.text);
        let (uri, uri_base_id) = artifact_uri(f.file, working_folder);
        for d in f.diagnostics {
            let start = index.line_col(f.text, d.span.start);
            let end = index.line_col(f.text, d.span.end);
            // The fingerprint ignores line numbers, so it survives unrelated
            // lines moving: the rule, the file, the message and the text at
            // the span.
            let snippet = f.text.get(d.span.start..d.span.end).unwrap_or("");
            let line_hash = line_hashes.get(start.line - 1).or(line_hashes.last()).cloned().unwrap_or_default();
            results.push(SarifResult {
                rule_id: d.code.as_str(),
                rule_index: Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0),
                level: level(d.severity),
                message: Text {
                    text: d.help.as_ref().map_or_else(|| d.message.clone(), |h| format!("{}\n{h}", d.message)),
                },
                locations: vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation { uri: uri.clone(), uri_base_id },
                        region: Region {
                            start_line: start.line,
                            start_column: start.column,
                            end_line: end.line,
                            end_column: end.column,
                        },
                    },
                }],
                partial_fingerprints: Fingerprints {
                    line_hash,
                    procdef: fnv(&[d.code.as_str(), f.file, &d.message, snippet]),
                },
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
            original_uri_base_ids: working_folder
                .map(|w| BaseIds { src_root: BaseUri { uri: folder_uri(&absolute_segments(w)) } }),
            invocations: vec![Invocation {
                execution_successful: failures.is_empty(),
                tool_execution_notifications: failures
                    .iter()
                    .map(|f| Notification { level: "error", message: Text { text: f.clone() } })
                    .collect(),
            }],
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

/// A path's `/`-separated form: on Windows `\` separates too; elsewhere it
/// is a character of the name.
fn slashed(path: &str) -> std::borrow::Cow<'_, str> {
    if cfg!(windows) { path.replace('\\', "/").into() } else { path.into() }
}

fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/') || (cfg!(windows) && b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

/// The segments of a path, `.` and empty ones dropped and `..` taken
/// back (lexically: the library does not look at the file system). A
/// relative path keeps its leading `..`.
fn segments(path: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let absolute = is_absolute(path);
    for s in path.split('/') {
        match s {
            "" | "." => {}
            ".." if out.last().is_some_and(|l| *l != "..") => {
                out.pop();
            }
            // Above the root is the root.
            ".." if absolute => {}
            s => out.push(s),
        }
    }
    out
}

fn absolute_segments(path: &str) -> Vec<String> {
    segments(&slashed(path)).into_iter().map(str::to_string).collect()
}

/// A path segment percent-encoded as RFC 3986 requires: everything but its
/// unreserved characters, as UTF-8 bytes.
fn encode_segment(segment: &str, out: &mut String) {
    for b in segment.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
}

/// `file:///a/b` for the segments of an absolute path; a Windows drive
/// (`C:`) keeps its colon.
fn file_uri(segments: &[String]) -> String {
    let mut out = String::from("file://");
    for (i, s) in segments.iter().enumerate() {
        out.push('/');
        let drive = i == 0 && s.len() == 2 && s.as_bytes()[0].is_ascii_alphabetic() && s.ends_with(':');
        if drive {
            out.push_str(s);
        } else {
            encode_segment(s, &mut out);
        }
    }
    out
}

/// The `file://` URI of a folder, ending in `/` as a base URI must.
fn folder_uri(segments: &[String]) -> String {
    format!("{}/", file_uri(segments))
}

fn relative_uri<S: AsRef<str>>(segments: &[S]) -> String {
    let mut out = String::new();
    for (i, s) in segments.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        encode_segment(s.as_ref(), &mut out);
    }
    out
}

/// The `artifactLocation` of a file: a URI relative to `%SRCROOT%` when the
/// file is below the working folder (or no folder is known and the path is
/// relative), its own `file://` URI otherwise.
fn artifact_uri(file: &str, working_folder: Option<&str>) -> (String, Option<&'static str>) {
    let file = slashed(file);
    let absolute = if is_absolute(&file) {
        absolute_segments(&file)
    } else if let Some(w) = working_folder {
        absolute_segments(&format!("{}/{file}", slashed(w)))
    } else {
        // With no working folder to declare, a path below it is still
        // relative to the checkout GitHub knows as `%SRCROOT%`; one that
        // climbs out of it is left a plain relative reference.
        let segments = segments(&file);
        let climbs = segments.contains(&"..");
        return (relative_uri(&segments), (!climbs).then_some(SRCROOT));
    };
    if let Some(w) = working_folder {
        let base = absolute_segments(w);
        if absolute.len() > base.len() && absolute[..base.len()] == base[..] {
            return (relative_uri(&absolute[base.len()..]), Some(SRCROOT));
        }
    }
    (file_uri(&absolute), None)
}

/// The log as pretty JSON; see [`log`].
pub fn render(files: &[FileDiagnostics]) -> String {
    render_in(files, None, &[])
}

/// The log as pretty JSON; see [`log_in`].
pub fn render_in(files: &[FileDiagnostics], working_folder: Option<&str>, failures: &[String]) -> String {
    let mut s =
        serde_json::to_string_pretty(&log_in(files, working_folder, failures)).expect("plain data always serializes");
    s.push('\n');
    s
}
