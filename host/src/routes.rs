//! The route table: every route the host serves, built from plugin manifests plus the host's
//! built-in services. Swapped atomically on reload; a request keeps the table it started with.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{json, Value};

use crate::plugins::{FieldInfo, LoadedPlugin};

/// A request parameter of a route.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ParamInfo {
    pub name: &'static str,
    /// `image` (base64 or a file part) or `text`.
    pub kind: &'static str,
    pub required: bool,
    pub description: &'static str,
}

const IMG: ParamInfo = ParamInfo {
    name: "img",
    kind: "image",
    required: true,
    description: "Base64 JPEG/PNG/BMP (standard or URL-safe, data: prefix allowed), or a file part; at most 2 MiB",
};
const fn image(name: &'static str, description: &'static str) -> ParamInfo {
    ParamInfo {
        name,
        kind: "image",
        required: true,
        description,
    }
}

const fn text(name: &'static str, required: bool, description: &'static str) -> ParamInfo {
    ParamInfo {
        name,
        kind: "text",
        required,
        description,
    }
}

const DETAILS: ParamInfo = ParamInfo {
    name: "details",
    kind: "text",
    required: false,
    description: "1 adds per-field value, confidence, validity and source, plus geometry, under message.details",
};

const DEBUG: ParamInfo = ParamInfo {
    name: "debug",
    kind: "text",
    required: false,
    description: "1 adds a top-level `debug` object: the geometry the vision services found (document outline, text lines, MRZ, barcodes, faces) in pixels of the uploaded image after its EXIF orientation (see docs/console.md)",
};

/// Built-in services of the host (not plugins).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Mrz,
    WhatsappDetail,
    FaceCompare,
    FaceHandheld,
    FaceSearchAdd,
    FaceSearch,
    FaceSearchDelete,
}

/// What serves a route.
#[derive(Clone, Debug)]
pub enum Handler {
    Plugin(Arc<LoadedPlugin>),
    Builtin(Builtin),
}

/// One route.
#[derive(Clone, Debug)]
pub struct RouteEntry {
    pub route: String,
    pub title: String,
    pub params: Vec<ParamInfo>,
    pub fields: Vec<FieldInfo>,
    pub handler: Handler,
}

impl RouteEntry {
    /// Whether the route takes an image parameter (and so needs a worker slot).
    pub fn takes_images(&self) -> bool {
        self.params.iter().any(|p| p.kind == "image")
    }
}

impl RouteEntry {
    /// Who serves the route: a plugin id and version, or `builtin`.
    pub fn provider(&self) -> (String, String) {
        match &self.handler {
            Handler::Plugin(p) => (p.id.clone(), p.version.clone()),
            Handler::Builtin(_) => ("builtin".into(), env!("CARGO_PKG_VERSION").into()),
        }
    }

    /// The route as listed by `GET /v1/routes`.
    pub fn describe(&self) -> Value {
        let (provider, version) = self.provider();
        json!({
            "route": self.route,
            "path": format!("/v1/{}", self.route),
            "title": self.title,
            "provider": provider,
            "version": version,
            "params": self.params,
            "fields": self.fields,
        })
    }
}

/// All routes, by route name.
#[derive(Debug, Default)]
pub struct RouteTable {
    routes: BTreeMap<String, RouteEntry>,
}

impl RouteTable {
    /// Builds the table from the built-ins and the given plugins (in order; a plugin whose route
    /// is already taken is skipped and reported).
    pub fn build(plugins: &[Arc<LoadedPlugin>]) -> (RouteTable, Vec<String>) {
        let mut table = RouteTable::default();
        for entry in builtin_routes() {
            table.routes.insert(entry.route.clone(), entry);
        }
        let mut conflicts = Vec::new();
        for plugin in plugins {
            if let Some(doc) = plugin
                .documents
                .iter()
                .find(|d| table.routes.contains_key(&d.route))
            {
                conflicts.push(format!(
                    "plugin {} ({}) declares route {} which is already served; plugin skipped",
                    plugin.id,
                    plugin.source.display(),
                    doc.route
                ));
                continue;
            }
            for doc in &plugin.documents {
                table.routes.insert(
                    doc.route.clone(),
                    RouteEntry {
                        route: doc.route.clone(),
                        title: doc.title.clone(),
                        params: vec![IMG, DETAILS, DEBUG],
                        fields: doc.fields.clone(),
                        handler: Handler::Plugin(plugin.clone()),
                    },
                );
            }
        }
        (table, conflicts)
    }

    pub fn get(&self, route: &str) -> Option<&RouteEntry> {
        self.routes.get(route)
    }

    pub fn iter(&self) -> impl Iterator<Item = &RouteEntry> {
        self.routes.values()
    }

    pub fn len(&self) -> usize {
        self.routes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }
}

fn field(key: &str, description: &str) -> FieldInfo {
    FieldInfo {
        key: key.into(),
        description: description.into(),
    }
}

fn builtin_routes() -> Vec<RouteEntry> {
    let documents_and_numbers = vec![
        RouteEntry {
            route: "ocr/mrz".into(),
            title: "Machine-readable zone of any passport or ID card (ICAO 9303 TD1/TD2/TD3)"
                .into(),
            params: vec![IMG, DETAILS, DEBUG],
            fields: vec![
                field("Format", "TD1, TD2 or TD3"),
                field("DocumentCode", "Document code, e.g. P, ID, I<"),
                field("IssuingState", "Issuing state, ICAO 3-letter code"),
                field("DocumentNumber", "Document number"),
                field("Surname", "Primary identifier"),
                field("GivenNames", "Secondary identifier"),
                field("Nationality", "Nationality, ICAO 3-letter code"),
                field("DateOfBirth", "YYMMDD as in the MRZ"),
                field("Sex", "M, F or <"),
                field("DateOfExpiry", "YYMMDD as in the MRZ"),
                field(
                    "OptionalData",
                    "Optional data (line 1 for TD1, personal number for TD3)",
                ),
                field(
                    "ChecksValid",
                    "true when every check digit, composite included, is valid",
                ),
            ],
            handler: Handler::Builtin(Builtin::Mrz),
        },
        RouteEntry {
            route: "whatsapp/detail".into(),
            title: "WhatsApp detail check of a phone number, through the configured upstream"
                .into(),
            params: vec![
                text(
                    "number",
                    true,
                    "Phone number, national or international form",
                ),
                text(
                    "country",
                    false,
                    "ISO 3166 alpha-2 country, used when the number has no country code",
                ),
                text(
                    "callback",
                    false,
                    "http(s) URL that receives the result by GET when it was not known at once",
                ),
                text(
                    "servstatus",
                    false,
                    "y: answer RETRY_LATER at once when the upstream is down instead of queuing",
                ),
            ],
            fields: vec![
                field("number", "The number in E.164"),
                field(
                    "whatsapp",
                    "yes, no, or checking while the lookup is pending",
                ),
                field(
                    "status_update",
                    "Date of the last status update, YYYYMMDD (when yes)",
                ),
                field("signature", "Profile status text (when yes)"),
                field("business_user", "yes or no (when yes)"),
                field("avatar", "yes or no (when yes)"),
            ],
            handler: Handler::Builtin(Builtin::WhatsappDetail),
        },
    ];
    documents_and_numbers
        .into_iter()
        .chain(face_routes())
        .collect()
}

fn face_routes() -> Vec<RouteEntry> {
    let verdict_fields = || {
        vec![
            field(
                "similarity",
                "0-100, a monotone mapping of the embedding cosine (docs/face.md)",
            ),
            field("result", "SAME PERSON, NOT SAME PERSON or NOT SURE"),
        ]
    };
    let img = image("img", "Base64 JPEG/PNG/BMP or a file part; at most 2 MiB");
    let entry =
        |route: &str, title: &str, params: Vec<ParamInfo>, fields: Vec<FieldInfo>, builtin| {
            RouteEntry {
                route: route.into(),
                title: title.into(),
                params,
                fields,
                handler: Handler::Builtin(builtin),
            }
        };
    vec![
        entry(
            "face/compare",
            "Compare the largest faces of two photos",
            vec![image("img1", "First photo"), image("img2", "Second photo"), DETAILS, DEBUG],
            verdict_fields(),
            Builtin::FaceCompare,
        ),
        entry(
            "face/handheld",
            "Hand-held ID check: the live face against the portrait on the card held in the same photo",
            vec![img.clone(), DETAILS, DEBUG],
            verdict_fields(),
            Builtin::FaceHandheld,
        ),
        entry(
            "face/search/add",
            "Store a face in this key's gallery (joins a matching person, else a new one); free",
            vec![img.clone()],
            vec![
                field("group_id", "The gallery: this key's tenant name"),
                field("person_id", "The person the face was stored under"),
                field("person_count", "Faces stored for that person"),
            ],
            Builtin::FaceSearchAdd,
        ),
        entry(
            "face/search",
            "Best match of a face in this key's gallery",
            vec![img, text("top_k", false, "Return a ranked list of up to top_k matches (1-100) under results")],
            vec![
                field("person_id", "Best matching person (absent when nobody is above the NOT SURE threshold)"),
                field("confidence", "0-100, on the same scale as similarity"),
            ],
            Builtin::FaceSearch,
        ),
        entry(
            "face/search/delete",
            "Remove a person and all their faces from this key's gallery; free",
            vec![text("person_id", true, "The person to remove")],
            vec![],
            Builtin::FaceSearchDelete,
        ),
    ]
}
