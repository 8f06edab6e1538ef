//! The `procdef` command line.

/// mimalloc: checking a large process makes millions of small allocations,
/// which it serves markedly faster than the system allocator (see
/// docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    procdef_cli::main()
}

#[path = "cli/mod.rs"]
mod procdef_cli;
