//! Benchmark of what a document route asks of the runtime: `locate_document` on each image,
//! then `read_text` on the rectified card. Prints the p50 of each and the process CPU time per
//! image.
//!
//! `cargo run -p kycd-vision --release --example bench_locate -- ROUNDS IMAGE...`
//! (e.g. `-- 3 tests/corpus/*-scan.png`). The images are read in turn, so with more than eight
//! of them the runtime's cache of recent detections never answers for an image read a round
//! earlier.

use std::time::Instant;

use kycd_plugin_api::{ImageRef, ReadOptions};
use kycd_vision::{Vision, VisionConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: bench_locate ROUNDS IMAGE...";
    let rounds: usize = args.get(1).ok_or(usage)?.parse()?;
    if args.len() < 3 {
        return Err(usage.into());
    }
    let models = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models");
    let vision = Vision::load(&VisionConfig::new(models))?;
    let images = args[2..]
        .iter()
        .map(|path| Ok(image::open(path)?.to_rgb8()))
        .collect::<Result<Vec<_>, Box<dyn std::error::Error>>>()?;
    let (mut locate, mut read) = (Vec::new(), Vec::new());
    let cpu_before = kycd_vision::stages::process_cpu_clock();
    for _ in 0..rounds {
        for image in &images {
            let rgb =
                ImageRef::new(image.width(), image.height(), image.as_raw()).ok_or("image")?;
            let started = Instant::now();
            let crop = vision.locate_document(rgb);
            locate.push(started.elapsed().as_secs_f64() * 1000.0);
            let started = Instant::now();
            if let Some(crop) = crop {
                vision.read_text(crop.image.as_ref(), ReadOptions::latin());
            }
            read.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let reads = locate.len() as f64;
    if let (Some(before), Some(after)) = (cpu_before, kycd_vision::stages::process_cpu_clock()) {
        let per_image = (after - before).as_secs_f64() * 1000.0 / reads;
        println!("CPU time per image (user+sys): {per_image:.0} ms");
    }
    let p50 = |values: &mut Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    println!(
        "{} images x {rounds} rounds: locate_document p50 {:.0} ms, read_text on the card p50 {:.0} ms",
        images.len(),
        p50(&mut locate),
        p50(&mut read)
    );
    Ok(())
}
