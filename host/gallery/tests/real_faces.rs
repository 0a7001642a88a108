//! The gallery and the calibrated thresholds over real SFace embeddings of real photographs
//! (Obama x2, Biden from the `face_recognition==1.3.0` sdist).
//!
//! Needs the models (`models/fetch.sh`; or `KYCD_MODELS_DIR`) and the photos
//! (`host/vision/tests/data/fetch-face-samples.sh`); without them the tests fail and say which
//! command to run.

use std::path::PathBuf;

use kycd_gallery::{similarity_from_cosine, verdict, Gallery, Thresholds, Verdict};
use kycd_plugin_api::ImageRef;
use kycd_vision::face::{cosine, FaceEmbedding, FaceRuntime, EMBEDDING_MODEL_ID};

fn models_dir() -> PathBuf {
    std::env::var_os("KYCD_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models"))
}

fn embeddings() -> [FaceEmbedding; 3] {
    let runtime = FaceRuntime::load(&models_dir(), 2)
        .unwrap_or_else(|e| panic!("face models not loadable (run models/fetch.sh): {e:#}"));
    ["obama.jpg", "obama2.jpg", "biden.jpg"].map(|name| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../vision/tests/data/cache")
            .join(name);
        let image = image::open(&path)
            .unwrap_or_else(|e| {
                panic!(
                    "{} not readable ({e}); run host/vision/tests/data/fetch-face-samples.sh",
                    path.display()
                )
            })
            .to_rgb8();
        let view = ImageRef::new(image.width(), image.height(), image.as_raw()).unwrap();
        let faces = runtime.detect(view);
        assert_eq!(faces.len(), 1, "{name}: one face expected");
        runtime.embed(view, &faces[0]).expect("embedding")
    })
}

#[test]
fn real_faces_join_the_right_person_and_get_the_right_verdicts() {
    let [obama, obama2, biden] = embeddings();
    let thresholds = Thresholds::default();
    let same = cosine(&obama, &obama2);
    let different = cosine(&obama, &biden);
    assert_eq!(
        verdict(same, &thresholds),
        Verdict::SamePerson,
        "cosine {same}"
    );
    assert_eq!(
        verdict(different, &thresholds),
        Verdict::NotSamePerson,
        "cosine {different}"
    );
    assert!(similarity_from_cosine(same, &thresholds) >= 70.0);
    assert!(similarity_from_cosine(different, &thresholds) < 40.0);

    let dir = tempfile::tempdir().unwrap();
    let gallery = Gallery::open(&dir.path().join("kycd.db"), EMBEDDING_MODEL_ID).unwrap();
    let first = gallery.add("t", &obama.vector, thresholds.same).unwrap();
    let joined = gallery.add("t", &obama2.vector, thresholds.same).unwrap();
    let other = gallery.add("t", &biden.vector, thresholds.same).unwrap();
    assert!(first.new_person && !joined.new_person && other.new_person);
    assert_eq!(joined.person_id, first.person_id);
    assert_eq!(joined.person_count, 2);
    assert_ne!(other.person_id, first.person_id);

    let hits = gallery.search("t", &obama2.vector, 5, thresholds.not_same);
    assert_eq!(hits.len(), 1, "Biden is below not_same: {hits:?}");
    assert_eq!(hits[0].person_id, first.person_id);
    assert!(
        (hits[0].cosine - 1.0).abs() < 1e-4,
        "obama2 itself is stored"
    );
    let hits = gallery.search("t", &biden.vector, 5, -1.0);
    assert_eq!(hits[0].person_id, other.person_id);
    assert!((hits[1].cosine - different.max(cosine(&obama2, &biden))).abs() < 1e-4);
}
