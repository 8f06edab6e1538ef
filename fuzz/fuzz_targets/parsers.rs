//! The parser and the pest grammar agree: both reject the text, or both
//! accept it with the same tree and the same diagnostics. And on any text
//! the lexer keeps every byte and the parser returns.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let joined: String = procdef::syntax::lexer::tokens(text).iter().map(|t| t.text(text)).collect();
    assert_eq!(joined, text, "the lexer lost or doubled bytes");
    let parsed = procdef::syntax::parse(text);
    for d in &parsed.diagnostics {
        assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end.min(text.len())));
    }
    if let Err(difference) = procdef::syntax::parsers_agree(text) {
        panic!("the parsers disagree: {difference}");
    }
});
