//! Secure QR as a second source: per-field agreement between what the card prints and what its
//! QR carries, for the `details=1` payload.

use kycd_plugin_api::Field;
use serde_json::{json, Map, Value};

use crate::secure_qr::SecureQr;

/// How a printed value compares with the QR's value for the same field.
pub fn compare(printed: &str, from_qr: &str) -> &'static str {
    let (p, q) = (comparable(printed), comparable(from_qr));
    match (p.is_empty(), q.is_empty()) {
        (true, true) => "absent",
        (false, true) => "print only",
        (true, false) => "qr only",
        _ if p == q => "agree",
        _ => "disagree",
    }
}

/// Lower-case alphanumerics only, so that spacing and punctuation do not count.
fn comparable(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Fills `field` from the QR when the print yielded nothing, marking its source `qr`.
pub fn fill_from_qr(field: Field, from_qr: &str) -> Field {
    if field.value.is_empty() && !from_qr.is_empty() {
        Field::ocr(field.key.as_str(), from_qr, 1.0).from_source("qr")
    } else {
        field
    }
}

/// The `qr` object of the details: format, signature status and per-field agreement.
pub fn details(qr: Option<&SecureQr>, agreement: &[(&str, &'static str)]) -> Value {
    let Some(qr) = qr else {
        return json!({ "found": false });
    };
    let fields: Map<String, Value> = agreement
        .iter()
        .map(|(key, outcome)| (key.to_string(), Value::from(*outcome)))
        .collect();
    json!({
        "found": true,
        "format": "secure-qr",
        "version": if qr.version.is_empty() { "V1" } else { qr.version.as_str() },
        "signature": qr.signature_status,
        "agreement": fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_ignores_case_and_punctuation() {
        assert_eq!(compare("Sanjay Gupta", "SANJAY  GUPTA"), "agree");
        assert_eq!(compare("06/06/1966", "06-06-1966"), "agree");
        assert_eq!(compare("226136", "226137"), "disagree");
        assert_eq!(compare("", "x"), "qr only");
        assert_eq!(compare("x", ""), "print only");
    }

    #[test]
    fn qr_fills_only_missing_fields() {
        let filled = fill_from_qr(Field::ocr("PostCode", "", 0.0), "226136");
        assert_eq!(filled.value.as_str(), "226136");
        assert_eq!(filled.source.as_str(), "qr");
        let kept = fill_from_qr(Field::ocr("PostCode", "110001", 0.9), "226136");
        assert_eq!(kept.value.as_str(), "110001");
    }
}
