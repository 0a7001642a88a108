//! Development aid: prints the levelled lines a plugin sees for an image (the located card when
//! found, else the whole image), in reading order.
//!
//! `cargo run --release -p kycd-plugin-id --example id_lines -- IMAGE [thai]`
//!
//! Prints recognised text: use it on generated cards and specimens only, never on customer
//! images.

use kycd_plugin_api::text::Page;
use kycd_plugin_api::{skew, ImageRef, ReadOptions};
use kycd_vision::{Vision, VisionConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).ok_or("usage: id_lines IMAGE [thai]")?;
    let options = match args.get(2).map(String::as_str) {
        Some("thai") => ReadOptions::with_thai(),
        _ => ReadOptions::latin(),
    };
    let vision = Vision::load(&VisionConfig::new(kycd::local::repository_models_dir()))?;
    let image = image::open(path)?.to_rgb8();
    let rgb = ImageRef::new(image.width(), image.height(), image.as_raw()).ok_or("bad image")?;
    let started = std::time::Instant::now();
    let crop = vision.locate_document(rgb);
    println!(
        "locate_document: {:?} found={}",
        started.elapsed(),
        crop.is_some()
    );
    let target = crop.as_ref().map_or(rgb, |c| c.image.as_ref());
    let started = std::time::Instant::now();
    let lines = vision.read_text(target, options);
    println!(
        "read_text: {} lines in {:?}",
        lines.len(),
        started.elapsed()
    );
    let (lines, angle) = skew::deskew(&lines, target.width, target.height);
    println!("deskewed by {:.1} degrees", angle.to_degrees());
    let page = Page::new(&lines, target.width, target.height);
    for line in page.lines() {
        println!(
            "{:.3} [{:.0},{:.0} {:.0}x{:.0}] {}",
            line.confidence,
            line.left,
            line.top,
            line.right - line.left,
            line.bottom - line.top,
            line.text
        );
    }
    Ok(())
}
