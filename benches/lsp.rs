//! The language server driven over a pipe, as an editor drives it:
//! `procdef lsp` started as a child process, messages framed on its stdin
//! and stdout. Measures, on generated processes (`support/generate.rs`):
//!
//! - the diagnostics after an edit of a 1,000-stage file (from sending the
//!   change to receiving the diagnostics of its version);
//! - hover, definition and completion on that file (median and 95th
//!   percentile);
//! - a 100,000-stage file: the first diagnostics, an edit's diagnostics,
//!   and how long hover waits while that file is being checked.
//!
//! `cargo bench --bench lsp`; the figures are in docs/editors.md.

#[path = "support/generate.rs"]
mod generate;

use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{Value, json};
use std::io::{BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: mpsc::Receiver<(Message, Instant)>,
    next: i32,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_procdef"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("procdef lsp starts");
        let stdin = child.stdin.take().expect("a pipe");
        let stdout = child.stdout.take().expect("a pipe");
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Ok(Some(message)) = Message::read(&mut reader) {
                if tx.send((message, Instant::now())).is_err() {
                    return;
                }
            }
        });
        let mut s = Server { child, stdin, messages, next: 0 };
        s.request("initialize", json!({ "capabilities": {} }));
        s.notify("initialized", json!({}));
        s
    }

    fn send(&mut self, message: Message) {
        message.write(&mut self.stdin).expect("the server reads");
        self.stdin.flush().expect("the server reads");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(Message::Notification(Notification { method: method.into(), params }));
    }

    /// Sends a request; returns its result and how long the answer took.
    fn request(&mut self, method: &str, params: Value) -> (Value, Duration) {
        self.next += 1;
        let id = RequestId::from(self.next);
        let start = Instant::now();
        self.send(Message::Request(Request { id: id.clone(), method: method.into(), params }));
        loop {
            let (message, at) = self.messages.recv_timeout(Duration::from_secs(120)).expect("an answer");
            if let Message::Response(r) = message
                && r.id == id
            {
                return (r.result.unwrap_or(Value::Null), at - start);
            }
        }
    }

    /// Waits for the diagnostics of `version`; returns them and when they came.
    fn diagnostics(&mut self, version: i32) -> (usize, Instant) {
        loop {
            let (message, at) = self.messages.recv_timeout(Duration::from_secs(120)).expect("diagnostics");
            if let Message::Notification(n) = message
                && n.method == "textDocument/publishDiagnostics"
                && n.params["version"].as_i64() == Some(i64::from(version))
            {
                return (n.params["diagnostics"].as_array().map_or(0, Vec::len), at);
            }
        }
    }

    fn stop(mut self) {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let _ = self.child.wait();
    }
}

fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": column })
}

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    let i = ((times.len() as f64 - 1.0) * p).round() as usize;
    times[i.min(times.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn report(name: &str, times: &mut [Duration]) {
    let median = percentile(times, 0.5);
    let p95 = percentile(times, 0.95);
    let max = percentile(times, 1.0);
    println!("| {name} | {} | {} | {} | {} |", times.len(), ms(median), ms(p95), ms(max));
}

const URI: &str = "file:///bench/generated.proc";

fn open(server: &mut Server, text: &str) -> Duration {
    let start = Instant::now();
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "procdef", "version": 1, "text": text } }),
    );
    let (count, at) = server.diagnostics(1);
    assert_eq!(count, 0, "the generated process is valid");
    at - start
}

/// Inserts a letter into a stage's description, or takes it out again.
fn edit(server: &mut Server, text: &mut String, version: i32, stage: usize) -> Duration {
    let needle = format!("What happens at stage {stage}.");
    let at = text.find(&needle).expect("the description") + "What".len();
    let (range, new) = if text[at..].starts_with('!') {
        (json!({ "start": position(text, at), "end": position(text, at + 1) }), "")
    } else {
        (json!({ "start": position(text, at), "end": position(text, at) }), "!")
    };
    if new.is_empty() {
        text.replace_range(at..at + 1, "");
    } else {
        text.insert(at, '!');
    }
    let start = Instant::now();
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": URI, "version": version }, "contentChanges": [{ "range": range, "text": new }] }),
    );
    let (count, at) = server.diagnostics(version);
    assert_eq!(count, 0, "the edit keeps the process valid");
    at - start
}

fn at_name(text: &str, needle: &str) -> Value {
    let offset = text.find(needle).expect("the name") + needle.len() - 2;
    json!({ "textDocument": { "uri": URI }, "position": position(text, offset) })
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    println!("## 1,000 stages\n");
    let mut text = generate::process(1000);
    let mut server = Server::start();
    let first = open(&mut server, &text);
    println!("{} bytes; first diagnostics after opening: {}\n", text.len(), ms(first));
    println!("| what | runs | median | p95 | max |\n| --- | ---: | ---: | ---: | ---: |");
    let runs = if quick { 20 } else { 200 };
    let mut times: Vec<Duration> =
        (0..runs).map(|i| edit(&mut server, &mut text, 2 + i as i32, (i * 37) % 1000)).collect();
    report("diagnostics after an edit", &mut times);
    let mut hovers = Vec::new();
    let mut definitions = Vec::new();
    let mut completions = Vec::new();
    for i in 0..runs {
        let stage = (i * 53) % 990;
        let (hover, t) = server.request("textDocument/hover", at_name(&text, &format!("stage stage_{stage} ")));
        assert!(hover["contents"]["value"].as_str().is_some_and(|v| v.contains('%')), "{hover}");
        hovers.push(t);
        let (found, t) = server.request("textDocument/definition", at_name(&text, &format!("-> stage_{} ", stage + 1)));
        assert!(found["range"].is_object(), "{found}");
        definitions.push(t);
        let (items, t) = server.request("textDocument/completion", at_name(&text, &format!("-> stage_{} ", stage + 1)));
        assert!(items.as_array().is_some_and(|a| a.len() > 1000), "stages are offered");
        completions.push(t);
    }
    report("hover", &mut hovers);
    report("definition", &mut definitions);
    report("completion (1,002 stages offered)", &mut completions);
    let doc = json!({ "textDocument": { "uri": URI } });
    let mut tokens: Vec<Duration> =
        (0..10).map(|_| server.request("textDocument/semanticTokens/full", doc.clone()).1).collect();
    report("semantic tokens", &mut tokens);
    server.stop();

    let n = if quick { 20_000 } else { 100_000 };
    println!("\n## {n} stages\n");
    let mut text = generate::process(n);
    let mut server = Server::start();
    let first = open(&mut server, &text);
    println!("{:.1} MB; first diagnostics after opening: {}\n", text.len() as f64 / 1e6, ms(first));
    println!("| what | runs | median | p95 | max |\n| --- | ---: | ---: | ---: | ---: |");
    let mut edits = Vec::new();
    let mut waiting = Vec::new();
    for i in 0..5 {
        let version = 2 + i;
        // An edit, then hovers while the file is checked again.
        let needle = format!("What happens at stage {}.", i * 1000);
        let at = text.find(&needle).expect("the description") + "What".len();
        text.insert(at, '!');
        let start = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": URI, "version": version }, "contentChanges": [{ "range": { "start": position(&text, at), "end": position(&text, at) }, "text": "!" }] }),
        );
        for k in 0..10 {
            let (_, t) = server.request("textDocument/hover", at_name(&text, &format!("stage stage_{} ", k * 7)));
            waiting.push(t);
        }
        let (_, at) = server.diagnostics(version);
        edits.push(at - start);
    }
    report("diagnostics after an edit", &mut edits);
    report("hover while the file is checked", &mut waiting);
    let mut definitions: Vec<Duration> = (0..20)
        .map(|i| server.request("textDocument/definition", at_name(&text, &format!("-> stage_{} ", i * 4999 + 1))).1)
        .collect();
    report("definition", &mut definitions);
    server.stop();
}
