//! Development aid: prints what the runtime reads on an image file.
//!
//! `cargo run -p kycd-vision --release --example read_image -- IMAGE [thai|devanagari|document]`
//!
//! Prints recognised text: use it on specimens only, never on customer images.

use std::time::Instant;

use kycd_plugin_api::{ImageRef, ReadOptions};
use kycd_vision::{Vision, VisionConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .ok_or("usage: read_image IMAGE [thai|devanagari|document]")?;
    // The locator's choices (`KYCD_LOG=kycd_vision=debug`), as the server logs them.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("KYCD_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let models = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models");
    let vision = Vision::load(&VisionConfig::new(models))?;
    let image = image::open(path)?.to_rgb8();
    let rgb = ImageRef::new(image.width(), image.height(), image.as_raw()).ok_or("bad image")?;
    let options = match args.get(2).map(String::as_str) {
        Some("thai") => ReadOptions::with_thai(),
        Some("devanagari") => ReadOptions::with_devanagari(),
        Some("document") => {
            let started = Instant::now();
            let crop = vision.locate_document(rgb);
            println!("locate_document: {:?}", started.elapsed());
            if let Some(crop) = crop {
                println!("quad {:?} rotation {}", crop.quad, crop.rotation_degrees);
                image::RgbImage::from_raw(
                    crop.image.width,
                    crop.image.height,
                    crop.image.rgb.to_vec(),
                )
                .ok_or("bad crop")?
                .save("/tmp/kycd-document.png")?;
                println!("saved /tmp/kycd-document.png");
            }
            return Ok(());
        }
        _ => ReadOptions::latin(),
    };
    for _ in 0..2 {
        let started = Instant::now();
        let lines = vision.read_text(rgb, options);
        println!(
            "read_text: {} lines in {:?}",
            lines.len(),
            started.elapsed()
        );
        for line in &lines {
            let b = line.quad.bounds();
            println!(
                "{:.3} {:?} [{:.0},{:.0} {:.0}x{:.0}] {}",
                line.confidence, line.script, b.x, b.y, b.width, b.height, line.text
            );
        }
    }
    Ok(())
}
