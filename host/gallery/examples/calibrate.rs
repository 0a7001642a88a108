//! Calibrates the face thresholds from labelled photos: embeds the largest face of every image
//! (and of augmented copies), forms every same-person and different-person pair, and prints the
//! cosine distributions, FAR/FRR per threshold and the recommended `same` / `not_same`.
//!
//! ```text
//! host/gallery/examples/fetch-calibration-data.sh /tmp/kycd-calibration
//! cargo run --release -p kycd-gallery --example calibrate -- \
//!     [--augment] [--exclude NAME]... [--models DIR] DIR...
//! ```
//!
//! Each `DIR` holds one sub-directory per identity (`DIR/<identity>/*.jpg|png`); the identity
//! is the sub-directory name. `--exclude NAME` skips sub-directories of that name (e.g.
//! `multiple-or-unlabelled`). `--augment` adds, per photo, a tight crop, a Gaussian blur, a
//! JPEG quality-20 copy, rotations by +/-20 degrees and a half-scale copy. Prints no image
//! data and no personal fields, only file counts and scores.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use image::{imageops, DynamicImage, ImageFormat, Rgb, RgbImage};
use imageproc::geometric_transformations::{rotate_about_center, Interpolation};
use kycd_gallery::{similarity_from_cosine, verdict, Thresholds};
use kycd_plugin_api::ImageRef;
use kycd_vision::face::{cosine, FaceEmbedding, FaceRuntime};

/// Largest acceptable false-accept rate at the recommended `same` threshold (KYC: a false
/// accept lets an impostor through, so it is held well below the false-reject rate).
const TARGET_FAR: f64 = 0.0005;

struct Sample {
    identity: String,
    /// Index of the original photo (augmented copies share it).
    photo: usize,
    variant: &'static str,
    embedding: FaceEmbedding,
}

struct Args {
    dirs: Vec<PathBuf>,
    exclude: Vec<String>,
    augment: bool,
    models: PathBuf,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = Args {
        dirs: Vec::new(),
        exclude: Vec::new(),
        augment: false,
        models: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--augment" => args.augment = true,
            "--exclude" => args
                .exclude
                .push(it.next().context("--exclude needs a name")?),
            "--models" => args.models = it.next().context("--models needs a dir")?.into(),
            _ if arg.starts_with("--") => bail!("unknown option {arg}"),
            _ => args.dirs.push(arg.into()),
        }
    }
    if args.dirs.is_empty() {
        bail!("usage: calibrate [--augment] [--exclude NAME]... [--models DIR] DIR...");
    }
    Ok(args)
}

/// (identity, path) of every image under `dir/<identity>/`, sorted.
fn labelled_images(dir: &Path, exclude: &[String]) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        let identity = entry.file_name().to_string_lossy().into_owned();
        if !entry.file_type()?.is_dir() || exclude.contains(&identity) {
            continue;
        }
        for file in std::fs::read_dir(entry.path())? {
            let path = file?.path();
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase());
            if matches!(ext.as_deref(), Some("jpg" | "jpeg" | "png")) {
                out.push((identity.clone(), path));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The photo and, with `augment`, its degraded copies.
fn variants(photo: &RgbImage, augment: bool) -> Vec<(&'static str, RgbImage)> {
    let mut out = vec![("original", photo.clone())];
    if !augment {
        return out;
    }
    let (w, h) = photo.dimensions();
    out.push((
        "crop",
        imageops::crop_imm(photo, w / 10, h / 10, w * 8 / 10, h * 8 / 10).to_image(),
    ));
    out.push(("blur", imageproc::filter::gaussian_blur_f32(photo, 2.0)));
    let mut jpeg = Vec::new();
    if DynamicImage::ImageRgb8(photo.clone())
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut Cursor::new(&mut jpeg),
            20,
        ))
        .is_ok()
    {
        if let Ok(decoded) = image::load_from_memory_with_format(&jpeg, ImageFormat::Jpeg) {
            out.push(("jpeg20", decoded.to_rgb8()));
        }
    }
    for (name, degrees) in [("rot+20", 20f32), ("rot-20", -20f32)] {
        out.push((
            name,
            rotate_about_center(
                photo,
                degrees.to_radians(),
                Interpolation::Bilinear,
                imageproc::geometric_transformations::Border::Constant(Rgb([128, 128, 128])),
            ),
        ));
    }
    out.push((
        "half",
        imageops::resize(
            photo,
            (w / 2).max(1),
            (h / 2).max(1),
            imageops::FilterType::Triangle,
        ),
    ));
    out
}

fn embed_largest(runtime: &FaceRuntime, image: &RgbImage) -> Option<FaceEmbedding> {
    let view = ImageRef::new(image.width(), image.height(), image.as_raw())?;
    let faces = runtime.detect(view);
    let largest = faces
        .iter()
        .max_by(|a, b| (a.rect.width * a.rect.height).total_cmp(&(b.rect.width * b.rect.height)))?;
    runtime.embed(view, largest).ok()
}

struct Pairs {
    same: Vec<f32>,
    different: Vec<f32>,
}

fn pairs(samples: &[Sample], include: impl Fn(&Sample, &Sample) -> bool) -> Pairs {
    let mut p = Pairs {
        same: Vec::new(),
        different: Vec::new(),
    };
    for (i, a) in samples.iter().enumerate() {
        for b in &samples[i + 1..] {
            if !include(a, b) {
                continue;
            }
            let c = cosine(&a.embedding, &b.embedding);
            if a.identity == b.identity {
                p.same.push(c);
            } else {
                p.different.push(c);
            }
        }
    }
    p.same.sort_by(f32::total_cmp);
    p.different.sort_by(f32::total_cmp);
    p
}

fn quantile(sorted: &[f32], q: f64) -> f32 {
    if sorted.is_empty() {
        return f32::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn far(p: &Pairs, t: f32) -> (usize, f64) {
    let n = p.different.iter().filter(|&&c| c >= t).count();
    (n, n as f64 / p.different.len().max(1) as f64)
}

fn frr(p: &Pairs, t: f32) -> (usize, f64) {
    let n = p.same.iter().filter(|&&c| c < t).count();
    (n, n as f64 / p.same.len().max(1) as f64)
}

fn report(title: &str, p: &Pairs) -> (f32, f32) {
    println!(
        "\n== {title}: {} same-person pairs, {} different-person pairs",
        p.same.len(),
        p.different.len()
    );
    println!(
        "same-person cosine:      min {:.3}  p1 {:.3}  p5 {:.3}  median {:.3}  max {:.3}",
        quantile(&p.same, 0.0),
        quantile(&p.same, 0.01),
        quantile(&p.same, 0.05),
        quantile(&p.same, 0.5),
        quantile(&p.same, 1.0)
    );
    println!(
        "different-person cosine: min {:.3}  median {:.3}  p99 {:.3}  p99.9 {:.3}  max {:.3}",
        quantile(&p.different, 0.0),
        quantile(&p.different, 0.5),
        quantile(&p.different, 0.99),
        quantile(&p.different, 0.999),
        quantile(&p.different, 1.0)
    );
    println!("histogram (cosine bin: same | different)");
    for bin in -4..20 {
        let lo = bin as f32 * 0.05;
        let hi = lo + 0.05;
        let s = p.same.iter().filter(|&&c| c >= lo && c < hi).count();
        let d = p.different.iter().filter(|&&c| c >= lo && c < hi).count();
        if s + d > 0 {
            println!("  [{lo:+.2}, {hi:+.2}): {s:6} | {d:6}");
        }
    }
    println!("threshold |   FAR (false accepts)   |   FRR (false rejects)");
    for step in 0..=25 {
        let t = 0.20 + step as f32 * 0.02;
        let (fa, far_rate) = far(p, t);
        let (fr, frr_rate) = frr(p, t);
        println!(
            "   {t:.2}   | {:7.3}% ({fa:5}/{:5}) | {:7.3}% ({fr:5}/{:5})",
            far_rate * 100.0,
            p.different.len(),
            frr_rate * 100.0,
            p.same.len()
        );
    }
    // `same`: the lowest threshold (0.01 steps) with FAR <= TARGET_FAR.
    let same = (0..100)
        .map(|i| i as f32 / 100.0)
        .find(|&t| far(p, t).1 <= TARGET_FAR)
        .unwrap_or(0.99);
    // `not_same`: the highest threshold below `same` that rejects no same-person pair (the
    // lowest same-person cosine, rounded down to 0.01): `NOT SAME PERSON` is never said of a
    // same-person pair of this data.
    let not_same = (0..100)
        .rev()
        .map(|i| i as f32 / 100.0)
        .filter(|&t| t < same)
        .find(|&t| frr(p, t).0 == 0)
        .unwrap_or(0.0);
    println!(
        "recommended: same = {same:.2} (FAR {:.3}%, FRR {:.2}%), not_same = {not_same:.2} (FAR {:.2}%, FRR {:.3}%)",
        far(p, same).1 * 100.0,
        frr(p, same).1 * 100.0,
        far(p, not_same).1 * 100.0,
        frr(p, not_same).1 * 100.0
    );
    (same, not_same)
}

fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    let runtime = FaceRuntime::load(&args.models, 2)?;
    let mut samples = Vec::new();
    let mut photos = 0usize;
    let mut missed: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut tried: BTreeMap<&'static str, usize> = BTreeMap::new();
    for dir in &args.dirs {
        for (identity, path) in labelled_images(dir, &args.exclude)? {
            let Ok(photo) = image::open(&path) else {
                eprintln!("skipping unreadable image {}", path.display());
                continue;
            };
            let photo = photo.to_rgb8();
            for (variant, image) in variants(&photo, args.augment) {
                *tried.entry(variant).or_default() += 1;
                match embed_largest(&runtime, &image) {
                    Some(embedding) => samples.push(Sample {
                        identity: identity.clone(),
                        photo: photos,
                        variant,
                        embedding,
                    }),
                    None => *missed.entry(variant).or_default() += 1,
                }
            }
            photos += 1;
        }
    }
    let identities: std::collections::BTreeSet<&str> =
        samples.iter().map(|s| s.identity.as_str()).collect();
    println!(
        "{photos} photos of {} identities; embedded {} images",
        identities.len(),
        samples.len()
    );
    for (variant, n) in &tried {
        println!(
            "  {variant:9}: {n:4} images, no face found in {}",
            missed.get(variant).unwrap_or(&0)
        );
    }

    let originals = pairs(&samples, |a, b| {
        a.variant == "original" && b.variant == "original"
    });
    let (mut same, mut not_same) = report("original photos", &originals);
    if args.augment {
        // Augmented copies against other photos (never a photo against its own copy, which
        // would be an easy near-duplicate pair).
        let augmented = pairs(&samples, |a, b| a.photo != b.photo);
        let (same_aug, not_same_aug) = report(
            "originals + augmented copies (no photo paired with its own copy)",
            &augmented,
        );
        // The stricter of the two: FAR target met on both sets, no false NOT SAME on either.
        same = same.max(same_aug);
        not_same = not_same.min(not_same_aug);
        let own = pairs(&samples, |a, b| a.photo == b.photo);
        println!(
            "\nphoto vs its own degraded copy: {} pairs, cosine min {:.3} median {:.3}",
            own.same.len(),
            quantile(&own.same, 0.0),
            quantile(&own.same, 0.5)
        );
    }
    let current = Thresholds::default();
    println!(
        "\ncrate defaults: same {:.2}, not_same {:.2}; on original pairs: FAR {:.3}% FRR {:.2}% at same, FRR {:.3}% at not_same",
        current.same,
        current.not_same,
        far(&originals, current.same).1 * 100.0,
        frr(&originals, current.same).1 * 100.0,
        frr(&originals, current.not_same).1 * 100.0
    );
    let bands = |p: &[f32]| {
        let mut counts = [0usize; 3];
        for &c in p {
            counts[verdict(c, &current) as usize] += 1;
        }
        counts
    };
    println!(
        "verdicts with the defaults (SAME / NOT SURE / NOT SAME): same-person pairs {:?}, different-person pairs {:?}",
        bands(&originals.same),
        bands(&originals.different)
    );
    println!(
        "similarity (0-100) with the defaults: same-person median {:.0}, different-person median {:.0}",
        similarity_from_cosine(quantile(&originals.same, 0.5), &current),
        similarity_from_cosine(quantile(&originals.different, 0.5), &current)
    );
    println!(
        "RECOMMENDED (FAR <= {:.2}% on every set, no same-person pair below not_same): same {same:.2}, not_same {not_same:.2}",
        TARGET_FAR * 100.0
    );
    Ok(())
}
