//! What a plugin declares about itself. The host builds its route table, `GET /v1/routes` and the
//! OpenAPI description from manifests alone.

use abi_stable::std_types::{RString, RVec};
use abi_stable::StableAbi;

/// One response key of a document type.
#[repr(C)]
#[derive(StableAbi, Clone, Debug)]
pub struct FieldSpec {
    /// The exact JSON key, e.g. `DateOfBirth`.
    pub key: RString,
    /// One line saying what the value is and how it is formatted.
    pub description: RString,
}

/// One document type a plugin reads, served on one route.
#[repr(C)]
#[derive(StableAbi, Clone, Debug)]
pub struct DocumentSpec {
    /// The route without the `/v1/` prefix, e.g. `ocr/de/id-card`.
    pub route: RString,
    /// Human title, e.g. "Germany ID card".
    pub title: RString,
    /// The response keys, in answer order.
    pub fields: RVec<FieldSpec>,
}

impl DocumentSpec {
    /// A document type on `route` with no fields yet.
    pub fn new(route: &str, title: &str) -> Self {
        DocumentSpec {
            route: route.into(),
            title: title.into(),
            fields: RVec::new(),
        }
    }

    /// Adds a response key.
    pub fn field(mut self, key: &str, description: &str) -> Self {
        self.fields.push(FieldSpec {
            key: key.into(),
            description: description.into(),
        });
        self
    }
}

/// A plugin's declaration of itself.
#[repr(C)]
#[derive(StableAbi, Clone, Debug)]
pub struct Manifest {
    /// Short id, usually the ISO 3166 alpha-2 country code in lower case, e.g. `de`.
    pub id: RString,
    /// The plugin's own version (semver), reported in `/v1/routes` and metrics.
    pub version: RString,
    /// The document types it reads.
    pub documents: RVec<DocumentSpec>,
}

impl Manifest {
    /// A manifest with no documents yet.
    pub fn new(id: &str, version: &str) -> Self {
        Manifest {
            id: id.into(),
            version: version.into(),
            documents: RVec::new(),
        }
    }

    /// Adds a document type.
    pub fn document(mut self, document: DocumentSpec) -> Self {
        self.documents.push(document);
        self
    }
}
