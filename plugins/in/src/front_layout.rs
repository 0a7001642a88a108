//! Where the Aadhaar front prints its small lines, and reading them there when the detector
//! missed them.
//!
//! On photos the detector often misses the small print: the e-Aadhaar's issue and download
//! dates (15 px on a 1012 px card, written upward beside the photo) and the PVC card's
//! `Aadhaar no. issued:` line, or cuts a line short (the VID's faint last group). The card's
//! layout is fixed, so the large lines that were read (the `GOVERNMENT OF INDIA` header and the
//! Aadhaar number) say where the small ones must be: an affine map from a reference layout to
//! the page is fitted to them, and each missing line is recognised where the map puts it
//! (`recognize_region`, cheap), trying small offsets because the fit is only as good as the
//! detector's boxes.

use kycd_plugin_api::prelude::*;

use crate::card::PageFrame;

/// Left, top, right, bottom.
pub type Box4 = (f32, f32, f32, f32);

/// A point of the reference layout: the boxes the detector finds on a clean scan's crop
/// (1000 x 630), where the header's box spans x 299-647 on the row y = 101.
#[derive(Clone, Copy)]
struct RefPoint(f32, f32);

/// The header's box ends, at its vertical centre.
const HEADER_LEFT: RefPoint = RefPoint(299.0, 101.0);
const HEADER_RIGHT: RefPoint = RefPoint(647.0, 101.0);
/// The Aadhaar number's box ends, at its vertical centre.
const NUMBER_LEFT: RefPoint = RefPoint(322.0, 474.5);
const NUMBER_RIGHT: RefPoint = RefPoint(680.5, 474.5);

/// The e-Aadhaar's issue date column (text written upward), left, top, right, bottom.
pub const ISSUE_COLUMN: Box4 = (45.0, 248.0, 69.0, 422.0);
/// The e-Aadhaar's download date column.
pub const DOWNLOAD_COLUMN: Box4 = (300.0, 220.0, 324.0, 422.0);
/// The PVC card's `Aadhaar no. issued: dd/mm/yyyy` line.
pub const PVC_ISSUED_LINE: Box4 = (76.0, 402.0, 304.0, 429.0);
/// How wide the whole VID line (`VID : dddd dddd dddd dddd`) is, with a margin.
pub const VID_WIDTH: f32 = 290.0;

/// An affine map from the reference layout to page coordinates.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    x: [f32; 3],
    y: [f32; 3],
}

impl Layout {
    /// Fits the map to the header's and the number's boxes (page coordinates); with the header
    /// alone, a scale and shift from its width and centre. `None` without a header.
    pub fn fit(header: Option<Box4>, number: Option<Box4>) -> Option<Layout> {
        let header = header?;
        let row = |b: Box4, left: RefPoint, right: RefPoint| {
            let middle = (b.1 + b.3) / 2.0;
            [(left, (b.0, middle)), (right, (b.2, middle))]
        };
        let mut pairs: Vec<(RefPoint, (f32, f32))> =
            row(header, HEADER_LEFT, HEADER_RIGHT).to_vec();
        if let Some(number) = number {
            pairs.extend(row(number, NUMBER_LEFT, NUMBER_RIGHT));
        }
        if pairs.len() >= 4 {
            if let (Some(x), Some(y)) = (fit_axis(&pairs, |p| p.0), fit_axis(&pairs, |p| p.1)) {
                return Some(Layout { x, y });
            }
        }
        let scale = (header.2 - header.0) / (HEADER_RIGHT.0 - HEADER_LEFT.0);
        if !(scale.is_finite() && scale > 0.1) {
            return None;
        }
        let (cx, cy) = ((header.0 + header.2) / 2.0, (header.1 + header.3) / 2.0);
        let ref_cx = (HEADER_LEFT.0 + HEADER_RIGHT.0) / 2.0;
        Some(Layout {
            x: [scale, 0.0, cx - scale * ref_cx],
            y: [0.0, scale, cy - scale * HEADER_LEFT.1],
        })
    }

    /// A reference point on the page.
    fn point(&self, x: f32, y: f32) -> Point {
        Point {
            x: self.x[0] * x + self.x[1] * y + self.x[2],
            y: self.y[0] * x + self.y[1] * y + self.y[2],
        }
    }

    /// How many page pixels one reference pixel spans, along x.
    pub fn scale(&self) -> f32 {
        (self.x[0].powi(2) + self.y[0].powi(2)).sqrt()
    }

    /// The page quad of a column of upward-written text (reference box), moved right by `dx`
    /// reference pixels: its first corner at the bottom left, so the text reads left to right.
    pub fn upward_column(&self, (l, t, r, b): Box4, dx: f32) -> Quad {
        let (l, r) = (l + dx, r + dx);
        Quad {
            points: [
                self.point(l, b),
                self.point(l, t),
                self.point(r, t),
                self.point(r, b),
            ],
        }
    }

    /// The page quad of a horizontal line (reference box), moved down by `dy` reference pixels.
    pub fn line(&self, (l, t, r, b): Box4, dy: f32) -> Quad {
        let (t, b) = (t + dy, b + dy);
        Quad {
            points: [
                self.point(l, t),
                self.point(r, t),
                self.point(r, b),
                self.point(l, b),
            ],
        }
    }
}

/// Least-squares `v = a x + b y + c` over the pairs' reference points, `v` picked from the page
/// point; `None` when the points are degenerate (all on one line).
fn fit_axis(
    pairs: &[(RefPoint, (f32, f32))],
    pick: impl Fn((f32, f32)) -> f32,
) -> Option<[f32; 3]> {
    // Normal equations: (A^T A) p = A^T v with rows (x, y, 1).
    let mut m = [[0.0f64; 3]; 3];
    let mut rhs = [0.0f64; 3];
    for (r, page) in pairs {
        let row = [f64::from(r.0), f64::from(r.1), 1.0];
        let v = f64::from(pick(*page));
        for i in 0..3 {
            for j in 0..3 {
                m[i][j] += row[i] * row[j];
            }
            rhs[i] += row[i] * v;
        }
    }
    let solved = solve3(m, rhs)?;
    let out = solved.map(|v| v as f32);
    out.iter().all(|v| v.is_finite()).then_some(out)
}

/// Solves a 3x3 linear system by Cramer's rule; `None` when it is (nearly) singular.
fn solve3(m: [[f64; 3]; 3], rhs: [f64; 3]) -> Option<[f64; 3]> {
    let det = |m: [[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det(m);
    let scale: f64 = m.iter().flatten().map(|v| v.abs()).sum();
    if d.abs() <= 1e-9 * scale.powi(3) {
        return None;
    }
    let mut out = [0.0; 3];
    for (col, value) in out.iter_mut().enumerate() {
        let mut replaced = m;
        for row in 0..3 {
            replaced[row][col] = rhs[row];
        }
        *value = det(replaced) / d;
    }
    Some(out)
}

/// Recognises a page quad in the image the page was read from.
pub fn recognize(source: ImageRef<'_>, frame: &PageFrame, host: &Host<'_>, quad: Quad) -> TextLine {
    host.recognize_region(source, frame.image_quad(quad), Charset::ANY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fit_maps_the_reference_onto_a_scaled_shifted_page() {
        // A page at 1.1 x the reference, shifted by (-20, 15).
        let page = |r: RefPoint| (1.1 * r.0 - 20.0, 1.1 * r.1 + 15.0);
        let header = (
            page(HEADER_LEFT).0,
            page(HEADER_LEFT).1 - 20.0,
            page(HEADER_RIGHT).0,
            page(HEADER_RIGHT).1 + 20.0,
        );
        let number = (
            page(NUMBER_LEFT).0,
            page(NUMBER_LEFT).1 - 25.0,
            page(NUMBER_RIGHT).0,
            page(NUMBER_RIGHT).1 + 25.0,
        );
        for layout in [
            Layout::fit(Some(header), Some(number)).unwrap(),
            Layout::fit(Some(header), None).unwrap(),
        ] {
            let p = layout.point(57.0, 300.0);
            assert!((p.x - (1.1 * 57.0 - 20.0)).abs() < 0.5, "{p:?}");
            assert!((p.y - (1.1 * 300.0 + 15.0)).abs() < 0.5, "{p:?}");
            assert!((layout.scale() - 1.1).abs() < 0.01);
        }
        assert!(Layout::fit(None, Some(number)).is_none());
    }

    #[test]
    fn an_upward_column_starts_at_its_bottom_left() {
        let layout = Layout::fit(Some((299.0, 81.0, 647.0, 121.0)), None).unwrap();
        let quad = layout.upward_column(ISSUE_COLUMN, 0.0);
        let [first, second, ..] = quad.points;
        assert!((first.x - ISSUE_COLUMN.0).abs() < 0.01 && (first.y - ISSUE_COLUMN.3).abs() < 0.01);
        assert!((second.y - ISSUE_COLUMN.1).abs() < 0.01);
    }

    #[test]
    fn degenerate_points_give_no_fit() {
        let same = RefPoint(1.0, 1.0);
        assert!(fit_axis(&[(same, (1.0, 1.0)); 4], |p| p.0).is_none());
    }
}
