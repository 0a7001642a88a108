//! kycd plugin for the Swedish national identity card (nationellt identitetskort, 2022 model).
//!
//! Route `ocr/se/id-card`. The front is read by its bilingual labels (`Efternamn / Surname` above
//! the value) or, where a label was lost, by the value's shape; the back by its TD1
//! machine-readable zone (`IDSWE...`), formatted the way the front prints each value. See
//! `docs/plugins/se.md`.

mod back;
mod front;

use kycd_plugin_api::prelude::*;
use kycd_plugin_api::two_sided::TwoSidedCard;

/// The route this plugin serves.
pub const ROUTE: &str = "ocr/se/id-card";

fn manifest() -> Manifest {
    Manifest::new("se", env!("CARGO_PKG_VERSION")).document(
        DocumentSpec::new(
            ROUTE,
            "Swedish national identity card (2022 model), front or back",
        )
        .field("Surname", "Surname as printed")
        .field("GivenNames", "Given names as printed")
        .field("Sex", "Sex as printed: K/F or M/M")
        .field("Nationality", "Nationality as printed: SVENSK/SWE")
        .field("DateOfBirth", "Date of birth as printed, e.g. 21 08 1982")
        .field(
            "PersonalId",
            "Personnummer, e.g. 820821-2384 (Luhn-checked)",
        )
        .field("Height", "Height as printed, e.g. 172 cm (front only)")
        .field("CardNo", "Card number, 8 digits")
        .field("DateOfIssue", "Date of issue as printed (front only)")
        .field("DateOfExpiry", "Date of expiry as printed")
        .field(
            "Authority",
            "Issuing authority: POLISMYNDIGHETEN (front only)",
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
        state: "SWE",
        country_words: &["sverige", "swe"],
        country: "Swedish",
    };
    card.read(host, request.image(), front::extract, |id| {
        back::extract(&card, &id)
    })
}

export_plugin!(manifest, extract);
