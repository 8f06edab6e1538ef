//! Reports a file that is not UTF-8 text, at the first invalid byte.
//!
//! **Why it matters.** Names and texts may be written in any script
//! (Cyrillic included), which only works when the file is UTF-8. A file
//! saved in another encoding (Windows-1251, say) would show garbled
//! manuals, so procdef stops and says which byte is wrong. A leading byte
//! order mark is fine.
//!
//! **Wrong:** a file saved as Windows-1251.
//!
//! **Right:** the same file saved as UTF-8.
//!
//! ```proc
//! process p {
//!   role менеджер
//!   stage a { entry owner менеджер instruct менеджер { "Позвонить" } -> won }
//!   stage won { outcome won }
//! }
//! ```

// Found while decoding: see `crate::syntax::decode`.
