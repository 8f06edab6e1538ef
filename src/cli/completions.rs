//! `procdef completions` and `procdef man`: shell integration.

use super::OK;
use clap::CommandFactory;

#[derive(Debug, clap::Args)]
pub struct CompletionArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub fn completions(args: CompletionArgs) -> u8 {
    let mut command = super::Cli::command();
    clap_complete::generate(args.shell, &mut command, "procdef", &mut std::io::stdout());
    OK
}

pub fn man() -> u8 {
    let command = super::Cli::command();
    let mut out = Vec::new();
    if clap_mangen::Man::new(command).render(&mut out).is_err() {
        return super::BROKEN;
    }
    use std::io::Write;
    let _ = std::io::stdout().write_all(&out);
    OK
}
