//! The fast hand-written parser and the pest grammar accept exactly the same
//! files and read them into the same tree with the same diagnostics: on
//! every fixture and example, on generated processes, on thousands of
//! mutations of them, and on random token soup.

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
