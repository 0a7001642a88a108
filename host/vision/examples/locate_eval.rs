//! Development aid: how well `locate_document` finds the cards of a generated corpus folder
//! (`kycd-corpus generate`), whose JSON gives the card's true corners in the displayed image.
//!
//! `cargo run -p kycd-vision --release --example locate_eval -- DIR [DRAW_DIR]`
//!
//! Prints, per image, the largest corner error as a share of the card's width (the corners in
//! content order, so a crop turned the wrong way counts as wrong), then a summary: how many
//! are within 6 % (a crop a plugin reads like a scan) and within 20 % of the card width. Prints
//! no text read from the images. With `DRAW_DIR`, writes each image scaled to 600 px with the
//! true quad in green and the found one in red (its first side, the content's top, in yellow).

use std::time::Instant;

use image::{DynamicImage, ImageDecoder, ImageReader};
use kycd_plugin_api::ImageRef;
use kycd_vision::{Vision, VisionConfig};

/// A corner farther than this share of the card's width from the truth makes the crop wrong.
const TOLERANCE: f32 = 0.06;
/// The looser bound the target counts (the crop holds the whole card, a little loose).
const LOOSE_TOLERANCE: f32 = 0.2;

/// Writes `image` scaled to 600 px with the true and found quads drawn on it.
fn draw(
    image: &image::RgbImage,
    truth: &[(f32, f32)],
    found: Option<&[kycd_plugin_api::Point; 4]>,
    path: &std::path::Path,
) -> Result<(), Box<dyn std::error::Error>> {
    use imageproc::drawing::draw_line_segment_mut;
    let scale = 600.0 / image.width().max(image.height()) as f32;
    let (w, h) = (
        (image.width() as f32 * scale) as u32,
        (image.height() as f32 * scale) as u32,
    );
    let mut small = image::imageops::resize(
        image,
        w.max(1),
        h.max(1),
        image::imageops::FilterType::Triangle,
    );
    let mut polygon = |points: [(f32, f32); 4], colour: [u8; 3]| {
        for i in 0..4 {
            let (a, b) = (points[i], points[(i + 1) % 4]);
            let colour = if i == 0 && colour[0] == 255 {
                [255, 255, 0]
            } else {
                colour
            };
            for offset in [-1.0, 0.0, 1.0] {
                draw_line_segment_mut(
                    &mut small,
                    (a.0 * scale + offset, a.1 * scale),
                    (b.0 * scale + offset, b.1 * scale),
                    image::Rgb(colour),
                );
            }
        }
    };
    if truth.len() == 4 {
        polygon([truth[0], truth[1], truth[2], truth[3]], [0, 255, 0]);
    }
    if let Some(quad) = found {
        polygon(quad.map(|p| (p.x, p.y)), [255, 0, 0]);
    }
    small.save(path)?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: locate_eval DIR [DRAW_DIR]")?;
    let draw_dir = std::env::args().nth(2).map(std::path::PathBuf::from);
    if let Some(draw_dir) = &draw_dir {
        std::fs::create_dir_all(draw_dir)?;
    }
    let models = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models");
    let vision = Vision::load(&VisionConfig::new(models))?;
    let mut jsons: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    jsons.sort();
    let (mut good, mut wrong, mut missing, mut total_ms) = (0, 0, 0, 0.0);
    let mut loose = 0;
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
        if let Some(draw_dir) = &draw_dir {
            let target = draw_dir.join(path.with_extension("png").file_name().unwrap_or_default());
            draw(
                &rgb,
                &corners,
                crop.as_ref().map(|c| &c.quad.points),
                &target,
            )?;
        }
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
                if error <= LOOSE_TOLERANCE {
                    loose += 1;
                }
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
        "{good}/{n} located within {:.0}% of the card width ({loose}/{n} within {:.0}%), {wrong} wrong, {missing} none; mean {:.0} ms",
        TOLERANCE * 100.0,
        LOOSE_TOLERANCE * 100.0,
        total_ms / n.max(1) as f64
    );
    Ok(())
}
