//! The product surface around the API, against a real host: the embedded console and reference
//! pages, the `debug=1` geometry payload (in the coordinates of the uploaded image as displayed,
//! after EXIF), `kycd_stage_seconds` in `/metrics`, and `/openapi.json` validated against the
//! official OpenAPI 3.1 JSON Schema (vendored in `tests/data/`, see its README).

mod common;

use common::{workspace_root, TestConfig, TestHost, KEY_ALL};
use serde_json::Value;

fn post_file(host: &TestHost, route: &str, file: &str, extra: &[(&str, &str)]) -> (u16, Value) {
    let bytes = std::fs::read(workspace_root().join(file)).unwrap();
    let mut form = reqwest::blocking::multipart::Form::new().part(
        "img",
        reqwest::blocking::multipart::Part::bytes(bytes).file_name("card"),
    );
    for (name, value) in extra {
        form = form.text(name.to_string(), value.to_string());
    }
    common::read(
        host.client()
            .post(format!("{}/v1/{route}", host.base))
            .header("Authorization", KEY_ALL)
            .multipart(form)
            .send()
            .unwrap(),
    )
}

fn truth(file: &str) -> Value {
    let path = workspace_root().join(file).with_extension("json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn points(value: &Value) -> Vec<(f64, f64)> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
        .collect()
}

fn centre(quad: &[(f64, f64)]) -> (f64, f64) {
    let n = quad.len() as f64;
    (
        quad.iter().map(|p| p.0).sum::<f64>() / n,
        quad.iter().map(|p| p.1).sum::<f64>() / n,
    )
}

/// Whether `p` is inside the convex polygon `quad` (either winding).
fn inside(quad: &[(f64, f64)], p: (f64, f64)) -> bool {
    let signs: Vec<f64> = (0..quad.len())
        .map(|i| {
            let (a, b) = (quad[i], quad[(i + 1) % quad.len()]);
            (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0)
        })
        .collect();
    signs.iter().all(|s| *s >= 0.0) || signs.iter().all(|s| *s <= 0.0)
}

fn distance_to_line(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    ((p.0 - a.0) * dy - (p.1 - a.1) * dx).abs() / (dx * dx + dy * dy).sqrt()
}

/// The MRZ outline of `debug` lies on the card's lower part, in the displayed image.
fn assert_mrz_on_card(file: &str, body: &Value) {
    let corners = points(&truth(file)["corners"]);
    let shapes = body["debug"]["shapes"].as_array().unwrap();
    let mrz = shapes
        .iter()
        .find(|s| s["kind"] == "mrz")
        .unwrap_or_else(|| panic!("{file}: no mrz shape in {body}"));
    assert_eq!(mrz["frame"], "image");
    let quad = points(&mrz["quad"]);
    let c = centre(&quad);
    assert!(
        inside(&corners, c),
        "{file}: MRZ centre {c:?} is off the card {corners:?}"
    );
    // Nearer the card's printed bottom edge than its top edge.
    let (top, bottom) = (
        distance_to_line(c, corners[0], corners[1]),
        distance_to_line(c, corners[2], corners[3]),
    );
    assert!(
        bottom < top,
        "{file}: MRZ centre {c:?} is not on the card's lower half"
    );
}

#[test]
fn console_and_reference_pages_are_served_from_the_binary() {
    let host = TestHost::start(&TestConfig::default());
    let client = host.client();
    for (path, kind, marker) in [
        ("/", "text/html", "kycd console"),
        ("/docs", "text/html", "API reference"),
        ("/console/console.js", "text/javascript", "drawShapes"),
        ("/console/docs.js", "text/javascript", "openapi.json"),
        ("/console/console.css", "text/css", ".view canvas"),
    ] {
        let response = client.get(format!("{}{path}", host.base)).send().unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let headers = response.headers().clone();
        assert!(
            headers["content-type"].to_str().unwrap().starts_with(kind),
            "{path}: {:?}",
            headers["content-type"]
        );
        assert!(headers.contains_key("content-security-policy"), "{path}");
        let text = response.text().unwrap();
        assert!(text.contains(marker), "{path} lacks {marker:?}");
    }
    // Other methods get the JSON error every endpoint answers.
    let response = client.post(format!("{}/", host.base)).send().unwrap();
    assert_eq!(response.headers()["allow"], "GET, HEAD");
    let (code, body) = common::read(response);
    assert_eq!(
        (code, body["status"].as_str()),
        (405, Some("METHOD_NOT_ALLOWED"))
    );
    let (code, body) = host.get("/console/nothing.js", None);
    assert_eq!((code, body["status"].as_str()), (404, Some("NOT_FOUND")));
}

#[test]
fn openapi_document_is_valid_against_the_official_schema() {
    let host = TestHost::start(&TestConfig::default());
    let (code, document) = host.get("/openapi.json", None);
    assert_eq!(code, 200);
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(workspace_root().join("host/tests/data/openapi-3.1-schema.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the OpenAPI 3.1 schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "/openapi.json is not valid OpenAPI 3.1:\n{}",
        errors.join("\n")
    );
    // The validator does reject a broken document (the test can fail).
    let mut broken = document.clone();
    broken["paths"]["/v1/ocr/mrz"]["post"]["responses"] = Value::String("none".into());
    assert!(!validator.is_valid(&broken));
    // Every image route documents the debug flag.
    let mrz = &document["paths"]["/v1/ocr/mrz"]["post"]["requestBody"]["content"]
        ["multipart/form-data"]["schema"]["properties"];
    assert!(mrz["debug"]["description"]
        .as_str()
        .unwrap()
        .contains("geometry"));
    assert!(
        document["paths"]["/v1/ocr/mrz"]["post"]["responses"]["200"]["content"]["application/json"]
            ["schema"]["properties"]["debug"]
            .is_object()
    );
}

#[test]
fn debug_geometry_is_in_displayed_image_coordinates_and_stages_are_timed() {
    let host = TestHost::start(&TestConfig::default());
    let (_, before) = metrics_count(&host, "mrz");

    // Without the flag there is no debug key.
    let scan = "tests/corpus/de-id-0000-back-scan.png";
    let (code, plain) = post_file(&host, "ocr/mrz", scan, &[]);
    assert_eq!(code, 200, "{plain}");
    assert!(plain.get("debug").is_none(), "{plain}");

    let (code, body) = post_file(&host, "ocr/mrz", scan, &[("debug", "1")]);
    assert_eq!((code, body["status"].as_str()), (200, Some("OK")), "{body}");
    assert_eq!(
        body["message"]["Surname"],
        truth(scan)["message"]["Surname"]
    );
    assert_mrz_on_card(scan, &body);

    // A photo stored upside down with EXIF orientation 3: the boxes are on the card as displayed.
    let exif = "tests/corpus/de-id-0000-back-exif.jpg";
    let (code, body) = post_file(&host, "fixture/text", exif, &[("debug", "1")]);
    assert_eq!((code, body["status"].as_str()), (200, Some("OK")), "{body}");
    let corners = points(&truth(exif)["corners"]);
    let shapes = body["debug"]["shapes"].as_array().unwrap();
    let on_card = shapes
        .iter()
        .filter(|s| inside(&corners, centre(&points(&s["quad"]))))
        .count();
    assert!(
        shapes.len() >= 5 && on_card * 10 >= shapes.len() * 9,
        "{on_card} of {} text boxes on the displayed card {corners:?}: {body}",
        shapes.len()
    );

    // A plugin route: every line the plugin's read_text call found, on the image, with its text.
    let (code, body) = post_file(&host, "fixture/text", scan, &[("debug", "1")]);
    assert_eq!((code, body["status"].as_str()), (200, Some("OK")), "{body}");
    let debug = &body["debug"];
    let (width, height) = (
        debug["image"]["width"].as_f64().unwrap(),
        debug["image"]["height"].as_f64().unwrap(),
    );
    let lines: Vec<&str> = body["message"]["Text"]
        .as_str()
        .unwrap()
        .split(" | ")
        .collect();
    let texts: Vec<&Value> = debug["shapes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "text")
        .collect();
    assert_eq!(texts.len(), lines.len(), "{debug}");
    for (shape, line) in texts.iter().zip(&lines) {
        assert_eq!(shape["text"], *line);
        for (x, y) in points(&shape["quad"]) {
            assert!((-2.0..=width + 2.0).contains(&x) && (-2.0..=height + 2.0).contains(&y));
        }
    }
    let corners = points(&truth(scan)["corners"]);
    let on_card = texts
        .iter()
        .filter(|s| inside(&corners, centre(&points(&s["quad"]))))
        .count();
    assert_eq!(on_card, texts.len(), "text boxes off the card: {debug}");
    assert_eq!(debug["calls"][0]["service"], "read_text");
    assert_eq!(debug["calls"][0]["frame"], "image");

    // The two MRZ reads were timed as the `mrz` stage; every stage is exposed.
    let (text, after) = metrics_count(&host, "mrz");
    assert!(after >= before + 2, "mrz stage count {before} -> {after}");
    for stage in [
        "text_detect",
        "text_classify",
        "text_recognize",
        "tesseract",
        "mrz",
        "barcode",
        "document_locate",
        "face_detect",
        "face_embed",
    ] {
        assert!(
            text.contains(&format!(
                "kycd_stage_seconds_bucket{{stage=\"{stage}\",le=\"+Inf\"}}"
            )),
            "no {stage} histogram"
        );
    }
}

/// `/metrics` and the `kycd_stage_seconds_count` of one stage.
fn metrics_count(host: &TestHost, stage: &str) -> (String, u64) {
    let text = host
        .client()
        .get(format!("{}/metrics", host.base))
        .send()
        .unwrap()
        .text()
        .unwrap();
    let prefix = format!("kycd_stage_seconds_count{{stage=\"{stage}\"}} ");
    let count = text
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no {prefix} in /metrics:\n{text}"))
        .parse()
        .unwrap();
    (text, count)
}
