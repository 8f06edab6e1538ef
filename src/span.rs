//! Byte spans and their conversion to lines and columns.
//!
//! A span names its file by an opaque [`FileId`]: the library never sees a
//! path. Whoever reads the files (the CLI, the language server) keeps the
//! table from ids to paths and texts.

use serde::Serialize;

/// A source file, as an opaque number. The file a command was given is
/// `FileId::ROOT`; the libraries it uses get the next numbers in the order
/// they are first reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct FileId(pub u32);

impl FileId {
    pub const ROOT: FileId = FileId(0);

    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A byte range in a source text (after a leading BOM is removed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct Span {
    #[serde(skip)]
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// A span in the root file.
    pub fn new(start: usize, end: usize) -> Span {
        Span { file: FileId::ROOT, start, end }
    }

    pub fn in_file(file: FileId, start: usize, end: usize) -> Span {
        Span { file, start, end }
    }

    /// A span of the same file.
    pub fn with(self, start: usize, end: usize) -> Span {
        Span { file: self.file, start, end }
    }

    /// The span from the start of `self` to the end of `other` (of the
    /// same file).
    pub fn to(self, other: Span) -> Span {
        self.with(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Maps byte offsets to lines and columns in O(log lines + line length).
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The line and column of byte `offset` in `text` (the text this index
    /// was built from). An offset inside a character counts as that
    /// character; a `\r` before a line end is part of the line.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts.get(line).copied().unwrap_or(0);
        let prefix = text.get(start..offset).map_or_else(
            || text.get(start..).unwrap_or("").char_indices().take_while(|(i, _)| start + i < offset).count(),
            |p| p.chars().count(),
        );
        LineCol { line: line + 1, column: prefix + 1 }
    }

    /// The 0-based line and UTF-16 column of byte `offset`: a position of
    /// the Language Server Protocol's default encoding.
    pub fn utf16(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts.get(line).copied().unwrap_or(0).min(offset);
        (line, text[start..offset].encode_utf16().count())
    }

    /// The byte offset of a 0-based line and UTF-16 column, clamped to the
    /// line's end (before its line break) and to the text.
    pub fn offset_of_utf16(&self, text: &str, line: usize, column: usize) -> usize {
        let Some(&start) = self.starts.get(line) else { return text.len() };
        let end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let line_text = text[start..end].trim_end_matches(['\n', '\r']);
        let mut units = 0;
        for (i, c) in line_text.char_indices() {
            if units >= column {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line_text.len()
    }

    /// How many lines the text has.
    pub fn lines(&self) -> usize {
        self.starts.len()
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "ab\nпривет x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').expect("the text has an x");
        assert_eq!(index.line_col(text, x), LineCol { line: 2, column: 8 });
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(text, 3), LineCol { line: 2, column: 1 });
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs_twice() {
        let text = "a\r\nм😀x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').expect("the text has an x");
        assert_eq!(index.utf16(text, x), (1, 3));
        assert_eq!(index.offset_of_utf16(text, 1, 3), x);
        assert_eq!(index.offset_of_utf16(text, 0, 9), 1);
        assert_eq!(index.offset_of_utf16(text, 7, 0), text.len());
    }

    #[test]
    fn offset_past_the_end_is_clamped() {
        let text = "a\nb";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 99), LineCol { line: 2, column: 2 });
    }
}
