//! The command line: arguments, files, the terminal and exit codes. One
//! file per subcommand.

mod build;
mod check;
mod explain;
mod export;
mod files;
mod funnel;
mod load;

use clap::{Parser, Subcommand, ValueEnum};
use std::process::ExitCode;

/// Compile and check sales processes written in the `.proc` language.
#[derive(Debug, Parser)]
#[command(name = "procdef", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check files for mistakes and print the diagnostics; writes nothing.
    Check(check::Args),
    /// Check a file and write its outputs (JSON, manuals, graph) into a folder.
    Build(build::Args),
    /// Show the funnel model: per stage the win probability, visits and
    /// volume under the plan; per position the workload and utilization.
    Funnel(funnel::Args),
    /// Print the pipeline a CRM takes (HubSpot, Pipedrive or Salesforce)
    /// as that CRM's own JSON.
    Export(export::Args),
    /// Explain a diagnostic code, with a wrong and a right example.
    Explain(explain::Args),
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// A readable report, coloured on a terminal.
    #[default]
    Human,
    /// One JSON array of diagnostics for the whole run.
    Json,
    /// GitHub Actions workflow commands (`::error file=…`).
    Github,
}

/// Which warnings fail the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Treat every warning as an error.
    Warnings,
}

/// Exit code 0: no errors.
const OK: u8 = 0;
/// Exit code 1: errors in the input.
const FAILED: u8 = 1;
/// Exit code 2: the tool could not run.
const BROKEN: u8 = 2;

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { BROKEN } else { OK });
        }
    };
    let code = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Build(args) => build::run(args),
        Command::Funnel(args) => funnel::run(args),
        Command::Export(args) => export::run(args),
        Command::Explain(args) => explain::run(args),
    };
    ExitCode::from(code)
}
