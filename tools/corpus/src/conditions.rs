//! Capture conditions: how a rendered card becomes the image a user uploads.
//!
//! | name | what |
//! |---|---|
//! | `scan` | flat, upright, clean, on white, PNG |
//! | `photo` | card 500-2000 px wide at 30-98 % of a cluttered frame, rotation 0-360° (a quarter of them exact 0/90/180/270), perspective, uneven light and glare, blur, noise, JPEG quality 30-95 |
//! | `rotated` | a clean scan turned by exactly 90, 180 or 270°, JPEG |
//! | `exif` | a mild photo whose pixels are stored turned, with the EXIF orientation tag (6, 3 or 8) that turns it upright |
//! | `large` | a 1.3-2.4× scan with light sensor noise as a JPEG of at least 200 KB (quality 75-97, raised until it gets there) |

use anyhow::{anyhow, bail, Result};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{imageops, ImageEncoder, Rgb, RgbImage, Rgba, RgbaImage};
use imageproc::geometric_transformations::{warp_into, Border, Interpolation, Projection};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A named capture condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition {
    /// Clean flat scan.
    Scan,
    /// Phone photo with rotation, perspective, clutter, light, blur, noise, JPEG.
    Photo,
    /// Clean scan turned by exactly 90/180/270 degrees.
    Rotated,
    /// Photo stored turned, with an EXIF orientation tag.
    Exif,
    /// A file of at least 200 KB.
    Large,
}

/// The image after a condition was applied.
pub struct Shot {
    /// Encoded file.
    pub bytes: Vec<u8>,
    /// `png` or `jpg`.
    pub extension: &'static str,
    /// Card corners (top-left, top-right, bottom-right, bottom-left of the card as printed) in
    /// the displayed image (after applying the EXIF orientation, if any).
    pub corners: [(f32, f32); 4],
    /// EXIF orientation tag written in the file, if any.
    pub exif_orientation: Option<u16>,
}

impl Condition {
    /// Every condition.
    pub const ALL: [Condition; 5] = [
        Condition::Scan,
        Condition::Photo,
        Condition::Rotated,
        Condition::Exif,
        Condition::Large,
    ];

    /// The condition's name.
    pub fn name(self) -> &'static str {
        match self {
            Condition::Scan => "scan",
            Condition::Photo => "photo",
            Condition::Rotated => "rotated",
            Condition::Exif => "exif",
            Condition::Large => "large",
        }
    }

    /// The condition with this name.
    pub fn from_name(name: &str) -> Option<Condition> {
        Condition::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Applies the condition to a rendered card.
    pub fn apply(self, card: &RgbaImage, rng: &mut ChaCha8Rng) -> Result<Shot> {
        match self {
            Condition::Scan => {
                let (frame, corners) = scan(card, 1.0, 24);
                Ok(Shot {
                    bytes: png(&frame)?,
                    extension: "png",
                    corners,
                    exif_orientation: None,
                })
            }
            Condition::Photo => {
                let angle = if rng.random_bool(0.25) {
                    90.0 * rng.random_range(0..4) as f32
                } else {
                    rng.random_range(0.0..360.0)
                };
                let width = rng.random_range(500.0..2000.0);
                let (frame, corners) = photo(card, rng, angle, width, true);
                // A client sends at most 2 MiB (kycd's image limit): a phone app re-compresses
                // a photo that would be larger, and so does the generator.
                let mut quality = rng.random_range(30..=95);
                let mut bytes = jpeg(&frame, quality)?;
                while bytes.len() > MAX_UPLOAD_BYTES && quality > 30 {
                    quality = quality.saturating_sub(10).max(30);
                    bytes = jpeg(&frame, quality)?;
                }
                Ok(Shot {
                    bytes,
                    extension: "jpg",
                    corners,
                    exif_orientation: None,
                })
            }
            Condition::Rotated => {
                let (frame, corners) = scan(card, 1.0, 40);
                let turns = rng.random_range(1..4);
                let (turned, corners) = turn(&frame, corners, turns);
                Ok(Shot {
                    bytes: jpeg(&turned, 90)?,
                    extension: "jpg",
                    corners,
                    exif_orientation: None,
                })
            }
            Condition::Exif => {
                let angle = rng.random_range(-8.0..8.0f32).rem_euclid(360.0);
                let width = rng.random_range(700.0..1400.0);
                let (upright, corners) = photo(card, rng, angle, width, false);
                // Stored pixels turned k quarter turns clockwise; the tag turns them back.
                let turns = rng.random_range(1..4);
                let (stored, _) = turn(&upright, corners, turns);
                let orientation = match turns {
                    1 => 8, // stored rotated 90° CW: display needs 90° CCW
                    2 => 3,
                    _ => 6, // stored rotated 270° CW: display needs 90° CW
                };
                let bytes = with_exif_orientation(&jpeg(&stored, 88)?, orientation)?;
                Ok(Shot {
                    bytes,
                    extension: "jpg",
                    corners,
                    exif_orientation: Some(orientation),
                })
            }
            Condition::Large => {
                // Scale, noise and quality start low and rise until the file reaches 200 KB,
                // so sizes spread from just above 200 KB upwards.
                let scale = rng.random_range(1.3..2.4);
                let (mut frame, corners) = scan(card, scale, 60);
                let mut quality = rng.random_range(75..=88);
                add_noise(&mut frame, rng, 2.0);
                for _ in 0..6 {
                    let bytes = jpeg(&frame, quality)?;
                    if bytes.len() >= 200 * 1024 {
                        return Ok(Shot {
                            bytes,
                            extension: "jpg",
                            corners,
                            exif_orientation: None,
                        });
                    }
                    quality = (quality + 4).min(97);
                    add_noise(&mut frame, rng, 2.0);
                }
                bail!("large condition could not reach 200 KB")
            }
        }
    }
}

fn card_corners(card: &RgbaImage) -> [(f32, f32); 4] {
    let (w, h) = (card.width() as f32, card.height() as f32);
    [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)]
}

/// Composites `card` (projected onto `quad`) over `background`.
fn place(card: &RgbaImage, background: &mut RgbaImage, quad: [(f32, f32); 4]) -> Result<()> {
    let projection = Projection::from_control_points(card_corners(card), quad)
        .ok_or_else(|| anyhow!("degenerate card placement"))?;
    let mut layer = RgbaImage::new(background.width(), background.height());
    warp_into(
        card,
        projection,
        Interpolation::Bilinear,
        Border::Constant(Rgba([0, 0, 0, 0])),
        &mut layer,
    );
    imageops::overlay(background, &layer, 0, 0);
    Ok(())
}

fn to_rgb(image: &RgbaImage) -> RgbImage {
    RgbImage::from_fn(image.width(), image.height(), |x, y| {
        let p = image.get_pixel(x, y);
        Rgb([p[0], p[1], p[2]])
    })
}

/// The card upright on white with `margin` pixels, scaled by `scale`.
fn scan(card: &RgbaImage, scale: f32, margin: u32) -> (RgbImage, [(f32, f32); 4]) {
    let (w, h) = (
        (card.width() as f32 * scale).round(),
        (card.height() as f32 * scale).round(),
    );
    let mut frame = RgbaImage::from_pixel(
        w as u32 + 2 * margin,
        h as u32 + 2 * margin,
        Rgba([250, 250, 248, 255]),
    );
    let m = margin as f32;
    let quad = [(m, m), (m + w, m), (m + w, m + h), (m, m + h)];
    // A scaled axis-aligned quad is never degenerate.
    let _ = place(card, &mut frame, quad);
    (to_rgb(&frame), quad)
}

/// Clutter: a desk-like base with random boxes, stripes, discs and lines.
fn background(rng: &mut ChaCha8Rng, w: u32, h: u32) -> RgbaImage {
    let base = [
        rng.random_range(40..220),
        rng.random_range(40..220),
        rng.random_range(40..220),
    ];
    let mut c = crate::canvas::Canvas::new(w, h, [base[0], base[1], base[2], 255]);
    let stripe = rng.random_range(4.0..40.0f32);
    for (x, y, p) in c.image.enumerate_pixels_mut() {
        let v = ((x as f32 * 0.7 + y as f32 * 0.3) / stripe).sin() * 10.0;
        for ch in 0..3 {
            p.0[ch] = (p.0[ch] as f32 + v).clamp(0.0, 255.0) as u8;
        }
    }
    let (fw, fh) = (w as f32, h as f32);
    for _ in 0..rng.random_range(4..14) {
        let color = [
            rng.random_range(0..=255),
            rng.random_range(0..=255),
            rng.random_range(0..=255),
            255,
        ];
        let (x, y) = (rng.random_range(0.0..fw), rng.random_range(0.0..fh));
        let size = rng.random_range(0.05..0.4) * fw.min(fh);
        match rng.random_range(0..3) {
            0 => c.ellipse(x, y, size, size * rng.random_range(0.3..1.0), color),
            1 => {
                let a: f32 = rng.random_range(0.0..std::f32::consts::PI);
                let (dx, dy) = (a.cos() * size, a.sin() * size);
                let t = size * rng.random_range(0.2..0.7);
                let (nx, ny) = (-a.sin() * t, a.cos() * t);
                c.polygon(
                    &[
                        (x, y),
                        (x + dx, y + dy),
                        (x + dx + nx, y + dy + ny),
                        (x + nx, y + ny),
                    ],
                    color,
                );
            }
            _ => c.line(
                x,
                y,
                rng.random_range(0.0..fw),
                rng.random_range(0.0..fh),
                rng.random_range(2.0..12.0),
                color,
            ),
        }
    }
    c.image
}

/// A photo of the card: turned by `angle` degrees clockwise, card `card_width` px wide, in a
/// cluttered frame; `harsh` adds strong perspective, light, blur and noise.
fn photo(
    card: &RgbaImage,
    rng: &mut ChaCha8Rng,
    angle: f32,
    card_width: f32,
    harsh: bool,
) -> (RgbImage, [(f32, f32); 4]) {
    let cw = card_width;
    let ch = cw * card.height() as f32 / card.width() as f32;
    let theta = angle.to_radians();
    let (sin, cos) = (theta.sin(), theta.cos());
    let bbox_w = cw * cos.abs() + ch * sin.abs();
    let bbox_h = cw * sin.abs() + ch * cos.abs();
    // The card's bounding box covers 30-98 % of the frame's width or height.
    let fraction = if harsh {
        rng.random_range(0.3..0.98)
    } else {
        rng.random_range(0.6..0.9)
    };
    let mut frame_w = (bbox_w / fraction).max(bbox_w + 16.0);
    let mut frame_h = (bbox_h / fraction * rng.random_range(0.85..1.25)).max(bbox_h + 16.0);
    let mut scale = 1.0;
    let longest = frame_w.max(frame_h);
    if longest > 2600.0 {
        scale = 2600.0 / longest;
        frame_w *= scale;
        frame_h *= scale;
    }
    let (cw, ch, bbox_w, bbox_h) = (cw * scale, ch * scale, bbox_w * scale, bbox_h * scale);
    let cx = rng.random_range(bbox_w / 2.0..=(frame_w - bbox_w / 2.0).max(bbox_w / 2.0 + 1.0));
    let cy = rng.random_range(bbox_h / 2.0..=(frame_h - bbox_h / 2.0).max(bbox_h / 2.0 + 1.0));
    let jitter = if harsh { 0.05 } else { 0.015 } * cw;
    let corners: Vec<(f32, f32)> = [
        (-cw / 2.0, -ch / 2.0),
        (cw / 2.0, -ch / 2.0),
        (cw / 2.0, ch / 2.0),
        (-cw / 2.0, ch / 2.0),
    ]
    .iter()
    .map(|&(x, y)| {
        let (jx, jy) = (
            rng.random_range(-jitter..=jitter),
            rng.random_range(-jitter..=jitter),
        );
        let (x, y) = (x + jx, y + jy);
        // Keep the corner inside the frame.
        (
            (cx + x * cos - y * sin).clamp(0.0, frame_w - 1.0),
            (cy + x * sin + y * cos).clamp(0.0, frame_h - 1.0),
        )
    })
    .collect();
    let quad = [corners[0], corners[1], corners[2], corners[3]];
    let mut frame = background(rng, frame_w as u32, frame_h as u32);
    if place(card, &mut frame, quad).is_err() {
        // Degenerate after clamping: fall back to the unjittered placement.
        let _ = place(card, &mut frame, quad);
    }
    let mut rgb = to_rgb(&frame);
    light(&mut rgb, rng, harsh);
    let sigma = if harsh {
        rng.random_range(0.0..1.8f32)
    } else {
        rng.random_range(0.0..0.8f32)
    };
    if sigma > 0.3 {
        rgb = imageproc::filter::gaussian_blur_f32(&rgb, sigma);
    }
    let noise = if harsh {
        rng.random_range(0.0..9.0)
    } else {
        2.0
    };
    add_noise(&mut rgb, rng, noise);
    (rgb, quad)
}

/// Uneven light (a gradient from 0.6-1.0 to 1.0-1.15) and, sometimes, a glare spot.
fn light(image: &mut RgbImage, rng: &mut ChaCha8Rng, harsh: bool) {
    let (w, h) = (image.width() as f32, image.height() as f32);
    let dark = if harsh {
        rng.random_range(0.6..1.0)
    } else {
        0.9
    };
    let bright = rng.random_range(1.0..1.15f32);
    let a: f32 = rng.random_range(0.0..std::f32::consts::TAU);
    let (ax, ay) = (a.cos(), a.sin());
    let glare = (harsh && rng.random_bool(0.5)).then(|| {
        (
            rng.random_range(0.0..w),
            rng.random_range(0.0..h),
            rng.random_range(0.05..0.2) * w.max(h),
        )
    });
    for (x, y, p) in image.enumerate_pixels_mut() {
        let t = (((x as f32 / w - 0.5) * ax + (y as f32 / h - 0.5) * ay) + 0.5).clamp(0.0, 1.0);
        let gain = dark + (bright - dark) * t;
        let add = glare.map_or(0.0, |(gx, gy, r)| {
            let d2 = ((x as f32 - gx).powi(2) + (y as f32 - gy).powi(2)) / (r * r);
            200.0 * (-d2).exp()
        });
        for c in 0..3 {
            p.0[c] = (p.0[c] as f32 * gain + add).clamp(0.0, 255.0) as u8;
        }
    }
}

/// Zero-mean noise with standard deviation about `sigma` (sum of uniforms).
fn add_noise(image: &mut RgbImage, rng: &mut ChaCha8Rng, sigma: f32) {
    if sigma <= 0.0 {
        return;
    }
    for p in image.pixels_mut() {
        for c in 0..3 {
            let n: f32 = (rng.random::<f32>() + rng.random::<f32>() + rng.random::<f32>() - 1.5)
                * 2.0
                * sigma;
            p.0[c] = (p.0[c] as f32 + n).clamp(0.0, 255.0) as u8;
        }
    }
}

/// Turns the image `turns` quarter turns clockwise, moving the corners with it.
fn turn(image: &RgbImage, corners: [(f32, f32); 4], turns: u32) -> (RgbImage, [(f32, f32); 4]) {
    let (w, h) = (image.width() as f32, image.height() as f32);
    match turns % 4 {
        1 => (imageops::rotate90(image), corners.map(|(x, y)| (h - y, x))),
        2 => (
            imageops::rotate180(image),
            corners.map(|(x, y)| (w - x, h - y)),
        ),
        3 => (imageops::rotate270(image), corners.map(|(x, y)| (y, w - x))),
        _ => (image.clone(), corners),
    }
}

fn png(image: &RgbImage) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out).write_image(
        image.as_raw(),
        image.width(),
        image.height(),
        image::ExtendedColorType::Rgb8,
    )?;
    Ok(out)
}

/// The largest image kycd accepts (`max_image_bytes` in the default configuration).
const MAX_UPLOAD_BYTES: usize = 2 * 1024 * 1024;

fn jpeg(image: &RgbImage, quality: u8) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality).encode_image(image)?;
    Ok(out)
}

/// Inserts an EXIF APP1 segment holding only the orientation tag right after the JPEG SOI.
pub fn with_exif_orientation(jpeg: &[u8], orientation: u16) -> Result<Vec<u8>> {
    if jpeg.len() < 2 || jpeg[0] != 0xFF || jpeg[1] != 0xD8 {
        bail!("not a JPEG");
    }
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"MM\0\x2a\0\0\0\x08"); // big-endian TIFF, IFD at offset 8
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes()); // count
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    let payload_len = 2 + 6 + tiff.len();
    let mut out = Vec::with_capacity(jpeg.len() + payload_len + 2);
    out.extend_from_slice(&jpeg[..2]);
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&(payload_len as u16).to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(&tiff);
    out.extend_from_slice(&jpeg[2..]);
    Ok(out)
}
