//! Golden tests: the plugin run in-process with the real models on generated cards (seed 11,
//! `kycd-corpus`), the whole `message` compared with the expected JSON beside each image; plus
//! the statuses for other documents, a blank image and a destroyed card, and the details.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kycd::answer::Status;
use kycd::golden::png;
use kycd::local::LocalRunner;

const ROUTE: &str = "ocr/mx/ine";

fn runner() -> &'static LocalRunner {
    static RUNNER: OnceLock<LocalRunner> = OnceLock::new();
    RUNNER.get_or_init(|| {
        LocalRunner::with_plugin(kycd_plugin_mx::kycd_plugin_root_module()).expect("runner")
    })
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn image_beside(json: &Path) -> Vec<u8> {
    ["png", "jpg"]
        .iter()
        .map(|ext| json.with_extension(ext))
        .find(|p| p.exists())
        .map(|p| std::fs::read(p).expect("image"))
        .unwrap_or_else(|| panic!("no image beside {}", json.display()))
}

#[test]
fn golden_cards_answer_exactly_the_expected_message() {
    let cases = kycd::golden::cases(&golden_dir());
    assert!(cases.len() >= 6, "golden cards missing");
    let failures = kycd::golden::mismatches(runner(), &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn details_carry_side_validity_source_and_cross_checks() {
    let front = golden_dir().join("mx-ine-0003-front-scan.json");
    let answer = runner().run(ROUTE, &image_beside(&front), true);
    assert_eq!(answer.status, Status::Ok, "{}", answer.body());
    let details = &answer.body()["message"]["details"];
    assert_eq!(details["side"], "front", "{details}");
    assert_eq!(details["fields"]["idNumber"]["valid"], true, "{details}");
    assert_eq!(details["fields"]["idNumber"]["source"], "ocr", "{details}");
    for check in ["nameInitials", "nameConsonants", "birthDate", "sex"] {
        assert_eq!(details["curp"][check], true, "{check}: {details}");
    }

    let back = golden_dir().join("mx-ine-0002-back-scan.json");
    let answer = runner().run(ROUTE, &image_beside(&back), true);
    assert_eq!(answer.status, Status::Ok, "{}", answer.body());
    let details = &answer.body()["message"]["details"];
    assert_eq!(details["side"], "back", "{details}");
    assert_eq!(details["mrz"]["valid"], true, "{details}");
    assert_eq!(details["fields"]["birthday"]["source"], "mrz", "{details}");
    assert_eq!(details["fields"]["birthday"]["valid"], true, "{details}");
    assert_eq!(details["qr"]["cicMatchesMrz"], true, "{details}");
}

#[test]
fn other_documents_and_blank_images_are_not_this_document() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    let german_front = image_beside(&corpus.join("de-id-0000-front-scan.json"));
    let german_back = image_beside(&corpus.join("de-id-0000-back-scan.json"));
    let colombian = image_beside(&corpus.join("co-cedula-0000-front-scan.json"));
    let blank = png(&image::RgbImage::from_pixel(
        800,
        500,
        image::Rgb([235, 235, 230]),
    ));
    for (image, what) in [
        (&german_front, "German ID front"),
        (&german_back, "German ID back (an MRZ, not Mexican)"),
        (&colombian, "Colombian cédula"),
        (&blank, "blank image"),
    ] {
        let answer = runner().run(ROUTE, image, false);
        assert_eq!(
            answer.status,
            Status::ImageRecognizeError,
            "{what}: {}",
            answer.body()
        );
    }
}

#[test]
fn destroyed_card_is_not_read() {
    // Shrunk to 90 px wide and blown up again: no label, CURP or MRZ survives, so the image is
    // not recognised as the card (IMAGE_RECOGNIZE_ERROR) and nothing is invented.
    let json = golden_dir().join("mx-ine-0003-front-scan.json");
    let card = image::load_from_memory(&image_beside(&json))
        .expect("decode")
        .to_rgb8();
    let tiny = image::imageops::resize(&card, 90, 57, image::imageops::FilterType::Triangle);
    let blurred = image::imageops::resize(
        &tiny,
        card.width(),
        card.height(),
        image::imageops::FilterType::Triangle,
    );
    let answer = runner().run(ROUTE, &png(&blurred), false);
    assert!(
        matches!(answer.status, Status::ImageRecognizeError | Status::Fail),
        "{}",
        answer.body()
    );
}
