//! `procdef lsp`: the language server on standard input and output.

use super::config::Configs;
use super::{BROKEN, OK, sources};
use procdef::config::RuleConfig;
use procdef::project::FileSystem;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Accepted for editors that pass it; standard input and output are
    /// the only transport.
    #[arg(long, hide = true)]
    stdio: bool,
}

/// The disk behind the open documents, and `procdef.toml`.
struct Disk;

impl FileSystem for Disk {
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        sources::Disk.canonicalize(path)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        sources::Disk.read(path)
    }
}

impl procdef::lsp::Host for Disk {
    fn root_of(&self, file: &Path) -> PathBuf {
        sources::root_of(file)
    }

    fn rule_config(&self, file: &Path) -> Result<RuleConfig, String> {
        // Read anew each time: an edited `procdef.toml` applies at once.
        Configs::new(None)?.for_file(file)
    }

    fn lang(&self) -> Option<procdef::Lang> {
        super::chosen_lang()
    }
}

pub fn run(args: Args) -> u8 {
    let _ = args.stdio;
    let (connection, threads) = lsp_server::Connection::stdio();
    let outcome = procdef::lsp::run(connection, Arc::new(Disk));
    let joined = threads.join();
    match (outcome, joined) {
        (Ok(()), _) => OK,
        (Err(e), _) => {
            eprintln!("procdef lsp: {e}");
            BROKEN
        }
    }
}
