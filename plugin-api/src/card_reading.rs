//! Reading a card once, upright whatever way the photo or the located crop turned it, and
//! taking values that follow their label on the same line ("CURP JIVR640330HDFMZC20",
//! "ESTADO 09 MUNICIPIO 015").
//!
//! ```ignore
//! let card = read_card(host, request.image(), |page| score_my_layout(page), 4);
//! let curp = first_token(&text_after_label(&card.page, "CURP")?);
//! ```

use crate::host::Host;
use crate::text::{edit_distance_chars, Line, Page};
use crate::types::{DocumentCrop, ImageRef, Mrz, OwnedImage, Point, ReadOptions};
use crate::upright::{best_page, turn_image};

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

/// Whether a line looks like part of an MRZ: at least 20 characters with a `<<` filler run.
pub fn looks_like_mrz(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    compact.chars().count() >= 20 && compact.contains("<<")
}

/// The card's MRZ: asked on the crop the card was read on, then on the whole image, then on the
/// crop turned half a turn, or a quarter turn either way when the page's
/// lines ran sideways (a crop that came out turned).
///
/// When the page was read on the whole image (the located crop read worse, e.g. turned upside
/// down with its MRZ rows garbled) and the whole image shows no zone, the card is located again
/// and its crop asked as it lies, then turned half a turn and a quarter turn either way: a
/// second locator run, only on the way to a `FAIL`.
pub fn read_mrz_upright(host: &Host<'_>, image: ImageRef<'_>, card: &CardReading) -> Option<Mrz> {
    let Some(crop) = &card.crop else {
        return host.read_mrz(image).or_else(|| {
            let crop = host.locate_document(image)?;
            host.read_mrz(crop.image.as_ref())
                .or_else(|| zone_turned(host, &crop, &[2, 1, 3]))
        });
    };
    if let Some(zone) = host
        .read_mrz(crop.image.as_ref())
        .or_else(|| unstretched(crop).and_then(|fixed| host.read_mrz(fixed.as_ref())))
        .or_else(|| host.read_mrz(image))
    {
        return Some(zone);
    }
    let sideways = card
        .page
        .lines()
        .iter()
        .any(|l| l.height() > 2.0 * (l.right - l.left));
    let turns: &[u32] = if sideways { &[1, 3] } else { &[2] };
    zone_turned(host, crop, turns)
}

/// The first MRZ found on `crop` turned by each of `quarter_turns` in order.
fn zone_turned(host: &Host<'_>, crop: &DocumentCrop, quarter_turns: &[u32]) -> Option<Mrz> {
    quarter_turns
        .iter()
        .find_map(|&t| host.read_mrz(turn_image(&crop.image, t).as_ref()))
}

/// The crop squeezed back to the shape of the region it was cut from, when that region was far
/// from card-shaped (e.g. only a card's light MRZ band, stretched to 1000x630, which makes the
/// characters too tall to read). `None` when the crop already has about the region's shape.
pub fn unstretched(crop: &DocumentCrop) -> Option<OwnedImage> {
    let [p0, p1, p2, p3] = crop.quad.points;
    let dist = |a: Point, b: Point| (b.x - a.x).hypot(b.y - a.y);
    let across = (dist(p0, p1) + dist(p3, p2)) / 2.0;
    let down = (dist(p0, p3) + dist(p1, p2)) / 2.0;
    let (w, h) = if crop.rotation_degrees % 180 == 90 {
        (down, across)
    } else {
        (across, down)
    };
    let (cw, ch) = (crop.image.width as usize, crop.image.height as usize);
    if !(w > 0.0 && h > 0.0) || cw == 0 || ch == 0 || crop.image.rgb.len() != cw * ch * 3 {
        return None;
    }
    let target = (cw as f32 * h / w).round() as usize;
    if target >= ch * 3 / 4 || target < 16 {
        return None;
    }
    // Average the source rows that fall into each output row.
    let src = crop.image.rgb.as_slice();
    let mut out = vec![0u8; cw * target * 3];
    for y in 0..target {
        let from = y * ch / target;
        let to = ((y + 1) * ch / target).max(from + 1).min(ch);
        let rows = (to - from) as u32;
        for x in 0..cw * 3 {
            let sum: u32 = (from..to).map(|r| src[r * cw * 3 + x] as u32).sum();
            out[y * cw * 3 + x] = (sum / rows) as u8;
        }
    }
    Some(OwnedImage {
        width: cw as u32,
        height: target as u32,
        rgb: out.into(),
    })
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

/// Latin Extended-A (U+0100 to U+017F) letters by their base letter; `?` where there is none.
const EXTENDED_A_BASE: &str = "AaAaAaCcCcCcCcDd??EeEeEeEeEeGgGgGgGgHh??IiIiIiIiI???JjKk?LlLlLl????NnNnNn???OoOoOo??RrRrRrSsSsSsSsTtTt??UuUuUuUuUuUuWwYyYZzZzZz?";

/// A name as a Spanish-language card prints it: letters that Spanish does not use but OCR
/// sometimes returns (`Ġ`, `Ċ`, `Ż`) become their base letter; Spanish letters (`Ñ`, `Á`, `Ü`)
/// are kept.
pub fn spanish_name(text: &str) -> String {
    text.chars()
        .map(|c| {
            let code = c as u32;
            if (0x100..0x180).contains(&code) {
                match EXTENDED_A_BASE.as_bytes()[(code - 0x100) as usize] {
                    b'?' => c,
                    base => base as char,
                }
            } else {
                c
            }
        })
        .collect()
}

/// Where `label` (folded) stands in `text`'s folded characters, as a character range: an exact
/// occurrence, else (for labels of 6 characters or more) the first stretch within one edit of
/// it (two for labels of 12 or more), so that a label read with a letter missing
/// (`LOCALDAD`, `APELIDOS`) is still found. Near matches compare the one-stroke letters alike
/// (`l`, `I`, `1`, `|`): a small `ll` read `ii` (`Apeiidos`) is one edit from `APELLIDOS`; and a
/// label read without its `I`s (`NACMENTO`) matches when it keeps five letters without them.
pub fn label_span(text: &str, label: &str) -> Option<(usize, usize)> {
    let folded: Vec<char> = fold(text).chars().collect();
    let wanted: Vec<char> = label.chars().collect();
    let n = wanted.len();
    if n == 0 || folded.is_empty() {
        return None;
    }
    if folded.len() >= n {
        if let Some(start) = folded.windows(n).position(|w| w == wanted.as_slice()) {
            return Some((start, start + n));
        }
    }
    let allowed = match n {
        0..=5 => return None,
        6..=11 => 1,
        _ => 2,
    };
    // Small print loses its thin letters: `NACMENTO`, `VIGENCA`, `EMSÓN` are the labels with
    // their `I`s dropped. Labels that keep five letters without them are also compared so.
    let thin = |chars: &[char]| -> Vec<char> {
        let kept = chars.iter().copied().filter(|&c| c != 'I');
        kept.map(one_stroke).collect()
    };
    let wanted_thin = thin(&wanted);
    let dropped = if wanted_thin.len() >= 5 {
        n - wanted_thin.len()
    } else {
        0
    };
    let alike: Vec<char> = folded.iter().copied().map(one_stroke).collect();
    let wanted: Vec<char> = wanted.into_iter().map(one_stroke).collect();
    for start in 0..folded.len() {
        // A label starts a word.
        if start > 0 && folded[start - 1].is_alphanumeric() {
            continue;
        }
        // The stretch nearest the label, the label's own length first on a tie.
        let nearest = ((n - allowed - dropped).max(1)..=(n + allowed))
            .filter(|len| start + len <= folded.len())
            .map(|len| {
                let stretch = start..start + len;
                let whole = edit_distance_chars(&alike[stretch.clone()], &wanted);
                let without_thin = if dropped > 0 {
                    edit_distance_chars(&thin(&folded[stretch]), &wanted_thin)
                } else {
                    usize::MAX
                };
                (whole.min(without_thin), len.abs_diff(n), len)
            })
            .min();
        if let Some((_, _, len)) = nearest.filter(|best| best.0 <= allowed) {
            return Some((start, start + len));
        }
    }
    None
}

/// A folded character as the recogniser confuses it in small print: the one-stroke letters
/// and digit (`l`, `I`, `i`, `1`, `|`, all folded to capitals) are one character, and `0` is `O`.
fn one_stroke(c: char) -> char {
    match c {
        'L' | '1' | '|' => 'I',
        '0' => 'O',
        other => other,
    }
}

/// Whether the line carries `label` (given folded, e.g. `"NACIMIENTO"`; see [`label_span`]).
pub fn has_label(line: &Line, label: &str) -> bool {
    label_span(&line.text, label).is_some()
}

/// The first line (in reading order) carrying `label`: an exact occurrence anywhere on the page
/// first, then a near one.
pub fn find_label<'p>(page: &'p Page, label: &str) -> Option<&'p Line> {
    page.lines()
        .iter()
        .find(|l| fold(&l.text).contains(label))
        .or_else(|| page.lines().iter().find(|l| has_label(l, label)))
}

/// What follows `label` on its line, or, when nothing does, the next line to its right in the
/// same row; trimmed of spaces, colons and dots. `None` when the label is not on the page or
/// nothing follows it. The confidence is the line's.
pub fn text_after_label(page: &Page, label: &str) -> Option<(String, f32)> {
    let line = find_label(page, label)?;
    let (_, end) = label_span(&line.text, label)?;
    let rest: String = line.text.chars().skip(end).collect();
    let rest = rest.trim_matches(|c: char| c.is_whitespace() || c == ':' || c == '.');
    if !rest.is_empty() {
        return Some((rest.to_string(), line.confidence));
    }
    let next = page
        .right_of(line)
        .or_else(|| value_over_label_end(page, line))?;
    Some((next.text.clone(), next.confidence))
}

/// The nearest line of `label`'s row that starts right of the label's middle: a value whose box
/// reaches back over the end of its label (a wide box on a tightly cropped card), which
/// [`Page::right_of`] does not take.
fn value_over_label_end<'p>(page: &'p Page, label: &Line) -> Option<&'p Line> {
    let middle = (label.left + label.right) / 2.0;
    page.lines()
        .iter()
        .filter(|l| !std::ptr::eq(*l, label) && l.same_row(label) && l.left > middle)
        .min_by(|a, b| a.left.total_cmp(&b.left))
}

/// The first whitespace-separated token.
pub fn first_token(text: &str) -> &str {
    text.split_whitespace().next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Rect, TextLine};

    fn line(text: &str, x: f32, y: f32, w: f32) -> TextLine {
        TextLine::latin(text, Rect::new(x, y, w, 20.0), 0.9)
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
        // A value box reaching back over the end of its label is still its value.
        let tight = Page::new(
            &[
                line("AÑO DE REGISTRO", 658.0, 346.0, 176.0),
                line("1998 08", 819.0, 345.0, 101.0),
            ],
            1000,
            630,
        );
        assert_eq!(
            text_after_label(&tight, "DE REGISTRO")
                .map(|(t, _)| t)
                .as_deref(),
            Some("1998 08")
        );
    }

    #[test]
    fn labels_are_found_with_a_letter_missing() {
        assert_eq!(label_span("LOCALDAD 0001", "LOCALIDAD"), Some((0, 8)));
        assert_eq!(label_span("Apelidos", "APELLIDOS"), Some((0, 8)));
        assert_eq!(label_span("CURP X", "CURP"), Some((0, 4)));
        assert_eq!(label_span("CUR X", "CURP"), None);
        assert_eq!(
            label_span("INSTITUTO NACIONAL ELECTORAL", "CLAVE DE ELECTOR"),
            None
        );
    }

    #[test]
    fn small_double_l_read_as_i_is_still_the_label() {
        assert_eq!(label_span("Apeiidos", "APELLIDOS"), Some((0, 8)));
        assert_eq!(label_span("Ape11idos", "APELLIDOS"), Some((0, 9)));
        // Still one edit at most: a name is not a label.
        assert_eq!(label_span("PADILLA", "APELLIDOS"), None);
        assert_eq!(label_span("DIAZ SANCHEZ", "APELLIDOS"), None);
    }

    #[test]
    fn labels_read_without_their_thin_letters_are_found() {
        assert_eq!(
            label_span("FECHA D NACMENTO 01/03/1986", "NACIMIENTO"),
            Some((8, 16))
        );
        assert_eq!(label_span("VIGENCA 2021-2031", "VIGENCIA"), Some((0, 7)));
        assert_eq!(label_span("EMSÓN", "EMISION"), Some((0, 5)));
        assert_eq!(label_span("SECCON 0116", "SECCION"), Some((0, 6)));
        // Not a stretch too short, nor other words.
        assert_eq!(label_span("MENTO", "NACIMIENTO"), None);
        assert_eq!(label_span("GUTIERREZ", "NACIMIENTO"), None);
        assert_eq!(label_span("MARTINEZ", "VIGENCIA"), None);
    }

    #[test]
    fn a_stretched_band_is_squeezed_back() {
        use crate::types::{Quad, Rect};
        let crop = |height: f32| DocumentCrop {
            quad: Quad::from_rect(Rect {
                x: 0.0,
                y: 0.0,
                width: 1000.0,
                height,
            }),
            image: OwnedImage {
                width: 100,
                height: 63,
                rgb: vec![200; 100 * 63 * 3].into(),
            },
            rotation_degrees: 0,
        };
        let fixed = unstretched(&crop(200.0)).unwrap();
        assert_eq!((fixed.width, fixed.height), (100, 20));
        assert!(fixed.rgb.iter().all(|&v| v == 200));
        assert!(unstretched(&crop(630.0)).is_none());
    }

    #[test]
    fn spanish_names_lose_foreign_dots() {
        assert_eq!(spanish_name("ĠARCIA MUÑOZ"), "GARCIA MUÑOZ");
    }

    #[test]
    fn folding_keeps_one_character_per_character() {
        assert_eq!(fold("Sección Año"), "SECCION ANO");
        assert_eq!(fold("Ñandú").chars().count(), "Ñandú".chars().count());
    }
}
