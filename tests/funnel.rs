//! The funnel model against numbers worked out by hand on small chains,
//! and against the textbook dense solution of the absorbing Markov chain
//! on random valid processes.

mod common;

use common::*;
use procdef::funnel::Analysis;
use procdef::model::Model;
use proptest::prelude::*;

const DAY: f64 = 1440.0;

/// Compiles a process that must have no errors, with its funnel model.
fn analysed(text: &str) -> (Model, Analysis) {
    let compiled = procdef::compile(text.as_bytes());
    assert!(!compiled.has_errors(), "{}", render("test.proc", &compiled));
    let analysis = compiled.analysis.clone().expect("a sound graph has a funnel model");
    (compiled.model.expect("a model"), analysis)
}

#[track_caller]
fn close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 1e-9, "got {actual}, expected {expected}");
}

#[track_caller]
fn close_opt(actual: Option<f64>, expected: f64) {
    let actual = actual.unwrap_or_else(|| panic!("no value, expected {expected}"));
    close(actual, expected);
}

fn stage<'a>(model: &Model, analysis: &'a Analysis, id: &str) -> &'a procdef::funnel::StageFigures {
    let s = model.stage_id(id).unwrap_or_else(|| panic!("no stage {id}"));
    &analysis.stages[s.0]
}

fn metric(model: &Model, analysis: &Analysis, id: &str) -> Option<f64> {
    let k = model.metrics.iter().position(|m| m.id == id).unwrap_or_else(|| panic!("no metric {id}"));
    analysis.metrics[k]
}

// ---------------------------------------------------------------- small chains

/// `a -> a 50% loop, -> won 25%, -> lost`: a client at `a` is won with
/// 0.25 / (1 − 0.5) = 0.5 and visits `a` 1 / (1 − 0.5) = 2 times.
#[test]
fn a_self_loop_wins_half_and_is_visited_twice() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/funnel/self_loop.proc")).expect("fixture");
    let (model, a) = analysed(&text);
    close(stage(&model, &a, "calls").win_probability, 0.5);
    close(stage(&model, &a, "calls").expected_visits, 2.0);
    close(stage(&model, &a, "won").win_probability, 1.0);
    close(stage(&model, &a, "lost").win_probability, 0.0);
    // For an outcome, "visits" is the share of new clients ending there.
    close(stage(&model, &a, "won").expected_visits, 0.5);
    close(stage(&model, &a, "lost").expected_visits, 0.5);
    close(a.new_client_win_probability, 0.5);

    // The plan: 10 won a month need 20 new clients, who make 40 visits of
    // `calls` (30 min each: 20 h) against 2 people × 4 h × 21 days = 168 h.
    let plan = a.plan.as_ref().expect("a plan");
    close_opt(plan.goal_clients, 10.0);
    close_opt(plan.new_clients_per_period, 20.0);
    close_opt(stage(&model, &a, "calls").volume_per_period, 40.0);
    close_opt(stage(&model, &a, "won").volume_per_period, 10.0);
    close_opt(stage(&model, &a, "lost").volume_per_period, 10.0);
    let rep = &plan.roles[0];
    close_opt(rep.workload_hours, 20.0);
    close_opt(rep.capacity_hours, 168.0);
    close_opt(rep.utilization, 20.0 / 168.0);
    assert!(plan.missing.is_empty(), "{:?}", plan.missing);
}

const REWORK: &str = r#"
process p {
  role rep
  stage a { entry owner rep takes 2d within 3d instruct rep { "x" } -> b 80% -> lost }
  stage b { owner rep takes 3d within 5d instruct rep { "y" } -> won 50% -> a 30% loop -> lost }
  stage won { outcome won }
  stage lost { outcome lost }
  metric a_to_b { conversion a -> b }
  metric b_to_a { conversion b -> a }
  metric a_to_won { conversion a -> won }
  metric time_a { time a }
  metric time_a_b { time a -> b }
  metric time_b_won { time b -> won }
  metric volume_b { volume b }
}
"#;

/// A two-stage rework loop, solved by hand:
///   w(a) = 0.8 w(b), w(b) = 0.5 + 0.3 w(a)  ⇒  w(a) = 0.4 / 0.76 = 10/19,
///   w(b) = 25/38;
///   v(a) = 1 + 0.3 v(b), v(b) = 0.8 v(a)    ⇒  v(a) = 25/19, v(b) = 20/19;
///   won = 0.5 v(b) = 10/19, lost = 0.2 v(a) + 0.2 v(b) = 9/19.
#[test]
fn a_two_stage_rework_loop() {
    let (model, a) = analysed(REWORK);
    close(stage(&model, &a, "a").win_probability, 10.0 / 19.0);
    close(stage(&model, &a, "b").win_probability, 25.0 / 38.0);
    close(stage(&model, &a, "a").expected_visits, 25.0 / 19.0);
    close(stage(&model, &a, "b").expected_visits, 20.0 / 19.0);
    close(stage(&model, &a, "won").expected_visits, 10.0 / 19.0);
    close(stage(&model, &a, "lost").expected_visits, 9.0 / 19.0);
    close(a.new_client_win_probability, 10.0 / 19.0);
}

/// Conversions and times on the rework loop.
#[test]
fn conversions_and_times_on_a_rework_loop() {
    let (model, a) = analysed(REWORK);
    // A client entering a reaches b before an outcome with 80%; one
    // entering b comes back to a with 30% (only directly).
    close_opt(metric(&model, &a, "a_to_b"), 0.8);
    close_opt(metric(&model, &a, "b_to_a"), 0.3);
    close_opt(metric(&model, &a, "a_to_won"), 10.0 / 19.0);
    // `time a` is a's `takes`.
    close_opt(metric(&model, &a, "time_a"), 2.0 * DAY);
    // From a to b: every client who reaches b spends one stay at a first.
    close_opt(metric(&model, &a, "time_a_b"), 2.0 * DAY);
    // From b to won among the won: k rounds of the loop with probability
    // ∝ 0.24^k, each 5 days, then 3 days at b: 3 + 5 × 0.24 / 0.76 days.
    close_opt(metric(&model, &a, "time_b_won"), (3.0 + 5.0 * 0.24 / 0.76) * DAY);
    // Without a plan a volume has no value.
    assert_eq!(metric(&model, &a, "volume_b"), None);
    // Expected time to an outcome from a: x(a) = 2 + 0.8 x(b),
    // x(b) = 3 + 0.3 x(a)  ⇒  x(a) = 4.4 / 0.76 days.
    let entry = &a.entries[0];
    close_opt(entry.expected_minutes_to_outcome, 4.4 / 0.76 * DAY);
    // The worst case follows `within` without the loop: 3d + 5d.
    close_opt(entry.worst_case_minutes_to_outcome, 8.0 * DAY);
}

/// `time A -> B` counts only the clients who reach B: a client won at once
/// took 1 day, one won through b took 3; the first are twice as many.
#[test]
fn time_between_stages_is_conditioned_on_reaching_the_end() {
    let (model, a) = analysed(
        r#"
process p {
  role rep
  stage a { entry owner rep takes 1d instruct rep { "x" } -> b 50% -> won 50% }
  stage b { owner rep takes 2d instruct rep { "y" } -> won 50% -> lost }
  stage won { outcome won }
  stage lost { outcome lost }
  metric t { time a -> won }
  metric c { conversion a -> won }
}
"#,
    );
    // E[T · won] = 0.5 × 1 + 0.25 × 3 = 1.25 days; P(won) = 0.75.
    close_opt(metric(&model, &a, "t"), 1.25 / 0.75 * DAY);
    close_opt(metric(&model, &a, "c"), 0.75);
}

/// A revenue goal is divided by the share-weighted deal of the segments.
#[test]
fn a_revenue_goal_becomes_won_clients_through_the_average_deal() {
    let process = |segments: &str, revenue: &str| {
        format!(
            r#"
process p {{
  {segments}
  role rep {{ capacity 6h/day }}
  stage a {{ entry owner rep effort 1h instruct rep {{ "x" }} -> a 50% loop -> won 25% -> lost }}
  stage won {{ outcome won }}
  stage lost {{ outcome lost }}
  plan {{ revenue {revenue} }}
}}
"#
        )
    };
    // 60% × 100 000 + 40% × 350 000 = 200 000 a deal: 2 000 000 a month is
    // 10 won clients, 20 new ones (half are won), 40 visits of a.
    let (model, a) = analysed(&process(
        r#"segment x { share 60% deal 100000 RUB } segment y { share 40% deal 350000 RUB }"#,
        "2000000 RUB/month",
    ));
    let plan = a.plan.as_ref().expect("a plan");
    close_opt(plan.goal_clients, 10.0);
    close_opt(plan.new_clients_per_period, 20.0);
    close_opt(stage(&model, &a, "a").volume_per_period, 40.0);
    close_opt(plan.roles[0].workload_hours, 40.0);
    close_opt(plan.roles[0].capacity_hours, 126.0);

    // Without shares the segments weigh the same: (100 000 + 300 000) / 2.
    let (_, a) =
        analysed(&process(r#"segment x { deal 100000 RUB } segment y { deal 300000 RUB }"#, "1000000 RUB/week"));
    let plan = a.plan.as_ref().expect("a plan");
    close_opt(plan.goal_clients, 5.0);
    close_opt(plan.new_clients_per_period, 10.0);
    // A week has 5 workdays.
    close_opt(plan.roles[0].capacity_hours, 30.0);
    close_opt(plan.roles[0].utilization, 20.0 / 30.0);

    // A deal in another currency cannot be averaged: no number is made up.
    let compiled = procdef::compile(
        process(
            r#"segment x { share 50% deal 1000 EUR } segment y { share 50% deal 300000 RUB }"#,
            "1000000 RUB/month",
        )
        .as_bytes(),
    );
    let plan = compiled.analysis.as_ref().and_then(|a| a.plan.as_ref()).expect("a plan");
    assert_eq!(plan.goal_clients, None);
    assert_eq!(plan.new_clients_per_period, None);
    assert_eq!(plan.roles[0].workload_hours, None);
    assert!(compiled.diagnostics.iter().any(|d| d.code.as_str() == "P505"));
}

/// Entries without shares split new clients evenly.
#[test]
fn entries_without_shares_split_new_clients_evenly() {
    let (model, a) = analysed(
        r#"
process p {
  role rep { capacity 2h/day }
  stage warm { entry owner rep effort 12min instruct rep { "x" } -> won }
  stage cold { entry owner rep effort 6min instruct rep { "y" } -> won 20% -> lost }
  stage won { outcome won }
  stage lost { outcome lost }
  plan { goal 12/day }
}
"#,
    );
    // Half start warm (always won), half cold (20%): 0.5 + 0.1 = 60%.
    close(a.new_client_win_probability, 0.6);
    let plan = a.plan.as_ref().expect("a plan");
    close_opt(plan.new_clients_per_period, 20.0);
    close_opt(stage(&model, &a, "warm").volume_per_period, 10.0);
    close_opt(stage(&model, &a, "cold").volume_per_period, 10.0);
    // 10 × 12 min + 10 × 6 min = 3 h a day against 2 h: 150%.
    close_opt(plan.roles[0].workload_hours, 3.0);
    close_opt(plan.roles[0].capacity_hours, 2.0);
    close_opt(plan.roles[0].utilization, 1.5);
}

/// A stage whose only ways out have 0% keeps its clients forever: its win
/// probability is 0 and its visits and the plan's hours cannot be
/// computed. Nothing in the model is NaN.
#[test]
fn a_stage_no_client_leaves_gives_no_made_up_numbers() {
    let text = r#"
process p {
  role rep { capacity 6h/day }
  stage stuck { entry 50% owner rep effort 1h instruct rep { "x" } -> stuck 100% loop -> won 0% }
  stage fine { entry 50% owner rep effort 1h instruct rep { "y" } -> won }
  stage won { outcome won }
  plan { goal 10/month }
}
"#;
    let compiled = procdef::compile(text.as_bytes());
    assert!(!compiled.has_errors(), "{}", render("stuck.proc", &compiled));
    let model = compiled.model.as_ref().expect("a model");
    let a = compiled.analysis.as_ref().expect("a funnel model");
    close(stage(model, a, "stuck").win_probability, 0.0);
    close(stage(model, a, "fine").win_probability, 1.0);
    close(a.new_client_win_probability, 0.5);
    assert!(stage(model, a, "stuck").expected_visits.is_infinite());
    close(stage(model, a, "won").expected_visits, 0.5);
    let plan = a.plan.as_ref().expect("a plan");
    close_opt(plan.new_clients_per_period, 20.0);
    assert_eq!(plan.roles[0].workload_hours, None);
    assert_eq!(plan.roles[0].utilization, None);
    assert!(
        compiled.diagnostics.iter().any(|d| d.code.as_str() == "P505" && d.message.contains("never leave")),
        "{}",
        render("stuck.proc", &compiled)
    );
    let nan = a.stages.iter().any(|s| s.win_probability.is_nan() || s.expected_visits.is_nan())
        || a.stages.iter().any(|s| s.volume_per_period.is_some_and(f64::is_nan));
    assert!(!nan, "{a:?}");
    // process.json says "cannot be computed" as null.
    let json = procdef::emit::json::analysis_json(model, Some(a));
    assert_eq!(json.stages[0].expected_visits, None);
    assert_eq!(json.stages[0].volume_per_period, None);
}

/// Long loops with tiny exits: every client is won in the end, and the
/// rounding of the elimination never makes a probability exceed 1.
#[test]
fn a_long_loop_with_a_tiny_exit_stays_a_probability() {
    let (model, a) = analysed(
        r#"
process p {
  role rep
  stage s0 { entry owner rep instruct rep { "x" } -> s0 98.4% loop -> s1 1.6% }
  stage s1 { owner rep instruct rep { "x" } -> s0 50% loop -> s2 50% }
  stage s2 { owner rep instruct rep { "x" } -> s0 46.7% loop -> s1 31.1% loop -> s2 21.5% loop -> won 0.7% }
  stage won { outcome won }
}
"#,
    );
    for s in ["s0", "s1", "s2"] {
        let w = stage(&model, &a, s).win_probability;
        assert!((0.0..=1.0).contains(&w), "{s}: {w}");
        close(w, 1.0);
    }
    assert!(a.new_client_win_probability <= 1.0);
}

// ---------------------------------------------------------------- the textbook cross-check

/// A random valid process: `n` stages `s0…`, each sending its clients
/// forward, to the outcomes and back (`loop`), with percentages in tenths
/// that add up to exactly 100%.
#[derive(Debug, Clone)]
struct Chain {
    n: usize,
    /// `p[i][j]` in tenths of a percent, j over the stages, then won, then lost.
    p: Vec<Vec<u32>>,
    /// Whether stage i's transition to j is written at all.
    present: Vec<Vec<bool>>,
    /// Entry stages with their share in percent (`None`: split evenly).
    entries: Vec<(usize, Option<u32>)>,
    /// Minutes of effort per stage.
    effort: Vec<u32>,
    goal: u32,
    headcount: u32,
    capacity_h: u32,
    /// Write the transition to the next stage without its percentage.
    remainder: bool,
}

impl Chain {
    fn won(&self) -> usize {
        self.n
    }
    fn lost(&self) -> usize {
        self.n + 1
    }
    fn name(&self, j: usize) -> String {
        if j == self.won() {
            "won".into()
        } else if j == self.lost() {
            "lost".into()
        } else {
            format!("s{j}")
        }
    }
    /// The target every stage must have: the next stage, or won.
    fn next(&self, i: usize) -> usize {
        if i + 1 < self.n { i + 1 } else { self.won() }
    }

    fn text(&self) -> String {
        let mut s = format!(
            "process random {{\n  role rep {{ headcount {} capacity {}h/day }}\n",
            self.headcount, self.capacity_h
        );
        let uses_lost = self.present.iter().any(|row| row[self.lost()]);
        for i in 0..self.n {
            let mut line =
                format!("  stage s{i} {{ owner rep effort {}min instruct rep {{ \"step\" }}", self.effort[i]);
            if let Some((_, share)) = self.entries.iter().find(|(e, _)| *e == i) {
                line.push_str(" entry");
                if let Some(share) = share {
                    line.push_str(&format!(" {share}%"));
                }
            }
            for j in 0..self.n + 2 {
                if !self.present[i][j] {
                    continue;
                }
                let tenths = self.p[i][j];
                let percent = if self.remainder && j == self.next(i) {
                    String::new()
                } else {
                    format!(" {}.{}%", tenths / 10, tenths % 10)
                };
                let is_loop = if j < self.n && j <= i { " loop" } else { "" };
                line.push_str(&format!(" -> {}{percent}{is_loop}", self.name(j)));
            }
            line.push_str(" }\n");
            s.push_str(&line);
        }
        s.push_str("  stage won { outcome won }\n");
        if uses_lost {
            s.push_str("  stage lost { outcome lost }\n");
        }
        s.push_str(&format!("  plan {{ goal {}/month }}\n}}\n", self.goal));
        s
    }

    /// The share of new clients entering each stage.
    fn entry_shares(&self) -> Vec<f64> {
        let mut e = vec![0.0; self.n];
        let all_given = self.entries.iter().all(|(_, s)| s.is_some());
        for (i, share) in &self.entries {
            e[*i] = match share {
                Some(s) if all_given => f64::from(*s) / 100.0,
                _ => 1.0 / self.entries.len() as f64,
            };
        }
        e
    }

    fn prob(&self, i: usize, j: usize) -> f64 {
        if self.present[i][j] { f64::from(self.p[i][j]) / 1000.0 } else { 0.0 }
    }
}

/// Splits 1000 tenths of a percent among `weights` by largest remainder
/// (ties to the lower index).
fn tenths(weights: &[u32]) -> Vec<u32> {
    let total: u32 = weights.iter().sum();
    let mut out: Vec<u32> = weights.iter().map(|w| w * 1000 / total).collect();
    let mut left = 1000 - out.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(weights[k] * 1000 % total));
    for k in order {
        if left == 0 {
            break;
        }
        out[k] += 1;
        left -= 1;
    }
    out
}

fn chain_strategy() -> impl Strategy<Value = Chain> {
    (1usize..=6)
        .prop_flat_map(|n| {
            (
                Just(n),
                prop::collection::vec(prop::collection::vec(prop::option::weighted(0.4, 0u32..=100), n + 2), n),
                (0..n, prop::option::of(1u32..=99)),
                prop::collection::vec(1u32..=24, n),
                (1u32..=60, 1u32..=5, 1u32..=8),
                any::<bool>(),
            )
        })
        .prop_map(|(n, weights, (second, share), effort, (goal, headcount, capacity_h), remainder)| {
            let mut chain = Chain {
                n,
                p: vec![vec![0; n + 2]; n],
                present: vec![vec![false; n + 2]; n],
                entries: Vec::new(),
                effort: effort.iter().map(|e| e * 5).collect(),
                goal,
                headcount,
                capacity_h,
                remainder,
            };
            for (i, row) in weights.iter().enumerate() {
                let next = chain.next(i);
                let mut w: Vec<u32> = row.iter().map(|x| x.unwrap_or(0)).collect();
                let mut present: Vec<bool> = row.iter().map(Option::is_some).collect();
                // The next stage always gets at least a fifth of the
                // clients, so every stage leads to an outcome and a client
                // passes through at most some thousands of stages on
                // average: beyond that no process is real, and doubles
                // cannot hold two eliminations to 1e-9 of each other.
                present[next] = true;
                let others: u32 = (0..n + 2).filter(|&j| j != next).map(|j| w[j]).sum();
                w[next] = w[next].max(1).max(others.div_ceil(4));
                let idx: Vec<usize> = (0..n + 2).filter(|&j| present[j]).collect();
                let split = tenths(&idx.iter().map(|&j| w[j]).collect::<Vec<_>>());
                for (k, &j) in idx.iter().enumerate() {
                    chain.p[i][j] = split[k];
                }
                // The next stage keeps at least 0.1%.
                if chain.p[i][next] == 0 {
                    let donor =
                        idx.iter().copied().find(|&j| j != next && chain.p[i][j] > 0).expect("tenths add to 1000");
                    chain.p[i][donor] -= 1;
                    chain.p[i][next] = 1;
                }
                chain.present[i] = present;
            }
            chain.entries = match (second, share) {
                (0, _) => vec![(0, None)],
                (k, Some(s)) => vec![(0, Some(s)), (k, Some(100 - s))],
                (k, None) => vec![(0, None), (k, None)],
            };
            chain
        })
}

/// Equal to 1e-9, or to 1e-9 of the size of a value above 1.
fn near(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0)
}

/// Gaussian elimination with partial pivoting on a dense system, written
/// here independently of the crate.
fn solve_dense(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs())).expect("rows");
        a.swap(col, pivot);
        b.swap(col, pivot);
        assert!(a[col][col].abs() > 1e-12, "singular: every stage here leads to an outcome");
        let pivot_row = a[col].clone();
        for row in col + 1..n {
            let f = a[row][col] / pivot_row[col];
            for (x, p) in a[row][col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    x
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// w = (I − Q)⁻¹ R·won and the visits N = e·(I − Q)⁻¹, solved densely,
    /// agree with `analyse` to 1e-9; and the model's own properties hold.
    #[test]
    fn the_funnel_model_matches_the_dense_textbook_solution(chain in chain_strategy()) {
        let text = chain.text();
        let compiled = procdef::compile(text.as_bytes());
        prop_assert!(!compiled.has_errors(), "{}\n{}", text, render("random.proc", &compiled));
        let model = compiled.model.as_ref().expect("a model");
        let a = compiled.analysis.as_ref().expect("a funnel model");
        let n = chain.n;
        let id = |j: usize| model.stage_id(&chain.name(j)).expect("declared").0;

        // I − Q among the transient stages, and R·won.
        let i_minus_q: Vec<Vec<f64>> = (0..n)
            .map(|i| (0..n).map(|j| f64::from(u8::from(i == j)) - chain.prob(i, j)).collect())
            .collect();
        let r_won: Vec<f64> = (0..n).map(|i| chain.prob(i, chain.won())).collect();
        let w = solve_dense(i_minus_q.clone(), r_won);
        let transposed: Vec<Vec<f64>> = (0..n).map(|i| (0..n).map(|j| i_minus_q[j][i]).collect()).collect();
        let e = chain.entry_shares();
        let v = solve_dense(transposed, e.clone());

        // Probabilities to 1e-9; visits, which a long loop makes large, to
        // 1e-9 of their size (beyond that, doubles cannot tell two correct
        // eliminations apart).
        for i in 0..n {
            let f = &a.stages[id(i)];
            prop_assert!((f.win_probability - w[i]).abs() < 1e-9, "w(s{}) {} vs {}\n{}", i, f.win_probability, w[i], text);
            prop_assert!(
                near(f.expected_visits, v[i]),
                "v(s{}) {} vs {}\n{}", i, f.expected_visits, v[i], text
            );
        }
        let ends_won: f64 = (0..n).map(|i| v[i] * chain.prob(i, chain.won())).sum();
        prop_assert!((a.stages[id(chain.won())].expected_visits - ends_won).abs() < 1e-9);
        let p_win: f64 = (0..n).map(|i| e[i] * w[i]).sum();
        prop_assert!((a.new_client_win_probability - p_win).abs() < 1e-9);

        // Properties of any absorbing chain.
        let mut ends = 0.0;
        for (s, f) in model.stages.iter().zip(&a.stages) {
            prop_assert!((0.0..=1.0).contains(&f.win_probability), "{}: {}", s.id, f.win_probability);
            prop_assert!(f.expected_visits >= -1e-12, "{}: {}", s.id, f.expected_visits);
            if s.is_terminal() {
                ends += f.expected_visits;
            } else {
                // w(s) = Σ p(s,t) · w(t)
                let sum: f64 = s.transitions.iter().map(|t| t.probability * a.stages[t.target.expect("resolved").0].win_probability).sum();
                prop_assert!((f.win_probability - sum).abs() < 1e-9, "{}: {} vs {}", s.id, f.win_probability, sum);
            }
        }
        // Every new client ends at exactly one outcome.
        prop_assert!((ends - 1.0).abs() < 1e-9, "{}", ends);

        // The plan: goal / p_win new clients, volumes, hours, utilization.
        let plan = a.plan.as_ref().expect("a plan");
        let nc = f64::from(chain.goal) / p_win;
        prop_assert!(near(plan.new_clients_per_period.expect("computable"), nc));
        let mut hours = 0.0;
        for (i, visits) in v.iter().enumerate() {
            let vol = a.stages[id(i)].volume_per_period.expect("a plan gives volumes");
            prop_assert!(near(vol, nc * visits), "volume of s{}: {} vs {}", i, vol, nc * visits);
            hours += nc * visits * f64::from(chain.effort[i]) / 60.0;
        }
        let capacity = f64::from(chain.headcount * chain.capacity_h) * 21.0;
        let role = &plan.roles[0];
        prop_assert!(near(role.workload_hours.expect("computable"), hours));
        prop_assert!(near(role.capacity_hours.expect("computable"), capacity));
        prop_assert!(near(role.utilization.expect("computable"), hours / capacity));
    }
}

#[test]
fn the_tenths_split_adds_up_to_exactly_100_percent() {
    assert_eq!(tenths(&[1, 1, 1]), vec![334, 333, 333]);
    assert_eq!(tenths(&[0, 5]), vec![0, 1000]);
    assert_eq!(tenths(&[1, 100, 100]), vec![5, 498, 497]);
}

#[test]
fn the_dense_solver_solves() {
    let x = solve_dense(vec![vec![2.0, 1.0], vec![1.0, 3.0]], vec![3.0, 5.0]);
    close(x[0], 0.8);
    close(x[1], 1.4);
}

/// LANGUAGE.md §6.1 and §6.2 on the contract's own example: the contract
/// stage is the sale, delivery loops back to the offer for a repeat order,
/// and helpers' steps cost time. Every figure worked out by hand below.
#[test]
fn the_sale_counts_repeat_orders_and_helpers_steps_cost_time() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/conformance/v11_sale_and_effort.proc"))
        .expect("the example");
    let (model, a) = analysed(&text);
    // request -> offer 60%; offer -> contract (the sale) 40%; contract ->
    // delivery; delivery -> offer 30% (loop), done 70%.
    // Win probability: the chance to reach a sale.
    close(stage(&model, &a, "contract").win_probability, 1.0);
    close(stage(&model, &a, "offer").win_probability, 0.4);
    close(stage(&model, &a, "request").win_probability, 0.6 * 0.4);
    // After the sale: the chance of a further one (back to the offer).
    close(stage(&model, &a, "delivery").win_probability, 0.3 * 0.4);
    close(stage(&model, &a, "done").win_probability, 0.0);
    close(a.new_client_win_probability, 0.24);
    // Visits: offer = 0.6 + 0.3 * delivery, delivery = contract = 0.4 * offer.
    let offer = 0.6 / (1.0 - 0.3 * 0.4);
    close(stage(&model, &a, "offer").expected_visits, offer);
    let sales = 0.4 * offer;
    close(a.expected_sales_per_new_client, sales);
    // Revenue 9,000,000 RUB a month over the share-weighted deal
    // (0.7 * 300,000 + 0.3 * 900,000 = 480,000) is 18.75 sales; new clients
    // are the sales over the expected sales per new client.
    let plan = a.plan.as_ref().expect("a plan");
    close_opt(plan.goal_clients, 18.75);
    let new_clients = 18.75 / sales;
    close_opt(plan.new_clients_per_period, new_clients);
    let role = |id: &str| plan.roles.iter().find(|r| model.role(r.role).id == id).expect("a role");
    // The manager owns request (20min), offer (1h) and contract (30min).
    let manager = new_clients * (20.0 + offer * 60.0 + sales * 30.0) / 60.0;
    close_opt(role("manager").workload_hours, manager);
    // The logist owns delivery (1h) and quotes the delivery at each offer
    // (15min), with no `for`: all clients.
    let logist = new_clients * (sales * 60.0 + offer * 15.0) / 60.0;
    close_opt(role("logist").workload_hours, logist);
    // The head approves the builders' discounts only: 30% of the offers.
    let head = new_clients * offer * 10.0 * 0.3 / 60.0;
    close_opt(role("head").workload_hours, head);
    close_opt(role("head").utilization, head / (3.0 * 21.0));
}

#[test]
fn without_a_sale_stage_the_won_outcome_is_the_sale() {
    let (model, a) = analysed(
        "process p { role r stage a { entry owner r instruct r { \"x\" } -> b 50% -> lost } \
         stage b { owner r instruct r { \"y\" } -> won 40% -> a 10% loop \"again\" -> lost } \
         stage won { outcome won } stage lost { outcome lost } }",
    );
    // b is visited 0.5 / (1 - 0.5 * 0.1) times; each visit wins 40%.
    let b = 0.5 / (1.0 - 0.05);
    close(a.expected_sales_per_new_client, 0.4 * b);
    close(a.new_client_win_probability, 0.4 * b);
    close(stage(&model, &a, "won").win_probability, 1.0);
}

/// OUTPUTS.md "Version 1.1": `procdef funnel` fits the terminal's width,
/// wrapping titles instead of cutting them, shows the expected and
/// worst-case time to an outcome, and small numbers never as `0`.
#[test]
fn the_funnel_table_fits_its_width_and_shows_times_and_small_numbers() {
    use unicode_width::UnicodeWidthStr;
    let text = std::fs::read_to_string(root().join("examples/sales-process.proc")).expect("the example");
    let compiled = procdef::compile(text.as_bytes());
    let (model, graph, a) = (
        compiled.model.as_ref().expect("a model"),
        compiled.graph.as_ref().expect("a graph"),
        compiled.analysis.as_ref().expect("an analysis"),
    );
    for width in [60, 80, 100, 120] {
        let out = procdef::emit::funnel_table::text_in(model, graph, a, width);
        for line in out.lines() {
            assert!(line.width() <= width, "{width}: a line of {} columns:\n{line}\n{out}", line.width());
        }
        // Every title is there whole, wrapped or not (below 80 columns a
        // long word may be split over two lines, never dropped).
        let words: Vec<&str> = out.split_whitespace().collect();
        for stage in model.stages.iter().filter(|_| width >= 80) {
            let first = stage.title.split(' ').next().expect("a word");
            assert!(words.contains(&first), "{width}: `{}` is missing", stage.title);
        }
        assert!(!out.contains('…'), "{width}: something was cut:\n{out}");
        // The times to an outcome, from each entry, as the model has them.
        for e in &a.entries {
            let title = &model.stage(e.stage).title;
            assert!(out.replace('\n', " ").contains(&format!("From «{title}» to an outcome")), "{width}:\n{out}");
            assert!(e.expected_minutes_to_outcome.is_some() && e.worst_case_minutes_to_outcome.is_some());
        }
    }
    // Visits below 0.1 keep two significant digits.
    let small = a.stages.iter().map(|s| s.expected_visits).filter(|v| *v > 0.0 && *v < 0.1).count();
    assert!(small > 0, "the example has rarely visited stages");
    let out = procdef::emit::funnel_table::text_in(model, graph, a, 200);
    for s in &a.stages {
        if s.expected_visits > 0.0 && s.expected_visits < 0.1 {
            let shown = format!("{:.1$}", s.expected_visits, 1 - s.expected_visits.log10().floor() as usize);
            assert!(out.contains(&shown), "{shown} is not shown:\n{out}");
        }
    }
}
