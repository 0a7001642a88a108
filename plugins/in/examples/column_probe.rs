//! Development aid: reads a column of an image as upward-written vertical text (as the Aadhaar
//! front's dates are printed), at x offsets around the given box. Use it on generated cards and
//! specimens only, never on customer images.
//!
//! `cargo run --release -p kycd-plugin-in --example column_probe -- IMAGE LEFT TOP RIGHT BOTTOM`
//! or `... -- IMAGE X0 Y0 X1 Y1 X2 Y2 X3 Y3` (one quad, first corner at the text's bottom left).

use kycd_plugin_api::{Charset, ImageRef, Point, Quad};
use kycd_vision::{Vision, VisionConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let n = |i: usize| -> f32 { args.get(i).and_then(|v| v.parse().ok()).unwrap_or(0.0) };
    let models = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models");
    let vision = Vision::load(&VisionConfig::new(models))?;
    let image = image::open(args.get(1).ok_or("usage: column_probe IMAGE L T R B")?)?.to_rgb8();
    let rgb = ImageRef::new(image.width(), image.height(), image.as_raw()).ok_or("bad image")?;
    let (l, t, r, b) = (n(2), n(3), n(4), n(5));
    let p = |x: f32, y: f32| Point { x, y };
    if args.len() >= 10 {
        // An explicit quad: X0 Y0 X1 Y1 X2 Y2 X3 Y3 (first corner: the text's start, bottom).
        let quad = Quad {
            points: [p(n(2), n(3)), p(n(4), n(5)), p(n(6), n(7)), p(n(8), n(9))],
        };
        let line = vision.recognize_region(rgb, quad, Charset::ANY);
        println!("quad: {:.3} {}", line.confidence, line.text);
        return Ok(());
    }
    for dx in [-8.0, -4.0, 0.0, 4.0, 8.0] {
        let (l, r) = (l + dx, r + dx);
        let quad = Quad {
            points: [p(l, b), p(l, t), p(r, t), p(r, b)],
        };
        let line = vision.recognize_region(rgb, quad, Charset::ANY);
        println!("dx {dx:+}: {:.3} {}", line.confidence, line.text);
    }
    Ok(())
}
