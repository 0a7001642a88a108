//! Golden tests: the plugin run in-process with the real models on generated cards (seed 11,
//! `kycd-corpus`), the whole `message` compared with the expected JSON beside each image; plus
//! the statuses for other documents, an Ecuadorian look-alike, a blank image and a destroyed
//! card, and the details.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kycd::answer::Status;
use kycd::golden::png;
use kycd::local::LocalRunner;
use kycd_corpus::canvas::{rgb, Align, Canvas, Style, INK};
use kycd_corpus::doc::{CARD_H, CARD_W};
use kycd_corpus::fonts::Family;

const FRONT: &str = "ocr/co/cedula/front";
const BACK: &str = "ocr/co/cedula/back";

fn runner() -> &'static LocalRunner {
    static RUNNER: OnceLock<LocalRunner> = OnceLock::new();
    RUNNER.get_or_init(|| {
        LocalRunner::with_plugin(kycd_plugin_co::kycd_plugin_root_module()).expect("runner")
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
    assert!(cases.len() >= 4, "golden cards missing");
    let failures = kycd::golden::mismatches(runner(), &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn details_carry_side_model_validity_and_source() {
    let front = golden_dir().join("co-cedula-0000-front-scan.json");
    let answer = runner().run(FRONT, &image_beside(&front), true);
    assert_eq!(answer.status, Status::Ok, "{}", answer.body());
    let details = &answer.body()["message"]["details"];
    assert_eq!(details["side"], "front", "{details}");
    assert_eq!(details["model"], "digital", "{details}");
    // The digital front also prints the back's data.
    assert!(details["back"]["DateOfBirth"].is_string(), "{details}");
    assert_eq!(
        details["fields"]["CardNumber"]["source"], "ocr",
        "{details}"
    );

    let back = golden_dir().join("co-cedula-0000-back-scan.json");
    let answer = runner().run(BACK, &image_beside(&back), true);
    assert_eq!(answer.status, Status::Ok, "{}", answer.body());
    let details = &answer.body()["message"]["details"];
    assert_eq!(details["side"], "back", "{details}");
    assert_eq!(details["model"], "digital", "{details}");
    assert_eq!(
        details["fields"]["DateOfBirth"]["source"], "mrz",
        "{details}"
    );
    assert_eq!(details["fields"]["DateOfBirth"]["valid"], true, "{details}");

    let yellow = golden_dir().join("co-cedula-0010-back-scan.json");
    let answer = runner().run(BACK, &image_beside(&yellow), true);
    assert_eq!(answer.status, Status::Ok, "{}", answer.body());
    let details = &answer.body()["message"]["details"];
    assert_eq!(details["model"], "yellow", "{details}");
    assert_eq!(details["fields"]["DateOfIssue"]["valid"], true, "{details}");
}

/// A card laid out like the yellow Colombian cédula, but Ecuador's.
fn ecuadorian_look_alike() -> Vec<u8> {
    let mut c = Canvas::new(CARD_W, CARD_H, rgb(240, 228, 190));
    let navy = rgb(30, 40, 90);
    c.text(
        40.0,
        20.0,
        "REPÚBLICA DEL ECUADOR",
        Style::new(Family::ArialBold, 26.0, navy),
        Align::Left,
    );
    c.text(
        40.0,
        52.0,
        "DIRECCIÓN GENERAL DE REGISTRO CIVIL",
        Style::new(Family::Arial, 18.0, navy),
        Align::Left,
    );
    c.text(
        40.0,
        76.0,
        "CÉDULA DE CIUDADANÍA",
        Style::new(Family::ArialBold, 22.0, navy),
        Align::Left,
    );
    let label = Style::new(Family::Arial, 16.0, navy);
    let value = Style::new(Family::ArialBold, 30.0, INK);
    c.text(40.0, 130.0, "NUMERO", label, Align::Left);
    c.text(150.0, 122.0, "1.712.345.678", value, Align::Left);
    c.text(40.0, 200.0, "GARCIA LOPEZ", value, Align::Left);
    c.text(40.0, 240.0, "APELLIDOS", label, Align::Left);
    c.text(40.0, 290.0, "MARIA JOSE", value, Align::Left);
    c.text(40.0, 330.0, "NOMBRES", label, Align::Left);
    png(&image::DynamicImage::ImageRgba8(c.image).to_rgb8())
}

#[test]
fn look_alikes_other_documents_and_blank_images_are_not_this_document() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    let german_front = image_beside(&corpus.join("de-id-0000-front-scan.json"));
    let german_back = image_beside(&corpus.join("de-id-0000-back-scan.json"));
    let mexican = image_beside(&corpus.join("mx-ine-0000-back-scan.json"));
    let blank = png(&image::RgbImage::from_pixel(
        800,
        500,
        image::Rgb([235, 235, 230]),
    ));
    let ecuador = ecuadorian_look_alike();
    let cases: [(&str, &[u8], &str); 6] = [
        (FRONT, &ecuador, "Ecuadorian look-alike"),
        (FRONT, &german_front, "German ID front"),
        (FRONT, &blank, "blank image"),
        (BACK, &german_back, "German ID back (an MRZ, not Colombian)"),
        (BACK, &mexican, "Mexican voter card back"),
        (BACK, &blank, "blank image"),
    ];
    for (route, image, what) in cases {
        let answer = runner().run(route, image, false);
        assert_eq!(
            answer.status,
            Status::ImageRecognizeError,
            "{what} on {route}: {}",
            answer.body()
        );
    }
}

#[test]
fn destroyed_card_is_not_read() {
    // Shrunk to 90 px wide and blown up again: the header cannot be read, so the image is not
    // recognised as a Colombian cédula (IMAGE_RECOGNIZE_ERROR) and nothing is invented.
    let json = golden_dir().join("co-cedula-0000-front-scan.json");
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
    let answer = runner().run(FRONT, &png(&blurred), false);
    assert!(
        matches!(answer.status, Status::ImageRecognizeError | Status::Fail),
        "{}",
        answer.body()
    );
}
