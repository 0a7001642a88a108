//! The back: the TD1 machine-readable zone, formatted the way the front prints each value.

use kycd_plugin_api::card_reading::{read_mrz_upright, CardReading};
use kycd_plugin_api::checks::{fodselsnummer_birth_date, is_valid_fodselsnummer, Date};
use kycd_plugin_api::mrz_identity::{today, MrzIdentity};
use kycd_plugin_api::prelude::*;
use kycd_plugin_api::printed_date::{format_month_date, YearDigits, MONTHS_NO};
use kycd_plugin_api::text::normalize;
use serde_json::json;

use crate::front::{document_number, sex_from_fodselsnummer, NATIONALITY};

pub fn extract(
    host: &Host<'_>,
    card: &CardReading,
    original: ImageRef<'_>,
) -> Result<Extraction, ExtractError> {
    let Some(mrz) = read_mrz_upright(host, original, card) else {
        let text = normalize(&card.page.full_text());
        return Err(if text.contains("norge") || text.contains("norway") {
            ExtractError::unreadable("machine-readable zone unreadable")
        } else {
            ExtractError::not_this_document("no Norwegian machine-readable zone")
        });
    };
    let id = MrzIdentity::from_mrz(&mrz, today());
    if id.format != "TD1" || id.issuing_state != "NOR" || !id.document_code.starts_with('I') {
        return Err(ExtractError::not_this_document(
            "not a Norwegian identity card",
        ));
    }
    let date = |d: &Option<Date>| d.map(|d| format_month_date(d, &MONTHS_NO, YearDigits::Two));
    let text = |v: &String| (!v.is_empty()).then(|| v.clone());
    // The fødselsnummer is the optional data: check it and that it agrees with the zone.
    let fnr = &id.optional_data.value;
    let fnr_valid = (!fnr.is_empty()).then(|| is_valid_fodselsnummer(fnr));
    let fnr_matches_birth = fodselsnummer_birth_date(fnr)
        .zip(id.birth_date.value)
        .map(|(a, b)| a == b);
    let fnr_matches_sex = sex_from_fodselsnummer(fnr)
        .filter(|_| !id.sex.value.is_empty())
        .map(|s| s == id.sex.value);
    let fields = vec![
        id.surname.field("Surname", text),
        id.given_names.field("GivenNames", text),
        id.sex.field("Sex", |s| {
            Some(match s.as_str() {
                "F" => "K/F".into(),
                "M" => "M/M".into(),
                _ => String::new(),
            })
        }),
        id.nationality
            .field("Nationality", |n| {
                Some(if n == "NOR" {
                    NATIONALITY.into()
                } else {
                    String::new()
                })
            })
            .checked(id.nationality.value == "NOR"),
        id.birth_date.field("DateOfBirth", date),
        Field::absent("Height"),
        // Two letters then seven digits: a `0` among the letters is the letter `O`.
        id.document_number
            .field("DocumentNo", |n| document_number(n).or_else(|| text(n))),
        Field::absent("CanNo"),
        id.expiry_date.field("DateOfExpiry", date),
    ];
    Ok(Extraction::new(fields).with_details(json!({
        "side": "back",
        "model": "2020",
        "mrz_checks_valid": id.all_checks_valid,
        "personal_number_valid": fnr_valid,
        "personal_number_matches_birth_date": fnr_matches_birth,
        "personal_number_matches_sex": fnr_matches_sex,
    })))
}
