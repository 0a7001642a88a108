//! Development aid: reads the located card with the Latin recogniser, then re-reads every line
//! with the Thai recogniser one region at a time, printing both reads and the time each took.
//!
//! `cargo run --release -p kycd-plugin-th --example thai_regions -- IMAGE`
//!
//! Prints recognised text: use it on generated cards and specimens only.

use kycd_plugin_api::text::Page;
use kycd_plugin_api::{Charset, ImageRef, ReadOptions};
use kycd_vision::{Vision, VisionConfig};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: thai_regions IMAGE")?;
    let vision = Vision::load(&VisionConfig::new(kycd::local::repository_models_dir()))?;
    let image = image::open(path)?.to_rgb8();
    let rgb = ImageRef::new(image.width(), image.height(), image.as_raw()).ok_or("bad image")?;
    let crop = vision.locate_document(rgb);
    let target = crop.as_ref().map_or(rgb, |c| c.image.as_ref());
    let lines = vision.read_text(target, ReadOptions::latin());
    let page = Page::new(&lines, target.width, target.height);
    let mut total = std::time::Duration::ZERO;
    for line in page.lines() {
        let started = Instant::now();
        let thai = vision.recognize_region(target, line.quad, Charset::THAI);
        let took = started.elapsed();
        total += took;
        println!(
            "[{:.0},{:.0}] {:>5.0?} latin {:?} | thai {:.2} {:?}",
            line.left,
            line.top,
            took,
            line.text,
            thai.confidence,
            thai.text.as_str()
        );
    }
    println!("thai total {total:?} for {} lines", page.lines().len());
    Ok(())
}
