//! [`HostServices`] for [`Vision`]: what plugins call. Every call runs under `catch_unwind`,
//! so a bug never unwinds across the plugin boundary: a panic gives the empty answer. Whole-service
//! calls without finer stages of their own are timed into [`crate::stages`] here (`mrz`,
//! `barcode`, `document_locate`, `face_detect`); text reading is timed per stage inside the OCR
//! pipeline.

use std::panic::{catch_unwind, AssertUnwindSafe};

use abi_stable::std_types::{ROption, RSlice, RVec};
use kycd_plugin_api::{
    Barcode, Charset, DocumentCrop, Face, HostServices, ImageRef, Mrz, Quad, ReadOptions, Script,
    TextLine,
};

use crate::ocr::empty_line;
use crate::recent::{ImageKey, Remembered};
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
        let empty = || empty_line(region, Script::LATIN);
        guarded("recognize_region", empty, || {
            Vision::recognize_region(self, image, region, charset)
        })
    }

    fn recognize_regions(
        &self,
        image: ImageRef<'_>,
        regions: RSlice<'_, Quad>,
        charset: Charset,
    ) -> RVec<TextLine> {
        let empty = || {
            let lines = regions.iter().map(|r| empty_line(*r, Script::LATIN));
            lines.collect()
        };
        guarded("recognize_regions", empty, || {
            Vision::recognize_regions(self, image, &regions, charset).into()
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
        guarded_mrz(self, image, None)
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

/// The Latin reads of one request's images, so that a `read_mrz` of an image the plugin has
/// already read (`read_text` with [`ReadOptions::latin`]) recognises only the zone's rows
/// again instead of every line (an MRZ side of a card: about half its time).
///
/// Meant to live exactly as long as one request's services (the host makes one per request,
/// next to the plugin call): no text outlives the request, and nothing is shared between
/// requests. Keyed by a hash of the pixels, as the detections of recent images are.
#[derive(Default)]
pub struct RequestReads {
    latin: Remembered<RVec<TextLine>, REQUEST_READS>,
}

/// Latin reads one request keeps (a card, its zones, its turned copy).
const REQUEST_READS: usize = 4;

impl RequestReads {
    /// `HostServices::read_text`, noting a Latin read for [`RequestReads::read_mrz`].
    pub fn read_text(
        &self,
        vision: &Vision,
        image: ImageRef<'_>,
        options: ReadOptions,
    ) -> RVec<TextLine> {
        let lines = HostServices::read_text(vision, image, options);
        if !options.thai && !options.devanagari {
            let key = ImageKey::of_pixels(image.width, image.height, image.pixels());
            self.latin.put(key, lines.clone());
        }
        lines
    }

    /// `HostServices::read_mrz`, reusing this request's Latin read of the same image.
    pub fn read_mrz(&self, vision: &Vision, image: ImageRef<'_>) -> ROption<Mrz> {
        let key = ImageKey::of_pixels(image.width, image.height, image.pixels());
        let noted = self.latin.lookup(key, |lines| Some(lines.clone()));
        guarded_mrz(vision, image, noted.as_deref())
    }
}

/// `Vision::read_mrz_after`, timed and guarded as every service is.
fn guarded_mrz(vision: &Vision, image: ImageRef<'_>, lines: Option<&[TextLine]>) -> ROption<Mrz> {
    guarded(
        "read_mrz",
        || ROption::RNone,
        || stages::time(Stage::Mrz, || vision.read_mrz_after(image, lines)).into(),
    )
}
