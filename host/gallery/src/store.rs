//! The gallery's SQLite table, in the host's database file: one row per face, with its tenant,
//! person, the model id that produced the embedding, and the embedding (little-endian f32).

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use rusqlite::{params, Connection, OptionalExtension};

use crate::DIM;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS gallery_faces (
    id         INTEGER PRIMARY KEY,
    tenant     TEXT NOT NULL,
    person_id  TEXT NOT NULL,
    model_id   TEXT NOT NULL,
    embedding  BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS gallery_faces_person ON gallery_faces (tenant, person_id);
CREATE INDEX IF NOT EXISTS gallery_faces_model ON gallery_faces (model_id, tenant);
";

/// Opens the database with WAL, `synchronous=FULL` (a committed add survives power loss and
/// `kill -9`) and a busy timeout (the host and other stores share the file), and creates the
/// table.
pub(crate) fn open(path: &Path) -> anyhow::Result<Connection> {
    let conn = Connection::open(path)
        .with_context(|| format!("opening the gallery database {}", path.display()))?;
    conn.busy_timeout(Duration::from_secs(10))?;
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        anyhow::bail!("{}: could not switch to WAL (got {mode})", path.display());
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.execute_batch(SCHEMA)
        .context("creating the gallery table")?;
    Ok(conn)
}

/// Encodes an embedding for storage.
pub(crate) fn to_blob(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// Decodes a stored embedding; `None` for a blob of the wrong size.
pub(crate) fn from_blob(blob: &[u8]) -> Option<[f32; DIM]> {
    if blob.len() != DIM * 4 {
        return None;
    }
    let mut out = [0f32; DIM];
    for (v, bytes) in out.iter_mut().zip(blob.chunks_exact(4)) {
        *v = f32::from_le_bytes(bytes.try_into().ok()?);
    }
    Some(out)
}

/// Visits every face of `model_id`, in insertion order: (row id, tenant, person id, vector).
pub(crate) fn for_each_face(
    conn: &Connection,
    model_id: &str,
    mut visit: impl FnMut(i64, String, String, [f32; DIM]),
) -> anyhow::Result<usize> {
    let mut stmt = conn.prepare(
        "SELECT id, tenant, person_id, embedding FROM gallery_faces WHERE model_id = ?1 ORDER BY id",
    )?;
    let mut rows = stmt.query([model_id])?;
    let mut skipped = 0;
    while let Some(row) = rows.next()? {
        let blob: Vec<u8> = row.get(3)?;
        match from_blob(&blob) {
            Some(vector) if vector.iter().all(|v| v.is_finite()) => {
                visit(row.get(0)?, row.get(1)?, row.get(2)?, vector)
            }
            _ => skipped += 1,
        }
    }
    Ok(skipped)
}

/// Inserts one face inside the caller's transaction; returns its row id.
pub(crate) fn insert(
    conn: &Connection,
    tenant: &str,
    person_id: &str,
    model_id: &str,
    vector: &[f32],
) -> anyhow::Result<i64> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    conn.prepare_cached(
        "INSERT INTO gallery_faces (tenant, person_id, model_id, embedding, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![tenant, person_id, model_id, to_blob(vector), now])?;
    Ok(conn.last_insert_rowid())
}

/// Deletes a person's faces of any model; the number of rows removed.
pub(crate) fn delete_person(
    conn: &Connection,
    tenant: &str,
    person_id: &str,
) -> anyhow::Result<usize> {
    Ok(conn.execute(
        "DELETE FROM gallery_faces WHERE tenant = ?1 AND person_id = ?2",
        params![tenant, person_id],
    )?)
}

/// Whether the tenant has any face (of any model) for `person_id`.
pub(crate) fn person_exists(
    conn: &Connection,
    tenant: &str,
    person_id: &str,
) -> anyhow::Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM gallery_faces WHERE tenant = ?1 AND person_id = ?2 LIMIT 1",
            params![tenant, person_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Faces stored under another model id than `model_id`: (tenant, model id, count).
pub(crate) fn stale_rows(
    conn: &Connection,
    model_id: &str,
) -> anyhow::Result<Vec<(String, String, usize)>> {
    let mut stmt = conn.prepare(
        "SELECT tenant, model_id, COUNT(*) FROM gallery_faces WHERE model_id <> ?1 GROUP BY tenant, model_id ORDER BY tenant, model_id",
    )?;
    let rows = stmt.query_map([model_id], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as usize))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
