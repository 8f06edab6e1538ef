//! `fmt --keywords ru|en`: translating a file's keywords keeps its meaning
//! (the same `process.json`, the same diagnostics), on every example and
//! conformance fixture, and back again; the Russian twins in
//! `examples/ru/` are what the translation gives today.

mod common;

use common::*;
use procdef::ast::Language;
use procdef::fmt::{format_file, format_file_with};
use std::path::{Path, PathBuf};
use std::process::Command;

// ---------------------------------------------------------------- helpers

fn to_ru(text: &str) -> String {
    let out = format_file_with(text.as_bytes(), Some(Language::Ru)).expect("parses");
    String::from_utf8(out).expect("UTF-8")
}

fn to_en(text: &str) -> String {
    let out = format_file_with(text.as_bytes(), Some(Language::En)).expect("parses");
    String::from_utf8(out).expect("UTF-8")
}

/// The Russian twin of an example.
fn twin(example: &Path) -> PathBuf {
    root().join("examples/ru").join(example.file_name().expect("a file name"))
}

/// Translates `bytes` into the other keyword language and back, and
/// checks that the translation parses in that language, compiles to the
/// same `process.json` and diagnostics, and that the way back gives the
/// formatted original.
fn check_translation(name: &str, bytes: &[u8]) -> Result<(), String> {
    let before = procdef::compile(bytes);
    let own = procdef::syntax::keywords::file_language(&before.text);
    let other = if own == Language::En { Language::Ru } else { Language::En };
    let Ok(translated) = format_file_with(bytes, Some(other)) else {
        let fatal = before.diagnostics.iter().any(|d| matches!(d.code.as_str(), "P001" | "P003" | "P004"));
        return if fatal { Ok(()) } else { Err(format!("{name}: not translated, but it parses")) };
    };
    let text = String::from_utf8(translated.clone()).map_err(|_| format!("{name}: not UTF-8"))?;
    if other == Language::Ru && !text.starts_with("# language: ru\n") {
        return Err(format!("{name}: no `# language: ru` header:\n{text}"));
    }
    let parsed = procdef::syntax::parse(&text);
    if parsed.keywords != other || parsed.fatal {
        return Err(format!("{name}: the translation does not parse in {other:?}:\n{text}"));
    }
    let after = procdef::compile(&translated);
    if actual_codes(&before.diagnostics) != actual_codes(&after.diagnostics) {
        return Err(format!(
            "{name}: codes differ: {:?} vs {:?}\n{text}",
            actual_codes(&before.diagnostics),
            actual_codes(&after.diagnostics)
        ));
    }
    if meaning(&before) != meaning(&after) {
        return Err(format!("{name}: process.json differs after the translation:\n{text}"));
    }
    let back = format_file_with(&translated, Some(own)).map_err(|_| format!("{name}: the way back fails"))?;
    if meaning(&procdef::compile(&back)) != meaning(&before) {
        return Err(format!("{name}: process.json differs after the way back"));
    }
    let formatted = format_file(bytes).map_err(|_| format!("{name}: does not format"))?;
    // An English file comes back as it was laid out. A Russian one comes
    // back with the header spelled `# language: ru` and its units and
    // periods in Russian (`EUR/month` becomes `EUR/месяц`): translating it
    // again gives the same English.
    let again = format_file_with(&back, Some(other)).map_err(|_| format!("{name}: the second way fails"))?;
    // A process that named no language got its outputs' language written
    // out by the translation (`language en`): the one line it adds.
    let said = procdef::syntax::parse(&String::from_utf8_lossy(bytes))
        .process
        .is_some_and(|p| p.items.iter().any(|i| matches!(i, procdef::ast::ProcessItem::Language(_))));
    let back_text = String::from_utf8_lossy(&back).into_owned();
    let back_as_written =
        if said || own != Language::En { back_text.clone() } else { back_text.replacen("  language en\n", "", 1) };
    if (own == Language::En && back_as_written.as_bytes() != formatted.as_slice()) || again != translated {
        return Err(format!(
            "{name}: back in {own:?} it is not the formatted original:\n{}",
            String::from_utf8_lossy(&back)
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------- examples and fixtures

#[test]
fn every_example_and_conformance_fixture_means_the_same_in_the_other_keywords() {
    let mut files = examples();
    files.extend(fixtures("conformance"));
    // Written in Russian keywords: they go into English and back.
    files.extend(fixtures("checks/ru"));
    assert!(files.len() >= 20, "{files:?}");
    let failures: Vec<String> = files
        .iter()
        .filter_map(|path| {
            check_translation(&path.display().to_string(), &std::fs::read(path).expect("readable")).err()
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn each_example_has_a_russian_twin_that_is_its_translation_today() {
    let examples = examples();
    assert!(examples.len() >= 2, "{examples:?}");
    for example in examples {
        let original = std::fs::read_to_string(&example).expect("readable");
        let path = twin(&example);
        let twin = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} has no twin; run `procdef fmt --keywords ru` on a copy", example.display()));
        assert!(
            twin == to_ru(&original),
            "{} is not what `procdef fmt --keywords ru {}` gives; regenerate it",
            path.display(),
            example.display()
        );
        assert!(to_en(&twin) == original, "{} back in English is not {}", path.display(), example.display());
        let (a, b) = (procdef::compile(original.as_bytes()), procdef::compile(twin.as_bytes()));
        assert!(a.diagnostics.is_empty() && b.diagnostics.is_empty(), "{:?}", b.diagnostics);
        assert_eq!(meaning(&a), meaning(&b), "{} compiles to another process.json", path.display());
        assert!(meaning(&b).is_some());
    }
}

#[test]
fn the_russian_twins_are_formatted_and_in_russian_keywords() {
    let twins: Vec<PathBuf> = examples().iter().map(|e| twin(e)).collect();
    for path in twins {
        let bytes = std::fs::read(&path).expect("readable");
        assert_eq!(format_file(&bytes).expect("parses"), bytes, "{} keeps its keywords and layout", path.display());
        let text = String::from_utf8(bytes).expect("UTF-8");
        assert!(text.contains("\n  этап ") && !text.contains("\n  stage "), "{}", path.display());
    }
}

// ---------------------------------------------------------------- what is translated

const ENGLISH: &str = "\
process p \"P\" {
  language en
  role head { capacity 6h/day }
  role rep {
    headcount 2
    capacity 6h/day
    reports to head
  }
  segment dealer { deal 450000 RUB }
  stage a {
    entry active 80%
    owner rep
    within 2h
    instruct rep {
      \"Call\" within 1w for dealer
    }
    -> won 40% \"yes\"
    -> a loop
  }
  stage won { outcome won }
  metric m {
    activity \"calls\" by rep
    target >= 40/day
    review weekly
  }
  plan {
    goal 20/month
    revenue 1000000 RUB/month
    workdays 21/month
  }
  rollout {
    start 2027-01-11
    exam rep at 30d, 60d
    audit rep by head every 1w
  }
}
";

const RUSSIAN: &str = "\
# language: ru
процесс p \"P\" {
  язык en
  роль head { часы 6ч/день }
  роль rep {
    штат 2
    часы 6ч/день
    подчиняется head
  }
  сегмент dealer { сделка 450000 RUB }
  этап a {
    вход активный 80%
    ответственный rep
    срок 2ч
    инструкция rep {
      \"Call\" срок 1нед для dealer
    }
    -> won 40% \"yes\"
    -> a цикл
  }
  этап won { итог выигран }
  метрика m {
    активность \"calls\" по rep
    цель >= 40/день
    разбор еженедельно
  }
  план {
    цель 20/месяц
    выручка 1000000 RUB/месяц
    рабочие_дни 21/месяц
  }
  внедрение {
    начало 2027-01-11
    экзамен rep на 30д, 60д
    аудит rep проводит head каждые 1нед
  }
}
";

#[test]
fn keywords_units_and_periods_are_translated_and_names_money_and_dates_are_not() {
    assert_eq!(to_ru(ENGLISH), RUSSIAN);
    assert_eq!(to_en(RUSSIAN), ENGLISH);
    // A `/` with spaces around it is translated and joined, as `fmt` joins it.
    let spaced = ENGLISH.replace("    capacity 6h/day", "    capacity 6h / day").replace("RUB/month", "RUB / month");
    assert_eq!(to_ru(&spaced), RUSSIAN);
}

#[test]
fn names_spelled_like_keywords_stay_names() {
    // A role named `owner`, a stage named `stage`, a segment named `этап`:
    // only the words in keyword position are keywords.
    let en = "process stage {\n  role owner\n  segment этап\n  stage stage {\n    owner owner\n    -> won\n  }\n  stage won { outcome won }\n}\n";
    let ru = to_ru(en);
    assert_eq!(
        ru,
        "# language: ru\nпроцесс stage {\n  язык en\n  роль owner\n  сегмент этап\n  этап stage {\n    ответственный owner\n    -> won\n  }\n  этап won { итог выигран }\n}\n"
    );
    assert_eq!(to_en(&ru), en.replacen("{\n", "{\n  language en\n", 1));
}

#[test]
fn the_header_is_added_after_a_byte_order_mark_and_replaced_or_removed() {
    let out = format_file_with(b"\xEF\xBB\xBF# about\nprocess p {}\n", Some(Language::Ru)).expect("parses");
    // The outputs' language, English before, is written out.
    assert_eq!(
        String::from_utf8(out.clone()).expect("UTF-8"),
        "\u{FEFF}# language: ru\n# about\nпроцесс p {\n  язык en\n}\n"
    );
    let back = format_file_with(&out, Some(Language::En)).expect("parses");
    assert_eq!(String::from_utf8(back).expect("UTF-8"), "\u{FEFF}# about\nprocess p {\n  language en\n}\n");
    // An English header is replaced, the Russian one in its Russian spelling too.
    assert_eq!(to_ru("# language: en\nprocess p { language en }\n"), "# language: ru\nпроцесс p {\n  язык en\n}\n");
    assert_eq!(to_en("#язык: ru\n\n# about\nпроцесс p {}\n"), "# about\nprocess p {\n  language ru\n}\n");
    // The blank lines at the start of a file do not come after the header.
    assert_eq!(
        to_ru("\n\n# about\n\nprocess p { language en }\n"),
        "# language: ru\n# about\n\nпроцесс p {\n  язык en\n}\n"
    );
    assert_eq!(to_ru("\n\nprocess p { language en }\n"), "# language: ru\nпроцесс p {\n  язык en\n}\n");
}

#[test]
fn a_file_keeps_its_keyword_language_without_the_flag() {
    assert_eq!(String::from_utf8(format_file(RUSSIAN.as_bytes()).expect("parses")).expect("UTF-8"), RUSSIAN);
    let messy =
        "# language: ru\nпроцесс p { роль r { штат 2 } этап a {\nответственный r -> b } этап b { итог проигран } }";
    assert_eq!(
        String::from_utf8(format_file(messy.as_bytes()).expect("parses")).expect("UTF-8"),
        "# language: ru\nпроцесс p {\n  роль r { штат 2 }\n  этап a {\n    ответственный r\n    -> b\n  }\n  этап b { итог проигран }\n}\n"
    );
    // `ё` and `е` are one letter: a keyword is kept as it was written.
    let yo = "# language: ru\nпроцесс p {\n  метрика m { объем a }\n  метрика n { объём a }\n}\n";
    assert_eq!(String::from_utf8(format_file(yo.as_bytes()).expect("parses")).expect("UTF-8"), yo);
    assert_eq!(
        to_en(yo),
        "process p {\n  language ru\n  metric m { volume a }\n  metric n { volume a }\n}\n",
        "both spellings are `volume`, and the outputs stay Russian"
    );
}

#[test]
fn comments_stay_when_reports_to_becomes_one_word() {
    let en = "process p {\n  role r {\n    reports # whose\n      to boss\n  }\n}\n";
    let ru = to_ru(en);
    assert_eq!(ru, "# language: ru\nпроцесс p {\n  язык en\n  роль r {\n    подчиняется # whose\n      boss\n  }\n}\n");
    let compiled = procdef::compile(ru.as_bytes());
    assert_eq!(meaning(&compiled), meaning(&procdef::compile(en.as_bytes())));
}

#[test]
fn libraries_and_use_lines_are_translated() {
    let en = "library common \"Shared\" {\n  use \"base.proc\"\n  role rep { headcount 2 }\n  product tools\n}\n";
    let ru = to_ru(en);
    assert_eq!(
        ru,
        "# language: ru\nбиблиотека common \"Shared\" {\n  подключить \"base.proc\"\n  роль rep { штат 2 }\n  продукт tools\n}\n"
    );
    assert_eq!(to_en(&ru), en);
}

#[test]
fn a_file_that_does_not_parse_is_not_translated() {
    let err = format_file_with(b"process p {\n  stage a { owner }\n", Some(Language::Ru)).expect_err("no name");
    assert_eq!(actual_codes(&err.diagnostics), ["P001", "P001"]);
    // English keywords under a Russian header do not parse.
    let err = format_file_with(b"# language: ru\nprocess p {}\n", Some(Language::En)).expect_err("English words");
    assert_eq!(actual_codes(&err.diagnostics), ["P004"]);
}

// ---------------------------------------------------------------- the command line

fn procdef() -> Command {
    Command::new(env!("CARGO_BIN_EXE_procdef"))
}

#[test]
fn fmt_keywords_translates_files_and_check_lists_those_in_the_other_language() {
    let dir = tempfile::tempdir().expect("temp dir");
    let en = dir.path().join("a_en.proc");
    let ru = dir.path().join("b_ru.proc");
    std::fs::write(&en, ENGLISH).expect("written");
    std::fs::write(&ru, RUSSIAN).expect("written");

    // `--check --keywords ru` lists the English file and changes nothing.
    let out = procdef().args(["fmt", "--check", "--keywords", "ru"]).arg(dir.path()).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{}\n", en.display()));
    assert_eq!(std::fs::read_to_string(&en).expect("readable"), ENGLISH);

    // Without `--keywords` both are laid out already.
    let out = procdef().args(["fmt", "--check"]).arg(dir.path()).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));

    let out = procdef().args(["fmt", "--keywords", "ru"]).arg(dir.path()).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(&en).expect("readable"), RUSSIAN);
    assert_eq!(std::fs::read_to_string(&ru).expect("readable"), RUSSIAN);
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 file reformatted, 1 file already formatted"));

    let out = procdef().args(["fmt", "--keywords", "en"]).arg(&ru).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&ru).expect("readable"), to_en(RUSSIAN));

    // Without its header the file would still read as Russian, so its
    // English keywords would not parse: the translation is refused and the
    // file left as it was.
    let twice = dir.path().join("c_twice.proc");
    let text = "# language: ru\n# language: ru\nпроцесс p {}\n";
    std::fs::write(&twice, text).expect("written");
    let out = procdef().args(["fmt", "--keywords", "en"]).arg(&twice).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("could not be translated to `en`; it was left as it was"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&twice).expect("readable"), text);

    let out = procdef().args(["fmt", "--keywords", "de"]).arg(&ru).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("possible values: en, ru"));
}

#[test]
fn a_russian_file_without_a_language_has_russian_outputs_and_keeps_them_translated() {
    let ru = "# language: ru\nпроцесс p {\n  роль r\n  этап a { вход ответственный r инструкция r { \"x\" } -> b }\n  этап b { итог выигран }\n}\n";
    let compiled = procdef::compile(ru.as_bytes());
    assert_eq!(compiled.model.as_ref().expect("a model").language, Language::Ru);
    // In English keywords the outputs stay Russian: the language is said.
    let en = to_en(ru);
    assert!(en.contains("\n  language ru\n"), "{en}");
    let english = procdef::compile(en.as_bytes());
    assert_eq!(english.model.as_ref().expect("a model").language, Language::Ru);
    assert_eq!(meaning(&compiled), meaning(&english));
    // An English file without one stays English.
    let plain = procdef::compile(
        b"process p { role r stage a { entry owner r instruct r { \"x\" } -> b } stage b { outcome won } }",
    );
    assert_eq!(plain.model.expect("a model").language, Language::En);
}
