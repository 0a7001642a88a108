//! Colombia: the cédula de ciudadanía, yellow model (2000-2020: front with number, surnames and
//! given names; back with birth data, height, blood group, sex, issue date and place, a
//! fingerprint box and a PDF417) and digital model (2020+: front prints everything; back TD1 MRZ
//! `ICCOL` and a QR).
//!
//! The yellow card's PDF417 follows the layout public readers parse (fixed-width fields:
//! document number, surnames, given names, sex, birth date `YYYYMMDD`, municipality and
//! department codes, blood group), with a random header; the digital card's QR holds the same
//! fields as text. Neither carries the Registraduría's signature (synthetic data).

use anyhow::Result;
use kycd_plugin_api::checks::Date;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::sync::OnceLock;

use super::{blank_card, draw_td1, finish, signature};
use crate::barcode;
use crate::canvas::{rgb, Align, Style, INK};
use crate::doc::{Card, Side};
use crate::fonts::Family;
use crate::identity::{birth_date, date_between, digits, NameList, Sex, REFERENCE_DATE};
use crate::mrz::Td1;
use crate::portrait::portrait;

const MONTHS_ES: [&str; 12] = [
    "ENE", "FEB", "MAR", "ABR", "MAY", "JUN", "JUL", "AGO", "SEP", "OCT", "NOV", "DIC",
];

fn date_es(d: Date) -> String {
    format!(
        "{:02}-{}-{}",
        d.day,
        MONTHS_ES[d.month as usize - 1],
        d.year
    )
}

fn names() -> &'static NameList {
    static LIST: OnceLock<NameList> = OnceLock::new();
    LIST.get_or_init(|| NameList::parse(include_str!("../../data/co.txt")))
}

/// `1136879353` as printed: `1.136.879.353`.
fn dotted(n: &str) -> String {
    let mut out = String::new();
    for (i, ch) in n.chars().enumerate() {
        if i > 0 && (n.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// Draws a cédula (random model), front and back.
pub fn cedula(rng: &mut ChaCha8Rng) -> Result<Vec<Card>> {
    let list = names();
    let sex = Sex::random(rng);
    let surnames = format!(
        "{} {}",
        list.pick(rng, "surnames"),
        list.pick(rng, "surnames")
    );
    let given = list.given(rng, sex).to_string();
    let birth = birth_date(rng);
    // The yellow card was issued 2000-2020, the digital one since December 2020; both from 18.
    let adult = birth.add_years(18);
    let last_yellow = Date {
        year: 2020,
        month: 11,
        day: 30,
    };
    let digital = adult > last_yellow || rng.random_bool(0.5);
    let model = if digital { "digital" } else { "yellow" };
    let issued = if digital {
        date_between(
            rng,
            adult.max(Date {
                year: 2020,
                month: 12,
                day: 1,
            }),
            REFERENCE_DATE,
        )
    } else {
        date_between(
            rng,
            adult.max(Date {
                year: 2000,
                month: 1,
                day: 1,
            }),
            last_yellow,
        )
    };
    let number = if birth.year < 1990 {
        format!("{}{}", rng.random_range(1..10), digits(rng, 7))
    } else {
        format!("10{}", digits(rng, 8))
    };
    let place: Vec<&str> = list.pick(rng, "places").split('|').collect();
    let (city, municipality, department) = (place[0], place[1], place[2]);
    let blood = list.pick(rng, "blood");
    let height = format!("1.{:02}", rng.random_range(50..95));
    let gender = if sex.is_female() { "F" } else { "M" };
    let front_message: Vec<(&'static str, String)> = vec![
        ("CardNumber", dotted(&number)),
        ("Surname", surnames.clone()),
        ("GivenNames", given.clone()),
    ];

    let mut f = if digital {
        blank_card(
            rng,
            rgb(226, 238, 246),
            rgb(240, 236, 224),
            rgb(160, 190, 215),
        )
    } else {
        blank_card(
            rng,
            rgb(248, 236, 180),
            rgb(240, 224, 170),
            rgb(215, 185, 120),
        )
    };
    let head = Style::new(Family::ArialBold, 26.0, rgb(30, 40, 90));
    f.text(
        40.0,
        20.0,
        if digital {
            "REPÚBLICA DE COLOMBIA"
        } else {
            "REPUBLICA DE COLOMBIA"
        },
        head,
        Align::Left,
    );
    f.text(
        40.0,
        52.0,
        if digital {
            "IDENTIFICACIÓN PERSONAL"
        } else {
            "IDENTIFICACION PERSONAL"
        },
        Style::new(Family::Arial, 18.0, rgb(30, 40, 90)),
        Align::Left,
    );
    f.text(
        40.0,
        76.0,
        if digital {
            "CÉDULA DE CIUDADANÍA"
        } else {
            "CEDULA DE CIUDADANIA"
        },
        Style::new(Family::ArialBold, 22.0, rgb(30, 40, 90)),
        Align::Left,
    );
    let label = Style::new(Family::Arial, 16.0, rgb(30, 40, 90));
    let value = Style::new(Family::ArialBold, 30.0, INK);
    if digital {
        let photo = portrait(rng, 240, 300, rgb(225, 228, 232), false);
        f.paste(&photo, 40, 130);
        let x = 310.0;
        f.field(x, 120.0, "NUIP", &dotted(&number), label, value, 400.0);
        f.field(x, 185.0, "Apellidos", &surnames, label, value, 650.0);
        f.field(x, 250.0, "Nombres", &given, label, value, 650.0);
        let small = Style::new(Family::ArialBold, 24.0, INK);
        f.field(x, 315.0, "Nacionalidad", "COL", label, small, 150.0);
        f.field(x + 160.0, 315.0, "Estatura", &height, label, small, 120.0);
        f.field(x + 290.0, 315.0, "Sexo", gender, label, small, 80.0);
        f.field(x + 380.0, 315.0, "G.S.", blood, label, small, 80.0);
        f.field(
            x,
            375.0,
            "Fecha de nacimiento",
            &date_es(birth),
            label,
            small,
            300.0,
        );
        f.field(
            x + 320.0,
            375.0,
            "Lugar de nacimiento",
            city,
            label,
            small,
            330.0,
        );
        f.field(
            x,
            435.0,
            "Fecha y lugar de expedición",
            &format!("{} {}", date_es(issued), city),
            label,
            small,
            420.0,
        );
        f.field(
            x,
            495.0,
            "Fecha de expiración",
            &date_es(issued.add_years(10)),
            label,
            small,
            300.0,
        );
        signature(&mut f, rng, 50.0, 460.0, 220.0, 60.0);
    } else {
        f.text(40.0, 130.0, "NUMERO", label, Align::Left);
        f.text(
            150.0,
            122.0,
            &dotted(&number),
            Style::new(Family::ArialBold, 36.0, rgb(160, 30, 30)),
            Align::Left,
        );
        f.text(40.0, 200.0, &surnames, value, Align::Left);
        f.text(40.0, 240.0, "APELLIDOS", label, Align::Left);
        f.text(40.0, 290.0, &given, value, Align::Left);
        f.text(40.0, 330.0, "NOMBRES", label, Align::Left);
        signature(&mut f, rng, 60.0, 430.0, 300.0, 70.0);
        f.text(60.0, 510.0, "FIRMA", label, Align::Left);
        let photo = portrait(rng, 260, 330, rgb(235, 230, 215), false);
        f.paste(&photo, 700, 140);
    }
    let front = finish(f);

    let mut b = if digital {
        blank_card(
            rng,
            rgb(240, 236, 224),
            rgb(226, 238, 246),
            rgb(160, 190, 215),
        )
    } else {
        blank_card(
            rng,
            rgb(240, 224, 170),
            rgb(248, 236, 180),
            rgb(215, 185, 120),
        )
    };
    let dob = format!("{:04}{:02}{:02}", birth.year, birth.month, birth.day);
    let back_message: Vec<(&'static str, String)> = if digital {
        let qr = barcode::qr(&format!(
            "{number}|{surnames}|{given}|{gender}|{dob}|{blood}|{}",
            date_es(issued)
        ))?;
        let module = (200 / qr.len().max(1)).max(1) as u32;
        b.modules(&qr, 60, 60, module, module, INK);
        let expiry = issued.add_years(10);
        let mrz = Td1 {
            code: "IC",
            issuer: "COL",
            number: &digits(rng, 9),
            optional1: &number,
            birth,
            sex: sex.icao(),
            expiry,
            nationality: "COL",
            optional2: "",
            surname: &surnames,
            given: &given,
        }
        .lines();
        draw_td1(&mut b, &mrz);
        // Only the MRZ is on this back: birth date and sex.
        vec![
            ("DateOfBirth", date_es(birth)),
            ("Height", String::new()),
            ("BloodType", String::new()),
            ("DateOfIssue", String::new()),
            ("PlaceOfIssue", String::new()),
            ("Gender", gender.into()),
        ]
    } else {
        let small = Style::new(Family::ArialBold, 24.0, INK);
        let mut y = 40.0;
        for (l, v) in [
            ("FECHA DE NACIMIENTO", date_es(birth)),
            ("LUGAR DE NACIMIENTO", city.to_string()),
            ("ESTATURA", height.clone()),
            ("G.S. RH", blood.to_string()),
            ("SEXO", gender.to_string()),
            (
                "FECHA Y LUGAR DE EXPEDICION",
                format!("{} {}", date_es(issued), city),
            ),
        ] {
            b.text(40.0, y, &v, small, Align::Left);
            b.text(40.0, y + 30.0, l, label, Align::Left);
            y += 62.0;
        }
        b.fill_rect(700, 40, 250, 300, rgb(250, 248, 240));
        // A fingerprint-like whorl.
        for k in 0..18 {
            let r = 8.0 + k as f32 * 6.0;
            for step in 0..720 {
                let t = step as f32 / 720.0 * std::f32::consts::TAU;
                let wobble = 1.0 + 0.04 * (5.0 * t + k as f32).sin();
                b.blend(
                    (825.0 + r * 0.75 * wobble * t.cos()) as i32,
                    (190.0 + r * wobble * t.sin()) as i32,
                    [60, 60, 70, 255],
                    0.8,
                );
            }
        }
        b.text(825.0, 345.0, "INDICE DERECHO", label, Align::Center);
        // Fixed-width record: 48-char header, number (10), surname 1 and 2, given 1 and 2
        // (23 each), 0, sex, birth date, municipality, department, 0, blood group.
        let mut sur = surnames.split(' ');
        let mut giv = given.split(' ');
        let pad = |s: Option<&str>, n: usize| format!("{:<n$}", s.unwrap_or(""), n = n);
        let payload = format!(
            "{}{:0>10}{}{}{}{}0{}{}{}{}0{:<3}",
            digits(rng, 48),
            number,
            pad(sur.next(), 23),
            pad(sur.next(), 23),
            pad(giv.next(), 23),
            pad(giv.next(), 23),
            gender,
            dob,
            municipality,
            department,
            blood
        );
        let pdf = barcode::pdf417(&payload)?;
        let rows = pdf.len().max(1) as u32;
        let cols = pdf.first().map_or(1, |r| r.len()) as u32;
        b.modules(&pdf, 40, 440, (930 / cols).max(1), (150 / rows).max(2), INK);
        vec![
            ("DateOfBirth", date_es(birth)),
            ("Height", height.clone()),
            ("BloodType", blood.into()),
            ("DateOfIssue", date_es(issued)),
            ("PlaceOfIssue", city.into()),
            ("Gender", gender.into()),
        ]
    };
    Ok(vec![
        Card {
            route: "ocr/co/cedula/front",
            side: Side::Front,
            model: model.into(),
            message: front_message,
            image: front,
        },
        Card {
            route: "ocr/co/cedula/back",
            side: Side::Back,
            model: model.into(),
            message: back_message,
            image: finish(b),
        },
    ])
}
