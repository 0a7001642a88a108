//! Thai and Devanagari line recognition with Tesseract 5 (Debian's libtesseract), linked
//! in-process through its stable C API. Initialised engines are kept in a process-wide pool per
//! language: a call borrows one (creating it only when every pooled engine is busy) and puts it
//! back, so lines read on several threads at once each get their own engine, no thread pays the
//! model load twice, and no process is started per line.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ffi::{c_char, c_int, CStr, CString};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use image::{imageops, GrayImage, Luma};

/// Opaque `TessBaseAPI`.
#[repr(C)]
struct TessBaseApi {
    _private: [u8; 0],
}

/// `tesseract::PSM_SINGLE_LINE`.
const PSM_SINGLE_LINE: c_int = 7;

// Debian's libtesseract runs its LSTM in OpenMP parallel regions (libgomp) with fixed team
// sizes. kycd already reads lines on several threads: a team per call oversubscribes the cores
// and its threads spin-wait between regions. Measured on 2 cores: a Thai line 60-280 ms with
// teams, 14-34 ms without (CPU 4.1 s -> 0.8 s for 36 reads), same text. `OMP_THREAD_LIMIT=1`
// would do it too, but libgomp reads it when it loads, before `main`.
#[link(name = "gomp")]
extern "C" {
    fn omp_set_max_active_levels(levels: c_int);
}

#[link(name = "tesseract")]
extern "C" {
    fn TessBaseAPICreate() -> *mut TessBaseApi;
    fn TessBaseAPIDelete(handle: *mut TessBaseApi);
    fn TessBaseAPIInit3(
        handle: *mut TessBaseApi,
        datapath: *const c_char,
        language: *const c_char,
    ) -> c_int;
    fn TessBaseAPISetPageSegMode(handle: *mut TessBaseApi, mode: c_int);
    fn TessBaseAPISetVariable(
        handle: *mut TessBaseApi,
        name: *const c_char,
        value: *const c_char,
    ) -> c_int;
    fn TessBaseAPISetImage(
        handle: *mut TessBaseApi,
        data: *const u8,
        width: c_int,
        height: c_int,
        bytes_per_pixel: c_int,
        bytes_per_line: c_int,
    );
    fn TessBaseAPISetSourceResolution(handle: *mut TessBaseApi, ppi: c_int);
    fn TessBaseAPIGetUTF8Text(handle: *mut TessBaseApi) -> *mut c_char;
    fn TessBaseAPIMeanTextConf(handle: *mut TessBaseApi) -> c_int;
    fn TessBaseAPIClear(handle: *mut TessBaseApi);
    fn TessBaseAPIEnd(handle: *mut TessBaseApi);
    fn TessDeleteText(text: *const c_char);
}

/// Tesseract's language code for each script kycd reads with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TessLanguage {
    /// `tha`.
    Thai,
    /// `hin`.
    Hindi,
}

impl TessLanguage {
    /// The traineddata name.
    pub fn code(self) -> &'static str {
        match self {
            TessLanguage::Thai => "tha",
            TessLanguage::Hindi => "hin",
        }
    }
}

/// One initialised engine, used by one thread at a time.
struct Engine {
    handle: *mut TessBaseApi,
}

// SAFETY: a `TessBaseAPI` has no thread affinity; the pool hands each engine to one thread at a
// time (it is moved out of the pool's lock and used only by the borrower).
unsafe impl Send for Engine {}

/// Limits libgomp to 0 active parallel levels on the calling thread, so Tesseract's regions
/// run on it. libgomp (GCC 11 and later) keeps this limit per thread (OpenMP 5 made it a
/// data-environment ICV): set once at start-up it held only on that thread, and reads on the
/// server's worker threads still started teams (measured: ~270 ms per Thai region read over
/// HTTP against ~20 ms in the benchmark). Set once per thread that reads.
fn serial_openmp_on_this_thread() {
    thread_local! {
        static SERIAL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    SERIAL.with(|serial| {
        if !serial.replace(true) {
            // SAFETY: sets this thread's libgomp limit of active levels; nothing else in kycd
            // uses OpenMP.
            unsafe { omp_set_max_active_levels(0) };
        }
    });
}

impl Engine {
    fn new(datapath: Option<&Path>, language: TessLanguage) -> Result<Engine, String> {
        let datapath = datapath
            .map(|p| CString::new(p.to_string_lossy().as_bytes()).map_err(|e| e.to_string()))
            .transpose()?;
        let code = CString::new(language.code()).expect("static code");
        // SAFETY: plain C API calls on a handle this struct owns; strings outlive the calls.
        unsafe {
            let handle = TessBaseAPICreate();
            if handle.is_null() {
                return Err("TessBaseAPICreate failed".into());
            }
            let path_ptr = datapath.as_ref().map_or(std::ptr::null(), |p| p.as_ptr());
            if TessBaseAPIInit3(handle, path_ptr, code.as_ptr()) != 0 {
                TessBaseAPIDelete(handle);
                return Err(format!(
                    "Tesseract could not load language `{}` (install tesseract-ocr-{}: scripts/install-system-deps.sh)",
                    language.code(),
                    language.code()
                ));
            }
            TessBaseAPISetPageSegMode(handle, PSM_SINGLE_LINE);
            let name = CString::new("debug_file").expect("static");
            let value = CString::new("/dev/null").expect("static");
            TessBaseAPISetVariable(handle, name.as_ptr(), value.as_ptr());
            Ok(Engine { handle })
        }
    }

    fn read(&mut self, line: &GrayImage) -> (String, f32) {
        serial_openmp_on_this_thread();
        // SAFETY: the image buffer outlives SetImage..GetUTF8Text; Tesseract copies it.
        unsafe {
            TessBaseAPISetImage(
                self.handle,
                line.as_raw().as_ptr(),
                line.width() as c_int,
                line.height() as c_int,
                1,
                line.width() as c_int,
            );
            TessBaseAPISetSourceResolution(self.handle, 300);
            let text_ptr = TessBaseAPIGetUTF8Text(self.handle);
            let text = if text_ptr.is_null() {
                String::new()
            } else {
                let text = CStr::from_ptr(text_ptr).to_string_lossy().into_owned();
                TessDeleteText(text_ptr);
                text
            };
            let confidence = TessBaseAPIMeanTextConf(self.handle).clamp(0, 100) as f32 / 100.0;
            TessBaseAPIClear(self.handle);
            (normalize(text.trim()), confidence)
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        // SAFETY: the handle was created by TessBaseAPICreate and is dropped once.
        unsafe {
            TessBaseAPIEnd(self.handle);
            TessBaseAPIDelete(self.handle);
        }
    }
}

/// Idle engines per tessdata directory and language.
type Pool = Mutex<HashMap<(Option<PathBuf>, TessLanguage), Vec<Engine>>>;

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(Pool::default)
}

/// Reads single text lines with Tesseract; engines are borrowed from a process-wide pool.
#[derive(Clone, Debug, Default)]
pub struct LineReader {
    /// `tessdata` directory; `None` uses the library's compiled-in default (Debian:
    /// `/usr/share/tesseract-ocr/5/tessdata`).
    pub datapath: Option<PathBuf>,
}

/// Line height (pixels) Tesseract reads best at; Thai tone marks get lost at about 30 px.
const TARGET_HEIGHT: u32 = 80;
/// White margin added around the crop.
const MARGIN: u32 = 12;

impl LineReader {
    /// Checks that the language loads (the engine stays in the pool for the first read).
    pub fn check(&self, language: TessLanguage) -> Result<(), String> {
        self.with_engine(language, |_| ())
    }

    /// Reads one upright line crop. Returns the text and Tesseract's mean confidence (0-1).
    ///
    /// The crop is framed in white; when nothing comes back, it is read once more framed in
    /// its own background level (`background_level`): a crop greyed by glare or a tint
    /// (background ≈ 190) framed in white can make Tesseract's threshold split margin from
    /// crop and find no text at all. Only then, since the white frame reads the small marks
    /// (the abbreviations' dots) better on every other crop. When that too reads nothing, the
    /// crop is read once more with its lighting evened out along the line (`evenly_lit`):
    /// glare white at one end and a tinted card at the other give no single threshold. When
    /// that too reads nothing, the crop is read a last time unframed: Tesseract drops the
    /// specks that touch an image's edge, so the cut-off tops of the next line down, which a
    /// region's crop may hold, are dropped there, whereas framed they lie inside the image
    /// and make the line's text read as nothing.
    pub fn read_line(
        &self,
        line: &image::RgbImage,
        language: TessLanguage,
    ) -> Result<(String, f32), String> {
        let gray = upright_gray(line);
        let has_text = |read: &(String, f32)| read.0.chars().any(char::is_alphanumeric);
        self.with_engine(language, |engine| {
            // Each try's image is made only when every try before it read nothing.
            (0..TRIES)
                .filter_map(|attempt| try_image(&gray, attempt))
                .map(|image| engine.read(&image))
                .find(has_text)
                .unwrap_or_default()
        })
    }

    fn with_engine<R>(
        &self,
        language: TessLanguage,
        work: impl FnOnce(&mut Engine) -> R,
    ) -> Result<R, String> {
        let key = (self.datapath.clone(), language);
        let idle = pool()
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get_mut(&key)
            .and_then(Vec::pop);
        let mut engine = match idle {
            Some(engine) => engine,
            None => Engine::new(self.datapath.as_deref(), language)?,
        };
        let result = work(&mut engine);
        pool()
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .entry(key)
            .or_default()
            .push(engine);
        Ok(result)
    }
}

/// Reads of a line [`LineReader::read_line`] tries at most.
const TRIES: usize = 4;

/// The image of a line's `attempt`-th read (see [`LineReader::read_line`]): framed in white,
/// framed in its own background level (`None` when that is already white), evenly lit and
/// framed in white, unframed.
fn try_image(gray: &GrayImage, attempt: usize) -> Option<Cow<'_, GrayImage>> {
    match attempt {
        0 => Some(Cow::Owned(framed(gray, 255))),
        1 => {
            let background = background_level(gray);
            (background < WHITE_BACKGROUND).then(|| Cow::Owned(framed(gray, background)))
        }
        2 => Some(Cow::Owned(framed(&evenly_lit(gray), 255))),
        3 => Some(Cow::Borrowed(gray)),
        _ => None,
    }
}

/// A background level at or above which a crop is already white: framing it in its own level
/// would read the same image again.
const WHITE_BACKGROUND: u8 = 246;

/// Tesseract's Thai model writes SARA AM as NIKHAHIT + SARA AA (how it is drawn); text
/// everywhere else (and every Thai keyboard) uses the single code point U+0E33.
fn normalize(text: &str) -> String {
    text.replace("\u{0E4D}\u{0E32}", "\u{0E33}")
}

/// Grey, scaled to about [`TARGET_HEIGHT`], dark text on light.
fn upright_gray(line: &image::RgbImage) -> GrayImage {
    let mut gray = imageops::grayscale(line);
    let scale = TARGET_HEIGHT as f32 / gray.height().max(1) as f32;
    if (scale - 1.0).abs() > 0.1 {
        let width = ((gray.width() as f32 * scale).round() as u32).clamp(1, 8000);
        gray = imageops::resize(
            &gray,
            width,
            TARGET_HEIGHT,
            imageops::FilterType::CatmullRom,
        );
    }
    // Light text on a dark background: invert so Tesseract sees dark on light.
    let mean = gray.pixels().map(|p| p[0] as u64).sum::<u64>()
        / (gray.width() as u64 * gray.height() as u64).max(1);
    if mean < 110 {
        imageops::invert(&mut gray);
    }
    gray
}

/// The line with its lighting evened out along it: each pixel divided by the brightest level
/// of the columns around it (a window as wide as the line is high, so every window holds
/// background above and below the letters), then scaled back to white.
fn evenly_lit(gray: &GrayImage) -> GrayImage {
    let (width, height) = gray.dimensions();
    let column_top: Vec<u8> = (0..width)
        .map(|x| {
            (0..height)
                .map(|y| gray.get_pixel(x, y)[0])
                .max()
                .unwrap_or(255)
        })
        .collect();
    let half = (height / 2).max(1) as usize;
    let lit: Vec<f32> = (0..width as usize)
        .map(|x| {
            let window = &column_top[x.saturating_sub(half)..(x + half + 1).min(width as usize)];
            f32::from(*window.iter().max().unwrap_or(&255)).max(1.0)
        })
        .collect();
    GrayImage::from_fn(width, height, |x, y| {
        let level = f32::from(gray.get_pixel(x, y)[0]) / lit[x as usize] * 255.0;
        Luma([level.round().min(255.0) as u8])
    })
}

/// The line with a margin of grey level `level` around it.
fn framed(gray: &GrayImage, level: u8) -> GrayImage {
    let mut out = GrayImage::from_pixel(
        gray.width() + 2 * MARGIN,
        gray.height() + 2 * MARGIN,
        Luma([level]),
    );
    imageops::overlay(&mut out, gray, MARGIN as i64, MARGIN as i64);
    out
}

/// The crop's background level: the 90th percentile of its grey levels (text covers well under
/// a tenth of a line crop).
fn background_level(gray: &GrayImage) -> u8 {
    let mut levels: Vec<u8> = gray.pixels().map(|p| p[0]).collect();
    if levels.is_empty() {
        return 255;
    }
    let at = (levels.len() * 9 / 10).min(levels.len() - 1);
    *levels.select_nth_unstable(at).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glare_along_a_line_is_evened_out() {
        // Background from white (glare) at the left to grey at the right; a dark letter-like
        // bar every 20 columns, as dark relative to its background everywhere.
        let line = GrayImage::from_fn(400, 40, |x, y| {
            let background = 255.0 - 0.2 * x as f32;
            let ink = (x % 20 < 4) && (10..30).contains(&y);
            Luma([(if ink { background * 0.3 } else { background }) as u8])
        });
        let even = evenly_lit(&line);
        for x in 0..400 {
            let ink = x % 20 < 4;
            let level = even.get_pixel(x, 20)[0];
            let above = even.get_pixel(x, 2)[0];
            // Near white: the window's brightest column is a few levels brighter than the
            // column's own background where the light falls off.
            assert!(above >= 245, "background at column {x}: {above}");
            if ink {
                assert!((70..=85).contains(&level), "ink at column {x}: {level}");
            }
        }
    }
}
