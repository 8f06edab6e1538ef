//! `build`'s file writing (src/cli/build/writer.rs) under fuzzed outputs,
//! fuzzed previous folders and a fuzzed failure: the n-th file operation
//! fails once, or the process "dies" there (every later operation fails),
//! with or without `RENAME_EXCHANGE`. Whatever happens:
//!
//! - a folder holding anything procdef did not write is never replaced;
//! - a failed build leaves the previous folder byte for byte, with nothing
//!   beside it;
//! - a successful one leaves exactly the new files and their manifest;
//! - after a death, the folder is the old build or the new one once the
//!   next build's recovery has run, and nothing is left beside it.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use procdef::emit::Output;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "../../src/cli/build/writer.rs"]
mod writer;

use writer::{Fault, Fs, MANIFEST};

type Tree = BTreeMap<String, Option<Vec<u8>>>;

const PARTS: &[&str] = &["a", "b", "manuals", "A", "ſ", "ß", "x.md", ".hidden", "rollout"];

fn path(u: &mut Unstructured) -> Result<String> {
    let depth = u.int_in_range(1..=3)?;
    let mut parts = Vec::new();
    for _ in 0..depth {
        parts.push(*u.choose(PARTS)?);
    }
    // Now and then a path that would leave the folder, or the manifest's.
    Ok(match u.int_in_range(0..=40)? {
        0 => format!("../{}", parts.join("/")),
        1 => format!("{}//", parts.join("/")),
        2 => MANIFEST.to_string(),
        _ => parts.join("/"),
    })
}

fn outputs(u: &mut Unstructured) -> Result<Vec<Output>> {
    let n = u.int_in_range(0..=6)?;
    let mut out = Vec::new();
    for _ in 0..n {
        let len = u.int_in_range(0..=20)?;
        let contents: String = (0..len).map(|i| char::from(b'a' + (i as u8 % 26))).collect();
        out.push(Output { path: path(u)?, contents: format!("{contents}{}", u.arbitrary::<u8>()?) });
    }
    Ok(out)
}

/// Outputs `write` accepts: safe paths, none of them the folder of another,
/// none twice.
fn valid(outputs: &[Output]) -> bool {
    let safe = |p: &str| p != MANIFEST && p.split('/').all(|c| !c.is_empty() && c != "." && c != "..");
    outputs.iter().all(|o| safe(&o.path))
        && outputs.iter().enumerate().all(|(i, a)| {
            outputs.iter().skip(i + 1).all(|b| a.path != b.path)
                && outputs.iter().all(|b| !b.path.starts_with(&format!("{}/", a.path)))
        })
}

fn tree(dir: &Path) -> Option<Tree> {
    if !dir.exists() {
        return None;
    }
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).expect("listable") {
            let path = entry.expect("entry").path();
            let name = path.strip_prefix(dir).expect("below").display().to_string();
            if path.is_symlink() {
                out.insert(name, Some(b"a link".to_vec()));
            } else if path.is_dir() {
                out.insert(name, None);
                stack.push(path);
            } else {
                out.insert(name, Some(std::fs::read(&path).expect("readable")));
            }
        }
    }
    Some(out)
}

fn built(outputs: &[Output]) -> Tree {
    writer::built_tree(outputs)
}

fn beside(parent: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(parent)
        .expect("listable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn base() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() { shm.to_path_buf() } else { std::env::temp_dir() }
}

fn run(u: &mut Unstructured) -> Result<()> {
    let dir = tempfile::Builder::new().prefix("build-files-").tempdir_in(base()).expect("temp");
    let parent = dir.path();
    let real = parent.join("out");
    let via_link = cfg!(unix) && u.ratio(1, 8)?;
    let out = if via_link { parent.join("link") } else { real.clone() };

    // The folder before: none, empty, someone else's, or an earlier build,
    // perhaps touched by hand.
    let mut foreign = false;
    match u.int_in_range(0..=5)? {
        0 => {}
        1 => std::fs::create_dir(&real).expect("folder"),
        2 => {
            std::fs::create_dir_all(real.join("manuals")).expect("folder");
            std::fs::write(real.join("manuals/notes.md"), "mine").expect("written");
            foreign = true;
        }
        _ => {
            let old = outputs(u)?;
            if !valid(&old) {
                return Ok(());
            }
            writer::write(&Fs::real(), &real, &old).expect("the earlier build");
            assert_eq!(tree(&real), Some(built(&old)));
            match u.int_in_range(0..=6)? {
                0 => {
                    std::fs::write(real.join("notes.txt"), "mine").expect("written");
                    foreign = true;
                }
                1 if !old.is_empty() => {
                    let o = u.choose(&old)?;
                    std::fs::write(real.join(&o.path), "edited").expect("written");
                    foreign = o.contents != "edited";
                }
                2 if !old.is_empty() => {
                    let o = u.choose(&old)?;
                    std::fs::remove_file(real.join(&o.path)).expect("removed");
                }
                3 => {
                    std::fs::write(real.join(MANIFEST), "not a manifest").expect("written");
                    foreign = true;
                }
                #[cfg(unix)]
                4 => {
                    std::os::unix::fs::symlink("/etc/hostname", real.join("link")).expect("linked");
                    foreign = true;
                }
                _ => {}
            }
        }
    }
    if via_link {
        if !real.exists() {
            std::fs::create_dir(&real).expect("folder");
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink("out", &out).expect("linked");
    }
    let before = tree(&real);
    let listed = beside(parent);

    let new = outputs(u)?;
    let fault = Fault { at: u.int_in_range(1..=120)?, dies: u.arbitrary()?, no_exchange: u.arbitrary()? };
    let fs = Fs::failing(fault);
    let result = writer::write(&fs, &out, &new);

    match &result {
        Ok(written) => {
            assert!(!foreign, "a folder with a file procdef did not write was replaced: {before:?}");
            assert!(valid(&new), "invalid outputs were written: {:?}", new.iter().map(|o| &o.path).collect::<Vec<_>>());
            assert_eq!(tree(&real), Some(built(&new)));
            assert_eq!(written.folder.file_name(), real.file_name());
        }
        Err(e) if !fault.dies => {
            assert_eq!(tree(&real), before, "{e}");
            // When removing the staging folder fails too (the fault after a
            // real failure), the message says so, and the next build's
            // recovery removes it.
            if e.contains("is left; the next build removes it") {
                writer::recover(&Fs::real(), parent).expect("recovers");
                assert_eq!(tree(&real), before, "{e}");
            }
            assert_eq!(beside(parent), listed, "{e}");
        }
        Err(_) => {}
    }
    if fault.dies || result.is_ok() {
        // The folder is the old build or the new one (or, between the two
        // renames, missing), and the next build's recovery leaves nothing
        // else.
        let now = tree(&real);
        let new_tree = valid(&new).then(|| built(&new));
        let ok = |t: &Option<Tree>| *t == before || (!foreign && t.is_some() && *t == new_tree);
        assert!(ok(&now) || (now.is_none() && fault.no_exchange), "{now:?}");
        writer::recover(&Fs::real(), parent).expect("recovers");
        let now = tree(&real);
        assert!(ok(&now), "after recovery: {now:?}");
        let mut expected: Vec<String> = listed.iter().filter(|n| *n != "out").cloned().collect();
        if now.is_some() {
            expected.push("out".into());
        }
        expected.sort();
        assert_eq!(beside(parent), expected);
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let _ = run(&mut u);
});
