//! kycd plugin for the Mexican voter card (credencial para votar), IFE models C and D and INE
//! models E to H, on one route `ocr/mx/ine`:
//!
//! - the front is read by its labels (`NOMBRE`, `DOMICILIO`, `CLAVE DE ELECTOR`, `CURP`, ...);
//!   the CURP is repaired by position and proven by its check digit, then cross-checked against
//!   the printed name, birth date and sex (`curp`);
//! - the back answers from its TD1 MRZ (`IDMEX...`, check digits verified) with the QR (models
//!   E-H) as a second source under `details`.

use kycd_plugin_api::card_reading::{find_label, looks_like_mrz, read_card};
use kycd_plugin_api::prelude::*;

mod back;
mod curp;
mod front;

/// The route this plugin serves.
pub const ROUTE: &str = "ocr/mx/ine";

/// Every key of the answer, in order, with its description.
pub const KEYS: [(&str, &str); 18] = [
    ("gender", "Sex as printed: H or M"),
    ("idNumber", "CURP (18 characters, check digit verified)"),
    ("voterId", "Clave de elector (18 characters)"),
    (
        "fullName",
        "Paternal surname, maternal surname and given names",
    ),
    ("fatherLastName", "Paternal surname"),
    ("motherLastName", "Maternal surname"),
    ("name", "Given names"),
    ("birthday", "Date of birth, dd/mm/yyyy"),
    (
        "issueYear",
        "Year of issue (EMISION, or the first year of VIGENCIA)",
    ),
    ("expiryYear", "Last year of validity (VIGENCIA)"),
    ("registrationYearAndMonth", "AÑO DE REGISTRO as yyyymm"),
    ("municipalNumber", "MUNICIPIO (models C-F)"),
    ("postalCode", "Postal code of the address"),
    ("placeNumber", "LOCALIDAD (models C-F)"),
    ("stateNumber", "ESTADO (models C-F)"),
    ("state", "State as the address prints it"),
    ("district", "DISTRITO (models C-D)"),
    ("addressAll", "The address lines joined by spaces"),
];

fn manifest() -> Manifest {
    let mut spec = DocumentSpec::new(ROUTE, "Mexico INE/IFE voter card (front or back)");
    for (key, description) in KEYS {
        spec = spec.field(key, description);
    }
    Manifest::new("mx", env!("CARGO_PKG_VERSION")).document(spec)
}

/// How much of the front's layout a page shows: labels found, in the right vertical order.
fn front_score(page: &Page) -> i32 {
    let top = |label: &str| find_label(page, label).map(|l| l.top);
    let order = [
        "CREDENCIAL",
        "NOMBRE",
        "DOMICILIO",
        "CLAVE DE ELECTOR",
        "CURP",
    ];
    let found: Vec<f32> = order.iter().filter_map(|l| top(l)).collect();
    let ordered = found.windows(2).filter(|w| w[0] < w[1]).count() as i32;
    found.len() as i32 + ordered
}

/// How much of either side a page shows: the front's layout, or an MRZ (the back).
fn card_score(page: &Page) -> i32 {
    let zone = page
        .lines()
        .iter()
        .filter(|l| looks_like_mrz(&l.text))
        .count() as i32;
    front_score(page).max(if zone >= 2 { 2 + zone } else { 0 })
}

fn extract(request: &Request<'_>, host: &Host<'_>) -> Result<Extraction, ExtractError> {
    if request.route() != ROUTE {
        return Err(ExtractError::unknown_route(request.route()));
    }
    let card = read_card(host, request.image(), card_score, 4);
    if front::is_front(&card.page) {
        return front::extract(&card.page);
    }
    back::extract(host, request.image(), &card)
}

export_plugin!(manifest, extract);
