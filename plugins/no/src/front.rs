//! The front: values under bilingual labels, or found by their shape.

use kycd_plugin_api::checks::{
    fodselsnummer_birth_date, is_plausible_birth_date, is_valid_fodselsnummer,
    resolve_two_digit_year, Date,
};
use kycd_plugin_api::labelled_card::{
    date_field, name_as_printed, nordic_sex, value_field, Labels,
};
use kycd_plugin_api::lookalike::{digit_for, letter_for};
use kycd_plugin_api::mrz_identity::today;
use kycd_plugin_api::prelude::*;
use kycd_plugin_api::printed_date::{format_month_date, parse_month_date, YearDigits, MONTHS_NO};
use kycd_plugin_api::text::{normalize, within_one_edit};
use serde_json::json;

/// The Norwegian label of each field (with and without the Norwegian letters, which recognisers
/// sometimes drop). Only these count as evidence of a Norwegian card.
const NORWEGIAN_LABELS: [&str; 14] = [
    "etternavn",
    "fornavn",
    "kjønn",
    "kjonn",
    "nasjonalitet",
    "høyde",
    "hoyde",
    "fødselsdato",
    "fodselsdato",
    "fødselsnummer",
    "fodselsnummer",
    "dokumentnummer",
    "gyldig til",
    "can",
];

const ENGLISH_LABELS: [&str; 9] = [
    "surname",
    "given names",
    "sex",
    "nationality",
    "height",
    "date of birth",
    "personal no",
    "document no",
    "date of expiry",
];

/// Words of the card's header.
pub const HEADER: [&str; 4] = ["norge", "noreg", "norway", "nasjonalt"];

/// Words that only other documents print.
const OTHER_DOCUMENTS: [&str; 3] = ["pass", "passport", "førerkort"];

/// The printed nationality of a Norwegian citizen.
pub const NATIONALITY: &str = "Norsk/Norwegian";

/// Every label of the front, Norwegian and English.
pub fn labels() -> Labels {
    Labels::joined(&[&NORWEGIAN_LABELS, &ENGLISH_LABELS])
}

pub fn extract(page: &Page) -> Result<Extraction, ExtractError> {
    let labels = labels();
    let text = normalize(&page.full_text());
    let words: Vec<&str> = text.split_whitespace().collect();
    if OTHER_DOCUMENTS.iter().any(|w| words.contains(w)) {
        return Err(ExtractError::not_this_document(
            "not a Norwegian identity card",
        ));
    }
    let header = HEADER.iter().any(|w| text.contains(w));
    let norwegian = Labels::new(&NORWEGIAN_LABELS).count_found(page);
    let fnr = labels.read_value(
        page,
        &["fødselsnummer", "fodselsnummer", "personal no"],
        |t| {
            let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
            is_valid_fodselsnummer(&compact).then_some(compact)
        },
    );
    if !(norwegian >= 3 || (header && (norwegian >= 1 || fnr.is_some()))) {
        return Err(ExtractError::not_this_document(
            "no Norwegian identity card labels",
        ));
    }
    let today = today();
    let value = |phrases: &[&str], parse: &dyn Fn(&str) -> Option<String>| {
        labels.read_value(page, phrases, parse)
    };
    let number = value(&["dokumentnummer", "document no"], &document_number);
    let can = value(&["can"], &|t| digits_exactly(t, 6));
    let sex = value(&["kjønn", "kjonn", "sex"], &nordic_sex);
    let nationality = value(&["nasjonalitet", "nationality"], &|t| {
        within_one_edit(t, NATIONALITY).then(|| NATIONALITY.to_string())
    });
    let height = value(&["høyde", "hoyde", "height"], &height);

    // Dates: under their labels; else the month dates of the page in reading order (birth is
    // printed above expiry). Years have two digits: birth in the past, expiry near today.
    let parse = |t: &str, resolve: &dyn Fn(u32) -> i32| {
        parse_month_date(t, &MONTHS_NO, resolve).map(|d| d.date)
    };
    let past = |yy: u32| resolve_two_digit_year(yy, today.year);
    let near = |yy: u32| resolve_two_digit_year(yy, today.year + 50);
    let under = |phrases: &[&str], resolve: &dyn Fn(u32) -> i32| {
        labels
            .value_below(page, phrases)
            .and_then(|l| parse(&l.text, resolve).map(|d| ((d, l.confidence), l)))
    };
    let mut birth = under(&["fødselsdato", "fodselsdato", "date of birth"], &past);
    let mut expiry = under(&["gyldig til", "date of expiry"], &near);
    if birth.is_none() || expiry.is_none() {
        let found: Vec<&Line> = page
            .lines()
            .iter()
            .filter(|l| !labels.is_label(l) && parse(&l.text, &past).is_some())
            .filter(|l| {
                [&birth, &expiry]
                    .iter()
                    .all(|k| k.is_none_or(|(_, kl)| !std::ptr::eq(kl, *l)))
            })
            .collect();
        let mut rest = found.into_iter();
        if birth.is_none() {
            birth = rest
                .next()
                .and_then(|l| parse(&l.text, &past).map(|d| ((d, l.confidence), l)));
        }
        if expiry.is_none() {
            expiry = rest
                .next()
                .and_then(|l| parse(&l.text, &near).map(|d| ((d, l.confidence), l)));
        }
    }

    // Surname and given names, else the last two names of the value column above the sex.
    let anchor = labels
        .first_value(page, |t| nordic_sex(t).is_some())
        .or(birth.map(|(_, l)| l));
    let (surname, given) = labels.names(
        page,
        &["etternavn", "surname"],
        &["fornavn", "given names"],
        anchor,
        &HEADER,
        |t| name_as_printed(&with_slashed_o(t)),
    );
    let (Some(surname), Some(number)) = (surname, number) else {
        return Err(ExtractError::unreadable(
            "surname or document number unreadable",
        ));
    };

    let birth = birth.map(|(d, _)| d);
    let expiry = expiry.map(|(d, _)| d);
    let birth_ok = birth.is_some_and(|(b, _)| is_plausible_birth_date(b, today));
    let expiry_ok = expiry.is_some_and(|(e, _)| birth.is_none_or(|(b, _)| b < e));
    let fnr_value = fnr.as_ref().map(|(f, _)| f.as_str()).unwrap_or("");
    let fnr_matches_birth = fodselsnummer_birth_date(fnr_value)
        .zip(birth)
        .map(|(a, (b, _))| a == b);
    let fnr_matches_sex = sex_from_fodselsnummer(fnr_value)
        .zip(sex.as_ref())
        .map(|(f, (s, _))| (f == "F") == (s == "K/F"));

    let date_field = |key: &str, read: Option<(Date, f32)>, ok: bool| {
        date_field(key, read, ok, |d| {
            format_month_date(d, &MONTHS_NO, YearDigits::Two)
        })
    };
    let fields = vec![
        value_field("Surname", Some(surname)),
        value_field("GivenNames", given),
        value_field("Sex", sex),
        value_field("Nationality", nationality),
        date_field(
            "DateOfBirth",
            birth,
            birth_ok && fnr_matches_birth != Some(false),
        ),
        value_field("Height", height),
        value_field("DocumentNo", Some(number)),
        value_field("CanNo", can),
        date_field("DateOfExpiry", expiry, expiry_ok),
    ];
    Ok(Extraction::new(fields).with_details(json!({
        "side": "front",
        "model": "2020",
        "dates_in_order": birth_ok && expiry_ok,
        "personal_number_valid": fnr.is_some(),
        "personal_number_matches_birth_date": fnr_matches_birth,
        "personal_number_matches_sex": fnr_matches_sex,
    })))
}

/// The sex a fødselsnummer encodes (its ninth digit: odd for men, even for women), `M` or `F`.
pub fn sex_from_fodselsnummer(fnr: &str) -> Option<&'static str> {
    if !is_valid_fodselsnummer(fnr) {
        return None;
    }
    let digit = fnr
        .chars()
        .filter(char::is_ascii_digit)
        .nth(8)?
        .to_digit(10)?;
    Some(if digit % 2 == 1 { "M" } else { "F" })
}

/// A Norwegian document number: two letters and seven digits (look-alikes repaired by
/// position: `0` is `O` among the letters, `O` is `0` among the digits).
pub fn document_number(text: &str) -> Option<String> {
    let chars: Vec<char> = text
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if chars.len() != 9 {
        return None;
    }
    let mut out = String::with_capacity(9);
    for (i, &c) in chars.iter().enumerate() {
        let c = if i < 2 { letter_for(c) } else { digit_for(c) };
        let ok = if i < 2 {
            c.is_ascii_uppercase()
        } else {
            c.is_ascii_digit()
        };
        if !ok {
            return None;
        }
        out.push(c);
    }
    // A letter among the first two as read: a run of nine digits is not a document number.
    chars[..2]
        .iter()
        .any(|c| c.is_ascii_alphabetic())
        .then_some(out)
}

/// A name with the letter `Ø` restored where the recogniser read it as the digit it looks like
/// (a slashed `0`): a `0` next to a letter. A name holds no digit, so nothing else changes.
pub fn with_slashed_o(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let letter_at = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|c| c.is_alphabetic())
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if c == '0' && (letter_at(i.checked_sub(1)) || letter_at(Some(i + 1))) {
                'Ø'
            } else {
                c
            }
        })
        .collect()
}

/// Exactly `n` digits (spaces ignored).
fn digits_exactly(text: &str, n: usize) -> Option<String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    (compact.len() == n && compact.chars().all(|c| c.is_ascii_digit())).then_some(compact)
}

/// The height as printed, `179CM`.
pub fn height(text: &str) -> Option<String> {
    let upper = text.to_uppercase();
    let digits: String = upper.chars().filter(char::is_ascii_digit).collect();
    let rest: String = upper.chars().filter(|c| c.is_alphabetic()).collect();
    let cm = digits.parse::<u32>().ok()?;
    (digits.len() == 3 && rest == "CM" && (100..=250).contains(&cm)).then(|| format!("{cm}CM"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_numbers_repair_look_alikes_by_position() {
        assert_eq!(document_number("FH1234567").as_deref(), Some("FH1234567"));
        assert_eq!(document_number("FH 12345O7").as_deref(), Some("FH1234507"));
        assert_eq!(document_number("F81234567").as_deref(), Some("FB1234567"));
        assert_eq!(document_number("123456789"), None);
        assert_eq!(document_number("FH123456"), None);
    }

    #[test]
    fn printed_values_take_the_card_forms() {
        assert_eq!(nordic_sex("K/F").as_deref(), Some("K/F"));
        assert_eq!(nordic_sex("M/M").as_deref(), Some("M/M"));
        assert_eq!(height("179CM").as_deref(), Some("179CM"));
        assert_eq!(height("179 cm").as_deref(), Some("179CM"));
        assert_eq!(height("79CM"), None);
        assert!(within_one_edit("Norsk/Norwegian", NATIONALITY));
        assert!(within_one_edit("NorskNorwegian", NATIONALITY));
        assert!(!within_one_edit("Svensk", NATIONALITY));
        assert_eq!(digits_exactly("123 456", 6).as_deref(), Some("123456"));
        assert_eq!(with_slashed_o("BJ0RG"), "BJØRG");
        assert_eq!(with_slashed_o("0STBY"), "ØSTBY");
        assert_eq!(with_slashed_o("29 APR 1968"), "29 APR 1968");
    }

    #[test]
    fn fodselsnummer_gives_sex() {
        let fnr =
            kycd_plugin_api::checks::fodselsnummer(Date::new(1956, 4, 23).unwrap(), 123).unwrap();
        assert_eq!(sex_from_fodselsnummer(&fnr), Some("M"));
        let fnr =
            kycd_plugin_api::checks::fodselsnummer(Date::new(1956, 4, 23).unwrap(), 124).unwrap();
        assert_eq!(sex_from_fodselsnummer(&fnr), Some("F"));
        assert_eq!(sex_from_fodselsnummer("12345678901"), None);
    }
}
