//! `GET /openapi.json`: an OpenAPI 3.1 description generated at run time from the route table,
//! so every plugin route appears with its parameters and fields the moment it is loaded.

use serde_json::{json, Map, Value};

use crate::routes::{RouteEntry, RouteTable};

/// Every status a route may answer, with its HTTP code (the contract in `answer.rs`).
const STATUSES: [(&str, u16); 20] = [
    ("OK", 200),
    ("FAIL", 200),
    ("IMAGE_RECOGNIZE_ERROR", 200),
    ("FACE_DETECT_FAILED", 200),
    ("IMAGEA_FACE_DETECT_FAILED", 200),
    ("IMAGEB_FACE_DETECT_FAILED", 200),
    ("INVALID_FACE_NUM", 200),
    ("PERSON_ID_NOT_EXIST", 200),
    ("INVALID_REQUEST", 400),
    ("INVALID_INPUT", 400),
    ("IMAGE_INVALID_FORMAT", 400),
    ("IMAGE_INVALID_SIZE", 400),
    ("UNAUTHORIZED", 401),
    ("FORBIDDEN", 403),
    ("NOT_FOUND", 404),
    ("METHOD_NOT_ALLOWED", 405),
    ("NOT_ACCEPTABLE", 406),
    ("PAYLOAD_TOO_LARGE", 413),
    ("RATE_LIMITED", 429),
    ("RETRY_LATER", 503),
];

fn request_schema(entry: &RouteEntry, multipart: bool) -> Value {
    let mut properties = Map::new();
    for param in &entry.params {
        let schema = match (param.kind, multipart) {
            ("image", true) => {
                json!({ "type": "string", "contentMediaType": "image/*", "description": param.description })
            }
            ("image", false) => {
                json!({ "type": "string", "contentEncoding": "base64", "description": param.description })
            }
            _ => json!({ "type": "string", "description": param.description }),
        };
        properties.insert(param.name.to_string(), schema);
    }
    let required: Vec<&str> = entry
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| p.name)
        .collect();
    json!({ "type": "object", "properties": properties, "required": required })
}

fn operation(entry: &RouteEntry) -> Value {
    let (provider, version) = entry.provider();
    let fields: Map<String, Value> = entry
        .fields
        .iter()
        .map(|f| {
            (
                f.key.clone(),
                json!({ "type": "string", "description": f.description }),
            )
        })
        .collect();
    let body = |multipart| request_schema(entry, multipart);
    let mut responses = Map::new();
    let mut by_code: std::collections::BTreeMap<u16, Vec<&str>> = Default::default();
    for (status, code) in STATUSES {
        by_code.entry(code).or_default().push(status);
    }
    let debuggable = entry.params.iter().any(|p| p.name == "debug");
    for (code, statuses) in by_code {
        let message = if code == 200 {
            json!({ "oneOf": [
                { "type": "object", "properties": fields, "description": "The fields (status OK)" },
                { "type": "string", "description": "Why not (other statuses)" },
                { "type": "null" }
            ]})
        } else {
            json!({ "type": "string" })
        };
        let mut properties =
            json!({ "status": { "type": "string", "enum": statuses }, "message": message });
        if code == 200 && debuggable {
            properties["debug"] = json!({ "$ref": "#/components/schemas/Debug" });
        }
        responses.insert(
            code.to_string(),
            json!({
                "description": statuses.join(", "),
                "content": { "application/json": { "schema": {
                    "type": "object",
                    "required": ["status", "message"],
                    "properties": properties
                }}}
            }),
        );
    }
    json!({
        "summary": entry.title,
        "operationId": entry.route.replace(['/', '-'], "_"),
        "tags": [entry.route.split('/').next().unwrap_or("other")],
        "description": format!("Served by {provider} {version}."),
        "security": [{ "apiKey": [] }],
        "requestBody": { "required": true, "content": {
            "application/x-www-form-urlencoded": { "schema": body(false) },
            "multipart/form-data": { "schema": body(true) },
            "application/json": { "schema": body(false) }
        }},
        "responses": responses
    })
}

/// The `debug=1` payload (`geometry.rs`, `docs/console.md`).
fn debug_schemas() -> Value {
    let point =
        json!({ "type": "array", "items": { "type": "number" }, "minItems": 2, "maxItems": 2 });
    json!({
        "Debug": {
            "type": "object",
            "description": "What the vision services found for this request, in pixels of the uploaded image after its EXIF orientation. face/compare answers one payload per photo under images.",
            "properties": {
                "image": { "type": "object", "properties": {
                    "width": { "type": "integer" }, "height": { "type": "integer" } } },
                "shapes": { "type": "array", "items": { "$ref": "#/components/schemas/DebugShape" } },
                "calls": { "type": "array", "items": { "type": "object", "properties": {
                    "service": { "type": "string" },
                    "frame": { "type": "string", "enum": ["image", "document", "other"],
                               "description": "Which image the call read: the upload, a locate_document crop (mapped back), or an image the plugin made (not placed)" },
                    "results": { "type": "integer" },
                    "ms": { "type": "integer" } } } },
                "images": { "type": "array", "items": { "type": "object", "properties": {
                    "param": { "type": "string" },
                    "debug": { "$ref": "#/components/schemas/Debug" } } } }
            }
        },
        "DebugShape": {
            "type": "object",
            "required": ["kind", "quad"],
            "properties": {
                "kind": { "type": "string", "enum": ["document", "text", "region", "mrz", "barcode", "face"] },
                "quad": { "type": "array", "items": point, "minItems": 4, "maxItems": 4,
                          "description": "Corners clockwise from the content's top-left" },
                "frame": { "type": "string", "enum": ["image", "document"] },
                "text": { "type": "string" },
                "confidence": { "type": "number" },
                "score": { "type": "number" },
                "format": { "type": "string" },
                "rotation_degrees": { "type": "integer" },
                "landmarks": { "type": "array", "items": point }
            }
        }
    })
}

/// The OpenAPI 3.1 document for the current route table.
pub fn document(table: &RouteTable) -> Value {
    let mut paths = Map::new();
    for entry in table.iter() {
        paths.insert(
            format!("/v1/{}", entry.route),
            json!({ "post": operation(entry) }),
        );
    }
    let get = |summary: &str| {
        json!({ "get": { "summary": summary, "security": [{ "apiKey": [] }], "responses": {
            "200": { "description": "OK", "content": { "application/json": { "schema": { "type": "object" } } } }
        }}})
    };
    paths.insert(
        "/v1/routes".into(),
        get("Routes the caller's key may use, with their fields"),
    );
    paths.insert(
        "/v1/usage".into(),
        get("The caller's usage by route and status; billable total first"),
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "kycd",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Self-hosted identity verification: document OCR, faces, WhatsApp detail check. Every answer is {\"status\", \"message\"}; only OK is billable."
        },
        "components": {
            "securitySchemes": { "apiKey": {
                "type": "apiKey", "in": "header", "name": "Authorization",
                "description": "The API key, bare or as `Bearer <key>`"
            }},
            "schemas": debug_schemas()
        },
        "paths": paths
    })
}
