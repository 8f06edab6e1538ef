//! Salesforce: the opportunity stages and the Sales Path that guides
//! people through them.
//!
//! - `OpportunityStage`: one record per stage, with the fields of
//!   Salesforce's `OpportunityStage` object. Salesforce creates these
//!   from the values of the `OpportunityStage` standard value set (Setup,
//!   or a Metadata API deploy); `docs/crm.md` gives the field mapping.
//! - `PathAssistant`: the Sales Path in the Metadata API's shape, one
//!   step per stage with its key fields and its guidance for success (the
//!   stage's instructions and exit criteria as rich text).

use super::{PipelineStage, cut, one_line, pipeline};
use crate::emit::i18n::Words;
use crate::funnel::Analysis;
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
    let steps = stages
        .iter()
        .map(|s| PathAssistantStep {
            picklist_value_name: s.label.clone(),
            // The rep records the agreed next step at every open stage.
            field_names: if s.outcome().is_none() { vec!["NextStep".to_string()] } else { Vec::new() },
            info: guidance(model, s, &w),
        })
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
    fn html_is_escaped() {
        assert_eq!(html("<b>\"a\" & 'b'</b>"), "&lt;b&gt;\"a\" &amp; 'b'&lt;/b&gt;");
    }
}
