//! `procdef funnel`: the funnel model as a table, or as the JSON of
//! `process.json`'s `analysis`.

use super::load::{Config, load};
use super::{BROKEN, Deny, OK};
use clap::ValueEnum;
use procdef::emit::{funnel_table, json};
use procdef::model::graph::StageGraph;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The process file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// A readable table, or the `analysis` object of `process.json`.
    #[arg(long, value_enum, default_value_t)]
    format: FunnelFormat,
    /// Fail (exit 1) on warnings too.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// Print no warnings, only errors.
    #[arg(long, short)]
    quiet: bool,
}

/// How the funnel model is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum FunnelFormat {
    /// A table per stage and per position, in the process's language.
    #[default]
    Human,
    /// The `analysis` object exactly as `process.json` has it.
    Json,
}

pub fn run(args: Args) -> u8 {
    let loaded = match load(&args.file, Config { deny: args.deny, quiet: args.quiet }) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let text = match args.format {
        FunnelFormat::Human => {
            let graph = StageGraph::new(&loaded.model);
            // The terminal's width, as `COLUMNS` says (at least 40), else 100.
            let width =
                std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|&w: &usize| w >= 40).unwrap_or(100);
            funnel_table::text_in(&loaded.model, &graph, &loaded.analysis, width)
        }
        FunnelFormat::Json => json::render_analysis(&json::analysis_json(&loaded.model, Some(&loaded.analysis))),
    };
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("procdef: cannot write the funnel of {}: {e}", loaded.name);
            BROKEN
        }
        _ => OK,
    }
}
