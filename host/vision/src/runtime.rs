//! Model files and ONNX Runtime: sha256-pinned model paths, the process-wide ONNX Runtime
//! environment (loaded from `models/lib`), and [`SessionPool`] for sharing sessions between
//! request threads.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

use ort::environment::Environment;
use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;
use sha2::{Digest, Sha256};

use crate::VisionError;

/// The pinned sha256 of every model file, as `models/fetch.sh` verifies them.
const CHECKSUMS: &str = include_str!("../../../models/checksums.sha256");

/// The ONNX Runtime shared library, relative to the models directory.
pub const ONNXRUNTIME_LIB: &str = "lib/libonnxruntime.so.1.32.0";
/// PP-OCRv6 text detector (DB), its subnormal weights set to zero
/// (`models/flush_denormals.py`: the same maps, 2-4x faster on Intel CPUs).
pub const TEXT_DETECTOR: &str = "PP-OCRv6_det_small_nodenormals.onnx";
/// PP-OCRv6 text recogniser (CTC), without its CJK output classes
/// (`models/prune_rec_classes.py`).
pub const TEXT_RECOGNIZER: &str = "PP-OCRv6_rec_small_latin.onnx";
/// PP-OCR 0/180 degree text-line classifier.
pub const ANGLE_CLASSIFIER: &str = "ch_ppocr_mobile_v2.0_cls_mobile.onnx";
/// YuNet face detector (folded to fp32 by `models/fold_quantized.py`).
pub const FACE_DETECTOR: &str = "face_detection_yunet_2023mar.onnx";
/// SFace face recogniser (folded to fp32 by `models/fold_quantized.py`).
pub const FACE_RECOGNIZER: &str = "face_recognition_sface_2021dec.onnx";

/// The pinned sha256 (hex) of a model file named as in `models/checksums.sha256`.
pub fn pinned_sha256(file: &str) -> Option<&'static str> {
    CHECKSUMS.lines().find_map(|line| {
        let (hash, name) = line.split_once("  ")?;
        (name.trim() == file).then_some(hash.trim())
    })
}

/// Returns the path of `file` under `models_dir` after checking that it exists and matches its
/// pinned sha256. Errors name the file and say to run `models/fetch.sh`.
pub fn verified_model_path(models_dir: &Path, file: &str) -> Result<PathBuf, VisionError> {
    let path = models_dir.join(file);
    let expected =
        pinned_sha256(file).ok_or_else(|| VisionError::Unpinned { file: file.into() })?;
    let bytes = std::fs::read(&path).map_err(|error| VisionError::MissingModel {
        path: path.clone(),
        reason: error.to_string(),
    })?;
    let actual = hex::encode(Sha256::digest(&bytes));
    if actual != expected {
        return Err(VisionError::ChecksumMismatch {
            path,
            expected: expected.into(),
            actual,
        });
    }
    Ok(path)
}

static ENVIRONMENT: OnceLock<Environment> = OnceLock::new();

/// The process-wide ONNX Runtime environment, loading the pinned library from
/// `models_dir/lib` on first use. Later calls return the same environment.
pub fn environment(models_dir: &Path) -> Result<&'static Environment, VisionError> {
    if let Some(environment) = ENVIRONMENT.get() {
        return Ok(environment);
    }
    // Two threads loading at once must not both initialise ONNX Runtime.
    static INITIALISING: Mutex<()> = Mutex::new(());
    let _guard = INITIALISING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(environment) = ENVIRONMENT.get() {
        return Ok(environment);
    }
    let library = verified_model_path(models_dir, ONNXRUNTIME_LIB)?;
    let runtime_error = |message: String| VisionError::Runtime {
        path: library.clone(),
        message,
    };
    let environment = ort::init_from(&library)
        .map_err(|error| runtime_error(error.to_string()))?
        .with_name("kycd-vision")
        .build()
        .map_err(|error| runtime_error(error.to_string()))?;
    Ok(ENVIRONMENT.get_or_init(|| environment))
}

/// Sessions of one model, shared by request threads. `Session::run` needs `&mut`, so each
/// session sits behind a mutex; a caller takes the first free one (or waits for one).
pub struct SessionPool {
    sessions: Vec<Mutex<Session>>,
    next: AtomicUsize,
    /// The model file, for error messages.
    pub path: PathBuf,
}

impl SessionPool {
    /// Loads `file` (verified against its pin) `copies` times with `threads` intra-op threads.
    pub fn load(
        models_dir: &Path,
        file: &str,
        threads: usize,
        copies: usize,
    ) -> Result<Self, VisionError> {
        let environment = environment(models_dir)?;
        let path = verified_model_path(models_dir, file)?;
        let mut sessions = Vec::new();
        for _ in 0..copies.max(1) {
            let build = || -> ort::Result<Session> {
                Session::builder(environment)?
                    .with_optimization_level(GraphOptimizationLevel::Level3)?
                    .with_intra_threads(threads.max(1))?
                    .with_inter_threads(1)?
                    // Spinning workers burn the cores other requests and sessions need.
                    .with_intra_op_spinning(false)?
                    .commit_from_file(&path)
            };
            let session = build().map_err(|error| VisionError::Runtime {
                path: path.clone(),
                message: error.to_string(),
            })?;
            sessions.push(Mutex::new(session));
        }
        Ok(SessionPool {
            sessions,
            next: AtomicUsize::new(0),
            path,
        })
    }

    /// How many sessions the pool holds.
    pub fn len(&self) -> usize {
        self.sessions.len()
    }

    /// Whether the pool is empty (never, once loaded).
    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }

    /// Borrows a free session (waiting for one when all are busy).
    pub fn get(&self) -> MutexGuard<'_, Session> {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let count = self.sessions.len();
        for offset in 0..count {
            if let Ok(guard) = self.sessions[(start + offset) % count].try_lock() {
                return guard;
            }
        }
        self.sessions[start % count]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
