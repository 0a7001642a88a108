//! Line geometry: the common direction of recognised lines, and turning their quads about the
//! image centre so that rows and columns ([`crate::text::Page`]) work again.
//!
//! The text detector returns each line as a rotated rectangle. On a card photographed at an
//! angle, rectified imperfectly, or turned a quarter turn, every line runs in about the same
//! direction; rotating all quads back by that direction ([`level_lines`]) puts the rows level.
//! [`deskew`] does it for small tilts only (the page is taken to be upright to within 45°) and
//! [`reskew`] maps a levelled quad back onto the image's pixels (to re-read a region);
//! [`crate::upright`] uses [`level_lines`] for any angle and then picks which of the two
//! readings is upright. Only the geometry changes: texts and confidences are untouched, and the
//! levelled quads no longer match the image's pixels.

use std::f32::consts::{FRAC_PI_2, FRAC_PI_4, PI};

use crate::types::{Point, Quad, TextLine};

/// Below this (radians, about half a degree) lines count as level and are left alone.
const LEVEL: f32 = 0.01;

/// The direction of a quad's long side in radians, folded into `(-PI/2, PI/2]`, and its length
/// over its width. `None` for degenerate quads.
pub fn long_axis(points: &[Point; 4]) -> Option<(f32, f32)> {
    let side = |a: Point, b: Point| (b.x - a.x, b.y - a.y);
    let (ax, ay) = side(points[0], points[1]);
    let (bx, by) = side(points[1], points[2]);
    let (la, lb) = (ax.hypot(ay), bx.hypot(by));
    let ((dx, dy), long, short) = if la >= lb {
        ((ax, ay), la, lb)
    } else {
        ((bx, by), lb, la)
    };
    if !(long > 0.0 && short > 0.0) {
        return None;
    }
    Some((fold_direction(dy.atan2(dx)), long / short))
}

/// An angle folded into `(-PI/2, PI/2]`: a direction, which does not say which end is first.
fn fold_direction(mut angle: f32) -> f32 {
    while angle > FRAC_PI_2 {
        angle -= PI;
    }
    while angle <= -FRAC_PI_2 {
        angle += PI;
    }
    angle
}

/// The common direction of the lines, in radians within `(-PI/2, PI/2]` (positive: the text
/// runs down to the right). Only lines at least twice as long as tall count (a single digit
/// gives no reliable direction). The direction is the median of the lines' directions, measured
/// around their weighted circular mean so that +89° and -89° agree and a few stray lines (a
/// vertical date, a barcode) do not pull it. `0.0` when no line is long enough to tell.
pub fn text_direction(lines: &[TextLine]) -> f32 {
    let axes: Vec<(f32, f32)> = lines
        .iter()
        .filter_map(|l| long_axis(&l.quad.points))
        .filter(|&(angle, ratio)| ratio >= 2.0 && angle.is_finite())
        .collect();
    // Average doubled angles (a direction, not an orientation), weighted by elongation.
    let (mut sx, mut sy) = (0.0f32, 0.0f32);
    for &(angle, ratio) in &axes {
        let weight = ratio.min(10.0);
        sx += weight * (2.0 * angle).cos();
        sy += weight * (2.0 * angle).sin();
    }
    if sx == 0.0 && sy == 0.0 {
        return 0.0;
    }
    let mean = sy.atan2(sx) / 2.0;
    let mut offsets: Vec<f32> = axes
        .iter()
        .map(|&(angle, _)| fold_direction(angle - mean))
        .collect();
    offsets.sort_by(f32::total_cmp);
    fold_direction(mean + offsets[offsets.len() / 2])
}

/// Rotates a point by `angle` (radians, clockwise on the image) around `center`.
fn rotate(p: Point, center: Point, angle: f32) -> Point {
    let (sin, cos) = angle.sin_cos();
    let (dx, dy) = (p.x - center.x, p.y - center.y);
    Point {
        x: center.x + dx * cos - dy * sin,
        y: center.y + dx * sin + dy * cos,
    }
}

fn center(width: u32, height: u32) -> Point {
    Point {
        x: width as f32 / 2.0,
        y: height as f32 / 2.0,
    }
}

/// The lines rotated about the centre of the `width` x `height` image by `-direction`, so that
/// text running along `direction` runs left to right (pass `direction + PI` for the same
/// levelled page half a turn round). Each quad's corners are reordered top-left, top-right,
/// bottom-right, bottom-left.
pub fn level_lines(lines: &[TextLine], width: u32, height: u32, direction: f32) -> Vec<TextLine> {
    let center = center(width, height);
    lines
        .iter()
        .map(|line| {
            let mut line = line.clone();
            let turned = line.quad.points.map(|p| rotate(p, center, -direction));
            line.quad.points = order_corners(turned);
            line
        })
        .collect()
}

/// Corners ordered top-left, top-right, bottom-right, bottom-left (by the sums and differences
/// of their coordinates).
fn order_corners(points: [Point; 4]) -> [Point; 4] {
    let pick = |key: &dyn Fn(&Point) -> f32, largest: bool| {
        let mut best = points[0];
        for p in points {
            if (key(&p) > key(&best)) == largest && key(&p) != key(&best) {
                best = p;
            }
        }
        best
    };
    [
        pick(&|p| p.x + p.y, false),
        pick(&|p| p.x - p.y, true),
        pick(&|p| p.x + p.y, true),
        pick(&|p| p.y - p.x, true),
    ]
}

/// The lines of a page that is upright to within 45°, levelled by their common direction
/// ([`text_direction`]) when it is more than about half a degree; otherwise (level, or running
/// sideways) the lines unchanged. Returns the angle removed, in radians, for [`reskew`].
pub fn deskew(lines: &[TextLine], width: u32, height: u32) -> (Vec<TextLine>, f32) {
    let angle = text_direction(lines);
    if angle.abs() < LEVEL || angle.abs() >= FRAC_PI_4 {
        return (lines.to_vec(), 0.0);
    }
    (level_lines(lines, width, height, angle), angle)
}

/// The inverse of [`deskew`] (and of [`level_lines`]) for one quad: where a levelled quad lies
/// in the image (to re-read that region with [`crate::Host::recognize_region`]).
pub fn reskew(quad: &Quad, width: u32, height: u32, angle: f32) -> Quad {
    let center = center(width, height);
    Quad {
        points: quad.points.map(|p| rotate(p, center, angle)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Rect, Script};

    /// A line of `width` x 20 whose top-left is at (x, y), leaning by `angle`.
    fn leaning(text: &str, x: f32, y: f32, width: f32, angle: f32) -> TextLine {
        let (sin, cos) = angle.sin_cos();
        let along = |d: f32| (d * cos, d * sin);
        let down = |d: f32| (-d * sin, d * cos);
        let tl = Point { x, y };
        let tr = Point {
            x: x + along(width).0,
            y: y + along(width).1,
        };
        let br = Point {
            x: tr.x + down(20.0).0,
            y: tr.y + down(20.0).1,
        };
        let bl = Point {
            x: x + down(20.0).0,
            y: y + down(20.0).1,
        };
        TextLine {
            text: text.into(),
            confidence: 0.9,
            quad: Quad {
                points: [tl, tr, br, bl],
            },
            script: Script::LATIN,
        }
    }

    fn boxed(x: f32, y: f32, w: f32, h: f32) -> TextLine {
        TextLine {
            text: "A".into(),
            confidence: 0.9,
            quad: Quad::from_rect(Rect {
                x,
                y,
                width: w,
                height: h,
            }),
            script: Script::LATIN,
        }
    }

    #[test]
    fn tilted_rows_become_level() {
        let angle = 0.2_f32; // about 11 degrees
        let (sin, cos) = angle.sin_cos();
        // Label at (50, 100); its value 200 px further along the same tilted row.
        let lines = vec![
            leaning("Nama", 50.0, 100.0, 80.0, angle),
            leaning(
                ": ANDI",
                50.0 + 200.0 * cos,
                100.0 + 200.0 * sin,
                120.0,
                angle,
            ),
            leaning("Agama", 50.0 - 40.0 * sin, 100.0 + 40.0 * cos, 90.0, angle),
        ];
        let (straight, removed) = deskew(&lines, 1000, 600);
        assert!((removed - angle).abs() < 1e-3);
        let top = |i: usize| straight[i].quad.bounds().y;
        assert!((top(0) - top(1)).abs() < 1.0, "label and value on one row");
        assert!(
            (top(2) - top(0) - 40.0).abs() < 1.0,
            "the next row 40 px below"
        );
        let back = reskew(&straight[1].quad, 1000, 600, removed);
        for (a, b) in back.points.iter().zip(lines[1].quad.points.iter()) {
            assert!((a.x - b.x).abs() < 1e-3 && (a.y - b.y).abs() < 1e-3);
        }
    }

    #[test]
    fn level_and_sideways_lines_are_left_alone_by_deskew() {
        let lines = vec![leaning("Nama", 50.0, 100.0, 80.0, 0.0)];
        let (same, removed) = deskew(&lines, 1000, 600);
        assert_eq!(removed, 0.0);
        assert_eq!(same[0].quad, lines[0].quad);
        let sideways = vec![boxed(100.0, 50.0, 20.0, 200.0)];
        assert_eq!(deskew(&sideways, 400, 300).1, 0.0);
        assert_eq!(text_direction(&[]), 0.0);
    }

    #[test]
    fn direction_is_the_median_and_wraps_around_the_vertical() {
        // Four lines at 0.1 rad and one stray line at 0.6: the median ignores the stray one.
        let mut lines: Vec<TextLine> = (0..4)
            .map(|i| leaning("x", 50.0, 50.0 + 40.0 * i as f32, 200.0, 0.1))
            .collect();
        lines.push(leaning("y", 50.0, 300.0, 200.0, 0.6));
        assert!((text_direction(&lines) - 0.1).abs() < 1e-3);
        // Lines at +89° and -89° run the same (vertical) way.
        let near_vertical = [
            leaning("a", 100.0, 50.0, 200.0, 1.553),
            leaning("b", 150.0, 50.0, 200.0, -1.553),
            leaning("c", 200.0, 50.0, 200.0, 1.56),
        ];
        assert!(text_direction(&near_vertical).abs() > 1.5);
    }

    #[test]
    fn long_axis_of_a_degenerate_quad_is_none() {
        assert!(long_axis(&[Point::default(); 4]).is_none());
        let (angle, ratio) = long_axis(&boxed(0.0, 0.0, 20.0, 200.0).quad.points).unwrap();
        assert!((angle.abs() - FRAC_PI_2).abs() < 1e-3 && (ratio - 10.0).abs() < 1e-3);
    }
}
