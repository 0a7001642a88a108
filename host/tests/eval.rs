//! The accuracy harness against a live host, on a labelled folder whose truth it must both
//! confirm and refute.

mod common;

use common::*;

#[test]
fn harness_scores_documents_and_fields_exactly() {
    let host = TestHost::start(&TestConfig::default());
    let corpus = tempfile::tempdir().unwrap();
    let write = |name: &str, width: u32, expected_width: &str, condition: &str| {
        std::fs::write(
            corpus.path().join(format!("{name}.png")),
            test_png(width, 10),
        )
        .unwrap();
        let truth = serde_json::json!({
            "route": "fixture/echo",
            "condition": condition,
            "message": { "Generation": " 1.0.0 ", "Width": expected_width, "Height": "10" }
        });
        std::fs::write(
            corpus.path().join(format!("{name}.json")),
            truth.to_string(),
        )
        .unwrap();
    };
    write("a", 30, "30", "scan");
    write("b", 31, "31", "scan");
    write("c", 32, "99", "photo"); // wrong truth: must count as a miss
    let report = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(kycd::eval::run(corpus.path(), &host.base, KEY_ALL))
        .unwrap();
    let scan = &report.groups["fixture/echo scan"];
    assert_eq!((scan.images, scan.exact_documents), (2, 2));
    assert_eq!(scan.document_exact_match, 1.0);
    let photo = &report.groups["fixture/echo photo"];
    assert_eq!((photo.images, photo.exact_documents), (1, 0));
    assert_eq!(photo.fields["Width"], (0, 1));
    assert_eq!(photo.fields["Height"], (1, 1));
    let table = kycd::eval::render(&report);
    assert!(
        table.contains("| fixture/echo photo | 1 | OK 1 | 0% | 67% | Width 0% |"),
        "{table}"
    );
}
