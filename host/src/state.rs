//! Shared state of a running host.

use std::path::PathBuf;
use std::sync::Arc;

use arc_swap::ArcSwap;
use tokio::sync::Semaphore;

use crate::auth::{KeyRing, RateLimiter};
use crate::config::{Config, PluginsConfig, ServerConfig};
use crate::face::FaceConfig;
use crate::imagein::ImageLimits;
use crate::metrics::Metrics;
use crate::routes::RouteTable;
use crate::signatures::SignatureKeys;
use crate::store::Store;

/// The parts of the configuration that change without a restart.
pub struct LiveConfig {
    pub keys: KeyRing,
    pub plugins: PluginsConfig,
    pub face: Arc<FaceConfig>,
    pub signatures: Arc<SignatureKeys>,
}

impl LiveConfig {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        Ok(LiveConfig {
            keys: KeyRing::new(&config.keys),
            plugins: config.plugins.clone(),
            face: Arc::new(
                FaceConfig::from_table(&config.face).map_err(|e| anyhow::anyhow!("[face]: {e}"))?,
            ),
            signatures: Arc::new(SignatureKeys::load(&config.signature_keys)?),
        })
    }
}

/// Everything a request handler needs.
pub struct AppState {
    pub config_path: PathBuf,
    /// Read at start-up only.
    pub server: ServerConfig,
    pub live: ArcSwap<LiveConfig>,
    pub table: ArcSwap<RouteTable>,
    pub limiter: RateLimiter,
    pub store: Store,
    pub vision: Arc<kycd_vision::Vision>,
    /// CPU-bound work (decoding, models) runs on at most this many requests at once.
    pub workers: Semaphore,
    pub metrics: Metrics,
    pub whatsapp: Arc<kycd_whatsapp::WhatsappService>,
    pub gallery: Arc<kycd_gallery::Gallery>,
}

impl AppState {
    pub fn image_limits(&self) -> ImageLimits {
        ImageLimits {
            max_bytes: self.server.max_image_bytes,
            max_pixels: self.server.max_pixels,
        }
    }

    /// Where private copies of plugin libraries are written before loading.
    pub fn plugin_cache_dir(&self) -> PathBuf {
        self.server.data_dir.join("plugin-cache")
    }
}
