//! `procdef discover LOG…`: a process written from a history alone
//! (IMPORT.md). The logs are read by the audit's readers. Exit 0: written;
//! 2: nothing could be discovered.

use super::audit::{LogFormat, ReadArgs};
use super::{BROKEN, files};
use procdef::audit::names;
use procdef::import::discover::{self, Settings};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Logs of the CRM's history: CSV, XES (`.xes`, `.xes.gz`), or a CRM's
    /// export with `--log-format`, read as `procdef audit` reads them.
    #[arg(required = true, value_name = "LOG")]
    logs: Vec<PathBuf>,
    /// Write the process here (a new file) instead of standard output.
    #[arg(long, short, value_name = "OUT.proc")]
    output: Option<PathBuf>,
    /// The least share of a stage's exits a move needs to be written (of
    /// the cases, for an entry); rarer ones are listed in comments.
    #[arg(long, value_name = "PERCENT", default_value = "5%", value_parser = share)]
    min_share: f64,
    /// The names of won outcomes, as the log writes them.
    #[arg(long, value_name = "NAME,…", value_delimiter = ',')]
    won: Vec<String>,
    /// The names of lost outcomes, as the log writes them.
    #[arg(long, value_name = "NAME,…", value_delimiter = ',')]
    lost: Vec<String>,
    #[command(flatten)]
    read: ReadArgs,
}

/// `5%`, `12.5%` or a fraction `0.05`.
fn share(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let value = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|p| p / 100.0),
        None => t.parse::<f64>(),
    }
    .map_err(|_| format!("`{t}` is not a share: write 5% or 0.05"))?;
    if !(value > 0.0 && value <= 1.0) {
        return Err(format!("`{t}` is not a share above 0% and at most 100%"));
    }
    Ok(value)
}

fn fail(message: impl std::fmt::Display) -> u8 {
    eprintln!("procdef: {message}");
    BROKEN
}

pub fn run(args: Args) -> u8 {
    let options = match args.read.options() {
        Ok(o) => o,
        Err(e) => return fail(e),
    };
    let mut log = match super::audit::read_logs(&args.logs, args.read.log_format.map(LogFormat::form), &options) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    if let Some(path) = &args.read.crm_stages {
        let bytes = match files::read(path) {
            Ok(b) => b,
            Err(e) => return fail(e),
        };
        let stages = match names::crm_stages(&String::from_utf8_lossy(&bytes)) {
            Ok(s) => s,
            Err(e) => return fail(format!("{}: {e}", files::display(path))),
        };
        for n in &mut log.names {
            if let Some((_, label)) = stages.iter().find(|(id, _)| id == n.text.trim()) {
                n.text = label.clone();
            }
        }
    }
    if log.events.is_empty() {
        for p in log.problems.iter().take(5) {
            eprintln!("procdef: {}", p.message);
        }
        return fail("no event of the log could be read; nothing to discover");
    }
    for p in log.problems.iter().take(5) {
        let row = p.row.map(|r| format!("row {r}: ")).unwrap_or_default();
        let file = p.log.as_ref().map(|l| format!("{l}: ")).unwrap_or_default();
        eprintln!("procdef: {file}{row}{}", p.message);
    }
    if log.problems.len() > 5 {
        eprintln!("procdef: … and {} more problems with the log", log.problems.len() - 5);
    }
    let settings = Settings {
        min_share: args.min_share,
        won: args.won.clone(),
        lost: args.lost.clone(),
        sources: args
            .logs
            .iter()
            .map(|p| p.file_name().map_or_else(|| files::display(p), |f| f.to_string_lossy().into_owned()))
            .collect(),
    };
    match discover::discover(&log, &settings) {
        Ok(text) => super::import::write_output(args.output.as_deref(), &text),
        Err(e) => fail(e),
    }
}
