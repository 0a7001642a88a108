//! Pixel helpers over the rectified card: the colour of a line's ink (the 2021 model prints
//! the card number in red). Reading the card upright is `kycd_plugin_api::card_reading`'s job.

use kycd_plugin_api::pixels::sub_image;
use kycd_plugin_api::prelude::*;

/// Whether the lines' centres are mostly above those of `rest`: the header of a card held
/// upright is above its fields.
pub fn above(top: &[&Line], rest: &[&Line]) -> bool {
    let mean = |lines: &[&Line]| lines.iter().map(|l| l.middle()).sum::<f32>() / lines.len() as f32;
    !top.is_empty() && !rest.is_empty() && mean(top) < mean(rest)
}

/// The mean colour of the darkest quarter of the pixels inside `rect` (the ink of a line of
/// text), or `None` for an empty rectangle.
pub fn ink_colour(image: ImageRef<'_>, rect: Rect) -> Option<[f32; 3]> {
    let crop = sub_image(image, rect)?;
    let mut pixels: Vec<[u8; 3]> = crop
        .rgb
        .chunks_exact(3)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    if pixels.is_empty() {
        return None;
    }
    pixels.sort_by_key(|p| u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2]));
    let dark = &pixels[..pixels.len().div_ceil(4)];
    let mut sum = [0f32; 3];
    for p in dark {
        for (s, v) in sum.iter_mut().zip(p) {
            *s += f32::from(*v);
        }
    }
    Some(sum.map(|s| s / dark.len() as f32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn red_ink_is_told_from_black() {
        let mut rgb = vec![240u8; 10 * 10 * 3];
        for px in rgb.chunks_exact_mut(3).take(40) {
            px.copy_from_slice(&[170, 30, 40]);
        }
        let image = ImageRef::new(10, 10, &rgb).unwrap();
        let all = Rect {
            x: 0.0,
            y: 0.0,
            width: 10.0,
            height: 10.0,
        };
        let ink = ink_colour(image, all).unwrap();
        assert!(ink[0] > ink[1] + 60.0);
    }
}
