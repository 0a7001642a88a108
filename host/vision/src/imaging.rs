//! Image plumbing shared by the stages: converting the ABI image, cropping a quad with a
//! perspective warp, resizing into normalised model tensors.

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{imageops, RgbImage};
use imageproc::geometric_transformations::{warp_into, Border, Interpolation, Projection};
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
    warp_into(
        image,
        projection,
        Interpolation::Bilinear,
        Border::Replicate,
        &mut out,
    );
    Some(out)
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
