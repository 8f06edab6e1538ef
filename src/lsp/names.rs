//! The declarations of a parsed tree (for the outline, completion and
//! highlighting, also of a file with syntax errors), and the declaration
//! a position names (for definition, references and rename).

use super::World;
use super::snapshot::Snapshot;
use crate::ast::{self, LibraryItem, ProcessItem, StageItemKind};
use crate::model::Declared;
use crate::span::{FileId, Span};
use lsp_types::{Position, Url};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeclKind {
    Process,
    Library,
    Stage,
    Role,
    Segment,
    Product,
    Metric,
    Plan,
    Rollout,
}

/// A declaration as written.
#[derive(Debug, Clone)]
pub(crate) struct Decl {
    pub kind: DeclKind,
    pub name: String,
    /// The name (the keyword for a plan or a rollout).
    pub span: Span,
    /// The whole declaration.
    pub whole: Span,
    /// For a stage: `entry`, `outcome won`, `outcome lost`.
    pub detail: Option<&'static str>,
    /// The declarations inside (a process's or library's).
    pub children: Vec<Decl>,
}

fn decl(kind: DeclKind, name: &ast::Ident, whole: Span) -> Decl {
    Decl { kind, name: name.name.clone(), span: name.span, whole, detail: None, children: Vec::new() }
}

/// The end of the last item, for blocks whose span the tree does not keep.
fn end_of(spans: impl Iterator<Item = Span>, start: Span) -> Span {
    spans.fold(start, |a, b| a.to(b))
}

/// Every declaration of a tree, processes and libraries at the top.
pub(crate) fn declarations(tree: &ast::File) -> Vec<Decl> {
    let mut out = Vec::new();
    for p in &tree.processes {
        let mut top = decl(DeclKind::Process, &p.name, p.keyword.to(p.name.span));
        for item in &p.items {
            let child = match item {
                ProcessItem::Segment(s) => decl(DeclKind::Segment, &s.name, s.span),
                ProcessItem::Product(s) => decl(DeclKind::Product, &s.name, s.span),
                ProcessItem::Role(s) => decl(DeclKind::Role, &s.name, s.span),
                ProcessItem::Stage(s) => {
                    let mut d = decl(DeclKind::Stage, &s.name, s.span);
                    d.detail = s.items.iter().find_map(|i| match i.kind {
                        StageItemKind::Entry { .. } => Some("entry"),
                        StageItemKind::Outcome(ast::OutcomeKind::Won) => Some("outcome won"),
                        StageItemKind::Outcome(ast::OutcomeKind::Lost) => Some("outcome lost"),
                        _ => None,
                    });
                    d
                }
                ProcessItem::Metric(s) => decl(DeclKind::Metric, &s.name, s.span),
                ProcessItem::Plan(plan) => Decl {
                    kind: DeclKind::Plan,
                    name: plan.title.as_ref().map_or_else(|| "plan".to_string(), |t| t.value.clone()),
                    span: plan.keyword,
                    whole: end_of(plan.items.iter().map(|i| i.span), plan.keyword),
                    detail: None,
                    children: Vec::new(),
                },
                ProcessItem::Rollout(r) => Decl {
                    kind: DeclKind::Rollout,
                    name: "rollout".to_string(),
                    span: r.keyword,
                    whole: end_of(r.items.iter().map(|i| i.span), r.keyword),
                    detail: None,
                    children: Vec::new(),
                },
                _ => continue,
            };
            top.whole = top.whole.to(child.whole);
            top.children.push(child);
        }
        out.push(top);
    }
    for l in &tree.libraries {
        let mut top = decl(DeclKind::Library, &l.name, l.keyword.to(l.name.span));
        for item in &l.items {
            let child = match item {
                LibraryItem::Segment(s) => decl(DeclKind::Segment, &s.name, s.span),
                LibraryItem::Product(s) => decl(DeclKind::Product, &s.name, s.span),
                LibraryItem::Role(s) => decl(DeclKind::Role, &s.name, s.span),
                _ => continue,
            };
            top.whole = top.whole.to(child.whole);
            top.children.push(child);
        }
        out.push(top);
    }
    out
}

/// The declarations of a tree, flattened.
pub(crate) fn flat(tree: &ast::File) -> Vec<Decl> {
    let mut out = Vec::new();
    for top in declarations(tree) {
        let children = top.children.clone();
        out.push(top);
        out.extend(children);
    }
    out
}

/// A declaration found from a position: the compilation that resolved it.
pub(crate) struct Found {
    pub snapshot: Arc<Snapshot>,
    pub declared: Declared,
    /// Where the declaration is, as a file path and a byte offset: the same
    /// declaration in every compilation that reads its file.
    pub path: PathBuf,
    pub start: usize,
    /// The name's span at the position (the reference or the declaration).
    pub at: Span,
}

/// The compilations with a model that hold the document `uri`, its own
/// first, with the document's file id in each.
pub(crate) fn compilations<'s>(server: &'s World, uri: &Url) -> Vec<(&'s Arc<Snapshot>, FileId)> {
    let mut out = Vec::new();
    if let Some(s) = server.snapshots.get(uri)
        && s.compiled.model.is_some()
    {
        out.push((s, FileId::ROOT));
    }
    let mut others: Vec<_> = server.snapshots.iter().filter(|(u, _)| *u != uri).collect();
    others.sort_by(|a, b| a.0.cmp(b.0));
    for (_, s) in others {
        if s.compiled.model.is_some()
            && let Some(id) = s.file_of(uri)
        {
            out.push((s, id));
        }
    }
    out
}

/// The declaration named at `position` of `uri`.
pub(crate) fn at(server: &World, uri: &Url, position: Position) -> Option<Found> {
    for (snapshot, file) in compilations(server, uri) {
        let info = snapshot.file(file)?;
        let offset = info.span_offset(info.lines.offset(&info.text, position, server.encoding));
        let model = snapshot.compiled.model.as_ref()?;
        let inside = |s: Span| s.file == file && s.start <= offset && offset <= s.end;
        let at = model
            .references
            .iter()
            .find(|r| inside(r.span))
            .map(|r| (r.to, r.span))
            .or_else(|| model.declarations().find(|d| inside(d.2)).map(|d| (Some(d.0), d.2)));
        let Some((Some(declared), at)) = at else { continue };
        let span = model.declaration_span(declared)?;
        let path = snapshot.file(span.file)?.path.clone();
        return Some(Found { snapshot: snapshot.clone(), declared, path, start: span.start, at });
    }
    None
}

/// The same declaration in another compilation.
pub(crate) fn same_in(snapshot: &Snapshot, found: &Found) -> Option<Declared> {
    let model = snapshot.compiled.model.as_ref()?;
    model
        .declarations()
        .find(|(_, _, span)| {
            span.start == found.start && snapshot.file(span.file).is_some_and(|f| f.path == found.path)
        })
        .map(|d| d.0)
}
