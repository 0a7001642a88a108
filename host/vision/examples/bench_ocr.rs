//! OCR benchmark: per-stage and end-to-end figures on synthetic ID-1 cards, and RapidOCR
//! (Python) on the same JPEG files for comparison.
//!
//! `cargo run -p kycd-vision --release --example bench_ocr [-- ROUNDS]`
//!
//! `... --example bench_ocr -- --recall DIR [DETECTOR_SIDE]`: instead, the share of the expected
//! field values of a kycd-corpus directory (NAME.json `message`) that appear in the text read
//! from each image (photos through `locate_document` first), with the CPU time per image: an
//! OCR-only accuracy figure for A/B checks of runtime changes, independent of the plugins.
//! Prints file names and field names it missed, never values. With `--turned`, only the scans
//! are read, each turned by 180 degrees first (the 0/180 classifier's check).
//!
//! Cards are 1000x630 JPEGs (~200 KB) rendered with Debian fonts; end-to-end is JPEG decode +
//! `read_text` (detection, 0/180 classification, recognition, reading order). Thai and Hindi
//! cards (the fixed corpus's Thai and Aadhaar scans as JPEGs) are timed the same way with
//! their script's Tesseract re-reads. The RapidOCR run
//! needs a venv with onnxruntime 1.32.0 and rapidocr 3.10.0: set RAPIDOCR_PYTHON to its python,
//! or let the benchmark create `models/cache/rapidocr-venv` (pip, from PyPI or the wheel cache).
//! Figures go to docs/performance.md ("Vision runtime").

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use image::codecs::jpeg::JpegEncoder;
use kycd_plugin_api::ReadOptions;
use kycd_vision::tesseract::{LineReader, TessLanguage};

const CARDS: u32 = 12;

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[((p * (samples.len() - 1) as f64).round() as usize).min(samples.len() - 1)]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn report(name: &str, samples: &mut [f64]) -> (f64, f64) {
    let (p50, p95) = (percentile(samples, 0.5), percentile(samples, 0.95));
    println!(
        "{name:<34} p50 {p50:>8.1} ms   p95 {p95:>8.1} ms   (n={})",
        samples.len()
    );
    (p50, p95)
}

/// Writes the benchmark cards as JPEG files; returns their paths.
fn write_cards(directory: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(directory).expect("card directory");
    (0..CARDS)
        .map(|variant| {
            let mut card = common::render_card(variant);
            // Sensor-like noise, so the JPEG weighs what a phone capture of a card does.
            let mut state = 0x9E37_79B9u32.wrapping_mul(variant + 1);
            for value in card.iter_mut() {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                *value = value.saturating_add((state % 13) as u8).saturating_sub(6);
            }
            let path = directory.join(format!("card{variant:02}.jpg"));
            let mut bytes = Vec::new();
            JpegEncoder::new_with_quality(&mut bytes, 92)
                .encode_image(&card)
                .expect("jpeg encoding");
            std::fs::write(&path, bytes).expect("write card");
            path
        })
        .collect()
}

/// CPU time (user + system, all threads) this process has used.
fn cpu_time() -> Duration {
    kycd_vision::stages::process_cpu_clock().unwrap_or_default()
}

/// The 1-minute load average, to judge how much the figures are inflated by other work.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().next().unwrap_or("?").to_string())
        .unwrap_or_else(|_| "?".into())
}

fn rapidocr_python() -> Option<PathBuf> {
    if let Ok(python) = std::env::var("RAPIDOCR_PYTHON") {
        return Some(PathBuf::from(python));
    }
    let models = common::models_dir();
    let venv = models.join("cache/rapidocr-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        println!("creating {} for the RapidOCR comparison...", venv.display());
        let created = Command::new("python3")
            .arg("-m")
            .arg("venv")
            .arg(&venv)
            .status()
            .ok()?
            .success()
            && Command::new(&python)
                .args(["-m", "pip", "install", "--quiet", "--find-links"])
                .arg(models.join("cache"))
                .args(["onnxruntime==1.32.0", "rapidocr==3.10.0"])
                .status()
                .ok()?
                .success();
        if !created {
            return None;
        }
    }
    Some(python)
}

/// Upper-case letters and digits only, so that layout and punctuation do not count.
fn letters_and_digits(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The string leaves of a JSON value, with their key paths.
fn string_fields(value: &serde_json::Value, path: &str, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::String(text) => out.push((path.to_string(), text.clone())),
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                string_fields(inner, &format!("{path}.{key}"), out);
            }
        }
        serde_json::Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                string_fields(inner, &format!("{path}[{index}]"), out);
            }
        }
        _ => {}
    }
}

/// `--recall DIR [DETECTOR_SIDE]`: see the module documentation.
fn recall(directory: &Path, detector_side: Option<u32>, turned: bool) {
    let mut config = kycd_vision::VisionConfig::new(common::models_dir());
    config.threads = 2;
    if let Some(side) = detector_side {
        config.detector.max_side = side;
    }
    let vision = kycd_vision::Vision::load(&config).expect("vision runtime");
    let mut labels: Vec<PathBuf> = std::fs::read_dir(directory)
        .expect("corpus directory")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    labels.sort();
    let (mut found, mut expected, mut images) = (0usize, 0usize, 0usize);
    let mut by_condition: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    let cpu_before = cpu_time();
    for label in &labels {
        let Some(image_path) = ["png", "jpg"]
            .iter()
            .map(|extension| label.with_extension(extension))
            .find(|path| path.exists())
        else {
            continue;
        };
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(label).expect("label")).expect("json");
        let mut fields = Vec::new();
        string_fields(&json["message"], "", &mut fields);
        let mut image = image::open(&image_path).expect("image").to_rgb8();
        let condition = json["condition"].as_str().unwrap_or("?").to_string();
        if turned {
            if condition != "scan" {
                continue;
            }
            image::imageops::rotate180_in_place(&mut image);
        }
        let lines = if condition == "scan" {
            vision.read_text(common::image_ref(&image), ReadOptions::latin())
        } else {
            match vision.locate_document(common::image_ref(&image)) {
                Some(crop) => {
                    let card = crop.image;
                    let rgb = kycd_plugin_api::ImageRef::new(card.width, card.height, &card.rgb)
                        .expect("crop");
                    vision.read_text(rgb, ReadOptions::latin())
                }
                None => vision.read_text(common::image_ref(&image), ReadOptions::latin()),
            }
        };
        images += 1;
        let text: String = lines.iter().map(|l| letters_and_digits(&l.text)).collect();
        let tally = by_condition.entry(condition).or_default();
        for (key, value) in fields {
            let value = letters_and_digits(&value);
            if value.is_empty() {
                continue;
            }
            expected += 1;
            tally.1 += 1;
            if text.contains(&value) {
                found += 1;
                tally.0 += 1;
            } else {
                let name = image_path.file_name().unwrap_or_default().to_string_lossy();
                println!("missed {name} {key}");
            }
        }
    }
    let cpu = ms(cpu_time() - cpu_before) / images.max(1) as f64;
    for (condition, (hit, all)) in by_condition {
        println!(
            "recall {condition:<8} {hit:>4} / {all:<4} {:>6.1} %",
            100.0 * hit as f64 / all.max(1) as f64
        );
    }
    println!(
        "recall all      {found:>4} / {expected:<4} {:>6.1} %   ({images} images, CPU {cpu:.0} ms per image)",
        100.0 * found as f64 / expected.max(1) as f64
    );
}

/// Thai and Hindi cards end-to-end: the fixed corpus's Thai scans read with
/// `ReadOptions::with_thai` and its Aadhaar scans with `with_devanagari` (every line the Latin
/// recogniser reads poorly goes to Tesseract, on two threads), each re-encoded as a JPEG like
/// the Latin cards, decode included.
fn script_cards(vision: &kycd_vision::Vision, rounds: usize) {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    for (prefix, options, name) in [
        ("th-", ReadOptions::with_thai(), "Thai"),
        ("in-aadhaar-", ReadOptions::with_devanagari(), "Hindi"),
    ] {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&corpus)
            .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        names.retain(|path| {
            let file = path
                .file_name()
                .map_or(String::new(), |f| f.to_string_lossy().into());
            file.starts_with(prefix) && file.ends_with("-scan.png")
        });
        names.sort();
        let files: Vec<Vec<u8>> = names
            .iter()
            .map(|path| {
                let image = image::open(path).expect("corpus image").to_rgb8();
                let mut bytes = Vec::new();
                JpegEncoder::new_with_quality(&mut bytes, 92)
                    .encode_image(&image)
                    .expect("jpeg encoding");
                bytes
            })
            .collect();
        if files.is_empty() {
            println!("{name} cards: none in {}", corpus.display());
            continue;
        }
        let read = |bytes: &[u8]| {
            let image = image::load_from_memory(bytes).expect("decode").to_rgb8();
            vision.read_text_profiled(common::image_ref(&image), options)
        };
        read(&files[0]);
        let (mut total, mut tesseract, mut calls) = (vec![], vec![], 0usize);
        for _ in 0..rounds {
            for bytes in &files {
                let started = Instant::now();
                let (_, profile) = read(bytes);
                total.push(ms(started.elapsed()));
                tesseract.push(ms(profile.tesseract));
                calls += profile.tesseract_calls;
            }
        }
        println!(
            "{name} cards: {} scans of tests/corpus as JPEG, {:.1} Tesseract reads per card",
            files.len(),
            calls as f64 / total.len() as f64
        );
        report(
            &format!("  {name}: Tesseract re-reads (wall)"),
            &mut tesseract,
        );
        report(&format!("  {name} card end-to-end"), &mut total);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--recall") {
        let directory = args
            .get(2)
            .expect("usage: bench_ocr --recall DIR [DETECTOR_SIDE] [--turned]");
        recall(
            Path::new(directory),
            args.get(3)
                .and_then(|s| s.parse().ok())
                .filter(|&side| side > 0),
            args.iter().any(|a| a == "--turned"),
        );
        return;
    }
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let directory = std::env::temp_dir().join(format!("kycd-bench-cards-{}", std::process::id()));
    let cards = write_cards(&directory);
    let sizes: Vec<u64> = cards
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .collect();
    println!(
        "{} cards 1000x630 JPEG, {:.0} KB average; {} rounds; {} cores",
        cards.len(),
        sizes.iter().sum::<u64>() as f64 / sizes.len() as f64 / 1024.0,
        rounds,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );

    let started = Instant::now();
    let vision = common::vision();
    kycd_vision::stages::set_cpu_profiling(true);
    println!(
        "Vision::load                       {:>8.1} ms",
        ms(started.elapsed())
    );
    let files: Vec<Vec<u8>> = cards
        .iter()
        .map(|p| std::fs::read(p).expect("card"))
        .collect();
    let read = |bytes: &[u8]| {
        let image = image::load_from_memory(bytes).expect("decode").to_rgb8();
        vision.read_text_profiled(common::image_ref(&image), ReadOptions::latin())
    };
    for bytes in files.iter().take(2) {
        read(bytes);
    }
    let (mut total, mut det, mut cls, mut rec, mut per_line) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut stage_cpu = [Duration::ZERO; 3];
    let mut lines_read = 0usize;
    let (cpu_before, load_before) = (cpu_time(), load_average());
    for _ in 0..rounds {
        for bytes in &files {
            let started = Instant::now();
            let (lines, profile) = read(bytes);
            total.push(ms(started.elapsed()));
            det.push(ms(profile.detection));
            cls.push(ms(profile.crop_and_classify));
            rec.push(ms(profile.recognition));
            per_line.push(ms(profile.recognition) / profile.lines.max(1) as f64);
            stage_cpu[0] += profile.detection_cpu;
            stage_cpu[1] += profile.crop_and_classify_cpu;
            stage_cpu[2] += profile.recognition_cpu;
            lines_read += lines.len();
        }
    }
    let cpu_per_card = ms(cpu_time() - cpu_before) / total.len() as f64;
    println!(
        "load average (1 min) before/after    {load_before} / {}",
        load_average()
    );
    println!("CPU time per card (user+sys)       {cpu_per_card:>8.1} ms");
    let cards_read = total.len() as f64;
    println!(
        "CPU per card: detection {:.1} ms, crop + classifier {:.1} ms, recognition {:.1} ms, rest {:.1} ms",
        ms(stage_cpu[0]) / cards_read,
        ms(stage_cpu[1]) / cards_read,
        ms(stage_cpu[2]) / cards_read,
        cpu_per_card - ms(stage_cpu.iter().sum()) / cards_read
    );
    println!(
        "lines per card                     {:>8.1}",
        lines_read as f64 / total.len() as f64
    );
    report("detection (incl. pre/post)", &mut det);
    report("crop + 0/180 classifier", &mut cls);
    report("recognition (all lines)", &mut rec);
    report("recognition per line", &mut per_line);
    let (kycd_p50, kycd_p95) = report("card end-to-end (decode+read_text)", &mut total);

    // Tesseract per line (Thai), the engine already initialised on this thread.
    let reader = LineReader::default();
    let thai = common::render_line("เลขประจำตัวประชาชน", common::THAI_FONT, 36.0);
    reader
        .read_line(&thai, TessLanguage::Thai)
        .expect("tesseract");
    let mut tesseract: Vec<f64> = (0..10)
        .map(|_| {
            let started = Instant::now();
            reader
                .read_line(&thai, TessLanguage::Thai)
                .expect("tesseract");
            ms(started.elapsed())
        })
        .collect();
    report("tesseract per line (tha, PSM 7)", &mut tesseract);
    script_cards(vision, rounds);

    match rapidocr_python() {
        Some(python) => {
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/rapidocr_bench.py");
            let output = Command::new(python)
                .arg(script)
                .arg(&directory)
                .arg(rounds.to_string())
                .output();
            match output {
                Ok(out) if out.status.success() => {
                    let text = String::from_utf8_lossy(&out.stdout);
                    let value: serde_json::Value =
                        serde_json::from_str(text.trim().lines().last().unwrap_or("{}"))
                            .unwrap_or_default();
                    let (p50, p95) = (
                        value["p50_ms"].as_f64().unwrap_or(f64::NAN),
                        value["p95_ms"].as_f64().unwrap_or(f64::NAN),
                    );
                    println!(
                        "{:<34} p50 {p50:>8.1} ms   p95 {p95:>8.1} ms   ({:.1} lines/card)",
                        "RapidOCR 3.10.0 end-to-end",
                        value["lines_per_read"].as_f64().unwrap_or(0.0)
                    );
                    println!(
                        "RapidOCR / kycd                     p50 {:>6.2}x     p95 {:>6.2}x",
                        p50 / kycd_p50,
                        p95 / kycd_p95
                    );
                }
                Ok(out) => println!(
                    "RapidOCR run failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                ),
                Err(error) => println!("RapidOCR run failed: {error}"),
            }
        }
        None => println!("RapidOCR comparison skipped: no python venv (set RAPIDOCR_PYTHON)"),
    }
    let _ = std::fs::remove_dir_all(&directory);
}
