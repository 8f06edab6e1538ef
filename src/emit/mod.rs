//! Emitters: everything written from a checked model. Emitters never fail
//! on a valid model.

pub mod words;
