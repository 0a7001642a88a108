//! Layout helpers over recognised lines: reading order, label anchoring, neighbours.
//!
//! Plugins find a field by its printed label ("Name", "NIK", "APELLIDOS") and take the value to
//! the right of it or on the line below. These helpers do that geometry once for every plugin.

use crate::types::{Quad, TextLine};

/// A recognised line with its geometry, as plugins use it.
#[derive(Clone, Debug)]
pub struct Line {
    /// The text as read, trimmed.
    pub text: String,
    /// Recogniser confidence, 0.0 to 1.0.
    pub confidence: f32,
    /// Where the line is.
    pub quad: Quad,
    /// Left, top, right, bottom of the line's bounding box.
    pub left: f32,
    /// See [`Line::left`].
    pub top: f32,
    /// See [`Line::left`].
    pub right: f32,
    /// See [`Line::left`].
    pub bottom: f32,
}

impl Line {
    fn from_text_line(line: &TextLine) -> Self {
        let b = line.quad.bounds();
        Line {
            text: line.text.trim().to_string(),
            confidence: line.confidence,
            quad: line.quad,
            left: b.x,
            top: b.y,
            right: b.x + b.width,
            bottom: b.y + b.height,
        }
    }

    /// Height of the line's box.
    pub fn height(&self) -> f32 {
        self.bottom - self.top
    }

    /// Vertical centre.
    pub fn middle(&self) -> f32 {
        (self.top + self.bottom) / 2.0
    }

    /// Whether the two lines stand in one row: their centres are less than half the smaller
    /// line's height apart. By centres, not by overlap: on a tightly cropped card the detector's
    /// box of a large value reaches up into its label's row, and overlapping boxes would put
    /// the value beside its label.
    pub fn same_row(&self, other: &Line) -> bool {
        (self.middle() - other.middle()).abs() < 0.5 * self.height().min(other.height())
    }

    /// Whether `self` stands in a row below `anchor`'s, its centre at most `max_gap` line
    /// heights (of the anchor) further down than a line directly under the anchor would be.
    /// Compares centres, so a value whose box overlaps its label's row is still below it.
    pub fn is_below(&self, anchor: &Line, max_gap: f32) -> bool {
        let drop = self.middle() - anchor.middle();
        let h = anchor.height();
        drop > 0.0 && !self.same_row(anchor) && drop <= (max_gap + 1.0) * h
    }

    /// Horizontal overlap of the two boxes, in pixels (negative when apart).
    pub fn horizontal_overlap(&self, other: &Line) -> f32 {
        self.right.min(other.right) - self.left.max(other.left)
    }
}

/// The lines of one document image in reading order (rows top to bottom, left to right in a row).
#[derive(Clone, Debug, Default)]
pub struct Page {
    lines: Vec<Line>,
    /// Width of the image the lines were read from.
    pub width: f32,
    /// Height of the image the lines were read from.
    pub height: f32,
}

impl Page {
    /// Builds a page from the host's lines and the size of the image they were read from.
    pub fn new(lines: &[TextLine], width: u32, height: u32) -> Self {
        let mut lines: Vec<Line> = lines
            .iter()
            .map(Line::from_text_line)
            .filter(|l| !l.text.is_empty())
            .collect();
        lines.sort_by(|a, b| a.top.total_cmp(&b.top));
        // Group into rows, then order each row left to right.
        let mut ordered: Vec<Line> = Vec::with_capacity(lines.len());
        let mut row: Vec<Line> = Vec::new();
        for line in lines {
            if row.first().is_some_and(|first| !first.same_row(&line)) {
                row.sort_by(|a, b| a.left.total_cmp(&b.left));
                ordered.append(&mut row);
            }
            row.push(line);
        }
        row.sort_by(|a, b| a.left.total_cmp(&b.left));
        ordered.append(&mut row);
        Page {
            lines: ordered,
            width: width as f32,
            height: height as f32,
        }
    }

    /// All lines in reading order.
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// The first line (in reading order) whose normalised text contains any of `labels`
    /// (compared by [`normalize`]).
    pub fn find_label(&self, labels: &[&str]) -> Option<&Line> {
        let wanted: Vec<String> = labels.iter().map(|l| normalize(l)).collect();
        self.lines.iter().find(|line| {
            let text = normalize(&line.text);
            wanted.iter().any(|w| text.contains(w.as_str()))
        })
    }

    /// The first line matching `predicate`.
    pub fn find(&self, predicate: impl Fn(&Line) -> bool) -> Option<&Line> {
        self.lines.iter().find(|l| predicate(l))
    }

    /// The nearest line below `anchor` that overlaps it horizontally, within `max_gap` line
    /// heights of the anchor's bottom (compared by centres: [`Line::is_below`]).
    pub fn below(&self, anchor: &Line, max_gap: f32) -> Option<&Line> {
        self.lines
            .iter()
            .filter(|l| l.is_below(anchor, max_gap))
            .filter(|l| {
                l.horizontal_overlap(anchor) > 0.0
                    || (l.left - anchor.left).abs() < anchor.height() * 2.0
            })
            .min_by(|a, b| a.middle().total_cmp(&b.middle()))
    }

    /// The nearest line to the right of `anchor` in the same row.
    pub fn right_of(&self, anchor: &Line) -> Option<&Line> {
        self.lines
            .iter()
            .filter(|l| l.same_row(anchor) && l.left >= anchor.right - anchor.height() * 0.5)
            .min_by(|a, b| a.left.total_cmp(&b.left))
    }

    /// All the text, one line per row entry, for pattern searches across the page.
    pub fn full_text(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Lower-cases, strips diacritics-insensitive punctuation and collapses spaces, for label
/// matching (not for values: values are returned as printed).
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
            last_space = false;
        } else if !last_space {
            out.push(' ');
            last_space = true;
        }
    }
    out.trim_end().to_string()
}

/// Levenshtein distance between two texts, in characters (for words the recogniser misspells).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    edit_distance_chars(&a, &b)
}

/// [`edit_distance`] over character slices.
pub fn edit_distance_chars(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// The one name `read` is nearest to by [`edit_distance`] (over `key` of both), when that
/// distance is at most `allowed(name)`; `None` when no name is that close or two are equally
/// near (a vocabulary snap that never guesses between two names).
pub fn nearest_unique<'n>(
    read: &str,
    names: impl IntoIterator<Item = &'n str>,
    key: impl Fn(&str) -> String,
    allowed: impl Fn(&str) -> usize,
) -> Option<&'n str> {
    let wanted = key(read);
    let mut best: Option<(&'n str, usize)> = None;
    let mut tie = false;
    for name in names {
        let distance = edit_distance(&wanted, &key(name));
        if distance > allowed(name) {
            continue;
        }
        match best {
            Some((_, nearest)) if distance > nearest => {}
            Some((_, nearest)) if distance == nearest => tie = true,
            _ => {
                best = Some((name, distance));
                tie = false;
            }
        }
    }
    best.filter(|_| !tie).map(|(name, _)| name)
}

/// Whether the letters and digits of `text` are those of `expected` with at most one wrong,
/// missing or extra character (case, spaces and punctuation ignored): `SVENSKISWE` for
/// `SVENSK/SWE`, `POLISMYNDIGHETFN` for `POLISMYNDIGHETEN`.
pub fn within_one_edit(text: &str, expected: &str) -> bool {
    let fold = |s: &str| -> Vec<char> {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_uppercase)
            .collect()
    };
    let (a, b) = (fold(text), fold(expected));
    !a.is_empty() && !b.is_empty() && edit_distance_chars(&a, &b) <= 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Rect;

    #[test]
    fn nearest_unique_names_never_guess() {
        let names = ["Kerala", "Karnataka", "Goa"];
        let one = |_: &str| 1;
        assert_eq!(
            nearest_unique("Keraia", names, str::to_string, one),
            Some("Kerala")
        );
        assert_eq!(nearest_unique("Kerxxa", names, str::to_string, one), None);
        assert_eq!(
            nearest_unique("Gob", ["Goa", "Gon"], str::to_string, one),
            None
        );
        let upper = |s: &str| s.to_uppercase();
        assert_eq!(nearest_unique("GOA", names, upper, one), Some("Goa"));
    }

    #[test]
    fn edit_distances_count_characters() {
        assert_eq!(edit_distance("DEUTSCM", "DEUTSCH"), 1);
        assert_eq!(edit_distance("MÜNCHEN", "MUNCHEN"), 1);
        assert_eq!(edit_distance("", "ABC"), 3);
        assert!(within_one_edit("SVENSKISWE", "SVENSK/SWE"));
        assert!(within_one_edit("Norsk Norwegian", "Norsk/Norwegian"));
        assert!(!within_one_edit("NORSK", "SVENSK/SWE"));
        assert!(!within_one_edit("", "A"));
    }

    fn line(text: &str, x: f32, y: f32, w: f32) -> TextLine {
        TextLine::latin(text, Rect::new(x, y, w, 20.0), 0.9)
    }

    #[test]
    fn reading_order_groups_rows_left_to_right() {
        let page = Page::new(
            &[
                line("right", 200.0, 12.0, 50.0),
                line("left", 10.0, 10.0, 50.0),
                line("below", 10.0, 60.0, 50.0),
            ],
            300,
            100,
        );
        let texts: Vec<&str> = page.lines().iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["left", "right", "below"]);
    }

    #[test]
    fn label_anchoring_finds_value_below_and_right() {
        let page = Page::new(
            &[
                line("Name/Surname/Nom", 10.0, 10.0, 120.0),
                line("MUSTERMANN", 12.0, 34.0, 100.0),
                line("NIK", 10.0, 80.0, 30.0),
                line(": 3171", 60.0, 81.0, 80.0),
            ],
            300,
            120,
        );
        let label = page.find_label(&["surname"]).unwrap();
        assert_eq!(page.below(label, 1.5).unwrap().text, "MUSTERMANN");
        let nik = page.find_label(&["NIK"]).unwrap();
        assert_eq!(page.right_of(nik).unwrap().text, ": 3171");
    }

    #[test]
    fn a_tall_value_overlapping_its_label_row_is_below_it() {
        // An exact crop: the value's box (44 px) starts high inside the label's (20 px), so the
        // boxes share more than half the label's height.
        let tall = TextLine {
            quad: Quad::from_rect(Rect {
                x: 12.0,
                y: 16.0,
                width: 160.0,
                height: 44.0,
            }),
            ..line("MÜLLER", 0.0, 0.0, 0.0)
        };
        let page = Page::new(&[line("Name / Surname", 10.0, 10.0, 120.0), tall], 300, 120);
        let texts: Vec<&str> = page.lines().iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["Name / Surname", "MÜLLER"]);
        let label = page.find_label(&["surname"]).unwrap();
        assert_eq!(page.below(label, 1.5).unwrap().text, "MÜLLER");
        assert!(page.right_of(label).is_none());
        // A line far down the page is not the label's value.
        let far = Page::new(
            &[
                line("Name / Surname", 10.0, 10.0, 120.0),
                line("X", 12.0, 90.0, 50.0),
            ],
            300,
            120,
        );
        assert!(far
            .below(far.find_label(&["surname"]).unwrap(), 1.5)
            .is_none());
    }

    #[test]
    fn normalize_collapses_punctuation() {
        assert_eq!(normalize("  Tempat/Tgl  Lahir: "), "tempat tgl lahir");
    }
}
