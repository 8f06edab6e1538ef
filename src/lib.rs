//! procdef: a compiler and validator for sales processes written in the
//! `.proc` language.
//!
//! The library does no I/O: it takes source text and returns a model,
//! diagnostics and rendered outputs. The `procdef` binary owns files, the
//! terminal and exit codes.

pub mod ast;
pub mod diagnostics;
pub mod span;
pub mod syntax;
pub mod model;
