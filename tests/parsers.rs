//! The parser and the pest grammar accept exactly the same files and read
//! them into the same tree with the same diagnostics: on every fixture and
//! example, on generated processes, on thousands of mutations of them, and
//! on random token soup. And on every text the lexer loses no byte, and
//! the parser never fails: it keeps every well-formed item of a broken
//! file.

mod common;

use common::*;
use proptest::prelude::*;

#[path = "../benches/support/generate.rs"]
#[allow(dead_code)]
mod generate;

use generate::Rng;

fn agree(text: &str) {
    if let Err(difference) = procdef::syntax::parsers_agree(text) {
        panic!("the parsers disagree on:\n----\n{text}\n----\n{difference}");
    }
}

fn has_syntax_error(text: &str) -> bool {
    procdef::syntax::parse(text).diagnostics.iter().any(|d| d.code.as_str() == "P001")
}

fn sources() -> Vec<String> {
    let mut files: Vec<_> =
        ["checks", "conformance", "fmt", "fuzz", "funnel"].iter().flat_map(|f| fixtures(f)).collect();
    files.extend(examples());
    files.push(root().join("examples/broken/mistakes.proc"));
    let mut texts: Vec<String> =
        files.iter().map(|p| String::from_utf8_lossy(&std::fs::read(p).expect("readable")).into_owned()).collect();
    texts.push(generate::process(60));
    texts
}

/// Bits of the language and of what goes wrong with it, to insert.
const SNIPPETS: &[&str] = &[
    " ",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "# a comment\n",
    "#",
    "\u{FEFF}",
    "{",
    "}",
    "->",
    "-",
    ">=",
    "<=",
    "/",
    ",",
    "\"",
    "\"\"\"",
    "\"\"\"\n",
    "\\",
    "\\n",
    "\\u{41}",
    "%",
    ".",
    "0",
    "7",
    "35%",
    "2h",
    "-5",
    "1.5",
    "40/day",
    "6h/day",
    "2027-01-11",
    "RUB",
    "x",
    "é",
    "стадия",
    "_",
    "loop",
    "stage",
    "role",
    "owner",
    "within",
    "takes",
    "effort",
    "instruct r { \"x\" }",
    "exit",
    "entry",
    "active",
    "passive",
    "outcome",
    "won",
    "lost",
    "for",
    "to",
    "reports",
    "metric",
    "conversion",
    "time",
    "volume",
    "activity",
    "by",
    "target",
    "review",
    "weekly",
    "plan",
    "goal",
    "revenue",
    "workdays",
    "rollout",
    "start",
    "length",
    "briefing",
    "every",
    "exam",
    "at",
    "audit",
    "segment",
    "share",
    "deal",
    "product",
    "description",
    "language",
    "version",
    "process",
    "\"t\"",
];

fn char_boundary(text: &str, rng: &mut Rng) -> usize {
    let mut at = (rng.next() as usize) % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut out = text.to_string();
    for _ in 0..1 + rng.next() % 3 {
        let at = char_boundary(&out, rng);
        match rng.next() % 5 {
            0 => out.truncate(at),
            1 => {
                let mut end = (at + 1 + (rng.next() as usize) % 24).min(out.len());
                while !out.is_char_boundary(end) {
                    end += 1;
                }
                out.replace_range(at..end, "");
            }
            2 => {
                // Whitespace and comments never change what a file means.
                let quiet = [" ", "\n", "\r\n", "\t", "  # note\n", "\u{FEFF}"];
                let before_token = out[at..].starts_with(|c: char| c.is_whitespace());
                if before_token {
                    out.insert_str(at, quiet[(rng.next() as usize) % quiet.len()]);
                } else {
                    out.insert_str(at, SNIPPETS[(rng.next() as usize) % SNIPPETS.len()]);
                }
            }
            3 => out.insert_str(at, SNIPPETS[(rng.next() as usize) % SNIPPETS.len()]),
            _ => {
                // Repeat a line: duplicate declarations, properties, items.
                let lines: Vec<&str> = out.split_inclusive('\n').collect();
                if !lines.is_empty() {
                    let i = (rng.next() as usize) % lines.len();
                    let line = lines[i].to_string();
                    let start: usize = lines[..i].iter().map(|l| l.len()).sum();
                    out.insert_str(start, &line);
                }
            }
        }
    }
    out
}

#[test]
fn the_parsers_agree_on_every_fixture_and_example() {
    let mut accepted = 0;
    for text in sources() {
        agree(&text);
        accepted += usize::from(!has_syntax_error(&text));
    }
    assert!(accepted > 60, "most fixtures parse: {accepted}");
}

#[test]
fn the_parsers_agree_on_generated_processes() {
    for n in [3, 41, 250] {
        let text = generate::process(n);
        agree(&text);
        assert!(!has_syntax_error(&text));
    }
}

#[test]
fn the_parsers_agree_on_mutated_fixtures() {
    let mut rng = Rng(0xD1FF);
    let (mut accepted, mut rejected) = (0, 0);
    for text in sources() {
        for _ in 0..40 {
            let mutant = mutate(&text, &mut rng);
            agree(&mutant);
            if has_syntax_error(&mutant) {
                rejected += 1;
            } else {
                accepted += 1;
            }
        }
    }
    // Both sides of the comparison are exercised.
    assert!(accepted > 1000 && rejected > 1000, "accepted {accepted}, rejected {rejected}");
}

#[test]
fn the_spans_are_the_ones_pest_gives() {
    // A construct ends at its last token, not after the whitespace and
    // comments that follow; a text block spans its quotes.
    let text = "process p {\n  stage a { entry active # why\n    -> b 5% loop # back\n  }\n  stage b { exit \"\"\"\n    done\n    \"\"\" }\n}\n";
    agree(text);
    let parsed = procdef::syntax::parse(text);
    let process = parsed.process.expect("parses");
    let procdef::ast::ProcessItem::Stage(a) = &process.items[0] else { panic!("a stage") };
    assert_eq!(&text[a.items[0].span.start..a.items[0].span.end], "entry active");
    assert_eq!(&text[a.items[1].span.start..a.items[1].span.end], "-> b 5% loop");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Random token soup inside a process and a stage: mostly rejected,
    /// sometimes accepted, always the same way by both parsers.
    #[test]
    fn the_parsers_agree_on_token_soup(
        tokens in prop::collection::vec(prop::sample::select(SNIPPETS), 0..40),
        separators in prop::collection::vec(prop::sample::select(&[" ", "\n", "", "  "][..]), 40),
    ) {
        let mut body = String::new();
        for (token, sep) in tokens.iter().zip(separators.iter().cycle()) {
            body.push_str(token);
            body.push_str(sep);
        }
        agree(&body);
        agree(&format!("process p {{ {body} }}"));
        agree(&format!("process p {{ stage s {{ {body} }} }}"));
        agree(&format!("process p {{ stage s {{ instruct r {{ {body} }} }} }}"));
    }
}

/// What the parser must hold on any text: every byte is in one token,
/// every span is inside the text on character boundaries, and a broken
/// file still yields a tree.
fn never_fails(text: &str) -> procdef::syntax::Parsed {
    let tokens = procdef::syntax::lexer::tokens(text);
    let joined: String = tokens.iter().map(|t| t.text(text)).collect();
    assert_eq!(joined, text, "the lexer lost or doubled bytes");
    let parsed = procdef::syntax::parse(text);
    for d in &parsed.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{d:?} is outside the text");
        assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end), "{d:?} cuts a character");
    }
    parsed
}

/// The stages of the parsed process, or of the tree of a broken file.
fn stages(parsed: &procdef::syntax::Parsed) -> Vec<String> {
    parsed
        .tree
        .processes
        .iter()
        .chain(&parsed.process)
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            procdef::ast::ProcessItem::Stage(s) => Some(s.name.name.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_misspelt_keyword_loses_only_its_own_item() {
    let text = std::fs::read_to_string(root().join("examples/sales-process.proc")).expect("readable");
    let all = stages(&procdef::syntax::parse(&text));
    assert!(all.len() > 3, "{all:?}");
    // Each `stage` in turn written `stag`: one syntax error, and every other
    // stage is still in the tree, with the process's other parts.
    let starts: Vec<usize> = text.match_indices("\n  stage ").map(|(i, _)| i + 3).collect();
    assert_eq!(starts.len(), all.len());
    for (n, at) in starts.iter().enumerate() {
        let mut broken = text.clone();
        broken.replace_range(at..&(at + 5), "stag");
        let parsed = never_fails(&broken);
        let codes: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["P001"], "stage {n}: {:?}", parsed.diagnostics);
        assert!(parsed.fatal && parsed.process.is_none(), "the command line still stops at a P001");
        let mut want = all.clone();
        want.remove(n);
        assert_eq!(stages(&parsed), want, "stage {n}");
    }
}

#[test]
fn a_missing_brace_closes_the_block_at_the_next_declaration() {
    let text = "process p {\n  role rep\n  stage a { entry owner rep -> b\n  stage b { owner rep -> won }\n  stage won { outcome won }\n}\n";
    let parsed = never_fails(text);
    assert_eq!(parsed.diagnostics.len(), 1, "{:?}", parsed.diagnostics);
    assert!(parsed.diagnostics[0].help.as_deref().is_some_and(|h| h.contains("`}` is probably missing")));
    assert_eq!(stages(&parsed), ["a", "b", "won"]);
    // `a` keeps what it had before the `}` went missing.
    let procdef::ast::ProcessItem::Stage(a) = &parsed.tree.processes[0].items[1] else { panic!("a stage") };
    assert_eq!(a.items.len(), 3);
}

#[test]
fn a_half_typed_file_is_read_as_far_as_it_goes() {
    let text = "process p {\n  role rep\n  stage a {\n    owner rep\n    ->";
    let parsed = never_fails(text);
    assert!(!parsed.diagnostics.is_empty());
    let procdef::ast::ProcessItem::Stage(a) = &parsed.tree.processes[0].items[1] else { panic!("a stage") };
    assert_eq!(a.name.name, "a");
    assert_eq!(a.items.len(), 1, "the owner is kept, the unfinished transition is not");
}

#[test]
fn the_parser_never_fails_and_recovers_without_a_cascade() {
    let mut rng = Rng(0x5EC0);
    let mut errors = Vec::new();
    for text in sources() {
        for _ in 0..40 {
            let mutant = mutate(&text, &mut rng);
            let parsed = never_fails(&mutant);
            errors.push(parsed.diagnostics.iter().filter(|d| d.code.as_str() == "P001").count());
        }
    }
    // One to three edits give a handful of syntax errors, not one per
    // token that follows.
    let worst = errors.iter().copied().max().unwrap_or(0);
    assert!(worst <= 12, "a mutant got {worst} syntax errors");
    let broken: Vec<usize> = errors.into_iter().filter(|&n| n > 0).collect();
    let mean = broken.iter().sum::<usize>() as f64 / broken.len() as f64;
    assert!(mean < 2.5, "{mean} syntax errors per broken mutant");
}

#[test]
fn russian_keywords_give_the_tree_of_the_english_ones() {
    let en = "process p {\n  language en\n  role rep { headcount 2 capacity 6h/day reports to boss }\n  role boss\n  stage a { entry passive 100% owner rep takes 2h within 1d effort 30min\n    instruct rep { \"Call\" within 2h for s }\n    -> b 40% loop \"again\"\n    -> lost }\n  stage b { outcome won }\n  stage lost { outcome lost }\n  segment s { share 100% deal 100 RUB }\n  metric m { volume a target >= 5/week review weekly }\n  metric n { activity \"calls\" by rep }\n  plan { goal 10/month workdays 20/month }\n  rollout { start 2027-01-11 length 30d briefing rep every 1w exam rep at 10d, 20d audit rep by boss every 1w }\n}\n";
    let ru = "# язык: ru\nпроцесс p {\n  язык en\n  роль rep { штат 2 часы 6ч/день подчиняется boss }\n  роль boss\n  этап a { вход пассивный 100% ответственный rep длится 2ч срок 1д затраты 30мин\n    инструкция rep { \"Call\" срок 2ч для s }\n    -> b 40% цикл \"again\"\n    -> lost }\n  этап b { итог выигран }\n  этап lost { итог проигран }\n  сегмент s { доля 100% сделка 100 RUB }\n  метрика m { объем a цель >= 5/неделя разбор еженедельно }\n  метрика n { активность \"calls\" по rep }\n  план { цель 10/месяц рабочие_дни 20/месяц }\n  внедрение { начало 2027-01-11 длительность 30д инструктаж rep каждые 1нед экзамен rep на 10д, 20д аудит rep проводит boss каждые 1нед }\n}\n";
    let (en, ru) = (procdef::compile(en.as_bytes()), procdef::compile(ru.as_bytes()));
    // The same warnings (an idle `boss`, a needless `loop`), no error.
    assert_eq!(common::actual_codes(&en.diagnostics), ["P208", "P403"]);
    assert_eq!(common::actual_codes(&en.diagnostics), common::actual_codes(&ru.diagnostics));
    let (en, ru) = (en.model.expect("a model"), ru.model.expect("a model"));
    let json = |m: &procdef::model::Model, text: &str| {
        let mut v = serde_json::to_value(procdef::emit::json::document(m, None, "f.proc", text)).expect("JSON");
        strip_spans(&mut v);
        v
    };
    assert_eq!(json(&en, ""), json(&ru, ""));
    // English words are names, not keywords, in a Russian file.
    let mixed = procdef::compile("# language: ru\nпроцесс p { stage a { } }\n".as_bytes());
    assert_eq!(common::actual_codes(&mixed.diagnostics), ["P001"]);
}
