//! CRM exports: snapshots of the examples' payloads, and each payload
//! checked against its CRM's own published schema, vendored in
//! `tests/crm/` (see `docs/crm.md` for where each came from).

mod common;
#[path = "crm/xsd.rs"]
mod xsd;

use common::*;
use procdef::emit::crm::salesforce::MetadataFile;
use procdef::emit::crm::{self, Crm};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

fn compiled(text: &str) -> procdef::Compiled {
    let c = procdef::compile(text.as_bytes());
    assert!(!c.has_errors(), "{}", render("p.proc", &c));
    c
}

fn export(c: &procdef::Compiled, to: Crm) -> String {
    crm::export(c.model.as_ref().expect("a model"), c.analysis.as_ref().expect("a funnel model"), to)
}

fn json(c: &procdef::Compiled, to: Crm) -> Value {
    serde_json::from_str(&export(c, to)).expect("the export is JSON")
}

/// The payloads of an export: one, or an array of them (a second
/// pipeline for the stages after the sale).
fn bodies(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(all) => all.clone(),
        one => vec![one.clone()],
    }
}

/// The contract's example of §6.1: `contract` is the sale, `delivery` comes
/// after it and loops back to `offer` 30% of the time.
const SALE: &str = include_str!("fixtures/conformance/v11_sale_and_effort.proc");

fn file_name(crm: Crm) -> &'static str {
    match crm {
        Crm::Hubspot => "hubspot",
        Crm::Pipedrive => "pipedrive",
        Crm::Salesforce => "salesforce",
    }
}

#[test]
fn example_exports_match_their_snapshots() {
    for path in examples() {
        let c = compiled(&std::fs::read_to_string(&path).expect("readable"));
        for crm in Crm::ALL {
            let snapshot = format!("{}__{}.json", name(&path), file_name(*crm));
            let text = export(&c, *crm);
            assert_eq!(text, export(&c, *crm), "deterministic");
            insta::with_settings!({ snapshot_path => "snapshots/export", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(snapshot, text);
            });
        }
    }
}

/// Stages `a` (entry) → `b` (rework loop) → outcomes; the model gives
/// win(a) = 10/19 ≈ 52.6%, win(b) = 25/38 ≈ 65.8%.
const PROCESS: &str = r#"
process p "Projects" {
  role rep
  stage a "Offer" { entry owner rep within 36h instruct rep { "Send the offer" within 1d } exit "Offer sent" -> b 80% -> lost }
  stage b "Talks" { owner rep instruct rep { "Agree" } -> won 50% -> a 30% loop -> lost }
  stage won "Signed" { outcome won }
  stage lost "Refused" { outcome lost }
}
"#;

#[test]
fn hubspot_gets_its_pipeline_with_probabilities_as_strings() {
    let v = json(&compiled(PROCESS), Crm::Hubspot);
    assert_eq!(v["label"], "Projects");
    assert_eq!(v["displayOrder"], 0);
    let stages = v["stages"].as_array().expect("stages");
    let got: Vec<(&str, u64, &str, &str)> = stages
        .iter()
        .map(|s| {
            (
                s["label"].as_str().expect("label"),
                s["displayOrder"].as_u64().expect("order"),
                s["metadata"]["probability"].as_str().expect("a string"),
                s["metadata"]["isClosed"].as_str().expect("a string"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Offer", 0, "0.5", "false"),
            ("Talks", 1, "0.7", "false"),
            ("Signed", 2, "1.0", "true"),
            ("Refused", 3, "0.0", "true"),
        ]
    );
}

#[test]
fn pipedrive_gets_open_stages_with_percent_and_rotting_days() {
    let v = json(&compiled(PROCESS), Crm::Pipedrive);
    assert_eq!(v["pipeline"], json!({ "name": "Projects", "is_deal_probability_enabled": true }));
    let stages = v["stages"].as_array().expect("stages");
    assert_eq!(stages.len(), 2, "won and lost are deal statuses in Pipedrive");
    // within 36h: 1.5 days, rounded up.
    assert_eq!(
        stages[0],
        json!({ "name": "Offer", "pipeline_id": "{pipeline_id}", "deal_probability": 53, "is_deal_rot_enabled": true, "days_to_rotten": 2 })
    );
    assert_eq!(
        stages[1],
        json!({ "name": "Talks", "pipeline_id": "{pipeline_id}", "deal_probability": 66, "is_deal_rot_enabled": false })
    );
}

#[test]
fn salesforce_gets_stages_and_a_sales_path() {
    let v = json(&compiled(PROCESS), Crm::Salesforce);
    let stages = v["OpportunityStage"].as_array().expect("stages");
    let got: Vec<(&str, u64, bool, bool, &str, u64)> = stages
        .iter()
        .map(|s| {
            (
                s["MasterLabel"].as_str().expect("label"),
                s["DefaultProbability"].as_u64().expect("percent"),
                s["IsClosed"].as_bool().expect("bool"),
                s["IsWon"].as_bool().expect("bool"),
                s["ForecastCategoryName"].as_str().expect("category"),
                s["SortOrder"].as_u64().expect("order"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Offer", 53, false, false, "Best Case", 1),
            ("Talks", 66, false, false, "Best Case", 2),
            ("Signed", 100, true, true, "Closed", 3),
            ("Refused", 0, true, false, "Omitted", 4),
        ]
    );
    let path = &v["PathAssistant"];
    assert_eq!(path["fullName"], "p");
    assert_eq!(path["entityName"], "Opportunity");
    assert_eq!(path["fieldName"], "StageName");
    assert_eq!(path["recordTypeName"], "__MASTER__");
    let steps = path["pathAssistantSteps"].as_array().expect("steps");
    assert_eq!(steps.len(), 2, "a step per open stage; the outcomes have no guidance");
    assert_eq!(steps[0]["picklistValueName"], "Offer");
    assert_eq!(
        steps[0]["info"],
        "<p><b>The stage is done when</b></p><ul><li>Offer sent</li></ul><p><b>What to do</b></p><ol><li>Send the offer (within 1 day)</li></ol>"
    );
    assert_eq!(steps[0]["fieldNames"], json!(["NextStep"]));
    assert_eq!(steps[1]["picklistValueName"], "Talks");
}

#[test]
fn every_export_keeps_to_each_crms_rules_on_the_examples() {
    for path in examples() {
        let c = compiled(&std::fs::read_to_string(&path).expect("readable"));
        let model = c.model.as_ref().expect("model");
        let order = procdef::model::graph::StageGraph::new(model).process_order().to_vec();
        let open: Vec<&str> =
            order.iter().map(|s| model.stage(*s)).filter(|s| !s.is_terminal()).map(|s| s.title.as_str()).collect();

        // Every stage is in one of HubSpot's pipelines, the sale stages
        // closing the first; the open stages lead each, in process order.
        let hubspot = bodies(&json(&c, Crm::Hubspot));
        let mut labels: Vec<&str> = Vec::new();
        let mut open_labels: Vec<&str> = Vec::new();
        for body in &hubspot {
            for s in body["stages"].as_array().expect("stages") {
                let label = s["label"].as_str().expect("label");
                if !labels.contains(&label) {
                    labels.push(label);
                }
                if s["metadata"]["isClosed"] == "false" {
                    open_labels.push(label);
                }
            }
            hubspot_steps(body).expect("probabilities in HubSpot's steps");
        }
        assert_eq!(labels.len(), model.stages.len());
        let sales: Vec<&str> =
            model.stages.iter().filter(|s| s.sale && !s.is_terminal()).map(|s| s.title.as_str()).collect();
        let open_not_sale: Vec<&str> = open.iter().copied().filter(|t| !sales.contains(t)).collect();
        let mut sorted = open_labels.clone();
        sorted.sort_by_key(|l| open.iter().position(|o| o == l));
        assert_eq!(sorted, open_not_sale, "the open stages, in process order");

        let pipedrive = bodies(&json(&c, Crm::Pipedrive));
        let names: Vec<&str> = pipedrive
            .iter()
            .flat_map(|p| p["stages"].as_array().expect("stages"))
            .map(|s| s["name"].as_str().expect("name"))
            .collect();
        let mut sorted = names.clone();
        sorted.sort_by_key(|l| open.iter().position(|o| o == l));
        assert_eq!(sorted, open_not_sale);

        let salesforce = json(&c, Crm::Salesforce);
        for s in salesforce["OpportunityStage"].as_array().expect("stages") {
            assert!(s["MasterLabel"].as_str().expect("label").chars().count() <= 40);
            assert!(s["IsWon"] == false || s["IsClosed"] == true);
        }
        for step in salesforce["PathAssistant"]["pathAssistantSteps"].as_array().expect("steps") {
            let info = step["info"].as_str().expect("guidance");
            assert!(info.chars().count() <= 1000, "{info}");
            assert!(!info.contains("<script"), "{info}");
        }
    }
}

#[test]
fn labels_stay_unique_and_user_text_stays_text() {
    let c = compiled(
        r#"
process p "A \"quoted\" <pipeline>" {
  role rep
  stage a "Call" { entry owner rep instruct rep { "Ask <b>why</b> & how" } -> b }
  stage b "Call" { owner rep instruct rep { "Again" } -> won 50% -> lost }
  stage won { outcome won }
  stage lost { outcome lost }
}
"#,
    );
    let v = json(&c, Crm::Hubspot);
    assert_eq!(v["label"], "A \"quoted\" <pipeline>");
    assert_eq!(v["stages"][0]["label"], "Call");
    assert_eq!(v["stages"][1]["label"], "Call 2");
    let v = json(&c, Crm::Salesforce);
    assert_eq!(
        v["PathAssistant"]["pathAssistantSteps"][0]["info"],
        "<p><b>What to do</b></p><ol><li>Ask &lt;b&gt;why&lt;/b&gt; &amp; how</li></ol>"
    );
}

// ---------------------------------------------------------------------------
// HubSpot: the vendored `PipelineInput` schema of HubSpot's OpenAPI
// description, and the 0.1 step its description of `metadata` gives.

fn read_json(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).expect("a vendored schema");
    serde_json::from_str(&text).expect("JSON")
}

/// HubSpot's rule for deal stages: "Possible values are between 0.0 and
/// 1.0 in increments of 0.1"; open stages between 0.1 and 0.9 (0.0 and
/// 1.0 close a deal), outcome stages 1.0 (won) or 0.0 (lost).
fn hubspot_steps(payload: &Value) -> Result<(), String> {
    for s in payload["stages"].as_array().ok_or("no stages")? {
        let text = s["metadata"]["probability"].as_str().ok_or(format!("not a string: {s}"))?;
        let p: f64 = text.parse().map_err(|_| format!("not a number: {text}"))?;
        let tenths = (p * 10.0).round();
        if (p * 10.0 - tenths).abs() > 1e-9 || text.len() != 3 {
            return Err(format!("{text} is not a multiple of 0.1"));
        }
        let closed = s["metadata"]["isClosed"] == "true";
        if !closed && !(1.0..=9.0).contains(&tenths) {
            return Err(format!("the open stage {} has {text}", s["label"]));
        }
        if closed && tenths != 0.0 && tenths != 10.0 {
            return Err(format!("the closed stage {} has {text}", s["label"]));
        }
    }
    Ok(())
}

/// Keys of `value` that the schema's `properties` do not declare.
fn undeclared(value: &Value, properties: &Value) -> Vec<String> {
    value
        .as_object()
        .map(|o| o.keys().filter(|k| properties.get(k.as_str()).is_none()).cloned().collect())
        .unwrap_or_default()
}

fn hubspot_check(payload: &Value) -> Result<(), String> {
    let schema = read_json("tests/crm/hubspot/pipeline-input.schema.json");
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let errors: Vec<String> = validator.iter_errors(payload).map(|e| format!("{e} at {}", e.instance_path())).collect();
    if !errors.is_empty() {
        return Err(errors.join("; "));
    }
    let mut extra = undeclared(payload, &schema["properties"]);
    for s in payload["stages"].as_array().into_iter().flatten() {
        extra.extend(undeclared(s, &schema["$defs"]["PipelineStageInput"]["properties"]));
    }
    if !extra.is_empty() {
        return Err(format!("undeclared fields: {extra:?}"));
    }
    hubspot_steps(payload)
}

#[test]
fn hubspot_payloads_pass_hubspots_schema_and_steps() {
    let mut inputs: Vec<String> = examples().iter().map(|p| std::fs::read_to_string(p).expect("readable")).collect();
    inputs.push(PROCESS.to_string());
    inputs.push(SALE.to_string());
    for text in &inputs {
        for payload in bodies(&json(&compiled(text), Crm::Hubspot)) {
            hubspot_check(&payload).unwrap_or_else(|e| panic!("{e}\n{payload:#}"));
        }
    }
}

#[test]
fn the_hubspot_checks_can_fail() {
    let good = json(&compiled(PROCESS), Crm::Hubspot);
    assert!(hubspot_check(&good).is_ok());
    let mut bad = good.clone();
    bad["stages"][0]["metadata"]["probability"] = json!("0.35");
    assert!(hubspot_check(&bad).expect_err("not a step").contains("multiple of 0.1"));
    let mut bad = good.clone();
    bad["stages"][0]["metadata"]["probability"] = json!("1.0");
    assert!(hubspot_check(&bad).is_err(), "an open stage at 1.0 closes deals");
    let mut bad = good.clone();
    bad["stages"][0]["metadata"]["probability"] = json!(0.5);
    assert!(hubspot_check(&bad).is_err(), "metadata values are strings");
    let mut bad = good.clone();
    bad["stages"][0].as_object_mut().expect("a stage").remove("displayOrder");
    assert!(hubspot_check(&bad).is_err(), "displayOrder is required");
    let mut bad = good;
    bad["stages"][0]["probability"] = json!("0.5");
    assert!(hubspot_check(&bad).expect_err("undeclared").contains("probability"));
}

// ---------------------------------------------------------------------------
// Pipedrive: the v2 request models of Pipedrive's official client
// (`AddPipelineRequest`, `AddStageRequest`), vendored as they are.

/// The properties a vendored TypeScript model declares: name, whether it
/// is optional, and its TypeScript type.
fn ts_properties(path: &str) -> Vec<(String, bool, String)> {
    let text = std::fs::read_to_string(root().join(path)).expect("a vendored model");
    let props: Vec<(String, bool, String)> = text
        .lines()
        .filter_map(|line| {
            let line = line.trim().strip_prefix('\'')?;
            let (name, rest) = line.split_once('\'')?;
            let (optional, rest) = match rest.strip_prefix('?') {
                Some(r) => (true, r),
                None => (false, rest),
            };
            let ty = rest.strip_prefix(':')?.trim().strip_suffix(';')?.trim();
            Some((name.to_string(), optional, ty.to_string()))
        })
        .collect();
    assert!(!props.is_empty(), "{path} declares properties");
    props
}

/// A JSON Schema from a model's declared properties: their types, the
/// required ones. The models do not say whether other fields are allowed,
/// so that is checked apart, against the declared names.
fn ts_schema(props: &[(String, bool, String)]) -> Value {
    let properties: serde_json::Map<String, Value> = props
        .iter()
        .map(|(name, _, ty)| {
            let t = match ty.as_str() {
                "string" => "string",
                "number" => "number",
                "boolean" => "boolean",
                other => panic!("a TypeScript type this test does not map: {other}"),
            };
            (name.clone(), json!({ "type": t }))
        })
        .collect();
    let required: Vec<&str> = props.iter().filter(|p| !p.1).map(|p| p.0.as_str()).collect();
    json!({ "type": "object", "properties": properties, "required": required })
}

fn pipedrive_body(model: &str, body: &Value) -> Result<(), String> {
    let props = ts_properties(&format!("tests/crm/pipedrive/{model}.ts"));
    let schema = ts_schema(&props);
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let errors: Vec<String> = validator.iter_errors(body).map(|e| e.to_string()).collect();
    if !errors.is_empty() {
        return Err(format!("{model}: {}", errors.join("; ")));
    }
    let extra = undeclared(body, &schema["properties"]);
    if !extra.is_empty() {
        return Err(format!("{model} does not declare {extra:?}"));
    }
    Ok(())
}

/// The export as sent: the pipeline, then each stage with the new
/// pipeline's id in `pipeline_id`, as docs/crm.md does with jq.
fn pipedrive_check(export: &Value) -> Result<(), String> {
    pipedrive_body("add-pipeline-request", &export["pipeline"])?;
    for stage in export["stages"].as_array().ok_or("no stages")? {
        if stage["pipeline_id"] != "{pipeline_id}" {
            return Err(format!("no placeholder: {stage}"));
        }
        let mut sent = stage.clone();
        sent["pipeline_id"] = json!(42);
        pipedrive_body("add-stage-request", &sent)?;
        // Pipedrive's API reference gives integers for these two.
        if !sent["deal_probability"].is_u64() || sent["deal_probability"].as_u64() > Some(100) {
            return Err(format!("deal_probability is not a whole percent: {stage}"));
        }
        if let Some(d) = sent.get("days_to_rotten") {
            if !d.is_u64() || d == 0 || sent["is_deal_rot_enabled"] != true {
                return Err(format!("days_to_rotten without rotting: {stage}"));
            }
        }
    }
    Ok(())
}

#[test]
fn pipedrive_payloads_are_v2_requests() {
    let mut inputs: Vec<String> = examples().iter().map(|p| std::fs::read_to_string(p).expect("readable")).collect();
    inputs.push(PROCESS.to_string());
    inputs.push(SALE.to_string());
    for text in &inputs {
        for export in bodies(&json(&compiled(text), Crm::Pipedrive)) {
            pipedrive_check(&export).unwrap_or_else(|e| panic!("{e}\n{export:#}"));
        }
    }
}

#[test]
fn the_pipedrive_checks_can_fail() {
    let good = json(&compiled(PROCESS), Crm::Pipedrive);
    assert!(pipedrive_check(&good).is_ok());
    // The v1 payload this export used to write.
    let mut v1 = good.clone();
    v1["pipeline"] = json!({ "name": "Projects", "deal_probability": 1, "active": 1 });
    assert!(pipedrive_check(&v1).expect_err("v1 fields").contains("active"));
    let mut v1 = good.clone();
    v1["stages"][0] = json!({ "name": "Offer", "pipeline_id": "{pipeline_id}", "order_nr": 1, "deal_probability": 53, "rotten_flag": true, "rotten_days": 2 });
    assert!(pipedrive_check(&v1).expect_err("v1 fields").contains("order_nr"));
    let mut bad = good.clone();
    bad["stages"][0]["is_deal_rot_enabled"] = json!("yes");
    assert!(pipedrive_check(&bad).is_err(), "a boolean");
    let mut bad = good;
    bad["stages"][0].as_object_mut().expect("a stage").remove("name");
    assert!(pipedrive_check(&bad).expect_err("required").contains("name"));
}

// ---------------------------------------------------------------------------
// Salesforce: the Metadata API folder, every file validated against the
// vendored schema of the Metadata WSDL.

fn folder(text: &str) -> Vec<MetadataFile> {
    let c = compiled(text);
    crm::salesforce_folder(c.model.as_ref().expect("a model"), c.analysis.as_ref().expect("a funnel model"))
}

/// A process whose text holds markup, XML's own sequences and control
/// characters (`ESC` and `BEL` stand for the real ones, see [`hostile`]).
const HOSTILE: &str = r#"
process p "A \"quoted\" <pipeline> & 'more'" {
  role rep
  stage a "Call <now> & \"then\"" { entry owner rep description "Tab\there, <b>bold</b> & ]]> ESC[2J BEL" instruct rep { "Ask <b>why</b> & how ]]>" } exit "Done --> really" -> b }
  stage b "Call <now> & \"then\"" { owner rep instruct rep { "Again" } -> won 50% -> lost }
  stage won "Won ✓" { outcome won }
  stage lost "Lost" { outcome lost }
}
"#;

fn hostile() -> String {
    HOSTILE.replace("ESC", "\u{1b}").replace("BEL", "\u{7}")
}

#[test]
fn salesforce_folders_pass_the_metadata_api_schema() {
    let schema = xsd::schema();
    let mut inputs: Vec<String> = examples().iter().map(|p| std::fs::read_to_string(p).expect("readable")).collect();
    inputs.push(PROCESS.to_string());
    inputs.push(SALE.to_string());
    inputs.push(hostile());
    for text in &inputs {
        let files = folder(text);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths.len(), 3);
        assert_eq!(paths[0], "package.xml");
        assert!(paths[1].starts_with("pathAssistants/") && paths[1].ends_with(".pathAssistant"), "{paths:?}");
        assert_eq!(paths[2], "standardValueSets/OpportunityStage.standardValueSet");
        for f in &files {
            schema.validate_file(&f.text).unwrap_or_else(|e| panic!("{}: {e}\n{}", f.path, f.text));
        }
        assert_eq!(files, folder(text), "deterministic");
    }
}

/// The text of every `tag` element in a document.
fn texts(xml: &str, tag: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("XML");
    doc.descendants().filter(|n| n.has_tag_name(tag)).map(|n| n.text().unwrap_or("").to_string()).collect()
}

#[test]
fn the_salesforce_folder_holds_the_stages_and_the_path() {
    let files = folder(PROCESS);
    let package = &files[0].text;
    assert_eq!(texts(package, "members"), ["p", "OpportunityStage"]);
    assert_eq!(texts(package, "name"), ["PathAssistant", "StandardValueSet"]);
    assert_eq!(texts(package, "version"), ["66.0"]);
    assert_eq!(files[1].path, "pathAssistants/p.pathAssistant");

    let values = &files[2].text;
    assert_eq!(texts(values, "fullName"), ["Offer", "Talks", "Signed", "Refused"]);
    assert_eq!(texts(values, "label"), ["Offer", "Talks", "Signed", "Refused"]);
    assert_eq!(texts(values, "probability"), ["53", "66", "100", "0"]);
    assert_eq!(texts(values, "forecastCategory"), ["BestCase", "BestCase", "Closed", "Omitted"]);
    assert_eq!(texts(values, "closed"), ["false", "false", "true", "true"]);
    assert_eq!(texts(values, "won"), ["false", "false", "true", "false"]);

    let path = &files[1].text;
    assert_eq!(texts(path, "picklistValueName"), ["Offer", "Talks"], "a step per open stage");
    assert_eq!(texts(path, "fieldNames"), ["NextStep", "NextStep"]);

    // An outcome stage with guidance gets a step, without key fields.
    let with_guidance =
        PROCESS.replace(r#"{ outcome lost }"#, r#"{ outcome lost instruct rep { "Record the reason" } }"#);
    let path = &folder(&with_guidance)[1].text;
    assert_eq!(texts(path, "picklistValueName"), ["Offer", "Talks", "Refused"]);
    assert_eq!(texts(path, "fieldNames"), ["NextStep", "NextStep"]);
    assert!(texts(path, "info")[2].contains("Record the reason"));
    xsd::schema().validate_file(path).expect("valid");
    assert_eq!(texts(path, "recordTypeName"), ["__MASTER__"]);
    assert_eq!(texts(path, "entityName"), ["Opportunity"]);
    assert_eq!(texts(path, "fieldName"), ["StageName"]);
    assert_eq!(
        texts(path, "info")[0],
        "<p><b>The stage is done when</b></p><ul><li>Offer sent</li></ul><p><b>What to do</b></p><ol><li>Send the offer (within 1 day)</li></ol>"
    );
}

#[test]
fn user_text_reaches_salesforce_as_text() {
    let files = folder(&hostile());
    let values = &files[2].text;
    assert!(!values.contains('\u{1b}'), "{values}");
    assert_eq!(texts(values, "label")[0], "Call <now> & \"then\"");
    assert_eq!(texts(values, "label")[1], "Call <now> & \"then\" 2");
    let description = &texts(values, "description")[0];
    assert!(description.starts_with("Tab here, <b>bold</b> & ]]>"), "{description}");
    let path = &files[1].text;
    assert_eq!(texts(path, "masterLabel"), ["A \"quoted\" <pipeline> & 'more'"]);
    let info = &texts(path, "info")[0];
    assert!(info.contains("<li>Ask &lt;b&gt;why&lt;/b&gt; &amp; how ]]&gt;</li>"), "{info}");
    assert!(info.contains("<li>Done --&gt; really</li>"), "{info}");
}

#[test]
fn the_schema_validator_can_fail() {
    let schema = xsd::schema();
    let good = folder(PROCESS)[2].text.clone();
    assert_eq!(schema.validate_file(&good), Ok(()));
    let wrap = |value: &str| {
        format!(
            "<StandardValueSet xmlns=\"{}\"><sorted>false</sorted><standardValue>{value}</standardValue></StandardValueSet>",
            xsd::METADATA
        )
    };
    // The order the jq recipe once wrote.
    let recipe = wrap(
        "<fullName>A</fullName><default>false</default><label>A</label><closed>false</closed>\
         <won>false</won><probability>10</probability><forecastCategory>Pipeline</forecastCategory>",
    );
    assert_eq!(
        schema.validate_file(&recipe),
        Err("Element '{http://soap.sforce.com/2006/04/metadata}probability': This element is not expected".into())
    );
    let right = "<fullName>A</fullName><default>false</default><label>A</label><closed>false</closed>\
                 <forecastCategory>Pipeline</forecastCategory><probability>10</probability><won>false</won>";
    assert_eq!(schema.validate_file(&wrap(right)), Ok(()));
    let unknown = wrap(&right.replace("<label>A</label>", "<label>A</label><colour>red</colour>"));
    assert!(schema.validate_file(&unknown).expect_err("unknown").contains("colour"));
    let missing = wrap(&right.replace("<default>false</default>", ""));
    assert!(schema.validate_file(&missing).expect_err("missing").contains("'default'"));
    let category = wrap(&right.replace(">Pipeline<", ">Commit<"));
    assert!(schema.validate_file(&category).expect_err("enumeration").contains("Commit"));
    let boolean = wrap(&right.replace("<won>false</won>", "<won>no</won>"));
    assert!(schema.validate_file(&boolean).expect_err("boolean").contains("boolean"));
    let int = wrap(&right.replace(">10<", ">10.5<"));
    assert!(schema.validate_file(&int).expect_err("int").contains("int"));
    let twice = wrap(&right.replace("<label>A</label>", "<label>A</label><label>B</label>"));
    assert!(schema.validate_file(&twice).is_err(), "label at most once");
    let namespace = good.replace(xsd::METADATA, "urn:other");
    assert!(schema.validate_file(&namespace).is_err());
    let not_metadata = format!(
        "<PathAssistantStep xmlns=\"{}\"><picklistValueName>A</picklistValueName></PathAssistantStep>",
        xsd::METADATA
    );
    assert!(schema.validate_file(&not_metadata).expect_err("root").contains("not a metadata type"));
    let path = folder(PROCESS)[1].text.replace("<recordTypeName>__MASTER__</recordTypeName>", "");
    assert!(schema.validate_file(&path).expect_err("required").contains("recordTypeName"));
    let package = folder(PROCESS)[0].text.replace("<version>66.0</version>", "");
    assert!(schema.validate_file(&package).expect_err("required").contains("version"));
}

// ---------------------------------------------------------------------------
// `procdef export --to salesforce -o DIR`: the folder on disk.

fn procdef(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_procdef")).args(args).output().expect("procdef runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Every file below `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("readable") {
            let p = e.expect("an entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).expect("below").to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn export_writes_a_metadata_folder_and_replaces_only_its_own() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let proc_file = tmp.path().join("p.proc");
    std::fs::write(&proc_file, PROCESS).expect("written");
    let p = proc_file.to_str().expect("UTF-8");
    let out = tmp.path().join("deploy").join("mdapi");
    let o = out.to_str().expect("UTF-8");

    let (code, err) = procdef(&["export", p, "--to", "salesforce", "-o", o]);
    assert_eq!(code, 0, "{err}");
    let files = tree(&out);
    assert_eq!(
        files,
        ["package.xml", "pathAssistants/p.pathAssistant", "standardValueSets/OpportunityStage.standardValueSet"]
    );
    for f in &files {
        let text = std::fs::read_to_string(out.join(f)).expect("readable");
        xsd::schema().validate_file(&text).unwrap_or_else(|e| panic!("{f}: {e}"));
    }
    let first = std::fs::read_to_string(out.join("package.xml")).expect("readable");

    // An earlier export is replaced, and a renamed path leaves no stale file.
    std::fs::write(&proc_file, PROCESS.replace("process p ", "process q ")).expect("written");
    let (code, err) = procdef(&["export", p, "--to", "salesforce", "-o", o]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(tree(&out)[1], "pathAssistants/q.pathAssistant");
    assert_eq!(tree(&out).len(), 3);
    assert_ne!(std::fs::read_to_string(out.join("package.xml")).expect("readable"), first);
    let beside: Vec<String> = std::fs::read_dir(out.parent().expect("a parent"))
        .expect("readable")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, ["mdapi"], "no temporary folder is left");

    // A file procdef did not write: nothing is replaced.
    std::fs::write(out.join("pathAssistants/Mine.pathAssistant"), "mine").expect("written");
    let before = tree(&out);
    let (code, err) = procdef(&["export", p, "--to", "salesforce", "-o", o]);
    assert_eq!(code, 2);
    assert!(err.contains("pathAssistants/Mine.pathAssistant, which procdef did not write"), "{err}");
    assert_eq!(tree(&out), before);

    // A folder of other files: left as it was.
    let other = tmp.path().join("docs");
    std::fs::create_dir(&other).expect("made");
    std::fs::write(other.join("notes.md"), "notes").expect("written");
    let (code, err) = procdef(&["export", p, "--to", "salesforce", "-o", other.to_str().expect("UTF-8")]);
    assert_eq!(code, 2);
    assert!(err.contains("no package.xml written by procdef"), "{err}");
    assert_eq!(tree(&other), ["notes.md"]);
    assert_eq!(std::fs::read_to_string(other.join("notes.md")).expect("readable"), "notes");

    // A package.xml that is not procdef's own does not count.
    std::fs::write(other.join("package.xml"), "<Package/>").expect("written");
    let (code, _) = procdef(&["export", p, "--to", "salesforce", "-o", other.to_str().expect("UTF-8")]);
    assert_eq!(code, 2);

    // An empty folder is taken.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).expect("made");
    let (code, err) = procdef(&["export", p, "--to", "salesforce", "-o", empty.to_str().expect("UTF-8")]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(tree(&empty).len(), 3);

    // A folder named by `..`: refused, nothing written.
    let dots = empty.join("..");
    let (code, err) = procdef(&["export", p, "--to", "salesforce", "-o", dots.to_str().expect("UTF-8")]);
    assert_eq!(code, 2);
    assert!(err.contains("by its name"), "{err}");
    assert_eq!(tree(&empty).len(), 3);

    // A file where the folder should be.
    let (code, err) = procdef(&["export", p, "--to", "salesforce", "-o", p]);
    assert_eq!(code, 2);
    assert!(err.contains("not a folder"), "{err}");
    assert_eq!(std::fs::read_to_string(&proc_file).expect("readable"), PROCESS.replace("process p ", "process q "));
}

#[cfg(unix)]
#[test]
fn export_does_not_follow_or_replace_links() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let proc_file = tmp.path().join("p.proc");
    std::fs::write(&proc_file, PROCESS).expect("written");
    let target = tmp.path().join("target");
    std::fs::create_dir(&target).expect("made");
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&target, &link).expect("linked");
    let (code, err) = procdef(&[
        "export",
        proc_file.to_str().expect("UTF-8"),
        "--to",
        "salesforce",
        "-o",
        link.to_str().expect("UTF-8"),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("symbolic link"), "{err}");
    assert!(std::fs::symlink_metadata(&link).expect("still there").file_type().is_symlink());
    assert!(tree(&target).is_empty());
}

#[test]
fn only_salesforce_writes_a_folder() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let out = tmp.path().join("out");
    let (code, err) = procdef(&[
        "export",
        &root().join("examples/sales-process.proc").to_string_lossy(),
        "--to",
        "hubspot",
        "-o",
        out.to_str().expect("UTF-8"),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("printed on stdout"), "{err}");
    assert!(!out.exists());
}

#[test]
fn an_interrupted_export_is_put_right_by_the_next() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let proc_file = tmp.path().join("p.proc");
    std::fs::write(&proc_file, PROCESS).expect("written");
    let p = proc_file.to_str().expect("UTF-8");
    let out = tmp.path().join("mdapi");
    let o = out.to_str().expect("UTF-8");
    let (code, err) = procdef(&["export", p, "--to", "salesforce", "-o", o]);
    assert_eq!(code, 0, "{err}");
    let exported = tree(&out);

    // Killed between the two renames of the fallback: the previous export
    // sits aside and no folder is in place. A new folder never swapped in
    // is left too. The next export puts the old one back, replaces it, and
    // leaves nothing else.
    let aside = tmp.path().join(".procdef-export-old-x1");
    std::fs::create_dir(&aside).expect("made");
    std::fs::rename(&out, aside.join("mdapi")).expect("moved aside");
    let unswapped = tmp.path().join(".procdef-export-y2");
    std::fs::create_dir_all(unswapped.join("standardValueSets")).expect("made");
    std::fs::write(unswapped.join("package.xml"), "half").expect("written");
    // Someone else's folder beside it is not procdef's to touch.
    std::fs::create_dir(tmp.path().join("notes")).expect("made");
    let (code, err) = procdef(&["export", p, "--to", "salesforce", "-o", o]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(tree(&out), exported);
    let mut beside: Vec<String> = std::fs::read_dir(tmp.path())
        .expect("readable")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, ["mdapi", "notes", "p.proc"]);

    // An earlier export moved aside while its folder holds a newer one: the
    // aside one is the stale one, and goes.
    std::fs::create_dir(&aside).expect("made");
    std::fs::create_dir(aside.join("mdapi")).expect("made");
    std::fs::write(aside.join("mdapi/package.xml"), "old").expect("written");
    let (code, err) = procdef(&["export", p, "--to", "salesforce", "-o", o]);
    assert_eq!(code, 0, "{err}");
    assert!(!aside.exists());
    assert_eq!(tree(&out), exported);
}

#[test]
fn export_never_swaps_out_the_working_folder() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let proc_file = tmp.path().join("p.proc");
    std::fs::write(&proc_file, PROCESS).expect("written");
    let out = tmp.path().join("mdapi");
    let p = proc_file.to_str().expect("UTF-8");
    let (code, err) = procdef(&["export", p, "--to", "salesforce", "-o", out.to_str().expect("UTF-8")]);
    assert_eq!(code, 0, "{err}");
    let before = tree(&out);
    for dir in [".", "..", "../../mdapi", out.to_str().expect("UTF-8")] {
        let run = Command::new(env!("CARGO_BIN_EXE_procdef"))
            .args(["export", p, "--to", "salesforce", "-o", dir])
            .current_dir(out.join("standardValueSets"))
            .output()
            .expect("procdef runs");
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{dir}: {err}");
        assert!(err.contains("working folder") || err.contains("by its name"), "{dir}: {err}");
        assert_eq!(tree(&out), before, "{dir}");
    }
}

// ---------------------------------------------------------------------------
// The sale (LANGUAGE.md §6.1): the sales pipeline ends at the sale; the
// stages after it make a second pipeline where the CRM keeps several.

fn labels<'a>(body: &'a Value, key: &str) -> Vec<&'a str> {
    body["stages"].as_array().expect("stages").iter().map(|s| s[key].as_str().expect("a name")).collect()
}

#[test]
fn hubspot_gets_the_sales_pipeline_and_the_one_after_the_sale() {
    let all = bodies(&json(&compiled(SALE), Crm::Hubspot));
    assert_eq!(all.len(), 2, "{all:#?}");
    let (sales, after) = (&all[0], &all[1]);
    assert_eq!(sales["label"], "Distribution sales");
    assert_eq!(labels(sales, "label"), ["Request", "Offer", "Contract signed", "Lost"]);
    let meta = |b: &Value, k: &str| -> Vec<String> {
        b["stages"]
            .as_array()
            .expect("stages")
            .iter()
            .map(|s| s["metadata"][k].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(meta(sales, "isClosed"), ["false", "false", "true", "true"]);
    // Chances of a sale: request 60% × 40% = 24% → 0.2, offer 40% → 0.4;
    // the sale closes won, the lost outcome closes lost.
    assert_eq!(meta(sales, "probability"), ["0.2", "0.4", "1.0", "0.0"]);

    assert_eq!(after["label"], "Distribution sales: after the sale");
    assert_eq!(after["displayOrder"], 1);
    assert_eq!(labels(after, "label"), ["Delivery", "Served"]);
    assert_eq!(meta(after, "isClosed"), ["false", "true"]);
    // From delivery a client is served: d = 0.7 + 0.3 × 0.4 × d, so
    // d = 0.7 / 0.88 ≈ 0.795 → 0.8.
    let d = 0.7 / (1.0 - 0.3 * 0.4);
    assert_eq!(meta(after, "probability"), [format!("{:.1}", d), "1.0".to_string()]);
    for body in &all {
        hubspot_check(body).unwrap_or_else(|e| panic!("{e}\n{body:#}"));
    }
}

#[test]
fn pipedrive_gets_two_pipelines_of_open_stages() {
    let all = bodies(&json(&compiled(SALE), Crm::Pipedrive));
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["pipeline"]["name"], "Distribution sales");
    assert_eq!(labels(&all[0], "name"), ["Request", "Offer"]);
    let percent = |b: &Value| -> Vec<u64> {
        b["stages"].as_array().expect("stages").iter().map(|s| s["deal_probability"].as_u64().expect("n")).collect()
    };
    assert_eq!(percent(&all[0]), [24, 40]);
    assert_eq!(all[1]["pipeline"]["name"], "Distribution sales: after the sale");
    assert_eq!(labels(&all[1], "name"), ["Delivery"]);
    assert_eq!(percent(&all[1]), [(100.0 * 0.7 / 0.88_f64).round() as u64]);
    for body in &all {
        pipedrive_check(body).unwrap_or_else(|e| panic!("{e}\n{body:#}"));
    }
}

#[test]
fn salesforce_keeps_only_the_sales_pipeline() {
    let v = json(&compiled(SALE), Crm::Salesforce);
    let stages = v["OpportunityStage"].as_array().expect("stages");
    let names: Vec<&str> = stages.iter().map(|s| s["MasterLabel"].as_str().expect("label")).collect();
    assert_eq!(names, ["Request", "Offer", "Contract signed", "Lost"]);
    let won: Vec<bool> = stages.iter().map(|s| s["IsWon"] == true).collect();
    assert_eq!(won, [false, false, true, false]);
    assert_eq!(stages[2]["IsClosed"], true);
    assert_eq!(stages[2]["DefaultProbability"], 100);
    assert_eq!(stages[2]["ForecastCategoryName"], "Closed");
    let files = folder(SALE);
    let values = files.iter().find(|f| f.path.starts_with("standardValueSets/")).expect("the value set");
    assert!(!values.text.contains("Delivery") && !values.text.contains("Served"), "{}", values.text);
    for f in &files {
        xsd::schema().validate_file(&f.text).unwrap_or_else(|e| panic!("{}: {e}\n{}", f.path, f.text));
    }
}

#[test]
fn a_sale_with_nothing_after_it_keeps_one_pipeline() {
    // The sale leads straight to the outcome: no second pipeline, and the
    // payload is one object as without a sale.
    let text = r#"
process p "Shop" {
  language ru
  role rep
  stage a "Заявка" { entry owner rep -> b 50% -> lost }
  stage b "Оплата" { sale owner rep -> won }
  stage won "Готово" { outcome won }
  stage lost "Отказ" { outcome lost }
}
"#;
    let c = compiled(text);
    let hubspot = json(&c, Crm::Hubspot);
    assert!(hubspot.is_object(), "{hubspot:#}");
    assert_eq!(labels(&hubspot, "label"), ["Заявка", "Оплата", "Отказ"]);
    let pipedrive = json(&c, Crm::Pipedrive);
    assert!(pipedrive.is_object());
    assert_eq!(labels(&pipedrive, "name"), ["Заявка"]);
}

#[test]
fn the_pipeline_after_the_sale_is_named_in_the_process_language() {
    let ru = SALE
        .replace("process distribution \"Distribution sales\" {", "process distribution \"Продажи\" {\n  language ru");
    let all = bodies(&json(&compiled(&ru), Crm::Hubspot));
    assert_eq!(all[1]["label"], "Продажи: после продажи");
}
