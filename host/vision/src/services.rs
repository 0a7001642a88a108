//! [`HostServices`] for [`Vision`]: what plugins call. Every call runs under `catch_unwind`,
//! so a bug never unwinds across the plugin boundary: a panic gives the empty answer. Whole-service
//! calls without finer stages of their own are timed into [`crate::stages`] here (`mrz`,
//! `barcode`, `document_locate`, `face_detect`); text reading is timed per stage inside the OCR
//! pipeline.

use std::panic::{catch_unwind, AssertUnwindSafe};

use abi_stable::std_types::{ROption, RVec};
use kycd_plugin_api::{
    Barcode, Charset, DocumentCrop, Face, HostServices, ImageRef, Mrz, Quad, ReadOptions, Script,
    TextLine,
};

use crate::stages::{self, Stage};
use crate::Vision;

/// Runs `work`, turning a panic into `fallback` (logged without image or text content).
fn guarded<T>(service: &str, fallback: impl FnOnce() -> T, work: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(value) => value,
        Err(_) => {
            tracing::error!(service, "vision service panicked; answering empty");
            fallback()
        }
    }
}

impl HostServices for Vision {
    fn read_text(&self, image: ImageRef<'_>, options: ReadOptions) -> RVec<TextLine> {
        guarded("read_text", RVec::new, || {
            Vision::read_text(self, image, options).into()
        })
    }

    fn recognize_region(&self, image: ImageRef<'_>, region: Quad, charset: Charset) -> TextLine {
        let empty = || TextLine {
            text: "".into(),
            confidence: 0.0,
            quad: region,
            script: Script::LATIN,
        };
        guarded("recognize_region", empty, || {
            Vision::recognize_region(self, image, region, charset)
        })
    }

    fn locate_document(&self, image: ImageRef<'_>) -> ROption<DocumentCrop> {
        guarded(
            "locate_document",
            || ROption::RNone,
            || {
                stages::time(Stage::DocumentLocate, || {
                    Vision::locate_document(self, image)
                })
                .into()
            },
        )
    }

    fn read_mrz(&self, image: ImageRef<'_>) -> ROption<Mrz> {
        guarded(
            "read_mrz",
            || ROption::RNone,
            || stages::time(Stage::Mrz, || Vision::read_mrz(self, image)).into(),
        )
    }

    fn decode_barcodes(&self, image: ImageRef<'_>) -> RVec<Barcode> {
        guarded("decode_barcodes", RVec::new, || {
            stages::time(Stage::Barcode, || Vision::decode_barcodes(self, image)).into()
        })
    }

    fn detect_faces(&self, image: ImageRef<'_>) -> RVec<Face> {
        guarded("detect_faces", RVec::new, || {
            stages::time(Stage::FaceDetect, || Vision::detect_faces(self, image)).into()
        })
    }
}
