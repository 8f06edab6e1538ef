//! `procdef build` (and `graph`, `funnel`, `export`): compile any bytes
//! and, when the process has no errors (reported or silenced), make every
//! output. Emitters never fail on a valid model; the output paths are
//! safe and distinct even on a case-insensitive file system (under full
//! Unicode case folding and NFKC, not only `to_lowercase`); the JSON
//! outputs are JSON; the calendar's dates are RFC 5545 dates.
#![no_main]

use libfuzzer_sys::fuzz_target;
use procdef::diagnostics::Severity;
use procdef::emit::{self, crm, dot, funnel_table, json, mermaid, Options, Output};
use procdef::model::RoleId;

fn assert_sound(outputs: &[Output]) {
    let mut seen = std::collections::HashSet::new();
    for o in outputs {
        // Two paths with one key are one file on NTFS or APFS.
        assert!(seen.insert(emit::files::fold_key(&o.path)), "two outputs at {} on a case-insensitive file system", o.path);
        for part in o.path.split('/') {
            assert!(!part.is_empty() && part != "." && part != "..", "unsafe path {}", o.path);
            assert!(!part.contains(['\\', ':', '\0']), "unsafe path {}", o.path);
        }
        if o.path.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&o.contents).unwrap_or_else(|e| panic!("{} is not JSON: {e}", o.path));
        }
        if o.path.ends_with(".ics") {
            for line in o.contents.split("\r\n") {
                if let Some((name, value)) = line.split_once(':')
                    && (name.starts_with("DTSTART") || name.starts_with("DTEND"))
                {
                    assert!(value.len() == 8 && value.bytes().all(|b| b.is_ascii_digit()), "not an RFC 5545 date: {line}");
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let compiled = procdef::compile(data);
    let sound = !compiled.diagnostics.iter().chain(&compiled.silenced).any(|d| d.severity == Severity::Error);
    let (Some(model), Some(graph), true) = (&compiled.model, &compiled.graph, sound) else {
        return;
    };
    let analysis = compiled.analysis.as_ref();
    let file = "fuzz.proc";
    let all = emit::outputs(model, analysis, file, &compiled.text);
    assert_sound(&all);

    // `--segment`: the first segment or product, and one that does not exist.
    let first = model.segments.first().map(|s| s.id.clone()).or_else(|| model.products.first().map(|p| p.id.clone()));
    if let Some(id) = first {
        let options = Options { segment: Some(id), templates: Vec::new(), libraries: Vec::new() };
        let some = emit::outputs_with(model, graph, analysis, file, &compiled.text, &options).expect("a declared segment or product is found");
        assert_sound(&some);
    }
    let options = Options { segment: Some("no such segment".into()), templates: Vec::new(), libraries: Vec::new() };
    assert!(emit::outputs_with(model, graph, analysis, file, &compiled.text, &options).is_err());

    // `graph`, with and without a highlighted role.
    let words = procdef::i18n::Words::new(model.language);
    let highlight = (!model.roles.is_empty()).then_some(RoleId(0));
    for role in [None, highlight] {
        let _ = mermaid::flowchart(model, graph, &words, role);
        let _ = dot::digraph(model, graph, &words, role);
    }

    // `funnel` and `export`.
    let analysis_json = json::render_analysis(&json::analysis_json(model, analysis));
    serde_json::from_str::<serde_json::Value>(&analysis_json).expect("the analysis is JSON");
    if let Some(analysis) = analysis {
        let _ = funnel_table::text(model, graph, analysis);
        for to in [crm::Crm::Hubspot, crm::Crm::Pipedrive, crm::Crm::Salesforce] {
            let export = crm::export(model, analysis, to);
            serde_json::from_str::<serde_json::Value>(&export).unwrap_or_else(|e| panic!("the {} export is not JSON: {e}", to.name()));
        }
    }
});
