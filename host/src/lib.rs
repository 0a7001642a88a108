//! The kycd host: HTTP, auth, route table, plugin loading and reload, storage. The binary
//! (`main.rs`) is a thin CLI over [`serve`] and friends. See `docs/architecture.md`.

pub mod answer;
pub mod auth;
pub mod config;
pub mod console;
pub mod dispatch;
pub mod eval;
pub mod face;
pub mod geometry;
pub mod golden;
pub mod imagein;
pub mod local;
pub mod metrics;
pub mod openapi;
pub mod plugins;
pub mod reload;
pub mod request;
pub mod routes;
pub mod scaffold;
pub mod server;
pub mod services;
pub mod signatures;
pub mod state;
pub mod store;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::Context;
use arc_swap::ArcSwap;

use crate::config::Config;
use crate::reload::PluginSet;
use crate::routes::RouteTable;
use crate::state::{AppState, LiveConfig};

/// Loads the vision runtime named by the configuration.
pub fn load_vision(config: &Config) -> anyhow::Result<kycd_vision::Vision> {
    let mut vision_config = kycd_vision::VisionConfig::new(&config.models.dir);
    vision_config.threads = config.models.threads.max(1);
    vision_config.sessions_per_model = config.models.sessions.max(1);
    kycd_vision::Vision::load(&vision_config).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Builds the state of a host from a configuration file: opens the store, loads the models and
/// the plugins, starts the built-in services.
pub async fn build_state(
    config_path: &Path,
) -> anyhow::Result<(Arc<AppState>, Arc<Mutex<PluginSet>>)> {
    let config = Config::load(config_path)?;
    let store = store::Store::open(&config.server.data_dir)?;
    let vision = Arc::new(tokio::task::block_in_place(|| load_vision(&config))?);
    let whatsapp_config: kycd_whatsapp::WhatsappConfig =
        toml::Value::Table(config.whatsapp.clone())
            .try_into()
            .context("[whatsapp] section of the configuration")?;
    let whatsapp = kycd_whatsapp::WhatsappService::start(whatsapp_config, store.path()).await?;
    let gallery = Arc::new(kycd_gallery::Gallery::open(
        store.path(),
        kycd_vision::face::EMBEDDING_MODEL_ID,
    )?);
    for (tenant, model, faces) in gallery.stale_model_rows() {
        tracing::warn!(
            tenant = %tenant,
            model = %model,
            faces,
            "gallery faces of another embedding model are not searched; re-enrol them (docs/face.md)"
        );
    }
    let live = LiveConfig::from_config(&config)?;
    let state = Arc::new(AppState {
        config_path: config_path.to_path_buf(),
        workers: tokio::sync::Semaphore::new(config.server.workers.max(1)),
        server: config.server.clone(),
        live: ArcSwap::from_pointee(live),
        table: ArcSwap::from_pointee(RouteTable::default()),
        limiter: auth::RateLimiter::default(),
        store,
        vision,
        metrics: metrics::Metrics::default(),
        whatsapp,
        gallery,
    });
    // Private plugin copies of earlier runs are never mapped again.
    let _ = std::fs::remove_dir_all(state.plugin_cache_dir());
    let plugin_set = Arc::new(Mutex::new(PluginSet::default()));
    reload::reload(&state, &plugin_set);
    Ok((state, plugin_set))
}

/// Runs the server until SIGTERM or Ctrl-C, then stops accepting and finishes in-flight requests.
pub async fn serve(config_path: PathBuf) -> anyhow::Result<()> {
    let (state, plugin_set) = build_state(&config_path).await?;
    reload::spawn_watcher(state.clone(), plugin_set)?;
    let listen = std::env::var("KYCD_LISTEN").unwrap_or_else(|_| state.server.listen.clone());
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .with_context(|| format!("binding {listen}"))?;
    tracing::info!(
        address = %listener.local_addr()?,
        routes = state.table.load().len(),
        "kycd listening"
    );
    axum::serve(listener, server::router(state.clone()))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    state.whatsapp.shutdown().await;
    tracing::info!("kycd stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
