//! Writes a generated CRM event log of a process to stdout (see
//! `eventlog_gen.rs`), for comparisons with other tools:
//!
//! ```text
//! cargo run --release --example eventlog -- examples/sales-process.proc 1000000 > log.csv
//! cargo run --release --example eventlog -- examples/sales-process.proc 1000000 --clean > clean.csv
//! ```
//!
//! `--clean`: no repeated rows and no unknown stages (the log on which the
//! audit's verdicts and token-based replay's must agree). `--wide N`: N
//! extra columns of 200 bytes.

use std::io::Write;
use std::process::ExitCode;

#[path = "eventlog_gen.rs"]
mod eventlog_gen;

const USAGE: &str = "usage: eventlog FILE.proc EVENTS [--clean] [--wide N]   (prints the CSV log)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(file), Some(Ok(events))) = (args.first(), args.get(1).map(|a| a.parse::<usize>())) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let mut spec = eventlog_gen::Spec { events, repeats: true, unknown: true, wide: 0 };
    let mut rest = args[2..].iter();
    while let Some(a) = rest.next() {
        match (a.as_str(), rest.clone().next().map(|n| n.parse::<usize>())) {
            ("--clean", _) => {
                spec.repeats = false;
                spec.unknown = false;
            }
            ("--wide", Some(Ok(n))) => {
                spec.wide = n;
                rest.next();
            }
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let text = match std::fs::read(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("eventlog: {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let compiled = procdef::compile(&text);
    let Some(model) = compiled
        .model
        .as_ref()
        .filter(|_| compiled.diagnostics.iter().all(|d| d.severity != procdef::diagnostics::Severity::Error))
    else {
        eprintln!("eventlog: {file} has errors; run procdef check on it");
        return ExitCode::from(2);
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match eventlog_gen::write(model, &spec, &mut out).and_then(|w| out.flush().map(|()| w)) {
        Ok(w) => {
            eprintln!("eventlog: {} events, {} cases, {} bytes", w.events, w.cases, w.bytes);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("eventlog: {e}");
            ExitCode::FAILURE
        }
    }
}
