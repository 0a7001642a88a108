//! WhatsApp detail check (`whatsapp/detail` route). See `docs/whatsapp.md`.
//!
//! The host owns HTTP, auth and billing; this crate owns the behaviour:
//! number normalisation, the result cache and the durable queue (both in the
//! host's SQLite file), the upstream provider with retries and a circuit
//! breaker, and signed callbacks behind an SSRF guard.
//!
//! ```no_run
//! # async fn demo(config: kycd_whatsapp::WhatsappConfig) -> anyhow::Result<()> {
//! use std::collections::HashMap;
//! let service = kycd_whatsapp::WhatsappService::start(config, "kycd.db".as_ref()).await?;
//! let params = HashMap::from([("number".to_string(), "0917 123 4567".to_string()),
//!                             ("country".to_string(), "PH".to_string())]);
//! let answer = service.detail("acme", b"per-key secret", &params).await;
//! println!("{}", answer.body()); // {"status":"OK","message":{...}}
//! service.shutdown().await;
//! # Ok(()) }
//! ```

pub mod breaker;
pub mod callback;
pub mod config;
pub mod number;
pub mod provider;
mod service;
pub mod ssrf;
mod store;
mod worker;

pub use config::{FieldMapping, HttpMethod, HttpProviderConfig, ProviderConfig, WhatsappConfig};
pub use provider::Detail;
pub use service::{Answer, WhatsappService};
pub use ssrf::{Resolve, SystemResolver};
