//! `cargo bench --bench audit`: the audit of a generated CRM log of
//! `examples/sales-process.proc` (ten stages, two loops) at 1 million and
//! 10 million events, beside the floor of merely reading the same CSV with
//! the `csv` crate; the peak heap per event and per case, the same log with
//! wide rows to show that memory does not grow with them, and the
//! `procdef audit` command's time and peak resident size.
//!
//! `cargo bench --bench audit -- --quick` measures 1 million events only
//! (a minute or two); without `--quick`, 10 million too (about 500 MB of
//! CSV; a few minutes). The logs are generated once into
//! `target/audit-bench/` and reused. The figures are in
//! docs/performance.md.

// The call of wait4 that reads the child's peak resident size is unsafe,
// as is the counting allocator (support/counting.rs).
#![allow(unsafe_code)]

use procdef::audit::log::LogBuilder;
use procdef::audit::names::NameMap;
use procdef::audit::read::{self, Form, Options};
use procdef::audit::{Settings, audit};
use procdef::model::Model;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

#[path = "support/eventlog_gen.rs"]
mod eventlog_gen;

#[path = "support/counting.rs"]
mod counting;
use counting::{LIVE, PEAK};

/// The audited process.
const PROCESS: &str = "examples/sales-process.proc";
/// Bumped whenever the generator changes, so that old logs are not reused.
const GENERATOR: u32 = 2;
/// The goals of AUDIT.md §5.
const RATIO_GOAL: f64 = 2.0;
const BYTES_PER_EVENT: f64 = 32.0;
const BYTES_PER_CASE: f64 = 200.0;
/// Extra columns of 200 bytes in the wide log.
const WIDE: usize = 2;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn work_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from);
    target.join("audit-bench")
}

/// The log of `spec`, generated unless a previous run left it.
fn log_file(model: &Model, spec: &eventlog_gen::Spec) -> PathBuf {
    let dir = work_dir();
    let name = format!(
        "sales-{}{}{}-w{}-g{GENERATOR}.csv",
        spec.events,
        if spec.repeats { "-repeats" } else { "" },
        if spec.unknown { "-unknown" } else { "" },
        spec.wide
    );
    let path = dir.join(name);
    if path.exists() {
        return path;
    }
    std::fs::create_dir_all(&dir).expect("the benchmark's folder in target/ can be made");
    let partial = path.with_extension("partial");
    let t = Instant::now();
    let file = std::fs::File::create(&partial).expect("the log can be written");
    let written = eventlog_gen::write(model, spec, &mut std::io::BufWriter::new(file)).expect("the log can be written");
    std::fs::rename(&partial, &path).expect("the log can be renamed");
    eprintln!(
        "generated {} ({} events, {} cases, {:.0} MB) in {:.1?}",
        path.display(),
        written.events,
        written.cases,
        written.bytes as f64 / 1e6,
        t.elapsed()
    );
    path
}

fn buffered(path: &Path) -> std::io::BufReader<std::fs::File> {
    std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(path).expect("the log can be read"))
}

/// The floor: the `csv` crate reading every record, touching every field.
fn csv_floor(path: &Path) -> Duration {
    let t = Instant::now();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(buffered(path));
    let mut record = csv::ByteRecord::new();
    let mut total = 0usize;
    while reader.read_byte_record(&mut record).expect("the log is CSV") {
        total += record.iter().map(<[u8]>::len).sum::<usize>();
    }
    std::hint::black_box(total);
    t.elapsed()
}

/// One audit through the library, as `procdef audit` runs it.
struct Audited {
    read: Duration,
    total: Duration,
    /// Peak heap while reading, and over the whole audit, above what was
    /// in use before.
    peak_read: usize,
    peak: usize,
    /// Heap held by the log once read, and by the report.
    log_bytes: usize,
    report_bytes: usize,
    events: usize,
    cases: usize,
    rows_skipped: u64,
    fitting: u64,
    log_fitness: f64,
}

fn library_audit(model: &Model, analysis: &procdef::funnel::Analysis, path: &Path) -> Audited {
    let names = NameMap::new(model);
    let settings = Settings::default();
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let t = Instant::now();
    let mut builder = LogBuilder::new();
    builder.start_file("log.csv", true);
    read::read(Form::Csv, buffered(path), &mut builder, &Options::default()).expect("the log is readable");
    let log = builder.finish();
    let read = t.elapsed();
    let peak_read = PEAK.load(Ordering::Relaxed) - before;
    let log_bytes = LIVE.load(Ordering::Relaxed) - before;
    let (events, cases) = (log.events.len(), log.cases.len());
    let report = audit(model, analysis, log, &names, &settings);
    let total = t.elapsed();
    let audited = Audited {
        read,
        total,
        peak_read,
        peak: PEAK.load(Ordering::Relaxed) - before,
        log_bytes,
        report_bytes: LIVE.load(Ordering::Relaxed) - before,
        events,
        cases,
        rows_skipped: report.log.rows_skipped,
        fitting: report.summary.fitting_cases,
        log_fitness: report.summary.log_fitness.unwrap_or(f64::NAN),
    };
    drop(std::hint::black_box(report));
    audited
}

/// `procdef audit PROCESS --log LOG --format json > /dev/null`: its wall
/// time and peak resident size (bytes), from wait4.
fn binary_audit(path: &Path) -> (Duration, u64) {
    let t = Instant::now();
    // Reaped by wait4 below, which also gives its resource usage.
    #[allow(clippy::zombie_processes)]
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_procdef"))
        .arg("audit")
        .arg(root().join(PROCESS))
        .arg("--log")
        .arg(path)
        .args(["--format", "json"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("procdef runs");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a plain system call on our own child, with valid pointers; an
    // all-zero rusage is a valid value of that C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = t.elapsed();
    assert!(waited == pid && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "procdef audit failed");
    // Linux gives ru_maxrss in KiB.
    (elapsed, usage.ru_maxrss as u64 * 1024)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn mb(bytes: usize) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}

struct Measured {
    events: usize,
    cases: usize,
    file: u64,
    floor: Duration,
    audit: Audited,
    audit_time: Duration,
    read_time: Duration,
}

fn measure(model: &Model, analysis: &procdef::funnel::Analysis, path: &Path, rounds: usize) -> Measured {
    // Once untimed, so that every timed run finds the file in the page cache.
    csv_floor(path);
    let mut floors = Vec::new();
    let mut audits = Vec::new();
    let mut reads = Vec::new();
    let mut first = None;
    for _ in 0..rounds {
        floors.push(csv_floor(path));
        let a = library_audit(model, analysis, path);
        audits.push(a.total);
        reads.push(a.read);
        first.get_or_insert(a);
    }
    let audit = first.expect("at least one round");
    Measured {
        events: audit.events,
        cases: audit.cases,
        file: std::fs::metadata(path).map_or(0, |m| m.len()),
        floor: median(floors),
        audit_time: median(audits),
        read_time: median(reads),
        audit,
    }
}

/// `--phases`: where the time of the audit goes, phase by phase, through
/// the library (and a loop that `perf record` can watch).
fn phases(model: &Model, analysis: &procdef::funnel::Analysis, path: &Path, rounds: usize) {
    let time_reader = procdef::audit::time::TimeReader::default();
    let mut rows = [Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    csv_floor(path);
    for _ in 0..rounds {
        rows[0].push(csv_floor(path));
        // The floor, then the three fields as text and the timestamp parsed.
        let t = Instant::now();
        let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(buffered(path));
        let mut record = csv::ByteRecord::new();
        let mut sum = 0i64;
        while reader.read_byte_record(&mut record).expect("CSV") {
            let field = |i| std::str::from_utf8(record.get(i).unwrap_or_default()).unwrap_or_default().trim();
            sum += (field(0).len() + field(1).len() + field(3).len()) as i64;
            sum += time_reader.parse(field(2)).unwrap_or(0);
        }
        std::hint::black_box(sum);
        rows[1].push(t.elapsed());
        let t = Instant::now();
        let mut builder = LogBuilder::new();
        builder.start_file("log.csv", true);
        read::read(Form::Csv, buffered(path), &mut builder, &Options::default()).expect("readable");
        let log = builder.finish();
        rows[2].push(t.elapsed());
        // The sort audit() does first, on a copy.
        let mut events = log.events.clone();
        let t = Instant::now();
        events.sort_unstable_by_key(|e| (e.case, e.time, log.names[e.name as usize].file, e.row));
        rows[3].push(t.elapsed());
        drop(events);
        let t = Instant::now();
        let report = audit(model, analysis, log, &NameMap::new(model), &Settings::default());
        drop(std::hint::black_box(report));
        rows[4].push(t.elapsed());
    }
    let names = [
        "csv floor (every field touched)",
        "floor + 3 fields as UTF-8 + timestamp parsed",
        "read::read into a LogBuilder (the read phase)",
        "sort of the events by (case, time, file, row), alone",
        "audit(): names, sort, replay, measures, report",
    ];
    println!("| phase ({} rounds, medians) | time |", rounds);
    println!("| --- | ---: |");
    for (name, times) in names.iter().zip(rows) {
        println!("| {name} | {:.2?} |", median(times));
    }
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let text = std::fs::read(root().join(PROCESS)).expect("the example exists");
    let compiled = procdef::compile(&text);
    let (Some(model), Some(analysis)) = (compiled.model.as_ref(), compiled.analysis.as_ref()) else {
        panic!("{PROCESS} is valid");
    };
    let spec = |events, wide| eventlog_gen::Spec { events, repeats: true, unknown: true, wide };
    if std::env::args().any(|a| a == "--phases") {
        let n = if quick { 1_000_000 } else { 10_000_000 };
        phases(model, analysis, &log_file(model, &spec(n, 0)), 5);
        return;
    }
    let sizes: &[usize] = if quick { &[1_000_000] } else { &[1_000_000, 10_000_000] };
    let rounds = 3;

    let mut results = Vec::new();
    for &n in sizes {
        let path = log_file(model, &spec(n, 0));
        let m = measure(model, analysis, &path, rounds);
        assert_eq!(m.audit.rows_skipped, 0, "the generated log has no bad row");
        let binary = binary_audit(&path);
        results.push((m, binary));
    }
    let wide_path = log_file(model, &spec(sizes[0], WIDE));
    let wide = measure(model, analysis, &wide_path, 1);

    println!();
    println!(
        "Audit of {PROCESS}: generated CRM logs (repeated rows, deviations, unknown stages), {rounds} rounds, medians"
    );
    println!();
    println!(
        "| events | cases | CSV | csv floor | audit (read + replay) | of which read | audit / floor | peak heap | per event | budget 32/event + 200/case | log held | report held | fitting cases | log fitness | procdef audit --format json | max RSS |"
    );
    println!(
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    let mut all_met = true;
    for (m, (bin_time, rss)) in &results {
        let ratio = m.audit_time.as_secs_f64() / m.floor.as_secs_f64();
        let budget = BYTES_PER_EVENT * m.events as f64 + BYTES_PER_CASE * m.cases as f64;
        println!(
            "| {} | {} | {:.0} MB | {:.2?} | {:.2?} | {:.2?} | {ratio:.2}× | {} | {:.1} B | {} | {} | {} | {} | {:.4} | {:.2?} | {} |",
            m.events,
            m.cases,
            m.file as f64 / 1e6,
            m.floor,
            m.audit_time,
            m.read_time,
            mb(m.audit.peak),
            m.audit.peak as f64 / m.events as f64,
            mb(budget as usize),
            mb(m.audit.log_bytes),
            mb(m.audit.report_bytes),
            m.audit.fitting,
            m.audit.log_fitness,
            bin_time,
            mb(*rss as usize),
        );
        println!(
            "  {} events: peak heap while reading {} ({:.1} B/event); audit within {RATIO_GOAL}× of the csv floor: {}; peak heap within 32 B/event + 200 B/case: {}",
            m.events,
            mb(m.audit.peak_read),
            m.audit.peak_read as f64 / m.events as f64,
            verdict(ratio <= RATIO_GOAL),
            verdict(m.audit.peak as f64 <= budget),
        );
        all_met &= ratio <= RATIO_GOAL && m.audit.peak as f64 <= budget;
    }
    let narrow = &results[0].0;
    let growth = wide.audit.peak as f64 / narrow.audit.peak as f64;
    println!(
        "  wide rows ({WIDE} extra columns of 200 bytes, {:.0} MB of CSV): peak heap {} against {} ({growth:.3}×), csv floor {:.2?}, audit {:.2?} ({:.2}×); memory does not grow with the rows: {}",
        wide.file as f64 / 1e6,
        mb(wide.audit.peak),
        mb(narrow.audit.peak),
        wide.floor,
        wide.audit_time,
        wide.audit_time.as_secs_f64() / wide.floor.as_secs_f64(),
        verdict(growth <= 1.02),
    );
    all_met &= growth <= 1.02;
    println!("  every goal met: {}", if all_met { "yes" } else { "no" });
    if quick {
        println!("  (--quick: 1 million events; `cargo bench --bench audit` also measures 10 million)");
    }
}
