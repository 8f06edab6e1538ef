//! Diagnostics in Russian: for a file with the `# language: ru` header, and
//! for any file under `--lang ru` (`Options { lang }`). Every rule, those
//! of reading a file (P001–P006) and those of the checks (P101–P601),
//! speaks Russian, with no English word left in its text, and the codes a
//! file gets do not depend on the language.

mod common;

use common::*;
use procdef::diagnostics::{Code, Diagnostic};
use procdef::{Lang, Options};

fn compile_in(lang: Lang, bytes: &[u8]) -> procdef::Compiled {
    procdef::compile_with(bytes, &Options { lang: Some(lang) })
}

/// Compiles the file at `path` with the libraries it uses, as
/// `common::compile_path` does, with the diagnostics in `lang`.
fn compile_path_in(lang: Lang, path: &std::path::Path) -> procdef::Compiled {
    let bytes = std::fs::read(path).expect("fixture is readable");
    let entry = std::fs::canonicalize(path).expect("fixture exists");
    let root = entry.parent().expect("a file has a folder").to_path_buf();
    procdef::compile_project(&Disk, &root, &entry, &bytes, &Options { lang: Some(lang) })
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
    // The Russian-keyword fixtures too, and each read from the disk, so that
    // a `use` reaches its library (P005, P006).
    for path in fixtures("checks").into_iter().chain(fixtures("checks/ru")) {
        let english = compile_path_in(Lang::En, &path);
        let russian = compile_path_in(Lang::Ru, &path);
        assert_eq!(russian.lang, Lang::Ru);
        let codes = |c: &procdef::Compiled| c.diagnostics.iter().map(|d| (d.code, d.span)).collect::<Vec<_>>();
        if codes(&english) != codes(&russian) {
            failures.push(format!("{}: other diagnostics in Russian", name(&path)));
        }
        for (en, ru) in english.diagnostics.iter().zip(&russian.diagnostics) {
            seen.push(ru.code);
            for text in texts(ru) {
                let latin = latin_words(text);
                if !latin.is_empty() || !has_cyrillic(text) {
                    failures.push(format!("{} {}: English in {text:?}: {latin:?}", name(&path), ru.code));
                }
            }
            if en.message == ru.message
                || (en.help.is_some() && en.help == ru.help)
                || (en.label.is_some() && en.label == ru.label)
            {
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
    for &code in Code::ALL {
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
        // The keywords the messages name are the file's: no English one,
        // unless the file uses that word as a name.
        let source = String::from_utf8_lossy(&bytes);
        let words: Vec<&str> = source.split(|c: char| !(c.is_alphanumeric() || c == '_')).collect();
        for keyword in procdef::syntax::keywords::Keyword::ALL {
            let en = keyword.en();
            if words.contains(&en) {
                continue;
            }
            for d in &compiled.diagnostics {
                for text in texts(d) {
                    if text.contains(&format!("`{en}`")) || text.contains(&format!("`{en} ")) {
                        failures.push(format!("{}: the English keyword `{en}` in {text:?}", name(&path)));
                    }
                }
            }
        }
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

/// Files in memory, by exact path, for `use`.
struct Memory(Vec<(&'static str, Vec<u8>)>);

impl procdef::project::FileSystem for Memory {
    fn canonicalize(&self, path: &std::path::Path) -> std::io::Result<std::path::PathBuf> {
        let found = self.0.iter().find(|(p, _)| std::path::Path::new(p) == path);
        found.map(|(p, _)| p.into()).ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    }
    fn read(&self, path: &std::path::Path) -> std::io::Result<Vec<u8>> {
        let found = self.0.iter().find(|(p, _)| std::path::Path::new(p) == path);
        found.map(|(_, bytes)| bytes.clone()).ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    }
}

impl Memory {
    fn compile(&self, lang: Option<Lang>) -> procdef::Compiled {
        let (entry, bytes) = &self.0[0];
        let entry = std::path::Path::new(entry);
        procdef::compile_project(self, std::path::Path::new("/p"), entry, bytes, &Options { lang })
    }
}

/// The diagnostic of `code` in the compilation, the only one.
fn only(compiled: &procdef::Compiled, code: Code) -> Diagnostic {
    let found: Vec<&Diagnostic> = compiled.diagnostics.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "{:?}", compiled.diagnostics);
    found[0].clone()
}

#[test]
fn a_syntax_error_in_a_russian_file_names_its_keywords() {
    let text = "# language: ru\nпроцесс p {\n  роль rep\n  этап a { вход ответсвенный rep -> won }\n  этап won { итог выигран }\n}\n";
    let by_header = procdef::compile(text.as_bytes());
    let d = only(&by_header, Code::P001);
    assert_eq!(d.message, "ожидается свойство этапа (например, `ответственный`, `->`) или `}`, а здесь `ответсвенный`");
    assert_eq!(d.label.as_deref(), Some("здесь не ожидается"));
    let help = d.help.as_deref().unwrap_or_default();
    assert!(help.starts_with("в этапе бывают `описание`, `вход`, `итог`, `ответственный`"), "{help}");
    assert!(help.ends_with("`критерий` и переходы `-> этап`; `ответсвенный` среди них нет"), "{help}");
    // In English, the keywords stay the file's.
    let english = compile_in(Lang::En, text.as_bytes());
    let d = only(&english, Code::P001);
    assert_eq!(d.message, "expected a stage property such as `ответственный`, `->` or `}`, found `ответсвенный`");
    for text in texts(&d) {
        assert!(!text.contains("`owner`") && !text.contains("`stage`"), "{text}");
    }
    // And an English file under `--lang ru` keeps its English keywords.
    let english_file = "process p {\n  role rep\n  stage a { entry ownr rep -> won }\n  stage won { outcome won }\n}\n";
    let d = only(&compile_in(Lang::Ru, english_file.as_bytes()), Code::P001);
    assert_eq!(d.message, "ожидается свойство этапа (например, `owner`, `->`) или `}`, а здесь `ownr`");
}

#[test]
fn literals_in_a_russian_file_are_explained_with_its_units() {
    let with = |item: &str| {
        let text = format!(
            "# language: ru\nпроцесс p {{\n  роль rep {{ штат 2 }}\n  этап a {{ вход ответственный rep {item} инструкция rep {{ \"x\" }} -> won }}\n  этап won {{ итог выигран }}\n}}\n"
        );
        let compiled = procdef::compile(text.as_bytes());
        let d = compiled.diagnostics.first().cloned().expect("a diagnostic");
        (d.code, d.message, d.help.unwrap_or_default())
    };
    let (code, message, help) = with("длится 30мн");
    assert_eq!((code, message.as_str()), (Code::P002, "неизвестная единица `мн` в `30мн`"));
    assert!(help.starts_with("длительность пишется с единицей `мин`, `ч`, `д` или `нед` (`30мин`, `2ч`)"), "{help}");
    assert!(help.ends_with("с `/день`, `/неделя` или `/месяц`"), "{help}");
    let (code, message, help) = with("срок 40%");
    assert_eq!((code, message.as_str()), (Code::P001, "ожидается длительность, например `2ч`, а здесь процент `40%`"));
    assert_eq!(help, "длительность пишется с единицей `мин`, `ч`, `д` или `нед`: `30мин`, `2ч`, `3д`, `1нед`");
    let (code, message, help) = with("срок 3");
    assert_eq!(code, Code::P001);
    assert_eq!(message, "ожидается длительность, например `2ч`, а здесь число `3` без единицы");
    assert_eq!(help, "добавьте единицу: `3мин`, `3ч`, `3д` или `3нед`");
    let (_, message, help) = with("срок 7 дней");
    assert_eq!(message, "`7 дней` — так значения не пишут");
    assert!(help.starts_with("напишите `7д`: единица длительности (`мин`, `ч`, `д` или `нед`)"), "{help}");
    // The English messages of a Russian file spell the units as it does.
    let text = "# language: ru\nпроцесс p {\n  роль rep\n  этап a { вход ответственный rep срок 40% -> won }\n  этап won { итог выигран }\n}\n";
    let d = only(&compile_in(Lang::En, text.as_bytes()), Code::P001);
    assert_eq!(d.message, "expected a duration such as `2ч`, found a percentage `40%`");
    assert_eq!(d.help.as_deref(), Some("durations use `мин`, `ч`, `д` or `нед`: `30мин`, `2ч`, `3д`, `1нед`"));
}

#[test]
fn a_percentage_over_100_and_a_capacity_per_week_in_russian() {
    let text = "# language: ru\nпроцесс p {\n  сегмент s { доля 120% }\n  роль rep { часы 6ч/неделя }\n  этап a { вход ответственный rep инструкция rep { \"x\" для s } -> won }\n  этап won { итог выигран }\n}\n";
    let compiled = procdef::compile(text.as_bytes());
    let messages: Vec<(&str, Option<&str>)> =
        compiled.diagnostics.iter().map(|d| (d.message.as_str(), d.help.as_deref())).collect();
    assert_eq!(
        messages,
        [
            ("процент `120%` не укладывается в пределы от 0% до 100%", Some("доля или вероятность — не больше 100%")),
            (
                "рабочее время считают за рабочий день, а не за неделю",
                Some(
                    "укажите, сколько времени каждый сотрудник отдаёт процессу за рабочий день, например `часы 6ч/день`"
                )
            ),
        ]
    );
}

#[test]
fn the_one_process_rule_speaks_russian() {
    let none = procdef::compile("# language: ru\n# только комментарий\n".as_bytes());
    let d = only(&none, Code::P004);
    assert_eq!(d.message, "в этом файле нет объявления `процесс`");
    assert_eq!(d.help.as_deref(), Some("в файле ровно один процесс: `процесс my_sales \"Мои продажи\" { … }`"));
    let loose = procdef::compile("# language: ru\nроль rep\n".as_bytes());
    let d = only(&loose, Code::P004);
    assert_eq!(d.label.as_deref(), Some("здесь ожидается `процесс`"));
    let both = "# language: ru\nбиблиотека l { роль rep }\nпроцесс p { роль a этап s { вход ответственный a инструкция a { \"x\" } -> won } этап won { итог выигран } }\n";
    let d = only(&procdef::compile(both.as_bytes()), Code::P004);
    assert_eq!(d.message, "в одном файле бывает процесс или библиотека, но не то и другое сразу: `p`");
    assert_eq!(d.label.as_deref(), Some("второй процесс"));
    assert_eq!(d.related[0].label, "первая библиотека");
    assert_eq!(
        d.help.as_deref(),
        Some("перенесите библиотеку в отдельный файл и подключите её к процессу через `подключить`")
    );
}

#[test]
fn each_file_of_a_project_is_read_in_its_own_language_unless_one_is_chosen() {
    let root = "process p {\n  use \"lib.proc\"\n  use \"other.proc\"\n  use \"gone.proc\"\n  role rep\n  stage s { entry owner rep instruct rep { \"x\" } -> won }\n  stage won { outcome won }\n}\n";
    let library = "# language: ru\nбиблиотека l {\n  роль boss {\n}\n";
    let other = "process q {}\n";
    let files = Memory(vec![
        ("/p/p.proc", root.as_bytes().to_vec()),
        ("/p/lib.proc", library.as_bytes().to_vec()),
        ("/p/other.proc", other.as_bytes().to_vec()),
    ]);
    let by_header = files.compile(None);
    let in_file = |c: &procdef::Compiled, file: u32| -> Vec<String> {
        c.diagnostics.iter().filter(|d| d.span.file.0 == file).map(|d| d.message.clone()).collect()
    };
    // The library is Russian: its syntax error is in Russian, with its
    // keywords; the process's P005 are English.
    assert_eq!(
        in_file(&by_header, 1),
        ["ожидается часть библиотеки (например, `роль`, `сегмент`, `подключить`) или `}`, а здесь конец файла"]
    );
    assert_eq!(in_file(&by_header, 0), ["`other.proc` holds a process, not a library", "there is no file `gone.proc`"]);
    let russian = files.compile(Some(Lang::Ru));
    assert_eq!(in_file(&russian, 0), ["в `other.proc` процесс, а не библиотека", "файла `gone.proc` нет"]);
    let d = russian.diagnostics.iter().find(|d| d.message.starts_with("в `other.proc`")).expect("P005");
    assert_eq!(d.label.as_deref(), Some("нельзя подключить"));
    assert_eq!(
        d.help.as_deref(),
        Some(
            "`use` подключает библиотеку: файл, который начинается с `library имя { … }` и содержит роли, сегменты и продукты"
        )
    );
    let english = files.compile(Some(Lang::En));
    assert_eq!(
        in_file(&english, 1),
        ["expected a part of the library such as `роль`, `сегмент`, `подключить` or `}`, found the end of the file"]
    );
}

#[test]
fn a_cycle_of_use_in_russian_names_the_files_and_the_files_keyword() {
    let a = "# language: ru\nбиблиотека a {\n  подключить \"b.proc\"\n  роль x\n}\n";
    let b = "# language: ru\nбиблиотека b {\n  подключить \"a.proc\"\n  роль y\n}\n";
    let files = Memory(vec![("/p/a.proc", a.as_bytes().to_vec()), ("/p/b.proc", b.as_bytes().to_vec())]);
    let d = only(&files.compile(None), Code::P006);
    assert_eq!(d.message, "это `подключить` замыкает цикл: `a.proc -> b.proc -> a.proc`");
    assert_eq!(d.label.as_deref(), Some("возвращается к файлу, который уже есть в цепочке"));
}

#[test]
fn an_encoding_error_is_in_russian_under_the_header_or_lang_ru() {
    // "Позвонить" in Windows-1251.
    let cp1251 = b"\"\xcf\xee\xe7\xe2\xee\xed\xe8\xf2\xfc\"";
    let with_header = |header: &str| {
        let mut bytes =
            format!("{header}process p {{\n  role rep\n  stage a {{ entry owner rep instruct rep {{ ").into_bytes();
        bytes.extend_from_slice(cp1251);
        bytes.extend_from_slice(b" } -> won }\n  stage won { outcome won }\n}\n");
        bytes
    };
    let russian = "файл не в кодировке `UTF-8`: недопустимый байт `0xCF` по смещению";
    let d = only(&compile_in(Lang::Ru, &with_header("")), Code::P003);
    assert!(d.message.starts_with(russian), "{}", d.message);
    assert_eq!(d.label.as_deref(), Some("не `UTF-8`"));
    let d = only(&procdef::compile(&with_header("# language: ru\n")), Code::P003);
    assert!(d.message.starts_with(russian), "{}", d.message);
    let d = only(&compile_in(Lang::En, &with_header("# language: ru\n")), Code::P003);
    assert!(d.message.starts_with("the file is not valid UTF-8: invalid byte 0xCF at byte offset"), "{}", d.message);
    let d = only(&procdef::compile(&with_header("")), Code::P003);
    assert!(d.message.starts_with("the file is not valid UTF-8"), "{}", d.message);
}

#[test]
fn parsing_on_its_own_speaks_the_language_of_the_header_or_the_one_given() {
    use procdef::span::FileId;
    use procdef::syntax;
    let text = "# language: ru\nпроцесс p {\n  этап a { ответственный }\n}\n";
    let message = |parsed: syntax::Parsed| parsed.diagnostics[0].message.clone();
    assert_eq!(message(syntax::parse(text)), "ожидается имя, а здесь `}`");
    assert_eq!(message(syntax::parse_file_with(text, FileId::ROOT, Lang::En)), "expected a name, found `}`");
    let english = "process p {\n  stage a { owner }\n}\n";
    assert_eq!(message(syntax::parse(english)), "expected a name, found `}`");
    assert_eq!(message(syntax::parse_file_with(english, FileId::ROOT, Lang::Ru)), "ожидается имя, а здесь `}`");
}
