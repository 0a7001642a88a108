//! The card's four sides fitted to the image's straight edges around its text.
//!
//! The text lines give the card's direction (modulo 180 degrees) and a region the card must
//! contain. Edge pixels whose gradient runs across the text ("horizontal" edges, the card's
//! top and bottom) or along it ("vertical" edges, its left and right) vote for straight lines
//! within [`MAX_TILT`] of the text direction (perspective tilts a side a little). The
//! strongest lines on each side of the text are combined into quads; a quad is scored by how
//! much of each of its four sides lies on edges of the matching direction, weighted by how
//! close its aspect ratio is to ID-1. Clutter touching the card, a portrait beside the text
//! and a card 30 % of the frame all leave the card's own four sides the best-supported quad.

use image::{imageops, GrayImage, RgbImage};
use kycd_plugin_api::Point;

use super::canny::{canny_with_gradients, Canny};
use crate::detect::DetectedLine;
use crate::imaging::quad_size;
use crate::resize::image_triangle_resize;

/// Longer side of the image the edges are searched on.
const FIT_SIDE: u32 = 800;
/// Largest angle, in degrees, between a side and the text direction.
const MAX_TILT: i32 = 12;
/// Largest angle between an edge pixel's gradient and the normal of the side it votes for.
const MAX_GRADIENT_SKEW: f32 = 25.0;
/// Pixels either side of a side that count as lying on it.
const SIDE_TOLERANCE: u32 = 2;
/// Candidate lines kept on each side of the text.
const PER_SIDE: usize = 6;
/// ID-1 aspect ratio (85.60 / 53.98 mm).
const ID1_ASPECT: f32 = 1.586;
/// How far past the frame, as a share of its longer side, a quad's corner may lie.
const CORNER_SLACK: f32 = 0.008;
/// Lines considered per direction (the text's own rows make many peaks that are passed over).
const MAX_PEAKS: usize = 200;
/// Credit for a side point on the frame's border rather than on an edge: a card cut at the
/// frame (a scan without margin) is found, but a card inside a card-shaped frame beats the
/// frame.
const BORDER_CREDIT: f32 = 0.6;
/// Quads scoring below this are not taken for the card.
const MIN_SCORE: f32 = 0.5;

/// The card's corners (top-left, top-right, bottom-right, bottom-left along the returned
/// direction, up to half a turn) in source coordinates and the direction of its long side,
/// when four edge lines around the text make a card-shaped quad whose sides lie on edges.
///
/// The text's direction is tried first; when no quad along it lies on edges (the text
/// direction came from a barcode or a few broken boxes), the image's dominant edge directions
/// are tried, the text then only bounding where the card is.
pub(super) fn fit_card(
    frame: &FrameEdges,
    lines: &[DetectedLine],
    direction: f32,
) -> Option<([Point; 4], f32)> {
    let FrameEdges {
        gradients,
        scale,
        width,
        height,
    } = frame;
    let scale = *scale;
    let mut best =
        fit_along(gradients, lines, direction, scale, true).map(|(s, c)| (s, c, direction));
    if best.is_none_or(|(score, _, _)| score < MIN_SCORE) {
        for dominant in gradients.dominant_directions(direction) {
            for candidate in [dominant, dominant - 90.0] {
                if let Some((score, corners)) = fit_along(gradients, lines, candidate, scale, false)
                {
                    if best.is_none_or(|(s, _, _)| score > s) {
                        best = Some((score, corners, candidate));
                    }
                }
            }
        }
    }
    let (score, corners, direction) = best?;
    (score >= MIN_SCORE).then(|| {
        let corners = corners.map(|p| Point {
            x: (p.x / scale).clamp(0.0, *width as f32 - 1.0),
            y: (p.y / scale).clamp(0.0, *height as f32 - 1.0),
        });
        (corners, direction)
    })
}

/// The best-scoring quad (small-image coordinates) whose long sides run within [`MAX_TILT`] of
/// `direction`; `text_along` says the text runs that way too (lines across it are dropped).
fn fit_along(
    gradients: &EdgeGradients,
    lines: &[DetectedLine],
    direction: f32,
    scale: f32,
    text_along: bool,
) -> Option<(f32, [Point; 4])> {
    let edges = EdgeMap::new(gradients, direction);
    let text = TextAxes::new(lines, direction, scale, text_along)?;
    let theta = direction.to_radians();
    // Top, right, bottom, left: the strongest lines passing on each side of the text.
    let mut sides: [Vec<Line>; 4] = Default::default();
    for class in [Class::Along, Class::Across] {
        for line in edges.strongest_lines(class, theta, &text) {
            let index = match (text.side_of(&line), class) {
                (Some(Side::Before), Class::Along) => 0,
                (Some(Side::After), Class::Across) => 1,
                (Some(Side::After), Class::Along) => 2,
                (Some(Side::Before), Class::Across) => 3,
                (None, _) => continue, // through the text
            };
            if sides[index].len() < PER_SIDE {
                sides[index].push(line);
            }
        }
    }
    for (side, lines) in ["top", "right", "bottom", "left"].iter().zip(&sides) {
        for line in lines {
            tracing::trace!(
                side,
                normal = line.normal.to_degrees(),
                line.rho,
                line.votes,
                "locate_document: side candidate"
            );
        }
    }
    let [top, right, bottom, left] = &sides;
    let mut best: Option<(f32, [Point; 4])> = None;
    for t in top {
        for b in bottom {
            for l in left {
                for r in right {
                    let (Some(tl), Some(tr), Some(br), Some(bl)) = (
                        t.intersect(l),
                        t.intersect(r),
                        b.intersect(r),
                        b.intersect(l),
                    ) else {
                        continue;
                    };
                    let corners = [tl, tr, br, bl];
                    let Some(score) = edges.score(&corners) else {
                        continue;
                    };
                    if best.is_none_or(|(s, _)| score > s) {
                        best = Some((score, corners));
                    }
                }
            }
        }
    }
    tracing::debug!(
        direction,
        sides = ?sides.iter().map(Vec::len).collect::<Vec<_>>(),
        best = ?best.map(|b| b.0),
        "locate_document: edge fit"
    );
    best
}

/// How well `corners` (labelled top-left, top-right, bottom-right, bottom-left along
/// `direction`) lie on the frame's edges: the score [`fit_card`] gives its quads, 0 to 1.
pub(super) fn edge_score(frame: &FrameEdges, corners: &[Point; 4], direction: f32) -> f32 {
    let edges = EdgeMap::new(&frame.gradients, direction);
    edges
        .score(&corners.map(|p| Point {
            x: p.x * frame.scale,
            y: p.y * frame.scale,
        }))
        .unwrap_or(0.0)
}

/// A frame's edge pixels and their gradient directions, on a grey copy scaled to
/// [`FIT_SIDE`]: what [`fit_card`] and [`edge_score`] look at, computed once per frame.
pub(super) struct FrameEdges {
    gradients: EdgeGradients,
    /// The grey copy's size over the frame's.
    scale: f32,
    /// The frame's size.
    width: u32,
    /// See `width`.
    height: u32,
}

impl FrameEdges {
    /// The edges of `image`.
    pub(super) fn of(image: &RgbImage) -> Self {
        let (width, height) = image.dimensions();
        let scale = (FIT_SIDE as f32 / width.max(height) as f32).min(1.0);
        FrameEdges {
            gradients: EdgeGradients::new(&small_gray(image, scale)),
            scale,
            width,
            height,
        }
    }
}

/// The grey image scaled by `scale` (at least 16 px a side).
fn small_gray(image: &RgbImage, scale: f32) -> GrayImage {
    let (width, height) = image.dimensions();
    let (small_w, small_h) = (
        ((width as f32 * scale).round() as u32).max(16),
        ((height as f32 * scale).round() as u32).max(16),
    );
    imageops::grayscale(&image_triangle_resize(image, small_w, small_h))
}

/// Which edges a pixel belongs to, relative to the text direction.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// An edge running along the text (the card's top or bottom).
    Along,
    /// An edge running across the text (the card's left or right side).
    Across,
}

/// Where a line lies relative to the text.
enum Side {
    /// Above (for lines along the text) or left of it.
    Before,
    /// Below or right of it.
    After,
}

/// A straight line `x cos a + y sin a = rho` (normal angle `a`, radians), small-image pixels.
#[derive(Clone, Copy, Debug)]
struct Line {
    normal: f32,
    rho: f32,
    votes: u32,
}

impl Line {
    fn intersect(&self, other: &Line) -> Option<Point> {
        let (s1, c1) = self.normal.sin_cos();
        let (s2, c2) = other.normal.sin_cos();
        let det = c1 * s2 - s1 * c2;
        if det.abs() < 0.2 {
            return None; // nearly parallel
        }
        Some(Point {
            x: (self.rho * s2 - other.rho * s1) / det,
            y: (c1 * other.rho - c2 * self.rho) / det,
        })
    }

    fn signed_distance(&self, p: Point) -> f32 {
        let (s, c) = self.normal.sin_cos();
        p.x * c + p.y * s - self.rho
    }
}

/// The text's position in the small image: the centre axis of every line that runs along the
/// text direction and belongs to the main cluster.
struct TextAxes {
    /// Both ends of each line's centre axis, with the line's length as weight.
    ends: Vec<(Point, Point, f32)>,
    /// Extent along the text direction.
    along: (f32, f32),
    /// Extent across it.
    across: (f32, f32),
}

impl TextAxes {
    fn new(lines: &[DetectedLine], direction: f32, scale: f32, text_along: bool) -> Option<Self> {
        let (sin, cos) = direction.to_radians().sin_cos();
        let to_uv = |p: Point| (p.x * cos + p.y * sin, -p.x * sin + p.y * cos);
        let mut axes = Vec::new();
        for line in lines {
            let [a, b, c, d] = line.quad.points.map(|p| Point {
                x: p.x * scale,
                y: p.y * scale,
            });
            let (w, h) = quad_size(&line.quad);
            let mid = |p: Point, q: Point| Point {
                x: (p.x + q.x) / 2.0,
                y: (p.y + q.y) / 2.0,
            };
            // The centre axis runs between the midpoints of the two short sides.
            let (start, end) = if w >= h {
                (mid(a, d), mid(b, c))
            } else {
                (mid(a, b), mid(d, c))
            };
            let length = w.max(h) * scale;
            let (du, dv) = {
                let (u0, v0) = to_uv(start);
                let (u1, v1) = to_uv(end);
                (u1 - u0, v1 - v0)
            };
            // Lines along the text direction only: a short or crossing box says little.
            if length < 2.0 * w.min(h) * scale || (text_along && dv.abs() > 0.35 * du.abs()) {
                continue;
            }
            axes.push((start, end, length, w.min(h) * scale));
        }
        if axes.len() < 2 {
            return None;
        }
        // The main cluster: lines within a card's reach of the median centre.
        let mut heights: Vec<f32> = axes.iter().map(|a| a.3).collect();
        heights.sort_by(f32::total_cmp);
        let line_height = heights[heights.len() / 2].max(1.0);
        let centre = |a: &(Point, Point, f32, f32)| {
            to_uv(Point {
                x: (a.0.x + a.1.x) / 2.0,
                y: (a.0.y + a.1.y) / 2.0,
            })
        };
        let median = |mut values: Vec<f32>| {
            values.sort_by(f32::total_cmp);
            values[values.len() / 2]
        };
        let mu = median(axes.iter().map(|a| centre(a).0).collect());
        let mv = median(axes.iter().map(|a| centre(a).1).collect());
        axes.retain(|a| {
            let (u, v) = centre(a);
            (u - mu).abs() <= 30.0 * line_height && (v - mv).abs() <= 18.0 * line_height
        });
        if axes.len() < 2 {
            return None;
        }
        let (mut along, mut across) = ((f32::MAX, f32::MIN), (f32::MAX, f32::MIN));
        for (start, end, _, _) in &axes {
            for p in [*start, *end] {
                let (u, v) = to_uv(p);
                along = (along.0.min(u), along.1.max(u));
                across = (across.0.min(v), across.1.max(v));
            }
        }
        Some(TextAxes {
            ends: axes.into_iter().map(|(s, e, l, _)| (s, e, l)).collect(),
            along,
            across,
        })
    }

    /// The stretch, along lines of `class`, whose edge pixels vote for them: the text's extent
    /// along it (lines along the text), or across it widened to a card's height (lines across).
    fn span(&self, class: Class) -> (f32, f32) {
        if class == Class::Along {
            self.along
        } else {
            // The card's sides reach past a few rows of text (an MRZ) by up to the height a
            // card as wide as the text has.
            let (lo, hi) = self.across;
            let missing = ((self.along.1 - self.along.0) / ID1_ASPECT - (hi - lo)).max(0.0);
            (lo - missing / 2.0, hi + missing / 2.0)
        }
    }

    /// Whether nearly all the text (90 % of its length) lies on one side of `line`.
    fn side_of(&self, line: &Line) -> Option<Side> {
        let (mut positive, mut negative, mut total) = (0.0f32, 0.0f32, 0.0f32);
        for (start, end, weight) in &self.ends {
            total += 2.0 * weight;
            for p in [*start, *end] {
                if line.signed_distance(p) > 0.0 {
                    positive += weight;
                } else {
                    negative += weight;
                }
            }
        }
        // The line's normal points along increasing v (or u): text on the positive side
        // means the line is before the text.
        if positive >= 0.9 * total {
            Some(Side::Before)
        } else if negative >= 0.9 * total {
            Some(Side::After)
        } else {
            None
        }
    }
}

/// Edge pixels of the small image, split by their gradient's direction relative to the text.
struct EdgeMap {
    width: u32,
    height: u32,
    /// Edge pixels `(x, y, class)`, the frame's border included.
    pixels: Vec<(f32, f32, Class)>,
    /// Edge pixels grown by [`SIDE_TOLERANCE`], per class: 2 on an edge, 1 on the border only.
    along: Vec<u8>,
    across: Vec<u8>,
}

/// The edge pixels of the small grey image with their gradient's direction (degrees).
struct EdgeGradients {
    width: u32,
    height: u32,
    pixels: Vec<(u32, u32, f32)>,
}

impl EdgeGradients {
    fn new(gray: &GrayImage) -> Self {
        let (width, height) = gray.dimensions();
        // Canny's own blurred Sobel gradients give each edge pixel its direction.
        let Canny { edges, gx, gy } = canny_with_gradients(gray, 20.0, 50.0);
        let pixels = edges
            .enumerate_pixels()
            .filter(|(x, y, pixel)| {
                pixel[0] != 0 && *x > 0 && *y > 0 && *x < width - 1 && *y < height - 1
            })
            .map(|(x, y, _)| {
                let (dx, dy) = (gx.get_pixel(x, y)[0] as f32, gy.get_pixel(x, y)[0] as f32);
                (x, y, dy.atan2(dx).to_degrees())
            })
            .collect();
        EdgeGradients {
            width,
            height,
            pixels,
        }
    }

    /// The two directions (modulo 90 degrees, as the sides of a rectangle) most edge pixels
    /// follow, leaving out `except`.
    fn dominant_directions(&self, except: f32) -> Vec<f32> {
        let mut histogram = [0u32; 90];
        for &(_, _, gradient) in &self.pixels {
            histogram[(gradient.rem_euclid(90.0) as usize).min(89)] += 1;
        }
        let smoothed: Vec<u32> = (0..90)
            .map(|i| (0..5).map(|k| histogram[(i + 88 + k) % 90]).sum())
            .collect();
        let distance = |a: f32, b: f32| {
            let d = (a - b).rem_euclid(90.0);
            d.min(90.0 - d)
        };
        let mut order: Vec<usize> = (0..90).collect();
        order.sort_by(|a, b| smoothed[*b].cmp(&smoothed[*a]));
        let mut chosen: Vec<f32> = Vec::new();
        for i in order {
            let angle = i as f32 + 0.5;
            if distance(angle, except) >= 5.0 && chosen.iter().all(|c| distance(*c, angle) >= 8.0) {
                chosen.push(angle);
            }
            if chosen.len() == 2 {
                break;
            }
        }
        chosen
    }
}

impl EdgeMap {
    fn new(gradients: &EdgeGradients, direction: f32) -> Self {
        let (width, height) = (gradients.width, gradients.height);
        // The gradient of an edge along the text is normal to the text direction.
        let class_of = |gradient: f32| {
            if fold(gradient - direction - 90.0) <= MAX_GRADIENT_SKEW {
                Some(Class::Along)
            } else if fold(gradient - direction) <= MAX_GRADIENT_SKEW {
                Some(Class::Across)
            } else {
                None
            }
        };
        // The frame's border bounds a card that touches it (a scan cut at the card's edge, a
        // photo's corner clamped into the frame); it is listed first.
        let mut pixels = Vec::new();
        let (right, bottom) = (width - 1, height - 1);
        let frame = (0..width)
            .flat_map(|x| [(x, 0, 90.0), (x, bottom, 90.0)])
            .chain((1..bottom).flat_map(|y| [(0, y, 0.0), (right, y, 0.0)]));
        for (x, y, gradient) in frame {
            if let Some(class) = class_of(gradient) {
                pixels.push((x as f32, y as f32, class));
            }
        }
        let border = pixels.len();
        for &(x, y, gradient) in &gradients.pixels {
            if let Some(class) = class_of(gradient) {
                pixels.push((x as f32, y as f32, class));
            }
        }
        let grow = |class: Class| {
            let mut mask = vec![0u8; (width * height) as usize];
            let t = SIDE_TOLERANCE as i64;
            for (i, &(x, y, c)) in pixels.iter().enumerate() {
                if c != class {
                    continue;
                }
                let level = if i < border { 1 } else { 2 };
                let (x, y) = (x as i64, y as i64);
                for yy in (y - t).max(0)..=(y + t).min(height as i64 - 1) {
                    for xx in (x - t).max(0)..=(x + t).min(width as i64 - 1) {
                        let cell = &mut mask[(yy * width as i64 + xx) as usize];
                        *cell = (*cell).max(level);
                    }
                }
            }
            mask
        };
        let (along, across) = (grow(Class::Along), grow(Class::Across));
        EdgeMap {
            width,
            height,
            pixels,
            along,
            across,
        }
    }

    /// The best-voted lines of one class within [`MAX_TILT`] of the text direction, strongest
    /// first. Only pixels beside the text (within its extent along the line) vote, so a side
    /// of the card gets the votes of its whole stretch past the text.
    fn strongest_lines(&self, class: Class, theta: f32, text: &TextAxes) -> Vec<Line> {
        let diagonal = ((self.width.pow(2) + self.height.pow(2)) as f32).sqrt();
        let offset = diagonal.ceil() as i64;
        let bins = (2 * offset + 1) as usize;
        let angles: Vec<f32> = (-MAX_TILT..=MAX_TILT)
            .map(|d| {
                // Normal of a line along the text is theta + 90; across it, theta.
                let base = if class == Class::Along {
                    theta + std::f32::consts::FRAC_PI_2
                } else {
                    theta
                };
                base + (d as f32).to_radians()
            })
            .collect();
        let (sin, cos) = theta.sin_cos();
        let (lo, hi) = text.span(class);
        let mut votes = vec![0u32; angles.len() * bins];
        let trig: Vec<(f32, f32)> = angles.iter().map(|a| a.sin_cos()).collect();
        for &(x, y, c) in &self.pixels {
            if c != class {
                continue;
            }
            // Position along the line's own direction: u for lines along the text, v across.
            let position = if class == Class::Along {
                x * cos + y * sin
            } else {
                -x * sin + y * cos
            };
            if position < lo || position > hi {
                continue;
            }
            for (i, (s, c)) in trig.iter().enumerate() {
                let rho = (x * c + y * s).round() as i64 + offset;
                votes[i * bins + rho as usize] += 1;
            }
        }
        // A side's edge pixels spread over neighbouring distances (perspective, blur): count
        // the votes of a 3 px band.
        let band: Vec<u32> = (0..votes.len())
            .map(|k| {
                let r = k % bins;
                let below = if r > 0 { votes[k - 1] } else { 0 };
                let above = if r + 1 < bins { votes[k + 1] } else { 0 };
                below + votes[k] + above
            })
            .collect();
        // Local maxima over (angle, rho), strongest first, without near-duplicates.
        let at = |i: usize, r: usize| band[i * bins + r];
        let mut peaks = Vec::new();
        let min_votes = ((hi - lo) * 0.3).max(8.0) as u32;
        for i in 0..angles.len() {
            for r in 1..bins - 1 {
                let v = at(i, r);
                if v < min_votes || v < at(i, r - 1) || v < at(i, r + 1) {
                    continue;
                }
                let neighbours_lower = [i.wrapping_sub(1), i + 1]
                    .into_iter()
                    .filter(|&j| j < angles.len())
                    .all(|j| (r - 1..=r + 1).all(|rr| at(j, rr) <= v));
                if neighbours_lower {
                    peaks.push(Line {
                        normal: angles[i],
                        rho: r as f32 - offset as f32,
                        votes: v,
                    });
                }
            }
        }
        peaks.sort_by_key(|peak| std::cmp::Reverse(peak.votes));
        // A line on the frame's border does not hide a card edge a degree or two off it, which
        // meets the border at one corner only (a card cut by the frame at a slant).
        let on_border = |line: &Line| {
            let (sin, cos) = (line.normal - theta).sin_cos();
            let (t, m) = ((theta.cos(), theta.sin()), (-theta.sin(), theta.cos()));
            let [start, end] = [lo, hi].map(|position| {
                let (along, across, offset) = if class == Class::Along {
                    (t, m, (line.rho - position * cos) / sin)
                } else {
                    (m, t, (line.rho - position * sin) / cos)
                };
                self.border_side(Point {
                    x: position * along.0 + offset * across.0,
                    y: position * along.1 + offset * across.1,
                })
            });
            start.is_some() && start == end
        };
        let mut kept: Vec<(Line, bool)> = Vec::new();
        for peak in peaks {
            let border = on_border(&peak);
            let duplicate = kept.iter().any(|(k, k_border)| {
                *k_border == border
                    && (k.rho - peak.rho).abs() < 6.0
                    && (k.normal - peak.normal).abs() < 0.1
            });
            if !duplicate {
                kept.push((peak, border));
            }
            if kept.len() == MAX_PEAKS {
                break;
            }
        }
        kept.into_iter().map(|(line, _)| line).collect()
    }

    /// Which side of the frame `p` lies on (within [`SIDE_TOLERANCE`] + 1 pixels), if any:
    /// 0 left, 1 top, 2 right, 3 bottom.
    fn border_side(&self, p: Point) -> Option<u8> {
        let near = (SIDE_TOLERANCE + 1) as f32;
        let (right, bottom) = ((self.width - 1) as f32, (self.height - 1) as f32);
        [p.x, p.y, right - p.x, bottom - p.y]
            .iter()
            .position(|d| d.abs() <= near)
            .map(|side| side as u8)
    }

    /// The quad's score: the geometric mean of the share of each side lying on edges of its
    /// class, times a penalty for an aspect ratio away from ID-1; `None` when not card-like.
    fn score(&self, corners: &[Point; 4]) -> Option<f32> {
        let [tl, tr, br, bl] = *corners;
        // A side a degree off (the votes' resolution) may leave its corner a few pixels
        // past the frame; the corner is clamped into it afterwards.
        let slack = CORNER_SLACK * self.width.max(self.height) as f32;
        let inside = |p: Point| {
            p.x >= -slack.max(2.0)
                && p.y >= -slack.max(2.0)
                && p.x <= self.width as f32 + slack.max(1.0)
                && p.y <= self.height as f32 + slack.max(1.0)
        };
        if !corners.iter().all(|p| inside(*p)) {
            return None;
        }
        let length = |a: Point, b: Point| (a.x - b.x).hypot(a.y - b.y);
        let long = (length(tl, tr) + length(bl, br)) / 2.0;
        let short = (length(tl, bl) + length(tr, br)) / 2.0;
        if short < 12.0 {
            return None;
        }
        let aspect = long / short;
        if !(1.3..=1.9).contains(&aspect) {
            return None;
        }
        let support = self.support(tl, tr, &self.along)
            * self.support(bl, br, &self.along)
            * self.support(tl, bl, &self.across)
            * self.support(tr, br, &self.across);
        let aspect_fit = 1.0 - ((aspect - ID1_ASPECT).abs() / 0.3).min(1.0) * 0.5;
        Some(support.max(0.0).powf(0.25) * aspect_fit)
    }

    /// Share of the segment's points (ends left out) lying on the mask.
    fn support(&self, a: Point, b: Point, mask: &[u8]) -> f32 {
        let steps = ((a.x - b.x).hypot(a.y - b.y) as usize).max(20);
        let mut hits = 0.0f32;
        let mut total = 0;
        for i in 0..steps {
            let t = 0.05 + 0.9 * i as f32 / (steps - 1) as f32;
            let (x, y) = (a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
            let (x, y) = (x.round() as i64, y.round() as i64);
            total += 1;
            if x >= 0 && y >= 0 && (x as u32) < self.width && (y as u32) < self.height {
                hits += match mask[(y as u32 * self.width + x as u32) as usize] {
                    2 => 1.0,
                    1 => BORDER_CREDIT,
                    _ => 0.0,
                };
            }
        }
        hits / total as f32
    }
}

/// The absolute angle between two directions, in degrees within [0, 90].
fn fold(mut degrees: f32) -> f32 {
    degrees = degrees.rem_euclid(180.0);
    degrees.min(180.0 - degrees)
}
