//! India: Aadhaar (front and back, PVC card and e-Aadhaar print) and PAN (old and current
//! design).
//!
//! Aadhaar front: `भारत सरकार / GOVERNMENT OF INDIA` header, photo left, name in Hindi and
//! English, `जन्म तिथि/DOB`, `पुरुष/ MALE` or `महिला/ FEMALE`, the 12-digit number grouped
//! `XXXX XXXX XXXX` (Verhoeff-valid) and the VID; the e-Aadhaar print adds the issue and download
//! dates written vertically beside the photo and the mobile number. Back: `पता`/`Address` in
//! Hindi and English, number, VID and the Secure QR (see [`crate::barcode::aadhaar_secure_qr`]).
//!
//! PAN: `आयकर विभाग INCOME TAX DEPARTMENT` / `भारत सरकार GOVT. OF INDIA`, bilingual labels
//! (current design: `नाम / Name`, `पिता का नाम / Father's Name`, `जन्म की तारीख / Date of Birth`,
//! `स्थायी लेखा संख्या कार्ड / Permanent Account Number Card`), number `AAAAA9999A` with holder
//! type `P` and the surname's initial as 5th letter.

use anyhow::Result;
use kycd_plugin_api::checks::{is_valid_aadhaar, is_valid_pan, verhoeff_check_digit, Date};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::sync::OnceLock;

use super::{blank_card, finish, signature};
use crate::barcode;
use crate::canvas::{rgb, Align, Style, INK};
use crate::doc::{Card, Side};
use crate::fonts::Family;
use crate::identity::{
    birth_date, date_between, digits, dmy_slashes, letters, NameList, Sex, REFERENCE_DATE,
};
use crate::portrait::portrait;

fn names() -> &'static NameList {
    static LIST: OnceLock<NameList> = OnceLock::new();
    LIST.get_or_init(|| NameList::parse(include_str!("../../data/in.txt")))
}

fn split(entry: &'static str) -> (&'static str, &'static str) {
    entry.split_once('|').unwrap_or((entry, entry))
}

fn group4(s: &str) -> String {
    s.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A Verhoeff-valid number of `len` digits, first digit 2-9, not a palindrome.
fn verhoeff_number(rng: &mut ChaCha8Rng, len: usize) -> String {
    loop {
        let body = format!("{}{}", rng.random_range(2..10), digits(rng, len - 2));
        let n = format!("{body}{}", verhoeff_check_digit(&body).expect("digits"));
        if n.chars().rev().collect::<String>() != n {
            return n;
        }
    }
}

struct Person {
    name_hi: String,
    name_en: String,
    father_en: String,
    birth: Date,
    sex: Sex,
}

fn person(rng: &mut ChaCha8Rng) -> Person {
    let list = names();
    let sex = Sex::random(rng);
    let (given_hi, given_en) = split(list.given(rng, sex));
    let (sur_hi, sur_en) = split(list.pick(rng, "surnames"));
    let (father, _) = (split(list.given(rng, Sex::Male)).1, ());
    Person {
        name_hi: format!("{given_hi} {sur_hi}"),
        name_en: format!("{given_en} {sur_en}"),
        father_en: format!("{father} {sur_en}"),
        birth: birth_date(rng),
        sex,
    }
}

/// Draws an Aadhaar (random model: `pvc` or `e-aadhaar`), front and back.
pub fn aadhaar(rng: &mut ChaCha8Rng) -> Result<Vec<Card>> {
    let list = names();
    let p = person(rng);
    let e_aadhaar = rng.random_bool(0.5);
    let model = if e_aadhaar { "e-aadhaar" } else { "pvc" };
    let number = verhoeff_number(rng, 12);
    debug_assert!(is_valid_aadhaar(&number));
    let vid = verhoeff_number(rng, 16);
    let issued = date_between(
        rng,
        Date::new(2011, 1, 1)
            .expect("date")
            .max(p.birth.add_years(1)),
        REFERENCE_DATE.add_years(-1),
    );
    let downloaded = date_between(rng, issued, REFERENCE_DATE);
    let mobile = format!("{}{}", rng.random_range(6..10), digits(rng, 9));
    let place: Vec<&str> = list.pick(rng, "places").split('|').collect();
    let (city, district, state_hi, state, pin_prefix) =
        (place[0], place[1], place[2], place[3], place[4]);
    let localities: Vec<&str> = place[5].split(',').collect();
    let locality = crate::identity::pick(rng, &localities);
    let pin = format!("{pin_prefix}{}", digits(rng, 3));
    let house = format!("{}", rng.random_range(1..400));
    let street = list.pick(rng, "streets");
    let care_of = format!(
        "{} {}",
        if p.sex.is_female() { "D/O" } else { "S/O" },
        p.father_en
    );
    let address = format!("{care_of}, {house}, {street}, {locality}");
    let gender_en = if p.sex.is_female() { "FEMALE" } else { "MALE" };
    let gender_hi = if p.sex.is_female() {
        "महिला"
    } else {
        "पुरुष"
    };
    let route_front = "ocr/in/aadhaar/front";
    let route_back = "ocr/in/aadhaar/back";
    let front_message: Vec<(&'static str, String)> = vec![
        ("CardNumber", group4(&number)),
        ("Name", p.name_en.clone()),
        ("DateOfBirth", dmy_slashes(p.birth)),
        ("Gender", gender_en.into()),
        ("VID", group4(&vid)),
        (
            "MobileNumber",
            if e_aadhaar {
                mobile.clone()
            } else {
                String::new()
            },
        ),
        ("IssueDate", dmy_slashes(issued)),
        (
            "DownloadDate",
            if e_aadhaar {
                dmy_slashes(downloaded)
            } else {
                String::new()
            },
        ),
    ];
    let back_message: Vec<(&'static str, String)> = vec![
        ("Address", address.clone()),
        ("City", city.into()),
        ("Province", state.into()),
        ("PostCode", pin.clone()),
        ("VID", group4(&vid)),
        ("CardNumber", group4(&number)),
    ];

    // Front.
    let mut c = blank_card(
        rng,
        rgb(250, 246, 238),
        rgb(236, 244, 236),
        rgb(235, 200, 170),
    );
    c.fill_rect(0, 0, 1012, 14, rgb(240, 130, 40));
    c.text(
        300.0,
        26.0,
        "भारत सरकार",
        Style::new(Family::DevanagariBold, 34.0, rgb(40, 40, 40)),
        Align::Left,
    );
    c.text(
        300.0,
        72.0,
        "GOVERNMENT OF INDIA",
        Style::new(Family::ArialBold, 30.0, rgb(40, 40, 40)),
        Align::Left,
    );
    let photo = portrait(rng, 220, 270, rgb(240, 240, 240), false);
    c.paste(&photo, 70, 140);
    if e_aadhaar {
        let small = Style::new(Family::Arial, 15.0, INK);
        c.text_vertical(
            30.0,
            420.0,
            &format!("Issue Date: {}", dmy_slashes(issued)),
            small,
        );
        c.text_vertical(
            300.0,
            420.0,
            &format!("Download Date: {}", dmy_slashes(downloaded)),
            small,
        );
    } else {
        c.text(
            70.0,
            420.0,
            &format!("Aadhaar no. issued: {}", dmy_slashes(issued)),
            Style::new(Family::Arial, 15.0, INK),
            Align::Left,
        );
    }
    let x = 340.0;
    c.text(
        x,
        150.0,
        &p.name_hi,
        Style::new(Family::Devanagari, 30.0, INK),
        Align::Left,
    );
    c.text(
        x,
        195.0,
        &p.name_en,
        Style::new(Family::Arial, 30.0, INK),
        Align::Left,
    );
    c.text(
        x,
        240.0,
        &format!("जन्म तिथि/DOB: {}", dmy_slashes(p.birth)),
        Style::new(Family::Devanagari, 28.0, INK),
        Align::Left,
    );
    c.text(
        x,
        285.0,
        &format!("{gender_hi}/ {gender_en}"),
        Style::new(Family::Devanagari, 28.0, INK),
        Align::Left,
    );
    if e_aadhaar {
        c.text(
            x,
            330.0,
            &format!("Mobile No: {mobile}"),
            Style::new(Family::Arial, 24.0, INK),
            Align::Left,
        );
    }
    c.text(
        506.0,
        470.0,
        &group4(&number),
        Style::new(Family::ArialBold, 50.0, INK),
        Align::Center,
    );
    c.text(
        506.0,
        535.0,
        &format!("VID : {}", group4(&vid)),
        Style::new(Family::Arial, 22.0, INK),
        Align::Center,
    );
    c.fill_rect(0, 575, 1012, 4, rgb(210, 40, 40));
    c.text(
        506.0,
        585.0,
        "मेरा आधार, मेरी पहचान",
        Style::new(Family::DevanagariBold, 28.0, rgb(40, 40, 40)),
        Align::Center,
    );
    let front = finish(c);

    // Back.
    let mut b = blank_card(
        rng,
        rgb(236, 244, 236),
        rgb(250, 246, 238),
        rgb(235, 200, 170),
    );
    b.fill_rect(0, 0, 1012, 14, rgb(240, 130, 40));
    b.text(
        40.0,
        30.0,
        "भारतीय विशिष्ट पहचान प्राधिकरण",
        Style::new(Family::DevanagariBold, 26.0, rgb(40, 40, 40)),
        Align::Left,
    );
    b.text(
        40.0,
        66.0,
        "UNIQUE IDENTIFICATION AUTHORITY OF INDIA",
        Style::new(Family::ArialBold, 22.0, rgb(40, 40, 40)),
        Align::Left,
    );
    b.text(
        40.0,
        120.0,
        &format!(
            "पता: {}, {}, {} - {}",
            p.name_hi.split(' ').next_back().unwrap_or(""),
            city,
            state_hi,
            pin
        ),
        Style::new(Family::Devanagari, 22.0, INK),
        Align::Left,
    );
    b.text(
        40.0,
        175.0,
        "Address:",
        Style::new(Family::ArialBold, 22.0, INK),
        Align::Left,
    );
    let lines = [
        format!("{care_of}, {house}, {street},"),
        format!("{locality}, {city},"),
        format!("{state} - {pin}"),
    ];
    for (i, line) in lines.iter().enumerate() {
        b.text_fit(
            40.0,
            205.0 + i as f32 * 32.0,
            line,
            Style::new(Family::Arial, 24.0, INK),
            560.0,
        );
    }
    let gender_code = if p.sex.is_female() { "F" } else { "M" };
    let reference = format!(
        "{}{:04}{:02}{:02}{:02}{:02}{:02}{:03}",
        &number[8..],
        downloaded.year,
        downloaded.month,
        downloaded.day,
        rng.random_range(0..24),
        rng.random_range(0..60),
        rng.random_range(0..60),
        rng.random_range(0..1000)
    );
    let dob = format!(
        "{:02}-{:02}-{:04}",
        p.birth.day, p.birth.month, p.birth.year
    );
    let qr_fields = [
        "V2",
        "3",
        &reference,
        &p.name_en,
        &dob,
        gender_code,
        &care_of,
        district,
        "",
        &house,
        locality,
        &pin,
        city,
        state,
        street,
        city,
        city,
        &mobile[6..],
    ];
    let payload = barcode::aadhaar_secure_qr(&qr_fields)?;
    let qr = barcode::qr(&payload)?;
    let module = (330 / qr.len().max(1)).max(1) as u32;
    b.modules(&qr, 640, 120, module, module, INK);
    b.text(
        506.0,
        480.0,
        &group4(&number),
        Style::new(Family::ArialBold, 46.0, INK),
        Align::Center,
    );
    b.text(
        506.0,
        540.0,
        &format!("VID : {}", group4(&vid)),
        Style::new(Family::Arial, 22.0, INK),
        Align::Center,
    );
    b.fill_rect(0, 580, 1012, 4, rgb(210, 40, 40));
    b.text(
        506.0,
        590.0,
        "help@uidai.gov.in | www.uidai.gov.in",
        Style::new(Family::Arial, 20.0, INK),
        Align::Center,
    );

    Ok(vec![
        Card {
            route: route_front,
            side: Side::Front,
            model: model.into(),
            message: front_message,
            image: front,
        },
        Card {
            route: route_back,
            side: Side::Back,
            model: model.into(),
            message: back_message,
            image: finish(b),
        },
    ])
}

/// Draws a PAN card (random model: `old` or `current`).
pub fn pan(rng: &mut ChaCha8Rng) -> Result<Vec<Card>> {
    let p = person(rng);
    let current = rng.random_bool(0.5);
    let model = if current { "current" } else { "old" };
    let surname_initial = p
        .name_en
        .split(' ')
        .next_back()
        .and_then(|s| s.chars().next())
        .unwrap_or('X');
    let number = format!(
        "{}P{}{:04}{}",
        letters(rng, 3),
        surname_initial.to_ascii_uppercase(),
        rng.random_range(1..10000),
        letters(rng, 1)
    );
    debug_assert!(is_valid_pan(&number));
    let name = p.name_en.to_uppercase();
    let father = p.father_en.to_uppercase();
    let message: Vec<(&'static str, String)> = vec![
        ("CardNumber", number.clone()),
        ("Name", name.clone()),
        ("FatherName", father.clone()),
        ("DateOfBirth", dmy_slashes(p.birth)),
    ];
    let mut c = blank_card(
        rng,
        rgb(200, 225, 240),
        rgb(235, 240, 225),
        rgb(160, 195, 220),
    );
    let head = Style::new(Family::DevanagariBold, 24.0, rgb(20, 40, 90));
    c.text(40.0, 24.0, "आयकर विभाग", head, Align::Left);
    c.text(
        40.0,
        58.0,
        "INCOME TAX DEPARTMENT",
        Style::new(Family::ArialBold, 24.0, rgb(20, 40, 90)),
        Align::Left,
    );
    c.text(972.0, 24.0, "भारत सरकार", head, Align::Right);
    c.text(
        972.0,
        58.0,
        "GOVT. OF INDIA",
        Style::new(Family::ArialBold, 24.0, rgb(20, 40, 90)),
        Align::Right,
    );
    let label = Style::new(Family::Devanagari, 18.0, rgb(40, 60, 100));
    let value = Style::new(Family::ArialBold, 28.0, INK);
    let photo = portrait(rng, 170, 210, rgb(235, 235, 235), false);
    if current {
        c.paste(&photo, 40, 110);
        c.text(240.0, 110.0, "स्थायी लेखा संख्या कार्ड", label, Align::Left);
        c.text(
            240.0,
            134.0,
            "Permanent Account Number Card",
            Style::new(Family::Arial, 18.0, rgb(40, 60, 100)),
            Align::Left,
        );
        c.text(
            240.0,
            162.0,
            &number,
            Style::new(Family::ArialBold, 36.0, INK),
            Align::Left,
        );
        let mut y = 340.0;
        for (l, v) in [
            ("नाम / Name", &name),
            ("पिता का नाम / Father's Name", &father),
            ("जन्म की तारीख / Date of Birth", &dmy_slashes(p.birth)),
        ] {
            c.text(40.0, y, l, label, Align::Left);
            c.text(40.0, y + 26.0, v, value, Align::Left);
            y += 82.0;
        }
        let qr = barcode::qr(&format!(
            "{number}|{name}|{father}|{}",
            dmy_slashes(p.birth)
        ))?;
        let module = (170 / qr.len().max(1)).max(1) as u32;
        c.modules(&qr, 780, 110, module, module, INK);
        signature(&mut c, rng, 640.0, 500.0, 250.0, 60.0);
        c.text(640.0, 570.0, "हस्ताक्षर / Signature", label, Align::Left);
    } else {
        c.paste(&photo, 60, 360);
        let mut y = 120.0;
        for v in [&name, &father, &dmy_slashes(p.birth)] {
            c.text(40.0, y, v, value, Align::Left);
            y += 50.0;
        }
        c.text(
            40.0,
            270.0,
            "Permanent Account Number",
            Style::new(Family::Arial, 18.0, rgb(40, 60, 100)),
            Align::Left,
        );
        c.text(
            40.0,
            296.0,
            &number,
            Style::new(Family::ArialBold, 36.0, INK),
            Align::Left,
        );
        signature(&mut c, rng, 300.0, 470.0, 250.0, 60.0);
        c.text(
            300.0,
            540.0,
            "Signature",
            Style::new(Family::Arial, 18.0, rgb(40, 60, 100)),
            Align::Left,
        );
    }
    Ok(vec![Card {
        route: "ocr/in/pan",
        side: Side::Front,
        model: model.into(),
        message,
        image: finish(c),
    }])
}
