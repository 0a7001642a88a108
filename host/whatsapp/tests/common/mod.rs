//! Loopback fixtures: a fake upstream, a callback receiver, and helpers.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use hmac::{Hmac, Mac};
use kycd_whatsapp::provider::BoxFuture;
use kycd_whatsapp::{
    Answer, FieldMapping, HttpMethod, HttpProviderConfig, ProviderConfig, Resolve, WhatsappConfig,
};
use serde_json::{json, Value};
use sha2::Sha256;

pub const TOKEN: &str = "Bearer upstream-test-token";
pub const SECRET: &[u8] = b"tenant-callback-secret";

/// How the fake upstream behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Fail,
    Slow(Duration),
}

/// A fake lookup upstream on 127.0.0.1.
#[derive(Clone)]
pub struct Upstream {
    pub addr: SocketAddr,
    pub hits: Arc<AtomicUsize>,
    mode: Arc<Mutex<Mode>>,
    known: Arc<HashMap<String, Value>>,
}

impl Upstream {
    /// Numbers it knows, with the JSON it answers; any other number is a 404.
    pub async fn start(known: HashMap<String, Value>) -> Self {
        let upstream = Upstream {
            addr: "127.0.0.1:0".parse().unwrap(),
            hits: Arc::new(AtomicUsize::new(0)),
            mode: Arc::new(Mutex::new(Mode::Normal)),
            known: Arc::new(known),
        };
        let app = Router::new()
            .route("/lookup/{number}", get(lookup))
            .route("/lookup", post(lookup_by_body))
            .with_state(upstream.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Upstream { addr, ..upstream }
    }

    pub fn set_mode(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    /// Provider settings pointing at this upstream.
    pub fn provider(&self) -> ProviderConfig {
        ProviderConfig::Http(Box::new(HttpProviderConfig {
            url_template: format!("http://{}/lookup/{{number}}", self.addr),
            method: HttpMethod::Get,
            body_template: None,
            auth_header: Some("Authorization".into()),
            auth_value: Some(TOKEN.into()),
            auth_value_env: None,
            timeout_ms: 2_000,
            fields: FieldMapping {
                whatsapp: "/data/exists".into(),
                status_update: "/data/status/updated".into(),
                signature: "/data/status/text".into(),
                business_user: "/data/business".into(),
                avatar: "/data/has_picture".into(),
            },
        }))
    }
}

async fn lookup(
    State(upstream): State<Upstream>,
    Path(number): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, StatusCode> {
    upstream.hits.fetch_add(1, Ordering::SeqCst);
    let mode = *upstream.mode.lock().unwrap();
    match mode {
        Mode::Fail => return Err(StatusCode::SERVICE_UNAVAILABLE),
        Mode::Slow(delay) => tokio::time::sleep(delay).await,
        Mode::Normal => {}
    }
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(TOKEN) {
        return Err(StatusCode::UNAUTHORIZED);
    }
    upstream
        .known
        .get(&number)
        .cloned()
        .map(Json)
        .ok_or(StatusCode::NOT_FOUND)
}

async fn lookup_by_body(
    State(upstream): State<Upstream>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Result<Json<Value>, StatusCode> {
    let number = body["phone"]
        .as_str()
        .ok_or(StatusCode::BAD_REQUEST)?
        .to_string();
    lookup(State(upstream), Path(number), headers).await
}

/// The upstream's JSON for a WhatsApp user.
pub fn user(updated: &str, text: &str, business: bool, picture: bool) -> Value {
    json!({"data": {"exists": true, "status": {"updated": updated, "text": text}, "business": business, "has_picture": picture}})
}

/// One received callback.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub query: String,
    pub signature: Option<String>,
}

/// A callback receiver on 127.0.0.1.
#[derive(Clone)]
pub struct Receiver {
    pub addr: SocketAddr,
    pub received: Arc<Mutex<Vec<Received>>>,
    /// Answer 500 to the first N deliveries.
    pub fail_first: Arc<AtomicU32>,
}

impl Receiver {
    pub async fn start() -> Self {
        let receiver = Receiver {
            addr: "127.0.0.1:0".parse().unwrap(),
            received: Arc::default(),
            fail_first: Arc::default(),
        };
        let app = Router::new()
            .route("/{*path}", get(receive))
            .with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver { addr, ..receiver }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

async fn receive(
    State(receiver): State<Receiver>,
    Path(path): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> StatusCode {
    let failing = receiver
        .fail_first
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    receiver.received.lock().unwrap().push(Received {
        path,
        query: query.unwrap_or_default(),
        signature: headers
            .get("x-kycd-signature")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    });
    if failing {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    }
}

/// Recomputes the HMAC a client would check.
pub fn expected_signature(secret: &[u8], query: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
    mac.update(query.as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// A resolver with fixed answers (no DNS traffic).
pub struct MapResolver(pub HashMap<String, Vec<SocketAddr>>);

impl Resolve for MapResolver {
    fn resolve<'a>(
        &'a self,
        host: &'a str,
        port: u16,
    ) -> BoxFuture<'a, io::Result<Vec<SocketAddr>>> {
        Box::pin(async move {
            self.0
                .get(host)
                .map(|addrs| {
                    addrs
                        .iter()
                        .map(|a| SocketAddr::new(a.ip(), port))
                        .collect()
                })
                .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such host"))
        })
    }
}

/// Test defaults: fast backoff, short timeouts.
pub fn config(provider: ProviderConfig) -> WhatsappConfig {
    WhatsappConfig {
        provider,
        workers: 2,
        retries: 0,
        backoff_ms: 20,
        breaker_failures: 100,
        breaker_cooldown_secs: 1,
        callback_allowlist: vec!["127.0.0.1".into()],
        callback_retries: 3,
        callback_timeout_ms: 2_000,
        ..WhatsappConfig::default()
    }
}

/// A fresh SQLite path for one test, under cargo's scratch directory for integration tests
/// (`target/tmp`): the next run of the same test binary empties and reuses it, so runs leave
/// no litter in the system's temporary directory.
pub fn temp_db(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "whatsapp-{}-{}-{}",
        env!("CARGO_CRATE_NAME"),
        name,
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("kycd.db")
}

/// Request parameters.
pub fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Polls `check` every 10 ms until it is true; panics after `limit`.
pub async fn wait_until<F: FnMut() -> bool>(what: &str, limit: Duration, mut check: F) {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Asks until the answer is no longer `checking`; panics after `limit`.
pub async fn settle(
    service: &kycd_whatsapp::WhatsappService,
    params: &HashMap<String, String>,
    limit: Duration,
) -> Answer {
    let start = Instant::now();
    loop {
        let answer = service.detail("acme", SECRET, params).await;
        if answer.message.get("whatsapp").and_then(Value::as_str) != Some("checking") {
            return answer;
        }
        assert!(start.elapsed() < limit, "still checking after {limit:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
