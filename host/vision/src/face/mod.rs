//! Faces: detection (YuNet 2023mar), alignment to the ArcFace 5-point template, 128-d
//! embeddings (SFace 2021dec) and quality checks. See `docs/vision-faces-mrz-barcodes.md`.
//!
//! The host loads one [`FaceRuntime`] and shares it between request threads; each ONNX session
//! sits behind a mutex (`ort`'s `Session::run` takes `&mut self`).

pub mod align;
pub mod detect;
pub mod quality;

use std::path::Path;

use anyhow::{anyhow, bail};
use kycd_plugin_api::{Face, ImageRef};
use ort::value::Tensor;

use crate::runtime::SessionPool;

pub use quality::{FaceQuality, QualityIssue};

/// YuNet face detector file in the models directory.
pub const DETECTOR_FILE: &str = "face_detection_yunet_2023mar.onnx";
/// SFace face recogniser file in the models directory.
pub const RECOGNIZER_FILE: &str = "face_recognition_sface_2021dec.onnx";
/// Identifies the embedding space: embeddings of different models must not be compared.
pub const EMBEDDING_MODEL_ID: &str = "sface-2021dec-fp32";
/// Length of an embedding.
pub const EMBEDDING_DIM: usize = 128;
/// Cosine similarity at or above which two SFace embeddings are the same person (OpenCV's
/// published SFace threshold; on the dev set: 0 % false non-matches, 0.47 % false matches).
pub const SAME_PERSON_COSINE: f32 = 0.363;

/// An L2-normalised face embedding.
#[derive(Clone, Debug, PartialEq)]
pub struct FaceEmbedding {
    /// 128 values, unit length.
    pub vector: [f32; EMBEDDING_DIM],
    /// The model that produced it ([`EMBEDDING_MODEL_ID`]).
    pub model_id: &'static str,
}

/// Cosine similarity of two embeddings (their dot product, as both are unit length). Returns
/// 0.0 for embeddings of different models.
pub fn cosine(a: &FaceEmbedding, b: &FaceEmbedding) -> f32 {
    if a.model_id != b.model_id {
        return 0.0;
    }
    a.vector
        .iter()
        .zip(b.vector.iter())
        .map(|(x, y)| x * y)
        .sum()
}

/// The face models, loaded once and shared between request threads.
pub struct FaceRuntime {
    detector: SessionPool,
    recognizer: SessionPool,
}

/// Sessions per face model: the two photos of a compare (or two requests) run on separate
/// sessions at the same time, which on these small models beats one session's intra-op
/// threading.
const SESSIONS_PER_MODEL: usize = 2;

impl FaceRuntime {
    /// Loads YuNet and SFace from `models_dir` into the process-wide ONNX Runtime environment
    /// ([`crate::runtime::environment`]): `SESSIONS_PER_MODEL` sessions per model, each with
    /// `threads` intra-op threads. A missing or corrupt file gives an error naming it and
    /// `models/fetch.sh`.
    pub fn load(models_dir: &Path, threads: usize) -> anyhow::Result<FaceRuntime> {
        let pool = |file| SessionPool::load(models_dir, file, threads, SESSIONS_PER_MODEL);
        Ok(FaceRuntime {
            detector: pool(DETECTOR_FILE)?,
            recognizer: pool(RECOGNIZER_FILE)?,
        })
    }

    /// Detects faces, largest first. An empty or inconsistent image gives no faces; an
    /// inference failure is logged and gives no faces.
    pub fn detect(&self, image: ImageRef<'_>) -> Vec<Face> {
        if !consistent(&image) {
            return Vec::new();
        }
        match self.try_detect(image) {
            Ok(faces) => faces,
            Err(error) => {
                tracing::error!(%error, "face detection failed");
                Vec::new()
            }
        }
    }

    fn try_detect(&self, image: ImageRef<'_>) -> anyhow::Result<Vec<Face>> {
        let Some(letterbox) = detect::letterbox(image) else {
            return Ok(Vec::new());
        };
        let n = detect::INPUT_SIZE;
        let input = Tensor::from_array(([1usize, 3, n, n], letterbox.tensor))?;
        let mut session = self.detector.get();
        let outputs = session.run(ort::inputs!["input" => input])?;
        let mut raw: Vec<[&[f32]; 4]> = Vec::new();
        for stride in detect::STRIDES {
            let get = |name: &str| -> anyhow::Result<&[f32]> {
                let key = format!("{name}_{stride}");
                let value = outputs
                    .get(&key)
                    .ok_or_else(|| anyhow!("YuNet output {key} missing"))?;
                Ok(value.try_extract_tensor::<f32>()?.1)
            };
            raw.push([get("cls")?, get("obj")?, get("bbox")?, get("kps")?]);
        }
        let heads: Vec<detect::Head<'_>> = detect::STRIDES
            .iter()
            .zip(&raw)
            .map(|(&stride, [cls, obj, bbox, kps])| detect::Head {
                stride,
                cls,
                obj,
                bbox,
                kps,
            })
            .collect();
        Ok(detect::decode(
            &heads,
            letterbox.scale,
            image.width as f32,
            image.height as f32,
        ))
    }

    /// The 128-d embedding of `face` (aligned to the ArcFace template, 112x112 RGB).
    /// Errors for degenerate landmarks, an inconsistent image or an inference failure.
    pub fn embed(&self, image: ImageRef<'_>, face: &Face) -> anyhow::Result<FaceEmbedding> {
        if !consistent(&image) {
            bail!("image buffer does not match its size");
        }
        let aligned = align::align_face(image, &face.landmarks)
            .ok_or_else(|| anyhow!("face landmarks are degenerate"))?;
        self.embed_aligned(&aligned)
    }

    /// The embedding of an already aligned 112x112 RGB crop.
    pub fn embed_aligned(&self, aligned_rgb: &[u8]) -> anyhow::Result<FaceEmbedding> {
        let n = align::ALIGNED_SIZE;
        if aligned_rgb.len() != n * n * 3 {
            bail!("aligned crop must be {n}x{n} RGB");
        }
        // SFace takes RGB planes 0-255 and normalises inside the graph ((x - 127.5) / 128),
        // as OpenCV's FaceRecognizerSF feeds it (blobFromImage with swapRB on BGR input).
        let plane = n * n;
        let mut data = vec![0f32; 3 * plane];
        for (i, px) in aligned_rgb.chunks_exact(3).enumerate() {
            data[i] = px[0] as f32;
            data[plane + i] = px[1] as f32;
            data[2 * plane + i] = px[2] as f32;
        }
        let input = Tensor::from_array(([1usize, 3, n, n], data))?;
        let mut session = self.recognizer.get();
        let outputs = session.run(ort::inputs!["data" => input])?;
        let (_, raw) = outputs[0].try_extract_tensor::<f32>()?;
        if raw.len() != EMBEDDING_DIM {
            bail!(
                "SFace returned {} values, expected {EMBEDDING_DIM}",
                raw.len()
            );
        }
        let norm = raw.iter().map(|v| v * v).sum::<f32>().sqrt();
        if !norm.is_finite() || norm <= 1e-6 {
            bail!("SFace returned a zero or non-finite embedding");
        }
        let mut vector = [0f32; EMBEDDING_DIM];
        for (out, v) in vector.iter_mut().zip(raw) {
            *out = v / norm;
        }
        Ok(FaceEmbedding {
            vector,
            model_id: EMBEDDING_MODEL_ID,
        })
    }

    /// Quality of `face` for matching: too small (eye distance) and too blurred (Laplacian
    /// variance of the aligned crop), with reasons. Needs no model inference.
    pub fn assess(&self, image: ImageRef<'_>, face: &Face) -> FaceQuality {
        assess(image, face)
    }

    /// [`FaceRuntime::assess`] and [`FaceRuntime::embed`] together, aligning the face once.
    pub fn assess_and_embed(
        &self,
        image: ImageRef<'_>,
        face: &Face,
    ) -> (FaceQuality, anyhow::Result<FaceEmbedding>) {
        let aligned = consistent(&image)
            .then(|| align::align_face(image, &face.landmarks))
            .flatten();
        let sharpness = aligned.as_deref().map_or(0.0, quality::laplacian_variance);
        let quality = FaceQuality::from_measures(eye_distance(face), sharpness);
        let embedding = match aligned {
            Some(crop) => self.embed_aligned(&crop),
            None => Err(anyhow!(
                "face landmarks are degenerate or the image is inconsistent"
            )),
        };
        (quality, embedding)
    }
}

fn eye_distance(face: &Face) -> f32 {
    let [right_eye, left_eye, ..] = face.landmarks;
    (right_eye.x - left_eye.x).hypot(right_eye.y - left_eye.y)
}

/// See [`FaceRuntime::assess`]; usable without loaded models.
pub fn assess(image: ImageRef<'_>, face: &Face) -> FaceQuality {
    let sharpness = if consistent(&image) {
        align::align_face(image, &face.landmarks)
            .map(|crop| quality::laplacian_variance(&crop))
            .unwrap_or(0.0)
    } else {
        0.0
    };
    FaceQuality::from_measures(eye_distance(face), sharpness)
}

/// Whether the image's buffer matches its declared size.
fn consistent(image: &ImageRef<'_>) -> bool {
    image.width > 0
        && image.height > 0
        && image.pixels().len() == image.width as usize * image.height as usize * 3
}
