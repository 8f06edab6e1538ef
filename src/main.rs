//! The `procdef` command line.

use std::alloc::{GlobalAlloc, Layout};

/// mimalloc: checking a large process makes millions of small allocations,
/// which it serves markedly faster than the system allocator (see
/// docs/performance.md). When memory runs out, procdef stops with a
/// message and exit code 2 ([`OutOfMemory`]) instead of aborting.
#[global_allocator]
static ALLOCATOR: OutOfMemory<mimalloc::MiMalloc> = OutOfMemory(mimalloc::MiMalloc);

/// An allocator that ends the process cleanly when the one it wraps has no
/// memory left: it writes a fixed message to standard error and exits with
/// code 2, the code of "the tool could not run". Without it Rust prints
/// "memory allocation failed" and aborts (exit code 134, a core dump).
struct OutOfMemory<A>(A);

/// What is printed when memory runs out.
const OUT_OF_MEMORY: &[u8] = b"procdef: out of memory; the input is too large for the memory available \
(see --max-file-size, and docs/performance.md for what a process of a given size needs)\n";

#[cold]
#[cfg(unix)]
fn out_of_memory() -> ! {
    #[allow(unsafe_code)]
    // SAFETY: write(2) is given a pointer to and the length of a static
    // byte string, and _exit(2) takes no pointer; neither allocates, so
    // both are sound here, inside the allocator. _exit skips destructors
    // and atexit handlers, which might allocate. A short write only cuts
    // the message.
    unsafe {
        let _ = libc::write(libc::STDERR_FILENO, OUT_OF_MEMORY.as_ptr().cast(), OUT_OF_MEMORY.len());
        libc::_exit(2)
    }
}

/// Elsewhere, the message goes through the standard library's unbuffered
/// standard error, and the process exits without unwinding.
#[cold]
#[cfg(not(unix))]
fn out_of_memory() -> ! {
    use std::io::Write;
    let _ = std::io::stderr().write_all(OUT_OF_MEMORY);
    std::process::exit(2)
}

#[allow(unsafe_code)]
// SAFETY: every method forwards to the wrapped allocator with the caller's
// arguments unchanged, so it keeps that allocator's guarantees; the only
// addition is that a null result (out of memory) never returns.
unsafe impl<A: GlobalAlloc> GlobalAlloc for OutOfMemory<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is; the caller upholds `alloc`'s contract.
        let p = unsafe { self.0.alloc(layout) };
        if p.is_null() {
            out_of_memory();
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { self.0.alloc_zeroed(layout) };
        if p.is_null() {
            out_of_memory();
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller passes a pointer this allocator (the wrapped
        // one) gave out, with its layout.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`, and the caller upholds `realloc`'s
        // contract on `new_size`.
        let p = unsafe { self.0.realloc(ptr, layout, new_size) };
        if p.is_null() {
            out_of_memory();
        }
        p
    }
}

fn main() -> std::process::ExitCode {
    procdef_cli::main()
}

#[path = "cli/mod.rs"]
mod procdef_cli;
