//! `debug=1` maps what a plugin read on the rectified card (the 1000x630 crop of
//! `locate_document`) back onto the uploaded photo, and leaves out what it read on an image it
//! made itself. The plugin is defined here and linked in-process; every service call is the real
//! runtime with the real models.

use kycd::answer::Status;
use kycd::local::LocalRunner;
use kycd_plugin_api::prelude::*;
use kycd_plugin_api::ImageRef;
use serde_json::Value;

const ROUTE: &str = "test/crop-lines";

fn manifest() -> Manifest {
    Manifest::new("cropper", "1.0.0").document(
        DocumentSpec::new(ROUTE, "Test: lines read on the rectified card")
            .field("Lines", "Lines read on the card crop")
            .field("OwnCropLines", "Lines read on the plugin's own crop of it"),
    )
}

fn extract(request: &Request<'_>, host: &Host<'_>) -> Result<Extraction, ExtractError> {
    let card = host
        .locate_document(request.image())
        .ok_or_else(|| ExtractError::not_this_document("no card"))?;
    let lines = host.read_text(card.image.as_ref(), ReadOptions::latin());
    // An image the host never saw: the card's top half, cut by the plugin.
    let (width, half) = (card.image.width, card.image.height / 2);
    let top = &card.image.rgb.as_slice()[..(width * half * 3) as usize];
    let own = ImageRef::new(width, half, top).expect("packed RGB");
    let own_lines = host.read_text(own, ReadOptions::latin());
    Ok(Extraction::new(vec![
        Field::ocr("Lines", lines.len().to_string(), 1.0),
        Field::ocr("OwnCropLines", own_lines.len().to_string(), 1.0),
    ]))
}

export_plugin!(manifest, extract);

fn points(value: &Value) -> Vec<(f64, f64)> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
        .collect()
}

fn inside(quad: &[(f64, f64)], p: (f64, f64)) -> bool {
    let signs: Vec<f64> = (0..quad.len())
        .map(|i| {
            let (a, b) = (quad[i], quad[(i + 1) % quad.len()]);
            (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0)
        })
        .collect();
    signs.iter().all(|s| *s >= 0.0) || signs.iter().all(|s| *s <= 0.0)
}

#[test]
fn lines_read_on_the_rectified_card_are_drawn_on_the_photo() {
    let runner = LocalRunner::with_plugin(kycd_plugin_root_module()).unwrap();
    // A tilted card in a larger frame, stored upside down with EXIF orientation 3.
    let file =
        kycd::local::repository_models_dir().join("../tests/corpus/de-id-0000-front-exif.jpg");
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(file.with_extension("json")).unwrap())
            .unwrap();
    let corners = points(&truth["corners"]);
    let answer = runner.run_with(ROUTE, &std::fs::read(&file).unwrap(), &[("debug", "1")]);
    assert_eq!(answer.status, Status::Ok, "{}", answer.body());
    let body = answer.body();
    let debug = &body["debug"];

    let calls: Vec<(&str, &str)> = debug["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["service"].as_str().unwrap(), c["frame"].as_str().unwrap()))
        .collect();
    assert_eq!(
        calls,
        [
            ("locate_document", "image"),
            ("read_text", "document"),
            ("read_text", "other"),
        ]
    );
    let shapes = debug["shapes"].as_array().unwrap();
    assert_eq!(shapes.iter().filter(|s| s["kind"] == "document").count(), 1);
    let texts: Vec<&Value> = shapes.iter().filter(|s| s["kind"] == "text").collect();
    let read: usize = body["message"]["Lines"].as_str().unwrap().parse().unwrap();
    assert!(read >= 5, "only {read} lines read on the card");
    // Only the crop's lines are drawn: the plugin's own image cannot be placed.
    assert_eq!(texts.len(), read, "{debug}");
    assert!(texts.iter().all(|s| s["frame"] == "document"));
    let centres: Vec<(f64, f64)> = texts
        .iter()
        .map(|s| {
            let q = points(&s["quad"]);
            (
                q.iter().map(|p| p.0).sum::<f64>() / 4.0,
                q.iter().map(|p| p.1).sum::<f64>() / 4.0,
            )
        })
        .collect();
    let on_card = centres.iter().filter(|c| inside(&corners, **c)).count();
    assert!(
        on_card * 10 >= texts.len() * 9,
        "{on_card} of {} lines land on the card {corners:?} in the photo: {debug}",
        texts.len()
    );
    // And they spread from the card's top to its bottom in the photo (unmapped crop coordinates
    // would bunch in the photo's top-left 1000x630).
    let height = distance_to_line(corners[3], corners[0], corners[1]);
    let depth: Vec<f64> = centres
        .iter()
        .map(|c| distance_to_line(*c, corners[0], corners[1]) / height)
        .collect();
    let (top, bottom) = depth
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), d| (lo.min(*d), hi.max(*d)));
    assert!(
        top < 0.25 && bottom > 0.75,
        "lines span {top:.2}..{bottom:.2} of the card's height: {debug}"
    );
}

fn distance_to_line(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    ((p.0 - a.0) * dy - (p.1 - a.1) * dx).abs() / (dx * dx + dy * dy).sqrt()
}
