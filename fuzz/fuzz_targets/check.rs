//! `procdef check`: compile any bytes and render the diagnostics in every
//! format. Nothing may panic, hang or overflow the stack; every span lies
//! inside the text on character boundaries; every report serializes.
//!
//! Kept cheap, so that millions of inputs fit in an hour: the human report
//! is rendered once per input, in colour at 40 columns or plain at 80 as
//! the input's length is odd or even, and the JSON and SARIF reports are
//! serialized into a sink instead of being written out and parsed back
//! (typed structs always serialize to valid JSON; what is checked is that
//! serializing them never fails or panics).
#![no_main]

use libfuzzer_sys::fuzz_target;
use procdef::report::{self, HumanStyle};
use procdef::sarif::{self, FileDiagnostics};
use procdef::span::Span;

fn assert_inside(text: &str, span: Span, what: &dyn std::fmt::Debug) {
    assert!(span.start <= span.end && span.end <= text.len(), "{what:?}: span outside the text");
    assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "{what:?}: span splits a character");
}

fuzz_target!(|data: &[u8]| {
    // Every third input gets its diagnostics in Russian.
    let lang = (data.len() % 3 == 0).then_some(procdef::Lang::Ru);
    let compiled = procdef::compile_with(data, &procdef::Options { lang });
    for d in compiled.diagnostics.iter().chain(&compiled.silenced) {
        assert_inside(&compiled.text, d.span, d);
        for r in &d.related {
            assert_inside(&compiled.text, r.span, d);
        }
    }
    let file = "fuzz.proc";
    let style = if data.len() % 2 == 1 {
        HumanStyle { color: true, width: 40, lang: compiled.lang }
    } else {
        HumanStyle { color: false, width: 80, lang: compiled.lang }
    };
    let _ = report::human(file, &compiled.text, &compiled.diagnostics, style);
    let json = report::json(file, &compiled.text, &compiled.diagnostics);
    assert_eq!(json.len(), compiled.diagnostics.len());
    serde_json::to_writer(std::io::sink(), &json).expect("the JSON report serializes");
    let _ = report::github(file, &compiled.text, &compiled.diagnostics);
    let log = sarif::log(&[FileDiagnostics { file, text: &compiled.text, diagnostics: &compiled.diagnostics }]);
    serde_json::to_writer(std::io::sink(), &log).expect("the SARIF log serializes");
});
