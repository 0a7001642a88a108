//! Phone number normalisation (libphonenumber rules via the `phonenumber` crate)
//! and masking for logs.

use phonenumber::{country, Mode};

/// Longest input accepted before parsing (libphonenumber's own limit is 250).
const MAX_INPUT_LEN: usize = 64;

/// Normalises `number` to E.164 (`+6281234567890`).
///
/// `country` (ISO 3166-1 alpha-2, case-insensitive) is used when the number is
/// written in national form. The error is a message fit for the client; it
/// never repeats the number.
pub fn normalize(number: &str, country: Option<&str>) -> Result<String, String> {
    let number = number.trim();
    if number.len() > MAX_INPUT_LEN {
        return Err("number is too long".into());
    }
    let region = match country.map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(code) => {
            let upper = code.to_ascii_uppercase();
            let id = (upper.len() == 2 && upper.bytes().all(|b| b.is_ascii_alphabetic()))
                .then(|| upper.parse::<country::Id>().ok())
                .flatten()
                .ok_or_else(|| format!("unknown country code '{}'", truncate(code, 8)))?;
            Some(id)
        }
    };
    // The parser has had panicking inputs in the past (RUSTSEC-2023-0069):
    // a panic is treated as "not a phone number", never passed on.
    let parsed = std::panic::catch_unwind(|| phonenumber::parse(region, number))
        .unwrap_or(Err(phonenumber::ParseError::NoNumber));
    let parsed = parsed.map_err(|_| match region {
        None if !number.starts_with('+') => {
            "number has no country code; give it in international form (+...) or pass `country`"
                .to_string()
        }
        _ => "number is not a phone number".to_string(),
    })?;
    if !phonenumber::is_valid(&parsed) {
        let place = region
            .map(|id| id.as_ref().to_string())
            .or_else(|| parsed.country().id().map(|id| id.as_ref().to_string()));
        return Err(match place {
            Some(place) => format!("number is not a possible phone number in {place}"),
            None => "number is not a possible phone number".to_string(),
        });
    }
    Ok(parsed.format().mode(Mode::E164).to_string())
}

/// Masks an E.164 number for logs: only the last two digits remain (`+*********22`).
pub fn mask(e164: &str) -> String {
    let digits = e164.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    e164.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen + 2 > digits {
                    return c;
                }
                return '*';
            }
            c
        })
        .collect()
}

fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_and_international_forms_agree() {
        assert_eq!(
            normalize("0917 123 4567", Some("PH")).unwrap(),
            "+639171234567"
        );
        assert_eq!(
            normalize("+63 917 123 4567", None).unwrap(),
            "+639171234567"
        );
        assert_eq!(
            normalize("0912 345 678", Some("vn")).unwrap(),
            "+84912345678"
        );
        assert_eq!(
            normalize("98765 43210", Some("IN")).unwrap(),
            "+919876543210"
        );
        assert_eq!(
            normalize("0812-3456-7890", Some("ID")).unwrap(),
            "+6281234567890"
        );
        // An international number ignores the country hint.
        assert_eq!(
            normalize("+919876543210", Some("PH")).unwrap(),
            "+919876543210"
        );
    }

    #[test]
    fn impossible_numbers_are_refused() {
        for (number, country) in [
            ("12345", "PH"),
            ("0917 123", "PH"),
            ("0123", "VN"),
            ("0912 345 678 999 1", "VN"),
            ("12345", "IN"),
            ("0000000000", "IN"),
        ] {
            let err = normalize(number, Some(country)).unwrap_err();
            assert!(!err.contains(number), "{err}");
        }
        assert!(normalize("hello", Some("PH")).is_err());
        assert!(normalize("9171234567", None)
            .unwrap_err()
            .contains("country"));
    }

    #[test]
    fn unknown_country_is_refused() {
        assert!(normalize("09171234567", Some("XX"))
            .unwrap_err()
            .contains("unknown country"));
        assert!(normalize("09171234567", Some("PHL"))
            .unwrap_err()
            .contains("unknown country"));
    }

    #[test]
    fn mask_keeps_last_two_digits() {
        assert_eq!(mask("+6284921089722"), "+***********22");
        assert_eq!(mask("+1"), "+1");
    }
}

#[cfg(test)]
mod fuzz {
    use super::*;

    /// Deterministic pseudo-random inputs built from phone-ish characters.
    #[test]
    fn arbitrary_input_never_panics() {
        let alphabet: Vec<char> = "0123456789+-() .x#*;=ext,tel:/١٢٣+０１２abcZ\u{200b}ह"
            .chars()
            .collect();
        let countries = [
            None,
            Some("PH"),
            Some("VN"),
            Some("IN"),
            Some("ID"),
            Some("US"),
            Some("001"),
            Some(""),
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = (next() % 30) as usize;
            let input: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let country = countries[(next() % countries.len() as u64) as usize];
            if let Ok(e164) = normalize(&input, country) {
                assert!(
                    e164.starts_with('+') && e164[1..].bytes().all(|b| b.is_ascii_digit()),
                    "{e164}"
                );
            }
        }
    }
}
