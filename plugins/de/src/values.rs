//! Parsing and formatting of the values German cards print, from OCR text: dates, the identity
//! card number and the licence number (the licence categories are in [`crate::categories`]).
//! Pure functions, no models.

use kycd_plugin_api::checks::{
    is_valid_german_id_number, resolve_two_digit_year, Date, GERMAN_ID_ALPHABET,
};
use kycd_plugin_api::printed_date::{format_numeric_date, YearDigits};

/// `dd.mm.yyyy`, as the identity card and the licence print issue and expiry dates.
pub fn format_long(date: Date) -> String {
    format_numeric_date(date, '.', YearDigits::Four)
}

/// `dd.mm.yy`, as the licence prints the date of birth (field 3).
pub fn format_short(date: Date) -> String {
    format_numeric_date(date, '.', YearDigits::Two)
}

/// Reads a digit where OCR may have read a look-alike letter.
fn as_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        'O' | 'o' | 'D' | 'Q' | 'U' => Some('0'),
        'I' | 'l' | 'i' | '|' | '!' | 'L' => Some('1'),
        'Z' | 'z' => Some('2'),
        'S' | 's' => Some('5'),
        'B' => Some('8'),
        'G' | 'b' => Some('6'),
        'T' => Some('7'),
        'g' | 'q' => Some('9'),
        _ => None,
    }
}

/// Whether a date is printed with a four- or a two-digit year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateWidth {
    /// `dd.mm.yyyy`.
    Long,
    /// `dd.mm.yy`.
    Short,
}

/// A date printed as `dd.mm.yyyy` ([`DateWidth::Long`]) or `dd.mm.yy` ([`DateWidth::Short`])
/// at the start of `text`, read leniently (`,`/`:`/space or nothing for the dots, O for 0): the
/// date and the rest of the line after it. Two-digit years are resolved to the latest year not
/// after `reference_year`.
pub fn parse_date_prefix(
    text: &str,
    width: DateWidth,
    reference_year: i32,
) -> Option<(Date, String)> {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut pos = 0;
    let number = |count: usize, pos: &mut usize| -> Option<u32> {
        let mut value = 0;
        for _ in 0..count {
            let digit = as_digit(*chars.get(*pos)?)?;
            value = value * 10 + digit.to_digit(10)?;
            *pos += 1;
        }
        Some(value)
    };
    let separator = |pos: &mut usize| {
        if chars
            .get(*pos)
            .is_some_and(|c| matches!(c, '.' | ',' | ':' | ' ' | '-' | '\'' | '·'))
        {
            *pos += 1;
        }
    };
    let day = number(2, &mut pos)?;
    separator(&mut pos);
    let month = number(2, &mut pos)?;
    separator(&mut pos);
    let year = match width {
        DateWidth::Long => number(4, &mut pos)? as i32,
        DateWidth::Short => resolve_two_digit_year(number(2, &mut pos)?, reference_year),
    };
    // A further digit means the date was longer than this width.
    if chars.get(pos).is_some_and(char::is_ascii_digit) {
        return None;
    }
    let date = Date::new(year, month, day)?;
    let rest: String = chars[pos..].iter().collect();
    Some((date, rest.trim().to_string()))
}

/// A whole-line date (`dd.mm.yyyy`), nothing else of substance on the line.
pub fn parse_long_date(text: &str) -> Option<Date> {
    let (date, rest) = parse_date_prefix(text, DateWidth::Long, 0)?;
    (rest.chars().filter(|c| c.is_alphanumeric()).count() <= 1).then_some(date)
}

/// The identity card number (9 characters of [`GERMAN_ID_ALPHABET`]) in a line read by OCR.
///
/// The alphabet has no vowels and no B, D, Q, S, so a letter OCR reads outside it is the digit
/// it looks like (O/D/Q → 0, I → 1, B → 8, S → 5). `Z` and `2` are both in the alphabet, so the
/// front alone cannot tell them apart; the number is returned as read in that case.
pub fn card_number(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if compact.chars().count() != 9 {
        return None;
    }
    let fixed: String = compact
        .chars()
        .map(|c| {
            if GERMAN_ID_ALPHABET.contains(c) {
                Some(c)
            } else {
                match c {
                    'O' | 'D' | 'Q' => Some('0'),
                    'I' => Some('1'),
                    'B' => Some('8'),
                    'S' => Some('5'),
                    _ => None,
                }
            }
        })
        .collect::<Option<String>>()?;
    // A card number is not a run of nine digits (a phone number); it may hold a single digit
    // or none (about one number in seven has at most one: `FTL5KHRNN`).
    let digits = fixed.chars().filter(char::is_ascii_digit).count();
    let repaired = fixed
        .chars()
        .zip(compact.chars())
        .filter(|(a, b)| a != b)
        .count();
    (is_valid_german_id_number(&fixed) && digits < 9 && repaired <= 3).then_some(fixed)
}

/// The driving-licence number (field 5): 11 characters, an authority code of four letters and
/// digits, a five-digit serial, a check character (digit or `X`) and the issue count (digit).
/// Positions that must be digits are repaired from look-alike letters.
pub fn licence_number(text: &str) -> Option<String> {
    let compact: Vec<char> = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if compact.len() != 11 {
        return None;
    }
    let mut out = String::with_capacity(11);
    for (i, &c) in compact.iter().enumerate() {
        let fixed = match i {
            0 => match c {
                '0' => 'O',
                '1' => 'I',
                '8' => 'B',
                '5' => 'S',
                '2' => 'Z',
                c if c.is_ascii_uppercase() => c,
                _ => return None,
            },
            1..=3 => {
                if !c.is_ascii_alphanumeric() {
                    return None;
                }
                c
            }
            9 if c == 'X' => 'X',
            _ => as_digit(c)?,
        };
        out.push(fixed);
    }
    Some(out)
}

/// A name or place as a German card prints it: the recogniser reads an umlaut's two dots as an
/// acute, grave or circumflex accent now and then (`MÚNCHEN`); German spelling has only the
/// umlaut on A, O and U, so those are read as `Ä`, `Ö`, `Ü`. (A name spelt with `Á`, `Ó` or
/// `Ú`, rare on German cards, is returned with the umlaut: a known limit.)
pub fn umlauts(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'Á' | 'À' | 'Â' => 'Ä',
            'Ó' | 'Ò' | 'Ô' => 'Ö',
            'Ú' | 'Ù' | 'Û' => 'Ü',
            'á' | 'à' | 'â' => 'ä',
            'ó' | 'ò' | 'ô' => 'ö',
            'ú' | 'ù' | 'û' => 'ü',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn long_dates_read_leniently_and_format_as_printed() {
        assert_eq!(parse_long_date("01.08.1983"), Some(date(1983, 8, 1)));
        assert_eq!(parse_long_date("05,11.2029"), Some(date(2029, 11, 5)));
        assert_eq!(parse_long_date("O5.11.2O29"), Some(date(2029, 11, 5)));
        assert_eq!(parse_long_date("31.02.2020"), None);
        assert_eq!(parse_long_date("DEUTSCH"), None);
        assert_eq!(format_long(date(1983, 8, 1)), "01.08.1983");
    }

    #[test]
    fn short_dates_keep_the_rest_of_the_line() {
        let short = |t| parse_date_prefix(t, DateWidth::Short, 2026);
        let (d, rest) = short("26.11.73 BIELEFELD").unwrap();
        assert_eq!((d, rest.as_str()), (date(1973, 11, 26), "BIELEFELD"));
        assert_eq!(format_short(d), "26.11.73");
        let (d, rest) = short("15.10.05 FRANKFURT AM MAIN").unwrap();
        assert_eq!((d.year, rest.as_str()), (2005, "FRANKFURT AM MAIN"));
        let (d, rest) = short("26.05.52BONN").unwrap();
        assert_eq!((d.year, rest.as_str()), (1952, "BONN"));
        assert!(short("LANG").is_none());
        assert!(short("29.04.2015").is_none());
    }

    #[test]
    fn card_numbers_repair_letters_outside_the_alphabet() {
        assert_eq!(card_number("W20WL6WX4").as_deref(), Some("W20WL6WX4"));
        assert_eq!(card_number("T22OOO129").as_deref(), Some("T22000129"));
        assert_eq!(card_number("LO1X OOT4 7").as_deref(), Some("L01X00T47"));
        assert_eq!(card_number("FTL5KHRNN").as_deref(), Some("FTL5KHRNN"));
        assert_eq!(card_number("602249"), None);
        assert_eq!(card_number("123456789"), None);
        assert_eq!(card_number("DEUTSCHES"), None);
    }

    #[test]
    fn licence_numbers_repair_digit_positions() {
        assert_eq!(
            licence_number("BJ9C3749187").as_deref(),
            Some("BJ9C3749187")
        );
        assert_eq!(licence_number("ZKEU048286X1").as_deref(), None);
        assert_eq!(licence_number("ZKEU04B286X1").as_deref(), None);
        assert_eq!(
            licence_number("ZKEUO4828X1").as_deref(),
            Some("ZKEU04828X1")
        );
        assert_eq!(licence_number("LANG"), None);
    }

    #[test]
    fn accents_read_on_a_u_o_are_umlauts() {
        assert_eq!(umlauts("MÚNCHEN"), "MÜNCHEN");
        assert_eq!(umlauts("KÒLN"), "KÖLN");
        assert_eq!(umlauts("JOSÉ"), "JOSÉ");
    }
}
