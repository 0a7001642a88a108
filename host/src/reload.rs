//! Hot reload: the plugin directory and `plugins.toml` are watched; a change rebuilds the route
//! table off to the side and swaps it in atomically. Anything that fails to load or validate is
//! logged and the previous table keeps serving.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use notify::{RecursiveMode, Watcher};

use crate::config::Config;
use crate::plugins::{self, LoadedPlugin};
use crate::routes::RouteTable;
use crate::state::{AppState, LiveConfig};

/// Quiet time after the last file event before a reload runs.
const DEBOUNCE: Duration = Duration::from_millis(100);

/// The plugin libraries currently known, by watched file.
#[derive(Default)]
pub struct PluginSet {
    by_file: BTreeMap<PathBuf, Known>,
    /// Every library ever loaded, by content: identical bytes are never mapped twice.
    by_fingerprint: BTreeMap<[u8; 32], Arc<LoadedPlugin>>,
}

struct Known {
    stamp: (u64, Option<SystemTime>),
    plugin: Option<Arc<LoadedPlugin>>,
}

impl PluginSet {
    /// Rescans `dir`; loads new and changed libraries, forgets removed ones. A library that fails
    /// to load keeps the previously loaded version of that file (if any). Returns the number of
    /// libraries newly loaded.
    pub fn rescan(&mut self, dir: &Path, cache_dir: &Path) -> usize {
        let mut seen = Vec::new();
        let mut loaded = 0;
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                tracing::warn!(dir = %dir.display(), error = %e, "plugin directory unreadable; no plugins served from it");
                self.by_file.clear();
                return 0;
            }
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| plugins::is_plugin_file(p) && p.is_file())
            .collect();
        files.sort();
        for file in files {
            seen.push(file.clone());
            let Some(stamp) = stamp(&file) else { continue };
            if self.by_file.get(&file).is_some_and(|k| k.stamp == stamp) {
                continue;
            }
            let (bytes, fingerprint) = match plugins::read_library(&file) {
                Ok(read) => read,
                Err(e) => {
                    tracing::warn!(file = %file.display(), error = %e, "plugin unreadable");
                    continue;
                }
            };
            // A file still being written changes under us: try again on the next event.
            if self::stamp(&file) != Some(stamp) {
                continue;
            }
            let previous = self.by_file.get(&file).and_then(|k| k.plugin.clone());
            let plugin = if let Some(same) = self.by_fingerprint.get(&fingerprint) {
                Some(same.clone())
            } else {
                let started = Instant::now();
                match plugins::load(&file, &bytes, fingerprint, cache_dir) {
                    Ok(plugin) => {
                        tracing::info!(
                            file = %file.display(),
                            plugin = %plugin.id,
                            version = %plugin.version,
                            load_ms = started.elapsed().as_millis() as u64,
                            "plugin loaded"
                        );
                        loaded += 1;
                        let plugin = Arc::new(plugin);
                        self.by_fingerprint.insert(fingerprint, plugin.clone());
                        Some(plugin)
                    }
                    Err(e) => {
                        tracing::error!(
                            file = %file.display(),
                            root_module = plugins::root_module_name(),
                            error = %e,
                            "plugin refused; the previous version (if any) keeps serving"
                        );
                        previous
                    }
                }
            };
            self.by_file.insert(file, Known { stamp, plugin });
        }
        self.by_file.retain(|file, _| seen.contains(file));
        loaded
    }

    /// The loaded plugins, in file-name order.
    pub fn plugins(&self) -> Vec<Arc<LoadedPlugin>> {
        self.by_file
            .values()
            .filter_map(|k| k.plugin.clone())
            .collect()
    }

    /// Libraries mapped since start (each reload of changed bytes maps one more).
    pub fn mapped_libraries(&self) -> usize {
        self.by_fingerprint.len()
    }
}

fn stamp(path: &Path) -> Option<(u64, Option<SystemTime>)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()))
}

/// Re-reads the configuration and rescans plugins, then swaps in the new key ring and route
/// table. A configuration that fails to parse keeps the previous one.
pub fn reload(state: &AppState, plugin_set: &Mutex<PluginSet>) {
    match Config::load(&state.config_path) {
        Ok(config) => {
            if config.plugins.dir != state.live.load().plugins.dir {
                tracing::warn!("plugins.dir changed; it takes effect at the next start");
            }
            match LiveConfig::from_config(&config) {
                Ok(mut live) => {
                    live.plugins.dir = state.live.load().plugins.dir.clone();
                    state.live.store(Arc::new(live));
                }
                Err(e) => tracing::error!(
                    error = %format!("{e:#}"),
                    "configuration refused; the previous one keeps serving"
                ),
            }
        }
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "configuration refused; the previous one keeps serving");
        }
    }
    let live = state.live.load();
    let mut set = plugin_set.lock().unwrap_or_else(|e| e.into_inner());
    set.rescan(&live.plugins.dir, &state.plugin_cache_dir());
    let enabled: Vec<Arc<LoadedPlugin>> = set
        .plugins()
        .into_iter()
        .filter(|p| live.plugins.is_enabled(&p.id))
        .collect();
    let (table, conflicts) = RouteTable::build(&enabled);
    for conflict in conflicts {
        tracing::error!("{conflict}");
    }
    state.metrics.set_plugins(&enabled, set.mapped_libraries());
    state.table.store(Arc::new(table));
    state.metrics.reloaded();
}

/// Watches the plugin directory and the configuration file's directory; reloads after a burst
/// of events has been quiet for `DEBOUNCE`. Runs on its own thread for the life of the process.
pub fn spawn_watcher(
    state: Arc<AppState>,
    plugin_set: Arc<Mutex<PluginSet>>,
) -> anyhow::Result<()> {
    let plugin_dir = state.live.load().plugins.dir.clone();
    std::fs::create_dir_all(&plugin_dir).ok();
    let config_dir = state
        .config_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let config_name = state.config_path.file_name().map(|n| n.to_owned());
    // Only events about plugin libraries or the configuration file count: the directories may
    // hold other busy files (logs, the store).
    let relevant = {
        let plugin_dir = plugin_dir.clone();
        move |path: &Path| {
            plugins::is_plugin_file(path)
                || path == plugin_dir
                || (config_name.is_some() && path.file_name() == config_name.as_deref())
        }
    };
    let (tx, rx) = mpsc::channel::<()>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if !matches!(event.kind, notify::EventKind::Access(_))
                && event.paths.iter().any(|p| relevant(p))
            {
                let _ = tx.send(());
            }
        }
    })?;
    watcher.watch(&plugin_dir, RecursiveMode::NonRecursive)?;
    if config_dir != plugin_dir {
        watcher.watch(&config_dir, RecursiveMode::NonRecursive)?;
    }
    std::thread::Builder::new()
        .name("kycd-reload".into())
        .spawn(move || {
            let _watcher = watcher;
            while rx.recv().is_ok() {
                let started = Instant::now();
                // Debounce: wait until the burst is quiet (bounded so a constant stream of
                // events cannot starve reloads).
                while started.elapsed() < Duration::from_millis(600) {
                    match rx.recv_timeout(DEBOUNCE) {
                        Ok(()) => continue,
                        Err(mpsc::RecvTimeoutError::Timeout) => break,
                        Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    }
                }
                reload(&state, &plugin_set);
            }
        })?;
    Ok(())
}
