//! `procdef import` (IMPORT.md): each CRM's own example responses
//! (`tests/fixtures/import/`, sources in docs/crm.md) imported, checked,
//! and exported again: the CRM's probabilities come back at its precision.

mod common;

use procdef::emit::crm::{self, Crm};
use procdef::import::crm::{Error, choose, pipelines, to_proc};
use serde_json::Value;
use std::process::Command;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(common::root().join("tests/fixtures/import").join(name)).expect("fixture")
}

/// Imports one pipeline and checks the result has no error.
fn import(crm: Crm, name: &str, pipeline: Option<&str>) -> (String, procdef::Compiled) {
    let all = pipelines(crm, &fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let p = choose(all, pipeline).unwrap_or_else(|e| panic!("{name}: {e}"));
    let text = to_proc(crm, &p, name);
    let compiled = procdef::compile(text.as_bytes());
    assert!(!compiled.has_errors(), "{name}:\n{text}\n{:?}", compiled.diagnostics);
    assert_eq!(procdef::fmt::format(&text).as_deref(), Ok(text.as_str()), "{name}: not in fmt's layout");
    (text, compiled)
}

fn export(crm: Crm, compiled: &procdef::Compiled) -> Value {
    let model = compiled.model.as_ref().expect("model");
    let analysis = compiled.analysis.as_ref().expect("analysis");
    serde_json::from_str(&crm::export(model, analysis, crm)).expect("JSON")
}

/// (label, probability in the CRM's unit) of the open stages of a file.
fn open_stages(crm: Crm, json: &Value, pipeline: Option<&str>) -> Vec<(String, String)> {
    let s = |v: &Value| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
    match crm {
        Crm::Hubspot => {
            let p = match json.get("results") {
                Some(r) => r
                    .as_array()
                    .expect("results")
                    .iter()
                    .find(|p| pipeline.is_none_or(|id| p["id"] == id))
                    .expect("pipeline")
                    .clone(),
                None => json.clone(),
            };
            p["stages"]
                .as_array()
                .expect("stages")
                .iter()
                .filter(|st| st["metadata"]["isClosed"] == "false")
                .map(|st| (s(&st["label"]), s(&st["metadata"]["probability"])))
                .collect()
        }
        Crm::Pipedrive => {
            let data = json.get("data").or_else(|| json.get("stages")).expect("stages");
            data.as_array()
                .expect("array")
                .iter()
                .filter(|st| pipeline.is_none_or(|id| st.get("pipeline_id").is_none_or(|p| s(p) == id)))
                .map(|st| (s(&st["name"]), s(&st["deal_probability"])))
                .collect()
        }
        Crm::Salesforce => {
            let records = json.get("records").or_else(|| json.get("OpportunityStage")).expect("records");
            records
                .as_array()
                .expect("array")
                .iter()
                .filter(|st| st["IsClosed"] == false)
                .map(|st| (s(&st["MasterLabel"]), s(&st["DefaultProbability"])))
                .collect()
        }
    }
}

#[test]
fn every_example_response_comes_back_from_export() {
    for (crm, name, pipeline) in [
        (Crm::Hubspot, "hubspot-pipelines.json", Some("default")),
        (Crm::Hubspot, "hubspot-pipelines.json", Some("Renewals")),
        (Crm::Hubspot, "hubspot-pipeline.json", None),
        (Crm::Pipedrive, "pipedrive-stages-v1.json", None),
        (Crm::Pipedrive, "pipedrive-stages-v2.json", Some("1")),
        (Crm::Pipedrive, "pipedrive-stages-v2.json", Some("2")),
        (Crm::Salesforce, "salesforce-opportunitystages.json", None),
    ] {
        let (text, compiled) = import(crm, name, pipeline);
        let original: Value = serde_json::from_str(&fixture(name)).expect("JSON");
        let id = match (crm, pipeline) {
            (Crm::Hubspot, Some("Renewals")) => Some("75e28846-ad0d-4be2-a027-5e1da6590b98"),
            _ => pipeline,
        };
        let expected = open_stages(crm, &original, id);
        let got = open_stages(crm, &export(crm, &compiled), None);
        assert_eq!(got, expected, "{name} {pipeline:?}:\n{text}");
        assert!(!expected.is_empty());
    }
}

#[test]
fn pipedrive_v1_and_v2_give_the_same_process() {
    let (v1, _) = import(Crm::Pipedrive, "pipedrive-stages-v1.json", None);
    let (v2, _) = import(Crm::Pipedrive, "pipedrive-stages-v2.json", Some("1"));
    // v2 names no pipeline, so its title is the id's; the rest is the same,
    // rotting limits included.
    let body = |t: &str| t.lines().skip_while(|l| !l.contains("role owner")).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&v1), body(&v2));
    assert!(v1.contains("within 14d"), "{v1}");
}

#[test]
fn outcomes_entries_and_owners_are_written() {
    let (text, compiled) = import(Crm::Salesforce, "salesforce-opportunitystages.json", None);
    let model = compiled.model.expect("model");
    let ids: Vec<&str> = model.stages.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids[0], "prospecting");
    assert!(ids.contains(&"closed_won") && ids.contains(&"closed_lost"), "{ids:?}");
    assert_eq!(model.stages.iter().filter(|s| s.entry.is_some()).count(), 1);
    assert!(model.stages.iter().filter(|s| s.outcome.is_none()).all(|s| s.owner.is_some()));
    // Prospecting and Qualification are both 10%: the move between them is
    // 100%, and the stage can still lose the deal.
    assert!(
        text.contains(
            "stage prospecting \"Prospecting\" {\n    entry\n    owner owner\n    -> qualification 100%\n    -> closed_lost\n  }"
        ),
        "{text}"
    );
    let (pd, _) = import(Crm::Pipedrive, "pipedrive-stages-v1.json", None);
    assert!(
        pd.contains("stage won \"Won\" { outcome won }") && pd.contains("stage lost \"Lost\" { outcome lost }"),
        "{pd}"
    );
}

#[test]
fn a_probability_that_rises_back_gets_half_and_a_comment() {
    let json = r#"{"records": [
        {"MasterLabel": "Early", "SortOrder": 1, "DefaultProbability": 60, "IsClosed": false, "IsWon": false},
        {"MasterLabel": "Late", "SortOrder": 2, "DefaultProbability": 30, "IsClosed": false, "IsWon": false},
        {"MasterLabel": "Closed Won", "SortOrder": 3, "DefaultProbability": 100, "IsClosed": true, "IsWon": true},
        {"MasterLabel": "Closed Lost", "SortOrder": 4, "DefaultProbability": 0, "IsClosed": true, "IsWon": false}
    ]}"#;
    let p = choose(pipelines(Crm::Salesforce, json).expect("read"), None).expect("one");
    let text = to_proc(Crm::Salesforce, &p, "x.json");
    assert!(text.contains("# 50%: this stage's probability is above the next stage's"), "{text}");
    assert!(text.contains("-> late 50%"), "{text}");
    assert!(text.contains("-> closed_won 30%"), "{text}");
    assert!(!procdef::compile(text.as_bytes()).has_errors());
}

#[test]
fn wrong_files_say_what_was_expected() {
    let Err(Error::Shape(m)) = pipelines(Crm::Hubspot, r#"{"data": []}"#) else { panic!("accepted") };
    assert!(m.contains("GET /crm/v3/pipelines/deals"), "{m}");
    let Err(Error::Shape(m)) = pipelines(Crm::Pipedrive, "not json") else { panic!("accepted") };
    assert!(m.starts_with("it is not JSON") && m.contains("GET /v1/stages"), "{m}");
    let Err(Error::Shape(m)) = pipelines(Crm::Salesforce, r#"{"records": []}"#) else { panic!("accepted") };
    assert!(m.contains("lists no stage"), "{m}");
    let all = pipelines(Crm::Hubspot, &fixture("hubspot-pipelines.json")).expect("read");
    assert!(matches!(choose(all.clone(), None), Err(Error::Several(ref l)) if l.len() == 2));
    assert!(matches!(choose(all.clone(), Some("nope")), Err(Error::NoSuchPipeline(..))));
    assert_eq!(choose(all, Some("renewals")).expect("by label, any case").label, "Renewals");
}

#[test]
fn the_command_writes_a_new_file_and_never_replaces_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("crm.proc");
    let file = common::root().join("tests/fixtures/import/pipedrive-stages-v1.json");
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_procdef"))
            .args(["import", "--from", "pipedrive"])
            .arg(&file)
            .arg("-o")
            .arg(&out)
            .output()
            .expect("runs")
    };
    let first = run();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let written = std::fs::read_to_string(&out).expect("written");
    assert!(written.contains("process pipeline \"Pipeline\""));
    std::fs::write(&out, "mine").expect("write");
    let second = run();
    assert_eq!(second.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&second.stderr).contains("exists already"));
    assert_eq!(std::fs::read_to_string(&out).expect("kept"), "mine");
}

#[test]
fn hubspot_s_own_openapi_example_imports() {
    // The `Pipeline` example of HubSpot's OpenAPI description: a ticket
    // pipeline, with no probabilities and no closed deal stage.
    let (text, compiled) = import(Crm::Hubspot, "hubspot-openapi-pipeline-example.json", None);
    let model = compiled.model.expect("model");
    let ids: Vec<&str> = model.stages.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["in_progress", "done", "won", "lost"], "{text}");
    assert!(text.contains("-> done 100%\n    -> lost\n"), "{text}");
}

#[test]
fn hostile_labels_and_values_still_give_a_sound_process() {
    let json = r#"{"results": [{"id": "p", "label": "Воронка \"продаж\"\n2", "stages": [
        {"id": "a", "label": "Первый контакт", "displayOrder": 2, "metadata": {"probability": "0.3", "isClosed": "false"}},
        {"id": "b", "label": "first \\ contact", "displayOrder": 1, "metadata": {"probability": 0.1, "isClosed": false}},
        {"id": "c", "label": "Первый контакт", "displayOrder": 3, "metadata": {"probability": "7", "isClosed": "false"}},
        {"id": "d", "label": "\u0007", "displayOrder": -4, "metadata": {"probability": "-1", "isClosed": "false"}},
        {"id": "e", "label": "1", "displayOrder": 5, "metadata": {"probability": "x", "isClosed": "maybe"}},
        {"id": "f", "label": "Won A", "displayOrder": 6, "metadata": {"probability": "1.0", "isClosed": "true"}},
        {"id": "g", "label": "Won B", "displayOrder": 7, "metadata": {"probability": "1.0", "isClosed": "true"}},
        {"id": "h", "label": "won", "displayOrder": 8, "metadata": {"probability": "0.0", "isClosed": "true"}}
    ]}]}"#;
    let p = choose(pipelines(Crm::Hubspot, json).expect("read"), None).expect("one");
    let text = to_proc(Crm::Hubspot, &p, "hostile.json");
    let compiled = procdef::compile(text.as_bytes());
    assert!(!compiled.has_errors(), "{text}\n{:?}", compiled.diagnostics);
    assert!(text.contains("# Left out: the closed stages \"Won B\""), "{text}");
    let model = compiled.model.expect("model");
    let ids: Vec<&str> = model.stages.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["stage", "first_contact", "первый_контакт", "первый_контакт_2", "stage_1", "won_a", "won"],
        "{text}"
    );
    assert_eq!(model.title, "Воронка \"продаж\"\n2");
    let rotten = r#"{"data": [{"name": "A", "order_nr": 1, "pipeline_id": 1, "deal_probability": 50, "rotten_flag": true, "rotten_days": 99999999999}]}"#;
    let p = choose(pipelines(Crm::Pipedrive, rotten).expect("read"), None).expect("one");
    let text = to_proc(Crm::Pipedrive, &p, "x.json");
    assert!(!procdef::compile(text.as_bytes()).has_errors(), "{text}");
}

#[test]
fn the_worked_examples_of_the_docs_are_what_the_commands_write() {
    let doc = std::fs::read_to_string(common::root().join("docs/import.md")).expect("docs/import.md");
    let (text, _) = import(Crm::Hubspot, "hubspot-pipelines.json", Some("default"));
    assert!(doc.contains(&text), "docs/import.md's import example is not what import writes:\n{text}");
    // The discover example: the CSV block of the page, discovered.
    let csv_at = doc.find("```csv\n").expect("the example log") + "```csv\n".len();
    let csv = &doc[csv_at..csv_at + doc[csv_at..].find("```").expect("end of the log")];
    let mut b = procdef::audit::log::LogBuilder::new();
    b.start_file("deals.csv", true);
    procdef::audit::read::read(procdef::audit::read::Form::Csv, csv.as_bytes(), &mut b, &Default::default())
        .expect("readable");
    let settings = procdef::import::discover::Settings {
        min_share: 0.10,
        sources: vec!["deals.csv".into()],
        ..Default::default()
    };
    let text = procdef::import::discover::discover(&b.finish(), &settings).expect("discovered");
    assert!(doc.contains(&text), "docs/import.md's discover example is not what discover writes:\n{text}");
}
