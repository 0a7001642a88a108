//! The front: values under bilingual labels, or found by their shape.

use kycd_plugin_api::checks::{is_plausible_birth_date, is_valid_personnummer, Date};
use kycd_plugin_api::labelled_card::{
    date_field, name_as_printed, nordic_sex, value_field, Labels,
};
use kycd_plugin_api::mrz_identity::today;
use kycd_plugin_api::prelude::*;
use kycd_plugin_api::printed_date::{format_numeric_date, parse_numeric_date, YearDigits};
use kycd_plugin_api::text::{normalize, within_one_edit};
use serde_json::json;

/// The Swedish label of each field (with and without the Swedish letters, which recognisers
/// sometimes drop). Only these count as evidence of a Swedish card.
const SWEDISH_LABELS: [&str; 16] = [
    "efternamn",
    "förnamn",
    "fornamn",
    "kön",
    "medborgarskap",
    "längd",
    "langd",
    "födelsedatum",
    "fodelsedatum",
    "personnummer",
    "kortnummer",
    "utfärdat",
    "utfardat",
    "giltigt t o m",
    "utfärdare",
    "utfardare",
];

const ENGLISH_LABELS: [&str; 11] = [
    "surname",
    "given names",
    "sex",
    "nationality",
    "height",
    "date of birth",
    "personal id no",
    "card no",
    "date of issue",
    "date of expiry",
    "authority",
];

/// Words of the card's header.
pub const HEADER: [&str; 3] = ["sverige", "sweden", "identitetskort"];

/// Words that only other documents print.
const OTHER_DOCUMENTS: [&str; 3] = ["pass", "passport", "körkort"];

/// The printed nationality of a Swedish citizen.
pub const NATIONALITY: &str = "SVENSK/SWE";
/// The issuing authority.
pub const AUTHORITY: &str = "POLISMYNDIGHETEN";

/// Every label of the front, Swedish and English.
pub fn labels() -> Labels {
    Labels::joined(&[&SWEDISH_LABELS, &ENGLISH_LABELS])
}

pub fn extract(page: &Page) -> Result<Extraction, ExtractError> {
    let labels = labels();
    let text = normalize(&page.full_text());
    let words: Vec<&str> = text.split_whitespace().collect();
    if OTHER_DOCUMENTS.iter().any(|w| words.contains(w)) {
        return Err(ExtractError::not_this_document(
            "not a Swedish identity card",
        ));
    }
    let header = HEADER.iter().any(|w| text.contains(w));
    let swedish = Labels::new(&SWEDISH_LABELS).count_found(page);
    let personal = labels.read_value(page, &["personnummer", "personal id no"], |t| {
        personal_id(t, false).filter(|p| is_valid_personnummer(p))
    });
    if !(swedish >= 3 || (header && (swedish >= 1 || personal.is_some()))) {
        return Err(ExtractError::not_this_document(
            "no Swedish identity card labels",
        ));
    }
    let today = today();
    let value = |phrases: &[&str], parse: &dyn Fn(&str) -> Option<String>| {
        labels.read_value(page, phrases, parse)
    };
    let sex = value(&["kön", "kon", "sex"], &nordic_sex);
    let nationality = value(&["medborgarskap", "nationality"], &|t| {
        within_one_edit(t, NATIONALITY).then(|| NATIONALITY.to_string())
    });
    let authority = value(&["utfärdare", "utfardare", "authority"], &|t| {
        within_one_edit(t, AUTHORITY).then(|| AUTHORITY.to_string())
    });
    let height = value(&["längd", "langd", "height"], &height);

    // Dates under their labels; a date whose label was lost is taken from the remaining dates
    // by their order (birth before issue before expiry).
    let parse_date = |t: &str| parse_numeric_date(t, |yy| 2000 + yy as i32);
    let slots = labels.dates_in_order(
        page,
        [
            &["födelsedatum", "fodelsedatum", "date of birth"],
            &["utfärdat", "utfardat", "date of issue"],
            &["giltigt t o m", "date of expiry"],
        ],
        |l| parse_date(&l.text).map(|d| (d, l.confidence)),
    );
    let [birth, issue, expiry] = slots;
    // The card number, eight digits, is not one of the dates read without their spaces.
    let dates: Vec<Date> = slots.iter().flatten().map(|(d, _, _)| *d).collect();
    let card_no = value(&["kortnummer", "card no"], &|t| {
        card_number(t).filter(|_| parse_date(t).is_none_or(|d| !dates.contains(&d)))
    });

    // Surname and given names, else the last two names of the value column above the sex.
    let anchor = labels
        .first_value(page, |t| nordic_sex(t).is_some())
        .or(birth.map(|(_, _, l)| l));
    let (surname, given) = labels.names(
        page,
        &["efternamn", "surname"],
        &["förnamn", "fornamn", "given names"],
        anchor,
        &HEADER,
        name_as_printed,
    );
    let (Some(surname), Some(personal)) = (surname, personal) else {
        return Err(ExtractError::unreadable(
            "surname or personnummer unreadable",
        ));
    };

    let birth = birth.map(|(d, c, _)| (d, c));
    let issue = issue.map(|(d, c, _)| (d, c));
    let expiry = expiry.map(|(d, c, _)| (d, c));
    let birth_ok = birth.is_some_and(|(b, _)| is_plausible_birth_date(b, today));
    let issue_ok = issue.is_some_and(|(i, _)| i <= today && birth.is_none_or(|(b, _)| b < i));
    let expiry_ok = expiry.is_some_and(|(e, _)| issue.is_none_or(|(i, _)| i < e));
    let pnr_matches_birth = birth.map(|(b, _)| personal.0.starts_with(&b.yymmdd()));

    let date_field = |key: &str, read: Option<(Date, f32)>, ok: bool| {
        date_field(key, read, ok, |d| {
            format_numeric_date(d, ' ', YearDigits::Four)
        })
    };
    let fields = vec![
        value_field("Surname", Some(surname)),
        value_field("GivenNames", given),
        value_field("Sex", sex),
        value_field("Nationality", nationality),
        date_field("DateOfBirth", birth, birth_ok),
        value_field("PersonalId", Some(personal)).checked(true),
        value_field("Height", height),
        value_field("CardNo", card_no),
        date_field("DateOfIssue", issue, issue_ok),
        date_field("DateOfExpiry", expiry, expiry_ok),
        value_field("Authority", authority),
    ];
    Ok(Extraction::new(fields).with_details(json!({
        "side": "front",
        "model": "2022",
        "dates_in_order": birth_ok && issue_ok && expiry_ok,
        "personal_id_matches_birth_date": pnr_matches_birth,
    })))
}

/// A personnummer as printed, `YYMMDD-NNNC` (`+` for `centenarian` when the separator was not
/// read): ten digits with or without their separator.
pub fn personal_id(text: &str, centenarian: bool) -> Option<String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let digits: String = compact.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 10 || compact.chars().count() > 11 {
        return None;
    }
    let separator = match compact.chars().nth(6) {
        Some('+') => '+',
        Some('-') => '-',
        _ if centenarian => '+',
        _ => '-',
    };
    Some(format!("{}{}{}", &digits[..6], separator, &digits[6..]))
}

/// The card number: exactly eight digits.
pub fn card_number(text: &str) -> Option<String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    (compact.len() == 8 && compact.chars().all(|c| c.is_ascii_digit())).then_some(compact)
}

/// The height as printed, `172 cm`: a three-digit number of centimetres.
pub fn height(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let digits: String = lower.chars().filter(char::is_ascii_digit).collect();
    let rest: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
    (digits.len() == 3 && rest == "cm" && (100..=250).contains(&digits.parse::<u32>().ok()?))
        .then(|| format!("{digits} cm"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_ids_keep_or_restore_their_separator() {
        assert_eq!(
            personal_id("820821-2384", false).as_deref(),
            Some("820821-2384")
        );
        assert_eq!(
            personal_id("8208212384", false).as_deref(),
            Some("820821-2384")
        );
        assert_eq!(
            personal_id("8208212384", true).as_deref(),
            Some("820821+2384")
        );
        assert_eq!(
            personal_id("820821 - 2384", false).as_deref(),
            Some("820821-2384")
        );
        assert_eq!(
            personal_id("82082-12384", false).as_deref(),
            Some("820821-2384")
        );
        assert_eq!(personal_id("820821-238", false), None);
        assert!(is_valid_personnummer("820821-2384"));
    }

    #[test]
    fn fixed_values_tolerate_one_misread_letter() {
        assert!(within_one_edit("SVENSK/SWE", NATIONALITY));
        assert!(within_one_edit("SVENSKISWE", NATIONALITY));
        assert!(within_one_edit("POLISMYNDIGHETFN", AUTHORITY));
        assert!(!within_one_edit("NORSK", NATIONALITY));
        assert_eq!(nordic_sex("K/F").as_deref(), Some("K/F"));
        assert_eq!(nordic_sex("M / M").as_deref(), Some("M/M"));
        assert_eq!(nordic_sex("KF1"), None);
        assert_eq!(height("183 cm").as_deref(), Some("183 cm"));
        assert_eq!(height("183cm").as_deref(), Some("183 cm"));
        assert_eq!(height("1830 cm"), None);
        assert_eq!(card_number("2491 4312").as_deref(), Some("24914312"));
        assert_eq!(card_number("249143121"), None);
    }
}
