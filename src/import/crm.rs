//! `procdef import`: the pipelines a CRM's API returns, as JSON, turned
//! into a `.proc` skeleton (IMPORT.md). `docs/crm.md` says which fields
//! are read and where the example responses of the tests come from.
//!
//! - HubSpot: `GET /crm/v3/pipelines/deals` (`results[]`), or one pipeline
//!   (`label`, `stages[]` with `label`, `displayOrder`,
//!   `metadata.probability`, `metadata.isClosed`).
//! - Pipedrive: `GET /v1/stages` or `GET /api/v2/stages` (`data[]` with
//!   `name`, `order_nr`, `deal_probability`, `rotten_flag` / `rotten_days`
//!   in v1, `is_deal_rot_enabled` / `days_to_rotten` in v2, `pipeline_id`,
//!   `pipeline_name` in v1).
//! - Salesforce: the `records[]` of a REST query of `OpportunityStage`
//!   (`MasterLabel`, `ApiName`, `SortOrder`, `DefaultProbability`,
//!   `IsClosed`, `IsWon`, `Description`, `IsActive`).
//!
//! Percentages invert the CRM's stage probabilities along the chain of
//! open stages, chosen from the last stage back so that the funnel model
//! gives each stage's probability back to the CRM's own precision.

use super::{Ids, comment_text, laid_out, quote};
use crate::emit::crm::Crm;
use serde_json::Value;

/// One stage as the CRM lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct CrmStage {
    pub id: Option<String>,
    pub label: String,
    /// Where the CRM puts it among the pipeline's stages.
    pub order: f64,
    /// The win probability, 0 to 1, when the CRM gives one.
    pub probability: Option<f64>,
    pub closed: bool,
    pub won: bool,
    /// Days after which a deal left here goes rotten.
    pub rotten_days: Option<u32>,
    pub description: Option<String>,
}

/// One pipeline: its stages in the CRM's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    pub id: Option<String>,
    pub label: String,
    pub stages: Vec<CrmStage>,
}

/// Why a file cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Not JSON, or not the shape this CRM returns: the message says what
    /// was expected.
    Shape(String),
    /// Several pipelines and none chosen: their ids and labels.
    Several(Vec<(Option<String>, String)>),
    /// `--pipeline` names none of them.
    NoSuchPipeline(String, Vec<(Option<String>, String)>),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |all: &[(Option<String>, String)]| {
            all.iter()
                .map(|(id, label)| match id {
                    Some(id) => format!("  {id}  {}", comment_text(label)),
                    None => format!("  {}", comment_text(label)),
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        match self {
            Error::Shape(m) => f.write_str(m),
            Error::Several(all) => write!(
                f,
                "the file holds {} pipelines; choose one with --pipeline NAME or --pipeline ID:\n{}",
                all.len(),
                list(all)
            ),
            Error::NoSuchPipeline(name, all) => {
                write!(f, "no pipeline is named or numbered `{}`; the file holds:\n{}", comment_text(name), list(all))
            }
        }
    }
}

/// What each CRM's file is, for messages.
pub fn expected(crm: Crm) -> &'static str {
    match crm {
        Crm::Hubspot => {
            "HubSpot's pipelines: the JSON of `GET /crm/v3/pipelines/deals` (an object with `results[]`), or one pipeline (an object with `label` and `stages[]`)"
        }
        Crm::Pipedrive => {
            "Pipedrive's stages: the JSON of `GET /v1/stages` or `GET /api/v2/stages` (an object with `data[]`, each stage with `name`, `order_nr` and `pipeline_id`)"
        }
        Crm::Salesforce => {
            "Salesforce's opportunity stages: the JSON of a REST query of `OpportunityStage` (an object with `records[]`, each with `MasterLabel`, `SortOrder`, `DefaultProbability`, `IsClosed`, `IsWon`)"
        }
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|x: &f64| x.is_finite())
}

fn boolean(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        _ => None,
    }
}

fn field<'v>(v: &'v Value, names: &[&str]) -> Option<&'v Value> {
    names.iter().find_map(|n| v.get(*n)).filter(|v| !v.is_null())
}

/// Reads the pipelines of a CRM's JSON.
pub fn pipelines(crm: Crm, json: &str) -> Result<Vec<Pipeline>, Error> {
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    let value: Value = serde_json::from_str(json)
        .map_err(|e| Error::Shape(format!("it is not JSON ({e}); expected {}", expected(crm))))?;
    let wrong = |what: &str| Error::Shape(format!("{what}; expected {}", expected(crm)));
    let found = match crm {
        Crm::Hubspot => hubspot(&value).ok_or_else(|| wrong("it is not HubSpot's JSON of pipelines"))?,
        Crm::Pipedrive => pipedrive(&value).ok_or_else(|| wrong("it is not Pipedrive's JSON of stages"))?,
        Crm::Salesforce => {
            salesforce(&value).ok_or_else(|| wrong("it is not Salesforce's JSON of OpportunityStage records"))?
        }
    };
    let found: Vec<Pipeline> = found.into_iter().filter(|p| !p.stages.is_empty()).collect();
    if found.is_empty() {
        return Err(wrong("it lists no stage"));
    }
    Ok(found)
}

fn hubspot(value: &Value) -> Option<Vec<Pipeline>> {
    let one = |p: &Value| -> Option<Pipeline> {
        let stages = p.get("stages")?.as_array()?;
        let mut out = Vec::new();
        for (i, s) in stages.iter().enumerate() {
            let label = field(s, &["label"]).and_then(text)?;
            let meta = s.get("metadata");
            let closed = meta.and_then(|m| field(m, &["isClosed"])).and_then(boolean).unwrap_or(false);
            let probability = meta.and_then(|m| field(m, &["probability"])).and_then(number).map(|p| p.clamp(0.0, 1.0));
            if s.get("archived").and_then(boolean) == Some(true) {
                continue;
            }
            out.push(CrmStage {
                id: field(s, &["id", "stageId"]).and_then(text),
                label,
                order: field(s, &["displayOrder"]).and_then(number).unwrap_or(i as f64),
                probability,
                closed,
                won: closed && probability.is_some_and(|p| p > 0.0),
                rotten_days: None,
                description: None,
            });
        }
        Some(Pipeline {
            id: field(p, &["id", "pipelineId"]).and_then(text),
            label: field(p, &["label"]).and_then(text).unwrap_or_else(|| "Pipeline".into()),
            stages: out,
        })
    };
    if let Some(results) = value.get("results").and_then(Value::as_array) {
        results.iter().filter(|p| p.get("archived").and_then(boolean) != Some(true)).map(one).collect()
    } else if value.get("stages").is_some() {
        one(value).map(|p| vec![p])
    } else {
        None
    }
}

fn pipedrive(value: &Value) -> Option<Vec<Pipeline>> {
    let data = value.get("data")?.as_array()?;
    let mut out: Vec<Pipeline> = Vec::new();
    for (i, s) in data.iter().enumerate() {
        let label = field(s, &["name"]).and_then(text)?;
        if s.get("is_deleted").and_then(boolean) == Some(true) || s.get("active_flag").and_then(boolean) == Some(false)
        {
            continue;
        }
        let pipeline = field(s, &["pipeline_id"]).and_then(text)?;
        let rot = field(s, &["rotten_flag", "is_deal_rot_enabled"]).and_then(boolean);
        let days = field(s, &["rotten_days", "days_to_rotten"]).and_then(number).filter(|d| *d >= 1.0);
        let stage = CrmStage {
            id: field(s, &["id"]).and_then(text),
            label,
            order: field(s, &["order_nr"]).and_then(number).unwrap_or(i as f64),
            probability: field(s, &["deal_probability"]).and_then(number).map(|p| (p / 100.0).clamp(0.0, 1.0)),
            closed: false,
            won: false,
            rotten_days: if rot == Some(false) { None } else { days.map(|d| d.ceil().min(100_000.0) as u32) },
            description: None,
        };
        let name = field(s, &["pipeline_name"]).and_then(text);
        match out.iter_mut().find(|p| p.id.as_deref() == Some(pipeline.as_str())) {
            Some(p) => p.stages.push(stage),
            None => out.push(Pipeline {
                id: Some(pipeline.clone()),
                label: name.unwrap_or_else(|| format!("Pipeline {pipeline}")),
                stages: vec![stage],
            }),
        }
    }
    Some(out)
}

fn salesforce(value: &Value) -> Option<Vec<Pipeline>> {
    let records = value.get("records")?.as_array()?;
    let mut stages = Vec::new();
    for (i, s) in records.iter().enumerate() {
        let label = field(s, &["MasterLabel", "ApiName"]).and_then(text)?;
        if s.get("IsActive").and_then(boolean) == Some(false) {
            continue;
        }
        let closed = field(s, &["IsClosed"]).and_then(boolean).unwrap_or(false);
        stages.push(CrmStage {
            id: field(s, &["ApiName"]).and_then(text),
            label,
            order: field(s, &["SortOrder"]).and_then(number).unwrap_or(i as f64),
            probability: field(s, &["DefaultProbability"]).and_then(number).map(|p| (p / 100.0).clamp(0.0, 1.0)),
            closed,
            won: closed && field(s, &["IsWon"]).and_then(boolean).unwrap_or(false),
            rotten_days: None,
            description: field(s, &["Description"]).and_then(text).filter(|d| !d.is_empty()),
        });
    }
    Some(vec![Pipeline { id: None, label: "Opportunity".into(), stages }])
}

/// The one pipeline to import: the only one, or the one `--pipeline` names
/// by id or label (exact, then ignoring case).
pub fn choose(mut all: Vec<Pipeline>, wanted: Option<&str>) -> Result<Pipeline, Error> {
    let listing = |all: &[Pipeline]| all.iter().map(|p| (p.id.clone(), p.label.clone())).collect::<Vec<_>>();
    match wanted {
        None if all.len() == 1 => Ok(all.remove(0)),
        None => Err(Error::Several(listing(&all))),
        Some(w) => {
            let w = w.trim();
            let at = all
                .iter()
                .position(|p| p.id.as_deref() == Some(w))
                .or_else(|| all.iter().position(|p| p.label == w))
                .or_else(|| all.iter().position(|p| p.label.to_lowercase() == w.to_lowercase()));
            match at {
                Some(i) => Ok(all.remove(i)),
                None => Err(Error::NoSuchPipeline(w.to_string(), listing(&all))),
            }
        }
    }
}

/// The precision of a CRM's probabilities, as steps per whole.
fn steps(crm: Crm) -> f64 {
    match crm {
        Crm::Hubspot => 10.0,
        Crm::Pipedrive | Crm::Salesforce => 100.0,
    }
}

/// The percentage of each move along the chain of open stages (the
/// move from stage `i` to `i + 1`, the last one to won), from their win
/// probabilities, or why it cannot be inverted.
pub fn invert(crm: Crm, wins: &[f64]) -> Vec<Result<u32, &'static str>> {
    let grid = steps(crm);
    let on_grid = |p: f64| (p * grid).round();
    let mut out = vec![Ok(50); wins.len()];
    // What the funnel model gives for the stage after, from the numbers
    // already chosen: 1 at won.
    let mut after = 1.0;
    for i in (0..wins.len()).rev() {
        let w = wins[i];
        let next = wins.get(i + 1).copied().unwrap_or(1.0);
        let chosen = if next <= 0.0 || after <= 0.0 {
            Err("the next stage's probability is 0%, so this stage's cannot be reached through it")
        } else if w > next + 1e-9 {
            Err("this stage's probability is above the next stage's, so no share of moves gives it")
        } else {
            let exact = w / after * 100.0;
            // The whole percent nearest the ratio, or a neighbour, whichever
            // gives the CRM's value back at its precision.
            let candidates = [exact.round(), exact.floor(), exact.ceil(), exact.round() - 1.0, exact.round() + 1.0];
            let fits =
                candidates.iter().map(|c| c.clamp(1.0, 100.0)).find(|c| on_grid(c / 100.0 * after) == on_grid(w));
            Ok(fits.unwrap_or(exact.round().clamp(1.0, 100.0)) as u32)
        };
        after *= match chosen {
            Ok(p) => f64::from(p) / 100.0,
            Err(_) => 0.5,
        };
        out[i] = chosen;
    }
    out
}

/// The `.proc` text of one pipeline, laid out as `fmt` does.
pub fn to_proc(crm: Crm, pipeline: &Pipeline, source: &str) -> String {
    let mut stages = pipeline.stages.clone();
    // The CRM's order; equal orders keep the file's.
    stages.sort_by(|a, b| a.order.partial_cmp(&b.order).unwrap_or(std::cmp::Ordering::Equal));
    let mut ids = Ids::new();
    let process_id = ids.make(&pipeline.label, "pipeline");
    let mut ids = Ids::new();
    let owner = "owner";
    let open: Vec<&CrmStage> = stages.iter().filter(|s| !s.closed).collect();
    let won: Vec<&CrmStage> = stages.iter().filter(|s| s.closed && s.won).collect();
    let lost: Vec<&CrmStage> = stages.iter().filter(|s| s.closed && !s.won).collect();
    let open_ids: Vec<String> = open.iter().map(|s| ids.make(&s.label, "stage")).collect();
    let won_stage = won.first().copied();
    let lost_stage = lost.first().copied();
    let won_id = ids.make(won_stage.map_or("won", |s| s.label.as_str()), "won");
    let lost_id = ids.make(lost_stage.map_or("lost", |s| s.label.as_str()), "lost");

    let mut out = String::new();
    out.push_str(&format!(
        "# Imported from {}'s pipeline {} ({source}) by `procdef import`.\n",
        crm.name(),
        quote(&comment_text(&pipeline.label))
    ));
    out.push_str("# Each open stage needs its owner and its instructions: that is the consultant's work.\n");
    let left_out: Vec<&CrmStage> = won.iter().skip(1).chain(lost.iter().skip(1)).copied().collect();
    if !left_out.is_empty() {
        let names: Vec<String> = left_out.iter().map(|s| quote(&comment_text(&s.label))).collect();
        out.push_str(&format!(
            "# Left out: the closed stages {}; one won and one lost outcome are kept.\n",
            names.join(", ")
        ));
    }
    out.push_str(&format!("process {process_id} {} {{\n", quote(&pipeline.label)));
    out.push_str(&format!(
        "role {owner} \"Stage owner\" {{\ndescription \"A placeholder: give each stage the role that owns it.\"\n}}\n"
    ));

    // Win probabilities along the chain; a stage without one gets the
    // next one's, so its move is 100%.
    let mut wins = vec![0.0; open.len()];
    let mut next = 1.0;
    for i in (0..open.len()).rev() {
        wins[i] = open[i].probability.unwrap_or(next);
        next = wins[i];
    }
    let shares = invert(crm, &wins);
    for (i, s) in open.iter().enumerate() {
        out.push_str(&format!("stage {} {} {{\n", open_ids[i], quote(&s.label)));
        if let Some(d) = &s.description {
            out.push_str(&format!("description {}\n", quote(d)));
        }
        if i == 0 {
            out.push_str("entry\n");
        }
        out.push_str(&format!("owner {owner}\n"));
        if let Some(days) = s.rotten_days {
            out.push_str(&format!("within {days}d\n"));
        }
        let next_id = open_ids.get(i + 1).unwrap_or(&won_id);
        match &shares[i] {
            // Every open stage can lose the deal, so the lost outcome is
            // reached even where the CRM's probabilities never fall.
            Ok(p) => out.push_str(&format!("-> {next_id} {p}%\n-> {lost_id}\n")),
            Err(why) => {
                let p = s.probability.map_or_else(String::new, |p| format!(" ({})", super::percent(p)));
                out.push_str(&format!("# 50%: {why}{p}.\n-> {next_id} 50%\n-> {lost_id}\n"));
            }
        }
        out.push_str("}\n");
    }
    for (id, stage, kind, fallback) in [(&won_id, won_stage, "won", "Won"), (&lost_id, lost_stage, "lost", "Lost")] {
        let title = stage.map_or(fallback, |s| s.label.as_str());
        out.push_str(&format!("stage {id} {} {{\n", quote(title)));
        if let Some(d) = stage.and_then(|s| s.description.as_ref()) {
            out.push_str(&format!("description {}\n", quote(d)));
        }
        out.push_str(&format!("outcome {kind}\n}}\n"));
    }
    out.push_str("}\n");
    laid_out(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverting_gives_the_probabilities_back() {
        let wins = [0.1, 0.2, 0.4, 0.6, 0.8];
        let p: Vec<u32> = invert(Crm::Pipedrive, &wins).into_iter().map(|r| r.expect("invertible")).collect();
        assert_eq!(p, [50, 50, 67, 75, 80]);
        let mut w = 1.0;
        for i in (0..wins.len()).rev() {
            w *= f64::from(p[i]) / 100.0;
            assert_eq!((w * 100.0).round(), (wins[i] * 100.0).round(), "stage {i}");
        }
    }

    #[test]
    fn a_rising_chain_cannot_be_inverted() {
        let r = invert(Crm::Salesforce, &[0.5, 0.3]);
        assert!(r[0].is_err());
        assert_eq!(r[1], Ok(30));
        assert!(invert(Crm::Salesforce, &[0.5, 0.0])[0].is_err());
    }
}
