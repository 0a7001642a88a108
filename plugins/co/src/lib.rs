//! kycd plugin for the Colombian cédula de ciudadanía, yellow hologram model (2000-2020) and
//! digital model (2020+):
//!
//! - `ocr/co/cedula/front`: number (as printed, with dots), surnames, given names; on the
//!   digital model, the back's data that its front also prints go under `details`;
//! - `ocr/co/cedula/back`: birth date, height, blood group, issue date and place, sex; from the
//!   printed labels and the PDF417 (yellow model) or from the TD1 MRZ `ICCOL` and the QR
//!   (digital model).
//!
//! Only a card whose header names Colombia is read as Colombian (the front); an Ecuadorian or
//! other look-alike cédula is not this document.

use kycd_plugin_api::prelude::*;

mod back;
mod dates;
mod front;

/// The front route.
pub const FRONT_ROUTE: &str = "ocr/co/cedula/front";
/// The back route.
pub const BACK_ROUTE: &str = "ocr/co/cedula/back";

fn manifest() -> Manifest {
    Manifest::new("co", env!("CARGO_PKG_VERSION"))
        .document(
            DocumentSpec::new(
                FRONT_ROUTE,
                "Colombia cédula de ciudadanía, front (yellow or digital)",
            )
            .field(
                "CardNumber",
                "Number as printed, with dots (NUIP on the digital model)",
            )
            .field("Surname", "Surnames")
            .field("GivenNames", "Given names"),
        )
        .document(
            DocumentSpec::new(
                BACK_ROUTE,
                "Colombia cédula de ciudadanía, back (yellow or digital)",
            )
            .field("DateOfBirth", "Date of birth, e.g. 17-ENE-1987")
            .field("Height", "Height in metres, e.g. 1.72 (yellow model)")
            .field("BloodType", "Blood group and Rh, e.g. A+ (yellow model)")
            .field(
                "DateOfIssue",
                "Date of issue, e.g. 05-MAR-2010 (yellow model)",
            )
            .field("PlaceOfIssue", "Place of issue (yellow model)")
            .field("Gender", "Sex: M or F"),
        )
}

fn extract(request: &Request<'_>, host: &Host<'_>) -> Result<Extraction, ExtractError> {
    match request.route() {
        FRONT_ROUTE => front::extract(host, request.image()),
        BACK_ROUTE => back::extract(host, request.image()),
        other => Err(ExtractError::unknown_route(other)),
    }
}

export_plugin!(manifest, extract);
