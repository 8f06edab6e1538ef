//! Positions of the protocol to byte offsets and back, in UTF-16 code
//! units (the protocol's default) or in bytes (`utf-8`, when the client
//! offers it). A line ends at `\n`, `\r\n` or a lone `\r`, as the protocol
//! says.

use lsp_types::{Position, Range};

/// How the columns of positions are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    #[default]
    Utf16,
    Utf8,
}

/// The start of every line of a text.
#[derive(Debug, Clone, Default)]
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        Lines { starts }
    }

    /// The bytes of line `line`, without its line break.
    fn line_bounds(&self, text: &str, line: usize) -> (usize, usize) {
        let start = self.starts[line].min(text.len());
        let end = self.starts.get(line + 1).copied().unwrap_or(text.len()).min(text.len());
        let content = text[start..end].trim_end_matches(['\n', '\r']);
        (start, start + content.len())
    }

    /// The position of byte `offset` (clamped to the text and moved back
    /// to a character boundary).
    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let (start, end) = self.line_bounds(text, line);
        // An offset inside a `\r\n` counts as the end of the line.
        let offset = offset.min(end).max(start);
        let column = match encoding {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 => text[start..offset].encode_utf16().count(),
        };
        Position { line: saturate(line), character: saturate(column) }
    }

    /// The byte offset of a position: a column past the line's end is
    /// its end, a line past the last is the end of the text, and a column
    /// inside a character (half a surrogate pair, a byte inside a
    /// character) is that character's start.
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let (start, end) = self.line_bounds(text, line);
        let column = position.character as usize;
        match encoding {
            Encoding::Utf8 => {
                let mut offset = (start + column).min(end);
                while !text.is_char_boundary(offset) {
                    offset -= 1;
                }
                offset
            }
            Encoding::Utf16 => {
                let mut units = 0;
                for (i, c) in text[start..end].char_indices() {
                    if units + c.len_utf16() > column {
                        return start + i;
                    }
                    units += c.len_utf16();
                }
                end
            }
        }
    }

    pub fn range(&self, text: &str, start: usize, end: usize, encoding: Encoding) -> Range {
        Range { start: self.position(text, start, encoding), end: self.position(text, end, encoding) }
    }

    /// The byte range of a protocol range, start first.
    pub fn span(&self, text: &str, range: Range, encoding: Encoding) -> (usize, usize) {
        let a = self.offset(text, range.start, encoding);
        let b = self.offset(text, range.end, encoding);
        (a.min(b), a.max(b))
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str, encoding: Encoding) {
        let lines = Lines::new(text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let p = lines.position(text, offset, encoding);
            let back = lines.offset(text, p, encoding);
            // The two bytes of `\r\n` are one line end.
            let expected =
                if text[..offset].ends_with('\r') && text[offset..].starts_with('\n') { offset - 1 } else { offset };
            assert_eq!(back, expected, "offset {offset} of {text:?} went to {p:?}");
        }
    }

    #[test]
    fn every_offset_survives_a_round_trip() {
        let text = "process п \"Ёж 🦀\" {\r\n\tstage a {}\r  -> b 10%\n😀x\n";
        round_trip(text, Encoding::Utf16);
        round_trip(text, Encoding::Utf8);
    }

    #[test]
    fn columns_are_code_units_of_the_encoding() {
        let text = "ab\n\tё🦀x\r\ny";
        let lines = Lines::new(text);
        let x = text.find('x').expect("an x");
        assert_eq!(lines.position(text, x, Encoding::Utf16), Position { line: 1, character: 4 });
        assert_eq!(lines.position(text, x, Encoding::Utf8), Position { line: 1, character: 7 });
        let y = text.find('y').expect("a y");
        assert_eq!(lines.position(text, y, Encoding::Utf16), Position { line: 2, character: 0 });
        // The middle of the surrogate pair is the emoji's start.
        let crab = text.find('🦀').expect("a crab");
        assert_eq!(lines.offset(text, Position { line: 1, character: 3 }, Encoding::Utf16), crab);
        // Past the end of a line is its end, before the line break.
        assert_eq!(lines.offset(text, Position { line: 1, character: 99 }, Encoding::Utf16), x + 1);
        assert_eq!(lines.offset(text, Position { line: 9, character: 0 }, Encoding::Utf16), text.len());
    }
}
