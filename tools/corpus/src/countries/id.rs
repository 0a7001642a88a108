//! Indonesia: the e-KTP (Kartu Tanda Penduduk elektronik).
//!
//! Layout follows the real card: centred header lines `PROVINSI …` and the regency/city, `NIK`
//! in large bold, then label/colon/value rows (Nama, Tempat/Tgl Lahir, Jenis Kelamin with
//! Gol. Darah, Alamat, RT/RW, Kel/Desa, Kecamatan, Agama, Status Perkawinan, Pekerjaan,
//! Kewarganegaraan, Berlaku Hingga), the photo on the right on a red or blue ground, with the
//! place and date of issue and the signature under it. Light blue gradient background.
//!
//! Ground truth: `province` is the header without the `PROVINSI ` prefix, `city` the second
//! header line as printed (`KABUPATEN BANDUNG` and `KOTA BANDUNG` are different regions), `nationnality`
//! (sic, the route's key) is `WNI`.

use anyhow::Result;
use kycd_plugin_api::checks::{decode_nik, encode_nik};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::sync::OnceLock;

use super::{blank_card, finish, signature};
use crate::canvas::{rgb, Align, Style, INK};
use crate::doc::{Card, Side};
use crate::fonts::Family;
use crate::identity::{birth_date, dmy_dashes, issue_date, NameList, Sex, REFERENCE_DATE};
use crate::portrait::portrait;

const ROUTE: &str = "ocr/id/ktp";

fn names() -> &'static NameList {
    static LIST: OnceLock<NameList> = OnceLock::new();
    LIST.get_or_init(|| NameList::parse(include_str!("../../data/id.txt")))
}

/// Draws one e-KTP (front only: the back of the real card is blank of personal data).
pub fn ktp(rng: &mut ChaCha8Rng) -> Result<Vec<Card>> {
    let list = names();
    let region: Vec<&str> = list.pick(rng, "regions").split('|').collect();
    let (code, province, city, district) = (region[0], region[1], region[2], region[3]);
    let villages: Vec<&str> = region[4].split(',').collect();
    let village = crate::identity::pick(rng, &villages);
    let sex = Sex::random(rng);
    let birth = birth_date(rng);
    let nik = encode_nik(code, birth, sex.is_female(), rng.random_range(1..=9999))
        .expect("region codes in data/id.txt are 6 digits");
    debug_assert!(decode_nik(&nik, REFERENCE_DATE.year).is_some());
    let name = if rng.random_bool(0.7) {
        format!("{} {}", list.given(rng, sex), list.pick(rng, "surnames"))
    } else {
        list.given(rng, sex).to_string()
    };
    let pob = list
        .pick(rng, "regions")
        .split('|')
        .nth(2)
        .unwrap_or("")
        .replace("KABUPATEN ", "")
        .replace("KOTA ", "");
    let gender = if sex.is_female() {
        "PEREMPUAN"
    } else {
        "LAKI-LAKI"
    };
    let address = format!(
        "{} NO. {}",
        list.pick(rng, "streets"),
        rng.random_range(1..200)
    );
    let rt = format!("{:03}", rng.random_range(1..20));
    let rw = format!("{:03}", rng.random_range(1..15));
    let religion = list.pick(rng, "religions");
    let marital = list.pick(rng, "marital");
    let work = list.pick(rng, "work");
    let issued = issue_date(rng, 10, birth);
    let message: Vec<(&'static str, String)> = vec![
        ("id", nik.clone()),
        ("name", name.clone()),
        ("pob", pob.clone()),
        ("dob", dmy_dashes(birth)),
        ("gender", gender.into()),
        ("address", address.clone()),
        ("rt", rt.clone()),
        ("rw", rw.clone()),
        ("village", village.into()),
        ("district", district.into()),
        ("religion", religion.into()),
        ("marital_status", marital.into()),
        ("work", work.into()),
        ("nationnality", "WNI".into()),
        ("city", city.into()),
        ("province", province.into()),
    ];

    let mut c = blank_card(
        rng,
        rgb(170, 205, 235),
        rgb(215, 232, 245),
        rgb(140, 175, 210),
    );
    let header = Style::new(Family::ArialBold, 30.0, INK);
    c.text(
        506.0,
        22.0,
        &format!("PROVINSI {province}"),
        header,
        Align::Center,
    );
    c.text(506.0, 58.0, city, header, Align::Center);
    c.text(
        40.0,
        108.0,
        "NIK",
        Style::new(Family::ArialBold, 38.0, INK),
        Align::Left,
    );
    c.text(
        160.0,
        108.0,
        ":",
        Style::new(Family::ArialBold, 38.0, INK),
        Align::Left,
    );
    c.text(
        180.0,
        106.0,
        &nik,
        Style::new(Family::OcrB, 40.0, INK),
        Align::Left,
    );
    let label = Style::new(Family::Arial, 22.0, INK);
    let value = Style::new(Family::Arial, 22.0, INK);
    let rows: [(&str, String); 12] = [
        ("Nama", name),
        (
            "Tempat/Tgl Lahir",
            format!("{}, {}", pob, dmy_dashes(birth)),
        ),
        ("Jenis Kelamin", gender.into()),
        ("Alamat", address),
        ("     RT/RW", format!("{rt}/{rw}")),
        ("     Kel/Desa", village.into()),
        ("     Kecamatan", district.into()),
        ("Agama", religion.into()),
        ("Status Perkawinan", marital.into()),
        ("Pekerjaan", work.into()),
        ("Kewarganegaraan", "WNI".into()),
        ("Berlaku Hingga", "SEUMUR HIDUP".into()),
    ];
    let mut y = 162.0;
    for (i, (l, v)) in rows.iter().enumerate() {
        c.text(40.0, y, l, label, Align::Left);
        c.text(250.0, y, ":", label, Align::Left);
        c.text_fit(266.0, y, v, value, 470.0);
        if i == 2 {
            c.text(
                520.0,
                y,
                &format!("Gol. Darah : {}", list.pick(rng, "bloodtypes")),
                label,
                Align::Left,
            );
        }
        y += 36.0;
    }
    let ground = if rng.random_bool(0.5) {
        rgb(200, 40, 45)
    } else {
        rgb(40, 80, 170)
    };
    let photo = portrait(rng, 220, 280, ground, false);
    c.paste(&photo, 760, 120);
    let small = Style::new(Family::Arial, 20.0, INK);
    c.text(870.0, 412.0, city, small, Align::Center);
    c.text(870.0, 438.0, &dmy_dashes(issued), small, Align::Center);
    signature(&mut c, rng, 780.0, 470.0, 180.0, 60.0);
    Ok(vec![Card {
        route: ROUTE,
        side: Side::Front,
        model: "e-KTP".into(),
        message,
        image: finish(c),
    }])
}
