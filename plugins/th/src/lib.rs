//! kycd plugin for Thai documents: the national identity card (`ocr/th/id-card`) and the
//! driving licence (`ocr/th/driving-licence`).
//!
//! Both cards are read once with the fast Latin recogniser (English lines and every digit);
//! only the Thai fields that have no English twin (names, religion, address) are re-read with
//! the Thai recogniser, one region each, to keep Thai cards within the latency budget.

pub mod admin_areas;
pub mod card;
pub mod dates;
pub mod id_card;
pub mod lexicon;
pub mod licence;
pub mod names;
pub mod romanise;

use kycd_plugin_api::prelude::*;

fn manifest() -> Manifest {
    let mut id = DocumentSpec::new(id_card::ROUTE, "Thai national identity card, front");
    for (key, description) in id_card::KEYS {
        id = id.field(key, description);
    }
    let mut dl = DocumentSpec::new(licence::ROUTE, "Thai driving licence, front");
    for (key, description) in licence::KEYS {
        dl = dl.field(key, description);
    }
    Manifest::new("th", env!("CARGO_PKG_VERSION"))
        .document(id)
        .document(dl)
}

fn extract(request: &Request<'_>, host: &Host<'_>) -> Result<Extraction, ExtractError> {
    match request.route() {
        id_card::ROUTE => id_card::extract(host, request.image()),
        licence::ROUTE => licence::extract(host, request.image()),
        other => Err(ExtractError::unknown_route(other)),
    }
}

export_plugin!(manifest, extract);
