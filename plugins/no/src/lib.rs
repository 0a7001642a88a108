//! kycd plugin for the Norwegian national identity card (nasjonalt ID-kort, 2020 model).
//!
//! Route `ocr/no/id-card`. The front is read by its bilingual labels (`Etternavn / Surname` above
//! the value) or, where a label was lost, by the value's shape; the back by its TD1
//! machine-readable zone (`IDNOR...`), formatted the way the front prints each value. See
//! `docs/plugins/no.md`.

mod back;
mod front;

use kycd_plugin_api::prelude::*;
use kycd_plugin_api::two_sided::TwoSidedCard;

/// The route this plugin serves.
pub const ROUTE: &str = "ocr/no/id-card";

fn manifest() -> Manifest {
    Manifest::new("no", env!("CARGO_PKG_VERSION")).document(
        DocumentSpec::new(
            ROUTE,
            "Norwegian national identity card (2020 model), front or back",
        )
        .field("Surname", "Surname as printed")
        .field("GivenNames", "Given names as printed")
        .field("Sex", "Sex as printed: K/F or M/M")
        .field("Nationality", "Nationality as printed: Norsk/Norwegian")
        .field(
            "DateOfBirth",
            "Date of birth as printed, e.g. 23 APR/APR 56",
        )
        .field("Height", "Height as printed, e.g. 179CM (front only)")
        .field(
            "DocumentNo",
            "Document number: two letters and seven digits",
        )
        .field("CanNo", "Card access number, 6 digits (front only)")
        .field(
            "DateOfExpiry",
            "Date of expiry as printed, e.g. 22 MAI/MAY 34",
        ),
    )
}

fn extract(request: &Request<'_>, host: &Host<'_>) -> Result<Extraction, ExtractError> {
    if request.route() != ROUTE {
        return Err(ExtractError::unknown_route(request.route()));
    }
    let labels = front::labels();
    let card = TwoSidedCard {
        labels: &labels,
        header: &front::HEADER,
        state: "NOR",
        country_words: &["norge", "norway"],
        country: "Norwegian",
    };
    card.read(host, request.image(), front::extract, |id| {
        back::extract(&card, &id)
    })
}

export_plugin!(manifest, extract);
