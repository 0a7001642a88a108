//! kycd plugin for the Dutch identity card (identiteitskaart), 2014 and 2021 models.
//!
//! Route `ocr/nl/id-card`. The front is read by its bilingual labels (`Naam / Surname` above the
//! value); the back by its TD1 machine-readable zone (`I<NLD...`), formatted the way the front
//! prints each value. See `docs/plugins/nl.md`.

mod back;
mod front;

use kycd_plugin_api::prelude::*;
use kycd_plugin_api::two_sided::TwoSidedCard;

/// The route this plugin serves.
pub const ROUTE: &str = "ocr/nl/id-card";

/// The response keys, in the order the card prints them.
pub const KEYS: [&str; 8] = [
    "DocumentNo",
    "Surname",
    "GivenNames",
    "Gender",
    "DateOfBirth",
    "DateOfIssue",
    "DateOfExpiry",
    "Nationality",
];

fn manifest() -> Manifest {
    Manifest::new("nl", env!("CARGO_PKG_VERSION")).document(
        DocumentSpec::new(
            ROUTE,
            "Dutch identity card (2014 and 2021 models), front or back",
        )
        .field("DocumentNo", "Document number, 9 characters")
        .field("Surname", "Surname as printed")
        .field("GivenNames", "Given names as printed")
        .field("Gender", "Sex as printed: V/F or M/M")
        .field(
            "DateOfBirth",
            "Date of birth as printed, e.g. 10 MAA/MAR 1965",
        )
        .field("DateOfIssue", "Date of issue as printed (front only)")
        .field("DateOfExpiry", "Date of expiry as printed")
        .field("Nationality", "Nationality as printed: Nederlandse"),
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
        state: "NLD",
        country_words: &["nederlanden", "nld"],
        country: "Dutch",
    };
    card.read(host, request.image(), front::extract, |id| {
        back::extract(&card, &id)
    })
}

export_plugin!(manifest, extract);
