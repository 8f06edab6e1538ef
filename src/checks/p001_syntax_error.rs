//! Reports text that does not follow the language's grammar.
//!
//! **Why it matters.** procdef cannot read anything past the point where the
//! text stops making sense, so it reports that place and what may come
//! there, and runs no other check on the file. The message names what was
//! expected in plain words, e.g. "expected a stage property such as
//! `owner`, `->` or `}`". Text in quotes that is not closed on its line is
//! also a syntax error. Characters that pasted text brings along are named
//! for what they are: a no-break space, an invisible zero-width space,
//! typographic quotes around text, a dash in `–>`.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } goto won }
//!   stage won { outcome won }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep instruct rep { "Call" } -> won }
//!   stage won { outcome won }
//! }
//! ```

// Found by the parser: see `crate::syntax::expected`.
