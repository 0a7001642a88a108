//! The front: values under bilingual labels.

use kycd_plugin_api::checks::{is_plausible_birth_date, resolve_two_digit_year, Date};
use kycd_plugin_api::labelled_card::{date_field, value_field, Labels, Read};
use kycd_plugin_api::lookalike::digit_for;
use kycd_plugin_api::mrz_identity::today;
use kycd_plugin_api::prelude::*;
use kycd_plugin_api::printed_date::{format_month_date, parse_month_date, YearDigits, MONTHS_NL};
use kycd_plugin_api::text::{edit_distance, normalize};
use serde_json::json;

/// The Dutch label of each field (the card prints Dutch first, English second). Only these count
/// as evidence that the image is a Dutch card: the English ones are on every EU card.
const DUTCH_LABELS: [&str; 9] = [
    "naam",
    "voornamen",
    "geslacht",
    "nationaliteit",
    "geboortedatum",
    "geboorteplaats",
    "documentnummer",
    "datum van afgifte",
    "geldig tot",
];

const ENGLISH_LABELS: [&str; 9] = [
    "surname",
    "given names",
    "sex",
    "nationality",
    "date of birth",
    "place of birth",
    "document no",
    "date of issue",
    "date of expiry",
];

/// Words of the card's header.
pub const HEADER: [&str; 3] = ["nederlanden", "netherlands", "identiteitskaart"];

/// Words that only a Dutch passport (or another document) prints.
const OTHER_DOCUMENTS: [&str; 3] = ["paspoort", "passport", "rijbewijs"];

/// The printed nationality of a Dutch citizen.
pub const NATIONALITY: &str = "Nederlandse";

/// Every label of the front, Dutch and English.
pub fn labels() -> Labels {
    Labels::joined(&[&DUTCH_LABELS, &ENGLISH_LABELS])
}

pub fn extract(page: &Page) -> Result<Extraction, ExtractError> {
    let dutch = Labels::new(&DUTCH_LABELS);
    let labels = labels();
    let text = normalize(&page.full_text());
    if OTHER_DOCUMENTS.iter().any(|w| text.contains(w)) {
        return Err(ExtractError::not_this_document("not a Dutch identity card"));
    }
    let header = HEADER.iter().any(|w| text.contains(w));
    let dutch_labels = dutch.count_found(page);
    if !(dutch_labels >= 3 || (header && (dutch_labels >= 1 || has_value_shapes(page)))) {
        return Err(ExtractError::not_this_document(
            "no Dutch identity card labels",
        ));
    }
    // Values: under their label when the label was read, else by their shape (small labels are
    // often lost on photos while the larger values are read).
    let values: Vec<&Line> = page
        .lines()
        .iter()
        .filter(|l| !labels.is_label(l))
        .collect();
    let under = |dutch: &str, english: &str| labels.value_below(page, &[dutch, english]);
    let read = |label: Option<&Line>, parse: &dyn Fn(&str) -> Option<String>| {
        label
            .and_then(|l| parse(&l.text).map(|v| (v, l.confidence)))
            .or_else(|| {
                values
                    .iter()
                    .find_map(|l| parse(&l.text).map(|v| (v, l.confidence)))
            })
    };
    let number = read(under("documentnummer", "document no"), &|t| {
        document_number(t).filter(|n| is_document_number(n))
    })
    .or_else(|| {
        under("documentnummer", "document no")
            .and_then(|l| document_number(&l.text).map(|n| (n, l.confidence)))
    });
    let gender = read(under("geslacht", "sex"), &|t| gender(t));
    let nationality = under("nationaliteit", "nationality")
        .and_then(|l| nationality(&l.text).map(|n| (n, l.confidence)))
        .filter(|(n, _)| n == NATIONALITY)
        .or_else(|| read(None, &|t| nationality(t).filter(|n| n == NATIONALITY)))
        .or_else(|| {
            under("nationaliteit", "nationality")
                .and_then(|l| nationality(&l.text).map(|n| (n, l.confidence)))
        });

    let today = today();
    let dates = Dates::read(&labels, page, today);
    let (surname, given) = names(&labels, page, &values, dates.birth_line);
    let (Some((number, number_conf)), Some((surname, surname_conf))) = (number, surname) else {
        return Err(ExtractError::unreadable(
            "document number or surname unreadable",
        ));
    };

    let birth_ok = dates
        .birth
        .is_some_and(|(b, _)| is_plausible_birth_date(b, today));
    let issue_ok = dates
        .issue
        .is_some_and(|(i, _)| i <= today && dates.birth.is_none_or(|(b, _)| b < i));
    let expiry_ok = dates.expiry.is_some_and(|(e, _)| {
        dates.issue.is_none_or(|(i, _)| i < e) && dates.birth.is_none_or(|(b, _)| b < e)
    });

    let date_field = |key: &str, read: Option<(Date, f32)>, ok: bool| {
        date_field(key, read, ok, |d| {
            format_month_date(d, &MONTHS_NL, YearDigits::Four)
        })
    };
    let number_ok = is_document_number(&number);
    let nationality_ok = nationality.as_ref().map(|(n, _)| n == NATIONALITY);
    let fields = vec![
        Field::ocr("DocumentNo", number, number_conf).checked(number_ok),
        // The card prints the surname in capitals; a read in small letters (`vos`: V, O and S
        // differ from v, o and s only in size) is that read's slip.
        Field::ocr("Surname", surname.to_uppercase(), surname_conf),
        value_field("GivenNames", given),
        value_field("Gender", gender),
        date_field("DateOfBirth", dates.birth, birth_ok),
        date_field("DateOfIssue", dates.issue, issue_ok),
        date_field("DateOfExpiry", dates.expiry, expiry_ok),
        match nationality_ok {
            Some(ok) => value_field("Nationality", nationality).checked(ok),
            None => value_field("Nationality", None),
        },
    ];
    Ok(Extraction::new(fields).with_details(json!({
        "side": "front",
        "dates_in_order": birth_ok && issue_ok && expiry_ok,
    })))
}

/// Whether the page shows values only a Dutch card front prints together: a month date with
/// Dutch month names and a document number.
fn has_value_shapes(page: &Page) -> bool {
    let date = page
        .lines()
        .iter()
        .any(|l| parse_month_date(&l.text, &MONTHS_NL, |yy| 1900 + yy as i32).is_some());
    let number = page
        .lines()
        .iter()
        .any(|l| document_number(&l.text).is_some_and(|n| is_document_number(&n)));
    date && number
}

/// The three dates of the front, with the confidence of the line each was read from.
struct Dates<'p> {
    birth: Option<(Date, f32)>,
    issue: Option<(Date, f32)>,
    expiry: Option<(Date, f32)>,
    /// The line the birth date was read from: the names are printed above it.
    birth_line: Option<&'p Line>,
}

impl<'p> Dates<'p> {
    /// Each date under its label; a date whose label was not read is taken from the month dates
    /// found elsewhere on the card by their order (birth before issue before expiry).
    fn read(labels: &Labels, page: &'p Page, today: Date) -> Dates<'p> {
        let parse = |line: &Line| {
            parse_month_date(&line.text, &MONTHS_NL, |yy| {
                resolve_two_digit_year(yy, today.year + 20)
            })
            .map(|d| {
                let confidence = if d.months_agree {
                    line.confidence
                } else {
                    line.confidence * 0.8
                };
                (d.date, confidence)
            })
        };
        let [birth, issue, expiry] = labels.dates_in_order(
            page,
            [
                &["geboortedatum", "date of birth"],
                &["datum van afgifte", "date of issue"],
                &["geldig tot", "date of expiry"],
            ],
            parse,
        );
        let date = |read: Option<(Date, f32, &Line)>| read.map(|(d, c, _)| (d, c));
        Dates {
            birth: date(birth),
            issue: date(issue),
            expiry: date(expiry),
            birth_line: birth.map(|(_, _, l)| l),
        }
    }
}

/// Surname and given names: under their labels, else the name-shaped lines printed in the
/// value column above the date of birth (surname first).
fn names(
    labels: &Labels,
    page: &Page,
    values: &[&Line],
    birth_line: Option<&Line>,
) -> (Option<Read>, Option<Read>) {
    let read = |line: &Line| name(&line.text).map(|n| (n, line.confidence));
    let by_label =
        |dutch: &str, english: &str| labels.value_below(page, &[dutch, english]).and_then(&read);
    let surname = by_label("naam", "surname");
    let given = by_label("voornamen", "given names");
    if surname.is_some() && given.is_some() {
        return (surname, given);
    }
    let Some(birth) = birth_line else {
        return (surname, given);
    };
    let column: Vec<Read> = values
        .iter()
        .filter(|l| l.bottom <= birth.top && (l.left - birth.left).abs() < birth.height())
        .filter(|l| {
            let t = normalize(&l.text);
            !HEADER.iter().any(|h| t.contains(h)) && gender(&l.text).is_none()
        })
        .filter_map(|l| read(l))
        .collect();
    // The two name lines are the last two of the column above the birth date.
    let n = column.len();
    let from_column = |i: usize| (n >= 2).then(|| column[n - 2 + i].clone());
    (
        surname.or_else(|| from_column(0)),
        given.or_else(|| from_column(1)),
    )
}

/// A Dutch document number: 9 characters, letters and digits, the letter O never used (so an
/// `O` read is the digit `0`), the last character a digit.
pub fn document_number(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            c => c,
        })
        .collect();
    let mut chars: Vec<char> = compact.chars().collect();
    if chars.len() != 9 {
        return None;
    }
    // The check position is a digit: repair the usual look-alikes there only.
    chars[8] = digit_for(chars[8]);
    Some(chars.into_iter().collect())
}

/// Whether `number` has the Dutch document number shape: two letters, six letters or digits,
/// one digit, no letter O.
pub fn is_document_number(number: &str) -> bool {
    let chars: Vec<char> = number.chars().collect();
    chars.len() == 9
        && chars[..2].iter().all(|c| c.is_ascii_uppercase())
        && chars[2..8]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && chars[8].is_ascii_digit()
        && !chars.contains(&'O')
}

/// A name as printed: the line trimmed, spaces collapsed; `None` when it holds no letter or
/// holds digits (a value of another field).
pub fn name(text: &str) -> Option<String> {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let has_letter = collapsed.chars().any(char::is_alphabetic);
    let has_digit = collapsed.chars().any(|c| c.is_ascii_digit() || c == '/');
    (has_letter && !has_digit).then_some(collapsed)
}

/// The printed sex, `V/F` (vrouw/female) or `M/M`, from what was read.
pub fn gender(text: &str) -> Option<String> {
    let letters: String = text
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_uppercase)
        .collect();
    match letters.as_str() {
        "VF" | "VIF" | "VLF" | "V1F" => Some("V/F".into()),
        "MM" | "MIM" | "MLM" | "M1M" => Some("M/M".into()),
        _ => None,
    }
}

/// The printed nationality: `Nederlandse` when the reading is within one letter of it, else
/// what was read.
pub fn nationality(text: &str) -> Option<String> {
    let read: String = text.chars().filter(|c| c.is_alphabetic()).collect();
    if read.is_empty() {
        return None;
    }
    let lower = read.to_lowercase();
    if edit_distance(&lower, &NATIONALITY.to_lowercase()) <= 1 {
        Some(NATIONALITY.into())
    } else {
        Some(text.trim().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_numbers_are_normalised_and_checked() {
        assert_eq!(document_number("FSI4H16N3").as_deref(), Some("FSI4H16N3"));
        assert_eq!(document_number("FS I4H1 6N3").as_deref(), Some("FSI4H16N3"));
        assert_eq!(document_number("SPECIO2I4").as_deref(), Some("SPECI02I4"));
        assert_eq!(document_number("SPECI021S").as_deref(), Some("SPECI0215"));
        assert_eq!(document_number("FSI4H16N"), None);
        assert!(is_document_number("FSI4H16N3"));
        assert!(!is_document_number("F5I4H16N3"));
        assert!(!is_document_number("FSI4H16NA"));
    }

    #[test]
    fn gender_and_nationality_take_the_printed_forms() {
        assert_eq!(gender("V/F").as_deref(), Some("V/F"));
        assert_eq!(gender("VIF").as_deref(), Some("V/F"));
        assert_eq!(gender("M / M").as_deref(), Some("M/M"));
        assert_eq!(gender("X"), None);
        assert_eq!(nationality("Nederlandse").as_deref(), Some("Nederlandse"));
        assert_eq!(nationality("Nederlandsc").as_deref(), Some("Nederlandse"));
        assert_eq!(nationality("Nederandse").as_deref(), Some("Nederlandse"));
        assert_eq!(nationality("Belgische").as_deref(), Some("Belgische"));
        assert_eq!(nationality("  "), None);
    }

    #[test]
    fn names_refuse_values_of_other_fields() {
        assert_eq!(name(" van  der Berg ").as_deref(), Some("van der Berg"));
        assert_eq!(name("05 FEB/FEB 1962"), None);
        assert_eq!(name("/"), None);
    }
}
