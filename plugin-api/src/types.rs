//! Plain data that crosses the plugin boundary: images, geometry and the results of host
//! services. Every type is `#[repr(C)]` and derives [`StableAbi`] so its layout is checked at load.
//!
//! Enumerations that may grow (scripts, charsets, barcode formats) are newtypes over an integer
//! with associated constants rather than Rust enums: a newer host can add a value without
//! changing the layout an older plugin was checked against.

use abi_stable::std_types::{ROption, RSlice, RString, RVec};
use abi_stable::StableAbi;

/// A borrowed, decoded image: tightly packed 8-bit RGB, row-major, `width * height * 3` bytes.
///
/// The host has already applied EXIF orientation.
#[repr(C)]
#[derive(StableAbi, Clone, Copy, Debug)]
pub struct ImageRef<'a> {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * 3` bytes of RGB.
    pub rgb: RSlice<'a, u8>,
}

impl<'a> ImageRef<'a> {
    /// Wraps an RGB buffer. Returns `None` when the buffer length does not match the size.
    pub fn new(width: u32, height: u32, rgb: &'a [u8]) -> Option<Self> {
        (rgb.len() == width as usize * height as usize * 3).then(|| ImageRef {
            width,
            height,
            rgb: RSlice::from_slice(rgb),
        })
    }

    /// The RGB bytes.
    pub fn pixels(&self) -> &'a [u8] {
        self.rgb.as_slice()
    }
}

/// An owned RGB image, as returned by host services that produce images (e.g. a rectified card).
#[repr(C)]
#[derive(StableAbi, Clone, Debug, Default)]
pub struct OwnedImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * 3` bytes of RGB.
    pub rgb: RVec<u8>,
}

impl OwnedImage {
    /// Borrows the image.
    pub fn as_ref(&self) -> ImageRef<'_> {
        ImageRef {
            width: self.width,
            height: self.height,
            rgb: self.rgb.as_rslice(),
        }
    }
}

/// A point in pixel coordinates of the image it was found in.
#[repr(C)]
#[derive(StableAbi, Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    /// Horizontal coordinate, left to right.
    pub x: f32,
    /// Vertical coordinate, top to bottom.
    pub y: f32,
}

/// A quadrilateral, corners clockwise from the top-left of the content it bounds.
#[repr(C)]
#[derive(StableAbi, Clone, Copy, Debug, Default, PartialEq)]
pub struct Quad {
    /// Top-left, top-right, bottom-right, bottom-left.
    pub points: [Point; 4],
}

impl Quad {
    /// The axis-aligned rectangle `x, y, w, h` as a quad.
    pub fn from_rect(rect: Rect) -> Self {
        let (x0, y0, x1, y1) = (rect.x, rect.y, rect.x + rect.width, rect.y + rect.height);
        Quad {
            points: [
                Point { x: x0, y: y0 },
                Point { x: x1, y: y0 },
                Point { x: x1, y: y1 },
                Point { x: x0, y: y1 },
            ],
        }
    }

    /// The smallest axis-aligned rectangle containing the quad.
    pub fn bounds(&self) -> Rect {
        let xs = self.points.iter().map(|p| p.x);
        let ys = self.points.iter().map(|p| p.y);
        let (x0, x1) = xs.fold((f32::MAX, f32::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let (y0, y1) = ys.fold((f32::MAX, f32::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        Rect {
            x: x0,
            y: y0,
            width: x1 - x0,
            height: y1 - y0,
        }
    }

    /// The area enclosed by the quad (shoelace formula; either winding).
    ///
    /// ```
    /// use kycd_plugin_api::{Quad, Rect};
    /// let quad = Quad::from_rect(Rect { x: 10.0, y: 20.0, width: 30.0, height: 4.0 });
    /// assert_eq!(quad.area(), 120.0);
    /// ```
    pub fn area(&self) -> f32 {
        let mut twice = 0.0f32;
        for i in 0..4 {
            let (a, b) = (self.points[i], self.points[(i + 1) % 4]);
            twice += a.x * b.y - b.x * a.y;
        }
        twice.abs() / 2.0
    }

    /// The centre of the quad (mean of its corners).
    pub fn center(&self) -> Point {
        let sum = self
            .points
            .iter()
            .fold((0.0, 0.0), |(x, y), p| (x + p.x, y + p.y));
        Point {
            x: sum.0 / 4.0,
            y: sum.1 / 4.0,
        }
    }
}

/// An axis-aligned rectangle in pixels.
#[repr(C)]
#[derive(StableAbi, Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

impl Rect {
    /// The rectangle with its top-left corner at (`x`, `y`).
    pub const fn new(x: f32, y: f32, width: f32, height: f32) -> Rect {
        Rect {
            x,
            y,
            width,
            height,
        }
    }
}

/// The writing system of a recognised line.
#[repr(transparent)]
#[derive(StableAbi, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Script(pub u8);

impl Script {
    /// Latin letters (with diacritics), digits and punctuation; also MRZ text.
    pub const LATIN: Script = Script(0);
    /// Thai.
    pub const THAI: Script = Script(1);
    /// Devanagari (Hindi).
    pub const DEVANAGARI: Script = Script(2);
}

/// A character-set constraint for recognising one region ([`crate::Host::recognize_region`]).
#[repr(transparent)]
#[derive(StableAbi, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Charset(pub u8);

impl Charset {
    /// Anything the Latin recogniser can read.
    pub const ANY: Charset = Charset(0);
    /// `0-9` only.
    pub const DIGITS: Charset = Charset(1);
    /// The MRZ alphabet `A-Z0-9<`.
    pub const MRZ: Charset = Charset(2);
    /// Upper-case Latin letters and digits.
    pub const UPPER_ALNUM: Charset = Charset(3);
    /// Thai (recognised by the Thai recogniser).
    pub const THAI: Charset = Charset(4);
    /// Devanagari (recognised by the Devanagari recogniser).
    pub const DEVANAGARI: Charset = Charset(5);
}

/// Options for [`crate::Host::read_text`].
#[repr(C)]
#[derive(StableAbi, Clone, Copy, Debug)]
pub struct ReadOptions {
    /// Scripts the caller expects on the image. Latin is always read; a line that the Latin
    /// recogniser reads poorly is re-read with the recogniser of each further script listed here.
    pub thai: bool,
    /// See [`ReadOptions::thai`].
    pub devanagari: bool,
}

impl ReadOptions {
    /// Latin text only: the fastest path.
    pub fn latin() -> Self {
        ReadOptions {
            thai: false,
            devanagari: false,
        }
    }
    /// Latin and Thai lines (Thai cards).
    pub fn with_thai() -> Self {
        ReadOptions {
            thai: true,
            ..Self::latin()
        }
    }
    /// Latin and Devanagari lines (Indian cards).
    pub fn with_devanagari() -> Self {
        ReadOptions {
            devanagari: true,
            ..Self::latin()
        }
    }
}

/// One recognised line of text.
#[repr(C)]
#[derive(StableAbi, Clone, Debug)]
pub struct TextLine {
    /// The text as read.
    pub text: RString,
    /// Recogniser confidence, 0.0 to 1.0.
    pub confidence: f32,
    /// Where the line is, in the coordinates of the image that was read.
    pub quad: Quad,
    /// Which recogniser produced `text`.
    pub script: Script,
}

impl TextLine {
    /// A Latin line read as `text` with `confidence` in the axis-aligned box `rect`: for
    /// building a [`crate::text::Page`] in tests and fixtures without a host.
    pub fn latin(text: &str, rect: Rect, confidence: f32) -> TextLine {
        TextLine {
            text: text.into(),
            confidence,
            quad: Quad::from_rect(rect),
            script: Script::LATIN,
        }
    }
}

/// A document found in a photo ([`crate::Host::locate_document`]).
#[repr(C)]
#[derive(StableAbi, Clone, Debug)]
pub struct DocumentCrop {
    /// Where the document is in the source image.
    pub quad: Quad,
    /// The document rectified to an upright, perspective-free image.
    pub image: OwnedImage,
    /// Clockwise rotation, in degrees, that was applied to make the content upright.
    pub rotation_degrees: u32,
}

/// One field of a parsed machine-readable zone.
#[repr(C)]
#[derive(StableAbi, Clone, Debug)]
pub struct MrzField {
    /// Field name: `document_code`, `issuing_state`, `document_number`, `optional_data`,
    /// `birth_date` (YYMMDD), `sex`, `expiry_date` (YYMMDD), `nationality`, `optional_data_2`,
    /// `surname`, `given_names`.
    pub name: RString,
    /// The value with filler `<` removed (names: `<` between parts become spaces).
    pub value: RString,
    /// `Some(valid)` for a field protected by a check digit.
    pub check_digit_valid: ROption<bool>,
}

/// A machine-readable zone (ICAO 9303 TD1, TD2 or TD3) found and parsed by the host.
#[repr(C)]
#[derive(StableAbi, Clone, Debug)]
pub struct Mrz {
    /// `TD1`, `TD2` or `TD3`.
    pub format: RString,
    /// The MRZ lines as read (after any repair a check digit proved).
    pub lines: RVec<RString>,
    /// Parsed fields.
    pub fields: RVec<MrzField>,
    /// Whether the composite check digit (and every field check digit) is valid.
    pub all_checks_valid: bool,
    /// Where the zone is in the image that was read.
    pub quad: Quad,
}

impl Mrz {
    /// The value of a field by name, if present.
    pub fn field(&self, name: &str) -> Option<&MrzField> {
        self.fields.iter().find(|f| f.name.as_str() == name)
    }
}

/// A barcode symbology.
#[repr(transparent)]
#[derive(StableAbi, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BarcodeFormat(pub u8);

impl BarcodeFormat {
    /// QR code.
    pub const QR: BarcodeFormat = BarcodeFormat(0);
    /// PDF417.
    pub const PDF417: BarcodeFormat = BarcodeFormat(1);
    /// Any other symbology the decoder found.
    pub const OTHER: BarcodeFormat = BarcodeFormat(255);
}

/// A decoded barcode.
#[repr(C)]
#[derive(StableAbi, Clone, Debug)]
pub struct Barcode {
    /// Symbology.
    pub format: BarcodeFormat,
    /// Raw payload bytes.
    pub bytes: RVec<u8>,
    /// The payload as text where it is valid UTF-8 (or Latin-1 decoded), else empty.
    pub text: RString,
    /// Where the symbol is.
    pub quad: Quad,
}

/// A detected face.
#[repr(C)]
#[derive(StableAbi, Clone, Copy, Debug)]
pub struct Face {
    /// Bounding box.
    pub rect: Rect,
    /// Right eye, left eye, nose tip, right mouth corner, left mouth corner (image left/right).
    pub landmarks: [Point; 5],
    /// Detector score, 0.0 to 1.0.
    pub score: f32,
}

/// The outcome of [`crate::HostServices::verify_signature`].
#[repr(transparent)]
#[derive(StableAbi, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SignatureCheck(pub u8);

impl SignatureCheck {
    /// The host has no key of that name (or predates the service): nothing was verified.
    pub const NO_KEY: SignatureCheck = SignatureCheck(0);
    /// The signature is valid for the message under the configured key.
    pub const VALID: SignatureCheck = SignatureCheck(1);
    /// The signature does not match the message under the configured key: the data was
    /// altered or signed by someone else.
    pub const INVALID: SignatureCheck = SignatureCheck(2);

    /// How a plugin reports the outcome to clients: `verified`, `invalid` or `not verified`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureCheck::VALID => "verified",
            SignatureCheck::INVALID => "invalid",
            _ => "not verified",
        }
    }
}
