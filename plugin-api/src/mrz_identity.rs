//! The identity a card's machine-readable zone states, ready for a plugin to format.
//!
//! Card backs (German, Dutch, Norwegian, Swedish, Mexican, Colombian ID cards) repeat the
//! holder's data in a TD1 MRZ. The host finds and parses the zone ([`Host::read_mrz`]); this
//! module turns the parsed fields into typed values (dates with their century resolved, names
//! split, sex and check-digit outcomes) so that each plugin only decides how its card prints
//! them.
//!
//! ```ignore
//! let mrz = host.read_mrz(image).ok_or_else(|| ExtractError::not_this_document("no MRZ"))?;
//! let id = MrzIdentity::from_mrz(&mrz, today());
//! if id.issuing_state != "D" { return Err(ExtractError::not_this_document("not a German card")); }
//! let birth = id.birth_date.field("DateOfBirth", |d| d.map(|d| format!("{:02}.{:02}.{}", d.day, d.month, d.year)));
//! ```
//!
//! [`Host::read_mrz`]: crate::Host::read_mrz

use crate::checks::{resolve_two_digit_year, Date};
use crate::fields::Field;
use crate::types::Mrz;

/// Confidence given to a value whose check digit holds.
pub const CONFIDENCE_CHECKED: f32 = 0.99;
/// Confidence given to a value without a check digit (names, sex, nationality) in a zone whose
/// other check digits all hold.
pub const CONFIDENCE_UNCHECKED: f32 = 0.9;
/// Confidence given to a value whose check digit fails, or to an unchecked value in a zone with
/// a failing check digit.
pub const CONFIDENCE_FAILED: f32 = 0.4;

/// One value of the zone with the outcome of its check digit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MrzValue<T> {
    /// The value; `None` (for dates) when the characters do not form a calendar date.
    pub value: T,
    /// `Some(valid)` for a value protected by a check digit, `None` otherwise.
    pub check_digit_valid: Option<bool>,
    /// Whether every check digit of the zone (composite included) holds.
    pub zone_valid: bool,
}

impl<T> MrzValue<T> {
    /// The confidence of this value: high when its own check digit holds, lower when it has no
    /// check digit, low when its check digit (or the zone's) fails.
    pub fn confidence(&self) -> f32 {
        match (self.check_digit_valid, self.zone_valid) {
            (Some(true), _) => CONFIDENCE_CHECKED,
            (Some(false), _) | (None, false) => CONFIDENCE_FAILED,
            (None, true) => CONFIDENCE_UNCHECKED,
        }
    }

    /// A [`Field`] with source `mrz`, this value's confidence and, for a checked value, its
    /// validity. `format` turns the value into the text the card prints (e.g. a date in the
    /// front side's format); a `None` result gives an empty value marked invalid.
    pub fn field(&self, key: &str, format: impl FnOnce(&T) -> Option<String>) -> Field {
        match format(&self.value) {
            Some(text) => {
                let field = Field::ocr(key, text, self.confidence()).from_source("mrz");
                match self.check_digit_valid {
                    Some(valid) => field.checked(valid),
                    None => field,
                }
            }
            None => Field::ocr(key, "", CONFIDENCE_FAILED)
                .from_source("mrz")
                .checked(false),
        }
    }
}

/// The holder's identity as an MRZ states it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MrzIdentity {
    /// `TD1`, `TD2` or `TD3`.
    pub format: String,
    /// Document code as printed (`I`, `ID`, `IR`, `P`, ...), fillers removed.
    pub document_code: String,
    /// Issuing state or organisation (ICAO code, e.g. `D`, `NLD`, `MEX`).
    pub issuing_state: String,
    /// Document number, fillers removed.
    pub document_number: MrzValue<String>,
    /// Surname(s), `<` between parts read as spaces.
    pub surname: MrzValue<String>,
    /// Given names, `<` between parts read as spaces.
    pub given_names: MrzValue<String>,
    /// Date of birth; the century is the latest one that does not put it in the future.
    pub birth_date: MrzValue<Option<Date>>,
    /// Date of expiry; the century is the one that puts it closest to `today`'s year.
    pub expiry_date: MrzValue<Option<Date>>,
    /// `M`, `F`, or empty when unspecified (`<`/`X`).
    pub sex: MrzValue<String>,
    /// Nationality (ICAO code).
    pub nationality: MrzValue<String>,
    /// Optional data of line 1 (TD1) or line 2 (TD3), fillers removed.
    pub optional_data: MrzValue<String>,
    /// Optional data of line 2 (TD1 only), fillers removed.
    pub optional_data_2: MrzValue<String>,
    /// Whether every check digit of the zone holds.
    pub all_checks_valid: bool,
}

impl MrzIdentity {
    /// Reads the typed identity out of a parsed zone. `today` resolves two-digit years.
    pub fn from_mrz(mrz: &Mrz, today: Date) -> MrzIdentity {
        let zone_valid = mrz.all_checks_valid;
        let text = |name: &str| MrzValue {
            value: mrz
                .field(name)
                .map(|f| f.value.as_str().trim().to_string())
                .unwrap_or_default(),
            check_digit_valid: mrz
                .field(name)
                .and_then(|f| f.check_digit_valid.into_option()),
            zone_valid,
        };
        let date = |name: &str, resolve: fn(u32, Date) -> i32| {
            let raw = text(name);
            MrzValue {
                value: parse_mrz_date(&raw.value, |yy| resolve(yy, today)),
                check_digit_valid: raw.check_digit_valid,
                zone_valid,
            }
        };
        let sex = text("sex");
        let sex = MrzValue {
            value: match sex.value.as_str() {
                "M" | "F" => sex.value.clone(),
                _ => String::new(),
            },
            ..sex
        };
        MrzIdentity {
            format: mrz.format.to_string(),
            document_code: text("document_code").value,
            issuing_state: text("issuing_state").value,
            document_number: text("document_number"),
            surname: text("surname"),
            given_names: text("given_names"),
            birth_date: date("birth_date", |yy, today| {
                resolve_two_digit_year(yy, today.year)
            }),
            expiry_date: date("expiry_date", resolve_expiry_year),
            sex,
            nationality: text("nationality"),
            optional_data: text("optional_data"),
            optional_data_2: text("optional_data_2"),
            all_checks_valid: zone_valid,
        }
    }
}

/// The century for an expiry year: documents are valid for at most a few decades, so the year
/// is taken within 50 years before to 50 years after `today`.
fn resolve_expiry_year(yy: u32, today: Date) -> i32 {
    resolve_two_digit_year(yy, today.year + 50)
}

fn parse_mrz_date(yymmdd: &str, resolve_year: impl Fn(u32) -> i32) -> Option<Date> {
    if yymmdd.len() != 6 || !yymmdd.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let part = |i: usize| yymmdd[i..i + 2].parse::<u32>().ok();
    Date::new(resolve_year(part(0)?), part(2)?, part(4)?)
}

/// Today's date (UTC) from the system clock, for resolving two-digit years and checking that
/// dates are plausible. Reading the clock is the one outside fact a plugin may use.
pub fn today() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Date::from_days_since_epoch((seconds / 86_400) as i64)
}

/// The ICAO 9303 transliteration of a name as a machine-readable zone prints it (Doc 9303 part 3,
/// section 6: `Ä` → `AE`, `Ö` → `OE`, `Ü` → `UE`, `ß` → `SS`, `Å` → `AA`, other diacritics
/// dropped, `-` and `'` as spaces), in upper case with single spaces. A card's front prints
/// `MÜLLER` where its back's zone prints `MUELLER`: compare a front's names with a back's (or
/// with [`MrzIdentity`]'s) through this, field by field, to cross-check the two sides.
pub fn mrz_transliteration(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_uppercase) {
        match c {
            'Ä' | 'Æ' => out.push_str("AE"),
            'Ö' | 'Ø' | 'Œ' => out.push_str("OE"),
            'Ü' => out.push_str("UE"),
            'ẞ' | 'ß' => out.push_str("SS"),
            'Å' => out.push_str("AA"),
            'À' | 'Á' | 'Â' | 'Ã' => out.push('A'),
            'Ç' => out.push('C'),
            'È' | 'É' | 'Ê' | 'Ë' => out.push('E'),
            'Ì' | 'Í' | 'Î' | 'Ï' => out.push('I'),
            'Ñ' => out.push('N'),
            'Ò' | 'Ó' | 'Ô' | 'Õ' => out.push('O'),
            'Ù' | 'Ú' | 'Û' => out.push('U'),
            'Ý' | 'Ÿ' => out.push('Y'),
            '-' | '\'' => out.push(' '),
            c if c.is_ascii_alphanumeric() || c == ' ' => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{MrzField, Quad};
    use abi_stable::std_types::{ROption, RString, RVec};

    fn zone(fields: &[(&str, &str, Option<bool>)], valid: bool) -> Mrz {
        Mrz {
            format: "TD1".into(),
            lines: RVec::new(),
            fields: fields
                .iter()
                .map(|(name, value, check)| MrzField {
                    name: RString::from(*name),
                    value: RString::from(*value),
                    check_digit_valid: match check {
                        Some(v) => ROption::RSome(*v),
                        None => ROption::RNone,
                    },
                })
                .collect(),
            all_checks_valid: valid,
            quad: Quad::default(),
        }
    }

    const TODAY: Date = Date {
        year: 2026,
        month: 11,
        day: 26,
    };

    #[test]
    fn reads_a_german_td1_with_centuries_resolved() {
        let mrz = zone(
            &[
                ("document_code", "ID", None),
                ("issuing_state", "D", None),
                ("document_number", "T22000129", Some(true)),
                ("birth_date", "640812", Some(true)),
                ("sex", "<", None),
                ("expiry_date", "310331", Some(true)),
                ("nationality", "D", None),
                ("surname", "MUSTERMANN", None),
                ("given_names", "ERIKA", None),
            ],
            true,
        );
        let id = MrzIdentity::from_mrz(&mrz, TODAY);
        assert_eq!(id.issuing_state, "D");
        assert_eq!(id.document_number.value, "T22000129");
        assert_eq!(id.birth_date.value, Date::new(1964, 8, 12));
        assert_eq!(id.expiry_date.value, Date::new(2031, 3, 31));
        assert_eq!(id.sex.value, "");
        assert_eq!(id.surname.value, "MUSTERMANN");
        let field = id.birth_date.field("DateOfBirth", |d| {
            d.map(|d| format!("{:02}.{:02}.{}", d.day, d.month, d.year))
        });
        assert_eq!(field.value.as_str(), "12.08.1964");
        assert_eq!(field.source.as_str(), "mrz");
        assert_eq!(field.valid, crate::Validity::VALID);
        assert_eq!(field.confidence, CONFIDENCE_CHECKED);
    }

    #[test]
    fn a_failed_check_digit_lowers_confidence_and_marks_the_field() {
        let mrz = zone(
            &[
                ("document_number", "L01X00T47", Some(false)),
                ("birth_date", "991332", Some(true)),
                ("surname", "ERIKSSON", None),
            ],
            false,
        );
        let id = MrzIdentity::from_mrz(&mrz, TODAY);
        let number = id.document_number.field("CardNo", |v| Some(v.clone()));
        assert_eq!(number.valid, crate::Validity::INVALID);
        assert_eq!(number.confidence, CONFIDENCE_FAILED);
        assert_eq!(id.surname.confidence(), CONFIDENCE_FAILED);
        // 32 December is not a date: an empty value marked invalid, never an invented one.
        assert_eq!(id.birth_date.value, None);
        let birth = id
            .birth_date
            .field("DateOfBirth", |d| d.map(|d| d.year.to_string()));
        assert_eq!(birth.value.as_str(), "");
        assert_eq!(birth.valid, crate::Validity::INVALID);
    }

    #[test]
    fn expiry_years_stay_near_today() {
        assert_eq!(resolve_expiry_year(75, TODAY), 2075);
        assert_eq!(resolve_expiry_year(77, TODAY), 1977);
        assert_eq!(resolve_expiry_year(5, TODAY), 2005);
    }

    #[test]
    fn today_is_after_this_code_was_written() {
        assert!(today() >= Date::new(2026, 11, 1).unwrap());
    }

    #[test]
    fn names_transliterate_as_the_mrz_prints_them() {
        assert_eq!(mrz_transliteration("MÜLLER"), "MUELLER");
        assert_eq!(mrz_transliteration("Gößner"), "GOESSNER");
        assert_eq!(mrz_transliteration("ANNA LENA"), "ANNA LENA");
        assert_eq!(mrz_transliteration("JÉRÔME"), "JEROME");
        assert_eq!(mrz_transliteration("O'BRIEN-SMITH"), "O BRIEN SMITH");
        assert_eq!(mrz_transliteration("ÅSE"), "AASE");
        assert_eq!(mrz_transliteration(""), "");
    }
}
