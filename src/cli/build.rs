//! `procdef build`: check a file and write its outputs.

use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The process file.
    file: PathBuf,
    /// The output folder.
    #[arg(short, long, default_value = "out")]
    out: PathBuf,
}

pub fn run(_args: Args) -> u8 {
    super::BROKEN
}
