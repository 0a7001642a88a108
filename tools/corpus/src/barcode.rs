//! 2-D barcodes (QR, PDF417) drawn from `rxing`'s writers, and the payload formats the real
//! cards carry.

use anyhow::{anyhow, Result};
use flate2::write::GzEncoder;
use flate2::Compression;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::PrivateKey;
use rxing::{BarcodeFormat, MultiFormatWriter, Writer};
use sha2_v011::Sha256;
use std::io::Write;

/// The X.509 certificate (PEM) of the test key that signs the corpus's Aadhaar Secure QR codes.
/// Not a UIDAI key: configure it as `[signature_keys] uidai = ".../secure-qr-test-certificate.pem"`
/// only to test signature verification.
pub const SECURE_QR_TEST_CERTIFICATE: &str = include_str!("../data/secure-qr-test-certificate.pem");

/// The signer of the synthetic Secure QR codes (a test key committed with the corpus; it
/// signs synthetic data only).
fn secure_qr_test_signer() -> Result<SigningKey<Sha256>> {
    let key = PrivateKey::from_pkcs8_pem(include_str!("../data/secure-qr-test-key.pem"))
        .map_err(|e| anyhow!("the corpus's Secure QR test key: {e}"))?;
    Ok(SigningKey::new(key))
}

/// A module matrix: `rows[y][x]`, true = dark. Includes the writer's quiet zone.
pub type Matrix = Vec<Vec<bool>>;

fn encode(contents: &str, format: BarcodeFormat) -> Result<Matrix> {
    let bits = MultiFormatWriter
        .encode(contents, &format, 0, 0)
        .map_err(|e| anyhow!("cannot encode {format:?}: {e}"))?;
    Ok((0..bits.getHeight())
        .map(|y| (0..bits.getWidth()).map(|x| bits.get(x, y)).collect())
        .collect())
}

/// A QR code of `contents`.
pub fn qr(contents: &str) -> Result<Matrix> {
    encode(contents, BarcodeFormat::QR_CODE)
}

/// A PDF417 symbol of `contents`.
pub fn pdf417(contents: &str) -> Result<Matrix> {
    encode(contents, BarcodeFormat::PDF_417)
}

/// Big-endian bytes as a decimal big integer (the UIDAI Secure QR text form).
pub fn bytes_to_decimal(bytes: &[u8]) -> String {
    // Repeated division of the base-256 number by 10^9.
    let mut number: Vec<u32> = bytes.iter().map(|&b| b as u32).collect();
    let mut chunks: Vec<u32> = Vec::new();
    while number.iter().any(|&d| d != 0) {
        let mut remainder: u64 = 0;
        for d in number.iter_mut() {
            let acc = (remainder << 8) | *d as u64;
            *d = (acc / 1_000_000_000) as u32;
            remainder = acc % 1_000_000_000;
        }
        chunks.push(remainder as u32);
        while number.first() == Some(&0) {
            number.remove(0);
        }
    }
    match chunks.split_last() {
        None => "0".to_string(),
        Some((most, rest)) => {
            let mut s = most.to_string();
            for c in rest.iter().rev() {
                s.push_str(&format!("{c:09}"));
            }
            s
        }
    }
}

/// The UIDAI Secure QR (version 2) payload for synthetic data: the fields joined by byte 255,
/// followed by the 256-byte RSA signature (PKCS #1 v1.5, SHA-256) of everything before it,
/// gzip-compressed and written as a decimal big integer. A synthetic card cannot carry a UIDAI
/// signature: it is signed with the corpus's own test key (`data/secure-qr-test-key.pem`),
/// whose certificate (`data/secure-qr-test-certificate.pem`, [`SECURE_QR_TEST_CERTIFICATE`])
/// lets a host configured with it verify these codes, and a host with the UIDAI certificate
/// reject them, as it must. Fields, in order: version indicator `V2`, email/mobile hash indicator, reference id
/// (last 4 Aadhaar digits + timestamp), name, date of birth, gender, care of, district,
/// landmark, house, location, pin code, post office, state, street, sub-district, VTC, last 4
/// digits of the mobile number.
pub fn aadhaar_secure_qr(fields: &[&str]) -> Result<String> {
    let mut data = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            data.push(255u8);
        }
        data.extend_from_slice(f.as_bytes());
    }
    data.push(255);
    let signature = secure_qr_test_signer()?.try_sign(&data)?;
    data.extend_from_slice(&signature.to_vec());
    let mut gz = GzEncoder::new(Vec::new(), Compression::new(9));
    gz.write_all(&data)?;
    Ok(bytes_to_decimal(&gz.finish()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_conversion_matches_known_values() {
        assert_eq!(bytes_to_decimal(&[]), "0");
        assert_eq!(bytes_to_decimal(&[1, 0]), "256");
        assert_eq!(bytes_to_decimal(&[0xff; 8]), u64::MAX.to_string());
        assert_eq!(
            bytes_to_decimal(&[1, 0, 0, 0, 0, 0, 0, 0, 0]),
            "18446744073709551616"
        );
    }
}
