//! Choosing the upright reading of a page whose lines may run in any direction, a quarter turn
//! included, and turning an image to ask the host again.
//!
//! The recogniser reads a line correctly even when the line runs vertically in the image (a
//! card photographed sideways, or a crop that [`crate::Host::locate_document`] turned the wrong
//! way), but then rows and columns ([`crate::text::Page`]) mean nothing.
//! [`crate::skew::level_lines`] rotates every quad by the lines' common direction so that they
//! run left to right again. A text box does not say which of its two ends the text starts at, so
//! a levelled page may still be upside down: [`upright_candidates`] gives both readings and
//! [`best_page`] keeps the one whose layout the caller recognises (e.g. its header above its
//! labels).

use std::f32::consts::PI;

use crate::skew::{level_lines, text_direction};
use crate::text::Page;
use crate::types::{OwnedImage, TextLine};

/// Two levelled readings of the lines: along their common direction, and the same turned half
/// a turn. When the lines already run level (within about a degree) the first is the lines
/// unchanged.
pub fn upright_candidates(lines: &[TextLine], width: u32, height: u32) -> [Vec<TextLine>; 2] {
    let direction = text_direction(lines);
    let first = if direction.abs() < 0.02 {
        lines.to_vec()
    } else {
        level_lines(lines, width, height, direction)
    };
    [first, level_lines(lines, width, height, direction + PI)]
}

/// The levelled reading of the lines (see [`upright_candidates`]) whose page `score`s highest;
/// on a tie the reading along the lines' direction.
pub fn best_page(
    lines: &[TextLine],
    width: u32,
    height: u32,
    score: impl Fn(&Page) -> i32,
) -> Page {
    let [first, second] = upright_candidates(lines, width, height);
    let first = Page::new(&first, width, height);
    let second = Page::new(&second, width, height);
    if score(&second) > score(&first) {
        second
    } else {
        first
    }
}

/// The image turned clockwise by `quarter_turns` quarter turns (0 to 3; more wrap around), for
/// asking the host again about an image that is upside down or sideways. An image whose pixel
/// buffer does not match its size is returned empty.
pub fn turn_image(image: &OwnedImage, quarter_turns: u32) -> OwnedImage {
    let (w, h) = (image.width as usize, image.height as usize);
    let src = image.rgb.as_slice();
    if src.len() != w * h * 3 {
        return OwnedImage {
            width: 0,
            height: 0,
            rgb: Vec::new().into(),
        };
    }
    let turns = quarter_turns % 4;
    let (nw, nh) = if turns.is_multiple_of(2) {
        (w, h)
    } else {
        (h, w)
    };
    let mut out = vec![0u8; src.len()];
    for y in 0..h {
        for x in 0..w {
            let (nx, ny) = match turns {
                0 => (x, y),
                1 => (h - 1 - y, x),
                2 => (w - 1 - x, h - 1 - y),
                _ => (y, w - 1 - x),
            };
            let (s, d) = ((y * w + x) * 3, (ny * nw + nx) * 3);
            out[d..d + 3].copy_from_slice(&src[s..s + 3]);
        }
    }
    OwnedImage {
        width: nw as u32,
        height: nh as u32,
        rgb: out.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Rect;

    fn line(text: &str, x: f32, y: f32, w: f32, h: f32) -> TextLine {
        TextLine::latin(text, Rect::new(x, y, w, h), 0.9)
    }

    #[test]
    fn vertical_lines_are_levelled() {
        // Two lines running top to bottom, side by side.
        let lines = [
            line("A", 100.0, 50.0, 20.0, 200.0),
            line("B", 150.0, 50.0, 20.0, 200.0),
        ];
        assert!((text_direction(&lines).abs() - std::f32::consts::FRAC_PI_2).abs() < 0.01);
        let [first, second] = upright_candidates(&lines, 400, 300);
        for levelled in [&first, &second] {
            let b = levelled[0].quad.bounds();
            assert!(b.width > 150.0 && b.height < 30.0, "{b:?}");
        }
        // One reading puts A above B, the other B above A.
        let order = |ls: &[TextLine]| ls[0].quad.bounds().y < ls[1].quad.bounds().y;
        assert_ne!(order(&first), order(&second));
    }

    #[test]
    fn level_lines_stay_put() {
        let lines = [line("A", 10.0, 10.0, 200.0, 20.0)];
        let [first, second] = upright_candidates(&lines, 300, 100);
        assert_eq!(first[0].quad, lines[0].quad);
        let b = second[0].quad.bounds();
        assert!(
            (b.x - 90.0).abs() < 0.5 && (b.y - 70.0).abs() < 0.5,
            "{b:?}"
        );
    }

    #[test]
    fn turning_an_image_moves_its_corners() {
        // 2x1: red, green.
        let image = OwnedImage {
            width: 2,
            height: 1,
            rgb: vec![255, 0, 0, 0, 255, 0].into(),
        };
        let turned = turn_image(&image, 1);
        assert_eq!((turned.width, turned.height), (1, 2));
        assert_eq!(turned.rgb.as_slice(), &[255, 0, 0, 0, 255, 0]);
        let half = turn_image(&image, 2);
        assert_eq!(half.rgb.as_slice(), &[0, 255, 0, 255, 0, 0]);
        assert_eq!(turn_image(&image, 4).rgb.as_slice(), image.rgb.as_slice());
    }
}
