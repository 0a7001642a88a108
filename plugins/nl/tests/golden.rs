//! Golden tests: the plugin with the real models, in-process, on generated cards (seed 11) whose
//! expected answers lie beside them in `tests/golden/`, plus images it must refuse.

use std::path::Path;

use kycd::golden::{self, status};
use kycd::local::LocalRunner;

const ROUTE: &str = "ocr/nl/id-card";
/// A card of another country from the committed fixed corpus.
const OTHER_CARD: &str = "../../tests/corpus/se-id-0000-front-scan.png";

// One test function: the models load once per test binary.
#[test]
fn golden_cards_refusals_and_details() {
    let runner = LocalRunner::with_plugin(kycd_plugin_nl::kycd_plugin_root_module())
        .expect("models in models/ (run models/fetch.sh)");
    let cases = golden::cases(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden"));
    assert!(cases.len() >= 4, "golden cases missing");
    let failures = golden::mismatches(&runner, &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Not this document: another country's card, a blank scene.
    let other = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(OTHER_CARD)).unwrap();
    assert_eq!(
        status(&runner.run(ROUTE, &other, false).body()),
        "IMAGE_RECOGNIZE_ERROR"
    );
    assert_eq!(
        status(
            &runner
                .run(ROUTE, &golden::blank_bmp(640, 400), false)
                .body()
        ),
        "IMAGE_RECOGNIZE_ERROR"
    );

    // details=1: the side read, and per field its validity and source.
    for (side, source) in [("front", "ocr"), ("back", "mrz")] {
        let case = cases
            .iter()
            .find(|c| c.image.to_string_lossy().contains(&format!("-{side}-scan")))
            .expect("a scan of each side");
        let answer = runner.run(ROUTE, &case.bytes(), true).body();
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
