//! kycd plugin for India: Aadhaar front and back (PVC card and e-Aadhaar print, with the Secure
//! QR as a second source) and the PAN card (old and current designs).
//!
//! Layout knowledge and field parsing only: text, geometry and barcodes come from the host.
//! See `docs/plugins/in.md` for the layouts, how each field is found and validated, and the
//! `details=1` payload.

use kycd_plugin_api::prelude::*;

mod aadhaar;
mod aadhaar_back;
mod aadhaar_front;
mod card;
mod front_layout;
pub mod numbers;
mod pan;
mod qr_agreement;
pub mod secure_qr;
pub mod states;

/// Route of the Aadhaar front side.
pub const AADHAAR_FRONT: &str = "ocr/in/aadhaar/front";
/// Route of the Aadhaar back side.
pub const AADHAAR_BACK: &str = "ocr/in/aadhaar/back";
/// Route of the PAN card.
pub const PAN: &str = "ocr/in/pan";

fn manifest() -> Manifest {
    Manifest::new("in", env!("CARGO_PKG_VERSION"))
        .document(
            DocumentSpec::new(
                AADHAAR_FRONT,
                "India Aadhaar, front (PVC card or e-Aadhaar)",
            )
            .field("CardNumber", "Aadhaar number as printed, XXXX XXXX XXXX")
            .field("Name", "Name, the English line")
            .field(
                "DateOfBirth",
                "dd/mm/yyyy, or the year when only Year of Birth is printed",
            )
            .field("Gender", "MALE / FEMALE / TRANSGENDER as printed")
            .field("VID", "Virtual ID, 16 digits, when printed")
            .field("MobileNumber", "Mobile number, when printed (e-Aadhaar)")
            .field("IssueDate", "Aadhaar issue date, dd/mm/yyyy")
            .field("DownloadDate", "Download date, dd/mm/yyyy (e-Aadhaar)"),
        )
        .document(
            DocumentSpec::new(AADHAAR_BACK, "India Aadhaar, back (address side)")
                .field("Address", "English address without city, state and PIN")
                .field("City", "City / town of the address")
                .field("Province", "State or union territory")
                .field("PostCode", "6-digit PIN code")
                .field("VID", "Virtual ID, 16 digits, when printed")
                .field("CardNumber", "Aadhaar number as printed, XXXX XXXX XXXX"),
        )
        .document(
            DocumentSpec::new(PAN, "India PAN card (old and current design)")
                .field("CardNumber", "Permanent Account Number, AAAAA9999A")
                .field("Name", "Holder's name")
                .field("FatherName", "Father's name")
                .field("DateOfBirth", "dd/mm/yyyy"),
        )
}

fn extract(request: &Request<'_>, host: &Host<'_>) -> Result<Extraction, ExtractError> {
    match request.route() {
        AADHAAR_FRONT => aadhaar_front::extract(request.image(), host),
        AADHAAR_BACK => aadhaar_back::extract(request.image(), host),
        PAN => pan::extract(request.image(), host),
        other => Err(ExtractError::unknown_route(other)),
    }
}

export_plugin!(manifest, extract);
