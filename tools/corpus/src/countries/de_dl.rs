//! Germany: the driving licence (EU card model, since 2013), front.
//!
//! Layout follows Directive 2006/126/EC: pink card, `FÜHRERSCHEIN` and
//! `BUNDESREPUBLIK DEUTSCHLAND`, the EU flag with `D`, photo left, numbered fields
//! `1.` surname, `2.` given names, `3.` date (`15.10.90`) and place of birth, `4a.` issue date,
//! `4b.` expiry date, `4c.` issuing authority, `5.` licence number, `7.` signature, `9.`
//! categories (`AM/B/L`). The licence number is 11 characters: the authority code (state letter
//! `A`-`P`, two-digit district, one letter or digit), a five-character serial (digits here), the
//! check character (`check_character`) and the issue count.

use anyhow::Result;
use rand_chacha::ChaCha8Rng;

use super::de::names;
use super::{blank_card, finish, signature};
use crate::canvas::{rgb, Align, Style, INK};
use crate::doc::{Card, Side};
use crate::fonts::Family;
use crate::identity::{birth_date, chars_from, digits, dmy_dots, dmy_dots_short, issue_date, Sex};
use crate::portrait::portrait;

/// The licence number's check character over its first nine characters: digits as such,
/// `A` = 10 … `Z` = 35, weighted 9, 8, … 1, summed, modulo 11; 10 is `X`.
fn check_character(first_nine: &str) -> char {
    let sum: u32 = first_nine
        .chars()
        .zip((1..=9u32).rev())
        .map(|(c, weight)| c.to_digit(36).unwrap_or(0) * weight)
        .sum();
    match sum % 11 {
        10 => 'X',
        r => char::from_digit(r, 10).unwrap_or('0'),
    }
}

/// Draws a German driving licence (front).
pub fn driving_licence(rng: &mut ChaCha8Rng) -> Result<Vec<Card>> {
    let list = names();
    let sex = Sex::random(rng);
    let surname = list.pick(rng, "surnames");
    let given = list.given(rng, sex);
    let birth = birth_date(rng);
    let place = list.pick(rng, "places");
    let issued = issue_date(rng, 14, birth);
    let expiry = issued.add_years(15);
    let authority = list.pick(rng, "authorities");
    let classes = list.pick(rng, "classes");
    // One random draw per character, as before the check character was computed, so that a
    // seed's other fields stay what they were.
    let code = chars_from(rng, "ABCDEFGHIJKLMNOP", 1)
        + &digits(rng, 2)
        + &chars_from(rng, "0123456789ABCDEFGHJKLMNPRSTUVWXYZ", 1)
        + &digits(rng, 5);
    let _unused_draw = chars_from(rng, "0123456789X", 1);
    let card_id = format!("{code}{}{}", check_character(&code), digits(rng, 1));
    let message: Vec<(&'static str, String)> = vec![
        ("CardId", card_id.clone()),
        ("Surname", surname.into()),
        ("GivenNames", given.into()),
        ("DateOfBirth", dmy_dots_short(birth)),
        ("PlaceOfBirth", place.into()),
        ("DateOfIssue", dmy_dots(issued)),
        ("DateOfExpiry", dmy_dots(expiry)),
        ("Address", authority.into()),
        ("Class", classes.into()),
    ];
    let mut c = blank_card(
        rng,
        rgb(246, 222, 228),
        rgb(236, 226, 240),
        rgb(220, 160, 180),
    );
    // EU flag with the country code.
    c.fill_rect(30, 24, 90, 64, rgb(0, 51, 153));
    for k in 0..12 {
        let a = k as f32 / 12.0 * std::f32::consts::TAU;
        c.ellipse(
            75.0 + 22.0 * a.cos(),
            52.0 + 22.0 * a.sin(),
            3.0,
            3.0,
            rgb(255, 204, 0),
        );
    }
    c.text(
        75.0,
        62.0,
        "D",
        Style::new(Family::SansBold, 20.0, rgb(255, 255, 255)),
        Align::Center,
    );
    c.text(
        150.0,
        20.0,
        "FÜHRERSCHEIN",
        Style::new(Family::SansBold, 34.0, rgb(40, 60, 120)),
        Align::Left,
    );
    c.text(
        150.0,
        62.0,
        "BUNDESREPUBLIK DEUTSCHLAND",
        Style::new(Family::Sans, 18.0, rgb(40, 60, 120)),
        Align::Left,
    );
    let photo = portrait(rng, 250, 320, rgb(220, 220, 225), true);
    c.paste(&photo, 36, 120);
    let num = Style::new(Family::Sans, 20.0, rgb(40, 60, 120));
    let value = Style::new(Family::Arial, 28.0, INK);
    let x = 330.0;
    let rows: [(&str, String); 8] = [
        ("1.", surname.into()),
        ("2.", given.into()),
        ("3.", format!("{} {}", dmy_dots_short(birth), place)),
        ("4a.", dmy_dots(issued)),
        ("4b.", dmy_dots(expiry)),
        ("4c.", authority.into()),
        ("5.", card_id.clone()),
        ("9.", classes.into()),
    ];
    let mut y = 120.0;
    for (n, v) in rows.iter() {
        c.text(x, y + 6.0, n, num, Align::Left);
        c.text_fit(x + 55.0, y, v, value, 600.0);
        y += 46.0;
    }
    c.text(x, y + 6.0, "7.", num, Align::Left);
    signature(&mut c, rng, x + 55.0, y, 260.0, 60.0);
    Ok(vec![Card {
        route: "ocr/de/driving-licence",
        side: Side::Front,
        model: "EU-2013".into(),
        message,
        image: finish(c),
    }])
}

#[cfg(test)]
mod tests {
    use super::check_character;

    #[test]
    fn check_character_of_the_specimen_number() {
        // The specimen licence's number is B072RRE2I55.
        assert_eq!(check_character("B072RRE2I"), '5');
        assert_eq!(check_character("11111111A"), 'X');
    }
}
