//! The back: the TD1 machine-readable zone, formatted the way the front prints each value.

use kycd_plugin_api::checks::{fodselsnummer_birth_date, is_valid_fodselsnummer, Date};
use kycd_plugin_api::mrz_identity::MrzIdentity;
use kycd_plugin_api::prelude::*;
use kycd_plugin_api::printed_date::{format_month_date, YearDigits, MONTHS_NO};
use kycd_plugin_api::two_sided::{sex_field, text_field, TwoSidedCard};
use serde_json::json;

use crate::front::{document_number, sex_from_fodselsnummer, NATIONALITY};

pub fn extract(card: &TwoSidedCard, id: &MrzIdentity) -> Result<Extraction, ExtractError> {
    let date = |d: &Option<Date>| d.map(|d| format_month_date(d, &MONTHS_NO, YearDigits::Two));
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
        text_field(&id.surname, "Surname"),
        text_field(&id.given_names, "GivenNames"),
        sex_field(id, "Sex", "K/F", "M/M"),
        card.nationality_field(id, "Nationality", NATIONALITY),
        id.birth_date.field("DateOfBirth", date),
        Field::absent("Height"),
        // Two letters then seven digits: a `0` among the letters is the letter `O`.
        id.document_number.field("DocumentNo", |n| {
            document_number(n).or_else(|| (!n.is_empty()).then(|| n.clone()))
        }),
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
