//! The generator's promises: every identity it emits passes the shared validators, the same
//! seed gives the same bytes, and every image decodes with the size its truth describes.

use kycd_corpus::generate::rng_for;
use kycd_corpus::{generate, Condition, DocType, GenerateOptions};
use kycd_plugin_api::checks::*;
use serde_json::Value;

fn msg<'a>(truth: &'a Value, key: &str) -> &'a str {
    truth["message"][key]
        .as_str()
        .unwrap_or_else(|| panic!("message has no string {key}: {truth}"))
}

fn date(s: &str, sep: char) -> Date {
    let p: Vec<u32> = s.split(sep).map(|x| x.parse().unwrap()).collect();
    Date::new(p[2] as i32, p[1], p[0]).unwrap_or_else(|| panic!("impossible date {s}"))
}

/// Checks one card side's truth with the validators of its route.
fn check_truth(truth: &Value) {
    let route = truth["route"].as_str().unwrap();
    let side = truth["side"].as_str().unwrap();
    match route {
        "ocr/de/id-card" => {
            assert!(
                is_valid_german_id_number(msg(truth, "CardNumber")),
                "{truth}"
            );
            let birth = date(msg(truth, "DateOfBirth"), '.');
            let expiry = date(msg(truth, "DateOfExpiry"), '.');
            assert!(birth < expiry);
            assert_eq!(msg(truth, "Nationality"), "DEUTSCH");
        }
        "ocr/id/ktp" => {
            let nik =
                decode_nik(msg(truth, "id"), 2025).unwrap_or_else(|| panic!("bad NIK {truth}"));
            assert_eq!(
                nik.birth_date,
                date(msg(truth, "dob"), '-'),
                "NIK encodes the printed birth date"
            );
            assert_eq!(
                nik.female,
                msg(truth, "gender") == "PEREMPUAN",
                "NIK +40 matches the printed sex"
            );
        }
        "ocr/th/id-card" => {
            assert!(is_valid_thai_id(msg(truth, "idNumber")), "{truth}");
            // Buddhist era = CE + 543 on both dates.
            for (th, en) in [
                ("birthTh", "birthEn"),
                ("issueDateTH", "issueDateEN"),
                ("expiryDateTH", "expiryDateEN"),
            ] {
                let be: i32 = msg(truth, th).rsplit(' ').next().unwrap().parse().unwrap();
                let ce: i32 = msg(truth, en).rsplit(' ').next().unwrap().parse().unwrap();
                assert_eq!(be, buddhist_era(ce), "{truth}");
            }
        }
        "ocr/mx/ine" if side == "front" => {
            let curp =
                decode_curp(msg(truth, "idNumber")).unwrap_or_else(|| panic!("bad CURP {truth}"));
            assert_eq!(curp.birth_date, date(msg(truth, "birthday"), '/'));
            assert_eq!(curp.sex.to_string(), msg(truth, "gender"));
            let voter = msg(truth, "voterId");
            assert_eq!(voter.len(), 18);
            assert_eq!(
                &voter[6..12],
                &msg(truth, "idNumber")[4..10],
                "clave de elector carries YYMMDD"
            );
        }
        "ocr/mx/ine" => {
            assert!(!msg(truth, "birthday").is_empty());
        }
        "ocr/in/aadhaar/front" | "ocr/in/aadhaar/back" => {
            assert!(is_valid_aadhaar(msg(truth, "CardNumber")), "{truth}");
            assert!(
                is_valid_verhoeff(&msg(truth, "VID").replace(' ', "")),
                "VID is Verhoeff-valid: {truth}"
            );
            if side == "front" {
                date(msg(truth, "DateOfBirth"), '/');
            } else {
                assert_eq!(msg(truth, "PostCode").len(), 6);
            }
        }
        "ocr/in/pan" => {
            assert_eq!(
                pan_holder_type(msg(truth, "CardNumber")),
                Some("Individual"),
                "{truth}"
            );
            let surname = msg(truth, "Name").rsplit(' ').next().unwrap();
            assert_eq!(
                msg(truth, "CardNumber").as_bytes()[4],
                surname.as_bytes()[0],
                "5th letter is the surname initial"
            );
        }
        "ocr/se/id-card" if side == "front" => {
            let pnr = msg(truth, "PersonalId");
            assert!(is_valid_personnummer(pnr), "{truth}");
            let birth = msg(truth, "DateOfBirth"); // "dd mm yyyy"
            let yymmdd = format!("{}{}{}", &birth[8..10], &birth[3..5], &birth[0..2]);
            assert_eq!(&pnr[..6], yymmdd, "personnummer starts with the birth date");
        }
        "ocr/nl/id-card" | "ocr/no/id-card" | "ocr/se/id-card" => {
            if route == "ocr/nl/id-card" {
                let gender = msg(truth, "Gender");
                assert!(side == "back" || matches!(gender, "V/F" | "M/M"), "{truth}");
            }
            let number = truth["message"]
                .get("DocumentNo")
                .or(truth["message"].get("CardNo"))
                .and_then(Value::as_str)
                .unwrap();
            assert!(number.len() >= 8, "{truth}");
            assert!(!msg(truth, "DateOfBirth").is_empty());
        }
        "ocr/de/driving-licence" => {
            date(msg(truth, "DateOfBirth"), '.');
            assert!(date(msg(truth, "DateOfIssue"), '.') < date(msg(truth, "DateOfExpiry"), '.'));
            assert_eq!(msg(truth, "CardId").len(), 11);
        }
        "ocr/th/driving-licence" => {
            assert!(is_valid_thai_id(msg(truth, "idNumber")), "{truth}");
            let be: i32 = msg(truth, "birthTh")
                .rsplit(' ')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let ce: i32 = msg(truth, "birthEn")
                .rsplit(' ')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            assert_eq!(be, buddhist_era(ce));
        }
        "ocr/co/cedula/front" => {
            let number = msg(truth, "CardNumber");
            assert!(
                number.replace('.', "").bytes().all(|b| b.is_ascii_digit()) && number.contains('.'),
                "{truth}"
            );
        }
        "ocr/co/cedula/back" => {
            let dob = msg(truth, "DateOfBirth");
            assert_eq!(dob.len(), 11, "dd-MMM-yyyy: {dob}");
            assert!(matches!(msg(truth, "Gender"), "M" | "F"));
        }
        other => panic!("route {other} has no check in this test"),
    }
}

#[test]
fn every_emitted_identity_passes_the_validators() {
    // Many documents per type, rendered but not photographed (the truth is what is checked).
    for t in DocType::ALL {
        for index in 0..25u64 {
            let mut rng = rng_for(1000 + index, &[index]);
            let cards = t.render(&mut rng).unwrap();
            assert!(!cards.is_empty(), "{} drew no card", t.name());
            for card in cards {
                let message: serde_json::Map<String, Value> = card
                    .message
                    .iter()
                    .map(|(k, v)| (k.to_string(), Value::String(v.clone())))
                    .collect();
                let truth = serde_json::json!({"route": card.route, "side": card.side.name(), "message": message});
                check_truth(&truth);
            }
        }
    }
}

#[test]
fn norwegian_personal_numbers_are_valid_and_encode_birth_date() {
    use kycd_corpus::identity::{birth_date, Sex};
    for index in 0..300u64 {
        let mut rng = rng_for(index, &[11]);
        let birth = birth_date(&mut rng);
        let sex = Sex::random(&mut rng);
        let pnr = kycd_corpus::countries::no::personal_number(&mut rng, birth, sex);
        assert!(is_valid_fodselsnummer(&pnr), "{pnr}");
        assert_eq!(fodselsnummer_birth_date(&pnr), Some(birth), "{pnr}");
        assert_eq!(
            (pnr.as_bytes()[8] - b'0').is_multiple_of(2),
            sex.is_female(),
            "{pnr}"
        );
    }
}

#[test]
fn mrz_lines_are_valid_td1() {
    use kycd_corpus::mrz::Td1;
    for index in 0..200u64 {
        let mut rng = rng_for(index, &[7]);
        let id = kycd_corpus::countries::de::identity(&mut rng);
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
        assert!(is_valid_td1(&lines[0], &lines[1], &lines[2]), "{lines:?}");
        assert!(is_valid_german_id_number(&lines[0][5..15]));
    }
}

#[test]
fn same_seed_gives_identical_bytes_and_another_seed_does_not() {
    let options = GenerateOptions {
        seed: 42,
        per_type: 1,
        types: DocType::ALL.to_vec(),
        conditions: vec![Condition::Photo],
    };
    let a = generate(&options).unwrap();
    let b = generate(&options).unwrap();
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.file_stem, y.file_stem);
        assert!(x.bytes == y.bytes, "{} differs between runs", x.file_stem);
        assert_eq!(
            serde_json::to_string(&x.truth).unwrap(),
            serde_json::to_string(&y.truth).unwrap()
        );
    }
    // Another seed changes every image (checked on two types to keep the test short).
    let few = vec![DocType::DeIdCard, DocType::ThIdCard];
    let c = generate(&GenerateOptions {
        seed: 43,
        types: few.clone(),
        ..options
    })
    .unwrap();
    let a_few: Vec<_> = a
        .iter()
        .filter(|s| {
            few.iter()
                .any(|t| s.file_stem.starts_with(&format!("{}-", t.name())))
        })
        .collect();
    assert_eq!(a_few.len(), c.len());
    assert!(
        a_few.iter().zip(&c).all(|(x, z)| x.bytes != z.bytes),
        "another seed must give other images"
    );
}

#[test]
fn images_decode_and_truth_has_the_route_keys_and_corners_inside() {
    // Every type scanned, and every condition on one type.
    let mut samples = generate(&GenerateOptions {
        seed: 3,
        per_type: 1,
        types: DocType::ALL.to_vec(),
        conditions: vec![Condition::Scan],
    })
    .unwrap();
    samples.extend(
        generate(&GenerateOptions {
            seed: 3,
            per_type: 1,
            types: vec![DocType::ThIdCard],
            conditions: Condition::ALL.to_vec(),
        })
        .unwrap(),
    );
    for s in samples {
        check_truth(&s.truth);
        let image = image::load_from_memory(&s.bytes)
            .unwrap_or_else(|e| panic!("{} does not decode: {e}", s.file_stem));
        let (mut w, mut h) = (image.width() as f64, image.height() as f64);
        if matches!(s.truth["exif_orientation"].as_u64(), Some(6 | 8)) {
            std::mem::swap(&mut w, &mut h);
        }
        for corner in s.truth["corners"].as_array().unwrap() {
            let (x, y) = (corner[0].as_f64().unwrap(), corner[1].as_f64().unwrap());
            assert!(
                (0.0..=w).contains(&x) && (0.0..=h).contains(&y),
                "{}: corner {corner} outside {w}x{h}",
                s.file_stem
            );
        }
        if s.truth["condition"] == "large" {
            assert!(
                s.bytes.len() >= 200 * 1024,
                "{} is only {} bytes",
                s.file_stem,
                s.bytes.len()
            );
        }
        for key in ["route", "message", "model", "side", "condition", "seed"] {
            assert!(s.truth.get(key).is_some(), "{} lacks {key}", s.file_stem);
        }
    }
}

#[test]
fn exif_condition_writes_an_orientation_tag() {
    let options = GenerateOptions {
        seed: 9,
        per_type: 1,
        types: vec![DocType::DeIdCard],
        conditions: vec![Condition::Exif],
    };
    for s in generate(&options).unwrap() {
        let tag = s.truth["exif_orientation"].as_u64().unwrap() as u16;
        assert!(matches!(tag, 3 | 6 | 8));
        // APP1 "Exif" right after SOI, orientation value in the single IFD entry.
        assert_eq!(&s.bytes[..4], &[0xFF, 0xD8, 0xFF, 0xE1]);
        assert_eq!(&s.bytes[6..12], b"Exif\0\0");
        assert_eq!(
            u16::from_be_bytes([s.bytes[12 + 18], s.bytes[12 + 19]]),
            tag
        );
    }
}

#[test]
fn committed_fixed_corpus_decodes_and_passes_the_validators() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/corpus exists")
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for json in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let truth: Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
        check_truth(&truth);
        let stem = json.file_stem().unwrap().to_str().unwrap();
        let image = ["png", "jpg"]
            .iter()
            .map(|e| dir.join(format!("{stem}.{e}")))
            .find(|p| p.exists())
            .unwrap_or_else(|| panic!("no image for {stem}"));
        image::open(&image).unwrap_or_else(|e| panic!("{} does not decode: {e}", image.display()));
        checked += 1;
    }
    assert!(checked >= 19, "tests/corpus holds every route's sides");
}
