//! `procdef fmt`: format any bytes. When the formatter returns a layout,
//! formatting it again changes nothing, and it compiles to the same
//! diagnostics as the original: the same codes among those reported, and
//! among those an `# allow(…)` comment silences the same codes with the
//! same messages (which name the declaration they are about).
#![no_main]

use libfuzzer_sys::fuzz_target;

/// The codes of the reported diagnostics and the codes and messages of the
/// silenced ones, sorted.
fn diagnostics(bytes: &[u8]) -> (Vec<&'static str>, Vec<(&'static str, String)>) {
    let compiled = procdef::compile(bytes);
    let mut reported: Vec<&'static str> = compiled.diagnostics.iter().map(|d| d.code.as_str()).collect();
    reported.sort_unstable();
    let mut silenced: Vec<(&'static str, String)> =
        compiled.silenced.iter().map(|d| (d.code.as_str(), d.message.clone())).collect();
    silenced.sort();
    (reported, silenced)
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
