//! `ocr/de/id-card`: the identity card (Personalausweis), 2010 (nPA) and 2021 models. The front
//! is read by its trilingual labels; the back answers from its TD1 machine-readable zone.

use kycd_plugin_api::checks::{
    icao_check_digit, is_plausible_birth_date, is_valid_german_id_number, Date, GERMAN_ID_ALPHABET,
};
use kycd_plugin_api::diacritics::{reread_line, with_more_diacritics};
use kycd_plugin_api::mrz_identity::{mrz_transliteration, today, MrzIdentity};
use kycd_plugin_api::prelude::*;
use kycd_plugin_api::text::{edit_distance, normalize};
use serde_json::json;

use kycd_plugin_api::card_reading::{read_card, read_mrz_upright, CardReading};

use crate::reading::{above, ink_colour};
use crate::values::{card_number, format_long, parse_long_date, umlauts};

/// The route.
pub const ROUTE: &str = "ocr/de/id-card";

/// The keys, in answer order.
pub const KEYS: [&str; 7] = [
    "CardNumber",
    "Surname",
    "GivenNames",
    "DateOfBirth",
    "PlaceOfBirth",
    "DateOfExpiry",
    "Nationality",
];

/// How the card prints the nationality of every holder.
const GERMAN: &str = "DEUTSCH";

/// A printed label of the front, by the words of its three languages.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Label {
    Surname,
    GivenNames,
    BirthDate,
    Nationality,
    BirthPlace,
    Expiry,
}

impl Label {
    const ALL: [Label; 6] = [
        Label::Surname,
        Label::GivenNames,
        Label::BirthDate,
        Label::Nationality,
        Label::BirthPlace,
        Label::Expiry,
    ];

    /// Normalised words any one of which identifies the label (German, English, French, and
    /// the pieces OCR usually keeps of them).
    fn words(self) -> &'static [&'static str] {
        match self {
            Label::Surname => &[
                "surname", "sumame", "urname", "name sur", "name sum", "name nom",
            ],
            Label::GivenNames => &[
                "vornamen", "vomamen", "vomnamen", "given", "prénoms", "prenoms", "names pr",
            ],
            Label::BirthDate => &[
                "geburtstag",
                "date of birth",
                "de naissance d",
                "of birth d",
            ],
            Label::Nationality => &["staatsang", "nationality", "nationalit"],
            Label::BirthPlace => &["geburtsort", "place of", "lieu de"],
            Label::Expiry => &["gültig", "gultig", "expiry", "expiration", "of exp"],
        }
    }

    fn in_line(self, line: &Line) -> bool {
        let text = normalize(&line.text);
        let named = self.words().iter().any(|w| text.contains(w));
        match self {
            // "Name" alone starts the surname label (after the 2021 model's "a"); a line of it
            // alone (`Name/`, the rest of the label lost) in the labels' mixed case, not a
            // value's capitals.
            Label::Surname => {
                !Label::GivenNames.in_line(line)
                    && (named
                        || text.starts_with("name ")
                        || text.starts_with("a name ")
                        || (text == "name" && line.text.chars().any(char::is_lowercase)))
            }
            _ => named,
        }
    }
}

/// Lines that only the front's header prints.
fn is_front_header(line: &Line) -> bool {
    let text = normalize(&line.text);
    [
        "bundesrepublik",
        "personalausweis",
        "identity card",
        "federal republic",
        "carte d",
    ]
    .iter()
    .any(|w| text.contains(w))
}

/// Words only a German card prints (its header, its German labels).
fn shows_german(line: &Line) -> bool {
    let text = normalize(&line.text);
    [
        "bundesrepublik",
        "deutschland",
        "personalausweis",
        "germany",
        "allemagne",
        "geburtstag",
        "geburtsort",
        "staatsang",
        "gültig",
        "gultig",
        "vornamen",
    ]
    .iter()
    .any(|w| text.contains(w))
}

/// Labels that only the back prints.
fn is_back_label(line: &Line) -> bool {
    let text = normalize(&line.text);
    [
        "anschrift",
        "augenfarbe",
        "colour of eyes",
        "behörde",
        "authority",
        "größe",
        "height",
    ]
    .iter()
    .any(|w| text.contains(w))
}

/// A line shaped like an MRZ row: long, in the MRZ alphabet, with filler runs.
fn is_mrz_row(line: &Line) -> bool {
    let compact: String = line.text.chars().filter(|c| !c.is_whitespace()).collect();
    let in_alphabet = compact
        .chars()
        .filter(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '<')
        .count();
    compact.chars().count() >= 20
        && in_alphabet * 10 >= compact.chars().count() * 9
        && compact.contains("<<")
}

/// The front's evidence: its labels read, one for a header line, and two more for the
/// document's own title (`PERSONALAUSWEIS`, printed on no other card), so that a photo whose
/// small labels were all lost is still read by its values' places.
fn front_score(page: &Page) -> usize {
    let labels = Label::ALL
        .iter()
        .filter(|label| page.lines().iter().any(|l| label.in_line(l)))
        .count();
    let titled = page
        .lines()
        .iter()
        .any(|l| normalize(&l.text).contains("personalausweis"));
    labels + usize::from(page.lines().iter().any(is_front_header)) + 2 * usize::from(titled)
}

fn back_score(page: &Page) -> usize {
    2 * page.lines().iter().filter(|l| is_mrz_row(l)).count().min(3)
        + page
            .lines()
            .iter()
            .filter(|l| is_back_label(l))
            .count()
            .min(3)
}

/// The better side's score, plus three when the page reads upright (the header above the
/// rest on the front, the zone below the rest on the back), so that the upright one of the two
/// levelled readings wins.
fn layout_score(page: &Page) -> i32 {
    let lines = page.lines();
    let (header, rest): (Vec<&Line>, Vec<&Line>) = lines.iter().partition(|l| is_front_header(l));
    let (rows, others): (Vec<&Line>, Vec<&Line>) = lines.iter().partition(|l| is_mrz_row(l));
    let upright = above(&header, &rest) || above(&others, &rows);
    (front_score(page).max(back_score(page)) + 3 * usize::from(upright)) as i32
}

/// Reads the identity card, front or back.
pub fn extract(request: &Request<'_>, host: &Host<'_>) -> Result<Extraction, ExtractError> {
    let reading = read_card(host, request.image(), layout_score, 7);
    let (front, back) = (front_score(&reading.page), back_score(&reading.page));
    if front >= 3 && front >= back {
        // Other cards print the English labels too: a German front also shows German words.
        if !reading.page.lines().iter().any(shows_german) {
            return Err(ExtractError::not_this_document(
                "labels of an identity card, but not the German one's",
            ));
        }
        return front_side(&reading, request.image(), host);
    }
    if back >= 2 {
        return back_side(&reading, request.image(), host);
    }
    // No printed label: a bare MRZ (a cropped back) is still worth asking for.
    match read_mrz_upright(host, request.image(), &reading) {
        Some(mrz) => from_mrz(&mrz, &reading),
        None => Err(ExtractError::not_this_document(
            "no German identity card labels or machine-readable zone found",
        )),
    }
}

/// The value lines of the first row under `label`: lines that start within the label's width,
/// whose centres are below the label's row within about one and a half line heights
/// ([`Line::is_below`]: a value's box may overlap its label's row on a tight crop), and are not
/// labels themselves.
fn values_below<'p>(page: &'p Page, label: &Line) -> Vec<&'p Line> {
    let mut below: Vec<&Line> = page
        .lines()
        .iter()
        .filter(|l| l.is_below(label, 1.6))
        .filter(|l| l.left >= label.left - label.height() && l.left <= label.right)
        .filter(|l| !Label::ALL.iter().any(|k| k.in_line(l)) && !is_front_header(l))
        .collect();
    let Some(first) = below.iter().map(|l| l.middle()).min_by(f32::total_cmp) else {
        return below;
    };
    below.retain(|l| l.middle() <= first + 0.6 * l.height());
    below.sort_by(|a, b| a.left.total_cmp(&b.left));
    below
}

fn label_line(page: &Page, label: Label) -> Option<&Line> {
    page.find(|l| label.in_line(l))
}

fn text_below(page: &Page, label: Label) -> Option<&Line> {
    let line = label_line(page, label)?;
    values_below(page, line)
        .into_iter()
        .find(|l| parse_long_date(&l.text).is_none())
}

fn date_below(page: &Page, label: Label) -> Option<(Date, &Line)> {
    let line = label_line(page, label)?;
    values_below(page, line)
        .into_iter()
        .find_map(|l| parse_long_date(&l.text).map(|d| (d, l)))
}

/// A line that may be one of the front's values: in capitals as the front prints them (its
/// labels are mixed case), and neither a label nor the header.
fn is_value_line(line: &Line) -> bool {
    !line.text.chars().any(char::is_lowercase)
        && !Label::ALL.iter().any(|label| label.in_line(line))
        && !is_front_header(line)
}

/// The value on the row under the value `above`, in its column: a line starting within a line
/// height of its left edge, the next row down (not further than one and a half line heights
/// below it), in capitals as the front prints its values (labels are mixed case), and not a
/// label, a header line or a date.
fn next_value_below<'p>(page: &'p Page, above: &Line) -> Option<&'p Line> {
    let h = above.height();
    page.lines()
        .iter()
        .filter(|l| l.top > above.top + 0.5 * h && l.top < above.bottom + 1.5 * h)
        .filter(|l| (l.left - above.left).abs() < h)
        .filter(|l| is_value_line(l) && parse_long_date(&l.text).is_none())
        .min_by(|a, b| a.top.total_cmp(&b.top))
}

/// The surname when its label was lost (glare over small print): the top value of the values
/// column, which the front's first long date (the birth date) starts: a capitals line above
/// that date starting within a line height of its left edge, not a label, a header line, a
/// date or the card number.
fn first_value(page: &Page) -> Option<&Line> {
    let birth = page
        .lines()
        .iter()
        .filter(|l| parse_long_date(&l.text).is_some())
        .min_by(|a, b| a.top.total_cmp(&b.top))?;
    let h = birth.height();
    page.lines()
        .iter()
        .filter(|l| l.bottom <= birth.top && (l.left - birth.left).abs() < h)
        .filter(|l| is_value_line(l) && card_number(&l.text).is_none())
        .min_by(|a, b| a.top.total_cmp(&b.top))
}

/// The nationality below its label: the line right of the birth date when both labels were
/// read as one line.
fn nationality(page: &Page) -> Option<&Line> {
    let label = label_line(page, Label::Nationality)?;
    values_below(page, label)
        .into_iter()
        .rev()
        .find(|l| parse_long_date(&l.text).is_none())
}

fn front_side(
    reading: &CardReading,
    request_image: ImageRef<'_>,
    host: &Host<'_>,
) -> Result<Extraction, ExtractError> {
    let page = &reading.page;
    let today = today();
    // The card number is the one line in the number alphabet; it sits top right.
    // Above the surname label (the page may be a whole photo, not the card alone).
    let number_limit = label_line(page, Label::Surname).map_or(f32::MAX, |l| l.top);
    let number = page
        .lines()
        .iter()
        .filter(|l| l.bottom <= number_limit)
        .find_map(|l| card_number(&l.text).map(|n| (n, l)));
    let surname = text_below(page, Label::Surname).or_else(|| first_value(page));
    let (Some((number, number_line)), Some(surname)) = (number, surname) else {
        return Err(ExtractError::unreadable(
            "German identity card front, but the card number or the surname is unreadable",
        ));
    };
    let given = text_below(page, Label::GivenNames);
    let place = text_below(page, Label::BirthPlace);
    // Dates by label; when a label was lost, the front's only two dates are birth then expiry.
    let dates: Vec<(Date, &Line)> = page
        .lines()
        .iter()
        .filter_map(|l| parse_long_date(&l.text).map(|d| (d, l)))
        .collect();
    let birth = date_below(page, Label::BirthDate).or_else(|| (dates.len() == 2).then(|| dates[0]));
    // A label lost (its small print on a photo): the given names are the values column's next
    // row under the surname, the place of birth the next row under the birth date.
    let given = given.or_else(|| next_value_below(page, surname));
    let place = place.or_else(|| birth.and_then(|(_, line)| next_value_below(page, line)));
    let expiry = date_below(page, Label::Expiry).or_else(|| (dates.len() == 2).then(|| dates[1]));
    // The nationality under its label; when that label was lost (photos) or what lies under it
    // is not the word, the line that reads as the word itself.
    let is_german = |l: &Line| edit_distance(&l.text.to_uppercase(), GERMAN) <= 2;
    let nationality = match nationality(page) {
        Some(l) if is_german(l) => Some(l),
        other => page
            .find(|l| edit_distance(&l.text.to_uppercase(), GERMAN) <= 1)
            .or(other),
    };

    let in_order = match (birth, expiry) {
        (Some((b, _)), Some((e, _))) => b < e,
        _ => false,
    };
    // The image the lines were read on: a name's umlauts lost in the batch are read again there.
    let image = reading
        .crop
        .as_ref()
        .map_or(request_image, |c| c.image.as_ref());
    let name = |key: &str, line: &Line| {
        let first = umlauts(&line.text);
        let value = reread_line(host, image, line)
            .and_then(|reread| with_more_diacritics(&first, &umlauts(&reread)))
            .unwrap_or(first);
        Field::ocr(key, value, line.confidence)
    };
    let text = |key: &str, line: Option<&Line>| match line {
        Some(l) => name(key, l),
        None => Field::ocr(key, "", 0.0),
    };
    let fields = vec![
        Field::ocr("CardNumber", number.clone(), number_line.confidence)
            .checked(is_valid_german_id_number(&number)),
        name("Surname", surname),
        text("GivenNames", given),
        match birth {
            Some((d, l)) => Field::ocr("DateOfBirth", format_long(d), l.confidence)
                .checked(is_plausible_birth_date(d, today) && in_order),
            None => text("DateOfBirth", None),
        },
        text("PlaceOfBirth", place),
        match expiry {
            Some((d, l)) => {
                Field::ocr("DateOfExpiry", format_long(d), l.confidence).checked(in_order)
            }
            None => text("DateOfExpiry", None),
        },
        match nationality {
            Some(l) if edit_distance(&l.text.to_uppercase(), GERMAN) <= 2 => {
                Field::ocr("Nationality", GERMAN, l.confidence).checked(true)
            }
            line => text("Nationality", line),
        },
    ];
    // The number's ink, sampled where the line is on the crop (a levelled reading's boxes no
    // longer address the pixels: then only a wide, upright box is trusted).
    let upright_box = number_line.right - number_line.left > 2.5 * number_line.height();
    let red_number = upright_box
        && ink_colour(image, number_line.quad.bounds())
            .is_some_and(|[r, g, b]| r > g.max(b) + 40.0);
    let tagged_labels =
        label_line(page, Label::Surname).is_some_and(|l| normalize(&l.text).starts_with("a "));
    let model = if red_number || tagged_labels {
        "2021"
    } else {
        "2010"
    };
    let extraction = Extraction::new(fields);
    let mrz_names = json!({
        "Surname": mrz_transliteration(extraction.get("Surname").unwrap_or_default()),
        "GivenNames": mrz_transliteration(extraction.get("GivenNames").unwrap_or_default()),
    });
    Ok(extraction.with_details(json!({
        "side": "front",
        "model": model,
        "located": reading.crop.is_some(),
        "dates_in_order": in_order,
        "mrz_names": mrz_names,
    })))
}

fn back_side(
    reading: &CardReading,
    request_image: ImageRef<'_>,
    host: &Host<'_>,
) -> Result<Extraction, ExtractError> {
    match read_mrz_upright(host, request_image, reading) {
        Some(mrz) => from_mrz(&mrz, reading),
        None => Err(ExtractError::unreadable(
            "German identity card back, but its machine-readable zone is unreadable",
        )),
    }
}

/// Answers from a German identity card's TD1 zone, formatted as the front prints the values.
fn from_mrz(mrz: &Mrz, reading: &CardReading) -> Result<Extraction, ExtractError> {
    let id = MrzIdentity::from_mrz(mrz, today());
    if id.issuing_state != "D" || !id.document_code.starts_with('I') || id.format != "TD1" {
        return Err(ExtractError::not_this_document(
            "the machine-readable zone is not a German identity card's",
        ));
    }
    let raw_number = mrz
        .lines
        .first()
        .map(|l| l.as_str().to_string())
        .unwrap_or_default();
    let number_field = match (
        id.document_number.check_digit_valid,
        repair_number(&raw_number),
    ) {
        (Some(false), Some(repaired)) => Field::ocr("CardNumber", repaired, 0.9)
            .from_source("mrz")
            .checked(true),
        _ => id.document_number.field("CardNumber", |n| Some(n.clone())),
    };
    if number_field.value.is_empty() || id.surname.value.is_empty() {
        return Err(ExtractError::unreadable(
            "German identity card back, but the card number or the name is unreadable",
        ));
    }
    let date = |d: &Option<Date>| d.map(format_long);
    let fields = vec![
        number_field,
        id.surname.field("Surname", |s| Some(s.clone())),
        id.given_names.field("GivenNames", |s| Some(s.clone())),
        id.birth_date.field("DateOfBirth", date),
        Field::absent("PlaceOfBirth"),
        id.expiry_date.field("DateOfExpiry", date),
        id.nationality.field("Nationality", |n| {
            Some(if n == "D" {
                GERMAN.to_string()
            } else {
                n.clone()
            })
        }),
    ];
    Ok(Extraction::new(fields).with_details(json!({
        "side": "back",
        "located": reading.crop.is_some(),
        "mrz_checks_valid": id.all_checks_valid,
        "document_code": id.document_code,
        "issuing_state": id.issuing_state,
    })))
}

/// When the card number's check digit fails in the zone's first row, tries the OCR confusions
/// of the number alphabet (Z/2, and letters outside it read for digits) one at a time, then
/// two; returns the one variant whose check digit holds with the fewest swaps, or `None` when
/// none or several do. A number starts with a letter (its authority code's), so a digit read
/// first is one of the letters it looks like (`2TN8476HG` is `ZTN8476HG`).
fn repair_number(row1: &str) -> Option<String> {
    let chars: Vec<char> = row1.chars().collect();
    if chars.len() < 15 {
        return None;
    }
    let body: Vec<char> = chars[5..14].to_vec();
    let check = chars[14];
    let alternatives = |c: char| -> Vec<char> {
        let swaps: &[char] = match c {
            'Z' => &['2'],
            '2' => &['Z'],
            '0' | 'O' | 'D' | 'Q' => &['0'],
            '1' | 'I' => &['1'],
            '8' | 'B' => &['8'],
            '5' | 'S' => &['5'],
            '6' | 'G' => &['6', 'G'],
            '7' | 'T' => &['7', 'T'],
            _ => &[],
        };
        swaps.iter().copied().filter(|&s| s != c).collect()
    };
    let valid = |candidate: &[char]| {
        let s: String = candidate.iter().collect();
        candidate.first().is_some_and(char::is_ascii_alphabetic)
            && s.chars().all(|c| GERMAN_ID_ALPHABET.contains(c))
            && icao_check_digit(&s) == Some(check)
    };
    // One swap before two: a single slip is likelier than a pair, and among the pairs a wrong
    // variant passes the check digit about one time in ten.
    let (mut one_swap, mut two_swaps): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for i in 0..body.len() {
        for a in alternatives(body[i]) {
            let mut one = body.clone();
            one[i] = a;
            if valid(&one) {
                one_swap.push(one.iter().collect());
            }
            for j in i + 1..body.len() {
                for b in alternatives(body[j]) {
                    let mut two = one.clone();
                    two[j] = b;
                    if valid(&two) {
                        two_swaps.push(two.iter().collect());
                    }
                }
            }
        }
    }
    let mut found = if one_swap.is_empty() {
        two_swaps
    } else {
        one_swap
    };
    found.sort();
    found.dedup();
    (found.len() == 1).then(|| found.remove(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confused_number_is_repaired_only_when_one_variant_checks() {
        // Specimen T22000129, check digit 3; read with Z for the first 2.
        assert_eq!(
            repair_number("IDD<<TZ2000129 3<<<<<<<<<<<<<<<".replace(' ', "").as_str()),
            Some("T22000129".to_string())
        );
        assert_eq!(repair_number("IDD<<"), None);
    }

    #[test]
    fn a_digit_read_first_is_the_letter_it_looks_like() {
        // Seed-121 back photo: ZTN8476HG read 2TN8476HG; without the first-letter rule more
        // than one variant checks.
        let check = icao_check_digit("ZTN8476HG").unwrap();
        let row = format!("IDD<<2TN8476HG{check}<<<<<<<<<<<<<<<");
        assert_eq!(repair_number(&row), Some("ZTN8476HG".to_string()));
    }

    /// A line `w` wide and `h` high with its top-left corner at (`x`, `y`).
    fn line(text: &str, x: f32, y: f32, w: f32, h: f32) -> TextLine {
        TextLine::latin(text, Rect::new(x, y, w, h), 0.99)
    }

    /// A 2010 front as a photo reads it (the fixed corpus's `de-id-0000-front-photo`): the
    /// surname label cut to `Name/`, the given names' label lost, the place of birth's label
    /// read without its start.
    fn photo_page() -> Page {
        let lines = [
            line("BUNDESREPUBLIK DEUTSCHLAND", 27.0, 14.0, 511.0, 49.0),
            line("V4F7H9L3W", 723.0, 11.0, 239.0, 48.0),
            line("Name/", 317.0, 111.0, 60.0, 25.0),
            line("HAHN", 315.0, 128.0, 103.0, 41.0),
            line("UTE", 314.0, 185.0, 79.0, 43.0),
            line("10.08.1980", 315.0, 246.0, 167.0, 40.0),
            line("DEUTSCH", 653.0, 245.0, 166.0, 40.0),
            line("of birth / Lieu de naissance", 454.0, 289.0, 214.0, 25.0),
            line("ROSTOCK", 315.0, 305.0, 166.0, 40.0),
            line("09.07.2028", 314.0, 364.0, 169.0, 40.0),
        ];
        Page::new(&lines, 1000, 630)
    }

    #[test]
    fn a_front_whose_labels_were_all_lost_is_known_by_its_title() {
        let lines = [
            line("BUNDESREPUBLIK DEUTSCHLAND", 27.0, 7.0, 534.0, 52.0),
            line("PYXJTYG61", 740.0, 21.0, 226.0, 48.0),
            line(
                "PERSONALAUSWEIS / IDENTITY CARD / CARTE D'IDENTITE",
                29.0,
                65.0,
                535.0,
                39.0,
            ),
            line("SCHOLZ", 334.0, 124.0, 143.0, 46.0),
            line("SUSANNE MIA", 335.0, 185.0, 228.0, 44.0),
            line("26.02.1949", 334.0, 245.0, 170.0, 43.0),
            line("DEUTSCH", 670.0, 246.0, 163.0, 43.0),
            line("WIESBADEN", 335.0, 306.0, 200.0, 40.0),
            line("28.01.2033", 334.0, 364.0, 171.0, 43.0),
        ];
        assert!(front_score(&Page::new(&lines, 1000, 630)) >= 3);
        // The header alone (a licence or a passport says `BUNDESREPUBLIK DEUTSCHLAND` too) is
        // not enough.
        let header_only = [lines[0].clone(), lines[3].clone()];
        assert!(front_score(&Page::new(&header_only, 1000, 630)) < 3);
    }

    #[test]
    fn a_surname_label_cut_to_its_first_word_still_anchors_the_surname() {
        let page = photo_page();
        let label = label_line(&page, Label::Surname).map(|l| l.text.clone());
        assert_eq!(label.as_deref(), Some("Name/"));
        assert_eq!(
            text_below(&page, Label::Surname).map(|l| l.text.as_str()),
            Some("HAHN")
        );
        // A value in capitals is never the label.
        let value = Page::new(&[line("NAME", 315.0, 128.0, 103.0, 41.0)], 1000, 630);
        assert!(label_line(&value, Label::Surname).is_none());
    }

    #[test]
    fn lost_labels_leave_the_values_column_in_order() {
        let page = photo_page();
        assert!(text_below(&page, Label::GivenNames).is_none());
        let surname = text_below(&page, Label::Surname).expect("surname");
        let given = next_value_below(&page, surname).map(|l| l.text.as_str());
        assert_eq!(given, Some("UTE"));
        let birth = page.find(|l| l.text == "10.08.1980").expect("birth date");
        assert_eq!(
            next_value_below(&page, birth).map(|l| l.text.as_str()),
            Some("ROSTOCK")
        );
        // The last value has none below it.
        let expiry = page.find(|l| l.text == "09.07.2028").expect("expiry");
        assert!(next_value_below(&page, expiry).is_none());
    }

    #[test]
    fn a_surname_whose_label_glare_erased_is_the_values_column_top() {
        // Seed-7 front photo 0003: glare over the surname and given names' labels.
        let lines = [
            line("BUNDESREPUBLIK DEUTSCHLAND", 33.0, 19.0, 516.0, 33.0),
            line("JR1PJN8X6", 737.0, 17.0, 231.0, 50.0),
            line("PERSONALAUSWEIS/IDENTI", 33.0, 73.0, 263.0, 25.0),
            line("FISCHER", 332.0, 129.0, 147.0, 39.0),
            line("Hrenoms", 534.0, 173.0, 74.0, 23.0),
            line("PAUL", 331.0, 186.0, 90.0, 44.0),
            line("06.11.1972", 331.0, 249.0, 163.0, 40.0),
            line("DEUTSCH", 668.0, 250.0, 160.0, 36.0),
            line("WUPPERTAL", 330.0, 305.0, 204.0, 46.0),
            line("28.07.2028", 332.0, 369.0, 165.0, 36.0),
        ];
        let page = Page::new(&lines, 1000, 630);
        assert!(text_below(&page, Label::Surname).is_none());
        let surname = first_value(&page).expect("the column's top value");
        assert_eq!(surname.text, "FISCHER");
        assert_eq!(
            next_value_below(&page, surname).map(|l| l.text.as_str()),
            Some("PAUL")
        );
        // No date, no column.
        let undated = Page::new(&lines[..6], 1000, 630);
        assert!(first_value(&undated).is_none());
    }

    #[test]
    fn nationality_matches_within_two_edits() {
        assert_eq!(edit_distance("DEUTSCM", GERMAN), 1);
        assert_eq!(edit_distance("DEUTSCH", GERMAN), 0);
        assert!(edit_distance("NEDERLANDSE", GERMAN) > 2);
    }
}
