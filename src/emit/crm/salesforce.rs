//! Salesforce: the opportunity stages and the Sales Path that guides
//! people through them.
//!
//! - `OpportunityStage`: one record per stage, with the fields of
//!   Salesforce's `OpportunityStage` object. Salesforce creates these
//!   from the values of the `OpportunityStage` standard value set (Setup,
//!   or a Metadata API deploy); `docs/crm.md` gives the field mapping.
//! - `PathAssistant`: the Sales Path in the Metadata API's shape, one
//!   step per open stage with its key fields and its guidance for success
//!   (the stage's instructions and exit criteria as rich text), and one
//!   per outcome stage that has guidance.
//!
//! Salesforce keeps one set of opportunity stages, so a process with
//! `sale` stages gives only its sales pipeline: the sale stages are closed
//! won, and the stages after the sale are left out.
//!
//! [`metadata_files`] writes the same as a Metadata API folder, the files
//! `sf project deploy start --metadata-dir DIR` takes: `package.xml`, the
//! `OpportunityStage` standard value set and the path, each element in the
//! order the Metadata API's XML Schema gives.

use super::xml::Xml;
use super::{PipelineStage, cut, one_line, pipeline};
use crate::funnel::Analysis;
use crate::i18n::Words;
use crate::model::{Model, OutcomeKind};
use serde::Serialize;

/// The longest stage name (`Opportunity.StageName` holds 40 characters).
pub const MAX_STAGE_NAME: usize = 40;
/// The longest guidance for success.
pub const MAX_GUIDANCE: usize = 1000;
/// The longest description of a stage.
pub const MAX_DESCRIPTION: usize = 255;
/// The longest API name of a path.
pub const MAX_API_NAME: usize = 40;
/// The Metadata API version of `package.xml`: the version of the XML
/// Schema the files are checked against.
pub const API_VERSION: &str = "66.0";
/// Starts the comment in `package.xml` that lists the files of the
/// export, so that a later export knows the folder as its own.
pub const MANIFEST: &str = "procdef export files:";

/// Everything Salesforce needs.
#[derive(Debug, Clone, Serialize)]
pub struct Export {
    #[serde(rename = "OpportunityStage")]
    pub stages: Vec<OpportunityStage>,
    #[serde(rename = "PathAssistant")]
    pub path: PathAssistant,
}

/// An `OpportunityStage` record.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OpportunityStage {
    /// The stage's name as people see it.
    pub master_label: String,
    /// The picklist value's API name: the same text.
    pub api_name: String,
    pub is_active: bool,
    /// The win probability in whole percent, 0–100.
    pub default_probability: u32,
    pub is_closed: bool,
    pub is_won: bool,
    /// `Pipeline`, `Best Case`, `Commit`, `Closed` or `Omitted`.
    pub forecast_category_name: String,
    /// 1, 2, … in pipeline order.
    pub sort_order: u32,
    /// The stage's description, one line, at most 255 characters.
    pub description: Option<String>,
}

/// The Sales Path (Metadata API type `PathAssistant`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PathAssistant {
    /// The path's API name, from the process id.
    pub full_name: String,
    pub active: bool,
    pub entity_name: String,
    pub field_name: String,
    pub master_label: String,
    pub record_type_name: String,
    pub path_assistant_steps: Vec<PathAssistantStep>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PathAssistantStep {
    /// The stage (its `ApiName`).
    pub picklist_value_name: String,
    /// Opportunity fields shown at the step.
    pub field_names: Vec<String>,
    /// Guidance for success: rich text (HTML), at most 1000 characters.
    pub info: String,
}

/// The forecast category of a stage: closed won stages are `Closed`, lost
/// ones `Omitted`; an open stage is `Commit` from 80%, `Best Case` from
/// 50%, `Pipeline` below.
pub fn forecast_category(outcome: Option<OutcomeKind>, win: f64) -> &'static str {
    match outcome {
        Some(OutcomeKind::Won) => "Closed",
        Some(OutcomeKind::Lost) => "Omitted",
        None if win >= 0.8 - 1e-9 => "Commit",
        None if win >= 0.5 - 1e-9 => "Best Case",
        None => "Pipeline",
    }
}

/// Latin letters for Cyrillic ones, for API names.
fn latin(c: char) -> Option<&'static str> {
    const TABLE: &[(char, &str)] = &[
        ('а', "a"),
        ('б', "b"),
        ('в', "v"),
        ('г', "g"),
        ('д', "d"),
        ('е', "e"),
        ('ё', "e"),
        ('ж', "zh"),
        ('з', "z"),
        ('и', "i"),
        ('й', "i"),
        ('к', "k"),
        ('л', "l"),
        ('м', "m"),
        ('н', "n"),
        ('о', "o"),
        ('п', "p"),
        ('р', "r"),
        ('с', "s"),
        ('т', "t"),
        ('у', "u"),
        ('ф', "f"),
        ('х', "kh"),
        ('ц', "ts"),
        ('ч', "ch"),
        ('ш', "sh"),
        ('щ', "shch"),
        ('ъ', ""),
        ('ы', "y"),
        ('ь', ""),
        ('э', "e"),
        ('ю', "iu"),
        ('я', "ia"),
    ];
    let lower = c.to_lowercase().next().unwrap_or(c);
    TABLE.iter().find(|(k, _)| *k == lower).map(|(_, v)| *v)
}

/// A Salesforce API name from an identifier: ASCII letters, digits and
/// single underscores, starting with a letter, not ending in `_`, at most
/// 40 characters. Cyrillic is transliterated; other letters become `_`.
pub fn api_name(id: &str) -> String {
    let mut s = String::new();
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if let Some(l) = latin(c) {
            s.push_str(l);
        } else {
            s.push('_');
        }
    }
    let mut out = String::new();
    for c in s.chars() {
        if c == '_' && (out.is_empty() || out.ends_with('_')) {
            continue;
        }
        out.push(c);
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "Path_");
    }
    out.truncate(MAX_API_NAME);
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// Escapes text for the content of an HTML element (no attributes are
/// written, so quotes stay as they are).
fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Rich text that stops before `limit` characters, whole items only, with
/// a last item saying there is more.
struct Guidance {
    html: String,
    limit: usize,
    more: String,
    full: bool,
}

impl Guidance {
    fn len(s: &str) -> usize {
        s.chars().count()
    }

    /// Adds a list with a heading. Items that do not fit are left out and
    /// replaced by one "and more" item; a list not even one item of which
    /// fits is left out whole.
    fn list(&mut self, tag: &str, heading: &str, items: &[String]) {
        if self.full || items.is_empty() {
            return;
        }
        let open = format!("<p><b>{}</b></p><{tag}>", html(heading));
        let close = format!("</{tag}>");
        let more = format!("<li>{}</li>", html(&self.more));
        let mut body = String::new();
        for (k, item) in items.iter().enumerate() {
            let li = format!("<li>{}</li>", html(item));
            let last = k + 1 == items.len();
            // Unless this is the last item, room must stay for "and more".
            let reserve = if last { 0 } else { Self::len(&more) };
            let after =
                Self::len(&self.html) + Self::len(&open) + Self::len(&body) + Self::len(&li) + Self::len(&close);
            if after + reserve > self.limit {
                self.full = true;
                if body.is_empty() {
                    return;
                }
                body.push_str(&more);
                break;
            }
            body.push_str(&li);
        }
        self.html.push_str(&open);
        self.html.push_str(&body);
        self.html.push_str(&close);
    }
}

/// The guidance for success of one stage: when the stage is done (its
/// exit criteria), then what to do (the steps in order, another role's
/// steps named by role). The stage's description is the stage's
/// `Description`, so it is not repeated here.
fn guidance(model: &Model, s: &PipelineStage, w: &Words) -> String {
    let stage = s.stage;
    let mut g = Guidance { html: String::new(), limit: MAX_GUIDANCE, more: w.get("crm.more").to_string(), full: false };
    let exits: Vec<String> = stage.exits.iter().map(|e| one_line(e)).collect();
    g.list("ul", w.get("manual.exit"), &exits);
    let steps: Vec<String> = stage
        .instructions
        .iter()
        .map(|i| {
            let mut text = one_line(&i.text);
            if i.role.is_some() && i.role != stage.owner {
                let role = i.role.map_or_else(|| i.role_name.clone(), |r| model.role(r).title.clone());
                text = w.fill("crm.by", &[("role", &one_line(&role)), ("text", &text)]);
            }
            let mut notes = Vec::new();
            if let Some(d) = i.within {
                notes.push(w.fill("crm.within", &[("d", &w.duration(d))]));
            }
            if !i.for_names.is_empty() {
                let names: Vec<String> = i.for_names.iter().map(|n| for_title(model, n)).collect();
                notes.push(w.fill("manual.only_for", &[("names", &w.list(&names))]));
            }
            if !notes.is_empty() {
                text = format!("{text} ({})", notes.join("; "));
            }
            text
        })
        .collect();
    g.list("ol", w.get("manual.steps"), &steps);
    g.html
}

/// The title of a segment or product named in a `for` list.
fn for_title(model: &Model, id: &str) -> String {
    model
        .segment_id(id)
        .map(|s| model.segments[s.0].title.clone())
        .or_else(|| model.product_id(id).map(|p| model.products[p.0].title.clone()))
        .map_or_else(|| id.to_string(), |t| one_line(&t))
}

pub fn payload(model: &Model, analysis: &Analysis) -> Export {
    let w = Words::new(model.language);
    let stages = pipeline(model, analysis, Some(MAX_STAGE_NAME));
    let records = stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let outcome = s.outcome();
            OpportunityStage {
                master_label: s.label.clone(),
                api_name: s.label.clone(),
                is_active: true,
                default_probability: (s.win_probability * 100.0).round().clamp(0.0, 100.0) as u32,
                is_closed: outcome.is_some(),
                is_won: outcome == Some(OutcomeKind::Won),
                forecast_category_name: forecast_category(outcome, s.win_probability).to_string(),
                sort_order: i as u32 + 1,
                description: s.stage.description.as_ref().map(|d| cut(&one_line(d), MAX_DESCRIPTION)),
            }
        })
        .collect();
    // A step per open stage; an outcome stage gets one only when it has
    // guidance (what to do once a deal is won or lost), as the path shows
    // a closed stage's guidance when a deal is closed with it.
    let steps = stages
        .iter()
        .map(|s| PathAssistantStep {
            picklist_value_name: s.label.clone(),
            // The rep records the agreed next step at every open stage.
            field_names: if s.outcome().is_none() { vec!["NextStep".to_string()] } else { Vec::new() },
            info: guidance(model, s, &w),
        })
        .filter(|step| !step.field_names.is_empty() || !step.info.is_empty())
        .collect();
    let path = PathAssistant {
        full_name: api_name(&model.id),
        active: true,
        entity_name: "Opportunity".into(),
        field_name: "StageName".into(),
        master_label: cut(&one_line(&model.title), 80),
        record_type_name: "__MASTER__".into(),
        path_assistant_steps: steps,
    };
    Export { stages: records, path }
}

/// The Metadata API value of a forecast category (`ForecastCategories`
/// in the schema): the name without spaces, and `Forecast` for `Commit`.
pub fn forecast_category_api(name: &str) -> &'static str {
    match name {
        "Closed" => "Closed",
        "Omitted" => "Omitted",
        "Commit" => "Forecast",
        "Best Case" => "BestCase",
        _ => "Pipeline",
    }
}

/// One file of a Metadata API folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataFile {
    /// The path inside the folder, `/`-separated.
    pub path: String,
    pub text: String,
}

/// The path of the standard value set inside the folder.
pub const STAGES_FILE: &str = "standardValueSets/OpportunityStage.standardValueSet";

/// The path of a path assistant's file inside the folder.
pub fn path_file(full_name: &str) -> String {
    format!("pathAssistants/{full_name}.pathAssistant")
}

/// The export as a Metadata API folder: `package.xml`, the
/// `OpportunityStage` standard value set (every stage, open ones first)
/// and the Sales Path (a step per open stage), in that order.
pub fn metadata_files(export: &Export) -> Vec<MetadataFile> {
    let path_name = export.path.full_name.as_str();
    let files = ["package.xml".to_string(), path_file(path_name), STAGES_FILE.to_string()];

    let mut package = Xml::new("Package");
    package.comment(&format!("{MANIFEST} {}", files.join(" ")));
    package.open("types");
    package.text("members", path_name);
    package.text("name", "PathAssistant");
    package.close();
    package.open("types");
    package.text("members", "OpportunityStage");
    package.text("name", "StandardValueSet");
    package.close();
    package.text("version", API_VERSION);

    // The order of the elements is the schema's: the type's own sequence
    // after the sequences of the types it extends (StandardValue extends
    // CustomValue, which extends Metadata).
    let mut values = Xml::new("StandardValueSet");
    values.text("sorted", "false");
    for s in &export.stages {
        values.open("standardValue");
        values.text("fullName", &s.api_name);
        values.text("default", "false");
        if let Some(d) = &s.description {
            values.text("description", d);
        }
        values.text("label", &s.master_label);
        values.text("closed", &s.is_closed.to_string());
        values.text("forecastCategory", forecast_category_api(&s.forecast_category_name));
        values.text("probability", &s.default_probability.to_string());
        values.text("won", &s.is_won.to_string());
        values.close();
    }

    let p = &export.path;
    let mut path = Xml::new("PathAssistant");
    path.text("active", &p.active.to_string());
    path.text("entityName", &p.entity_name);
    path.text("fieldName", &p.field_name);
    path.text("masterLabel", &p.master_label);
    for step in &p.path_assistant_steps {
        path.open("pathAssistantSteps");
        for f in &step.field_names {
            path.text("fieldNames", f);
        }
        if !step.info.is_empty() {
            path.text("info", &step.info);
        }
        path.text("picklistValueName", &step.picklist_value_name);
        path.close();
    }
    path.text("recordTypeName", &p.record_type_name);

    let [package_path, path_path, stages_path] = files;
    vec![
        MetadataFile { path: package_path, text: package.finish() },
        MetadataFile { path: path_path, text: path.finish() },
        MetadataFile { path: stages_path, text: values.finish() },
    ]
}

/// The files an earlier export wrote, from its `package.xml`; `None` when
/// the text is not a `package.xml` procdef wrote. Only plain relative
/// paths count (no `..`, no absolute path).
pub fn manifest(package_xml: &str) -> Option<Vec<String>> {
    let start = package_xml.find(&format!("<!-- {MANIFEST} "))? + MANIFEST.len() + 6;
    let rest = &package_xml[start..];
    let end = rest.find(" -->")?;
    let files: Vec<String> = rest[..end].split(' ').map(str::to_string).collect();
    let plain = |f: &String| {
        !f.is_empty()
            && !f.starts_with('/')
            && f.split('/').all(|part| !part.is_empty() && part != "." && part != "..")
            && f.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/'))
    };
    (files.iter().all(plain) && files.iter().any(|f| f == "package.xml")).then_some(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forecast_categories_follow_probability_and_outcome() {
        assert_eq!(forecast_category(Some(OutcomeKind::Won), 1.0), "Closed");
        assert_eq!(forecast_category(Some(OutcomeKind::Lost), 0.0), "Omitted");
        assert_eq!(forecast_category(None, 0.9), "Commit");
        assert_eq!(forecast_category(None, 0.8), "Commit");
        assert_eq!(forecast_category(None, 0.6), "Best Case");
        assert_eq!(forecast_category(None, 0.49), "Pipeline");
    }

    #[test]
    fn api_names_are_what_salesforce_accepts() {
        assert_eq!(api_name("tool_distribution"), "tool_distribution");
        assert_eq!(api_name("продажи_инструмента"), "prodazhi_instrumenta");
        assert_eq!(api_name("_x__y_"), "x_y");
        assert_eq!(api_name("9lives"), "Path_9lives");
        assert_eq!(api_name("日本"), "Path");
        assert!(api_name(&"a".repeat(100)).len() <= MAX_API_NAME);
    }

    #[test]
    fn guidance_stays_within_the_limit_and_says_when_cut() {
        let mut g = Guidance { html: String::new(), limit: 120, more: "more".into(), full: false };
        let items: Vec<String> = (0..20).map(|i| format!("step {i}")).collect();
        g.list("ol", "Steps", &items);
        assert!(g.html.chars().count() <= 120, "{}", g.html);
        assert!(g.html.ends_with("<li>more</li></ol>"), "{}", g.html);
        assert!(g.html.starts_with("<p><b>Steps</b></p><ol><li>step 0</li>"));
    }

    #[test]
    fn a_list_that_cannot_fit_one_item_is_left_out() {
        let mut g = Guidance { html: String::new(), limit: 40, more: "more".into(), full: false };
        g.list("ul", "Done when", &["a criterion far too long to fit in forty characters".to_string()]);
        assert_eq!(g.html, "");
        let mut g = Guidance { html: String::new(), limit: 1000, more: "more".into(), full: false };
        g.list("ul", "Done when", &["x".to_string()]);
        g.list("ol", "Steps", &["y".to_string()]);
        assert_eq!(g.html, "<p><b>Done when</b></p><ul><li>x</li></ul><p><b>Steps</b></p><ol><li>y</li></ol>");
    }

    #[test]
    fn forecast_categories_have_their_api_values() {
        assert_eq!(forecast_category_api("Commit"), "Forecast");
        assert_eq!(forecast_category_api("Best Case"), "BestCase");
        assert_eq!(forecast_category_api("Pipeline"), "Pipeline");
        assert_eq!(forecast_category_api("Closed"), "Closed");
        assert_eq!(forecast_category_api("Omitted"), "Omitted");
    }

    #[test]
    fn the_manifest_reads_back_and_refuses_other_paths() {
        let xml = "<Package>\n    <!-- procdef export files: package.xml pathAssistants/p.pathAssistant -->\n";
        assert_eq!(manifest(xml), Some(vec!["package.xml".to_string(), "pathAssistants/p.pathAssistant".to_string()]));
        assert_eq!(manifest("<!-- procdef export files: package.xml ../x -->"), None);
        assert_eq!(manifest("<!-- procdef export files: package.xml /etc/x -->"), None);
        assert_eq!(manifest("<!-- procdef export files: a/b -->"), None, "no package.xml");
        assert_eq!(manifest("<Package/>"), None);
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(html("<b>\"a\" & 'b'</b>"), "&lt;b&gt;\"a\" &amp; 'b'&lt;/b&gt;");
    }
}
