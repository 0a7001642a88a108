//! Letters with diacritics (`Ü`, `Ø`, `É`) that a line read in a batch lost: the recogniser
//! reads a small umlaut's dots less reliably when the line is padded to the width of the other
//! lines of its batch (`MUNCHEN` for `MÜNCHEN`). Reading the line's region once more on its own
//! restores them; the second reading is kept only when it differs from the first by diacritics
//! alone, so it can never change a letter.
//!
//! ```ignore
//! let place = restore_diacritics(host, image, line).unwrap_or_else(|| line.text.clone());
//! ```

use crate::host::Host;
use crate::text::Line;
use crate::types::{Charset, ImageRef, Point, Quad};

/// Latin-1 Supplement letters (U+00C0 to U+00FF) by their base letter; `?` where there is none
/// (`Æ`, `Ð`, `×`, `Þ`, `ß`, `æ`, `ð`, `÷`, `þ`).
const LATIN_1_BASE: &str = "AAAAAA?CEEEEIIII?NOOOOO?OUUUUY??aaaaaa?ceeeeiiii?nooooo?ouuuuy?y";

/// Latin Extended-A letters (U+0100 to U+017F) by their base letter; `?` where there is none.
const EXTENDED_A_BASE: &str = "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi??JjKk?LlLlLlLlLlNnNnNn???OoOoOo??RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZz?";

/// The base letter of a Latin letter with a diacritic (`Ü` → `U`, `ł` → `l`); any other
/// character unchanged.
pub fn base_letter(c: char) -> char {
    let code = c as u32;
    let table = match code {
        0xC0..=0xFF => Some((LATIN_1_BASE, code - 0xC0)),
        0x100..=0x17F => Some((EXTENDED_A_BASE, code - 0x100)),
        _ => None,
    };
    match table.and_then(|(t, i)| t.as_bytes().get(i as usize)) {
        Some(b'?') | None => c,
        Some(&base) => base as char,
    }
}

/// The text with every letter replaced by its base letter ([`base_letter`]).
pub fn strip_diacritics(text: &str) -> String {
    text.chars().map(base_letter).collect()
}

/// How many letters of `text` carry a diacritic.
fn marked_letters(text: &str) -> usize {
    text.chars().filter(|&c| base_letter(c) != c).count()
}

/// `reread` when it is `first` with diacritics added (the same letters once the diacritics are
/// stripped, and more marked letters), else `None`.
pub fn with_more_diacritics(first: &str, reread: &str) -> Option<String> {
    let reread = reread.trim();
    (strip_diacritics(first.trim()) == strip_diacritics(reread)
        && marked_letters(reread) > marked_letters(first))
    .then(|| reread.to_string())
}

/// Reads `line`'s region of `image` (the image the line was read on) once more on its own, its
/// top raised by a tenth of its height (the detector's box of a capital line often cuts off an
/// umlaut's dots), and returns that reading when it only adds diacritics to the line's text
/// ([`with_more_diacritics`]); `None` when it does not (nothing to restore, a reading that
/// changes letters, or a line whose geometry no longer addresses `image`). One recogniser call
/// on one line.
pub fn restore_diacritics(host: &Host<'_>, image: ImageRef<'_>, line: &Line) -> Option<String> {
    reread_line(host, image, line).and_then(|reread| with_more_diacritics(&line.text, &reread))
}

/// `line`'s region of `image` read once more on its own, its top raised by a tenth of its
/// height; `None` for a line without a letter that has a marked form.
pub fn reread_line(host: &Host<'_>, image: ImageRef<'_>, line: &Line) -> Option<String> {
    if !line
        .text
        .chars()
        .any(|c| "AOUEIYNCSZaoueiyncsz".contains(c))
    {
        return None;
    }
    let [p0, p1, p2, p3] = line.quad.points;
    let raise = |top: Point, bottom: Point| Point {
        x: top.x + 0.1 * (top.x - bottom.x),
        y: top.y + 0.1 * (top.y - bottom.y),
    };
    let quad = Quad {
        points: [raise(p0, p3), raise(p1, p2), p2, p3],
    };
    Some(
        host.recognize_region(image, quad, Charset::ANY)
            .text
            .as_str()
            .trim()
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_letters_of_both_latin_blocks() {
        assert_eq!(strip_diacritics("MÜNCHEN"), "MUNCHEN");
        assert_eq!(strip_diacritics("ÆRØ ÅSA"), "ÆRO ASA");
        assert_eq!(strip_diacritics("ŁÓDŹ Muñoz"), "LODZ Munoz");
        assert_eq!(strip_diacritics("STRAßE"), "STRAßE");
        assert_eq!(strip_diacritics("PLAIN-TEXT 12"), "PLAIN-TEXT 12");
    }

    #[test]
    fn a_rereading_is_kept_only_when_it_adds_diacritics() {
        assert_eq!(
            with_more_diacritics("MUNCHEN", "MÜNCHEN ").as_deref(),
            Some("MÜNCHEN")
        );
        assert_eq!(with_more_diacritics("MÜNCHEN", "MUNCHEN"), None);
        assert_eq!(with_more_diacritics("MUNCHEN", "MUNCHEN"), None);
        // A different letter is not a diacritic.
        assert_eq!(with_more_diacritics("MUNCHEN", "MÜNCHFN"), None);
        assert_eq!(
            with_more_diacritics("MUNCHEN", "MÚNCHEN").as_deref(),
            Some("MÚNCHEN")
        );
    }
}
