//! Face alignment: a similarity transform from five detected landmarks to the ArcFace template,
//! and a bilinear warp of the source image into the 112x112 crop the recogniser expects.

use kycd_plugin_api::{ImageRef, Point};

/// Side of the aligned crop, in pixels.
pub const ALIGNED_SIZE: usize = 112;

/// The five-point ArcFace template for a 112x112 crop: image-left eye, image-right eye, nose
/// tip, image-left mouth corner, image-right mouth corner (the order YuNet reports them in).
pub const ARCFACE_TEMPLATE: [[f32; 2]; 5] = [
    [38.2946, 51.6963],
    [73.5318, 51.5014],
    [56.0252, 71.7366],
    [41.5493, 92.3655],
    [70.7299, 92.2041],
];

/// A 2-D similarity transform `dst = [a -b; b a] * src + [tx ty]` (rotation, uniform scale,
/// translation).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Similarity {
    /// `scale * cos(angle)`.
    pub a: f32,
    /// `scale * sin(angle)`.
    pub b: f32,
    /// Horizontal translation.
    pub tx: f32,
    /// Vertical translation.
    pub ty: f32,
}

impl Similarity {
    /// The least-squares similarity mapping `src` points onto `dst` points (Umeyama 1991 without
    /// reflection; for 2-D this has a closed form). `None` when the source points coincide.
    pub fn estimate(src: &[[f32; 2]], dst: &[[f32; 2]]) -> Option<Similarity> {
        let n = src.len().min(dst.len());
        if n < 2 {
            return None;
        }
        let mean = |pts: &[[f32; 2]]| {
            let (sx, sy) = pts[..n].iter().fold((0.0f64, 0.0f64), |(x, y), p| {
                (x + p[0] as f64, y + p[1] as f64)
            });
            (sx / n as f64, sy / n as f64)
        };
        let (sxm, sym) = mean(src);
        let (dxm, dym) = mean(dst);
        let (mut dot, mut cross, mut norm) = (0.0f64, 0.0f64, 0.0f64);
        for i in 0..n {
            let (sx, sy) = (src[i][0] as f64 - sxm, src[i][1] as f64 - sym);
            let (dx, dy) = (dst[i][0] as f64 - dxm, dst[i][1] as f64 - dym);
            dot += sx * dx + sy * dy;
            cross += sx * dy - sy * dx;
            norm += sx * sx + sy * sy;
        }
        if norm < 1e-9 {
            return None;
        }
        let a = dot / norm;
        let b = cross / norm;
        let tx = dxm - (a * sxm - b * sym);
        let ty = dym - (b * sxm + a * sym);
        Some(Similarity {
            a: a as f32,
            b: b as f32,
            tx: tx as f32,
            ty: ty as f32,
        })
    }

    /// Applies the transform to a point.
    pub fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        (
            self.a * x - self.b * y + self.tx,
            self.b * x + self.a * y + self.ty,
        )
    }

    /// The inverse transform. `None` for a degenerate (zero-scale) transform.
    pub fn inverse(&self) -> Option<Similarity> {
        let det = self.a * self.a + self.b * self.b;
        if det < 1e-12 {
            return None;
        }
        let (a, b) = (self.a / det, -self.b / det);
        Some(Similarity {
            a,
            b,
            tx: -(a * self.tx - b * self.ty),
            ty: -(b * self.tx + a * self.ty),
        })
    }
}

/// Warps the face with `landmarks` into a 112x112 RGB crop aligned to [`ARCFACE_TEMPLATE`]
/// (bilinear sampling; pixels outside the source are black). `None` for degenerate landmarks.
pub fn align_face(image: ImageRef<'_>, landmarks: &[Point; 5]) -> Option<Vec<u8>> {
    let src: Vec<[f32; 2]> = landmarks.iter().map(|p| [p.x, p.y]).collect();
    if src.iter().any(|p| !p[0].is_finite() || !p[1].is_finite()) {
        return None;
    }
    let to_crop = Similarity::estimate(&src, &ARCFACE_TEMPLATE)?;
    let to_source = to_crop.inverse()?;
    Some(warp(image, &to_source, ALIGNED_SIZE))
}

/// Samples a `size`x`size` RGB image whose pixel `(u, v)` is the source at `to_source(u, v)`.
pub fn warp(image: ImageRef<'_>, to_source: &Similarity, size: usize) -> Vec<u8> {
    let (w, h) = (image.width as usize, image.height as usize);
    let pixels = image.pixels();
    let mut out = vec![0u8; size * size * 3];
    if w == 0 || h == 0 || pixels.len() < w * h * 3 {
        return out;
    }
    let fetch = |x: isize, y: isize, c: usize| -> f32 {
        if x < 0 || y < 0 || x >= w as isize || y >= h as isize {
            0.0
        } else {
            pixels[(y as usize * w + x as usize) * 3 + c] as f32
        }
    };
    for v in 0..size {
        for u in 0..size {
            let (sx, sy) = to_source.apply(u as f32, v as f32);
            if !(sx > -1.0 && sy > -1.0 && sx < w as f32 && sy < h as f32) {
                continue;
            }
            let (x0, y0) = (sx.floor(), sy.floor());
            let (fx, fy) = (sx - x0, sy - y0);
            let (x0, y0) = (x0 as isize, y0 as isize);
            for c in 0..3 {
                let top = fetch(x0, y0, c) * (1.0 - fx) + fetch(x0 + 1, y0, c) * fx;
                let bottom = fetch(x0, y0 + 1, c) * (1.0 - fx) + fetch(x0 + 1, y0 + 1, c) * fx;
                let value = top * (1.0 - fy) + bottom * fy;
                out[(v * size + u) * 3 + c] = value.round().clamp(0.0, 255.0) as u8;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimate_recovers_a_known_similarity() {
        let truth = Similarity {
            a: 0.8,
            b: 0.3,
            tx: 12.0,
            ty: -7.0,
        };
        let src: Vec<[f32; 2]> = ARCFACE_TEMPLATE.to_vec();
        let dst: Vec<[f32; 2]> = src
            .iter()
            .map(|p| {
                let (x, y) = truth.apply(p[0], p[1]);
                [x, y]
            })
            .collect();
        let est = Similarity::estimate(&src, &dst).unwrap();
        assert!((est.a - truth.a).abs() < 1e-4 && (est.b - truth.b).abs() < 1e-4);
        assert!((est.tx - truth.tx).abs() < 1e-2 && (est.ty - truth.ty).abs() < 1e-2);
        let inv = est.inverse().unwrap();
        let (x, y) = inv.apply(dst[2][0], dst[2][1]);
        assert!((x - src[2][0]).abs() < 1e-3 && (y - src[2][1]).abs() < 1e-3);
    }

    #[test]
    fn coincident_points_have_no_transform() {
        assert!(Similarity::estimate(&[[1.0, 1.0]; 5], &ARCFACE_TEMPLATE).is_none());
    }
}
