//! `fmt`: on every fixture and example the formatter is idempotent and keeps
//! every comment, every string and the meaning; snapshots of messy inputs;
//! a property test over generated processes; rewriting files in place.

mod common;

use common::*;
use procdef::fmt::format_file;
use std::path::{Path, PathBuf};
use std::process::Command;

// ---------------------------------------------------------------- helpers

/// The comments (without trailing spaces and tabs) and the string literals
/// and text blocks of a source text, as written, in order. A lexer of its
/// own, so the formatter is not checked against itself.
fn lex(text: &str) -> (Vec<String>, Vec<String>) {
    let (mut comments, mut strings) = (Vec::new(), Vec::new());
    let mut i = 0;
    while let Some(rest) = text.get(i..).filter(|r| !r.is_empty()) {
        let opens_block =
            rest.strip_prefix("\"\"\"").is_some_and(|r| r.trim_start_matches([' ', '\t']).starts_with(['\n', '\r']));
        let len = if opens_block {
            rest[3..].find("\"\"\"").map_or(rest.len(), |e| e + 6)
        } else if rest.starts_with('"') {
            let mut escaped = false;
            rest.char_indices()
                .skip(1)
                .find(|&(_, c)| {
                    let done = !escaped && (c == '"' || c == '\n');
                    escaped = !escaped && c == '\\';
                    done
                })
                .map_or(rest.len(), |(j, _)| j + 1)
        } else if rest.starts_with('#') {
            let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
            comments.push(rest[..end].trim_end_matches([' ', '\t']).to_string());
            i += end;
            continue;
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        strings.push(rest[..len].to_string());
        i += len;
    }
    comments.sort();
    (comments, strings)
}

/// What `# allow(…)` comments silence: each diagnostic's code and the name
/// of the declaration it is about (in backquotes in its message), sorted.
fn silenced(compiled: &procdef::Compiled) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = compiled
        .silenced
        .iter()
        .map(|d| (d.code.as_str().to_string(), d.message.split('`').nth(1).unwrap_or_default().to_string()))
        .collect();
    list.sort();
    list
}

/// Formats `bytes` and checks everything the formatter promises. Returns
/// the formatted bytes, or `None` for a file that does not parse.
fn check_formatting(name: &str, bytes: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let before = procdef::compile(bytes);
    let fatal = before.diagnostics.iter().any(|d| matches!(d.code.as_str(), "P001" | "P003" | "P004"));
    let out = match format_file(bytes) {
        Ok(out) => out,
        Err(unparsed) => {
            if !fatal {
                return Err(format!("{name}: refused, but it parses"));
            }
            if actual_codes(&unparsed.diagnostics) != actual_codes(&before.diagnostics) {
                return Err(format!("{name}: refused with other diagnostics than `check` gives"));
            }
            return Ok(None);
        }
    };
    if fatal {
        return Err(format!("{name}: formatted although it does not parse"));
    }
    let formatted = String::from_utf8(out.clone()).map_err(|_| format!("{name}: not UTF-8 after formatting"))?;
    let mut problems = Vec::new();
    match format_file(&out) {
        Ok(again) if again == out => {}
        Ok(again) => problems.push(format!("not idempotent; second pass:\n{}", String::from_utf8_lossy(&again))),
        Err(_) => problems.push("the formatted text does not parse".to_string()),
    }
    let (comments_before, strings_before) = lex(&before.text);
    let (comments_after, strings_after) = lex(formatted.trim_start_matches('\u{FEFF}'));
    if comments_before != comments_after {
        problems.push(format!("comments differ: {comments_before:?} vs {comments_after:?}"));
    }
    if strings_before != strings_after {
        problems.push(format!("strings differ: {strings_before:?} vs {strings_after:?}"));
    }
    let after = procdef::compile(&out);
    if actual_codes(&before.diagnostics) != actual_codes(&after.diagnostics) {
        problems.push(format!(
            "codes differ: {:?} vs {:?}",
            actual_codes(&before.diagnostics),
            actual_codes(&after.diagnostics)
        ));
    }
    if silenced(&before) != silenced(&after) {
        problems.push(format!("`# allow(…)` silences {:?} before, {:?} after", silenced(&before), silenced(&after)));
    }
    if meaning(&before) != meaning(&after) {
        problems.push("process.json differs".to_string());
    }
    if problems.is_empty() {
        Ok(Some(out))
    } else {
        Err(format!("{name}:\n{}\n--- formatted:\n{formatted}", problems.join("\n")))
    }
}

/// Every `.proc` file under `tests/fixtures` and `examples`, sorted.
fn every_source() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("readable folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "proc") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&root().join("tests/fixtures"), &mut files);
    walk(&root().join("examples"), &mut files);
    files.sort();
    files
}

// ---------------------------------------------------------------- fixtures and examples

#[test]
fn every_fixture_and_example_formats_safely() {
    let sources = every_source();
    assert!(sources.len() > 60, "only {} sources found", sources.len());
    let (mut formatted, mut refused) = (0, 0);
    let mut failures = Vec::new();
    for path in &sources {
        let bytes = std::fs::read(path).expect("readable");
        match check_formatting(&path.display().to_string(), &bytes) {
            Ok(Some(_)) => formatted += 1,
            Ok(None) => refused += 1,
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The P001, P003 and P004 fixtures are refused; everything else is formatted.
    assert!(refused >= 8 && formatted > 50, "{formatted} formatted, {refused} refused");
}

#[test]
fn the_examples_are_formatted() {
    for path in examples() {
        let bytes = std::fs::read(&path).expect("readable");
        let out = format_file(&bytes).expect("the examples parse");
        assert!(out == bytes, "{} is not formatted; run `procdef fmt {}`", path.display(), path.display());
    }
}

#[test]
fn messy_inputs_format_as_reviewed() {
    for path in fixtures("fmt") {
        let bytes = std::fs::read(&path).expect("readable");
        let out = format_file(&bytes).expect("the fmt fixtures parse");
        assert_ne!(out, bytes, "{} is already formatted: it tests nothing", path.display());
        // Line ends and a BOM are made visible, so the snapshot shows them.
        let shown = String::from_utf8(out).expect("UTF-8").replace('\u{FEFF}', "<BOM>").replace('\r', "<CR>");
        insta::with_settings!({ snapshot_path => "snapshots/fmt", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name(&path), shown);
        });
    }
}

/// The `# allow(…)` comments that formatting once moved in or out of
/// place (`tests/fixtures/fuzz/fmt_allow_*`) are laid out, not merely
/// left alone by the formatter's safety check, and each declaration keeps
/// what it silences.
#[test]
fn allow_comments_keep_their_declarations_through_formatting() {
    let files: Vec<PathBuf> = fixtures("fuzz").into_iter().filter(|p| name(p).starts_with("fmt_allow_")).collect();
    assert_eq!(files.len(), 3, "{files:?}");
    for path in files {
        let bytes = std::fs::read(&path).expect("readable");
        let out =
            check_formatting(&path.display().to_string(), &bytes).unwrap_or_else(|e| panic!("{e}")).expect("parses");
        assert_ne!(out, bytes, "{} was left as it was", path.display());
    }
    let brace = format_file(
        &std::fs::read(root().join("tests/fixtures/fuzz/fmt_allow_before_process_brace.proc")).expect("readable"),
    )
    .expect("parses");
    let brace = String::from_utf8(brace).expect("UTF-8");
    assert!(brace.contains("process p \"Title\"\n  # allow(idle-role)\n{\n  role idle\n"), "{brace}");
}

#[test]
fn a_file_that_does_not_parse_is_refused_with_its_diagnostics() {
    // Two mistakes, two syntax errors: the name missing after `owner`, and
    // the `}` missing at the end.
    let err = format_file(b"process p {\n  stage a { owner }\n").expect_err("does not parse");
    assert_eq!(actual_codes(&err.diagnostics), ["P001", "P001"]);
    let err = format_file(b"process a {}\nprocess b {}\n").expect_err("two processes");
    assert_eq!(actual_codes(&err.diagnostics), ["P004"]);
    let err = format_file(b"process p { role \xFF }").expect_err("not UTF-8");
    assert_eq!(actual_codes(&err.diagnostics), ["P003"]);
    // A bad literal (P002) does not stop the formatter.
    let out = format_file(b"process p { segment s { share 120% } }").expect("P002 is not a syntax error");
    assert_eq!(String::from_utf8(out).expect("UTF-8"), "process p {\n  segment s { share 120% }\n}\n");
}

// ---------------------------------------------------------------- the command line, rewriting files

fn procdef() -> Command {
    Command::new(env!("CARGO_BIN_EXE_procdef"))
}

#[test]
fn fmt_rewrites_files_in_place_and_leaves_unparsed_ones_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = |from: &str, to: &str| {
        let bytes = std::fs::read(root().join(from)).expect("readable");
        std::fs::write(dir.path().join(to), &bytes).expect("written");
        bytes
    };
    let messy = copy("tests/fixtures/fmt/messy.proc", "a_messy.proc");
    let crlf = copy("tests/fixtures/fmt/crlf.proc", "b_crlf.proc");
    let tidy = copy("examples/sales-process.proc", "c_tidy.proc");
    let broken = copy("tests/fixtures/checks/P001_missing_brace.proc", "d_broken.proc");
    let binary = copy("tests/fixtures/checks/P003_invalid_encoding.proc", "e_binary.proc");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = dir.path().join("a_messy.proc");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    }

    let out = procdef().arg("fmt").arg(dir.path()).output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let listed = String::from_utf8(out.stdout).expect("UTF-8");
    let names: Vec<&str> = listed.lines().map(|l| l.rsplit(['/', '\\']).next().unwrap_or(l)).collect();
    assert_eq!(names, ["a_messy.proc", "b_crlf.proc"]);
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(stderr.contains("P001") && stderr.contains("P003"), "{stderr}");
    assert!(stderr.ends_with("2 files reformatted, 1 file already formatted, 2 files not parsed\n"), "{stderr}");

    let read = |name: &str| std::fs::read(dir.path().join(name)).expect("readable");
    assert_eq!(read("a_messy.proc"), format_file(&messy).expect("parses"));
    assert_eq!(read("b_crlf.proc"), format_file(&crlf).expect("parses"));
    assert_eq!(read("c_tidy.proc"), tidy);
    assert_eq!(read("d_broken.proc"), broken);
    assert_eq!(read("e_binary.proc"), binary);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("a_messy.proc")).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .expect("listable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".proc"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Now only the unparsed files fail the check, and nothing is listed.
    let out = procdef().args(["fmt", "--check"]).arg(dir.path()).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    std::fs::remove_file(dir.path().join("d_broken.proc")).expect("removed");
    std::fs::remove_file(dir.path().join("e_binary.proc")).expect("removed");
    let out = procdef().args(["fmt", "--check"]).arg(dir.path()).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = procdef().arg("fmt").arg(dir.path().join("missing.proc")).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

/// An unformatted process, and what `fmt` makes of it.
const MESSY: &str = "process p {\nrole r }\n";
const TIDY: &str = "process p {\n  role r\n}\n";

/// The names in a folder that are not `.proc` files.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("listable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".proc"))
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
#[test]
fn fmt_refuses_a_read_only_file_even_as_root() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let locked = dir.path().join("a_locked.proc");
    let open = dir.path().join("b_open.proc");
    std::fs::write(&locked, MESSY).expect("written");
    std::fs::write(&open, MESSY).expect("written");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o444)).expect("chmod");

    // `--check` writes nothing, so a read-only file is only listed.
    let out = procdef().args(["fmt", "--check"]).arg(dir.path()).output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));

    let out = procdef().arg("fmt").arg(dir.path()).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("a_locked.proc: it is read-only (mode 0444"), "{stderr}");
    assert!(stderr.contains("it was left as it was"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&locked).expect("readable"), MESSY);
    let mode = std::fs::metadata(&locked).expect("stat").permissions().mode();
    assert_eq!(mode & 0o777, 0o444);
    // The other file of the run is still formatted.
    assert_eq!(std::fs::read_to_string(&open).expect("readable"), TIDY);
    assert!(leftovers(dir.path()).is_empty(), "{:?}", leftovers(dir.path()));
}

/// Run as root (as here and in CI), `fmt` gives a rewritten file back to
/// the user and group that owned it; run as anyone else, the file stays
/// theirs.
#[cfg(unix)]
#[test]
fn fmt_keeps_the_owner_group_and_mode_of_a_file() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("owned.proc");
    std::fs::write(&path, MESSY).expect("written");
    let me = std::fs::metadata(&path).expect("stat");
    let owner = if me.uid() == 0 {
        std::os::unix::fs::chown(&path, Some(12345), Some(12346)).expect("root may chown");
        (12345, 12346)
    } else {
        (me.uid(), me.gid())
    };
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");

    let out = procdef().arg("fmt").arg(&path).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(&path).expect("readable"), TIDY);
    let after = std::fs::metadata(&path).expect("stat");
    assert_eq!((after.uid(), after.gid()), owner);
    assert_eq!(after.permissions().mode() & 0o7777, 0o640);
}

#[cfg(unix)]
#[test]
fn fmt_writes_through_a_symbolic_link_to_its_target() {
    let dir = tempfile::tempdir().expect("temp dir");
    let real_dir = dir.path().join("real");
    let link_dir = dir.path().join("links");
    std::fs::create_dir(&real_dir).expect("mkdir");
    std::fs::create_dir(&link_dir).expect("mkdir");
    let real = real_dir.join("target.proc");
    let link = link_dir.join("link.proc");
    std::fs::write(&real, MESSY).expect("written");
    std::os::unix::fs::symlink("../real/target.proc", &link).expect("symlink");

    let out = procdef().arg("fmt").arg(&link_dir).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let kind = std::fs::symlink_metadata(&link).expect("lstat").file_type();
    assert!(kind.is_symlink(), "the link was replaced by a {kind:?}");
    assert_eq!(std::fs::read_link(&link).expect("a link"), Path::new("../real/target.proc"));
    assert_eq!(std::fs::read_to_string(&real).expect("readable"), TIDY);
    assert!(leftovers(&real_dir).is_empty() && leftovers(&link_dir).is_empty());
}

/// A `fmt` that was killed leaves its temporary file, named after its
/// process id; the next run beside it removes it once that process is gone
/// (or its id was reused by a later process), and leaves a running one's.
#[cfg(target_os = "linux")]
#[test]
fn fmt_removes_the_temporary_files_of_a_stopped_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("tidy.proc"), TIDY).expect("written");
    let mut child = Command::new("true").spawn().expect("spawns");
    let gone = child.id();
    child.wait().expect("exits");
    let alive = std::process::id();
    let make = |name: String, written: Option<std::time::SystemTime>| {
        let file = std::fs::File::create(dir.path().join(&name)).expect("created");
        if let Some(t) = written {
            file.set_modified(t).expect("mtime");
        }
        name
    };
    let dead = make(format!(".procdef-fmt-{gone}-Ab12Cd"), None);
    let reused = make(format!(".procdef-fmt-{alive}-Ef34Gh"), Some(std::time::UNIX_EPOCH));
    let running = make(format!(".procdef-fmt-{alive}-Ij56Kl"), None);
    let other = make(".procdef-fmt-notes".to_string(), None);

    // `--check` changes nothing, leftovers included.
    let out = procdef().args(["fmt", "--check"]).arg(dir.path()).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(leftovers(dir.path()).len(), 4);

    let out = procdef().arg("fmt").arg(dir.path()).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let mut kept = vec![running, other];
    kept.sort();
    assert_eq!(leftovers(dir.path()), kept, "{stderr}");
    assert!(stderr.contains(&dead) && stderr.contains(&reused), "{stderr}");
}

// ---------------------------------------------------------------- generated processes

mod generated {
    use super::*;
    use proptest::prelude::*;
    use proptest::sample::select;

    type Words = Vec<String>;

    fn w(items: &[&str]) -> Words {
        items.iter().map(|s| (*s).to_string()).collect()
    }

    fn pick(items: &'static [&'static str]) -> impl Strategy<Value = String> {
        select(items).prop_map(str::to_string)
    }

    const STAGES: &[&str] = &["a", "b", "c", "won", "lost", "этап"];
    const ROLES: &[&str] = &["rep", "boss", "менеджер"];
    const GROUPS: &[&str] = &["smb", "big", "tools"];
    const DURATIONS: &[&str] = &["30min", "2h", "1d", "0.5d", "1w", "0min"];
    const PERCENTS: &[&str] = &["40%", "12.5%", "100%", "0%", "120%"];

    /// A string literal, with escapes and a `#` that is no comment.
    fn string() -> impl Strategy<Value = String> {
        prop::collection::vec(
            pick(&["a", "Б", " ", "#", "\\\"", "\\\\", "\\n", "\\u{263A}", "{", "}", "->", ","]),
            0..6,
        )
        .prop_map(|parts| format!("\"{}\"", parts.concat()))
    }

    /// A text block; its lines may hold a `#` and stray indentation.
    fn text_block() -> impl Strategy<Value = String> {
        let line = prop::collection::vec(pick(&["word", " ", "# not a comment", "Ж", "\t", "\"quoted\""]), 0..4);
        (prop::collection::vec((0usize..6, line), 1..4), 0usize..6).prop_map(|(lines, close)| {
            let mut s = String::from("\"\"\"\n");
            for (indent, parts) in lines {
                s.push_str(&" ".repeat(indent));
                s.push_str(&parts.concat());
                s.push('\n');
            }
            s.push_str(&" ".repeat(close));
            s.push_str("\"\"\"");
            s
        })
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![3 => string(), 1 => text_block()]
    }

    fn title() -> impl Strategy<Value = Words> {
        prop::option::of(string()).prop_map(|t| t.into_iter().collect())
    }

    fn list(names: &'static [&'static str]) -> impl Strategy<Value = Words> {
        prop::collection::vec(pick(names), 1..4).prop_map(|names| {
            let mut out = Vec::new();
            for (i, n) in names.into_iter().enumerate() {
                if i > 0 {
                    out.push(",".to_string());
                }
                out.push(n);
            }
            out
        })
    }

    /// `{ items }`, or nothing when `optional` and there is no block.
    fn block(items: BoxedStrategy<Words>, max: usize) -> impl Strategy<Value = Words> {
        prop::collection::vec(items, 0..max).prop_map(|items| {
            let mut out = w(&["{"]);
            out.extend(items.into_iter().flatten());
            out.push("}".into());
            out
        })
    }

    fn declaration(
        head: Words,
        name: impl Strategy<Value = String>,
        block: impl Strategy<Value = Words>,
        optional: bool,
    ) -> impl Strategy<Value = Words> {
        (name, title(), block, any::<bool>()).prop_map(move |(name, title, block, without)| {
            let mut out = head.clone();
            out.push(name);
            out.extend(title);
            if !(optional && without) {
                out.extend(block);
            }
            out
        })
    }

    fn instruction() -> BoxedStrategy<Words> {
        (text(), prop::option::of(pick(DURATIONS)), prop::option::of(list(GROUPS)))
            .prop_map(|(text, within, groups)| {
                let mut out = vec![text];
                if let Some(d) = within {
                    out.extend(["within".to_string(), d]);
                }
                if let Some(g) = groups {
                    out.push("for".into());
                    out.extend(g);
                }
                out
            })
            .boxed()
    }

    fn stage_item() -> BoxedStrategy<Words> {
        prop_oneof![
            1 => text().prop_map(|t| vec!["description".into(), t]),
            1 => (prop::option::of(pick(&["active", "passive"])), prop::option::of(pick(PERCENTS))).prop_map(|(k, p)| {
                let mut out = w(&["entry"]);
                out.extend(k);
                out.extend(p);
                out
            }),
            1 => pick(&["won", "lost"]).prop_map(|k| vec!["outcome".into(), k]),
            1 => pick(ROLES).prop_map(|r| vec!["owner".into(), r]),
            1 => (pick(&["takes", "within", "effort"]), pick(DURATIONS)).prop_map(|(k, d)| vec![k, d]),
            1 => (pick(ROLES), prop::collection::vec(instruction(), 0..3)).prop_map(|(r, items)| {
                let mut out = vec!["instruct".into(), r, "{".into()];
                out.extend(items.into_iter().flatten());
                out.push("}".into());
                out
            }),
            1 => text().prop_map(|t| vec!["exit".into(), t]),
            3 => (pick(STAGES), prop::option::of(pick(PERCENTS)), any::<bool>(), prop::option::of(string())).prop_map(
                |(to, p, looped, label)| {
                    let mut out = vec!["->".into(), to];
                    out.extend(p);
                    if looped {
                        out.push("loop".into());
                    }
                    out.extend(label);
                    out
                }
            ),
        ]
        .boxed()
    }

    fn role_item() -> BoxedStrategy<Words> {
        prop_oneof![
            text().prop_map(|t| vec!["description".into(), t]),
            pick(&["1", "2", "0"]).prop_map(|n| vec!["headcount".into(), n]),
            prop_oneof![
                pick(&["6h/day", "7.5h/day", "6h/week"]).prop_map(|c| vec![c]),
                pick(&["6h", "30min"]).prop_map(|q| vec![q, "/".into(), "day".into()]),
            ]
            .prop_map(|c| {
                let mut out = w(&["capacity"]);
                out.extend(c);
                out
            }),
            pick(ROLES).prop_map(|r| vec!["reports".into(), "to".into(), r]),
        ]
        .boxed()
    }

    fn metric_item() -> BoxedStrategy<Words> {
        prop_oneof![
            text().prop_map(|t| vec!["description".into(), t]),
            (pick(STAGES), pick(STAGES)).prop_map(|(a, b)| vec!["conversion".into(), a, "->".into(), b]),
            (pick(STAGES), prop::option::of(pick(STAGES))).prop_map(|(a, b)| {
                let mut out = vec!["time".into(), a];
                if let Some(b) = b {
                    out.extend(["->".to_string(), b]);
                }
                out
            }),
            pick(STAGES).prop_map(|a| vec!["volume".into(), a]),
            (string(), pick(ROLES)).prop_map(|(s, r)| vec!["activity".into(), s, "by".into(), r]),
            (pick(&[">=", "<="]), pick(&["30%", "5d", "10/day", "7"])).prop_map(|(c, q)| vec!["target".into(), c, q]),
            pick(ROLES).prop_map(|r| vec!["owner".into(), r]),
            pick(&["daily", "weekly", "monthly"]).prop_map(|r| vec!["review".into(), r]),
        ]
        .boxed()
    }

    fn plan_item() -> BoxedStrategy<Words> {
        prop_oneof![
            pick(&["10/month", "2/day"]).prop_map(|g| vec!["goal".into(), g]),
            (pick(&["1000000", "250.5"]), pick(&["RUB", "EUR", "rub"]), pick(&["month", "week"]))
                .prop_map(|(a, c, p)| vec!["revenue".into(), a, c, "/".into(), p]),
            pick(&["21/month", "22/month"]).prop_map(|d| vec!["workdays".into(), d]),
        ]
        .boxed()
    }

    fn rollout_item() -> BoxedStrategy<Words> {
        prop_oneof![
            pick(&["2027-01-11", "2027-02-30"]).prop_map(|d| vec!["start".into(), d]),
            pick(DURATIONS).prop_map(|d| vec!["length".into(), d]),
            (list(ROLES), pick(DURATIONS)).prop_map(|(r, d)| {
                let mut out = w(&["briefing"]);
                out.extend(r);
                out.extend(["every".to_string(), d]);
                out
            }),
            (list(ROLES), prop::collection::vec(pick(DURATIONS), 1..4)).prop_map(|(r, ds)| {
                let mut out = w(&["exam"]);
                out.extend(r);
                out.push("at".into());
                for (i, d) in ds.into_iter().enumerate() {
                    if i > 0 {
                        out.push(",".into());
                    }
                    out.push(d);
                }
                out
            }),
            (list(ROLES), pick(ROLES), pick(DURATIONS)).prop_map(|(r, by, d)| {
                let mut out = w(&["audit"]);
                out.extend(r);
                out.extend(["by".to_string(), by, "every".into(), d]);
                out
            }),
        ]
        .boxed()
    }

    fn process_item() -> BoxedStrategy<Words> {
        let segment_item = prop_oneof![
            text().prop_map(|t| vec!["description".into(), t]),
            pick(PERCENTS).prop_map(|p| vec!["share".into(), p]),
            (pick(&["300000", "0"]), pick(&["RUB", "EUR"])).prop_map(|(a, c)| vec!["deal".into(), a, c]),
        ]
        .boxed();
        let product_item = text().prop_map(|t| vec!["description".into(), t]).boxed();
        prop_oneof![
            1 => pick(&["en", "ru"]).prop_map(|l| vec!["language".into(), l]),
            1 => string().prop_map(|s| vec!["version".into(), s]),
            1 => text().prop_map(|t| vec!["description".into(), t]),
            1 => declaration(w(&["segment"]), pick(GROUPS), block(segment_item, 4), true),
            1 => declaration(w(&["product"]), pick(GROUPS), block(product_item, 3), true),
            2 => declaration(w(&["role"]), pick(ROLES), block(role_item(), 5), true),
            5 => declaration(w(&["stage"]), pick(STAGES), block(stage_item(), 7), false),
            1 => declaration(w(&["metric"]), pick(&["m1", "m2"]), block(metric_item(), 5), false),
            1 => (title(), block(plan_item(), 4)).prop_map(|(t, b)| {
                let mut out = w(&["plan"]);
                out.extend(t);
                out.extend(b);
                out
            }),
            1 => block(rollout_item(), 5).prop_map(|b| {
                let mut out = w(&["rollout"]);
                out.extend(b);
                out
            }),
        ]
        .boxed()
    }

    fn process() -> impl Strategy<Value = Words> {
        (title(), prop::collection::vec(process_item(), 0..10)).prop_map(|(t, items)| {
            let mut out = w(&["process", "p"]);
            out.extend(t);
            out.push("{".into());
            out.extend(items.into_iter().flatten());
            out.push("}".into());
            out
        })
    }

    /// A comment; it may hold quotes, braces and trailing spaces.
    fn comment() -> impl Strategy<Value = String> {
        prop::collection::vec(pick(&["note", " ", "\"", "{", "}", "->", "#", "Ё", "\t"]), 0..5)
            .prop_map(|parts| format!("#{}", parts.concat()))
    }

    /// What separates two words. The layout of `Soft` and `Blank` differs
    /// between the two renderings of one process; comments are framed the
    /// same way in both, so both must format to the same text.
    #[derive(Debug, Clone)]
    enum Sep {
        Soft(usize, usize),
        Blank(usize, usize),
        /// The first may trail the previous word; the rest are on lines of
        /// their own, each maybe after a blank line.
        Comments {
            first_trails: bool,
            notes: Vec<(bool, String)>,
            indent: (usize, usize),
        },
    }

    const SOFT: &[&str] = &[" ", "  ", "\t", "\n", "\n    ", " \n\t", "\u{FEFF}\n  "];

    fn sep() -> impl Strategy<Value = Sep> {
        prop_oneof![
            6 => (0..SOFT.len(), 0..SOFT.len()).prop_map(|(a, b)| Sep::Soft(a, b)),
            1 => (0usize..5, 0usize..5).prop_map(|(a, b)| Sep::Blank(a, b)),
            2 => (any::<bool>(), prop::collection::vec((any::<bool>(), comment()), 1..3), (0usize..5, 0usize..5))
                .prop_map(|(first_trails, notes, indent)| Sep::Comments { first_trails, notes, indent }),
        ]
    }

    fn render(words: &[String], seps: &[Sep], second: bool, crlf: bool) -> String {
        let mut s = String::new();
        for (i, word) in words.iter().enumerate() {
            if let Some(sep) = seps.get(i) {
                let choose = |(a, b): (usize, usize)| if second { b } else { a };
                match sep {
                    Sep::Soft(a, b) if i > 0 => s.push_str(SOFT[choose((*a, *b))]),
                    Sep::Soft(..) => {}
                    Sep::Blank(a, b) => {
                        s.push_str("\n\n");
                        s.push_str(&" ".repeat(choose((*a, *b))));
                    }
                    Sep::Comments { first_trails, notes, indent } => {
                        for (k, (blank, note)) in notes.iter().enumerate() {
                            if k == 0 && *first_trails && i > 0 {
                                s.push(' ');
                            } else {
                                if k == 0 && i > 0 {
                                    s.push('\n');
                                }
                                if *blank {
                                    s.push('\n');
                                }
                            }
                            s.push_str(note);
                            s.push('\n');
                        }
                        s.push_str(&" ".repeat(choose(*indent)));
                    }
                }
            }
            s.push_str(word);
        }
        if let Some(Sep::Comments { notes, .. }) = seps.get(words.len()) {
            for (_, note) in notes {
                s.push('\n');
                s.push_str(note);
            }
        }
        s.push('\n');
        if crlf { s.replace('\n', "\r\n") } else { s }
    }

    fn case() -> impl Strategy<Value = (Words, Vec<Sep>, bool)> {
        process().prop_flat_map(|words| {
            let n = words.len() + 1;
            (Just(words), prop::collection::vec(sep(), n), prop::bool::weighted(0.2))
        })
    }

    /// 300 cases unless `PROPTEST_CASES` asks for another number.
    fn cases() -> u32 {
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(300)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

        #[test]
        fn formatting_is_idempotent_keeps_meaning_and_ignores_layout((words, seps, crlf) in case()) {
            let first = render(&words, &seps, false, crlf);
            let second = render(&words, &seps, true, crlf);
            let a = check_formatting("first", first.as_bytes()).map_err(TestCaseError::fail)?;
            let b = check_formatting("second", second.as_bytes()).map_err(TestCaseError::fail)?;
            let (Some(a), Some(b)) = (a, b) else {
                return Err(TestCaseError::fail(format!("a generated process does not parse:\n{first}")));
            };
            prop_assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&b), "two layouts of one process:\n{}\n---\n{}", first, second);
            prop_assert_eq!(a.windows(2).any(|w| w == b"\r\n"), crlf);
        }

        /// Random edits of a fixture (most of which break it) never make the
        /// formatter panic, and whatever it formats keeps its meaning.
        #[test]
        fn edited_files_never_panic_or_change_meaning(
            file in 0usize..1000,
            edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..3, pick(EDITS)), 1..4),
        ) {
            let sources = every_source();
            let mut text = std::fs::read(&sources[file % sources.len()]).expect("readable");
            for (at, kind, piece) in edits {
                let i = at.index(text.len() + 1);
                match kind {
                    0 => drop(text.splice(i..i, piece.bytes())),
                    1 if i < text.len() => drop(text.remove(i)),
                    _ => drop(text.splice(i..(i + piece.len()).min(text.len()), piece.bytes())),
                }
            }
            check_formatting("edited", &text).map_err(TestCaseError::fail)?;
        }
    }

    const EDITS: &[&str] =
        &["{", "}", "#", "\"", "\"\"\"\n", "\n", "\r\n", ",", " ", "/", "->", "x", "40%", "\u{FEFF}", "й"];
}

/// A file with several names (hard links) is not parted from them.
#[cfg(unix)]
#[test]
fn fmt_refuses_a_file_with_several_names() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let one = dir.path().join("one.proc");
    let two = dir.path().join("two.txt");
    std::fs::write(&one, MESSY).expect("written");
    std::fs::hard_link(&one, &two).expect("linked");
    let out = procdef().arg("fmt").arg(&one).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("one.proc: it has 2 names (hard links)"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&one).expect("readable"), MESSY);
    assert_eq!(std::fs::metadata(&one).expect("stat").ino(), std::fs::metadata(&two).expect("stat").ino());
    // Once it has one name, it is formatted.
    std::fs::remove_file(&two).expect("removed");
    let out = procdef().arg("fmt").arg(&one).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(&one).expect("readable"), TIDY);
}
