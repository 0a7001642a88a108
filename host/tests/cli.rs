//! `kycd compare` prints exactly what `face/compare` answers over HTTP for the same photos and
//! configuration.

mod common;

use std::process::Command;

use common::{workspace_root, TestConfig, TestHost, KEY_ALL};
use serde_json::Value;

#[test]
fn compare_prints_the_face_compare_answer() {
    let host = TestHost::start(&TestConfig::default());
    let cache = workspace_root().join("host/vision/tests/data/cache");
    let (a, b) = (cache.join("obama.jpg"), cache.join("obama2.jpg"));
    assert!(
        a.exists() && b.exists(),
        "run host/vision/tests/data/fetch-face-samples.sh"
    );
    let part = |path: &std::path::Path| {
        reqwest::blocking::multipart::Part::bytes(std::fs::read(path).unwrap()).file_name("photo")
    };
    let form = reqwest::blocking::multipart::Form::new()
        .part("img1", part(&a))
        .part("img2", part(&b))
        .text("details", "1");
    let (code, over_http) = common::read(
        host.client()
            .post(format!("{}/v1/face/compare", host.base))
            .header("Authorization", KEY_ALL)
            .multipart(form)
            .send()
            .unwrap(),
    );
    assert_eq!(code, 200, "{over_http}");
    assert_eq!(over_http["message"]["result"], "SAME PERSON", "{over_http}");

    let output = Command::new(env!("CARGO_BIN_EXE_kycd"))
        .arg("compare")
        .arg(&a)
        .arg(&b)
        .arg("--details")
        .arg("--config")
        .arg(host.config_path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed: Value = serde_json::from_slice(&output.stdout).expect("kycd compare prints JSON");
    assert_eq!(printed, over_http);

    // A file that is not an image gets the route's own answer, not a crash.
    let output = Command::new(env!("CARGO_BIN_EXE_kycd"))
        .arg("compare")
        .arg(workspace_root().join("README.md"))
        .arg(&b)
        .arg("--config")
        .arg(host.config_path())
        .output()
        .unwrap();
    let printed: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(printed["status"], "IMAGE_INVALID_FORMAT", "{printed}");
}
