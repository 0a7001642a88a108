//! Germany: the identity card (Personalausweis), 2010 (nPA) and 2021 models, front and back.
//!
//! Layout follows the public specimen ("Erika Mustermann"): trilingual labels
//! (German / English / French), photo on the left, card number top right, CAN bottom right;
//! the back carries address, height, eye colour, authority, issue date and a TD1 MRZ
//! `IDD<<` with the card number, no sex (`<`) and nationality `D`.

use anyhow::Result;
use kycd_plugin_api::checks::{is_valid_german_id_number, Date, GERMAN_ID_ALPHABET};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::sync::OnceLock;

use super::{blank_card, draw_td1, finish, signature};
use crate::canvas::{rgb, Align, Style, INK};
use crate::doc::{Card, Side};
use crate::fonts::Family;
use crate::identity::{birth_date, chars_from, digits, dmy_dots, issue_date, NameList, Sex};
use crate::mrz::{transliterate, Td1};
use crate::portrait::portrait;

const ROUTE: &str = "ocr/de/id-card";

pub(crate) fn names() -> &'static NameList {
    static LIST: OnceLock<NameList> = OnceLock::new();
    LIST.get_or_init(|| NameList::parse(include_str!("../../data/de.txt")))
}

/// A German identity as printed on the card.
pub struct Identity {
    /// Card number, 9 characters.
    pub card_number: String,
    /// Surname.
    pub surname: String,
    /// Given names.
    pub given: String,
    /// Date of birth.
    pub birth: Date,
    /// Place of birth.
    pub place: String,
    /// Issue date.
    pub issued: Date,
    /// Expiry date.
    pub expiry: Date,
    /// Sex (drawn, not printed on the card).
    pub sex: Sex,
}

/// A random identity whose card number passes [`is_valid_german_id_number`].
pub fn identity(rng: &mut ChaCha8Rng) -> Identity {
    let sex = Sex::random(rng);
    let birth = birth_date(rng);
    let issued = issue_date(rng, 9, birth);
    // Valid 10 years (6 under 24), until the day before.
    let years = if issued.year - birth.year < 24 { 6 } else { 10 };
    let first = chars_from(rng, "CFGHJKLMNPRTVWXYZ", 1);
    let card_number = first + &chars_from(rng, GERMAN_ID_ALPHABET, 8);
    debug_assert!(is_valid_german_id_number(&card_number));
    let list = names();
    let given = if rng.random_bool(0.3) {
        format!("{} {}", list.given(rng, sex), list.given(rng, sex))
    } else {
        list.given(rng, sex).to_string()
    };
    Identity {
        card_number,
        surname: list.pick(rng, "surnames").to_string(),
        given,
        birth,
        place: list.pick(rng, "places").to_string(),
        issued,
        expiry: issued.add_years(years).add_days(-1),
        sex,
    }
}

fn message(id: &Identity, side: Side) -> Vec<(&'static str, String)> {
    match side {
        Side::Front => vec![
            ("CardNumber", id.card_number.clone()),
            ("Surname", id.surname.clone()),
            ("GivenNames", id.given.clone()),
            ("DateOfBirth", dmy_dots(id.birth)),
            ("PlaceOfBirth", id.place.clone()),
            ("DateOfExpiry", dmy_dots(id.expiry)),
            ("Nationality", "DEUTSCH".into()),
        ],
        // The back prints these in the MRZ only: names as transliterated there, dates and
        // nationality (`D`) converted to the front's formats.
        Side::Back => vec![
            ("CardNumber", id.card_number.clone()),
            ("Surname", transliterate(&id.surname).replace('<', " ")),
            ("GivenNames", transliterate(&id.given).replace('<', " ")),
            ("DateOfBirth", dmy_dots(id.birth)),
            ("PlaceOfBirth", String::new()),
            ("DateOfExpiry", dmy_dots(id.expiry)),
            ("Nationality", "DEUTSCH".into()),
        ],
    }
}

/// Draws a German ID card (random model) front and back.
pub fn id_card(rng: &mut ChaCha8Rng) -> Result<Vec<Card>> {
    let id = identity(rng);
    let model = if rng.random_bool(0.5) { "2010" } else { "2021" };
    let front = front(rng, &id, model);
    let back = back(rng, &id, model);
    Ok(vec![
        Card {
            route: ROUTE,
            side: Side::Front,
            model: model.into(),
            message: message(&id, Side::Front),
            image: front,
        },
        Card {
            route: ROUTE,
            side: Side::Back,
            model: model.into(),
            message: message(&id, Side::Back),
            image: back,
        },
    ])
}

fn palette(model: &str) -> ([u8; 4], [u8; 4], [u8; 4], [u8; 4]) {
    // (tint from, tint to, guilloche, label colour)
    if model == "2010" {
        (
            rgb(226, 236, 230),
            rgb(240, 228, 234),
            rgb(150, 190, 185),
            rgb(70, 90, 110),
        )
    } else {
        (
            rgb(232, 232, 240),
            rgb(226, 238, 228),
            rgb(170, 170, 205),
            rgb(60, 70, 120),
        )
    }
}

fn front(rng: &mut ChaCha8Rng, id: &Identity, model: &str) -> image::RgbaImage {
    let (from, to, lines, label_color) = palette(model);
    let mut c = blank_card(rng, from, to, lines);
    let label = Style::new(Family::Sans, 15.0, label_color);
    let value = Style::new(Family::Arial, 31.0, INK);
    let bold = Style::new(Family::SansBold, 27.0, rgb(30, 40, 60));
    c.text(40.0, 26.0, "BUNDESREPUBLIK DEUTSCHLAND", bold, Align::Left);
    c.text(
        40.0,
        60.0,
        "FEDERAL REPUBLIC OF GERMANY / RÉPUBLIQUE FÉDÉRALE D'ALLEMAGNE",
        Style::new(Family::Sans, 14.0, label_color),
        Align::Left,
    );
    c.text(
        40.0,
        82.0,
        "PERSONALAUSWEIS / IDENTITY CARD / CARTE D'IDENTITÉ",
        Style::new(Family::SansBold, 16.0, label_color),
        Align::Left,
    );
    // Card number, top right (red on the 2021 model).
    let number_color = if model == "2021" {
        rgb(170, 30, 40)
    } else {
        INK
    };
    c.text(
        972.0,
        28.0,
        &id.card_number,
        Style::new(Family::OcrB, 34.0, number_color),
        Align::Right,
    );
    let photo = portrait(rng, 270, 350, rgb(205, 208, 210), true);
    c.paste(&photo, 40, 130);
    let x = 340.0;
    let mut y = 120.0;
    let tag = |t: &str| {
        if model == "2021" {
            format!("{t} ")
        } else {
            String::new()
        }
    };
    y = c.field(
        x,
        y,
        &format!("{}Name / Surname / Nom", tag("a")),
        &id.surname,
        label,
        value,
        620.0,
    );
    y = c.field(
        x,
        y + 4.0,
        &format!("{}Vornamen / Given names / Prénoms", tag("b")),
        &id.given,
        label,
        value,
        620.0,
    );
    let row = y + 4.0;
    c.field(
        x,
        row,
        "Geburtstag / Date of birth / Date de naissance",
        &dmy_dots(id.birth),
        label,
        value,
        330.0,
    );
    y = c.field(
        x + 340.0,
        row,
        "Staatsangehörigkeit / Nationality / Nationalité",
        "DEUTSCH",
        label,
        value,
        290.0,
    );
    y = c.field(
        x,
        y + 4.0,
        "Geburtsort / Place of birth / Lieu de naissance",
        &id.place,
        label,
        value,
        620.0,
    );
    c.field(
        x,
        y + 4.0,
        "Gültig bis / Date of expiry / Date d'expiration",
        &dmy_dots(id.expiry),
        label,
        value,
        330.0,
    );
    c.text(
        40.0,
        500.0,
        "Unterschrift der Inhaberin / des Inhabers / Signature of bearer / Signature du titulaire",
        Style::new(Family::Sans, 12.0, label_color),
        Align::Left,
    );
    signature(&mut c, rng, 60.0, 525.0, 300.0, 70.0);
    // Card access number, bottom right.
    c.text(
        972.0,
        580.0,
        &digits(rng, 6),
        Style::new(Family::OcrB, 28.0, INK),
        Align::Right,
    );
    finish(c)
}

fn back(rng: &mut ChaCha8Rng, id: &Identity, model: &str) -> image::RgbaImage {
    let (from, to, lines, label_color) = palette(model);
    let mut c = blank_card(rng, to, from, lines);
    let label = Style::new(Family::Sans, 15.0, label_color);
    let value = Style::new(Family::Arial, 29.0, INK);
    let list = names();
    let street = format!("{} {}", list.pick(rng, "streets"), rng.random_range(1..120));
    let city = format!("{} {}", digits(rng, 5), list.pick(rng, "places"));
    let mut y = c.field(
        40.0,
        30.0,
        "Anschrift / Address / Adresse",
        &street,
        label,
        value,
        560.0,
    );
    c.text(40.0, y - 6.0, &city, value, Align::Left);
    y += 34.0;
    let height = format!("{} cm", rng.random_range(150..200));
    c.field(
        40.0,
        y,
        "Größe / Height / Taille",
        &height,
        label,
        value,
        250.0,
    );
    c.field(
        320.0,
        y,
        "Augenfarbe / Colour of eyes / Couleur des yeux",
        list.pick(rng, "eyes"),
        label,
        value,
        300.0,
    );
    c.field(
        660.0,
        30.0,
        "Behörde / Authority / Autorité",
        &format!("Stadt {}", title_case(list.pick(rng, "places"))),
        label,
        value,
        310.0,
    );
    c.field(
        660.0,
        110.0,
        "Datum / Date / Date",
        &dmy_dots(id.issued),
        label,
        value,
        310.0,
    );
    let lines = Td1 {
        code: "ID",
        issuer: "D",
        number: &id.card_number,
        optional1: "",
        birth: id.birth,
        sex: '<',
        expiry: id.expiry,
        nationality: "D",
        optional2: "",
        surname: &id.surname,
        given: &id.given,
    }
    .lines();
    draw_td1(&mut c, &lines);
    finish(c)
}

fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(f) => f.to_string() + &chars.as_str().to_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
