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

/// A driving-licence number (field 5) read from OCR text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LicenceNumber {
    /// The 11 characters.
    pub number: String,
    /// Whether the check character (the tenth) holds ([`licence_check_character`]).
    pub check_valid: bool,
}

/// The value of a licence-number character in the check sum: digits as such, `A` = 10 …
/// `Z` = 35.
fn licence_char_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        'A'..='Z' => Some(c as u32 - 'A' as u32 + 10),
        _ => None,
    }
}

/// The check character of a licence number's first nine characters (authority code and
/// serial): their values (`licence_char_value`) weighted 9, 8, … 1, summed, modulo 11; a
/// remainder of 10 is `X`. `None` unless nine digits or capital letters.
pub fn licence_check_character(first_nine: &str) -> Option<char> {
    let values: Vec<u32> = first_nine
        .chars()
        .map(licence_char_value)
        .collect::<Option<_>>()?;
    if values.len() != 9 {
        return None;
    }
    let sum: u32 = values.iter().zip((1..=9).rev()).map(|(v, w)| v * w).sum();
    Some(match sum % 11 {
        10 => 'X',
        r => char::from_digit(r, 10)?,
    })
}

/// Whether an 11-character number's tenth character is the check character of its first nine.
fn check_holds(chars: &[char]) -> bool {
    let first: String = chars.iter().take(9).collect();
    chars.len() == 11 && licence_check_character(&first) == chars.get(9).copied()
}

/// The letter a digit read at a letter-only position stands for.
fn as_letter(c: char) -> Option<char> {
    match c {
        'A'..='Z' => Some(c),
        '0' => Some('O'),
        '1' => Some('I'),
        '8' => Some('B'),
        '5' => Some('S'),
        '2' => Some('Z'),
        '6' => Some('G'),
        _ => None,
    }
}

/// What else a character read in a position that holds letters and digits may have been
/// printed as: the letter a digit resembles, or the digit a letter resembles.
fn look_alikes(c: char) -> &'static [char] {
    match c {
        '0' => &['O', 'D', 'Q'],
        '1' => &['I', 'L'],
        '2' => &['Z'],
        '5' => &['S'],
        '6' => &['G'],
        '7' => &['T'],
        '8' => &['B'],
        'O' | 'D' | 'Q' | 'U' => &['0'],
        'I' | 'L' => &['1'],
        'Z' => &['2'],
        'S' => &['5'],
        'G' => &['6'],
        'T' => &['7'],
        'B' => &['8'],
        _ => &[],
    }
}

/// The driving-licence number (field 5): 11 characters: the issuing authority's code (a state
/// letter, a two-digit district number, one letter or digit), a five-character serial (digits,
/// then letters once the digits run out), the check character (digit or `X`,
/// [`licence_check_character`]) and the issue number (a digit in practice).
///
/// Positions that hold only letters or only digits are repaired from look-alikes. When the
/// check character does not hold, each letter/digit look-alike of the code's last character
/// and of the serial is tried, one at a time, letters read for digits first: the one variant
/// that holds is taken. When none or several hold (`Z`/`2` and `T`/`7` weigh the same modulo
/// 11), the serial's look-alike letters are read as digits and the number is marked invalid. `None` when the text is not shaped like a licence number.
pub fn licence_number(text: &str) -> Option<LicenceNumber> {
    let compact: Vec<char> = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if compact.len() != 11 || !compact.iter().all(char::is_ascii_alphanumeric) {
        return None;
    }
    let mut read = Vec::with_capacity(11);
    for (i, &c) in compact.iter().enumerate() {
        read.push(match i {
            0 => as_letter(c)?,
            1 | 2 | 10 => as_digit(c)?,
            9 if c == 'X' => 'X',
            9 => as_digit(c)?,
            _ => c,
        });
    }
    let valid = |number: Vec<char>| LicenceNumber {
        number: number.into_iter().collect(),
        check_valid: true,
    };
    if check_holds(&read) {
        return Some(valid(read));
    }
    // One look-alike substitution in the positions that hold letters and digits: a letter
    // read for a digit first (serials are digits until a authority's numbers run out), then a
    // digit read for a letter.
    for to_digit in [true, false] {
        let mut found: Vec<Vec<char>> = Vec::new();
        for i in 3..=8 {
            for &c in look_alikes(read[i]) {
                let mut variant = read.clone();
                variant[i] = c;
                if c.is_ascii_digit() == to_digit && check_holds(&variant) {
                    found.push(variant);
                }
            }
        }
        if let [only] = found.as_slice() {
            return Some(valid(only.clone()));
        }
    }
    let digits: String = read
        .iter()
        .enumerate()
        .map(|(i, &c)| match i {
            4..=8 => as_digit(c).unwrap_or(c),
            _ => c,
        })
        .collect();
    Some(LicenceNumber {
        number: digits,
        check_valid: false,
    })
}

/// Words German issuing authorities' names (field 4c) are built from.
const AUTHORITY_WORDS: [&str; 18] = [
    "Landratsamt",
    "Landkreis",
    "Kreis",
    "Kreisverwaltung",
    "Stadt",
    "Stadtverwaltung",
    "Kreisstadt",
    "Landeshauptstadt",
    "Hansestadt",
    "Bezirksamt",
    "Bürgermeisteramt",
    "Oberbürgermeister",
    "Ordnungsamt",
    "Straßenverkehrsamt",
    "Fahrerlaubnisbehörde",
    "Landrat",
    "Verwaltung",
    "Amt",
];

/// The issuing authority (field 4c) with an `m` that OCR split into `rn` joined again in the
/// words authorities' names are built from (`Landratsarnt` → `Landratsamt`). Only whole words
/// that become one of `AUTHORITY_WORDS` change; place names are left as read.
pub fn authority_name(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let joined = word.replace("rn", "m");
            if joined != word
                && !AUTHORITY_WORDS.contains(&word)
                && AUTHORITY_WORDS.contains(&joined.as_str())
            {
                joined
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
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
    fn the_licence_check_character_is_the_weighted_sum_modulo_11() {
        // The specimen licence's number (B072 RRE2I, check 5, issue 5).
        assert_eq!(licence_check_character("B072RRE2I"), Some('5'));
        assert_eq!(licence_check_character("B072RRE2"), None);
        assert_eq!(licence_check_character("B072RRE2!"), None);
        // Remainder 10 is X: 9+8+7+6+5+4+3+2 = 44, 44 + 10 = 54 = 4*11 + 10.
        assert_eq!(licence_check_character("11111111A"), Some('X'));
    }

    #[test]
    fn licence_numbers_are_repaired_by_their_check_character() {
        let number = |t| licence_number(t).map(|n| (n.number, n.check_valid));
        let ok = |n: &str| Some((n.to_string(), true));
        assert_eq!(number("B072RRE2I55"), ok("B072RRE2I55"));
        assert_eq!(number("B072 RRE2 I55"), ok("B072RRE2I55"));
        // Letter and digit positions of the authority code repaired by position.
        assert_eq!(number("8O72RRE2I55"), ok("B072RRE2I55"));
        // A serial letter read as its digit look-alike (I as 1): the check tells.
        assert_eq!(number("B072RRE2155"), ok("B072RRE2I55"));
        // A serial digit read as a letter.
        let first = "C130Z0481";
        let check = licence_check_character(first).unwrap();
        let printed = format!("{first}{check}1");
        let misread = format!("C130Z04B1{check}1");
        assert_eq!(number(&misread), ok(&printed));
        // A letter read for a serial digit, found before a digit read for a letter.
        assert_eq!(number("C1302O48107"), ok("C1302048107"));
        // No variant holds: the serial's look-alikes read as digits, marked invalid.
        assert_eq!(
            number("C1302O48137"),
            Some(("C1302048137".to_string(), false))
        );
        // Not a licence number.
        assert_eq!(number("ZKEU048286X1"), None);
        assert_eq!(number("KREIS STEIN"), None);
        assert_eq!(number("LANG"), None);
    }

    #[test]
    fn an_m_split_into_rn_is_joined_in_authority_words_only() {
        assert_eq!(
            authority_name("Landratsarnt Rhein-Neckar-Kreis"),
            "Landratsamt Rhein-Neckar-Kreis"
        );
        assert_eq!(
            authority_name("Bezirksarnt Mitte von Berlin"),
            "Bezirksamt Mitte von Berlin"
        );
        // A place's `rn` stays.
        assert_eq!(authority_name("Stadt Bernau"), "Stadt Bernau");
        assert_eq!(authority_name("Landkreis Barnim"), "Landkreis Barnim");
    }

    #[test]
    fn accents_read_on_a_u_o_are_umlauts() {
        assert_eq!(umlauts("MÚNCHEN"), "MÜNCHEN");
        assert_eq!(umlauts("KÒLN"), "KÖLN");
        assert_eq!(umlauts("JOSÉ"), "JOSÉ");
    }
}
