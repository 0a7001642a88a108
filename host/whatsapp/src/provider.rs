//! Upstream providers that answer "does this number have WhatsApp?".

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use anyhow::{bail, Context};
use reqwest::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use serde_json::Value;

use crate::config::{FieldMapping, HttpMethod, HttpProviderConfig};

/// A boxed, sendable future (keeps the provider trait object-safe).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The looked-up detail of one number.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Detail {
    /// Whether the number has a WhatsApp account.
    pub whatsapp: bool,
    /// Date of the last status update, `YYYYMMDD`.
    pub status_update: Option<String>,
    /// The profile's "about" text.
    pub signature: Option<String>,
    /// Whether it is a business account.
    pub business_user: Option<bool>,
    /// Whether it has a profile picture.
    pub avatar: Option<bool>,
}

impl Detail {
    /// A number without WhatsApp.
    pub fn absent() -> Self {
        Self::default()
    }
}

/// Why a lookup failed (every variant counts against the circuit breaker).
/// Messages never contain the number.
#[derive(Debug, thiserror::Error)]
pub enum UpstreamError {
    /// Connection, TLS or timeout error.
    #[error("upstream unreachable: {0}")]
    Transport(String),
    /// The upstream answered with an error status.
    #[error("upstream answered HTTP {0}")]
    Status(u16),
    /// The upstream's answer could not be understood.
    #[error("upstream answer not understood: {0}")]
    Response(String),
}

/// An upstream that looks numbers up.
pub trait Provider: Send + Sync {
    /// Looks up one E.164 number.
    fn lookup<'a>(&'a self, e164: &'a str) -> BoxFuture<'a, Result<Detail, UpstreamError>>;
}

/// Biggest upstream answer read (bytes).
const MAX_BODY: usize = 256 * 1024;

/// The configurable JSON-over-HTTP upstream.
pub struct HttpProvider {
    client: reqwest::Client,
    url_template: String,
    method: HttpMethod,
    body_template: Option<String>,
    auth: Option<(HeaderName, HeaderValue)>,
    fields: FieldMapping,
}

impl HttpProvider {
    /// Checks the configuration and builds the HTTP client.
    pub fn new(config: &HttpProviderConfig) -> anyhow::Result<Self> {
        if !config.url_template.contains("{number}") {
            bail!("[whatsapp.provider] url_template must contain {{number}}");
        }
        let probe = config.url_template.replace("{number}", "%2B10000000000");
        let url =
            reqwest::Url::parse(&probe).context("[whatsapp.provider] url_template is not a URL")?;
        if !matches!(url.scheme(), "http" | "https") {
            bail!("[whatsapp.provider] url_template must be http or https");
        }
        let auth = match &config.auth_header {
            None => None,
            Some(name) => {
                let value = match (&config.auth_value, &config.auth_value_env) {
                    (Some(value), _) => value.clone(),
                    (None, Some(var)) => std::env::var(var).with_context(|| {
                        format!("[whatsapp.provider] auth_value_env: environment variable {var} is not set")
                    })?,
                    (None, None) => bail!("[whatsapp.provider] auth_header needs auth_value or auth_value_env"),
                };
                let name = HeaderName::from_bytes(name.as_bytes())
                    .context("[whatsapp.provider] auth_header is not a valid header name")?;
                let mut value = HeaderValue::from_str(&value)
                    .context("[whatsapp.provider] auth value is not a valid header value")?;
                value.set_sensitive(true);
                Some((name, value))
            }
        };
        for pointer in [
            &config.fields.whatsapp,
            &config.fields.status_update,
            &config.fields.signature,
            &config.fields.business_user,
            &config.fields.avatar,
        ] {
            if !pointer.is_empty() && !pointer.starts_with('/') {
                bail!("[whatsapp.provider.fields] '{pointer}' is not a JSON pointer (must start with '/')");
            }
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(config.timeout_ms.max(1)))
            .redirect(reqwest::redirect::Policy::limited(3))
            .user_agent("kycd-whatsapp")
            .build()
            .context("building the upstream HTTP client")?;
        Ok(Self {
            client,
            url_template: config.url_template.clone(),
            method: config.method,
            body_template: config.body_template.clone(),
            auth,
            fields: config.fields.clone(),
        })
    }

    async fn call(&self, e164: &str) -> Result<Detail, UpstreamError> {
        // E.164 is '+' and digits only, so this is the full URL-encoding.
        let url = self
            .url_template
            .replace("{number}", &e164.replace('+', "%2B"));
        let method = match self.method {
            HttpMethod::Get => reqwest::Method::GET,
            HttpMethod::Post => reqwest::Method::POST,
        };
        let mut request = self.client.request(method, url);
        if let Some((name, value)) = &self.auth {
            request = request.header(name.clone(), value.clone());
        }
        if let Some(body) = &self.body_template {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.replace("{number}", e164));
        }
        // `without_url`: the URL holds the number, which must not reach the logs.
        let transport = |e: reqwest::Error| UpstreamError::Transport(e.without_url().to_string());
        let response = request.send().await.map_err(transport)?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_FOUND {
            return Ok(Detail::absent());
        }
        if !status.is_success() {
            return Err(UpstreamError::Status(status.as_u16()));
        }
        if response
            .content_length()
            .is_some_and(|len| len > MAX_BODY as u64)
        {
            return Err(UpstreamError::Response("body too large".into()));
        }
        let body = response.bytes().await.map_err(transport)?;
        if body.len() > MAX_BODY {
            return Err(UpstreamError::Response("body too large".into()));
        }
        let json: Value = serde_json::from_slice(&body)
            .map_err(|e| UpstreamError::Response(format!("not JSON ({e})")))?;
        map_fields(&json, &self.fields)
    }
}

impl Provider for HttpProvider {
    fn lookup<'a>(&'a self, e164: &'a str) -> BoxFuture<'a, Result<Detail, UpstreamError>> {
        Box::pin(self.call(e164))
    }
}

/// Reads the mapped fields from the upstream's JSON answer.
pub fn map_fields(json: &Value, fields: &FieldMapping) -> Result<Detail, UpstreamError> {
    let field = |pointer: &str| -> Option<&Value> {
        if pointer.is_empty() {
            return None;
        }
        json.pointer(pointer).filter(|v| !v.is_null())
    };
    let whatsapp = field(&fields.whatsapp)
        .ok_or_else(|| UpstreamError::Response(format!("no value at {}", fields.whatsapp)))?;
    let whatsapp = as_flag(whatsapp).ok_or_else(|| {
        UpstreamError::Response(format!("value at {} is not yes/no", fields.whatsapp))
    })?;
    if !whatsapp {
        return Ok(Detail::absent());
    }
    Ok(Detail {
        whatsapp,
        status_update: field(&fields.status_update)
            .and_then(as_text)
            .map(|s| compact_date(&s)),
        signature: field(&fields.signature).and_then(as_text),
        business_user: field(&fields.business_user).and_then(as_flag),
        avatar: field(&fields.avatar).and_then(as_flag),
    })
}

fn as_flag(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" | "1" => Some(true),
            "no" | "n" | "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `2018-08-25` or `2018-08-25T10:00:00Z` -> `20180825`; anything else is kept.
fn compact_date(text: &str) -> String {
    let text = text.trim();
    let b = text.as_bytes();
    let iso = b.len() >= 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit());
    if iso {
        return format!("{}{}{}", &text[0..4], &text[5..7], &text[8..10]);
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_default_fields() {
        let detail = map_fields(
            &json!({"whatsapp": true, "status_update": "2018-08-25", "signature": "hi", "business_user": "no", "avatar": 1}),
            &FieldMapping::default(),
        )
        .unwrap();
        assert_eq!(
            detail,
            Detail {
                whatsapp: true,
                status_update: Some("20180825".into()),
                signature: Some("hi".into()),
                business_user: Some(false),
                avatar: Some(true)
            }
        );
    }

    #[test]
    fn explicit_false_is_absent_and_missing_field_is_an_error() {
        let fields = FieldMapping {
            whatsapp: "/data/exists".into(),
            ..FieldMapping::default()
        };
        assert_eq!(
            map_fields(&json!({"data": {"exists": false}}), &fields).unwrap(),
            Detail::absent()
        );
        assert!(map_fields(&json!({"data": {}}), &fields).is_err());
        assert!(map_fields(&json!({"data": {"exists": "maybe"}}), &fields).is_err());
    }
}
