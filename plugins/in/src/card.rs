//! Reading one card image: locate and rectify it, read its text once, and decode its barcodes.

use kycd_plugin_api::checks::Date;
use kycd_plugin_api::pixels::sub_image;
use kycd_plugin_api::prelude::*;

/// Where the chosen reading of a card came from.
pub struct CardText {
    /// The rectified card when the chosen reading came from `locate_document`'s crop.
    pub crop: Option<DocumentCrop>,
    /// How the chosen page's coordinates map back to the image that was read.
    pub frame: PageFrame,
}

/// How a point of a parsed page maps back to the pixels it was read from: the page is the read
/// image's lines turned by `angle` around `centre` (deskew and quarter turn); the read image
/// sits at `origin` in the image to re-read (the crop, or the whole image for a zoomed region).
#[derive(Clone, Copy, Debug, Default)]
pub struct PageFrame {
    angle: f32,
    centre: (f32, f32),
    origin: (f32, f32),
}

impl PageFrame {
    /// The image point a page point was read at.
    pub fn image_point(self, p: Point) -> Point {
        let (sin, cos) = (-self.angle).sin_cos();
        let (dx, dy) = (p.x - self.centre.0, p.y - self.centre.1);
        Point {
            x: self.origin.0 + self.centre.0 + dx * cos - dy * sin,
            y: self.origin.1 + self.centre.1 + dx * sin + dy * cos,
        }
    }

    /// A page quad in image coordinates.
    pub fn image_quad(self, quad: Quad) -> Quad {
        Quad {
            points: quad.points.map(|p| self.image_point(p)),
        }
    }
}

impl CardText {
    /// The image the page was read from, at full resolution: the crop, or the whole image
    /// (a zoomed region's page maps into the whole image through its `frame`).
    pub fn source<'a>(&'a self, image: ImageRef<'a>) -> ImageRef<'a> {
        self.crop.as_ref().map_or(image, |c| c.image.as_ref())
    }

    /// Decodes the barcodes on the rectified card, or on the whole image when there is no crop
    /// or nothing was found on it. A card that fills the frame (a scan) is not searched twice:
    /// the whole image would show the same symbol at the same resolution, and a search that
    /// finds nothing costs ~100 ms per image.
    pub fn barcodes(&self, image: ImageRef<'_>, host: &Host<'_>) -> Vec<Barcode> {
        if let Some(crop) = &self.crop {
            let found = host.decode_barcodes(crop.image.as_ref());
            if !found.is_empty() || fills_frame(crop, image) {
                return found;
            }
        }
        host.decode_barcodes(image)
    }
}

/// Share of the frame a card covers when the crop holds all the frame has to show.
const FILLED_FRAME: f32 = 0.8;

/// Whether `crop`'s card covers most of `image` and was not shrunk to make the crop.
fn fills_frame(crop: &DocumentCrop, image: ImageRef<'_>) -> bool {
    let [a, b, c, d] = crop.quad.points;
    let frame = image.width as f32 * image.height as f32;
    let long_side = ((b.x - a.x).hypot(b.y - a.y)).max((c.x - d.x).hypot(c.y - d.y));
    crop.quad.area() >= FILLED_FRAME * frame
        && long_side <= 1.1 * crop.image.width.max(crop.image.height) as f32
}

/// What a route makes of a page, and how good that is.
pub trait Parsed: Sized {
    /// Parses the fields from a page.
    fn parse(page: &Page) -> Self;
    /// Higher is better: fields found, checks passed.
    fn score(&self) -> u32;
    /// Whether every core field was found and checked: no need to read further.
    fn complete(&self) -> bool;
    /// Reads what the parse misses where the page's layout says it is (`source`: the image the
    /// page was read from, `frame`: how page points map into it). Called at most twice per
    /// image: on the located card's parse when it is incomplete, and on the final choice.
    fn fill_in(&mut self, _source: ImageRef<'_>, _frame: &PageFrame, _host: &Host<'_>) {}
}

/// Reads the card the way that gives the best parse: the located, rectified card first; the
/// whole image when that parse is incomplete. Each reading is tried in its four quarter turns
/// after deskewing (the crop of a photo may come out turned by 90 degrees), which costs no OCR.
pub fn read_best<T: Parsed>(image: ImageRef<'_>, host: &Host<'_>) -> (T, CardText) {
    let crop = host.locate_document(image);
    let mut best: Option<(T, CardText)> = None;
    let mut filled_crop = false;
    if let Some(crop) = crop {
        let lines = host.read_text(crop.image.as_ref(), ReadOptions::latin());
        let (mut parsed, frame) =
            best_orientation::<T>(&lines, crop.image.width, crop.image.height, (0, 0));
        if !parsed.complete() {
            parsed.fill_in(crop.image.as_ref(), &frame, host);
        }
        let card = CardText {
            crop: Some(crop),
            frame,
        };
        if parsed.complete() {
            return (parsed, card);
        }
        best = Some((parsed, card));
        filled_crop = true;
    }
    let lines = host.read_text(image, ReadOptions::latin());
    let (parsed, frame) = best_orientation::<T>(&lines, image.width, image.height, (0, 0));
    let complete = parsed.complete();
    if best.as_ref().is_none_or(|b| parsed.score() > b.0.score()) {
        best = Some((parsed, CardText { crop: None, frame }));
    }
    if complete {
        return best.unwrap_or_else(nothing_read);
    }
    // A small card in a large frame may show no legible line at all at the whole image's
    // scale: look for it quarter by quarter.
    let (lines, origin) = if legible_lines(&lines) == 0 {
        text_quarter(image, host).unwrap_or((lines, (0, 0)))
    } else {
        (lines, (0, 0))
    };
    let best = zoom_in(image, host, lines, origin, best);
    match best {
        Some((mut parsed, card)) => {
            let filled = filled_crop && card.crop.is_some();
            if !(parsed.complete() || filled) {
                parsed.fill_in(card.source(image), &card.frame, host);
            }
            (parsed, card)
        }
        None => nothing_read(),
    }
}

/// A small card in a large frame: the detector saw only its biggest lines. Reads the region
/// around them at full resolution, then once more around what that read found; returns the
/// best of `best` and these readings.
fn zoom_in<T: Parsed>(
    image: ImageRef<'_>,
    host: &Host<'_>,
    lines: Vec<TextLine>,
    origin: (u32, u32),
    mut best: Option<(T, CardText)>,
) -> Option<(T, CardText)> {
    let (mut lines, mut origin, mut factor) = (lines, origin, 3.0);
    for _ in 0..2 {
        let Some(region) = text_region(&lines, origin, factor, image.width, image.height) else {
            break;
        };
        let Some(zoomed) = sub_image(image, rect_of(region)) else {
            break;
        };
        lines = host.read_text(zoomed.as_ref(), ReadOptions::latin());
        let (parsed, frame) =
            best_orientation::<T>(&lines, region.2, region.3, (region.0, region.1));
        let complete = parsed.complete();
        if best.as_ref().is_none_or(|b| parsed.score() > b.0.score()) {
            best = Some((parsed, CardText { crop: None, frame }));
        }
        if complete {
            break;
        }
        origin = (region.0, region.1);
        factor = 1.5;
    }
    best
}

/// How many lines of at least four characters were read.
fn legible_lines(lines: &[TextLine]) -> usize {
    lines
        .iter()
        .filter(|l| l.text.chars().filter(|c| c.is_alphanumeric()).count() >= 4)
        .count()
}

/// In a large image (long side 1600 px or more), the first of four overlapping quarters (each
/// 60 % of the width and height) in which at least three legible lines are read: those lines
/// and where the quarter sits. At most four `read_text` calls.
fn text_quarter(image: ImageRef<'_>, host: &Host<'_>) -> Option<(Vec<TextLine>, (u32, u32))> {
    if image.width.max(image.height) < 1600 {
        return None;
    }
    let (w, h) = (image.width * 3 / 5, image.height * 3 / 5);
    let (x1, y1) = (image.width - w, image.height - h);
    [(0, 0), (x1, 0), (0, y1), (x1, y1)]
        .into_iter()
        .find_map(|(x, y)| {
            let quarter = sub_image(image, rect_of((x, y, w, h)))?;
            let lines = host.read_text(quarter.as_ref(), ReadOptions::latin());
            (legible_lines(&lines) >= 3).then_some((lines, (x, y)))
        })
}

/// The parse of an empty page, for when no image was read.
fn nothing_read<T: Parsed>() -> (T, CardText) {
    let card = CardText {
        crop: None,
        frame: PageFrame::default(),
    };
    (T::parse(&Page::default()), card)
}

/// The square region (x, y, width, height) around the recognised lines, large enough to hold
/// the card they belong to; `None` when it would not be meaningfully smaller than the image.
/// `origin` is where the image the lines were read from sits in the full image; `factor` how
/// much larger than the lines' extent the region is.
fn text_region(
    lines: &[TextLine],
    origin: (u32, u32),
    factor: f32,
    width: u32,
    height: u32,
) -> Option<(u32, u32, u32, u32)> {
    let boxes: Vec<Rect> = lines
        .iter()
        .filter(|l| l.text.chars().count() >= 4)
        .map(|l| l.quad.bounds())
        .collect();
    if boxes.is_empty() {
        return None;
    }
    let x0 = boxes.iter().map(|b| b.x).fold(f32::MAX, f32::min);
    let y0 = boxes.iter().map(|b| b.y).fold(f32::MAX, f32::min);
    let x1 = boxes.iter().map(|b| b.x + b.width).fold(f32::MIN, f32::max);
    let y1 = boxes
        .iter()
        .map(|b| b.y + b.height)
        .fold(f32::MIN, f32::max);
    let side = ((x1 - x0).max(y1 - y0) * factor).max(400.0);
    let (cx, cy) = (
        origin.0 as f32 + (x0 + x1) / 2.0,
        origin.1 as f32 + (y0 + y1) / 2.0,
    );
    let left = (cx - side / 2.0).max(0.0) as u32;
    let top = (cy - side / 2.0).max(0.0) as u32;
    let right = ((cx + side / 2.0) as u32).min(width);
    let bottom = ((cy + side / 2.0) as u32).min(height);
    let (w, h) = (right.saturating_sub(left), bottom.saturating_sub(top));
    let smaller = (w as f32) < 0.85 * width as f32 || (h as f32) < 0.85 * height as f32;
    (smaller && w >= 32 && h >= 32).then_some((left, top, w, h))
}

/// A region (x, y, width, height) in pixels as a [`Rect`].
fn rect_of((x, y, w, h): (u32, u32, u32, u32)) -> Rect {
    Rect {
        x: x as f32,
        y: y as f32,
        width: w as f32,
        height: h as f32,
    }
}

/// The best parse of the lines in their four quarter turns, and how its page maps back to the
/// image (`origin`: where the read image sits in the image to re-read).
fn best_orientation<T: Parsed>(
    lines: &[TextLine],
    width: u32,
    height: u32,
    origin: (u32, u32),
) -> (T, PageFrame) {
    let mut best: Option<(T, PageFrame)> = None;
    for (page, mut frame) in upright_pages(lines, width, height) {
        frame.origin = (origin.0 as f32, origin.1 as f32);
        let parsed = T::parse(&page);
        if parsed.complete() {
            return (parsed, frame);
        }
        if best.as_ref().is_none_or(|b| parsed.score() > b.0.score()) {
            best = Some((parsed, frame));
        }
    }
    best.unwrap_or_else(|| (T::parse(&Page::default()), PageFrame::default()))
}

/// The page deskewed by its lines' dominant angle, in four quarter turns (unturned first), each
/// with how its points map back to the read image.
pub fn upright_pages(lines: &[TextLine], width: u32, height: u32) -> Vec<(Page, PageFrame)> {
    let skew = dominant_skew(lines);
    let (cx, cy) = (width as f32 / 2.0, height as f32 / 2.0);
    (0..4)
        .map(|quarter| {
            let angle = -skew
                + [
                    0.0,
                    std::f32::consts::PI,
                    std::f32::consts::FRAC_PI_2,
                    -std::f32::consts::FRAC_PI_2,
                ][quarter];
            let (sin, cos) = angle.sin_cos();
            let turned: Vec<TextLine> = lines
                .iter()
                .map(|line| {
                    let mut line = line.clone();
                    for p in &mut line.quad.points {
                        let (dx, dy) = (p.x - cx, p.y - cy);
                        p.x = cx + dx * cos - dy * sin;
                        p.y = cy + dx * sin + dy * cos;
                    }
                    line
                })
                .collect();
            let (w, h) = if quarter < 2 {
                (width, height)
            } else {
                (height, width)
            };
            let frame = PageFrame {
                angle,
                centre: (cx, cy),
                origin: (0.0, 0.0),
            };
            (Page::new(&turned, w, h), frame)
        })
        .collect()
}

/// The median baseline angle of the longer lines, folded into -45..45 degrees (quarter turns
/// are tried separately).
fn dominant_skew(lines: &[TextLine]) -> f32 {
    let quarter = std::f32::consts::FRAC_PI_2;
    let mut angles: Vec<f32> = lines
        .iter()
        .filter(|l| l.text.chars().count() >= 6)
        .map(|l| {
            let [p0, p1, ..] = l.quad.points;
            let a = (p1.y - p0.y).atan2(p1.x - p0.x);
            a - quarter * (a / quarter).round()
        })
        .filter(|a| a.is_finite())
        .collect();
    if angles.is_empty() {
        return 0.0;
    }
    angles.sort_by(f32::total_cmp);
    let median = angles[angles.len() / 2];
    if median.abs() < 0.03 {
        0.0
    } else {
        median
    }
}

/// Whether a recognised line is written horizontally (the e-Aadhaar prints two dates
/// vertically beside the photo).
pub fn is_horizontal(line: &Line) -> bool {
    line.right - line.left >= line.height()
}

/// Today's date from the system clock (used only for date plausibility).
pub fn today() -> Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    Date::from_days_since_epoch(days as i64)
}
