//! The HTTP surface: `POST /v1/<route>` for every route in the table, `GET /v1/routes`,
//! `GET /v1/usage`, `GET /healthz`, `GET /readyz`, `GET /metrics`, `GET /openapi.json`, and the
//! web console (`GET /`) and API reference (`GET /docs`) of `console.rs`.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, Request};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use serde_json::json;

use crate::answer::{Answer, Status};
use crate::auth::Caller;
use crate::dispatch;
use crate::request::Params;
use crate::state::AppState;

/// Builds the router.
pub fn router(state: Arc<AppState>) -> Router {
    let mut router = Router::new();
    for path in crate::console::paths() {
        router = router.route(path, any(crate::console::serve));
    }
    router
        .route("/v1/routes", any(list_routes))
        .route("/v1/usage", any(usage))
        .route("/v1/{*route}", any(api))
        .route("/healthz", any(healthz))
        .route("/readyz", any(readyz))
        .route("/metrics", any(metrics))
        .route("/openapi.json", any(openapi))
        .fallback(not_found)
        .with_state(state)
}

fn request_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn with_request_id(mut response: Response, id: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// 406 when the client's `Accept` excludes JSON.
fn accepts_json(headers: &HeaderMap) -> bool {
    let Some(accept) = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
    else {
        return true;
    };
    accept.split(',').any(|item| {
        let media = item
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        matches!(
            media.as_str(),
            "" | "*/*" | "application/*" | "application/json"
        )
    })
}

fn method_not_allowed(allowed: &'static str) -> Response {
    let mut response =
        Answer::error(Status::MethodNotAllowed, format!("use {allowed}")).into_response();
    response
        .headers_mut()
        .insert("allow", HeaderValue::from_static(allowed));
    response
}

/// Authentication shared by every `/v1/` endpoint.
fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Caller, Answer> {
    let live = state.live.load();
    if headers.get(axum::http::header::AUTHORIZATION).is_none() {
        return Err(Answer::error(
            Status::Unauthorized,
            "missing Authorization header",
        ));
    }
    live.keys
        .authenticate(headers)
        .cloned()
        .ok_or_else(|| Answer::error(Status::Unauthorized, "unknown API key"))
}

async fn api(State(state): State<Arc<AppState>>, request: Request<Body>) -> Response {
    let id = request_id();
    let started = Instant::now();
    let route = request
        .uri()
        .path()
        .trim_start_matches("/v1/")
        .trim_end_matches('/')
        .to_string();
    let (answer, tenant) = handle(&state, &route, request).await;
    let elapsed = started.elapsed();
    let status = answer.status.as_str();
    let known = state.table.load().get(&route).is_some();
    let metric_route = if known { route.as_str() } else { "unknown" };
    state.metrics.observe(metric_route, status, elapsed);
    if let Some(tenant) = &tenant {
        if known {
            if let Err(e) = state
                .store
                .record(tenant, &route, status, answer.is_billable())
            {
                tracing::error!(error = %e, "usage ledger write failed");
            }
        }
    }
    tracing::info!(
        request_id = %id,
        route = %metric_route,
        tenant = tenant.as_deref().unwrap_or("-"),
        status,
        latency_ms = elapsed.as_millis() as u64,
        "answered"
    );
    let unread_body = answer.status == Status::PayloadTooLarge;
    let mut response = with_request_id(answer.into_response(), &id);
    if unread_body {
        // The rest of the body was never read, so this connection cannot carry another request:
        // tell the client not to reuse it.
        response.headers_mut().insert(
            axum::http::header::CONNECTION,
            HeaderValue::from_static("close"),
        );
    }
    response
}

async fn handle(state: &AppState, route: &str, request: Request<Body>) -> (Answer, Option<String>) {
    if !accepts_json(request.headers()) {
        return (
            Answer::error(
                Status::NotAcceptable,
                "this API answers application/json only",
            ),
            None,
        );
    }
    let caller = match authenticate(state, request.headers()) {
        Ok(caller) => caller,
        Err(answer) => return (answer, None),
    };
    let table = state.table.load_full();
    let Some(entry) = table.get(route) else {
        return (
            Answer::error(Status::NotFound, format!("unknown route {route}")),
            Some(caller.name),
        );
    };
    if request.method() != Method::POST {
        let mut answer = Answer::error(Status::MethodNotAllowed, "use POST");
        answer.message = json!("use POST");
        return (answer, Some(caller.name));
    }
    if !caller.may_use(route) {
        return (
            Answer::error(Status::Forbidden, format!("this key may not use {route}")),
            Some(caller.name),
        );
    }
    if let Err(wait) = state.limiter.take(&caller) {
        return (
            Answer::error(Status::RateLimited, "rate limit exceeded").retry_after(wait),
            Some(caller.name),
        );
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, state.server.max_body_bytes).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return (
                Answer::error(
                    Status::PayloadTooLarge,
                    format!("request body over {} bytes", state.server.max_body_bytes),
                ),
                Some(caller.name),
            )
        }
    };
    let params = match Params::parse(&parts.headers, parts.uri.query(), bytes).await {
        Ok(params) => params,
        Err(answer) => return (answer, Some(caller.name)),
    };
    let answer = dispatch::run(state, entry.clone(), &caller, params).await;
    (answer, Some(caller.name))
}

async fn list_routes(State(state): State<Arc<AppState>>, request: Request<Body>) -> Response {
    if request.method() != Method::GET {
        return method_not_allowed("GET");
    }
    let caller = match authenticate(&state, request.headers()) {
        Ok(caller) => caller,
        Err(answer) => return answer.into_response(),
    };
    let table = state.table.load();
    let routes: Vec<_> = table
        .iter()
        .filter(|entry| caller.may_use(&entry.route))
        .map(|entry| entry.describe())
        .collect();
    Answer::ok(json!({ "routes": routes })).into_response()
}

async fn usage(State(state): State<Arc<AppState>>, request: Request<Body>) -> Response {
    if request.method() != Method::GET {
        return method_not_allowed("GET");
    }
    let caller = match authenticate(&state, request.headers()) {
        Ok(caller) => caller,
        Err(answer) => return answer.into_response(),
    };
    match state.store.usage(&caller.name) {
        Ok(rows) => {
            let billable: u64 = rows.iter().map(|r| r.billable).sum();
            let total: u64 = rows.iter().map(|r| r.count).sum();
            Answer::ok(json!({ "billable": billable, "total": total, "tenant": caller.name, "routes": rows }))
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "usage ledger read failed");
            Answer::error(Status::RetryLater, "usage ledger unavailable").into_response()
        }
    }
}

async fn healthz() -> Response {
    Answer::ok(json!("alive")).into_response()
}

async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    let table = state.table.load();
    let plugin_routes = table
        .iter()
        .filter(|e| matches!(e.handler, crate::routes::Handler::Plugin(_)))
        .count();
    Answer::ok(json!({ "models": "loaded", "routes": table.len(), "plugin_routes": plugin_routes }))
        .into_response()
}

async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    use std::fmt::Write;
    let mut text = state.metrics.render();
    text.push_str("# HELP kycd_gallery_faces Faces stored per tenant gallery.\n# TYPE kycd_gallery_faces gauge\n");
    for tenant in state.live.load().keys.tenants() {
        let (_, faces) = state.gallery.tenant_size(tenant);
        let _ = writeln!(text, "kycd_gallery_faces{{tenant=\"{tenant}\"}} {faces}");
    }
    let _ = writeln!(
        text,
        "# HELP kycd_whatsapp_queue_depth Numbers waiting for an upstream lookup.\n# TYPE kycd_whatsapp_queue_depth gauge\nkycd_whatsapp_queue_depth {}",
        state.whatsapp.queue_depth()
    );
    let _ = writeln!(
        text,
        "# HELP kycd_whatsapp_upstream_open 1 while the upstream circuit breaker is open.\n# TYPE kycd_whatsapp_upstream_open gauge\nkycd_whatsapp_upstream_open {}",
        u8::from(state.whatsapp.upstream_state() == "open")
    );
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        text,
    )
        .into_response()
}

async fn openapi(State(state): State<Arc<AppState>>) -> Response {
    axum::Json(crate::openapi::document(&state.table.load())).into_response()
}

async fn not_found(request: Request<Body>) -> Response {
    Answer::error(
        Status::NotFound,
        format!("no such endpoint {}", request.uri().path()),
    )
    .into_response()
}
