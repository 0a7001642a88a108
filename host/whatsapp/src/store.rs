//! The durable part: result cache, job queue and pending callbacks, in the
//! host's SQLite file (own connection, WAL mode). All calls run on tokio's
//! blocking pool.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use rusqlite::{params, Connection, OptionalExtension};

use crate::provider::Detail;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS whatsapp_results (
    number        TEXT PRIMARY KEY,
    whatsapp      INTEGER NOT NULL,
    status_update TEXT,
    signature     TEXT,
    business_user INTEGER,
    avatar        INTEGER,
    checked_at_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS whatsapp_jobs (
    number          TEXT PRIMARY KEY,
    running         INTEGER NOT NULL DEFAULT 0,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    enqueued_ms     INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS whatsapp_callbacks (
    id          INTEGER PRIMARY KEY,
    tenant      TEXT NOT NULL,
    number      TEXT NOT NULL,
    url         TEXT NOT NULL,
    pinned_addr TEXT NOT NULL,
    secret      BLOB NOT NULL,
    send_url    TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS whatsapp_callbacks_once ON whatsapp_callbacks(tenant, number, url);
CREATE INDEX IF NOT EXISTS whatsapp_jobs_due ON whatsapp_jobs(running, next_attempt_ms);
";

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_millis() as i64
}

/// A callback waiting for its number's result.
#[derive(Debug, Clone)]
pub struct NewCallback {
    /// Tenant that asked.
    pub tenant: String,
    /// The vetted callback URL.
    pub url: String,
    /// The address pinned at request time.
    pub pinned_addr: String,
    /// HMAC key of the tenant's API key.
    pub secret: Vec<u8>,
}

/// A callback ready to be delivered.
#[derive(Debug, Clone)]
pub struct ReadyCallback {
    /// Row id.
    pub id: i64,
    /// Full URL with the result's query string.
    pub send_url: String,
    /// Pinned address (`ip:port`).
    pub pinned_addr: String,
    /// HMAC key.
    pub secret: Vec<u8>,
    /// Failed deliveries so far.
    pub attempts: u32,
}

/// What [`Store::check_or_enqueue`] did.
#[derive(Debug)]
pub enum Lookup {
    /// A fresh cached result.
    Cached(Detail),
    /// The number is (now, or already was) queued.
    Queued {
        /// True when this call added the job (false: it was pending already).
        new_job: bool,
    },
    /// Not cached, and queuing was not allowed.
    NotCached,
}

/// Outcome of claiming work.
#[derive(Debug)]
pub enum Claim {
    /// A job to run: the number and how many rounds it had already.
    Job { number: String, attempts: u32 },
    /// Nothing due; the earliest scheduled job is due at this time (ms), if any.
    Idle { next_due_ms: Option<i64> },
}

/// The SQLite-backed store.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    /// Jobs in `whatsapp_jobs`; changed only while the connection is locked,
    /// right after the commit that changed the table, so it never drifts.
    depth: Arc<AtomicUsize>,
}

impl Store {
    /// Opens (creates) the tables in `path`.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        let path = path.to_path_buf();
        let conn = tokio::task::spawn_blocking(move || -> anyhow::Result<Connection> {
            let conn = Connection::open(&path)
                .with_context(|| format!("opening the store {}", path.display()))?;
            conn.busy_timeout(Duration::from_secs(5))?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            conn.execute_batch(SCHEMA)
                .context("creating the whatsapp tables")?;
            Ok(conn)
        })
        .await??;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            depth: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// Numbers waiting for (or being) looked up.
    pub fn depth(&self) -> usize {
        self.depth.load(Ordering::Relaxed)
    }

    async fn call<R, F>(&self, f: F) -> anyhow::Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection, &AtomicUsize) -> rusqlite::Result<R> + Send + 'static,
    {
        let conn = self.conn.clone();
        let depth = self.depth.clone();
        let result = tokio::task::spawn_blocking(move || {
            let mut conn = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut conn, &depth)
        })
        .await
        .context("store task failed")?;
        Ok(result?)
    }

    /// Puts jobs and callbacks that were in flight when the process stopped back
    /// in the queue; returns the number of pending jobs.
    pub async fn recover(&self) -> anyhow::Result<usize> {
        self.call(|conn, depth| {
            conn.execute("UPDATE whatsapp_jobs SET running = 0 WHERE running = 1", [])?;
            // Waiting callbacks whose job is gone (dropped) can never be answered.
            conn.execute(
                "DELETE FROM whatsapp_callbacks WHERE send_url IS NULL
                 AND number NOT IN (SELECT number FROM whatsapp_jobs)",
                [],
            )?;
            let pending = conn.query_row("SELECT COUNT(*) FROM whatsapp_jobs", [], |r| {
                r.get::<_, i64>(0)
            })? as usize;
            depth.store(pending, Ordering::Relaxed);
            Ok(pending)
        })
        .await
    }

    /// Answers from the cache if a result younger than `ttl` exists; otherwise,
    /// when `enqueue` is true, queues the number (once) and records the callback
    /// (once per tenant, number and URL), all in one transaction.
    pub async fn check_or_enqueue(
        &self,
        number: String,
        ttl: Duration,
        enqueue: bool,
        callback: Option<NewCallback>,
    ) -> anyhow::Result<Lookup> {
        self.call(move |conn, depth| {
            let tx = conn.transaction()?;
            let now = now_ms();
            let fresh_after = now.saturating_sub(ttl.as_millis() as i64);
            let cached = if ttl.is_zero() {
                None
            } else {
                tx.query_row(
                    "SELECT whatsapp, status_update, signature, business_user, avatar
                     FROM whatsapp_results WHERE number = ?1 AND checked_at_ms > ?2",
                    params![number, fresh_after],
                    |r| {
                        Ok(Detail {
                            whatsapp: r.get(0)?,
                            status_update: r.get(1)?,
                            signature: r.get(2)?,
                            business_user: r.get(3)?,
                            avatar: r.get(4)?,
                        })
                    },
                )
                .optional()?
            };
            if let Some(detail) = cached {
                return Ok(Lookup::Cached(detail));
            }
            if !enqueue {
                return Ok(Lookup::NotCached);
            }
            let new_job = tx.execute(
                "INSERT OR IGNORE INTO whatsapp_jobs (number, next_attempt_ms, enqueued_ms) VALUES (?1, ?2, ?2)",
                params![number, now],
            )? == 1;
            if let Some(cb) = callback {
                tx.execute(
                    "INSERT OR IGNORE INTO whatsapp_callbacks (tenant, number, url, pinned_addr, secret)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![cb.tenant, number, cb.url, cb.pinned_addr, cb.secret],
                )?;
            }
            tx.commit()?;
            if new_job {
                depth.fetch_add(1, Ordering::Relaxed);
            }
            Ok(Lookup::Queued { new_job })
        })
        .await
    }

    /// Claims the oldest due job, if any.
    pub async fn claim(&self) -> anyhow::Result<Claim> {
        self.call(|conn, _depth| {
            let now = now_ms();
            let job = conn
                .query_row(
                    "UPDATE whatsapp_jobs SET running = 1
                     WHERE number = (SELECT number FROM whatsapp_jobs
                                     WHERE running = 0 AND next_attempt_ms <= ?1
                                     ORDER BY next_attempt_ms, enqueued_ms LIMIT 1)
                     RETURNING number, attempts",
                    params![now],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)),
                )
                .optional()?;
            if let Some((number, attempts)) = job {
                return Ok(Claim::Job { number, attempts });
            }
            let next_due_ms = conn.query_row(
                "SELECT MIN(next_attempt_ms) FROM whatsapp_jobs WHERE running = 0",
                [],
                |r| r.get::<_, Option<i64>>(0),
            )?;
            Ok(Claim::Idle { next_due_ms })
        })
        .await
    }

    /// Gives a claimed job back without counting a round (e.g. breaker open).
    pub async fn release(&self, number: String, not_before_ms: i64) -> anyhow::Result<()> {
        self.call(move |conn, _depth| {
            conn.execute(
                "UPDATE whatsapp_jobs SET running = 0, next_attempt_ms = ?2 WHERE number = ?1",
                params![number, not_before_ms],
            )
            .map(drop)
        })
        .await
    }

    /// Counts a failed round; the job is retried at `retry_at_ms`, or dropped
    /// (with its waiting callbacks) once it had `max_attempts` rounds. Returns
    /// true when it was dropped.
    pub async fn fail_round(
        &self,
        number: String,
        retry_at_ms: i64,
        max_attempts: u32,
    ) -> anyhow::Result<bool> {
        self.call(move |conn, depth| {
            let tx = conn.transaction()?;
            let attempts: u32 = tx.query_row(
                "UPDATE whatsapp_jobs SET running = 0, attempts = attempts + 1, next_attempt_ms = ?2
                 WHERE number = ?1 RETURNING attempts",
                params![number, retry_at_ms],
                |r| r.get(0),
            )?;
            let dropped = attempts >= max_attempts.max(1);
            if dropped {
                tx.execute(
                    "DELETE FROM whatsapp_jobs WHERE number = ?1",
                    params![number],
                )?;
                tx.execute(
                    "DELETE FROM whatsapp_callbacks WHERE number = ?1 AND send_url IS NULL",
                    params![number],
                )?;
            }
            tx.commit()?;
            if dropped {
                decrement(depth);
            }
            Ok(dropped)
        })
        .await
    }

    /// Stores the result, removes the job and turns its waiting callbacks into
    /// ready ones; returns those.
    pub async fn complete(
        &self,
        number: String,
        detail: Detail,
        make_send_url: impl Fn(&str) -> Option<String> + Send + 'static,
    ) -> anyhow::Result<Vec<ReadyCallback>> {
        self.call(move |conn, depth| {
            let tx = conn.transaction()?;
            tx.execute(
                "INSERT OR REPLACE INTO whatsapp_results
                 (number, whatsapp, status_update, signature, business_user, avatar, checked_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    number,
                    detail.whatsapp,
                    detail.status_update,
                    detail.signature,
                    detail.business_user,
                    detail.avatar,
                    now_ms()
                ],
            )?;
            let finished = tx.execute(
                "DELETE FROM whatsapp_jobs WHERE number = ?1",
                params![number],
            )? == 1;
            let waiting: Vec<(i64, String)> = tx
                .prepare(
                    "SELECT id, url FROM whatsapp_callbacks WHERE number = ?1 AND send_url IS NULL",
                )?
                .query_map(params![number], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (id, url) in waiting {
                match make_send_url(&url) {
                    Some(send_url) => tx.execute(
                        "UPDATE whatsapp_callbacks SET send_url = ?2 WHERE id = ?1",
                        params![id, send_url],
                    )?,
                    None => {
                        tx.execute("DELETE FROM whatsapp_callbacks WHERE id = ?1", params![id])?
                    }
                };
            }
            let ready = ready_callbacks(&tx, Some(&number))?;
            tx.commit()?;
            if finished {
                decrement(depth);
            }
            Ok(ready)
        })
        .await
    }

    /// All callbacks ready to be delivered (used at start-up).
    pub async fn ready_callbacks(&self) -> anyhow::Result<Vec<ReadyCallback>> {
        self.call(|conn, _depth| ready_callbacks(conn, None)).await
    }

    /// Records a failed delivery; returns the new attempt count.
    pub async fn callback_failed(&self, id: i64) -> anyhow::Result<u32> {
        self.call(move |conn, _depth| {
            conn.query_row(
                "UPDATE whatsapp_callbacks SET attempts = attempts + 1 WHERE id = ?1 RETURNING attempts",
                params![id],
                |r| r.get(0),
            )
            .optional()
            .map(|a| a.unwrap_or(u32::MAX))
        })
        .await
    }

    /// Removes a callback (delivered, or given up).
    pub async fn callback_done(&self, id: i64) -> anyhow::Result<()> {
        self.call(move |conn, _depth| {
            conn.execute("DELETE FROM whatsapp_callbacks WHERE id = ?1", params![id])
                .map(drop)
        })
        .await
    }

    /// Deletes cached results older than `ttl`.
    pub async fn purge_expired(&self, ttl: Duration) -> anyhow::Result<usize> {
        self.call(move |conn, _depth| {
            conn.execute(
                "DELETE FROM whatsapp_results WHERE checked_at_ms <= ?1",
                params![now_ms().saturating_sub(ttl.as_millis() as i64)],
            )
        })
        .await
    }
}

fn decrement(depth: &AtomicUsize) {
    let _ = depth.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1));
}

fn ready_callbacks(
    conn: &Connection,
    number: Option<&str>,
) -> rusqlite::Result<Vec<ReadyCallback>> {
    conn.prepare(
        "SELECT id, send_url, pinned_addr, secret, attempts FROM whatsapp_callbacks
         WHERE send_url IS NOT NULL AND (?1 IS NULL OR number = ?1) ORDER BY id",
    )?
    .query_map(params![number], |r| {
        Ok(ReadyCallback {
            id: r.get(0)?,
            send_url: r.get(1)?,
            pinned_addr: r.get(2)?,
            secret: r.get(3)?,
            attempts: r.get(4)?,
        })
    })?
    .collect()
}
