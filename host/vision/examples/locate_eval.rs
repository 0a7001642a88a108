//! Development aid: how well `locate_document` finds the cards of a generated corpus folder
//! (`kycd-corpus generate`), whose JSON gives the card's true corners in the displayed image.
//!
//! `cargo run -p kycd-vision --release --example locate_eval -- DIR`
//!
//! Prints, per image, the largest corner error as a share of the card's width (the corners in
//! content order, so a crop turned the wrong way counts as wrong), then a summary. Prints no
//! text read from the images.

use std::time::Instant;

use image::{DynamicImage, ImageDecoder, ImageReader};
use kycd_plugin_api::ImageRef;
use kycd_vision::{Vision, VisionConfig};

/// A corner farther than this share of the card's width from the truth makes the crop wrong.
const TOLERANCE: f32 = 0.06;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: locate_eval DIR")?;
    let models = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models");
    let vision = Vision::load(&VisionConfig::new(models))?;
    let mut jsons: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    jsons.sort();
    let (mut good, mut wrong, mut missing, mut total_ms) = (0, 0, 0, 0.0);
    for json in &jsons {
        let truth: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(json)?)?;
        let Some(corners) = truth["corners"].as_array() else {
            continue;
        };
        let corners: Vec<(f32, f32)> = corners
            .iter()
            .map(|c| {
                (
                    c[0].as_f64().unwrap_or(0.0) as f32,
                    c[1].as_f64().unwrap_or(0.0) as f32,
                )
            })
            .collect();
        let Some(path) = ["jpg", "png"]
            .iter()
            .map(|ext| json.with_extension(ext))
            .find(|p| p.exists())
        else {
            continue;
        };
        let mut decoder = ImageReader::open(&path)?
            .with_guessed_format()?
            .into_decoder()?;
        let orientation = decoder.orientation()?;
        let mut decoded = DynamicImage::from_decoder(decoder)?;
        decoded.apply_orientation(orientation);
        let rgb = decoded.to_rgb8();
        let image = ImageRef::new(rgb.width(), rgb.height(), rgb.as_raw()).ok_or("bad image")?;
        let started = Instant::now();
        let crop = vision.locate_document(image);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        total_ms += ms;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let card_width =
            ((corners[1].0 - corners[0].0).powi(2) + (corners[1].1 - corners[0].1).powi(2)).sqrt();
        match crop {
            None => {
                missing += 1;
                println!("{name}: none ({ms:.0} ms)");
            }
            Some(crop) => {
                let error = crop
                    .quad
                    .points
                    .iter()
                    .zip(&corners)
                    .map(|(p, t)| ((p.x - t.0).powi(2) + (p.y - t.1).powi(2)).sqrt())
                    .fold(0.0f32, f32::max)
                    / card_width;
                let verdict = if error <= TOLERANCE {
                    good += 1;
                    "ok"
                } else {
                    wrong += 1;
                    "WRONG"
                };
                // The same corners half a turn round: the card found but upside down.
                let turned = (0..4)
                    .map(|i| {
                        let (p, t) = (crop.quad.points[(i + 2) % 4], corners[i]);
                        ((p.x - t.0).powi(2) + (p.y - t.1).powi(2)).sqrt()
                    })
                    .fold(0.0f32, f32::max)
                    / card_width;
                println!(
                    "{name}: {verdict} error {:.1}% (upside down: {:.1}%) rotation {} ({ms:.0} ms)",
                    error * 100.0,
                    turned * 100.0,
                    crop.rotation_degrees
                );
            }
        }
    }
    let n = good + wrong + missing;
    println!(
        "{good}/{n} located within {:.0}% of the card width, {wrong} wrong, {missing} none; mean {:.0} ms",
        TOLERANCE * 100.0,
        total_ms / n.max(1) as f64
    );
    Ok(())
}
