//! End-to-end behaviour of `whatsapp/detail` against loopback servers.

mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use kycd_whatsapp::{ProviderConfig, WhatsappService};
use serde_json::{json, Value};

const LIMIT: Duration = Duration::from_secs(10);
const YES: &str = "+6281234567890";
const NO_404: &str = "+639171234567";
const NO_FALSE: &str = "+84912345678";

async fn upstream() -> Upstream {
    Upstream::start(HashMap::from([
        (
            YES.to_string(),
            user(
                "2018-08-25T09:00:00Z",
                "Hey there! I am using WhatsApp.",
                false,
                true,
            ),
        ),
        (NO_FALSE.to_string(), json!({"data": {"exists": false}})),
    ]))
    .await
}

fn message(answer: &kycd_whatsapp::Answer) -> String {
    serde_json::to_string(&answer.message).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn yes_is_checked_then_cached_and_the_callback_is_signed_and_sent_once() {
    let upstream = upstream().await;
    let receiver = Receiver::start().await;
    let mut config = config(upstream.provider());
    config.callback_allowlist = vec!["callback.test".into()];
    // `callback.test` exists nowhere but in this resolver: delivery works only
    // because the address found at request time is pinned.
    let resolver = MapResolver(HashMap::from([(
        "callback.test".to_string(),
        vec![receiver.addr],
    )]));
    let service = WhatsappService::start_with_resolver(config, &temp_db("yes"), Arc::new(resolver))
        .await
        .unwrap();
    let callback = format!("http://callback.test:{}/hook?ref=42", receiver.addr.port());
    let request = params(&[
        ("number", "0812-3456-7890"),
        ("country", "ID"),
        ("callback", &callback),
    ]);

    let first = service.detail("acme", SECRET, &request).await;
    assert_eq!(first.status, "OK");
    assert_eq!(
        first.message,
        json!({"number": YES, "whatsapp": "checking"})
    );
    assert!(!first.billable, "checking is free");

    wait_until("the callback", LIMIT, || !receiver.received().is_empty()).await;
    let answer = service.detail("acme", SECRET, &request).await;
    assert_eq!(answer.status, "OK");
    assert!(answer.billable);
    assert_eq!(
        message(&answer),
        r#"{"number":"+6281234567890","whatsapp":"yes","status_update":"20180825","signature":"Hey there! I am using WhatsApp.","business_user":"no","avatar":"yes"}"#
    );
    assert_eq!(
        answer.body(),
        json!({"status": "OK", "message": answer.message.clone()})
    );

    let got = receiver.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].path, "hook");
    assert_eq!(
        got[0].query,
        "ref=42&number=%2B6281234567890&whatsapp=yes&status_update=20180825\
         &signature=Hey+there%21+I+am+using+WhatsApp.&business_user=no&avatar=yes"
    );
    assert_eq!(
        got[0].signature.as_deref(),
        Some(expected_signature(SECRET, &got[0].query).as_str())
    );
    assert_ne!(
        got[0].signature.as_deref(),
        Some(expected_signature(b"other key", &got[0].query).as_str())
    );

    // Cache hits: the upstream is not asked again, and no further callback goes out.
    for _ in 0..3 {
        let again = service
            .detail(
                "acme",
                SECRET,
                &params(&[("number", "+62 812 3456 7890"), ("callback", &callback)]),
            )
            .await;
        assert_eq!(again, answer);
    }
    assert_eq!(upstream.hits(), 1);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(receiver.received().len(), 1, "callback sent once");
    assert_eq!(service.queue_depth(), 0);
    service.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_found_and_explicit_false_answer_no() {
    let upstream = upstream().await;
    let receiver = Receiver::start().await;
    let service = WhatsappService::start(config(upstream.provider()), &temp_db("no"))
        .await
        .unwrap();
    let callback = format!("http://127.0.0.1:{}/cb", receiver.addr.port());
    for (number, country) in [("0917 123 4567", "PH"), ("0912 345 678", "VN")] {
        let request = params(&[
            ("number", number),
            ("country", country),
            ("callback", &callback),
        ]);
        assert_eq!(
            service.detail("acme", SECRET, &request).await.message["whatsapp"],
            "checking"
        );
        let answer = settle(&service, &request, LIMIT).await;
        assert_eq!(answer.status, "OK");
        assert!(answer.billable, "a definite no is billable");
        let e164 = if country == "PH" { NO_404 } else { NO_FALSE };
        assert_eq!(answer.message, json!({"number": e164, "whatsapp": "no"}));
    }
    wait_until("two callbacks", LIMIT, || receiver.received().len() == 2).await;
    for got in receiver.received() {
        assert!(
            got.query.ends_with("&whatsapp=no") && got.query.starts_with("number=%2B"),
            "{}",
            got.query
        );
        assert_eq!(
            got.signature.unwrap(),
            expected_signature(SECRET, &got.query)
        );
    }
    assert_eq!(upstream.hits(), 2);
    service.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pending_number_is_queued_once_and_called_back_once() {
    let upstream = upstream().await;
    upstream.set_mode(Mode::Slow(Duration::from_millis(300)));
    let receiver = Receiver::start().await;
    let service = WhatsappService::start(config(upstream.provider()), &temp_db("dedup"))
        .await
        .unwrap();
    let callback = format!("http://127.0.0.1:{}/cb", receiver.addr.port());
    let national = params(&[
        ("number", "08123456789 0"),
        ("country", "ID"),
        ("callback", &callback),
    ]);
    let international = params(&[("number", "+6281234567890"), ("callback", &callback)]);
    for request in [&national, &international, &national] {
        assert_eq!(
            service.detail("acme", SECRET, request).await.message["whatsapp"],
            "checking"
        );
    }
    assert_eq!(service.queue_depth(), 1);
    let answer = settle(&service, &international, LIMIT).await;
    assert_eq!(answer.message["whatsapp"], "yes");
    wait_until("the callback", LIMIT, || !receiver.received().is_empty()).await;
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(upstream.hits(), 1, "two requests, one upstream call");
    assert_eq!(
        receiver.received().len(),
        1,
        "same tenant, number and callback: one callback"
    );
    service.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upstream_down_without_servstatus_queues_until_it_recovers() {
    let upstream = upstream().await;
    upstream.set_mode(Mode::Fail);
    let service = WhatsappService::start(config(upstream.provider()), &temp_db("down"))
        .await
        .unwrap();
    let request = params(&[("number", YES)]);
    assert_eq!(
        service.detail("acme", SECRET, &request).await.message["whatsapp"],
        "checking"
    );
    wait_until("failed upstream calls", LIMIT, || upstream.hits() >= 2).await;
    let still = service.detail("acme", SECRET, &request).await;
    assert_eq!(still.message["whatsapp"], "checking");
    assert_eq!(service.queue_depth(), 1);
    upstream.set_mode(Mode::Normal);
    let answer = settle(&service, &request, LIMIT).await;
    assert_eq!(answer.message["whatsapp"], "yes");
    // The counter drops just after the result is stored.
    wait_until("an empty queue", LIMIT, || service.queue_depth() == 0).await;
    service.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servstatus_y_answers_retry_later_at_once_while_the_breaker_is_open() {
    let upstream = upstream().await;
    upstream.set_mode(Mode::Fail);
    let mut config = config(upstream.provider());
    config.breaker_failures = 1;
    config.breaker_cooldown_secs = 60;
    let service = WhatsappService::start(config, &temp_db("servstatus"))
        .await
        .unwrap();
    // Before the upstream is known to be down, servstatus=y still queues.
    let first = service
        .detail(
            "acme",
            SECRET,
            &params(&[("number", YES), ("servstatus", "y")]),
        )
        .await;
    assert_eq!(first.message["whatsapp"], "checking");
    wait_until("the breaker to open", LIMIT, || {
        service.upstream_state() == "open"
    })
    .await;

    let refused = service
        .detail(
            "acme",
            SECRET,
            &params(&[("number", NO_404), ("servstatus", "y")]),
        )
        .await;
    assert_eq!(refused.status, "RETRY_LATER");
    assert!(
        refused.message.as_str().unwrap().contains("unavailable"),
        "{}",
        refused.message
    );
    assert!(!refused.billable);
    // Without servstatus the number is queued for when the upstream is back.
    let queued = service
        .detail("acme", SECRET, &params(&[("number", NO_404)]))
        .await;
    assert_eq!(queued.message["whatsapp"], "checking");
    assert_eq!(service.queue_depth(), 2);
    service.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn breaker_opens_after_n_failures_and_half_opens_after_the_cooldown() {
    let upstream = upstream().await;
    upstream.set_mode(Mode::Fail);
    let mut config = config(upstream.provider());
    config.workers = 1;
    config.breaker_failures = 3;
    config.breaker_cooldown_secs = 2;
    config.backoff_ms = 5_000; // failed jobs wait long: only the breaker probe brings them back early
    let service = WhatsappService::start(config, &temp_db("breaker"))
        .await
        .unwrap();
    for number in ["+6281234567890", "+639171234567", "+84912345678"] {
        service
            .detail("acme", SECRET, &params(&[("number", number)]))
            .await;
    }
    wait_until("three failures", LIMIT, || upstream.hits() == 3).await;
    wait_until("the breaker to open", LIMIT, || {
        service.upstream_state() == "open"
    })
    .await;
    let fourth = params(&[("number", "+919876543210")]);
    assert_eq!(
        service.detail("acme", SECRET, &fourth).await.message["whatsapp"],
        "checking"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        upstream.hits(),
        3,
        "an open breaker makes no upstream calls"
    );

    upstream.set_mode(Mode::Normal);
    // After the 2 s cooldown one probe (the fourth number) goes through and closes the breaker.
    let answer = settle(&service, &fourth, LIMIT).await;
    assert_eq!(answer.status, "OK");
    assert_eq!(answer.message["whatsapp"], "no");
    assert_eq!(service.upstream_state(), "closed");
    assert_eq!(upstream.hits(), 4);
    service.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_probe_reopens_the_breaker() {
    let upstream = upstream().await;
    upstream.set_mode(Mode::Fail);
    let mut config = config(upstream.provider());
    config.workers = 1;
    config.breaker_failures = 1;
    config.breaker_cooldown_secs = 1;
    let service = WhatsappService::start(config, &temp_db("probe"))
        .await
        .unwrap();
    service
        .detail("acme", SECRET, &params(&[("number", YES)]))
        .await;
    wait_until("the breaker to open", LIMIT, || {
        service.upstream_state() == "open"
    })
    .await;
    wait_until("the probe", Duration::from_secs(5), || upstream.hits() == 2).await;
    wait_until("the breaker to re-open", LIMIT, || {
        service.upstream_state() == "open"
    })
    .await;
    assert_eq!(upstream.hits(), 2, "one probe per cooldown");
    service.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pending_jobs_and_callbacks_survive_a_restart() {
    let upstream = upstream().await;
    upstream.set_mode(Mode::Slow(Duration::from_secs(30)));
    let receiver = Receiver::start().await;
    let db = temp_db("restart");
    let callback = format!("http://127.0.0.1:{}/cb", receiver.addr.port());
    let request = params(&[("number", YES), ("callback", &callback)]);
    {
        let service = WhatsappService::start(config(upstream.provider()), &db)
            .await
            .unwrap();
        assert_eq!(
            service.detail("acme", SECRET, &request).await.message["whatsapp"],
            "checking"
        );
        wait_until("the lookup to start", LIMIT, || upstream.hits() == 1).await;
        // Dropped mid-lookup, like a crash.
    }
    upstream.set_mode(Mode::Normal);
    let service = WhatsappService::start(config(upstream.provider()), &db)
        .await
        .unwrap();
    assert_eq!(service.queue_depth(), 1, "the pending job was recovered");
    wait_until("the callback", LIMIT, || !receiver.received().is_empty()).await;
    let answer = service
        .detail("acme", SECRET, &params(&[("number", YES)]))
        .await;
    assert_eq!(answer.message["whatsapp"], "yes");
    let got = receiver.received();
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].signature.as_deref(),
        Some(expected_signature(SECRET, &got[0].query).as_str())
    );
    service.shutdown().await;

    // And the result itself survives a restart (cache in the store).
    let hits = upstream.hits();
    let service = WhatsappService::start(config(upstream.provider()), &db)
        .await
        .unwrap();
    assert_eq!(
        service
            .detail("acme", SECRET, &params(&[("number", YES)]))
            .await,
        answer
    );
    assert_eq!(upstream.hits(), hits);
    service.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_callback_is_retried_until_delivered() {
    let upstream = upstream().await;
    let receiver = Receiver::start().await;
    receiver
        .fail_first
        .store(2, std::sync::atomic::Ordering::SeqCst);
    let service = WhatsappService::start(config(upstream.provider()), &temp_db("cbretry"))
        .await
        .unwrap();
    let callback = format!("http://127.0.0.1:{}/cb", receiver.addr.port());
    service
        .detail(
            "acme",
            SECRET,
            &params(&[("number", YES), ("callback", &callback)]),
        )
        .await;
    wait_until("three deliveries", LIMIT, || receiver.received().len() == 3).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got = receiver.received();
    assert_eq!(got.len(), 3, "stops after the first success");
    assert!(got
        .iter()
        .all(|g| g.query == got[0].query && g.signature == got[0].signature));
    service.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ssrf_guard_refuses_internal_callbacks() {
    let public: SocketAddr = "93.184.216.34:80".parse().unwrap();
    let resolver = MapResolver(HashMap::from([
        (
            "rebind.test".to_string(),
            vec!["127.0.0.1:80".parse().unwrap()],
        ),
        (
            "mixed.test".to_string(),
            vec![public, "10.1.2.3:80".parse().unwrap()],
        ),
        ("public.test".to_string(), vec![public]),
        (
            "localhost".to_string(),
            vec!["127.0.0.1:80".parse().unwrap()],
        ),
    ]));
    // Disabled provider: an accepted callback answers RETRY_LATER and nothing is ever sent.
    let mut config = config(ProviderConfig::Disabled);
    config.callback_allowlist.clear();
    let service =
        WhatsappService::start_with_resolver(config, &temp_db("ssrf"), Arc::new(resolver))
            .await
            .unwrap();
    for callback in [
        "http://127.0.0.1:8080/cb",
        "http://10.0.0.1/cb",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost/cb",
        "http://rebind.test/cb",
        "http://mixed.test/cb",
        "http://[::1]/cb",
        "http://[::ffff:127.0.0.1]/cb",
        "http://0x7f.1/cb",
        "http://192.168.1.10/cb",
        "http://[fd00:ec2::254]/",
        "ftp://public.test/cb",
        "file:///etc/passwd",
        "not a url",
        "http://nowhere.test/cb",
    ] {
        let answer = service
            .detail(
                "acme",
                SECRET,
                &params(&[("number", YES), ("callback", callback)]),
            )
            .await;
        assert_eq!(answer.status, "INVALID_INPUT", "{callback} must be refused");
        assert!(!answer.billable);
    }
    let accepted = service
        .detail(
            "acme",
            SECRET,
            &params(&[("number", YES), ("callback", "https://public.test/hook")]),
        )
        .await;
    assert_eq!(accepted.status, "RETRY_LATER");
    assert_eq!(service.queue_depth(), 0);
    service.shutdown().await;
}

#[tokio::test]
async fn the_real_resolver_refuses_localhost() {
    let mut config = config(ProviderConfig::Disabled);
    config.callback_allowlist.clear();
    let service = WhatsappService::start(config, &temp_db("localhost"))
        .await
        .unwrap();
    let answer = service
        .detail(
            "acme",
            SECRET,
            &params(&[("number", YES), ("callback", "http://localhost:9/cb")]),
        )
        .await;
    assert_eq!(answer.status, "INVALID_INPUT");
    assert!(
        answer.message.as_str().unwrap().contains("not allowed"),
        "{}",
        answer.message
    );
    service.shutdown().await;
}

#[tokio::test]
async fn bad_input_is_refused_without_billing() {
    let service = WhatsappService::start(config(ProviderConfig::Disabled), &temp_db("bad"))
        .await
        .unwrap();
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("country", "PH")], "INVALID_REQUEST"),
        (&[("number", "   "), ("country", "PH")], "INVALID_REQUEST"),
        (&[("number", "12345"), ("country", "PH")], "INVALID_INPUT"),
        (
            &[("number", "0917 123"), ("country", "PH")],
            "INVALID_INPUT",
        ),
        (&[("number", "0123"), ("country", "VN")], "INVALID_INPUT"),
        (
            &[("number", "0912 345 678 999 1"), ("country", "VN")],
            "INVALID_INPUT",
        ),
        (&[("number", "12345"), ("country", "IN")], "INVALID_INPUT"),
        (
            &[("number", "0000000000"), ("country", "IN")],
            "INVALID_INPUT",
        ),
        (
            &[("number", "09171234567"), ("country", "XX")],
            "INVALID_INPUT",
        ),
        (
            &[("number", "09171234567"), ("country", "Philippines")],
            "INVALID_INPUT",
        ),
        (&[("number", "09171234567")], "INVALID_INPUT"),
        (
            &[("number", "call me maybe"), ("country", "PH")],
            "INVALID_INPUT",
        ),
        (&[("number", "+999 1234 5678")], "INVALID_INPUT"),
    ];
    for (pairs, status) in cases {
        let answer = service.detail("acme", SECRET, &params(pairs)).await;
        assert_eq!(answer.status, *status, "{pairs:?}: {}", answer.message);
        assert!(!answer.billable);
        assert!(matches!(answer.message, Value::String(ref m) if !m.is_empty()));
    }
    let unknown = service
        .detail(
            "acme",
            SECRET,
            &params(&[("number", "1"), ("country", "XX")]),
        )
        .await;
    assert!(unknown
        .message
        .as_str()
        .unwrap()
        .contains("unknown country"));
    service.shutdown().await;
}

#[tokio::test]
async fn disabled_provider_answers_retry_later() {
    let service = WhatsappService::start(Default::default(), &temp_db("disabled"))
        .await
        .unwrap();
    let answer = service
        .detail(
            "acme",
            SECRET,
            &params(&[("number", "0917 123 4567"), ("country", "PH")]),
        )
        .await;
    assert_eq!(answer.status, "RETRY_LATER");
    assert_eq!(answer.message, json!("whatsapp upstream not configured"));
    assert!(!answer.billable);
    service.shutdown().await;
}
