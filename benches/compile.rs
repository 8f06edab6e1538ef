//! `cargo bench`: check, build and the funnel analysis of generated
//! processes at 1k, 10k and 100k stages, beside the floor for reading this
//! much structured data: serde_json parsing the same process's
//! `process.json`. Also prints the peak memory of one check per size.
//!
//! `cargo bench -- --quick` gives the figures in docs/performance.md.

// The counting allocator below is the only unsafe code: it forwards to the
// system allocator and counts bytes.
#![allow(unsafe_code)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[path = "support/generate.rs"]
mod generate;

/// Counts live and peak heap bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged to the system allocator.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded unchanged to the system allocator.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size > layout.size() {
                let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

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

fn bench(c: &mut Criterion) {
    for &n in &SIZES {
        let text = generate::process(n);
        let json = process_json(&text);
        let peak = peak_of(|| {
            let compiled = procdef::compile(text.as_bytes());
            assert!(compiled.diagnostics.is_empty());
        });
        println!(
            "n = {n}: source {} bytes, process.json {} bytes, peak heap during check {} bytes ({:.1}x the source)",
            text.len(),
            json.len(),
            peak,
            peak as f64 / text.len() as f64
        );

        let mut group = c.benchmark_group(format!("{n} stages"));
        group.throughput(Throughput::Bytes(text.len() as u64));
        if n >= 100_000 {
            group.sample_size(10).measurement_time(Duration::from_secs(20));
        }
        group.bench_function(BenchmarkId::new("check", n), |b| {
            b.iter(|| procdef::compile(std::hint::black_box(text.as_bytes())))
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
criterion_main!(benches);
