//! Shared helpers for the vision tests and benchmark: the loaded runtime and text rendered
//! with Debian fonts (installed by scripts/install-system-deps.sh).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ab_glyph::{FontVec, PxScale};
use image::{Rgb, RgbImage};
use imageproc::drawing::{draw_text_mut, text_size};
use kycd_plugin_api::ImageRef;
use kycd_vision::{Vision, VisionConfig};

/// DejaVu Sans (Latin with diacritics), from fonts-dejavu-core.
pub const DEJAVU_SANS: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
/// DejaVu Sans Bold.
pub const DEJAVU_SANS_BOLD: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
/// Liberation Sans, from fonts-liberation2.
pub const LIBERATION_SANS: &str =
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf";
/// OCR-B, from fonts-ocr-b.
pub const OCR_B: &str = "/usr/share/fonts/opentype/ocr-b/OCRB.otf";
/// Garuda (Thai), from fonts-thai-tlwg.
pub const THAI_FONT: &str = "/usr/share/fonts/truetype/tlwg/Garuda.ttf";
/// Noto Sans Devanagari, from fonts-noto-core.
pub const DEVANAGARI_FONT: &str = "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf";

/// The repository's models directory.
pub fn models_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")
}

/// The runtime, loaded once per test binary. Fails (never skips) when the models are missing.
pub fn vision() -> &'static Vision {
    static VISION: OnceLock<Vision> = OnceLock::new();
    VISION.get_or_init(|| {
        let mut config = VisionConfig::new(models_dir());
        config.threads = 2;
        Vision::load(&config).unwrap_or_else(|error| {
            panic!("cannot load the vision runtime: {error} (run models/fetch.sh)")
        })
    })
}

/// Loads a font file; panics naming the Debian package script when it is missing.
pub fn font(path: &str) -> FontVec {
    let bytes = std::fs::read(path).unwrap_or_else(|e| {
        panic!("font {path} missing ({e}): run scripts/install-system-deps.sh")
    });
    FontVec::try_from_vec(bytes).unwrap_or_else(|e| panic!("font {path} unreadable: {e}"))
}

/// `text` in black on white at `size` px, with a margin of half the size around it.
pub fn render_line(text: &str, font_path: &str, size: f32) -> RgbImage {
    let font = font(font_path);
    let scale = PxScale::from(size);
    let (width, height) = text_size(scale, &font, text);
    let margin = (size / 2.0) as u32;
    let mut image = RgbImage::from_pixel(
        width + 2 * margin,
        height.max(size as u32) + 2 * margin,
        Rgb([255, 255, 255]),
    );
    draw_text_mut(
        &mut image,
        Rgb([20, 20, 20]),
        margin as i32,
        margin as i32,
        scale,
        &font,
        text,
    );
    image
}

/// Draws `text` at (x, y) on `image`.
pub fn draw(image: &mut RgbImage, text: &str, font: &FontVec, x: i32, y: i32, size: f32) {
    draw_text_mut(
        image,
        Rgb([25, 25, 35]),
        x,
        y,
        PxScale::from(size),
        font,
        text,
    );
}

/// The lines of a synthetic ID-1 card and where to draw them: (text, x, y, size, bold).
pub const CARD_LINES: [(&str, i32, i32, f32, bool); 9] = [
    ("REPUBLIK XANDRIA", 300, 40, 44.0, true),
    ("PERSONALAUSWEIS / IDENTITY CARD", 300, 100, 28.0, false),
    ("Name / Surname", 330, 170, 24.0, false),
    ("MÜLLER-ØVERBY", 330, 200, 38.0, true),
    ("Vornamen / Given names", 330, 265, 24.0, false),
    ("Åsa Peña", 330, 295, 38.0, true),
    ("Geburtsdatum / Date of birth", 330, 360, 24.0, false),
    ("12.08.1983", 330, 390, 38.0, true),
    ("Dokumentnummer T22000129", 330, 470, 30.0, false),
];

/// A 1000x630 synthetic card: pale background, a photo-like block, the [`CARD_LINES`].
pub fn render_card(variant: u32) -> RgbImage {
    let regular = font(DEJAVU_SANS);
    let bold = font(DEJAVU_SANS_BOLD);
    let tint = (variant * 37 % 40) as u8;
    let mut card = RgbImage::from_fn(1000, 630, |x, y| {
        let wave = ((x / 7 + y / 11) % 9) as u8;
        Rgb([232 - tint / 2 + wave, 238 - wave, 225 + tint / 3])
    });
    // Photo placeholder area: a shaded block.
    for y in 170..520 {
        for x in 50..290 {
            let v = (120 + (x + y) % 60) as u8;
            card.put_pixel(x, y, Rgb([v, v - 20, v - 40]));
        }
    }
    for (text, x, y, size, is_bold) in CARD_LINES {
        draw(
            &mut card,
            text,
            if is_bold { &bold } else { &regular },
            x,
            y + (variant % 3) as i32,
            size,
        );
    }
    card
}

/// Borrows an [`RgbImage`] as the ABI image.
pub fn image_ref(image: &RgbImage) -> ImageRef<'_> {
    ImageRef::new(image.width(), image.height(), image.as_raw()).expect("consistent buffer")
}

/// Places `card` in the middle of a larger dark background (a photo of a card on a table).
pub fn on_table(card: &RgbImage, width: u32, height: u32) -> RgbImage {
    let mut photo = RgbImage::from_fn(width, height, |x, y| {
        let v = (60 + (x * 3 + y * 5) % 23) as u8;
        Rgb([v, v + 5, v + 12])
    });
    let (x, y) = ((width - card.width()) / 2, (height - card.height()) / 2);
    image::imageops::overlay(&mut photo, card, x as i64, y as i64);
    photo
}
