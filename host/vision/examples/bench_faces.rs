//! Face detection + embedding timing on this machine.
//!
//! ```sh
//! models/fetch.sh && host/vision/tests/data/fetch-face-samples.sh
//! cargo run --release -p kycd-vision --example bench_faces [-- THREADS [ITERATIONS]]
//! ```
//!
//! Prints the median, mean and 90th percentile of YuNet detection (letterbox + inference +
//! decode), SFace embedding (alignment + inference) and the two together, per face photo.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use kycd_plugin_api::ImageRef;
use kycd_vision::face::FaceRuntime;

/// CPU time (user + system, all threads) this process has used.
fn cpu_time() -> Duration {
    kycd_vision::stages::process_cpu_clock().unwrap_or_default()
}

fn summary(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mean = samples.iter().map(|d| ms(*d)).sum::<f64>() / samples.len() as f64;
    let p90 = samples[((samples.len() - 1) as f64 * 0.9).round() as usize];
    format!(
        "median {:6.1} ms  mean {:6.1} ms  p90 {:6.1} ms",
        ms(samples[samples.len() / 2]),
        mean,
        ms(p90)
    )
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let threads: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(2);
    let iterations: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(30);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let models = std::env::var_os("KYCD_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../../models"));
    let load_started = Instant::now();
    let runtime = FaceRuntime::load(&models, threads)?;
    println!(
        "face models loaded in {:.0} ms; intra-op threads {threads}; {} logical CPUs",
        load_started.elapsed().as_secs_f64() * 1000.0,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    for name in ["obama.jpg", "obama2.jpg", "biden.jpg"] {
        let path = root.join("tests/data/cache").join(name);
        let image = image::open(&path)
            .map_err(|e| {
                anyhow::anyhow!(
                    "{}: {e}; run host/vision/tests/data/fetch-face-samples.sh",
                    path.display()
                )
            })?
            .to_rgb8();
        let view = ImageRef::new(image.width(), image.height(), image.as_raw())
            .ok_or_else(|| anyhow::anyhow!("inconsistent image"))?;
        for _ in 0..3 {
            let faces = runtime.detect(view);
            if let Some(face) = faces.first() {
                runtime.embed(view, face)?;
            }
        }
        let (mut letterbox, mut align) = (Vec::new(), Vec::new());
        let face = *runtime
            .detect(view)
            .first()
            .ok_or_else(|| anyhow::anyhow!("no face in {name}"))?;
        for _ in 0..iterations {
            let t0 = Instant::now();
            kycd_vision::face::detect::letterbox(view);
            let t1 = Instant::now();
            kycd_vision::face::align::align_face(view, &face.landmarks);
            align.push(t1.elapsed());
            letterbox.push(t1 - t0);
        }
        let (mut detect, mut embed, mut both) = (Vec::new(), Vec::new(), Vec::new());
        let cpu_before = cpu_time();
        for _ in 0..iterations {
            let t0 = Instant::now();
            let faces = runtime.detect(view);
            let t1 = Instant::now();
            let face = faces
                .first()
                .ok_or_else(|| anyhow::anyhow!("no face in {name}"))?;
            runtime.embed(view, face)?;
            let t2 = Instant::now();
            detect.push(t1 - t0);
            embed.push(t2 - t1);
            both.push(t2 - t0);
        }
        let cpu_per_run = (cpu_time() - cpu_before).as_secs_f64() * 1000.0 / iterations as f64;
        println!("{name} ({}x{}):", image.width(), image.height());
        println!("  letterbox only  {}", summary(letterbox));
        println!("  align only      {}", summary(align));
        println!("  detect          {}", summary(detect));
        println!("  embed           {}", summary(embed));
        println!("  detect + embed  {}", summary(both));
        println!("  detect + embed  CPU time {cpu_per_run:.1} ms per run (all threads)");
    }
    Ok(())
}
