//! `procdef fmt`: format any bytes. When the formatter returns a layout,
//! formatting it again changes nothing, and it compiles to the same
//! diagnostic codes as the original.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn codes(bytes: &[u8]) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = procdef::compile(bytes).diagnostics.iter().map(|d| d.code.as_str()).collect();
    codes.sort_unstable();
    codes
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
    assert_eq!(codes(data), codes(&formatted), "formatting changed the diagnostics of:\n{}", String::from_utf8_lossy(&formatted));
});
