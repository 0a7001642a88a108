//! Text-line detection: PP-OCRv6 DB detector plus the DB post-processing (threshold,
//! connected regions, box score, unclip) that turns its probability map into line quads.

use image::{GrayImage, Luma, RgbImage};
use imageproc::contours::{find_contours, BorderType};
use imageproc::geometry::min_area_rect;
use kycd_plugin_api::{Point, Quad};
use ndarray::Array4;
use ort::value::TensorRef;

use crate::imaging::write_normalized_planes;
use crate::resize::image_triangle_resize;
use crate::runtime::SessionPool;

/// Tunables of the detector and its post-processing.
#[derive(Clone, Debug)]
pub struct DetectorSettings {
    /// The longer image side is scaled down to at most this many pixels (multiple of 32).
    pub max_side: u32,
    /// Probability above which a map pixel is text.
    pub threshold: f32,
    /// Minimum mean probability inside a box to keep it.
    pub box_threshold: f32,
    /// How far a box grows, as area * ratio / perimeter (the DB "unclip").
    pub unclip_ratio: f32,
}

impl Default for DetectorSettings {
    fn default() -> Self {
        DetectorSettings {
            max_side: 736,
            threshold: 0.3,
            box_threshold: 0.5,
            unclip_ratio: 2.0,
        }
    }
}

/// A detected text line in source-image coordinates.
#[derive(Clone, Copy, Debug)]
pub struct DetectedLine {
    /// Corners clockwise from the top-left.
    pub quad: Quad,
    /// Mean text probability inside the box.
    pub score: f32,
}

/// The DB text detector.
pub struct TextDetector {
    sessions: SessionPool,
    settings: DetectorSettings,
}

impl TextDetector {
    /// Wraps loaded detector sessions.
    pub fn new(sessions: SessionPool, settings: DetectorSettings) -> Self {
        TextDetector { sessions, settings }
    }

    /// The configured longest side of the detector's input.
    pub fn max_side(&self) -> u32 {
        self.settings.max_side
    }

    /// Finds the text lines of `image`, in no particular order.
    pub fn detect(&self, image: &RgbImage) -> Result<Vec<DetectedLine>, ort::Error> {
        self.detect_at(image, self.settings.max_side)
    }

    /// [`TextDetector::detect`] with the image's longer side scaled to at most `max_side`
    /// pixels instead of the configured one (small text in a large photo needs more).
    pub fn detect_at(
        &self,
        image: &RgbImage,
        max_side: u32,
    ) -> Result<Vec<DetectedLine>, ort::Error> {
        let (width, height) = image.dimensions();
        if width < 4 || height < 4 {
            return Ok(Vec::new());
        }
        let (map_width, map_height) = model_size(width, height, max_side);
        // `image`'s float triangle filter to the byte, not the SIMD resize the line crops use:
        // the detector's map is sensitive to the last grey level (with `fast_image_resize` the
        // Thai name row of tests/corpus/th-dl-0000-front-photo.jpg was no longer detected and
        // the accuracy floors test failed). `image_triangle_resize` computes exactly that,
        // faster than `image` itself.
        let resized = image_triangle_resize(image, map_width, map_height);
        let (rows, columns) = (map_height as usize, map_width as usize);
        let mut input = Array4::<f32>::zeros((1, 3, rows, columns));
        if let Some(planes) = input.as_slice_mut() {
            write_normalized_planes(&resized, planes, rows, columns);
        }
        let probabilities = {
            let mut session = self.sessions.get();
            let outputs = session.run(ort::inputs![TensorRef::from_array_view(&input)?])?;
            let (_, data) = outputs[0].try_extract_tensor::<f32>()?;
            data.to_vec()
        };
        let scale = (
            width as f32 / map_width as f32,
            height as f32 / map_height as f32,
        );
        Ok(
            boxes_from_map(&probabilities, map_width, map_height, scale, &self.settings)
                .into_iter()
                .map(|line| DetectedLine {
                    quad: clamp_quad(line.quad, width as f32, height as f32),
                    ..line
                })
                .collect(),
        )
    }
}

/// Model input size: the image scaled so its longer side is at most `max_side`, both sides
/// rounded to multiples of 32 (at least 32).
pub fn model_size(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let ratio = (max_side as f32 / width.max(height) as f32).min(1.0);
    let round = |side: u32| (((side as f32 * ratio) / 32.0).round() as u32).max(1) * 32;
    (round(width), round(height))
}

/// DB post-processing over a `width` x `height` probability map; boxes are scaled by `scale`
/// into source coordinates.
fn boxes_from_map(
    probabilities: &[f32],
    width: u32,
    height: u32,
    scale: (f32, f32),
    settings: &DetectorSettings,
) -> Vec<DetectedLine> {
    // Binarise, then dilate with a 2x2 kernel as PaddleOCR does (joins broken strokes).
    let mut mask = GrayImage::new(width, height);
    for y in 0..height {
        for x in 0..width {
            if probabilities[(y * width + x) as usize] > settings.threshold {
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    if x + dx < width && y + dy < height {
                        mask.put_pixel(x + dx, y + dy, Luma([255]));
                    }
                }
            }
        }
    }
    let mut lines = Vec::new();
    for contour in find_contours::<i32>(&mask) {
        if contour.border_type != BorderType::Outer || contour.points.len() < 4 {
            continue;
        }
        let rect = min_area_rect(&contour.points);
        let corners = rect.map(|p| Point {
            x: p.x as f32,
            y: p.y as f32,
        });
        let (long, short) = rect_sides(&corners);
        if short < 3.0 {
            continue;
        }
        let score = mean_inside(probabilities, width, height, &corners);
        if score < settings.box_threshold {
            continue;
        }
        // Unclip: grow every side by area * ratio / perimeter.
        let grow = long * short * settings.unclip_ratio / (2.0 * (long + short));
        let grown = grow_rect(&corners, grow);
        if rect_sides(&grown).1 < 5.0 {
            continue;
        }
        let scaled = grown.map(|p| Point {
            x: p.x * scale.0,
            y: p.y * scale.1,
        });
        lines.push(DetectedLine {
            quad: order_clockwise(scaled),
            score,
        });
    }
    lines
}

/// Longer and shorter side of a rectangle given by its four corners in order.
fn rect_sides(corners: &[Point; 4]) -> (f32, f32) {
    let a = crate::imaging::distance(corners[0], corners[1]);
    let b = crate::imaging::distance(corners[1], corners[2]);
    (a.max(b), a.min(b))
}

/// Grows a rectangle (corners in order around it) by `amount` on every side. The result is
/// an exact rectangle on the axis of the first side (integer corners are only nearly one).
fn grow_rect(corners: &[Point; 4], amount: f32) -> [Point; 4] {
    let center = Quad { points: *corners }.center();
    let length = crate::imaging::distance(corners[0], corners[1]).max(1e-3);
    let along = (
        (corners[1].x - corners[0].x) / length,
        (corners[1].y - corners[0].y) / length,
    );
    let across = (-along.1, along.0);
    let (mut half_along, mut half_across) = (0.0f32, 0.0f32);
    for p in corners {
        let (dx, dy) = (p.x - center.x, p.y - center.y);
        half_along = half_along.max((dx * along.0 + dy * along.1).abs());
        half_across = half_across.max((dx * across.0 + dy * across.1).abs());
    }
    let (a, b) = (half_along + amount, half_across + amount);
    [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)].map(|(s, t): (f32, f32)| Point {
        x: center.x + s * a * along.0 + t * b * across.0,
        y: center.y + s * a * along.1 + t * b * across.1,
    })
}

/// Mean of the map over the pixels inside the convex quad.
fn mean_inside(probabilities: &[f32], width: u32, height: u32, corners: &[Point; 4]) -> f32 {
    let quad = Quad { points: *corners };
    let bounds = quad.bounds();
    let x0 = (bounds.x.floor().max(0.0) as u32).min(width - 1);
    let y0 = (bounds.y.floor().max(0.0) as u32).min(height - 1);
    let x1 = ((bounds.x + bounds.width).ceil().max(0.0) as u32).min(width - 1);
    let y1 = ((bounds.y + bounds.height).ceil().max(0.0) as u32).min(height - 1);
    let (mut sum, mut count) = (0.0f32, 0u32);
    for y in y0..=y1 {
        for x in x0..=x1 {
            if inside_convex(corners, x as f32, y as f32) {
                sum += probabilities[(y * width + x) as usize];
                count += 1;
            }
        }
    }
    if count == 0 {
        0.0
    } else {
        sum / count as f32
    }
}

/// Whether (x, y) is inside (or within half a pixel of) a convex polygon.
fn inside_convex(corners: &[Point; 4], x: f32, y: f32) -> bool {
    let mut sign = 0.0f32;
    for i in 0..4 {
        let (a, b) = (corners[i], corners[(i + 1) % 4]);
        let length = crate::imaging::distance(a, b).max(1e-3);
        let cross = ((b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x)) / length;
        if cross.abs() <= 0.5 {
            continue;
        }
        if sign == 0.0 {
            sign = cross.signum();
        } else if cross.signum() != sign {
            return false;
        }
    }
    true
}

/// Orders four corners top-left, top-right, bottom-right, bottom-left: the two leftmost are
/// the left side (upper one first), the two rightmost the right side.
pub fn order_clockwise(mut points: [Point; 4]) -> Quad {
    points.sort_by(|a, b| a.x.total_cmp(&b.x));
    let (mut left, mut right) = ([points[0], points[1]], [points[2], points[3]]);
    left.sort_by(|a, b| a.y.total_cmp(&b.y));
    right.sort_by(|a, b| a.y.total_cmp(&b.y));
    Quad {
        points: [left[0], right[0], right[1], left[1]],
    }
}

fn clamp_quad(quad: Quad, width: f32, height: f32) -> Quad {
    Quad {
        points: quad.points.map(|p| Point {
            x: p.x.clamp(0.0, width - 1.0),
            y: p.y.clamp(0.0, height - 1.0),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blob_becomes_an_unclipped_box() {
        // A 100x10 block of text probability in a 160x64 map.
        let (width, height) = (160u32, 64u32);
        let mut map = vec![0.0f32; (width * height) as usize];
        for y in 27..37 {
            for x in 30..130 {
                map[(y * width + x) as usize] = 0.9;
            }
        }
        let lines = boxes_from_map(
            &map,
            width,
            height,
            (1.0, 1.0),
            &DetectorSettings::default(),
        );
        assert_eq!(lines.len(), 1);
        let bounds = lines[0].quad.bounds();
        // Grown by about 100 * 11 * 2.0 / (2 * 111) = 10 px on each side.
        assert!((bounds.height - 31.0).abs() < 3.0, "{bounds:?}");
        assert!((bounds.width - 121.0).abs() < 3.0, "{bounds:?}");
        assert!(lines[0].score > 0.6);
    }
}
