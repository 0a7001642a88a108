//! The face routes: `face/compare`, `face/handheld`, and the per-tenant gallery
//! (`face/search/add`, `face/search`, `face/search/delete`), on the shared face runtime of
//! `kycd-vision` and the gallery of `kycd-gallery`. Thresholds and the similarity mapping are
//! calibrated in `docs/face.md`.

use kycd_gallery::{similarity_from_cosine, verdict, Gallery, Thresholds, Verdict};
use kycd_plugin_api::{Face, ImageRef};
use kycd_vision::face::{FaceEmbedding, FaceRuntime, QualityIssue};
use kycd_vision::stages::{self, Stage};
use kycd_vision::Vision;
use serde_json::{json, Value};

use crate::answer::{Answer, Status};
use crate::geometry;
use crate::imagein::{self, ImageLimits};
use crate::request::Params;

/// `[face]` of `plugins.toml`.
#[derive(Clone, Debug, Default)]
pub struct FaceConfig {
    pub thresholds: Thresholds,
}

impl FaceConfig {
    /// Reads `[face]`: `same`, `not_same` (cosine thresholds) and `liveness` (only `"off"`: no
    /// liveness model exists in any package kycd can install, and kycd never fakes a verdict).
    pub fn from_table(table: &toml::Table) -> anyhow::Result<FaceConfig> {
        let mut table = table.clone();
        match table.remove("liveness") {
            None => {}
            Some(toml::Value::String(s)) if s == "off" => {}
            Some(other) => anyhow::bail!(
                "[face] liveness = {other}: no liveness model is available to kycd; only \"off\" is accepted"
            ),
        }
        let thresholds: Thresholds = toml::Value::Table(table).try_into()?;
        Ok(FaceConfig { thresholds })
    }
}

/// What a face route needs besides its parameters.
pub struct FaceContext<'a> {
    pub vision: &'a Vision,
    pub gallery: &'a Gallery,
    pub config: &'a FaceConfig,
    pub tenant: &'a str,
    pub limits: ImageLimits,
}

/// The liveness hook: off, and there is no model to turn it on (see `docs/face.md`). A future
/// model plugs in here and may answer `FAIL` "not pass living recognition".
fn liveness_check(_image: ImageRef<'_>, _face: &Face) -> Option<bool> {
    None
}

struct Probe {
    face: Face,
    faces_found: usize,
    embedding: Option<FaceEmbedding>,
    issues: Vec<String>,
}

impl Probe {
    fn describe(&self) -> Value {
        let r = self.face.rect;
        json!({
            "faces_found": self.faces_found,
            "used": if self.faces_found > 1 { "largest" } else { "only" },
            "box": [r.x.round(), r.y.round(), r.width.round(), r.height.round()],
            "score": round3(self.face.score),
            "quality_issues": self.issues,
        })
    }
}

fn round3(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

/// Card portraits are small prints photographed through a second camera: their aligned crop is
/// softer than a live face's by nature. Below this Laplacian variance one is still too blurred
/// to judge (the live-face floor is `kycd_vision::face::quality::MIN_SHARPNESS`); see
/// `docs/face.md`.
pub const CARD_PORTRAIT_MIN_SHARPNESS: f32 = 20.0;

/// Assesses and embeds one detected face. Faces unfit for matching keep their issues and no
/// embedding is trusted for a verdict.
fn probe(runtime: &FaceRuntime, image: ImageRef<'_>, face: Face, faces_found: usize) -> Probe {
    probe_with(runtime, image, face, faces_found, |_| true)
}

/// [`probe`] keeping only the quality issues `keep` accepts.
fn probe_with(
    runtime: &FaceRuntime,
    image: ImageRef<'_>,
    face: Face,
    faces_found: usize,
    keep: impl Fn(&QualityIssue) -> bool,
) -> Probe {
    let (quality, embedding) =
        stages::time(Stage::FaceEmbed, || runtime.assess_and_embed(image, &face));
    let issues: Vec<String> = quality
        .issues
        .iter()
        .filter(|i| keep(i))
        .map(|i| i.to_string())
        .collect();
    Probe {
        face,
        faces_found,
        embedding: embedding.ok(),
        issues,
    }
}

fn decode(params: &Params, name: &str, limits: ImageLimits) -> Result<image::RgbImage, Answer> {
    imagein::decode_param(params, name, limits)
}

/// Faces of one image, largest first, timed as the `face_detect` stage.
fn detect(runtime: &FaceRuntime, image: ImageRef<'_>) -> Vec<Face> {
    stages::time(Stage::FaceDetect, || runtime.detect(image))
}

fn view(image: &image::RgbImage) -> ImageRef<'_> {
    ImageRef::new(image.width(), image.height(), image.as_raw()).expect("RgbImage is packed RGB")
}

/// The compare-style answer for two probes.
fn verdict_answer(
    a: &Probe,
    b: &Probe,
    thresholds: &Thresholds,
    details: bool,
    extra: Value,
) -> Answer {
    let (Some(ea), Some(eb)) = (&a.embedding, &b.embedding) else {
        return Answer::error(Status::RetryLater, "face embedding failed; retry later");
    };
    let cosine = kycd_vision::face::cosine(ea, eb);
    let mut result = verdict(cosine, thresholds);
    let mut reasons: Vec<String> = a.issues.iter().chain(&b.issues).cloned().collect();
    if !reasons.is_empty() && result != Verdict::NotSure {
        reasons.push(format!(
            "verdict {} withheld: a face is unfit for matching",
            result.as_str()
        ));
        result = Verdict::NotSure;
    }
    let similarity =
        (f64::from(similarity_from_cosine(cosine, thresholds)) * 1000.0).round() / 1000.0;
    let mut message = json!({ "similarity": similarity, "result": result.as_str() });
    if details {
        let mut d = json!({
            "cosine": round3(cosine),
            "thresholds": { "same": thresholds.same, "not_same": thresholds.not_same },
            "faces": [a.describe(), b.describe()],
            "reasons": reasons,
            "liveness": "not available",
        });
        if let (Value::Object(d), Value::Object(extra)) = (&mut d, extra) {
            d.extend(extra);
        }
        message["details"] = d;
    }
    Answer::ok(message)
}

/// `face/compare`: the largest face of `img1` against the largest face of `img2`. The two photos
/// are decoded, detected and embedded at the same time, on separate model sessions.
pub fn compare(ctx: &FaceContext<'_>, params: &Params) -> Answer {
    compare_photos(ctx.vision, ctx.config, ctx.limits, params)
}

/// [`compare`] without a tenant or gallery (it needs neither): for `kycd compare` in-process.
pub fn compare_photos(
    vision: &Vision,
    config: &FaceConfig,
    limits: ImageLimits,
    params: &Params,
) -> Answer {
    let runtime = vision.faces();
    // Each photo's probe and, for `debug=1`, its face boxes.
    let one = |name: &str, missing: Status| -> (Result<Probe, Answer>, Option<Value>) {
        let image = match decode(params, name, limits) {
            Ok(image) => image,
            Err(answer) => return (Err(answer), None),
        };
        let faces = detect(runtime, view(&image));
        let shapes =
            geometry::payload(image.width(), image.height(), geometry::face_shapes(&faces));
        let Some(&largest) = faces.first() else {
            return (
                Err(Answer::error(missing, format!("no face found in {name}"))),
                Some(shapes),
            );
        };
        (
            Ok(probe(runtime, view(&image), largest, faces.len())),
            Some(shapes),
        )
    };
    let ((a, debug_a), b) = std::thread::scope(|scope| {
        let b = scope.spawn(|| one("img2", Status::ImageBFaceDetectFailed));
        let a = one("img1", Status::ImageAFaceDetectFailed);
        (a, b.join())
    });
    let (b, debug_b) = b.unwrap_or_else(|_| {
        (
            Err(Answer::error(
                Status::RetryLater,
                "internal error; retry later",
            )),
            None,
        )
    });
    // Errors in the order the parameters are checked: img1 first.
    let answer = match (a, b) {
        (Err(answer), _) | (Ok(_), Err(answer)) => answer,
        (Ok(a), Ok(b)) => verdict_answer(
            &a,
            &b,
            &config.thresholds,
            params.flag("details"),
            json!({}),
        ),
    };
    if params.flag("debug") {
        answer.with_debug(json!({ "images": [
            { "param": "img1", "debug": debug_a },
            { "param": "img2", "debug": debug_b },
        ]}))
    } else {
        answer
    }
}

/// `face/handheld`: the live face against the portrait on the card the person holds.
pub fn handheld(ctx: &FaceContext<'_>, params: &Params) -> Answer {
    let image = match decode(params, "img", ctx.limits) {
        Ok(image) => image,
        Err(answer) => return answer,
    };
    let image_ref = view(&image);
    let runtime = ctx.vision.faces();
    let faces = detect(runtime, image_ref);
    if faces.len() < 2 {
        return Answer::error(
            Status::InvalidFaceNum,
            format!("{} faces found", faces.len()),
        );
    }
    // The card's portrait is a face inside the card region; without a card, the smaller face.
    let card = stages::time(Stage::DocumentLocate, || {
        ctx.vision.locate_document(image_ref)
    });
    let inside = |face: &Face| {
        card.as_ref().is_some_and(|c| {
            let b = c.quad.bounds();
            let (x, y) = (
                face.rect.x + face.rect.width / 2.0,
                face.rect.y + face.rect.height / 2.0,
            );
            x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height
        })
    };
    let card_face = faces.iter().position(&inside);
    let live_face = faces.iter().position(|f| !inside(f));
    let (live, portrait, how) = match (live_face, card_face) {
        (Some(l), Some(c)) => (l, c, "face inside the card region"),
        _ => (0, 1, "smaller face (no card region separated the faces)"),
    };
    let live_probe = probe(runtime, image_ref, faces[live], faces.len());
    let card_probe =
        probe_with(
            runtime,
            image_ref,
            faces[portrait],
            faces.len(),
            |issue| match issue {
                QualityIssue::TooBlurred { sharpness } => *sharpness < CARD_PORTRAIT_MIN_SHARPNESS,
                _ => true,
            },
        );
    if let Some(false) = liveness_check(image_ref, &faces[live]) {
        return Answer::error(Status::Fail, "not pass living recognition");
    }
    let debug = params.flag("debug").then(|| {
        let mut shapes = geometry::face_shapes(&faces);
        if let Some(c) = &card {
            shapes.push(geometry::document_shape(&c.quad, c.rotation_degrees));
        }
        geometry::payload(image.width(), image.height(), shapes)
    });
    let extra = json!({
        "card_portrait": how,
        "card_quad": card.as_ref().map(|c| c.quad.points.iter().map(|p| [p.x.round(), p.y.round()]).collect::<Vec<_>>()),
    });
    let answer = verdict_answer(
        &live_probe,
        &card_probe,
        &ctx.config.thresholds,
        params.flag("details"),
        extra,
    );
    match debug {
        Some(debug) => answer.with_debug(debug),
        None => answer,
    }
}

/// The embedding of the largest acceptable face of `img`, or the answer saying why not.
fn enrolment_face(ctx: &FaceContext<'_>, params: &Params) -> Result<FaceEmbedding, Answer> {
    let image = decode(params, "img", ctx.limits)?;
    let runtime = ctx.vision.faces();
    let faces = detect(runtime, view(&image));
    let Some(&largest) = faces.first() else {
        return Err(Answer::error(Status::FaceDetectFailed, "no face found"));
    };
    let probe = probe(runtime, view(&image), largest, faces.len());
    if !probe.issues.is_empty() {
        return Err(Answer::error(
            Status::FaceDetectFailed,
            format!(
                "face found but unfit for matching: {}",
                probe.issues.join("; ")
            ),
        ));
    }
    if liveness_check(view(&image), &largest) == Some(false) {
        return Err(Answer::error(Status::Fail, "not pass living recognition"));
    }
    let embedding = probe
        .embedding
        .ok_or_else(|| Answer::error(Status::RetryLater, "face embedding failed; retry later"))?;
    if embedding.model_id != ctx.gallery.model_id() {
        // Never mix embedding spaces: a gallery of another model needs re-enrolment first.
        tracing::error!(
            gallery_model = ctx.gallery.model_id(),
            embedding_model = embedding.model_id,
            "face model differs from the gallery's; re-enrol the gallery"
        );
        return Err(Answer::error(
            Status::RetryLater,
            "face gallery was built with another model",
        ));
    }
    Ok(embedding)
}

/// `face/search/add`: stores the face under a matching person or a new one. Free.
pub fn search_add(ctx: &FaceContext<'_>, params: &Params) -> Answer {
    let embedding = match enrolment_face(ctx, params) {
        Ok(e) => e,
        Err(answer) => return answer.free(),
    };
    match ctx
        .gallery
        .add(ctx.tenant, &embedding.vector, ctx.config.thresholds.same)
    {
        Ok(added) => Answer::ok(json!({
            "group_id": ctx.tenant,
            "person_id": added.person_id,
            "person_count": added.person_count,
        }))
        .free(),
        Err(e) => {
            tracing::error!(error = %e, "gallery add failed");
            Answer::error(Status::RetryLater, "gallery unavailable; retry later")
        }
    }
}

/// `face/search`: the best match (or `top_k` ranked matches) in the tenant's gallery.
pub fn search(ctx: &FaceContext<'_>, params: &Params) -> Answer {
    let top_k = match params.text("top_k").map(str::parse::<usize>) {
        None => None,
        Some(Ok(k)) if (1..=100).contains(&k) => Some(k),
        Some(_) => {
            return Answer::error(
                Status::InvalidRequest,
                "top_k must be a number from 1 to 100",
            )
        }
    };
    let embedding = match enrolment_face(ctx, params) {
        Ok(e) => e,
        Err(answer) => return answer,
    };
    let thresholds = &ctx.config.thresholds;
    let matches = ctx.gallery.search(
        ctx.tenant,
        &embedding.vector,
        top_k.unwrap_or(1),
        thresholds.not_same,
    );
    let ranked: Vec<Value> = matches
        .iter()
        .map(|m| {
            json!({
                "person_id": m.person_id,
                "confidence": (f64::from(similarity_from_cosine(m.cosine, thresholds)) * 1000.0).round() / 1000.0,
            })
        })
        .collect();
    let mut message = match ranked.first() {
        Some(best) => best.clone(),
        None => json!({}),
    };
    if top_k.is_some() {
        message["results"] = Value::Array(ranked);
    }
    Answer::ok(message)
}

/// `face/search/delete`: removes a person of this tenant and all their faces. Free.
pub fn search_delete(gallery: &Gallery, tenant: &str, params: &Params) -> Answer {
    let Some(person_id) = params.text("person_id") else {
        return Answer::error(
            Status::InvalidRequest,
            "missing or empty parameter person_id",
        );
    };
    match gallery.delete(tenant, person_id) {
        Ok(true) => Answer::ok(Value::Null).free(),
        Ok(false) => Answer::error(Status::PersonIdNotExist, "person_id does not exist"),
        Err(e) => {
            tracing::error!(error = %e, "gallery delete failed");
            Answer::error(Status::RetryLater, "gallery unavailable; retry later")
        }
    }
}
