//! Development aid: for generated cards, compares `locate_document`'s quad with the card's true
//! corners (the corpus JSON's `corners`), prints the largest corner error (px and as a share of
//! the card's width) and the Latin read of the crop; saves the crop as PNG under `--save DIR`.
//!
//! `cargo run --release -p kycd-plugin-th --example locate_check -- [--save DIR] IMAGE...`
//!
//! Prints recognised text: use it on generated cards only.

use kycd_plugin_api::text::Page;
use kycd_plugin_api::{ImageRef, ReadOptions};
use kycd_vision::{Vision, VisionConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut save = None;
    if args.first().map(String::as_str) == Some("--save") && args.len() > 1 {
        save = Some(args[1].clone());
        args.drain(..2);
    }
    let vision = Vision::load(&VisionConfig::new(kycd::local::repository_models_dir()))?;
    for path in args {
        let image = image::open(&path)?.to_rgb8();
        let rgb =
            ImageRef::new(image.width(), image.height(), image.as_raw()).ok_or("bad image")?;
        let json = path.rsplit_once('.').map(|(b, _)| format!("{b}.json"));
        let corners: Vec<(f32, f32)> = json
            .and_then(|j| std::fs::read_to_string(j).ok())
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .and_then(|v| v.get("corners").cloned())
            .and_then(|c| serde_json::from_value::<Vec<[f32; 2]>>(c).ok())
            .map(|c| c.into_iter().map(|[x, y]| (x, y)).collect())
            .unwrap_or_default();
        let crop = vision.locate_document(rgb);
        let name = path.rsplit('/').next().unwrap_or(&path).to_string();
        match &crop {
            Some(c) => {
                let points: Vec<(f32, f32)> = c.quad.points.iter().map(|p| (p.x, p.y)).collect();
                let width = if corners.len() == 4 {
                    dist(corners[0], corners[1]).max(dist(corners[1], corners[2]))
                } else {
                    1.0
                };
                // Best cyclic match of corners (rotation unknown).
                let error = (0..4)
                    .map(|shift| {
                        (0..4)
                            .map(|i| {
                                corners
                                    .get((i + shift) % 4)
                                    .map_or(f32::MAX, |t| dist(points[i], *t))
                            })
                            .fold(0.0, f32::max)
                    })
                    .fold(f32::MAX, f32::min);
                println!(
                    "== {name}: quad err {:.0}px ({:.0}% of card) rot {}",
                    error,
                    100.0 * error / width,
                    c.rotation_degrees
                );
                if let Some(dir) = &save {
                    image::RgbImage::from_raw(c.image.width, c.image.height, c.image.rgb.to_vec())
                        .ok_or("bad crop")?
                        .save(format!("{dir}/{name}.png"))?;
                }
            }
            None => println!("== {name}: no card located"),
        }
        // `FLIP=1`: the crop turned half a turn first (as the plugin does for an upside-down card).
        let flipped = crop
            .as_ref()
            .filter(|_| std::env::var_os("FLIP").is_some())
            .map(|c| {
                let rgb: Vec<u8> = c
                    .image
                    .rgb
                    .chunks_exact(3)
                    .rev()
                    .flatten()
                    .copied()
                    .collect();
                (c.image.width, c.image.height, rgb)
            });
        let target = match &flipped {
            Some((w, h, rgb)) => ImageRef::new(*w, *h, rgb).ok_or("bad crop")?,
            None => crop.as_ref().map_or(rgb, |c| c.image.as_ref()),
        };
        // `REGION=l,t,r,b`: that region of the crop read with the Thai recogniser.
        if let Ok(region) = std::env::var("REGION") {
            let v: Vec<f32> = region.split(',').filter_map(|x| x.parse().ok()).collect();
            if let [l, t, r, b] = v[..] {
                let quad = kycd_plugin_api::Quad::from_rect(kycd_plugin_api::Rect {
                    x: l,
                    y: t,
                    width: r - l,
                    height: b - t,
                });
                let read = vision.recognize_region(target, quad, kycd_plugin_api::Charset::THAI);
                println!("  region {:.2} {:?}", read.confidence, read.text.as_str());
            }
        }
        let lines = vision.read_text(target, ReadOptions::latin());
        // Levelled as the plugin does.
        let (lines, angle) = kycd_plugin_api::skew::deskew(&lines, target.width, target.height);
        println!("  deskew angle {angle:.3}");
        let page = Page::new(&lines, target.width, target.height);
        for line in page.lines() {
            println!(
                "  [{:.0}-{:.0},{:.0} h{:.0}] {:.2} {:?}",
                line.left,
                line.right,
                line.top,
                line.height(),
                line.confidence,
                line.text
            );
        }
    }
    Ok(())
}

fn dist(a: (f32, f32), b: (f32, f32)) -> f32 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}
