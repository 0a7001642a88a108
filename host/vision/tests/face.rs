//! Face detection, embedding and quality over real photographs.
//!
//! Needs the models (`models/fetch.sh`; or `KYCD_MODELS_DIR`) and the sample photos
//! (`host/vision/tests/data/fetch-face-samples.sh`). Without them every test fails and says
//! which command to run.

use std::path::PathBuf;
use std::sync::OnceLock;

use image::{imageops, RgbImage};
use kycd_plugin_api::{Face, ImageRef, Point, Rect};
use kycd_vision::face::{cosine, FaceEmbedding, FaceRuntime, SAME_PERSON_COSINE};

fn models_dir() -> PathBuf {
    std::env::var_os("KYCD_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models"))
}

fn runtime() -> &'static FaceRuntime {
    static RUNTIME: OnceLock<FaceRuntime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        FaceRuntime::load(&models_dir(), 2).unwrap_or_else(|e| {
            panic!(
                "face models not loadable from {}: {e:#}",
                models_dir().display()
            )
        })
    })
}

fn sample(name: &str) -> RgbImage {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/cache")
        .join(name);
    image::open(&path)
        .unwrap_or_else(|e| {
            panic!(
                "sample {} not readable ({e}); run host/vision/tests/data/fetch-face-samples.sh",
                path.display()
            )
        })
        .to_rgb8()
}

fn view(image: &RgbImage) -> ImageRef<'_> {
    ImageRef::new(image.width(), image.height(), image.as_raw()).expect("consistent buffer")
}

fn the_face(image: &RgbImage) -> Face {
    let faces = runtime().detect(view(image));
    assert_eq!(faces.len(), 1, "expected exactly one face, got {faces:?}");
    faces[0]
}

fn embedding(name: &str) -> FaceEmbedding {
    let image = sample(name);
    let face = the_face(&image);
    runtime().embed(view(&image), &face).expect("embedding")
}

#[test]
fn one_face_in_each_sample_with_plausible_landmarks() {
    for name in ["obama.jpg", "obama2.jpg", "biden.jpg"] {
        let image = sample(name);
        let face = the_face(&image);
        assert!(face.score >= 0.6, "{name}: score {}", face.score);
        let r = face.rect;
        assert!(r.width > 50.0 && r.height > 50.0, "{name}: box {r:?}");
        for p in face.landmarks {
            assert!(
                p.x >= r.x - 0.1 * r.width
                    && p.x <= r.x + 1.1 * r.width
                    && p.y >= r.y - 0.1 * r.height
                    && p.y <= r.y + 1.1 * r.height,
                "{name}: landmark {p:?} outside {r:?}"
            );
        }
        let [eye_a, eye_b, nose, mouth_a, mouth_b] = face.landmarks;
        assert!(eye_a.x < eye_b.x, "{name}: first eye is the image-left one");
        assert!(nose.y > eye_a.y && mouth_a.y > nose.y && mouth_b.y > nose.y);
    }
}

#[test]
fn same_person_is_clearly_closer_than_different_people() {
    let obama = embedding("obama.jpg");
    let obama2 = embedding("obama2.jpg");
    let biden = embedding("biden.jpg");
    let norm: f32 = obama.vector.iter().map(|v| v * v).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-4, "embedding is L2-normalised");
    let same = cosine(&obama, &obama2);
    let different = cosine(&obama, &biden);
    let different2 = cosine(&obama2, &biden);
    println!(
        "cosine obama/obama2 {same:.3}, obama/biden {different:.3}, obama2/biden {different2:.3}"
    );
    // OpenCV's published SFace threshold for "same person" is a cosine of 0.363.
    assert!(same > 0.363, "same person: {same}");
    assert!(
        different < 0.363 && different2 < 0.363,
        "different: {different}, {different2}"
    );
    assert!(
        same - different.max(different2) > 0.2,
        "margin: {same} vs {different}/{different2}"
    );
}

#[test]
fn no_face_on_blank_or_noise() {
    let blank = RgbImage::from_pixel(640, 480, image::Rgb([200, 200, 200]));
    assert!(runtime().detect(view(&blank)).is_empty());
    let mut state: u32 = 12345;
    let noise = RgbImage::from_fn(640, 480, |_, _| {
        let mut next = || {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 24) as u8
        };
        image::Rgb([next(), next(), next()])
    });
    assert!(runtime().detect(view(&noise)).is_empty());
}

#[test]
fn faces_are_returned_largest_first() {
    let obama = sample("obama.jpg");
    let biden = sample("biden.jpg");
    let small = imageops::resize(
        &obama,
        obama.width() / 3,
        obama.height() / 3,
        imageops::FilterType::Triangle,
    );
    let big_h = 700;
    let big = imageops::resize(
        &biden,
        biden.width() * big_h / biden.height(),
        big_h,
        imageops::FilterType::Triangle,
    );
    let mut canvas = RgbImage::from_pixel(
        small.width() + big.width() + 60,
        big_h + 40,
        image::Rgb([90, 90, 90]),
    );
    imageops::replace(&mut canvas, &small, 20, 20);
    let big_x = small.width() as i64 + 40;
    imageops::replace(&mut canvas, &big, big_x, 20);
    let faces = runtime().detect(view(&canvas));
    assert!(faces.len() >= 2, "two faces expected, got {faces:?}");
    let area = |f: &Face| f.rect.width * f.rect.height;
    assert!(faces.windows(2).all(|w| area(&w[0]) >= area(&w[1])));
    assert!(
        faces[0].rect.x >= big_x as f32 - 1.0,
        "the largest face is Biden's: {faces:?}"
    );
    assert!(
        faces[1].rect.x < small.width() as f32 + 20.0,
        "then Obama's: {faces:?}"
    );
}

fn scaled(face: &Face, factor: f32) -> Face {
    let p = |p: Point| Point {
        x: p.x * factor,
        y: p.y * factor,
    };
    Face {
        rect: Rect {
            x: face.rect.x * factor,
            y: face.rect.y * factor,
            width: face.rect.width * factor,
            height: face.rect.height * factor,
        },
        landmarks: face.landmarks.map(p),
        score: face.score,
    }
}

#[test]
fn quality_flags_tiny_and_blurred_faces_only() {
    let image = sample("obama.jpg");
    let face = the_face(&image);
    let good = runtime().assess(view(&image), &face);
    println!("sharp: {good:?}");
    assert!(good.is_acceptable(), "{:?}", good.reasons());

    // Downscaled so that the eyes are about 10 px apart.
    let factor = 10.0 / good.eye_distance_px;
    let (w, h) = (
        (image.width() as f32 * factor).round() as u32,
        (image.height() as f32 * factor).round() as u32,
    );
    let tiny_image = imageops::resize(&image, w, h, imageops::FilterType::Triangle);
    let tiny = runtime().assess(view(&tiny_image), &scaled(&face, factor));
    println!("tiny: {tiny:?}");
    assert!(tiny.too_small(), "{tiny:?}");
    assert!(tiny.reasons().iter().any(|r| r.contains("too small")));

    // Heavily blurred at full size: detectable geometry, no detail.
    let sigma = good.eye_distance_px / 8.0;
    let blurred_image = imageops::blur(&image, sigma);
    let blurred = runtime().assess(view(&blurred_image), &face);
    println!("blurred (sigma {sigma:.1}): {blurred:?}");
    assert!(blurred.too_blurred(), "{blurred:?}");
    assert!(!blurred.too_small());
    assert!(blurred.reasons().iter().any(|r| r.contains("too blurred")));
}

#[test]
fn bad_input_never_panics() {
    let rt = runtime();
    let bogus = ImageRef {
        width: 100,
        height: 100,
        rgb: abi_stable::std_types::RSlice::from_slice(&[0u8; 10]),
    };
    assert!(rt.detect(bogus).is_empty());
    assert!(rt.detect(ImageRef::new(0, 0, &[]).unwrap()).is_empty());
    let one = [10u8, 20, 30];
    assert!(rt.detect(ImageRef::new(1, 1, &one).unwrap()).is_empty());
    for (w, h) in [(1, 700), (700, 1), (5000, 3)] {
        let thin = RgbImage::new(w, h);
        assert!(rt.detect(view(&thin)).is_empty(), "{w}x{h}");
    }
    let degenerate = Face {
        rect: Rect::default(),
        landmarks: [Point::default(); 5],
        score: 1.0,
    };
    let image = RgbImage::new(64, 64);
    assert!(rt.embed(view(&image), &degenerate).is_err());
    assert!(rt.embed(bogus, &degenerate).is_err());
    assert!(rt.assess(bogus, &degenerate).too_small());
}

#[test]
fn missing_models_give_an_error_naming_the_file_and_fetch_script() {
    let empty = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("face-no-models");
    std::fs::create_dir_all(&empty).unwrap();
    // Load the environment from the real directory first so only the face files are missing.
    let _ = runtime();
    let error = match FaceRuntime::load(&empty, 1) {
        Ok(_) => panic!("loading from an empty directory must fail"),
        Err(error) => format!("{error:#}"),
    };
    assert!(
        error.contains("face_detection_yunet_2023mar.onnx"),
        "{error}"
    );
    assert!(error.contains("models/fetch.sh"), "{error}");
}

/// Dev check over `/work/shared/devset/faces` (not part of the regular suite): prints the
/// same-person and different-person cosine distributions.
#[test]
#[ignore]
fn devset_cosine_distributions() {
    let root = PathBuf::from(
        std::env::var("KYCD_FACE_DEVSET").unwrap_or_else(|_| "/work/shared/devset/faces".into()),
    );
    let mut people: Vec<(String, Vec<FaceEmbedding>)> = Vec::new();
    let mut sharpness: Vec<f32> = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&root)
        .expect("devset")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for person in entries {
        let name = person.file_name().to_string_lossy().to_string();
        if name.starts_with("multiple") || !person.path().is_dir() {
            continue;
        }
        let mut embeddings = Vec::new();
        let mut files: Vec<_> = std::fs::read_dir(person.path())
            .unwrap()
            .flatten()
            .collect();
        files.sort_by_key(|e| e.file_name());
        for file in files {
            let Ok(image) = image::open(file.path()) else {
                continue;
            };
            let image = image.to_rgb8();
            let faces = runtime().detect(view(&image));
            let Some(face) = faces.first() else {
                println!("no face: {}", file.path().display());
                continue;
            };
            let quality = runtime().assess(view(&image), face);
            if !quality.is_acceptable() {
                println!("{}: {:?}", file.path().display(), quality.reasons());
            }
            sharpness.push(quality.sharpness);
            embeddings.push(runtime().embed(view(&image), face).unwrap());
        }
        people.push((name, embeddings));
    }
    let (mut same, mut different) = (Vec::new(), Vec::new());
    for (i, (_, a)) in people.iter().enumerate() {
        for (j, (_, b)) in people.iter().enumerate().skip(i) {
            for (x, ea) in a.iter().enumerate() {
                for (y, eb) in b.iter().enumerate() {
                    if i == j && y <= x {
                        continue;
                    }
                    let c = cosine(ea, eb);
                    if i == j {
                        same.push(c)
                    } else {
                        different.push(c)
                    }
                }
            }
        }
    }
    let summary = |v: &mut Vec<f32>| {
        v.sort_by(f32::total_cmp);
        let q = |p: f32| v[((v.len() - 1) as f32 * p) as usize];
        format!(
            "n={} min={:.3} p10={:.3} median={:.3} p90={:.3} max={:.3}",
            v.len(),
            q(0.0),
            q(0.1),
            q(0.5),
            q(0.9),
            q(1.0)
        )
    };
    println!("sharpness:        {}", summary(&mut sharpness));
    println!("same person:      {}", summary(&mut same));
    println!("different people: {}", summary(&mut different));
    let t = SAME_PERSON_COSINE;
    let fnr = same.iter().filter(|&&c| c < t).count() as f32 / same.len() as f32;
    let fpr = different.iter().filter(|&&c| c >= t).count() as f32 / different.len() as f32;
    println!(
        "at cosine {t}: false non-match {:.1}%, false match {:.2}%",
        fnr * 100.0,
        fpr * 100.0
    );
}
