//! Reading order: rows top to bottom, left to right within a row.

use kycd_plugin_api::TextLine;

/// Sorts lines into reading order. Two lines share a row when their vertical extents overlap
/// by more than half the smaller height.
pub fn sort_reading_order(lines: &mut Vec<TextLine>) {
    let extent = |line: &TextLine| {
        let bounds = line.quad.bounds();
        (bounds.y, bounds.y + bounds.height, bounds.x)
    };
    lines.sort_by(|a, b| {
        let (a, b) = (extent(a), extent(b));
        (a.0 + a.1).total_cmp(&(b.0 + b.1))
    });
    let mut ordered = Vec::with_capacity(lines.len());
    let mut row: Vec<TextLine> = Vec::new();
    let mut row_extent = (0.0f32, 0.0f32);
    for line in lines.drain(..) {
        let (top, bottom, _) = extent(&line);
        let overlap = bottom.min(row_extent.1) - top.max(row_extent.0);
        let smaller = (bottom - top).min(row_extent.1 - row_extent.0);
        if !row.is_empty() && overlap <= 0.5 * smaller {
            row.sort_by(|a, b| extent(a).2.total_cmp(&extent(b).2));
            ordered.append(&mut row);
        }
        if row.is_empty() {
            row_extent = (top, bottom);
        }
        row.push(line);
    }
    row.sort_by(|a, b| extent(a).2.total_cmp(&extent(b).2));
    ordered.append(&mut row);
    *lines = ordered;
}

#[cfg(test)]
mod tests {
    use super::*;
    use kycd_plugin_api::{Quad, Rect, Script};

    fn line(text: &str, x: f32, y: f32) -> TextLine {
        TextLine {
            text: text.into(),
            confidence: 1.0,
            quad: Quad::from_rect(Rect {
                x,
                y,
                width: 80.0,
                height: 20.0,
            }),
            script: Script::LATIN,
        }
    }

    #[test]
    fn rows_top_to_bottom_then_left_to_right() {
        let mut lines = vec![
            line("c", 10.0, 60.0),
            line("b", 200.0, 14.0),
            line("a", 10.0, 10.0),
        ];
        sort_reading_order(&mut lines);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["a", "b", "c"]);
    }
}
