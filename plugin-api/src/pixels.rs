//! Pixel helpers for reading one zone of a card on its own: cut it out, enlarge it so small
//! print reaches the size the host's text detector sees well (the detector never enlarges an
//! image, it only shrinks large ones), stretch faint print (grey on a glare) to full contrast.

use crate::types::{ImageRef, OwnedImage, Rect};

/// A copy of the `rect` part of `image` (clamped to the image); `None` when less than 9 pixels
/// of it lie inside in either direction.
pub fn sub_image(image: ImageRef<'_>, rect: Rect) -> Option<OwnedImage> {
    let x0 = rect.x.max(0.0).floor() as u32;
    let y0 = rect.y.max(0.0).floor() as u32;
    let x1 = ((rect.x + rect.width).ceil().max(0.0) as u32).min(image.width);
    let y1 = ((rect.y + rect.height).ceil().max(0.0) as u32).min(image.height);
    if x1 <= x0 + 8 || y1 <= y0 + 8 {
        return None;
    }
    let pixels = image.pixels();
    let row = image.width as usize * 3;
    let mut rgb = Vec::with_capacity(((x1 - x0) * (y1 - y0) * 3) as usize);
    for y in y0..y1 {
        let start = y as usize * row + x0 as usize * 3;
        rgb.extend_from_slice(pixels.get(start..start + (x1 - x0) as usize * 3)?);
    }
    Some(OwnedImage {
        width: x1 - x0,
        height: y1 - y0,
        rgb: rgb.into(),
    })
}

/// `image` enlarged `factor` times in both directions, bilinear (pixel centres aligned, edges
/// replicated). `factor` 0 or 1 gives a copy.
pub fn enlarged(image: ImageRef<'_>, factor: u32) -> OwnedImage {
    let factor = factor.max(1);
    let (width, height) = (image.width * factor, image.height * factor);
    let src = image.pixels();
    let (w, h) = (image.width as usize, image.height as usize);
    // Source position of an output pixel centre, split into the lower neighbour and weight.
    let source = |out: u32, limit: usize| -> (usize, usize, f32) {
        let at = ((out as f32 + 0.5) / factor as f32 - 0.5).max(0.0);
        let low = (at.floor() as usize).min(limit - 1);
        (low, (low + 1).min(limit - 1), at - low as f32)
    };
    let columns: Vec<(usize, usize, f32)> = (0..width).map(|x| source(x, w)).collect();
    let mut rgb = Vec::with_capacity(width as usize * height as usize * 3);
    for y in 0..height {
        let (y0, y1, fy) = source(y, h);
        for &(x0, x1, fx) in &columns {
            for channel in 0..3 {
                let at = |x: usize, y: usize| f32::from(src[(y * w + x) * 3 + channel]);
                let top = at(x0, y0) + (at(x1, y0) - at(x0, y0)) * fx;
                let bottom = at(x0, y1) + (at(x1, y1) - at(x0, y1)) * fx;
                rgb.push((top + (bottom - top) * fy).round() as u8);
            }
        }
    }
    OwnedImage {
        width,
        height,
        rgb: rgb.into(),
    }
}

/// `image` in grey with its levels stretched: the 1st percentile becomes black, the 99th
/// white. Faint print (small grey text under glare) that the detector misses at its own
/// contrast stands out; an image of one level is returned grey, unstretched.
pub fn contrast_stretched(image: ImageRef<'_>) -> OwnedImage {
    let grey: Vec<u8> = image
        .pixels()
        .chunks_exact(3)
        .map(|p| ((u16::from(p[0]) + u16::from(p[1]) + u16::from(p[2])) / 3) as u8)
        .collect();
    let mut histogram = [0usize; 256];
    for g in &grey {
        histogram[usize::from(*g)] += 1;
    }
    let level_at = |share: f32| {
        let wanted = (share * grey.len() as f32) as usize;
        let mut seen = 0;
        histogram
            .iter()
            .position(|count| {
                seen += count;
                seen > wanted
            })
            .unwrap_or(255) as f32
    };
    let (low, high) = (level_at(0.01), level_at(0.99));
    let stretch = |g: u8| {
        if high <= low {
            return g;
        }
        ((f32::from(g) - low) / (high - low) * 255.0)
            .clamp(0.0, 255.0)
            .round() as u8
    };
    let rgb: Vec<u8> = grey
        .iter()
        .flat_map(|g| {
            let v = stretch(*g);
            [v, v, v]
        })
        .collect();
    OwnedImage {
        width: image.width,
        height: image.height,
        rgb: rgb.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x: f32, y: f32, width: f32, height: f32) -> Rect {
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    #[test]
    fn sub_image_clamps_to_the_image() {
        let rgb: Vec<u8> = (0..20 * 10 * 3).map(|i| (i % 251) as u8).collect();
        let image = ImageRef::new(20, 10, &rgb).unwrap();
        let part = sub_image(image, rect(5.0, -3.0, 100.0, 100.0)).unwrap();
        assert_eq!((part.width, part.height), (15, 10));
        assert_eq!(&part.rgb[..3], &rgb[15..18]);
        assert!(sub_image(image, rect(30.0, 0.0, 5.0, 5.0)).is_none());
    }

    #[test]
    fn enlarging_keeps_flat_areas_and_blends_edges() {
        // Two columns: black and white, two rows alike.
        let rgb = [0, 0, 0, 255, 255, 255, 0, 0, 0, 255, 255, 255];
        let image = ImageRef::new(2, 2, &rgb).unwrap();
        let big = enlarged(image, 2);
        assert_eq!((big.width, big.height), (4, 4));
        let row: Vec<u8> = big.rgb[..12].iter().step_by(3).copied().collect();
        // Outer pixels keep their colour; the two between are blended a quarter and three
        // quarters of the way.
        assert_eq!(row, vec![0, 64, 191, 255]);
        assert_eq!(&big.rgb[..12], &big.rgb[36..48]);
        assert_eq!(enlarged(image, 1).rgb.as_slice(), &rgb[..]);
    }

    #[test]
    fn faint_print_is_stretched_to_full_contrast() {
        // A light grey page (230) with faint print (200) on a fifth of it.
        let rgb: Vec<u8> = (0..100 * 3)
            .map(|i| if i / 3 < 20 { 200 } else { 230 })
            .collect();
        let image = ImageRef::new(10, 10, &rgb).unwrap();
        let stretched = contrast_stretched(image);
        assert_eq!(stretched.rgb[0], 0);
        assert_eq!(stretched.rgb[3 * 50], 255);
        // One level only: grey as it was.
        let flat = vec![120u8; 4 * 4 * 3];
        let flat = contrast_stretched(ImageRef::new(4, 4, &flat).unwrap());
        assert!(flat.rgb.iter().all(|v| *v == 120));
    }
}
