//! The fonts the cards are drawn with: Debian packages, loaded once from their install paths.
//!
//! | family | Debian package |
//! |---|---|
//! | DejaVu Sans / Sans Mono | `fonts-dejavu-core` |
//! | Liberation Sans / Serif | `fonts-liberation2` |
//! | Noto Sans Devanagari, Noto Sans Thai | `fonts-noto-core` |
//! | TLWG Garuda, Loma, Sawasdee | `fonts-thai-tlwg` |
//! | OCR-B | `fonts-ocr-b` |

use std::sync::OnceLock;

use anyhow::{anyhow, Context, Result};

/// A font ready to shape (rustybuzz) and draw (ab_glyph).
pub struct Font {
    /// Shaping face (GSUB/GPOS: Thai and Devanagari marks, ligatures).
    pub shaper: rustybuzz::Face<'static>,
    /// Outline source.
    pub outlines: ab_glyph::FontRef<'static>,
    /// Units per em of the font.
    pub units_per_em: f32,
}

/// The font families the layouts use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// DejaVu Sans (labels, most latin text).
    Sans,
    /// DejaVu Sans Bold.
    SansBold,
    /// Liberation Sans (Arial-like, used for values on several cards).
    Arial,
    /// Liberation Sans Bold.
    ArialBold,
    /// Liberation Serif.
    Serif,
    /// DejaVu Sans Mono.
    Mono,
    /// OCR-B (MRZ).
    OcrB,
    /// Noto Sans Thai (Thai values).
    Thai,
    /// Noto Sans Thai Bold.
    ThaiBold,
    /// TLWG Garuda (Thai headings).
    ThaiGaruda,
    /// Noto Sans Devanagari (Hindi).
    Devanagari,
    /// Noto Sans Devanagari Bold.
    DevanagariBold,
}

const FONT_FILES: [(Family, &str, &str); 12] = [
    (
        Family::Sans,
        "truetype/dejavu/DejaVuSans.ttf",
        "fonts-dejavu-core",
    ),
    (
        Family::SansBold,
        "truetype/dejavu/DejaVuSans-Bold.ttf",
        "fonts-dejavu-core",
    ),
    (
        Family::Arial,
        "truetype/liberation2/LiberationSans-Regular.ttf",
        "fonts-liberation2",
    ),
    (
        Family::ArialBold,
        "truetype/liberation2/LiberationSans-Bold.ttf",
        "fonts-liberation2",
    ),
    (
        Family::Serif,
        "truetype/liberation2/LiberationSerif-Regular.ttf",
        "fonts-liberation2",
    ),
    (
        Family::Mono,
        "truetype/dejavu/DejaVuSansMono.ttf",
        "fonts-dejavu-core",
    ),
    (Family::OcrB, "opentype/ocr-b/OCRB.otf", "fonts-ocr-b"),
    (
        Family::Thai,
        "truetype/noto/NotoSansThai-Regular.ttf",
        "fonts-noto-core",
    ),
    (
        Family::ThaiBold,
        "truetype/noto/NotoSansThai-Bold.ttf",
        "fonts-noto-core",
    ),
    (
        Family::ThaiGaruda,
        "truetype/tlwg/Garuda.ttf",
        "fonts-thai-tlwg",
    ),
    (
        Family::Devanagari,
        "truetype/noto/NotoSansDevanagari-Regular.ttf",
        "fonts-noto-core",
    ),
    (
        Family::DevanagariBold,
        "truetype/noto/NotoSansDevanagari-Bold.ttf",
        "fonts-noto-core",
    ),
];

/// Where the Debian font packages install (override with `KYCD_FONT_DIR`).
pub fn font_dir() -> String {
    std::env::var("KYCD_FONT_DIR").unwrap_or_else(|_| "/usr/share/fonts".to_string())
}

static FONTS: OnceLock<Result<Vec<(Family, Font)>, String>> = OnceLock::new();

fn load_all() -> Result<Vec<(Family, Font)>> {
    let dir = font_dir();
    FONT_FILES
        .iter()
        .map(|&(family, path, package)| {
            let full = format!("{dir}/{path}");
            let bytes = std::fs::read(&full).with_context(|| {
                format!("font {full} is missing: install it with `apt-get install {package}` (scripts/install-system-deps.sh installs every font the generator uses)")
            })?;
            let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            let shaper = rustybuzz::Face::from_slice(bytes, 0).ok_or_else(|| anyhow!("font {full} cannot be parsed"))?;
            let outlines = ab_glyph::FontRef::try_from_slice(bytes).with_context(|| format!("font {full} cannot be parsed"))?;
            let units_per_em = shaper.units_per_em() as f32;
            Ok((family, Font { shaper, outlines, units_per_em }))
        })
        .collect()
}

/// Loads every font once; an error names the missing file and the Debian package to install.
pub fn check_fonts() -> Result<()> {
    match FONTS.get_or_init(|| load_all().map_err(|e| format!("{e:#}"))) {
        Ok(_) => Ok(()),
        Err(e) => Err(anyhow!("{e}")),
    }
}

/// The loaded font of a family. Call [`check_fonts`] first; this panics only if it was not
/// called or failed.
pub fn font(family: Family) -> &'static Font {
    let fonts = FONTS
        .get_or_init(|| load_all().map_err(|e| format!("{e:#}")))
        .as_ref()
        .expect("fonts are loaded by check_fonts() before drawing");
    &fonts
        .iter()
        .find(|(f, _)| *f == family)
        .expect("every family has a file")
        .1
}
