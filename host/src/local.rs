//! Running routes in-process, without HTTP: `kycd ocr` on the command line, and the helper a
//! plugin's own tests use to run the plugin on an image with the real host runtime.
//!
//! ```ignore
//! // plugins/xx/tests/golden.rs, with crate-type = ["cdylib", "rlib"] and `kycd` as a
//! // dev-dependency:
//! let runner = kycd::local::LocalRunner::with_plugin(kycd_plugin_xx::kycd_plugin_root_module())?;
//! let answer = runner.run("ocr/xx/id-card", &std::fs::read("tests/golden/card.jpg")?, false);
//! assert_eq!(answer.status, kycd::answer::Status::Ok);
//! ```

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use kycd_plugin_api::PluginModRef;

use crate::answer::{Answer, Status};
use crate::config::Config;
use crate::dispatch;
use crate::face::{self, FaceConfig};
use crate::imagein::ImageLimits;
use crate::plugins::LoadedPlugin;
use crate::reload::PluginSet;
use crate::request::{Param, Params};
use crate::routes::{Handler, RouteTable};
use crate::signatures::SignatureKeys;

/// The repository's `models/` directory, where `models/fetch.sh` puts the models.
pub fn repository_models_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../models")
}

/// One vision runtime per process, shared by every runner (models load once).
fn shared_vision(models_dir: &Path) -> anyhow::Result<Arc<kycd_vision::Vision>> {
    static VISION: OnceLock<Arc<kycd_vision::Vision>> = OnceLock::new();
    if let Some(vision) = VISION.get() {
        return Ok(vision.clone());
    }
    let vision = Arc::new(
        kycd_vision::Vision::load(&kycd_vision::VisionConfig::new(models_dir))
            .map_err(|e| anyhow::anyhow!("{e}"))?,
    );
    Ok(VISION.get_or_init(|| vision).clone())
}

/// Runs image routes in-process with the real vision runtime.
pub struct LocalRunner {
    table: RouteTable,
    vision: Arc<kycd_vision::Vision>,
    limits: ImageLimits,
    face: FaceConfig,
    signatures: SignatureKeys,
}

impl LocalRunner {
    /// A runner over one plugin linked into the calling binary (its `kycd_plugin_root_module()`),
    /// with the models in the repository's `models/`.
    pub fn with_plugin(module: PluginModRef) -> anyhow::Result<LocalRunner> {
        let plugin = LoadedPlugin::from_module(module, Path::new("<linked>"), [0; 32])?;
        let (table, _) = RouteTable::build(&[Arc::new(plugin)]);
        Ok(LocalRunner {
            table,
            vision: shared_vision(&repository_models_dir())?,
            limits: ImageLimits {
                max_bytes: 2 * 1024 * 1024,
                max_pixels: 40_000_000,
            },
            face: FaceConfig::default(),
            signatures: SignatureKeys::default(),
        })
    }

    /// The same runner with these trusted signature keys (`[signature_keys]` of a configuration).
    pub fn with_signature_keys(mut self, signatures: SignatureKeys) -> LocalRunner {
        self.signatures = signatures;
        self
    }

    /// A runner over what a configuration file serves (its plugins directory and models).
    pub fn from_config(config_path: &Path) -> anyhow::Result<LocalRunner> {
        let config = Config::load(config_path)?;
        let mut set = PluginSet::default();
        let cache = std::env::temp_dir().join(format!("kycd-local-{}", std::process::id()));
        set.rescan(&config.plugins.dir, &cache);
        let _ = std::fs::remove_dir(&cache);
        let plugins: Vec<_> = set
            .plugins()
            .into_iter()
            .filter(|p| config.plugins.is_enabled(&p.id))
            .collect();
        let (table, _) = RouteTable::build(&plugins);
        let face = FaceConfig::from_table(&config.face)
            .map_err(|e| anyhow::anyhow!("[face] of {}: {e}", config_path.display()))?;
        Ok(LocalRunner {
            face,
            table,
            signatures: SignatureKeys::load(&config.signature_keys)?,
            vision: shared_vision(&config.models.dir)?,
            limits: ImageLimits {
                max_bytes: config.server.max_image_bytes,
                max_pixels: config.server.max_pixels,
            },
        })
    }

    /// The routes this runner serves.
    pub fn table(&self) -> &RouteTable {
        &self.table
    }

    /// Runs `route` on raw image bytes, exactly as the HTTP path would (same checks, same answer
    /// shape).
    pub fn run(&self, route: &str, image: &[u8], details: bool) -> Answer {
        let flags: &[(&str, &str)] = if details { &[("details", "1")] } else { &[] };
        self.run_with(route, image, flags)
    }

    /// [`LocalRunner::run`] with any text parameters, e.g. `[("debug", "1")]` for the geometry
    /// payload (`docs/console.md`).
    pub fn run_with(&self, route: &str, image: &[u8], params: &[(&str, &str)]) -> Answer {
        let Some(entry) = self.table.get(route) else {
            return Answer::error(Status::NotFound, format!("unknown route {route}"));
        };
        if !matches!(
            entry.handler,
            Handler::Plugin(_) | Handler::Builtin(crate::routes::Builtin::Mrz)
        ) {
            return Answer::error(
                Status::InvalidRequest,
                format!("{route} is not an image route"),
            );
        }
        let mut pairs = vec![(
            "img".to_string(),
            Param::File(Bytes::copy_from_slice(image)),
        )];
        for (name, value) in params {
            pairs.push((name.to_string(), Param::Text(value.to_string())));
        }
        dispatch::run_blocking(
            entry,
            &self.vision,
            &self.signatures,
            self.limits,
            &Params::from_pairs(pairs),
        )
    }

    /// Compares the largest faces of two photos exactly as `face/compare` would answer (same
    /// thresholds: the configuration's `[face]`, or the defaults for [`LocalRunner::with_plugin`]).
    pub fn compare(&self, img1: &[u8], img2: &[u8], details: bool) -> Answer {
        let mut pairs = vec![
            (
                "img1".to_string(),
                Param::File(Bytes::copy_from_slice(img1)),
            ),
            (
                "img2".to_string(),
                Param::File(Bytes::copy_from_slice(img2)),
            ),
        ];
        if details {
            pairs.push(("details".into(), Param::Text("1".into())));
        }
        face::compare_photos(
            &self.vision,
            &self.face,
            self.limits,
            &Params::from_pairs(pairs),
        )
    }
}
