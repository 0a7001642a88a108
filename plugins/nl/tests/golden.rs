//! Golden tests: the plugin with the real models, in-process, on generated cards (seed 11) whose
//! expected answers lie beside them in `tests/golden/`, plus images it must refuse.

use std::path::{Path, PathBuf};

use kycd::local::LocalRunner;
use serde_json::Value;

const ROUTE: &str = "ocr/nl/id-card";
/// A card of another country from the committed fixed corpus.
const OTHER_CARD: &str = "../../tests/corpus/se-id-0000-front-scan.png";

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// An uncompressed 24-bit BMP of one flat colour: a blank scene.
fn blank_bmp(width: u32, height: u32) -> Vec<u8> {
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

fn status(answer: &Value) -> &str {
    answer["status"].as_str().unwrap_or("<none>")
}

// One test function: the models load once per test binary.
#[test]
fn golden_cards_refusals_and_details() {
    let runner = LocalRunner::with_plugin(kycd_plugin_nl::kycd_plugin_root_module())
        .expect("models in models/ (run models/fetch.sh)");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(golden_dir())
        .expect("golden dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 3, "golden cases missing");
    let mut failures = Vec::new();
    for json in &cases {
        let truth: Value = serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
        let image = ["png", "jpg"]
            .iter()
            .map(|e| json.with_extension(e))
            .find(|p| p.exists())
            .expect("image beside the json");
        let answer = runner
            .run(ROUTE, &std::fs::read(&image).unwrap(), false)
            .body();
        if status(&answer) != "OK" || answer["message"] != truth["message"] {
            failures.push(format!(
                "{}: got {} {}, want {}",
                image.display(),
                status(&answer),
                answer["message"],
                truth["message"]
            ));
        }
    }
    // The host's panic hook keeps assertion messages short: print the differences first.
    for failure in &failures {
        eprintln!("{failure}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Not this document: another country's card, a blank scene.
    let other = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(OTHER_CARD)).unwrap();
    assert_eq!(
        status(&runner.run(ROUTE, &other, false).body()),
        "IMAGE_RECOGNIZE_ERROR"
    );
    assert_eq!(
        status(&runner.run(ROUTE, &blank_bmp(640, 400), false).body()),
        "IMAGE_RECOGNIZE_ERROR"
    );

    // details=1: the side read, and per field its validity and source.
    for (side, source) in [("front", "ocr"), ("back", "mrz")] {
        let json = cases
            .iter()
            .find(|p| p.to_string_lossy().contains(&format!("-{side}-scan")))
            .expect("a scan of each side");
        let image = std::fs::read(json.with_extension("png")).unwrap();
        let answer = runner.run(ROUTE, &image, true).body();
        let message = &answer["message"];
        assert_eq!(message["details"]["side"], side, "{answer}");
        let birth = &message["details"]["fields"]["DateOfBirth"];
        assert_eq!(birth["source"], source, "{answer}");
        assert_eq!(birth["valid"], true, "{answer}");
        assert!(
            birth["confidence"].as_f64().unwrap_or(0.0) > 0.5,
            "{answer}"
        );
    }
}
