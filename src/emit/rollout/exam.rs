//! `rollout/exam-<role>.md` and `.html`, the candidate's sheet (questions
//! and room to answer, no answers), and `rollout/exam-<role>-key.md` and
//! `.html`, the examiner's key: one sheet per exam date of the role.
//!
//! The questions come from the role's manual and ask what to do and when,
//! in words a candidate can answer without reciting figures:
//! - the role's steps at a stage, a few at a time in the order written:
//!   the first ones when a client enters it, then those after the first
//!   three, …; what is done only for a segment or product; what is done when
//!   a client reaches an outcome; "by when?" where a step has a deadline
//!   (the key says it). No question quotes a step, so none gives away
//!   another's answer;
//! - for a stage the role owns: when it is done (its exit criteria, and its
//!   time limit) and where a client can go from it (the next stages, no
//!   shares);
//! - the role's norms of activity and time (a number of actions or a
//!   duration, never a conversion share).
//!
//! Each exam draws from this pool `questions N` questions (at most
//! [`DEFAULT_QUESTIONS`] without it), spread over the stages: a round takes
//! one question of each stage, in a shuffled order, until enough are drawn.
//! The shuffle is seeded by the role's id and the exam's day, so every build
//! draws the same questions and two exams of a role differ. The drawn
//! questions are asked in process order.

use super::when;
use crate::emit::page::{self, Block, Page, one_line};
use crate::emit::phrases::{for_title, metric_stage, metric_what, process_line, role_norms, target_words};
use crate::emit::rich::Rich;
use crate::i18n::Words;
use crate::model::graph::StageGraph;
use crate::model::{Instruction, Measure, Model, RoleId};
use crate::rollout::{Event, EventKind};

/// The most questions of an exam without `questions N`.
pub const DEFAULT_QUESTIONS: usize = 25;

/// The most steps one question asks for.
const STEPS_PER_QUESTION: usize = 3;

/// One question and its answer (one line or several).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The group it belongs to: a stage's heading, or the norms'.
    pub group: usize,
    pub text: String,
    pub answer: Vec<String>,
}

/// Every question that can be asked of `role`, in process order, and the
/// headings of their groups (a stage each, then the norms).
pub fn pool(model: &Model, graph: &StageGraph, role: RoleId) -> (Vec<String>, Vec<Question>) {
    let w = Words::new(model.language);
    let mut groups = Vec::new();
    let mut out = Vec::new();
    for &id in graph.process_order() {
        let stage = model.stage(id);
        let own = stage.owner == Some(role) && stage.outcome.is_none();
        let mine: Vec<&Instruction> = stage.instructions.iter().filter(|i| i.role == Some(role)).collect();
        if !own && mine.is_empty() {
            continue;
        }
        let title = stage.title.as_str();
        let group = groups.len();
        let before = out.len();
        let step = |i: &Instruction| match i.within {
            Some(d) => format!("{} — {}", one_line(&i.text), w.fill("exam.by_when", &[("d", &w.duration(d))])),
            None => one_line(&i.text),
        };
        let and_when = |mut text: String, steps: &[&Instruction]| {
            if steps.iter().any(|i| i.within.is_some()) {
                text.push(' ');
                text.push_str(w.get("exam.q_and_when"));
            }
            text
        };
        if stage.outcome.is_some() {
            if !mine.is_empty() {
                let text = w.fill("exam.q_at_outcome", &[("stage", title)]);
                let answer = mine.iter().map(|i| step(i)).collect();
                out.push(Question { group, text: and_when(text, &mine), answer });
            }
        } else {
            // The steps for every client, in order, a few at a time: the
            // first ones when a client enters, then the ones after them.
            let general: Vec<&Instruction> = mine.iter().copied().filter(|i| i.for_names.is_empty()).collect();
            for (k, chunk) in general.chunks(STEPS_PER_QUESTION).enumerate() {
                let text = if k == 0 {
                    w.fill("exam.q_first", &[("stage", title)])
                } else {
                    let n = (k * STEPS_PER_QUESTION).to_string();
                    w.fill("exam.q_after", &[("stage", title), ("n", &n)])
                };
                out.push(Question {
                    group,
                    text: and_when(text, chunk),
                    answer: chunk.iter().map(|i| step(i)).collect(),
                });
            }
            // What is done only for a segment or product, list by list.
            let mut lists: Vec<&Vec<String>> = Vec::new();
            for i in mine.iter().filter(|i| !i.for_names.is_empty()) {
                if !lists.contains(&&i.for_names) {
                    lists.push(&i.for_names);
                }
            }
            for list in lists {
                let names: Vec<String> = list.iter().map(|n| format!("«{}»", for_title(model, n))).collect();
                let steps: Vec<&Instruction> = mine.iter().copied().filter(|i| i.for_names == *list).collect();
                let text = w.fill("exam.q_only_for", &[("stage", title), ("names", &w.list(&names))]);
                out.push(Question {
                    group,
                    text: and_when(text, &steps),
                    answer: steps.iter().map(|i| step(i)).collect(),
                });
            }
        }
        if own && (!stage.exits.is_empty() || stage.within.is_some()) {
            let mut answer: Vec<String> = stage.exits.iter().map(|e| one_line(e)).collect();
            let key = match stage.within {
                Some(d) => {
                    answer.push(w.fill("exam.a_limit", &[("d", &w.duration(d))]));
                    if stage.exits.is_empty() { "exam.q_limit" } else { "exam.q_done_and_limit" }
                }
                None => "exam.q_done",
            };
            out.push(Question { group, text: w.fill(key, &[("stage", title)]), answer });
        }
        let next: Vec<String> =
            stage.transitions.iter().filter_map(|t| t.target).map(|t| format!("«{}»", model.stage(t).title)).collect();
        if own && next.len() > 1 {
            out.push(Question { group, text: w.fill("exam.q_where", &[("stage", title)]), answer: next });
        }
        if out.len() > before {
            groups.push(w.fill("exam.stage", &[("stage", title)]));
        }
    }

    // The norms: targets of activity and of time that concern the role.
    let group = groups.len();
    let before = out.len();
    for (k, m) in model.metrics.iter().enumerate() {
        if !matches!(m.measure, Some(Measure::Activity { .. } | Measure::Time { .. })) {
            continue;
        }
        let of_role = role_norms(model, role).iter().any(|(j, _)| *j == k);
        let at_own_stage =
            metric_stage(m).is_some_and(|s| model.stage(s).owner == Some(role) && model.stage(s).outcome.is_none());
        if !(of_role || at_own_stage) {
            continue;
        }
        let Some(target) = target_words(&w, m) else { continue };
        let text = w.fill("exam.q_norm", &[("metric", &m.title), ("what", &metric_what(&w, model, m))]);
        out.push(Question { group, text, answer: vec![target] });
    }
    if out.len() > before {
        groups.push(w.get("manual.norms").to_string());
    }
    (groups, out)
}

/// A small deterministic generator (SplitMix64): the same seed, the same
/// draw, on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// The seed of an exam: FNV-1a of the role's id, mixed with the day.
fn seed(role_id: &str, day: u32) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in role_id.bytes().chain(day.to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Which questions of `pool` an exam of `role_id` on `day` asks: at most
/// `n`, spread over the groups, in the pool's order.
pub fn draw(pool: &[Question], n: usize, role_id: &str, day: u32) -> Vec<usize> {
    let groups = pool.iter().map(|q| q.group).max().map_or(0, |g| g + 1);
    let mut rng = Rng(seed(role_id, day));
    let mut by_group: Vec<Vec<usize>> = vec![Vec::new(); groups];
    for (k, q) in pool.iter().enumerate() {
        by_group[q.group].push(k);
    }
    for g in &mut by_group {
        rng.shuffle(g);
    }
    let mut chosen = Vec::new();
    let mut round = 0;
    while chosen.len() < n.min(pool.len()) {
        let mut order: Vec<usize> = (0..groups).filter(|&g| by_group[g].len() > round).collect();
        rng.shuffle(&mut order);
        for g in order {
            if chosen.len() == n {
                break;
            }
            chosen.push(by_group[g][round]);
        }
        round += 1;
    }
    chosen.sort_unstable();
    chosen
}

/// One exam of the role: its day and how many questions it asks.
struct Sitting {
    day: u32,
    questions: usize,
}

fn sittings(model: &Model, role: RoleId, all: &[Event]) -> Vec<Sitting> {
    let Some(r) = &model.rollout else { return Vec::new() };
    all.iter()
        .filter(|e| e.kind == EventKind::Exam && e.roles.contains(&role))
        .map(|e| Sitting {
            day: e.day(),
            questions: r
                .exams
                .get(e.line)
                .and_then(|x| x.questions)
                .map_or(DEFAULT_QUESTIONS, |n| usize::try_from(n).unwrap_or(usize::MAX)),
        })
        .collect()
}

/// The day of an exam in words: `10 February 2027 (day 30)`, `day 30`.
fn exam_day(w: &Words, model: &Model, day: u32) -> String {
    let start = model.rollout.as_ref().and_then(|r| r.start);
    match start {
        Some(_) => format!("{} ({})", when(w, start, day), w.fill("event.day", &[("n", &day.to_string())])),
        None => when(w, start, day),
    }
}

/// The candidate's sheet (`key` false) or the examiner's key of `role`.
pub fn content(model: &Model, graph: &StageGraph, role: RoleId, all: &[Event], key: bool) -> Page {
    let w = Words::new(model.language);
    let r = model.role(role);
    let title = w.fill(if key { "exam.key_title" } else { "exam.title" }, &[("role", &r.title)]);
    let mut page = Page { lang: model.language.code(), title, lead: process_line(&w, model), blocks: Vec::new() };
    let (groups, pool) = pool(model, graph, role);
    let sittings = sittings(model, role, all);
    let b = &mut page.blocks;
    if !sittings.is_empty() {
        let dates: Vec<String> = sittings.iter().map(|s| exam_day(&w, model, s.day)).collect();
        b.push(Block::Para { text: Rich::plain(w.fill("exam.dates", &[("dates", &w.list(&dates))])) });
    }
    b.push(Block::Para { text: Rich::plain(w.get(if key { "exam.key_intro" } else { "exam.intro" })) });
    if pool.is_empty() {
        b.push(Block::Para { text: Rich::plain(w.get("exam.none")) });
        return page;
    }
    // A role examined on no day of the rollout still gets the sheet of its
    // first exam.
    let sittings = if sittings.is_empty() { vec![Sitting { day: 0, questions: DEFAULT_QUESTIONS }] } else { sittings };
    for (k, s) in sittings.iter().enumerate() {
        if k > 0 {
            b.push(Block::Break);
        }
        let chosen = draw(&pool, s.questions, &r.id, s.day);
        b.push(Block::Heading { level: 2, text: w.fill("exam.sitting", &[("date", &exam_day(&w, model, s.day))]) });
        if !key {
            let head = [w.get("exam.name"), w.get("event.date"), w.get("exam.result")].map(str::to_string).to_vec();
            let result = Rich::plain(w.fill("exam.of", &[("n", &chosen.len().to_string())]));
            b.push(Block::Table {
                head,
                rows: vec![vec![Rich::default(), Rich::default(), result]],
                numeric: vec![false; 3],
                form: true,
            });
        }
        let mut group = usize::MAX;
        for (n, &q) in chosen.iter().enumerate() {
            let q = &pool[q];
            if q.group != group {
                group = q.group;
                b.push(Block::Heading { level: 3, text: groups[group].clone() });
            }
            b.push(if key {
                Block::Answer { number: n + 1, question: q.text.clone(), answer: q.answer.clone() }
            } else {
                Block::Question { number: n + 1, text: q.text.clone(), room: 3 }
            });
        }
    }
    page
}

/// The candidate's sheet of `role` as Markdown.
pub fn markdown(model: &Model, graph: &StageGraph, role: RoleId, all: &[Event]) -> String {
    page::markdown(&content(model, graph, role, all, false))
}

/// The examiner's key of `role` as Markdown.
pub fn key_markdown(model: &Model, graph: &StageGraph, role: RoleId, all: &[Event]) -> String {
    page::markdown(&content(model, graph, role, all, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool_of(groups: &[usize]) -> Vec<Question> {
        groups.iter().map(|&group| Question { group, text: String::new(), answer: Vec::new() }).collect()
    }

    #[test]
    fn a_draw_spreads_over_the_groups_and_repeats_for_the_same_exam() {
        // Four groups of 1, 5, 2 and 8 questions.
        let pool = pool_of(&[0, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3]);
        let a = draw(&pool, 8, "rep", 30);
        assert_eq!(a.len(), 8);
        assert_eq!(a, draw(&pool, 8, "rep", 30), "the same exam draws the same");
        for g in 0..4 {
            assert!(a.iter().any(|&k| pool[k].group == g), "group {g} is asked about: {a:?}");
        }
        assert!(a.windows(2).all(|p| p[0] < p[1]), "in the pool's order, no repeats");
        // Another day or another role draws another set.
        assert_ne!(a, draw(&pool, 8, "rep", 60));
        assert_ne!(a, draw(&pool, 8, "lead", 30));
        // Never more than the pool holds.
        assert_eq!(draw(&pool, 100, "rep", 30).len(), pool.len());
        // Fewer questions than groups: each from another group.
        let few = draw(&pool, 3, "rep", 30);
        let mut groups: Vec<usize> = few.iter().map(|&k| pool[k].group).collect();
        groups.dedup();
        assert_eq!(groups.len(), 3, "{few:?}");
    }
}
