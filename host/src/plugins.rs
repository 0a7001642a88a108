//! Loading one plugin library: copy it to a private file, load the copy, check its ABI, read and
//! validate its manifest.
//!
//! The watched file itself is never mapped (writing over a mapped `.so` crashes the process),
//! and no library is ever unloaded (glibc pins libraries with thread-local destructors, so
//! `dlclose` would not be a reload anyway). Each reload of a changed library therefore costs one
//! more mapping of it; `docs/performance.md` records the figure.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use abi_stable::library::{lib_header_from_path, RootModule};
use abi_stable::std_types::{RResult, RStr};
use anyhow::{anyhow, bail, Context};
use kycd_plugin_api::{ExtractError, Extraction, HostRef, ImageRef, PluginModRef, Request};
use sha2::{Digest, Sha256};

/// The file-name pattern of plugin libraries: `libkycd_plugin_<id>.so`.
pub fn is_plugin_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("libkycd_plugin_") && n.ends_with(".so"))
}

/// One field of a document type, as declared.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FieldInfo {
    pub key: String,
    pub description: String,
}

/// One document type, as declared.
#[derive(Clone, Debug)]
pub struct DocumentInfo {
    pub route: String,
    pub title: String,
    pub fields: Vec<FieldInfo>,
}

/// A loaded, validated plugin.
pub struct LoadedPlugin {
    pub id: String,
    pub version: String,
    /// The watched file it came from.
    pub source: PathBuf,
    /// SHA-256 of the library's bytes.
    pub fingerprint: [u8; 32],
    pub documents: Vec<DocumentInfo>,
    module: PluginModRef,
}

impl std::fmt::Debug for LoadedPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedPlugin")
            .field("id", &self.id)
            .field("version", &self.version)
            .field("source", &self.source)
            .finish()
    }
}

impl LoadedPlugin {
    /// Runs the plugin's extract function. Panics inside the plugin arrive as
    /// [`kycd_plugin_api::ErrorKind::PANICKED`].
    pub fn extract(
        &self,
        route: &str,
        image: ImageRef<'_>,
        host: &HostRef<'_>,
    ) -> Result<Extraction, ExtractError> {
        let request = Request {
            route: RStr::from_str(route),
            image,
        };
        match (self.module.extract())(&request, host) {
            RResult::ROk(extraction) => Ok(extraction),
            RResult::RErr(error) => Err(error),
        }
    }
}

static PRIVATE_COPIES: AtomicU64 = AtomicU64::new(0);

/// Reads the library at `source` and its fingerprint.
pub fn read_library(source: &Path) -> anyhow::Result<(Vec<u8>, [u8; 32])> {
    let bytes = std::fs::read(source).with_context(|| format!("reading {}", source.display()))?;
    let fingerprint = Sha256::digest(&bytes).into();
    Ok((bytes, fingerprint))
}

/// Copies `bytes` (read from `source`) to a uniquely named private file under `cache_dir`,
/// loads that copy, checks the ABI and validates the manifest.
pub fn load(
    source: &Path,
    bytes: &[u8],
    fingerprint: [u8; 32],
    cache_dir: &Path,
) -> anyhow::Result<LoadedPlugin> {
    std::fs::create_dir_all(cache_dir)?;
    let stem = source
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("plugin");
    let private = cache_dir.join(format!(
        "{stem}-{}-{}-{}.so",
        &hex::encode(fingerprint)[..12],
        std::process::id(),
        PRIVATE_COPIES.fetch_add(1, Ordering::Relaxed)
    ));
    let staging = private.with_extension("so.tmp");
    std::fs::write(&staging, bytes)?;
    std::fs::rename(&staging, &private)?;

    let module =
        lib_header_from_path(&private).and_then(|header| header.init_root_module::<PluginModRef>());
    // The loaded library stays mapped (abi_stable never unloads it), so the private copy can go
    // now: nothing is left on disk per load, however often plugins reload or tests start hosts.
    let _ = std::fs::remove_file(&private);
    let module = module.map_err(|e| anyhow!("{}", shorten(&e.to_string())))?;
    LoadedPlugin::from_module(module, source, fingerprint)
}

impl LoadedPlugin {
    /// Reads and validates the manifest of an already loaded root module. Used by [`load`], and
    /// by plugin tests that link their plugin as an `rlib` (see [`crate::local`]).
    pub fn from_module(
        module: PluginModRef,
        source: &Path,
        fingerprint: [u8; 32],
    ) -> anyhow::Result<LoadedPlugin> {
        let manifest = (module.manifest())();
        let documents = manifest
            .documents
            .iter()
            .map(|d| DocumentInfo {
                route: d.route.to_string(),
                title: d.title.to_string(),
                fields: d
                    .fields
                    .iter()
                    .map(|f| FieldInfo {
                        key: f.key.to_string(),
                        description: f.description.to_string(),
                    })
                    .collect(),
            })
            .collect();
        let plugin = LoadedPlugin {
            id: manifest.id.to_string(),
            version: manifest.version.to_string(),
            source: source.to_path_buf(),
            fingerprint,
            documents,
            module,
        };
        validate(&plugin)?;
        Ok(plugin)
    }
}

fn validate(plugin: &LoadedPlugin) -> anyhow::Result<()> {
    let id_ok = !plugin.id.is_empty()
        && plugin
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !id_ok {
        bail!("manifest id {:?} is empty or not [a-z0-9_-]", plugin.id);
    }
    if plugin.documents.is_empty() {
        bail!("manifest of {:?} declares no document types", plugin.id);
    }
    let mut routes = std::collections::HashSet::new();
    for doc in &plugin.documents {
        let route_ok = !doc.route.is_empty()
            && !doc.route.starts_with('/')
            && doc
                .route
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "/-_".contains(c));
        if !route_ok {
            bail!(
                "route {:?} is not a relative path of [a-z0-9/_-]",
                doc.route
            );
        }
        if !routes.insert(&doc.route) {
            bail!("route {:?} is declared twice", doc.route);
        }
        let mut keys = std::collections::HashSet::new();
        if doc.fields.is_empty()
            || !doc
                .fields
                .iter()
                .all(|f| !f.key.is_empty() && keys.insert(&f.key))
        {
            bail!(
                "route {:?} has no fields, an empty key or a duplicate key",
                doc.route
            );
        }
    }
    Ok(())
}

/// abi_stable's layout errors can run to pages: the log keeps the start, which names the types
/// compared, and the end, which says what differs.
fn shorten(text: &str) -> String {
    const HEAD: usize = 300;
    const TAIL: usize = 1200;
    if text.len() <= HEAD + TAIL {
        return text.to_string();
    }
    let mut head = HEAD;
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let mut tail = text.len() - TAIL;
    while !text.is_char_boundary(tail) {
        tail += 1;
    }
    format!(
        "{} ... ({} bytes) ... {}",
        &text[..head],
        tail - head,
        &text[tail..]
    )
}

/// Root-module name every plugin exports; used in log lines.
pub fn root_module_name() -> &'static str {
    <PluginModRef as RootModule>::NAME
}
