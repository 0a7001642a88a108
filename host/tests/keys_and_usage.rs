//! Keys, live subsets, and the usage ledger (durable across restarts).

mod common;

use std::time::Duration;

use common::*;

#[test]
fn subset_change_in_config_takes_effect_live() {
    let config = TestConfig::default();
    let host = TestHost::start(&config);
    let png = b64(&test_png(20, 20));
    let (code, _) = host.post_form("fixture/echo", Some(KEY_DE_ONLY), &[("img", &png)]);
    assert_eq!(code, 403);

    let widened = TestConfig {
        de_only_routes: vec!["ocr/de/*".into(), "fixture/*".into()],
        ..TestConfig::default()
    };
    std::fs::write(host.config_path(), widened.render(host.dir.path())).unwrap();
    let took = wait_until(Duration::from_secs(3), || {
        host.post_form("fixture/echo", Some(KEY_DE_ONLY), &[("img", &png)])
            .0
            == 200
    });
    assert!(
        took.is_some(),
        "subset change not live; log:\n{}",
        host.log()
    );

    // A broken config is refused and the previous one keeps serving.
    std::fs::write(host.config_path(), "this is [not toml").unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let (code, _) = host.post_form("fixture/echo", Some(KEY_DE_ONLY), &[("img", &png)]);
    assert_eq!(code, 200);
    assert!(host.log().contains("configuration refused"));
}

#[test]
fn usage_counts_only_ok_as_billable_and_survives_restart() {
    let host = TestHost::start(&TestConfig::default());
    let png = b64(&test_png(20, 20));
    let blank = b64(&blank_png(20, 20));
    for _ in 0..3 {
        assert_eq!(
            host.post_form("fixture/echo", Some(KEY_ALL), &[("img", &png)])
                .0,
            200
        );
    }
    for _ in 0..2 {
        host.post_form("fixture/echo", Some(KEY_ALL), &[("img", &blank)]);
    }
    host.post_form("fixture/echo", Some(KEY_ALL), &[]);

    let check = |host: &TestHost| {
        let (code, body) = host.get("/v1/usage", Some(KEY_ALL));
        assert_eq!(code, 200, "{body}");
        let message = &body["message"];
        assert_eq!(message["billable"], 3, "{body}");
        assert_eq!(message["total"], 6, "{body}");
        let first_key = message.as_object().unwrap().keys().next().unwrap().clone();
        assert_eq!(first_key, "billable", "billable total comes first");
        let rows = message["routes"].as_array().unwrap();
        let count = |status: &str| {
            rows.iter()
                .find(|r| r["route"] == "fixture/echo" && r["status"] == status)
                .map(|r| r["count"].as_u64().unwrap())
        };
        assert_eq!(count("OK"), Some(3));
        assert_eq!(count("IMAGE_RECOGNIZE_ERROR"), Some(2));
        assert_eq!(count("INVALID_REQUEST"), Some(1));
    };
    check(&host);
    // Other tenants see only their own usage.
    let (_, other) = host.get("/v1/usage", Some(KEY_DE_ONLY));
    assert_eq!(other["message"]["total"], 0);

    let dir = host.stop();
    let host = TestHost::start_in(dir);
    check(&host);
}

#[test]
fn sigterm_finishes_in_flight_requests_then_stops() {
    let host = std::sync::Arc::new(TestHost::start(&TestConfig {
        queue_timeout_ms: 300_000,
        ..TestConfig::default()
    }));
    // Three text-detection requests over a large image against two workers: some are still
    // running or queued when SIGTERM arrives.
    let big = b64(&test_png(1600, 1200));
    let in_flight: Vec<_> = (0..3)
        .map(|_| {
            let (host, big) = (host.clone(), big.clone());
            std::thread::spawn(move || {
                let answer = host.post_form("fixture/text", Some(KEY_ALL), &[("img", &big)]);
                (answer, std::time::Instant::now())
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(150));
    let pid = host.pid();
    std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    let killed_at = std::time::Instant::now();
    let mut finished_after_kill = 0;
    for request in in_flight {
        let ((code, body), answered_at) = request.join().unwrap();
        assert_eq!(code, 200, "an in-flight request finished normally: {body}");
        finished_after_kill += usize::from(answered_at > killed_at);
    }
    assert!(
        finished_after_kill > 0,
        "some requests were still in flight at SIGTERM"
    );
    assert!(
        wait_until(Duration::from_secs(10), || {
            std::net::TcpStream::connect(host.base.trim_start_matches("http://")).is_err()
        })
        .is_some(),
        "the host stopped accepting"
    );
    assert!(host.log().contains("shutting down"));
}
