//! Document geometry: find an ID-1 card in a photo, rectify it upright.
//!
//! 0. A level card on a plain background (a scan): the box where the background ends on all
//!    four sides, when its crop shows card text. Steps 1-4 are skipped.
//! 1. Text: the detector's lines on the whole image give the text direction (the card's long
//!    axis, modulo 180 degrees). A large frame with almost no text found is searched again at a
//!    higher detector resolution (a card 30 % of a 2600 px photo prints 5 px letters at 736).
//! 2. Card edges: Canny edges on a downscaled grey image, outer contours, convex hull, a
//!    four-corner polygon (Douglas-Peucker) covering 20-98 % of the frame with a card-like
//!    aspect ratio. A candidate is kept only when the text agrees: most line centres inside it
//!    and its long side along the text. Without text evidence the largest candidate whose
//!    rectified crop shows level text is kept.
//! 3. Failing that, the rectangle around the text lines along the text direction, widened by
//!    a margin and to the card's aspect ratio.
//! 4. A large frame where this finds no card, or only a text rectangle over most of the
//!    frame (card and clutter text), is searched for a small card (a card a third of the
//!    frame's side prints letters of 2-3 px at the detector's side): the smaller card-shaped
//!    contours (2-20 % of the frame) whose rectified crop shows text of card size, else steps
//!    1-3 on the part of the frame around the largest of them (a contour merged with clutter
//!    touching the card). Frames where steps 1-3 find the card pay nothing for it.
//! 5. Corners are labelled along the text direction (the long side on top); the rectified
//!    card's lines are classified 0/180 and the card is turned when most text is upside down
//!    (each line's probability weighted by its length).

use std::sync::Arc;

use image::{imageops, Rgb, RgbImage};
use imageproc::contours::{find_contours, BorderType};
use imageproc::geometric_transformations::{warp_into, Border, Interpolation, Projection};
use imageproc::geometry::{
    approximate_polygon_dp, arc_length, contour_area, convex_hull, min_area_rect,
};
use imageproc::point::Point as IPoint;
use kycd_plugin_api::{Charset, DocumentCrop, Point, Quad};

use crate::detect::{order_clockwise, DetectedLine};
use crate::imaging::{distance, quad_size, to_owned_image, warp_quad};
use crate::recent::{turned_half, ImageKey};
use crate::resize::image_triangle_resize;
use crate::Vision;
use canny::canny_with_gradients;

mod canny;
mod fit;
mod margin;

/// Size of the rectified ID-1 card (85.60 x 53.98 mm).
pub const CARD_WIDTH: u32 = 1000;
/// See [`CARD_WIDTH`].
pub const CARD_HEIGHT: u32 = 630;
/// Longer side of the image the edge search runs on.
const EDGE_SEARCH_SIDE: u32 = 640;
/// Detector resolution for the second look at a large frame where little text was found.
const SMALL_TEXT_SIDE: u32 = 1600;
/// Median line height, in pixels of the detector's input, below which a large frame is
/// searched again at a higher resolution.
const MIN_INPUT_LINE_HEIGHT: f32 = 9.0;
/// Edge support (see `fit::edge_score`) the largest contour needs to be taken without a look
/// at the whole image's text.
const MIN_FAST_EDGE_SCORE: f32 = 0.75;
/// Lines that count as text evidence.
const MIN_LINES: usize = 3;
/// Share of the line centres an edge candidate must contain.
const MIN_TEXT_INSIDE: f32 = 0.7;
/// Median text-line height, in pixels of the 630 px rectified card, that a whole card shows.
const MIN_LINE_HEIGHT: f32 = 10.0;
/// See [`MIN_LINE_HEIGHT`].
const MAX_LINE_HEIGHT: f32 = 70.0;
/// Largest angle, in degrees, between a candidate's long side and the text direction.
const MAX_SKEW_DEGREES: f32 = 20.0;

/// How a card's corners were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    /// Sides on the image's edges (an edge contour or the edge fit).
    Edges,
    /// Only the rectangle around the text.
    TextOnly,
}

/// Share of a large frame the text rectangle may cover before the frame is searched for a
/// smaller card (the rectangle around card and clutter text covers most of it; a card turned
/// 45 degrees in a square frame covers under 0.4 of it at the 98 % of the side).
const MOST_OF_FRAME: f32 = 0.5;
/// Share of the frame an edge candidate's hull covers (a card 30-98 % of the frame's side).
const CARD_AREA: (f64, f64) = (0.2, 0.98);
/// See [`CARD_AREA`]: a card a third of a large frame's side or less.
const SMALL_CARD_AREA: (f64, f64) = (0.02, 0.2);
/// See [`SMALL_CARD_AREA`]: the hull of a small card merged with clutter touching it.
const MERGED_CARD_AREA: (f64, f64) = (0.02, 0.4);
/// Fewer lines than this on a frame, steeply tilted, where no card's sides are found, are
/// searched for again on the frame turned level.
const FEW_LINES: usize = 5;
/// See [`FEW_LINES`]: the angle, in degrees, from both axes of the frame.
const MIN_TILT_DEGREES: f32 = 20.0;
/// Lines the locator's 0/180 vote classifies at a time before it checks whether the rest can
/// still change its outcome.
const VOTE_BATCH: usize = 4;
/// How near one half the locator's 0/180 vote (the share of the lines' width the classifier
/// calls turned) must come for reading to settle it ([`Vision::reads_better_turned`]). On 228
/// generated photos 4 votes ended this close, 2 of them wrong; the three wrong votes seen were
/// 0.49-0.51.
const CLOSE_VOTE: f32 = 0.1;
/// Lines read each way, at most, to settle a close vote.
const CLOSE_VOTE_READS: usize = 3;
/// A difference in a line's read confidence, one way against the other, that settles a close
/// vote without reading the next line (upright Latin reads above 0.9, turned below 0.6).
const CLEAR_READ: f32 = 0.25;
/// Width, in line heights, of the part of each line read to settle a close vote.
const CLOSE_VOTE_WINDOW: f32 = 6.0;
/// Small candidates whose crop is read before the search gives up.
const SMALL_CARD_TRIES: usize = 4;
/// Margin around a small candidate searched again, as a share of its larger extent.
const REGION_MARGIN: f32 = 0.15;

impl Vision {
    /// Finds and rectifies the document; `None` when neither edges nor text show one.
    pub(crate) fn find_document(&self, image: &RgbImage) -> Option<DocumentCrop> {
        // A level card on a plain margin (a scan): its box, when the crop shows the card's
        // text (cut once; its detections are reused when the plugin reads the crop).
        if let Some(quad) = margin::card_on_plain_margin(image) {
            let direction = long_side_angle(&quad);
            if let Some(card) = cut_card(image, &quad, direction) {
                if self.card_shows_text(&card) {
                    return self.rectify(quad, direction, card);
                }
            }
        }
        let mut located = self.locate_corners(image);
        // Cut once: a large frame's check reads this crop, and rectify turns it upright.
        let mut card = located
            .as_ref()
            .and_then(|(corners, direction, _)| cut_card(image, corners, *direction));
        if self.worth_a_finer_look(image, located.as_ref(), card.as_ref()) {
            if let Some(small) = self.find_small_card(image) {
                card = cut_card(image, &small.0, small.1);
                located = Some(small);
            }
        }
        let (corners, direction, _) = located?;
        self.rectify(corners, direction, card?)
    }

    /// `card`, cut from inside `corners` along `direction` ([`cut_card`]), turned half a turn
    /// when its text reads upside down.
    fn rectify(
        &self,
        corners: [Point; 4],
        direction: f32,
        mut card: RgbImage,
    ) -> Option<DocumentCrop> {
        let mut content = label_along(corners, direction);
        let mut rotation = clockwise_rotation(&content);
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

    /// The card's corners, the direction of its long side and how they were found; `None`
    /// when neither edges nor text show a card.
    fn locate_corners(&self, image: &RgbImage) -> Option<([Point; 4], f32, Evidence)> {
        // Two single-threaded searches of the frame's edges, side by side: card-shaped
        // contours, and the edge pixels the edge score and the edge fit look at.
        let (candidates, edges) = std::thread::scope(|scope| {
            let edges = scope.spawn(|| fit::FrameEdges::of(image));
            let candidates = card_candidates_from_edges(image, CARD_AREA, Shape::Card);
            let edges = edges
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (candidates, edges)
        });
        // Fast path: the largest edge candidate rectifies to a card with level text of card
        // size (its detections are reused when the plugin reads the crop).
        match candidates.first().filter(|quad| {
            let direction = long_side_angle(quad);
            // A contour merged with clutter touching the card has sides off the card's edges.
            let score = fit::edge_score(&edges, &label_along(**quad, direction), direction);
            tracing::debug!(score, "locate_document: largest contour's edge score");
            score >= MIN_FAST_EDGE_SCORE && self.shows_card_text(image, quad)
        }) {
            Some(quad) => Some((*quad, long_side_angle(quad), Evidence::Edges)),
            None => {
                let lines = self.lines_for_geometry(image);
                let located = self.locate_by_text(image, &edges, &candidates, &lines);
                // A few boxes of steeply tilted text and no card's sides found: the frame is
                // searched again turned level, where the detector finds the card's lines.
                match located {
                    Some((_, _, Evidence::Edges)) => located,
                    _ => self
                        .tilted_lines(image, &lines)
                        .and_then(|level| self.locate_by_text(image, &edges, &candidates, &level))
                        .filter(|(_, _, evidence)| *evidence == Evidence::Edges)
                        .or(located),
                }
            }
        }
    }

    /// The card's corners from the text `lines` of the frame (its `edges`): the edge fit along
    /// the text direction, else the edge candidate holding the text, else the rectangle around
    /// the text.
    fn locate_by_text(
        &self,
        image: &RgbImage,
        edges: &fit::FrameEdges,
        candidates: &[[Point; 4]],
        lines: &[DetectedLine],
    ) -> Option<([Point; 4], f32, Evidence)> {
        let direction = text_direction(lines);
        let agrees_with_text = |quad: &&[Point; 4]| {
            lines.len() >= MIN_LINES
                && share_inside(lines, quad) >= MIN_TEXT_INSIDE
                && direction
                    .is_none_or(|d| angle_between(long_side_angle(quad), d) <= MAX_SKEW_DEGREES)
        };
        let fitted = direction.and_then(|d| fit::fit_card(edges, lines, d));
        tracing::debug!(
            lines = lines.len(),
            ?direction,
            fitted = fitted.is_some(),
            "locate_document: text and edges"
        );
        if let Some((corners, card_direction)) = fitted {
            return Some((corners, card_direction, Evidence::Edges));
        }
        let (corners, evidence) = match candidates.iter().find(agrees_with_text) {
            Some(quad) => (*quad, Evidence::Edges),
            None if lines.len() >= MIN_LINES => (
                text_rectangle(lines, direction?, image.width(), image.height())?,
                Evidence::TextOnly,
            ),
            None => return None,
        };
        let direction = direction.unwrap_or_else(|| long_side_angle(&corners));
        Some((corners, direction, evidence))
    }

    /// The lines found on the frame turned level, in the frame's coordinates, when `lines` are
    /// a few boxes steeply tilted (the detector finds little of a card's small text at 30-60
    /// degrees) and the turned frame shows more; `None` otherwise. Only a frame the detector
    /// looked at once: a large one was searched again at a higher resolution for small text
    /// (`lines_for_geometry`), and turning it found nothing more on the corpora.
    fn tilted_lines(&self, image: &RgbImage, lines: &[DetectedLine]) -> Option<Vec<DetectedLine>> {
        if image.width().max(image.height()) > self.detector.max_side() * 3 / 2 {
            return None;
        }
        let direction = text_direction(lines).filter(|&d| {
            lines.len() < FEW_LINES
                && angle_between(d, 0.0).min(angle_between(d, 90.0)) >= MIN_TILT_DEGREES
        })?;
        let (level, to_frame) = turned_level(image, direction, self.detector.max_side());
        let found = self.detect_lines(&level).ok()?;
        tracing::debug!(
            before = lines.len(),
            level = found.len(),
            "locate_document: tilted text"
        );
        let in_frame = |line: &DetectedLine| DetectedLine {
            quad: Quad {
                points: line.quad.points.map(|p| {
                    let (x, y) = to_frame * (p.x, p.y);
                    Point { x, y }
                }),
            },
            ..*line
        };
        (found.len() > lines.len()).then(|| found.iter().map(in_frame).collect())
    }

    /// Whether a large frame's first answer looks like no card found: nothing, only the
    /// rectangle around the text spanning most of the frame (card and clutter text), or a
    /// quad whose crop (`card`) shows no text of card size (the edge fit took a clutter
    /// shape's sides for a small card's). The crop's detections are remembered, so reading
    /// it costs nothing more when it is the card.
    fn worth_a_finer_look(
        &self,
        image: &RgbImage,
        located: Option<&([Point; 4], f32, Evidence)>,
        card: Option<&RgbImage>,
    ) -> bool {
        let (width, height) = image.dimensions();
        if width.max(height) <= self.detector.max_side() * 3 / 2 {
            return false;
        }
        match located {
            None => true,
            Some((corners, _, evidence)) => {
                (*evidence == Evidence::TextOnly
                    && Quad { points: *corners }.area()
                        > MOST_OF_FRAME * width as f32 * height as f32)
                    || card.is_none_or(|card| !self.card_shows_text(card))
            }
        }
    }

    /// A card small in a large frame: the smaller card-shaped contours of the edge map,
    /// largest first, the first whose rectified crop shows level text of card size (read at
    /// the card's own resolution, where the whole frame's read at the detector's side made
    /// its letters a few pixels high). A contour merged with clutter touching the card is not
    /// card-shaped enough to show its text: the ordinary search then runs on the part of the
    /// frame around the largest contour, where the card is most of the picture.
    fn find_small_card(&self, image: &RgbImage) -> Option<([Point; 4], f32, Evidence)> {
        let candidates = card_candidates_from_edges(image, SMALL_CARD_AREA, Shape::Card);
        if let Some(quad) = candidates
            .iter()
            .take(SMALL_CARD_TRIES)
            .find(|quad| self.shows_card_text(image, quad))
        {
            return Some((*quad, long_side_angle(quad), Evidence::Edges));
        }
        // A card merged with clutter on several sides makes no card-shaped contour: the largest
        // contour of the right size then shows where to look, and the card found there must
        // show its text.
        let (around, verify) = match candidates.first() {
            Some(quad) => (*quad, false),
            None => (
                *card_candidates_from_edges(image, MERGED_CARD_AREA, Shape::Any).first()?,
                true,
            ),
        };
        let (x, y, w, h) = region_around(&around, image.width(), image.height())?;
        let part = imageops::crop_imm(image, x, y, w, h).to_image();
        let (corners, direction, evidence) = self.locate_corners(&part)?;
        let shift = |p: Point| Point {
            x: p.x + x as f32,
            y: p.y + y as f32,
        };
        let corners = corners.map(shift);
        (evidence == Evidence::Edges && (!verify || self.shows_card_text(image, &corners)))
            .then_some((corners, direction, evidence))
    }

    /// The text lines of the whole image; a large frame with almost no text found is searched
    /// again at a higher resolution.
    fn lines_for_geometry(&self, image: &RgbImage) -> Arc<Vec<DetectedLine>> {
        let lines = self.detect_lines(image).unwrap_or_default();
        let long_side = image.width().max(image.height());
        // Letters this small (in the detector's input) come out as a few broken boxes.
        let input_scale = self.detector.max_side() as f32 / long_side as f32;
        let legible = lines.len() >= MIN_LINES
            && median_height(&lines) * input_scale >= MIN_INPUT_LINE_HEIGHT;
        if legible || long_side <= self.detector.max_side() * 3 / 2 {
            return lines;
        }
        match self
            .detector
            .detect_at(image, SMALL_TEXT_SIDE.min(long_side))
        {
            Ok(more) if more.len() > lines.len() => Arc::new(more),
            _ => lines,
        }
    }

    /// Whether the card rectified from `quad` (long side on top) shows level text lines of the
    /// height a card prints (a quad around a part of the card magnifies its text).
    fn shows_card_text(&self, image: &RgbImage, quad: &[Point; 4]) -> bool {
        cut_card(image, quad, long_side_angle(quad)).is_some_and(|card| self.card_shows_text(&card))
    }

    /// Whether a cut-out card shows level text lines of card size.
    fn card_shows_text(&self, card: &RgbImage) -> bool {
        self.detect_lines(card)
            .is_ok_and(|lines| card_sized_lines(&lines))
    }

    /// Whether most text on the (landscape) card reads upside down, and the card's lines.
    ///
    /// A vote of the wide lines' upside-down probabilities weighted by their width. The lines
    /// are classified a few at a time (first those `read_text` would sample on this card,
    /// then the widest), and the vote stops as soon as the lines not yet classified could no
    /// longer change its outcome: the answer classifying every line would give, at about half
    /// the cost (the classifier takes about 1 ms a line, and a card has 20-30).
    fn mostly_upside_down(&self, card: &RgbImage) -> (bool, Arc<Vec<DetectedLine>>) {
        let key = ImageKey::of(card);
        let Ok(detected) = self.detect_lines_of(key, card) else {
            return (false, Arc::default());
        };
        // Wide lines only (a line's width is its weight), cropped a batch at a time: the vote
        // usually stops after half of them.
        let mut voters: Vec<(usize, f32)> = detected
            .iter()
            .enumerate()
            .filter_map(|(index, line)| {
                let (w, h) = quad_size(&line.quad);
                (w > 1.5 * h).then_some((index, w))
            })
            .collect();
        // The lines `read_text` samples first (they are all it classifies on an upright card),
        // then the widest.
        let mut level: Vec<usize> = (0..detected.len())
            .filter(|&index| !crate::imaging::is_vertical(&detected[index].quad))
            .collect();
        let sample = crate::ocr::classifier_sample(&mut level, |index| {
            let (w, h) = quad_size(&detected[index].quad);
            w.round().max(1.0) / h.round().max(1.0)
        });
        voters.sort_by(|a, b| {
            let sampled = |index: &usize| sample.contains(index);
            sampled(&b.0).cmp(&sampled(&a.0)).then(b.1.total_cmp(&a.1))
        });
        let mut total: f32 = voters.iter().map(|(_, weight)| weight).sum();
        // Soft votes: a line the classifier is unsure of (an MRZ line at 0.50) weighs little.
        let (mut flipped, mut counted) = (0.0f32, 0.0f32);
        let mut noted = vec![None; detected.len()];
        for batch in voters.chunks(VOTE_BATCH) {
            let decided = flipped > (0.5 + CLOSE_VOTE) * total
                || flipped + (total - counted) < (0.5 - CLOSE_VOTE) * total;
            if decided {
                break;
            }
            let mut cropped = Vec::with_capacity(batch.len());
            for &(index, weight) in batch {
                match crate::imaging::crop_line(card, &detected[index].quad) {
                    Some(crop) => cropped.push((index, weight, crop)),
                    // A box with no pixels has no vote: as if it had never been counted (an
                    // early stop above was then only later than it could have been).
                    None => total -= weight,
                }
            }
            let images: Vec<&RgbImage> = cropped.iter().map(|(_, _, c)| c).collect();
            let Ok(probabilities) = self.classifier.upside_down(&images) else {
                return (false, detected);
            };
            for ((index, weight, _), probability) in cropped.iter().zip(probabilities) {
                flipped += weight * probability;
                counted += weight;
                noted[*index] = Some(probability);
            }
        }
        let close = total > 0.0 && (flipped / total - 0.5).abs() <= CLOSE_VOTE;
        let upside_down = if close {
            self.reads_better_turned(card, &detected, &voters)
                .unwrap_or(flipped > 0.5 * total)
        } else {
            total > 0.0 && flipped > 0.5 * total
        };
        if !upside_down {
            // The plugin reads this card next: the lines classified need not be again.
            self.recent.note_upside_down(key, noted);
        }
        (upside_down, detected)
    }

    /// Settles a close 0/180 vote by reading: the middle of the widest voting lines is
    /// recognised as it lies and turned half, one line at a time until a line reads clearly
    /// better one way (at most [`CLOSE_VOTE_READS`] lines), and the way whose reads are the
    /// more confident (weighted by the lines' widths) wins. The classifier is unsure of
    /// blurred print and of other scripts (a Devanagari header's top bar looks like turned
    /// Latin); the recogniser reads upright Latin with a confidence turned text never reaches.
    /// `None` when no line could be read.
    fn reads_better_turned(
        &self,
        card: &RgbImage,
        detected: &[DetectedLine],
        voters: &[(usize, f32)],
    ) -> Option<bool> {
        let mut widest: Vec<(usize, f32)> = voters.to_vec();
        widest.sort_by(|a, b| b.1.total_cmp(&a.1));
        // Line by line, widest first (its two reads side by side on the recogniser's lanes),
        // until one line reads clearly better one way.
        let (mut as_cut, mut half_turned, mut read_any) = (0.0f32, 0.0f32, false);
        let crops = widest.iter().filter_map(|&(index, weight)| {
            let line = crate::imaging::crop_line(card, &detected[index].quad)?;
            Some((weight, middle_window(line)))
        });
        for (weight, crop) in crops.take(CLOSE_VOTE_READS) {
            let turned = imageops::rotate180(&crop);
            let Ok(reads) = self.recognizer.recognize(&[&crop, &turned], Charset::ANY) else {
                break;
            };
            let (upright, flipped) = (reads[0].confidence, reads[1].confidence);
            as_cut += weight * upright;
            half_turned += weight * flipped;
            read_any = true;
            if (upright - flipped).abs() >= CLEAR_READ {
                break;
            }
        }
        read_any.then_some(half_turned > as_cut)
    }
}

/// The middle of a line crop, at most [`CLOSE_VOTE_WINDOW`] heights wide: enough letters to
/// tell upright from turned, at a bounded cost (the recogniser's time grows with the width).
fn middle_window(line: RgbImage) -> RgbImage {
    let width = (line.height() as f32 * CLOSE_VOTE_WINDOW).round() as u32;
    if line.width() <= width {
        return line;
    }
    let left = (line.width() - width) / 2;
    imageops::crop_imm(&line, left, 0, width, line.height()).to_image()
}

/// `image` turned so that text along `direction` (degrees, clockwise) runs level, on a canvas
/// holding all of it (grey outside the frame) scaled to at most `max_side` pixels a side (the
/// detector's input: a large frame is not turned at full size only to be scaled down), and the
/// projection from the canvas back to `image`.
fn turned_level(image: &RgbImage, direction: f32, max_side: u32) -> (RgbImage, Projection) {
    let turn = Projection::rotate(-direction.to_radians());
    let (width, height) = (image.width() as f32, image.height() as f32);
    let turned = Quad {
        points: [(0.0, 0.0), (width, 0.0), (width, height), (0.0, height)].map(|p| {
            let (x, y) = turn * p;
            Point { x, y }
        }),
    }
    .bounds();
    let scale = (max_side as f32 / turned.width.max(turned.height)).min(1.0);
    let to_canvas =
        Projection::scale(scale, scale) * Projection::translate(-turned.x, -turned.y) * turn;
    let side = |extent: f32| ((extent * scale).ceil() as u32).max(1);
    let mut canvas = RgbImage::new(side(turned.width), side(turned.height));
    let grey = Border::Constant(Rgb([128, 128, 128]));
    warp_into(image, to_canvas, Interpolation::Bilinear, grey, &mut canvas);
    (canvas, to_canvas.invert())
}

/// The card inside `quad` warped to the canonical card size, its long side along `direction`
/// on top (upright or upside down).
fn cut_card(image: &RgbImage, quad: &[Point; 4], direction: f32) -> Option<RgbImage> {
    let content = label_along(*quad, direction);
    warp_quad(image, &Quad { points: content }, CARD_WIDTH, CARD_HEIGHT)
}

/// The part of a `width` x `height` frame (x, y, width, height) around `quad`, widened on
/// each side by [`REGION_MARGIN`] of its larger extent.
fn region_around(quad: &[Point; 4], width: u32, height: u32) -> Option<(u32, u32, u32, u32)> {
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for p in quad {
        (x0, y0, x1, y1) = (x0.min(p.x), y0.min(p.y), x1.max(p.x), y1.max(p.y));
    }
    let margin = REGION_MARGIN * (x1 - x0).max(y1 - y0);
    let clamp_x = |x: f32| x.clamp(0.0, width as f32) as u32;
    let clamp_y = |y: f32| y.clamp(0.0, height as f32) as u32;
    let (left, top) = (clamp_x(x0 - margin), clamp_y(y0 - margin));
    let (right, bottom) = (clamp_x(x1 + margin), clamp_y(y1 + margin));
    (right > left + 16 && bottom > top + 16).then(|| (left, top, right - left, bottom - top))
}

/// Whether the lines found on a rectified card (either way up) hold at least [`MIN_LINES`]
/// level lines whose median height is one a whole card prints.
fn card_sized_lines(lines: &[DetectedLine]) -> bool {
    let mut heights: Vec<f32> = lines
        .iter()
        .filter(|line| {
            let (w, h) = quad_size(&line.quad);
            w > 2.0 * h && angle_between(long_side_angle(&line.quad.points), 0.0) < 10.0
        })
        .map(|line| quad_size(&line.quad).1)
        .collect();
    if heights.len() < MIN_LINES {
        return false;
    }
    heights.sort_by(f32::total_cmp);
    let median = heights[heights.len() / 2];
    (MIN_LINE_HEIGHT..=MAX_LINE_HEIGHT).contains(&median)
}

/// Median height (shorter side) of the lines' boxes, 0 without lines.
fn median_height(lines: &[DetectedLine]) -> f32 {
    let mut heights: Vec<f32> = lines
        .iter()
        .map(|line| {
            let (w, h) = quad_size(&line.quad);
            w.min(h)
        })
        .collect();
    heights.sort_by(f32::total_cmp);
    heights.get(heights.len() / 2).copied().unwrap_or(0.0)
}

/// The dominant direction of the text lines, in degrees within (-90, 90] (0: left to right;
/// positive: turned clockwise, y pointing down). Each line votes with its length, on doubled
/// angles so that 89 and -89 degrees agree.
fn text_direction(lines: &[DetectedLine]) -> Option<f32> {
    let (mut x, mut y) = (0.0f32, 0.0f32);
    for line in lines {
        let (w, h) = quad_size(&line.quad);
        let (long, short) = (w.max(h), w.min(h));
        if long < 2.0 * short {
            continue; // a square box says nothing about direction
        }
        let angle = long_side_angle(&line.quad.points).to_radians() * 2.0;
        x += long * angle.cos();
        y += long * angle.sin();
    }
    (x.hypot(y) > 0.0).then(|| fold_angle(y.atan2(x).to_degrees() / 2.0))
}

/// The direction of a quad's longer pair of sides, in degrees within (-90, 90].
fn long_side_angle(quad: &[Point; 4]) -> f32 {
    let angle = |a: Point, b: Point| (b.y - a.y).atan2(b.x - a.x).to_degrees();
    let [a, b, c, d] = *quad;
    let (first, second) = (
        distance(a, b) + distance(d, c),
        distance(b, c) + distance(a, d),
    );
    let (one, other) = if first >= second {
        (angle(a, b), angle(d, c))
    } else {
        (angle(b, c), angle(a, d))
    };
    // Mean of the two opposite sides, on doubled angles (they may point opposite ways).
    let (one, other) = ((2.0 * one).to_radians(), (2.0 * other).to_radians());
    fold_angle(
        (one.sin() + other.sin())
            .atan2(one.cos() + other.cos())
            .to_degrees()
            / 2.0,
    )
}

/// Folds an angle in degrees into (-90, 90].
fn fold_angle(mut degrees: f32) -> f32 {
    while degrees > 90.0 {
        degrees -= 180.0;
    }
    while degrees <= -90.0 {
        degrees += 180.0;
    }
    degrees
}

/// The angle between two directions, in degrees within [0, 90].
fn angle_between(a: f32, b: f32) -> f32 {
    fold_angle(a - b).abs()
}

/// Whether `p` lies inside the convex quad.
fn inside(quad: &[Point; 4], p: Point) -> bool {
    let mut sign = 0.0f32;
    for i in 0..4 {
        let (a, b) = (quad[i], quad[(i + 1) % 4]);
        let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
        if cross != 0.0 {
            if sign != 0.0 && cross.signum() != sign {
                return false;
            }
            sign = cross.signum();
        }
    }
    true
}

/// Share of the lines (weighted by length) whose centre lies inside `quad`.
fn share_inside(lines: &[DetectedLine], quad: &[Point; 4]) -> f32 {
    let ordered = order_clockwise(*quad).points;
    let (mut inside_weight, mut total) = (0.0f32, 0.0f32);
    for line in lines {
        let weight = quad_size(&line.quad).0.max(1.0);
        total += weight;
        if inside(&ordered, line.quad.center()) {
            inside_weight += weight;
        }
    }
    if total > 0.0 {
        inside_weight / total
    } else {
        0.0
    }
}

/// The rectangle around every line along `direction`, widened by a margin (text rarely reaches
/// the card's edge) and to the ID-1 aspect ratio, clamped to the image.
fn text_rectangle(
    lines: &[DetectedLine],
    direction: f32,
    width: u32,
    height: u32,
) -> Option<[Point; 4]> {
    let (sin, cos) = direction.to_radians().sin_cos();
    // Coordinates along the text (u) and across it (v).
    let to_uv = |p: Point| (p.x * cos + p.y * sin, -p.x * sin + p.y * cos);
    let from_uv = |u: f32, v: f32| Point {
        x: u * cos - v * sin,
        y: u * sin + v * cos,
    };
    let (mut u0, mut u1, mut v0, mut v1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
    for point in lines.iter().flat_map(|line| line.quad.points) {
        let (u, v) = to_uv(point);
        (u0, u1, v0, v1) = (u0.min(u), u1.max(u), v0.min(v), v1.max(v));
    }
    if u1 - u0 < 8.0 || v1 - v0 < 8.0 {
        return None;
    }
    let (mut half_u, mut half_v) = ((u1 - u0) * 0.55, (v1 - v0) * 0.58);
    let aspect = CARD_WIDTH as f32 / CARD_HEIGHT as f32;
    if half_u < half_v * aspect {
        half_u = half_v * aspect;
    } else {
        half_v = half_u / aspect;
    }
    let (w, h) = (width as f32 - 1.0, height as f32 - 1.0);
    let frame_aspect = w.max(h) / w.min(h).max(1.0);
    let square_to_frame = angle_between(direction, 0.0).min(angle_between(direction, 90.0)) < 3.0;
    let text_covers = (u1 - u0) * (v1 - v0) / (w * h).max(1.0);
    if square_to_frame && text_covers >= 0.5 && (1.3..=1.9).contains(&frame_aspect) {
        // Text square to a card-shaped frame and filling it: a scan, whose frame is the card.
        return Some([
            Point { x: 0.0, y: 0.0 },
            Point { x: w, y: 0.0 },
            Point { x: w, y: h },
            Point { x: 0.0, y: h },
        ]);
    }
    let (cu, cv) = ((u0 + u1) / 2.0, (v0 + v1) / 2.0);
    let clamp = |p: Point| Point {
        x: p.x.clamp(0.0, w),
        y: p.y.clamp(0.0, h),
    };
    Some([
        clamp(from_uv(cu - half_u, cv - half_v)),
        clamp(from_uv(cu + half_u, cv - half_v)),
        clamp(from_uv(cu + half_u, cv + half_v)),
        clamp(from_uv(cu - half_u, cv + half_v)),
    ])
}

/// Labels the corners so that the top edge runs along `direction` (left to right for 0
/// degrees): top-left, top-right, bottom-right, bottom-left of the content, up to 180 degrees.
fn label_along(corners: [Point; 4], direction: f32) -> [Point; 4] {
    let (sin, cos) = direction.to_radians().sin_cos();
    let along = |p: &Point| p.x * cos + p.y * sin;
    let across = |p: &Point| -p.x * sin + p.y * cos;
    let mut by_across = corners;
    by_across.sort_by(|a, b| across(a).total_cmp(&across(b)));
    let (mut top, mut bottom) = ([by_across[0], by_across[1]], [by_across[2], by_across[3]]);
    top.sort_by(|a, b| along(a).total_cmp(&along(b)));
    bottom.sort_by(|a, b| along(a).total_cmp(&along(b)));
    [top[0], top[1], bottom[1], bottom[0]]
}

/// The clockwise turn, a multiple of 90 degrees, that brings the content's top edge closest
/// to horizontal.
fn clockwise_rotation(content: &[Point; 4]) -> u32 {
    let [tl, tr, _, _] = *content;
    let top = (tr.y - tl.y).atan2(tr.x - tl.x).to_degrees();
    let quarter_turns = ((360.0 - top) / 90.0).round() as i32;
    (quarter_turns.rem_euclid(4) * 90) as u32
}

/// Which edge contours [`card_candidates_from_edges`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Four-cornered (or filling their enclosing rectangle) with a card's aspect ratio.
    Card,
    /// Any: their enclosing rectangle (a card merged with clutter touching it).
    Any,
}

/// Quads from the edge contours whose hull covers a share of the frame within `area`, of the
/// given shape, in source coordinates, largest first.
fn card_candidates_from_edges(image: &RgbImage, area: (f64, f64), shape: Shape) -> Vec<[Point; 4]> {
    let (width, height) = image.dimensions();
    let scale = (EDGE_SEARCH_SIDE as f32 / width.max(height) as f32).min(1.0);
    let (small_w, small_h) = (
        ((width as f32 * scale).round() as u32).max(8),
        ((height as f32 * scale).round() as u32).max(8),
    );
    let gray = imageops::grayscale(&image_triangle_resize(image, small_w, small_h));
    let edges = imageproc::morphology::dilate(
        &canny_with_gradients(&gray, 30.0, 90.0).edges,
        imageproc::distance_transform::Norm::LInf,
        1,
    );
    let frame = (small_w * small_h) as f64;
    let mut found: Vec<(f64, [Point; 4])> = Vec::new();
    for contour in find_contours::<i32>(&edges) {
        if contour.border_type != BorderType::Outer || contour.points.len() < 20 {
            continue;
        }
        let hull = convex_hull(contour.points.clone());
        let hull_area = contour_area(&hull);
        if hull_area < area.0 * frame || hull_area > area.1 * frame {
            continue;
        }
        let polygon = approximate_polygon_dp(&hull, 0.02 * arc_length(&hull, true), true);
        let corners: [IPoint<i32>; 4] = if shape == Shape::Any {
            min_area_rect(&hull)
        } else if polygon.len() == 4 {
            [polygon[0], polygon[1], polygon[2], polygon[3]]
        } else {
            // Rounded card corners give more vertices: accept the enclosing rectangle when
            // the hull fills it.
            let rect = min_area_rect(&hull);
            let rect_area = contour_area(&rect);
            if rect_area <= 0.0 || hull_area / rect_area < 0.9 {
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
        if shape == Shape::Any || (1.3..=1.9).contains(&aspect) {
            found.push((hull_area, quad));
        }
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0));
    found.into_iter().map(|(_, quad)| quad).collect()
}
