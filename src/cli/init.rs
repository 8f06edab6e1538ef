//! `procdef init`: a starter process that passes `check` and teaches the
//! language in its comments.

use super::{BROKEN, OK};
use std::path::PathBuf;

/// The starter file, also checked by the tests.
pub const STARTER: &str = include_str!("starter.proc");

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to create `sales.proc` in.
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,
}

pub fn run(args: Args) -> u8 {
    let path = args.dir.join("sales.proc");
    if path.exists() {
        eprintln!("procdef: {} already exists; nothing was written", path.display());
        return BROKEN;
    }
    if let Err(e) = std::fs::create_dir_all(&args.dir).and_then(|()| std::fs::write(&path, STARTER)) {
        eprintln!("procdef: cannot write {}: {e}", path.display());
        return BROKEN;
    }
    eprintln!(
        "procdef: wrote {}; try `procdef check {}` and `procdef build {}`",
        path.display(),
        path.display(),
        path.display()
    );
    OK
}
