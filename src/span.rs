//! Byte spans and their conversion to lines and columns.

use serde::Serialize;

/// A byte range in the source text (after a leading BOM is removed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The span from the start of `self` to the end of `other`.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
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
    fn offset_past_the_end_is_clamped() {
        let text = "a\nb";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 99), LineCol { line: 2, column: 2 });
    }
}
