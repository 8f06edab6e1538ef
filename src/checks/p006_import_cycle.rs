//! Reports a chain of `use` that comes back to a file already on it, at the
//! `use` that closes the chain, and shows the chain: `a.proc -> b.proc ->
//! a.proc`.
//!
//! **Why it matters.** A library that uses, through others, the file that
//! uses it has no first file to read; whatever the two share belongs in
//! one library that both use. A library reached twice by different paths
//! is not a cycle: it is read once. As with P005, a process with a P006
//! gets only the diagnostics of reading its files.
//!
//! **Wrong:** each library uses the other.
//!
//! `roles.proc`:
//!
//! ```proc
//! library roles {
//!   use "heads.proc"
//!   role rep { reports to head }
//! }
//! ```
//!
//! `heads.proc`:
//!
//! ```proc
//! library heads {
//!   use "roles.proc"
//!   role head
//! }
//! ```
//!
//! **Right:** `heads.proc` needs nothing from `roles.proc`; without that
//! `use` the chain runs one way.
//!
//! `roles.proc`:
//!
//! ```proc
//! library roles {
//!   use "heads.proc"
//!   role rep { reports to head }
//! }
//! ```
//!
//! `heads.proc`:
//!
//! ```proc
//! library heads {
//!   role head
//! }
//! ```

// Found while reading the files a process uses: see `crate::syntax`.
