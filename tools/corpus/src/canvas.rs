//! A drawing surface for one card side: text (shaped, so Thai and Devanagari marks sit right),
//! tints, guilloche-like security lines, shapes, barcodes and pasted images.

use ab_glyph::{Font as _, GlyphId, PxScale};
use image::{Rgba, RgbaImage};
use imageproc::drawing::{draw_filled_ellipse_mut, draw_polygon_mut};
use imageproc::point::Point;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::fonts::{font, Family};

/// An RGBA colour.
pub type Color = [u8; 4];

/// Opaque colour from RGB.
pub const fn rgb(r: u8, g: u8, b: u8) -> Color {
    [r, g, b, 255]
}

/// Near-black ink used for personal data.
pub const INK: Color = rgb(25, 25, 30);

/// How a text run is anchored horizontally at the given x.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// x is the left edge.
    Left,
    /// x is the centre.
    Center,
    /// x is the right edge.
    Right,
}

/// Text style: family, size in pixels per em, colour.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Font family.
    pub family: Family,
    /// Pixels per em.
    pub size: f32,
    /// Colour.
    pub color: Color,
}

impl Style {
    /// A style.
    pub const fn new(family: Family, size: f32, color: Color) -> Style {
        Style {
            family,
            size,
            color,
        }
    }
}

/// One card side being drawn.
pub struct Canvas {
    /// The pixels.
    pub image: RgbaImage,
}

struct ShapedGlyph {
    family: Family,
    id: u16,
    x: f32,
    y: f32,
}

/// The family that draws characters missing from `family` (e.g. digits and punctuation absent
/// from the Thai and Devanagari fonts).
fn fallback(family: Family) -> Family {
    match family {
        Family::ThaiBold | Family::DevanagariBold => Family::ArialBold,
        _ => Family::Arial,
    }
}

/// Splits `text` into runs drawn by `family` or its fallback: a character the primary font
/// lacks goes to the fallback; spaces stay with the run they are in.
fn runs(text: &str, family: Family) -> Vec<(Family, String)> {
    let primary = font(family);
    let mut out: Vec<(Family, String)> = Vec::new();
    for ch in text.chars() {
        let has = primary.outlines.glyph_id(ch).0 != 0;
        let neutral = ch == ' ';
        let target = if has || family == fallback(family) {
            family
        } else {
            fallback(family)
        };
        match out.last_mut() {
            Some((f, run)) if *f == target || neutral => run.push(ch),
            _ => out.push((target, ch.to_string())),
        }
    }
    out
}

fn shape(text: &str, style: Style) -> (Vec<ShapedGlyph>, f32) {
    let mut glyphs = Vec::new();
    let mut pen = 0.0;
    for (family, run) in runs(text, style.family) {
        let font = font(family);
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(&run);
        buffer.guess_segment_properties();
        let output = rustybuzz::shape(&font.shaper, &[], buffer);
        let k = style.size / font.units_per_em;
        for (info, pos) in output.glyph_infos().iter().zip(output.glyph_positions()) {
            glyphs.push(ShapedGlyph {
                family,
                id: info.glyph_id as u16,
                x: pen + pos.x_offset as f32 * k,
                y: -(pos.y_offset as f32) * k,
            });
            pen += pos.x_advance as f32 * k;
        }
    }
    (glyphs, pen)
}

/// Width in pixels of `text` drawn in `style`.
pub fn text_width(text: &str, style: Style) -> f32 {
    shape(text, style).1
}

impl Canvas {
    /// A blank canvas filled with `color`.
    pub fn new(width: u32, height: u32, color: Color) -> Canvas {
        Canvas {
            image: RgbaImage::from_pixel(width, height, Rgba(color)),
        }
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.image.width()
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.image.height()
    }

    /// Blends `color` (with its alpha scaled by `coverage`, 0-1) into pixel (x, y); outside is
    /// ignored.
    pub fn blend(&mut self, x: i32, y: i32, color: Color, coverage: f32) {
        if x < 0 || y < 0 || x >= self.width() as i32 || y >= self.height() as i32 {
            return;
        }
        let a = (color[3] as f32 / 255.0) * coverage.clamp(0.0, 1.0);
        let p = self.image.get_pixel_mut(x as u32, y as u32);
        // Straight-alpha "over".
        let da = p.0[3] as f32 / 255.0;
        let oa = a + da * (1.0 - a);
        if oa > 0.0 {
            for (dst, &src) in p.0[..3].iter_mut().zip(&color[..3]) {
                *dst = ((src as f32 * a + *dst as f32 * da * (1.0 - a)) / oa).round() as u8;
            }
        }
        p.0[3] = (oa * 255.0).round() as u8;
    }

    /// Draws `text` turned 90° counter-clockwise (reading bottom to top), its left edge (after
    /// turning: its bottom) at y, its top at x.
    pub fn text_vertical(&mut self, x: f32, y: f32, text: &str, style: Style) {
        let width = text_width(text, style).ceil() as u32 + 4;
        let mut strip = Canvas::new(width, (style.size * 1.3).ceil() as u32, [0, 0, 0, 0]);
        strip.text(2.0, 0.0, text, style, Align::Left);
        let turned = image::imageops::rotate270(&strip.image);
        self.paste(&turned, x as i32, y as i32 - turned.height() as i32);
    }

    /// Draws `text` with its top at `y` (the em box top: baseline at y + 0.8 em) and x anchored by
    /// `align`. Returns the drawn width.
    pub fn text(&mut self, x: f32, y: f32, text: &str, style: Style, align: Align) -> f32 {
        let (glyphs, width) = shape(text, style);
        let left = match align {
            Align::Left => x,
            Align::Center => x - width / 2.0,
            Align::Right => x - width,
        };
        let baseline = y + style.size * 0.8;
        for g in glyphs {
            let font = font(g.family);
            let scale =
                PxScale::from(style.size * font.outlines.height_unscaled() / font.units_per_em);
            let glyph = GlyphId(g.id)
                .with_scale_and_position(scale, ab_glyph::point(left + g.x, baseline + g.y));
            if let Some(outlined) = font.outlines.outline_glyph(glyph) {
                let bounds = outlined.px_bounds();
                let (bx, by) = (bounds.min.x as i32, bounds.min.y as i32);
                outlined.draw(|gx, gy, coverage| {
                    self.blend(bx + gx as i32, by + gy as i32, style.color, coverage)
                });
            }
        }
        width
    }

    /// Draws `text` shrunk (down to 60 %) so that it fits `max_width`; returns the size used.
    pub fn text_fit(&mut self, x: f32, y: f32, text: &str, style: Style, max_width: f32) -> f32 {
        let width = text_width(text, style);
        let mut fitted = style;
        if width > max_width && width > 0.0 {
            fitted.size = (style.size * max_width / width).max(style.size * 0.6);
        }
        self.text(x, y, text, fitted, Align::Left);
        fitted.size
    }

    /// A label line (small, coloured) and below it a value (larger, ink): the common pattern
    /// of every card's personal-data area. Returns the y below the value.
    // Position, two texts, two styles and a width: a struct would only rename them.
    #[allow(clippy::too_many_arguments)]
    pub fn field(
        &mut self,
        x: f32,
        y: f32,
        label: &str,
        value: &str,
        label_style: Style,
        value_style: Style,
        max_width: f32,
    ) -> f32 {
        self.text_fit(x, y, label, label_style, max_width);
        let vy = y + label_style.size * 1.15;
        self.text_fit(x, vy, value, value_style, max_width);
        vy + value_style.size * 1.25
    }

    /// Fills an axis-aligned rectangle (alpha-blended).
    pub fn fill_rect(&mut self, x: i32, y: i32, w: u32, h: u32, color: Color) {
        for yy in y..y + h as i32 {
            for xx in x..x + w as i32 {
                self.blend(xx, yy, color, 1.0);
            }
        }
    }

    /// A linear gradient over the whole card from `from` (left/top) to `to` (right/bottom).
    pub fn gradient(&mut self, from: Color, to: Color, horizontal: bool) {
        let (w, h) = (self.width(), self.height());
        for (x, y, p) in self.image.enumerate_pixels_mut() {
            let t = if horizontal {
                x as f32 / w as f32
            } else {
                y as f32 / h as f32
            };
            for c in 0..3 {
                p.0[c] = (from[c] as f32 * (1.0 - t) + to[c] as f32 * t).round() as u8;
            }
        }
    }

    /// Guilloche-like security pattern: `count` families of fine sinusoidal lines and rosette
    /// loops in `color`, randomised by `rng`.
    pub fn guilloche(&mut self, rng: &mut ChaCha8Rng, color: Color, count: usize) {
        let (w, h) = (self.width() as f32, self.height() as f32);
        for _ in 0..count {
            let amplitude = rng.random_range(0.04..0.18) * h;
            let period = rng.random_range(0.15..0.6) * w;
            let phase = rng.random_range(0.0..std::f32::consts::TAU);
            let base = rng.random_range(0.0..h);
            let harmonic = rng.random_range(2.0..5.0f32);
            let lines = rng.random_range(6..16);
            for l in 0..lines {
                let offset = l as f32 * rng.random_range(3.0..7.0);
                let mut x = 0.0;
                while x < w {
                    let t = x / period * std::f32::consts::TAU + phase;
                    let y = base
                        + offset
                        + amplitude * (t.sin() + 0.35 * (harmonic * t + l as f32 * 0.3).sin());
                    self.blend(x as i32, y as i32, color, 0.4);
                    x += 0.5;
                }
            }
        }
        // One rosette.
        let (cx, cy) = (
            rng.random_range(0.2..0.8) * w,
            rng.random_range(0.2..0.8) * h,
        );
        let r = rng.random_range(0.12..0.25) * h;
        let petals = rng.random_range(5..12) as f32;
        for k in 0..24 {
            let rot = k as f32 * 0.13;
            let mut t = 0.0f32;
            while t < std::f32::consts::TAU {
                let rr = r * (0.6 + 0.4 * (petals * t + rot).cos());
                self.blend(
                    (cx + rr * t.cos()) as i32,
                    (cy + rr * t.sin()) as i32,
                    color,
                    0.3,
                );
                t += 0.004;
            }
        }
    }

    /// A thick line segment.
    pub fn line(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, thickness: f32, color: Color) {
        let (dx, dy) = (x1 - x0, y1 - y0);
        let len = (dx * dx + dy * dy).sqrt().max(1e-3);
        let (nx, ny) = (-dy / len * thickness / 2.0, dx / len * thickness / 2.0);
        self.polygon(
            &[
                (x0 + nx, y0 + ny),
                (x1 + nx, y1 + ny),
                (x1 - nx, y1 - ny),
                (x0 - nx, y0 - ny),
            ],
            color,
        );
    }

    /// A filled polygon (opaque colour; alpha ignored).
    pub fn polygon(&mut self, points: &[(f32, f32)], color: Color) {
        let mut pts: Vec<Point<i32>> = points
            .iter()
            .map(|&(x, y)| Point::new(x.round() as i32, y.round() as i32))
            .collect();
        pts.dedup();
        if pts.len() >= 3 && pts.first() != pts.last() {
            draw_polygon_mut(&mut self.image, &pts, Rgba(color));
        }
    }

    /// A filled ellipse (opaque colour).
    pub fn ellipse(&mut self, cx: f32, cy: f32, rx: f32, ry: f32, color: Color) {
        draw_filled_ellipse_mut(
            &mut self.image,
            (cx as i32, cy as i32),
            rx.max(1.0) as i32,
            ry.max(1.0) as i32,
            Rgba(color),
        );
    }

    /// Pastes `image` with its top-left at (x, y), blending by the image's alpha.
    pub fn paste(&mut self, image: &RgbaImage, x: i32, y: i32) {
        for (px, py, p) in image.enumerate_pixels() {
            self.blend(
                x + px as i32,
                y + py as i32,
                [p[0], p[1], p[2], 255],
                p[3] as f32 / 255.0,
            );
        }
    }

    /// Draws a 2-D barcode module matrix (true = dark) scaled to `module` pixels, top-left at (x, y).
    pub fn modules(
        &mut self,
        matrix: &[Vec<bool>],
        x: i32,
        y: i32,
        module_w: u32,
        module_h: u32,
        color: Color,
    ) {
        for (row, line) in matrix.iter().enumerate() {
            for (col, &dark) in line.iter().enumerate() {
                if dark {
                    self.fill_rect(
                        x + (col as u32 * module_w) as i32,
                        y + (row as u32 * module_h) as i32,
                        module_w,
                        module_h,
                        color,
                    );
                }
            }
        }
    }

    /// Rounds the card corners (transparent outside), radius in pixels.
    pub fn round_corners(&mut self, radius: f32) {
        let (w, h) = (self.width() as f32, self.height() as f32);
        for (x, y, p) in self.image.enumerate_pixels_mut() {
            let (fx, fy) = (x as f32 + 0.5, y as f32 + 0.5);
            let cx = fx.clamp(radius, w - radius);
            let cy = fy.clamp(radius, h - radius);
            let d = ((fx - cx).powi(2) + (fy - cy).powi(2)).sqrt();
            if d > radius {
                p.0[3] = 0;
            } else if d > radius - 1.0 {
                p.0[3] = ((radius - d) * 255.0) as u8;
            }
        }
    }
}
