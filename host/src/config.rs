//! `plugins.toml`: which plugins load, where the models are, which API keys may use which routes.
//!
//! Everything but `[server]` can change while the host runs; see `docs/architecture.md`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::Deserialize;

/// The whole configuration file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub server: ServerConfig,
    #[serde(default)]
    pub models: ModelsConfig,
    #[serde(default)]
    pub plugins: PluginsConfig,
    #[serde(default)]
    pub keys: Vec<KeyConfig>,
    #[serde(default)]
    pub face: toml::Table,
    #[serde(default)]
    pub whatsapp: toml::Table,
    /// `[signature_keys]`: public keys (certificate or PEM key files) by the name plugins ask
    /// for, e.g. `uidai` for Aadhaar Secure QR signatures.
    #[serde(default)]
    pub signature_keys: std::collections::BTreeMap<String, PathBuf>,
}

/// `[server]`: read at start-up only.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Listening address; `KYCD_LISTEN` overrides it.
    pub listen: String,
    /// Where the embedded store and the private plugin copies live.
    pub data_dir: PathBuf,
    /// Transport limit for a request body (413 above it).
    pub max_body_bytes: usize,
    /// Limit for one decoded image parameter (`IMAGE_INVALID_SIZE` above it).
    pub max_image_bytes: usize,
    /// Pixel budget for one image (`IMAGE_INVALID_SIZE` above it, checked before decoding).
    pub max_pixels: u64,
    /// Requests processed at once; more wait in line up to `queue_timeout_ms`.
    pub workers: usize,
    /// How long a request may wait for a worker before `RETRY_LATER`.
    pub queue_timeout_ms: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: "127.0.0.1:8080".into(),
            data_dir: "data".into(),
            max_body_bytes: 8 * 1024 * 1024,
            max_image_bytes: 2 * 1024 * 1024,
            max_pixels: 40_000_000,
            workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            queue_timeout_ms: 10_000,
        }
    }
}

/// `[models]`: the shared vision runtime.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ModelsConfig {
    pub dir: PathBuf,
    /// Intra-op threads per model session.
    pub threads: usize,
    /// Sessions per model: how many requests can run one model at the same time.
    pub sessions: usize,
}

impl Default for ModelsConfig {
    fn default() -> Self {
        ModelsConfig {
            dir: "models".into(),
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            sessions: 1,
        }
    }
}

/// `[plugins]`: where plugin libraries are and which of them are enabled.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PluginsConfig {
    /// Directory scanned (and watched) for `libkycd_plugin_*.so`.
    pub dir: PathBuf,
    /// Plugin ids to serve; `"*"` serves every plugin found.
    pub enabled: Vec<String>,
}

impl Default for PluginsConfig {
    fn default() -> Self {
        PluginsConfig {
            dir: "target/release".into(),
            enabled: vec!["*".into()],
        }
    }
}

impl PluginsConfig {
    pub fn is_enabled(&self, id: &str) -> bool {
        self.enabled.iter().any(|e| e == "*" || e == id)
    }
}

/// One API key, stored only as the SHA-256 of the key.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyConfig {
    /// The tenant name: the `group_id` of its face gallery, the name in the usage ledger.
    pub name: String,
    /// Lower-case hex SHA-256 of the key (`kycd key new` prints one).
    pub sha256: String,
    /// Route patterns this key may use; `*` matches any run of characters.
    pub routes: Vec<String>,
    /// Sustained requests per second (token bucket refill rate).
    #[serde(default = "default_rate")]
    pub rate_per_sec: f64,
    /// Burst size (token bucket capacity).
    #[serde(default = "default_burst")]
    pub burst: f64,
    /// Secret for signing WhatsApp callbacks; defaults to the key's SHA-256 hex.
    #[serde(default)]
    pub callback_secret: Option<String>,
}

fn default_rate() -> f64 {
    20.0
}

fn default_burst() -> f64 {
    40.0
}

impl Config {
    /// Reads and validates a configuration file. Relative paths are resolved against the
    /// file's directory.
    pub fn load(path: &Path) -> anyhow::Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading config {}", path.display()))?;
        let mut config: Config =
            toml::from_str(&text).with_context(|| format!("parsing config {}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let key_files = config.signature_keys.values_mut();
        for dir in [
            &mut config.server.data_dir,
            &mut config.models.dir,
            &mut config.plugins.dir,
        ]
        .into_iter()
        .chain(key_files)
        {
            if dir.is_relative() {
                *dir = base.join(&*dir);
            }
        }
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> anyhow::Result<()> {
        let mut names = std::collections::HashSet::new();
        for key in &self.keys {
            if !names.insert(&key.name) {
                bail!("key name {:?} appears twice", key.name);
            }
            if key.sha256.len() != 64 || !key.sha256.chars().all(|c| c.is_ascii_hexdigit()) {
                bail!("key {:?}: sha256 must be 64 hex characters", key.name);
            }
            if key.rate_per_sec <= 0.0 || key.burst < 1.0 {
                bail!(
                    "key {:?}: rate_per_sec must be > 0 and burst >= 1",
                    key.name
                );
            }
        }
        if self.server.max_image_bytes == 0 || self.server.max_pixels == 0 {
            bail!("server.max_image_bytes and server.max_pixels must be > 0");
        }
        Ok(())
    }
}
