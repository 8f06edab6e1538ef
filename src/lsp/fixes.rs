//! Quick fixes: the repairs the checks attach to their diagnostics
//! ([`crate::diagnostics::Fix`]), as code actions.

use super::World;
use lsp_types::{self as lsp, Url};
use std::collections::HashMap;

pub(crate) fn code_actions(server: &World, p: lsp::CodeActionParams) -> Option<lsp::CodeActionResponse> {
    let uri = &p.text_document.uri;
    let snapshot = server.snapshots.get(uri)?;
    // The edits are of the text that was checked.
    if server.docs.get(uri).is_some_and(|d| d.version != snapshot.version) {
        return Some(Vec::new());
    }
    let root = snapshot.root();
    let (from, to) = root.lines.span(&root.text, p.range, server.encoding);
    let (from, to) = (root.span_offset(from), root.span_offset(to));
    let mut out = Vec::new();
    for d in &snapshot.compiled.diagnostics {
        if d.span.file != crate::span::FileId::ROOT || d.span.end < from || d.span.start > to {
            continue;
        }
        let Some(fix) = &d.fix else { continue };
        let mut changes: HashMap<Url, Vec<lsp::TextEdit>> = HashMap::new();
        for (span, new_text) in &fix.edits {
            let Some(location) = snapshot.location(*span, server.encoding) else { continue };
            changes
                .entry(location.uri)
                .or_default()
                .push(lsp::TextEdit { range: location.range, new_text: new_text.clone() });
        }
        let range = root.range(d.span, server.encoding);
        let code = Some(lsp::NumberOrString::String(d.code.as_str().into()));
        let diagnostic = snapshot.diagnostics_of(uri).iter().find(|l| l.range == range && l.code == code);
        out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title: fix.title.clone(),
            kind: Some(lsp::CodeActionKind::QUICKFIX),
            diagnostics: diagnostic.map(|d| vec![d.clone()]),
            edit: Some(lsp::WorkspaceEdit { changes: Some(changes), ..Default::default() }),
            is_preferred: Some(true),
            ..Default::default()
        }));
    }
    Some(out)
}
