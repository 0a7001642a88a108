//! Thailand: the national identity card (smart card, bilingual Thai/English front).
//!
//! Layout follows the current card: `บัตรประจำตัวประชาชน Thai National ID Card` header,
//! `เลขประจำตัวประชาชน / Identification Number` with the 13-digit number printed grouped
//! `1 2345 67890 12 3` (the expected answer is the 13 digits), Thai name with title, English
//! name and last name, birth date in Buddhist era (`29 ม.ค. 2540`) and in English
//! (`29 Jan. 1997`), religion, address, issue and expiry dates in both calendars at the
//! bottom, chip on the left, photo bottom right with the card request number. Expiry is the
//! holder's birthday 8 years after issue.

use anyhow::Result;
use kycd_plugin_api::checks::{is_valid_thai_id, thai_id_check_digit, Date};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::sync::OnceLock;

use super::{blank_card, finish, signature};
use crate::canvas::{rgb, Align, Canvas, Style, INK};
use crate::doc::{Card, Side};
use crate::fonts::Family;
use crate::identity::{birth_date, digits, issue_date, NameList, Sex};
use crate::portrait::portrait;

const ROUTE_ID: &str = "ocr/th/id-card";

/// Thai month abbreviations as printed.
pub const MONTHS_TH: [&str; 12] = [
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
];
/// English month abbreviations as printed on Thai cards.
pub const MONTHS_EN: [&str; 12] = [
    "Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sep.", "Oct.", "Nov.", "Dec.",
];

/// `29 ม.ค. 2540` (Buddhist era).
pub fn date_th(d: Date) -> String {
    format!(
        "{} {} {}",
        d.day,
        MONTHS_TH[d.month as usize - 1],
        d.buddhist_year()
    )
}

/// `29 Jan. 1997`.
pub fn date_en(d: Date) -> String {
    format!("{} {} {}", d.day, MONTHS_EN[d.month as usize - 1], d.year)
}

fn names() -> &'static NameList {
    static LIST: OnceLock<NameList> = OnceLock::new();
    LIST.get_or_init(|| NameList::parse(include_str!("../../data/th.txt")))
}

fn split(entry: &'static str) -> (&'static str, &'static str) {
    entry.split_once('|').unwrap_or((entry, entry))
}

/// A Thai identity.
pub struct Identity {
    /// 13-digit ID number, digits only (the answer's format).
    pub id_number: String,
    /// The same number grouped as the card prints it (`1 2345 67890 12 3`).
    pub id_printed: String,
    /// Thai title, given name and surname.
    pub name_th: String,
    /// English title and given name (`Mr. Somchai`).
    pub name_en: String,
    /// English surname.
    pub last_name_en: String,
    /// Birth date.
    pub birth: Date,
    /// Sex.
    pub sex: Sex,
    /// Address as printed.
    pub address: String,
}

/// A random identity whose number passes [`is_valid_thai_id`].
pub fn identity(rng: &mut ChaCha8Rng) -> Identity {
    let list = names();
    let sex = Sex::random(rng);
    let (given_th, given_en) = split(list.given(rng, sex));
    let (sur_th, sur_en) = split(list.pick(rng, "surnames"));
    let (title_th, title_en) = match sex {
        Sex::Male => ("นาย", "Mr."),
        Sex::Female if rng.random_bool(0.5) => ("นาง", "Mrs."),
        Sex::Female => ("น.ส.", "Miss"),
    };
    let (code, tail) = split(list.pick(rng, "addresses"));
    let first12 = format!("{}{}{}", rng.random_range(1..=8), code, digits(rng, 7));
    let check = thai_id_check_digit(&first12).expect("12 digits");
    let id = format!("{first12}{check}");
    let id_printed = format!(
        "{} {} {} {} {}",
        &id[0..1],
        &id[1..5],
        &id[5..10],
        &id[10..12],
        &id[12..13]
    );
    debug_assert!(is_valid_thai_id(&id));
    let address = format!(
        "{}/{} หมู่ที่ {} {}",
        rng.random_range(1..300),
        rng.random_range(1..20),
        rng.random_range(1..12),
        tail
    );
    Identity {
        id_number: id,
        id_printed,
        name_th: format!("{title_th} {given_th} {sur_th}"),
        name_en: format!("{title_en} {given_en}"),
        last_name_en: sur_en.to_string(),
        birth: birth_date(rng),
        sex,
        address,
    }
}

/// The holder's birthday `years` after `issued`.
fn birthday_after(birth: Date, issued: Date, years: i32) -> Date {
    birth.add_years(issued.year + years - birth.year)
}

fn th(size: f32) -> Style {
    Style::new(Family::Thai, size, INK)
}

fn label_pair(c: &mut Canvas, x: f32, y: f32, thai: &str, english: &str) {
    c.text(
        x,
        y,
        thai,
        Style::new(Family::Thai, 17.0, rgb(40, 60, 110)),
        Align::Left,
    );
    c.text(
        x,
        y + 21.0,
        english,
        Style::new(Family::Sans, 13.0, rgb(40, 60, 110)),
        Align::Left,
    );
}

/// Draws a Thai identity card (front).
pub fn id_card(rng: &mut ChaCha8Rng) -> Result<Vec<Card>> {
    let id = identity(rng);
    let issued = issue_date(rng, 8, id.birth);
    let expiry = birthday_after(id.birth, issued, 8);
    let religion = names().pick(rng, "religions");
    let serial = format!("{}-{}-{}", digits(rng, 4), digits(rng, 2), digits(rng, 8));
    let message: Vec<(&'static str, String)> = vec![
        ("cardTypeTh", "บัตรประจำตัวประชาชน".into()),
        ("cardTypeEn", "Thai National ID Card".into()),
        ("idNumber", id.id_number.clone()),
        ("serialNumber", serial.clone()),
        ("nameTh", id.name_th.clone()),
        ("nameEn", id.name_en.clone()),
        ("lastNameEn", id.last_name_en.clone()),
        ("birthTh", date_th(id.birth)),
        ("birthEn", date_en(id.birth)),
        ("issueDateEN", date_en(issued)),
        ("issueDateTH", date_th(issued)),
        ("expiryDateEN", date_en(expiry)),
        ("expiryDateTH", date_th(expiry)),
        ("religion", religion.into()),
        ("address", id.address.clone()),
    ];

    let mut c = blank_card(
        rng,
        rgb(238, 226, 236),
        rgb(214, 230, 244),
        rgb(200, 170, 200),
    );
    c.text(
        40.0,
        16.0,
        "บัตรประจำตัวประชาชน",
        Style::new(Family::ThaiBold, 34.0, rgb(30, 50, 110)),
        Align::Left,
    );
    c.text(
        420.0,
        28.0,
        "Thai National ID Card",
        Style::new(Family::SansBold, 24.0, rgb(30, 50, 110)),
        Align::Left,
    );
    label_pair(
        &mut c,
        40.0,
        78.0,
        "เลขประจำตัวประชาชน",
        "Identification Number",
    );
    c.text(
        270.0,
        74.0,
        &id.id_printed,
        Style::new(Family::ArialBold, 38.0, INK),
        Align::Left,
    );
    c.text(
        40.0,
        140.0,
        "ชื่อตัวและชื่อสกุล",
        Style::new(Family::Thai, 18.0, rgb(40, 60, 110)),
        Align::Left,
    );
    c.text_fit(
        200.0,
        126.0,
        &id.name_th,
        Style::new(Family::ThaiBold, 36.0, INK),
        560.0,
    );
    c.text(
        200.0,
        186.0,
        "Name",
        Style::new(Family::Sans, 17.0, rgb(40, 60, 110)),
        Align::Left,
    );
    c.text(
        270.0,
        180.0,
        &id.name_en,
        Style::new(Family::ArialBold, 28.0, INK),
        Align::Left,
    );
    c.text(
        200.0,
        226.0,
        "Last name",
        Style::new(Family::Sans, 17.0, rgb(40, 60, 110)),
        Align::Left,
    );
    c.text(
        310.0,
        220.0,
        &id.last_name_en,
        Style::new(Family::ArialBold, 28.0, INK),
        Align::Left,
    );
    c.text(
        200.0,
        262.0,
        "เกิดวันที่",
        Style::new(Family::Thai, 20.0, rgb(40, 60, 110)),
        Align::Left,
    );
    c.text(290.0, 256.0, &date_th(id.birth), th(28.0), Align::Left);
    c.text(
        200.0,
        304.0,
        "Date of Birth",
        Style::new(Family::Sans, 17.0, rgb(40, 60, 110)),
        Align::Left,
    );
    c.text(
        340.0,
        298.0,
        &date_en(id.birth),
        Style::new(Family::Arial, 28.0, INK),
        Align::Left,
    );
    c.text(
        200.0,
        350.0,
        "ศาสนา",
        Style::new(Family::Thai, 20.0, rgb(40, 60, 110)),
        Align::Left,
    );
    c.text(270.0, 344.0, religion, th(26.0), Align::Left);
    c.text(
        40.0,
        392.0,
        "ที่อยู่",
        Style::new(Family::Thai, 20.0, rgb(40, 60, 110)),
        Align::Left,
    );
    c.text_fit(110.0, 386.0, &id.address, th(25.0), 620.0);
    // Chip.
    c.fill_rect(60, 200, 110, 86, rgb(205, 180, 110));
    c.line(60.0, 243.0, 170.0, 243.0, 2.0, rgb(150, 120, 60));
    c.line(115.0, 200.0, 115.0, 286.0, 2.0, rgb(150, 120, 60));
    // Issue and expiry dates.
    let (y, size) = (470.0, 24.0);
    for (x, d, th_label, en_label) in [
        (40.0, issued, "วันออกบัตร", "Date of Issue"),
        (330.0, expiry, "วันบัตรหมดอายุ", "Date of Expiry"),
    ] {
        c.text(x, y, &date_th(d), th(size), Align::Left);
        c.text(
            x,
            y + 32.0,
            th_label,
            Style::new(Family::Thai, 16.0, rgb(40, 60, 110)),
            Align::Left,
        );
        c.text(
            x,
            y + 58.0,
            &date_en(d),
            Style::new(Family::Arial, 22.0, INK),
            Align::Left,
        );
        c.text(
            x,
            y + 86.0,
            en_label,
            Style::new(Family::Sans, 14.0, rgb(40, 60, 110)),
            Align::Left,
        );
    }
    signature(&mut c, rng, 600.0, 480.0, 150.0, 50.0);
    let photo = portrait(rng, 210, 250, rgb(190, 205, 225), false);
    c.paste(&photo, 772, 300);
    c.text(
        877.0,
        560.0,
        &serial,
        Style::new(Family::Arial, 16.0, INK),
        Align::Center,
    );
    Ok(vec![Card {
        route: ROUTE_ID,
        side: Side::Front,
        model: "smart-card".into(),
        message,
        image: finish(c),
    }])
}

/// Thai full month names, as printed on the driving licence.
const MONTHS_TH_FULL: [&str; 12] = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
];
/// English full month names.
const MONTHS_EN_FULL: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Draws a Thai driving licence (front): private car licence (5 years) or temporary licence
/// (2 years), bilingual, with the holder's national ID number.
pub fn driving_licence(rng: &mut ChaCha8Rng) -> Result<Vec<Card>> {
    let id = identity(rng);
    let temporary = rng.random_bool(0.4);
    let (type_th, type_en, years) = if temporary {
        (
            "ใบอนุญาตขับรถยนต์ส่วนบุคคลชั่วคราว",
            "Temporary Private Car Driving Licence",
            2,
        )
    } else {
        ("ใบอนุญาตขับรถยนต์ส่วนบุคคล", "Private Car Driving Licence", 5)
    };
    let issued = issue_date(rng, years, id.birth);
    let expiry = birthday_after(id.birth, issued, years);
    let number = format!("{}{}", issued.buddhist_year() % 100, digits(rng, 6));
    let full_th = |d: Date| {
        format!(
            "{} {} {}",
            d.day,
            MONTHS_TH_FULL[d.month as usize - 1],
            d.buddhist_year()
        )
    };
    let full_en = |d: Date| {
        format!(
            "{} {} {}",
            d.day,
            MONTHS_EN_FULL[d.month as usize - 1],
            d.year
        )
    };
    let name_en = format!("{} {}", id.name_en, id.last_name_en);
    let message: Vec<(&'static str, String)> = vec![
        ("cardTypeTh", type_th.into()),
        ("cardTypeEn", type_en.into()),
        ("licenseNumber", number.clone()),
        ("idNumber", id.id_number.clone()),
        ("nameTh", id.name_th.clone()),
        ("nameEn", name_en.clone()),
        ("birthTh", full_th(id.birth)),
        ("birthEn", full_en(id.birth)),
        ("issueDate", full_en(issued)),
        ("expiryDate", full_en(expiry)),
    ];
    let blue = rgb(30, 50, 110);
    let mut c = blank_card(
        rng,
        rgb(232, 240, 250),
        rgb(246, 238, 226),
        rgb(160, 190, 220),
    );
    c.text_fit(
        40.0,
        16.0,
        type_th,
        Style::new(Family::ThaiBold, 30.0, blue),
        930.0,
    );
    c.text(
        40.0,
        64.0,
        type_en,
        Style::new(Family::SansBold, 20.0, blue),
        Align::Left,
    );
    let label_th = Style::new(Family::Thai, 18.0, blue);
    let label_en = Style::new(Family::Sans, 14.0, blue);
    let value_th = th(25.0);
    let value_en = Style::new(Family::Arial, 22.0, INK);
    let x = 300.0;
    let mut y = 104.0;
    c.text(x, y, "ฉบับที่", label_th, Align::Left);
    c.text(
        x + 70.0,
        y - 2.0,
        &number,
        Style::new(Family::ArialBold, 28.0, INK),
        Align::Left,
    );
    c.text(x, y + 26.0, "No.", label_en, Align::Left);
    y += 52.0;
    for (th_label, en_label, th_value, en_value) in [
        (
            "วันที่ออกใบอนุญาต",
            "Issue Date",
            full_th(issued),
            full_en(issued),
        ),
        ("วันสิ้นอายุ", "Expiry Date", full_th(expiry), full_en(expiry)),
    ] {
        c.text(x, y, th_label, label_th, Align::Left);
        c.text(x + 170.0, y - 4.0, &th_value, value_th, Align::Left);
        c.text(x, y + 30.0, en_label, label_en, Align::Left);
        c.text(x + 170.0, y + 26.0, &en_value, value_en, Align::Left);
        y += 62.0;
    }
    c.text(x, y, "ชื่อ", label_th, Align::Left);
    c.text_fit(x + 60.0, y - 4.0, &id.name_th, th(28.0), 600.0);
    c.text(x, y + 34.0, "Name", label_en, Align::Left);
    c.text(x + 60.0, y + 30.0, &name_en, value_en, Align::Left);
    y += 70.0;
    c.text(x, y, "เกิดวันที่", label_th, Align::Left);
    c.text(
        x + 110.0,
        y - 4.0,
        &full_th(id.birth),
        value_th,
        Align::Left,
    );
    c.text(x, y + 30.0, "Date of Birth", label_en, Align::Left);
    c.text(
        x + 110.0,
        y + 26.0,
        &full_en(id.birth),
        value_en,
        Align::Left,
    );
    y += 66.0;
    c.text(x, y, "เลขประจำตัวประชาชน", label_th, Align::Left);
    c.text(
        x + 200.0,
        y - 4.0,
        &id.id_printed,
        Style::new(Family::ArialBold, 26.0, INK),
        Align::Left,
    );
    c.text(x, y + 26.0, "Identification Number", label_en, Align::Left);
    let photo = portrait(rng, 220, 280, rgb(200, 215, 235), false);
    c.paste(&photo, 40, 110);
    signature(&mut c, rng, 50.0, 420.0, 200.0, 60.0);
    c.text(
        40.0,
        490.0,
        "กรมการขนส่งทางบก",
        Style::new(Family::Thai, 18.0, blue),
        Align::Left,
    );
    c.text(
        40.0,
        516.0,
        "Department of Land Transport",
        label_en,
        Align::Left,
    );
    Ok(vec![Card {
        route: "ocr/th/driving-licence",
        side: Side::Front,
        model: if temporary {
            "temporary".into()
        } else {
            "private-car".into()
        },
        message,
        image: finish(c),
    }])
}
