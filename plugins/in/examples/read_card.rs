//! Development aid: prints the lines the plugin sees on a card image (located and rectified
//! first, as the plugin does). Use it on generated cards and specimens only, never on customer
//! images.
//!
//! `cargo run --release -p kycd-plugin-in --example read_card -- IMAGE...`

use kycd_plugin_api::{ImageRef, ReadOptions};
use kycd_vision::{Vision, VisionConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let models = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models");
    let vision = Vision::load(&VisionConfig::new(models))?;
    for path in std::env::args().skip(1) {
        let image = image::open(&path)?.to_rgb8();
        let rgb =
            ImageRef::new(image.width(), image.height(), image.as_raw()).ok_or("bad image")?;
        let crop = vision.locate_document(rgb);
        println!("== {path}: located {}", crop.is_some());
        if let Ok(dir) = std::env::var("SAVE") {
            // PNG copies for viewing: the crop, and the whole image at most 1200 px wide.
            let stem = std::path::Path::new(&path)
                .file_stem()
                .map_or("image".into(), |s| s.to_string_lossy().into_owned());
            if let Some(c) = &crop {
                println!("quad {:?} rotation {}", c.quad, c.rotation_degrees);
                image::RgbImage::from_raw(c.image.width, c.image.height, c.image.rgb.to_vec())
                    .ok_or("bad crop")?
                    .save(format!("{dir}/{stem}-crop.png"))?;
            }
            let scale = (1200.0 / image.width().max(image.height()) as f32).min(1.0);
            image::imageops::thumbnail(
                &image,
                (image.width() as f32 * scale) as u32,
                (image.height() as f32 * scale) as u32,
            )
            .save(format!("{dir}/{stem}.png"))?;
        }
        let target = crop.as_ref().map_or(rgb, |c| c.image.as_ref());
        for line in vision.read_text(target, ReadOptions::latin()) {
            let b = line.quad.bounds();
            let q = line.quad.points;
            println!(
                "{:.3} [{:.0},{:.0} {:.0}x{:.0}] p0 ({:.0},{:.0}) p1 ({:.0},{:.0}) {}",
                line.confidence,
                b.x,
                b.y,
                b.width,
                b.height,
                q[0].x,
                q[0].y,
                q[1].x,
                q[1].y,
                line.text
            );
        }
        if let Ok(region) = std::env::var("ZOOM") {
            let r: Vec<u32> = region.split(',').map(|v| v.parse().unwrap()).collect();
            let sub = image::imageops::crop_imm(&image, r[0], r[1], r[2], r[3]).to_image();
            if let Ok(dir) = std::env::var("SAVE") {
                sub.save(format!("{dir}/zoom.png"))?;
            }
            let zref = ImageRef::new(sub.width(), sub.height(), sub.as_raw()).ok_or("bad")?;
            println!("-- zoom");
            for line in vision.read_text(zref, ReadOptions::latin()) {
                let b = line.quad.bounds();
                println!(
                    "{:.3} [{:.0},{:.0} {:.0}x{:.0}] {}",
                    line.confidence, b.x, b.y, b.width, b.height, line.text
                );
            }
        }
        if std::env::var("WHOLE").is_ok() {
            println!("-- whole image");
            for line in vision.read_text(rgb, ReadOptions::latin()) {
                let b = line.quad.bounds();
                println!(
                    "{:.3} [{:.0},{:.0} {:.0}x{:.0}] {}",
                    line.confidence, b.x, b.y, b.width, b.height, line.text
                );
            }
        }
        let codes = vision.decode_barcodes(target);
        println!("barcodes: {}", codes.len());
    }
    Ok(())
}
