//! Face route latency over real HTTP against a release host: `face/compare` of two 640 px
//! photos, `face/search/add` and `face/search` on a small gallery. Prints p50/p95.
//!
//! `cargo bench -p kycd --bench face` (needs models/fetch.sh and
//! host/vision/tests/data/fetch-face-samples.sh to have run).

#[path = "../tests/common/mod.rs"]
mod common;

use std::io::Cursor;
use std::time::Instant;

use common::*;
use image::{imageops, DynamicImage};

fn photo_640(name: &str) -> String {
    let path = workspace_root()
        .join("host/vision/tests/data/cache")
        .join(name);
    let image = image::open(&path)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run host/vision/tests/data/fetch-face-samples.sh",
                path.display()
            )
        })
        .resize(640, 640, imageops::FilterType::Triangle);
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(image.to_rgb8())
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
        .unwrap();
    b64(&out)
}

fn time(label: &str, runs: usize, mut call: impl FnMut() -> serde_json::Value) {
    let mut ms: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let body = call();
            assert_eq!(body["status"], "OK", "{label}: {body}");
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((ms.len() - 1) as f64 * p).round() as usize];
    println!(
        "{label:<40} p50 {:>6.1} ms   p95 {:>6.1} ms   ({runs} runs)",
        at(0.5),
        at(0.95)
    );
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let host = TestHost::start(&TestConfig {
        model_threads: cores,
        ..TestConfig::default()
    });
    let (obama, obama2, biden) = (
        photo_640("obama.jpg"),
        photo_640("obama2.jpg"),
        photo_640("biden.jpg"),
    );
    // Warm-up.
    host.post_form(
        "face/compare",
        Some(KEY_ALL),
        &[("img1", &obama), ("img2", &obama2)],
    );
    println!("face routes over HTTP, release host, 2 workers, {cores} intra-op threads, photos scaled to 640 px (JPEG)");
    time("face/compare (two 640 px photos)", 30, || {
        host.post_form(
            "face/compare",
            Some(KEY_ALL),
            &[("img1", &obama), ("img2", &obama2)],
        )
        .1
    });
    time("face/search/add", 20, || {
        host.post_form("face/search/add", Some(KEY_ALL), &[("img", &biden)])
            .1
    });
    time("face/search (gallery of 1 person)", 30, || {
        host.post_form("face/search", Some(KEY_ALL), &[("img", &obama)])
            .1
    });
}
