//! Golden-file tests for plugins: a folder of generated (or specimen) images, each with the JSON
//! answer expected beside it (`NAME.png|jpg` + `NAME.json` holding `route` and `message`, the
//! shape `kycd-corpus` writes), run in-process through a [`LocalRunner`].
//!
//! ```ignore
//! // plugins/xx/tests/golden.rs
//! use kycd::golden;
//! let runner = kycd::local::LocalRunner::with_plugin(kycd_plugin_xx::kycd_plugin_root_module())?;
//! let cases = golden::cases(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden"));
//! let failures = golden::mismatches(&runner, &cases);
//! assert!(failures.is_empty(), "{}", failures.join("\n"));
//! assert_eq!(golden::status(&runner.run("ocr/xx/id-card", &golden::blank_bmp(640, 400), false).body()),
//!            "IMAGE_RECOGNIZE_ERROR");
//! ```

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::local::LocalRunner;

/// One labelled image.
#[derive(Clone, Debug)]
pub struct Case {
    /// The image file.
    pub image: PathBuf,
    /// Its JSON: `route`, `message` and whatever else the generator recorded (`side`, `model`,
    /// `condition`).
    pub truth: Value,
}

impl Case {
    /// The route the image is for.
    pub fn route(&self) -> &str {
        self.truth["route"].as_str().unwrap_or_default()
    }

    /// The image's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        std::fs::read(&self.image)
            .unwrap_or_else(|e| panic!("reading {}: {e}", self.image.display()))
    }
}

/// Every `NAME.json` of `dir` with an image of the same name, sorted by name. Panics (this is for
/// tests) when the folder cannot be read or a JSON file does not parse.
pub fn cases(dir: &Path) -> Vec<Case> {
    let mut jsons: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    jsons.sort();
    jsons
        .into_iter()
        .filter_map(|json| {
            let image = ["png", "jpg", "jpeg", "bmp"]
                .iter()
                .map(|ext| json.with_extension(ext))
                .find(|p| p.exists())?;
            let truth = serde_json::from_slice(&std::fs::read(&json).ok()?)
                .unwrap_or_else(|e| panic!("parsing {}: {e}", json.display()));
            Some(Case { image, truth })
        })
        .collect()
}

/// Runs every case on its route and describes each answer that is not `OK` with exactly the
/// expected `message` (empty when all match).
pub fn mismatches(runner: &LocalRunner, cases: &[Case]) -> Vec<String> {
    cases
        .iter()
        .filter_map(|case| {
            let answer = runner.run(case.route(), &case.bytes(), false).body();
            let expected = &case.truth["message"];
            (status(&answer) != "OK" || &answer["message"] != expected).then(|| {
                format!(
                    "{}: got {} {}, want {}",
                    case.image.display(),
                    status(&answer),
                    answer["message"],
                    expected
                )
            })
        })
        .collect()
}

/// Runs `route` on each image that is not this document (another country's card, a passport…)
/// and on a blank scene, and describes each answer that is not `IMAGE_RECOGNIZE_ERROR`.
pub fn refusal_mismatches(runner: &LocalRunner, route: &str, not_this: &[PathBuf]) -> Vec<String> {
    let blank = ("a blank scene".to_string(), blank_bmp(640, 400));
    not_this
        .iter()
        .map(|path| {
            let bytes =
                std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            (path.display().to_string(), bytes)
        })
        .chain([blank])
        .filter_map(|(name, bytes)| {
            let answer = runner.run(route, &bytes, false).body();
            (status(&answer) != "IMAGE_RECOGNIZE_ERROR")
                .then(|| format!("{route} on {name}: got {answer}, want IMAGE_RECOGNIZE_ERROR"))
        })
        .collect()
}

/// For each `(side, source)`, runs the first scan case of that side (`-<side>-scan` in its file
/// name) with `details=1` and describes what is wrong: `details.side` must be the side, and the
/// details of `field` must have that `source`, `valid: true` and a confidence above 0.5. E.g.
/// `[("front", "ocr"), ("back", "mrz")]` for a card whose back carries an MRZ.
pub fn side_detail_mismatches(
    runner: &LocalRunner,
    cases: &[Case],
    field: &str,
    sides: &[(&str, &str)],
) -> Vec<String> {
    let mut failures = Vec::new();
    for (side, source) in sides {
        let Some(case) = cases
            .iter()
            .find(|c| c.image.to_string_lossy().contains(&format!("-{side}-scan")))
        else {
            failures.push(format!("no scan of the {side} among the golden cases"));
            continue;
        };
        let answer = runner.run(case.route(), &case.bytes(), true).body();
        let details = &answer["message"]["details"];
        let of_field = &details["fields"][field];
        let confident = of_field["confidence"].as_f64().unwrap_or(0.0) > 0.5;
        if details["side"] != *side
            || of_field["source"] != *source
            || of_field["valid"] != true
            || !confident
        {
            failures.push(format!(
                "{}: want side {side} and {field} from {source}, valid, confidence > 0.5; got {answer}",
                case.image.display()
            ));
        }
    }
    failures
}

/// An RGB image encoded as PNG bytes, for tests that post a drawn or degraded image.
pub fn png(image: &image::RgbImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("encoding a PNG in memory");
    out.into_inner()
}

/// The `status` of an answer body.
pub fn status(answer: &Value) -> &str {
    answer["status"].as_str().unwrap_or("<no status>")
}

/// An uncompressed 24-bit BMP of one flat grey: a blank scene that is no document.
pub fn blank_bmp(width: u32, height: u32) -> Vec<u8> {
    let row = (width * 3).div_ceil(4) * 4;
    let size = 54 + row * height;
    let mut bmp = Vec::with_capacity(size as usize);
    bmp.extend_from_slice(b"BM");
    for v in [size, 0, 54, 40, width, height] {
        bmp.extend_from_slice(&v.to_le_bytes());
    }
    bmp.extend_from_slice(&1u16.to_le_bytes());
    bmp.extend_from_slice(&24u16.to_le_bytes());
    for v in [0u32, row * height, 2835, 2835, 0, 0] {
        bmp.extend_from_slice(&v.to_le_bytes());
    }
    bmp.resize(size as usize, 200);
    bmp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_bmp_decodes_as_a_flat_image() {
        let decoded = image::load_from_memory(&blank_bmp(33, 7))
            .unwrap()
            .to_rgb8();
        assert_eq!(decoded.dimensions(), (33, 7));
        assert!(decoded.pixels().all(|p| p.0 == [200, 200, 200]));
    }

    #[test]
    fn cases_pair_each_json_with_its_image() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("b.json"),
            r#"{"route":"ocr/xx","message":{}}"#,
        )
        .unwrap();
        std::fs::write(dir.path().join("b.png"), b"x").unwrap();
        std::fs::write(
            dir.path().join("a.json"),
            r#"{"route":"ocr/yy","message":{}}"#,
        )
        .unwrap();
        std::fs::write(dir.path().join("a.jpg"), b"x").unwrap();
        std::fs::write(dir.path().join("orphan.json"), "{}").unwrap();
        let found = cases(dir.path());
        let routes: Vec<&str> = found.iter().map(Case::route).collect();
        assert_eq!(routes, ["ocr/yy", "ocr/xx"]);
    }
}
