//! Norway: the national identity card (nasjonalt ID-kort, 2020 model), front and back.
//!
//! Front: `NORGE NOREG NORWAY`, `NASJONALT ID-KORT / NATIONAL IDENTITY CARD`, bilingual labels
//! (`Etternavn / Surname`, `Fornavn / Given names`, `Kjønn / Sex`, `Nasjonalitet / Nationality`
//! `Norsk/Norwegian`, `Fødselsdato / Date of birth` `23 APR/APR 56`, `Høyde / Height` `179CM`,
//! `Dokumentnummer / Document no.`, `Gyldig til / Date of expiry`, `Fødselsnummer / Personal
//! no.` (mod-11 valid), CAN. Back: TD1 MRZ `IDNOR` with the fødselsnummer as optional data.

use anyhow::Result;
use kycd_plugin_api::checks::{fodselsnummer, Date};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::sync::OnceLock;

use crate::canvas::rgb;
use crate::doc::{Card, Side};
use crate::fonts::Family;
use crate::identity::{birth_date, digits, issue_date, letters, NameList, Sex, MONTHS_EN};
use crate::layout::{self, field, Design};
use crate::mrz::{self, Td1};

const MONTHS_NO: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAI", "JUN", "JUL", "AUG", "SEP", "OKT", "NOV", "DES",
];

fn date_no(d: Date) -> String {
    format!(
        "{:02} {}/{} {:02}",
        d.day,
        MONTHS_NO[d.month as usize - 1],
        MONTHS_EN[d.month as usize - 1],
        d.year.rem_euclid(100)
    )
}

fn names() -> &'static NameList {
    static LIST: OnceLock<NameList> = OnceLock::new();
    LIST.get_or_init(|| NameList::parse(include_str!("../../data/no.txt")))
}

/// A valid fødselsnummer for `birth` and `sex` (individual number in the century's range, its
/// last digit odd for men, even for women).
pub fn personal_number(rng: &mut ChaCha8Rng, birth: Date, sex: Sex) -> String {
    loop {
        let individual = if birth.year < 2000 {
            rng.random_range(0..500)
        } else {
            rng.random_range(500..1000)
        };
        let individual = individual - individual % 2 + if sex.is_female() { 0 } else { 1 };
        if let Some(n) = fodselsnummer(birth, individual.min(999)) {
            return n;
        }
    }
}

/// Draws a Norwegian identity card, front and back.
pub fn id_card(rng: &mut ChaCha8Rng) -> Result<Vec<Card>> {
    let list = names();
    let sex = Sex::random(rng);
    let surname = list.pick(rng, "surnames").to_string();
    let given = list.given(rng, sex).to_string();
    let birth = birth_date(rng);
    let issued = issue_date(rng, 9, birth);
    let expiry = issued.add_years(10).add_days(-1);
    let number = letters(rng, 2) + &digits(rng, 7);
    let can = digits(rng, 6);
    let height = format!("{}CM", rng.random_range(150..200));
    let pnr = personal_number(rng, birth, sex);
    let gender = if sex.is_female() { "K/F" } else { "M/M" };
    let front_message: Vec<(&'static str, String)> = vec![
        ("Surname", surname.clone()),
        ("GivenNames", given.clone()),
        ("Sex", gender.into()),
        ("Nationality", "Norsk/Norwegian".into()),
        ("DateOfBirth", date_no(birth)),
        ("Height", height.clone()),
        ("DocumentNo", number.clone()),
        ("CanNo", can.clone()),
        ("DateOfExpiry", date_no(expiry)),
    ];
    let design = Design {
        from: rgb(232, 236, 240),
        to: rgb(244, 232, 228),
        lines: rgb(200, 150, 150),
        label: rgb(140, 30, 40),
        value_family: Family::Arial,
        value_size: 28.0,
    };
    let x = 320.0;
    let fields = [
        field("Etternavn / Surname", &surname, x, 130.0, 640.0),
        field("Fornavn / Given names", &given, x, 192.0, 640.0),
        field("Kjønn / Sex", gender, x, 254.0, 150.0),
        field(
            "Nasjonalitet / Nationality",
            "Norsk/Norwegian",
            x + 170.0,
            254.0,
            300.0,
        ),
        field("Høyde / Height", &height, x + 480.0, 254.0, 160.0),
        field(
            "Fødselsdato / Date of birth",
            &date_no(birth),
            x,
            316.0,
            300.0,
        ),
        field(
            "Fødselsnummer / Personal no.",
            &pnr,
            x + 320.0,
            316.0,
            320.0,
        ),
        field("Dokumentnummer / Document no.", &number, x, 378.0, 300.0),
        field(
            "Gyldig til / Date of expiry",
            &date_no(expiry),
            x + 320.0,
            378.0,
            300.0,
        ),
        field("CAN", &can, x + 480.0, 460.0, 160.0),
    ];
    let front = layout::front(
        rng,
        &design,
        &[
            "NORGE NOREG NORWAY",
            "NASJONALT ID-KORT / NATIONAL IDENTITY CARD",
        ],
        false,
        &fields,
    );
    let mrz = Td1 {
        code: "ID",
        issuer: "NOR",
        number: &number,
        optional1: &pnr,
        birth,
        sex: sex.icao(),
        expiry,
        nationality: "NOR",
        optional2: "",
        surname: &surname,
        given: &given,
    }
    .lines();
    let back = layout::back(rng, &design, &["NORGE NOREG NORWAY"], &[], &mrz);
    let back_message = mrz::back_message(
        &front_message,
        &surname,
        &given,
        &[
            "Sex",
            "Nationality",
            "DateOfBirth",
            "DocumentNo",
            "DateOfExpiry",
        ],
    );
    let route = "ocr/no/id-card";
    Ok(vec![
        Card {
            route,
            side: Side::Front,
            model: "2020".into(),
            message: front_message,
            image: front,
        },
        Card {
            route,
            side: Side::Back,
            model: "2020".into(),
            message: back_message,
            image: back,
        },
    ])
}
