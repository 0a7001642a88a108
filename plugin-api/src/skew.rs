//! Straightening recognised lines of a tilted photo, so that row and column geometry
//! ([`crate::text::Page`]) works on cards that are not upright to the pixel.
//!
//! The text detector returns each line as a rotated rectangle. On a card photographed at an
//! angle (or rectified imperfectly) every line leans by about the same angle; rotating all quads
//! back by the median lean puts the rows level again. Only the geometry changes: texts and
//! confidences are untouched, and the quads no longer match the image's pixels (keep the
//! originals to re-read a region).

use crate::types::{Point, Quad, TextLine};

/// The lean of one line, in radians (positive: the line goes down to the right), from the
/// top edge of its quad.
pub fn line_angle(quad: &Quad) -> f32 {
    let [tl, tr, br, bl] = quad.points;
    let top = (tr.y - tl.y).atan2(tr.x - tl.x);
    let bottom = (br.y - bl.y).atan2(br.x - bl.x);
    (top + bottom) / 2.0
}

/// The median lean of the lines that are clearly longer than tall (short lines such as a
/// single digit give no reliable direction). `0.0` when there are none.
pub fn median_angle(lines: &[TextLine]) -> f32 {
    let mut angles: Vec<f32> = lines
        .iter()
        .filter(|l| {
            let [tl, tr, _, bl] = l.quad.points;
            let width = (tr.x - tl.x).hypot(tr.y - tl.y);
            let height = (bl.x - tl.x).hypot(bl.y - tl.y);
            width > 2.5 * height
        })
        .map(|l| line_angle(&l.quad))
        .filter(|a| a.is_finite() && a.abs() < std::f32::consts::FRAC_PI_4)
        .collect();
    if angles.is_empty() {
        return 0.0;
    }
    angles.sort_by(f32::total_cmp);
    angles[angles.len() / 2]
}

/// Rotates a point by `-angle` around `center`.
fn unrotate(p: Point, center: Point, angle: f32) -> Point {
    let (sin, cos) = angle.sin_cos();
    let (dx, dy) = (p.x - center.x, p.y - center.y);
    Point {
        x: center.x + dx * cos + dy * sin,
        y: center.y - dx * sin + dy * cos,
    }
}

/// The lines with their quads rotated back by the median lean (around the centre of the
/// image of size `width` x `height`), when that lean is more than about half a degree;
/// otherwise the lines unchanged. Returns the angle removed, in radians.
pub fn deskew(lines: &[TextLine], width: u32, height: u32) -> (Vec<TextLine>, f32) {
    let angle = median_angle(lines);
    if angle.abs() < 0.01 {
        return (lines.to_vec(), 0.0);
    }
    let center = Point {
        x: width as f32 / 2.0,
        y: height as f32 / 2.0,
    };
    let straightened = lines
        .iter()
        .map(|line| {
            let mut line = line.clone();
            for p in line.quad.points.iter_mut() {
                *p = unrotate(*p, center, angle);
            }
            line
        })
        .collect();
    (straightened, angle)
}

/// The inverse of [`deskew`] for one quad: where a straightened quad lies in the image (to
/// re-read that region with [`crate::Host::recognize_region`]).
pub fn reskew(quad: &Quad, width: u32, height: u32, angle: f32) -> Quad {
    let center = Point {
        x: width as f32 / 2.0,
        y: height as f32 / 2.0,
    };
    Quad {
        points: quad.points.map(|p| unrotate(p, center, -angle)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Script;

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
    fn level_lines_are_left_alone() {
        let lines = vec![leaning("Nama", 50.0, 100.0, 80.0, 0.0)];
        let (same, removed) = deskew(&lines, 1000, 600);
        assert_eq!(removed, 0.0);
        assert_eq!(same[0].quad, lines[0].quad);
        assert_eq!(median_angle(&[]), 0.0);
    }
}
