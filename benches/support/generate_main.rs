//! Prints the benchmark generator's process with `n` working stages, so
//! other tools can be run on the same input as the benchmarks:
//!
//! ```text
//! cargo run --release --example generate -- 10000 > big.proc
//! ```

use std::io::Write;
use std::process::ExitCode;

#[path = "generate.rs"]
mod generate;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let n = match (args.next().map(|a| a.parse::<usize>()), args.next()) {
        (Some(Ok(n)), None) => n,
        _ => {
            eprintln!("usage: generate N   (N: the number of working stages; prints the .proc text)");
            return ExitCode::from(2);
        }
    };
    let text = generate::process(n);
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        eprintln!("generate: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
