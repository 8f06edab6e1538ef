//! Reports a `use` whose file cannot be read as a library: the path is
//! absolute, leaves the project's root, names a file that is missing or
//! cannot be read, or names a file that holds a `process` rather than a
//! `library`. The diagnostic points at the path's string and says which of
//! these it is.
//!
//! **Why it matters.** The declarations a process takes from a library
//! (roles, segments, products) are missing without it, so every name from
//! it would be unknown. A process with a P005 therefore gets only the
//! diagnostics of reading its files and no later check, so one broken `use`
//! is one diagnostic, not a wall of P102. A used file that is there but does
//! not parse gets its own P001–P004, in that file, and not also a P005. The
//! root is the folder of the nearest `procdef.toml` above the file given on
//! the command line, else that file's folder; paths use `/` on every
//! system, relative to the file that holds the `use`.
//!
//! **Wrong:** `sales.proc` uses a file that is not there (the library is
//! `common/roles.proc`), and one outside the root.
//!
//! `sales.proc`:
//!
//! ```proc
//! process sales {
//!   use "common/role.proc"
//!   use "../other/roles.proc"
//!   stage a { entry owner rep instruct rep { "Call" } -> won }
//!   stage won { outcome won }
//! }
//! ```
//!
//! `common/roles.proc`:
//!
//! ```proc
//! library roles {
//!   role rep
//! }
//! ```
//!
//! **Right:** the path names the library, relative to `sales.proc`.
//!
//! `sales.proc`:
//!
//! ```proc
//! process sales {
//!   use "common/roles.proc"
//!   stage a { entry owner rep instruct rep { "Call" } -> won }
//!   stage won { outcome won }
//! }
//! ```
//!
//! `common/roles.proc`:
//!
//! ```proc
//! library roles {
//!   role rep
//! }
//! ```

// Found while reading the files a process uses: see `crate::syntax`.
