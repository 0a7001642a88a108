//! Reading a card once, upright whatever way the photo or the located crop turned it, and
//! taking values that follow their label on the same line ("CURP JIVR640330HDFMZC20",
//! "ESTADO 09 MUNICIPIO 015").
//!
//! ```ignore
//! let card = read_card(host, request.image(), |page| score_my_layout(page), 4);
//! let curp = first_token(&text_after_label(&card.page, "CURP")?);
//! ```

use crate::host::Host;
use crate::text::{Line, Page};
use crate::types::{DocumentCrop, ImageRef, ReadOptions};
use crate::upright::best_page;

/// One reading of a card image.
pub struct CardReading {
    /// The rectified card, when the host found one (the page was read on it).
    pub crop: Option<DocumentCrop>,
    /// The lines, levelled and in reading order.
    pub page: Page,
}

/// Locates the card, reads its text once and keeps the levelled reading that `score` prefers
/// (see [`crate::upright::best_page`]). When no card is found, or the crop's best reading
/// scores below `enough` (a crop turned or cut wrongly), the whole image is read as well and
/// the better of the two readings kept.
pub fn read_card(
    host: &Host<'_>,
    image: ImageRef<'_>,
    score: impl Fn(&Page) -> i32,
    enough: i32,
) -> CardReading {
    let read = |target: ImageRef<'_>| {
        let lines = host.read_text(target, ReadOptions::latin());
        best_page(&lines, target.width, target.height, &score)
    };
    let crop = host.locate_document(image);
    if let Some(found) = &crop {
        let page = read(found.image.as_ref());
        let on_crop = score(&page);
        if on_crop >= enough {
            return CardReading { crop, page };
        }
        let whole = read(image);
        if score(&whole) > on_crop {
            return CardReading {
                crop: None,
                page: whole,
            };
        }
        return CardReading { crop, page };
    }
    CardReading {
        page: read(image),
        crop: None,
    }
}

/// Upper case with the Spanish accents and `Ñ` folded to plain letters, one character for one
/// character (so that positions found in the folded text are positions in the original).
pub fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c.to_uppercase().next().unwrap_or(c) {
            'Á' | 'À' | 'Â' | 'Ä' => 'A',
            'É' | 'È' | 'Ê' | 'Ë' => 'E',
            'Í' | 'Ì' | 'Î' | 'Ï' => 'I',
            'Ó' | 'Ò' | 'Ô' | 'Ö' => 'O',
            'Ú' | 'Ù' | 'Û' | 'Ü' => 'U',
            'Ñ' => 'N',
            other => other,
        })
        .collect()
}

/// Whether the line's folded text contains `label` (given folded, e.g. `"NACIMIENTO"`).
pub fn has_label(line: &Line, label: &str) -> bool {
    fold(&line.text).contains(label)
}

/// The first line (in reading order) carrying `label`.
pub fn find_label<'p>(page: &'p Page, label: &str) -> Option<&'p Line> {
    page.lines().iter().find(|l| has_label(l, label))
}

/// What follows `label` on its line, or, when nothing does, the next line to its right in the
/// same row; trimmed of spaces, colons and dots. `None` when the label is not on the page or
/// nothing follows it. The confidence is the line's.
pub fn text_after_label(page: &Page, label: &str) -> Option<(String, f32)> {
    let line = find_label(page, label)?;
    let folded: Vec<char> = fold(&line.text).chars().collect();
    let wanted: Vec<char> = label.chars().collect();
    let start = folded
        .windows(wanted.len().max(1))
        .position(|w| w == wanted.as_slice())?;
    let rest: String = line.text.chars().skip(start + wanted.len()).collect();
    let rest = rest.trim_matches(|c: char| c.is_whitespace() || c == ':' || c == '.');
    if !rest.is_empty() {
        return Some((rest.to_string(), line.confidence));
    }
    let next = page.right_of(line)?;
    Some((next.text.clone(), next.confidence))
}

/// The first whitespace-separated token.
pub fn first_token(text: &str) -> &str {
    text.split_whitespace().next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Quad, Rect, Script, TextLine};

    fn line(text: &str, x: f32, y: f32, w: f32) -> TextLine {
        TextLine {
            text: text.into(),
            confidence: 0.9,
            quad: Quad::from_rect(Rect {
                x,
                y,
                width: w,
                height: 20.0,
            }),
            script: Script::LATIN,
        }
    }

    #[test]
    fn value_follows_label_on_its_line_or_to_the_right() {
        let page = Page::new(
            &[
                line("ESTADO 09 MUNICIPIO 015", 10.0, 10.0, 200.0),
                line("AÑO DE REGISTRO", 10.0, 50.0, 120.0),
                line("1982 10", 140.0, 50.0, 60.0),
            ],
            300,
            100,
        );
        let after = |label| text_after_label(&page, label).map(|(t, _)| t);
        assert_eq!(after("ESTADO").as_deref(), Some("09 MUNICIPIO 015"));
        assert_eq!(after("MUNICIPIO").as_deref(), Some("015"));
        assert_eq!(after("DE REGISTRO").as_deref(), Some("1982 10"));
        assert_eq!(after("LOCALIDAD"), None);
    }

    #[test]
    fn folding_keeps_one_character_per_character() {
        assert_eq!(fold("Sección Año"), "SECCION ANO");
        assert_eq!(fold("Ñandú").chars().count(), "Ñandú".chars().count());
    }
}
