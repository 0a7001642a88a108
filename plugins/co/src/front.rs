//! The front: number, surnames, given names (both models); on the digital model also the data
//! the yellow card printed on its back, returned under `details`.

use kycd_plugin_api::card_reading::{
    find_label, fold, has_label, read_card, spanish_name, text_after_label,
};
use kycd_plugin_api::prelude::*;
use serde_json::{json, Map, Value};

use crate::dates;

/// Words of other countries' look-alike cédulas (and documents) whose header is not Colombia's.
const OTHER_COUNTRIES: [&str; 6] = ["ECUADOR", "VENEZUELA", "PERU", "BOLIVIA", "PANAMA", "CHILE"];

/// Whether the page's header names Colombia (and no other country).
pub fn names_colombia(page: &Page) -> bool {
    let text = fold(&page.full_text());
    text.contains("COLOMBIA") && !names_other_country(&text)
}

/// Whether folded page text names another country.
fn names_other_country(text: &str) -> bool {
    OTHER_COUNTRIES.iter().any(|c| text.contains(c))
}

/// [`score`] of a front whose labels alone say it is a Colombian cédula: the yellow card's four
/// (`CEDULA`, `NUMERO`, `APELLIDOS`, `NOMBRES`) all in that order, or four or five of the digital
/// card's (`CEDULA`, `NUIP`, `APELLIDOS`, `NOMBRES`, `NACIMIENTO`) mostly in order.
const LABELS_ALONE: i32 = 7;

/// Whether the page is a Colombian front even though its `REPÚBLICA DE COLOMBIA` header was not
/// read (cut off by a crop a few percent off, or under glare): its model's labels in their
/// order ([`LABELS_ALONE`]), or a digital front's `CÉDULA` title with `COL` under its
/// nationality label; and no other country named.
fn colombian_labels(page: &Page) -> bool {
    let nationality_col = || {
        find_label(page, "CEDULA").is_some()
            && under(page, "NACIONALIDAD").is_some_and(|l| fold(&l.text).trim() == "COL")
    };
    (score(page) >= LABELS_ALONE || nationality_col())
        && !names_other_country(&fold(&page.full_text()))
}

/// Layout evidence for choosing the upright reading: labels found, in the right vertical order.
fn score(page: &Page) -> i32 {
    let top = |label: &str| find_label(page, label).map(|l| l.top);
    let orders: [&[&str]; 2] = [
        &[
            "COLOMBIA",
            "CEDULA",
            "NUIP",
            "APELLIDOS",
            "NOMBRES",
            "NACIMIENTO",
        ],
        &["COLOMBIA", "CEDULA", "NUMERO", "APELLIDOS", "NOMBRES"],
    ];
    orders
        .iter()
        .map(|order| {
            let found: Vec<f32> = order.iter().filter_map(|l| top(l)).collect();
            found.len() as i32 + found.windows(2).filter(|w| w[0] < w[1]).count() as i32
        })
        .max()
        .unwrap_or(0)
}

/// Labels of both models' fronts and backs, which are never values.
const LABEL_WORDS: [&str; 14] = [
    "APELLIDOS",
    "NOMBRES",
    "NUIP",
    "NUMERO",
    "FIRMA",
    "NACIONALIDAD",
    "ESTATURA",
    "SEXO",
    "NACIMIENTO",
    "EXPEDICION",
    "EXPIRACION",
    "G.S",
    "INDICE",
    "COLOMBIA",
];

/// Whether the line is one of the card's labels, also when read a letter off (`Apeiidos`).
fn is_label(line: &Line) -> bool {
    LABEL_WORDS.iter().any(|label| has_label(line, label))
}

/// The nearest line in `anchor`'s column whose centre lies beyond the anchor's centre in the
/// direction `sign` (1: below, -1: above), within `max_gap` line heights; labels skipped. By
/// centres, because on a photo a value's box often overlaps its label's.
fn neighbour<'p>(page: &'p Page, anchor: &Line, sign: f32, max_gap: f32) -> Option<&'p Line> {
    let h = anchor.height().max(1.0);
    page.lines()
        .iter()
        .filter(|l| !std::ptr::eq(*l, anchor) && !is_label(l))
        .map(|l| (l, sign * (l.middle() - anchor.middle())))
        .filter(|(_, d)| *d > 0.3 * h && *d < (max_gap + 1.0) * h + 0.5 * h)
        .filter(|(l, _)| {
            l.horizontal_overlap(anchor) > 0.0 || (l.left - anchor.left).abs() < 2.0 * h
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(l, _)| l)
}

/// The nearest value line above `anchor` in its column, within `max_gap` line heights.
pub fn above<'p>(page: &'p Page, anchor: &Line, max_gap: f32) -> Option<&'p Line> {
    neighbour(page, anchor, -1.0, max_gap)
}

/// The value printed under `label`.
fn under<'p>(page: &'p Page, label: &str) -> Option<&'p Line> {
    find_label(page, label).and_then(|l| neighbour(page, l, 1.0, 1.5))
}

/// The value printed over `label`.
fn over<'p>(page: &'p Page, label: &str) -> Option<&'p Line> {
    find_label(page, label).and_then(|l| above(page, l, 1.5))
}

/// The number as printed (`1.136.879.353`) from an OCR reading: digits (look-alikes repaired),
/// 6 to 10 of them, regrouped by thousands with dots.
pub fn card_number(text: &str) -> Option<String> {
    let token = text.split_whitespace().next()?;
    let digits: String = token
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | '\'' | ' '))
        .map(|c| match c {
            'O' | 'o' | 'D' | 'Q' => '0',
            'I' | 'l' | 'L' | '|' => '1',
            'S' => '5',
            'B' => '8',
            other => other,
        })
        .collect();
    if !(6..=10).contains(&digits.len()) || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    Some(out)
}

/// A name line: letters, spaces and the usual name signs; labels and numbers are not names.
fn is_name(line: &Line) -> bool {
    let text = fold(&line.text);
    text.chars().any(|c| c.is_alphabetic())
        && text
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '\'')
        && !is_label(line)
}

/// A name as the cédula prints it: upper case without accents on vowels (the Registraduría
/// writes `GOMEZ`, not `GÓMEZ`), `Ñ` kept; letters foreign to Spanish folded.
fn cedula_name(text: &str) -> String {
    spanish_name(text)
        .chars()
        .map(|c| match c {
            'Ñ' => 'Ñ',
            other => fold(&other.to_string()).chars().next().unwrap_or(other),
        })
        .collect()
}

fn name_field(key: &str, line: Option<&Line>) -> Field {
    match line.filter(|l| is_name(l)) {
        Some(l) => Field::ocr(key, cedula_name(&l.text), l.confidence),
        None => Field::ocr(key, "", 0.0),
    }
}

/// The name lines that follow the number's line in its column, top down: each within three
/// line heights of the one before, starting within three heights of the number's left edge.
/// For a front whose `APELLIDOS` / `NOMBRES` labels were not read (both models print the
/// surnames first, then the given names, under the number).
fn names_after_number<'p>(page: &'p Page, number: &str) -> Vec<&'p Line> {
    let Some(anchor) = page
        .lines()
        .iter()
        .find(|l| card_number(&l.text).as_deref() == Some(number))
    else {
        return Vec::new();
    };
    let h = anchor.height().max(1.0);
    let mut column: Vec<&Line> = page
        .lines()
        .iter()
        .filter(|l| l.middle() > anchor.middle() + 0.5 * h)
        .filter(|l| (l.left - anchor.left).abs() < 3.0 * h)
        .collect();
    column.sort_by(|a, b| a.middle().total_cmp(&b.middle()));
    let mut names = Vec::new();
    let mut last = anchor.middle();
    for line in column {
        if line.middle() - last > 3.0 * h || names.len() == 2 {
            break;
        }
        if is_name(line) {
            names.push(line);
            last = line.middle();
        } else if !is_label(line) {
            break;
        }
    }
    names
}

/// What the digital front prints that the yellow card printed on its back.
fn digital_back_data(page: &Page) -> Value {
    let mut data = Map::new();
    if let Some((date, _)) = under(page, "NACIMIENTO").and_then(|l| dates::parse(&l.text)) {
        data.insert("DateOfBirth".into(), dates::format(date).into());
    }
    if let Some(l) = under(page, "ESTATURA") {
        data.insert("Height".into(), l.text.clone().into());
    }
    if let Some(l) = under(page, "G.S.") {
        data.insert("BloodType".into(), l.text.clone().into());
    }
    if let Some(l) = under(page, "SEXO") {
        data.insert("Gender".into(), l.text.clone().into());
    }
    if let Some((date, place)) = under(page, "EXPEDICION").and_then(|l| dates::parse(&l.text)) {
        data.insert("DateOfIssue".into(), dates::format(date).into());
        data.insert("PlaceOfIssue".into(), place.into());
    }
    if let Some((date, _)) = under(page, "EXPIRACION").and_then(|l| dates::parse(&l.text)) {
        data.insert("DateOfExpiry".into(), dates::format(date).into());
    }
    Value::Object(data)
}

/// Reads the front.
pub fn extract(host: &Host<'_>, image: ImageRef<'_>) -> Result<Extraction, ExtractError> {
    let card = read_card(host, image, score, 8);
    let page = &card.page;
    if !names_colombia(page) && !colombian_labels(page) {
        return Err(ExtractError::not_this_document(
            "no Colombian cédula header (REPÚBLICA DE COLOMBIA)",
        ));
    }
    let digital = ["NUIP", "NACIONALIDAD", "NACIMIENTO", "EXPEDICION"]
        .iter()
        .any(|l| find_label(page, l).is_some());
    let yellow = !digital && find_label(page, "NUMERO").is_some();
    if !digital && !yellow && find_label(page, "CEDULA").is_none() {
        return Err(ExtractError::not_this_document("no cédula labels"));
    }
    let (number, surname, given) = if digital {
        (
            text_after_label(page, "NUIP")
                .and_then(|(t, c)| card_number(&t).map(|n| (n, c)))
                .or_else(|| {
                    under(page, "NUIP")
                        .and_then(|l| card_number(&l.text).map(|n| (n, l.confidence)))
                }),
            under(page, "APELLIDOS"),
            under(page, "NOMBRES"),
        )
    } else {
        (
            text_after_label(page, "NUMERO").and_then(|(t, c)| card_number(&t).map(|n| (n, c))),
            over(page, "APELLIDOS"),
            over(page, "NOMBRES"),
        )
    };
    // Fallback: a dotted number anywhere on the card.
    let number = number.or_else(|| {
        page.lines().iter().find_map(|l| {
            (l.text.matches('.').count() >= 2)
                .then(|| card_number(&l.text).map(|n| (n, l.confidence)))
                .flatten()
        })
    });
    // A label lost (small print on a photo): the two name lines follow the number in its
    // column, surnames first.
    let (surname, given) = match (&number, surname.is_none() || given.is_none()) {
        (Some((n, _)), true) => {
            let names = names_after_number(page, n);
            (
                surname.or(names.first().copied()),
                given.or(names.get(1).copied()),
            )
        }
        _ => (surname, given),
    };
    if number.is_none() && surname.is_none() {
        return Err(ExtractError::unreadable(
            "neither the number nor the names could be read",
        ));
    }
    let fields = vec![
        match &number {
            Some((n, c)) => Field::ocr("CardNumber", n.clone(), *c),
            None => Field::ocr("CardNumber", "", 0.0),
        },
        name_field("Surname", surname),
        name_field("GivenNames", given),
    ];
    let mut details = json!({
        "side": "front",
        "model": if digital { "digital" } else { "yellow" },
    });
    if digital {
        details["back"] = digital_back_data(page);
    }
    Ok(Extraction::new(fields).with_details(details))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line of text `w` wide and 30 high with its top-left corner at (`x`, `y`).
    fn line(text: &str, x: f32, y: f32, w: f32) -> TextLine {
        TextLine::latin(text, Rect::new(x, y, w, 30.0), 0.99)
    }

    /// A yellow front as read from a crop a few percent low, its header cut off (the fixed
    /// corpus's photo `co-cedula-0000-front-photo`).
    fn headless_yellow(extra: &str) -> Page {
        let lines = [
            line("CEDULA DE CIUDADANIA", 30.0, 28.0, 286.0),
            line("NUMERO", 32.0, 90.0, 80.0),
            line("60.981.762", 137.0, 80.0, 198.0),
            line("HERNANDEZ DIAZ", 28.0, 160.0, 285.0),
            line("APELLIDOS", 34.0, 206.0, 99.0),
            line("PAOLA ANDREA", 31.0, 258.0, 250.0),
            line("NOMBRES", 32.0, 301.0, 93.0),
            line(extra, 52.0, 490.0, 64.0),
        ];
        Page::new(&lines, 1000, 630)
    }

    #[test]
    fn a_front_without_its_header_is_known_by_its_labels_in_order() {
        let page = headless_yellow("FIRMA");
        assert!(!names_colombia(&page));
        assert!(colombian_labels(&page));
        // Another country's card with the same words is not taken.
        assert!(!colombian_labels(&headless_yellow("REPUBLICA DEL ECUADOR")));
        // Labels out of order (the names above the number's label) are not enough.
        let shuffled = [
            line("CEDULA DE CIUDADANIA", 30.0, 28.0, 286.0),
            line("APELLIDOS", 34.0, 90.0, 99.0),
            line("NOMBRES", 32.0, 150.0, 93.0),
            line("NUMERO", 32.0, 301.0, 80.0),
        ];
        assert!(!colombian_labels(&Page::new(&shuffled, 1000, 630)));
    }

    #[test]
    fn a_digital_front_without_its_header_is_known_by_its_nationality() {
        // Seed-7 digital front photo 0009: header cut off, NUIP and APELLIDOS labels lost.
        let lines = |nationality: &str| {
            let read = [
                line("CÉDULA DE CIUDADANÍA", 36.0, 16.0, 304.0),
                line("1.036.117.485", 318.0, 93.0, 212.0),
                line("DIAZ HERNANDEZ", 319.0, 164.0, 287.0),
                line("Nombres", 320.0, 212.0, 85.0),
                line("SANDRA", 318.0, 240.0, 150.0),
                line("Nacionalidad", 324.0, 289.0, 105.0),
                line(nationality, 323.0, 322.0, 64.0),
                line("Fecha de nacimiento", 324.0, 362.0, 162.0),
                line("23-DIC-1995", 324.0, 395.0, 151.0),
            ];
            Page::new(&read, 1000, 630)
        };
        assert!(colombian_labels(&lines("COL")));
        assert!(!colombian_labels(&lines("ECU")));
    }

    #[test]
    fn names_lose_vowel_accents_but_keep_enye() {
        assert_eq!(cedula_name("ÓSPINA MUÑOZ"), "OSPINA MUÑOZ");
    }

    #[test]
    fn card_number_is_regrouped_with_dots() {
        assert_eq!(
            card_number("1.136.879.353").as_deref(),
            Some("1.136.879.353")
        );
        assert_eq!(card_number("1136879353").as_deref(), Some("1.136.879.353"));
        assert_eq!(card_number("57.873,2I0").as_deref(), Some("57.873.210"));
        assert_eq!(card_number("35.119.001 X").as_deref(), Some("35.119.001"));
        assert!(card_number("NUIP").is_none());
        assert!(card_number("12.345").is_none());
    }
}
