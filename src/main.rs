//! The `procdef` command line.

fn main() -> std::process::ExitCode {
    procdef_cli::main()
}

#[path = "cli/mod.rs"]
mod procdef_cli;
