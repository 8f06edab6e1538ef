//! `process.schema.json` is strict: it compiles in strict validators (no
//! formats they do not know), accepts every `process.json` procdef writes,
//! and rejects what OUTPUTS.md rules out.

mod common;
#[path = "../benches/support/generate.rs"]
mod generate;

use common::*;
use serde_json::Value;

fn schema() -> Value {
    serde_json::from_str(&procdef::emit::json::schema()).expect("schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::options().should_validate_formats(true).build(&schema()).expect("a valid JSON Schema")
}

/// The `process.json` of a file, when it compiles to a model.
fn process_json(path: &std::path::Path) -> Option<Value> {
    let bytes = std::fs::read(path).expect("readable");
    let compiled = procdef::compile(&bytes);
    let model = compiled.model.as_ref()?;
    let doc =
        procdef::emit::json::document(model, compiled.analysis.as_ref(), &path.display().to_string(), &compiled.text);
    Some(serde_json::from_str(&procdef::emit::json::render(&doc)).expect("process.json is JSON"))
}

fn errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator.iter_errors(value).map(|e| format!("{e} at {}", e.instance_path())).collect()
}

#[test]
fn every_process_json_procdef_writes_is_valid() {
    let validator = validator();
    let mut checked = 0;
    for path in examples().into_iter().chain(fixtures("checks")).chain(fixtures("conformance")) {
        let Some(value) = process_json(&path) else { continue };
        let errors = errors(&validator, &value);
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        checked += 1;
    }
    assert!(checked > 40, "only {checked} files had a model");
}

/// Applies one change of `tests/fixtures/schema/invalid.json`.
fn changed(base: &Value, change: &Value) -> Value {
    let mut value = base.clone();
    let (pointer, new) = match (change["set"].as_str(), change["remove"].as_str()) {
        (Some(p), None) => (p, Some(change["value"].clone())),
        (None, Some(p)) => (p, None),
        _ => panic!("a change sets or removes: {change}"),
    };
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    let parent = value.pointer_mut(parent).unwrap_or_else(|| panic!("{pointer}: no such parent"));
    match (parent, new) {
        (Value::Object(map), Some(new)) => {
            map.insert(key.to_string(), new);
        }
        (Value::Object(map), None) => {
            assert!(map.remove(key).is_some(), "{pointer}: nothing to remove");
        }
        (Value::Array(items), Some(new)) => {
            let i: usize = key.parse().expect("an index");
            *items.get_mut(i).unwrap_or_else(|| panic!("{pointer}: no such item")) = new;
        }
        (other, _) => panic!("{pointer}: cannot change {other}"),
    }
    value
}

#[test]
fn what_outputs_md_rules_out_is_rejected() {
    let validator = validator();
    let base = process_json(&root().join("examples/sales-process.proc")).expect("the example compiles");
    assert!(errors(&validator, &base).is_empty());
    let text = std::fs::read_to_string(root().join("tests/fixtures/schema/invalid.json")).expect("fixture");
    let changes: Vec<Value> = serde_json::from_str(&text).expect("fixture is JSON");
    assert!(changes.len() >= 20);
    for change in &changes {
        let value = changed(&base, change);
        assert_ne!(value, base, "{change}: changed nothing");
        assert!(!validator.is_valid(&value), "accepted {}: {change}", change["why"]);
    }
}

/// Walks every subschema with its JSON Pointer.
fn walk<'a>(schema: &'a Value, at: String, out: &mut Vec<(String, &'a serde_json::Map<String, Value>)>) {
    match schema {
        Value::Object(map) => {
            out.push((at.clone(), map));
            for (k, v) in map {
                walk(v, format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn has_type(schema: &serde_json::Map<String, Value>, wanted: &str) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == wanted,
        Some(Value::Array(ts)) => ts.iter().any(|t| t == wanted),
        _ => false,
    }
}

/// What Ajv's strict mode and the contract ask of the schema itself.
#[test]
fn the_schema_is_strict() {
    let schema = schema();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(schema["properties"]["schema"]["const"], "procdef/1");
    let mut all = Vec::new();
    walk(&schema, String::new(), &mut all);
    let mut objects = 0;
    for (at, s) in &all {
        if let Some(format) = s.get("format").and_then(Value::as_str) {
            assert!(procdef::emit::json::STANDARD_FORMATS.contains(&format), "{at}: format {format:?}");
        }
        if has_type(s, "object") || s.contains_key("properties") {
            objects += 1;
            assert_eq!(s.get("additionalProperties"), Some(&Value::Bool(false)), "{at}: unknown keys allowed");
            let properties = s["properties"].as_object().expect("properties");
            let mut required: Vec<&str> =
                s["required"].as_array().expect("required").iter().filter_map(Value::as_str).collect();
            required.sort();
            let mut names: Vec<&str> = properties.keys().map(String::as_str).collect();
            names.sort();
            assert_eq!(required, names, "{at}: every field is always written");
        }
        // Every number has a range, but a metric target's value, which
        // may be any number.
        if (has_type(s, "number") || has_type(s, "integer")) && !at.ends_with("/TargetJson/properties/value") {
            assert!(s.contains_key("minimum") || s.contains_key("exclusiveMinimum"), "{at}: no lower bound");
        }
        // Words from a fixed set are enumerations.
        if s.contains_key("enum") {
            assert!(s["enum"].as_array().is_some_and(|e| !e.is_empty()), "{at}");
        }
    }
    assert!(objects >= 25, "{objects} object schemas");
    // The fields OUTPUTS.md gives a fixed set of values.
    let defs = &schema["$defs"];
    for (def, values) in [
        ("OutcomeJson", &["won", "lost"][..]),
        ("EntryKindJson", &["active", "passive"]),
        ("PeriodJson", &["day", "week", "month"]),
        ("LanguageJson", &["en", "ru"]),
        ("TargetOpJson", &[">=", "<="]),
    ] {
        let found: Vec<&str> =
            defs[def]["enum"].as_array().map_or_else(Vec::new, |e| e.iter().filter_map(Value::as_str).collect());
        assert_eq!(found, values, "{def}: {}", defs[def]);
    }
    // Fractions are between 0 and 1.
    for pointer in [
        "/$defs/TransitionJson/properties/probability",
        "/$defs/EntryJson/properties/share",
        "/$defs/SegmentJson/properties/share",
        "/$defs/AnalysisJson/properties/new_client_win_probability",
        "/$defs/StageAnalysisJson/properties/win_probability",
    ] {
        let s = schema.pointer(pointer).unwrap_or_else(|| panic!("{pointer}"));
        assert_eq!((s["minimum"].as_f64(), s["maximum"].as_f64()), (Some(0.0), Some(1.0)), "{pointer}: {s}");
    }
}

/// A process whose `n` entries split new clients evenly: `1/n` added `n`
/// times is a hair above 1 for some `n` (9, 11, 18, …).
fn even_entries(n: usize) -> String {
    let mut text = String::from("process p {\n  role rep\n");
    for i in 0..n {
        text.push_str(&format!("  stage e{i} {{ entry owner rep instruct rep {{ \"x\" }} -> won }}\n"));
    }
    text.push_str("  stage won { outcome won }\n}\n");
    text
}

#[test]
fn rounding_never_puts_a_fraction_outside_0_to_1() {
    let validator = validator();
    for n in 1..=40 {
        let compiled = procdef::compile(even_entries(n).as_bytes());
        assert!(!compiled.has_errors(), "{}", render("p.proc", &compiled));
        let model = compiled.model.as_ref().expect("a model");
        let doc = procdef::emit::json::document(model, compiled.analysis.as_ref(), "p.proc", &compiled.text);
        let value: Value = serde_json::from_str(&procdef::emit::json::render(&doc)).expect("JSON");
        let errors = errors(&validator, &value);
        assert!(errors.is_empty(), "{n} entries: {errors:#?}");
        let p = value["analysis"]["new_client_win_probability"].as_f64().expect("a probability");
        assert!((p - 1.0).abs() < 1e-9, "{n} entries: {p}");
    }
}

/// The benchmark's generated processes: long loops, many roles, metrics.
#[test]
fn generated_processes_give_valid_process_json() {
    let validator = validator();
    for n in [10, 100, 2000] {
        let compiled = procdef::compile(generate::process(n).as_bytes());
        let model = compiled.model.as_ref().expect("a model");
        assert!(compiled.analysis.is_some(), "{n}: no analysis");
        let doc = procdef::emit::json::document(model, compiled.analysis.as_ref(), "g.proc", &compiled.text);
        let value: Value = serde_json::from_str(&procdef::emit::json::render(&doc)).expect("JSON");
        let errors = errors(&validator, &value);
        assert!(errors.is_empty(), "{n} stages: {:#?}", &errors[..errors.len().min(10)]);
    }
}
