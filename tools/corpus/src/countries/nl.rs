//! Netherlands: the identity card (identiteitskaart), 2014 and 2021 models, front and back.
//!
//! Front: `KONINKRIJK DER NEDERLANDEN / KINGDOM OF THE NETHERLANDS`, `IDENTITEITSKAART /
//! IDENTITY CARD`, grey laser portrait, bilingual labels (`Naam / Surname`, `Voornamen / Given
//! names`, `Geslacht / Sex` with `V/F` or `M/M`, `Nationaliteit / Nationality` `Nederlandse`,
//! `Geboortedatum / Date of birth` `10 MAA/MAR 1965`, `Documentnummer / Document no.`, `Datum van
//! afgifte / Date of issue`, `Geldig tot / Date of expiry`). Back: `Persoonsnummer` (BSN,
//! 11-proof) and TD1 MRZ `I<NLD`.

use anyhow::Result;
use kycd_plugin_api::checks::{is_valid_bsn, Date};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::sync::OnceLock;

use crate::canvas::rgb;
use crate::doc::{Card, Side};
use crate::fonts::Family;
use crate::identity::{birth_date, chars_from, digits, issue_date, NameList, Sex, MONTHS_EN};
use crate::layout::{self, field, Design};
use crate::mrz::{self, Td1};

const MONTHS_NL: [&str; 12] = [
    "JAN", "FEB", "MAA", "APR", "MEI", "JUN", "JUL", "AUG", "SEP", "OKT", "NOV", "DEC",
];

fn date_nl(d: Date) -> String {
    format!(
        "{:02} {}/{} {}",
        d.day,
        MONTHS_NL[d.month as usize - 1],
        MONTHS_EN[d.month as usize - 1],
        d.year
    )
}

fn names() -> &'static NameList {
    static LIST: OnceLock<NameList> = OnceLock::new();
    LIST.get_or_init(|| NameList::parse(include_str!("../../data/nl.txt")))
}

/// A BSN (burgerservicenummer) passing [`is_valid_bsn`]'s 11-proof.
fn bsn(rng: &mut ChaCha8Rng) -> String {
    loop {
        let n = format!("{}{}", rng.random_range(1..10), digits(rng, 8));
        if is_valid_bsn(&n) {
            return n;
        }
    }
}

/// Draws a Dutch identity card, front and back.
pub fn id_card(rng: &mut ChaCha8Rng) -> Result<Vec<Card>> {
    let list = names();
    let model = if rng.random_bool(0.5) { "2014" } else { "2021" };
    let sex = Sex::random(rng);
    let surname = list.pick(rng, "surnames").to_string();
    let given = list.given(rng, sex).to_string();
    let birth = birth_date(rng);
    let issued = issue_date(rng, 9, birth);
    let expiry = issued.add_years(10);
    // Document number: 9 characters, letters (no O) and digits, last one a digit.
    let number = chars_from(rng, "ABCDEFGHIJKLMNPQRSTUVWXYZ", 2)
        + &chars_from(rng, "ABCDEFGHIJKLMNPQRSTUVWXYZ0123456789", 6)
        + &digits(rng, 1);
    let gender = if sex.is_female() { "V/F" } else { "M/M" };
    let front_message: Vec<(&'static str, String)> = vec![
        ("DocumentNo", number.clone()),
        ("Surname", surname.clone()),
        ("GivenNames", given.clone()),
        ("Gender", gender.into()),
        ("DateOfBirth", date_nl(birth)),
        ("DateOfIssue", date_nl(issued)),
        ("DateOfExpiry", date_nl(expiry)),
        ("Nationality", "Nederlandse".into()),
    ];
    let design = if model == "2014" {
        Design {
            from: rgb(225, 232, 242),
            to: rgb(242, 228, 220),
            lines: rgb(170, 185, 215),
            label: rgb(30, 50, 100),
            value_family: Family::Arial,
            value_size: 28.0,
        }
    } else {
        Design {
            from: rgb(236, 230, 244),
            to: rgb(222, 238, 242),
            lines: rgb(190, 170, 215),
            label: rgb(60, 40, 110),
            value_family: Family::Arial,
            value_size: 28.0,
        }
    };
    let x = 320.0;
    let fields = [
        field("Naam / Surname", &surname, x, 130.0, 640.0),
        field("Voornamen / Given names", &given, x, 192.0, 640.0),
        field("Geslacht / Sex", gender, x, 254.0, 180.0),
        field(
            "Nationaliteit / Nationality",
            "Nederlandse",
            x + 200.0,
            254.0,
            300.0,
        ),
        field(
            "Geboortedatum / Date of birth",
            &date_nl(birth),
            x,
            316.0,
            320.0,
        ),
        field(
            "Geboorteplaats / Place of birth",
            list.pick(rng, "places"),
            x + 330.0,
            316.0,
            300.0,
        ),
        field("Documentnummer / Document no.", &number, x, 378.0, 320.0),
        field(
            "Datum van afgifte / Date of issue",
            &date_nl(issued),
            x,
            440.0,
            320.0,
        ),
        field(
            "Geldig tot / Date of expiry",
            &date_nl(expiry),
            x + 330.0,
            440.0,
            300.0,
        ),
    ];
    let front = layout::front(
        rng,
        &design,
        &[
            "KONINKRIJK DER NEDERLANDEN",
            "KINGDOM OF THE NETHERLANDS",
            "IDENTITEITSKAART / IDENTITY CARD",
        ],
        true,
        &fields,
    );
    let bsn = bsn(rng);
    let mrz = Td1 {
        code: "I",
        issuer: "NLD",
        number: &number,
        optional1: &bsn,
        birth,
        sex: sex.icao(),
        expiry,
        nationality: "NLD",
        optional2: "",
        surname: &surname,
        given: &given,
    }
    .lines();
    let back_fields = [
        field("Persoonsnummer / Personal no.", &bsn, 40.0, 120.0, 400.0),
        field(
            "Lengte / Height",
            &format!("{},{:02} m", 1, rng.random_range(50..99)),
            40.0,
            190.0,
            300.0,
        ),
    ];
    let back = layout::back(
        rng,
        &design,
        &["KONINKRIJK DER NEDERLANDEN"],
        &back_fields,
        &mrz,
    );
    let back_message = mrz::back_message(
        &front_message,
        &surname,
        &given,
        &[
            "DocumentNo",
            "Gender",
            "DateOfBirth",
            "DateOfExpiry",
            "Nationality",
        ],
    );
    let route = "ocr/nl/id-card";
    Ok(vec![
        Card {
            route,
            side: Side::Front,
            model: model.into(),
            message: front_message,
            image: front,
        },
        Card {
            route,
            side: Side::Back,
            model: model.into(),
            message: back_message,
            image: back,
        },
    ])
}
