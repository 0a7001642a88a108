//! The back: the TD1 machine-readable zone, formatted the way the front prints each value.

use kycd_plugin_api::card_reading::{read_mrz_upright, CardReading};
use kycd_plugin_api::checks::{is_valid_personnummer, Date};
use kycd_plugin_api::mrz_identity::{today, MrzIdentity};
use kycd_plugin_api::prelude::*;
use kycd_plugin_api::printed_date::{format_numeric_date, YearDigits};
use kycd_plugin_api::text::normalize;
use serde_json::json;

use crate::front::{personal_id, NATIONALITY};

pub fn extract(
    host: &Host<'_>,
    card: &CardReading,
    original: ImageRef<'_>,
) -> Result<Extraction, ExtractError> {
    let Some(mrz) = read_mrz_upright(host, original, card) else {
        let text = normalize(&card.page.full_text());
        return Err(if text.contains("sverige") || text.contains("swe") {
            ExtractError::unreadable("machine-readable zone unreadable")
        } else {
            ExtractError::not_this_document("no Swedish machine-readable zone")
        });
    };
    let today = today();
    let id = MrzIdentity::from_mrz(&mrz, today);
    if id.format != "TD1" || id.issuing_state != "SWE" || !id.document_code.starts_with('I') {
        return Err(ExtractError::not_this_document(
            "not a Swedish identity card",
        ));
    }
    let date = |d: &Option<Date>| d.map(|d| format_numeric_date(d, ' ', YearDigits::Four));
    let text = |v: &String| (!v.is_empty()).then(|| v.clone());
    // The personnummer is the optional data, without its separator: `-`, or `+` from the year
    // the holder turns 100.
    let centenarian = id
        .birth_date
        .value
        .is_some_and(|b| today.year - b.year >= 100);
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
                Some(if n == "SWE" {
                    NATIONALITY.into()
                } else {
                    String::new()
                })
            })
            .checked(id.nationality.value == "SWE"),
        id.birth_date.field("DateOfBirth", date),
        pnr_field,
        Field::absent("Height"),
        id.document_number.field("CardNo", text),
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
