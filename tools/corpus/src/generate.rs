//! The generation loop: types x documents x sides x conditions, each with its own RNG.

use std::path::Path;

use anyhow::{Context, Result};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Map, Value};

use crate::conditions::Condition;
use crate::doc::DocType;
use crate::fonts;

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenerateOptions {
    /// Master seed.
    pub seed: u64,
    /// Documents per type (each document gives one image per side and condition).
    pub per_type: usize,
    /// Types to draw (default: all).
    pub types: Vec<DocType>,
    /// Conditions to apply to every side (default: `scan` and `photo`).
    pub conditions: Vec<Condition>,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            seed: 0,
            per_type: 1,
            types: DocType::ALL.to_vec(),
            conditions: vec![Condition::Scan, Condition::Photo],
        }
    }
}

/// One output image and its ground truth.
pub struct Sample {
    /// File name without extension, e.g. `de-id-0003-front-photo`.
    pub file_stem: String,
    /// `png` or `jpg`.
    pub extension: &'static str,
    /// The encoded image.
    pub bytes: Vec<u8>,
    /// The ground-truth JSON (`route`, `message`, `model`, `side`, `condition`, `seed`, plus
    /// `corners`: the card's corners in the displayed image, clockwise from top-left).
    pub truth: Value,
}

/// SplitMix64 finaliser, to derive independent seeds.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The RNG of one part of the corpus: the same (seed, parts) always gives the same stream.
pub fn rng_for(seed: u64, parts: &[u64]) -> ChaCha8Rng {
    let s = parts.iter().fold(mix(seed), |acc, &p| mix(acc ^ mix(p)));
    ChaCha8Rng::seed_from_u64(s)
}

fn type_key(t: DocType) -> u64 {
    // Stable per-type key from its name (not its position in a list).
    t.name().bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

/// Generates the samples in memory, in a fixed order.
pub fn generate(options: &GenerateOptions) -> Result<Vec<Sample>> {
    fonts::check_fonts()?;
    let mut samples = Vec::new();
    for &doc_type in &options.types {
        for index in 0..options.per_type {
            let mut doc_rng = rng_for(options.seed, &[type_key(doc_type), index as u64]);
            let cards = doc_type
                .render(&mut doc_rng)
                .with_context(|| format!("rendering {}", doc_type.name()))?;
            for (side_index, card) in cards.iter().enumerate() {
                for &condition in &options.conditions {
                    let mut rng = rng_for(
                        options.seed,
                        &[
                            type_key(doc_type),
                            index as u64,
                            side_index as u64,
                            condition as u64 + 1,
                        ],
                    );
                    let shot = condition.apply(&card.image, &mut rng)?;
                    let message: Map<String, Value> = card
                        .message
                        .iter()
                        .map(|(k, v)| (k.to_string(), Value::String(v.clone())))
                        .collect();
                    let mut truth = json!({
                        "route": card.route,
                        "message": message,
                        "model": card.model,
                        "side": card.side.name(),
                        "condition": condition.name(),
                        "seed": options.seed,
                        "corners": shot.corners.iter().map(|(x, y)| json!([(f64::from(*x) * 10.0).round() / 10.0, (f64::from(*y) * 10.0).round() / 10.0])).collect::<Vec<_>>(),
                    });
                    if let Some(orientation) = shot.exif_orientation {
                        truth["exif_orientation"] = json!(orientation);
                    }
                    samples.push(Sample {
                        file_stem: format!(
                            "{}-{:04}-{}-{}",
                            doc_type.name(),
                            index,
                            card.side.name(),
                            condition.name()
                        ),
                        extension: shot.extension,
                        bytes: shot.bytes,
                        truth,
                    });
                }
            }
        }
    }
    Ok(samples)
}

/// Writes each sample as `<stem>.<ext>` and `<stem>.json` under `dir` (created if needed).
pub fn write_samples(samples: &[Sample], dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for s in samples {
        let image = dir.join(format!("{}.{}", s.file_stem, s.extension));
        std::fs::write(&image, &s.bytes).with_context(|| format!("writing {}", image.display()))?;
        let truth = dir.join(format!("{}.json", s.file_stem));
        std::fs::write(&truth, serde_json::to_string_pretty(&s.truth)? + "\n")
            .with_context(|| format!("writing {}", truth.display()))?;
    }
    Ok(())
}
