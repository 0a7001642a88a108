//! Failure handling: wrong credentials, timeouts, giving up, cache expiry,
//! graceful shutdown, and the POST flavour of the http provider.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::*;
use kycd_whatsapp::{HttpMethod, ProviderConfig, WhatsappService};
use serde_json::json;

const LIMIT: Duration = Duration::from_secs(10);
const YES: &str = "+6281234567890";

async fn upstream() -> Upstream {
    Upstream::start(HashMap::from([(
        YES.to_string(),
        user("20200101", "hi", true, true),
    )]))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejected_credentials_are_a_failure_never_a_no() {
    let upstream = upstream().await;
    let mut provider = upstream.provider();
    if let ProviderConfig::Http(http) = &mut provider {
        http.auth_value = Some("Bearer wrong".into());
    }
    let mut config = config(provider);
    config.breaker_failures = 2;
    let service = WhatsappService::start(config, &temp_db("auth"))
        .await
        .unwrap();
    let request = params(&[("number", YES)]);
    service.detail("acme", SECRET, &request).await;
    wait_until("the breaker to open", LIMIT, || {
        service.upstream_state() == "open"
    })
    .await;
    let answer = service.detail("acme", SECRET, &request).await;
    assert_eq!(
        answer.message["whatsapp"], "checking",
        "a 401 must not become \"no\""
    );
    assert!(!answer.billable);
    service.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_upstream_times_out_and_counts_as_failure() {
    let upstream = upstream().await;
    upstream.set_mode(Mode::Slow(Duration::from_secs(60)));
    let mut provider = upstream.provider();
    if let ProviderConfig::Http(http) = &mut provider {
        http.timeout_ms = 150;
    }
    let mut config = config(provider);
    config.breaker_failures = 1;
    let service = WhatsappService::start(config, &temp_db("timeout"))
        .await
        .unwrap();
    service
        .detail("acme", SECRET, &params(&[("number", YES)]))
        .await;
    // The upstream would answer after 60 s: only the 150 ms timeout can open the breaker in time.
    wait_until("the breaker to open", LIMIT, || {
        service.upstream_state() == "open"
    })
    .await;
    service.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_number_is_given_up_after_max_job_attempts_and_can_be_asked_again() {
    let upstream = upstream().await;
    upstream.set_mode(Mode::Fail);
    let receiver = Receiver::start().await;
    let mut config = config(upstream.provider());
    config.max_job_attempts = 2;
    config.backoff_ms = 5;
    let service = WhatsappService::start(config, &temp_db("giveup"))
        .await
        .unwrap();
    let callback = format!("http://127.0.0.1:{}/cb", receiver.addr.port());
    let request = params(&[("number", YES), ("callback", &callback)]);
    service.detail("acme", SECRET, &request).await;
    wait_until("the job to be dropped", LIMIT, || {
        service.queue_depth() == 0
    })
    .await;
    assert_eq!(upstream.hits(), 2);
    upstream.set_mode(Mode::Normal);
    assert_eq!(
        service.detail("acme", SECRET, &request).await.message["whatsapp"],
        "checking"
    );
    let answer = settle(&service, &request, LIMIT).await;
    assert_eq!(answer.message["whatsapp"], "yes");
    wait_until("the callback", LIMIT, || !receiver.received().is_empty()).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        receiver.received().len(),
        1,
        "the dropped request's callback is not sent"
    );
    service.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_result_is_looked_up_again() {
    let upstream = upstream().await;
    let mut config = config(upstream.provider());
    config.cache_ttl_secs = 1;
    let service = WhatsappService::start(config, &temp_db("ttl"))
        .await
        .unwrap();
    let request = params(&[("number", YES)]);
    service.detail("acme", SECRET, &request).await;
    assert_eq!(
        settle(&service, &request, LIMIT).await.message["whatsapp"],
        "yes"
    );
    assert_eq!(upstream.hits(), 1);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(
        service.detail("acme", SECRET, &request).await.message["whatsapp"],
        "checking"
    );
    assert_eq!(
        settle(&service, &request, LIMIT).await.message["whatsapp"],
        "yes"
    );
    assert_eq!(upstream.hits(), 2);
    service.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_is_prompt_and_keeps_the_job() {
    let upstream = upstream().await;
    upstream.set_mode(Mode::Slow(Duration::from_secs(30)));
    let db = temp_db("shutdown");
    let mut first = config(upstream.provider());
    first.max_job_attempts = 1; // were the interrupted round counted, the job would be dropped
    let service = WhatsappService::start(first, &db).await.unwrap();
    service
        .detail("acme", SECRET, &params(&[("number", YES)]))
        .await;
    wait_until("the lookup to start", LIMIT, || upstream.hits() == 1).await;
    tokio::time::timeout(Duration::from_secs(2), service.shutdown())
        .await
        .expect("shutdown waits for no slow lookup");
    drop(service);
    upstream.set_mode(Mode::Normal);
    let service = WhatsappService::start(config(upstream.provider()), &db)
        .await
        .unwrap();
    assert_eq!(service.queue_depth(), 1);
    let answer = settle(&service, &params(&[("number", YES)]), LIMIT).await;
    assert_eq!(answer.message["whatsapp"], "yes");
    service.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_provider_sends_the_number_in_the_body() {
    let upstream = upstream().await;
    let mut provider = upstream.provider();
    if let ProviderConfig::Http(http) = &mut provider {
        http.url_template = format!("http://{}/lookup?n={{number}}", upstream.addr);
        http.method = HttpMethod::Post;
        http.body_template = Some(r#"{"phone":"{number}"}"#.into());
    }
    let service = WhatsappService::start(config(provider), &temp_db("post"))
        .await
        .unwrap();
    let request = params(&[("number", "0812 3456 7890"), ("country", "ID")]);
    service.detail("acme", SECRET, &request).await;
    let answer = settle(&service, &request, LIMIT).await;
    assert_eq!(
        answer.message,
        json!({"number": YES, "whatsapp": "yes", "status_update": "20200101", "signature": "hi", "business_user": "yes", "avatar": "yes"})
    );
    service.shutdown().await;
}

#[tokio::test]
async fn invalid_provider_settings_fail_at_start() {
    let upstream = upstream().await;
    for change in [
        |h: &mut kycd_whatsapp::HttpProviderConfig| {
            h.url_template = "http://127.0.0.1/lookup".into()
        },
        |h: &mut kycd_whatsapp::HttpProviderConfig| {
            h.url_template = "ftp://127.0.0.1/{number}".into()
        },
        |h: &mut kycd_whatsapp::HttpProviderConfig| h.auth_header = Some("bad header".into()),
        |h: &mut kycd_whatsapp::HttpProviderConfig| {
            h.auth_value = None;
            h.auth_value_env = Some("KYCD_TEST_SURELY_UNSET_VARIABLE".into());
        },
        |h: &mut kycd_whatsapp::HttpProviderConfig| h.fields.whatsapp = "data.exists".into(),
    ] {
        let mut provider = upstream.provider();
        if let ProviderConfig::Http(http) = &mut provider {
            change(http);
        }
        let err = WhatsappService::start(config(provider), &temp_db("badcfg"))
            .await
            .err();
        assert!(err.is_some_and(|e| e.to_string().contains("whatsapp")));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queue_depth_returns_to_zero_after_a_burst() {
    let upstream = upstream().await;
    let service = WhatsappService::start(config(upstream.provider()), &temp_db("burst"))
        .await
        .unwrap();
    let numbers: Vec<String> = (0..200)
        .map(|i| format!("+62812345{:05}", 10_000 + i))
        .collect();
    for number in &numbers {
        let answer = service
            .detail("acme", SECRET, &params(&[("number", number)]))
            .await;
        assert_eq!(answer.status, "OK", "{number}: {}", answer.message);
    }
    wait_until("an empty queue", LIMIT, || service.queue_depth() == 0).await;
    assert_eq!(upstream.hits(), numbers.len());
    for number in &numbers {
        let answer = service
            .detail("acme", SECRET, &params(&[("number", number)]))
            .await;
        assert_eq!(answer.message["whatsapp"], "no");
    }
    service.shutdown().await;
}
