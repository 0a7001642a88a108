//! YuNet (face_detection_yunet_2023mar) pre- and post-processing: letterbox to 640x640 BGR,
//! decode the three stride heads, non-maximum suppression, map back to image coordinates.

use kycd_plugin_api::{Face, ImageRef, Point, Rect};

/// Side of YuNet's square input.
pub const INPUT_SIZE: usize = 640;
/// The strides of YuNet's three output heads.
pub const STRIDES: [usize; 3] = [8, 16, 32];
/// Minimum detector score for a face.
pub const SCORE_THRESHOLD: f32 = 0.6;
/// Boxes overlapping a better one by more than this IoU are dropped.
pub const NMS_IOU: f32 = 0.3;
/// At most this many faces per image.
pub const MAX_FACES: usize = 50;

/// The letterboxed network input and how it maps back to the image.
pub struct Letterbox {
    /// `[1, 3, 640, 640]` BGR planes, 0-255.
    pub tensor: Vec<f32>,
    /// Image pixels per network pixel.
    pub scale: f32,
}

/// Resizes `image` to fit 640x640 keeping its aspect ratio, top-left aligned with black
/// padding, as planar BGR floats. `None` for an empty or inconsistent image.
///
/// Large photos are first shrunk by an integer box filter (one pass over the source), then
/// bilinearly sampled to the exact size: a few milliseconds even for 12-megapixel input.
pub fn letterbox(image: ImageRef<'_>) -> Option<Letterbox> {
    let (w, h) = (image.width as usize, image.height as usize);
    let pixels = image.pixels();
    if w == 0 || h == 0 || pixels.len() != w * h * 3 {
        return None;
    }
    let fit = (INPUT_SIZE as f32 / w as f32).min(INPUT_SIZE as f32 / h as f32);
    let nw = ((w as f32 * fit).round() as usize).clamp(1, INPUT_SIZE);
    let nh = ((h as f32 * fit).round() as usize).clamp(1, INPUT_SIZE);
    let k = (w / nw).min(h / nh).max(1);
    let shrunk;
    let (src, sw, sh) = if k >= 2 {
        shrunk = box_shrink(pixels, w, h, k);
        (shrunk.as_slice(), w / k, h / k)
    } else {
        (pixels, w, h)
    };
    let plane = INPUT_SIZE * INPUT_SIZE;
    let mut tensor = vec![0f32; 3 * plane];
    let (rx, ry) = (sw as f32 / nw as f32, sh as f32 / nh as f32);
    // Horizontal taps and weights, shared by every row.
    let taps: Vec<(usize, usize, f32)> = (0..nw)
        .map(|x| {
            let fx = ((x as f32 + 0.5) * rx - 0.5).clamp(0.0, (sw - 1) as f32);
            let x0 = fx as usize;
            (x0 * 3, (x0 + 1).min(sw - 1) * 3, fx - x0 as f32)
        })
        .collect();
    let (blue, rest) = tensor.split_at_mut(plane);
    let (green, red) = rest.split_at_mut(plane);
    for y in 0..nh {
        let fy = ((y as f32 + 0.5) * ry - 0.5).clamp(0.0, (sh - 1) as f32);
        let y0 = fy as usize;
        let wy = fy - y0 as f32;
        let row0 = &src[y0 * sw * 3..(y0 + 1) * sw * 3];
        let y1 = (y0 + 1).min(sh - 1);
        let row1 = &src[y1 * sw * 3..(y1 + 1) * sw * 3];
        let out = y * INPUT_SIZE;
        for (x, &(a, b, wx)) in taps.iter().enumerate() {
            let mut px = [0f32; 3];
            for (c, v) in px.iter_mut().enumerate() {
                let top = row0[a + c] as f32 + (row0[b + c] as f32 - row0[a + c] as f32) * wx;
                let bottom = row1[a + c] as f32 + (row1[b + c] as f32 - row1[a + c] as f32) * wx;
                *v = top + (bottom - top) * wy;
            }
            // RGB in, BGR planes out.
            red[out + x] = px[0];
            green[out + x] = px[1];
            blue[out + x] = px[2];
        }
    }
    Some(Letterbox {
        tensor,
        scale: w as f32 / nw as f32,
    })
}

/// Averages `k` x `k` blocks of an RGB image (the partial last row/column of blocks is dropped).
fn box_shrink(rgb: &[u8], w: usize, h: usize, k: usize) -> Vec<u8> {
    let (ow, oh) = (w / k, h / k);
    let mut sums = vec![0u32; ow * 3];
    let mut out = vec![0u8; ow * oh * 3];
    let area = (k * k) as u32;
    for oy in 0..oh {
        sums.iter_mut().for_each(|s| *s = 0);
        for y in oy * k..oy * k + k {
            let row = &rgb[y * w * 3..(y * w + ow * k) * 3];
            for (ox, block) in row.chunks_exact(k * 3).enumerate() {
                let s = &mut sums[ox * 3..ox * 3 + 3];
                for px in block.chunks_exact(3) {
                    s[0] += px[0] as u32;
                    s[1] += px[1] as u32;
                    s[2] += px[2] as u32;
                }
            }
        }
        for (o, s) in out[oy * ow * 3..(oy + 1) * ow * 3].iter_mut().zip(&sums) {
            *o = ((s + area / 2) / area) as u8;
        }
    }
    out
}

/// The raw outputs of one stride head (row-major over the stride's grid).
pub struct Head<'a> {
    /// Stride in network pixels.
    pub stride: usize,
    /// Class score per anchor.
    pub cls: &'a [f32],
    /// Objectness per anchor.
    pub obj: &'a [f32],
    /// `dx, dy, log w, log h` per anchor.
    pub bbox: &'a [f32],
    /// Five `dx, dy` landmark offsets per anchor.
    pub kps: &'a [f32],
}

/// Decodes the heads into faces in image coordinates (scores above [`SCORE_THRESHOLD`]),
/// suppresses overlaps and sorts largest first.
pub fn decode(heads: &[Head<'_>], scale: f32, image_w: f32, image_h: f32) -> Vec<Face> {
    let mut faces = Vec::new();
    for head in heads {
        let cols = INPUT_SIZE / head.stride;
        let anchors = cols * cols;
        if head.cls.len() < anchors
            || head.obj.len() < anchors
            || head.bbox.len() < anchors * 4
            || head.kps.len() < anchors * 10
        {
            continue;
        }
        let s = head.stride as f32;
        for idx in 0..anchors {
            let score = (head.cls[idx].clamp(0.0, 1.0) * head.obj[idx].clamp(0.0, 1.0)).sqrt();
            if score.is_nan() || score < SCORE_THRESHOLD {
                continue;
            }
            let (col, row) = ((idx % cols) as f32, (idx / cols) as f32);
            let b = &head.bbox[idx * 4..idx * 4 + 4];
            let cx = (col + b[0]) * s;
            let cy = (row + b[1]) * s;
            let bw = b[2].min(10.0).exp() * s;
            let bh = b[3].min(10.0).exp() * s;
            let k = &head.kps[idx * 10..idx * 10 + 10];
            let mut landmarks = [Point::default(); 5];
            for (n, lm) in landmarks.iter_mut().enumerate() {
                lm.x = ((k[2 * n] + col) * s * scale).clamp(0.0, image_w);
                lm.y = ((k[2 * n + 1] + row) * s * scale).clamp(0.0, image_h);
            }
            let x0 = ((cx - bw / 2.0) * scale).clamp(0.0, image_w);
            let y0 = ((cy - bh / 2.0) * scale).clamp(0.0, image_h);
            let x1 = ((cx + bw / 2.0) * scale).clamp(0.0, image_w);
            let y1 = ((cy + bh / 2.0) * scale).clamp(0.0, image_h);
            if x1 - x0 < 1.0 || y1 - y0 < 1.0 {
                continue;
            }
            faces.push(Face {
                rect: Rect {
                    x: x0,
                    y: y0,
                    width: x1 - x0,
                    height: y1 - y0,
                },
                landmarks,
                score,
            });
        }
    }
    let mut kept = non_max_suppression(faces);
    kept.sort_by(|a, b| area(&b.rect).total_cmp(&area(&a.rect)));
    kept
}

fn area(r: &Rect) -> f32 {
    r.width.max(0.0) * r.height.max(0.0)
}

fn iou(a: &Rect, b: &Rect) -> f32 {
    let ix = (a.x + a.width).min(b.x + b.width) - a.x.max(b.x);
    let iy = (a.y + a.height).min(b.y + b.height) - a.y.max(b.y);
    if ix <= 0.0 || iy <= 0.0 {
        return 0.0;
    }
    let inter = ix * iy;
    inter / (area(a) + area(b) - inter)
}

/// Greedy NMS by score.
fn non_max_suppression(mut faces: Vec<Face>) -> Vec<Face> {
    faces.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Face> = Vec::new();
    for face in faces {
        if kept.len() >= MAX_FACES {
            break;
        }
        if kept.iter().all(|k| iou(&k.rect, &face.rect) <= NMS_IOU) {
            kept.push(face);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letterbox_keeps_aspect_and_pads() {
        let rgb = vec![255u8; 320 * 160 * 3];
        let lb = letterbox(ImageRef::new(320, 160, &rgb).unwrap()).unwrap();
        assert!((lb.scale - 0.5).abs() < 1e-6);
        // Inside the image: white; below row 320 (the pad): black.
        assert_eq!(lb.tensor[10 * INPUT_SIZE + 10], 255.0);
        assert_eq!(lb.tensor[400 * INPUT_SIZE + 10], 0.0);
        assert!(letterbox(ImageRef::new(0, 0, &[]).unwrap()).is_none());
        // Blue stays in the first (B) plane; a 4000x3000 photo goes through the box filter.
        let blue: Vec<u8> = [0u8, 0, 200].repeat(4000 * 3000);
        let lb = letterbox(ImageRef::new(4000, 3000, &blue).unwrap()).unwrap();
        assert!((lb.scale - 6.25).abs() < 1e-3);
        assert_eq!(lb.tensor[100 * INPUT_SIZE + 100], 200.0);
        assert_eq!(
            lb.tensor[2 * INPUT_SIZE * INPUT_SIZE + 100 * INPUT_SIZE + 100],
            0.0
        );
    }

    #[test]
    fn nms_drops_overlapping_weaker_boxes() {
        let face = |x: f32, score: f32| Face {
            rect: Rect {
                x,
                y: 0.0,
                width: 10.0,
                height: 10.0,
            },
            landmarks: [Point::default(); 5],
            score,
        };
        let kept = non_max_suppression(vec![face(0.0, 0.7), face(1.0, 0.9), face(50.0, 0.8)]);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].score, 0.9);
    }
}
