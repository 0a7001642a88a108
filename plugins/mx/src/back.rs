//! The back of the voter card: the TD1 MRZ (`IDMEX` + CIC, the OCR number, birth date, sex,
//! expiry, names) and, on models E-H, the QR, read as a second source.

use kycd_plugin_api::card_reading::{fold, looks_like_mrz, read_mrz_upright, CardReading};
use kycd_plugin_api::mrz_identity::{today, MrzIdentity};
use kycd_plugin_api::prelude::*;
use serde_json::{json, Value};

use crate::KEYS;

/// What the QR of models E-H says (`https://qr.ine.mx/<CIC>/<OCR>/<clave de elector>`),
/// compared with the MRZ.
fn qr_details(host: &Host<'_>, image: ImageRef<'_>, id: &MrzIdentity) -> Value {
    let codes = host.decode_barcodes(image);
    let Some(qr) = codes.iter().find(|b| b.format == BarcodeFormat::QR) else {
        return Value::Null;
    };
    let parts: Vec<&str> = qr.text.as_str().trim_end_matches('/').rsplit('/').collect();
    if parts.len() < 3 {
        return json!({"read": true, "parsed": false});
    }
    let (voter, ocr, cic) = (parts[0], parts[1], parts[2]);
    let mrz_ocr = id.optional_data.value.trim_start_matches('<');
    json!({
        "read": true,
        "parsed": true,
        "voterId": voter,
        "cicMatchesMrz": cic == id.document_number.value,
        "ocrMatchesMrz": ocr == mrz_ocr,
    })
}

/// Whether the page shows the title only the front prints, `CREDENCIAL PARA VOTAR`: a front
/// whose labels were too blurred to read is this document, unreadable, not a back whose zone
/// was lost.
fn shows_front_title(page: &Page) -> bool {
    page.lines()
        .iter()
        .any(|l| fold(&l.text).contains("CREDENCIAL PARA VOTAR"))
}

/// Reads the back from its MRZ; not this document when there is no Mexican ID zone.
pub fn extract(
    host: &Host<'_>,
    image: ImageRef<'_>,
    card: &CardReading,
) -> Result<Extraction, ExtractError> {
    let shows_zone = card
        .page
        .lines()
        .iter()
        .any(|l| looks_like_mrz(&l.text) || l.text.contains("IDMEX"));
    let shows_header = card
        .page
        .lines()
        .iter()
        .any(|l| l.text.to_uppercase().contains("ELECTORAL"));
    let Some(zone) = read_mrz_upright(host, image, card) else {
        return if !shows_zone && shows_front_title(&card.page) {
            Err(ExtractError::unreadable(
                "the voter card's front, but too few of its labels are legible (NOMBRE, DOMICILIO, CLAVE DE ELECTOR, CURP, FECHA DE NACIMIENTO)",
            ))
        } else if shows_zone || shows_header {
            Err(ExtractError::unreadable(
                "the voter card's MRZ could not be read",
            ))
        } else {
            Err(ExtractError::not_this_document("no MRZ"))
        };
    };
    let id = MrzIdentity::from_mrz(&zone, today());
    if id.issuing_state != "MEX" || !id.document_code.starts_with('I') {
        return Err(ExtractError::not_this_document(
            "the MRZ is not a Mexican ID card's",
        ));
    }
    let gender = id.sex.field("gender", |s| match s.as_str() {
        "M" => Some("H".to_string()),
        "F" => Some("M".to_string()),
        _ => None,
    });
    let birthday = id.birth_date.field("birthday", |d| {
        d.map(|d| format!("{:02}/{:02}/{}", d.day, d.month, d.year))
    });
    let expiry = id
        .expiry_date
        .field("expiryYear", |d| d.map(|d| d.year.to_string()));
    let full_name = id.surname.field("fullName", |surname| {
        let given = id.given_names.value.trim();
        let name = format!("{} {}", surname.trim(), given);
        let name = name.trim().to_string();
        (!name.is_empty()).then_some(name)
    });
    let fields: Vec<Field> = KEYS
        .iter()
        .map(|(key, _)| match *key {
            "gender" => gender.clone(),
            "birthday" => birthday.clone(),
            "expiryYear" => expiry.clone(),
            "fullName" => full_name.clone(),
            other => Field::absent(other),
        })
        .collect();
    let qr_image = card.crop.as_ref().map_or(image, |c| c.image.as_ref());
    let qr = qr_details(host, qr_image, &id);
    Ok(Extraction::new(fields).with_details(json!({
        "side": "back",
        "model": if qr.is_null() { "C-H" } else { "E-H" },
        "mrz": {
            "valid": id.all_checks_valid,
            "documentNumber": id.document_number.value,
            "documentNumberValid": id.document_number.check_digit_valid,
            "birthDateValid": id.birth_date.check_digit_valid,
            "expiryDateValid": id.expiry_date.check_digit_valid,
            "ocrNumber": id.optional_data.value.trim_start_matches('<'),
        },
        "qr": qr,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(texts: &[&str]) -> Page {
        let lines: Vec<TextLine> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                TextLine::latin(
                    t,
                    Rect::new(200.0, 20.0 + 40.0 * i as f32, 400.0, 30.0),
                    0.9,
                )
            })
            .collect();
        Page::new(&lines, 1000, 630)
    }

    #[test]
    fn only_the_front_title_marks_a_blurred_front() {
        // Seed-7 front photo 0005: the title read, every label lost to blur.
        assert!(shows_front_title(&page(&[
            "MÉXICO",
            "CREDENCIAL PARA VOTAR",
            "PEREZ"
        ])));
        assert!(shows_front_title(&page(&["Credencial para Votar"])));
        // The institute's name alone is printed on either side.
        assert!(!shows_front_title(&page(&["INSTITUTO NACIONAL ELECTORAL"])));
        assert!(!shows_front_title(&page(&["IDMEX1234567890<<1234"])));
    }
}
