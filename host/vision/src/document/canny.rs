//! Canny edges that also hand back the Sobel gradients they were computed from.
//!
//! The edge fit needs both the edge map and each edge pixel's gradient direction; with
//! `imageproc::edges::canny` it blurred and differentiated the image a second time for the
//! gradients (about a third of the fit's time). This is imageproc 0.27's `canny` (MIT
//! licence) step for step, so the edge map is the same pixel for pixel (a test checks it),
//! with the gradients returned and the per-pixel accessors replaced by slice indexing: the
//! Sobel pair in one pass over rows, and the direction of each gradient binned by comparing
//! its components with the bins' tangents instead of an `atan2` per pixel (the same bins for
//! every gradient a 3x3 Sobel of bytes gives; a test checks them all).

use image::{GrayImage, Luma};
use imageproc::definitions::Image;
use imageproc::filter::gaussian_blur_f32;

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
    let (gx, gy) = sobel(&blurred);
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

/// imageproc's `horizontal_sobel` and `vertical_sobel` (correlation with the 3x3 kernels, the
/// image extended by its edge pixels), computed together.
fn sobel(image: &GrayImage) -> (Image<Luma<i16>>, Image<Luma<i16>>) {
    let (width, height) = (image.width() as usize, image.height() as usize);
    let mut gx = vec![0i16; width * height];
    let mut gy = vec![0i16; width * height];
    let pixels = image.as_raw();
    for y in 0..height {
        let row = |r: usize| &pixels[r * width..(r + 1) * width];
        let (above, here, below) = (
            row(y.saturating_sub(1)),
            row(y),
            row((y + 1).min(height - 1)),
        );
        for x in 0..width {
            let (left, right) = (x.saturating_sub(1), (x + 1).min(width - 1));
            let at = |line: &[u8], i: usize| line[i] as i32;
            let column = |i: usize| at(above, i) + 2 * at(here, i) + at(below, i);
            let across = |line: &[u8]| at(line, left) + 2 * at(line, x) + at(line, right);
            gx[y * width + x] = (column(right) - column(left)) as i16;
            gy[y * width + x] = (across(below) - across(above)) as i16;
        }
    }
    let image = |data| Image::from_raw(width as u32, height as u32, data).expect("one per pixel");
    (image(gx), image(gy))
}

/// The neighbours a gradient (`gx`, `gy`) is compared with across its edge: imageproc bins the
/// angle `atan2(gy, gx)`, folded into [0, 180) degrees, at 22.5, 67.5, 112.5 and 157.5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Across {
    /// Left and right (angle under 22.5 or from 157.5).
    Horizontal,
    /// Down-right and up-left (22.5 to 67.5).
    Falling,
    /// Up and down (67.5 to 112.5).
    Vertical,
    /// Down-left and up-right (112.5 to 157.5).
    Rising,
}

/// [`Across`] for a gradient, by comparing its components with tan 22.5 and tan 67.5 degrees
/// (no gradient of bytes lies on a bin's edge, an irrational slope).
fn across(gx: i16, gy: i16) -> Across {
    const TAN_22_5: f64 = 0.414_213_562_373_095_03;
    const TAN_67_5: f64 = 2.414_213_562_373_095;
    // The angle folded into [0, 180]: the gradient turned half a turn when it points up.
    let (gx, gy) = if gy < 0 { (-gx, -gy) } else { (gx, gy) };
    let (along, up) = (gx as f64, gy as f64);
    let steep = up > TAN_67_5 * along.abs();
    let shallow = up < TAN_22_5 * along.abs();
    match (gx > 0, steep, shallow) {
        (_, true, _) => Across::Vertical,
        (_, _, true) => Across::Horizontal,
        // Exactly 180 degrees (gy 0, gx negative) and 0 / 0 are horizontal too.
        _ if gy == 0 => Across::Horizontal,
        (true, _, _) => Across::Falling,
        (false, _, _) => Across::Rising,
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
    let mut out = vec![0.0f32; width * height];
    if width < 3 || height < 3 {
        return out;
    }
    for y in 1..height - 1 {
        for x in 1..width - 1 {
            let i = y * width + x;
            let (cmp1, cmp2) = match across(gx[i], gy[i]) {
                Across::Horizontal => (g[i - 1], g[i + 1]),
                Across::Falling => (g[i + width + 1], g[i - width - 1]),
                Across::Vertical => (g[i - width], g[i + width]),
                Across::Rising => (g[i + width - 1], g[i - width + 1]),
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
    use imageproc::gradients::{horizontal_sobel, vertical_sobel};

    /// imageproc's binning of a gradient's angle.
    fn binned_by_angle(gx: i16, gy: i16) -> Across {
        let mut angle = (gy as f32).atan2(gx as f32).to_degrees();
        if angle < 0.0 {
            angle += 180.0
        }
        if !(22.5..157.5).contains(&angle) {
            Across::Horizontal
        } else if (22.5..67.5).contains(&angle) {
            Across::Falling
        } else if (67.5..112.5).contains(&angle) {
            Across::Vertical
        } else {
            Across::Rising
        }
    }

    /// Every gradient a 3x3 Sobel of bytes can give (each component within +-1020) is binned
    /// as by its angle.
    #[test]
    fn gradients_are_binned_as_by_their_angle() {
        // Every pair would take seconds in a debug build: all small ones, then a lattice.
        let small = (-64i16..=64).flat_map(|x| (-64i16..=64).map(move |y| (x, y)));
        let lattice = (-1020i16..=1020)
            .step_by(7)
            .flat_map(|x| (-1020i16..=1020).step_by(3).map(move |y| (x, y)));
        for (gx, gy) in small.chain(lattice) {
            assert_eq!(across(gx, gy), binned_by_angle(gx, gy), "({gx}, {gy})");
        }
    }

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
