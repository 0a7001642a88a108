//! Runs one route: takes a worker slot, decodes the image, calls the plugin or built-in service
//! on a blocking thread, and shapes the answer. A panic anywhere in that work becomes
//! `RETRY_LATER` for this request only.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Duration;

use abi_stable::sabi_trait::TD_Opaque;
use kycd_plugin_api::{ErrorKind, Extraction, HostServices_TO, ImageRef};
use kycd_vision::stages::{self, Stage};
use serde_json::{json, Map, Value};

use crate::answer::{Answer, Status};
use crate::auth::Caller;
use crate::face;
use crate::geometry::{self, Recorder};
use crate::imagein;
use crate::plugins::LoadedPlugin;
use crate::request::Params;
use crate::routes::{Builtin, Handler, RouteEntry};
use crate::services::Services;
use crate::signatures::SignatureKeys;
use crate::state::AppState;

/// Runs `entry` for one request.
pub async fn run(state: &AppState, entry: RouteEntry, caller: &Caller, params: Params) -> Answer {
    match entry.handler {
        Handler::Builtin(Builtin::WhatsappDetail) => {
            return whatsapp_detail(state, caller, &params).await
        }
        Handler::Builtin(Builtin::FaceSearchDelete) => {
            let (gallery, tenant) = (state.gallery.clone(), caller.name.clone());
            return tokio::task::spawn_blocking(move || {
                face::search_delete(&gallery, &tenant, &params)
            })
            .await
            .unwrap_or_else(|_| Answer::error(Status::RetryLater, "internal error; retry later"));
        }
        _ => {}
    }
    let timeout = Duration::from_millis(state.server.queue_timeout_ms);
    let permit = match tokio::time::timeout(timeout, state.workers.acquire()).await {
        Ok(Ok(permit)) => permit,
        _ => return Answer::error(Status::RetryLater, "server busy; retry later").retry_after(1),
    };
    let vision = state.vision.clone();
    let gallery = state.gallery.clone();
    let live = state.live.load();
    let (face_config, signatures) = (live.face.clone(), live.signatures.clone());
    drop(live);
    let tenant = caller.name.clone();
    let limits = state.image_limits();
    let route = entry.route.clone();
    let result = tokio::task::spawn_blocking(move || {
        catch_unwind(AssertUnwindSafe(|| {
            let ctx = face::FaceContext {
                vision: &vision,
                gallery: &gallery,
                config: &face_config,
                tenant: &tenant,
                limits,
            };
            match entry.handler {
                Handler::Builtin(Builtin::FaceCompare) => face::compare(&ctx, &params),
                Handler::Builtin(Builtin::FaceHandheld) => face::handheld(&ctx, &params),
                Handler::Builtin(Builtin::FaceSearchAdd) => face::search_add(&ctx, &params),
                Handler::Builtin(Builtin::FaceSearch) => face::search(&ctx, &params),
                _ => run_blocking(&entry, &vision, &signatures, limits, &params),
            }
        }))
    })
    .await;
    drop(permit);
    match result {
        Ok(Ok(answer)) => answer,
        _ => {
            tracing::error!(route = %route, "request processing panicked");
            Answer::error(Status::RetryLater, "internal error; retry later")
        }
    }
}

/// Runs an image route to completion on the calling thread (no worker slot, no panic guard):
/// used by request handlers on a blocking thread and by the in-process runner.
pub fn run_blocking(
    entry: &RouteEntry,
    vision: &Arc<kycd_vision::Vision>,
    signatures: &SignatureKeys,
    limits: imagein::ImageLimits,
    params: &Params,
) -> Answer {
    let details = params.flag("details");
    let debug = params.flag("debug");
    let image = match imagein::decode_param(params, "img", limits) {
        Ok(image) => image,
        Err(answer) => return answer,
    };
    let Some(image_ref) = ImageRef::new(image.width(), image.height(), image.as_raw()) else {
        return Answer::error(Status::RetryLater, "internal error; retry later");
    };
    match &entry.handler {
        Handler::Plugin(plugin) => {
            let services = Services {
                vision,
                signatures,
                reads: Default::default(),
            };
            let recorder = debug.then(|| Recorder::new(&services, image_ref));
            let result = match &recorder {
                Some(recorder) => {
                    let handle = HostServices_TO::from_ptr(recorder, TD_Opaque);
                    plugin.extract(&entry.route, image_ref, &handle)
                }
                None => {
                    let handle = HostServices_TO::from_ptr(&services, TD_Opaque);
                    plugin.extract(&entry.route, image_ref, &handle)
                }
            };
            let answer = plugin_answer(entry, plugin, result, details);
            match recorder {
                Some(recorder) => answer.with_debug(recorder.into_json()),
                None => answer,
            }
        }
        Handler::Builtin(Builtin::Mrz) => read_mrz(vision, image_ref, details, debug),
        Handler::Builtin(_) => Answer::error(
            Status::InvalidRequest,
            format!("{} is not a document route", entry.route),
        ),
    }
}

/// The answer for a plugin's extraction result.
fn plugin_answer(
    entry: &RouteEntry,
    plugin: &LoadedPlugin,
    result: Result<Extraction, kycd_plugin_api::ExtractError>,
    details: bool,
) -> Answer {
    let error = match result {
        Ok(extraction) => return Answer::ok(shape_fields(entry, &extraction, details)),
        Err(error) => error,
    };
    let message = error.message.to_string();
    match error.kind {
        ErrorKind::NOT_THIS_DOCUMENT => Answer::error(Status::ImageRecognizeError, message),
        ErrorKind::UNREADABLE => Answer::error(Status::Fail, message),
        ErrorKind::PANICKED => {
            tracing::error!(plugin = %plugin.id, route = %entry.route, "plugin panicked");
            Answer::error(Status::RetryLater, "plugin error; retry later")
        }
        _ => {
            tracing::error!(plugin = %plugin.id, route = %entry.route, kind = error.kind.0, "plugin failed");
            Answer::error(Status::RetryLater, "plugin error; retry later")
        }
    }
}

async fn whatsapp_detail(state: &AppState, caller: &Caller, params: &Params) -> Answer {
    let answer = state
        .whatsapp
        .detail(&caller.name, caller.callback_secret(), &params.text_map())
        .await;
    let status = Status::from_wire(answer.status).unwrap_or(Status::RetryLater);
    let mut shaped = Answer::with_status(status, answer.message);
    shaped.billable = Some(answer.billable);
    shaped
}

/// The answer's `message`: exactly the declared keys, in declared order (a key the plugin did
/// not return is an empty string); with `details`, also per-field value, confidence, validity
/// and source plus the plugin's own details.
fn shape_fields(entry: &RouteEntry, extraction: &Extraction, details: bool) -> Value {
    let mut message = Map::new();
    for field in &entry.fields {
        let value = extraction.get(&field.key).unwrap_or("");
        message.insert(field.key.clone(), Value::String(value.to_string()));
    }
    if details {
        let mut per_field = Map::new();
        for field in &entry.fields {
            if let Some(f) = extraction
                .fields
                .iter()
                .find(|f| f.key.as_str() == field.key)
            {
                per_field.insert(
                    field.key.clone(),
                    json!({
                        "value": f.value.as_str(),
                        "confidence": round3(f.confidence),
                        "valid": f.valid.as_option(),
                        "source": f.source.as_str(),
                    }),
                );
            }
        }
        let mut extra = match serde_json::from_str::<Value>(extraction.details_json.as_str()) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        extra.insert("fields".into(), Value::Object(per_field));
        message.insert("details".into(), Value::Object(extra));
    }
    Value::Object(message)
}

fn round3(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

fn read_mrz(
    vision: &kycd_vision::Vision,
    image: ImageRef<'_>,
    details: bool,
    debug: bool,
) -> Answer {
    let found = stages::time(Stage::Mrz, || vision.read_mrz(image));
    let shapes = found
        .iter()
        .map(|m| geometry::mrz_shape(&geometry::Frame::Image, m))
        .collect();
    let debug = debug.then(|| geometry::payload(image.width, image.height, shapes));
    let answer = read_mrz_answer(found, details);
    match debug {
        Some(debug) => answer.with_debug(debug),
        None => answer,
    }
}

fn read_mrz_answer(found: Option<kycd_plugin_api::Mrz>, details: bool) -> Answer {
    let Some(mrz) = found else {
        return Answer::error(
            Status::ImageRecognizeError,
            "no machine-readable zone found",
        );
    };
    let get = |name: &str| {
        mrz.field(name)
            .map(|f| f.value.to_string())
            .unwrap_or_default()
    };
    let optional = [get("optional_data"), get("optional_data_2")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut message = json!({
        "Format": mrz.format.as_str(),
        "DocumentCode": get("document_code"),
        "IssuingState": get("issuing_state"),
        "DocumentNumber": get("document_number"),
        "Surname": get("surname"),
        "GivenNames": get("given_names"),
        "Nationality": get("nationality"),
        "DateOfBirth": get("birth_date"),
        "Sex": get("sex"),
        "DateOfExpiry": get("expiry_date"),
        "OptionalData": optional,
        "ChecksValid": mrz.all_checks_valid.to_string(),
    });
    if details {
        let checks: Map<String, Value> = mrz
            .fields
            .iter()
            .filter_map(|f| {
                f.check_digit_valid
                    .into_option()
                    .map(|ok| (f.name.to_string(), json!(ok)))
            })
            .collect();
        message["details"] = json!({
            "lines": mrz.lines.iter().map(|l| l.as_str()).collect::<Vec<_>>(),
            "check_digits": checks,
            "quad": mrz.quad.points.iter().map(|p| [p.x, p.y]).collect::<Vec<_>>(),
        });
    }
    Answer::ok(message)
}
