//! A drawn, face-like portrait (no real photo): background, shoulders, neck, head, hair, eyes,
//! brows, nose and mouth, randomised in proportions and colours.

use image::RgbaImage;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::canvas::{rgb, Canvas, Color};

const SKIN: [Color; 6] = [
    rgb(241, 204, 178),
    rgb(224, 180, 148),
    rgb(198, 146, 108),
    rgb(160, 110, 75),
    rgb(120, 80, 55),
    rgb(90, 60, 42),
];
const HAIR: [Color; 5] = [
    rgb(30, 24, 20),
    rgb(70, 48, 30),
    rgb(120, 85, 50),
    rgb(190, 160, 110),
    rgb(150, 150, 150),
];
const CLOTHES: [Color; 5] = [
    rgb(40, 45, 70),
    rgb(60, 60, 60),
    rgb(120, 30, 40),
    rgb(30, 80, 60),
    rgb(200, 200, 205),
];

fn pick_color(rng: &mut ChaCha8Rng, colors: &[Color]) -> Color {
    colors[rng.random_range(0..colors.len())]
}

/// A `width` x `height` portrait on `background`; grey when `grayscale` (as on laser-engraved
/// cards).
pub fn portrait(
    rng: &mut ChaCha8Rng,
    width: u32,
    height: u32,
    background: Color,
    grayscale: bool,
) -> RgbaImage {
    let mut c = Canvas::new(width, height, background);
    let (w, h) = (width as f32, height as f32);
    let skin = pick_color(rng, &SKIN);
    let hair = pick_color(rng, &HAIR);
    let cx = w * rng.random_range(0.46..0.54);
    let head_rx = w * rng.random_range(0.22..0.28);
    let head_ry = h * rng.random_range(0.22..0.27);
    let head_cy = h * rng.random_range(0.40..0.46);
    // Shoulders and neck.
    let clothes = pick_color(rng, &CLOTHES);
    c.ellipse(cx, h * 1.02, w * 0.48, h * 0.22, clothes);
    c.fill_rect(
        (cx - head_rx * 0.4) as i32,
        (head_cy + head_ry * 0.6) as i32,
        (head_rx * 0.8) as u32,
        (h * 0.2) as u32,
        darker(skin, 0.9),
    );
    // Hair behind, head, hair on top.
    let long_hair = rng.random_bool(0.4);
    if long_hair {
        c.ellipse(
            cx,
            head_cy + head_ry * 0.3,
            head_rx * 1.2,
            head_ry * 1.2,
            hair,
        );
    }
    c.ellipse(cx, head_cy, head_rx, head_ry, skin);
    c.ellipse(
        cx - head_rx,
        head_cy + head_ry * 0.05,
        head_rx * 0.12,
        head_ry * 0.2,
        darker(skin, 0.92),
    );
    c.ellipse(
        cx + head_rx,
        head_cy + head_ry * 0.05,
        head_rx * 0.12,
        head_ry * 0.2,
        darker(skin, 0.92),
    );
    let top = head_cy - head_ry;
    c.polygon(
        &[
            (cx - head_rx * 1.05, head_cy - head_ry * 0.15),
            (cx - head_rx * 0.8, top - head_ry * 0.15),
            (cx, top - head_ry * rng.random_range(0.15..0.3)),
            (cx + head_rx * 0.8, top - head_ry * 0.15),
            (cx + head_rx * 1.05, head_cy - head_ry * 0.15),
            (cx + head_rx * 0.7, top + head_ry * 0.3),
            (
                cx - head_rx * 0.6,
                top + head_ry * rng.random_range(0.25..0.4),
            ),
        ],
        hair,
    );
    // Eyes, brows, nose, mouth.
    let eye_y = head_cy - head_ry * 0.08;
    let eye_dx = head_rx * rng.random_range(0.36..0.46);
    for side in [-1.0, 1.0] {
        let ex = cx + side * eye_dx;
        c.ellipse(
            ex,
            eye_y,
            head_rx * 0.16,
            head_ry * 0.07,
            rgb(245, 245, 245),
        );
        c.ellipse(ex, eye_y, head_rx * 0.07, head_ry * 0.065, rgb(50, 40, 35));
        c.line(
            ex - head_rx * 0.18,
            eye_y - head_ry * 0.2,
            ex + head_rx * 0.18,
            eye_y - head_ry * 0.22,
            head_ry * 0.05,
            hair,
        );
    }
    let nose_y = head_cy + head_ry * 0.25;
    c.polygon(
        &[
            (cx, eye_y + head_ry * 0.05),
            (cx - head_rx * 0.12, nose_y),
            (cx + head_rx * 0.12, nose_y),
        ],
        darker(skin, 0.85),
    );
    let mouth_y = head_cy + head_ry * 0.55;
    c.ellipse(
        cx,
        mouth_y,
        head_rx * rng.random_range(0.25..0.4),
        head_ry * 0.06,
        rgb(150, 70, 70),
    );
    let mut image = c.image;
    if grayscale {
        for p in image.pixels_mut() {
            let l = (0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32) as u8;
            p.0 = [l, l, l, p[3]];
        }
    }
    image
}

fn darker(c: Color, f: f32) -> Color {
    [
        (c[0] as f32 * f) as u8,
        (c[1] as f32 * f) as u8,
        (c[2] as f32 * f) as u8,
        c[3],
    ]
}
