//! QR and PDF417 round trips: encode with rxing's writers, render, optionally rotate and
//! JPEG-compress, decode, and compare the payload bytes exactly.

use std::io::Cursor;

use image::{imageops, DynamicImage, GrayImage, ImageFormat, RgbImage};
use kycd_plugin_api::{BarcodeFormat, ImageRef};
use kycd_vision::barcode::decode_barcodes;
use rxing::{EncodeHints, MultiFormatWriter, Writer};

/// Renders an rxing symbol: each matrix cell becomes `module` x `module` pixels.
fn render(
    format: rxing::BarcodeFormat,
    contents: &str,
    hints: &EncodeHints,
    module: u32,
) -> RgbImage {
    let matrix = MultiFormatWriter
        .encode_with_hints(contents, &format, 0, 0, hints)
        .expect("encodable payload");
    let (w, h) = (matrix.getWidth(), matrix.getHeight());
    let grey = GrayImage::from_fn(w * module, h * module, |x, y| {
        image::Luma([if matrix.get(x / module, y / module) {
            0
        } else {
            255
        }])
    });
    DynamicImage::ImageLuma8(grey).to_rgb8()
}

fn jpeg_round_trip(image: &RgbImage) -> RgbImage {
    let mut buffer = Cursor::new(Vec::new());
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buffer, 70);
    DynamicImage::ImageRgb8(image.clone())
        .write_with_encoder(encoder)
        .expect("jpeg encode");
    image::load_from_memory_with_format(buffer.get_ref(), ImageFormat::Jpeg)
        .expect("jpeg decode")
        .to_rgb8()
}

/// Pads the symbol onto a larger light-grey page, as in a photo of a document.
fn on_page(symbol: &RgbImage) -> RgbImage {
    let mut page = RgbImage::from_pixel(
        symbol.width() + 200,
        symbol.height() + 160,
        image::Rgb([235, 235, 230]),
    );
    imageops::replace(&mut page, symbol, 100, 80);
    page
}

fn decode(image: &RgbImage) -> Vec<kycd_plugin_api::Barcode> {
    decode_barcodes(ImageRef::new(image.width(), image.height(), image.as_raw()).unwrap())
}

/// Decodes the upright, rotated and JPEG variants and checks each gives exactly `payload`.
fn assert_round_trips(symbol: &RgbImage, format: BarcodeFormat, payload: &[u8]) {
    let page = on_page(symbol);
    let (cx, cy) = (
        100.0 + symbol.width() as f32 / 2.0,
        80.0 + symbol.height() as f32 / 2.0,
    );
    // `rotate90` turns clockwise: (x, y) -> (height - 1 - y, x).
    let rotated_centre = (page.height() as f32 - 1.0 - cy, cx);
    let variants = [
        ("upright", page.clone(), (cx, cy)),
        ("rotated 90", imageops::rotate90(&page), rotated_centre),
        ("jpeg q70", jpeg_round_trip(&page), (cx, cy)),
        (
            "rotated 90 + jpeg q70",
            jpeg_round_trip(&imageops::rotate90(&page)),
            rotated_centre,
        ),
    ];
    let tolerance = 0.2 * symbol.width().min(symbol.height()) as f32;
    for (name, image, (ex, ey)) in variants {
        let found = decode(&image);
        assert_eq!(
            found.len(),
            1,
            "{name}: expected one symbol, got {}",
            found.len()
        );
        let barcode = &found[0];
        assert_eq!(barcode.format, format, "{name}");
        assert_eq!(barcode.bytes.as_slice(), payload, "{name}: payload differs");
        let bounds = barcode.quad.bounds();
        assert!(
            bounds.width > 20.0 && bounds.height > 20.0,
            "{name}: quad {:?}",
            barcode.quad
        );
        let centre = barcode.quad.center();
        assert!(
            (centre.x - ex).abs() < tolerance && (centre.y - ey).abs() < tolerance,
            "{name}: quad {:?} centre not at ({ex}, {ey})",
            barcode.quad
        );
        assert!(
            bounds.x >= 0.0 && bounds.x + bounds.width <= image.width() as f32 + 1.0,
            "{name}: quad {:?} in {}x{}",
            barcode.quad,
            image.width(),
            image.height()
        );
    }
}

#[test]
fn qr_text_round_trips_byte_exact() {
    let text =
        "https://kycd.example/verify?id=42&name=Jos\u{e9} Mar\u{ed}a \u{0e01}\u{0e02} \u{20ac}";
    let hints = EncodeHints {
        CharacterSet: Some("UTF-8".into()),
        ..Default::default()
    };
    let symbol = render(rxing::BarcodeFormat::QR_CODE, text, &hints, 4);
    assert_round_trips(&symbol, BarcodeFormat::QR, text.as_bytes());
    let found = decode(&on_page(&symbol));
    assert_eq!(found[0].text.as_str(), text);
}

#[test]
fn qr_long_numeric_payload_round_trips_byte_exact() {
    // Aadhaar Secure QR style: one very long decimal number (numeric mode).
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let digits: String = (0..1500)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let d = (state % 10) as u8;
            char::from(b'0' + if i == 0 { d.max(1) } else { d })
        })
        .collect();
    let symbol = render(
        rxing::BarcodeFormat::QR_CODE,
        &digits,
        &EncodeHints::default(),
        4,
    );
    assert_round_trips(&symbol, BarcodeFormat::QR, digits.as_bytes());
}

#[test]
fn pdf417_binary_payload_round_trips_byte_exact() {
    // Binary payload with every byte value, as on Colombian cédula PDF417 symbols.
    let payload: Vec<u8> = (0..300u32).map(|i| ((i * 73 + 11) % 256) as u8).collect();
    let contents: String = payload.iter().map(|&b| b as char).collect();
    let hints = EncodeHints {
        Pdf417Compaction: Some("2".into()), // byte compaction
        ErrorCorrection: Some("4".into()),
        ..Default::default()
    };
    let symbol = render(rxing::BarcodeFormat::PDF_417, &contents, &hints, 3);
    assert_round_trips(&symbol, BarcodeFormat::PDF417, &payload);
}

#[test]
fn qr_and_pdf417_on_one_page_are_both_found() {
    let qr = render(
        rxing::BarcodeFormat::QR_CODE,
        "QR-PAYLOAD-1",
        &EncodeHints::default(),
        5,
    );
    let pdf = render(
        rxing::BarcodeFormat::PDF_417,
        "PDF417 PAYLOAD 2",
        &EncodeHints::default(),
        3,
    );
    let mut page = RgbImage::from_pixel(
        qr.width() + pdf.width() + 300,
        qr.height().max(pdf.height()) + 200,
        image::Rgb([255, 255, 255]),
    );
    imageops::replace(&mut page, &qr, 100, 100);
    imageops::replace(&mut page, &pdf, qr.width() as i64 + 200, 100);
    let found = decode(&page);
    let mut payloads: Vec<(BarcodeFormat, String)> = found
        .iter()
        .map(|b| (b.format, b.text.to_string()))
        .collect();
    payloads.sort_by_key(|(f, _)| f.0);
    assert_eq!(
        payloads,
        vec![
            (BarcodeFormat::QR, "QR-PAYLOAD-1".to_string()),
            (BarcodeFormat::PDF417, "PDF417 PAYLOAD 2".to_string())
        ]
    );
}

#[test]
fn small_symbol_is_found_by_the_upscaled_retry() {
    // 1 px per module: too fine for the first pass on some binarisations; must still decode.
    let symbol = render(
        rxing::BarcodeFormat::QR_CODE,
        "TINY-1234",
        &EncodeHints::default(),
        1,
    );
    let page = on_page(&symbol);
    let found = decode(&page);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].bytes.as_slice(), b"TINY-1234");
}

#[test]
fn no_symbol_and_bad_input_give_nothing() {
    let blank = RgbImage::from_pixel(300, 200, image::Rgb([255, 255, 255]));
    assert!(decode(&blank).is_empty());
    let mut state: u32 = 7;
    let noise = RgbImage::from_fn(400, 300, |_, _| {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let v = (state >> 24) as u8;
        image::Rgb([v, v, v])
    });
    assert!(decode(&noise).is_empty());
    assert!(decode_barcodes(ImageRef::new(0, 0, &[]).unwrap()).is_empty());
    for (w, h) in [(1, 1), (1, 500), (500, 1), (3, 3)] {
        let tiny = RgbImage::new(w, h);
        assert!(decode(&tiny).is_empty(), "{w}x{h}");
    }
    let bogus = ImageRef {
        width: 50,
        height: 50,
        rgb: abi_stable::std_types::RSlice::from_slice(&[1, 2, 3]),
    };
    assert!(decode_barcodes(bogus).is_empty());
}
