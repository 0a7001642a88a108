//! QR code and PDF417 decoding with `rxing` (a maintained Rust port of ZXing).
//!
//! One pass over the full-resolution luma image in ZXing's "try harder" mode, finding every
//! symbol. When it finds nothing, a 2x downscaled pass (large photos: the binariser copes better
//! with modules a few pixels wide) and a 2x upscaled pass (small images: modules under ~2 px)
//! are tried while the elapsed time is within [`RETRY_BUDGET`]. See
//! `docs/vision-faces-mrz-barcodes.md` for measured costs.
//!
//! Payload bytes are the raw symbol data: QR byte-mode segments as stored (no charset
//! guessing), numeric/alphanumeric QR text as ASCII (Aadhaar Secure QR is one huge decimal
//! number), PDF417 byte compaction as the original bytes (rxing decodes them as ISO-8859-1).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use abi_stable::std_types::{RString, RVec};
use image::{imageops, GrayImage};
use kycd_plugin_api::{Barcode, BarcodeFormat, ImageRef, Point, Quad};
use rxing::{RXingResult, RXingResultMetadataType, RXingResultMetadataValue};

/// Retry passes (rescaled images) start only while the total time is below this.
pub const RETRY_BUDGET: Duration = Duration::from_millis(800);
/// Images with a shorter side at least this long get the 2x downscaled retry.
const DOWNSCALE_MIN_SIDE: u32 = 800;
/// Images with a longer side at most this long get the 2x upscaled retry.
const UPSCALE_MAX_SIDE: u32 = 1000;

/// Decodes the QR codes and PDF417 symbols in `image`. An empty or inconsistent image gives
/// nothing; duplicates (same format and payload) are reported once.
pub fn decode_barcodes(image: ImageRef<'_>) -> Vec<Barcode> {
    let (w, h) = (image.width, image.height);
    let pixels = image.pixels();
    if w == 0 || h == 0 || pixels.len() != w as usize * h as usize * 3 {
        return Vec::new();
    }
    let started = Instant::now();
    let luma = GrayImage::from_fn(w, h, |x, y| {
        let i = (y as usize * w as usize + x as usize) * 3;
        let (r, g, b) = (pixels[i] as u32, pixels[i + 1] as u32, pixels[i + 2] as u32);
        image::Luma([((299 * r + 587 * g + 114 * b + 500) / 1000) as u8])
    });
    let mut found = decode_pass(&luma, 1.0);
    if found.is_empty() && w.min(h) >= DOWNSCALE_MIN_SIDE && started.elapsed() < RETRY_BUDGET {
        let small = imageops::resize(&luma, w / 2, h / 2, imageops::FilterType::Triangle);
        found = decode_pass(&small, 2.0);
    }
    if found.is_empty() && w.max(h) <= UPSCALE_MAX_SIDE && started.elapsed() < RETRY_BUDGET {
        let large = imageops::resize(&luma, w * 2, h * 2, imageops::FilterType::CatmullRom);
        found = decode_pass(&large, 0.5);
    }
    found
}

/// Decodes every symbol in one luma image; `scale` maps its coordinates to the original.
/// rxing's PDF417 detector reports points in the frame of the rotation it found the symbol
/// in (`ORIENTATION` metadata); they are mapped back to the image first.
fn decode_pass(luma: &GrayImage, scale: f32) -> Vec<Barcode> {
    let mut hints = rxing::DecodeHints {
        TryHarder: Some(true),
        PossibleFormats: Some(HashSet::from([
            rxing::BarcodeFormat::QR_CODE,
            rxing::BarcodeFormat::PDF_417,
        ])),
        ..Default::default()
    };
    // rxing is a large port with index arithmetic on image data; a panic inside it on some
    // crafted input must cost this pass, not the request.
    let results = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rxing::helpers::detect_multiple_in_luma_with_hints(
            luma.as_raw().clone(),
            luma.width(),
            luma.height(),
            &mut hints,
        )
    }))
    .unwrap_or_else(|_| {
        tracing::warn!("barcode decoder panicked; pass skipped");
        Ok(Vec::new())
    })
    .unwrap_or_default();
    let mut out: Vec<Barcode> = Vec::new();
    for result in &results {
        let barcode = to_barcode(result, scale, luma.width() as f32, luma.height() as f32);
        if !out
            .iter()
            .any(|b| b.format == barcode.format && b.bytes == barcode.bytes)
        {
            out.push(barcode);
        }
    }
    out
}

fn to_barcode(result: &RXingResult, scale: f32, width: f32, height: f32) -> Barcode {
    let format = match result.getBarcodeFormat() {
        rxing::BarcodeFormat::QR_CODE => BarcodeFormat::QR,
        rxing::BarcodeFormat::PDF_417 => BarcodeFormat::PDF417,
        _ => BarcodeFormat::OTHER,
    };
    let text = result.getText();
    let bytes = if format == BarcodeFormat::QR {
        qr_payload(result, text)
    } else {
        latin1_or_utf8(text)
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(utf8) => utf8.to_string(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    };
    let rotation = match result
        .getRXingResultMetadata()
        .get(&RXingResultMetadataType::ORIENTATION)
    {
        Some(RXingResultMetadataValue::Orientation(degrees)) if format == BarcodeFormat::PDF417 => {
            degrees.rem_euclid(360)
        }
        _ => 0,
    };
    let points: Vec<Point> = result
        .getPoints()
        .iter()
        .map(|p| {
            let (x, y) = unrotate(p.x, p.y, rotation, width, height);
            Point {
                x: x * scale,
                y: y * scale,
            }
        })
        .collect();
    Barcode {
        format,
        bytes: RVec::from(bytes),
        text: RString::from(text),
        quad: symbol_quad(format, &points),
    }
}

/// QR payload bytes: the byte-mode segments when they make up the whole payload, else the
/// decoded text (numeric, alphanumeric and kanji modes, or mixed modes) as UTF-8.
fn qr_payload(result: &RXingResult, text: &str) -> Vec<u8> {
    let segments = match result
        .getRXingResultMetadata()
        .get(&RXingResultMetadataType::BYTE_SEGMENTS)
    {
        Some(RXingResultMetadataValue::ByteSegments(segments)) => segments.concat(),
        _ => Vec::new(),
    };
    if segments.is_empty() {
        return text.as_bytes().to_vec();
    }
    // Byte mode holds all of the payload when the text has no more characters than the
    // segments have bytes (any charset decodes n bytes to at most n characters); a numeric or
    // alphanumeric segment alongside would add characters that are not in the byte segments.
    let latin1: String = segments.iter().map(|&b| b as char).collect();
    if text == latin1
        || std::str::from_utf8(&segments) == Ok(text)
        || text.chars().count() <= segments.len()
    {
        segments
    } else {
        text.as_bytes().to_vec()
    }
}

/// Text whose characters are all U+0000..=U+00FF as those bytes (rxing's ISO-8859-1 decoding
/// of binary data), else UTF-8.
fn latin1_or_utf8(text: &str) -> Vec<u8> {
    if text.chars().all(|c| (c as u32) <= 0xFF) {
        text.chars().map(|c| c as u32 as u8).collect()
    } else {
        text.as_bytes().to_vec()
    }
}

/// Maps a point found in the image rotated by `rotation` degrees (rxing's `BitMatrix::rotate`)
/// back to the `width` x `height` image.
fn unrotate(x: f32, y: f32, rotation: i32, width: f32, height: f32) -> (f32, f32) {
    match rotation {
        90 => (width - 1.0 - y, x),
        180 => (width - 1.0 - x, height - 1.0 - y),
        270 => (y, height - 1.0 - x),
        _ => (x, y),
    }
}

/// The symbol's corners, clockwise from its top-left, from the decoder's result points:
/// for QR, the three finder-pattern centres (the one at the right angle is the top-left; the
/// fourth corner completes the parallelogram); PDF417 reports top-left, bottom-left, top-right,
/// bottom-right first.
/// Anything else gets the bounding box of its points.
fn symbol_quad(format: BarcodeFormat, points: &[Point]) -> Quad {
    if format == BarcodeFormat::QR && points.len() >= 3 {
        let (tl, tr, bl) = qr_corners(points[0], points[1], points[2]);
        let br = Point {
            x: tr.x + bl.x - tl.x,
            y: tr.y + bl.y - tl.y,
        };
        return Quad {
            points: [tl, tr, br, bl],
        };
    }
    if format == BarcodeFormat::PDF417 && points.len() >= 4 {
        return Quad {
            points: [points[0], points[2], points[3], points[1]],
        };
    }
    if points.is_empty() {
        return Quad::default();
    }
    let bounds = Quad {
        points: [points[0], points[0], points[0], points[0]],
    };
    let all = points.iter().fold(bounds.bounds(), |r, p| {
        let (x0, y0) = (r.x.min(p.x), r.y.min(p.y));
        let (x1, y1) = ((r.x + r.width).max(p.x), (r.y + r.height).max(p.y));
        kycd_plugin_api::Rect {
            x: x0,
            y: y0,
            width: x1 - x0,
            height: y1 - y0,
        }
    });
    Quad::from_rect(all)
}

/// Orders three QR finder centres as top-left (the right-angle corner, opposite the longest
/// side), top-right and bottom-left (clockwise in image coordinates, y down).
fn qr_corners(a: Point, b: Point, c: Point) -> (Point, Point, Point) {
    let d2 = |p: Point, q: Point| (p.x - q.x).powi(2) + (p.y - q.y).powi(2);
    let (ab, bc, ca) = (d2(a, b), d2(b, c), d2(c, a));
    let (tl, p, q) = if bc >= ab && bc >= ca {
        (a, b, c)
    } else if ca >= ab && ca >= bc {
        (b, c, a)
    } else {
        (c, a, b)
    };
    // Clockwise from top-left: top-right then bottom-left, i.e. a positive cross product of
    // (tr - tl) x (bl - tl) with y pointing down.
    let cross = (p.x - tl.x) * (q.y - tl.y) - (p.y - tl.y) * (q.x - tl.x);
    if cross >= 0.0 {
        (tl, p, q)
    } else {
        (tl, q, p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_text_maps_back_to_bytes() {
        assert_eq!(latin1_or_utf8("\u{0}\u{ff}A"), vec![0, 255, 65]);
        assert_eq!(latin1_or_utf8("€"), "€".as_bytes());
    }

    #[test]
    fn qr_quad_completes_the_fourth_corner() {
        let p = |x, y| Point { x, y };
        for order in [
            [p(0.0, 10.0), p(0.0, 0.0), p(10.0, 0.0)],
            [p(10.0, 0.0), p(0.0, 10.0), p(0.0, 0.0)],
            [p(0.0, 0.0), p(10.0, 0.0), p(0.0, 10.0)],
        ] {
            let quad = symbol_quad(BarcodeFormat::QR, &order);
            assert_eq!(
                quad.points,
                [p(0.0, 0.0), p(10.0, 0.0), p(10.0, 10.0), p(0.0, 10.0)]
            );
        }
    }
}
