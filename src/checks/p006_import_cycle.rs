//! Reports a chain of `use` that comes back to a file already on it, at
//! the `use` that closes the chain, and shows the chain.
//!
//! **Why it matters.** A library that, directly or through others, uses a
//! file that uses it has no beginning: neither can be read first. A
//! library reached twice by different paths is fine, and is read once.
//!
//! **Wrong:** two libraries that use each other. In `roles.proc`:
//!
//! ```text
//! library roles { use "segments.proc" role rep }
//! ```
//!
//! and in `segments.proc`:
//!
//! ```text
//! library segments { use "roles.proc" segment retail }
//! ```
//!
//! A process using `roles.proc` gets P006 at the `use "roles.proc"` of
//! `segments.proc`: `roles.proc -> segments.proc -> roles.proc`.
//!
//! **Right:** only one of them uses the other (or both are used by the
//! process). A library on its own, with no `use`:
//!
//! ```proc
//! library roles {
//!   role rep "Sales representative"
//!   segment retail
//! }
//! ```

// Found while reading the files: see `crate::project`.
