//! `procdef fmt`: format any bytes. When the formatter returns a layout,
//! formatting it again changes nothing, and it compiles to the same
//! diagnostics as the original: the same codes with the same messages
//! (which name what they are about), both among those reported and among
//! those an `# allow(…)` comment silences.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// The diagnostics of a text, sorted: reported, then silenced.
fn diagnostics(bytes: &[u8]) -> [Vec<(&'static str, String)>; 2] {
    let compiled = procdef::compile(bytes);
    let list = |ds: &[procdef::diagnostics::Diagnostic]| {
        let mut list: Vec<(&'static str, String)> = ds.iter().map(|d| (d.code.as_str(), d.message.clone())).collect();
        list.sort();
        list
    };
    [list(&compiled.diagnostics), list(&compiled.silenced)]
}

fuzz_target!(|data: &[u8]| {
    let Ok(formatted) = procdef::fmt::format_file(data) else {
        return;
    };
    let again = procdef::fmt::format_file(&formatted).expect("formatted text parses");
    assert!(
        again == formatted,
        "not idempotent:\n--- once\n{}\n--- twice\n{}",
        String::from_utf8_lossy(&formatted),
        String::from_utf8_lossy(&again)
    );
    assert_eq!(
        diagnostics(data),
        diagnostics(&formatted),
        "formatting changed the diagnostics of:\n{}",
        String::from_utf8_lossy(&formatted)
    );
});
