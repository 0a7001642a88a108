//! Sweden: the national identity card (nationellt identitetskort, 2022 model), front and back.
//!
//! Front: `SVERIGE SWEDEN`, `IDENTITETSKORT / IDENTITY CARD`, bilingual labels (`Efternamn /
//! Surname`, `Förnamn / Given names`, `Kön / Sex` `K/F` or `M/M`, `Medborgarskap / Nationality`
//! `SVENSK/SWE`, `Födelsedatum / Date of birth`, `Personnummer / Personal ID No.` `820821-2384`
//! (Luhn), `Längd / Height`, `Kortnummer / Card No.`, `Utfärdat / Date of issue`, `Giltigt t.o.m.
//! / Date of expiry`, `Utfärdare / Authority` `POLISMYNDIGHETEN`). Back: TD1 MRZ `IDSWE`.

use anyhow::Result;
use kycd_plugin_api::checks::{personnummer, Date};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::sync::OnceLock;

use crate::canvas::rgb;
use crate::doc::{Card, Side};
use crate::fonts::Family;
use crate::identity::{birth_date, digits, issue_date, NameList, Sex, REFERENCE_DATE};
use crate::layout::{self, field, Design};
use crate::mrz::{self, Td1};

fn date_se(d: Date) -> String {
    format!("{:02} {:02} {}", d.day, d.month, d.year)
}

fn names() -> &'static NameList {
    static LIST: OnceLock<NameList> = OnceLock::new();
    LIST.get_or_init(|| NameList::parse(include_str!("../../data/se.txt")))
}

/// Draws a Swedish identity card, front and back.
pub fn id_card(rng: &mut ChaCha8Rng) -> Result<Vec<Card>> {
    let list = names();
    let sex = Sex::random(rng);
    let surname = list.pick(rng, "surnames").to_string();
    let given = list.given(rng, sex).to_string();
    let birth = birth_date(rng);
    // Birth number: second-to-last digit of the personnummer odd for men, even for women.
    let birth_number = rng.random_range(0..500) * 2 + if sex.is_female() { 0 } else { 1 };
    let separator = if REFERENCE_DATE.year - birth.year >= 100 {
        '+'
    } else {
        '-'
    };
    let pnr = personnummer(birth, birth_number, separator);
    let issued = issue_date(rng, 4, birth);
    let expiry = issued.add_years(5);
    let card_no = digits(rng, 8);
    let height = format!("{} cm", rng.random_range(150..200));
    let gender = if sex.is_female() { "K/F" } else { "M/M" };
    let front_message: Vec<(&'static str, String)> = vec![
        ("Surname", surname.clone()),
        ("GivenNames", given.clone()),
        ("Sex", gender.into()),
        ("Nationality", "SVENSK/SWE".into()),
        ("DateOfBirth", date_se(birth)),
        ("PersonalId", pnr.clone()),
        ("Height", height.clone()),
        ("CardNo", card_no.clone()),
        ("DateOfIssue", date_se(issued)),
        ("DateOfExpiry", date_se(expiry)),
        ("Authority", "POLISMYNDIGHETEN".into()),
    ];
    let design = Design {
        from: rgb(226, 236, 246),
        to: rgb(246, 240, 220),
        lines: rgb(150, 180, 215),
        label: rgb(20, 60, 120),
        value_family: Family::Arial,
        value_size: 27.0,
    };
    let x = 320.0;
    let fields = [
        field("Efternamn / Surname", &surname, x, 120.0, 640.0),
        field("Förnamn / Given names", &given, x, 180.0, 640.0),
        field("Kön / Sex", gender, x, 240.0, 140.0),
        field(
            "Medborgarskap / Nationality",
            "SVENSK/SWE",
            x + 160.0,
            240.0,
            260.0,
        ),
        field("Längd / Height", &height, x + 450.0, 240.0, 190.0),
        field(
            "Födelsedatum / Date of birth",
            &date_se(birth),
            x,
            300.0,
            300.0,
        ),
        field(
            "Personnummer / Personal ID No.",
            &pnr,
            x + 320.0,
            300.0,
            320.0,
        ),
        field("Kortnummer / Card No.", &card_no, x, 360.0, 300.0),
        field(
            "Utfärdare / Authority",
            "POLISMYNDIGHETEN",
            x + 320.0,
            360.0,
            320.0,
        ),
        field(
            "Utfärdat / Date of issue",
            &date_se(issued),
            x,
            420.0,
            300.0,
        ),
        field(
            "Giltigt t.o.m. / Date of expiry",
            &date_se(expiry),
            x + 320.0,
            420.0,
            320.0,
        ),
    ];
    let front = layout::front(
        rng,
        &design,
        &["SVERIGE SWEDEN", "IDENTITETSKORT / IDENTITY CARD"],
        false,
        &fields,
    );
    let optional = pnr.replace(['-', '+'], "");
    let mrz = Td1 {
        code: "ID",
        issuer: "SWE",
        number: &card_no,
        optional1: &optional,
        birth,
        sex: sex.icao(),
        expiry,
        nationality: "SWE",
        optional2: "",
        surname: &surname,
        given: &given,
    }
    .lines();
    let back = layout::back(rng, &design, &["SVERIGE SWEDEN"], &[], &mrz);
    let back_message = mrz::back_message(
        &front_message,
        &surname,
        &given,
        &[
            "Sex",
            "Nationality",
            "DateOfBirth",
            "PersonalId",
            "CardNo",
            "DateOfExpiry",
        ],
    );
    let route = "ocr/se/id-card";
    Ok(vec![
        Card {
            route,
            side: Side::Front,
            model: "2022".into(),
            message: front_message,
            image: front,
        },
        Card {
            route,
            side: Side::Back,
            model: "2022".into(),
            message: back_message,
            image: back,
        },
    ])
}
