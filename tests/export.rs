//! CRM exports: snapshots of the examples' payloads, and the shape each
//! CRM expects.

mod common;

use common::*;
use procdef::emit::crm::{self, Crm};
use serde_json::Value;

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
            ("Offer", 0, "0.53", "false"),
            ("Talks", 1, "0.66", "false"),
            ("Signed", 2, "1.0", "true"),
            ("Refused", 3, "0.0", "true"),
        ]
    );
}

#[test]
fn pipedrive_gets_open_stages_with_percent_and_rotting_days() {
    let v = json(&compiled(PROCESS), Crm::Pipedrive);
    assert_eq!(v["pipeline"]["name"], "Projects");
    assert_eq!(v["pipeline"]["deal_probability"], 1);
    let stages = v["stages"].as_array().expect("stages");
    assert_eq!(stages.len(), 2, "won and lost are deal statuses in Pipedrive");
    assert_eq!(stages[0]["name"], "Offer");
    assert_eq!(stages[0]["order_nr"], 1);
    assert_eq!(stages[0]["deal_probability"], 53);
    assert_eq!(stages[0]["pipeline_id"], "{pipeline_id}");
    // within 36h: 1.5 days, rounded up.
    assert_eq!(stages[0]["rotten_flag"], true);
    assert_eq!(stages[0]["rotten_days"], 2);
    assert_eq!(stages[1]["name"], "Talks");
    assert_eq!(stages[1]["order_nr"], 2);
    assert_eq!(stages[1]["deal_probability"], 66);
    assert_eq!(stages[1]["rotten_flag"], false);
    assert!(stages[1].get("rotten_days").is_none());
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
    assert_eq!(steps.len(), 4);
    assert_eq!(steps[0]["picklistValueName"], "Offer");
    assert_eq!(
        steps[0]["info"],
        "<p><b>The stage is done when</b></p><ul><li>Offer sent</li></ul><p><b>What to do</b></p><ol><li>Send the offer (within 1 day)</li></ol>"
    );
    assert_eq!(steps[0]["fieldNames"], serde_json::json!(["NextStep"]));
    assert_eq!(steps[2]["fieldNames"], serde_json::json!([]));
}

#[test]
fn every_export_keeps_to_each_crms_rules_on_the_examples() {
    for path in examples() {
        let c = compiled(&std::fs::read_to_string(&path).expect("readable"));
        let model = c.model.as_ref().expect("model");
        let order = procdef::model::graph::StageGraph::new(model).process_order().to_vec();
        let open: Vec<&str> =
            order.iter().map(|s| model.stage(*s)).filter(|s| !s.is_terminal()).map(|s| s.title.as_str()).collect();

        let hubspot = json(&c, Crm::Hubspot);
        let stages = hubspot["stages"].as_array().expect("stages");
        assert_eq!(stages.len(), model.stages.len());
        let labels: Vec<&str> = stages.iter().map(|s| s["label"].as_str().expect("label")).collect();
        assert_eq!(&labels[..open.len()], &open[..], "open stages first, in process order");
        for s in stages {
            let p: f64 = s["metadata"]["probability"].as_str().expect("a string").parse().expect("a number");
            let closed = s["metadata"]["isClosed"] == "true";
            assert!((0.0..=1.0).contains(&p));
            assert_eq!(closed, p == 0.0 || p == 1.0, "{s}");
        }

        let pipedrive = json(&c, Crm::Pipedrive);
        let names: Vec<&str> =
            pipedrive["stages"].as_array().expect("stages").iter().map(|s| s["name"].as_str().expect("name")).collect();
        assert_eq!(names, open);

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
