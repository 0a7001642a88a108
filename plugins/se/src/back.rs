//! The back: the TD1 machine-readable zone, formatted the way the front prints each value.

use kycd_plugin_api::checks::{is_valid_personnummer, Date};
use kycd_plugin_api::mrz_identity::{today, MrzIdentity};
use kycd_plugin_api::prelude::*;
use kycd_plugin_api::printed_date::{format_numeric_date, YearDigits};
use kycd_plugin_api::two_sided::{sex_field, text_field, TwoSidedCard};
use serde_json::json;

use crate::front::{personal_id, NATIONALITY};

pub fn extract(card: &TwoSidedCard, id: &MrzIdentity) -> Result<Extraction, ExtractError> {
    let date = |d: &Option<Date>| d.map(|d| format_numeric_date(d, ' ', YearDigits::Four));
    // The personnummer is the optional data, without its separator: `-`, or `+` from the year
    // the holder turns 100.
    let centenarian = id
        .birth_date
        .value
        .is_some_and(|b| today().year - b.year >= 100);
    let pnr = personal_id(&id.optional_data.value, centenarian);
    let pnr_field = match &pnr {
        Some(p) => Field::ocr("PersonalId", p.clone(), id.optional_data.confidence())
            .from_source("mrz")
            .checked(is_valid_personnummer(p)),
        None => Field::ocr("PersonalId", "", 0.0)
            .from_source("mrz")
            .checked(false),
    };
    let pnr_matches_birth = pnr
        .as_ref()
        .zip(id.birth_date.value)
        .map(|(p, b)| p.chars().take(6).collect::<String>() == b.yymmdd());
    let fields = vec![
        text_field(&id.surname, "Surname"),
        text_field(&id.given_names, "GivenNames"),
        sex_field(id, "Sex", "K/F", "M/M"),
        card.nationality_field(id, "Nationality", NATIONALITY),
        id.birth_date.field("DateOfBirth", date),
        pnr_field,
        Field::absent("Height"),
        text_field(&id.document_number, "CardNo"),
        Field::absent("DateOfIssue"),
        id.expiry_date.field("DateOfExpiry", date),
        Field::absent("Authority"),
    ];
    Ok(Extraction::new(fields).with_details(json!({
        "side": "back",
        "model": "2022",
        "mrz_checks_valid": id.all_checks_valid,
        "personal_id_matches_birth_date": pnr_matches_birth,
    })))
}
