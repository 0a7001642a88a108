//! One module per country: its identity rules and its card layouts, over the shared
//! [`canvas`](crate::canvas), [`identity`](crate::identity) and [`mrz`](crate::mrz) modules.

pub mod co;
pub mod de;
pub mod de_dl;
pub mod id;
pub mod india;
pub mod mx;
pub mod nl;
pub mod no;
pub mod se;
pub mod th;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::canvas::{text_width, Align, Canvas, Color, Style};
use crate::doc::{CARD_H, CARD_W};
use crate::fonts::Family;

/// A blank card side: a tint gradient and guilloche lines.
pub fn blank_card(rng: &mut ChaCha8Rng, from: Color, to: Color, guilloche: Color) -> Canvas {
    let mut c = Canvas::new(CARD_W, CARD_H, from);
    c.gradient(from, to, rng.random_bool(0.5));
    c.guilloche(rng, guilloche, 3);
    c
}

/// Finishes a card side: rounded ID-1 corners (3.18 mm).
pub fn finish(mut canvas: Canvas) -> image::RgbaImage {
    canvas.round_corners(38.0);
    canvas.image
}

/// Draws a TD1 MRZ (3 lines of 30) in OCR-B on a light band at the bottom of the card.
pub fn draw_td1(canvas: &mut Canvas, lines: &[String; 3]) {
    let band_top = CARD_H as f32 - 200.0;
    canvas.fill_rect(0, band_top as i32, CARD_W, 200, [255, 255, 255, 110]);
    // ICAO: 10 characters per inch, i.e. 30 characters over ~900 px at 300 dpi.
    let probe = Style::new(Family::OcrB, 100.0, crate::canvas::INK);
    let size = 100.0 * 880.0 / text_width(&lines[0], probe);
    let style = Style::new(Family::OcrB, size, crate::canvas::INK);
    for (i, line) in lines.iter().enumerate() {
        canvas.text(
            CARD_W as f32 / 2.0,
            band_top + 22.0 + i as f32 * 56.0,
            line,
            style,
            Align::Center,
        );
    }
}

/// A hand-written-looking signature scribble in a box.
pub fn signature(canvas: &mut Canvas, rng: &mut ChaCha8Rng, x: f32, y: f32, w: f32, h: f32) {
    let mut px = x;
    let mut py = y + h * 0.6;
    let ink: Color = [20, 30, 90, 255];
    let steps = 40;
    for i in 0..steps {
        let nx = x + w * (i + 1) as f32 / steps as f32;
        let ny = (y + h * 0.5 + rng.random_range(-0.45..0.45) * h).clamp(y, y + h);
        canvas.line(px, py, nx, ny, 2.5, ink);
        px = nx;
        py = ny;
    }
}
