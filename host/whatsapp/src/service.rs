//! The service the host calls: request handling, start-up and shutdown.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::sync::{watch, Notify};
use tokio::task::{JoinHandle, JoinSet};

use crate::breaker::Breaker;
use crate::callback::answer_fields;
use crate::config::{ProviderConfig, WhatsappConfig};
use crate::number::{mask, normalize};
use crate::provider::{Detail, HttpProvider, Provider};
use crate::ssrf::{vet_callback, Resolve, SystemResolver};
use crate::store::{Lookup, NewCallback, Store};

/// The answer to one `whatsapp/detail` request.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// `"OK"`, `"INVALID_REQUEST"`, `"INVALID_INPUT"` or `"RETRY_LATER"`.
    pub status: &'static str,
    /// The answer's `message`: an object for `OK`, a text otherwise.
    pub message: Value,
    /// True for a definite yes/no answer (the only billable outcome).
    pub billable: bool,
}

impl Answer {
    fn ok(e164: &str, detail: &Detail) -> Self {
        let message: serde_json::Map<String, Value> = answer_fields(e164, detail)
            .into_iter()
            .map(|(k, v)| (k.to_string(), Value::String(v)))
            .collect();
        Self {
            status: "OK",
            message: Value::Object(message),
            billable: true,
        }
    }

    fn checking(e164: &str) -> Self {
        Self {
            status: "OK",
            message: json!({"number": e164, "whatsapp": "checking"}),
            billable: false,
        }
    }

    fn error(status: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            message: Value::String(message.into()),
            billable: false,
        }
    }

    /// The response body: `{"status": .., "message": ..}`.
    pub fn body(&self) -> Value {
        json!({"status": self.status, "message": self.message})
    }
}

/// State shared by the request path, the workers and the callback deliveries.
pub(crate) struct Inner {
    pub(crate) config: WhatsappConfig,
    pub(crate) store: Store,
    pub(crate) provider: Option<Arc<dyn Provider>>,
    pub(crate) breaker: Breaker,
    resolver: Arc<dyn Resolve>,
    pub(crate) wake: Notify,
    pub(crate) shutdown: watch::Receiver<bool>,
    pub(crate) deliveries: Mutex<JoinSet<()>>,
}

/// The WhatsApp detail check: one per host process.
pub struct WhatsappService {
    inner: Arc<Inner>,
    stop: watch::Sender<bool>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

impl WhatsappService {
    /// Opens (creates) its tables in the SQLite file at `db_path`, requeues
    /// pending jobs and callbacks, and starts the worker pool on the current
    /// tokio runtime. Fails on an invalid provider configuration or an
    /// unusable store.
    pub async fn start(config: WhatsappConfig, db_path: &Path) -> anyhow::Result<Arc<Self>> {
        Self::start_with_resolver(config, db_path, Arc::new(SystemResolver)).await
    }

    /// Like [`Self::start`], with the resolver the callback SSRF guard uses
    /// (tests map names to loopback with it).
    pub async fn start_with_resolver(
        config: WhatsappConfig,
        db_path: &Path,
        resolver: Arc<dyn Resolve>,
    ) -> anyhow::Result<Arc<Self>> {
        let provider: Option<Arc<dyn Provider>> = match &config.provider {
            ProviderConfig::Disabled => None,
            ProviderConfig::Http(http) => {
                if config.workers == 0 {
                    anyhow::bail!("[whatsapp] workers must be at least 1");
                }
                Some(Arc::new(HttpProvider::new(http)?))
            }
        };
        // The first parse loads libphonenumber's metadata (hundreds of ms):
        // do it now rather than in the first request.
        tokio::task::spawn_blocking(|| normalize("+6281234567890", None))
            .await?
            .ok();
        let store = Store::open(db_path).await?;
        let pending = store.recover().await?;
        let ttl = Duration::from_secs(config.cache_ttl_secs);
        if let Err(e) = store.purge_expired(ttl).await {
            tracing::warn!(error = %e, "whatsapp: purging expired results failed");
        }
        let ready = store.ready_callbacks().await?;
        let (stop, shutdown) = watch::channel(false);
        let inner = Arc::new(Inner {
            breaker: Breaker::new(
                config.breaker_failures,
                Duration::from_secs(config.breaker_cooldown_secs),
            ),
            config,
            store,
            provider,
            resolver,
            wake: Notify::new(),
            shutdown,
            deliveries: Mutex::new(JoinSet::new()),
        });
        let mut tasks = Vec::new();
        if let Some(provider) = &inner.provider {
            for _ in 0..inner.config.workers {
                tasks.push(tokio::spawn(crate::worker::run(
                    inner.clone(),
                    provider.clone(),
                )));
            }
        }
        tasks.push(tokio::spawn(crate::worker::maintain(inner.clone())));
        for callback in ready {
            crate::worker::spawn_delivery(&inner, callback);
        }
        tracing::info!(
            pending,
            workers = tasks.len() - 1,
            "whatsapp detail check started"
        );
        Ok(Arc::new(Self {
            inner,
            stop,
            tasks: Mutex::new(tasks),
        }))
    }

    /// Handles one request. `params`: `number`, `country`, `callback`,
    /// `servstatus`; `tenant`: the API key's tenant; `callback_secret`: the
    /// HMAC key that signs this request's callback.
    pub async fn detail(
        &self,
        tenant: &str,
        callback_secret: &[u8],
        params: &HashMap<String, String>,
    ) -> Answer {
        let param = |key: &str| params.get(key).map(|v| v.trim()).filter(|v| !v.is_empty());
        let Some(raw_number) = param("number") else {
            return Answer::error("INVALID_REQUEST", "missing parameter: number");
        };
        let e164 = match normalize(raw_number, param("country")) {
            Ok(e164) => e164,
            Err(message) => return Answer::error("INVALID_INPUT", message),
        };
        let servstatus = param("servstatus")
            .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "y" | "yes" | "1" | "true"));
        let callback = match param("callback") {
            None => None,
            Some(raw) => {
                match vet_callback(
                    raw,
                    &self.inner.config.callback_allowlist,
                    &*self.inner.resolver,
                )
                .await
                {
                    Ok(vetted) => Some(NewCallback {
                        tenant: tenant.to_string(),
                        url: vetted.url.to_string(),
                        pinned_addr: vetted.pinned.to_string(),
                        secret: callback_secret.to_vec(),
                    }),
                    Err(message) => return Answer::error("INVALID_INPUT", message),
                }
            }
        };
        let enabled = self.inner.provider.is_some();
        let may_queue = enabled && !(servstatus && self.inner.breaker.is_open());
        let ttl = Duration::from_secs(self.inner.config.cache_ttl_secs);
        let masked = mask(&e164);
        match self
            .inner
            .store
            .check_or_enqueue(e164.clone(), ttl, may_queue, callback)
            .await
        {
            Ok(Lookup::Cached(detail)) => {
                tracing::debug!(tenant, number = %masked, "whatsapp: cached answer");
                Answer::ok(&e164, &detail)
            }
            Ok(Lookup::Queued { new_job }) => {
                if new_job {
                    self.inner.wake.notify_one();
                }
                tracing::debug!(tenant, number = %masked, new_job, "whatsapp: queued");
                Answer::checking(&e164)
            }
            Ok(Lookup::NotCached) if !enabled => {
                Answer::error("RETRY_LATER", "whatsapp upstream not configured")
            }
            Ok(Lookup::NotCached) => Answer::error(
                "RETRY_LATER",
                "whatsapp upstream is unavailable; retry later",
            ),
            Err(e) => {
                tracing::error!(error = %e, "whatsapp: store failed");
                Answer::error("RETRY_LATER", "whatsapp store unavailable; retry later")
            }
        }
    }

    /// Numbers waiting for (or being) looked up.
    pub fn queue_depth(&self) -> usize {
        self.inner.store.depth()
    }

    /// The upstream circuit breaker: `"closed"`, `"open"` or `"half_open"`.
    pub fn upstream_state(&self) -> &'static str {
        self.inner.breaker.state_name()
    }

    /// Stops the workers and callback deliveries and waits for them. Jobs and
    /// callbacks not finished stay in the store for the next start.
    pub async fn shutdown(&self) {
        let _ = self.stop.send(true);
        let tasks = std::mem::take(&mut *self.tasks.lock().unwrap_or_else(|p| p.into_inner()));
        for task in tasks {
            let _ = task.await;
        }
        let mut deliveries = std::mem::take(
            &mut *self
                .inner
                .deliveries
                .lock()
                .unwrap_or_else(|p| p.into_inner()),
        );
        while deliveries.join_next().await.is_some() {}
        tracing::info!("whatsapp detail check stopped");
    }
}

impl Drop for WhatsappService {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        for task in self
            .tasks
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .drain(..)
        {
            task.abort();
        }
        self.inner
            .deliveries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .abort_all();
    }
}
