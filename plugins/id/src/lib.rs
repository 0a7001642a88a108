//! kycd plugin for the Indonesian identity card, the e-KTP: route `ocr/id/ktp`.
//!
//! The card is Latin text only: header lines `PROVINSI …` and the regency/city, the NIK, then
//! label/colon/value rows. [`ktp`] finds the rows by their labels, [`fields`] turns the raw
//! values into the route's fields and validates them (NIK encoding against the printed birth
//! date and sex, closed vocabularies for gender, religion, marital status and nationality).

pub mod fields;
pub mod ktp;
pub mod vocab;

use fields::KtpFields;
use kycd_plugin_api::prelude::*;
use kycd_plugin_api::skew;

/// The route this plugin serves.
pub const ROUTE: &str = "ocr/id/ktp";

fn manifest() -> Manifest {
    let mut spec = DocumentSpec::new(ROUTE, "Indonesian identity card (e-KTP), front");
    for (key, description) in fields::KEYS {
        spec = spec.field(key, description);
    }
    Manifest::new("id", env!("CARGO_PKG_VERSION")).document(spec)
}

fn extract(request: &Request<'_>, host: &Host<'_>) -> Result<Extraction, ExtractError> {
    if request.route() != ROUTE {
        return Err(ExtractError::unknown_route(request.route()));
    }
    let image = request.image();
    // The rectified card is smaller and upright: read it first. Read the whole image when no
    // card edge was found, or when the crop does not read as a KTP or its NIK does not validate
    // (a wrong outline cuts the card), and keep the better of the two reads.
    let mut best: Option<KtpFields> = None;
    let mut anchored = false;
    if let Some(card) = host.locate_document(image) {
        best = read_ktp(host, card.image.as_ref(), &mut anchored);
    }
    if best.as_ref().is_none_or(|b| !b.is_complete()) {
        if let Some(whole) = read_ktp(host, image, &mut anchored) {
            if best.as_ref().is_none_or(|b| whole.quality() > b.quality()) {
                best = Some(whole);
            }
        }
    }
    let card = best.ok_or_else(|| {
        if anchored {
            // The NIK row or the province header was read, too few of the rows under it.
            ExtractError::unreadable(
                "no id or name found (the KTP's rows are unreadable: blur or glare)",
            )
        } else {
            ExtractError::not_this_document("not an Indonesian identity card (KTP)")
        }
    })?;
    if card.id.value.is_empty() || card.name.value.is_empty() {
        return Err(ExtractError::unreadable("no id or name found"));
    }
    Ok(card.into_extraction())
}

/// Reads the image and parses the KTP; `None` when it does not look like one (`anchored` set
/// when the page still showed the NIK row or the province header).
fn read_ktp(host: &Host<'_>, image: ImageRef<'_>, anchored: &mut bool) -> Option<KtpFields> {
    let lines = host.read_text(image, ReadOptions::latin());
    // A tilted photo (or an imperfect rectification) leans every row: level them first.
    let (lines, angle) = skew::deskew(&lines, image.width, image.height);
    let page = Page::new(&lines, image.width, image.height);
    let found = ktp::KtpText::find_any(&page);
    *anchored |= found.is_anchored();
    if !found.is_ktp() {
        return None;
    }
    let mut card = KtpFields::parse(&found);
    if !card.nik_is_consistent() {
        // One cheap digits-only re-read of the number; kept only when it validates.
        if let Some(quad) = found.nik_value_quad() {
            let quad = skew::reskew(&quad, image.width, image.height, angle);
            let reread = host.recognize_region(image, quad, Charset::DIGITS);
            card.consider_nik_alternative(reread.text.as_str(), reread.confidence);
        }
    }
    Some(card)
}

export_plugin!(manifest, extract);
