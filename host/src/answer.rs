//! The API contract: every answer is `{"status": ..., "message": ...}` with an HTTP code fixed by
//! the status.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// Every status kycd answers with. Only [`Status::Ok`] is billable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    Ok,
    Fail,
    ImageRecognizeError,
    InvalidRequest,
    InvalidInput,
    ImageInvalidFormat,
    ImageInvalidSize,
    RetryLater,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    NotAcceptable,
    PayloadTooLarge,
    RateLimited,
    /// Face statuses (issue: face routes).
    FaceDetectFailed,
    ImageAFaceDetectFailed,
    ImageBFaceDetectFailed,
    InvalidFaceNum,
    PersonIdNotExist,
}

impl Status {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::Fail => "FAIL",
            Status::ImageRecognizeError => "IMAGE_RECOGNIZE_ERROR",
            Status::InvalidRequest => "INVALID_REQUEST",
            Status::InvalidInput => "INVALID_INPUT",
            Status::ImageInvalidFormat => "IMAGE_INVALID_FORMAT",
            Status::ImageInvalidSize => "IMAGE_INVALID_SIZE",
            Status::RetryLater => "RETRY_LATER",
            Status::Unauthorized => "UNAUTHORIZED",
            Status::Forbidden => "FORBIDDEN",
            Status::NotFound => "NOT_FOUND",
            Status::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            Status::NotAcceptable => "NOT_ACCEPTABLE",
            Status::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            Status::RateLimited => "RATE_LIMITED",
            Status::FaceDetectFailed => "FACE_DETECT_FAILED",
            Status::ImageAFaceDetectFailed => "IMAGEA_FACE_DETECT_FAILED",
            Status::ImageBFaceDetectFailed => "IMAGEB_FACE_DETECT_FAILED",
            Status::InvalidFaceNum => "INVALID_FACE_NUM",
            Status::PersonIdNotExist => "PERSON_ID_NOT_EXIST",
        }
    }

    /// The HTTP code: 200 for recognition outcomes, 4xx for the caller's mistakes, 503 for
    /// `RETRY_LATER`.
    pub fn http_code(self) -> StatusCode {
        match self {
            Status::Ok
            | Status::Fail
            | Status::ImageRecognizeError
            | Status::FaceDetectFailed
            | Status::ImageAFaceDetectFailed
            | Status::ImageBFaceDetectFailed
            | Status::InvalidFaceNum
            | Status::PersonIdNotExist => StatusCode::OK,
            Status::InvalidRequest
            | Status::InvalidInput
            | Status::ImageInvalidFormat
            | Status::ImageInvalidSize => StatusCode::BAD_REQUEST,
            Status::Unauthorized => StatusCode::UNAUTHORIZED,
            Status::Forbidden => StatusCode::FORBIDDEN,
            Status::NotFound => StatusCode::NOT_FOUND,
            Status::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Status::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
            Status::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Status::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Status::RetryLater => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// Whether the answer is counted as billable in the usage ledger.
    pub fn billable(self) -> bool {
        self == Status::Ok
    }

    /// Parses a wire name (used for statuses produced by built-in services).
    pub fn from_wire(name: &str) -> Option<Status> {
        ALL.iter().copied().find(|s| s.as_str() == name)
    }
}

const ALL: [Status; 20] = [
    Status::Ok,
    Status::Fail,
    Status::ImageRecognizeError,
    Status::InvalidRequest,
    Status::InvalidInput,
    Status::ImageInvalidFormat,
    Status::ImageInvalidSize,
    Status::RetryLater,
    Status::Unauthorized,
    Status::Forbidden,
    Status::NotFound,
    Status::MethodNotAllowed,
    Status::NotAcceptable,
    Status::PayloadTooLarge,
    Status::RateLimited,
    Status::FaceDetectFailed,
    Status::ImageAFaceDetectFailed,
    Status::ImageBFaceDetectFailed,
    Status::InvalidFaceNum,
    Status::PersonIdNotExist,
];

/// One answer: a status and its message (fields on success, an explanation otherwise).
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: Status,
    pub message: Value,
    /// Overrides [`Status::billable`] for services whose billing differs (e.g. a free `OK`).
    pub billable: Option<bool>,
    /// Seconds for a `Retry-After` header (rate limiting, overload).
    pub retry_after: Option<u64>,
    /// With `debug=1`: the geometry the vision services found (see `geometry.rs`), answered as
    /// the top-level `debug` key beside `status` and `message`.
    pub debug: Option<Box<Value>>,
}

impl Answer {
    pub fn ok(message: Value) -> Self {
        Answer {
            status: Status::Ok,
            message,
            billable: None,
            retry_after: None,
            debug: None,
        }
    }

    pub fn error(status: Status, message: impl Into<String>) -> Self {
        Answer {
            status,
            message: Value::String(message.into()),
            billable: None,
            retry_after: None,
            debug: None,
        }
    }

    pub fn with_status(status: Status, message: Value) -> Self {
        Answer {
            status,
            message,
            billable: None,
            retry_after: None,
            debug: None,
        }
    }

    pub fn free(mut self) -> Self {
        self.billable = Some(false);
        self
    }

    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    pub fn is_billable(&self) -> bool {
        self.billable.unwrap_or(self.status.billable())
    }

    /// Attaches the `debug` payload.
    pub fn with_debug(mut self, debug: Value) -> Self {
        self.debug = Some(Box::new(debug));
        self
    }

    pub fn body(&self) -> Value {
        let mut body = json!({ "status": self.status.as_str(), "message": self.message });
        if let Some(debug) = &self.debug {
            body["debug"] = (**debug).clone();
        }
        body
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let mut response = (self.status.http_code(), axum::Json(self.body())).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert("retry-after", HeaderValue::from(seconds));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip_and_only_ok_is_billable() {
        for status in ALL {
            assert_eq!(Status::from_wire(status.as_str()), Some(status));
            assert_eq!(status.billable(), status == Status::Ok);
        }
    }
}
