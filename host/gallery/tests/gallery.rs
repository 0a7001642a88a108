//! Gallery behaviour over a real SQLite file: add/search/delete, joining a person, ordering,
//! tenant isolation, durability across reopen, model-id refusal and bad input.
//!
//! The embeddings are synthetic unit vectors with controlled cosines: the gallery is model
//! agnostic, and the real-model checks live in `tests/real_faces.rs`.

use kycd_gallery::{Gallery, DIM};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const MODEL: &str = "sface-2021dec-fp32";

fn random_unit(rng: &mut ChaCha8Rng) -> Vec<f32> {
    let v: Vec<f32> = (0..DIM).map(|_| rng.random::<f32>() - 0.5).collect();
    normalised(v)
}

fn normalised(v: Vec<f32>) -> Vec<f32> {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.into_iter().map(|x| x / n).collect()
}

/// A unit vector with cosine `c` to the unit vector `base` (mixing in an orthogonal one).
fn at_cosine(base: &[f32], c: f32, rng: &mut ChaCha8Rng) -> Vec<f32> {
    let r = random_unit(rng);
    let along: f32 = r.iter().zip(base).map(|(x, y)| x * y).sum();
    let ortho = normalised(r.iter().zip(base).map(|(x, y)| x - along * y).collect());
    let s = (1.0 - c * c).sqrt();
    base.iter()
        .zip(&ortho)
        .map(|(b, o)| c * b + s * o)
        .collect()
}

fn cos(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn temp_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kycd.db");
    (dir, path)
}

#[test]
fn add_search_delete_round_trip() {
    let (_dir, db) = temp_db();
    let gallery = Gallery::open(&db, MODEL).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let alice = random_unit(&mut rng);
    let bob = random_unit(&mut rng);
    let a = gallery.add("t1", &alice, 0.42).unwrap();
    let b = gallery.add("t1", &bob, 0.42).unwrap();
    assert!(a.new_person && b.new_person);
    assert_ne!(a.person_id, b.person_id);
    assert_eq!(a.person_id.len(), 32, "uuid v4 simple form");
    assert!(a.person_id.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(gallery.tenant_size("t1"), (2, 2));

    let probe = at_cosine(&alice, 0.8, &mut rng);
    let hits = gallery.search("t1", &probe, 5, 0.3);
    assert_eq!(hits.len(), 1, "bob is about orthogonal: {hits:?}");
    assert_eq!(hits[0].person_id, a.person_id);
    assert!((hits[0].cosine - 0.8).abs() < 1e-4, "{}", hits[0].cosine);

    assert!(gallery.delete("t1", &a.person_id).unwrap());
    assert!(!gallery.delete("t1", &a.person_id).unwrap());
    assert!(gallery.search("t1", &probe, 5, 0.3).is_empty());
    assert_eq!(gallery.tenant_size("t1"), (1, 1));
}

#[test]
fn a_face_above_the_threshold_joins_the_person() {
    let (_dir, db) = temp_db();
    let gallery = Gallery::open(&db, MODEL).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let face = random_unit(&mut rng);
    let first = gallery.add("t", &face, 0.42).unwrap();
    let second = gallery
        .add("t", &at_cosine(&face, 0.6, &mut rng), 0.42)
        .unwrap();
    assert!(!second.new_person);
    assert_eq!(second.person_id, first.person_id);
    assert_eq!(second.person_count, 2);
    let other = gallery
        .add("t", &at_cosine(&face, 0.41, &mut rng), 0.42)
        .unwrap();
    assert!(other.new_person, "0.41 is below the 0.42 threshold");
    assert_eq!(other.person_count, 1);
    assert_eq!(gallery.tenant_size("t"), (2, 3));
    // A person with several faces is reported once, with their best face.
    let hits = gallery.search("t", &face, 10, -1.0);
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0].person_id, first.person_id);
    assert!((hits[0].cosine - 1.0).abs() < 1e-4);
}

#[test]
fn search_orders_best_first_and_honours_top_k_and_min_cosine() {
    let (_dir, db) = temp_db();
    let gallery = Gallery::open(&db, MODEL).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let query = random_unit(&mut rng);
    let cosines = [0.35, 0.9, 0.1, 0.7, 0.5, -0.4, 0.8];
    let mut ids = Vec::new();
    for &c in &cosines {
        let v = at_cosine(&query, c, &mut rng);
        ids.push(gallery.add("t", &v, 0.99).unwrap().person_id);
    }
    let hits = gallery.search("t", &query, 3, -1.0);
    let got: Vec<&str> = hits.iter().map(|h| h.person_id.as_str()).collect();
    assert_eq!(got, [&ids[1], &ids[6], &ids[3]]);
    let all = gallery.search("t", &query, 100, 0.3);
    assert_eq!(all.len(), 5);
    assert!(all.windows(2).all(|w| w[0].cosine >= w[1].cosine));
    assert!(all.iter().all(|h| h.cosine >= 0.3));
    assert!(gallery.search("t", &query, 0, -1.0).is_empty());
    assert_eq!(gallery.search("t", &query, 100, -1.0).len(), cosines.len());
}

#[test]
fn search_agrees_with_brute_force_on_a_larger_gallery() {
    let (_dir, db) = temp_db();
    let gallery = Gallery::open(&db, MODEL).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let vectors: Vec<Vec<f32>> = (0..3000).map(|_| random_unit(&mut rng)).collect();
    let ids = gallery
        .add_new_persons_unmatched("t", &vectors.concat())
        .unwrap();
    for _ in 0..20 {
        let query = random_unit(&mut rng);
        let mut expected: Vec<(f32, &str)> = vectors
            .iter()
            .zip(&ids)
            .map(|(v, id)| (cos(v, &query), id.as_str()))
            .collect();
        expected.sort_by(|a, b| b.0.total_cmp(&a.0));
        let hits = gallery.search("t", &query, 10, -1.0);
        let got: Vec<&str> = hits.iter().map(|h| h.person_id.as_str()).collect();
        let want: Vec<&str> = expected[..10].iter().map(|e| e.1).collect();
        assert_eq!(got, want);
    }
}

#[test]
fn tenants_never_see_each_other() {
    let (_dir, db) = temp_db();
    let gallery = Gallery::open(&db, MODEL).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let face = random_unit(&mut rng);
    let a = gallery.add("tenant-a", &face, 0.42).unwrap();
    assert!(gallery.search("tenant-b", &face, 5, -1.0).is_empty());
    // The same face in another tenant is a new person there, not a join.
    let b = gallery.add("tenant-b", &face, 0.42).unwrap();
    assert!(b.new_person);
    assert_ne!(a.person_id, b.person_id);
    // A person id of another tenant is "not found".
    assert!(!gallery.delete("tenant-b", &a.person_id).unwrap());
    assert_eq!(gallery.tenant_size("tenant-a"), (1, 1));
    assert!(gallery.delete("tenant-a", &a.person_id).unwrap());
    assert_eq!(gallery.tenant_size("tenant-b"), (1, 1));
    assert_eq!(
        gallery.search("tenant-b", &face, 5, 0.9)[0].person_id,
        b.person_id
    );
}

#[test]
fn faces_survive_a_reopen() {
    let (_dir, db) = temp_db();
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let faces: Vec<Vec<f32>> = (0..50).map(|_| random_unit(&mut rng)).collect();
    let (ids, deleted) = {
        let gallery = Gallery::open(&db, MODEL).unwrap();
        let ids: Vec<String> = faces
            .iter()
            .map(|f| gallery.add("t", f, 0.42).unwrap().person_id)
            .collect();
        assert!(gallery.delete("t", &ids[7]).unwrap());
        (ids, 7)
    };
    let gallery = Gallery::open(&db, MODEL).unwrap();
    assert_eq!(gallery.tenant_size("t"), (49, 49));
    for (i, (face, id)) in faces.iter().zip(&ids).enumerate() {
        let hits = gallery.search("t", face, 1, 0.99);
        if i == deleted {
            assert!(hits.is_empty());
        } else {
            assert_eq!(&hits[0].person_id, id);
        }
    }
    // Joining still works after a reopen.
    let again = gallery.add("t", &faces[3], 0.42).unwrap();
    assert_eq!(
        (again.person_id.as_str(), again.person_count),
        (ids[3].as_str(), 2)
    );
}

#[test]
fn rows_of_another_model_are_never_searched() {
    let (_dir, db) = temp_db();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let face = random_unit(&mut rng);
    let old_id = {
        let old = Gallery::open(&db, "old-model-v1").unwrap();
        old.add("t", &face, 0.42).unwrap();
        old.add("t", &random_unit(&mut rng), 0.42).unwrap();
        old.add("u", &face, 0.42).unwrap().person_id
    };
    let gallery = Gallery::open(&db, MODEL).unwrap();
    assert_eq!(gallery.model_id(), MODEL);
    assert!(gallery.search("t", &face, 5, -1.0).is_empty());
    assert_eq!(gallery.tenant_size("t"), (0, 0));
    let added = gallery.add("t", &face, 0.42).unwrap();
    assert!(added.new_person, "an old-model face must not be matched");
    assert_eq!(
        gallery.stale_model_rows(),
        vec![
            ("t".to_string(), "old-model-v1".to_string(), 2),
            ("u".to_string(), "old-model-v1".to_string(), 1),
        ]
    );
    // Deleting an old-model person still removes their stored faces (re-enrol path).
    assert!(gallery.delete("u", &old_id).unwrap());
    assert_eq!(gallery.stale_model_rows().len(), 1);
}

#[test]
fn bad_embeddings_are_refused_without_panicking() {
    let (_dir, db) = temp_db();
    let gallery = Gallery::open(&db, MODEL).unwrap();
    let mut nan = vec![0.1f32; DIM];
    nan[5] = f32::NAN;
    for bad in [
        vec![],
        vec![0.5f32; 127],
        vec![0.0f32; DIM],
        nan,
        vec![f32::INFINITY; DIM],
    ] {
        assert!(gallery.add("t", &bad, 0.42).is_err());
        assert!(gallery.search("t", &bad, 5, -1.0).is_empty());
    }
    assert!(Gallery::open(&db, "").is_err());
    let fine = vec![0.1f32; DIM];
    assert!(gallery.add("t", &fine, f32::NAN).is_err());
    assert!(gallery.search("t", &fine, 5, f32::NAN).is_empty());
    assert_eq!(gallery.tenant_size("t"), (0, 0));
    // Not unit length: scaled, so a scaled copy matches.
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let face = random_unit(&mut rng);
    let added = gallery.add("t", &face, 0.42).unwrap();
    let scaled: Vec<f32> = face.iter().map(|x| x * 3.0).collect();
    let hits = gallery.search("t", &scaled, 1, 0.99);
    assert_eq!(hits[0].person_id, added.person_id);
}

#[test]
fn concurrent_adds_and_searches_are_consistent() {
    let (_dir, db) = temp_db();
    let gallery = std::sync::Arc::new(Gallery::open(&db, MODEL).unwrap());
    let workers: Vec<_> = (0..4)
        .map(|t| {
            let gallery = gallery.clone();
            std::thread::spawn(move || {
                let mut rng = ChaCha8Rng::seed_from_u64(100 + t);
                for _ in 0..25 {
                    let face = random_unit(&mut rng);
                    let added = gallery.add("t", &face, 0.42).unwrap();
                    let hits = gallery.search("t", &face, 1, 0.99);
                    assert_eq!(hits[0].person_id, added.person_id);
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    assert_eq!(gallery.tenant_size("t"), (100, 100));
}
