//! `procdef init`: a starter process that passes `check` and teaches the
//! language in its comments.

use super::{BROKEN, OK};
use std::io::Write;
use std::path::PathBuf;

/// The starter file, also checked by the tests.
pub const STARTER: &str = include_str!("starter.proc");

/// The starter in Russian: Russian keywords, texts and comments, for
/// `init --lang ru`.
pub const STARTER_RU: &str = include_str!("starter-ru.proc");

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to create `sales.proc` in.
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,
}

pub fn run(args: Args) -> u8 {
    let path = args.dir.join("sales.proc");
    // `create_new`: never an existing file, and never through a symbolic
    // link, even one that points nowhere.
    if let Err(e) = std::fs::create_dir_all(&args.dir) {
        let why = if args.dir.is_symlink() && !args.dir.exists() {
            "it is a symbolic link to nothing".to_string()
        } else {
            e.to_string()
        };
        eprintln!("procdef: cannot make the folder {}: {why}; nothing was written", super::files::display(&args.dir));
        return BROKEN;
    }
    let created = std::fs::File::options().write(true).create_new(true).open(&path);
    let written = created.and_then(|mut file| {
        let starter = match super::chosen_lang() {
            Some(procdef::Lang::Ru) => STARTER_RU,
            _ => STARTER,
        };
        file.write_all(starter.as_bytes())?;
        file.sync_all()
    });
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let what = if path.is_symlink() { "is a symbolic link" } else { "already exists" };
            eprintln!("procdef: {} {what}; nothing was written", super::files::display(&path));
            return BROKEN;
        }
        Err(e) => {
            eprintln!("procdef: cannot write {}: {e}", super::files::display(&path));
            return BROKEN;
        }
    }
    eprintln!(
        "procdef: wrote {}; try `procdef check {}` and `procdef build {}`",
        super::files::display(&path),
        super::files::display(&path),
        super::files::display(&path)
    );
    OK
}
