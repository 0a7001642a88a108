//! Aadhaar Secure QR signatures checked with the operator's certificate, the way a client sees
//! it: a real host with the India plugin, `[signature_keys] uidai` in its configuration, a
//! generated Aadhaar whose QR the corpus signed with its test key, and `details=1` answers.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use kycd_corpus::{Condition, DocType, GenerateOptions, Side};
use serde_json::Value;

/// A generated Aadhaar back (address side with the Secure QR), as a base64 PNG.
fn aadhaar_back() -> String {
    let samples = kycd_corpus::generate(&GenerateOptions {
        seed: 1,
        per_type: 1,
        types: vec![DocType::InAadhaar],
        conditions: vec![Condition::Scan],
    })
    .expect("generating an Aadhaar card");
    let back = samples
        .iter()
        .find(|s| s.truth["side"] == Side::Back.name())
        .expect("the generator draws an Aadhaar back");
    b64(&back.bytes)
}

fn config_with_uidai_key(certificate: Option<&Path>) -> TestConfig {
    TestConfig {
        extra: certificate
            .map(|c| format!("[signature_keys]\nuidai = {:?}\n", c.display().to_string()))
            .unwrap_or_default(),
        ..TestConfig::default()
    }
}

fn signature_status(host: &TestHost, image: &str) -> Value {
    let (code, body) = host.post_form(
        "ocr/in/aadhaar/back",
        Some(KEY_ALL),
        &[("img", image), ("details", "1")],
    );
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["status"], "OK", "{body}");
    body["message"]["details"]["qr"]["signature"].clone()
}

fn rewrite_config(host: &TestHost, config: &TestConfig) {
    std::fs::write(host.config_path(), config.render(host.dir.path())).unwrap();
}

#[test]
fn secure_qr_signature_is_verified_only_with_the_configured_certificate() {
    let corpus_certificate: PathBuf =
        workspace_root().join("tools/corpus/data/secure-qr-test-certificate.pem");
    let unrelated_certificate = workspace_root().join("host/tests/data/unrelated-certificate.pem");
    let image = aadhaar_back();

    let config = config_with_uidai_key(Some(&corpus_certificate));
    let host = TestHost::with_country_plugins(&["in"], &config);

    // The key that signed the QR: verified.
    assert_eq!(signature_status(&host, &image), "verified");

    // Another key (live reload of the configuration): the same QR is reported invalid.
    rewrite_config(&host, &config_with_uidai_key(Some(&unrelated_certificate)));
    let reloaded = wait_until(Duration::from_secs(20), || {
        signature_status(&host, &image) == "invalid"
    });
    assert!(
        reloaded.is_some(),
        "a QR signed by another key must be reported invalid"
    );

    // No key configured: never claimed either way.
    rewrite_config(&host, &config_with_uidai_key(None));
    let reloaded = wait_until(Duration::from_secs(20), || {
        signature_status(&host, &image) == "not verified"
    });
    assert!(
        reloaded.is_some(),
        "without a UIDAI key the signature is not verified"
    );

    // A key file that is not a certificate is refused by the reload; the last good
    // configuration (no key) stays in force and the host keeps answering.
    let not_a_certificate = host.dir.path().join("uidai.cer");
    std::fs::write(&not_a_certificate, "not a certificate").unwrap();
    rewrite_config(&host, &config_with_uidai_key(Some(&not_a_certificate)));
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(signature_status(&host, &image), "not verified");
    host.assert_alive();
    assert!(
        host.log().contains("uidai.cer"),
        "the refused reload names the file:\n{}",
        host.log()
    );
}
