//! Reports a file with no `process`, or with more than one.
//!
//! **Why it matters.** One file is one process: its manuals, its JSON and
//! its funnel. A file with none has nothing to compile; a file with two
//! would mix two processes' names and numbers.
//!
//! **Wrong:**
//!
//! ```proc
//! process a { role rep stage s { entry owner rep instruct rep { "Call" } -> won } stage won { outcome won } }
//! process b { role rep stage s { entry owner rep instruct rep { "Call" } -> won } stage won { outcome won } }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process a { role rep stage s { entry owner rep instruct rep { "Call" } -> won } stage won { outcome won } }
//! ```

// Found by the parser: see `crate::syntax::parse`.
