//! `debug=1`: the geometry the vision services found for one request, for the web console's
//! overlay and for anyone debugging a plugin.
//!
//! [`Recorder`] wraps the [`Vision`](kycd_vision::Vision) handed to a plugin: every service call
//! goes through to the real runtime and its result is noted. Shapes are answered in the pixel
//! coordinates of the uploaded image as displayed (after its EXIF orientation, which is the image
//! plugins see). A call on the rectified crop of `locate_document` (1000x630) is mapped back
//! through the crop's quad with the square-to-quad homography, so text read on the crop lands on
//! the card in the photo. A call on an image the plugin made itself (its own crop or resize) cannot
//! be placed: it is counted in `calls` with frame `other` and its shapes are left out.
//!
//! The payload (top-level `debug` key of the answer):
//! ```json
//! { "image": {"width": 1200, "height": 800},
//!   "shapes": [ {"kind": "document", "quad": [[x,y],[x,y],[x,y],[x,y]], "rotation_degrees": 0},
//!               {"kind": "text", "quad": [...], "text": "MUSTER", "confidence": 0.98, "frame": "document"},
//!               {"kind": "region"|"mrz"|"barcode"|"face", "quad": [...], ...} ],
//!   "calls": [ {"service": "read_text", "frame": "document", "results": 14, "ms": 180} ] }
//! ```
//! Quads are clockwise from the content's top-left. The payload is the caller's own data
//! returned to them; it is never logged.

use std::sync::Mutex;
use std::time::Instant;

use abi_stable::std_types::{ROption, RSlice, RStr, RVec};
use kycd_plugin_api::{
    Barcode, BarcodeFormat, Charset, DocumentCrop, Face, HostServices, ImageRef, Mrz, Point, Quad,
    ReadOptions, SignatureCheck, TextLine,
};
use serde_json::{json, Map, Value};

use crate::services::Services;

/// A cheap identity for an image's pixels: its size and a hash of evenly spaced samples.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Fingerprint {
    width: u32,
    height: u32,
    hash: u64,
}

impl Fingerprint {
    fn of(image: ImageRef<'_>) -> Fingerprint {
        let pixels = image.pixels();
        let step = (pixels.len() / 4096).max(1);
        // FNV-1a over at most ~4096 sampled bytes.
        let mut hash = 0xcbf2_9ce4_8422_2325u64;
        for byte in pixels.iter().step_by(step) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        Fingerprint {
            width: image.width,
            height: image.height,
            hash,
        }
    }
}

/// How to take a point of an image a service was called on to the uploaded image.
#[derive(Clone, Copy, Debug)]
pub enum Frame {
    /// The uploaded image itself.
    Image,
    /// A `locate_document` crop of `width` x `height` whose corners are `quad` in the image.
    Document { quad: Quad, width: f32, height: f32 },
}

impl Frame {
    fn name(&self) -> &'static str {
        match self {
            Frame::Image => "image",
            Frame::Document { .. } => "document",
        }
    }

    /// Maps a point of this frame to the uploaded image.
    pub fn map(&self, point: Point) -> Point {
        match *self {
            Frame::Image => point,
            Frame::Document {
                quad,
                width,
                height,
            } => square_to_quad(&quad, point.x / width, point.y / height),
        }
    }

    fn map_quad(&self, quad: &Quad) -> Quad {
        Quad {
            points: quad.points.map(|p| self.map(p)),
        }
    }
}

/// The projective map of the unit square onto `quad` (corners in order (0,0), (1,0), (1,1),
/// (0,1)), evaluated at `(u, v)` (Heckbert's closed form).
fn square_to_quad(quad: &Quad, u: f32, v: f32) -> Point {
    let [p0, p1, p2, p3] = quad.points.map(|p| (f64::from(p.x), f64::from(p.y)));
    let (u, v) = (f64::from(u), f64::from(v));
    let (sx, sy) = (p0.0 - p1.0 + p2.0 - p3.0, p0.1 - p1.1 + p2.1 - p3.1);
    let (dx1, dy1) = (p1.0 - p2.0, p1.1 - p2.1);
    let (dx2, dy2) = (p3.0 - p2.0, p3.1 - p2.1);
    let denominator = dx1 * dy2 - dx2 * dy1;
    let (g, h) = if denominator.abs() < 1e-12 || (sx.abs() < 1e-9 && sy.abs() < 1e-9) {
        (0.0, 0.0)
    } else {
        (
            (sx * dy2 - dx2 * sy) / denominator,
            (dx1 * sy - sx * dy1) / denominator,
        )
    };
    let (a, b, c) = (p1.0 - p0.0 + g * p1.0, p3.0 - p0.0 + h * p3.0, p0.0);
    let (d, e, f) = (p1.1 - p0.1 + g * p1.1, p3.1 - p0.1 + h * p3.1, p0.1);
    let w = g * u + h * v + 1.0;
    if w.abs() < 1e-12 {
        return Point {
            x: p0.0 as f32,
            y: p0.1 as f32,
        };
    }
    Point {
        x: ((a * u + b * v + c) / w) as f32,
        y: ((d * u + e * v + f) / w) as f32,
    }
}

fn quad_json(quad: &Quad) -> Value {
    Value::Array(
        quad.points
            .iter()
            .map(|p| json!([round1(p.x), round1(p.y)]))
            .collect(),
    )
}

fn round1(x: f32) -> f64 {
    (f64::from(x) * 10.0).round() / 10.0
}

fn round3(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

/// The face box with its landmarks, mapped.
fn face_shape(frame: &Frame, face: &Face) -> Value {
    json!({
        "kind": "face",
        "quad": quad_json(&frame.map_quad(&Quad::from_rect(face.rect))),
        "landmarks": face.landmarks.iter().map(|p| { let p = frame.map(*p); json!([round1(p.x), round1(p.y)]) }).collect::<Vec<_>>(),
        "score": round3(face.score),
        "frame": frame.name(),
    })
}

fn barcode_format(format: BarcodeFormat) -> &'static str {
    match format {
        BarcodeFormat::QR => "QR",
        BarcodeFormat::PDF417 => "PDF417",
        _ => "OTHER",
    }
}

#[derive(Default)]
struct Log {
    /// Images the plugin may call services on: the crops `locate_document` returned.
    crops: Vec<(Fingerprint, Frame)>,
    shapes: Vec<Value>,
    calls: Vec<Value>,
}

/// The [`HostServices`] handed to a plugin for a `debug=1` request: the real runtime, with every
/// result's geometry noted.
pub struct Recorder<'a> {
    services: &'a Services<'a>,
    source: Fingerprint,
    width: u32,
    height: u32,
    log: Mutex<Log>,
}

impl<'a> Recorder<'a> {
    /// A recorder for a request whose (EXIF-oriented) image is `image`.
    pub fn new(services: &'a Services<'a>, image: ImageRef<'_>) -> Recorder<'a> {
        Recorder {
            services,
            source: Fingerprint::of(image),
            width: image.width,
            height: image.height,
            log: Mutex::new(Log::default()),
        }
    }

    fn log(&self) -> std::sync::MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Which frame `image` is, if the recorder can place it.
    fn frame_of(&self, image: ImageRef<'_>) -> Option<Frame> {
        let fingerprint = Fingerprint::of(image);
        if fingerprint == self.source {
            return Some(Frame::Image);
        }
        self.log()
            .crops
            .iter()
            .find(|(f, _)| *f == fingerprint)
            .map(|(_, frame)| *frame)
    }

    /// Runs one service call, timing it and noting its shapes.
    fn note<T>(
        &self,
        service: &str,
        image: ImageRef<'_>,
        call: impl FnOnce() -> T,
        shapes: impl FnOnce(&Frame, &T) -> Vec<Value>,
    ) -> T {
        let frame = self.frame_of(image);
        let started = Instant::now();
        let result = call();
        let ms = started.elapsed().as_millis() as u64;
        let found = frame.as_ref().map(|f| shapes(f, &result));
        let mut log = self.log();
        log.calls.push(json!({
            "service": service,
            "frame": frame.as_ref().map_or("other", Frame::name),
            "results": found.as_ref().map_or(0, Vec::len),
            "ms": ms,
        }));
        if let Some(found) = found {
            log.shapes.extend(found);
        }
        result
    }

    /// The `debug` payload.
    pub fn into_json(self) -> Value {
        let log = self.log.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut payload = Map::new();
        payload.insert(
            "image".into(),
            json!({ "width": self.width, "height": self.height }),
        );
        payload.insert("shapes".into(), Value::Array(log.shapes));
        payload.insert("calls".into(), Value::Array(log.calls));
        Value::Object(payload)
    }
}

fn text_shape(kind: &str, frame: &Frame, line: &TextLine) -> Value {
    json!({
        "kind": kind,
        "quad": quad_json(&frame.map_quad(&line.quad)),
        "text": line.text.as_str(),
        "confidence": round3(line.confidence),
        "frame": frame.name(),
    })
}

impl HostServices for Recorder<'_> {
    fn read_text(&self, image: ImageRef<'_>, options: ReadOptions) -> RVec<TextLine> {
        self.note(
            "read_text",
            image,
            || HostServices::read_text(self.services, image, options),
            |frame, lines| lines.iter().map(|l| text_shape("text", frame, l)).collect(),
        )
    }

    fn recognize_region(&self, image: ImageRef<'_>, region: Quad, charset: Charset) -> TextLine {
        self.note(
            "recognize_region",
            image,
            || HostServices::recognize_region(self.services, image, region, charset),
            |frame, line| vec![text_shape("region", frame, line)],
        )
    }

    fn recognize_regions(
        &self,
        image: ImageRef<'_>,
        regions: RSlice<'_, Quad>,
        charset: Charset,
    ) -> RVec<TextLine> {
        self.note(
            "recognize_regions",
            image,
            || HostServices::recognize_regions(self.services, image, regions, charset),
            |frame, lines| {
                let shapes = lines.iter().map(|line| text_shape("region", frame, line));
                shapes.collect()
            },
        )
    }

    fn locate_document(&self, image: ImageRef<'_>) -> ROption<DocumentCrop> {
        let crop = self.note(
            "locate_document",
            image,
            || HostServices::locate_document(self.services, image),
            |frame, crop| {
                crop.as_ref()
                    .into_option()
                    .map(|c| {
                        json!({
                            "kind": "document",
                            "quad": quad_json(&frame.map_quad(&c.quad)),
                            "rotation_degrees": c.rotation_degrees,
                            "frame": frame.name(),
                        })
                    })
                    .into_iter()
                    .collect()
            },
        );
        if let (ROption::RSome(c), Some(outer)) = (&crop, self.frame_of(image)) {
            // The crop's corners, in the uploaded image: compose with the frame it was found in.
            let quad = outer.map_quad(&c.quad);
            let inner = Frame::Document {
                quad,
                width: c.image.width as f32,
                height: c.image.height as f32,
            };
            let fingerprint = Fingerprint::of(c.image.as_ref());
            self.log().crops.push((fingerprint, inner));
        }
        crop
    }

    fn read_mrz(&self, image: ImageRef<'_>) -> ROption<Mrz> {
        self.note(
            "read_mrz",
            image,
            || HostServices::read_mrz(self.services, image),
            |frame, mrz| {
                mrz.as_ref()
                    .into_option()
                    .map(|m| mrz_shape(frame, m))
                    .into_iter()
                    .collect()
            },
        )
    }

    fn decode_barcodes(&self, image: ImageRef<'_>) -> RVec<Barcode> {
        self.note(
            "decode_barcodes",
            image,
            || HostServices::decode_barcodes(self.services, image),
            |frame, codes| {
                codes
                    .iter()
                    .map(|b| {
                        json!({
                            "kind": "barcode",
                            "quad": quad_json(&frame.map_quad(&b.quad)),
                            "format": barcode_format(b.format),
                            "frame": frame.name(),
                        })
                    })
                    .collect()
            },
        )
    }

    fn detect_faces(&self, image: ImageRef<'_>) -> RVec<Face> {
        self.note(
            "detect_faces",
            image,
            || HostServices::detect_faces(self.services, image),
            |frame, faces| faces.iter().map(|f| face_shape(frame, f)).collect(),
        )
    }

    fn verify_signature(
        &self,
        key_id: RStr<'_>,
        message: RSlice<'_, u8>,
        signature: RSlice<'_, u8>,
    ) -> SignatureCheck {
        HostServices::verify_signature(self.services, key_id, message, signature)
    }
}

/// The MRZ's zone as a shape.
pub fn mrz_shape(frame: &Frame, mrz: &Mrz) -> Value {
    json!({
        "kind": "mrz",
        "quad": quad_json(&frame.map_quad(&mrz.quad)),
        "format": mrz.format.as_str(),
        "frame": frame.name(),
    })
}

/// The payload of a built-in route that read `image` itself: its size and `shapes` found on it.
pub fn payload(width: u32, height: u32, shapes: Vec<Value>) -> Value {
    json!({ "image": { "width": width, "height": height }, "shapes": shapes, "calls": [] })
}

/// A document found directly on an uploaded image.
pub fn document_shape(quad: &Quad, rotation_degrees: u32) -> Value {
    json!({
        "kind": "document",
        "quad": quad_json(quad),
        "rotation_degrees": rotation_degrees,
        "frame": "image",
    })
}

/// Face boxes found directly on an uploaded image (the face routes).
pub fn face_shapes(faces: &[Face]) -> Vec<Value> {
    faces.iter().map(|f| face_shape(&Frame::Image, f)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(x: f32, y: f32) -> Point {
        Point { x, y }
    }

    #[test]
    fn crop_corners_map_to_the_quad_corners() {
        let quad = Quad {
            points: [
                point(120.0, 80.0),
                point(900.0, 130.0),
                point(860.0, 610.0),
                point(100.0, 560.0),
            ],
        };
        let frame = Frame::Document {
            quad,
            width: 1000.0,
            height: 630.0,
        };
        let corners = [(0.0, 0.0), (1000.0, 0.0), (1000.0, 630.0), (0.0, 630.0)];
        for (corner, expected) in corners.iter().zip(quad.points) {
            let mapped = frame.map(point(corner.0, corner.1));
            assert!(
                (mapped.x - expected.x).abs() < 0.01 && (mapped.y - expected.y).abs() < 0.01,
                "{corner:?} -> {mapped:?}, expected {expected:?}"
            );
        }
    }

    #[test]
    fn an_axis_aligned_crop_maps_by_scale_and_offset() {
        let frame = Frame::Document {
            quad: Quad::from_rect(kycd_plugin_api::Rect {
                x: 50.0,
                y: 20.0,
                width: 500.0,
                height: 315.0,
            }),
            width: 1000.0,
            height: 630.0,
        };
        let mapped = frame.map(point(400.0, 100.0));
        assert!((mapped.x - 250.0).abs() < 0.01, "{mapped:?}");
        assert!((mapped.y - 70.0).abs() < 0.01, "{mapped:?}");
    }

    #[test]
    fn a_rotated_crop_maps_its_top_left_to_the_quads_first_corner() {
        // A card turned by 90 degrees: the content's top-left is the photo's top-right corner.
        let quad = Quad {
            points: [
                point(400.0, 0.0),
                point(400.0, 1000.0),
                point(0.0, 1000.0),
                point(0.0, 0.0),
            ],
        };
        let frame = Frame::Document {
            quad,
            width: 1000.0,
            height: 400.0,
        };
        let mapped = frame.map(point(500.0, 100.0));
        assert!((mapped.x - 300.0).abs() < 0.01 && (mapped.y - 500.0).abs() < 0.01);
    }

    #[test]
    fn fingerprints_tell_images_apart() {
        let a = vec![10u8; 30 * 20 * 3];
        let mut b = a.clone();
        b[0] = 11;
        let fa = Fingerprint::of(ImageRef::new(30, 20, &a).unwrap());
        let fb = Fingerprint::of(ImageRef::new(30, 20, &b).unwrap());
        let fc = Fingerprint::of(ImageRef::new(20, 30, &a).unwrap());
        assert_ne!(fa, fb);
        assert_ne!(fa, fc);
        assert_eq!(fa, Fingerprint::of(ImageRef::new(30, 20, &a).unwrap()));
    }
}
