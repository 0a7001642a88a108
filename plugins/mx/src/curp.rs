//! The CURP and the clave de elector: OCR repair by position, and what they encode checked
//! against the printed fields.

use kycd_plugin_api::checks::{decode_curp, Curp, Date, CURP_INCONVENIENT_WORDS, CURP_STATES};
use kycd_plugin_api::lookalike::{digit_for as as_digit, letter_for as as_letter};
use serde_json::{json, Value};

/// Characters of an 18-character code: upper case, separators dropped.
fn code_chars(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// A CURP as read, repaired where its structure says a letter or a digit must stand (the
/// differentiator, position 17, is a digit for births before 2000 and a letter after: its
/// check-digit weight cannot tell `6` from `G`, so the printed `birth_year` decides when known).
/// Returns the repaired text and its decoding when the check digit holds. `None` when the text
/// is not 18 characters.
pub fn repair_curp(text: &str, birth_year: Option<i32>) -> Option<(String, Option<Curp>)> {
    let chars = code_chars(text);
    if chars.len() != 18 {
        return None;
    }
    let mut out: Vec<char> = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| match i {
            0..=3 | 10..=15 => as_letter(c),
            4..=9 | 17 => as_digit(c),
            _ => c,
        })
        .collect();
    // The differentiator is a digit (1900s) or a letter (2000s): try both readings.
    let read = out[16];
    let candidates = match birth_year {
        Some(year) if year < 2000 => vec![as_digit(read)],
        Some(_) => vec![as_letter(read)],
        None => vec![read, as_digit(read), as_letter(read)],
    };
    for candidate in candidates {
        out[16] = candidate;
        let text: String = out.iter().collect();
        if let Some(decoded) = decode_curp(&text) {
            return Some((text, Some(decoded)));
        }
    }
    out[16] = chars[16];
    Some((out.iter().collect(), None))
}

/// Whether `text` has the shape of a clave de elector: 6 letters, 8 digits (birth date and
/// state), `H`/`M`, 3 digits. Returns it repaired by position.
pub fn repair_voter_id(text: &str) -> Option<String> {
    let chars = code_chars(text);
    if chars.len() != 18 {
        return None;
    }
    let out: String = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| match i {
            0..=5 => as_letter(c),
            14 => match c {
                'N' => 'M',
                other => other,
            },
            _ => as_digit(c),
        })
        .collect();
    let ok = out.chars().take(6).all(|c| c.is_ascii_uppercase())
        && out.chars().skip(6).take(8).all(|c| c.is_ascii_digit())
        && matches!(out.chars().nth(14), Some('H' | 'M'))
        && out.chars().skip(15).all(|c| c.is_ascii_digit());
    ok.then_some(out)
}

fn is_vowel(c: char) -> bool {
    "AEIOU".contains(c)
}

/// RENAPO letters of a name part: `Ñ` counts as `X`, accents dropped, other signs ignored.
fn letters(name: &str) -> Vec<char> {
    kycd_plugin_api::card_reading::fold(&name.replace('Ñ', "X"))
        .chars()
        .filter(|c| c.is_ascii_uppercase())
        .collect()
}

/// The part of a (possibly compound) name RENAPO uses: the second given name when the first is
/// MARIA or JOSE; particles (DE, DEL, LA, LAS, LOS, Y, MC, MAC, VAN, VON) skipped.
fn significant_part(name: &str, given: bool) -> String {
    const PARTICLES: [&str; 11] = [
        "DA", "DAS", "DE", "DEL", "DER", "DI", "DIE", "LA", "LAS", "LOS", "Y",
    ];
    let parts: Vec<String> = name
        .split_whitespace()
        .map(kycd_plugin_api::card_reading::fold)
        .filter(|p| !PARTICLES.contains(&p.as_str()))
        .collect();
    if given
        && parts.len() > 1
        && matches!(
            parts[0].as_str(),
            "MARIA" | "MA." | "MA" | "JOSE" | "J." | "J"
        )
    {
        return parts[1].clone();
    }
    parts.first().cloned().unwrap_or_default()
}

fn first_internal(name: &str, vowel: bool) -> char {
    letters(name)
        .into_iter()
        .skip(1)
        .find(|&c| is_vowel(c) == vowel)
        .unwrap_or('X')
}

/// The four initials and three internal consonants RENAPO derives from the printed names.
pub fn name_letters(father: &str, mother: &str, given: &str) -> (String, String) {
    let (father, mother, given) = (
        significant_part(father, false),
        significant_part(mother, false),
        significant_part(given, true),
    );
    let first = |s: &str| letters(s).first().copied().unwrap_or('X');
    let mut initials: String = [
        first(&father),
        first_internal(&father, true),
        first(&mother),
        first(&given),
    ]
    .iter()
    .collect();
    if CURP_INCONVENIENT_WORDS.contains(&initials.as_str()) {
        initials.replace_range(1..2, "X");
    }
    let consonants: String = [
        first_internal(&father, false),
        first_internal(&mother, false),
        first_internal(&given, false),
    ]
    .iter()
    .collect();
    (initials, consonants)
}

/// The printed values the CURP is compared with.
pub struct Printed<'a> {
    /// Paternal surname.
    pub father: &'a str,
    /// Maternal surname.
    pub mother: &'a str,
    /// Given names.
    pub given: &'a str,
    /// Date of birth, when it parsed.
    pub birth: Option<Date>,
    /// `H` or `M`.
    pub gender: &'a str,
    /// The clave de elector as read.
    pub voter_id: &'a str,
}

/// Cross-checks of a valid CURP against the printed fields: `true` where they agree, `false`
/// where they do not, `null` where the printed value is missing.
pub fn cross_check(curp: &str, decoded: &Curp, printed: &Printed<'_>) -> Value {
    let chars: Vec<char> = curp.chars().collect();
    let names_known = !printed.father.is_empty() && !printed.given.is_empty();
    let (initials, consonants) = name_letters(printed.father, printed.mother, printed.given);
    let curp_initials: String = chars.iter().take(4).collect();
    let curp_consonants: String = chars.iter().skip(13).take(3).collect();
    let state = CURP_STATES
        .iter()
        .find(|(code, _)| *code == decoded.state)
        .map(|(_, name)| *name);
    let voter: Vec<char> = printed.voter_id.chars().collect();
    let voter_checks = (voter.len() == 18).then(|| {
        let birth: String = voter[6..12].iter().collect();
        json!({
            "birthDate": printed.birth.map(|d| d.yymmdd() == birth),
            "sex": voter[14].to_string() == printed.gender,
        })
    });
    json!({
        "nameInitials": names_known.then(|| curp_initials == initials),
        "nameConsonants": names_known.then(|| curp_consonants == consonants),
        "birthDate": printed.birth.map(|d| d == decoded.birth_date),
        "sex": (!printed.gender.is_empty()).then(|| printed.gender.starts_with(decoded.sex)),
        "birthState": decoded.state,
        "birthStateName": state,
        "voterId": voter_checks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curp_is_repaired_by_position_and_proven_by_its_check_digit() {
        let (text, decoded) = repair_curp("JIVR64O33OHDFMZC2O", Some(1964)).unwrap();
        assert_eq!(text, "JIVR640330HDFMZC20");
        assert!(decoded.is_some());
        let (_, decoded) = repair_curp("JIVR640330HDFMZC21", None).unwrap();
        assert!(decoded.is_none());
        assert!(repair_curp("JIVR640330", None).is_none());
        // 6 and G weigh the same in the check digit: the birth year decides.
        let (text, _) = repair_curp("RUTL041004MJCZRT69", Some(2004)).unwrap();
        assert_eq!(text, "RUTL041004MJCZRTG9");
    }

    #[test]
    fn voter_id_shape() {
        assert_eq!(
            repair_voter_id("JMVZRC64O33009H839").as_deref(),
            Some("JMVZRC64033009H839")
        );
        assert!(repair_voter_id("JIVR640330HDFMZC20").is_none());
    }

    #[test]
    fn name_letters_follow_renapo() {
        assert_eq!(
            name_letters("JIMENEZ", "VAZQUEZ", "RICARDO"),
            ("JIVR".to_string(), "MZC".to_string())
        );
        assert_eq!(
            name_letters("MUÑOZ", "ORTIZ", "MARIA JOSE").0,
            "MUOJ".to_string()
        );
        assert_eq!(name_letters("DE LA CRUZ", "PEREZ", "ANA").0, "CUPA");
    }

    #[test]
    fn cross_check_flags_a_wrong_birth_date() {
        let curp = "JIVR640330HDFMZC20";
        let decoded = decode_curp(curp).unwrap();
        let printed = Printed {
            father: "JIMENEZ",
            mother: "VAZQUEZ",
            given: "RICARDO",
            birth: Date::new(1964, 3, 31),
            gender: "H",
            voter_id: "JMVZRC64033009H839",
        };
        let checks = cross_check(curp, &decoded, &printed);
        assert_eq!(checks["nameInitials"], true);
        assert_eq!(checks["birthDate"], false);
        assert_eq!(checks["sex"], true);
        assert_eq!(checks["birthState"], "DF");
        assert_eq!(checks["voterId"]["birthDate"], false);
    }
}
