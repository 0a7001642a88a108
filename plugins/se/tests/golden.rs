//! Golden tests: the plugin with the real models, in-process, on generated cards (seed 11) whose
//! expected answers lie beside them in `tests/golden/`, plus images it must refuse.

use std::path::Path;

use kycd::golden;
use kycd::local::LocalRunner;

const ROUTE: &str = "ocr/se/id-card";
/// A card of another country from the committed fixed corpus.
const OTHER_CARD: &str = "../../tests/corpus/no-id-0000-front-scan.png";

// One test function: the models load once per test binary.
#[test]
fn golden_cards_refusals_and_details() {
    let runner = LocalRunner::with_plugin(kycd_plugin_se::kycd_plugin_root_module())
        .expect("models in models/ (run models/fetch.sh)");
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases = golden::cases(&here.join("tests/golden"));
    assert!(cases.len() >= 3, "golden cases missing");
    let mut failures = golden::mismatches(&runner, &cases);
    // Not this document: another country's card, a blank scene.
    failures.extend(golden::refusal_mismatches(
        &runner,
        ROUTE,
        &[here.join(OTHER_CARD)],
    ));
    // details=1: the side read, and the birth date's validity and source on each side.
    failures.extend(golden::side_detail_mismatches(
        &runner,
        &cases,
        "DateOfBirth",
        &[("front", "ocr"), ("back", "mrz")],
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
