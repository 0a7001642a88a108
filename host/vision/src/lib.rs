//! kycd's shared vision runtime. See `docs/vision.md`.
//!
//! The host loads one [`Vision`] at start-up ([`Vision::load`]) and lends it to plugins through
//! [`kycd_plugin_api::HostServices`] (implemented in `services.rs`). Every model session is
//! loaded once, verified against the sha256 pins of `models/checksums.sha256`.
//!
//! Stages: text detection ([`detect`]), 0/180 classification ([`classify`]), Latin recognition
//! ([`recognize`]), Thai/Devanagari lines with in-process Tesseract ([`tesseract`]), reading
//! order ([`reading_order`]) and document geometry ([`document`]).

pub mod barcode;
pub mod classify;
pub mod detect;
pub mod document;
pub mod face;
mod imaging;
mod lanes;
pub mod mrz;
mod ocr;
mod recent;
mod resize;
pub use ocr::ReadProfile;
pub mod reading_order;
pub mod recognize;
pub mod runtime;
pub mod services;
pub mod stages;
pub mod tesseract;

use std::path::PathBuf;

use kycd_plugin_api::{
    Barcode, Charset, DocumentCrop, Face, ImageRef, Mrz, Quad, ReadOptions, Script, TextLine,
};

use crate::classify::AngleClassifier;
use crate::detect::{DetectorSettings, TextDetector};
use crate::recognize::TextRecognizer;
use crate::runtime::SessionPool;
use crate::tesseract::{LineReader, TessLanguage};

/// Why the vision runtime could not start.
#[derive(Debug, thiserror::Error)]
pub enum VisionError {
    /// A model file is not there.
    #[error("model file {path} is missing ({reason}): run models/fetch.sh")]
    MissingModel {
        /// The file looked for.
        path: PathBuf,
        /// The I/O error.
        reason: String,
    },
    /// A model file differs from its pinned sha256.
    #[error("model file {path} has sha256 {actual}, expected {expected}: delete it and run models/fetch.sh")]
    ChecksumMismatch {
        /// The file.
        path: PathBuf,
        /// The pinned hash.
        expected: String,
        /// The hash found.
        actual: String,
    },
    /// A file is not listed in `models/checksums.sha256`.
    #[error("model file {file} has no pin in models/checksums.sha256")]
    Unpinned {
        /// The file name.
        file: String,
    },
    /// ONNX Runtime failed to load the library or a model.
    #[error("ONNX Runtime failed on {path}: {message} (run models/fetch.sh)")]
    Runtime {
        /// The library or model file.
        path: PathBuf,
        /// ONNX Runtime's message.
        message: String,
    },
    /// Tesseract or one of its languages is missing.
    #[error("Tesseract: {0}")]
    Tesseract(String),
    /// The face models failed to load for another reason than a missing or corrupt file.
    #[error("face models: {0}")]
    Faces(String),
}

/// How to load the runtime.
#[derive(Clone, Debug)]
pub struct VisionConfig {
    /// Directory `models/fetch.sh` filled (`models/` of the repository).
    pub models_dir: PathBuf,
    /// ONNX Runtime intra-op threads per session (the machine's cores is a good value).
    pub threads: usize,
    /// Sessions per model, so that that many requests run a model at the same time.
    pub sessions_per_model: usize,
    /// Tesseract `tessdata` directory; `None` uses the system default.
    pub tessdata_dir: Option<PathBuf>,
    /// Text detector tunables.
    pub detector: DetectorSettings,
}

impl VisionConfig {
    /// Defaults for `models_dir`: one session per model, one intra-op thread per core.
    pub fn new(models_dir: impl Into<PathBuf>) -> Self {
        VisionConfig {
            models_dir: models_dir.into(),
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            sessions_per_model: 1,
            tessdata_dir: None,
            detector: DetectorSettings::default(),
        }
    }
}

/// Every model, loaded once. `Send + Sync`: share it (e.g. in an `Arc`) between request
/// threads.
pub struct Vision {
    pub(crate) detector: TextDetector,
    pub(crate) classifier: AngleClassifier,
    pub(crate) recognizer: TextRecognizer,
    pub(crate) tesseract: LineReader,
    pub(crate) faces: face::FaceRuntime,
    pub(crate) recent: recent::RecentDetections,
}

impl Vision {
    /// Loads everything. A missing or sha256-mismatched file is an error naming the file and
    /// saying to run `models/fetch.sh`; missing Tesseract languages say which package to install.
    pub fn load(config: &VisionConfig) -> Result<Vision, VisionError> {
        let dir = &config.models_dir;
        let (threads, copies) = (config.threads, config.sessions_per_model);
        let detector = TextDetector::new(
            SessionPool::load(dir, runtime::TEXT_DETECTOR, threads, copies)?,
            config.detector.clone(),
        );
        let classifier = AngleClassifier::new(SessionPool::load(
            dir,
            runtime::ANGLE_CLASSIFIER,
            threads,
            copies,
        )?);
        // The recogniser runs a card's line batches side by side on single-threaded sessions
        // (one lane per thread), which scales better than one session's intra-op threads on
        // small batches.
        let recognizer = TextRecognizer::new(SessionPool::load(
            dir,
            runtime::TEXT_RECOGNIZER,
            1,
            copies.max(threads),
        )?)?;
        let tesseract = LineReader {
            datapath: config.tessdata_dir.clone(),
        };
        for language in [TessLanguage::Thai, TessLanguage::Hindi] {
            tesseract.check(language).map_err(VisionError::Tesseract)?;
        }
        let faces = face::FaceRuntime::load(dir, threads).map_err(|error| {
            match error.downcast::<VisionError>() {
                Ok(vision_error) => vision_error,
                Err(other) => VisionError::Faces(format!("{other:#}")),
            }
        })?;
        Ok(Vision {
            detector,
            classifier,
            recognizer,
            tesseract,
            faces,
            recent: recent::RecentDetections::default(),
        })
    }

    /// Detects, recognises and orders (rows top to bottom, left to right) every text line.
    /// Latin is always read; lines the Latin recogniser reads poorly are re-read with Tesseract
    /// for each script enabled in `options`. Bad input gives an empty list.
    pub fn read_text(&self, image: ImageRef<'_>, options: ReadOptions) -> Vec<TextLine> {
        self.read_text_profiled(image, options).0
    }

    /// [`Vision::read_text`] that also says where the time went (for benchmarks and metrics).
    pub fn read_text_profiled(
        &self,
        image: ImageRef<'_>,
        options: ReadOptions,
    ) -> (Vec<TextLine>, ReadProfile) {
        let mut profile = ReadProfile::default();
        let lines = match imaging::to_rgb_image(image) {
            Some(rgb) => self.read_lines(&rgb, options, &mut profile),
            None => Vec::new(),
        };
        (lines, profile)
    }

    /// Recognises the single line inside `region` restricted to `charset` (Thai and
    /// Devanagari charsets go to Tesseract). Bad input gives an empty line.
    pub fn recognize_region(
        &self,
        image: ImageRef<'_>,
        region: Quad,
        charset: Charset,
    ) -> TextLine {
        match imaging::to_rgb_image(image) {
            Some(rgb) => self.read_region(&rgb, region, charset),
            None => TextLine {
                text: "".into(),
                confidence: 0.0,
                quad: region,
                script: Script::LATIN,
            },
        }
    }

    /// [`Vision::recognize_region`] for each of `regions`, in their order, read side by side.
    pub fn recognize_regions(
        &self,
        image: ImageRef<'_>,
        regions: &[Quad],
        charset: Charset,
    ) -> Vec<TextLine> {
        match imaging::to_rgb_image(image) {
            Some(rgb) => self.read_regions(&rgb, regions, charset),
            None => regions
                .iter()
                .map(|region| ocr::empty_line(*region, Script::LATIN))
                .collect(),
        }
    }

    /// Finds an ID-1 card in a photo and rectifies it upright to 1000x630.
    pub fn locate_document(&self, image: ImageRef<'_>) -> Option<DocumentCrop> {
        self.find_document(&imaging::to_rgb_image(image)?)
    }

    /// Finds and parses an ICAO 9303 MRZ: reads the text, then lets [`mrz::read_mrz`] pick the
    /// zone and re-read its lines with the MRZ alphabet.
    pub fn read_mrz(&self, image: ImageRef<'_>) -> Option<Mrz> {
        self.read_mrz_after(image, None)
    }

    /// [`Vision::read_mrz`] given the image's Latin read when the caller already has it
    /// (`lines`, what [`Vision::read_text`] with [`ReadOptions::latin`] returned for this
    /// image): only the zone's rows are recognised again.
    pub fn read_mrz_after(&self, image: ImageRef<'_>, lines: Option<&[TextLine]>) -> Option<Mrz> {
        let rgb = imaging::to_rgb_image(image)?;
        let read;
        let lines = match lines {
            Some(lines) => lines,
            None => {
                read = self.read_lines(&rgb, ReadOptions::latin(), &mut ReadProfile::default());
                &read
            }
        };
        mrz::read_mrz(lines, &|quads| self.read_regions(&rgb, quads, Charset::MRZ))
    }

    /// Decodes the QR codes and PDF417 symbols in the image ([`barcode::decode_barcodes`]).
    pub fn decode_barcodes(&self, image: ImageRef<'_>) -> Vec<Barcode> {
        barcode::decode_barcodes(image)
    }

    /// Detects faces, largest first ([`face::FaceRuntime::detect`]).
    pub fn detect_faces(&self, image: ImageRef<'_>) -> Vec<Face> {
        self.faces.detect(image)
    }

    /// The face runtime (embeddings, quality) for the host's face routes.
    pub fn faces(&self) -> &face::FaceRuntime {
        &self.faces
    }
}
