//! Golden tests: the plugin run in-process with the real models on generated German cards
//! (`kycd-corpus`, seeds 7, 11 and 12; each model and side, scans and photos), the whole answer
//! compared with the expected one; and the statuses for images that are not these cards.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kycd::local::LocalRunner;

const ID_CARD: &str = "ocr/de/id-card";
const LICENCE: &str = "ocr/de/driving-licence";

fn runner() -> &'static LocalRunner {
    static RUNNER: OnceLock<LocalRunner> = OnceLock::new();
    RUNNER.get_or_init(|| {
        LocalRunner::with_plugin(kycd_plugin_de::kycd_plugin_root_module())
            .expect("the plugin loads and the models are in models/ (models/fetch.sh)")
    })
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn repository_file(path: &str) -> Vec<u8> {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path);
    std::fs::read(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn image_beside(json: &Path) -> Vec<u8> {
    ["png", "jpg"]
        .iter()
        .map(|ext| json.with_extension(ext))
        .find(|p| p.exists())
        .map(|p| std::fs::read(p).unwrap())
        .unwrap_or_else(|| panic!("no image beside {}", json.display()))
}

#[test]
fn golden_cards_answer_exactly_the_expected_message() {
    let cases = kycd::golden::cases(&golden_dir());
    assert!(cases.len() >= 7, "golden cases missing");
    let failures = kycd::golden::mismatches(runner(), &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn details_say_the_side_and_validate_the_fields() {
    let front = runner()
        .run(
            ID_CARD,
            &image_beside(&golden_dir().join("id-front-2021-scan.json")),
            true,
        )
        .body();
    let details = &front["message"]["details"];
    assert_eq!(details["side"], "front", "{front}");
    assert_eq!(details["model"], "2021", "{front}");
    assert_eq!(details["fields"]["CardNumber"]["valid"], true, "{front}");
    assert_eq!(details["fields"]["CardNumber"]["source"], "ocr", "{front}");
    assert_eq!(details["fields"]["DateOfBirth"]["valid"], true, "{front}");

    let back = runner()
        .run(
            ID_CARD,
            &image_beside(&golden_dir().join("id-back-2010-scan.json")),
            true,
        )
        .body();
    let details = &back["message"]["details"];
    assert_eq!(details["side"], "back", "{back}");
    assert_eq!(details["mrz_checks_valid"], true, "{back}");
    assert_eq!(details["fields"]["CardNumber"]["valid"], true, "{back}");
    assert_eq!(details["fields"]["CardNumber"]["source"], "mrz", "{back}");
    assert_eq!(
        details["fields"]["PlaceOfBirth"]["source"], "none",
        "{back}"
    );
    // The front's names, transliterated as the zone prints them, are offered for cross-checks.
    assert!(front["message"]["details"]["mrz_names"]["Surname"].is_string());

    let licence = runner()
        .run(
            LICENCE,
            &image_beside(&golden_dir().join("dl-front-scan.json")),
            true,
        )
        .body();
    let details = &licence["message"]["details"];
    assert_eq!(details["side"], "front", "{licence}");
    assert_eq!(details["dates_in_order"], true, "{licence}");
    assert_eq!(details["fields"]["Class"]["valid"], true, "{licence}");
}

#[test]
fn other_documents_are_not_recognised() {
    // The host's panic hook hides assertion messages: collect and print them first.
    let failures = std::cell::RefCell::new(Vec::new());
    let not_this = |route: &str, image: &[u8], what: &str| {
        let answer = runner().run(route, image, false).body();
        if answer["status"] != "IMAGE_RECOGNIZE_ERROR" {
            failures.borrow_mut().push(format!("{what}: {answer}"));
        }
    };
    // Another country's card front, and a TD1 back of another state (Mexico's IDMEX).
    not_this(
        ID_CARD,
        &repository_file("tests/corpus/nl-id-0000-front-scan.png"),
        "Dutch front",
    );
    not_this(
        ID_CARD,
        &repository_file("tests/corpus/mx-ine-0000-back-scan.png"),
        "Mexican back",
    );
    // The licence is not the identity card and the identity card is not the licence.
    let licence = image_beside(&golden_dir().join("dl-front-scan.json"));
    not_this(ID_CARD, &licence, "licence on the ID route");
    let id_front = image_beside(&golden_dir().join("id-front-2021-scan.json"));
    not_this(LICENCE, &id_front, "ID card on the licence route");
    not_this(
        LICENCE,
        &repository_file("tests/corpus/nl-id-0000-front-scan.png"),
        "Dutch card",
    );
    // A blank scene.
    not_this(ID_CARD, &blank_bmp(640, 400), "blank image");
    not_this(LICENCE, &blank_bmp(640, 400), "blank image");
    let failures = failures.into_inner();
    for failure in &failures {
        eprintln!("{failure}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_destroyed_card_is_never_answered_ok() {
    // The card shrunk to 10 % and blown up again: nothing is legible. Whether the header still
    // shows (FAIL) or nothing does (IMAGE_RECOGNIZE_ERROR), it must not be answered OK.
    let image = image_beside(&golden_dir().join("id-front-2021-scan.json"));
    let decoded = image::load_from_memory(&image).unwrap().to_rgb8();
    let (w, h) = decoded.dimensions();
    let small = image::imageops::resize(
        &decoded,
        w / 10,
        h / 10,
        image::imageops::FilterType::Triangle,
    );
    let blurred = image::imageops::resize(&small, w, h, image::imageops::FilterType::Triangle);
    let mut png = Vec::new();
    blurred
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let answer = runner().run(ID_CARD, &png, false).body();
    assert!(
        answer["status"] == "FAIL" || answer["status"] == "IMAGE_RECOGNIZE_ERROR",
        "{answer}"
    );
}

/// A uniform light-grey 24-bit BMP.
fn blank_bmp(width: u32, height: u32) -> Vec<u8> {
    let row = (width * 3).div_ceil(4) * 4;
    let size = 54 + row * height;
    let mut bmp = Vec::with_capacity(size as usize);
    bmp.extend_from_slice(b"BM");
    bmp.extend_from_slice(&size.to_le_bytes());
    bmp.extend_from_slice(&[0; 4]);
    bmp.extend_from_slice(&54u32.to_le_bytes());
    bmp.extend_from_slice(&40u32.to_le_bytes());
    bmp.extend_from_slice(&width.to_le_bytes());
    bmp.extend_from_slice(&height.to_le_bytes());
    bmp.extend_from_slice(&1u16.to_le_bytes());
    bmp.extend_from_slice(&24u16.to_le_bytes());
    bmp.extend_from_slice(&[0; 24]);
    bmp.resize(size as usize, 210);
    bmp
}
