//! The audit's reports for people: the terminal report, Markdown and
//! HTML of the conformance example and of a Russian process, their
//! escaping, their language, their determinism, and `build --log`.

use std::path::PathBuf;
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/audit").join(name)
}

fn procdef(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_procdef"))
        .args(args)
        .current_dir(root().join("tests/fixtures/audit"))
        .env_remove("NO_COLOR")
        .output()
        .expect("procdef runs")
}

fn text(o: &Output) -> String {
    assert!(o.status.success(), "exit {:?}: {}", o.status.code(), String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).expect("UTF-8")
}

const TINY: &[&str] = &["tiny.proc", "--log", "log.csv"];
const RU: &[&str] = &["ru.proc", "--log", "ru.csv", "--activities", "ru-activities.csv", "--tz", "Europe/Moscow"];

fn audit(base: &[&str], format: &str) -> String {
    let mut args = vec!["audit"];
    args.extend_from_slice(base);
    args.extend_from_slice(&["--format", format]);
    text(&procdef(&args))
}

fn snapshot(name: &str, contents: &str) {
    insta::with_settings!({ snapshot_path => "snapshots/audit", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, contents);
    });
}

#[test]
fn reports_match_their_snapshots() {
    for (stem, base) in [("tiny", TINY), ("ru", RU)] {
        for format in ["human", "md", "html"] {
            snapshot(&format!("{stem}.{format}"), &audit(base, format));
        }
    }
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    for base in [TINY, RU] {
        for format in ["human", "md", "html", "json"] {
            assert_eq!(audit(base, format), audit(base, format), "{format}");
        }
    }
    let out = tempfile::tempdir().expect("temp dir");
    let (a, b) = (out.path().join("a"), out.path().join("b"));
    for dir in [&a, &b] {
        let mut args = vec!["build", "-q", "-o", dir.to_str().expect("path")];
        args.extend_from_slice(RU);
        text(&procdef(&args));
    }
    for name in
        ["audit/report.md", "audit/report.html", "audit/audit.json", "rollout/audit-менеджер.md", ".procdef-manifest"]
    {
        assert_eq!(std::fs::read(a.join(name)).expect("a"), std::fs::read(b.join(name)).expect("b"), "{name}");
    }
}

#[test]
fn the_terminal_report_keeps_within_100_columns_and_colours_only_when_asked() {
    for base in [TINY, RU] {
        let plain = audit(base, "human");
        for line in plain.lines() {
            assert!(unicode_width::UnicodeWidthStr::width(line) <= 100, "{}: {line}", line.chars().count());
        }
        assert!(!plain.contains('\u{1b}'), "no colour when stdout is not a terminal");
    }
    let (model, report) = tiny();
    let coloured = procdef::audit::render::human(&report, &model, true);
    assert!(coloured.contains("\u{1b}[1m") && coloured.contains("\u{1b}[31m"));
    let plain = procdef::audit::render::human(&report, &model, false);
    assert!(!plain.contains('\u{1b}'));
    // Worst first: the problems of the log, then the transitions off the
    // plan, …, and the weekly table last.
    let at = |s: &str| plain.find(s).unwrap_or_else(|| panic!("{s} in {plain}"));
    assert!(at("Problems of the log") < at("Transitions off the plan"));
    assert!(at("Transitions off the plan") < at("Stages over their limits"));
    assert!(at("Deals with deviations") < at("Week by week"));
    assert!(at("E5 ") < at("C3 "), "the deal with two deviations before the one with one");
}

/// A process and the report of a CSV log against it, through the library.
fn report_of(process: &[u8], csv: &[u8]) -> (procdef::model::Model, procdef::audit::report::Report) {
    use procdef::audit::log::LogBuilder;
    use procdef::audit::read::{self, Columns, Form, Options};
    let compiled = procdef::compile(process);
    let model = compiled.model.expect("a model");
    let analysis = compiled.analysis.expect("an analysis");
    let mut b = LogBuilder::new();
    b.start_file("log.csv", true);
    let options = Options { columns: Columns::default(), delimiter: b',', time: Default::default() };
    read::read(Form::Csv, csv, &mut b, &options).expect("the log reads");
    let names = procdef::audit::names::NameMap::new(&model);
    let report = procdef::audit::audit(&model, &analysis, b.finish(), &names, &Default::default());
    (model, report)
}

fn tiny() -> (procdef::model::Model, procdef::audit::report::Report) {
    report_of(&std::fs::read(fixture("tiny.proc")).expect("fixture"), &std::fs::read(fixture("log.csv")).expect("log"))
}

/// Names from the log that try to break out of the HTML: every one comes
/// back as text, and the page holds no element the report did not make.
#[test]
fn html_escapes_every_name_from_the_log() {
    let hostile =
        ["<script>alert(1)</script>", "\"><img src=x onerror=alert(2)>", "Tom & Jerry", "a\u{1b}[31mred\u{7}"];
    let mut csv = String::from("deal_id,stage,timestamp,owner\n");
    for (i, name) in hostile.iter().enumerate() {
        let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        // A skip (a deviation naming the deal and the person), and an
        // unknown stage named like the deal.
        csv.push_str(&format!("{},lead,2027-03-0{}T09:00:00Z,{}\n", q(name), i + 1, q(name)));
        csv.push_str(&format!("{},offer,2027-03-0{}T10:00:00Z,{}\n", q(name), i + 1, q(name)));
        csv.push_str(&format!("{},{},2027-03-0{}T11:00:00Z,{}\n", q(name), q(name), i + 1, q(name)));
    }
    let (model, report) = report_of(&std::fs::read(fixture("tiny.proc")).expect("fixture"), csv.as_bytes());
    assert_eq!(report.cases.len(), hostile.len());
    let html = procdef::audit::render::html(&report, &model);
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).expect("selector");
    assert_eq!(doc.select(&sel("script")).count(), 0, "no script element");
    assert_eq!(doc.select(&sel("img")).count(), 0, "no img element");
    assert!(doc.select(&sel("[onerror]")).next().is_none());
    // No outside resource: no link, no src, no url().
    assert_eq!(doc.select(&sel("link, [src]")).count(), 0);
    assert!(!html.contains("url("));
    let body: String = doc.select(&sel("body")).flat_map(|b| b.text()).collect();
    for name in &hostile[..3] {
        assert!(body.contains(name), "{name} is shown as text");
    }
    // Control characters are shown as pictures, never sent on.
    assert!(body.contains("a␛[31mred␇"), "{body}");
    assert!(!html.chars().any(|c| c.is_control() && c != '\n'));
    // The deals and the people are all there, as text.
    let cases: Vec<String> = doc.select(&sel("#cases strong")).map(|e| e.text().collect()).collect();
    assert_eq!(cases.len(), hostile.len(), "{cases:?}");
    let md = procdef::audit::render::markdown(&report, &model);
    assert!(!md.contains("<script>") && md.contains("&lt;script&gt;"), "Markdown escapes HTML too");
    assert!(!md.contains('\u{1b}'));
    let human = procdef::audit::render::human(&report, &model, false);
    assert!(!human.contains('\u{1b}') && !human.contains('\u{7}'), "no control character reaches the terminal");
}

#[test]
fn html_is_self_contained_and_printable() {
    let html = audit(TINY, "html");
    for needle in ["@media print", "@page", "size: A4", "break-before: page", "<svg", "<style>"] {
        assert!(html.contains(needle), "{needle}");
    }
    assert!(!html.contains("http://") && !html.contains("https://"), "nothing is fetched");
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).expect("selector");
    // One bar pair per declared transition of the funnel chart: 8 in tiny.proc.
    assert_eq!(doc.select(&sel("#funnel table.chart:first-of-type rect.observed")).count(), 8);
    // The planned share outside its interval is flagged: start -> lead and lead -> lost.
    assert_eq!(doc.select(&sel("#funnel table.chart:first-of-type tr.alert")).count(), 2);
}

/// The English fixed words: each locale value cut at its placeholders,
/// keeping the pieces that hold a word of at least three letters.
fn english_phrases() -> Vec<String> {
    let en: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(root().join("src/i18n/locales/en.json")).expect("locale"))
            .expect("JSON");
    let mut phrases = std::collections::BTreeSet::new();
    for (key, value) in en {
        let pieces: Vec<String> = if key.starts_with("unit.")
            || key.starts_with("count.")
            || ["months", "months_short", "weekdays"].contains(&key.as_str())
        {
            value.split(['|', ' ']).map(str::to_string).collect()
        } else {
            value.split('{').map(|part| part.split_once('}').map_or(part, |(_, rest)| rest).to_string()).collect()
        };
        for p in pieces {
            let p = p.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
            if p.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 3 && p.chars().any(|c| c.is_ascii_lowercase()) {
                phrases.insert(p);
            }
        }
    }
    phrases.into_iter().collect()
}

fn has_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(i, _)| {
        let before = text[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = text[i + phrase.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
}

#[test]
fn russian_reports_hold_no_english_fixed_word() {
    let phrases = english_phrases();
    assert!(phrases.iter().any(|p| p == "Deals with deviations"), "the report's words are checked too");
    let out = tempfile::tempdir().expect("temp dir");
    let dir = out.path().join("out");
    let mut args = vec!["build", "-q", "-o", dir.to_str().expect("path")];
    args.extend_from_slice(RU);
    text(&procdef(&args));
    let html = std::fs::read_to_string(dir.join("audit/report.html")).expect("html");
    let doc = scraper::Html::parse_document(&html);
    let body: String = doc
        .select(&scraper::Selector::parse("body").expect("selector"))
        .flat_map(|b| b.text())
        .collect::<Vec<_>>()
        .join(" ");
    let texts = [
        ("human", audit(RU, "human")),
        ("md", std::fs::read_to_string(dir.join("audit/report.md")).expect("md")),
        ("html", body),
        ("checklist", std::fs::read_to_string(dir.join("rollout/audit-менеджер.md")).expect("checklist")),
    ];
    for (what, text) in &texts {
        for p in &phrases {
            // The zone's name and the CRM are written as they are.
            if ["Europe", "Moscow"].contains(&p.as_str()) {
                continue;
            }
            assert!(!has_phrase(text, p), "{what}: English `{p}`");
        }
    }
    // And the check does catch English.
    let en = audit(TINY, "md");
    assert!(phrases.iter().filter(|p| has_phrase(&en, p)).count() > 20);
    // Russian plurals agree with their numbers.
    assert!(texts[0].1.contains("В журнале 25 строк"), "{}", texts[0].1);
}

#[test]
fn build_with_a_log_writes_the_audit_and_the_measured_checklists() {
    let out = tempfile::tempdir().expect("temp dir");
    let dir = out.path().join("out");
    let d = dir.to_str().expect("path");
    let mut args = vec!["build", "-q", "-o", d];
    args.extend_from_slice(RU);
    text(&procdef(&args));
    // The JSON is the same bytes as `audit --format json`.
    assert_eq!(std::fs::read_to_string(dir.join("audit/audit.json")).expect("json"), audit(RU, "json"));
    assert_eq!(std::fs::read_to_string(dir.join("audit/report.md")).expect("md"), audit(RU, "md"));
    assert_eq!(std::fs::read_to_string(dir.join("audit/report.html")).expect("html"), audit(RU, "html"));
    let manifest = std::fs::read_to_string(dir.join(".procdef-manifest")).expect("manifest");
    for name in ["audit/report.md", "audit/report.html", "audit/audit.json"] {
        assert!(manifest.contains(name), "{name} in the manifest");
    }
    // The checklist of the managers gains their measured figures: one row
    // per person of the role, and the role's stages with their breaches.
    let checklist = std::fs::read_to_string(dir.join("rollout/audit-менеджер.md")).expect("checklist");
    assert!(checklist.contains("## Замеры по истории CRM"), "{checklist}");
    assert!(
        checklist.contains("| **Петров** | 3 | 11 | 4 | 2 | 1 | 0 | 1 | 0 | 63,6% | Звонки: 0,7 / 3 ✗ |"),
        "{checklist}"
    );
    assert!(checklist.contains("| **Входящая заявка** | 7 | 1 | 1 |"), "{checklist}");
    let measured = checklist.find("## Замеры").expect("measured");
    assert!(measured < checklist.find("| Шаг |").expect("the checklist table"), "the figures come first");
    // The checklist of a role nobody in the log has says so.
    let head = std::fs::read_to_string(dir.join("rollout/audit-руководитель.md"));
    if let Ok(head) = head {
        assert!(head.contains("В журнале нет ни одного сотрудника этой должности."), "{head}");
    }

    // A log that cannot be read fails the build with the audit's exit
    // code, and the previous build stays as it was.
    let before = std::fs::read(dir.join(".procdef-manifest")).expect("manifest");
    let failed = procdef(&["build", "-o", d, "ru.proc", "--log", "missing.csv"]);
    assert_eq!(failed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&failed.stderr).contains("nothing was written"));
    assert_eq!(std::fs::read(dir.join(".procdef-manifest")).expect("manifest"), before);
    assert!(dir.join("audit/audit.json").exists());
    // Without --log, no audit folder, and the checklist is the paper one.
    text(&procdef(&["build", "-q", "-o", d, "ru.proc"]));
    assert!(!dir.join("audit").exists());
    let plain = std::fs::read_to_string(dir.join("rollout/audit-менеджер.md")).expect("checklist");
    assert!(!plain.contains("Замеры"));
    // Other log options without --log are refused.
    let lone = procdef(&["build", "-o", d, "ru.proc", "--tz", "UTC"]);
    assert_eq!(lone.status.code(), Some(2));
}

#[test]
fn the_content_is_sorted_worst_first() {
    let (model, report) = tiny();
    let a = procdef::audit::render::content::build(&report, &model, 3);
    // Lead -> Lost (50% planned, 0-39% seen) lies farther out than Start -> Lead.
    assert_eq!(a.outside.table.rows[0].cells[0], "Lead → Lost");
    assert_eq!(a.outside.table.rows[1].cells[0], "Start → Lead");
    assert_eq!(a.cases.cases.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["E5", "D4", "B2"]);
    assert_eq!(a.cases.more.as_deref(), Some("Not shown here: 3 deals; the JSON report lists them all."));
    assert_eq!(a.stages.table.rows[0].cells[0], "Qualification");
}

#[test]
fn each_audit_column_holds_the_stages_figures_of_the_days_before_it() {
    // Audits every week of a rollout from Monday 1 March: on 8, 15 and 22
    // March. The column of 8 March holds 1–7 March, the one of 15 March
    // 8–14 March.
    let process = br#"process p "P" {
  role rep "Rep"
  role head "Head"
  stage lead "Lead" { entry owner rep within 1d instruct rep { "Call" } -> offer 50% -> lost }
  stage offer "Offer" { owner rep instruct rep { "Send the offer" } -> won 50% -> lost }
  stage won "Won" { outcome won }
  stage lost "Lost" { outcome lost }
  rollout { start 2027-03-01 length 21d audit rep by head every 1w }
}
"#;
    // Lead: A (1 day, within), B (3 days, late) and C in the first week, D
    // in the second; offers: A and B in the first week, C in the second.
    let csv = b"case,stage,time\n\
A,lead,2027-03-01T09:00:00Z\nA,offer,2027-03-02T09:00:00Z\nA,won,2027-03-09T09:00:00Z\n\
B,lead,2027-03-02T09:00:00Z\nB,offer,2027-03-05T09:00:00Z\nB,lost,2027-03-10T09:00:00Z\n\
C,lead,2027-03-07T09:00:00Z\nC,offer,2027-03-08T08:00:00Z\n\
D,lead,2027-03-09T09:00:00Z\n";
    let (model, report) = report_of(process, csv);
    let graph = procdef::model::graph::StageGraph::new(&model);
    let events = procdef::rollout::events(&model);
    let rep = model.role_id("rep").expect("role");
    let checklist = procdef::emit::rollout::audit::measured(&model, &graph, rep, &events, Some(&report));
    assert!(checklist.contains("In each stage's row"), "{checklist}");
    let row = |title: &str| checklist.lines().find(|l| l.starts_with(&format!("| **{title}"))).map(str::to_string);
    assert!(checklist.contains("| Step | 8 Mar | 15 Mar | 22 Mar |"), "{checklist}");
    assert_eq!(row("1. Lead").as_deref(), Some("| **1. Lead** | 3 / 1 late | 1 / 0 late | — |"), "{checklist}");
    // Offer has no limit: only the count.
    assert_eq!(row("2. Offer").as_deref(), Some("| **2. Offer** | 2 | 1 | — |"), "{checklist}");
    // Without the history the cells stay blank for the auditor.
    let paper = procdef::emit::rollout::audit::measured(&model, &graph, rep, &events, None);
    assert!(paper.contains("| **1. Lead** | | | |"), "{paper}");
}
