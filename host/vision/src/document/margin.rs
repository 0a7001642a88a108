//! A level card on a plain background (a flatbed scan, a card photographed flat on a desk from
//! straight above): the card is the box where the background colour ends on all four sides.
//!
//! Found this way, a scan skips the whole frame's text detection and the edge fit (together
//! about half of `locate_document` on a 2-core machine); the card's own text check still
//! decides whether the box is taken (`Vision::card_shows_text` on the cut card).

use image::RgbImage;
use kycd_plugin_api::Point;

/// Largest difference (per channel) from the background colour that still counts as
/// background: sensor noise and JPEG ringing on a plain scan bed.
const BACKGROUND_TOLERANCE: u8 = 6;
/// Share of the frame's border pixels that must be the background colour.
const PLAIN_BORDER: f32 = 0.95;
/// Share of a row (column) that must differ from the background for the card to start there
/// (a card's rounded corners and a border in the background colour leave some of it out).
const CARD_ROW: f32 = 0.5;
/// Share of the row (column) two pixels outside each side of the box that may differ from the
/// background (specks, dust on the scan bed).
const MAX_OUTSIDE: f32 = 0.05;
/// Share of the frame each side the card must cover at least (a plain margin, not a card
/// small on a desk).
const MIN_COVER: f32 = 0.7;
/// ID-1 aspect ratio (85.60 / 53.98 mm) and how far a box's may be from it.
const ID1_ASPECT: f32 = 1.586;
/// See [`ID1_ASPECT`].
const ASPECT_TOLERANCE: f32 = 0.08;

/// The corners (top-left, top-right, bottom-right, bottom-left) of the box a level card
/// (landscape or turned a quarter) fills on a plain background, when the frame's border is
/// all one colour, the box's sides are sharp (background just outside them all along) and
/// it covers most of the frame with the card's aspect ratio. `None` otherwise (no margin, a
/// textured background, a tilted card).
pub(super) fn card_on_plain_margin(image: &RgbImage) -> Option<[Point; 4]> {
    let (width, height) = image.dimensions();
    if width < 64 || height < 64 {
        return None;
    }
    let background = border_colour(image)?;
    let differs = |x: u32, y: u32| {
        let p = image.get_pixel(x, y).0;
        p.iter()
            .zip(background)
            .any(|(a, b)| a.abs_diff(b) > BACKGROUND_TOLERANCE)
    };
    let row_count = |y: u32| (0..width).filter(|x| differs(*x, y)).count();
    let column_count = |x: u32| (0..height).filter(|y| differs(x, *y)).count();
    let row_is_card = |y: u32| row_count(y) as f32 >= CARD_ROW * width as f32;
    let column_is_card = |x: u32| column_count(x) as f32 >= CARD_ROW * height as f32;
    let top = (0..height).find(|y| row_is_card(*y))?;
    let bottom = (top..height).rev().find(|y| row_is_card(*y))?;
    let left = (0..width).find(|x| column_is_card(*x))?;
    let right = (left..width).rev().find(|x| column_is_card(*x))?;
    // A margin on every side: a card cut at the frame leaves its box to the edge fit.
    if top == 0 || left == 0 || bottom == height - 1 || right == width - 1 {
        return None;
    }
    // A level card's sides are sharp: just outside them is background all along (outside a
    // tilted card's box, its corners still cross the rows and columns next to the box).
    let outside = |count: usize, length: u32| count as f32 <= MAX_OUTSIDE * length as f32;
    let sharp = outside(row_count(top.saturating_sub(2)), width)
        && outside(row_count((bottom + 2).min(height - 1)), width)
        && outside(column_count(left.saturating_sub(2)), height)
        && outside(column_count((right + 2).min(width - 1)), height);
    let (box_w, box_h) = ((right - left + 1) as f32, (bottom - top + 1) as f32);
    let aspect = box_w.max(box_h) / box_w.min(box_h);
    let covers = box_w >= MIN_COVER * width as f32 || box_h >= MIN_COVER * height as f32;
    if !sharp || !covers || (aspect - ID1_ASPECT).abs() > ASPECT_TOLERANCE * ID1_ASPECT {
        return None;
    }
    let (x0, y0, x1, y1) = (left as f32, top as f32, right as f32, bottom as f32);
    Some([
        Point { x: x0, y: y0 },
        Point { x: x1, y: y0 },
        Point { x: x1, y: y1 },
        Point { x: x0, y: y1 },
    ])
}

/// The colour of the frame's one-pixel border when at least [`PLAIN_BORDER`] of it is within
/// [`BACKGROUND_TOLERANCE`] of its per-channel median.
fn border_colour(image: &RgbImage) -> Option<[u8; 3]> {
    let (width, height) = image.dimensions();
    let border: Vec<[u8; 3]> = (0..width)
        .flat_map(|x| [(x, 0), (x, height - 1)])
        .chain((1..height - 1).flat_map(|y| [(0, y), (width - 1, y)]))
        .map(|(x, y)| image.get_pixel(x, y).0)
        .collect();
    let mut median = [0u8; 3];
    for (channel, value) in median.iter_mut().enumerate() {
        let mut values: Vec<u8> = border.iter().map(|p| p[channel]).collect();
        values.sort_unstable();
        *value = values[values.len() / 2];
    }
    let plain = border
        .iter()
        .filter(|p| {
            p.iter()
                .zip(median)
                .all(|(a, b)| a.abs_diff(b) <= BACKGROUND_TOLERANCE)
        })
        .count();
    (plain as f32 >= PLAIN_BORDER * border.len() as f32).then_some(median)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    fn scan(card: (u32, u32, u32, u32), frame: (u32, u32)) -> RgbImage {
        let (x0, y0, x1, y1) = card;
        RgbImage::from_fn(frame.0, frame.1, |x, y| {
            if (x0..=x1).contains(&x) && (y0..=y1).contains(&y) {
                // Card background with a darker print band.
                if y % 40 < 8 {
                    Rgb([40, 40, 60])
                } else {
                    Rgb([232, 240, 250])
                }
            } else {
                Rgb([250, 250, 248])
            }
        })
    }

    #[test]
    fn a_card_on_a_plain_margin_is_its_box() {
        let corners = card_on_plain_margin(&scan((24, 24, 1035, 661), (1060, 686))).unwrap();
        assert_eq!((corners[0].x, corners[0].y), (24.0, 24.0));
        assert_eq!((corners[2].x, corners[2].y), (1035.0, 661.0));
        // Turned a quarter on the scan bed.
        let turned = image::imageops::rotate90(&scan((24, 24, 1035, 661), (1060, 686)));
        let corners = card_on_plain_margin(&turned).unwrap();
        assert_eq!((corners[0].x, corners[0].y), (24.0, 24.0));
        assert_eq!((corners[2].x, corners[2].y), (661.0, 1035.0));
    }

    #[test]
    fn no_margin_a_small_card_or_a_busy_border_is_not_taken() {
        // Cut at the frame: no margin on the left.
        assert!(card_on_plain_margin(&scan((0, 24, 1035, 661), (1060, 686))).is_none());
        // A card small in the frame.
        assert!(card_on_plain_margin(&scan((300, 300, 620, 502), (1060, 1060))).is_none());
        // Tilted: the corners cross the rows and columns outside the box.
        let tilted = RgbImage::from_fn(1060, 760, |x, y| {
            let (x, y) = (x as f32 - 530.0, y as f32 - 380.0);
            let (u, v) = (x * 0.996 + y * 0.087, -x * 0.087 + y * 0.996);
            if u.abs() < 480.0 && v.abs() < 303.0 {
                Rgb([232, 240, 250])
            } else {
                Rgb([250, 250, 248])
            }
        });
        assert!(card_on_plain_margin(&tilted).is_none());
        // Not card-shaped (a square box).
        assert!(card_on_plain_margin(&scan((24, 24, 661, 661), (700, 700))).is_none());
        // A textured background.
        let mut busy = scan((24, 24, 1035, 661), (1060, 686));
        for x in (0..1060).step_by(3) {
            busy.put_pixel(x, 0, Rgb([90, 60, 30]));
            busy.put_pixel(x, 685, Rgb([90, 60, 30]));
        }
        assert!(card_on_plain_margin(&busy).is_none());
    }
}
