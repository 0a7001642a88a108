//! Image plumbing shared by the stages: converting the ABI image, cropping a quad with a
//! perspective warp, resizing into normalised model tensors.

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{imageops, RgbImage};
use imageproc::geometric_transformations::Projection;
use kycd_plugin_api::{ImageRef, OwnedImage, Point, Quad};
use ndarray::{s, Array4, ArrayViewMut3};

/// Copies an ABI image into an [`RgbImage`]; `None` for an empty or inconsistent buffer.
pub fn to_rgb_image(image: ImageRef<'_>) -> Option<RgbImage> {
    let (width, height) = (image.width, image.height);
    if width == 0 || height == 0 || width > 20_000 || height > 20_000 {
        return None;
    }
    let pixels = image.pixels();
    if pixels.len() != width as usize * height as usize * 3 {
        return None;
    }
    RgbImage::from_raw(width, height, pixels.to_vec())
}

/// Moves an [`RgbImage`] into the ABI's owned image.
pub fn to_owned_image(image: RgbImage) -> OwnedImage {
    OwnedImage {
        width: image.width(),
        height: image.height(),
        rgb: image.into_raw().into(),
    }
}

/// Euclidean distance between two points.
pub fn distance(a: Point, b: Point) -> f32 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

/// Width (top edge / bottom edge, the longer) and height (left / right edge) of a quad.
pub fn quad_size(quad: &Quad) -> (f32, f32) {
    let [tl, tr, br, bl] = quad.points;
    (
        distance(tl, tr).max(distance(bl, br)),
        distance(tl, bl).max(distance(tr, br)),
    )
}

/// Warps the content of `quad` (corners clockwise from top-left) to an upright
/// `width` x `height` image. Pixels outside the source repeat its nearest edge.
pub fn warp_quad(image: &RgbImage, quad: &Quad, width: u32, height: u32) -> Option<RgbImage> {
    let (width, height) = (width.max(1), height.max(1));
    let from = quad.points.map(|p| (p.x, p.y));
    let (w, h) = (width as f32, height as f32);
    let to = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
    let projection = Projection::from_control_points(from, to)?;
    let mut out = RgbImage::new(width, height);
    warp_bilinear(image, projection.invert(), &mut out);
    Some(out)
}

/// Output pixels above which [`warp_bilinear`] splits the rows over two threads (a card, not a
/// text line).
const PARALLEL_WARP_PIXELS: usize = 200_000;

/// `imageproc`'s bilinear `warp_into` with a replicated border, pixel for pixel (the same
/// mapping and the same float arithmetic, so every later stage sees the same crop), without
/// its per-sample bounds checks and libm `floor`, and on two threads for a whole card: a
/// 1000x630 card warps in about a third of imageproc's ~30 ms. `inverse` maps output pixels
/// to source positions.
fn warp_bilinear(image: &RgbImage, inverse: Projection, out: &mut RgbImage) {
    let (out_w, out_h) = (out.width() as usize, out.height() as usize);
    if out_w == 0 || out_h == 0 || image.width() == 0 || image.height() == 0 {
        return;
    }
    let parallel = out_w * out_h >= PARALLEL_WARP_PIXELS;
    split_rows(out.as_mut(), out_w * 3, parallel, |rows, first_row| {
        warp_rows(image, inverse, rows, out_w, first_row)
    });
}

/// Runs `pass` over `data`'s rows of `stride` elements: on the calling thread, or, when
/// `parallel`, the lower half on a second one. `pass` gets a chunk of whole rows and the index
/// of its first row.
pub(crate) fn split_rows<T: Send>(
    data: &mut [T],
    stride: usize,
    parallel: bool,
    pass: impl Fn(&mut [T], usize) + Sync,
) {
    let rows = data.len() / stride;
    if !parallel || rows < 2 {
        pass(data, 0);
        return;
    }
    let half = rows / 2;
    let (upper, lower) = data.split_at_mut(half * stride);
    std::thread::scope(|scope| {
        scope.spawn(|| pass(lower, half));
        pass(upper, 0);
    });
}

/// [`warp_bilinear`] for the output rows in `rows`, the first of them output row `first_row`.
fn warp_rows(
    image: &RgbImage,
    inverse: Projection,
    rows: &mut [u8],
    out_w: usize,
    first_row: usize,
) {
    let (src_w, src_h) = (image.width() as i64, image.height() as i64);
    let src = image.as_raw();
    let stride = src_w as usize * 3;
    // imageproc's `Clamp<f32> for u8`: truncates, saturating at both ends.
    let clamp = |v: f32| -> u8 {
        if v < 255.0 {
            if v > 0.0 {
                v as u8
            } else {
                0
            }
        } else {
            255
        }
    };
    let blend = |a: u8, b: u8, weight: f32| clamp((1f32 - weight) * a as f32 + weight * b as f32);
    // `f32::floor` for the coordinates a warp meets (|v| far below 2^63), without a libm call.
    let floor = |v: f32| -> i64 {
        let truncated = v as i64;
        if (truncated as f32) > v {
            truncated - 1
        } else {
            truncated
        }
    };
    for (index, row) in rows.chunks_exact_mut(out_w * 3).enumerate() {
        let y = (first_row + index) as f32;
        for (x, pixel) in row.chunks_exact_mut(3).enumerate() {
            let (px, py) = inverse * (x as f32, y);
            let left = floor(px);
            let top = floor(py);
            let right_weight = px - left as f32;
            let bottom_weight = py - top as f32;
            let offset = |cx: i64, cy: i64| {
                cy.clamp(0, src_h - 1) as usize * stride + cx.clamp(0, src_w - 1) as usize * 3
            };
            // Saturating: a degenerate quad can map a pixel to infinity (i64::MAX here).
            let (right, bottom) = (left.saturating_add(1), top.saturating_add(1));
            let (tl, tr) = (offset(left, top), offset(right, top));
            let (bl, br) = (offset(left, bottom), offset(right, bottom));
            for c in 0..3 {
                let upper = blend(src[tl + c], src[tr + c], right_weight);
                let lower = blend(src[bl + c], src[br + c], right_weight);
                pixel[c] = blend(upper, lower, bottom_weight);
            }
        }
    }
}

/// Crops a detected text line upright at its own resolution. A box much taller than wide is
/// vertical text (e.g. a card rotated by 90 degrees): it is turned counter-clockwise so the
/// recogniser sees a horizontal line (the angle classifier then fixes 180 degrees).
pub fn crop_line(image: &RgbImage, quad: &Quad) -> Option<RgbImage> {
    let (w, h) = quad_size(quad);
    let (w, h) = (w.round().max(1.0) as u32, h.round().max(1.0) as u32);
    let crop = warp_quad(image, quad, w, h)?;
    if is_vertical(quad) {
        Some(imageops::rotate270(&crop))
    } else {
        Some(crop)
    }
}

/// Width over height of a line crop (height taken as at least 1).
pub fn aspect_ratio(image: &RgbImage) -> f32 {
    image.width() as f32 / image.height().max(1) as f32
}

/// Whether [`crop_line`] turns the crop of `quad` (a box much taller than wide).
pub fn is_vertical(quad: &Quad) -> bool {
    let (w, h) = quad_size(quad);
    let (w, h) = (w.round().max(1.0) as u32, h.round().max(1.0) as u32);
    h as f32 >= 1.5 * w as f32
}

/// `image` resized to `width` x `height` with a triangle (bilinear, antialiased) filter: the
/// filter of `image::imageops::FilterType::Triangle`, within one grey level, run with SIMD by
/// `fast_image_resize` (about 15x faster on a card).
pub fn resize_triangle(image: &RgbImage, width: u32, height: u32) -> RgbImage {
    thread_local! {
        static RESIZER: std::cell::RefCell<Resizer> = std::cell::RefCell::new(Resizer::new());
    }
    let (width, height) = (width.max(1), height.max(1));
    if image.width() == 0 || image.height() == 0 {
        return RgbImage::new(width, height);
    }
    let mut resized = RgbImage::new(width, height);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Bilinear));
    let done = RESIZER.with(|resizer| {
        resizer
            .borrow_mut()
            .resize(image, &mut resized, &options)
            .is_ok()
    });
    if done {
        resized
    } else {
        imageops::resize(image, width, height, imageops::FilterType::Triangle)
    }
}

/// Writes an image's pixels into a `[3, rows, columns]` channel-planar buffer (at least as
/// large as the image) as `x / 127.5 - 1`, channels in BGR order as the PaddleOCR models
/// expect. Positions past the image keep their value.
pub fn write_normalized_planes(image: &RgbImage, planes: &mut [f32], rows: usize, columns: usize) {
    let (width, height) = (image.width() as usize, image.height() as usize);
    if width > columns || height > rows || planes.len() < 3 * rows * columns {
        return;
    }
    let plane = rows * columns;
    let (blue, rest) = planes.split_at_mut(plane);
    let (green, red) = rest.split_at_mut(plane);
    for (y, pixels) in image.as_raw().chunks_exact(3 * width).enumerate() {
        let row = y * columns..y * columns + width;
        let targets = blue[row.clone()]
            .iter_mut()
            .zip(&mut green[row.clone()])
            .zip(&mut red[row]);
        for (((b, g), r), pixel) in targets.zip(pixels.chunks_exact(3)) {
            *b = pixel[2] as f32 / 127.5 - 1.0;
            *g = pixel[1] as f32 / 127.5 - 1.0;
            *r = pixel[0] as f32 / 127.5 - 1.0;
        }
    }
}

/// Writes `image` resized to `height` rows (keeping the aspect ratio, at most `max_width`
/// columns) into `target` (shape [3, height, W]) as `(x / 255 - 0.5) / 0.5`, channels in BGR
/// order as the PaddleOCR models expect. Columns past the resized width keep their value
/// (zeros: the models were trained with zero padding).
pub fn write_normalized_line(
    image: &RgbImage,
    mut target: ArrayViewMut3<'_, f32>,
    max_width: usize,
) {
    let (height, columns) = (target.shape()[1], target.shape()[2]);
    let ratio = image.width() as f32 / image.height().max(1) as f32;
    let width = ((height as f32 * ratio).ceil() as usize).clamp(1, max_width.min(columns));
    let resized = resize_triangle(image, width as u32, height as u32);
    match target.as_slice_mut() {
        Some(planes) => write_normalized_planes(&resized, planes, height, columns),
        None => {
            for (x, y, pixel) in resized.enumerate_pixels() {
                let (x, y) = (x as usize, y as usize);
                for (channel, value) in [pixel[2], pixel[1], pixel[0]].into_iter().enumerate() {
                    target[[channel, y, x]] = value as f32 / 127.5 - 1.0;
                }
            }
        }
    }
}

/// A batch tensor [n, 3, height, width] of zeros, filled line by line with
/// [`write_normalized_line`].
pub fn line_batch(lines: &[&RgbImage], height: usize, width: usize) -> Array4<f32> {
    let mut batch = Array4::<f32>::zeros((lines.len(), 3, height, width));
    for (index, line) in lines.iter().enumerate() {
        write_normalized_line(line, batch.slice_mut(s![index, .., .., ..]), width);
    }
    batch
}

#[cfg(test)]
mod warp_tests {
    use super::*;
    use imageproc::geometric_transformations::{warp_into, Border, Interpolation};

    /// The fast warp gives imageproc's output byte for byte, inside the frame and past it.
    #[test]
    fn warp_matches_imageproc() {
        let mut seed = 7u32;
        let mut next = || {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            seed >> 8
        };
        let image = RgbImage::from_fn(211, 137, |_, _| {
            image::Rgb([next() as u8, next() as u8, next() as u8])
        });
        let quads = [
            [(10.0, 12.0), (200.0, 5.0), (190.0, 130.0), (3.0, 120.0)],
            [(-20.0, -15.0), (230.0, 0.0), (215.0, 160.0), (0.0, 140.0)],
            [(200.0, 130.0), (5.0, 131.0), (7.5, 2.25), (199.0, 9.0)],
            [(50.3, 40.7), (90.1, 40.7), (90.1, 60.2), (50.3, 60.2)],
        ];
        for quad in quads {
            let quad = Quad {
                points: quad.map(|(x, y)| Point { x, y }),
            };
            // A line-sized output (one thread) and a card-sized one (two).
            for (w, h) in [(160u32, 101u32), (640, 403)] {
                let fast = warp_quad(&image, &quad, w, h).unwrap();
                let from = quad.points.map(|p| (p.x, p.y));
                let to = [
                    (0.0, 0.0),
                    (w as f32, 0.0),
                    (w as f32, h as f32),
                    (0.0, h as f32),
                ];
                let projection = Projection::from_control_points(from, to).unwrap();
                let mut reference = RgbImage::new(w, h);
                warp_into(
                    &image,
                    projection,
                    Interpolation::Bilinear,
                    Border::Replicate,
                    &mut reference,
                );
                assert!(
                    fast == reference,
                    "warp of {quad:?} to {w}x{h} differs from imageproc"
                );
            }
        }
    }
}
