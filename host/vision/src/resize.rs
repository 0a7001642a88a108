//! `image::imageops::resize(.., FilterType::Triangle)` for RGB images, pixel for pixel, faster.
//!
//! The text detector's input must be `image`'s float triangle filter to the last grey level
//! (a SIMD resize a grey level off lost a Thai name row; see `detect.rs`), and the document
//! locator's edge searches were tuned on it too. `image` 0.25 computes it through generic
//! per-pixel accessors on a four-channel float intermediate: ~19 ms for a card into the
//! detector, on the critical path of every read. This is the same algorithm (a vertical pass
//! into f32, a horizontal pass rounding to u8, the same weights and the same order of float
//! operations, so the same bytes; a test compares them) over slices, with the output rows split
//! over two threads for a large image.

use image::RgbImage;

use crate::imaging::split_rows;

/// Output pixels above which the passes run on two threads.
const PARALLEL_PIXELS: usize = 150_000;

/// One output sample's source window: the first source index and the normalised weights.
struct Taps {
    first: usize,
    weights: Vec<f32>,
}

/// `image`'s triangle-filter weights for resampling `from` samples to `to` (its
/// `vertical_sample`/`horizontal_sample` window and normalisation).
fn taps(from: u32, to: u32) -> Vec<Taps> {
    let ratio = from as f32 / to as f32;
    let sratio = if ratio < 1.0 { 1.0 } else { ratio };
    let support = sratio; // the triangle's support (1.0) times sratio
    (0..to)
        .map(|out| {
            let input = (out as f32 + 0.5) * ratio;
            let left = ((input - support).floor() as i64).clamp(0, from as i64 - 1);
            let right = ((input + support).ceil() as i64).clamp(left + 1, from as i64);
            let centre = input - 0.5;
            let mut weights: Vec<f32> = (left..right)
                .map(|i| {
                    let x = (i as f32 - centre) / sratio;
                    if x.abs() < 1.0 {
                        1.0 - x.abs()
                    } else {
                        0.0
                    }
                })
                .collect();
            let mut sum = 0.0;
            for w in &weights {
                sum += w;
            }
            for w in weights.iter_mut() {
                *w /= sum;
            }
            Taps {
                first: left as usize,
                weights,
            }
        })
        .collect()
}

/// `image::imageops::resize(image, width, height, FilterType::Triangle)`, the same bytes.
pub(crate) fn image_triangle_resize(image: &RgbImage, width: u32, height: u32) -> RgbImage {
    let (src_w, src_h) = image.dimensions();
    if src_w == 0 || src_h == 0 {
        return RgbImage::new(width, height);
    }
    if (width, height) == (src_w, src_h) {
        return image.clone();
    }
    if width == 0 || height == 0 {
        return RgbImage::new(width, height);
    }
    let parallel = (width as usize * height as usize) >= PARALLEL_PIXELS;
    // Vertical pass: src_w x height, three f32 channels.
    let rows = taps(src_h, height);
    let src = image.as_raw();
    let src_stride = src_w as usize * 3;
    let mut middle = vec![0.0f32; src_stride * height as usize];
    let vertical = |chunk: &mut [f32], first_row: usize| {
        for (index, out_row) in chunk.chunks_exact_mut(src_stride).enumerate() {
            let tap = &rows[first_row + index];
            for (i, w) in tap.weights.iter().enumerate() {
                let row = &src[(tap.first + i) * src_stride..][..src_stride];
                for (t, v) in out_row.iter_mut().zip(row) {
                    *t += *v as f32 * w;
                }
            }
        }
    };
    split_rows(&mut middle, src_stride, parallel, vertical);
    // Horizontal pass: width x height, rounded to u8.
    let columns = taps(src_w, width);
    let out_stride = width as usize * 3;
    let mut out = vec![0u8; out_stride * height as usize];
    let horizontal = |chunk: &mut [u8], first_row: usize| {
        for (index, out_row) in chunk.chunks_exact_mut(out_stride).enumerate() {
            let row = &middle[(first_row + index) * src_stride..][..src_stride];
            for (tap, pixel) in columns.iter().zip(out_row.chunks_exact_mut(3)) {
                let mut t = [0.0f32; 3];
                for (i, w) in tap.weights.iter().enumerate() {
                    let p = &row[(tap.first + i) * 3..][..3];
                    t[0] += p[0] * w;
                    t[1] += p[1] * w;
                    t[2] += p[2] * w;
                }
                for (channel, value) in pixel.iter_mut().zip(t) {
                    *channel = value.clamp(0.0, 255.0).round() as u8;
                }
            }
        }
    };
    split_rows(&mut out, out_stride, parallel, horizontal);
    RgbImage::from_raw(width, height, out).expect("three bytes per pixel")
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::imageops::{self, FilterType};

    /// The same bytes as `image`'s resize, shrinking and growing, by odd factors, and for the
    /// detector's card size (two threads).
    #[test]
    fn matches_image_resize() {
        let mut seed = 3u32;
        let mut next = move || {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (seed >> 24) as u8
        };
        let image = RgbImage::from_fn(1003, 631, |x, y| {
            let n = next();
            image::Rgb([
                n,
                (x as u8).wrapping_mul(7) ^ n,
                (y as u8).wrapping_add(n / 3),
            ])
        });
        for (w, h) in [
            (736, 448),
            (640, 403),
            (1003, 200),
            (97, 631),
            (1500, 900),
            (7, 5),
        ] {
            let ours = image_triangle_resize(&image, w, h);
            let reference = imageops::resize(&image, w, h, FilterType::Triangle);
            assert!(ours == reference, "resize to {w}x{h} differs from image's");
        }
        let same = image_triangle_resize(&image, 1003, 631);
        assert!(same == image);
    }
}
