//! What an extract function returns: fields, or a typed error.

use abi_stable::std_types::{RString, RVec};
use abi_stable::StableAbi;

/// Whether a field's value passed the checks that apply to it (check digits, patterns, date
/// plausibility).
#[repr(transparent)]
#[derive(StableAbi, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Validity(pub u8);

impl Validity {
    /// No check applies to this field.
    pub const UNCHECKED: Validity = Validity(0);
    /// Every check that applies passed.
    pub const VALID: Validity = Validity(1);
    /// A check failed; the value is still returned as read.
    pub const INVALID: Validity = Validity(2);

    /// `VALID` when `ok`, else `INVALID`.
    pub fn from_check(ok: bool) -> Self {
        if ok {
            Self::VALID
        } else {
            Self::INVALID
        }
    }

    /// `Some(true/false)` for a checked field, `None` when unchecked.
    pub fn as_option(self) -> Option<bool> {
        match self {
            Self::VALID => Some(true),
            Self::INVALID => Some(false),
            _ => None,
        }
    }
}

/// One extracted field.
#[repr(C)]
#[derive(StableAbi, Clone, Debug)]
pub struct Field {
    /// The exact JSON key (as declared in the manifest).
    pub key: RString,
    /// The value as printed on the document; empty when the document model does not print it.
    pub value: RString,
    /// 0.0 to 1.0.
    pub confidence: f32,
    /// Outcome of validation.
    pub valid: Validity,
    /// Where the value came from: `ocr`, `mrz`, `qr`, `pdf417`, or `derived`.
    pub source: RString,
}

impl Field {
    /// A field read by OCR, unchecked.
    pub fn ocr(key: &str, value: impl Into<String>, confidence: f32) -> Self {
        Field {
            key: key.into(),
            value: RString::from(value.into()),
            confidence,
            valid: Validity::UNCHECKED,
            source: "ocr".into(),
        }
    }

    /// A field that is not printed on this document model: empty value, full confidence.
    pub fn absent(key: &str) -> Self {
        Field {
            source: "none".into(),
            confidence: 1.0,
            ..Field::ocr(key, "", 1.0)
        }
    }

    /// Sets the validity.
    pub fn checked(mut self, valid: bool) -> Self {
        self.valid = Validity::from_check(valid);
        self
    }

    /// Sets the source.
    pub fn from_source(mut self, source: &str) -> Self {
        self.source = source.into();
        self
    }
}

/// A successful extraction.
#[repr(C)]
#[derive(StableAbi, Clone, Debug, Default)]
pub struct Extraction {
    /// The fields, in manifest order.
    pub fields: RVec<Field>,
    /// A JSON object (or an empty string) with anything else worth showing under `details=1`:
    /// the side read, cross-check results, QR-vs-print agreement. Merged into the details payload.
    pub details_json: RString,
}

impl Extraction {
    /// An extraction from fields, with no extra details.
    pub fn new(fields: Vec<Field>) -> Self {
        Extraction {
            fields: fields.into(),
            details_json: RString::new(),
        }
    }

    /// Attaches extra details (a JSON object).
    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details_json = details.to_string().into();
        self
    }

    /// The value of a field by key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.key.as_str() == key)
            .map(|f| f.value.as_str())
    }
}

/// Why an extraction did not succeed.
#[repr(transparent)]
#[derive(StableAbi, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorKind(pub u8);

impl ErrorKind {
    /// The image is not this document (another card, a selfie, a blank scene):
    /// `IMAGE_RECOGNIZE_ERROR`.
    pub const NOT_THIS_DOCUMENT: ErrorKind = ErrorKind(0);
    /// It is this document but it could not be read well enough: `FAIL`.
    pub const UNREADABLE: ErrorKind = ErrorKind(1);
    /// The plugin panicked; set by [`crate::export_plugin!`], never by plugin code:
    /// `RETRY_LATER`.
    pub const PANICKED: ErrorKind = ErrorKind(2);
    /// The plugin was asked for a route it does not serve: `INVALID_REQUEST`.
    pub const UNKNOWN_ROUTE: ErrorKind = ErrorKind(3);
}

/// A typed extraction error with a message for the client (never personal data).
#[repr(C)]
#[derive(StableAbi, Clone, Debug)]
pub struct ExtractError {
    /// What went wrong.
    pub kind: ErrorKind,
    /// A short explanation for the client, e.g. "no id or name found".
    pub message: RString,
}

impl ExtractError {
    /// `IMAGE_RECOGNIZE_ERROR`: not this document.
    pub fn not_this_document(message: &str) -> Self {
        ExtractError {
            kind: ErrorKind::NOT_THIS_DOCUMENT,
            message: message.into(),
        }
    }

    /// `FAIL`: this document, but unreadable.
    pub fn unreadable(message: &str) -> Self {
        ExtractError {
            kind: ErrorKind::UNREADABLE,
            message: message.into(),
        }
    }

    /// The plugin does not serve this route.
    pub fn unknown_route(route: &str) -> Self {
        ExtractError {
            kind: ErrorKind::UNKNOWN_ROUTE,
            message: format!("route {route} is not served by this plugin").into(),
        }
    }
}
