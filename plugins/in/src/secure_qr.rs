//! The UIDAI Aadhaar Secure QR code: a decimal big integer whose bytes are a gzip stream of
//! text fields separated by byte 255, followed by the photo (JPEG 2000), optional SHA-256
//! hashes of mobile and e-mail, and a 256-byte RSA signature.
//!
//! Field order (UIDAI Secure QR specification): an optional version (`V2`, `V3`...; absent in
//! the first version), the e-mail/mobile indicator (0 none, 1 e-mail, 2 mobile, 3 both), the
//! reference id (last four digits of the Aadhaar number followed by a timestamp), name, date of
//! birth (`DD-MM-YYYY`), gender (`M`/`F`/`T`), care of, district, landmark, house, location,
//! PIN code, post office, state, street, sub-district, VTC (village/town/city) and, from `V2`
//! on, the last four digits of the mobile number.
//!
//! The signature (RSA, SHA-256, over every byte before it) is checked by the host with the UIDAI
//! certificate its operator configured (`[signature_keys] uidai`): `verified` or `invalid`. A
//! host without that certificate leaves it `not verified`; the plugin never claims more.

use std::io::Read;

use flate2::read::{GzDecoder, ZlibDecoder};
use kycd_plugin_api::{Host, SignatureCheck};
use num_bigint::BigUint;

/// Decompressed payloads larger than this are refused (a QR holds a few kilobytes).
const MAX_PAYLOAD: u64 = 64 * 1024;
/// The name of the host's signature key for Secure QR codes (`[signature_keys] uidai = ...`).
pub const UIDAI_KEY: &str = "uidai";
/// Length of the RSA-2048 signature at the end of the payload.
pub const SIGNATURE_LEN: usize = 256;

/// The text fields of a Secure QR.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SecureQr {
    /// `V2`, `V3`...; empty for the first version.
    pub version: String,
    /// E-mail/mobile indicator: 0 none, 1 e-mail, 2 mobile, 3 both.
    pub email_mobile_indicator: String,
    /// Last four digits of the Aadhaar number followed by the generation timestamp.
    pub reference_id: String,
    /// Resident name.
    pub name: String,
    /// Date of birth `DD-MM-YYYY` (or a year).
    pub date_of_birth: String,
    /// `M`, `F` or `T`.
    pub gender: String,
    /// Care of (`S/O ...`, `D/O ...`, `W/O ...`, `C/O ...`).
    pub care_of: String,
    /// District.
    pub district: String,
    /// Landmark.
    pub landmark: String,
    /// House.
    pub house: String,
    /// Location (locality).
    pub location: String,
    /// PIN code.
    pub pin_code: String,
    /// Post office.
    pub post_office: String,
    /// State.
    pub state: String,
    /// Street.
    pub street: String,
    /// Sub-district.
    pub sub_district: String,
    /// Village, town or city.
    pub vtc: String,
    /// Last four digits of the mobile number (`V2` and later; empty otherwise).
    pub mobile_last4: String,
    /// Whether the payload is long enough to end with a signature.
    pub has_signature: bool,
    /// The signed bytes (the payload without its last [`SIGNATURE_LEN`] bytes) and the
    /// signature, for [`SecureQr::verify`]; empty when there is no signature.
    signed: Vec<u8>,
    signature: Vec<u8>,
    /// The outcome of [`SecureQr::verify`]: `verified`, `invalid` or `not verified`.
    pub signature_status: &'static str,
}

impl SecureQr {
    /// Checks the signature with the UIDAI certificate the operator configured on the host
    /// (`[signature_keys] uidai`); without one the status stays `not verified`, never claimed.
    pub fn verify(mut self, host: &Host<'_>) -> SecureQr {
        if self.has_signature {
            let check = host.verify_signature(UIDAI_KEY, &self.signed, &self.signature);
            self.signature_status = check.as_str();
        }
        self
    }

    /// The last four digits of the Aadhaar number (the start of the reference id).
    pub fn aadhaar_last4(&self) -> Option<&str> {
        let head = self.reference_id.get(..4)?;
        head.bytes().all(|b| b.is_ascii_digit()).then_some(head)
    }

    /// The date of birth written `dd/mm/yyyy` like the card prints it (or the year alone).
    pub fn date_of_birth_printed(&self) -> String {
        self.date_of_birth.replace(['-', '.'], "/")
    }

    /// The gender as the card prints it in English.
    pub fn gender_printed(&self) -> &'static str {
        match self.gender.trim() {
            "M" | "m" => "MALE",
            "F" | "f" => "FEMALE",
            "T" | "t" => "TRANSGENDER",
            _ => "",
        }
    }
}

/// Decodes a Secure QR from the text a QR decoder returned: `None` when it is not one (not a
/// long decimal number, not a compressed stream, or not the expected fields).
pub fn decode(text: &str) -> Option<SecureQr> {
    let digits = text.trim();
    if digits.len() < 100 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let bytes = BigUint::parse_bytes(digits.as_bytes(), 10)?.to_bytes_be();
    let payload = decompress(&bytes)?;
    parse_payload(&payload)
}

/// Gunzips (or, failing that, inflates a zlib stream), refusing oversized output.
fn decompress(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    if GzDecoder::new(bytes)
        .take(MAX_PAYLOAD)
        .read_to_end(&mut out)
        .is_ok()
        && !out.is_empty()
    {
        return Some(out);
    }
    out.clear();
    ZlibDecoder::new(bytes)
        .take(MAX_PAYLOAD)
        .read_to_end(&mut out)
        .ok()?;
    (!out.is_empty()).then_some(out)
}

/// Splits the decompressed payload into its text fields.
pub fn parse_payload(payload: &[u8]) -> Option<SecureQr> {
    let mut fields = payload.split(|&b| b == 255);
    let first = latin1(fields.next()?);
    let versioned = first.len() >= 2
        && first.starts_with('V')
        && first[1..].bytes().all(|b| b.is_ascii_digit());
    let (version, indicator) = if versioned {
        (first, latin1(fields.next()?))
    } else {
        (String::new(), first)
    };
    if !matches!(indicator.as_str(), "0" | "1" | "2" | "3") {
        return None;
    }
    let mut next = || fields.next().map(latin1);
    let mut qr = SecureQr {
        version,
        email_mobile_indicator: indicator,
        reference_id: next()?,
        name: next()?,
        date_of_birth: next()?,
        gender: next()?,
        care_of: next()?,
        district: next()?,
        landmark: next()?,
        house: next()?,
        location: next()?,
        pin_code: next()?,
        post_office: next()?,
        state: next()?,
        street: next()?,
        sub_district: next()?,
        vtc: next()?,
        ..SecureQr::default()
    };
    if versioned {
        qr.mobile_last4 = next().unwrap_or_default();
    }
    qr.has_signature = payload.len() > SIGNATURE_LEN;
    if qr.has_signature {
        let (signed, signature) = payload.split_at(payload.len() - SIGNATURE_LEN);
        (qr.signed, qr.signature) = (signed.to_vec(), signature.to_vec());
    }
    qr.signature_status = SignatureCheck::NO_KEY.as_str();
    qr.aadhaar_last4()?;
    Some(qr)
}

/// Text of a field: UTF-8 when valid, else ISO-8859-1 (the specification's encoding).
fn latin1(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.trim().to_string(),
        Err(_) => bytes
            .iter()
            .map(|&b| char::from(b))
            .collect::<String>()
            .trim()
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use std::io::Write;

    fn encode(fields: &[&str], tail: &[u8]) -> String {
        let mut data = Vec::new();
        for f in fields {
            data.extend_from_slice(f.as_bytes());
            data.push(255);
        }
        data.extend_from_slice(tail);
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(&data).unwrap();
        BigUint::from_bytes_be(&gz.finish().unwrap()).to_str_radix(10)
    }

    const V2: [&str; 18] = [
        "V2",
        "2",
        "5665202401011230001",
        "Sanjay Gupta",
        "06-06-1966",
        "M",
        "S/O Arjun Gupta",
        "Lucknow",
        "",
        "71",
        "Indira Nagar",
        "226136",
        "Lucknow",
        "Uttar Pradesh",
        "Station Road",
        "Lucknow",
        "Lucknow",
        "8726",
    ];

    #[test]
    fn decodes_a_v2_payload_with_photo_and_signature() {
        // The photo and signature may contain byte 255: they must not shift the text fields.
        let tail: Vec<u8> = (0..=255u8).chain(0..=255u8).collect();
        let qr = decode(&encode(&V2, &tail)).expect("decodes");
        assert_eq!(qr.version, "V2");
        assert_eq!(qr.name, "Sanjay Gupta");
        assert_eq!(qr.date_of_birth_printed(), "06/06/1966");
        assert_eq!(qr.gender_printed(), "MALE");
        assert_eq!(qr.pin_code, "226136");
        assert_eq!(qr.state, "Uttar Pradesh");
        assert_eq!(qr.mobile_last4, "8726");
        assert_eq!(qr.aadhaar_last4(), Some("5665"));
        assert!(qr.has_signature);
    }

    #[test]
    fn decodes_a_first_version_payload_without_version_field() {
        let qr = decode(&encode(&V2[1..17], &[0; 300])).expect("decodes");
        assert_eq!(qr.version, "");
        assert_eq!(qr.vtc, "Lucknow");
        assert_eq!(qr.mobile_last4, "");
    }

    #[test]
    fn refuses_what_is_not_a_secure_qr() {
        assert!(decode("hello").is_none());
        assert!(decode(&"7".repeat(400)).is_none());
        assert!(decode(&encode(&["V2", "9", "x"], &[])).is_none());
        assert!(decode(&encode(&V2[..6], &[])).is_none());
    }
}
