//! Pixel helpers for reading one zone of a card on its own: cut it out (the host's detector
//! then sees it at full resolution: it shrinks only images larger than its input), stretch
//! faint print (grey under glare) to full contrast.

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
