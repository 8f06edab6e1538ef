//! Names: every declaration and every use of a name, with its span and
//! what it resolves to.
//!
//! This is what go-to-definition, find-references and rename read: the
//! model keeps every reference (not only the unresolved ones P102 reports),
//! and each declaration's name span. Spans carry their file, so a role
//! declared in a library and used in a process links across files.

use super::{Model, ProductId, RoleId, SegmentId, StageId};
use crate::span::{FileId, Span};

/// The kind of declaration a name must refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    Stage,
    Role,
    /// A `for` list names segments or products.
    SegmentOrProduct,
}

impl NameKind {
    /// The kind in the plural: "stages", "segments and products".
    pub fn plural(self) -> &'static str {
        match self {
            NameKind::Stage => "stages",
            NameKind::Role => "roles",
            NameKind::SegmentOrProduct => "segments and products",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            NameKind::Stage => "stage",
            NameKind::Role => "role",
            NameKind::SegmentOrProduct => "segment or product",
        }
    }
}

/// A declaration of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Declared {
    Stage(StageId),
    Role(RoleId),
    Segment(SegmentId),
    Product(ProductId),
    Metric(usize),
}

/// One use of a name.
#[derive(Debug, Clone)]
pub struct Reference {
    pub kind: NameKind,
    pub span: Span,
    /// What the name resolves to; `None` is a P102.
    pub to: Option<Declared>,
    /// What the name is used as, for messages: "owner", "transition target".
    pub role_in_text: &'static str,
    /// The name as written, kept only when it resolves to nothing: a
    /// resolved one is its declaration's name, and a large process has
    /// hundreds of thousands of them.
    pub(super) written: Option<Box<str>>,
}

impl Reference {
    pub fn resolved(&self) -> bool {
        self.to.is_some()
    }

    /// The name as written.
    pub fn name<'m>(&'m self, model: &'m Model) -> &'m str {
        match (&self.written, self.to) {
            (Some(written), _) => written,
            (None, Some(to)) => model.name_of(to),
            (None, None) => "",
        }
    }

    /// The name of a reference that resolves to nothing (P102).
    pub fn unresolved_name(&self) -> &str {
        self.written.as_deref().unwrap_or("")
    }
}

impl Model {
    /// Every declaration (the first of each name and kind) with its name's
    /// span.
    pub fn declarations(&self) -> impl Iterator<Item = (Declared, &str, Span)> + '_ {
        let stages = self.stages.iter().enumerate().map(|(i, s)| (Declared::Stage(StageId(i)), s.id.as_str(), s.span));
        let roles = self.roles.iter().enumerate().map(|(i, r)| (Declared::Role(RoleId(i)), r.id.as_str(), r.span));
        let segments =
            self.segments.iter().enumerate().map(|(i, s)| (Declared::Segment(SegmentId(i)), s.id.as_str(), s.span));
        let products =
            self.products.iter().enumerate().map(|(i, p)| (Declared::Product(ProductId(i)), p.id.as_str(), p.span));
        let metrics = self.metrics.iter().enumerate().map(|(i, m)| (Declared::Metric(i), m.id.as_str(), m.span));
        stages.chain(roles).chain(segments).chain(products).chain(metrics)
    }

    /// A declaration's name.
    pub fn name_of(&self, declared: Declared) -> &str {
        let name = match declared {
            Declared::Stage(StageId(i)) => self.stages.get(i).map(|s| &s.id),
            Declared::Role(RoleId(i)) => self.roles.get(i).map(|r| &r.id),
            Declared::Segment(SegmentId(i)) => self.segments.get(i).map(|s| &s.id),
            Declared::Product(ProductId(i)) => self.products.get(i).map(|p| &p.id),
            Declared::Metric(i) => self.metrics.get(i).map(|m| &m.id),
        };
        name.map_or("", String::as_str)
    }

    /// The span of a declaration's name.
    pub fn declaration_span(&self, declared: Declared) -> Option<Span> {
        Some(match declared {
            Declared::Stage(StageId(i)) => self.stages.get(i)?.span,
            Declared::Role(RoleId(i)) => self.roles.get(i)?.span,
            Declared::Segment(SegmentId(i)) => self.segments.get(i)?.span,
            Declared::Product(ProductId(i)) => self.products.get(i)?.span,
            Declared::Metric(i) => self.metrics.get(i)?.span,
        })
    }

    /// Every use of a declaration, in file order.
    pub fn references_to(&self, declared: Declared) -> impl Iterator<Item = &Reference> + '_ {
        self.references.iter().filter(move |r| r.to == Some(declared))
    }

    /// The declaration whose name, or a use of whose name, is at byte
    /// `offset` of `file`.
    pub fn name_at(&self, file: FileId, offset: usize) -> Option<Declared> {
        let inside = |s: Span| s.file == file && s.start <= offset && offset <= s.end;
        if let Some(r) = self.references.iter().find(|r| inside(r.span)) {
            return r.to;
        }
        self.declarations().find(|d| inside(d.2)).map(|d| d.0)
    }
}
