//! Bad input never panics, hangs or overflows the stack: every fixture and
//! example, truncated and with bytes flipped, goes through check, build
//! and fmt; hostile inputs get diagnostics; and what fuzzing found
//! (`tests/fixtures/fuzz`, see docs/fuzzing.md) stays fixed.

mod common;

use common::*;

// The generator's deterministic xorshift, so a failure can be reproduced.
#[path = "../benches/support/generate.rs"]
#[allow(dead_code)]
mod generate;

use generate::Rng;

/// Everything procdef does with a file, none of which may panic.
fn exercise(bytes: &[u8]) {
    let compiled = procdef::compile(bytes);
    let _ = procdef::report::human(
        "f.proc",
        &compiled.text,
        &compiled.diagnostics,
        procdef::report::HumanStyle { color: false, width: 80, lang: procdef::Lang::En },
    );
    let _ = procdef::report::json("f.proc", &compiled.text, &compiled.diagnostics);
    if let (Some(model), false) = (&compiled.model, compiled.has_errors()) {
        let _ = procdef::emit::outputs(model, compiled.analysis.as_ref(), "f.proc", &compiled.text);
    }
    let _ = procdef::fmt::format_file(bytes);
}

fn all_inputs() -> Vec<Vec<u8>> {
    let mut files: Vec<_> = ["checks", "conformance", "fmt", "fuzz"].iter().flat_map(|f| fixtures(f)).collect();
    files.extend(examples());
    files.push(root().join("examples/broken/mistakes.proc"));
    files.iter().map(|p| std::fs::read(p).expect("readable")).collect()
}

#[test]
fn truncated_and_mutated_fixtures_never_panic() {
    let mut rng = Rng(0x5EED);
    let mut runs = 0;
    for original in all_inputs() {
        exercise(&original);
        for _ in 0..12 {
            let mut bytes = original.clone();
            let cut = (rng.next() as usize) % (bytes.len() + 1);
            bytes.truncate(cut);
            exercise(&bytes);
            let mut flipped = original.clone();
            for _ in 0..1 + rng.next() % 4 {
                if flipped.is_empty() {
                    break;
                }
                let at = (rng.next() as usize) % flipped.len();
                flipped[at] = match rng.next() % 4 {
                    0 => 0,
                    1 => b'"',
                    2 => b'{',
                    _ => (rng.next() & 0xFF) as u8,
                };
            }
            exercise(&flipped);
            runs += 2;
        }
    }
    assert!(runs > 1000, "{runs}");
}

#[test]
fn hostile_inputs_get_diagnostics() {
    let valid = "process p {\n  role rep\n  stage a { entry owner rep instruct rep { \"x\" } -> won }\n  stage won { outcome won }\n}\n";
    // A very long line and a 1 MB string.
    let long_line = valid.replace("\"x\"", &format!("\"{}\"", "y".repeat(1_000_000)));
    assert!(procdef::compile(long_line.as_bytes()).diagnostics.is_empty());
    // NUL bytes and random bytes.
    let nul = valid.replace("role rep", "role rep\0");
    assert_eq!(actual_codes(&procdef::compile(nul.as_bytes()).diagnostics), ["P001"]);
    let mut rng = Rng(42);
    let noise: Vec<u8> = (0..100_000).map(|_| (rng.next() & 0xFF) as u8).collect();
    assert_eq!(actual_codes(&procdef::compile(&noise).diagnostics), ["P003"]);
    let ascii_noise: Vec<u8> = noise.iter().map(|b| b % 95 + 32).collect();
    let d = procdef::compile(&ascii_noise).diagnostics;
    assert_eq!(d.len(), 1, "one syntax diagnostic");
    // Mixed line ends.
    let mixed = valid.replace("\n  stage a", "\r\n  stage a").replace("\n  stage won", "\r  stage won");
    let c = procdef::compile(mixed.as_bytes());
    assert!(c.diagnostics.is_empty(), "{}", render("mixed.proc", &c));
    // Deep nesting of braces is a syntax error, not a stack overflow.
    let deep = format!("process p {{ {} }}", "{".repeat(100_000));
    assert_eq!(actual_codes(&procdef::compile(deep.as_bytes()).diagnostics), ["P001"]);
}

#[test]
fn thousands_of_diagnostics_are_capped_in_the_report() {
    let mut text =
        String::from("process p {\n  role rep\n  stage a { entry owner rep instruct rep { \"x\" } -> won }\n");
    for i in 0..3000 {
        text.push_str(&format!("  stage s{i} {{ owner rep instruct rep {{ \"x\" }} -> missing{i} }}\n"));
    }
    text.push_str("  stage won { outcome won }\n}\n");
    let compiled = procdef::compile(text.as_bytes());
    assert_eq!(compiled.diagnostics.len(), 3000);
    let human = procdef::report::human(
        "f.proc",
        &compiled.text,
        &compiled.diagnostics,
        procdef::report::HumanStyle { color: false, width: 80, lang: procdef::Lang::En },
    );
    assert!(human.contains("and 2900 more diagnostics not shown"), "{}", &human[human.len().saturating_sub(300)..]);
    assert!(human.matches("P102(unknown-name)").count() == 100);
}

/// The inputs fuzzing found (`tests/fixtures/fuzz`) get the codes their
/// `# expect:` line names, and a sound one builds to a few megabytes at
/// most: a small file can no longer make hundreds of megabytes of output.
#[test]
fn fuzz_findings_get_their_codes_and_small_outputs() {
    let files = fixtures("fuzz");
    assert!(files.len() >= 3);
    for path in files {
        let bytes = std::fs::read(&path).expect("readable");
        let compiled = procdef::compile(&bytes);
        assert_eq!(
            actual_codes(&compiled.diagnostics),
            expected_codes(&bytes),
            "{}\n{}",
            path.display(),
            render(&name(&path), &compiled)
        );
        if let (Some(model), false) = (&compiled.model, compiled.has_errors()) {
            let outputs = procdef::emit::outputs(model, compiled.analysis.as_ref(), "f.proc", &compiled.text);
            let size: usize = outputs.iter().map(|o| o.contents.len()).sum();
            assert!(size < 16_000_000, "{}: {size} bytes of output", path.display());
        }
    }
}

/// Suggestions for unknown names stay cheap when there are thousands of
/// them: the first get the closest declared name, the rest only a name that
/// differs in case, `_` or `-`, so the check does not turn quadratic.
#[test]
fn thousands_of_misspelt_names_get_bounded_suggestions() {
    let n = 2_000;
    let mut text = String::from("process p {\n  role rep\n");
    for i in 0..n {
        let entry = if i == 0 { "entry " } else { "" };
        // Every target misspelt; the last one only in letter case.
        let target = if i + 1 == n { format!("Stage_{}", i + 1) } else { format!("stagee_{}", i + 1) };
        text.push_str(&format!(
            "  stage stage_{i} {{ {entry}owner rep instruct rep {{ \"x\" }} -> {target} 50% -> won }}\n"
        ));
    }
    text.push_str(&format!("  stage stage_{n} {{ owner rep instruct rep {{ \"x\" }} -> won }}\n"));
    text.push_str("  stage won { outcome won }\n}\n");
    let compiled = procdef::compile(text.as_bytes());
    let unknown: Vec<_> = compiled.diagnostics.iter().filter(|d| d.code.as_str() == "P102").collect();
    assert_eq!(unknown.len(), n);
    let help = |i: usize| unknown[i].help.clone().unwrap_or_default();
    assert_eq!(help(0), "did you mean `stage_1`?");
    assert!(!help(n - 2).contains("did you mean"), "past the budget: {}", help(n - 2));
    assert_eq!(help(n - 1), format!("did you mean `stage_{n}`?"));
}

/// A process whose every stage can send the client back to the start is one
/// strongly connected component of thousands of stages: it is solved by
/// iteration, not by a dense matrix of millions of entries.
#[test]
fn a_process_that_loops_back_everywhere_is_analysed() {
    let n = 5_000;
    let mut text = String::from("process p {\n  role rep\n");
    for i in 0..n {
        let entry = if i == 0 { "entry " } else { "" };
        let next = i + 1;
        text.push_str(&format!(
            "  stage s{i} {{ {entry}owner rep instruct rep {{ \"x\" }} -> s{next} 90% -> s0 5% loop -> lost }}\n"
        ));
    }
    text.push_str(&format!("  stage s{n} {{ owner rep instruct rep {{ \"x\" }} -> won }}\n"));
    text.push_str("  stage won { outcome won }\n  stage lost { outcome lost }\n}\n");
    let compiled = procdef::compile(text.as_bytes());
    assert!(compiled.diagnostics.is_empty(), "{:?}", compiled.diagnostics.first());
    let analysis = compiled.analysis.expect("the funnel is analysed");
    let visits = analysis.stages[0].expected_visits;
    // A client returns to the start with probability Σ 0.9^i × 5% = 0.5
    // (to within 0.9^5000), so the start is visited 1 / (1 − 0.5) = 2 times.
    assert!((visits - 2.0).abs() < 1e-9, "{visits}");
}
