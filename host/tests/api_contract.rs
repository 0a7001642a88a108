//! The status matrix over real HTTP: every row asserts the HTTP code, the `status`, and that the
//! host still answers the next request.

mod common;

use common::*;
use serde_json::Value;

fn status(body: &Value) -> &str {
    body["status"].as_str().unwrap_or("<none>")
}

#[test]
fn status_matrix() {
    let host = TestHost::start(&TestConfig {
        max_pixels: 1_000_000,
        max_body_bytes: 4 * 1024 * 1024,
        ..TestConfig::default()
    });
    let png = b64(&test_png(64, 48));
    let key = Some(KEY_ALL);

    let mut truncated_jpeg = Vec::new();
    image::RgbImage::from_fn(64, 64, |x, y| image::Rgb([x as u8, y as u8, 0]))
        .write_to(
            &mut std::io::Cursor::new(&mut truncated_jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    truncated_jpeg.truncate(truncated_jpeg.len() / 2);
    let over_2m = b64(&vec![0u8; 2 * 1024 * 1024 + 10]);
    let too_many_pixels = b64(&test_png(1200, 1000));

    /// Route, expected HTTP code, expected status, form.
    type Case<'a> = (&'a str, u16, &'a str, Vec<(&'a str, String)>);
    let cases: Vec<Case> = vec![
        ("fixture/echo", 200, "OK", vec![("img", png.clone())]),
        (
            "fixture/echo",
            200,
            "IMAGE_RECOGNIZE_ERROR",
            vec![("img", b64(&blank_png(32, 32)))],
        ),
        (
            "fixture/text",
            200,
            "FAIL",
            vec![("img", b64(&blank_png(64, 64)))],
        ),
        ("fixture/echo", 400, "INVALID_REQUEST", vec![]),
        (
            "fixture/echo",
            400,
            "INVALID_REQUEST",
            vec![("img", String::new())],
        ),
        (
            "fixture/echo",
            400,
            "INVALID_REQUEST",
            vec![("img", "@@not base64@@".into())],
        ),
        (
            "fixture/echo",
            400,
            "IMAGE_INVALID_SIZE",
            vec![("img", over_2m)],
        ),
        (
            "fixture/echo",
            400,
            "IMAGE_INVALID_FORMAT",
            vec![("img", b64(b"GIF89a not an accepted format"))],
        ),
        (
            "fixture/echo",
            400,
            "IMAGE_INVALID_FORMAT",
            vec![("img", b64(&truncated_jpeg))],
        ),
        (
            "fixture/echo",
            400,
            "IMAGE_INVALID_SIZE",
            vec![("img", too_many_pixels)],
        ),
        (
            "fixture/panic",
            503,
            "RETRY_LATER",
            vec![("img", png.clone())],
        ),
    ];
    for (route, code, expected, form) in cases {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (got_code, body) = host.post_form(route, key, &form);
        assert_eq!(
            (got_code, status(&body)),
            (code, expected),
            "{route}: {body}"
        );
        assert!(
            body.get("message").is_some(),
            "every answer has a message: {body}"
        );
        host.assert_alive();
    }

    // The size message is the seed's.
    let (_, body) = host.post_form(
        "fixture/echo",
        key,
        &[("img", &b64(&vec![0u8; 2 * 1024 * 1024 + 1]))],
    );
    assert_eq!(body["message"], "img: image larger than 2M");

    // Transport-level rows.
    let (code, body) = host.post_form("fixture/echo", None, &[("img", &png)]);
    assert_eq!((code, status(&body)), (401, "UNAUTHORIZED"));
    let (code, body) = host.post_form("fixture/echo", Some("wrong-key"), &[("img", &png)]);
    assert_eq!((code, status(&body)), (401, "UNAUTHORIZED"));
    let (code, body) = host.post_form("fixture/echo", Some(KEY_DE_ONLY), &[("img", &png)]);
    assert_eq!((code, status(&body)), (403, "FORBIDDEN"));
    let (code, body) = host.post_form("ocr/zz/no-such-card", key, &[("img", &png)]);
    assert_eq!((code, status(&body)), (404, "NOT_FOUND"));
    let (code, body) = host.get("/v1/fixture/echo", key);
    assert_eq!((code, status(&body)), (405, "METHOD_NOT_ALLOWED"));
    let response = host
        .client()
        .post(format!("{}/v1/fixture/echo", host.base))
        .header("Authorization", KEY_ALL)
        .header("Accept", "text/html")
        .form(&[("img", &png)])
        .send()
        .unwrap();
    let (code, body) = read(response);
    assert_eq!((code, status(&body)), (406, "NOT_ACCEPTABLE"));
    let huge = "A".repeat(6 * 1024 * 1024);
    let (code, body) = host.post_form("fixture/echo", key, &[("img", &huge)]);
    assert_eq!((code, status(&body)), (413, "PAYLOAD_TOO_LARGE"));
    host.assert_alive();

    // Rate limit: burst 2, then 429 with Retry-After.
    for _ in 0..2 {
        let (code, _) = host.post_form("fixture/echo", Some(KEY_SLOW), &[("img", &png)]);
        assert_eq!(code, 200);
    }
    let response = host
        .client()
        .post(format!("{}/v1/fixture/echo", host.base))
        .header("Authorization", KEY_SLOW)
        .form(&[("img", &png)])
        .send()
        .unwrap();
    assert!(response.headers().get("retry-after").is_some());
    let (code, body) = read(response);
    assert_eq!((code, status(&body)), (429, "RATE_LIMITED"));
    host.assert_alive();
}

#[test]
fn bodies_and_encodings_are_all_accepted() {
    let host = TestHost::start(&TestConfig::default());
    let raw = test_png(40, 30);
    let standard = b64(&raw);
    let url_safe = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &raw);
    let expect_ok = |(code, body): (u16, Value)| {
        assert_eq!(code, 200, "{body}");
        assert_eq!(body["status"], "OK", "{body}");
        assert_eq!(body["message"]["Width"], "40");
        assert_eq!(body["message"]["Height"], "30");
    };

    expect_ok(host.post_form("fixture/echo", Some(KEY_ALL), &[("img", &standard)]));
    expect_ok(host.post_form("fixture/echo", Some(KEY_ALL), &[("img", &url_safe)]));
    expect_ok(host.post_form(
        "fixture/echo",
        Some(KEY_ALL),
        &[("img", &format!("data:image/png;base64,{standard}"))],
    ));
    // Bearer form of the key.
    expect_ok(host.post_form(
        "fixture/echo",
        Some(&format!("Bearer {KEY_ALL}")),
        &[("img", &standard)],
    ));
    // JSON body.
    expect_ok(read(
        host.client()
            .post(format!("{}/v1/fixture/echo", host.base))
            .header("Authorization", KEY_ALL)
            .json(&serde_json::json!({ "img": standard }))
            .send()
            .unwrap(),
    ));
    // Multipart with a file part (raw bytes) and with a base64 text part.
    for form in [
        reqwest::blocking::multipart::Form::new().part(
            "img",
            reqwest::blocking::multipart::Part::bytes(raw.clone()).file_name("card.png"),
        ),
        reqwest::blocking::multipart::Form::new().text("img", standard.clone()),
    ] {
        expect_ok(read(
            host.client()
                .post(format!("{}/v1/fixture/echo", host.base))
                .header("Authorization", KEY_ALL)
                .multipart(form)
                .send()
                .unwrap(),
        ));
    }

    // details=1 adds per-field value/confidence/valid/source and the plugin's own details;
    // without it the answer is exactly the declared keys.
    let (_, plain) = host.post_form("fixture/echo", Some(KEY_ALL), &[("img", &standard)]);
    let keys: Vec<&String> = plain["message"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["Generation", "Width", "Height"]);
    let (_, detailed) = host.post_form(
        "fixture/echo",
        Some(KEY_ALL),
        &[("img", &standard), ("details", "1")],
    );
    let details = &detailed["message"]["details"];
    assert_eq!(details["side"], "front");
    assert_eq!(details["fields"]["Width"]["value"], "40");
    assert_eq!(details["fields"]["Width"]["source"], "ocr");
    assert!(details["fields"]["Width"]["confidence"].is_number());
}

#[test]
fn routes_list_only_what_the_key_may_use_and_answers_carry_a_request_id() {
    let host = TestHost::start(&TestConfig::default());
    let (code, body) = host.get("/v1/routes", Some(KEY_ALL));
    assert_eq!(code, 200);
    let routes: Vec<&str> = body["message"]["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["route"].as_str().unwrap())
        .collect();
    assert!(
        routes.contains(&"fixture/echo") && routes.contains(&"ocr/mrz"),
        "{routes:?}"
    );
    let echo = body["message"]["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["route"] == "fixture/echo")
        .unwrap();
    assert_eq!(echo["provider"], "echo");
    assert_eq!(echo["fields"][0]["key"], "Generation");

    let (_, body) = host.get("/v1/routes", Some(KEY_DE_ONLY));
    assert_eq!(
        body["message"]["routes"].as_array().unwrap().len(),
        0,
        "{body}"
    );

    let response = host
        .client()
        .post(format!("{}/v1/fixture/echo", host.base))
        .header("Authorization", KEY_ALL)
        .form(&[("img", b64(&test_png(8, 8)))])
        .send()
        .unwrap();
    let id = response
        .headers()
        .get("x-request-id")
        .expect("x-request-id header");
    assert_eq!(id.len(), 32);
}

#[test]
fn logs_never_contain_images_or_fields() {
    let host = TestHost::start(&TestConfig::default());
    let png = b64(&test_png(77, 33));
    host.post_form("fixture/echo", Some(KEY_ALL), &[("img", &png)]);
    host.post_form("fixture/echo", Some(KEY_ALL), &[("img", "@@bad@@")]);
    let log = host.log();
    assert!(
        log.contains("\"answered\""),
        "the request was logged: {log}"
    );
    assert!(!log.contains(&png[..40]), "an image reached the log");
    assert!(!log.contains("\"77\""), "a field value reached the log");
}

#[test]
fn openapi_describes_every_route_with_its_parameters_and_fields() {
    let host = TestHost::start(&TestConfig::default());
    let (code, spec) = host.get("/openapi.json", None);
    assert_eq!(code, 200);
    assert_eq!(spec["openapi"], "3.1.0");
    let (_, routes) = host.get("/v1/routes", Some(KEY_ALL));
    for route in routes["message"]["routes"].as_array().unwrap() {
        let path = route["path"].as_str().unwrap();
        let op = &spec["paths"][path]["post"];
        assert!(op.is_object(), "{path} missing from the spec");
        let form = &op["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"];
        for param in route["params"].as_array().unwrap() {
            let name = param["name"].as_str().unwrap();
            assert!(
                form["properties"][name].is_object(),
                "{path}: parameter {name}"
            );
        }
        let ok = &op["responses"]["200"]["content"]["application/json"]["schema"];
        for field in route["fields"].as_array().unwrap() {
            let key = field["key"].as_str().unwrap();
            assert!(
                ok["properties"]["message"]["oneOf"][0]["properties"][key].is_object(),
                "{path}: field {key}"
            );
        }
        assert!(op["responses"]["400"].is_object() && op["responses"]["503"].is_object());
    }
    // A plugin route appears in the spec without any host code for it.
    assert!(spec["paths"]["/v1/fixture/echo"]["post"]["summary"]
        .as_str()
        .unwrap()
        .contains("echoes"));
}
