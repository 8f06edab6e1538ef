//! The rollout kit: the calendar file read back with an iCalendar parser,
//! the schedule, exam sheets and audit checklists, with and without a
//! start date.

mod common;

use common::*;
use icalendar::{Calendar, Component, DatePerhapsTime};
use procdef::emit::Output;
use std::collections::BTreeSet;

fn build(text: &str) -> Vec<Output> {
    let compiled = procdef::compile(text.as_bytes());
    assert!(!compiled.has_errors(), "{}", render("test.proc", &compiled));
    let model = compiled.model.as_ref().expect("a model");
    procdef::emit::outputs(model, compiled.analysis.as_ref(), "test.proc", &compiled.text)
}

fn example(name: &str) -> Vec<Output> {
    let text = std::fs::read_to_string(root().join("examples").join(name)).expect("example is readable");
    build(&text)
}

fn file<'a>(outputs: &'a [Output], path: &str) -> &'a str {
    &outputs.iter().find(|o| o.path == path).unwrap_or_else(|| panic!("no {path}")).contents
}

fn date(e: &icalendar::Event, start: bool) -> chrono::NaiveDate {
    match if start { e.get_start() } else { e.get_end() } {
        Some(DatePerhapsTime::Date(d)) => d,
        other => panic!("not an all-day date: {other:?}"),
    }
}

fn parse(ics: &str) -> Calendar {
    ics.parse::<Calendar>().unwrap_or_else(|e| panic!("not iCalendar: {e}"))
}

#[test]
fn the_calendar_reads_back_with_every_event_on_its_date() {
    let outputs = example("sales-process.proc");
    let ics = file(&outputs, "rollout/rollout.ics");
    let cal = parse(ics);
    let events: Vec<&icalendar::Event> = cal.events().collect();
    // Weekly briefings on days 0..98 (15), fortnightly ones (8), exams on
    // days 30, 60, 100 plus one on day 100 (4), two weekly audits on days
    // 7..98 (2 x 14).
    assert_eq!(events.len(), 15 + 8 + 4 + 28);
    let uids: BTreeSet<&str> = events.iter().map(|e| e.get_uid().expect("a UID")).collect();
    assert_eq!(uids.len(), events.len(), "UIDs are unique");
    let find = |uid: &str| *events.iter().find(|e| e.get_uid() == Some(uid)).unwrap_or_else(|| panic!("no {uid}"));
    let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).expect("a date");
    // The first exam line: days 30, 60 and 100 from 11 January 2027.
    assert_eq!(date(find("tool_distribution-exam-0-0@procdef"), true), d(2027, 2, 10));
    assert_eq!(date(find("tool_distribution-exam-0-1@procdef"), true), d(2027, 3, 12));
    assert_eq!(date(find("tool_distribution-exam-0-2@procdef"), true), d(2027, 4, 21));
    assert_eq!(date(find("tool_distribution-exam-1-0@procdef"), true), d(2027, 4, 21));
    assert_eq!(date(find("tool_distribution-briefing-0-0@procdef"), true), d(2027, 1, 11));
    assert_eq!(date(find("tool_distribution-audit-0-0@procdef"), true), d(2027, 1, 18));
    assert_eq!(date(find("tool_distribution-audit-1-13@procdef"), true), d(2027, 4, 19));
    for e in &events {
        // One whole day each: DTEND is the next day (RFC 5545 3.6.1).
        assert_eq!(date(e, false), date(e, true).succ_opt().expect("a next day"));
        assert!(e.get_timestamp().is_some_and(|t| t.to_rfc3339() == "2027-01-11T00:00:00+00:00"));
        assert!(e.get_summary().is_some_and(|s| !s.is_empty()));
        assert!(e.get_description().is_some_and(|s| !s.is_empty()));
    }
    let exam = find("tool_distribution-exam-1-0@procdef");
    assert_eq!(exam.get_summary(), Some("Exam: Head of sales"));
    let audit = find("tool_distribution-audit-0-0@procdef");
    assert!(audit.get_summary().is_some_and(|s| s.contains("Head of sales audits") && s.contains("Sales manager")));
}

#[test]
fn the_calendar_is_well_formed_bytes() {
    for name in ["sales-process.proc", "sales-process-ru.proc"] {
        let outputs = example(name);
        let ics = file(&outputs, "rollout/rollout.ics");
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), "{name}");
        assert!(ics.ends_with("END:VCALENDAR\r\n"), "{name}");
        for line in ics.split_terminator("\r\n") {
            assert!(!line.contains('\n'), "{name}: a bare line feed in {line:?}");
            assert!(line.len() <= 75, "{name}: {} octets: {line}", line.len());
        }
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 55, "{name}");
        assert_eq!(ics.matches("DTSTAMP:20270111T000000Z").count(), 55, "{name}");
    }
    // Russian summaries survive folding and escaping.
    let cal = parse(file(&example("sales-process-ru.proc"), "rollout/rollout.ics"));
    let summaries: Vec<&str> = cal.events().filter_map(|e| e.get_summary()).collect();
    assert!(summaries.contains(&"Экзамен: Руководитель отдела продаж"), "{summaries:?}");
}

const SMALL: &str = r#"process shop "Shop" {
  role rep "Rep"
  role boss "Boss"
  stage call "Call" {
    entry owner rep within 2h
    instruct rep { "Call back" within 2h "Log the call" }
    exit "Logged"
    -> won 40%
    -> lost
  }
  stage won "Won" { outcome won }
  stage lost "Lost" { outcome lost }
  rollout {
    ROLLOUT
    length 30d
    briefing rep every 2w
    exam rep at 14d, 30d
    audit rep by boss every 1w
  }
}
"#;

#[test]
fn without_a_start_date_days_are_relative_and_no_calendar_is_written() {
    let outputs = build(&SMALL.replace("ROLLOUT", ""));
    let paths: Vec<&str> = outputs.iter().map(|o| o.path.as_str()).filter(|p| p.starts_with("rollout/")).collect();
    assert_eq!(
        paths,
        [
            "rollout/schedule.md",
            "rollout/schedule.html",
            "rollout/exam-rep.md",
            "rollout/exam-rep.html",
            "rollout/exam-rep-key.md",
            "rollout/exam-rep-key.html",
            "rollout/audit-rep.md",
            "rollout/audit-rep.html"
        ]
    );
    let schedule = file(&outputs, "rollout/schedule.md");
    assert!(schedule.contains("The start date is not set yet"), "{schedule}");
    assert!(
        schedule.contains("| 3 (days 14–20) | day 14 | Briefing | Rep |\n|  | day 14 | Exam | Rep |"),
        "{schedule}"
    );
    assert!(schedule.contains("| 5 (days 28–30) |"), "{schedule}");
    assert!(!schedule.contains("January"), "{schedule}");
    let exam = file(&outputs, "rollout/exam-rep.md");
    assert!(exam.contains("Exam dates: day 14 and day 30."), "{exam}");
    let audit = file(&outputs, "rollout/audit-rep.md");
    assert!(audit.contains("| Step | day 7 | day 14 | day 21 | day 28 |"), "{audit}");
}

#[test]
fn with_a_start_date_the_kit_is_dated() {
    let outputs = build(&SMALL.replace("ROLLOUT", "start 2026-12-28"));
    let schedule = file(&outputs, "rollout/schedule.md");
    assert!(
        schedule
            .contains("| 1 (28 December 2026 – 3 January 2027) | Monday, 28 December 2026 | day 0 | Briefing | Rep |"),
        "{schedule}"
    );
    let audit = file(&outputs, "rollout/audit-rep.md");
    assert!(audit.contains("| Step | 4 Jan | 11 Jan | 18 Jan | 25 Jan |"), "{audit}");
    let cal = parse(file(&outputs, "rollout/rollout.ics"));
    // Briefings on days 0, 14, 28; exams on 14 and 30; audits on 7, 14, 21, 28.
    assert_eq!(cal.events().count(), 3 + 2 + 4);
}

#[test]
fn uids_stay_when_a_line_of_another_kind_is_added() {
    let uids = |text: &str| -> BTreeSet<String> {
        let outputs = build(text);
        let cal = parse(file(&outputs, "rollout/rollout.ics"));
        cal.events().filter_map(|e| e.get_uid().map(str::to_string)).collect()
    };
    let before = uids(&SMALL.replace("ROLLOUT", "start 2027-01-11"));
    let after = uids(&SMALL.replace("ROLLOUT", "start 2027-01-11\n    briefing boss every 1w"));
    assert!(before.is_subset(&after), "{:?}", before.difference(&after).collect::<Vec<_>>());
    assert!(before.contains("shop-exam-0-1@procdef"), "{before:?}");
}

/// The numbered items of a Markdown text under each `## ` heading: their
/// numbers and their lines.
fn sittings(text: &str) -> Vec<Vec<(usize, String)>> {
    text.split("\n## ")
        .skip(1)
        .map(|part| {
            part.lines()
                .filter_map(|l| l.split_once(". ").and_then(|(n, rest)| Some((n.parse().ok()?, rest.to_string()))))
                .collect()
        })
        .collect()
}

#[test]
fn exam_sheets_hold_questions_and_the_keys_their_answers() {
    let outputs = example("sales-process.proc");
    let sheet = file(&outputs, "rollout/exam-caller.md");
    let key = file(&outputs, "rollout/exam-caller-key.md");
    let (sheets, keys) = (sittings(sheet), sittings(key));
    // The caller sits three exams (days 30, 60 and 100): one sheet each.
    assert_eq!(sheets.len(), 3, "{sheet}");
    assert_eq!(keys.len(), 3, "{key}");
    let answers = |text: &str, n: usize| -> String {
        let start = text.find(&format!("\n{n}. ")).expect("the question in the key");
        let rest = &text[start + 1..];
        let end = rest.find("\n\n").unwrap_or(rest.len());
        rest[..end].to_string()
    };
    for (qs, ks) in sheets.iter().zip(&keys) {
        // Numbered 1…n, at most 25 without `questions`, the same in the key.
        assert!(qs.len() >= 10 && qs.len() <= 25, "{}", qs.len());
        assert_eq!(qs.iter().map(|q| q.0).collect::<Vec<_>>(), (1..=qs.len()).collect::<Vec<_>>());
        let texts: Vec<String> = qs.iter().map(|q| q.1.clone()).collect();
        let key_texts: Vec<String> = ks.iter().map(|k| k.1.trim_matches('*').to_string()).collect();
        assert_eq!(texts, key_texts, "the key answers the sheet's questions, in order");
        // No percentages to recite, and not every question is about a deadline.
        assert!(texts.iter().all(|t| !t.contains('%') && !t.contains("What share")), "{texts:?}");
        let by_when = texts.iter().filter(|t| t.contains("By when?")).count();
        assert!(by_when > 0 && by_when < texts.len(), "{by_when} of {}", texts.len());
    }
    // The sheet holds no answers, the key does.
    assert!(!sheet.contains("Answer a call by the third ring"), "{sheet}");
    assert!(key.contains("Answer a call by the third ring"), "{key}");
    // A question about steps with a deadline: the answer says by when.
    let q = "A client has just entered the stage «Passive attraction: inbound request». What are your first steps there? By when?";
    let (n, _) = sheets[0].iter().find(|(_, t)| t == q).expect("asked: the caller's pool is smaller than 25");
    let a = answers(key.split("\n## ").nth(1).expect("the first sitting in the key"), *n);
    assert!(a.contains("Answer a call by the third ring"), "{a}");
    assert!(a.contains("by when: within 30 min of the client entering the stage"), "{a}");
    // Every build the same.
    assert_eq!(sheet, file(&example("sales-process.proc"), "rollout/exam-caller.md"));
    // The answer room is there, and the sheet says nothing of a key inside.
    assert!(sheet.contains("   ……"), "{sheet}");
    assert!(!sheet.contains("Answer key"));
    // Every examined role gets a sheet and a key, and only they.
    for role in ["caller", "manager", "account", "head"] {
        assert!(outputs.iter().any(|o| o.path == format!("rollout/exam-{role}.md")), "{role}");
        assert!(outputs.iter().any(|o| o.path == format!("rollout/exam-{role}-key.html")), "{role}");
    }
    assert!(!outputs.iter().any(|o| o.path == "rollout/exam-director.md"));
}

#[test]
fn questions_n_draws_n_questions_spread_over_the_stages() {
    let text = std::fs::read_to_string(root().join("examples/sales-process.proc")).expect("readable");
    let compiled = procdef::compile(text.as_bytes());
    let model = compiled.model.as_ref().expect("a model");
    let graph = compiled.graph.as_ref().expect("a graph");
    let role = procdef::model::RoleId(model.roles.iter().position(|r| r.id == "manager").expect("a manager"));
    let (groups, pool) = procdef::emit::rollout::exam::pool(model, graph, role);
    assert!(pool.len() > 25, "a pool larger than an exam: {}", pool.len());
    for n in [1usize, 5, 12] {
        let drawn = procdef::emit::rollout::exam::draw(&pool, n, "manager", 30);
        assert_eq!(drawn.len(), n);
        let mut seen: Vec<usize> = drawn.iter().map(|&k| pool[k].group).collect();
        seen.dedup();
        // Spread: as many stages as questions, up to every stage.
        assert_eq!(seen.len(), n.min(groups.len()), "n = {n}: {seen:?}");
    }
    // Through the language: `questions 7` on one exam line.
    let with = text.replacen(
        "exam caller, manager, account at 30d, 60d, 100d",
        "exam caller, manager, account at 30d, 60d, 100d questions 7",
        1,
    );
    assert_ne!(with, text, "the example's exam line");
    let outputs = build(&with);
    let parts = sittings(file(&outputs, "rollout/exam-manager.md"));
    assert_eq!(parts.len(), 3);
    for part in &parts {
        assert_eq!(part.len(), 7);
    }
    // Two exams of one role ask different questions.
    assert_ne!(parts[0], parts[1]);
}

#[test]
fn audit_checklists_have_a_line_per_instruction_and_a_column_per_audit() {
    let bytes = std::fs::read(root().join("examples/sales-process.proc")).expect("readable");
    let compiled = procdef::compile(&bytes);
    let model = compiled.model.as_ref().expect("a model");
    let outputs = example("sales-process.proc");
    for (role, stem) in [("manager", "manager"), ("head", "head"), ("caller", "caller")] {
        let id = model.role_id(role).expect("a role");
        let instructions: usize =
            model.stages.iter().map(|s| s.instructions.iter().filter(|i| i.role == Some(id)).count()).sum();
        let audit = file(&outputs, &format!("rollout/audit-{stem}.md"));
        let tables = audit.matches("| Step |").count();
        // 14 weekly audits in tables of at most 7 columns.
        assert_eq!(tables, 2, "{stem}");
        let step_rows = audit
            .lines()
            .filter(|l| {
                l.starts_with("| ")
                    && l.split('|').nth(1).is_some_and(|c| {
                        let c = c.trim();
                        c.split_once(' ').is_some_and(|(n, _)| {
                            n.contains('.') && n.chars().all(|ch| ch.is_ascii_digit() || ch == '.')
                        })
                    })
            })
            .count();
        assert_eq!(step_rows, instructions * tables, "{stem}");
        for row in audit.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| Step")) {
            assert_eq!(row.matches(" |").count(), 8, "{stem}: {row}");
        }
    }
    let head = file(&outputs, "rollout/audit-head.md");
    assert!(head.contains("## Audited by Commercial director"));
    assert!(head.contains("| Step | 18 Jan | 25 Jan | 1 Feb | 8 Feb | 15 Feb | 22 Feb | 1 Mar |"), "{head}");
    assert!(head.contains("| Step | 8 Mar | 15 Mar | 22 Mar | 29 Mar | 5 Apr | 12 Apr | 19 Apr |"), "{head}");
}

/// The English fixed words: each locale value cut at its placeholders,
/// keeping the pieces that hold a word of at least three letters.
fn english_phrases() -> Vec<String> {
    let en: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(root().join("src/i18n/locales/en.json")).expect("locale"))
            .expect("JSON");
    let mut phrases = BTreeSet::new();
    for (key, value) in en {
        if key == "decimal" {
            continue;
        }
        let pieces: Vec<String> = if key.starts_with("unit.")
            || key.starts_with("count.")
            || key == "months"
            || key == "months_short"
            || key == "weekdays"
        {
            value.split(['|', ' ']).map(str::to_string).collect()
        } else {
            let mut v = Vec::new();
            for part in value.replace("**", "").split('{') {
                let text = part.split_once('}').map_or(part, |(_, rest)| rest);
                v.push(text.to_string());
            }
            v
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

/// Whether `word` occurs in `text` as a whole word (or phrase).
fn has_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(i, _)| {
        let before = text[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = text[i + phrase.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
}

/// What a reader sees of an output: Markdown without the Mermaid source,
/// the text of an HTML page, the summaries and descriptions of a calendar.
fn visible(o: &Output) -> String {
    if o.path.ends_with(".html") {
        let doc = scraper::Html::parse_document(&o.contents);
        let body = scraper::Selector::parse("body").expect("selector");
        return doc.select(&body).flat_map(|b| b.text()).collect::<Vec<_>>().join(" ");
    }
    if o.path.ends_with(".ics") {
        let cal = parse(&o.contents);
        return cal
            .events()
            .flat_map(|e| [e.get_summary().unwrap_or(""), e.get_description().unwrap_or("")])
            .collect::<Vec<_>>()
            .join("\n");
    }
    let mut out = String::new();
    let mut code = false;
    for line in o.contents.lines() {
        if line.starts_with("```") {
            code = !code;
        } else if !code {
            // Link targets are file names, not words: `[text](target)`.
            let mut rest = line;
            while let Some(at) = rest.find("](") {
                out.push_str(&rest[..at]);
                rest = rest[at..].split_once(')').map_or("", |(_, r)| r);
            }
            out.push_str(rest);
            out.push('\n');
        }
    }
    out
}

#[test]
fn russian_outputs_hold_no_english_fixed_words() {
    let phrases = english_phrases();
    assert!(phrases.iter().any(|p| p == "Briefing") && phrases.iter().any(|p| p == "days"), "{phrases:?}");
    // The Russian example's own text uses these Latin words.
    let allowed = ["CRM", "rollout.ics"];
    let mut checked = 0;
    for o in example("sales-process-ru.proc") {
        if o.path.ends_with(".json") || o.path.ends_with(".mmd") {
            continue;
        }
        let text = visible(&o);
        for p in &phrases {
            if allowed.iter().any(|a| a.contains(p.as_str())) {
                continue;
            }
            assert!(!has_phrase(&text, p), "{}: English `{p}`", o.path);
        }
        checked += 1;
    }
    // In two formats: 5 manuals, the funnel plan, the schedule, 4 exam
    // sheets and their 4 keys, 4 audits; and the calendar and the index.
    assert_eq!(checked, (5 + 1 + 1 + 4 + 4 + 4) * 2 + 2);
    // And the check does catch English: the English example is full of it.
    let en = example("sales-process.proc");
    let schedule = en.iter().find(|o| o.path == "rollout/schedule.md").expect("a schedule");
    assert!(phrases.iter().any(|p| has_phrase(&visible(schedule), p)));
}

#[test]
fn russian_counts_agree_with_their_numbers() {
    let outputs = example("sales-process-ru.proc");
    let schedule = file(&outputs, "rollout/schedule.md");
    assert!(schedule.contains("100 дней, 15 недель"), "{schedule}");
    assert!(schedule.contains("*Всего: 23 инструктажа, 4 экзамена, 28 проверок.*"), "{schedule}");
    let audit = file(&outputs, "rollout/audit-оператор.md");
    assert!(audit.contains("Интервал между проверками: 1 неделя; всего за время внедрения: 14 проверок."), "{audit}");
    let manual = file(&outputs, "manuals/менеджер.md");
    assert!(manual.contains("Поток по плану: 60,1 клиента в месяц."), "{manual}");
    assert!(manual.contains("срок: 1 неделя с момента"), "{manual}");
}

/// Many repeating lines together yield at most `MAX_EVENTS` events, the
/// earliest, in time order; an early exam is among them.
#[test]
fn the_rollout_yields_at_most_max_events_in_all() {
    let lines = "briefing rep every 1min\n".repeat(3);
    let text = SMALL.replace(
        "    ROLLOUT\n    length 30d\n    briefing rep every 2w\n",
        &format!("start 2027-01-11\nlength 30d\n{lines}"),
    );
    let compiled = procdef::compile(text.as_bytes());
    assert!(!compiled.has_errors(), "{}", render("test.proc", &compiled));
    let events = procdef::rollout::events(compiled.model.as_ref().expect("a model"));
    assert_eq!(events.len(), procdef::rollout::MAX_EVENTS);
    let keys: Vec<_> = events.iter().map(|e| (e.at_minutes, e.kind, e.source, e.occurrence)).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "in time order");
    // Three briefings a minute for 3 333 minutes, and the exam on day 14 is
    // later than all of them; the first minutes have one from each line.
    assert_eq!(events.iter().filter(|e| e.at_minutes == 0).count(), 3);
    assert_eq!(events.last().map(|e| e.at_minutes), Some(3333));
    assert!(events.iter().all(|e| e.kind == procdef::rollout::EventKind::Briefing));
}

/// An event counts once per role it concerns: a briefing of a role named
/// 100 times every minute yields 100 events, not 10 000 lists of 100 roles.
#[test]
fn an_event_counts_once_per_role_it_concerns() {
    let roles = vec!["rep"; 100].join(", ");
    let text = SMALL.replace(
        "    ROLLOUT\n    length 30d\n    briefing rep every 2w\n",
        &format!("length 30d\nbriefing {roles}, boss every 1min\n"),
    );
    let compiled = procdef::compile(text.as_bytes());
    assert!(!compiled.has_errors(), "{}", render("test.proc", &compiled));
    let events = procdef::rollout::events(compiled.model.as_ref().expect("a model"));
    assert_eq!(events.len(), 99);
    assert_eq!(events.iter().map(procdef::rollout::weight).sum::<usize>(), 99 * 101);
    assert!(events.iter().all(|e| e.roles.len() == 101));
}

/// A rollout whose last day is 9999-12-30 still makes a valid calendar (its
/// last event ends on 9999-12-31); one a day longer is P601.
#[test]
fn the_calendar_holds_a_rollout_up_to_the_year_9999() {
    let text = SMALL.replace("ROLLOUT", "start 9999-11-30");
    let ics = file(&build(&text), "rollout/rollout.ics").to_string();
    let cal = parse(&ics);
    let last = cal.events().map(|e| date(e, false)).max().expect("events");
    assert_eq!(last, chrono::NaiveDate::from_ymd_opt(9999, 12, 31).expect("a date"));
    assert!(!ics.contains("+1000"), "{ics}");
    let compiled = procdef::compile(SMALL.replace("ROLLOUT", "start 9999-12-01").as_bytes());
    let errors: Vec<_> =
        compiled.diagnostics.iter().filter(|d| d.severity == procdef::diagnostics::Severity::Error).cloned().collect();
    assert_eq!(actual_codes(&errors), ["P601"], "{}", render("test.proc", &compiled));
}

/// Russia's fixed public holidays, written out by hand as the law lists
/// them (not taken from the crate): the New Year holidays and Christmas,
/// Defender of the Fatherland Day, Women's Day, Spring and Labour Day,
/// Victory Day, Russia Day, Unity Day.
const RU_HOLIDAYS: &str = "01-01 01-02 01-03 01-04 01-05 01-06 01-07 01-08 02-23 03-08 05-01 05-09 06-12 11-04";

/// A day off in the test's own calendar: a weekend by chrono's weekday, a
/// holiday by the hand list, or a date listed.
fn day_off(d: chrono::NaiveDate, extra: &[chrono::NaiveDate]) -> bool {
    use chrono::Datelike;
    let md = format!("{:02}-{:02}", d.month(), d.day());
    matches!(d.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun)
        || RU_HOLIDAYS.split(' ').any(|h| h == md)
        || extra.contains(&d)
}

/// The date an event due on `due` is held on, by the rule of LANGUAGE.md
/// §6.3 applied to the test's calendar: forward to a working day, or, past
/// the last day, back to the last working day.
fn held(due: chrono::NaiveDate, last: chrono::NaiveDate, extra: &[chrono::NaiveDate]) -> chrono::NaiveDate {
    let mut d = due;
    while d <= last && day_off(d, extra) {
        d = d.succ_opt().expect("a date");
    }
    if d <= last {
        return d;
    }
    let mut d = last.min(due);
    while day_off(d, extra) {
        d = d.pred_opt().expect("a date");
    }
    d
}

#[test]
fn events_move_off_days_off_as_an_independent_calendar_says() {
    // Daily briefings over rollouts that cross New Year, the May holidays
    // and the end of a year, in several years; each ends on a day off, so
    // the last events move back.
    let cases = [("2025-12-20", 57), ("2027-04-24", 22), ("2028-12-27", 46), ("2031-02-20", 101)];
    let mut forward = 0;
    let mut back = 0;
    for (start, days) in cases {
        let text = SMALL
            .replace("ROLLOUT", &format!("start {start}\n    holidays RU, 2027-05-10"))
            .replace("length 30d", &format!("length {days}d"))
            .replace("briefing rep every 2w", "briefing rep every 1d")
            .replace("exam rep at 14d, 30d", "exam rep at 1d");
        let outputs = build(&text);
        let first = chrono::NaiveDate::parse_from_str(start, "%Y-%m-%d").expect("a date");
        let last = first + chrono::Days::new(days);
        assert!(day_off(last, &[]), "{start}: the case should end on a day off");
        let extra = [chrono::NaiveDate::from_ymd_opt(2027, 5, 10).expect("a date")];
        let cal = parse(file(&outputs, "rollout/rollout.ics"));
        let schedule = file(&outputs, "rollout/schedule.md");
        let mut seen = 0;
        // Every event: daily briefings, the exam on day 1, weekly audits
        // from day 7; the day each was due comes from its UID's occurrence.
        assert!(cal.events().count() as u64 > days, "{start}");
        for e in cal.events() {
            let uid = e.get_uid().expect("a UID");
            let occurrence: u64 = uid.split('-').nth(3).and_then(|n| n.split('@').next()?.parse().ok()).expect(uid);
            let n = match uid.split('-').nth(1) {
                Some("briefing") => occurrence,
                Some("exam") => 1,
                Some("audit") => 7 * (occurrence + 1),
                other => panic!("{other:?}"),
            };
            let due = first + chrono::Days::new(n);
            let want = held(due, last, &extra);
            assert_eq!(date(e, true), want, "{start}: briefing due {due}");
            let description = e.get_description().unwrap_or_default();
            if want == due {
                assert!(!description.contains("Moved from"), "{start}: {due}: {description}");
                continue;
            }
            if want > due {
                forward += 1
            } else {
                back += 1
            }
            // The calendar and the schedule name the day it moved from, and why.
            use chrono::Datelike;
            let weekday = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
                [due.weekday().num_days_from_monday() as usize];
            let month = [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ][due.month0() as usize];
            let holiday = RU_HOLIDAYS.split(' ').any(|h| h == format!("{:02}-{:02}", due.month(), due.day()))
                || extra.contains(&due);
            let why = if holiday { "holiday" } else { "day off" };
            let note = format!("moved from {weekday} {} {month} ({why})", due.day());
            assert!(description.contains(&format!("M{}", &note[1..])), "{start}: {due}: {description}");
            assert!(schedule.contains(&note), "{start}: {due}: no «{note}» in the schedule");
            seen += 1;
        }
        assert_eq!(schedule.matches("moved from").count(), seen, "{start}");
    }
    assert!(forward > 20 && back > 0, "both directions are tested: {forward} forward, {back} back");
}

#[test]
fn a_moved_event_reads_in_russian_and_a_rollout_without_start_says_the_calendar_changes_nothing() {
    let text = std::fs::read_to_string(root().join("examples/sales-process-ru.proc")).expect("readable");
    let with = text.replacen("    start 2027-01-11\n", "    start 2027-01-11\n    holidays RU\n", 1);
    assert_ne!(with, text);
    let outputs = build(&with);
    let schedule = file(&outputs, "rollout/schedule.md");
    // 8 March 2027 is a Monday and a holiday: the weekly briefing moves to Tuesday.
    assert!(schedule.contains("вторник, 9 марта 2027; *перенесено с понедельника 8 марта (праздник)*"), "{schedule}");
    // The schedule names the holidays within the rollout, 11 January to 21 April.
    assert!(schedule.contains("праздник (23 февраля и 8 марта)"), "the holidays are listed: {schedule}");
    let ics = file(&outputs, "rollout/rollout.ics").replace("\r\n ", "");
    assert!(ics.contains("Перенесено с понедельника 8 марта (праздник)."), "{ics}");
    // Without a start, the schedule says the working calendar changes nothing.
    let relative = with.replacen("    start 2027-01-11\n", "", 1);
    let outputs = build(&relative);
    let schedule = file(&outputs, "rollout/schedule.md");
    assert!(schedule.contains("поэтому в этом графике ничего не переносится"), "{schedule}");
    assert!(!schedule.contains("перенесено с"), "{schedule}");
    let en = build(&SMALL.replace("ROLLOUT", "weekdays"));
    let schedule = file(&en, "rollout/schedule.md");
    assert!(schedule.contains("so they change nothing in this schedule"), "{schedule}");
}
