//! The route's fields from the KTP's raw rows: cleaning, closed-vocabulary snapping and
//! validation (the NIK's encoded birth date and sex against the printed ones).

use kycd_plugin_api::checks::{decode_nik, is_plausible_birth_date, Date};
use kycd_plugin_api::diacritics::strip_diacritics;
use kycd_plugin_api::mrz_identity::today;
use kycd_plugin_api::prelude::*;
use serde_json::json;

use crate::ktp::{KtpText, Label, Read};
use crate::vocab::{self, digits_only, letters_only, snap};

/// The route's keys, in answer order, with their descriptions.
pub const KEYS: [(&str, &str); 16] = [
    ("id", "NIK, 16 digits"),
    ("name", "Nama"),
    ("pob", "Tempat lahir (place of birth)"),
    ("dob", "Tanggal lahir, dd-mm-yyyy"),
    ("gender", "Jenis kelamin: LAKI-LAKI or PEREMPUAN"),
    ("address", "Alamat (street line)"),
    ("rt", "RT, 3 digits"),
    ("rw", "RW, 3 digits"),
    ("village", "Kel/Desa"),
    ("district", "Kecamatan"),
    ("religion", "Agama"),
    ("marital_status", "Status perkawinan"),
    ("work", "Pekerjaan"),
    (
        "nationnality",
        "Kewarganegaraan (WNI/WNA); the key is spelt as in the seed",
    ),
    ("city", "Kabupaten/kota from the header, as printed"),
    (
        "province",
        "Provinsi from the header, without the word PROVINSI",
    ),
];

/// Two-digit province codes of the NIK (Kemendagri) with the province names printed in the
/// header, for the region cross-check. Papua's codes (91-96) changed with the 2022 split and
/// are accepted without a name.
const PROVINCES: &[(&str, &str)] = &[
    ("11", "ACEH"),
    ("12", "SUMATERA UTARA"),
    ("13", "SUMATERA BARAT"),
    ("14", "RIAU"),
    ("15", "JAMBI"),
    ("16", "SUMATERA SELATAN"),
    ("17", "BENGKULU"),
    ("18", "LAMPUNG"),
    ("19", "KEPULAUAN BANGKA BELITUNG"),
    ("21", "KEPULAUAN RIAU"),
    ("31", "DKI JAKARTA"),
    ("32", "JAWA BARAT"),
    ("33", "JAWA TENGAH"),
    ("34", "DI YOGYAKARTA"),
    ("35", "JAWA TIMUR"),
    ("36", "BANTEN"),
    ("51", "BALI"),
    ("52", "NUSA TENGGARA BARAT"),
    ("53", "NUSA TENGGARA TIMUR"),
    ("61", "KALIMANTAN BARAT"),
    ("62", "KALIMANTAN TENGAH"),
    ("63", "KALIMANTAN SELATAN"),
    ("64", "KALIMANTAN TIMUR"),
    ("65", "KALIMANTAN UTARA"),
    ("71", "SULAWESI UTARA"),
    ("72", "SULAWESI TENGAH"),
    ("73", "SULAWESI SELATAN"),
    ("74", "SULAWESI TENGGARA"),
    ("75", "GORONTALO"),
    ("76", "SULAWESI BARAT"),
    ("81", "MALUKU"),
    ("82", "MALUKU UTARA"),
    ("91", ""),
    ("92", ""),
    ("93", ""),
    ("94", ""),
    ("95", ""),
    ("96", ""),
];

/// One field value with its confidence and validity.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Value {
    /// The value as it will be answered.
    pub value: String,
    /// Recogniser confidence.
    pub confidence: f32,
    /// `Some(valid)` when a check applies.
    pub valid: Option<bool>,
}

impl Value {
    fn read(value: impl Into<String>, read: &Read) -> Value {
        Value {
            value: value.into(),
            confidence: read.confidence,
            valid: None,
        }
    }

    fn field(&self, key: &str) -> Field {
        if self.value.is_empty() {
            return Field::absent(key);
        }
        let field = Field::ocr(key, self.value.clone(), self.confidence);
        match self.valid {
            Some(valid) => field.checked(valid),
            None => field,
        }
    }
}

/// The parsed KTP.
#[derive(Clone, Debug, Default)]
pub struct KtpFields {
    /// NIK.
    pub id: Value,
    /// Name.
    pub name: Value,
    /// Place of birth.
    pub pob: Value,
    /// Date of birth, dd-mm-yyyy.
    pub dob: Value,
    /// LAKI-LAKI / PEREMPUAN.
    pub gender: Value,
    /// Street line.
    pub address: Value,
    /// RT.
    pub rt: Value,
    /// RW.
    pub rw: Value,
    /// Kelurahan/desa.
    pub village: Value,
    /// Kecamatan.
    pub district: Value,
    /// Agama.
    pub religion: Value,
    /// Status perkawinan.
    pub marital_status: Value,
    /// Pekerjaan.
    pub work: Value,
    /// Kewarganegaraan.
    pub nationality: Value,
    /// Regency/city header.
    pub city: Value,
    /// Province header.
    pub province: Value,
}

/// A date printed `dd-mm-yyyy` (any separators, OCR digit confusions repaired), formatted
/// `dd-mm-yyyy`; `None` unless 8 digits of an existing date.
pub fn parse_dmy(text: &str) -> Option<(String, Date)> {
    let digits = digits_only(text);
    if digits.len() != 8 {
        return None;
    }
    let day: u32 = digits[0..2].parse().ok()?;
    let month: u32 = digits[2..4].parse().ok()?;
    let year: i32 = digits[4..8].parse().ok()?;
    let date = Date::new(year, month, day)?;
    Some((format!("{day:02}-{month:02}-{year:04}"), date))
}

/// Splits `SEMARANG, 13-11-1984` into the place and the date text.
pub fn split_place_date(text: &str) -> (String, String) {
    if let Some(at) = text.rfind(',') {
        return (
            text[..at].trim().to_string(),
            text[at + 1..].trim().to_string(),
        );
    }
    // No comma read: the date starts at the first digit that is followed by at least 5 more
    // digit-like characters.
    for (at, c) in text.char_indices() {
        if c.is_ascii_digit() && digits_only(&text[at..]).len() >= 6 {
            let place = text[..at].trim().trim_end_matches(['.', ',', ';']);
            return (place.trim().to_string(), text[at..].trim().to_string());
        }
    }
    (text.trim().to_string(), String::new())
}

/// Cleans a value read in letters (names, places).
fn letters(read: Option<&Read>) -> Value {
    read.map(|r| Value::read(letters_only(&r.text), r))
        .unwrap_or_default()
}

/// Cleans a free-text value (diacritics, never printed on a KTP, dropped).
fn plain(read: Option<&Read>) -> Value {
    read.map(|r| {
        let text = strip_diacritics(&r.text);
        Value::read(text.split_whitespace().collect::<Vec<_>>().join(" "), r)
    })
    .unwrap_or_default()
}

/// Street-line words a KTP always prints abbreviated with a dot: jalan, gang, kampung, dusun,
/// kompleks.
const DOTTED_STREET_WORDS: [&str; 5] = ["JL", "GG", "KP", "DSN", "KOMP"];

/// The street line (`JL. MAWAR NO. 163`) as [`plain`], with the dot of an abbreviation the read
/// lost (or read as a comma) put back: a [`DOTTED_STREET_WORDS`] word, and `NO` before a house
/// number.
fn street(read: Option<&Read>) -> Value {
    let mut value = plain(read);
    let words: Vec<&str> = value.value.split(' ').collect();
    let dotted: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            let before_number = words
                .get(i + 1)
                .is_some_and(|next| next.starts_with(|c: char| c.is_ascii_digit()));
            // A dot read as a comma (`NO, 43`) is the dot.
            let stem = word.strip_suffix(',').unwrap_or(word);
            if DOTTED_STREET_WORDS.contains(&stem) || (stem == "NO" && before_number) {
                format!("{stem}.")
            } else {
                word.to_string()
            }
        })
        .collect();
    value.value = dotted.join(" ");
    value
}

/// A closed-vocabulary value: snapped when close, else as read and marked invalid.
fn closed(read: Option<&Read>, vocabulary: &[&'static str], min_similarity: f64) -> Value {
    let Some(read) = read else {
        return Value::default();
    };
    match snap(&read.text, vocabulary, min_similarity) {
        Some(entry) => Value {
            valid: Some(true),
            ..Value::read(entry, read)
        },
        None => Value {
            valid: Some(false),
            ..plain(Some(read))
        },
    }
}

impl KtpFields {
    /// Parses and validates the rows found on the card.
    pub fn parse(ktp: &KtpText) -> KtpFields {
        let row = |label| ktp.row(label);
        let mut fields = KtpFields {
            name: letters(row(Label::Name)),
            address: street(row(Label::Address)),
            village: letters(row(Label::Village)),
            district: letters(row(Label::District)),
            religion: closed(row(Label::Religion), vocab::RELIGIONS, 0.7),
            marital_status: closed(row(Label::Marital), vocab::MARITAL, 0.7),
            city: letters(ktp.city.as_ref()),
            province: letters(ktp.province.as_ref()),
            ..KtpFields::default()
        };
        if let Some(read) = row(Label::BirthPlaceDate) {
            let (place, date) = split_place_date(&read.text);
            fields.pob = Value::read(letters_only(&place), read);
            fields.dob = match parse_dmy(&date) {
                Some((text, date)) => Value {
                    valid: Some(is_plausible_birth_date(date, today())),
                    ..Value::read(text, read)
                },
                None => Value {
                    valid: Some(false),
                    ..Value::read(date, read)
                },
            };
        }
        if let Some(read) = row(Label::Gender) {
            // The blood group shares the row: keep what is before `Gol.`.
            // ASCII upper-casing keeps byte offsets, so `cut` indexes `read.text` too.
            let upper = read.text.to_ascii_uppercase();
            let cut = upper.find("GOL").unwrap_or(upper.len());
            let text = &read.text[..cut];
            let snapped = if upper.contains("LAKI") {
                Some("LAKI-LAKI")
            } else if upper.contains("PEREM") || upper.contains("MPUAN") {
                Some("PEREMPUAN")
            } else {
                snap(text, vocab::GENDERS, 0.6)
            };
            fields.gender = match snapped {
                Some(g) => Value {
                    valid: Some(true),
                    ..Value::read(g, read)
                },
                None => Value {
                    valid: Some(false),
                    ..Value::read(text.trim(), read)
                },
            };
        }
        if let Some(read) = row(Label::RtRw) {
            let groups: Vec<String> = read
                .text
                .split(['/', '\\', ' ', '|'])
                .map(digits_only)
                .filter(|g| !g.is_empty())
                .collect();
            let (rt, rw) = match groups.as_slice() {
                [rt, rw] => (rt.clone(), rw.clone()),
                [both] if both.len() == 6 => (both[..3].to_string(), both[3..].to_string()),
                _ => (String::new(), String::new()),
            };
            for (slot, value) in [(&mut fields.rt, rt), (&mut fields.rw, rw)] {
                if !value.is_empty() {
                    *slot = Value {
                        valid: Some(value.len() == 3),
                        ..Value::read(value, read)
                    };
                }
            }
        }
        fields.work = match row(Label::Work) {
            Some(read) => match snap(&read.text, vocab::OCCUPATIONS, 0.85) {
                Some(entry) => Value::read(entry, read),
                None => plain(Some(read)),
            },
            None => Value::default(),
        };
        fields.nationality = match row(Label::Nationality) {
            Some(read) => {
                let key: String = read
                    .text
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect::<String>()
                    .to_uppercase();
                let value = match key.as_str() {
                    k if k.starts_with("WN") && k.len() == 3 => match &k[2..] {
                        "I" | "1" | "L" | "T" => Some("WNI"),
                        "A" | "4" => Some("WNA"),
                        _ => None,
                    },
                    _ => snap(&key, vocab::NATIONALITIES, 0.6),
                };
                match value {
                    Some(v) => Value {
                        valid: Some(true),
                        ..Value::read(v, read)
                    },
                    None => Value {
                        valid: Some(false),
                        ..plain(Some(read))
                    },
                }
            }
            None => Value::default(),
        };
        if let Some(read) = row(Label::Nik) {
            fields.id = Value::read(digits_only(&read.text), read);
            fields.choose_nik_window();
        }
        fields.validate_nik();
        fields
    }

    /// More than 16 digits read in the NIK row (a neighbouring row's digits joined it): keep the
    /// first 16-digit window that validates, if any.
    fn choose_nik_window(&mut self) {
        let digits = self.id.value.clone();
        if digits.len() <= 16 {
            return;
        }
        for start in 0..=digits.len() - 16 {
            self.id.value = digits[start..start + 16].to_string();
            if self.nik_is_consistent() {
                return;
            }
        }
        self.id.value = digits;
    }

    /// Whether the number validates and every field was read.
    pub fn is_complete(&self) -> bool {
        self.nik_is_consistent() && self.filled() == KEYS.len()
    }

    fn filled(&self) -> usize {
        self.values().iter().filter(|v| !v.value.is_empty()).count()
    }

    /// For choosing between two reads of one card: a validating number first, then the number
    /// of fields read, then the number of fields that pass their checks.
    pub fn quality(&self) -> (bool, usize, usize) {
        let valid = self
            .values()
            .iter()
            .filter(|v| v.valid == Some(true))
            .count();
        (self.nik_is_consistent(), self.filled(), valid)
    }

    fn values(&self) -> [&Value; 16] {
        [
            &self.id,
            &self.name,
            &self.pob,
            &self.dob,
            &self.gender,
            &self.address,
            &self.rt,
            &self.rw,
            &self.village,
            &self.district,
            &self.religion,
            &self.marital_status,
            &self.work,
            &self.nationality,
            &self.city,
            &self.province,
        ]
    }

    /// What the NIK says against the printed fields.
    fn nik_checks(&self) -> NikChecks {
        let decoded = decode_nik(&self.id.value, today().year);
        let mut checks = NikChecks {
            structure: decoded.is_some(),
            ..NikChecks::default()
        };
        let Some(nik) = decoded else {
            return checks;
        };
        let code = &self.id.value[..2];
        checks.province_code_known = PROVINCES.iter().any(|(c, _)| *c == code);
        if let Some((_, date)) = parse_dmy(&self.dob.value) {
            checks.birth_date = Some(
                date.day == nik.birth_date.day
                    && date.month == nik.birth_date.month
                    && date.year.rem_euclid(100) == nik.birth_date.year.rem_euclid(100),
            );
        }
        if self.gender.valid == Some(true) {
            checks.sex = Some((self.gender.value == "PEREMPUAN") == nik.female);
        }
        if let Some((_, name)) = PROVINCES.iter().find(|(c, _)| *c == code) {
            if !name.is_empty() && !self.province.value.is_empty() {
                checks.province_matches_header =
                    Some(strsim::normalized_levenshtein(name, &self.province.value) >= 0.8);
            }
        }
        checks
    }

    /// Whether the NIK has a valid structure and agrees with the printed birth date and sex.
    pub fn nik_is_consistent(&self) -> bool {
        self.nik_checks().consistent()
    }

    fn validate_nik(&mut self) {
        if self.id.value.is_empty() {
            return;
        }
        let checks = self.nik_checks();
        self.id.valid = Some(checks.consistent());
        if let Some(false) = checks.birth_date {
            self.dob.valid = Some(false);
        }
        if let Some(false) = checks.sex {
            self.gender.valid = Some(false);
        }
    }

    /// Takes a second read of the NIK when it validates and the first did not.
    pub fn consider_nik_alternative(&mut self, text: &str, confidence: f32) {
        let digits = digits_only(text);
        let mut candidate = self.clone();
        candidate.id = Value {
            value: digits,
            confidence,
            valid: None,
        };
        if candidate.nik_is_consistent() && !self.nik_is_consistent() {
            self.id = candidate.id;
            self.validate_nik();
        }
    }

    /// The answer: every key, plus the NIK cross-checks under details.
    pub fn into_extraction(self) -> Extraction {
        let checks = self.nik_checks();
        let fields = KEYS
            .iter()
            .zip(self.values())
            .map(|((key, _), value)| value.field(key))
            .collect();
        Extraction::new(fields).with_details(json!({
            "side": "front",
            "model": "e-KTP",
            "nik": {
                "structure_valid": checks.structure,
                "province_code_known": checks.province_code_known,
                "birth_date_matches_dob": checks.birth_date,
                "sex_matches_gender": checks.sex,
                "province_matches_header": checks.province_matches_header,
            },
        }))
    }
}

/// The NIK's cross-checks.
#[derive(Clone, Copy, Debug, Default)]
struct NikChecks {
    structure: bool,
    province_code_known: bool,
    birth_date: Option<bool>,
    sex: Option<bool>,
    province_matches_header: Option<bool>,
}

impl NikChecks {
    /// Valid structure, known province, and no disagreement with what is printed. (The header
    /// is the holder's current domicile; the NIK keeps the region of first registration, so a
    /// header mismatch is reported, not held against the number.)
    fn consistent(&self) -> bool {
        self.structure
            && self.province_code_known
            && self.birth_date != Some(false)
            && self.sex != Some(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn street_abbreviations_get_their_dots_back() {
        let street_of = |text: &str| {
            let read = Read {
                text: text.to_string(),
                confidence: 0.9,
                own_quad: None,
            };
            street(Some(&read)).value
        };
        assert_eq!(street_of("JL MAWAR NO 163"), "JL. MAWAR NO. 163");
        assert_eq!(street_of("JL. MAWAR NO. 163"), "JL. MAWAR NO. 163");
        assert_eq!(street_of("GG  MELATI  NO.5"), "GG. MELATI NO.5");
        assert_eq!(street_of("JL. AHMAD YANI NO, 43"), "JL. AHMAD YANI NO. 43");
        assert_eq!(street_of("JL, MÉLATI"), "JL. MELATI");
        // `NO` not before a number, and words that only start like an abbreviation, stay.
        assert_eq!(street_of("KP BARU NO RT"), "KP. BARU NO RT");
        assert_eq!(street_of("JLN KENANGA"), "JLN KENANGA");
    }

    #[test]
    fn dates_and_places() {
        assert_eq!(
            split_place_date("SEMARANG, 13-11-1984"),
            ("SEMARANG".into(), "13-11-1984".into())
        );
        assert_eq!(
            split_place_date("KOTA BARU 13-11-1984"),
            ("KOTA BARU".into(), "13-11-1984".into())
        );
        assert_eq!(parse_dmy("13-11-1984").unwrap().0, "13-11-1984");
        assert_eq!(parse_dmy("l3.11.I984").unwrap().0, "13-11-1984");
        assert!(parse_dmy("31-02-1984").is_none());
        assert!(parse_dmy("13-11-84").is_none());
    }

    fn read(text: &str) -> Read {
        Read {
            text: text.into(),
            confidence: 0.9,
            own_quad: None,
        }
    }

    fn parsed(nik: &str, dob: &str, gender: &str) -> KtpFields {
        let mut fields = KtpFields {
            dob: Value::read(dob, &read(dob)),
            gender: Value {
                valid: Some(true),
                ..Value::read(gender, &read(gender))
            },
            province: Value::read("JAWA BARAT", &read("")),
            ..KtpFields::default()
        };
        fields.id = Value::read(nik, &read(nik));
        fields.validate_nik();
        fields
    }

    #[test]
    fn nik_is_checked_against_birth_date_and_sex() {
        let ok = parsed("3201011311844671", "13-11-1984", "LAKI-LAKI");
        assert_eq!(ok.id.valid, Some(true));
        let woman = parsed("3201015311844671", "13-11-1984", "PEREMPUAN");
        assert_eq!(woman.id.valid, Some(true));
        let wrong_sex = parsed("3201011311844671", "13-11-1984", "PEREMPUAN");
        assert_eq!(wrong_sex.id.valid, Some(false));
        assert_eq!(wrong_sex.gender.valid, Some(false));
        let wrong_date = parsed("3201011411844671", "13-11-1984", "LAKI-LAKI");
        assert_eq!(wrong_date.id.valid, Some(false));
        let unknown_province = parsed("2001011311844671", "13-11-1984", "LAKI-LAKI");
        assert_eq!(unknown_province.id.valid, Some(false));
    }

    #[test]
    fn a_validating_reread_replaces_a_bad_number() {
        let mut fields = parsed("3201011411844671", "13-11-1984", "LAKI-LAKI");
        assert_eq!(fields.id.valid, Some(false));
        fields.consider_nik_alternative("3201011311844671", 0.8);
        assert_eq!(fields.id.value, "3201011311844671");
        assert_eq!(fields.id.valid, Some(true));
        // A re-read that does not validate is ignored.
        fields.id.value = "3201011411844671".into();
        fields.consider_nik_alternative("3201011511844671", 0.99);
        assert_eq!(fields.id.value, "3201011411844671");
    }
}
