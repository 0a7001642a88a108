//! API keys: lookup by SHA-256 in constant time, route patterns, token-bucket rate limits.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use axum::http::HeaderMap;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::config::KeyConfig;

/// A key the caller presented and the configuration proved.
#[derive(Clone, Debug)]
pub struct Caller {
    /// Tenant name.
    pub name: String,
    /// SHA-256 hex of the key.
    pub key_hash: String,
    pub routes: Vec<String>,
    pub rate_per_sec: f64,
    pub burst: f64,
    pub callback_secret: Option<String>,
}

impl Caller {
    /// Whether one of the key's route patterns matches `route`.
    pub fn may_use(&self, route: &str) -> bool {
        self.routes.iter().any(|pattern| glob_match(pattern, route))
    }

    /// The secret WhatsApp callbacks are signed with.
    pub fn callback_secret(&self) -> &[u8] {
        self.callback_secret
            .as_deref()
            .unwrap_or(&self.key_hash)
            .as_bytes()
    }
}

/// The configured keys.
#[derive(Debug, Default)]
pub struct KeyRing {
    keys: Vec<([u8; 32], Caller)>,
}

impl KeyRing {
    pub fn new(configs: &[KeyConfig]) -> Self {
        let keys = configs
            .iter()
            .filter_map(|k| {
                let mut hash = [0u8; 32];
                hex::decode_to_slice(&k.sha256, &mut hash).ok()?;
                Some((
                    hash,
                    Caller {
                        name: k.name.clone(),
                        key_hash: k.sha256.to_ascii_lowercase(),
                        routes: k.routes.clone(),
                        rate_per_sec: k.rate_per_sec,
                        burst: k.burst,
                        callback_secret: k.callback_secret.clone(),
                    },
                ))
            })
            .collect();
        KeyRing { keys }
    }

    /// The tenant names of the configured keys.
    pub fn tenants(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|(_, caller)| caller.name.as_str())
    }

    /// Finds the key presented in `Authorization: <key>` or `Authorization: Bearer <key>`.
    /// Every stored hash is compared, in constant time, whatever matches.
    pub fn authenticate(&self, headers: &HeaderMap) -> Option<&Caller> {
        let presented = presented_key(headers)?;
        let hash: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        let mut found = None;
        for (stored, caller) in &self.keys {
            if bool::from(stored.ct_eq(&hash)) {
                found = Some(caller);
            }
        }
        found
    }
}

fn presented_key(headers: &HeaderMap) -> Option<&str> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .trim();
    let key = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .unwrap_or(value)
        .trim();
    (!key.is_empty()).then_some(key)
}

/// A fresh random key and its SHA-256, for `kycd key new`.
pub fn new_key() -> (String, String) {
    let key = format!("kycd_{}", uuid::Uuid::new_v4().simple());
    let hash = hex::encode(Sha256::digest(key.as_bytes()));
    (key, hash)
}

/// `*` matches any run of characters (including `/`); everything else matches itself.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// Token buckets per tenant. Survive configuration reloads (keyed by tenant name).
#[derive(Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<String, Bucket>>,
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl RateLimiter {
    /// Takes one token; `Err(seconds)` to wait when the bucket is empty.
    pub fn take(&self, caller: &Caller) -> Result<(), u64> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = buckets.entry(caller.name.clone()).or_insert(Bucket {
            tokens: caller.burst,
            updated: now,
        });
        let elapsed = now.duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * caller.rate_per_sec).min(caller.burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / caller.rate_per_sec)
                .ceil()
                .max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_give_regional_subsets() {
        assert!(glob_match("ocr/de/*", "ocr/de/id-card"));
        assert!(!glob_match("ocr/de/*", "ocr/nl/id-card"));
        assert!(glob_match("ocr/*/id-card", "ocr/se/id-card"));
        assert!(!glob_match("ocr/*/id-card", "ocr/de/driving-licence"));
        assert!(glob_match("face/*", "face/search/add"));
        assert!(glob_match("*", "whatsapp/detail"));
        assert!(!glob_match("face/compare", "face/compare/x"));
    }

    #[test]
    fn bearer_and_bare_keys_authenticate() {
        let hash = hex::encode(Sha256::digest(b"secret-key"));
        let ring = KeyRing::new(&[KeyConfig {
            name: "acme".into(),
            sha256: hash,
            routes: vec!["*".into()],
            rate_per_sec: 1.0,
            burst: 1.0,
            callback_secret: None,
        }]);
        for value in ["secret-key", "Bearer secret-key"] {
            let mut headers = HeaderMap::new();
            headers.insert("authorization", value.parse().unwrap());
            assert_eq!(ring.authenticate(&headers).unwrap().name, "acme");
        }
        let mut headers = HeaderMap::new();
        headers.insert("authorization", "wrong".parse().unwrap());
        assert!(ring.authenticate(&headers).is_none());
    }

    #[test]
    fn bucket_refuses_past_burst() {
        let limiter = RateLimiter::default();
        let caller = Caller {
            name: "t".into(),
            key_hash: String::new(),
            routes: vec![],
            rate_per_sec: 0.5,
            burst: 2.0,
            callback_secret: None,
        };
        assert!(limiter.take(&caller).is_ok());
        assert!(limiter.take(&caller).is_ok());
        assert_eq!(limiter.take(&caller), Err(2));
    }
}
