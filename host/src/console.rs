//! The web console (`GET /`) and the API reference page (`GET /docs`): static assets embedded in
//! the binary (`src/console/`), no CDN and no build step. The console talks to the same `/v1/`
//! API as any client, with the key the user types; see `docs/console.md`.

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request};
use axum::response::{IntoResponse, Response};

use crate::answer::{Answer, Status};

/// One embedded file: its URL path, content type and bytes.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const ASSETS: [Asset; 6] = [
    Asset {
        path: "/",
        content_type: "text/html; charset=utf-8",
        body: include_str!("console/index.html"),
    },
    Asset {
        path: "/docs",
        content_type: "text/html; charset=utf-8",
        body: include_str!("console/docs.html"),
    },
    Asset {
        path: "/console/console.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("console/console.js"),
    },
    Asset {
        path: "/console/docs.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("console/docs.js"),
    },
    Asset {
        path: "/console/console.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("console/console.css"),
    },
    Asset {
        path: "/favicon.ico",
        content_type: "image/svg+xml",
        body: "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><rect width='16' height='16' rx='3' fill='#1f6feb'/></svg>",
    },
];

/// Only this origin's scripts and styles; images only from the files the user picks (`blob:`).
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' blob: data:; \
     object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// The URL paths the console serves (for the router).
pub fn paths() -> impl Iterator<Item = &'static str> {
    ASSETS.iter().map(|a| a.path)
}

/// Serves an embedded asset (`GET` and `HEAD`); other methods get the JSON 405.
pub async fn serve(request: Request<Body>) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut response =
            Answer::error(Status::MethodNotAllowed, "use GET".to_string()).into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let path = request.uri().path();
    let Some(asset) = ASSETS.iter().find(|a| a.path == path) else {
        return Answer::error(Status::NotFound, format!("no such endpoint {path}")).into_response();
    };
    (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        asset.body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_reference_only_embedded_assets() {
        for page in ["/", "/docs"] {
            let html = ASSETS.iter().find(|a| a.path == page).unwrap().body;
            for reference in html
                .split(['"', '\''])
                .filter(|s| s.starts_with("/console/"))
            {
                assert!(
                    ASSETS.iter().any(|a| a.path == reference),
                    "{page} references {reference}, which is not embedded"
                );
            }
            assert!(
                !html.contains("http://") && !html.contains("https://"),
                "{page} loads something from outside"
            );
        }
    }
}
