//! Mexico: the voter card (credencial para votar), IFE models C and D and INE models E to H,
//! front and back.
//!
//! Front: header (`INSTITUTO FEDERAL ELECTORAL` / `INSTITUTO NACIONAL ELECTORAL`, `MÉXICO`,
//! `CREDENCIAL PARA VOTAR`), photo left, `NOMBRE` (paternal surname, maternal surname, given
//! names on three lines), `SEXO`, `DOMICILIO` (three lines: street, `COL` colonia + postal code,
//! municipality, state), `CLAVE DE ELECTOR`, `CURP`, `AÑO DE REGISTRO`, `FECHA DE NACIMIENTO`,
//! `SECCIÓN`, `VIGENCIA`; models C-F also print `ESTADO`, `MUNICIPIO`, `LOCALIDAD` (C-D:
//! `DISTRITO`, `EDAD`). Back: TD1 MRZ `IDMEX` + CIC + OCR number; models E-H add a QR code.
//!
//! Identities: the CURP follows RENAPO's rules (initials and internal consonants, `MARIA`/`JOSE`
//! skipped in compound given names, rude words censored, century differentiator, check digit);
//! the clave de elector is 6 name letters, `YYMMDD`, the state number, sex and 3 digits.

use anyhow::Result;
use kycd_plugin_api::checks::{curp_check_digit, decode_curp, Date, CURP_INCONVENIENT_WORDS};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::sync::OnceLock;

use super::{blank_card, draw_td1, finish, signature};
use crate::barcode;
use crate::canvas::{rgb, Align, Style, INK};
use crate::doc::{Card, Side};
use crate::fonts::Family;
use crate::identity::{birth_date, digits, dmy_slashes, NameList, Sex, REFERENCE_DATE};
use crate::mrz::Td1;
use crate::portrait::portrait;

const ROUTE: &str = "ocr/mx/ine";
const MODELS: [&str; 6] = ["C", "D", "E", "F", "G", "H"];

fn names() -> &'static NameList {
    static LIST: OnceLock<NameList> = OnceLock::new();
    LIST.get_or_init(|| NameList::parse(include_str!("../../data/mx.txt")))
}

fn is_vowel(c: char) -> bool {
    "AEIOU".contains(c)
}

/// RENAPO letters: Ñ counts as X, accents are dropped.
fn curp_letters(s: &str) -> Vec<char> {
    s.chars()
        .map(|c| if c == 'Ñ' { 'X' } else { c })
        .filter(|c| c.is_ascii_uppercase())
        .collect()
}

fn first_internal(s: &str, want_vowel: bool) -> char {
    curp_letters(s)
        .into_iter()
        .skip(1)
        .find(|&c| is_vowel(c) == want_vowel)
        .unwrap_or('X')
}

/// The given name used by the CURP: the second one when the first is MARIA or JOSE.
fn curp_given(given: &str) -> &str {
    let parts: Vec<&str> = given.split(' ').collect();
    if parts.len() > 1 && matches!(parts[0], "MARIA" | "MA." | "JOSE" | "J.") {
        parts[1]
    } else {
        parts[0]
    }
}

/// A CURP for the name, birth date, sex and state code (RENAPO rules), valid by
/// [`decode_curp`].
pub fn curp(
    father: &str,
    mother: &str,
    given: &str,
    birth: Date,
    sex: Sex,
    state: &str,
    rng: &mut ChaCha8Rng,
) -> String {
    let father_first = curp_letters(father).first().copied().unwrap_or('X');
    let mother_first = curp_letters(mother).first().copied().unwrap_or('X');
    let given = curp_given(given);
    let given_first = curp_letters(given).first().copied().unwrap_or('X');
    let mut initials: String = [
        father_first,
        first_internal(father, true),
        mother_first,
        given_first,
    ]
    .iter()
    .collect();
    if CURP_INCONVENIENT_WORDS.contains(&initials.as_str()) {
        initials.replace_range(1..2, "X");
    }
    let differentiator = if birth.year < 2000 {
        char::from(b'0' + rng.random_range(0..10u8))
    } else {
        char::from(b'A' + rng.random_range(0..26u8))
    };
    let body = format!(
        "{initials}{}{}{state}{}{}{}{differentiator}",
        birth.yymmdd(),
        if sex.is_female() { 'M' } else { 'H' },
        first_internal(father, false),
        first_internal(mother, false),
        first_internal(given, false)
    );
    let check = curp_check_digit(&body).expect("CURP body uses its alphabet");
    let curp = format!("{body}{check}");
    debug_assert!(decode_curp(&curp).is_some(), "{curp}");
    curp
}

fn two_letters(s: &str) -> String {
    let letters = curp_letters(s);
    let first = letters.first().copied().unwrap_or('X');
    let consonant = letters
        .iter()
        .skip(1)
        .find(|c| !is_vowel(**c))
        .copied()
        .unwrap_or('X');
    format!("{first}{consonant}")
}

/// Draws an INE/IFE voter card (random model) front and back.
pub fn ine(rng: &mut ChaCha8Rng) -> Result<Vec<Card>> {
    let list = names();
    let model = MODELS[rng.random_range(0..MODELS.len())];
    let ife = matches!(model, "C" | "D");
    let sex = Sex::random(rng);
    let father = list.pick(rng, "surnames");
    let mother = list.pick(rng, "surnames");
    let given = list.given(rng, sex);
    let birth = birth_date(rng);
    let place: Vec<&str> = list.pick(rng, "places").split('|').collect();
    let (state_number, state_code, state_print, municipality, municipal_number, cp_prefix) =
        (place[0], place[1], place[2], place[3], place[4], place[5]);
    let colonias: Vec<&str> = place[6].split(',').collect();
    let colonia = crate::identity::pick(rng, &colonias);
    let curp = curp(father, mother, given, birth, sex, state_code, rng);
    let gender = if sex.is_female() { "M" } else { "H" };
    let voter_id = format!(
        "{}{}{}{}{}{}",
        two_letters(father),
        two_letters(mother),
        two_letters(given),
        birth.yymmdd(),
        state_number,
        gender
    ) + &digits(rng, 3);
    let postal = format!("{cp_prefix}{}", digits(rng, 3));
    let address = [
        format!("{} {}", list.pick(rng, "streets"), rng.random_range(1..400)),
        format!("COL {colonia} {postal}"),
        format!("{municipality}, {state_print}"),
    ];
    let registration_year =
        (birth.year + 18 + rng.random_range(0..10)).min(REFERENCE_DATE.year - 1);
    let registration = format!("{registration_year}{:02}", rng.random_range(1..=12));
    let issue_year =
        rng.random_range(registration_year.max(REFERENCE_DATE.year - 9)..REFERENCE_DATE.year);
    let expiry_year = issue_year + 10;
    let locality = format!("{:04}", rng.random_range(1..200));
    let district = format!("{:02}", rng.random_range(1..25));
    let section = format!("{:04}", rng.random_range(1..5000));
    let prints_place = matches!(model, "C" | "D" | "E" | "F");
    let full_name = format!("{father} {mother} {given}");
    let or_empty = |show: bool, v: &str| if show { v.to_string() } else { String::new() };
    let front_message: Vec<(&'static str, String)> = vec![
        ("gender", gender.into()),
        ("idNumber", curp.clone()),
        ("voterId", voter_id.clone()),
        ("fullName", full_name.clone()),
        ("fatherLastName", father.into()),
        ("motherLastName", mother.into()),
        ("name", given.into()),
        ("birthday", dmy_slashes(birth)),
        ("issueYear", issue_year.to_string()),
        ("expiryYear", expiry_year.to_string()),
        ("registrationYearAndMonth", registration.clone()),
        ("municipalNumber", or_empty(prints_place, municipal_number)),
        ("postalCode", postal.clone()),
        ("placeNumber", or_empty(prints_place, &locality)),
        ("stateNumber", or_empty(prints_place, state_number)),
        ("state", state_print.into()),
        ("district", or_empty(ife, &district)),
        ("addressAll", address.join(" ")),
    ];

    // Front.
    let (from, to, lines) = if ife {
        (rgb(236, 222, 230), rgb(214, 226, 236), rgb(200, 160, 185))
    } else {
        (rgb(238, 226, 236), rgb(240, 235, 220), rgb(205, 150, 185))
    };
    let mut c = blank_card(rng, from, to, lines);
    let title = Style::new(Family::ArialBold, 24.0, rgb(120, 30, 80));
    c.text(
        40.0,
        22.0,
        "MÉXICO",
        Style::new(Family::ArialBold, 30.0, rgb(20, 90, 60)),
        Align::Left,
    );
    c.text(
        200.0,
        20.0,
        if ife {
            "INSTITUTO FEDERAL ELECTORAL"
        } else {
            "INSTITUTO NACIONAL ELECTORAL"
        },
        title,
        Align::Left,
    );
    c.text(
        200.0,
        50.0,
        "CREDENCIAL PARA VOTAR",
        Style::new(Family::ArialBold, 22.0, rgb(60, 60, 60)),
        Align::Left,
    );
    let photo = portrait(rng, 250, 310, rgb(230, 230, 232), false);
    c.paste(&photo, 36, 110);
    let label = Style::new(Family::Arial, 16.0, rgb(120, 30, 80));
    let value = Style::new(Family::ArialBold, 23.0, INK);
    let x = 310.0;
    c.text(x, 100.0, "NOMBRE", label, Align::Left);
    for (i, line) in [father, mother, given].iter().enumerate() {
        c.text_fit(x, 120.0 + i as f32 * 28.0, line, value, 450.0);
    }
    c.text(800.0, 100.0, "SEXO", label, Align::Left);
    c.text(870.0, 97.0, gender, value, Align::Left);
    c.text(x, 210.0, "DOMICILIO", label, Align::Left);
    for (i, line) in address.iter().enumerate() {
        c.text_fit(x, 230.0 + i as f32 * 28.0, line, value, 640.0);
    }
    let mut y = 322.0;
    c.text(x, y + 3.0, "CLAVE DE ELECTOR", label, Align::Left);
    c.text(x + 170.0, y, &voter_id, value, Align::Left);
    y += 32.0;
    c.text(x, y + 3.0, "CURP", label, Align::Left);
    c.text(x + 60.0, y, &curp, value, Align::Left);
    c.text(x + 360.0, y + 3.0, "AÑO DE REGISTRO", label, Align::Left);
    c.text(
        x + 530.0,
        y,
        &format!("{} {}", &registration[..4], &registration[4..]),
        value,
        Align::Left,
    );
    y += 32.0;
    c.text(x, y + 3.0, "FECHA DE NACIMIENTO", label, Align::Left);
    c.text(x + 200.0, y, &dmy_slashes(birth), value, Align::Left);
    c.text(x + 360.0, y + 3.0, "SECCIÓN", label, Align::Left);
    c.text(x + 440.0, y, &section, value, Align::Left);
    y += 32.0;
    if prints_place {
        c.text(x, y + 3.0, "ESTADO", label, Align::Left);
        c.text(x + 75.0, y, state_number, value, Align::Left);
        c.text(x + 130.0, y + 3.0, "MUNICIPIO", label, Align::Left);
        c.text(x + 225.0, y, municipal_number, value, Align::Left);
        c.text(x + 290.0, y + 3.0, "LOCALIDAD", label, Align::Left);
        c.text(x + 395.0, y, &locality, value, Align::Left);
        if ife {
            c.text(x + 470.0, y + 3.0, "DISTRITO", label, Align::Left);
            c.text(x + 560.0, y, &district, value, Align::Left);
        }
        y += 32.0;
    }
    if prints_place {
        c.text(x, y + 3.0, "EMISIÓN", label, Align::Left);
        c.text(x + 85.0, y, &issue_year.to_string(), value, Align::Left);
        c.text(x + 180.0, y + 3.0, "VIGENCIA", label, Align::Left);
        c.text(x + 270.0, y, &expiry_year.to_string(), value, Align::Left);
    } else {
        c.text(x, y + 3.0, "VIGENCIA", label, Align::Left);
        c.text(
            x + 90.0,
            y,
            &format!("{issue_year} - {expiry_year}"),
            value,
            Align::Left,
        );
    }
    if ife {
        let age = REFERENCE_DATE.year - birth.year;
        c.text(800.0, 140.0, "EDAD", label, Align::Left);
        c.text(870.0, 137.0, &age.to_string(), value, Align::Left);
    }
    signature(&mut c, rng, 50.0, 470.0, 230.0, 70.0);
    let ghost = portrait(rng, 110, 140, rgb(238, 226, 236), true);
    c.paste(&ghost, 860, 470);
    let front = finish(c);

    // Back.
    let cic = digits(rng, 9);
    let ocr = format!("{section}{}", digits(rng, 9));
    let mut b = blank_card(rng, to, from, lines);
    b.text(
        40.0,
        30.0,
        "INSTITUTO NACIONAL ELECTORAL",
        Style::new(Family::ArialBold, 20.0, rgb(120, 30, 80)),
        Align::Left,
    );
    if !ife {
        let payload = format!("https://qr.ine.mx/{cic}/{ocr}/{}", &voter_id);
        let qr = barcode::qr(&payload)?;
        let module = (180 / qr.len().max(1)) as u32;
        b.modules(&qr, 60, 90, module.max(2), module.max(2), INK);
    }
    signature(&mut b, rng, 640.0, 200.0, 300.0, 80.0);
    b.text(
        640.0,
        290.0,
        "FIRMA",
        Style::new(Family::Arial, 16.0, rgb(120, 30, 80)),
        Align::Left,
    );
    let expiry = Date::new(expiry_year, 12, 31).expect("31 December exists");
    let mrz = Td1 {
        code: "ID",
        issuer: "MEX",
        number: &cic,
        optional1: &format!("<<{ocr}"),
        birth,
        sex: if sex.is_female() { 'F' } else { 'M' },
        expiry,
        nationality: "MEX",
        optional2: "",
        surname: &format!("{father} {mother}"),
        given,
    }
    .lines();
    draw_td1(&mut b, &mrz);
    let back_message: Vec<(&'static str, String)> = front_message
        .iter()
        .map(|(k, v)| {
            let keep = matches!(*k, "gender" | "birthday" | "expiryYear");
            (
                *k,
                if keep {
                    v.clone()
                } else if *k == "fullName" {
                    mrz[2]
                        .replace("<<", " ")
                        .replace('<', " ")
                        .trim()
                        .to_string()
                } else {
                    String::new()
                },
            )
        })
        .collect();
    Ok(vec![
        Card {
            route: ROUTE,
            side: Side::Front,
            model: model.into(),
            message: front_message,
            image: front,
        },
        Card {
            route: ROUTE,
            side: Side::Back,
            model: model.into(),
            message: back_message,
            image: finish(b),
        },
    ])
}
