//! `procdef calibrate FILE --log LOG…`: the observed numbers written into
//! an existing file (IMPORT.md). Without `--write` prints a unified diff
//! and a table; with it rewrites the file atomically. Exit 0: done; 1: the
//! file has errors; 2: it could not run.

use super::audit::{LogArgs, run_audit};
use super::load::{Config, load};
use super::{BROKEN, OK, files};
use procdef::audit::log::ProblemKind;
use procdef::import::calibrate;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The process file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    #[command(flatten)]
    log: LogArgs,
    /// The least observed exits of a stage (new cases, for the entries)
    /// for its numbers to change.
    #[arg(long, value_name = "N", default_value_t = 30)]
    min_exits: u64,
    /// Rewrite the file (atomically) instead of printing the diff.
    #[arg(long)]
    write: bool,
}

fn fail(message: impl std::fmt::Display) -> u8 {
    eprintln!("procdef: {message}");
    BROKEN
}

pub fn run(args: Args) -> u8 {
    let inputs = match args.log.inputs() {
        Ok(i) => i,
        Err(e) => return fail(e),
    };
    let loaded = match load(&args.file, Config { deny: None, quiet: true }) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let report = match run_audit(&loaded, inputs) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let name = files::display(&args.file);
    if report.summary.moves == 0 {
        for p in report.problems.iter().filter(|p| p.kind == ProblemKind::UnknownStage).take(10) {
            eprintln!("procdef: {}", p.message);
        }
        return fail(format!(
            "no event of the log names a stage of {name}, so there is nothing to calibrate; \
             give --map FILE (`name,stage`) or --crm-stages FILE to match the log's names"
        ));
    }
    let bytes = match files::read(&args.file) {
        Ok(b) => b,
        Err(e) => return fail(e),
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return fail(format!("{name} is not UTF-8 text"));
    };
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let result = match calibrate::calibrate(body, &loaded.model, &report, args.min_exits) {
        Ok(c) => c,
        Err(e) => return fail(format!("{name}: {e}")),
    };
    let new_text = format!("{bom}{}", result.text);
    // The file passed `check`; what is written must too.
    let compiled = super::sources::compile(&args.file, new_text.as_bytes());
    if compiled.has_errors() {
        let style = procdef::report::HumanStyle { color: false, width: 100, lang: compiled.lang };
        eprint!("{}", procdef::report::human(&name, &new_text, &compiled.diagnostics, style));
        return fail(format!("{name} calibrated would have errors; it was left as it was. Please report this"));
    }
    let unknown: u64 = report.problems.iter().filter(|p| p.kind == ProblemKind::UnknownStage).map(|p| p.count).sum();
    if unknown > 0 {
        eprintln!(
            "procdef: {unknown} events name no stage of {name} and were left out (see `procdef audit` for the names)"
        );
    }
    if args.write {
        if new_text == text {
            eprintln!("procdef: {name} already holds the observed numbers; nothing to change");
            return OK;
        }
        if let Err(e) = super::fmt::write_atomically(&args.file, new_text.as_bytes()) {
            return fail(format!("cannot write {name}: {e}; it was left as it was"));
        }
        eprint!("{}", calibrate::table(&result, args.min_exits));
        eprintln!("procdef: {name} calibrated");
        return OK;
    }
    let mut out = calibrate::unified_diff(text, &new_text, &name);
    if out.is_empty() {
        out.push_str(&format!("# {name} already holds the observed numbers\n"));
    }
    out.push('\n');
    out.push_str(&calibrate::table(&result, args.min_exits));
    match std::io::stdout().lock().write_all(out.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => fail(format!("cannot write: {e}")),
        _ => OK,
    }
}
