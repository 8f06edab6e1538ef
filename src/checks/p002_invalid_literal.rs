//! Reports a value that is written in the right place but cannot be right:
//! an unknown escape in a text, a percentage over 100%, a zero or negative
//! duration, an unknown unit or currency, an impossible date, a rollout
//! `length` over ten years.
//!
//! **Why it matters.** Every later number (probabilities, time limits, the
//! plan) is computed from these values. A rejected value counts as absent
//! for every later check, so one mistake gives one diagnostic.
//!
//! **Wrong:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep within 0min instruct rep { "Call" } -> won 120% }
//!   stage won { outcome won }
//! }
//! ```
//!
//! **Right:**
//!
//! ```proc
//! process p {
//!   role rep
//!   stage a { entry owner rep within 2h instruct rep { "Call" } -> won }
//!   stage won { outcome won }
//! }
//! ```

// Found while reading literals: see `crate::syntax::literal`.
