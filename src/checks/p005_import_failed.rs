//! Reports a `use` that cannot be followed: the path is absolute, leaves
//! the project's root folder, names no file or one that cannot be read,
//! or names a file that holds a process instead of a library.
//!
//! **Why it matters.** A process that uses a library takes its roles,
//! segments and products from it. Without the library every name it
//! provides would be unknown, so procdef reports the `use` itself, says
//! which of the reasons it is, and checks nothing further in the process.
//!
//! A path is relative to the file that holds the `use` and separates
//! folders with `/` on every system. The root folder is the folder of the
//! nearest `procdef.toml` above the file checked, or else that file's
//! folder; `..` and symbolic links are resolved before the path is
//! compared with it. A used file that has errors of its own (P001–P004)
//! gets them in that file instead.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   use "/home/anna/roles.proc"
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won }
//!   stage won { outcome won }
//! }
//! ```
//!
//! **Right:** `use "common/roles.proc"`, with the library in the folder
//! `common` beside the process, or the roles in the process itself:
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won }
//!   stage won { outcome won }
//! }
//! ```

// Found while reading the files: see `crate::project`.
