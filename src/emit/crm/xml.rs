//! A small XML writer for the Salesforce Metadata API files: elements with
//! text, no attributes but the namespace on the root, four spaces of
//! indentation as Salesforce writes its own files.

/// The namespace of every Metadata API file.
pub const METADATA_NS: &str = "http://soap.sforce.com/2006/04/metadata";

/// Escapes text for element content.
///
/// `&`, `<` and `>` become entities, and quotes too, so the text is safe
/// in any position. XML 1.0 cannot hold most control characters at all,
/// not even as character references: those become U+FFFD. Tab, line feed
/// and carriage return are written as character references, so no parser
/// folds them, and so are the C1 controls (U+007F–U+009F), which XML 1.0
/// allows but discourages, and U+FFFE/U+FFFF, which it forbids, become
/// U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' | '\u{7f}'..='\u{9f}' => out.push_str(&format!("&#x{:X};", c as u32)),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// An XML document being written.
pub struct Xml {
    out: String,
    open: Vec<&'static str>,
}

impl Xml {
    /// A document whose root element `root` is in the metadata namespace.
    pub fn new(root: &'static str) -> Xml {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str(&format!("<{root} xmlns=\"{METADATA_NS}\">\n"));
        Xml { out, open: vec![root] }
    }

    /// A comment on its own line. `--` cannot stand in a comment, so it is
    /// broken up.
    pub fn comment(&mut self, text: &str) {
        self.indent();
        let text = escape(text).replace("--", "- -");
        self.out.push_str(&format!("<!-- {} -->\n", text.trim_end_matches('-')));
    }

    fn indent(&mut self) {
        for _ in 0..self.open.len() {
            self.out.push_str("    ");
        }
    }

    /// Opens an element that holds other elements.
    pub fn open(&mut self, tag: &'static str) {
        self.indent();
        self.out.push_str(&format!("<{tag}>\n"));
        self.open.push(tag);
    }

    /// Closes the element opened last.
    pub fn close(&mut self) {
        if let Some(tag) = self.open.pop() {
            self.indent();
            self.out.push_str(&format!("</{tag}>\n"));
        }
    }

    /// An element holding text.
    pub fn text(&mut self, tag: &str, text: &str) {
        self.indent();
        self.out.push_str(&format!("<{tag}>{}</{tag}>\n", escape(text)));
    }

    /// The document, every element closed.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(escape("a < b & \"c\" > 'd'"), "a &lt; b &amp; &quot;c&quot; &gt; &apos;d&apos;");
        assert_eq!(escape("tab\tline\nret\r"), "tab&#x9;line&#xA;ret&#xD;");
        assert_eq!(escape("\u{1b}]0;x\u{7}"), "\u{fffd}]0;x\u{fffd}");
        assert_eq!(escape("\u{0}\u{85}\u{ffff}"), "\u{fffd}&#x85;\u{fffd}");
        assert_eq!(escape("Привлечение ✓"), "Привлечение ✓");
    }

    #[test]
    fn documents_nest_and_close() {
        let mut x = Xml::new("Package");
        x.comment("made by -- me-");
        x.open("types");
        x.text("name", "A&B");
        let s = x.finish();
        assert_eq!(
            s,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Package xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <!-- made by - - me -->\n    <types>\n        <name>A&amp;B</name>\n    </types>\n</Package>\n"
        );
    }
}
