//! Signed result callbacks: `GET <callback>?number=..&whatsapp=..` with
//! `X-Kycd-Signature: sha256=<hex HMAC-SHA256 of the query string>`.

use std::net::SocketAddr;
use std::time::Duration;

use hmac::{Hmac, Mac};
use reqwest::Url;
use sha2::Sha256;

use crate::provider::Detail;

/// Header that carries the signature.
pub const SIGNATURE_HEADER: &str = "X-Kycd-Signature";

/// The answer fields, in the order they appear in answers and callbacks.
pub fn answer_fields(e164: &str, detail: &Detail) -> Vec<(&'static str, String)> {
    let flag = |b: Option<bool>| match b {
        Some(true) => "yes".to_string(),
        Some(false) => "no".to_string(),
        None => String::new(),
    };
    let mut fields = vec![("number", e164.to_string())];
    if detail.whatsapp {
        fields.extend([
            ("whatsapp", "yes".to_string()),
            (
                "status_update",
                detail.status_update.clone().unwrap_or_default(),
            ),
            ("signature", detail.signature.clone().unwrap_or_default()),
            ("business_user", flag(detail.business_user)),
            ("avatar", flag(detail.avatar)),
        ]);
    } else {
        fields.push(("whatsapp", "no".to_string()));
    }
    fields
}

/// The callback URL with the result appended to its query string
/// (form-URL-encoded, so `+` becomes `%2B`).
pub fn send_url(callback: &str, e164: &str, detail: &Detail) -> Option<String> {
    let mut url = Url::parse(callback).ok()?;
    url.set_fragment(None);
    {
        let mut query = url.query_pairs_mut();
        for (key, value) in answer_fields(e164, detail) {
            query.append_pair(key, &value);
        }
    }
    Some(url.into())
}

/// `sha256=<hex>` HMAC-SHA256 of `query` with `secret`.
pub fn sign(secret: &[u8], query: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(query.as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Why a delivery failed (never contains the URL or the number).
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The stored URL or address is unusable (not retried).
    #[error("callback is malformed")]
    Malformed,
    /// Connection or timeout error.
    #[error("callback unreachable: {0}")]
    Transport(String),
    /// The receiver did not answer 2xx.
    #[error("callback receiver answered HTTP {0}")]
    Status(u16),
}

/// Sends one callback to the pinned address (no DNS lookup, no redirects, no proxy).
pub async fn deliver(
    send_url: &str,
    pinned_addr: &str,
    secret: &[u8],
    timeout: Duration,
) -> Result<(), DeliveryError> {
    let url = Url::parse(send_url).map_err(|_| DeliveryError::Malformed)?;
    let pinned: SocketAddr = pinned_addr.parse().map_err(|_| DeliveryError::Malformed)?;
    let mut builder = reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent("kycd-whatsapp-callback");
    match url.host() {
        Some(url::Host::Domain(name)) => builder = builder.resolve(name, pinned),
        Some(url::Host::Ipv4(_) | url::Host::Ipv6(_)) => {}
        None => return Err(DeliveryError::Malformed),
    }
    let client = builder
        .build()
        .map_err(|e| DeliveryError::Transport(e.without_url().to_string()))?;
    let signature = sign(secret, url.query().unwrap_or(""));
    let response = client
        .get(url)
        .header(SIGNATURE_HEADER, signature)
        .send()
        .await
        .map_err(|e| DeliveryError::Transport(e.without_url().to_string()))?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(DeliveryError::Status(response.status().as_u16()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_encoded_in_order() {
        let detail = Detail {
            whatsapp: true,
            status_update: Some("20180825".into()),
            signature: Some("hi there & more".into()),
            business_user: Some(false),
            avatar: Some(true),
        };
        let url = send_url(
            "https://cb.example/hook?ref=7#frag",
            "+6284921089722",
            &detail,
        )
        .unwrap();
        assert_eq!(
            url,
            "https://cb.example/hook?ref=7&number=%2B6284921089722&whatsapp=yes&status_update=20180825\
             &signature=hi+there+%26+more&business_user=no&avatar=yes"
        );
        let no = send_url("http://cb.example/", "+639171234567", &Detail::absent()).unwrap();
        assert_eq!(no, "http://cb.example/?number=%2B639171234567&whatsapp=no");
    }

    #[test]
    fn signature_is_rfc4231_hmac() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign(b"Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
