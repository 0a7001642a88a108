//! The back: the TD1 machine-readable zone, formatted the way the front prints each value.

use kycd_plugin_api::card_reading::{read_mrz_upright, CardReading};
use kycd_plugin_api::checks::is_valid_bsn;
use kycd_plugin_api::mrz_identity::{today, MrzIdentity};
use kycd_plugin_api::prelude::*;
use kycd_plugin_api::printed_date::{format_month_date, YearDigits, MONTHS_NL};
use kycd_plugin_api::text::normalize;
use serde_json::json;

use crate::front::NATIONALITY;

pub fn extract(
    host: &Host<'_>,
    card: &CardReading,
    original: ImageRef<'_>,
) -> Result<Extraction, ExtractError> {
    let Some(mrz) = read_mrz_upright(host, original, card) else {
        let text = normalize(&card.page.full_text());
        return Err(if text.contains("nederlanden") || text.contains("nld") {
            ExtractError::unreadable("machine-readable zone unreadable")
        } else {
            ExtractError::not_this_document("no Dutch machine-readable zone")
        });
    };
    let id = MrzIdentity::from_mrz(&mrz, today());
    if id.format != "TD1" || id.issuing_state != "NLD" || !id.document_code.starts_with('I') {
        return Err(ExtractError::not_this_document("not a Dutch identity card"));
    }
    let date = |d: &Option<kycd_plugin_api::checks::Date>| {
        d.map(|d| format_month_date(d, &MONTHS_NL, YearDigits::Four))
    };
    let text = |v: &String| (!v.is_empty()).then(|| v.clone());
    let bsn = &id.optional_data.value;
    let fields = vec![
        id.document_number.field("DocumentNo", text),
        id.surname.field("Surname", text),
        id.given_names.field("GivenNames", text),
        id.sex.field("Gender", |s| match s.as_str() {
            "F" => Some("V/F".into()),
            "M" => Some("M/M".into()),
            _ => Some(String::new()),
        }),
        id.birth_date.field("DateOfBirth", date),
        Field::absent("DateOfIssue"),
        id.expiry_date.field("DateOfExpiry", date),
        id.nationality
            .field("Nationality", |n| {
                Some(if n == "NLD" {
                    NATIONALITY.into()
                } else {
                    String::new()
                })
            })
            .checked(id.nationality.value == "NLD"),
    ];
    Ok(Extraction::new(fields).with_details(json!({
        "side": "back",
        "mrz_checks_valid": id.all_checks_valid,
        "personal_number_valid": (!bsn.is_empty()).then(|| is_valid_bsn(bsn)),
    })))
}
