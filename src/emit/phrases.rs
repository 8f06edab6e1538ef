//! What a role's manual and the rollout kit say alike: the process line
//! under their titles, the segments and products of a `for` list, the
//! metrics of a stage and of a role's norms, and what a metric measures and
//! its target, in words.

use super::rich::{self, Rich};
use crate::i18n::Words;
use crate::model::graph::StageGraph;
use crate::model::{Comparison, Measure, Metric, Model, Period, Quantity, RoleId, StageId};

/// The line under a title: `Process: **Sales**, version 2`.
pub fn process_line(w: &Words, model: &Model) -> Rich {
    let mut line = rich::fill_plain(w, "manual.process", &[("process", &model.title)]);
    if let Some(v) = &model.version {
        line.push_str(", ");
        line.push(rich::fill_plain(w, "manual.version", &[("version", v)]));
    }
    line
}

/// The title of a segment or product named in a `for` list.
pub fn for_title(model: &Model, id: &str) -> String {
    model
        .segment_id(id)
        .map(|s| model.segments[s.0].title.clone())
        .or_else(|| model.product_id(id).map(|p| model.products[p.0].title.clone()))
        .unwrap_or_else(|| id.to_string())
}

/// The stage a metric is measured at.
pub fn metric_stage(m: &Metric) -> Option<StageId> {
    match &m.measure {
        Some(Measure::Conversion { from, .. }) | Some(Measure::Time { from, .. }) => *from,
        Some(Measure::Volume(a)) => *a,
        _ => None,
    }
}

/// The metrics that make a role's norms: activity norms of the role and
/// metrics it is responsible for, in declaration order.
pub fn role_norms(model: &Model, role: RoleId) -> Vec<(usize, &Metric)> {
    model
        .metrics
        .iter()
        .enumerate()
        .filter(|(_, m)| {
            matches!(&m.measure, Some(Measure::Activity { role: Some(r), .. }) if *r == role) || m.owner == Some(role)
        })
        .collect()
}

/// A rate in words: `60 per day`, `60 в день`.
pub fn rate_words(w: &Words, value: f64, per: Period) -> String {
    w.fill("rate", &[("value", &w.number(value, 1)), ("period", w.get(&format!("period.{}", per.as_str())))])
}

/// What a metric measures, in words.
pub fn metric_what(w: &Words, model: &Model, m: &Metric) -> String {
    let title = |s: &Option<StageId>| s.map_or_else(String::new, |s| model.stage(s).title.clone());
    match &m.measure {
        Some(Measure::Conversion { from, to }) => {
            w.fill("measure.conversion", &[("from", &title(from)), ("to", &title(to))])
        }
        Some(Measure::Time { from, to: None }) => w.fill("measure.time", &[("from", &title(from))]),
        Some(Measure::Time { from, to: Some(to) }) => {
            w.fill("measure.time_between", &[("from", &title(from)), ("to", &title(to))])
        }
        Some(Measure::Volume(a)) => w.fill("measure.volume", &[("from", &title(a))]),
        Some(Measure::Activity { what, role }) => w.fill(
            "measure.activity",
            &[("what", what), ("role", &role.map_or_else(String::new, |r| model.role(r).title.clone()))],
        ),
        None => String::new(),
    }
}

/// A metric's target in words: `at least 6%`, `≥ 6%`.
pub fn target_words(w: &Words, m: &Metric) -> Option<String> {
    let t = m.target.as_ref()?;
    let value = match t.value {
        Quantity::Percent(p) => w.percent(p),
        Quantity::Minutes(d) => w.duration(d),
        Quantity::Rate(r) => rate_words(w, r.value, r.per),
        Quantity::Number(n) => w.number(n, 2),
    };
    let key = if t.cmp == Comparison::AtLeast { "metric.target_at_least" } else { "metric.target_at_most" };
    Some(w.fill(key, &[("value", &value)]))
}

/// Whether the process marks its sale with `sale` stages (LANGUAGE.md
/// §6.1); without them, reaching a `won` outcome is the sale.
pub fn has_sale(model: &Model) -> bool {
    model.stages.iter().any(|s| s.sale && !s.is_terminal())
}

/// The stages a client can reach before a first sale: from the entries,
/// through stages that are neither a sale nor an outcome. Every stage
/// when the process has no `sale` stage.
pub fn before_sale(model: &Model, graph: &StageGraph) -> Vec<bool> {
    let n = model.stages.len();
    if !has_sale(model) {
        return vec![true; n];
    }
    graph.reachable_through(model.entries(), |s| {
        let stage = model.stage(s);
        !stage.sale && !stage.is_terminal()
    })
}

/// Whether a stage's title only repeats the word that says what it is
/// (`Клиент потерян` and `клиент потерян`), so that it is said once.
pub fn same_words(title: &str, word: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric() || c.is_whitespace())
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
            .replace('ё', "е")
    };
    norm(title) == norm(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_that_repeats_the_word_is_the_same() {
        assert!(same_words("Клиент потерян", "клиент потерян"));
        assert!(same_words("Клиент  потерян!", "клиент потерян"));
        assert!(same_words("Client lost", "client LOST"));
        assert!(!same_words("Отказ", "клиент потерян"));
        assert!(!same_words("Клиент потерян навсегда", "клиент потерян"));
    }
}
