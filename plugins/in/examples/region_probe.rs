//! Development aid: recognises one rectangle of an image as a single line, as `recognize_region`
//! does, with its top and bottom moved by the given fractions of its height. Use it on generated
//! cards and specimens only, never on customer images.
//!
//! `cargo run --release -p kycd-plugin-in --example region_probe -- IMAGE X Y W H [UP DOWN]`

use kycd_plugin_api::{Charset, ImageRef, Point, Quad};
use kycd_vision::{Vision, VisionConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let number = |i: usize, default: f32| -> f32 {
        args.get(i).and_then(|v| v.parse().ok()).unwrap_or(default)
    };
    let models = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models");
    let vision = Vision::load(&VisionConfig::new(models))?;
    let image = image::open(
        args.get(1)
            .ok_or("usage: region_probe IMAGE X Y W H [UP DOWN]")?,
    )?
    .to_rgb8();
    let rgb = ImageRef::new(image.width(), image.height(), image.as_raw()).ok_or("bad image")?;
    let (x, y, w, h) = (
        number(2, 0.0),
        number(3, 0.0),
        number(4, 0.0),
        number(5, 0.0),
    );
    for up in [0.0, 0.1, 0.2, 0.3, number(6, 0.4)] {
        for down in [0.0, 0.1, number(7, 0.0)] {
            let (top, bottom) = (y - up * h, y + h + down * h);
            let p = |x, y| Point { x, y };
            let quad = Quad {
                points: [p(x, top), p(x + w, top), p(x + w, bottom), p(x, bottom)],
            };
            let line = vision.recognize_region(rgb, quad, Charset::ANY);
            println!(
                "up {up:.1} down {down:.1}: {:.3} {}",
                line.confidence, line.text
            );
        }
    }
    Ok(())
}
