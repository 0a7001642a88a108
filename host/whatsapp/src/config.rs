//! The `[whatsapp]` section of `plugins.toml`.

use serde::Deserialize;

/// Settings of the WhatsApp detail check. Every field has a default, so an
/// empty (or absent) `[whatsapp]` section is valid and leaves the check
/// disabled.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WhatsappConfig {
    /// Where lookups go. Default: `disabled`.
    pub provider: ProviderConfig,
    /// How long a looked-up result answers from the store (seconds). 0 disables the cache.
    pub cache_ttl_secs: u64,
    /// Number of concurrent lookups against the upstream.
    pub workers: usize,
    /// Extra attempts per lookup after the first one fails.
    pub retries: u32,
    /// Base delay between attempts (milliseconds); doubles on each retry.
    pub backoff_ms: u64,
    /// Consecutive upstream failures that open the circuit breaker.
    pub breaker_failures: u32,
    /// How long an open breaker refuses upstream calls before one probe is let through.
    pub breaker_cooldown_secs: u64,
    /// Rounds of (1 + `retries`) attempts a queued number gets before it is dropped.
    pub max_job_attempts: u32,
    /// Callback host names or IP addresses allowed even though they resolve to
    /// loopback/private/link-local addresses (the SSRF guard refuses those otherwise).
    pub callback_allowlist: Vec<String>,
    /// Extra delivery attempts for a callback after the first one fails.
    pub callback_retries: u32,
    /// Time limit of one callback delivery (milliseconds).
    pub callback_timeout_ms: u64,
}

impl Default for WhatsappConfig {
    fn default() -> Self {
        Self {
            provider: ProviderConfig::Disabled,
            cache_ttl_secs: 7 * 24 * 3600,
            workers: 2,
            retries: 2,
            backoff_ms: 500,
            breaker_failures: 5,
            breaker_cooldown_secs: 30,
            max_job_attempts: 10,
            callback_allowlist: Vec::new(),
            callback_retries: 5,
            callback_timeout_ms: 5_000,
        }
    }
}

/// Which upstream answers lookups (`kind = "disabled"` or `kind = "http"`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ProviderConfig {
    /// No upstream: every uncached request answers `RETRY_LATER`.
    #[default]
    Disabled,
    /// A JSON-over-HTTP upstream.
    Http(Box<HttpProviderConfig>),
}

/// A JSON-over-HTTP upstream.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpProviderConfig {
    /// URL with a `{number}` placeholder, replaced by the URL-encoded E.164 number
    /// (e.g. `https://lookup.example/v1/wa/{number}`).
    pub url_template: String,
    /// HTTP method.
    #[serde(default)]
    pub method: HttpMethod,
    /// Optional JSON request body (POST); `{number}` is replaced by the E.164 number.
    #[serde(default)]
    pub body_template: Option<String>,
    /// Optional authentication header name (e.g. `Authorization`).
    #[serde(default)]
    pub auth_header: Option<String>,
    /// Value of `auth_header`.
    #[serde(default)]
    pub auth_value: Option<String>,
    /// Environment variable that holds the value of `auth_header` (instead of `auth_value`).
    #[serde(default)]
    pub auth_value_env: Option<String>,
    /// Time limit of one upstream call (milliseconds).
    #[serde(default = "default_upstream_timeout_ms")]
    pub timeout_ms: u64,
    /// Where each answer field sits in the upstream's JSON (RFC 6901 JSON pointers).
    #[serde(default)]
    pub fields: FieldMapping,
}

fn default_upstream_timeout_ms() -> u64 {
    5_000
}

/// HTTP method of the upstream call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    /// `GET`
    #[default]
    Get,
    /// `POST`
    Post,
}

/// JSON pointers into the upstream's response body. Defaults assume the
/// upstream already answers `{"whatsapp":..,"status_update":..,"signature":..,"business_user":..,"avatar":..}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FieldMapping {
    /// Whether the number has WhatsApp: boolean, `"yes"`/`"no"`, `"true"`/`"false"` or 1/0.
    pub whatsapp: String,
    /// Date of the last status/"about" update (`YYYYMMDD` or `YYYY-MM-DD...`).
    pub status_update: String,
    /// The profile's "about" text.
    pub signature: String,
    /// Whether the account is a business account.
    pub business_user: String,
    /// Whether the account has a profile picture.
    pub avatar: String,
}

impl Default for FieldMapping {
    fn default() -> Self {
        Self {
            whatsapp: "/whatsapp".into(),
            status_update: "/status_update".into(),
            signature: "/signature".into(),
            business_user: "/business_user".into(),
            avatar: "/avatar".into(),
        }
    }
}
