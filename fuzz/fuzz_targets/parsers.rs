//! The fast hand-written parser and the pest grammar agree: both reject the
//! text, or both accept it with the same tree and the same diagnostics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(difference) = procdef::syntax::parsers_agree(text) {
        panic!("the parsers disagree: {difference}");
    }
});
