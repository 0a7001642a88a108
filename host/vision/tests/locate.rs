//! `locate_document` on generated photos and a scan whose true corners are known
//! (`tests/data/locate/*.json`, from `kycd-corpus generate --seed 7`): a small card in a large
//! frame, cards turned 90/180/270 degrees, clutter touching the card, the pink driving licence,
//! MRZ backs, and a scan whose text covers little of the card. Every one of them was located
//! wrongly (or not at all) before the edge fit. `de-dl-0018-front-photo` (seed 7, per-type 20)
//! is a licence a sixth of a 2197x2600 frame turned 57 degrees, touching clutter: the locator
//! returned the whole frame before the small-card search. `th-dl-0010-front-photo` (seed 71,
//! per-type 20, types th-id,th-dl) is a licence turned 120 degrees on which the whole frame's
//! detection found one box: it was not located before the frame was turned level along it.
//! `th-id-seed211-0011`, `th-dl-seed211-0011` and `in-pan-seed191-0006` are cards cut by the
//! frame at a slant (or touching it): the card's edge, a degree or two off the frame's border,
//! was taken for the border and dropped, and the crop lost a strip of the card (9.5, 6.2 and
//! 58 % corner errors before `docs/vision.md` step 4 kept both).

mod common;

use std::path::{Path, PathBuf};

use image::ImageReader;
use kycd_plugin_api::{ImageRef, ReadOptions};
use kycd_vision::{Vision, VisionConfig};

/// Largest corner error allowed, as a share of the card's width (`locate_eval`'s strict bound;
/// the locator places these within 3.1 %, the one before the edge fit missed the first nine).
const MAX_CORNER_ERROR: f32 = 0.06;

/// The images of `dir` (under the crate) whose JSON beside them (`accept`ed by file name)
/// gives the card's true corners.
fn cases_in(dir: &str, accept: impl Fn(&str) -> bool) -> Vec<(PathBuf, Vec<(f32, f32)>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut cases: Vec<(PathBuf, Vec<(f32, f32)>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .filter(|path| accept(&path.file_name().unwrap().to_string_lossy()))
        .map(|json| {
            let truth: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&json).expect("readable json"))
                    .expect("valid json");
            let corners = truth["corners"]
                .as_array()
                .expect("corners")
                .iter()
                .map(|c| (c[0].as_f64().unwrap() as f32, c[1].as_f64().unwrap() as f32))
                .collect();
            let image = ["jpg", "png"]
                .iter()
                .map(|ext| json.with_extension(ext))
                .find(|p| p.exists())
                .unwrap_or_else(|| panic!("no image beside {}", json.display()));
            (image, corners)
        })
        .collect();
    cases.sort_by(|a, b| a.0.cmp(&b.0));
    cases
}

/// The clockwise quarter turn that brings the content's top edge (first two corners) level.
fn quarter_turn(top_left: (f32, f32), top_right: (f32, f32)) -> u32 {
    let angle = (top_right.1 - top_left.1)
        .atan2(top_right.0 - top_left.0)
        .to_degrees();
    ((((360.0 - angle) / 90.0).round() as i32).rem_euclid(4) * 90) as u32
}

#[test]
fn generated_photos_are_located_with_every_corner_in_place_and_upright() {
    let cases = cases_in("tests/data/locate", |_| true);
    assert!(cases.len() >= 8, "test images missing");
    assert_located(&cases, MAX_CORNER_ERROR);
}

/// Every scan of the fixed corpus (a card on a plain margin, `docs/vision.md` step 0) is cut at
/// the card's own edges: within half a percent of its width (a pixel or two), where the text
/// rectangle and the edge fit left 2.4-3.4 % before.
#[test]
fn scans_are_cut_at_the_cards_edges() {
    let cases = cases_in("../../tests/corpus", |name| name.ends_with("-scan.json"));
    assert!(cases.len() >= 19, "fixed corpus scans missing");
    assert_located(&cases, 0.005);
}

/// A card read right after `locate_document` rectified it takes its lines' 0/180 verdicts
/// from the locator, which classified them to decide the card's turn: the classifier looks at
/// fewer lines, and such a card reads line for line as on a runtime that never saw it.
#[test]
fn a_located_card_is_not_classified_twice_and_reads_the_same() {
    // A runtime of its own: the other tests of this binary locate images on the shared one at
    // the same time, and their detections could push this card's out of its short memory
    // between the locator and the read.
    let mut config = VisionConfig::new(common::models_dir());
    config.threads = 2;
    let vision = Vision::load(&config).expect("a runtime loads");
    let fresh = Vision::load(&config).expect("a second runtime loads");
    let cases = cases_in("../../tests/corpus", |name| {
        name.starts_with(['d', 'n', 's', 't'])
    });
    assert!(cases.len() >= 10, "fixed corpus missing");
    let (mut classified, mut classified_fresh, mut reused) = (0, 0, 0);
    for (path, _) in &cases {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let rgb = ImageReader::open(path).unwrap().decode().unwrap().to_rgb8();
        let image = ImageRef::new(rgb.width(), rgb.height(), rgb.as_raw()).unwrap();
        let crop = vision.locate_document(image).expect("located");
        let (after, profile) = vision.read_text_profiled(crop.image.as_ref(), ReadOptions::latin());
        let (seen_fresh, fresh_profile) =
            fresh.read_text_profiled(crop.image.as_ref(), ReadOptions::latin());
        let texts = |lines: &[kycd_plugin_api::TextLine]| {
            lines.iter().map(|l| l.text.to_string()).collect::<Vec<_>>()
        };
        // A card the locator turned half a turn (by its vote, or a photo taken upside down)
        // is classified again, as before (and read with its detections turned, which a fresh
        // runtime finds slightly differently): only the cards it left as they lay count.
        if profile.classified < fresh_profile.classified {
            // The locator's verdicts were taken: they are the classifier's own.
            assert_eq!(texts(&after), texts(&seen_fresh), "{name}");
            reused += 1;
            classified += profile.classified;
            classified_fresh += fresh_profile.classified;
        }
    }
    assert!(
        reused * 2 > cases.len(),
        "{reused} of {} cards",
        cases.len()
    );
    // The locator classifies the lines `read_text` samples first, so an upright card it
    // rectified needs (almost) none classified again.
    assert!(
        classified * 4 < classified_fresh,
        "{classified} lines classified after the locator, {classified_fresh} fresh"
    );
}

/// Locates each case's card; fails listing every one whose corners (in content order) are
/// further than `max_error` of the card's width from the truth or whose turn is wrong.
fn assert_located(cases: &[(PathBuf, Vec<(f32, f32)>)], max_error: f32) {
    let vision = common::vision();
    let mut failures = Vec::new();
    for (path, truth) in cases {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let rgb = ImageReader::open(path)
            .expect("image opens")
            .decode()
            .expect("image decodes")
            .to_rgb8();
        let image = ImageRef::new(rgb.width(), rgb.height(), rgb.as_raw()).unwrap();
        let Some(crop) = vision.locate_document(image) else {
            failures.push(format!("{name}: not located"));
            continue;
        };
        let card_width = (truth[1].0 - truth[0].0).hypot(truth[1].1 - truth[0].1);
        // Corners in content order: a card found upside down or turned a quarter is wrong.
        let error = crop
            .quad
            .points
            .iter()
            .zip(truth)
            .map(|(p, t)| (p.x - t.0).hypot(p.y - t.1))
            .fold(0.0f32, f32::max)
            / card_width;
        if error > max_error {
            failures.push(format!(
                "{name}: corner error {:.1}% of the card width",
                error * 100.0
            ));
        }
        let expected_turn = quarter_turn(truth[0], truth[1]);
        if crop.rotation_degrees != expected_turn {
            failures.push(format!(
                "{name}: rotation {} (expected {expected_turn})",
                crop.rotation_degrees
            ));
        }
        assert_eq!((crop.image.width, crop.image.height), (1000, 630), "{name}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
