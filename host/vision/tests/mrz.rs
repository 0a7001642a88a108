//! MRZ parsing over ICAO 9303 specimen zones and OCR-style damage.

mod common;

use kycd_plugin_api::{Mrz, Point, Quad, Rect, Script, TextLine};
use kycd_vision::mrz::{parse_mrz_lines, read_mrz};

const TD1: [&str; 3] = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
];
const TD2: [&str; 2] = [
    "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "D231458907UTO7408122F1204159<<<<<<<6",
];
const TD3: [&str; 2] = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
];
/// German identity card (2010 model) specimen, TD1 with a 9-character document number.
const GERMAN_ID: [&str; 3] = [
    "IDD<<T220001293<<<<<<<<<<<<<<<",
    "6408125<2010315D<<<<<<<<<<<<<4",
    "MUSTERMANN<<ERIKA<<<<<<<<<<<<<",
];

fn value<'a>(mrz: &'a Mrz, name: &str) -> &'a str {
    mrz.field(name)
        .unwrap_or_else(|| panic!("field {name} missing"))
        .value
        .as_str()
}

fn check(mrz: &Mrz, name: &str) -> Option<bool> {
    mrz.field(name)
        .unwrap_or_else(|| panic!("field {name} missing"))
        .check_digit_valid
        .into_option()
}

#[test]
fn td1_specimen_parses_with_all_checks_valid() {
    let mrz = parse_mrz_lines(&TD1).expect("TD1 specimen parses");
    assert_eq!(mrz.format.as_str(), "TD1");
    assert!(mrz.all_checks_valid);
    assert_eq!(value(&mrz, "document_code"), "I");
    assert_eq!(value(&mrz, "issuing_state"), "UTO");
    assert_eq!(value(&mrz, "document_number"), "D23145890");
    assert_eq!(check(&mrz, "document_number"), Some(true));
    assert_eq!(value(&mrz, "birth_date"), "740812");
    assert_eq!(check(&mrz, "birth_date"), Some(true));
    assert_eq!(value(&mrz, "sex"), "F");
    assert_eq!(value(&mrz, "expiry_date"), "120415");
    assert_eq!(check(&mrz, "expiry_date"), Some(true));
    assert_eq!(value(&mrz, "nationality"), "UTO");
    assert_eq!(value(&mrz, "surname"), "ERIKSSON");
    assert_eq!(value(&mrz, "given_names"), "ANNA MARIA");
    assert_eq!(value(&mrz, "optional_data_2"), "");
}

#[test]
fn td2_specimen_parses_with_all_checks_valid() {
    let mrz = parse_mrz_lines(&TD2).expect("TD2 specimen parses");
    assert_eq!(mrz.format.as_str(), "TD2");
    assert!(mrz.all_checks_valid);
    assert_eq!(value(&mrz, "document_number"), "D23145890");
    assert_eq!(value(&mrz, "birth_date"), "740812");
    assert_eq!(value(&mrz, "expiry_date"), "120415");
    assert_eq!(value(&mrz, "surname"), "ERIKSSON");
    assert_eq!(value(&mrz, "given_names"), "ANNA MARIA");
    assert!(mrz.field("optional_data_2").is_none());
}

#[test]
fn td3_specimen_parses_with_all_checks_valid() {
    let mrz = parse_mrz_lines(&TD3).expect("TD3 specimen parses");
    assert_eq!(mrz.format.as_str(), "TD3");
    assert!(mrz.all_checks_valid);
    assert_eq!(value(&mrz, "document_code"), "P");
    assert_eq!(value(&mrz, "document_number"), "L898902C3");
    assert_eq!(value(&mrz, "optional_data"), "ZE184226B");
    assert_eq!(check(&mrz, "optional_data"), Some(true));
    assert_eq!(value(&mrz, "nationality"), "UTO");
    assert_eq!(value(&mrz, "sex"), "F");
}

#[test]
fn german_id_card_parses_with_all_checks_valid() {
    let mrz = parse_mrz_lines(&GERMAN_ID).expect("German ID parses");
    assert_eq!(mrz.format.as_str(), "TD1");
    assert!(mrz.all_checks_valid, "{:?}", mrz.fields);
    assert_eq!(value(&mrz, "document_code"), "ID");
    assert_eq!(value(&mrz, "issuing_state"), "D");
    assert_eq!(value(&mrz, "document_number"), "T22000129");
    assert_eq!(value(&mrz, "birth_date"), "640812");
    assert_eq!(value(&mrz, "expiry_date"), "201031");
    assert_eq!(value(&mrz, "nationality"), "D");
    assert_eq!(value(&mrz, "surname"), "MUSTERMANN");
    assert_eq!(value(&mrz, "given_names"), "ERIKA");
}

#[test]
fn td1_long_document_number_overflows_into_optional_data() {
    // ICAO 9303 Part 5 note j: 12-character number "D23145890734": nine characters in the
    // field, filler as check digit, remainder + its check digit in the optional data.
    let zone = ::mrz::format_td1(&::mrz::Td1Fields {
        document_code: "I".into(),
        issuing_country: "UTO".into(),
        document_number: "D23145890734".into(),
        surname: "ERIKSSON".into(),
        given_names: "ANNA MARIA".into(),
        nationality: "UTO".into(),
        date_of_birth: ::mrz::MrzDate::Calendar(::mrz::Date::new(1974, 8, 12)),
        sex: ::mrz::Sex::Female,
        date_of_expiry: ::mrz::MrzDate::Calendar(::mrz::Date::new(2012, 4, 15)),
        ..Default::default()
    });
    let lines: Vec<&str> = zone.lines().collect();
    assert_eq!(
        &lines[0][14..15],
        "<",
        "overflow form expected: {}",
        lines[0]
    );
    let mrz = parse_mrz_lines(&lines).expect("long-number TD1 parses");
    assert!(mrz.all_checks_valid);
    assert_eq!(value(&mrz, "document_number"), "D23145890734");
    assert_eq!(check(&mrz, "document_number"), Some(true));
    assert_eq!(value(&mrz, "optional_data"), "");
}

#[test]
fn corrupted_check_digit_is_flagged_invalid() {
    // Birth-date check digit 2 -> 3: no confusable substitution explains it, so no repair.
    let line2 = TD3[1].replacen("7408122F", "7408123F", 1);
    let mrz = parse_mrz_lines(&[TD3[0], &line2]).expect("still parses");
    assert!(!mrz.all_checks_valid);
    assert_eq!(check(&mrz, "birth_date"), Some(false));
    assert_eq!(check(&mrz, "document_number"), Some(true));
    assert_eq!(value(&mrz, "birth_date"), "740812");
}

#[test]
fn o_zero_confusion_in_document_number_is_repaired_when_check_digit_proves_it() {
    // TD2 document number D23145890 read as D2314589O (letter O).
    let misread = TD2[1].replacen("D23145890", "D2314589O", 1);
    let mrz = parse_mrz_lines(&[TD2[0], &misread]).expect("parses");
    assert!(mrz.all_checks_valid);
    assert_eq!(value(&mrz, "document_number"), "D23145890");
    assert_eq!(mrz.lines[1].as_str(), TD2[1]);
    // Dates with S/5, B/8 style misreads are repaired the same way.
    let misread = TD3[1].replacen("7408122", "74O8I22", 1);
    let mrz = parse_mrz_lines(&[TD3[0], &misread]).expect("parses");
    assert_eq!(
        check(&mrz, "birth_date"),
        Some(false),
        "two misreads: not provable by one swap"
    );
    let misread = TD3[1].replacen("1204159", "12O4159", 1);
    let mrz = parse_mrz_lines(&[TD3[0], &misread]).expect("parses");
    assert!(mrz.all_checks_valid);
    assert_eq!(value(&mrz, "expiry_date"), "120415");
}

#[test]
fn o_in_document_number_is_kept_when_the_check_digit_does_not_prove_a_repair() {
    // A genuine letter O whose check digit agrees stays as printed.
    let number = "D2314589O";
    let digit = ::mrz::check_digit(number).expect("valid charset");
    let line2 = format!("{number}{digit}{}", &TD2[1][10..]);
    let mrz = parse_mrz_lines(&[TD2[0], &line2]).expect("parses");
    assert_eq!(value(&mrz, "document_number"), number);
    assert_eq!(check(&mrz, "document_number"), Some(true));
    // The same O with the wrong check digit for either reading: not repaired, flagged.
    let line2 = format!("{number}3{}", &TD2[1][10..]);
    let mrz = parse_mrz_lines(&[TD2[0], &line2]).expect("parses");
    assert_eq!(value(&mrz, "document_number"), number);
    assert_eq!(check(&mrz, "document_number"), Some(false));
    assert!(!mrz.all_checks_valid);
}

#[test]
fn digits_in_names_are_read_as_letters_but_letters_are_never_changed() {
    // Names hold only letters and fillers, so a digit cannot be what is printed.
    let line1 = TD3[0].replacen("ERIKSSON", "ERIK5SON", 1);
    let mrz = parse_mrz_lines(&[&line1, TD3[1]]).expect("parses");
    assert_eq!(value(&mrz, "surname"), "ERIKSSON");
    // A letter that could be another letter is kept as read: nothing proves a change.
    let line1 = TD3[0].replacen("ERIKSSON", "ERIKSS0N", 1);
    let mrz = parse_mrz_lines(&[&line1, TD3[1]]).expect("parses");
    assert_eq!(value(&mrz, "surname"), "ERIKSSON");
    let line1 = TD3[0].replacen("ERIKSSON", "ERIKSSQN", 1);
    let mrz = parse_mrz_lines(&[&line1, TD3[1]]).expect("parses");
    assert_eq!(value(&mrz, "surname"), "ERIKSSQN");
}

#[test]
fn ocr_noise_is_normalised_and_width_fitted() {
    let line1 = "P<UTOERIKSSON«ANNA<MARIA<<<<<<<<<<<<<<<<<<<<<"; // « for one <, plus one extra <
    let line2 = "l898902c36 UTO7408122F1204159ZE184226B<<<<10"; // lower case, space, one < short
    let mrz = parse_mrz_lines(&[line1, line2]).expect("parses");
    assert!(mrz.all_checks_valid, "{:?}", mrz.lines);
    assert_eq!(value(&mrz, "document_number"), "L898902C3");
    assert_eq!(value(&mrz, "given_names"), "ANNA MARIA");
}

#[test]
fn non_mrz_text_gives_none() {
    assert!(parse_mrz_lines(&["HELLO WORLD", "NOTHING HERE"]).is_none());
    assert!(parse_mrz_lines(&[]).is_none());
    assert!(parse_mrz_lines(&["X".repeat(44).as_str(), "Y".repeat(44).as_str()]).is_none());
}

/// A row-by-row re-reader as `read_mrz` takes it (the zone's rows all at once).
fn each_row(reread: impl Fn(Quad) -> TextLine) -> impl Fn(&[Quad]) -> Vec<TextLine> {
    move |quads| quads.iter().map(|q| reread(*q)).collect()
}

fn text_line(text: &str, y: f32) -> TextLine {
    TextLine {
        text: text.into(),
        confidence: 0.9,
        quad: Quad::from_rect(Rect {
            x: 20.0,
            y,
            width: 600.0,
            height: 24.0,
        }),
        script: Script::LATIN,
    }
}

#[test]
fn read_mrz_finds_the_zone_among_other_lines_and_uses_the_reread() {
    let lines = vec![
        text_line("PASSPORT", 10.0),
        text_line("Surname / Nom", 60.0),
        text_line("ERIKSSON", 90.0),
        // First reading: unconstrained OCR confuses fillers and a digit.
        text_line("P<UTOERIKSSONKKANNA<MARIA<<<<<<<<<<<<<<<<<<<", 300.0),
        text_line("L898902C36UTO7408122F12O4159ZE184226B<<<<<10", 330.0),
    ];
    // The MRZ-charset re-read of each row's quad returns the clean line.
    let reread = |quad: Quad| {
        let y = quad.points[0].y;
        let text = if y < 320.0 { TD3[0] } else { TD3[1] };
        text_line(text, y)
    };
    let mrz = read_mrz(&lines, &each_row(reread)).expect("MRZ found");
    assert_eq!(mrz.format.as_str(), "TD3");
    assert!(mrz.all_checks_valid);
    assert_eq!(value(&mrz, "given_names"), "ANNA MARIA");
    assert_eq!(mrz.quad.points[0], Point { x: 20.0, y: 300.0 });
    assert_eq!(mrz.quad.points[2], Point { x: 620.0, y: 354.0 });
}

#[test]
fn read_mrz_rereads_a_zone_whose_first_reading_does_not_parse() {
    // "IDD" read as "7XX": no document code, so nothing parses until the MRZ-charset re-read.
    let lines = vec![
        text_line("7XX<<T220001293<<<<<<<<<<<<<<<", 200.0),
        text_line(GERMAN_ID[1], 230.0),
        text_line(GERMAN_ID[2], 260.0),
    ];
    assert!(parse_mrz_lines(&[&lines[0].text, GERMAN_ID[1], GERMAN_ID[2]]).is_none());
    let reread = |quad: Quad| {
        let y = quad.points[0].y;
        let text = if y < 220.0 {
            GERMAN_ID[0]
        } else if y < 250.0 {
            GERMAN_ID[1]
        } else {
            GERMAN_ID[2]
        };
        text_line(text, y)
    };
    let mrz = read_mrz(&lines, &each_row(reread)).expect("re-read zone parses");
    assert!(mrz.all_checks_valid);
    assert_eq!(value(&mrz, "document_number"), "T22000129");
}

#[test]
fn read_mrz_joins_split_rows_and_returns_none_without_a_zone() {
    let mut left = text_line("I<UTOERIKSSON<<ANNA", 100.0);
    left.quad = Quad::from_rect(Rect {
        x: 0.0,
        y: 100.0,
        width: 200.0,
        height: 20.0,
    });
    let mut right = text_line("<MARIA<<<<<<<<<<<", 100.0);
    right.quad = Quad::from_rect(Rect {
        x: 220.0,
        y: 101.0,
        width: 180.0,
        height: 20.0,
    });
    let second = text_line(TD2[1], 130.0);
    let garbage = |q: Quad| TextLine {
        text: "".into(),
        confidence: 0.0,
        quad: q,
        script: Script::LATIN,
    };
    let mrz = read_mrz(&[right, second, left], &each_row(garbage)).expect("split row joined");
    assert_eq!(mrz.format.as_str(), "TD2");
    assert!(mrz.all_checks_valid);
    assert!(read_mrz(&[text_line("hello", 0.0)], &each_row(garbage)).is_none());
    assert!(read_mrz(&[], &each_row(garbage)).is_none());
}

/// Dev check over `/work/shared/devset` specimens (not part of the regular suite): reads each
/// MRZ image end to end (OCR + `read_mrz`) and compares with the expected lines.
#[test]
#[ignore]
fn devset_mrz_specimens_end_to_end() {
    let root = std::path::PathBuf::from(
        std::env::var("KYCD_DEVSET").unwrap_or_else(|_| "/work/shared/devset".into()),
    );
    let models = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models");
    let vision =
        kycd_vision::Vision::load(&kycd_vision::VisionConfig::new(models)).expect("vision");
    let cases = [
        ("mrz/utopia-td2.png", TD2.join("\n")),
        ("mrz/utopia-td3.png", TD3.join("\n")),
        ("docs/de-id-back-specimen.jpg", GERMAN_ID.join("\n")),
    ];
    let mut exact = 0;
    for (file, expected) in &cases {
        let image = image::open(root.join(file))
            .expect("devset image")
            .to_rgb8();
        let view =
            kycd_plugin_api::ImageRef::new(image.width(), image.height(), image.as_raw()).unwrap();
        let started = std::time::Instant::now();
        let mrz = vision.read_mrz(view);
        let elapsed = started.elapsed();
        match mrz {
            Some(mrz) => {
                let lines: Vec<&str> = mrz.lines.iter().map(|l| l.as_str()).collect();
                let same = lines.join("\n") == *expected;
                exact += same as usize;
                println!(
                    "{file}: {} all_checks_valid={} exact={same} in {elapsed:?}",
                    mrz.format, mrz.all_checks_valid
                );
                if !same {
                    println!(
                        "  read:     {}\n  expected: {}",
                        lines.join(" / "),
                        expected.replace('\n', " / ")
                    );
                }
            }
            None => {
                println!("{file}: no MRZ in {elapsed:?}");
                for line in vision.read_text(view, kycd_plugin_api::ReadOptions::latin()) {
                    let reread =
                        vision.recognize_region(view, line.quad, kycd_plugin_api::Charset::MRZ);
                    println!("  line: {}  (MRZ re-read: {})", line.text, reread.text);
                }
            }
        }
    }
    println!("{exact}/{} specimens read exactly", cases.len());
}

/// A request's Latin read of a card, reused by its `read_mrz`, gives the MRZ the whole read
/// gives: the same lines, the same checks (only the re-reading of every line is saved).
#[test]
fn read_mrz_after_the_requests_latin_read_is_the_same_zone() {
    use kycd_plugin_api::ReadOptions;
    use kycd_vision::services::RequestReads;

    let vision = common::vision();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/corpus/nl-id-0000-back-scan.png"
    );
    let image = image::open(path).expect("fixed corpus image").to_rgb8();
    let view = common::image_ref(&image);
    let fresh = vision
        .read_mrz(view)
        .expect("the zone of a scanned card back");
    let reads = RequestReads::default();
    let lines = reads.read_text(vision, view, ReadOptions::latin());
    assert!(!lines.is_empty());
    let reused = reads
        .read_mrz(vision, view)
        .into_option()
        .expect("the zone after the request's read");
    assert_eq!(reused.lines, fresh.lines);
    assert_eq!(reused.all_checks_valid, fresh.all_checks_valid);
    assert!(fresh.all_checks_valid);
    // Another image is never answered from this read.
    let turned = image::imageops::rotate180(&image);
    let turned_reads = reads.read_mrz(vision, common::image_ref(&turned));
    let turned_fresh = vision.read_mrz(common::image_ref(&turned));
    assert_eq!(
        turned_reads.into_option().map(|m| m.lines),
        turned_fresh.map(|m| m.lines)
    );
}
