//! The documentation of every rule: its examples do what they say, and
//! `docs/diagnostics.md` is generated from it.

mod common;

use procdef::checks::registry;
use procdef::diagnostics::Code;

/// The rules about a file that uses another: each of their examples is a
/// project of two files, written as one `proc` block per file. No file alone
/// shows the diagnostic, so these blocks are not compiled one by one.
const ABOUT_SEVERAL_FILES: [Code; 2] = [Code::P005, Code::P006];

#[test]
fn every_rule_has_documentation_with_why_and_examples() {
    for code in Code::ALL {
        let doc = code.doc();
        assert!(doc.text.len() > 200, "{code}: the rule file has no real doc comment");
        assert!(doc.text.contains("**Why it matters.**"), "{code}: says not why it matters");
        assert!(doc.text.contains("**Wrong:**") && doc.text.contains("**Right:**"), "{code}: lacks examples");
    }
}

#[test]
fn wrong_examples_get_their_code_and_right_examples_get_nothing() {
    for code in Code::ALL {
        let examples = code.doc().examples();
        if ABOUT_SEVERAL_FILES.contains(code) {
            // The wrong project's two files, then the right one's.
            assert_eq!(examples.len(), 4, "{code}: expected two files in each of the two examples");
            continue;
        }
        // P003's wrong example is a file in another encoding; it has only a right one.
        let (wrong, right) = match examples.as_slice() {
            [wrong, right] => (Some(wrong), right),
            [right] if *code == Code::P003 => (None, right),
            other => panic!("{code}: expected a wrong and a right example, found {}", other.len()),
        };
        if let Some(wrong) = wrong {
            let got = procdef::compile(wrong.as_bytes());
            assert!(
                got.diagnostics.iter().any(|d| d.code == *code),
                "{code}: the wrong example does not get {code}: {:?}",
                common::actual_codes(&got.diagnostics)
            );
        }
        let got = procdef::compile(right.as_bytes());
        assert!(
            got.diagnostics.is_empty(),
            "{code}: the right example gets {:?}\n{}",
            common::actual_codes(&got.diagnostics),
            common::render("right.proc", &got)
        );
    }
}

#[test]
fn diagnostics_reference_is_generated_from_the_rules() {
    let path = common::root().join("docs/diagnostics.md");
    let generated = registry::reference_markdown();
    if std::env::var_os("PROCDEF_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("docs/diagnostics.md is writable");
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(current == generated, "docs/diagnostics.md is out of date: run `PROCDEF_BLESS=1 cargo test --test docs`");
}

#[test]
fn codes_and_names_match_the_contract() {
    let names: Vec<(&str, &str)> = Code::ALL.iter().map(|c| (c.as_str(), c.name())).collect();
    assert_eq!(names.len(), 36);
    assert!(names.contains(&("P005", "import-failed")));
    assert!(names.contains(&("P006", "import-cycle")));
    assert!(names.contains(&("P205", "cycle")));
    assert!(names.contains(&("P506", "time-limit-exceeded")));
    assert!(names.contains(&("P507", "takes-over-limit")));
    assert_eq!(Code::lookup("trapped-stage"), Some(Code::P206));
    assert_eq!(Code::lookup("p601"), Some(Code::P601));
    assert_eq!(Code::lookup("nonsense"), None);
}

/// The keyword table of the docs, made from the one table in
/// `src/syntax/keywords.rs`.
fn keywords_markdown() -> String {
    use procdef::syntax::keywords::{DURATION_UNITS, Keyword, PERIODS};
    let mut out = String::from(
        "# Keywords\n\n<!-- Generated from src/syntax/keywords.rs by `PROCDEF_BLESS=1 cargo test --test docs`; do not edit. -->\n\n\
         A file whose first line is `# language: ru` (or `# язык: ru`) is written with the\n\
         Russian keywords, and the English ones are not keywords in it; any other file\n\
         uses the English ones. In Russian keywords `ё` and `е` are the same letter\n\
         (`объём` = `объем`). Keywords are contextual: a name may be spelled like one.\n\
         `procdef fmt --keywords ru|en` translates a file from one to the other.\n\n\
         | English | Russian | what it does |\n| --- | --- | --- |\n",
    );
    for k in Keyword::ALL {
        let ru = if k.ru().is_empty() { "—".to_string() } else { format!("`{}`", k.ru()) };
        let en = if *k == Keyword::Reports { "reports to".to_string() } else { k.en().to_string() };
        out.push_str(&format!("| `{en}` | {ru} | {} |\n", k.summary().replace('|', "\\|")));
    }
    out.push_str("\nUnits of durations, and the periods of rates, follow the keywords: a unit of the other language is P002, whose help says how this file writes it (`14д` in an English file: write `14d`):\n\n| English | Russian | |\n| --- | --- | --- |\n");
    for (en, ru, minutes) in DURATION_UNITS {
        out.push_str(&format!("| `{en}` | `{ru}` | {minutes} min |\n"));
    }
    for (_, en, ru) in PERIODS {
        out.push_str(&format!("| `/{en}` | `/{ru}` | per {en} |\n"));
    }
    out.push_str("\nPercentages, money (`300000 RUB`), dates and `->`, `>=`, `<=` are the same in both; so are the language codes `en` and `ru`.\n");
    out
}

#[test]
fn keyword_reference_is_generated_from_the_keyword_table() {
    let path = common::root().join("docs/keywords.md");
    let generated = keywords_markdown();
    if std::env::var_os("PROCDEF_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("docs/keywords.md is writable");
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(current == generated, "docs/keywords.md is out of date: run `PROCDEF_BLESS=1 cargo test --test docs`");
    // Every keyword of the language's contract is in the table, in both
    // spellings (LANGUAGE.md §5.2).
    for (en, ru) in [
        ("process", "процесс"),
        ("reports to", "подчиняется"),
        ("workdays", "рабочие_дни"),
        ("by", "проводит"),
        ("volume", "объём"),
    ] {
        assert!(generated.contains(&format!("| `{en}` | `{ru}` |")), "{en} / {ru}");
    }
}
