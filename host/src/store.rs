//! The embedded store: one SQLite file under the data directory. This module owns the usage
//! ledger; other services (face gallery, WhatsApp queue) keep their own tables in the same file.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Context;
use rusqlite::{params, Connection};
use serde::Serialize;

/// The usage ledger.
pub struct Store {
    path: PathBuf,
    conn: Mutex<Connection>,
}

/// One row of a caller's usage.
#[derive(Debug, Serialize)]
pub struct UsageRow {
    pub route: String,
    pub status: String,
    pub count: u64,
    pub billable: u64,
}

impl Store {
    /// Opens (creating) `kycd.sqlite3` in `data_dir`.
    pub fn open(data_dir: &Path) -> anyhow::Result<Store> {
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("creating data directory {}", data_dir.display()))?;
        let path = data_dir.join("kycd.sqlite3");
        let conn = open_connection(&path)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS usage (
                tenant TEXT NOT NULL,
                route TEXT NOT NULL,
                status TEXT NOT NULL,
                count INTEGER NOT NULL DEFAULT 0,
                billable INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (tenant, route, status)
            ) WITHOUT ROWID;",
        )?;
        Ok(Store {
            path,
            conn: Mutex::new(conn),
        })
    }

    /// The database file, for services that open their own connection to it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Counts one answer.
    pub fn record(
        &self,
        tenant: &str,
        route: &str,
        status: &str,
        billable: bool,
    ) -> anyhow::Result<()> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        conn.prepare_cached(
            "INSERT INTO usage (tenant, route, status, count, billable) VALUES (?1, ?2, ?3, 1, ?4)
             ON CONFLICT (tenant, route, status)
             DO UPDATE SET count = count + 1, billable = billable + excluded.billable",
        )?
        .execute(params![tenant, route, status, billable as i64])?;
        Ok(())
    }

    /// A tenant's counts, by route and status.
    pub fn usage(&self, tenant: &str) -> anyhow::Result<Vec<UsageRow>> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let mut statement = conn.prepare_cached(
            "SELECT route, status, count, billable FROM usage WHERE tenant = ?1 ORDER BY route, status",
        )?;
        let rows = statement
            .query_map(params![tenant], |row| {
                Ok(UsageRow {
                    route: row.get(0)?,
                    status: row.get(1)?,
                    count: row.get::<_, i64>(2)? as u64,
                    billable: row.get::<_, i64>(3)? as u64,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}

/// Opens a connection with the settings every kycd table relies on: WAL, a busy timeout, and
/// `synchronous = FULL` so that an answered write survives a crash.
pub fn open_connection(path: &Path) -> anyhow::Result<Connection> {
    let conn =
        Connection::open(path).with_context(|| format!("opening store {}", path.display()))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}
