//! `whatsapp/detail` through the host: a real fake upstream and a real callback receiver on
//! loopback, the ledger's billing of yes/no versus checking, and the disabled default.

mod common;

use std::time::Duration;

use common::*;
use hmac::{Hmac, Mac};
use serde_json::Value;

fn whatsapp_config(upstream: u16) -> String {
    format!(
        r#"
[whatsapp]
backoff_ms = 20
callback_allowlist = ["127.0.0.1"]

[whatsapp.provider]
kind = "http"
url_template = "http://127.0.0.1:{upstream}/lookup/{{number}}"
timeout_ms = 2000
"#
    )
}

fn detail(host: &TestHost, form: &[(&str, &str)]) -> (u16, Value) {
    host.post_form("whatsapp/detail", Some(KEY_ALL), form)
}

#[test]
fn yes_no_checking_callback_and_billing() {
    let upstream = LoopbackServer::start(|request| {
        if request.target.ends_with("22") {
            (200, r#"{"whatsapp":true,"status_update":"20180825","signature":"Hey there","business_user":false,"avatar":true}"#.into())
        } else {
            (404, "{}".into())
        }
    });
    let receiver = LoopbackServer::start(|_| (200, "{}".into()));
    let host = TestHost::start(&TestConfig {
        extra: whatsapp_config(upstream.port),
        ..TestConfig::default()
    });
    let callback = format!("http://127.0.0.1:{}/cb", receiver.port);

    // Unknown number: queued, answered "checking" (free), callback registered.
    let (code, body) = detail(
        &host,
        &[("number", "+6281234567822"), ("callback", &callback)],
    );
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["message"]["whatsapp"], "checking", "{body}");
    assert_eq!(body["message"]["number"], "+6281234567822");

    let mut billable = 0;
    let final_answer = (0..200)
        .find_map(|_| {
            std::thread::sleep(Duration::from_millis(25));
            let (_, body) = detail(&host, &[("number", "+6281234567822")]);
            if body["message"]["whatsapp"] == "checking" {
                None
            } else {
                billable += 1;
                Some(body)
            }
        })
        .expect("the lookup finished");
    assert_eq!(
        final_answer,
        serde_json::json!({"status": "OK", "message": {"number": "+6281234567822", "whatsapp": "yes",
            "status_update": "20180825", "signature": "Hey there", "business_user": "no", "avatar": "yes"}})
    );

    // The callback arrives once, signed with the key's callback secret (its SHA-256 hex).
    assert!(wait_until(Duration::from_secs(5), || !receiver.requests().is_empty()).is_some());
    std::thread::sleep(Duration::from_millis(300));
    let calls = receiver.requests();
    assert_eq!(calls.len(), 1, "{calls:?}");
    let (path, query) = calls[0].target.split_once('?').unwrap();
    assert_eq!(path, "/cb");
    assert!(
        query.contains("number=%2B6281234567822") && query.contains("whatsapp=yes"),
        "{query}"
    );
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(sha256_hex(KEY_ALL).as_bytes()).unwrap();
    mac.update(query.as_bytes());
    let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    assert_eq!(calls[0].header("x-kycd-signature"), Some(expected.as_str()));

    // A national number with its country: "no" after the lookup.
    let (_, first) = detail(&host, &[("number", "0917 123 4567"), ("country", "PH")]);
    assert_eq!(first["message"]["number"], "+639171234567", "{first}");
    let no = (0..200)
        .find_map(|_| {
            std::thread::sleep(Duration::from_millis(25));
            let (_, body) = detail(&host, &[("number", "+639171234567")]);
            (body["message"]["whatsapp"] != "checking").then_some(body)
        })
        .expect("the lookup finished");
    billable += 1;
    assert_eq!(
        no["message"],
        serde_json::json!({"number": "+639171234567", "whatsapp": "no"})
    );

    // Bad input.
    let (code, body) = detail(&host, &[("number", "12"), ("country", "VN")]);
    assert_eq!(
        (code, body["status"].as_str()),
        (400, Some("INVALID_INPUT")),
        "{body}"
    );
    let (code, body) = detail(&host, &[("country", "IN")]);
    assert_eq!(
        (code, body["status"].as_str()),
        (400, Some("INVALID_REQUEST")),
        "{body}"
    );
    let (code, body) = detail(
        &host,
        &[
            ("number", "+6281234567822"),
            ("callback", "http://169.254.169.254/x"),
        ],
    );
    assert_eq!(
        (code, body["status"].as_str()),
        (400, Some("INVALID_INPUT")),
        "{body}"
    );

    // Only yes/no answers are billable; "checking" is free.
    let (_, usage) = host.get("/v1/usage", Some(KEY_ALL));
    assert_eq!(usage["message"]["billable"], billable, "{usage}");
}

#[test]
fn disabled_upstream_by_default_answers_retry_later_for_free() {
    let host = TestHost::start(&TestConfig::default());
    let (code, body) = detail(&host, &[("number", "+6281234567822")]);
    assert_eq!(
        (code, body["status"].as_str()),
        (503, Some("RETRY_LATER")),
        "{body}"
    );
    assert_eq!(body["message"], "whatsapp upstream not configured");
    let (_, usage) = host.get("/v1/usage", Some(KEY_ALL));
    assert_eq!(usage["message"]["billable"], 0);
}
