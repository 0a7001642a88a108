//! The back: the TD1 machine-readable zone, formatted the way the front prints each value.

use kycd_plugin_api::checks::is_valid_bsn;
use kycd_plugin_api::mrz_identity::MrzIdentity;
use kycd_plugin_api::prelude::*;
use kycd_plugin_api::printed_date::{format_month_date, YearDigits, MONTHS_NL};
use kycd_plugin_api::two_sided::{sex_field, text_field, TwoSidedCard};
use serde_json::json;

use crate::front::NATIONALITY;

pub fn extract(card: &TwoSidedCard, id: &MrzIdentity) -> Result<Extraction, ExtractError> {
    let date = |d: &Option<kycd_plugin_api::checks::Date>| {
        d.map(|d| format_month_date(d, &MONTHS_NL, YearDigits::Four))
    };
    let bsn = &id.optional_data.value;
    let fields = vec![
        text_field(&id.document_number, "DocumentNo"),
        text_field(&id.surname, "Surname"),
        text_field(&id.given_names, "GivenNames"),
        sex_field(id, "Gender", "V/F", "M/M"),
        id.birth_date.field("DateOfBirth", date),
        Field::absent("DateOfIssue"),
        id.expiry_date.field("DateOfExpiry", date),
        card.nationality_field(id, "Nationality", NATIONALITY),
    ];
    Ok(Extraction::new(fields).with_details(json!({
        "side": "back",
        "mrz_checks_valid": id.all_checks_valid,
        "personal_number_valid": (!bsn.is_empty()).then(|| is_valid_bsn(bsn)),
    })))
}
