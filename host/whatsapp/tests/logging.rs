//! Logs never carry a full phone number, the profile text or a callback signature.

mod common;

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use kycd_whatsapp::WhatsappService;

const NUMBER: &str = "+6281234567890";
const ABOUT: &str = "Private about text";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_mask_numbers_and_hide_personal_fields() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_env_filter("trace")
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let upstream = Upstream::start(HashMap::from([(
        NUMBER.to_string(),
        user("20240101", ABOUT, true, false),
    )]))
    .await;
    upstream.set_mode(Mode::Fail);
    let receiver = Receiver::start().await;
    receiver
        .fail_first
        .store(1, std::sync::atomic::Ordering::SeqCst);
    let mut config = config(upstream.provider());
    config.breaker_failures = 2;
    let service = WhatsappService::start(config, &temp_db("logging"))
        .await
        .unwrap();
    let callback = format!("http://127.0.0.1:{}/cb", receiver.addr.port());
    let request = params(&[
        ("number", "0812 3456 7890"),
        ("country", "ID"),
        ("callback", &callback),
    ]);
    service.detail("acme", SECRET, &request).await;
    wait_until("failures", Duration::from_secs(10), || upstream.hits() >= 2).await;
    upstream.set_mode(Mode::Normal);
    let answer = settle(&service, &request, Duration::from_secs(10)).await;
    assert_eq!(answer.message["signature"], ABOUT);
    wait_until("the callback", Duration::from_secs(10), || {
        receiver.received().len() == 2
    })
    .await;
    service.shutdown().await;

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("+***********90"),
        "masked number expected in:\n{logs}"
    );
    assert!(logs.contains("lookup failed") && logs.contains("callback delivered"));
    let signature = receiver.received()[1].signature.clone().unwrap();
    for secret in [
        "81234567890",
        "1234567890",
        ABOUT,
        "Private",
        &signature[7..],
    ] {
        assert!(!logs.contains(secret), "logs leak {secret:?}:\n{logs}");
    }
}
