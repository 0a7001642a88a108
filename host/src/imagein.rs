//! Image parameters: base64 (or a file part) -> checked bytes -> decoded, EXIF-oriented RGB.
//!
//! Checks run in a fixed order, each with its own status: missing -> `INVALID_REQUEST`, bad
//! base64 -> `INVALID_REQUEST`, over the byte limit -> `IMAGE_INVALID_SIZE`, not JPEG/PNG/BMP by
//! magic bytes or undecodable -> `IMAGE_INVALID_FORMAT`, over the pixel budget ->
//! `IMAGE_INVALID_SIZE` (checked from the header, before any pixel buffer is allocated).

use std::io::Cursor;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use image::{ImageDecoder, ImageFormat, ImageReader, RgbImage};

use crate::answer::{Answer, Status};
use crate::request::{Param, Params};

/// Limits applied to every image parameter.
#[derive(Clone, Copy, Debug)]
pub struct ImageLimits {
    pub max_bytes: usize,
    pub max_pixels: u64,
}

const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Reads, checks and decodes the image parameter `name`.
pub fn decode_param(params: &Params, name: &str, limits: ImageLimits) -> Result<RgbImage, Answer> {
    // A file part is decoded in place; only base64 text needs a buffer of its own.
    let bytes: std::borrow::Cow<'_, [u8]> = match params.get(name) {
        Some(Param::File(bytes)) if !bytes.is_empty() => bytes.as_ref().into(),
        Some(Param::Text(text)) if !text.trim().is_empty() => {
            decode_base64(text).map(Into::into).map_err(|why| {
                Answer::error(
                    Status::InvalidRequest,
                    format!("parameter {name} is not valid base64: {why}"),
                )
            })?
        }
        _ => {
            return Err(Answer::error(
                Status::InvalidRequest,
                format!("missing or empty parameter {name}"),
            ))
        }
    };
    decode_bytes(&bytes, limits).map_err(|mut answer| {
        if let serde_json::Value::String(message) = &mut answer.message {
            *message = format!("{name}: {message}");
        }
        answer
    })
}

/// Decodes standard or URL-safe base64, with or without padding, line breaks or a
/// `data:image/...;base64,` prefix. A `+` turned into a space by form decoding is restored.
pub fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    let text = text.trim();
    let text = match text.strip_prefix("data:") {
        Some(rest) => rest
            .split_once(',')
            .map(|(_, data)| data)
            .ok_or("data: URL without a comma")?,
        None => text,
    };
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, '\r' | '\n' | '\t'))
        .map(|c| match c {
            ' ' => '+',
            '-' => '+',
            '_' => '/',
            other => other,
        })
        .collect();
    LENIENT
        .decode(cleaned.as_bytes())
        .map_err(|e| e.to_string())
}

/// Checks and decodes raw image bytes.
pub fn decode_bytes(bytes: &[u8], limits: ImageLimits) -> Result<RgbImage, Answer> {
    if bytes.len() > limits.max_bytes {
        return Err(Answer::error(
            Status::ImageInvalidSize,
            "image larger than 2M",
        ));
    }
    let format = sniff_format(bytes).ok_or_else(|| {
        Answer::error(Status::ImageInvalidFormat, "image is not JPEG, PNG or BMP")
    })?;
    if format == ImageFormat::Jpeg && !jpeg_is_complete(bytes) {
        return Err(Answer::error(
            Status::ImageInvalidFormat,
            "JPEG image could not be decoded: the file is truncated (no end-of-image marker after its last scan)",
        ));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut image_limits = image::Limits::default();
    image_limits.max_alloc = Some(limits.max_pixels.saturating_mul(4).min(u64::MAX / 2));
    reader.limits(image_limits);
    let mut decoder = reader.into_decoder().map_err(|e| undecodable(format, &e))?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(Answer::error(
            Status::ImageInvalidFormat,
            "image has no pixels",
        ));
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(Answer::error(
            Status::ImageInvalidSize,
            format!(
                "image of {width}x{height} pixels is over the {} pixel budget",
                limits.max_pixels
            ),
        ));
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image =
        image::DynamicImage::from_decoder(decoder).map_err(|e| undecodable(format, &e))?;
    image.apply_orientation(orientation);
    Ok(image.into_rgb8())
}

fn undecodable(format: ImageFormat, error: &image::ImageError) -> Answer {
    let why = match error {
        image::ImageError::Limits(_) => {
            return Answer::error(Status::ImageInvalidSize, "image is over the pixel budget")
        }
        image::ImageError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            "the file is truncated".to_string()
        }
        other => other.to_string(),
    };
    Answer::error(
        Status::ImageInvalidFormat,
        format!("{} image could not be decoded: {why}", format_name(format)),
    )
}

/// Whether a JPEG has its end-of-image marker after its last start-of-scan. Decoders fill a cut
/// file with grey rather than fail, so a truncated upload would otherwise be "read". (Inside
/// entropy-coded data 0xFF is always followed by 0x00 or a restart marker, so the two markers
/// cannot appear by accident; an EXIF thumbnail's own markers come before the main scan.)
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let last_marker = |marker: u8| bytes.windows(2).rposition(|w| w == [0xFF, marker]);
    match (last_marker(0xDA), last_marker(0xD9)) {
        (Some(scan), Some(end)) => end > scan,
        _ => false,
    }
}

fn sniff_format(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageFormat::Png)
    } else if bytes.starts_with(b"BM") {
        Some(ImageFormat::Bmp)
    } else {
        None
    }
}

fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::Png => "PNG",
        _ => "BMP",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: ImageLimits = ImageLimits {
        max_bytes: 2 * 1024 * 1024,
        max_pixels: 40_000_000,
    };

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        RgbImage::new(width, height)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn base64_variants_decode_alike() {
        let raw: Vec<u8> = (0u8..=255).collect();
        let standard = base64::engine::general_purpose::STANDARD.encode(&raw);
        let url_safe = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&raw);
        let wrapped: String = standard
            .as_bytes()
            .chunks(76)
            .map(|c| std::str::from_utf8(c).unwrap().to_string() + "\r\n")
            .collect();
        for text in [
            standard.clone(),
            url_safe,
            wrapped,
            format!("data:image/png;base64,{standard}"),
            standard.replace('+', " "),
        ] {
            assert_eq!(decode_base64(&text).unwrap(), raw);
        }
        assert!(decode_base64("not base64!!").is_err());
    }

    #[test]
    fn formats_and_sizes_are_checked_in_order() {
        assert!(decode_bytes(&png(4, 3), LIMITS).is_ok());
        let err = decode_bytes(b"GIF89a....", LIMITS).unwrap_err();
        assert_eq!(err.status, Status::ImageInvalidFormat);
        let mut truncated = png(64, 64);
        truncated.truncate(truncated.len() / 2);
        assert_eq!(
            decode_bytes(&truncated, LIMITS).unwrap_err().status,
            Status::ImageInvalidFormat
        );
        // A JPEG cut after its scan header: decoders would fill it with grey.
        let mut jpeg = Vec::new();
        RgbImage::from_fn(64, 64, |x, y| image::Rgb([x as u8 * 4, y as u8 * 4, 0]))
            .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
            .unwrap();
        assert!(decode_bytes(&jpeg, LIMITS).is_ok());
        let scan = jpeg.windows(2).rposition(|w| w == [0xFF, 0xDA]).unwrap();
        let err = decode_bytes(&jpeg[..scan + 40], LIMITS).unwrap_err();
        assert_eq!(err.status, Status::ImageInvalidFormat);
        assert!(err.message.as_str().unwrap().contains("truncated"));
        let big = vec![0u8; 2 * 1024 * 1024 + 1];
        assert_eq!(
            decode_bytes(&big, LIMITS).unwrap_err().status,
            Status::ImageInvalidSize
        );
    }

    #[test]
    fn pixel_budget_is_checked_before_decoding() {
        // A tiny BMP whose header claims 20000 x 20000 pixels.
        let mut bomb = Vec::new();
        RgbImage::new(1, 1)
            .write_to(&mut Cursor::new(&mut bomb), ImageFormat::Bmp)
            .unwrap();
        bomb[18..22].copy_from_slice(&20_000i32.to_le_bytes());
        bomb[22..26].copy_from_slice(&20_000i32.to_le_bytes());
        let err = decode_bytes(&bomb, LIMITS).unwrap_err();
        assert_eq!(err.status, Status::ImageInvalidSize, "{:?}", err.message);
    }
}
