//! Barcode decoding cost on this machine: a found symbol (first pass) and images without one
//! (every retry pass runs).
//!
//! ```sh
//! cargo run --release -p kycd-vision --example bench_barcodes
//! ```

use std::time::{Duration, Instant};

use image::{imageops, GrayImage, RgbImage};
use kycd_plugin_api::ImageRef;
use kycd_vision::barcode::decode_barcodes;
use rxing::{EncodeHints, MultiFormatWriter, Writer};

fn symbol(format: rxing::BarcodeFormat, contents: &str, module: u32) -> anyhow::Result<RgbImage> {
    let matrix =
        MultiFormatWriter.encode_with_hints(contents, &format, 0, 0, &EncodeHints::default())?;
    let grey = GrayImage::from_fn(
        matrix.getWidth() * module,
        matrix.getHeight() * module,
        |x, y| {
            image::Luma([if matrix.get(x / module, y / module) {
                0
            } else {
                255
            }])
        },
    );
    Ok(image::DynamicImage::ImageLuma8(grey).to_rgb8())
}

fn page(width: u32, height: u32, content: Option<&RgbImage>) -> RgbImage {
    let mut page = RgbImage::from_pixel(width, height, image::Rgb([230, 228, 220]));
    if let Some(content) = content {
        imageops::replace(&mut page, content, (width / 3) as i64, (height / 3) as i64);
    }
    page
}

fn time(name: &str, image: &RgbImage, iterations: usize) {
    let view = ImageRef::new(image.width(), image.height(), image.as_raw()).expect("consistent");
    let found = decode_barcodes(view).len();
    let mut samples: Vec<Duration> = (0..iterations)
        .map(|_| {
            let t = Instant::now();
            decode_barcodes(view);
            t.elapsed()
        })
        .collect();
    samples.sort();
    println!(
        "{name:<44} {}x{}: {found} found, median {:7.1} ms",
        image.width(),
        image.height(),
        samples[samples.len() / 2].as_secs_f64() * 1000.0
    );
}

fn main() -> anyhow::Result<()> {
    let numeric: String = (0..1500)
        .map(|i| char::from(b'0' + (i * 7 % 10) as u8))
        .collect();
    let qr = symbol(rxing::BarcodeFormat::QR_CODE, &numeric, 4)?;
    let pdf = symbol(
        rxing::BarcodeFormat::PDF_417,
        "PDF417 BENCH PAYLOAD 0123456789",
        3,
    )?;
    time(
        "QR 1500 digits on 1280x960 page",
        &page(1280, 960, Some(&qr)),
        10,
    );
    time("PDF417 on 1280x960 page", &page(1280, 960, Some(&pdf)), 10);
    time(
        "no symbol, 640x480 (full + 2x upscale)",
        &page(640, 480, None),
        5,
    );
    time(
        "no symbol, 1280x960 (full + 2x downscale)",
        &page(1280, 960, None),
        5,
    );
    time(
        "no symbol, 4000x3000 photo (2 passes)",
        &page(4000, 3000, None),
        3,
    );
    Ok(())
}
