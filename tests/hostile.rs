//! Hostile input at the command line: files that are not regular files,
//! files too large for the limit or for memory, folders that cannot be
//! read, very long lines, and control characters that would reach a
//! reviewer's terminal. Every case runs the binary.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// A process without diagnostics, small enough to read in a test.
const VALID: &str = "process p \"P\" {\n  role rep\n  stage a { entry owner rep instruct rep { \"x\" } -> won }\n  stage won { outcome won }\n}\n";

/// Runs procdef with `args`, killing it after 60 seconds: a read that
/// hangs or grows without end fails the test instead of hanging it.
fn procdef(args: &[&str], dir: &Path) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_procdef"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("procdef runs");
    // The output is read while the child runs: a report larger than a pipe
    // holds must not stall it.
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(out) => out.expect("output"),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("procdef {args:?} did not finish in 60 s");
        }
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_device_is_not_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = procdef(&["check", "/dev/zero"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "procdef: cannot read /dev/zero: it is a character device, not a regular file; procdef reads only regular files\n"
    );
}

#[test]
fn a_named_pipe_in_a_folder_is_reported_and_the_rest_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("procs")).expect("folder");
    std::fs::write(dir.path().join("procs/a.proc"), VALID.replace("-> won", "-> wonn")).expect("write");
    let made = Command::new("mkfifo").arg(dir.path().join("procs/pipe.proc")).status().expect("mkfifo runs");
    assert!(made.success());
    let out = procdef(&["check", "procs"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "procdef: cannot read procs/pipe.proc: it is a named pipe, not a regular file; procdef reads only regular files\n"
        ),
        "{err}"
    );
    assert!(err.contains("unknown stage `wonn`"), "the other file is checked: {err}");
}

#[test]
fn a_file_over_the_size_limit_is_refused_and_the_flag_raises_the_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The default limit, 64 MiB, by a sparse file one byte larger.
    let big = std::fs::File::create(dir.path().join("big.proc")).expect("create");
    big.set_len(64 * 1024 * 1024 + 1).expect("sparse file");
    let out = procdef(&["check", "big.proc"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "procdef: cannot read big.proc: it is 67108865 bytes, more than the 64 MiB a file may have; \
         `--max-file-size` raises the limit (e.g. `--max-file-size 200M`)\n"
    );
    // The flag, before or after the command, with units.
    let mut text = VALID.to_string();
    text.push_str(&"# padding\n".repeat(300));
    std::fs::write(dir.path().join("p.proc"), &text).expect("write");
    let out = procdef(&["--max-file-size", "2K", "check", "p.proc"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let expected = format!("it is {} bytes, more than the 2048 bytes a file may have", text.len());
    assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
    for args in [["--max-file-size", "4K", "check", "p.proc"], ["check", "p.proc", "--max-file-size", "1MiB"]] {
        let out = procdef(&args, dir.path());
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
    let out = procdef(&["check", "p.proc", "--max-file-size", "12x"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`12x` has an unknown unit"), "{}", stderr(&out));
}

/// A file whose size says nothing of what it holds (those in /proc say 0)
/// is read only to one byte past the limit.
#[cfg(target_os = "linux")]
#[test]
fn a_file_larger_than_its_size_says_is_cut_at_the_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    // procdef's own command line, longer than 16 bytes.
    let out = procdef(&["--max-file-size", "16", "check", "/proc/self/cmdline"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read /proc/self/cmdline: it is larger than that, more than the 16 bytes"),
        "{}",
        stderr(&out)
    );
}

/// Out of memory is exit code 2 and a message, not an abort with a
/// backtrace (exit 134). The address space is limited in a shell that
/// then runs procdef on a file of 60 MB, which needs several copies.
#[cfg(unix)]
#[test]
fn running_out_of_memory_is_a_message_and_exit_code_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = VALID.replace("\"x\"", &format!("\"{}\"", "y".repeat(60_000_000)));
    std::fs::write(dir.path().join("huge.proc"), text).expect("write");
    let script = format!("ulimit -v 200000; exec '{}' check huge.proc", env!("CARGO_BIN_EXE_procdef"));
    let out = Command::new("sh").arg("-c").arg(script).current_dir(dir.path()).output().expect("sh runs");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("procdef: out of memory;"), "{err}");
    assert!(!err.contains("backtrace") && !err.contains("memory allocation of"), "{err}");
}

/// A folder whose listing fails is named itself, and the files beside it
/// are still checked. Root reads a folder whatever its mode, so the
/// failure here is one root meets too: a path longer than the system's
/// limit (4096 bytes on Linux), under which listing a folder fails with
/// "File name too long".
#[cfg(target_os = "linux")]
#[test]
fn a_folder_that_cannot_be_read_is_named_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("top")).expect("folder");
    std::fs::write(dir.path().join("top/a.proc"), VALID.replace("-> won", "-> wonn")).expect("write");
    let long = "n".repeat(200);
    let deep = vec![long.as_str(); 25].join("/");
    // `mkdir -p` makes each folder relative to the last, so it is not
    // bound by the limit on a whole path.
    let made = Command::new("mkdir").arg("-p").arg(&deep).current_dir(dir.path().join("top")).status().expect("mkdir");
    assert!(made.success());
    let out = procdef(&["check", "top"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let blamed = err.lines().find(|l| l.starts_with("procdef: cannot read the folder")).expect("a folder is named");
    assert!(blamed.starts_with(&format!("procdef: cannot read the folder top/{long}/{long}/")), "{blamed}");
    assert!(blamed.ends_with("File name too long (os error 36)"), "{blamed}");
    assert!(err.contains("unknown stage `wonn`"), "the rest is checked: {err}");
    assert!(err.contains("1 file, 1 error"), "{err}");

    // `fmt` too goes on past the folder, and fails at the end.
    std::fs::write(dir.path().join("top/b.proc"), VALID.replace("  role rep", "role   rep")).expect("write");
    let out = procdef(&["fmt", "--check", "top"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(&format!("procdef: cannot read the folder top/{long}/{long}/")), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("top/b.proc\n"), "the files found are still checked: {err}");
}

#[test]
fn procdef_toml_is_read_like_a_source_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("p.proc"), VALID).expect("write");
    let made = Command::new("mkfifo").arg(dir.path().join("procdef.toml")).status().expect("mkfifo runs");
    assert!(made.success());
    let out = procdef(&["check", "p.proc"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("procdef.toml: it is a named pipe, not a regular file"), "{err}");

    std::fs::remove_file(dir.path().join("procdef.toml")).expect("remove");
    std::os::unix::fs::symlink("nowhere.toml", dir.path().join("procdef.toml")).expect("link");
    let out = procdef(&["check", "p.proc"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "a link to nothing is not passed over: {err}");
    assert!(err.contains("procdef.toml: No such file or directory"), "{err}");

    std::fs::remove_file(dir.path().join("procdef.toml")).expect("remove");
    std::fs::write(dir.path().join("procdef.toml"), format!("# {}\n", "x".repeat(4096))).expect("write");
    let out = procdef(&["--max-file-size", "1K", "check", "p.proc"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("procdef.toml") && err.contains("--max-file-size"), "{err}");
}

/// A syntax error on a line of 3 MB shows a window of that line, in every
/// format.
#[test]
fn a_syntax_error_on_a_very_long_line_shows_a_window_of_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let digits = "7".repeat(3_000_000);
    let text = VALID.replace("instruct rep", &format!("takes {digits} days instruct rep"));
    std::fs::write(dir.path().join("long.proc"), text).expect("write");
    let out = procdef(&["check", "long.proc"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{}", &err[..err.len().min(2000)]);
    assert!(err.len() < 4000, "{} bytes of report: {}", err.len(), &err[..2000]);
    assert!(err.contains("is not how a value is written"), "{err}");
    assert!(err.contains("…"), "{err}");
    // The header names the true column, in characters.
    assert!(err.contains("long.proc:3:"), "{err}");
    for format in ["json", "github"] {
        let out = procdef(&["check", "--format", format, "long.proc"], dir.path());
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.len() < 4000, "{format}: {} bytes", out.stdout.len());
        assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("`{}…", "7".repeat(40))));
    }
}

/// Control characters a file or a file name can hold, escape sequences
/// among them.
const CONTROLS: &str = "\u{0}\u{1b}]0;PWNED\u{7}\u{1b}[2J\u{7f}\u{85}\u{9b}31m";

/// Whether `bytes` hold a control character other than tab and line feed:
/// C0, DEL, or C1 (as UTF-8).
fn has_control(bytes: &[u8]) -> bool {
    String::from_utf8_lossy(bytes).chars().any(|c| c.is_control() && c != '\n' && c != '\t')
}

/// The example process with [`CONTROLS`] in every one-line text and in
/// its comments.
fn example_with_controls() -> String {
    let text = std::fs::read_to_string(root().join("examples/sales-process.proc")).expect("example");
    let mut out = String::new();
    for line in text.lines() {
        // Before the closing quote of every one-line text.
        let mut quotes = line.match_indices('"').map(|(i, _)| i).collect::<Vec<_>>();
        if line.contains("\"\"\"") {
            quotes.clear();
        }
        let mut l = line.to_string();
        for pair in quotes.chunks(2).rev() {
            if let [_, close] = pair {
                l.insert_str(*close, CONTROLS);
            }
        }
        if l.trim_start().starts_with('#') {
            l.push_str(CONTROLS);
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

#[test]
fn no_output_file_holds_a_control_character() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("p.proc"), example_with_controls()).expect("write");
    let out = procdef(&["build", "p.proc", "-o", "out"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut checked = 0;
    let mut stack = vec![dir.path().join("out")];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("output folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ext == "md" || ext == "html" {
                let bytes = std::fs::read(&path).expect("output");
                assert!(!has_control(&bytes), "{} holds a control character", path.display());
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "{checked} Markdown and HTML files");
    // The texts are there, their controls made visible.
    let manual = std::fs::read_to_string(dir.path().join("out/manuals/caller.md")).expect("manual");
    assert!(manual.contains("␀␛]0;PWNED␇␛[2J␡��31m"), "{manual}");
}

/// A file name, a comment, a text or a name holding escape sequences
/// reaches no terminal: nothing procdef prints for people holds a control
/// character (without a terminal there is no colour either).
#[test]
fn no_escape_sequence_reaches_the_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let valid = example_with_controls();
    // A warning points into a line with controls; a control outside any
    // text is a syntax error that quotes it.
    let warned = valid.replacen("stage ", &format!("stage unused_stage {{ description \"{CONTROLS}\" }}\n  stage "), 1);
    let broken = VALID.replace("role rep", &format!("role rep {CONTROLS}"));
    let named = format!("x{CONTROLS}.proc").replace('\0', "");
    let explained = CONTROLS.replace('\0', "");
    let folder = format!("sf{}", CONTROLS.replace('\0', ""));
    let folder_man = format!("man{}", CONTROLS.replace('\0', ""));
    let folder_init = format!("init{}", CONTROLS.replace('\0', ""));
    std::fs::write(dir.path().join("valid.proc"), &valid).expect("write");
    std::fs::write(dir.path().join("warned.proc"), &warned).expect("write");
    std::fs::write(dir.path().join("broken.proc"), &broken).expect("write");
    std::fs::write(dir.path().join(&named), &broken).expect("write");
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", "valid.proc", "warned.proc", "broken.proc", &named],
        vec!["check", "."],
        vec!["check", "--format", "github", "warned.proc", "broken.proc", &named],
        vec!["check", "--max-file-size", "10", &named],
        vec!["funnel", "valid.proc"],
        vec!["funnel", "warned.proc"],
        vec!["funnel", &named],
        vec!["explain", &explained],
        vec!["explain", "P001"],
        vec!["build", "broken.proc", "-o", "out"],
        vec!["build", "valid.proc", "-o", "out"],
        vec!["graph", &named],
        vec!["fmt", "--check", "broken.proc"],
        vec!["graph", "--format", "dot", "valid.proc"],
        vec!["export", "valid.proc", "--to", "salesforce", "-o", &folder],
        vec!["export", "valid.proc", "--to", "salesforce", "-o", &folder],
        vec!["man", &folder_man],
        vec!["init", &folder_init],
        vec!["init", &folder_init],
    ];
    let mut reported = 0;
    for args in &runs {
        let out = procdef(args, dir.path());
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let shown = String::from_utf8_lossy(bytes);
            assert!(!has_control(bytes), "procdef {args:?}: a control character on {stream}:\n{shown}");
        }
        reported += usize::from(String::from_utf8_lossy(&out.stderr).contains('␛'));
    }
    assert!(reported >= 12, "the controls are shown, made visible, in {reported} runs");
}

#[test]
fn machine_reports_name_the_file_as_it_is_called() {
    // People see a control character in a file name as a picture; JSON and
    // SARIF carry the real name (escaped by their encoders), so the tools
    // that read them find the file.
    let dir = tempfile::tempdir().expect("temp dir");
    let name = "a\u{1b}b c.proc";
    std::fs::write(dir.path().join(name), "process p \"P\" {\n  stage a {\n").expect("write");
    let out = procdef(&["check", "--format", "json", name], dir.path());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report[0]["file"], name, "{report}");
    assert!(!has_control(&out.stdout));
    let out = procdef(&["check", "--format", "sarif", name], dir.path());
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF report");
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "a%1Bb%20c.proc", "{sarif}");
    let out = procdef(&["check", name], dir.path());
    assert!(!has_control(&out.stderr) && stderr(&out).contains("a␛b c.proc"), "{}", stderr(&out));
}

#[test]
fn a_template_is_read_like_a_source_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("p.proc"), VALID).expect("write");
    std::fs::create_dir(dir.path().join("t")).expect("folder");
    let made = Command::new("mkfifo").arg(dir.path().join("t/manual.html.j2")).status().expect("mkfifo runs");
    assert!(made.success());
    let out = procdef(&["build", "p.proc", "-o", "out", "--templates", "t"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot read t/manual.html.j2: it is a named pipe, not a regular file"), "{err}");
    assert!(!dir.path().join("out").exists(), "nothing was written");

    std::fs::remove_file(dir.path().join("t/manual.html.j2")).expect("remove");
    std::fs::write(dir.path().join("t/manual.html.j2"), "x".repeat(2048)).expect("write");
    let out = procdef(&["--max-file-size", "1K", "build", "p.proc", "-o", "out", "--templates", "t"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("t/manual.html.j2") && err.contains("--max-file-size"), "{err}");
}

#[test]
fn a_sarif_log_says_when_the_run_could_not_read_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("procs")).expect("folder");
    std::fs::write(dir.path().join("procs/a.proc"), VALID).expect("write");
    let out = procdef(&["check", "--format", "sarif", "procs"], dir.path());
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(log["runs"][0]["invocations"][0]["executionSuccessful"], true, "{log}");
    assert!(log["runs"][0]["invocations"][0].get("toolExecutionNotifications").is_none());

    let made = Command::new("mkfifo").arg(dir.path().join("procs/pipe.proc")).status().expect("mkfifo runs");
    assert!(made.success());
    let out = procdef(&["check", "--format", "sarif", "procs"], dir.path());
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF");
    assert_eq!(out.status.code(), Some(2));
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false, "{log}");
    let notes = invocation["toolExecutionNotifications"].as_array().expect("notifications");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["level"], "error");
    assert!(notes[0]["message"]["text"].as_str().is_some_and(|t| t.contains("procs/pipe.proc")), "{notes:?}");
}
