//! Diagnostics in Russian: for a file with the `# language: ru` header, and
//! for any file under `--lang ru` (`Options { lang }`). Every rule from
//! P101 to P601 speaks Russian, with no English word left in its text, and
//! the codes a file gets do not depend on the language.

mod common;

use common::*;
use procdef::diagnostics::{Code, Diagnostic};
use procdef::{Lang, Options};

fn compile_in(lang: Lang, bytes: &[u8]) -> procdef::Compiled {
    procdef::compile_with(bytes, &Options { lang: Some(lang) })
}

/// The Latin words of a text outside `code` and "quoted" text: what is
/// left there is an English word a translation forgot.
fn latin_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let (mut in_code, mut in_quotes) = (false, false);
    for c in text.chars().chain([' ']) {
        match c {
            '`' if !in_quotes => in_code = !in_code,
            '"' if !in_code => in_quotes = !in_quotes,
            c if c.is_ascii_alphabetic() && !in_code && !in_quotes => word.push(c),
            _ if !word.is_empty() => words.push(std::mem::take(&mut word)),
            _ => {}
        }
    }
    words
}

/// Every text of a diagnostic: message, label, related labels, help.
fn texts(d: &Diagnostic) -> Vec<&str> {
    let mut all = vec![d.message.as_str()];
    all.extend(d.label.as_deref());
    all.extend(d.related.iter().map(|r| r.label.as_str()));
    all.extend(d.help.as_deref());
    all
}

fn has_cyrillic(text: &str) -> bool {
    text.chars().any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
}

/// The rules of the checks (not those of reading a file).
fn checked_codes() -> Vec<Code> {
    Code::ALL.iter().copied().filter(|c| c.as_str() >= "P101").collect()
}

#[test]
fn the_latin_word_finder_sees_english_outside_code_and_quotes() {
    assert_eq!(latin_words("у этапа `stage a` нет \"Call\" инструкций"), Vec::<String>::new());
    assert_eq!(latin_words("у этапа `a` нет owner, see"), ["owner", "see"]);
    assert_eq!(latin_words("ровно 100%: P208"), ["P"]);
}

#[test]
fn every_check_fixture_gets_the_same_codes_in_russian_with_russian_words_only() {
    let mut seen = Vec::new();
    let mut failures = Vec::new();
    for path in fixtures("checks") {
        let bytes = std::fs::read(&path).expect("fixture is readable");
        let english = compile_in(Lang::En, &bytes);
        let russian = compile_in(Lang::Ru, &bytes);
        assert_eq!(russian.lang, Lang::Ru);
        let codes = |c: &procdef::Compiled| c.diagnostics.iter().map(|d| (d.code, d.span)).collect::<Vec<_>>();
        if codes(&english) != codes(&russian) {
            failures.push(format!("{}: other diagnostics in Russian", name(&path)));
        }
        for (en, ru) in english.diagnostics.iter().zip(&russian.diagnostics) {
            if ru.code.as_str() < "P101" {
                continue;
            }
            seen.push(ru.code);
            for text in texts(ru) {
                let latin = latin_words(text);
                if !latin.is_empty() || !has_cyrillic(text) {
                    failures.push(format!("{} {}: English in {text:?}: {latin:?}", name(&path), ru.code));
                }
            }
            if en.message == ru.message || en.help == ru.help {
                failures.push(format!("{} {}: not translated: {:?}", name(&path), ru.code, ru.message));
            }
            // The user's names and the keywords are kept as written.
            for name in en.message.split('`').skip(1).step_by(2) {
                if !ru.message.contains(&format!("`{name}`")) && !ru.message.contains(name) {
                    failures.push(format!("{}: `{name}` lost in {:?}", ru.code, ru.message));
                }
            }
        }
    }
    for code in checked_codes() {
        if !seen.contains(&code) {
            failures.push(format!("{code}: no fixture shows its Russian message"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_header_makes_diagnostics_russian_and_lang_overrides_it() {
    let text = "# language: ru\nпроцесс p {\n  роль rep\n  этап a { вход инструкция rep { \"x\" } -> won }\n  этап won { итог выигран }\n}\n";
    let by_header = procdef::compile(text.as_bytes());
    assert_eq!(by_header.lang, Lang::Ru);
    assert_eq!(by_header.diagnostics.len(), 1, "{:?}", by_header.diagnostics);
    assert_eq!(by_header.diagnostics[0].message, "у этапа `a` нет ответственного");
    // The help names the file's keywords, in either language of messages.
    assert!(
        by_header.diagnostics[0].help.as_deref().is_some_and(|h| h.contains("`ответственный")),
        "{:?}",
        by_header.diagnostics[0].help
    );
    let chosen = compile_in(Lang::En, text.as_bytes());
    assert_eq!(chosen.diagnostics[0].message, "nobody owns the stage `a`");
    assert!(
        chosen.diagnostics[0].help.as_deref().is_some_and(|h| h.contains("`ответственный")),
        "{:?}",
        chosen.diagnostics[0].help
    );
    let english =
        "process p {\n  role rep\n  stage a { entry instruct rep { \"x\" } -> won }\n  stage won { outcome won }\n}\n";
    let without_header = procdef::compile(english.as_bytes());
    assert_eq!(without_header.lang, Lang::En);
    assert_eq!(without_header.diagnostics[0].message, "nobody owns the stage `a`");
}

#[test]
fn russian_fixtures_get_their_codes_in_russian() {
    let mut failures = Vec::new();
    let ru = fixtures("checks/ru");
    assert!(ru.len() >= 5, "the Russian fixtures are missing");
    for path in ru {
        let bytes = std::fs::read(&path).expect("fixture is readable");
        assert!(bytes.starts_with(b"# language: ru\n") || bytes.starts_with("# язык: ru\n".as_bytes()));
        let compiled = procdef::compile(&bytes);
        assert_eq!(compiled.lang, Lang::Ru, "{}", name(&path));
        let (want, got) = (expected_codes(&bytes), actual_codes(&compiled.diagnostics));
        if want != got {
            failures.push(format!("{}: want {want:?}, got {got:?}", name(&path)));
        }
        let file = format!("{}.proc", name(&path));
        let rendered = render(&file, &compiled);
        assert!(!rendered.contains("help:"), "{rendered}");
        insta::with_settings!({ snapshot_path => "snapshots/russian", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name(&path), rendered);
        });
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_unknown_rule_in_an_allow_comment_is_reported_in_russian() {
    let text = "process p {\n  role rep\n  # allow(idle-rol, nonsense)\n  role head\n  stage a { entry owner rep instruct rep { \"x\" } -> won }\n  stage won { outcome won }\n}\n";
    let compiled = compile_in(Lang::Ru, text.as_bytes());
    let unknown: Vec<&Diagnostic> = compiled.diagnostics.iter().filter(|d| d.code == Code::P102).collect();
    assert_eq!(unknown.len(), 2, "{:?}", compiled.diagnostics);
    assert_eq!(unknown[0].message, "в `# allow(…)` неизвестное правило `idle-rol`");
    assert_eq!(unknown[0].help.as_deref(), Some("может быть, имелось в виду `idle-role`?"));
    assert_eq!(
        unknown[1].help.as_deref(),
        Some("имя правила показывает `procdef explain КОД`: например, у `P208` это `needless-loop`")
    );
    for d in &unknown {
        for text in texts(d) {
            assert_eq!(latin_words(text), Vec::<String>::new(), "{text}");
        }
    }
}

#[test]
fn counts_in_russian_messages_agree_with_their_number() {
    let with = |n: usize| {
        let open: String = (0..n).map(|i| format!(" -> s{i}")).collect();
        let stages: String =
            (0..n).map(|i| format!("  stage s{i} {{ owner rep instruct rep {{ \"x\" }} -> won }}\n")).collect();
        let text = format!(
            "process p {{\n  role rep\n  stage a {{ entry owner rep instruct rep {{ \"x\" }}{open} }}\n{stages}  stage won {{ outcome won }}\n}}\n"
        );
        let compiled = compile_in(Lang::Ru, text.as_bytes());
        let d = compiled.diagnostics.iter().find(|d| d.code == Code::P303).expect("P303");
        d.message.split(" без процента").next().unwrap_or_default().to_string()
    };
    assert_eq!(with(2), "у этапа `a` 2 перехода");
    assert_eq!(with(5), "у этапа `a` 5 переходов");
    assert_eq!(with(21), "у этапа `a` 21 переход");
}

#[test]
fn the_human_report_has_its_own_words_in_russian() {
    let text = "process p {\n  role rep\n  stage a { entry owner rep -> won }\n  stage won { outcome won }\n}\n";
    let compiled = compile_in(Lang::Ru, text.as_bytes());
    let style = |lang, width| procdef::report::HumanStyle { color: false, width, lang };
    let report = procdef::report::human("f.proc", &compiled.text, &compiled.diagnostics, style(Lang::Ru, 60));
    assert!(report.contains("  подсказка: опишите, что здесь делает ответственный:"), "{report}");
    assert!(!report.contains("help"), "{report}");
    // A long help is wrapped at the width, under its first word.
    let lines: Vec<&str> = report.lines().skip_while(|l| !l.starts_with("  подсказка: ")).collect();
    assert!(lines.len() >= 2 && lines[1].starts_with(&" ".repeat(13)), "{report}");
    assert!(lines.iter().all(|l| l.chars().count() <= 60), "{report}");
    let english = procdef::compile(text.as_bytes());
    let report = procdef::report::human("f.proc", &english.text, &english.diagnostics, style(Lang::En, 60));
    assert!(report.contains("  help: say what the owner does here"), "{report}");
}

#[test]
fn the_summary_counts_in_russian() {
    use procdef::report::summary;
    assert_eq!(summary(Lang::Ru, 1, 2, 5), "1 файл, 2 ошибки, 5 предупреждений\n");
    assert_eq!(summary(Lang::Ru, 21, 11, 1), "21 файл, 11 ошибок, 1 предупреждение\n");
    assert_eq!(summary(Lang::Ru, 3, 0, 22), "3 файла, 0 ошибок, 22 предупреждения\n");
    assert_eq!(summary(Lang::En, 1, 2, 1), "1 file, 2 errors, 1 warning\n");
}

#[test]
fn json_keeps_its_machine_fields_in_english_and_carries_the_russian_message() {
    let text = "process p {\n  role rep\n  stage a { entry owner rep instruct rep { \"x\" } -> won }\n  stage won { outcome won }\n  role idle\n}\n";
    let compiled = compile_in(Lang::Ru, text.as_bytes());
    let json = procdef::report::json("f.proc", &compiled.text, &compiled.diagnostics);
    assert_eq!(json.len(), 1);
    assert_eq!((json[0].code, json[0].name, json[0].severity), ("P403", "idle-role", "warning"));
    assert_eq!(json[0].message, "роли `idle` нечего делать");
    let files =
        [procdef::sarif::FileDiagnostics { file: "f.proc", text: &compiled.text, diagnostics: &compiled.diagnostics }];
    let sarif = procdef::sarif::render_in(&files, None, &[]);
    assert!(sarif.contains("\"ruleId\": \"P403\"") && sarif.contains("роли `idle` нечего делать"), "{sarif}");
}
