//! Machine-readable zones (ICAO 9303) built with the shared check-digit functions.

use kycd_plugin_api::checks::{icao_check_digit, td1_composite_check_digit, Date};

/// The expected answer for the back of a card whose only fields are in its MRZ: the names as the
/// MRZ spells them, the front's values for `kept` keys (number and dates, converted to the
/// front's format), and `""` for every other key.
pub fn back_message(
    front: &[(&'static str, String)],
    surname: &str,
    given: &str,
    kept: &[&str],
) -> Vec<(&'static str, String)> {
    front
        .iter()
        .map(|(key, value)| {
            let value = match *key {
                "Surname" => transliterate(surname).replace('<', " "),
                "GivenNames" => transliterate(given).replace('<', " "),
                k if kept.contains(&k) => value.clone(),
                _ => String::new(),
            };
            (*key, value)
        })
        .collect()
}

/// Transliterates a name to the MRZ alphabet (ICAO 9303 part 3, section 6): Ä→AE, Ö→OE, Ü→UE,
/// ß→SS, Å→AA, Ø→OE, Æ→AE, other accents dropped; spaces, hyphens and apostrophes become `<`.
pub fn transliterate(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_uppercase().chars() {
        match c {
            'Ä' | 'Æ' => out.push_str("AE"),
            'Ö' | 'Ø' => out.push_str("OE"),
            'Ü' => out.push_str("UE"),
            'ß' => out.push_str("SS"),
            'Å' => out.push_str("AA"),
            'Á' | 'À' | 'Â' | 'Ã' => out.push('A'),
            'É' | 'È' | 'Ê' | 'Ë' => out.push('E'),
            'Í' | 'Ì' | 'Î' | 'Ï' => out.push('I'),
            'Ó' | 'Ò' | 'Ô' | 'Õ' => out.push('O'),
            'Ú' | 'Ù' | 'Û' => out.push('U'),
            'Ñ' => out.push('N'),
            'Ç' => out.push('C'),
            'A'..='Z' | '0'..='9' => out.push(c),
            ' ' | '-' | '\'' => out.push('<'),
            _ => {}
        }
    }
    out
}

fn pad(s: &str, len: usize) -> String {
    let mut s: String = s.chars().take(len).collect();
    while s.len() < len {
        s.push('<');
    }
    s
}

/// The fields of a TD1 (ID-1 card, 3 lines of 30) MRZ.
pub struct Td1<'a> {
    /// Document code, e.g. `ID` or `IC`.
    pub code: &'a str,
    /// Issuing state, 3 characters (`D<<`, `MEX`, `COL`).
    pub issuer: &'a str,
    /// Document number, up to 9 characters.
    pub number: &'a str,
    /// Optional data of line 1 (15 characters max).
    pub optional1: &'a str,
    /// Date of birth.
    pub birth: Date,
    /// `M`, `F` or `<`.
    pub sex: char,
    /// Date of expiry.
    pub expiry: Date,
    /// Nationality, 3 characters.
    pub nationality: &'a str,
    /// Optional data of line 2 (11 characters max).
    pub optional2: &'a str,
    /// Primary identifier (surname), as printed.
    pub surname: &'a str,
    /// Secondary identifier (given names), as printed.
    pub given: &'a str,
}

impl Td1<'_> {
    /// The three lines, with all check digits.
    pub fn lines(&self) -> [String; 3] {
        let number = pad(self.number, 9);
        let check = icao_check_digit(&number).unwrap_or('0');
        let line1 = pad(
            &format!(
                "{}{}{}{}{}",
                pad(self.code, 2),
                pad(self.issuer, 3),
                number,
                check,
                self.optional1
            ),
            30,
        );
        let birth = self.birth.yymmdd();
        let expiry = self.expiry.yymmdd();
        let mut line2 = format!(
            "{}{}{}{}{}{}{}",
            birth,
            icao_check_digit(&birth).unwrap_or('0'),
            self.sex,
            expiry,
            icao_check_digit(&expiry).unwrap_or('0'),
            pad(self.nationality, 3),
            pad(self.optional2, 11)
        );
        let composite = td1_composite_check_digit(&line1, &format!("{line2}0")).unwrap_or('0');
        line2.push(composite);
        let name = format!(
            "{}<<{}",
            transliterate(self.surname),
            transliterate(self.given)
        );
        [line1, line2, pad(&name, 30)]
    }
}
