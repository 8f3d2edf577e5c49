//! Positions in source text: byte offsets to 1-based lines and columns.

/// Maps byte offsets in one source text to 1-based line and column numbers.
///
/// Columns count Unicode scalar values, not bytes, so `£` is one column.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    source: &'a str,
    line_starts: Vec<usize>,
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl<'a> LineIndex<'a> {
    /// Indexes `source`.
    pub fn new(source: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            source
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            source,
            line_starts,
        }
    }

    /// The line and column of byte `offset` (clamped to the text, and moved back to a
    /// character boundary if it falls inside one).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.source.len());
        while offset > 0 && !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let column = self
            .source
            .get(start..offset)
            .map_or(0, |prefix| prefix.chars().count())
            + 1;
        Position {
            line: line.max(1),
            column,
        }
    }

    /// The text of 1-based `line`, without its line break.
    pub fn line_text(&self, line: usize) -> &'a str {
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.source.len());
        self.source
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let index = LineIndex::new("ab\n£cd\n");
        assert_eq!(index.position(0), Position { line: 1, column: 1 });
        assert_eq!(index.position(3), Position { line: 2, column: 1 });
        // `£` is two bytes but one column.
        assert_eq!(index.position(5), Position { line: 2, column: 2 });
        // Inside a character: moved back to its start.
        assert_eq!(index.position(4), Position { line: 2, column: 1 });
        assert_eq!(index.position(999), Position { line: 3, column: 1 });
        assert_eq!(index.line_text(2), "£cd");
    }
}
