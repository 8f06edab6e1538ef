//! The language server in one process: a client drives it through
//! `lsp-server`'s memory connection, over files kept in memory.

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use procdef::config::RuleConfig;
use procdef::project::FileSystem;
use serde_json::{Value, json};
use std::collections::{BTreeMap, VecDeque};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Files in memory under `/p`, the root folder.
struct Memory(BTreeMap<PathBuf, String>);

impl FileSystem for Memory {
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        let mut out = PathBuf::new();
        for c in path.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                c => out.push(c),
            }
        }
        if self.0.contains_key(&out) { Ok(out) } else { Err(io::Error::from(io::ErrorKind::NotFound)) }
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.0.get(path).map(|t| t.clone().into_bytes()).ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }
}

impl procdef::lsp::Host for Memory {
    fn root_of(&self, _: &Path) -> PathBuf {
        PathBuf::from("/p")
    }

    fn rule_config(&self, _: &Path) -> Result<RuleConfig, String> {
        match self.0.get(Path::new("/p/procdef.toml")) {
            Some(text) => RuleConfig::from_toml(text).map_err(|e| e.to_string()),
            None => Ok(RuleConfig::default()),
        }
    }
}

const ROLES: &str = r#"library roles "Org chart" {
  role manager "Sales manager" { headcount 2 capacity 6h/day }
}
"#;

const SALES: &str = r#"process sales "Sales" {
  use "common/roles.proc"
  stage lead "Lead" {
    entry
    owner manager
    takes 2d
    effort 30min
    instruct manager { "Call back" }
    -> offer 60%
    -> lost
  }
  stage offer "Offer" {
    effort 1h
    owner manager
    instruct manager { "Send the offer" }
    -> won 50%
    -> lost
  }
  stage won "Won" { outcome won }
  stage lost "Lost" { outcome lost }
  plan { goal 10/month }
}
"#;

fn uri(path: &str) -> String {
    format!("file:///p/{path}")
}

struct Client {
    connection: Connection,
    server: Option<std::thread::JoinHandle<Result<(), String>>>,
    next: i32,
    /// Notifications received while waiting for something else.
    pending: VecDeque<Notification>,
    versions: BTreeMap<String, i32>,
    utf8: bool,
}

impl Client {
    fn start(disk: &[(&str, &str)], options: Value, utf8: bool) -> Client {
        let files = disk.iter().map(|(p, t)| (PathBuf::from("/p").join(p), t.to_string())).collect();
        let (server, client) = Connection::memory();
        let host = Arc::new(Memory(files));
        let handle = std::thread::spawn(move || procdef::lsp::run(server, host));
        let mut c = Client {
            connection: client,
            server: Some(handle),
            next: 0,
            pending: VecDeque::new(),
            versions: BTreeMap::new(),
            utf8,
        };
        let encodings = if utf8 { json!(["utf-8", "utf-16"]) } else { json!(["utf-16"]) };
        let result = c.request(
            "initialize",
            json!({ "capabilities": { "general": { "positionEncodings": encodings } }, "initializationOptions": options }),
        );
        let expected = if utf8 { "utf-8" } else { "utf-16" };
        assert_eq!(result["capabilities"]["positionEncoding"], expected);
        c.notify("initialized", json!({}));
        c
    }

    fn notify(&self, method: &str, params: Value) {
        self.connection
            .sender
            .send(Message::Notification(Notification { method: method.into(), params }))
            .expect("the server listens");
    }

    fn recv(&mut self) -> Message {
        self.connection.receiver.recv_timeout(Duration::from_secs(20)).expect("the server answers within 20 s")
    }

    /// Sends a request and returns its response.
    fn call(&mut self, method: &str, params: Value) -> Response {
        self.next += 1;
        let id = RequestId::from(self.next);
        let request = Request { id: id.clone(), method: method.into(), params };
        self.connection.sender.send(Message::Request(request)).expect("the server listens");
        loop {
            match self.recv() {
                Message::Response(r) if r.id == id => return r,
                Message::Response(_) => {}
                Message::Notification(n) => self.pending.push_back(n),
                Message::Request(r) => {
                    let answer = Response { id: r.id, result: Some(Value::Null), error: None };
                    self.connection.sender.send(Message::Response(answer)).expect("the server listens");
                }
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params);
        assert!(response.error.is_none(), "{method} failed: {:?}", response.error);
        response.result.unwrap_or(Value::Null)
    }

    fn open(&mut self, path: &str, text: &str) {
        self.versions.insert(uri(path), 1);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri(path), "languageId": "procdef", "version": 1, "text": text } }),
        );
    }

    /// Replaces `range` (protocol positions) of a document by `new`.
    fn edit(&mut self, path: &str, range: Value, new: &str) -> i32 {
        let version = self.versions.get(&uri(path)).copied().unwrap_or(0) + 1;
        self.versions.insert(uri(path), version);
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri(path), "version": version },
                "contentChanges": [{ "range": range, "text": new }]
            }),
        );
        version
    }

    /// The next diagnostics published for `path` at `version` or later.
    fn diagnostics(&mut self, path: &str, version: i32) -> Vec<Value> {
        let wanted = uri(path);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let found = self.pending.iter().position(|n| {
                n.method == "textDocument/publishDiagnostics"
                    && n.params["uri"] == wanted.as_str()
                    && n.params["version"].as_i64().is_some_and(|v| v >= i64::from(version))
            });
            if let Some(i) = found {
                let n = self.pending.remove(i).expect("found above");
                self.pending.retain(|m| !(m.method == n.method && m.params["uri"] == wanted.as_str()));
                return n.params["diagnostics"].as_array().cloned().unwrap_or_default();
            }
            assert!(Instant::now() < deadline, "no diagnostics for {path} at version {version}");
            match self.recv() {
                Message::Notification(n) => self.pending.push_back(n),
                Message::Request(r) => {
                    let answer = Response { id: r.id, result: Some(Value::Null), error: None };
                    self.connection.sender.send(Message::Response(answer)).expect("the server listens");
                }
                Message::Response(_) => {}
            }
        }
    }

    fn text(&mut self, path: &str) -> String {
        self.request("procdef/text", json!({ "uri": uri(path) })).as_str().expect("the document is open").to_string()
    }

    /// The protocol position of byte `offset` of `text`.
    fn position(&self, text: &str, offset: usize) -> Value {
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.matches('\n').count();
        let column = if self.utf8 { offset - line_start } else { before[line_start..].encode_utf16().count() };
        json!({ "line": line, "character": column })
    }

    /// The byte offset of a protocol position in `text`.
    fn offset(&self, text: &str, position: &Value) -> usize {
        let line = position["line"].as_u64().expect("a line") as usize;
        let column = position["character"].as_u64().expect("a column") as usize;
        let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        if self.utf8 {
            return line_start + column;
        }
        let mut units = 0;
        for (i, c) in text[line_start..].char_indices() {
            if units == column {
                return line_start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    }

    fn at(&self, path: &str, text: &str, needle: &str, nth: usize) -> Value {
        let offset = text.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("{needle} #{nth} in the text")).0;
        let inside = offset + needle.chars().next().map_or(0, char::len_utf8);
        json!({ "textDocument": { "uri": uri(path) }, "position": self.position(text, inside) })
    }

    fn stop(mut self) {
        let _ = self.call("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let outcome = self.server.take().expect("started").join().expect("the server thread ends");
        assert_eq!(outcome, Ok(()));
    }
}

/// Applies protocol text edits to a text, last first.
fn apply(client: &Client, text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let start = client.offset(text, &e["range"]["start"]);
            let end = client.offset(text, &e["range"]["end"]);
            (start, end, e["newText"].as_str().expect("a new text").to_string())
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

fn range_text<'t>(client: &Client, text: &'t str, range: &Value) -> &'t str {
    &text[client.offset(text, &range["start"])..client.offset(text, &range["end"])]
}

fn started() -> Client {
    let mut c = Client::start(&[("common/roles.proc", ROLES), ("sales.proc", SALES)], json!({}), false);
    c.open("sales.proc", SALES);
    assert_eq!(c.diagnostics("sales.proc", 1), Vec::<Value>::new());
    c
}

#[test]
fn a_mistake_is_reported_and_its_quick_fix_removes_it() {
    let mut c = Client::start(&[("common/roles.proc", ROLES)], json!({}), false);
    let broken = SALES.replace("-> offer 60%", "-> ofer 60%");
    c.open("sales.proc", &broken);
    let found = c.diagnostics("sales.proc", 1);
    assert_eq!(found.len(), 1, "{found:?}");
    let d = &found[0];
    assert_eq!(d["code"], "P102");
    assert_eq!(d["severity"], 1);
    assert_eq!(d["codeDescription"]["href"], "https://github.com/procdef/procdef/blob/main/docs/diagnostics.md#p102");
    assert_eq!(range_text(&c, &broken, &d["range"]), "ofer");
    assert!(d["message"].as_str().expect("a message").contains("did you mean `offer`?"), "{d}");
    // The quick fix, applied as an editor does, is the edit that fixes it.
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri("sales.proc") }, "range": d["range"], "context": { "diagnostics": [d] } }),
    );
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["title"], "Replace by `offer`");
    let edits = action["edit"]["changes"][uri("sales.proc")].as_array().expect("edits of the file").clone();
    let fixed = apply(&c, &broken, &edits);
    assert_eq!(fixed, SALES);
    let version = c.edit("sales.proc", edits[0]["range"].clone(), edits[0]["newText"].as_str().expect("text"));
    assert_eq!(c.diagnostics("sales.proc", version), Vec::<Value>::new());
    assert_eq!(c.text("sales.proc"), SALES);
    c.stop();
}

#[test]
fn hover_shows_the_funnel_numbers() {
    let mut c = started();
    let stage = c.request("textDocument/hover", c.at("sales.proc", SALES, "lead", 0));
    let shown = stage["contents"]["value"].as_str().expect("markdown").to_string();
    // The numbers `procdef funnel` prints for this process.
    for wanted in [
        "**Lead**",
        "Sales manager",
        "Chance of a sale: 30%",
        "Visits per new client: 1",
        "Clients per month: 33.3",
        "`takes` 2 days",
    ] {
        assert!(shown.contains(wanted), "{wanted} in {shown}");
    }
    let offer = c.request("textDocument/hover", c.at("sales.proc", SALES, "offer", 0));
    let shown = offer["contents"]["value"].as_str().expect("markdown");
    assert!(shown.contains("Chance of a sale: 50%") && shown.contains("Visits per new client: 0.6"), "{shown}");
    let role = c.request("textDocument/hover", c.at("sales.proc", SALES, "manager", 0));
    let shown = role["contents"]["value"].as_str().expect("markdown");
    assert!(shown.contains("Owns: `lead`, `offer`") && shown.contains("Utilization: 14.6%"), "{shown}");
    let keyword = c.request("textDocument/hover", c.at("sales.proc", SALES, "takes", 0));
    assert!(keyword["contents"]["value"].as_str().expect("markdown").contains("typical time"), "{keyword}");
    c.stop();
}

#[test]
fn definition_references_and_rename_cross_the_use() {
    let mut c = started();
    // Definition: from a use in the process to the library.
    let found = c.request("textDocument/definition", c.at("sales.proc", SALES, "manager", 1));
    assert_eq!(found["uri"], uri("common/roles.proc"));
    assert_eq!(range_text(&c, ROLES, &found["range"]), "manager");
    assert_eq!(found["range"]["start"], json!({ "line": 1, "character": 7 }));
    // References: the declaration and four uses.
    let mut params = c.at("sales.proc", SALES, "manager", 0);
    params["context"] = json!({ "includeDeclaration": true });
    let all = c.request("textDocument/references", params.clone());
    let all = all.as_array().expect("locations");
    assert_eq!(all.len(), 5, "{all:?}");
    assert_eq!(all.iter().filter(|l| l["uri"] == uri("common/roles.proc")).count(), 1);
    params["context"] = json!({ "includeDeclaration": false });
    assert_eq!(c.request("textDocument/references", params).as_array().expect("locations").len(), 4);
    // Rename: one workspace edit over both files.
    let prepared = c.request("textDocument/prepareRename", c.at("sales.proc", SALES, "manager", 2));
    assert_eq!(prepared["placeholder"], "manager");
    let mut params = c.at("sales.proc", SALES, "manager", 2);
    params["newName"] = json!("seller");
    let edit = c.request("textDocument/rename", params);
    let sales = apply(&c, SALES, edit["changes"][uri("sales.proc")].as_array().expect("edits"));
    let roles = apply(&c, ROLES, edit["changes"][uri("common/roles.proc")].as_array().expect("edits"));
    assert_eq!(sales, SALES.replace("manager", "seller"));
    assert_eq!(roles, ROLES.replace("role manager", "role seller"));
    // Refused: not a name, and a clash with another stage.
    for (at, new, why) in [("manager", "1st", "not a name"), ("offer", "lead", "already declared")] {
        let mut params = c.at("sales.proc", SALES, at, 0);
        params["newName"] = json!(new);
        let response = c.call("textDocument/rename", params);
        let error = response.error.expect("refused");
        assert!(error.message.contains(why), "{}", error.message);
    }
    c.stop();
}

#[test]
fn an_edit_of_a_library_rechecks_the_process_that_uses_it() {
    let mut c = started();
    c.open("common/roles.proc", ROLES);
    assert_eq!(c.diagnostics("common/roles.proc", 1), Vec::<Value>::new());
    let start = ROLES.find("manager").expect("the role");
    let range = json!({ "start": c.position(ROLES, start), "end": c.position(ROLES, start + "manager".len()) });
    c.edit("common/roles.proc", range, "boss");
    // The process was not edited, but it now names an unknown role.
    let mut found = c.diagnostics("sales.proc", 1);
    while found.is_empty() {
        found = c.diagnostics("sales.proc", 1);
    }
    let codes: Vec<&str> = found.iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(codes, ["P102"; 4], "{found:?}");
    c.stop();
}

#[test]
fn formatting_gives_what_procdef_fmt_writes() {
    let mut c = Client::start(&[], json!({}), false);
    let messy = "process p {\nstage a {\n   entry\n owner r\n      -> b\n}\n  stage b { outcome won }\nrole r\n}\n";
    c.open("messy.proc", messy);
    c.diagnostics("messy.proc", 1);
    let edits = c.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri("messy.proc") }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let formatted = apply(&c, messy, edits.as_array().expect("edits"));
    assert_eq!(formatted, procdef::fmt::format(messy).expect("it parses"));
    assert_ne!(formatted, messy);
    // A file that does not parse is left alone.
    c.open("broken.proc", "process p {\n stage a {\n");
    let edits = c.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri("broken.proc") }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(edits, Value::Null);
    c.stop();
}

/// A Russian file with tabs, CRLF line ends and emoji.
const RUSSIAN: &str = "# language: ru\r\nпроцесс продажи \"Продажи 🦀\" {\r\n\tэтап заявка \"Заявка 😀\" {\r\n\t\tвход\r\n\t\tответственный менеджер\r\n\t\t-> выиграно 40% \"🎉 да\"\r\n\t\t-> проиграно\r\n\t}\r\n\tэтап выиграно \"Выиграно\" { итог выигран }\r\n\tэтап проиграно \"Проиграно\" { итог проигран }\r\n\tроль менеджер \"Менеджер 👩‍💼\"\r\n}\r\n";

fn positions_map_exactly(utf8: bool) {
    let mut c = Client::start(&[], json!({}), utf8);
    c.open("ru.proc", RUSSIAN);
    let found = c.diagnostics("ru.proc", 1);
    // The one diagnostic is about the stage's missing instructions; its
    // range holds the name, after a tab and before an emoji.
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["code"], "P402");
    assert_eq!(range_text(&c, RUSSIAN, &found[0]["range"]), "заявка");
    // From the use after the emoji to the declaration, and back.
    let found = c.request("textDocument/definition", c.at("ru.proc", RUSSIAN, "проиграно", 0));
    assert_eq!(range_text(&c, RUSSIAN, &found["range"]), "проиграно");
    assert_eq!(found["range"]["start"]["line"], 9);
    let mut params = c.at("ru.proc", RUSSIAN, "менеджер", 1);
    params["context"] = json!({ "includeDeclaration": true });
    let places = c.request("textDocument/references", params);
    let texts: Vec<&str> =
        places.as_array().expect("locations").iter().map(|l| range_text(&c, RUSSIAN, &l["range"])).collect();
    assert_eq!(texts, ["менеджер", "менеджер"]);
    // An edit after the emoji lands where the client meant it.
    let at = RUSSIAN.find("да\"").expect("the label");
    let version = c.edit(
        "ru.proc",
        json!({ "start": c.position(RUSSIAN, at), "end": c.position(RUSSIAN, at + "да".len()) }),
        "ура ✨",
    );
    c.diagnostics("ru.proc", version);
    assert_eq!(c.text("ru.proc"), RUSSIAN.replace("да\"", "ура ✨\""));
    // The inlay hint after the stage's name, in the manuals' language: a
    // Russian-keyword file without `язык` has Russian outputs.
    let hints = c.request("textDocument/inlayHint", json!({ "textDocument": { "uri": uri("ru.proc") }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 99, "character": 0 } } }));
    let first = &hints[0];
    let name_end = RUSSIAN.find("заявка").expect("the stage") + "заявка".len();
    assert_eq!(first["position"], c.position(RUSSIAN, name_end));
    assert_eq!(first["label"], "шанс продажи 40%");
    c.stop();
}

#[test]
fn cyrillic_tabs_crlf_and_emoji_map_exactly_in_utf16() {
    positions_map_exactly(false);
}

#[test]
fn cyrillic_tabs_crlf_and_emoji_map_exactly_in_utf8() {
    positions_map_exactly(true);
}

/// A small deterministic generator.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// Every query the server answers.
const QUERIES: &[&str] = &[
    "textDocument/hover",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/completion",
    "textDocument/prepareRename",
    "textDocument/rename",
    "textDocument/inlayHint",
    "textDocument/codeAction",
    "textDocument/formatting",
    "textDocument/documentSymbol",
    "workspace/symbol",
    "textDocument/semanticTokens/full",
    "textDocument/foldingRange",
    "textDocument/selectionRange",
];

#[test]
fn a_thousand_random_edits_leave_the_same_text() {
    let mut c = Client::start(&[("common/roles.proc", ROLES)], json!({}), false);
    let mut text = RUSSIAN.to_string() + SALES;
    c.open("edits.proc", &text);
    let pieces = ["", "a", "этап", "😀", "\r\n", "\n", "\t", " -> ", "{", "}", "\"", "\"\"\"\n", "12%", "ё👩‍💼"];
    let mut rng = Lcg(7);
    let boundaries = |t: &str| t.char_indices().map(|(i, _)| i).chain([t.len()]).collect::<Vec<_>>();
    for round in 0..1000 {
        let cuts = boundaries(&text);
        let a = cuts[rng.next(cuts.len())];
        let b = cuts[(cuts.iter().position(|&x| x == a).expect("a cut") + rng.next(3)).min(cuts.len() - 1)];
        // A `\r\n` is one line end: never cut inside it.
        let inside =
            |i: usize| i > 0 && i < text.len() && text.as_bytes()[i - 1] == b'\r' && text.as_bytes()[i] == b'\n';
        if inside(a) || inside(b) {
            continue;
        }
        let new = pieces[rng.next(pieces.len())];
        let range = json!({ "start": c.position(&text, a), "end": c.position(&text, b) });
        let version = c.edit("edits.proc", range, new);
        text.replace_range(a..b, new);
        if round % 50 == 49 {
            // Let a check finish now and then, so that queries also meet
            // fresh snapshots.
            c.diagnostics("edits.proc", version);
        }
        if round % 10 == 0 {
            // Every query in between answers, on whatever was checked last,
            // without an error.
            let method = QUERIES[(round / 10) % QUERIES.len()];
            let cuts = boundaries(&text);
            let at = c.position(&text, cuts[rng.next(cuts.len())]);
            let doc = json!({ "uri": uri("edits.proc") });
            let whole = json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 9999, "character": 0 } });
            let params = json!({
                "textDocument": doc, "position": at, "positions": [at], "range": whole, "query": "a",
                "context": { "includeDeclaration": true, "diagnostics": [], "triggerKind": 1 }, "newName": "x1",
                "options": { "tabSize": 2, "insertSpaces": true }
            });
            let response = c.call(method, params);
            // Rename refuses a position with no name on it, in words.
            assert!(response.error.is_none() || method == "textDocument/rename", "{method}: {:?}", response.error);
        }
    }
    // Inserts outweigh deletions: the text grows, and keeps its emoji.
    assert!(text.len() > 2000 && text.contains('😀'), "{text}");
    assert_eq!(c.text("edits.proc"), text);
    c.stop();
}

#[test]
fn completion_offers_the_kind_expected() {
    let mut c = started();
    let labels = |c: &mut Client, text: &str, at: usize| -> Vec<String> {
        let params = json!({ "textDocument": { "uri": uri("sales.proc") }, "position": c.position(text, at) });
        let items = c.request("textDocument/completion", params);
        items.as_array().expect("items").iter().map(|i| i["label"].as_str().expect("a label").to_string()).collect()
    };
    let edited = SALES.replace("    owner manager\n    takes", "    owner \n    takes");
    let at = edited.find("owner \n").expect("the gap") + "owner ".len();
    let version =
        c.edit("sales.proc", json!({ "start": c.position(SALES, 0), "end": c.position(SALES, SALES.len()) }), &edited);
    c.diagnostics("sales.proc", version);
    assert_eq!(labels(&mut c, &edited, at), ["manager"]);
    let arrow = edited.find("-> offer").expect("an arrow") + "-> ".len();
    assert_eq!(labels(&mut c, &edited, arrow), ["lead", "offer", "won", "lost"]);
    let line = edited.find("    effort 30min").expect("a line");
    let keywords = labels(&mut c, &edited, line);
    assert!(keywords.contains(&"instruct".to_string()) && keywords.contains(&"outcome".to_string()), "{keywords:?}");
    assert!(!keywords.contains(&"headcount".to_string()), "{keywords:?}");
    // On the line after a name, and after a keyword on the line before.
    let after_entry = edited.find("    owner \n").expect("the owner line");
    assert!(labels(&mut c, &edited, after_entry).contains(&"takes".to_string()));
    let after_owner = edited.find("    takes").expect("the line after the owner");
    assert!(!labels(&mut c, &edited, after_owner).contains(&"manager".to_string()));
    let after_name = edited.find("\"Lead\"").expect("a title");
    assert_eq!(labels(&mut c, &edited, after_name), Vec::<String>::new());
    let number = edited.find("30min").expect("a number") + 2;
    let units = labels(&mut c, &edited, number);
    assert!(units.contains(&"30min".to_string()) && units.contains(&"30h".to_string()), "{units:?}");
    c.stop();
}

#[test]
fn outline_highlighting_folding_and_hints() {
    let mut c = started();
    let doc = json!({ "textDocument": { "uri": uri("sales.proc") } });
    let symbols = c.request("textDocument/documentSymbol", doc.clone());
    let children: Vec<&str> = symbols[0]["children"]
        .as_array()
        .expect("children")
        .iter()
        .map(|s| s["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(symbols[0]["name"], "sales");
    assert_eq!(children, ["lead", "offer", "won", "lost", "plan"]);
    let found = c.request("workspace/symbol", json!({ "query": "MAN" }));
    assert_eq!(found[0]["name"], "manager");
    assert_eq!(found[0]["location"]["uri"], uri("common/roles.proc"));
    let tokens = c.request("textDocument/semanticTokens/full", doc.clone());
    let data = tokens["data"].as_array().expect("data");
    // The first token is the keyword `process` (type 0), then the
    // process's name (a declaration).
    assert_eq!(&data[..5], &[json!(0), json!(0), json!(7), json!(0), json!(0)]);
    assert_eq!(&data[5..10], &[json!(0), json!(8), json!(5), json!(10), json!(1)]);
    let folds = c.request("textDocument/foldingRange", doc.clone());
    let folds: Vec<(u64, u64)> = folds
        .as_array()
        .expect("ranges")
        .iter()
        .map(|f| (f["startLine"].as_u64().expect("a line"), f["endLine"].as_u64().expect("a line")))
        .collect();
    assert!(folds.contains(&(0, 20)) && folds.contains(&(2, 9)), "{folds:?}");
    let mut params = doc.clone();
    params["positions"] = json!([{ "line": 4, "character": 12 }]);
    let chosen = c.request("textDocument/selectionRange", params);
    assert_eq!(
        chosen[0]["range"],
        json!({ "start": { "line": 4, "character": 10 }, "end": { "line": 4, "character": 17 } })
    );
    assert_eq!(chosen[0]["parent"]["range"]["start"], json!({ "line": 4, "character": 4 }));
    let mut params = doc.clone();
    params["range"] = json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 99, "character": 0 } });
    let hints = c.request("textDocument/inlayHint", params.clone());
    let labels: Vec<&str> =
        hints.as_array().expect("hints").iter().map(|h| h["label"].as_str().expect("a label")).collect();
    assert_eq!(labels, ["30% win", "40%", "50% win", "50%"]);
    assert_eq!(hints[1]["position"], json!({ "line": 9, "character": 11 }));
    c.notify("workspace/didChangeConfiguration", json!({ "settings": { "procdef": { "inlayHints": false } } }));
    assert_eq!(c.request("textDocument/inlayHint", params), json!([]));
    c.stop();
}

#[test]
fn quick_fixes_for_percentages_cycles_owners_and_unused_declarations() {
    let mut c = Client::start(&[], json!({}), false);
    let text = "process p {\n  stage a {\n    entry\n    instruct r { \"Call\" }\n    -> b 50%\n  }\n  stage b {\n    owner r\n    instruct r { \"Talk\" }\n    -> a 30%\n    -> won 40%\n    -> lost 20%\n  }\n  stage won { outcome won }\n  stage lost { outcome lost }\n  role r\n  role idle\n}\n";
    c.open("fixes.proc", text);
    let found = c.diagnostics("fixes.proc", 1);
    let mut codes: Vec<&str> = found.iter().filter_map(|d| d["code"].as_str()).collect();
    codes.sort_unstable();
    assert_eq!(codes, ["P205", "P302", "P302", "P401", "P403"], "{found:?}");
    let mut fixed = BTreeMap::new();
    for d in &found {
        let actions = c.request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri("fixes.proc") }, "range": d["range"], "context": { "diagnostics": [d] } }),
        );
        let action =
            actions.as_array().expect("actions").iter().find(|a| a["diagnostics"][0] == *d).expect("a fix").clone();
        let edits = action["edit"]["changes"][uri("fixes.proc")].as_array().expect("edits").clone();
        fixed.insert(action["title"].as_str().expect("a title").to_string(), apply(&c, text, &edits));
    }
    let titles: Vec<&str> = fixed.keys().map(String::as_str).collect();
    assert_eq!(
        titles,
        [
            "Add `-> lost` for the remaining 50%",
            "Add `owner r`",
            "Give `lost` the missing 10%: 30%",
            "Mark the transition `loop`",
            "Remove `idle`"
        ]
    );
    assert!(fixed["Add `-> lost` for the remaining 50%"].contains("    -> b 50%\n    -> lost\n"));
    assert!(fixed["Add `owner r`"].contains("  stage a {\n    owner r\n    entry"));
    assert!(fixed["Give `lost` the missing 10%: 30%"].contains("-> lost 30%\n"));
    assert!(fixed["Mark the transition `loop`"].contains("-> a 30% loop\n"));
    assert!(fixed["Remove `idle`"].ends_with("  role r\n}\n"));
    c.stop();
}

#[test]
fn a_failing_request_answers_with_an_error_and_the_server_goes_on() {
    let mut c = started();
    let response = c.call("textDocument/hover", json!({ "textDocument": 12 }));
    assert!(response.error.is_some());
    let response = c.call("procdef/no-such-request", json!({}));
    assert_eq!(response.error.expect("refused").code, lsp_server::ErrorCode::MethodNotFound as i32);
    // Requests on a document never opened, and positions past its end.
    let far = json!({ "textDocument": { "uri": uri("nowhere.proc") }, "position": { "line": 999, "character": 999 } });
    assert_eq!(c.request("textDocument/hover", far.clone()), Value::Null);
    let far = json!({ "textDocument": { "uri": uri("sales.proc") }, "position": { "line": 999, "character": 999 } });
    let _ = c.request("textDocument/completion", far);
    let stage = c.request("textDocument/hover", c.at("sales.proc", SALES, "lead", 0));
    assert!(stage["contents"]["value"].as_str().expect("markdown").contains("30%"));
    c.stop();
}

#[test]
fn a_russian_file_gets_russian_keywords_and_figures() {
    let mut c = Client::start(&[], json!({}), false);
    let text = RUSSIAN.replace("{\r\n\tэтап заявка", "{\r\n\tязык ru\r\n\tэтап заявка");
    c.open("ru.proc", &text);
    c.diagnostics("ru.proc", 1);
    let hover = c.request("textDocument/hover", c.at("ru.proc", &text, "заявка", 0));
    let shown = hover["contents"]["value"].as_str().expect("markdown");
    assert!(shown.contains("Вероятность продажи: 40%") && shown.contains("Менеджер 👩‍💼"), "{shown}");
    let all = json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 99, "character": 0 } });
    let hints = c.request("textDocument/inlayHint", json!({ "textDocument": { "uri": uri("ru.proc") }, "range": all }));
    assert_eq!(hints[0]["label"], "шанс продажи 40%");
    let labels = |c: &mut Client, text: &str, at: usize| -> Vec<String> {
        let params = json!({ "textDocument": { "uri": uri("ru.proc") }, "position": c.position(text, at) });
        let items = c.request("textDocument/completion", params);
        items.as_array().expect("items").iter().map(|i| i["label"].as_str().expect("a label").to_string()).collect()
    };
    let owner = text.find("ответственный менеджер").expect("the owner") + "ответственный ".len();
    assert_eq!(labels(&mut c, &text, owner), ["менеджер"]);
    let item = text.find("\t\tвход").expect("an item") + 2;
    let keywords = labels(&mut c, &text, item);
    assert!(
        keywords.contains(&"ответственный".to_string()) && !keywords.contains(&"owner".to_string()),
        "{keywords:?}"
    );
    let number = text.find("40%").expect("a number") + 2;
    let units = labels(&mut c, &text, number);
    assert!(units.contains(&"40д".to_string()) && units.contains(&"40/месяц".to_string()), "{units:?}");
    c.stop();
}

#[test]
fn procdef_toml_and_allow_comments_are_honoured() {
    // P402 (no instructions) is a warning; the configuration makes it an
    // error, and an `# allow` comment silences it for one stage.
    let text = "process p {\n  stage a {\n    entry\n    owner r\n    -> b\n  }\n  # allow(no-instructions)\n  stage b {\n    entry\n    owner r\n    -> won\n  }\n  stage won { outcome won }\n  role r\n}\n";
    let mut c = Client::start(&[("procdef.toml", "[rules]\nP402 = \"error\"\n")], json!({}), false);
    c.open("p.proc", text);
    let found = c.diagnostics("p.proc", 1);
    let summary: Vec<(&str, i64, &str)> = found
        .iter()
        .map(|d| {
            (
                d["code"].as_str().expect("a code"),
                d["severity"].as_i64().expect("a severity"),
                range_text(&c, text, &d["range"]),
            )
        })
        .collect();
    assert_eq!(summary, [("P402", 1, "a")]);
    c.stop();
}

#[test]
fn hover_on_a_metric_and_on_a_rule_code() {
    let text = SALES.replace(
        "  plan {",
        "  # allow(P505)\n  metric reach \"Offers made\" {\n    conversion lead -> offer\n    target >= 50%\n  }\n  plan {",
    );
    let mut c = Client::start(&[("common/roles.proc", ROLES)], json!({}), false);
    c.open("sales.proc", &text);
    c.diagnostics("sales.proc", 1);
    let metric = c.request("textDocument/hover", c.at("sales.proc", &text, "reach", 0));
    let shown = metric["contents"]["value"].as_str().expect("markdown");
    // Six in ten clients of `lead` reach `offer`.
    assert!(shown.contains("The model gives: 60%") && shown.contains("Target: at least 50%"), "{shown}");
    let code = c.request("textDocument/hover", c.at("sales.proc", &text, "P505", 0));
    let shown = code["contents"]["value"].as_str().expect("markdown");
    assert!(shown.starts_with("**P505** `plan-incomplete`"), "{shown}");
    c.stop();
}
