//! Canny edges that also hand back the Sobel gradients they were computed from.
//!
//! The edge fit needs both the edge map and each edge pixel's gradient direction; with
//! `imageproc::edges::canny` it blurred and differentiated the image a second time for the
//! gradients (about a third of the fit's time). This is imageproc 0.27's `canny` (MIT
//! licence) step for step, so the edge map is the same pixel for pixel (a test checks it),
//! with the gradients returned and the per-pixel accessors replaced by slice indexing.

use image::{GrayImage, Luma};
use imageproc::definitions::Image;
use imageproc::filter::gaussian_blur_f32;
use imageproc::gradients::{horizontal_sobel, vertical_sobel};

/// Blur of imageproc's `canny`.
const SIGMA: f32 = 1.4;

/// An edge map (255 on edges) and the horizontal and vertical Sobel gradients of the blurred
/// image it came from.
pub(super) struct Canny {
    pub edges: GrayImage,
    pub gx: Image<Luma<i16>>,
    pub gy: Image<Luma<i16>>,
}

/// `imageproc::edges::canny(image, low, high)` and its gradients.
pub(super) fn canny_with_gradients(image: &GrayImage, low: f32, high: f32) -> Canny {
    let blurred = gaussian_blur_f32(image, SIGMA);
    let (gx, gy) = (horizontal_sobel(&blurred), vertical_sobel(&blurred));
    let (width, height) = (image.width() as usize, image.height() as usize);
    let strength: Vec<f32> = gx
        .as_raw()
        .iter()
        .zip(gy.as_raw())
        .map(|(h, v)| (*h as f32).hypot(*v as f32))
        .collect();
    let thinned = non_maximum_suppression(&strength, gx.as_raw(), gy.as_raw(), width, height);
    let edges = hysteresis(&thinned, width, height, low, high);
    Canny {
        edges: GrayImage::from_raw(width as u32, height as u32, edges).expect("one byte per pixel"),
        gx,
        gy,
    }
}

/// Keeps the pixels whose strength is a maximum across the edge (imageproc's binning of the
/// gradient angle into 0/45/90/135 degrees).
fn non_maximum_suppression(
    g: &[f32],
    gx: &[i16],
    gy: &[i16],
    width: usize,
    height: usize,
) -> Vec<f32> {
    const RADIANS_TO_DEGREES: f32 = 180f32 / std::f32::consts::PI;
    let mut out = vec![0.0f32; width * height];
    if width < 3 || height < 3 {
        return out;
    }
    for y in 1..height - 1 {
        for x in 1..width - 1 {
            let i = y * width + x;
            let mut angle = (gy[i] as f32).atan2(gx[i] as f32) * RADIANS_TO_DEGREES;
            if angle < 0.0 {
                angle += 180.0
            }
            let (cmp1, cmp2) = if !(22.5..157.5).contains(&angle) {
                (g[i - 1], g[i + 1])
            } else if (22.5..67.5).contains(&angle) {
                (g[i + width + 1], g[i - width - 1])
            } else if (67.5..112.5).contains(&angle) {
                (g[i - width], g[i + width])
            } else {
                (g[i + width - 1], g[i - width + 1])
            };
            out[i] = if g[i] < cmp1 || g[i] < cmp2 {
                0.0
            } else {
                g[i]
            };
        }
    }
    out
}

/// Edges above `high`, grown through neighbours above `low` (imageproc's six-neighbour walk).
fn hysteresis(input: &[f32], width: usize, height: usize, low: f32, high: f32) -> Vec<u8> {
    let mut out = vec![0u8; width * height];
    if width < 3 || height < 3 {
        return out;
    }
    let mut stack = Vec::new();
    for y in 1..height - 1 {
        for x in 1..width - 1 {
            if input[y * width + x] >= high && out[y * width + x] == 0 {
                out[y * width + x] = 255;
                stack.push((x, y));
                while let Some((nx, ny)) = stack.pop() {
                    let neighbours = [
                        (nx + 1, ny),
                        (nx + 1, ny + 1),
                        (nx, ny + 1),
                        (nx - 1, ny - 1),
                        (nx - 1, ny),
                        (nx - 1, ny + 1),
                    ];
                    for (cx, cy) in neighbours {
                        let j = cy * width + cx;
                        if input[j] >= low && out[j] == 0 {
                            out[j] = 255;
                            stack.push((cx, cy));
                        }
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::edges::canny;

    /// The same edge map as imageproc's `canny`, pixel for pixel.
    #[test]
    fn matches_imageproc_canny() {
        let mut seed = 11u32;
        let mut noise = move || {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (seed >> 24) as i32
        };
        // A bright card on a darker background, text-like bars, and noise.
        let image = GrayImage::from_fn(203, 131, |x, y| {
            let card = (20..180).contains(&x) && (15..115).contains(&y);
            let bar = card && (y % 12 < 4) && (x % 37 > 6);
            let base = if bar {
                40
            } else if card {
                200
            } else {
                90
            };
            Luma([(base + noise() / 8 - 16).clamp(0, 255) as u8])
        });
        for (low, high) in [(20.0, 50.0), (30.0, 90.0)] {
            let ours = canny_with_gradients(&image, low, high);
            assert!(
                ours.edges == canny(&image, low, high),
                "thresholds {low}/{high}"
            );
            let blurred = gaussian_blur_f32(&image, SIGMA);
            assert!(ours.gx == horizontal_sobel(&blurred));
            assert!(ours.gy == vertical_sobel(&blurred));
        }
    }
}
