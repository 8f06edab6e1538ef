//! `index.html`: one page linking every output of the build, for the
//! consultant to hand over: the manuals, the funnel plan, the rollout kit,
//! the audit of the CRM's history and the files for other tools, each with
//! its printable page and its Markdown (or data) file.

use super::Output;
use super::page::{Block, Link, Page};
use crate::i18n::Words;
use crate::model::Model;

/// The parts of the index, in order, and the prefix of the paths in each.
const PARTS: &[(&str, &str)] = &[
    ("index.manuals", "manuals/"),
    ("index.plan", "funnel."),
    ("index.rollout", "rollout/"),
    ("index.audit", "audit/"),
    ("index.data", ""),
];

/// What one output is, in words; `stems` are the roles' file stems.
fn label(w: &Words, model: &Model, stems: &[String], stem: &str) -> String {
    let role = |s: &str| stems.iter().position(|x| x == s).map(|i| model.roles[i].title.clone());
    let with_role = |key: &str, s: &str| role(s).map(|r| w.fill(key, &[("role", &r)]));
    let found = if let Some(s) = stem.strip_prefix("manuals/") {
        with_role("index.manual", s)
    } else if let Some(s) =
        stem.strip_prefix("rollout/exam-").and_then(|s| s.strip_suffix("-key")).filter(|s| role(s).is_some())
    {
        with_role("index.exam_key", s)
    } else if let Some(s) = stem.strip_prefix("rollout/exam-") {
        with_role("index.exam", s)
    } else if let Some(s) = stem.strip_prefix("rollout/audit-") {
        with_role("index.audit_sheet", s)
    } else {
        let key = match stem {
            "funnel" => "index.funnel",
            "rollout/schedule" => "index.schedule",
            "rollout/rollout" => "index.ics",
            "audit/report" => "index.report",
            "audit/audit" => "index.report_json",
            "process" => "index.json",
            "process.schema" => "index.schema",
            "graph" => "index.graph",
            _ => "",
        };
        (!key.is_empty()).then(|| w.get(key).to_string())
    };
    found.unwrap_or_else(|| stem.to_string())
}

/// The index of `outputs`.
pub fn content(model: &Model, outputs: &[Output]) -> Page {
    let w = Words::new(model.language);
    let ids: Vec<&str> = model.roles.iter().map(|r| r.id.as_str()).collect();
    let stems = super::files::stems(&ids);
    let title = w.fill("index.title", &[("process", &model.title)]);
    let mut page =
        Page { lang: model.language.code(), title, lead: super::phrases::process_line(&w, model), blocks: Vec::new() };
    page.blocks.push(Block::Para { text: super::rich::Rich::plain(w.get("index.intro")) });
    let mut done = vec![false; outputs.len()];
    for (heading, prefix) in PARTS {
        let mut entries: Vec<(String, Vec<Link>)> = Vec::new();
        for (k, o) in outputs.iter().enumerate() {
            if done[k] || !o.path.starts_with(prefix) || o.path == "index.html" {
                continue;
            }
            done[k] = true;
            let (stem, ext) = o.path.rsplit_once('.').unwrap_or((o.path.as_str(), ""));
            let kind = match ext {
                "html" => w.get("index.html"),
                "md" => "Markdown",
                "ics" => "iCalendar",
                "json" => "JSON",
                "mmd" => "Mermaid",
                _ => ext,
            };
            let link = Link { text: kind.to_string(), stem: o.path.clone(), exact: true };
            match entries.iter_mut().find(|(s, _)| s == stem) {
                Some((_, links)) => links.push(link),
                None => entries.push((stem.to_string(), vec![link])),
            }
        }
        if entries.is_empty() {
            continue;
        }
        page.blocks.push(Block::Heading { level: 2, text: w.get(heading).to_string() });
        for (stem, mut links) in entries {
            // The printable page first.
            links.sort_by_key(|l| !l.stem.ends_with(".html"));
            page.blocks.push(Block::Links { label: label(&w, model, &stems, &stem), links });
        }
    }
    page
}
