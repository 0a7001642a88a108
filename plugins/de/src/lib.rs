//! kycd plugin: Germany.
//!
//! * `ocr/de/id-card`: the identity card (Personalausweis), 2010 (nPA) and 2021 models; the
//!   front by its trilingual labels, the back from its TD1 machine-readable zone (`IDD<<`).
//! * `ocr/de/driving-licence`: the EU card model driving licence (fields 1-9).
//!
//! Layout knowledge and field parsing only: text, the card's geometry and the MRZ come from the
//! host. See `docs/plugins/de.md`.

use kycd_plugin_api::prelude::*;

pub mod categories;
mod id_card;
mod licence;
mod reading;
pub mod values;

fn manifest() -> Manifest {
    let id_card = id_card::KEYS.iter().fold(
        DocumentSpec::new(
            id_card::ROUTE,
            "German identity card (2010 and 2021 models), front or back",
        ),
        |spec, key| spec.field(key, describe(key)),
    );
    let licence = licence::KEYS.iter().fold(
        DocumentSpec::new(
            licence::ROUTE,
            "German driving licence (EU card model), front",
        ),
        |spec, key| spec.field(key, describe(key)),
    );
    Manifest::new("de", env!("CARGO_PKG_VERSION"))
        .document(id_card)
        .document(licence)
}

/// What each key holds, for the route listing.
fn describe(key: &str) -> &'static str {
    match key {
        "CardNumber" => "Card number, 9 characters (front top right; MRZ on the back)",
        "CardId" => "Licence number, field 5",
        "Surname" => "Surname as printed (as the MRZ transliterates it on the back)",
        "GivenNames" => "Given names as printed",
        "DateOfBirth" => "Date of birth as printed: 01.08.1983 (ID card), 15.10.90 (licence)",
        "PlaceOfBirth" => "Place of birth as printed (front only)",
        "DateOfIssue" => "Date of issue, field 4a",
        "DateOfExpiry" => "Date of expiry as printed: 01.08.2031",
        "Nationality" => "Nationality as the front prints it: DEUTSCH",
        "Address" => "Issuing authority, field 4c",
        "Class" => "Categories, field 9: AM/B/L",
        _ => "",
    }
}

fn extract(request: &Request<'_>, host: &Host<'_>) -> Result<Extraction, ExtractError> {
    match request.route() {
        id_card::ROUTE => id_card::extract(request, host),
        licence::ROUTE => licence::extract(request, host),
        other => Err(ExtractError::unknown_route(other)),
    }
}

export_plugin!(manifest, extract);
