//! The common shape of the European-style ID-1 cards (Netherlands, Norway, Sweden, Colombia's
//! digital cédula, driving licences): header lines top left, photo on the left, numbered or
//! bilingual labelled fields on the right, and a back with a few fields over a TD1 MRZ.

use rand_chacha::ChaCha8Rng;

use crate::canvas::{Align, Color, Style, INK};
use crate::countries::{blank_card, draw_td1, finish, signature};
use crate::fonts::Family;
use crate::portrait::portrait;

/// Colours and type of one card design.
#[derive(Clone, Copy)]
pub struct Design {
    /// Tint at one edge.
    pub from: Color,
    /// Tint at the other edge.
    pub to: Color,
    /// Guilloche colour.
    pub lines: Color,
    /// Label and header colour.
    pub label: Color,
    /// Family of the personal data.
    pub value_family: Family,
    /// Size of the personal data (pixels per em).
    pub value_size: f32,
}

/// A label with its value below it, at (x, y), at most `w` wide.
pub struct Field {
    /// Label as printed (e.g. `Naam / Surname`).
    pub label: String,
    /// Value as printed.
    pub value: String,
    /// Left.
    pub x: f32,
    /// Top of the label.
    pub y: f32,
    /// Maximum width.
    pub w: f32,
}

/// Shorthand for a [`Field`].
pub fn field(label: &str, value: &str, x: f32, y: f32, w: f32) -> Field {
    Field {
        label: label.into(),
        value: value.into(),
        x,
        y,
        w,
    }
}

fn draw_fields(c: &mut crate::canvas::Canvas, design: &Design, fields: &[Field]) {
    let label = Style::new(Family::Sans, 15.0, design.label);
    let value = Style::new(design.value_family, design.value_size, INK);
    for f in fields {
        c.field(f.x, f.y, &f.label, &f.value, label, value, f.w);
    }
}

fn draw_headers(c: &mut crate::canvas::Canvas, design: &Design, headers: &[&str]) {
    let mut y = 22.0;
    for (i, h) in headers.iter().enumerate() {
        let style = if i == 0 {
            Style::new(Family::SansBold, 26.0, design.label)
        } else {
            Style::new(Family::Sans, 17.0, design.label)
        };
        c.text(40.0, y, h, style, Align::Left);
        y += if i == 0 { 36.0 } else { 24.0 };
    }
}

/// A front: headers, a portrait at (40, 140) 250 x 320, the fields and a signature.
pub fn front(
    rng: &mut ChaCha8Rng,
    design: &Design,
    headers: &[&str],
    grey_photo: bool,
    fields: &[Field],
) -> image::RgbaImage {
    let mut c = blank_card(rng, design.from, design.to, design.lines);
    draw_headers(&mut c, design, headers);
    let photo = portrait(rng, 250, 320, [215, 218, 222, 255], grey_photo);
    c.paste(&photo, 40, 140);
    draw_fields(&mut c, design, fields);
    signature(&mut c, rng, 50.0, 500.0, 230.0, 70.0);
    finish(c)
}

/// A back: headers, the fields and a TD1 MRZ.
pub fn back(
    rng: &mut ChaCha8Rng,
    design: &Design,
    headers: &[&str],
    fields: &[Field],
    mrz: &[String; 3],
) -> image::RgbaImage {
    let mut c = blank_card(rng, design.to, design.from, design.lines);
    draw_headers(&mut c, design, headers);
    draw_fields(&mut c, design, fields);
    draw_td1(&mut c, mrz);
    finish(c)
}
