//! 2-D barcodes (QR, PDF417) drawn from `rxing`'s writers, and the payload formats the real
//! cards carry.

use anyhow::{anyhow, Result};
use flate2::write::GzEncoder;
use flate2::Compression;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rxing::{BarcodeFormat, MultiFormatWriter, Writer};
use std::io::Write;

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
/// followed by 256 random "signature" bytes (a synthetic card has no UIDAI signature; readers
/// that verify it will reject it, by design), gzip-compressed and written as a decimal big
/// integer. Fields, in order: version indicator `V2`, email/mobile hash indicator, reference id
/// (last 4 Aadhaar digits + timestamp), name, date of birth, gender, care of, district,
/// landmark, house, location, pin code, post office, state, street, sub-district, VTC, last 4
/// digits of the mobile number.
pub fn aadhaar_secure_qr(fields: &[&str], rng: &mut ChaCha8Rng) -> Result<String> {
    let mut data = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            data.push(255u8);
        }
        data.extend_from_slice(f.as_bytes());
    }
    data.push(255);
    data.extend((0..256).map(|_| rng.random::<u8>()));
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
