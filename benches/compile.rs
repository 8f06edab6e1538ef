//! `cargo bench`: check, build, fmt and the funnel analysis of generated
//! processes at 1k, 10k and 100k stages, beside the floor for reading this
//! much structured data: serde_json parsing the same process's
//! `process.json`. Also prints the peak memory of one check per size, and
//! `fmt` against `check` of the same file, time and peak memory.
//!
//! First a summary of the targets measured in one run (medians of several
//! checks at 1k to 100k stages, with doublings to show the growth), then
//! criterion's detailed timings. `cargo bench --bench compile -- --quick`
//! gives the figures in docs/performance.md.

// The counting allocator (support/counting.rs) is the only unsafe code.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

#[path = "support/generate.rs"]
mod generate;

#[path = "support/counting.rs"]
mod counting;
use counting::{LIVE, PEAK};

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

fn process_json(text: &str) -> String {
    let compiled = procdef::compile(text.as_bytes());
    let model = compiled.model.as_ref().expect("generated processes are valid");
    let doc = procdef::emit::json::document(model, compiled.analysis.as_ref(), "generated.proc", &compiled.text);
    procdef::emit::json::render(&doc)
}

fn peak_of(f: impl FnOnce()) -> usize {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    f();
    PEAK.load(Ordering::Relaxed) - before
}

/// The time of one run of `f`.
fn time(f: impl FnOnce()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Rounds of the summary: each times every size once.
const ROUNDS: usize = 21;

/// The targets, measured in one run: `check` against the serde_json
/// floor, growth per doubling of the stages, peak heap against the source.
///
/// The sizes are timed in turns, round after round, and each figure is the
/// median of its rounds: whatever slows the machine for a while (another
/// process, the CPU's clock) falls on every size alike, so the ratios
/// between sizes stay steady.
fn summary() {
    let sizes = [1_000, 2_000, 10_000, 20_000, 50_000, 100_000];
    let inputs: Vec<(usize, String, String)> = sizes
        .iter()
        .map(|&n| {
            let text = generate::process(n);
            let json = process_json(&text);
            (n, text, json)
        })
        .collect();
    let peaks: Vec<usize> = inputs
        .iter()
        .map(|(_, text, _)| {
            peak_of(|| {
                let compiled = procdef::compile(text.as_bytes());
                assert!(compiled.diagnostics.is_empty());
            })
        })
        .collect();
    let mut checks = vec![Vec::new(); sizes.len()];
    let mut floors = vec![Vec::new(); sizes.len()];
    for _ in 0..ROUNDS {
        for (i, (_, text, json)) in inputs.iter().enumerate() {
            checks[i].push(time(|| drop(std::hint::black_box(procdef::compile(text.as_bytes())))));
            floors[i].push(time(|| {
                drop(std::hint::black_box(serde_json::from_str::<serde_json::Value>(json).expect("valid JSON")))
            }));
        }
    }
    println!("| stages | source | check | serde_json floor | check / floor | peak heap / source |");
    println!("| ---: | ---: | ---: | ---: | ---: | ---: |");
    let mut points = Vec::new();
    for (i, ((n, text, _), (check, floor))) in inputs.iter().zip(checks.into_iter().zip(floors)).enumerate() {
        let (check, floor) = (median(check), median(floor));
        println!(
            "| {n} | {:.1} MB | {check:.2?} | {floor:.2?} | {:.2}x | {:.1}x |",
            text.len() as f64 / 1e6,
            check.as_secs_f64() / floor.as_secs_f64(),
            peaks[i] as f64 / text.len() as f64
        );
        points.push((*n as f64, check.as_secs_f64(), floor.as_secs_f64()));
    }
    let growth: Vec<String> = points
        .windows(2)
        .filter(|w| w[1].0 == 2.0 * w[0].0)
        .map(|w| format!("{} -> {}: {:.2}x", w[0].0, w[1].0, w[1].1 / w[0].1))
        .collect();
    println!("check time per doubling of the stages: {}", growth.join(", "));
    // time ~ n^k fitted by least squares over every size: a doubling
    // multiplies the time by 2^k.
    let fit = |time: fn(&(f64, f64, f64)) -> f64| {
        let xs: Vec<f64> = points.iter().map(|p| p.0.log2()).collect();
        let ys: Vec<f64> = points.iter().map(|p| time(p).log2()).collect();
        let (mx, my) = (xs.iter().sum::<f64>() / xs.len() as f64, ys.iter().sum::<f64>() / ys.len() as f64);
        let k = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum::<f64>()
            / xs.iter().map(|x| (x - mx).powi(2)).sum::<f64>();
        2f64.powf(k)
    };
    println!(
        "fitted over all sizes, a doubling multiplies the time by: check {:.2}x, serde_json floor {:.2}x",
        fit(|p| p.1),
        fit(|p| p.2)
    );
}

/// Rounds of the `fmt` summary.
const FMT_ROUNDS: usize = 5;

/// `fmt` against `check` of the same file, timed in turns as the summary
/// does, with the peak heap of one run of each. The generated file is not
/// laid out, so `fmt` lays it out and parses the result again to check it;
/// its laid-out copy is `fmt`'s other case, a file it leaves as it is.
fn fmt_summary() {
    println!(
        "| stages | check | fmt (laid out anew) | fmt / check | fmt (already laid out) | peak heap: check | fmt |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for n in [10_000, 100_000] {
        let text = generate::process(n);
        let tidy = procdef::fmt::format_file(text.as_bytes()).expect("generated processes parse");
        assert_ne!(tidy, text.as_bytes(), "the generated file is laid out: fmt would take its short way");
        let fmt = |bytes: &[u8]| drop(std::hint::black_box(procdef::fmt::format_file(bytes).expect("parses")));
        let check = |bytes: &[u8]| drop(std::hint::black_box(procdef::compile(bytes)));
        let (check_peak, fmt_peak) = (peak_of(|| check(text.as_bytes())), peak_of(|| fmt(text.as_bytes())));
        let (mut checks, mut fmts, mut tidies) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..FMT_ROUNDS {
            checks.push(time(|| check(text.as_bytes())));
            fmts.push(time(|| fmt(text.as_bytes())));
            tidies.push(time(|| fmt(&tidy)));
        }
        let (check, fmt, tidy) = (median(checks), median(fmts), median(tidies));
        println!(
            "| {n} | {check:.2?} | {fmt:.2?} | {:.2}x | {tidy:.2?} | {:.0} MB | {:.0} MB |",
            fmt.as_secs_f64() / check.as_secs_f64(),
            check_peak as f64 / 1e6,
            fmt_peak as f64 / 1e6
        );
    }
}

fn bench(c: &mut Criterion) {
    for &n in &SIZES {
        let text = generate::process(n);
        let json = process_json(&text);
        println!("n = {n}: source {} bytes, process.json {} bytes", text.len(), json.len());

        let mut group = c.benchmark_group(format!("{n} stages"));
        group.throughput(Throughput::Bytes(text.len() as u64));
        if n >= 100_000 {
            group.sample_size(10).measurement_time(Duration::from_secs(20));
        }
        group.bench_function(BenchmarkId::new("check", n), |b| {
            b.iter(|| procdef::compile(std::hint::black_box(text.as_bytes())))
        });
        group.bench_function(BenchmarkId::new("fmt", n), |b| {
            b.iter(|| procdef::fmt::format_file(std::hint::black_box(text.as_bytes())))
        });
        group.bench_function(BenchmarkId::new("serde_json floor", n), |b| {
            b.iter(|| serde_json::from_str::<serde_json::Value>(std::hint::black_box(&json)).expect("valid JSON"))
        });
        let compiled = procdef::compile(text.as_bytes());
        let model = compiled.model.as_ref().expect("valid");
        let graph = procdef::model::graph::StageGraph::new(model);
        group.bench_function(BenchmarkId::new("funnel analysis", n), |b| {
            b.iter(|| procdef::funnel::analyse(std::hint::black_box(model), &graph))
        });
        // Every role's manual is written, and the generator gives a role per
        // 40 stages: at 100k stages one build writes 2,500 manuals and takes
        // tens of seconds, too long to sample; it is timed once instead.
        if n >= 100_000 {
            let t = std::time::Instant::now();
            let outputs = procdef::emit::outputs(model, compiled.analysis.as_ref(), "generated.proc", &compiled.text);
            println!("n = {n}: build outputs, one run: {:.2?} ({} files)", t.elapsed(), outputs.len());
        } else {
            group.bench_function(BenchmarkId::new("build outputs", n), |b| {
                b.iter(|| procdef::emit::outputs(model, compiled.analysis.as_ref(), "generated.proc", &compiled.text))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);

fn main() {
    summary();
    fmt_summary();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
