//! The queries on names and numbers: definition, references, rename,
//! completion, hover, inlay hints and symbols.

use super::names::{self, Decl, DeclKind, Found};
use super::snapshot::Snapshot;
use super::{Failure, World};
use crate::ast::Language;
use crate::diagnostics::Code;
use crate::i18n::Words;
use crate::model::{Declared, Measure, Model, NameKind, ProductId, RoleId, SegmentId, StageId};
use crate::span::{FileId, Span};
use crate::syntax::keywords::{self, Keyword, items};
use crate::syntax::lexer::{self, Kind, Token};
use lsp_types::{self as lsp, Url};
use std::collections::HashMap;
use std::sync::Arc;

pub(crate) fn definition(server: &World, p: lsp::GotoDefinitionParams) -> Option<lsp::GotoDefinitionResponse> {
    let at = p.text_document_position_params;
    let found = names::at(server, &at.text_document.uri, at.position)?;
    let model = found.snapshot.compiled.model.as_ref()?;
    let span = model.declaration_span(found.declared)?;
    found.snapshot.location(span, server.encoding).map(lsp::GotoDefinitionResponse::Scalar)
}

/// Every place of a declaration in every compilation that reads its file.
fn places(server: &World, found: &Found, declaration: bool) -> Vec<(lsp::Location, Span)> {
    let mut out: Vec<(lsp::Location, Span)> = Vec::new();
    let mut snapshots: Vec<&Arc<Snapshot>> = vec![&found.snapshot];
    let mut others: Vec<_> = server.snapshots.iter().filter(|(_, s)| !Arc::ptr_eq(s, &found.snapshot)).collect();
    others.sort_by(|a, b| a.0.cmp(b.0));
    snapshots.extend(others.into_iter().map(|(_, s)| s));
    for snapshot in snapshots {
        let Some(declared) = names::same_in(snapshot, found) else { continue };
        let Some(model) = snapshot.compiled.model.as_ref() else { continue };
        let declaration_span = model.declaration_span(declared).filter(|_| declaration);
        for span in declaration_span.into_iter().chain(model.references_to(declared).map(|r| r.span)) {
            if let Some(location) = snapshot.location(span, server.encoding)
                && !out.iter().any(|(l, _)| *l == location)
            {
                out.push((location, span));
            }
        }
    }
    out
}

pub(crate) fn references(server: &World, p: lsp::ReferenceParams) -> Option<Vec<lsp::Location>> {
    let at = p.text_document_position;
    let found = names::at(server, &at.text_document.uri, at.position)?;
    Some(places(server, &found, p.context.include_declaration).into_iter().map(|(l, _)| l).collect())
}

pub(crate) fn prepare_rename(
    server: &World,
    p: lsp::TextDocumentPositionParams,
) -> Result<Option<lsp::PrepareRenameResponse>, Failure> {
    let Some(found) = names::at(server, &p.text_document.uri, p.position) else { return Ok(None) };
    let Some(location) = found.snapshot.location(found.at, server.encoding) else { return Ok(None) };
    let placeholder = found.snapshot.compiled.model.as_ref().map(|m| m.name_of(found.declared).to_string());
    Ok(Some(match placeholder {
        Some(placeholder) => lsp::PrepareRenameResponse::RangeWithPlaceholder { range: location.range, placeholder },
        None => lsp::PrepareRenameResponse::Range(location.range),
    }))
}

/// Whether `name` is an identifier of the language.
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(lexer::is_ident_start) && chars.all(lexer::is_ident_char)
}

/// Names that share one namespace: segments and products are named
/// together in `for` lists.
fn namespace(kind: DeclKind) -> u8 {
    match kind {
        DeclKind::Stage => 1,
        DeclKind::Role => 2,
        DeclKind::Segment | DeclKind::Product => 3,
        DeclKind::Metric => 4,
        _ => 0,
    }
}

fn kind_of(declared: Declared) -> DeclKind {
    match declared {
        Declared::Stage(_) => DeclKind::Stage,
        Declared::Role(_) => DeclKind::Role,
        Declared::Segment(_) => DeclKind::Segment,
        Declared::Product(_) => DeclKind::Product,
        Declared::Metric(_) => DeclKind::Metric,
    }
}

/// The trees of every file of a compilation, with their file ids.
pub(crate) fn trees(snapshot: &Snapshot) -> impl Iterator<Item = (FileId, &crate::ast::File)> {
    snapshot.trees.iter().map(|(id, tree)| (*id, tree))
}

pub(crate) fn rename(server: &World, p: lsp::RenameParams) -> Result<Option<lsp::WorkspaceEdit>, Failure> {
    let at = p.text_document_position;
    let Some(found) = names::at(server, &at.text_document.uri, at.position) else {
        return Err(Failure::invalid("there is no name of a declaration here"));
    };
    let new = p.new_name.trim();
    if !is_identifier(new) {
        return Err(Failure::invalid(format!(
            "`{new}` is not a name: a name starts with a letter or `_` and holds letters, digits, `_` and `-`"
        )));
    }
    let kind = kind_of(found.declared);
    let old = found.snapshot.compiled.model.as_ref().map_or("", |m| m.name_of(found.declared)).to_string();
    if new == old {
        return Ok(None);
    }
    // A clash with another declaration of the kind, in any file of any
    // compilation that reads the renamed one.
    for snapshot in server.snapshots.values() {
        if names::same_in(snapshot, &found).is_none() {
            continue;
        }
        for (_, tree) in trees(snapshot) {
            if let Some(other) =
                names::flat(tree).into_iter().find(|d| d.name == new && namespace(d.kind) == namespace(kind))
            {
                let what = match other.kind {
                    DeclKind::Stage => "stage",
                    DeclKind::Role => "role",
                    DeclKind::Segment => "segment",
                    DeclKind::Product => "product",
                    _ => "metric",
                };
                return Err(Failure::invalid(format!("a {what} named `{new}` is already declared")));
            }
        }
    }
    let mut changes: HashMap<Url, Vec<lsp::TextEdit>> = HashMap::new();
    for (location, _) in places(server, &found, true) {
        changes
            .entry(location.uri)
            .or_default()
            .push(lsp::TextEdit { range: location.range, new_text: new.to_string() });
    }
    Ok(Some(lsp::WorkspaceEdit { changes: Some(changes), ..Default::default() }))
}

/// What the cursor is expected to name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expected {
    Roles,
    Stages,
    SegmentsOrProducts,
    Keywords(&'static [Keyword]),
    Units,
    Nothing,
}

fn keyword_of(token: Token, text: &str, language: Language) -> Option<Keyword> {
    if token.kind != Kind::Word {
        return None;
    }
    let word = token.text(text);
    Keyword::ALL.iter().copied().find(|k| !k.spelling(language).is_empty() && k.is(word, language))
}

/// The block the cursor is in: the keyword that opened each enclosing
/// block, innermost last.
fn blocks(text: &str, tokens: &[Token], language: Language) -> Vec<Option<Keyword>> {
    let mut stack = Vec::new();
    let mut first_on_line: Option<Token> = None;
    for &t in tokens {
        match t.kind {
            Kind::LineBreak => first_on_line = None,
            Kind::LBrace => stack.push(first_on_line.and_then(|w| keyword_of(w, text, language))),
            Kind::RBrace => {
                stack.pop();
            }
            k if !k.is_trivia() && first_on_line.is_none() => first_on_line = Some(t),
            _ => {}
        }
    }
    stack
}

/// What is expected at byte `at` (the start of the word being typed, or
/// the cursor), after `tokens`.
fn expected(text: &str, tokens: &[Token], partial: Option<Token>, at: usize, language: Language) -> Expected {
    if let Some(p) = partial
        && p.kind == Kind::Number
    {
        return if p.text(text).ends_with(|c: char| c.is_ascii_digit()) { Expected::Units } else { Expected::Nothing };
    }
    let before: Vec<Token> = tokens.iter().copied().filter(|t| !t.kind.is_trivia()).collect();
    let mut i = before.len();
    // Over a list: `for a, b, ` and `briefing a, b`.
    while i >= 2 && before[i - 1].kind == Kind::Comma && before[i - 2].kind == Kind::Word {
        i -= 2;
    }
    if i > 0 {
        let prev = before[i - 1];
        if prev.kind == Kind::Arrow {
            return Expected::Stages;
        }
        // Only a keyword on the cursor's own line leads a name.
        let same_line = !text[prev.end..at.max(prev.end)].contains(['\n', '\r']);
        if let Some(k) = keyword_of(prev, text, language).filter(|_| same_line) {
            use Keyword::*;
            match k {
                Owner | Instruct | To | Briefing | Exam | Audit | ActivityBy | AuditBy => return Expected::Roles,
                Reports if language == crate::ast::Language::Ru => return Expected::Roles,
                Conversion | Time | Volume => return Expected::Stages,
                For => return Expected::SegmentsOrProducts,
                _ => {}
            }
        }
        if prev.kind == Kind::Word && same_line {
            // After a word on the cursor's line: a new name, or a value,
            // not the start of an item.
            return Expected::Nothing;
        }
    }
    let stack = blocks(text, tokens, language);
    match stack.as_slice() {
        [] => Expected::Keywords(items::FILE),
        [Some(Keyword::Library)] => Expected::Keywords(items::LIBRARY),
        [_] => Expected::Keywords(items::PROCESS),
        [.., Some(k)] => Expected::Keywords(match k {
            Keyword::Stage => items::STAGE,
            Keyword::Role => items::ROLE,
            Keyword::Segment => items::SEGMENT,
            Keyword::Product => items::PRODUCT,
            Keyword::Metric => items::METRIC,
            Keyword::Plan => items::PLAN,
            Keyword::Rollout => items::ROLLOUT,
            _ => return Expected::Nothing,
        }),
        [.., None] => Expected::Nothing,
    }
}

pub(crate) fn completion(server: &World, p: lsp::CompletionParams) -> Option<lsp::CompletionResponse> {
    let at = p.text_document_position;
    let doc = server.docs.get(&at.text_document.uri)?;
    let text = doc.text.as_str();
    let offset = doc.lines.offset(text, at.position, server.encoding);
    let language = keywords::file_language(text);
    // Only the tokens up to the cursor matter.
    let tokens: Vec<Token> = lexer::Lexer::new(&text[..offset]).collect();
    let partial = tokens.last().copied().filter(|t| t.end == offset && matches!(t.kind, Kind::Word | Kind::Number));
    let before = &tokens[..tokens.len() - usize::from(partial.is_some())];
    let kind = expected(text, before, partial, partial.map_or(offset, |t| t.start), language);
    let replace = partial.map_or(offset..offset, |t| t.start..offset);
    let range = doc.lines.range(text, replace.start, replace.end, server.encoding);
    let item = |label: String, kind: lsp::CompletionItemKind, detail: Option<String>| lsp::CompletionItem {
        label: label.clone(),
        kind: Some(kind),
        detail,
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit { range, new_text: label })),
        ..Default::default()
    };
    let mut out = Vec::new();
    let names = |wanted: &[DeclKind]| -> Vec<Decl> {
        let mut all = Vec::new();
        if let Some(snapshot) = server.snapshots.get(&at.text_document.uri) {
            for (_, tree) in trees(snapshot) {
                for d in names::flat(tree) {
                    if wanted.contains(&d.kind) && !all.iter().any(|a: &Decl| a.name == d.name && a.kind == d.kind) {
                        all.push(d);
                    }
                }
            }
        }
        all
    };
    match kind {
        Expected::Roles => out.extend(
            names(&[DeclKind::Role])
                .into_iter()
                .map(|d| item(d.name, lsp::CompletionItemKind::CLASS, Some("role".into()))),
        ),
        Expected::Stages => out.extend(
            names(&[DeclKind::Stage])
                .into_iter()
                .map(|d| item(d.name, lsp::CompletionItemKind::FUNCTION, Some(d.detail.unwrap_or("stage").into()))),
        ),
        Expected::SegmentsOrProducts => {
            out.extend(names(&[DeclKind::Segment, DeclKind::Product]).into_iter().map(|d| {
                let what = if d.kind == DeclKind::Segment { "segment" } else { "product" };
                item(d.name, lsp::CompletionItemKind::ENUM_MEMBER, Some(what.into()))
            }))
        }
        Expected::Keywords(list) => out.extend(list.iter().filter(|k| !k.spelling(language).is_empty()).map(|k| {
            item(k.spelling(language).to_string(), lsp::CompletionItemKind::KEYWORD, Some(k.summary().to_string()))
        })),
        Expected::Units => {
            let number = partial.map_or("", |t| t.text(text));
            for (en, ru, _) in keywords::DURATION_UNITS {
                let unit = if language == Language::Ru { ru } else { en };
                out.push(item(format!("{number}{unit}"), lsp::CompletionItemKind::UNIT, Some("duration".into())));
            }
            out.push(item(format!("{number}%"), lsp::CompletionItemKind::UNIT, Some("percentage".into())));
            for (period, _, _) in keywords::PERIODS {
                let word = keywords::period_word(*period, language);
                out.push(item(format!("{number}/{word}"), lsp::CompletionItemKind::UNIT, Some("rate".into())));
            }
        }
        Expected::Nothing => {}
    }
    Some(lsp::CompletionResponse::Array(out))
}

/// The token of `text` at byte `offset` (or the one ending there).
pub(crate) fn token_at(text: &str, offset: usize) -> Option<Token> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    // Lex from the start of the line only: a large file stays quick.
    let start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let mut ending = None;
    for t in lexer::Lexer::at(text, start) {
        if t.start > offset {
            break;
        }
        if !t.kind.is_trivia() {
            if offset < t.end {
                return Some(t);
            }
            if t.end == offset {
                ending = Some(t);
            }
        }
    }
    ending
}

fn words(model: &Model) -> Words {
    Words::new(model.language)
}

fn known(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

fn stage_hover(snapshot: &Snapshot, model: &Model, id: StageId, language: Language) -> String {
    let stage = model.stage(id);
    let w = words(model);
    let mut out = format!("**{}** — `{}` {}", stage.title, stage.id, Keyword::Stage.spelling(language));
    if let Some(kind) = stage.outcome {
        let word = match kind {
            crate::model::OutcomeKind::Won => Keyword::Won,
            crate::model::OutcomeKind::Lost => Keyword::Lost,
        };
        out.push_str(&format!(" ({} {})", Keyword::Outcome.spelling(language), word.spelling(language)));
    }
    let mut facts = Vec::new();
    if let Some(owner) = stage.owner {
        let role = model.role(owner);
        facts.push(format!("{}: {} (`{}`)", w.get("funnel.col.owner"), role.title, role.id));
    }
    if let Some(t) = stage.takes {
        facts.push(format!("`{}` {}", Keyword::Takes.spelling(language), w.duration(t)));
    }
    if let Some(t) = stage.within {
        facts.push(format!("`{}` {}", Keyword::Within.spelling(language), w.duration(t)));
    }
    if let Some(analysis) = &snapshot.compiled.analysis
        && let Some(f) = analysis.stages.get(id.0)
    {
        let none = w.get("funnel.none").to_string();
        facts.push(format!(
            "{}: {}",
            w.get("funnel.col.win"),
            known(Some(f.win_probability)).map_or(none.clone(), |v| w.percent(v))
        ));
        facts.push(format!(
            "{}: {}",
            w.get("funnel.col.visits"),
            known(Some(f.expected_visits)).map_or(none.clone(), |v| w.number(v, 2))
        ));
        if let Some(plan) = &analysis.plan {
            let head = w.fill("funnel.col.volume", &[("period", w.get(&format!("period.{}", plan.period.as_str())))]);
            facts.push(format!("{head}: {}", known(f.volume_per_period).map_or(none, |v| w.grouped(v, 1))));
        }
    }
    for fact in facts {
        out.push_str("\n\n");
        out.push_str(&fact);
    }
    out
}

fn role_hover(snapshot: &Snapshot, model: &Model, id: RoleId, language: Language) -> String {
    let role = model.role(id);
    let w = words(model);
    let mut out = format!("**{}** — `{}` {}", role.title, role.id, Keyword::Role.spelling(language));
    let owned: Vec<String> =
        model.stages.iter().filter(|s| s.owner == Some(id)).map(|s| format!("`{}`", s.id)).collect();
    let instructed: Vec<String> = model
        .stages
        .iter()
        .filter(|s| s.instructions.iter().any(|i| i.role == Some(id)) && s.owner != Some(id))
        .map(|s| format!("`{}`", s.id))
        .collect();
    let (owns, instructs) = match model.language {
        Language::En => ("Owns", "Has instructions at"),
        Language::Ru => ("Отвечает за этапы", "Инструкции на этапах"),
    };
    if !owned.is_empty() {
        out.push_str(&format!("\n\n{owns}: {}", owned.join(", ")));
    }
    if !instructed.is_empty() {
        out.push_str(&format!("\n\n{instructs}: {}", instructed.join(", ")));
    }
    if let Some(plan) = snapshot.compiled.analysis.as_ref().and_then(|a| a.plan.as_ref())
        && let Some(f) = plan.roles.iter().find(|f| f.role == id)
    {
        let none = w.get("funnel.none").to_string();
        out.push_str(&format!(
            "\n\n{}: {}",
            w.get("funnel.col.utilization"),
            known(f.utilization).map_or(none, |u| w.percent(u))
        ));
    }
    out
}

fn metric_hover(snapshot: &Snapshot, model: &Model, i: usize, language: Language) -> String {
    let m = &model.metrics[i];
    let w = words(model);
    let mut out = format!("**{}** — `{}` {}", m.title, m.id, Keyword::Metric.spelling(language));
    let what = crate::emit::phrases::metric_what(&w, model, m);
    if !what.is_empty() {
        out.push_str(&format!("\n\n{what}"));
    }
    let value = snapshot.compiled.analysis.as_ref().and_then(|a| a.metrics.get(i).copied().flatten());
    let shown = value.map(|v| match &m.measure {
        Some(Measure::Conversion { .. }) => w.percent(v),
        Some(Measure::Time { .. }) => crate::i18n::approx_duration(v, model.language),
        Some(Measure::Volume(_)) => {
            let per = snapshot.compiled.analysis.as_ref().and_then(|a| a.plan.as_ref()).map(|p| p.period);
            per.map_or_else(|| w.number(v, 1), |per| crate::emit::phrases::rate_words(&w, v, per))
        }
        _ => w.number(v, 2),
    });
    let model_word = match model.language {
        Language::En => "The model gives",
        Language::Ru => "По модели",
    };
    if let Some(shown) = shown {
        out.push_str(&format!("\n\n{model_word}: {shown}"));
    }
    // `target: at least 40%`, as the manuals say it, from a capital.
    if let Some(target) = crate::emit::phrases::target_words(&w, m) {
        let mut chars = target.chars();
        let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
        out.push_str(&format!("\n\n{first}{}", chars.as_str()));
    }
    out
}

fn declaration_hover(snapshot: &Snapshot, model: &Model, declared: Declared, language: Language) -> String {
    match declared {
        Declared::Stage(id) => stage_hover(snapshot, model, id, language),
        Declared::Role(id) => role_hover(snapshot, model, id, language),
        Declared::Metric(i) => metric_hover(snapshot, model, i, language),
        Declared::Segment(SegmentId(i)) => {
            let s = &model.segments[i];
            let mut out = format!("**{}** — `{}` {}", s.title, s.id, Keyword::Segment.spelling(language));
            if let Some(share) = s.share {
                out.push_str(&format!("\n\n`{}` {}", Keyword::Share.spelling(language), words(model).percent(share)));
            }
            out
        }
        Declared::Product(ProductId(i)) => {
            let p = &model.products[i];
            format!("**{}** — `{}` {}", p.title, p.id, Keyword::Product.spelling(language))
        }
    }
}

/// A rule code such as `P205` around `offset` of `text`.
fn code_at(text: &str, offset: usize) -> Option<Code> {
    let start = text[..offset.min(text.len())]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric())
        .last()
        .map_or(offset, |(i, _)| i);
    let word: String = text[start..].chars().take_while(char::is_ascii_alphanumeric).collect();
    if word.len() == 4 && word.starts_with(['P', 'p']) { Code::lookup(&word) } else { None }
}

pub(crate) fn hover(server: &World, p: lsp::HoverParams) -> Option<lsp::Hover> {
    let at = p.text_document_position_params;
    let uri = &at.text_document.uri;
    let mut parts = Vec::new();
    let mut range = None;
    if let Some(found) = names::at(server, uri, at.position)
        && let Some(model) = found.snapshot.compiled.model.as_ref()
    {
        let language = keywords::file_language(&found.snapshot.root().text);
        parts.push(declaration_hover(&found.snapshot, model, found.declared, language));
        range = found.snapshot.location(found.at, server.encoding).map(|l| l.range);
    }
    let doc = server.docs.get(uri)?;
    let text = doc.text.as_str();
    let offset = doc.lines.offset(text, at.position, server.encoding);
    if parts.is_empty() {
        let language = keywords::file_language(text);
        if let Some(token) = token_at(text, offset)
            && let Some(k) = keyword_of(token, text, language)
        {
            parts.push(format!("`{}` — {}", k.spelling(language), k.summary()));
            range = Some(doc.lines.range(text, token.start, token.end, server.encoding));
        } else if let Some(code) = code_at(text, offset) {
            parts.push(format!("**{}** `{}` — {}", code.as_str(), code.name(), code.summary()));
        }
    }
    // The codes of the diagnostics here.
    if let Some(snapshot) = server.snapshots.get(uri) {
        for d in snapshot.diagnostics_of(uri) {
            let inside = d.range.start <= at.position && at.position <= d.range.end;
            if let (true, Some(lsp::NumberOrString::String(code))) = (inside, &d.code)
                && let Some(code) = Code::lookup(code)
            {
                let line = format!("**{}** `{}` — {}", code.as_str(), code.name(), code.summary());
                if !parts.contains(&line) {
                    parts.push(line);
                }
            }
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range,
    })
}

pub(crate) fn inlay_hints(server: &World, p: lsp::InlayHintParams) -> Option<Vec<lsp::InlayHint>> {
    if !server.inlay_hints {
        return Some(Vec::new());
    }
    let snapshot = server.snapshots.get(&p.text_document.uri)?;
    let model = snapshot.compiled.model.as_ref()?;
    let analysis = snapshot.compiled.analysis.as_ref()?;
    let root = snapshot.root();
    let text = root.text.as_str();
    let (from, to) = root.lines.span(text, p.range, server.encoding);
    let w = words(model);
    let win = |v: f64| match model.language {
        Language::En => format!("{} win", w.percent(v)),
        Language::Ru => format!("шанс продажи {}", w.percent(v)),
    };
    let mut out = Vec::new();
    let mut hint = |offset: usize, label: String, left: bool| {
        if offset < from || offset > to {
            return;
        }
        out.push(lsp::InlayHint {
            position: root.lines.position(text, offset, server.encoding),
            label: lsp::InlayHintLabel::String(label),
            kind: None,
            text_edits: None,
            tooltip: None,
            padding_left: Some(left),
            padding_right: None,
            data: None,
        });
    };
    for (i, stage) in model.stages.iter().enumerate() {
        if stage.span.file != FileId::ROOT {
            continue;
        }
        if !stage.is_terminal()
            && let Some(f) = analysis.stages.get(i).filter(|f| f.win_probability.is_finite())
        {
            hint(root.offset(stage.span.end), win(f.win_probability), true);
        }
        for t in stage.transitions.iter().filter(|t| t.open && t.span.file == FileId::ROOT) {
            // After the target's name.
            let start = root.offset(t.span.start);
            let end = root.offset(t.span.end).min(text.len());
            let target = lexer::Lexer::new(&text[start..end]).find(|tk| tk.kind == Kind::Word);
            if let Some(target) = target {
                hint(start + target.end, w.percent(t.probability), true);
            }
        }
    }
    Some(out)
}

fn symbol_kind(kind: DeclKind) -> lsp::SymbolKind {
    match kind {
        DeclKind::Process => lsp::SymbolKind::MODULE,
        DeclKind::Library => lsp::SymbolKind::PACKAGE,
        DeclKind::Stage => lsp::SymbolKind::FUNCTION,
        DeclKind::Role => lsp::SymbolKind::CLASS,
        DeclKind::Segment => lsp::SymbolKind::ENUM,
        DeclKind::Product => lsp::SymbolKind::STRUCT,
        DeclKind::Metric => lsp::SymbolKind::PROPERTY,
        DeclKind::Plan => lsp::SymbolKind::OBJECT,
        DeclKind::Rollout => lsp::SymbolKind::EVENT,
    }
}

#[allow(deprecated)]
fn document_symbol(
    file: &super::snapshot::FileInfo,
    d: Decl,
    encoding: super::position::Encoding,
) -> lsp::DocumentSymbol {
    let range = file.range(d.whole, encoding);
    let mut selection = file.range(d.span, encoding);
    if selection.start < range.start || selection.end > range.end {
        selection = range;
    }
    lsp::DocumentSymbol {
        name: if d.name.is_empty() { "?".into() } else { d.name },
        detail: d.detail.map(str::to_string),
        kind: symbol_kind(d.kind),
        tags: None,
        deprecated: None,
        range,
        selection_range: selection,
        children: Some(d.children.into_iter().map(|c| document_symbol(file, c, encoding)).collect()),
    }
}

pub(crate) fn document_symbols(server: &World, p: lsp::DocumentSymbolParams) -> Option<lsp::DocumentSymbolResponse> {
    let snapshot = server.snapshots.get(&p.text_document.uri)?;
    let root = snapshot.root();
    let symbols = names::declarations(&snapshot.trees[0].1)
        .into_iter()
        .map(|d| document_symbol(root, d, server.encoding))
        .collect();
    Some(lsp::DocumentSymbolResponse::Nested(symbols))
}

#[allow(deprecated)]
pub(crate) fn workspace_symbols(server: &World, p: lsp::WorkspaceSymbolParams) -> Option<lsp::WorkspaceSymbolResponse> {
    let query = p.query.to_lowercase();
    let mut out: Vec<lsp::SymbolInformation> = Vec::new();
    let mut snapshots: Vec<_> = server.snapshots.iter().collect();
    snapshots.sort_by(|a, b| a.0.cmp(b.0));
    for (_, snapshot) in snapshots {
        for (id, tree) in trees(snapshot) {
            let Some(file) = snapshot.file(id) else { continue };
            let Some(uri) = &file.uri else { continue };
            for d in names::flat(tree) {
                if !d.name.to_lowercase().contains(&query) {
                    continue;
                }
                let location = lsp::Location { uri: uri.clone(), range: file.range(d.span, server.encoding) };
                if out.iter().any(|s| s.location == location) {
                    continue;
                }
                out.push(lsp::SymbolInformation {
                    name: d.name,
                    kind: symbol_kind(d.kind),
                    tags: None,
                    deprecated: None,
                    location,
                    container_name: None,
                });
            }
        }
    }
    Some(lsp::WorkspaceSymbolResponse::Flat(out))
}

/// The kind of name a reference or declaration is, for highlighting.
pub(crate) fn name_kind(declared: Option<Declared>, kind: NameKind) -> DeclKind {
    match (declared, kind) {
        (Some(d), _) => kind_of(d),
        (None, NameKind::Stage) => DeclKind::Stage,
        (None, NameKind::Role) => DeclKind::Role,
        (None, NameKind::SegmentOrProduct) => DeclKind::Segment,
    }
}
