//! Face routes over real HTTP with real models and real photographs (from the PyPI sdist
//! face_recognition==1.3.0, fetched by host/vision/tests/data/fetch-face-samples.sh).

mod common;

use std::io::Cursor;
use std::path::PathBuf;

use common::*;
use image::{imageops, DynamicImage, RgbImage};
use serde_json::Value;

fn sample(name: &str) -> RgbImage {
    let path: PathBuf = workspace_root()
        .join("host/vision/tests/data/cache")
        .join(name);
    image::open(&path)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run host/vision/tests/data/fetch-face-samples.sh",
                path.display()
            )
        })
        .into_rgb8()
}

/// JPEG-encodes an image (scaled to at most `max_side`) as base64.
fn jpeg_b64(image: &RgbImage, max_side: u32) -> String {
    let image = DynamicImage::ImageRgb8(image.clone()).resize(
        max_side,
        max_side,
        imageops::FilterType::Triangle,
    );
    let mut out = Vec::new();
    image
        .to_rgb8()
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
        .unwrap();
    b64(&out)
}

/// A person photo holding a "card": a light rectangle with a small portrait and text stripes.
fn handheld_composite(live: &RgbImage, card_portrait: &RgbImage) -> RgbImage {
    let mut scene = DynamicImage::ImageRgb8(live.clone())
        .resize(900, 900, imageops::FilterType::Triangle)
        .to_rgb8();
    let (w, h) = scene.dimensions();
    let (card_w, card_h) = (w * 55 / 100, w * 55 / 100 * 54 / 86);
    let mut card = RgbImage::from_pixel(card_w, card_h, image::Rgb([225, 232, 240]));
    for stripe in 0..5 {
        let y = card_h * (20 + stripe * 14) / 100;
        for x in card_w * 45 / 100..card_w * 90 / 100 {
            for dy in 0..4 {
                card.put_pixel(x, y + dy, image::Rgb([40, 40, 60]));
            }
        }
    }
    let portrait = DynamicImage::ImageRgb8(card_portrait.clone())
        .resize(
            card_w * 35 / 100,
            card_h * 80 / 100,
            imageops::FilterType::Triangle,
        )
        .to_rgb8();
    imageops::overlay(
        &mut card,
        &portrait,
        (card_w * 5 / 100) as i64,
        (card_h * 10 / 100) as i64,
    );
    imageops::overlay(
        &mut scene,
        &card,
        (w - card_w - 10) as i64,
        (h - card_h - 10) as i64,
    );
    scene
}

fn verdict(body: &Value) -> &str {
    body["message"]["result"]
        .as_str()
        .unwrap_or_else(|| panic!("no result in {body}"))
}

#[test]
fn compare_same_different_and_missing_faces() {
    let host = TestHost::start(&TestConfig::default());
    let (obama, obama2, biden) = (
        sample("obama.jpg"),
        sample("obama2.jpg"),
        sample("biden.jpg"),
    );
    let compare = |a: &str, b: &str, details: bool| {
        let mut form = vec![("img1", a), ("img2", b)];
        if details {
            form.push(("details", "1"));
        }
        host.post_form("face/compare", Some(KEY_ALL), &form)
    };
    let (o1, o2, b1) = (
        jpeg_b64(&obama, 640),
        jpeg_b64(&obama2, 640),
        jpeg_b64(&biden, 640),
    );

    let (code, same) = compare(&o1, &o2, true);
    assert_eq!(code, 200, "{same}");
    assert_eq!(same["status"], "OK");
    assert_ne!(verdict(&same), "NOT SAME PERSON", "{same}");
    let (_, different) = compare(&o1, &b1, false);
    assert_eq!(verdict(&different), "NOT SAME PERSON", "{different}");
    let s_same = same["message"]["similarity"].as_f64().unwrap();
    let s_diff = different["message"]["similarity"].as_f64().unwrap();
    assert!((0.0..=100.0).contains(&s_same) && (0.0..=100.0).contains(&s_diff));
    assert!(
        s_same > s_diff + 20.0,
        "same {s_same} vs different {s_diff}"
    );
    assert_eq!(
        different["message"].as_object().unwrap().len(),
        2,
        "no details unless asked"
    );
    assert!(same["message"]["details"]["cosine"].is_number());

    let blank = b64(&blank_png(320, 240));
    let (code, body) = compare(&blank, &o2, false);
    assert_eq!(
        (code, body["status"].as_str()),
        (200, Some("IMAGEA_FACE_DETECT_FAILED"))
    );
    let (code, body) = compare(&o1, &blank, false);
    assert_eq!(
        (code, body["status"].as_str()),
        (200, Some("IMAGEB_FACE_DETECT_FAILED"))
    );

    // Two faces in one photo: the largest is used, and details say so.
    let mut pair = RgbImage::from_pixel(1000, 700, image::Rgb([250, 250, 250]));
    let big = DynamicImage::ImageRgb8(obama.clone())
        .resize(560, 560, imageops::FilterType::Triangle)
        .to_rgb8();
    let small = DynamicImage::ImageRgb8(biden.clone())
        .resize(300, 300, imageops::FilterType::Triangle)
        .to_rgb8();
    imageops::overlay(&mut pair, &big, 10, 10);
    imageops::overlay(&mut pair, &small, 650, 200);
    let (_, body) = compare(&jpeg_b64(&pair, 1000), &o2, true);
    assert_ne!(
        verdict(&body),
        "NOT SAME PERSON",
        "largest face is Obama: {body}"
    );
    let first = &body["message"]["details"]["faces"][0];
    assert!(first["faces_found"].as_u64().unwrap() >= 2, "{body}");
    assert_eq!(first["used"], "largest");

    // A face too small to judge is never a confident verdict.
    let tiny = jpeg_b64(&obama, 60);
    let (_, body) = compare(&tiny, &b1, true);
    if body["status"] == "OK" {
        assert_eq!(verdict(&body), "NOT SURE", "{body}");
        assert!(!body["message"]["details"]["reasons"]
            .as_array()
            .unwrap()
            .is_empty());
    } else {
        assert_eq!(body["status"], "IMAGEA_FACE_DETECT_FAILED");
    }
}

/// The photo (scaled to 640) cropped to its face with a margin, found through the API itself.
fn face_crop(host: &TestHost, photo: &RgbImage) -> RgbImage {
    let scaled = DynamicImage::ImageRgb8(photo.clone())
        .resize(640, 640, imageops::FilterType::Triangle)
        .to_rgb8();
    let encoded = jpeg_b64(&scaled, 640);
    let (_, body) = host.post_form(
        "face/compare",
        Some(KEY_ALL),
        &[("img1", &encoded), ("img2", &encoded), ("details", "1")],
    );
    let b: Vec<f64> = body["message"]["details"]["faces"][0]["box"]
        .as_array()
        .unwrap_or_else(|| panic!("no face box: {body}"))
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let margin = b[3] * 0.5;
    let (x, y) = (
        (b[0] - margin).max(0.0) as u32,
        (b[1] - margin).max(0.0) as u32,
    );
    let w = ((b[2] + 2.0 * margin) as u32).min(scaled.width() - x);
    let h = ((b[3] + 2.0 * margin) as u32).min(scaled.height() - y);
    imageops::crop_imm(&scaled, x, y, w, h).to_image()
}

#[test]
fn handheld_card_portrait_against_live_face() {
    let host = TestHost::start(&TestConfig::default());
    let obama = sample("obama.jpg");
    let (obama2, biden) = (
        face_crop(&host, &sample("obama2.jpg")),
        face_crop(&host, &sample("biden.jpg")),
    );
    let check = |scene: &RgbImage| {
        host.post_form(
            "face/handheld",
            Some(KEY_ALL),
            &[("img", &jpeg_b64(scene, 1000)), ("details", "1")],
        )
    };
    let (code, same) = check(&handheld_composite(&obama, &obama2));
    assert_eq!((code, same["status"].as_str()), (200, Some("OK")), "{same}");
    assert_ne!(verdict(&same), "NOT SAME PERSON", "{same}");
    let (_, different) = check(&handheld_composite(&obama, &biden));
    assert_eq!(verdict(&different), "NOT SAME PERSON", "{different}");

    let (code, one) = host.post_form(
        "face/handheld",
        Some(KEY_ALL),
        &[("img", &jpeg_b64(&obama, 640))],
    );
    assert_eq!(
        (code, one["status"].as_str()),
        (200, Some("INVALID_FACE_NUM"))
    );
    assert_eq!(one["message"], "1 faces found");
}

#[test]
fn gallery_add_search_delete_isolation_and_durability() {
    let host = TestHost::start(&TestConfig {
        de_only_routes: vec!["face/*".into()],
        ..TestConfig::default()
    });
    let (obama, obama2, biden) = (
        sample("obama.jpg"),
        sample("obama2.jpg"),
        sample("biden.jpg"),
    );
    let (o1, o2, b1) = (
        jpeg_b64(&obama, 640),
        jpeg_b64(&obama2, 640),
        jpeg_b64(&biden, 640),
    );
    let call =
        |route: &str, key: &str, form: &[(&str, &str)]| host.post_form(route, Some(key), form);

    let (code, first) = call("face/search/add", KEY_ALL, &[("img", &o1)]);
    assert_eq!(
        (code, first["status"].as_str()),
        (200, Some("OK")),
        "{first}"
    );
    assert_eq!(first["message"]["group_id"], "all");
    assert_eq!(first["message"]["person_count"], 1);
    let obama_id = first["message"]["person_id"].as_str().unwrap().to_string();

    let (_, second) = call("face/search/add", KEY_ALL, &[("img", &o2)]);
    assert_eq!(
        second["message"]["person_id"],
        obama_id.as_str(),
        "the same person joins: {second}"
    );
    assert_eq!(second["message"]["person_count"], 2);
    let (_, third) = call("face/search/add", KEY_ALL, &[("img", &b1)]);
    let biden_id = third["message"]["person_id"].as_str().unwrap().to_string();
    assert_ne!(biden_id, obama_id);

    let (_, found) = call("face/search", KEY_ALL, &[("img", &o2)]);
    assert_eq!(found["message"]["person_id"], obama_id.as_str(), "{found}");
    assert!(found["message"]["confidence"].as_f64().unwrap() > 50.0);
    let (_, ranked) = call("face/search", KEY_ALL, &[("img", &b1), ("top_k", "5")]);
    assert_eq!(
        ranked["message"]["results"][0]["person_id"],
        biden_id.as_str(),
        "{ranked}"
    );

    let (_, none) = call(
        "face/search/add",
        KEY_ALL,
        &[("img", &b64(&blank_png(200, 200)))],
    );
    assert_eq!(none["status"], "FACE_DETECT_FAILED");

    // Another tenant sees nothing and cannot delete.
    let (_, other) = call("face/search", KEY_DE_ONLY, &[("img", &o2)]);
    assert_eq!(
        (other["status"].as_str(), &other["message"]),
        (Some("OK"), &serde_json::json!({})),
        "{other}"
    );
    let (_, refused) = call(
        "face/search/delete",
        KEY_DE_ONLY,
        &[("person_id", &biden_id)],
    );
    assert_eq!(refused["status"], "PERSON_ID_NOT_EXIST");

    let (code, deleted) = call("face/search/delete", KEY_ALL, &[("person_id", &obama_id)]);
    assert_eq!(
        (code, deleted["status"].as_str(), &deleted["message"]),
        (200, Some("OK"), &Value::Null)
    );
    let (_, again) = call("face/search/delete", KEY_ALL, &[("person_id", &obama_id)]);
    assert_eq!(again["status"], "PERSON_ID_NOT_EXIST");

    // Adds and deletes are free; searches are billable.
    let (_, usage) = host.get("/v1/usage", Some(KEY_ALL));
    assert_eq!(usage["message"]["billable"], 2, "{usage}");

    // Durable across a restart.
    let dir = host.stop();
    let host = TestHost::start_in(dir);
    let (_, after) = host.post_form("face/search", Some(KEY_ALL), &[("img", &b1)]);
    assert_eq!(after["message"]["person_id"], biden_id.as_str(), "{after}");
    let (_, gone) = host.post_form("face/search", Some(KEY_ALL), &[("img", &o1)]);
    assert_ne!(gone["message"]["person_id"], obama_id.as_str(), "{gone}");
}

#[test]
fn metrics_report_gallery_sizes_and_request_counts() {
    let host = TestHost::start(&TestConfig::default());
    let photo = jpeg_b64(&sample("biden.jpg"), 640);
    let (_, added) = host.post_form("face/search/add", Some(KEY_ALL), &[("img", &photo)]);
    assert_eq!(added["status"], "OK", "{added}");
    let text = host
        .client()
        .get(format!("{}/metrics", host.base))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(
        text.contains("kycd_gallery_faces{tenant=\"all\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("kycd_requests_total{route=\"face/search/add\",status=\"OK\"} 1"),
        "{text}"
    );
    assert!(text.contains("kycd_whatsapp_queue_depth 0"), "{text}");
    assert!(
        text.contains("kycd_plugin_info{plugin=\"echo\",version=\"1.0.0\"} 1"),
        "{text}"
    );
}
