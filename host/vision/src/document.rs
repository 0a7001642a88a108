//! Document geometry: find an ID-1 card in a photo, rectify it upright.
//!
//! 1. Card edges: Canny edges on a downscaled grey image, outer contours, convex hull, a
//!    four-corner polygon (Douglas-Peucker) covering 20-100% of the frame with a card-like
//!    aspect ratio. Failing that, the minimum-area rectangle around all detected text lines,
//!    widened by a margin.
//! 2. Landscape: a quad taller than wide is a card turned by 90 or 270 degrees; its corners
//!    are re-labelled so the long side is on top.
//! 3. Upright: the rectified card's text lines are classified 0/180; when most of the text
//!    (weighted by line length) is upside down, the card is turned by 180 degrees.

use image::{imageops, RgbImage};
use imageproc::contours::{find_contours, BorderType};
use imageproc::edges::canny;
use imageproc::geometry::{
    approximate_polygon_dp, arc_length, contour_area, convex_hull, min_area_rect,
};
use imageproc::point::Point as IPoint;
use kycd_plugin_api::{DocumentCrop, Point, Quad};

use std::sync::Arc;

use crate::detect::{order_clockwise, DetectedLine};
use crate::imaging::{distance, quad_size, to_owned_image, warp_quad};
use crate::recent::{turned_half, ImageKey};
use crate::Vision;

/// Size of the rectified ID-1 card (85.60 x 53.98 mm).
pub const CARD_WIDTH: u32 = 1000;
/// See [`CARD_WIDTH`].
pub const CARD_HEIGHT: u32 = 630;
/// Longer side of the image the edge search runs on.
const EDGE_SEARCH_SIDE: u32 = 640;

impl Vision {
    /// Finds and rectifies the document; `None` when neither edges nor text show one.
    pub(crate) fn find_document(&self, image: &RgbImage) -> Option<DocumentCrop> {
        let corners = card_from_edges(image).or_else(|| self.card_from_text(image))?;
        let ordered = order_clockwise(corners).points;
        let (top, side) = (
            distance(ordered[0], ordered[1]),
            distance(ordered[0], ordered[3]),
        );
        // Content corners (top-left of the content first) and the clockwise rotation that
        // turns the image content upright.
        let (mut content, mut rotation) = if side > top {
            ([ordered[1], ordered[2], ordered[3], ordered[0]], 270)
        } else {
            (ordered, 0)
        };
        let mut card = warp_quad(image, &Quad { points: content }, CARD_WIDTH, CARD_HEIGHT)?;
        let (upside_down, detected) = self.mostly_upside_down(&card);
        if upside_down {
            content = [content[2], content[3], content[0], content[1]];
            rotation = (rotation + 180) % 360;
            imageops::rotate180_in_place(&mut card);
            // The plugin reads the card next: its lines are the ones just found, turned.
            let turned = turned_half(&detected, card.width(), card.height());
            self.recent.put(ImageKey::of(&card), Arc::new(turned));
        }
        Some(DocumentCrop {
            quad: Quad { points: content },
            image: to_owned_image(card),
            rotation_degrees: rotation,
        })
    }

    /// Whether most text on the (landscape) card reads upside down, and the card's lines.
    fn mostly_upside_down(&self, card: &RgbImage) -> (bool, Arc<Vec<DetectedLine>>) {
        let Ok(detected) = self.detect_lines(card) else {
            return (false, Arc::default());
        };
        let crops: Vec<(f32, RgbImage)> = detected
            .iter()
            .filter(|line| {
                let (w, h) = quad_size(&line.quad);
                w > 1.5 * h
            })
            .filter_map(|line| {
                crate::imaging::crop_line(card, &line.quad).map(|c| (quad_size(&line.quad).0, c))
            })
            .collect();
        let images: Vec<&RgbImage> = crops.iter().map(|(_, c)| c).collect();
        let Ok(probabilities) = self.classifier.upside_down(&images) else {
            return (false, detected);
        };
        let (mut flipped, mut total) = (0.0f32, 0.0f32);
        for ((weight, _), probability) in crops.iter().zip(probabilities) {
            total += weight;
            if probability > 0.5 {
                flipped += weight;
            }
        }
        (total > 0.0 && flipped > 0.5 * total, detected)
    }

    /// The minimum-area rectangle around every detected text line, widened by a margin.
    fn card_from_text(&self, image: &RgbImage) -> Option<[Point; 4]> {
        let detected = self.detect_lines(image).ok()?;
        if detected.len() < 2 {
            return None;
        }
        let points: Vec<IPoint<f32>> = detected
            .iter()
            .flat_map(|line| line.quad.points)
            .map(|p| IPoint::new(p.x, p.y))
            .collect();
        let rect = min_area_rect(&points).map(|p| Point { x: p.x, y: p.y });
        let center = Quad { points: rect }.center();
        let (w, h) = (image.width() as f32, image.height() as f32);
        // Text rarely reaches the card edge: grow by 8% of the rectangle's size.
        Some(rect.map(|p| Point {
            x: (center.x + (p.x - center.x) * 1.16).clamp(0.0, w - 1.0),
            y: (center.y + (p.y - center.y) * 1.16).clamp(0.0, h - 1.0),
        }))
    }
}

/// Four card corners from the strongest edge contour, in source coordinates.
fn card_from_edges(image: &RgbImage) -> Option<[Point; 4]> {
    let (width, height) = image.dimensions();
    let scale = (EDGE_SEARCH_SIDE as f32 / width.max(height) as f32).min(1.0);
    let (small_w, small_h) = (
        ((width as f32 * scale).round() as u32).max(8),
        ((height as f32 * scale).round() as u32).max(8),
    );
    let gray = imageops::grayscale(&imageops::resize(
        image,
        small_w,
        small_h,
        imageops::FilterType::Triangle,
    ));
    let edges = imageproc::morphology::dilate(
        &canny(&gray, 30.0, 90.0),
        imageproc::distance_transform::Norm::LInf,
        1,
    );
    let frame = (small_w * small_h) as f64;
    let mut best: Option<(f64, [Point; 4])> = None;
    for contour in find_contours::<i32>(&edges) {
        if contour.border_type != BorderType::Outer || contour.points.len() < 20 {
            continue;
        }
        let hull = convex_hull(contour.points.clone());
        let area = contour_area(&hull);
        if area < 0.2 * frame || area > 0.98 * frame || best.as_ref().is_some_and(|b| b.0 >= area) {
            continue;
        }
        let polygon = approximate_polygon_dp(&hull, 0.02 * arc_length(&hull, true), true);
        let corners: [IPoint<i32>; 4] = if polygon.len() == 4 {
            [polygon[0], polygon[1], polygon[2], polygon[3]]
        } else {
            // Rounded card corners give more vertices: accept the enclosing rectangle when
            // the hull fills it.
            let rect = min_area_rect(&hull);
            let rect_area = contour_area(&rect);
            if rect_area <= 0.0 || area / rect_area < 0.9 {
                continue;
            }
            rect
        };
        let quad = corners.map(|p| Point {
            x: p.x as f32 / scale,
            y: p.y as f32 / scale,
        });
        let (w, h) = quad_size(&order_clockwise(quad));
        let aspect = w.max(h) / w.min(h).max(1.0);
        if (1.3..=1.9).contains(&aspect) {
            best = Some((area, quad));
        }
    }
    best.map(|(_, quad)| quad)
}
