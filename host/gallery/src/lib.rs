//! kycd's face gallery: per-tenant persons and their face embeddings, stored durably in the
//! host's SQLite file and searched exactly in memory, plus the calibrated thresholds that turn
//! a cosine into the `similarity` and verdict the face routes answer. See `docs/face.md`.
//!
//! ```no_run
//! use kycd_gallery::{Gallery, Thresholds};
//! # fn main() -> anyhow::Result<()> {
//! let gallery = Gallery::open("kycd.db".as_ref(), "sface-2021dec-fp32")?;
//! let thresholds = Thresholds::default();
//! let embedding = [0.0884f32; 128]; // from kycd_vision::face::FaceRuntime::embed
//! let added = gallery.add("tenant-a", &embedding, thresholds.same)?;
//! let matches = gallery.search("tenant-a", &embedding, 10, thresholds.not_same);
//! assert_eq!(matches[0].person_id, added.person_id);
//! # Ok(()) }
//! ```

mod index;
mod store;
mod verdict;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, MutexGuard, RwLock};

use anyhow::{bail, Context};
use rusqlite::Connection;

use index::TenantIndex;
pub use verdict::{similarity_from_cosine, verdict, Thresholds, Verdict};

/// Length of the embeddings the gallery stores (SFace: 128).
pub const DIM: usize = 128;

/// The answer to [`Gallery::add`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Added {
    /// The person the face was stored under (new or matched).
    pub person_id: String,
    /// Faces stored for that person, this one included.
    pub person_count: u32,
    /// True when no stored person matched and a new one was created.
    pub new_person: bool,
}

/// One search result.
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    /// The matching person.
    pub person_id: String,
    /// Cosine of the query and the person's best-matching face.
    pub cosine: f32,
}

/// A durable per-tenant face gallery with exact in-memory search. `Send + Sync`: share one
/// behind an `Arc`. Searches run in parallel; adds and deletes are serialised.
pub struct Gallery {
    /// The writer connection; holding it serialises adds and deletes.
    conn: Mutex<Connection>,
    tenants: RwLock<HashMap<String, TenantIndex>>,
    model_id: String,
}

impl Gallery {
    /// Opens (creates) its table in the SQLite file at `db_path` (the host's store; own
    /// connection, WAL, `synchronous=FULL`, busy timeout) and rebuilds the in-memory index from
    /// the rows of `model_id`. Rows of other models stay stored but are never searched (see
    /// [`Gallery::stale_model_rows`]).
    pub fn open(db_path: &Path, model_id: &str) -> anyhow::Result<Gallery> {
        if model_id.is_empty() {
            bail!("the gallery needs the embedding model id");
        }
        let conn = store::open(db_path)?;
        let mut tenants: HashMap<String, TenantIndex> = HashMap::new();
        let skipped = store::for_each_face(&conn, model_id, |row, tenant, person, vector| {
            tenants
                .entry(tenant)
                .or_default()
                .push(row, &person, &vector)
        })
        .context("loading the face gallery")?;
        if skipped > 0 {
            tracing::warn!(
                skipped,
                "gallery rows with an unreadable embedding were skipped"
            );
        }
        Ok(Gallery {
            conn: Mutex::new(conn),
            tenants: RwLock::new(tenants),
            model_id: model_id.to_owned(),
        })
    }

    /// The model id whose embeddings this gallery stores and searches.
    pub fn model_id(&self) -> &str {
        &self.model_id
    }

    /// Adds a face: if the best match in this tenant's gallery has a cosine of at least
    /// `same_threshold`, the face joins that person, else it starts a new person. Committed and
    /// fsync'd before it returns. Errors for an embedding that is not `DIM` finite values with a
    /// non-zero length, a NaN threshold, or a storage failure.
    pub fn add(
        &self,
        tenant: &str,
        embedding: &[f32],
        same_threshold: f32,
    ) -> anyhow::Result<Added> {
        let vector = unit_vector(embedding)?;
        if same_threshold.is_nan() {
            bail!("the same-person threshold is not a number");
        }
        let conn = self.writer();
        let best = {
            let tenants = self.tenants.read().unwrap_or_else(|p| p.into_inner());
            tenants.get(tenant).and_then(|index| {
                index
                    .search(&vector, 1, same_threshold)
                    .first()
                    .map(|hit| index.person_id(hit.person).to_owned())
            })
        };
        let (person_id, new_person) = match best {
            Some(person) => (person, false),
            None => (new_person_id(), true),
        };
        let row = store::insert(&conn, tenant, &person_id, &self.model_id, &vector)
            .context("storing the face")?;
        let mut tenants = self.tenants.write().unwrap_or_else(|p| p.into_inner());
        let index = tenants.entry(tenant.to_owned()).or_default();
        index.push(row, &person_id, &vector);
        Ok(Added {
            person_count: index.face_count(&person_id),
            person_id,
            new_person,
        })
    }

    /// Adds every embedding as a face of a new person, in one transaction, without matching
    /// them against the gallery. For loading benchmark and migration data only; the face routes
    /// use [`Gallery::add`].
    #[doc(hidden)]
    pub fn add_new_persons_unmatched(
        &self,
        tenant: &str,
        embeddings: &[f32],
    ) -> anyhow::Result<Vec<String>> {
        if !embeddings.len().is_multiple_of(DIM) {
            bail!("embeddings must be a multiple of {DIM} values");
        }
        let vectors = embeddings
            .chunks_exact(DIM)
            .map(unit_vector)
            .collect::<anyhow::Result<Vec<_>>>()?;
        let mut conn = self.writer();
        let tx = conn.transaction()?;
        let mut rows = Vec::with_capacity(vectors.len());
        for vector in &vectors {
            let person = new_person_id();
            rows.push((
                store::insert(&tx, tenant, &person, &self.model_id, vector)?,
                person,
            ));
        }
        tx.commit()?;
        let mut tenants = self.tenants.write().unwrap_or_else(|p| p.into_inner());
        let index = tenants.entry(tenant.to_owned()).or_default();
        for ((row, person), vector) in rows.iter().zip(&vectors) {
            index.push(*row, person, vector);
        }
        Ok(rows.into_iter().map(|(_, person)| person).collect())
    }

    /// The best matches in the tenant's gallery, best first, at most `top_k` persons (each with
    /// their best face), only those with a cosine of at least `min_cosine`. An unknown tenant,
    /// an invalid embedding or a NaN `min_cosine` gives no matches.
    pub fn search(
        &self,
        tenant: &str,
        embedding: &[f32],
        top_k: usize,
        min_cosine: f32,
    ) -> Vec<Match> {
        let Ok(vector) = unit_vector(embedding) else {
            return Vec::new();
        };
        if min_cosine.is_nan() {
            return Vec::new();
        }
        let tenants = self.tenants.read().unwrap_or_else(|p| p.into_inner());
        let Some(index) = tenants.get(tenant) else {
            return Vec::new();
        };
        index
            .search(&vector, top_k, min_cosine)
            .into_iter()
            .map(|hit| Match {
                person_id: index.person_id(hit.person).to_owned(),
                cosine: hit.cosine,
            })
            .collect()
    }

    /// Removes a person and all their faces (of every model id); false when the person does not
    /// exist in this tenant. Committed before it returns.
    pub fn delete(&self, tenant: &str, person_id: &str) -> anyhow::Result<bool> {
        let conn = self.writer();
        if !store::person_exists(&conn, tenant, person_id)? {
            return Ok(false);
        }
        let removed =
            store::delete_person(&conn, tenant, person_id).context("deleting the person")?;
        let mut tenants = self.tenants.write().unwrap_or_else(|p| p.into_inner());
        if let Some(index) = tenants.get_mut(tenant) {
            index.remove_person(person_id);
        }
        Ok(removed > 0)
    }

    /// Persons and faces of the tenant that are searchable (the open model id).
    pub fn tenant_size(&self, tenant: &str) -> (usize, usize) {
        let tenants = self.tenants.read().unwrap_or_else(|p| p.into_inner());
        tenants.get(tenant).map_or((0, 0), TenantIndex::size)
    }

    /// Faces stored under another model id than the open one, per tenant and model:
    /// `(tenant, model_id, faces)`. They are never searched; an operator re-enrols them. A
    /// storage error is logged and gives an empty list.
    pub fn stale_model_rows(&self) -> Vec<(String, String, usize)> {
        let conn = self.writer();
        store::stale_rows(&conn, &self.model_id).unwrap_or_else(|error| {
            tracing::error!(%error, "listing stale gallery rows failed");
            Vec::new()
        })
    }

    fn writer(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A random, unguessable person id (UUID v4, 32 hex digits).
fn new_person_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Checks an embedding (`DIM` finite values, non-zero) and scales it to unit length.
fn unit_vector(embedding: &[f32]) -> anyhow::Result<[f32; DIM]> {
    let Ok(values) = <[f32; DIM]>::try_from(embedding) else {
        bail!("embedding has {} values, expected {DIM}", embedding.len());
    };
    if !values.iter().all(|v| v.is_finite()) {
        bail!("embedding has non-finite values");
    }
    let norm = values.iter().map(|v| v * v).sum::<f32>().sqrt();
    if !norm.is_normal() || norm < 1e-6 {
        bail!("embedding has zero length");
    }
    Ok(values.map(|v| v / norm))
}
