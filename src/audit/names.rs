//! Stage names of a log matched to the stages of the process (AUDIT.md §1):
//! by id, else by title (exact, then ignoring case and surrounding
//! spaces), else through `--map`, else through the stage's CRM label as
//! `procdef export` writes it. CRM ids (`--crm-stages`) are first turned
//! into the CRM's labels, which then match the same way.

use crate::emit::crm::{salesforce::MAX_STAGE_NAME, unique_labels};
use crate::model::{Model, StageId};
use foldhash::HashMap;

/// How log names become stages.
#[derive(Debug, Default, Clone)]
pub struct NameMap {
    by_id: HashMap<String, StageId>,
    by_title: HashMap<String, StageId>,
    by_folded_title: HashMap<String, StageId>,
    /// `--map`: a log name → a stage id or title.
    map: HashMap<String, StageId>,
    by_label: HashMap<String, StageId>,
    /// `--crm-stages`: a CRM id → its label.
    crm: HashMap<String, String>,
    /// Ids and titles, for did-you-mean.
    known: Vec<String>,
}

/// `--map` rows that name no stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadMapping {
    pub row: u64,
    pub stage: String,
}

fn fold(text: &str) -> String {
    text.trim().to_lowercase()
}

impl NameMap {
    pub fn new(model: &Model) -> NameMap {
        let mut m = NameMap::default();
        for (i, stage) in model.stages.iter().enumerate() {
            let id = StageId(i);
            m.by_id.entry(stage.id.clone()).or_insert(id);
            m.by_title.entry(stage.title.clone()).or_insert(id);
            m.by_folded_title.entry(fold(&stage.title)).or_insert(id);
            m.known.push(stage.id.clone());
            if stage.title != stage.id {
                m.known.push(stage.title.clone());
            }
        }
        // The labels every export writes: whole titles made unique, and
        // Salesforce's cut to its limit. Process order is what `export`
        // uses to make them unique; declaration order gives the same labels
        // whenever the titles are already distinct, which is the usual case.
        let titles: Vec<&str> = model.stages.iter().map(|s| s.title.as_str()).collect();
        for max in [None, Some(MAX_STAGE_NAME)] {
            for (i, label) in unique_labels(&titles, max).into_iter().enumerate() {
                m.by_label.entry(fold(&label)).or_insert(StageId(i));
            }
        }
        m
    }

    /// Adds the rows of a `--map` file (`name,stage`; a header row whose
    /// second field names no stage is taken as a header). Returns the rows
    /// whose stage matches nothing.
    pub fn add_map(&mut self, rows: &[(u64, String, String)]) -> Vec<BadMapping> {
        let mut bad = Vec::new();
        for (n, (row, name, stage)) in rows.iter().enumerate() {
            match self.direct(stage) {
                Some(id) => {
                    self.map.entry(name.trim().to_string()).or_insert(id);
                }
                None if n == 0 => {}
                None => bad.push(BadMapping { row: *row, stage: stage.clone() }),
            }
        }
        bad
    }

    /// Adds CRM ids and their labels (`--crm-stages`).
    pub fn add_crm_stages(&mut self, stages: impl IntoIterator<Item = (String, String)>) {
        for (id, label) in stages {
            self.crm.entry(id).or_insert(label);
        }
    }

    fn direct(&self, name: &str) -> Option<StageId> {
        self.by_id
            .get(name)
            .or_else(|| self.by_title.get(name))
            .or_else(|| self.by_id.get(name.trim()))
            .or_else(|| self.by_folded_title.get(&fold(name)))
            .copied()
    }

    fn plain(&self, name: &str) -> Option<StageId> {
        self.direct(name)
            .or_else(|| self.map.get(name).or_else(|| self.map.get(name.trim())).copied())
            .or_else(|| self.by_label.get(&fold(name)).copied())
    }

    /// The stage a log name stands for.
    pub fn resolve(&self, name: &str) -> Option<StageId> {
        if let Some(id) = self.plain(name) {
            return Some(id);
        }
        let label = self.crm.get(name).or_else(|| self.crm.get(name.trim()))?;
        self.plain(label)
    }

    /// The stage id or title closest to an unknown name.
    pub fn suggest(&self, name: &str) -> Option<&str> {
        let name = name.trim();
        let folded = fold(name);
        if let Some(exact) = self.known.iter().find(|k| fold(k) == folded) {
            return Some(exact);
        }
        crate::suggest::closest(name, self.known.iter().map(String::as_str))
            .or_else(|| crate::suggest::closest(&folded, self.known.iter().map(String::as_str)))
    }
}

/// The CRM's own list of its stages (the JSON `procdef import` reads):
/// each stage's id and label. HubSpot: `GET /crm/v3/pipelines/deals`
/// (`results[].stages[]`) or one pipeline (`stages[]`), `id` and `label`;
/// Pipedrive: `GET /v1/stages` (`data[]`), `id` and `name`; Salesforce:
/// the `records[]` of an `OpportunityStage` query, `ApiName` and
/// `MasterLabel`.
pub fn crm_stages(json: &str) -> Result<Vec<(String, String)>, String> {
    use serde_json::Value;
    let value: Value = serde_json::from_str(json).map_err(|e| format!("it is not JSON: {e}"))?;
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let mut out = Vec::new();
    let mut pipeline = |p: &Value| {
        for s in p.get("stages").and_then(Value::as_array).into_iter().flatten() {
            if let (Some(id), Some(label)) = (s.get("id").and_then(text), s.get("label").and_then(text)) {
                out.push((id, label));
            }
        }
    };
    if let Some(results) = value.get("results").and_then(Value::as_array) {
        results.iter().for_each(&mut pipeline);
    } else if value.get("stages").is_some() {
        pipeline(&value);
    } else if let Some(data) = value.get("data").and_then(Value::as_array) {
        for s in data {
            if let (Some(id), Some(name)) = (s.get("id").and_then(text), s.get("name").and_then(text)) {
                out.push((id, name));
            }
        }
    } else if let Some(records) = value.get("records").and_then(Value::as_array) {
        for s in records {
            let id = s.get("ApiName").and_then(text);
            if let (Some(id), Some(label)) = (id, s.get("MasterLabel").and_then(text)) {
                out.push((id, label));
            }
        }
    } else {
        return Err("it holds no stages: expected HubSpot's `results[].stages[]` or `stages[]`, Pipedrive's `data[]` or Salesforce's `records[]`".into());
    }
    if out.is_empty() {
        return Err("it lists no stage with an id and a label".into());
    }
    Ok(out)
}

/// The rows of a `--map` file: `name,stage`, with their row numbers.
pub fn map_rows(input: impl std::io::Read) -> Result<Vec<(u64, String, String)>, String> {
    let mut reader = ::csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("row {} cannot be read: {e}", i + 1))?;
        match (record.get(0), record.get(1)) {
            (Some(name), Some(stage)) if record.len() == 2 => {
                let name = if i == 0 { name.trim_start_matches('\u{feff}') } else { name };
                rows.push((i as u64 + 1, name.trim().to_string(), stage.trim().to_string()));
            }
            _ => return Err(format!("row {} is not `name,stage`", i + 1)),
        }
    }
    Ok(rows)
}
