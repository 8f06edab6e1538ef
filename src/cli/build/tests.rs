//! The build writer under failure: every file operation of a build is made
//! to fail in turn, and the folder must hold the old build or the new one.

use super::writer::{self, Fault, Fs, MANIFEST};
use procdef::emit::Output;
use std::collections::BTreeMap;
use std::path::Path;

fn output(path: &str, contents: &str) -> Output {
    Output { path: path.to_string(), contents: contents.to_string() }
}

fn old_build() -> Vec<Output> {
    vec![
        output("process.json", "{\"old\": true}\n"),
        output("manuals/rep.md", "# Rep\n"),
        output("manuals/head.md", "# Head\n"),
        output("rollout/schedule.md", "old schedule\n"),
    ]
}

fn new_build() -> Vec<Output> {
    vec![
        output("process.json", "{\"new\": true}\n"),
        output("manuals/rep.md", "# Rep, new\n"),
        output("graph.mmd", "flowchart LR\n"),
        output("rollout/exams/exam-rep.md", "exam\n"),
    ]
}

/// Every file and folder below `dir`, with the bytes of the files.
fn tree(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).expect("listable") {
            let path = entry.expect("entry").path();
            let name = path.strip_prefix(dir).expect("below").display().to_string();
            if path.is_symlink() {
                out.insert(name, Some(std::fs::read_link(&path).expect("link").display().to_string().into_bytes()));
            } else if path.is_dir() {
                out.insert(name, None);
                stack.push(path);
            } else {
                out.insert(name, Some(std::fs::read(&path).expect("readable")));
            }
        }
    }
    out
}

/// What a build of `outputs` holds: the files and the manifest.
fn built(outputs: &[Output]) -> BTreeMap<String, Option<Vec<u8>>> {
    writer::built_tree(outputs)
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("listable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into())
        .collect();
    names.sort();
    names
}

/// A temporary folder holding `out/` with the old build.
fn with_old_build() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp");
    writer::write(&Fs::real(), &dir.path().join("out"), &old_build()).expect("first build");
    assert_eq!(tree(&dir.path().join("out")), built(&old_build()));
    dir
}

/// How many file operations a clean rebuild makes.
fn operations(no_exchange: bool) -> u64 {
    let dir = with_old_build();
    let fs = Fs::failing(Fault { at: u64::MAX, dies: false, no_exchange });
    writer::write(&fs, &dir.path().join("out"), &new_build()).expect("clean build");
    fs.ops()
}

/// Fails operation n of a rebuild, for every n: before the swap is complete
/// the old build is left byte for byte, with nothing beside it, and the
/// build exits 2; after it, the new build is in place.
fn every_failure(no_exchange: bool) {
    let total = operations(no_exchange);
    assert!(total > 40, "{total} operations");
    let mut failed = 0;
    let mut first_success = None;
    for n in 1..=total {
        let dir = with_old_build();
        let out = dir.path().join("out");
        let fs = Fs::failing(Fault { at: n, dies: false, no_exchange });
        match writer::write(&fs, &out, &new_build()) {
            Err(e) => {
                assert!(first_success.is_none(), "operation {n} failed the build after {first_success:?} did not");
                assert!(e.contains("injected failure"), "operation {n}: {e}");
                assert!(e.contains("the previous contents were left as they were"), "operation {n}: {e}");
                assert_eq!(tree(&out), built(&old_build()), "operation {n}: {e}");
                assert_eq!(names(dir.path()), ["out"], "operation {n}: {e}");
                assert_eq!(super::finish(&out, 4, Err(e), true), 2);
                failed += 1;
            }
            Ok(written) => {
                first_success.get_or_insert(n);
                assert_eq!(tree(&out), built(&new_build()), "operation {n}");
                if names(dir.path()) != ["out"] {
                    // Only removing the old build failed, and the next
                    // build removes what is left.
                    assert!(written.notes.iter().any(|n| n.contains("could not remove the previous build")));
                    writer::write(&Fs::real(), &out, &new_build()).expect("next build");
                    assert_eq!(names(dir.path()), ["out"], "operation {n}");
                }
            }
        }
    }
    // The swap is near the end: most operations come before it.
    assert!(failed > total / 2, "{failed} of {total} failures stopped the build");
}

#[test]
fn every_failed_operation_leaves_the_old_build_with_the_exchange() {
    every_failure(false);
}

#[test]
fn every_failed_operation_leaves_the_old_build_with_two_renames() {
    every_failure(true);
}

/// The process dies at operation n (nothing after it happens): the folder
/// holds the old build or the new one, or, with two renames, nothing until
/// the next build puts the old one back; the next build removes every
/// leftover.
fn every_death(no_exchange: bool) {
    let total = operations(no_exchange);
    let mut missing = 0;
    for n in 1..=total {
        let dir = with_old_build();
        let out = dir.path().join("out");
        let fs = Fs::failing(Fault { at: n, dies: true, no_exchange });
        let _ = writer::write(&fs, &out, &new_build());
        if out.exists() {
            let now = tree(&out);
            assert!(now == built(&old_build()) || now == built(&new_build()), "operation {n}: {now:?}");
        } else {
            assert!(!exchanges(no_exchange), "operation {n}: no output folder after an exchange");
            missing += 1;
        }
        let notes = writer::recover(&Fs::real(), dir.path()).expect("recovers");
        let now = tree(&out);
        assert!(now == built(&old_build()) || now == built(&new_build()), "operation {n}, recovered: {now:?}");
        assert_eq!(names(dir.path()), ["out"], "operation {n}: {notes:?}");
    }
    // Only between the two renames is there no folder.
    assert_eq!(missing, if exchanges(no_exchange) { 0 } else { 1 });
}

/// Whether the swap is one exchange: on Linux, unless turned off.
fn exchanges(no_exchange: bool) -> bool {
    cfg!(target_os = "linux") && !no_exchange
}

#[test]
fn a_build_killed_at_any_operation_is_recovered_with_the_exchange() {
    every_death(false);
}

#[test]
fn a_build_killed_at_any_operation_is_recovered_with_two_renames() {
    every_death(true);
}

#[test]
fn the_first_build_into_a_missing_or_empty_folder_fails_cleanly_too() {
    for empty in [false, true] {
        let count = {
            let dir = tempfile::tempdir().expect("temp");
            if empty {
                std::fs::create_dir(dir.path().join("out")).expect("folder");
            }
            let fs = Fs::failing(Fault { at: u64::MAX, dies: false, no_exchange: false });
            writer::write(&fs, &dir.path().join("out"), &new_build()).expect("clean build");
            fs.ops()
        };
        for n in 1..=count {
            let dir = tempfile::tempdir().expect("temp");
            let out = dir.path().join("out");
            if empty {
                std::fs::create_dir(&out).expect("folder");
            }
            let fs = Fs::failing(Fault { at: n, dies: false, no_exchange: false });
            match writer::write(&fs, &out, &new_build()) {
                Err(_) if empty => assert_eq!(tree(&out), BTreeMap::new(), "operation {n}"),
                Err(_) => assert!(!out.exists(), "operation {n}"),
                Ok(written) => {
                    assert_eq!(tree(&out), built(&new_build()), "operation {n}");
                    if names(dir.path()) != ["out"] {
                        assert!(written.notes.iter().any(|n| n.contains("could not remove the previous build")));
                        writer::write(&Fs::real(), &out, &new_build()).expect("next build");
                    }
                }
            }
            let left: Vec<String> = names(dir.path()).into_iter().filter(|n| n != "out").collect();
            assert!(left.is_empty(), "operation {n}: {left:?}");
        }
    }
}

/// What the folder holds when a build must not replace it, and what the
/// refusal names.
#[test]
fn a_folder_with_anything_procdef_did_not_write_is_refused_untouched() {
    type Setup = fn(&Path);
    let cases: &[(&str, Setup, &str)] = &[
        (
            "a note in a folder that has no manifest",
            |out| {
                std::fs::remove_file(out.join(MANIFEST)).expect("removed");
                std::fs::write(out.join("manuals/notes.md"), "mine").expect("written");
            },
            "out/process.json, which procdef did not write: the folder is not empty and has no",
        ),
        (
            "an unlisted file",
            |out| std::fs::write(out.join("manuals/notes.md"), "mine").expect("written"),
            "out/manuals/notes.md, which procdef did not write;",
        ),
        (
            "an edited file",
            |out| std::fs::write(out.join("manuals/rep.md"), "# Rep, edited\n").expect("written"),
            "out/manuals/rep.md changed since procdef wrote it",
        ),
        (
            "an unlisted empty folder",
            |out| std::fs::create_dir(out.join("mine")).expect("made"),
            "out/mine, which procdef did not write",
        ),
        (
            "a link in place of a file",
            |out| {
                std::fs::remove_file(out.join("process.json")).expect("removed");
                symlink("/etc/hostname", &out.join("process.json"));
            },
            "out/process.json, which procdef did not write",
        ),
        (
            "a manifest that is not one",
            |out| std::fs::write(out.join(MANIFEST), "my notes\n").expect("written"),
            "manifest",
        ),
    ];
    for (what, setup, says) in cases {
        let dir = with_old_build();
        let out = dir.path().join("out");
        setup(&out);
        let before = tree(&out);
        let e = writer::write(&Fs::real(), &out, &new_build()).expect_err(what);
        assert!(e.contains(says), "{what}: {e}");
        assert!(e.contains("nothing was changed"), "{what}: {e}");
        assert_eq!(tree(&out), before, "{what}");
        assert_eq!(names(dir.path()), ["out"], "{what}");
    }
    // A file the manifest lists but that is gone loses nothing.
    let dir = with_old_build();
    let out = dir.path().join("out");
    std::fs::remove_file(out.join("manuals/head.md")).expect("removed");
    writer::write(&Fs::real(), &out, &new_build()).expect("rebuilt");
    assert_eq!(tree(&out), built(&new_build()));
}

#[cfg(unix)]
fn symlink(target: &str, at: &Path) {
    std::os::unix::fs::symlink(target, at).expect("linked");
}

#[cfg(not(unix))]
fn symlink(_: &str, at: &Path) {
    std::fs::write(at, "a stand-in").expect("written");
}

#[test]
fn the_manifest_lists_every_file_with_its_sha256() {
    let text = writer::manifest(&[output("b/c.md", "abc"), output("a.json", "")]);
    assert_eq!(
        text,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.json\n\
         ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  b/c.md\n"
    );
    let parsed = writer::parse_manifest(&text).expect("parses");
    assert_eq!(parsed.keys().collect::<Vec<_>>(), ["a.json", "b/c.md"]);
    assert_eq!(writer::parse_manifest("abc  x\n"), Err(1));
    assert_eq!(writer::parse_manifest(&format!("{text}\n")), Err(3));
}

/// A build waits for another one beside the same folder, and removes that
/// build's staging folder only once it is over.
#[cfg(target_os = "linux")]
#[test]
fn a_running_builds_staging_folder_is_never_removed() {
    use rustix::fs::{FlockOperation, flock};
    let dir = tempfile::tempdir().expect("temp");
    let staging = dir.path().join(".procdef-build-1-running");
    std::fs::create_dir(&staging).expect("made");
    std::fs::write(staging.join("process.json"), "being written").expect("written");
    let held = std::fs::File::open(dir.path()).expect("opened");
    flock(&held, FlockOperation::LockExclusive).expect("locked");
    let out = dir.path().join("out");
    let builder = {
        let out = out.clone();
        std::thread::spawn(move || writer::write(&Fs::real(), &out, &new_build()))
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(staging.join("process.json").exists(), "removed while its build runs");
    assert!(!out.exists(), "written without the lock");
    drop(held);
    let written = builder.join().expect("no panic").expect("built");
    assert!(written.notes.iter().any(|n| n.contains("left by an interrupted build")), "{:?}", written.notes);
    assert_eq!(names(dir.path()), ["out"]);
    assert_eq!(tree(&out), built(&new_build()));
}

/// A staging folder holding a build and a file procdef did not write (one
/// that appeared during a swap that could not be undone) is left alone.
#[test]
fn recovery_keeps_a_leftover_that_holds_someone_elses_file() {
    let dir = with_old_build();
    let leftover = dir.path().join(".procdef-build-1-00000000");
    std::fs::rename(dir.path().join("out"), &leftover).expect("moved");
    std::fs::write(leftover.join("manuals/notes.md"), "mine").expect("written");
    let notes = writer::recover(&Fs::real(), dir.path()).expect("recovers");
    assert!(notes.iter().any(|n| n.contains("left") && n.contains("manuals/notes.md")), "{notes:?}");
    assert_eq!(std::fs::read_to_string(leftover.join("manuals/notes.md")).expect("kept"), "mine");
    // Without the note, it is a build like any other, and goes.
    std::fs::remove_file(leftover.join("manuals/notes.md")).expect("removed");
    writer::recover(&Fs::real(), dir.path()).expect("recovers");
    assert!(!leftover.exists());
}

/// An old build moved aside by a two-rename swap, whose folder is back: it
/// goes, unless a file appeared in it during the swap.
#[test]
fn recovery_keeps_an_old_build_that_holds_someone_elses_file() {
    let dir = with_old_build();
    writer::write(&Fs::real(), &dir.path().join("out"), &new_build()).expect("built");
    // The old build, as a swap killed between its two renames left it,
    // with a file that appeared in it.
    let other = with_old_build();
    let holder = dir.path().join(".procdef-old-1-00000000");
    std::fs::create_dir(&holder).expect("made");
    std::fs::rename(other.path().join("out"), holder.join("out")).expect("moved aside");
    std::fs::write(holder.join("out/manuals/notes.md"), "mine").expect("written");
    let notes = writer::recover(&Fs::real(), dir.path()).expect("recovers");
    assert!(notes.iter().any(|n| n.contains("left") && n.contains("manuals/notes.md")), "{notes:?}");
    assert_eq!(std::fs::read_to_string(holder.join("out/manuals/notes.md")).expect("kept"), "mine");
    std::fs::remove_file(holder.join("out/manuals/notes.md")).expect("removed");
    writer::recover(&Fs::real(), dir.path()).expect("recovers");
    assert!(!holder.exists());
    assert_eq!(tree(&dir.path().join("out")), built(&new_build()));
}

/// A rebuilt folder keeps its permissions, and its owner and group where
/// this user may give them (as root: any).
#[cfg(unix)]
#[test]
fn a_rebuilt_folder_keeps_its_owner_group_and_mode() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = with_old_build();
    let out = dir.path().join("out");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o2750)).expect("chmod");
    let root = std::fs::metadata(dir.path()).expect("meta").uid() == 0
        && std::os::unix::fs::chown(&out, Some(12345), Some(12346)).is_ok();
    let was = std::fs::metadata(&out).expect("meta");
    writer::write(&Fs::real(), &out, &new_build()).expect("rebuilt");
    let now = std::fs::metadata(&out).expect("meta");
    assert_eq!(tree(&out), built(&new_build()));
    assert_eq!(now.mode() & 0o7777, 0o2750, "mode {:o}", now.mode());
    assert_eq!((now.uid(), now.gid()), (was.uid(), was.gid()));
    if root {
        assert_eq!((now.uid(), now.gid()), (12345, 12346));
    }
}

/// A mount point cannot be swapped out: the build says so and what to do.
#[cfg(target_os = "linux")]
#[test]
fn a_mount_point_is_refused_with_a_reason() {
    let err = writer::write(&Fs::real(), Path::new("/proc"), &new_build()).expect_err("refused");
    assert!(err.contains("mount point") && err.contains("/proc/out"), "{err}");
}

/// The root folder is never an output folder, and is called by its name.
#[cfg(unix)]
#[test]
fn the_root_folder_is_refused_by_name() {
    let err = writer::write(&Fs::real(), Path::new("/"), &new_build()).expect_err("refused");
    assert!(err.starts_with("it is the root folder"), "{err}");
}
