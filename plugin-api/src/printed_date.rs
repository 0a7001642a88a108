//! Dates as identity cards print them, read back from OCR text and formatted again.
//!
//! European cards print dates either with bilingual month abbreviations (Dutch `10 MAA/MAR
//! 1965`, Norwegian `23 APR/APR 56`) or as numbers (Swedish `23 02 2000`, German `01.08.1983`,
//! `15.10.90`). A plugin parses what the recogniser read into a [`Date`] and formats it again
//! in the card's own format, so that a dropped space or a `0`/`O` confusion does not change the
//! answer while a date that does not exist is never invented.
//!
//! ```
//! use kycd_plugin_api::checks::{resolve_two_digit_year, Date};
//! use kycd_plugin_api::printed_date::{format_month_date, parse_month_date, YearDigits, MONTHS_NL};
//!
//! let read = parse_month_date("1O MAA/MAR1965", &MONTHS_NL, |yy| resolve_two_digit_year(yy, 2026)).unwrap();
//! assert_eq!(read.date, Date::new(1965, 3, 10).unwrap());
//! assert!(read.months_agree);
//! assert_eq!(format_month_date(read.date, &MONTHS_NL, YearDigits::Four), "10 MAA/MAR 1965");
//! ```

use crate::checks::Date;
use crate::lookalike::{digit_for, letter_for};

/// Twelve month abbreviations, January first, in upper case as cards print them.
pub type MonthTable = [&'static str; 12];

/// English month abbreviations (the second language of every bilingual card date).
pub const MONTHS_EN: MonthTable = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
/// Dutch month abbreviations (Dutch identity cards and passports).
pub const MONTHS_NL: MonthTable = [
    "JAN", "FEB", "MAA", "APR", "MEI", "JUN", "JUL", "AUG", "SEP", "OKT", "NOV", "DEC",
];
/// Norwegian month abbreviations (Norwegian identity cards and passports).
pub const MONTHS_NO: MonthTable = [
    "JAN", "FEB", "MAR", "APR", "MAI", "JUN", "JUL", "AUG", "SEP", "OKT", "NOV", "DES",
];
/// Swedish month abbreviations.
pub const MONTHS_SV: MonthTable = [
    "JAN", "FEB", "MAR", "APR", "MAJ", "JUN", "JUL", "AUG", "SEP", "OKT", "NOV", "DEC",
];
/// German month abbreviations.
pub const MONTHS_DE: MonthTable = [
    "JAN", "FEB", "MÄR", "APR", "MAI", "JUN", "JUL", "AUG", "SEP", "OKT", "NOV", "DEZ",
];

/// How many digits of the year a card prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YearDigits {
    /// `1965`.
    Four,
    /// `65`.
    Two,
}

/// A date read from a bilingual month date such as `10 MAA/MAR 1965`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthDate {
    /// The calendar date.
    pub date: Date,
    /// Whether both month abbreviations were read and name the same month (`false` when one of
    /// them was unreadable and the other decided alone).
    pub months_agree: bool,
    /// How many digits the year had as read.
    pub year_digits: YearDigits,
}

/// Parses a date printed as `DD LOCAL/ENGLISH YYYY` (or `YY`), e.g. `10 MAA/MAR 1965` with
/// [`MONTHS_NL`] or `23 APR/APR 56` with [`MONTHS_NO`]. `resolve_year` gives the full year for
/// a two-digit one (e.g. `|yy| checks::resolve_two_digit_year(yy, today.year)` for a birth
/// date).
///
/// Tolerates what recognisers do to such dates: missing or extra spaces, the `/` read as `I`,
/// `L` or `1` or dropped, a digit read as a look-alike letter (`O` for `0`, `I` for `1`, ...) in
/// the day or year and the reverse in the month, and one wrong letter in one month abbreviation
/// when the other one decides. Returns `None` when the text does not form a date that exists,
/// or when the two month names contradict each other.
pub fn parse_month_date(
    text: &str,
    local: &MonthTable,
    resolve_year: impl Fn(u32) -> i32,
) -> Option<MonthDate> {
    let chars: Vec<char> = text
        .chars()
        .flat_map(char::to_uppercase)
        .filter(|c| c.is_alphanumeric())
        .collect();
    let mut best: Option<(u32, MonthDate)> = None;
    for day_len in [2, 1] {
        for (year_len, year_digits) in [(4, YearDigits::Four), (2, YearDigits::Two)] {
            if chars.len() < day_len + year_len + 5 {
                continue;
            }
            // A digit run is never split: `31` is not day 3, `1965` is not year 65.
            let digit_at = |i: usize| chars[i].is_ascii_digit();
            if (day_len == 1 && digit_at(1)) || (year_len == 2 && digit_at(chars.len() - 3)) {
                continue;
            }
            let Some((day, day_cost)) = number_from(&chars[..day_len]) else {
                continue;
            };
            let Some((year, year_cost)) = number_from(&chars[chars.len() - year_len..]) else {
                continue;
            };
            let middle = &chars[day_len..chars.len() - year_len];
            let Some((month, months_agree, month_cost)) = month_from(middle, local) else {
                continue;
            };
            let year = match year_digits {
                YearDigits::Four => year as i32,
                YearDigits::Two => resolve_year(year),
            };
            let Some(date) = Date::new(year, month, day) else {
                continue;
            };
            let cost = day_cost + year_cost + month_cost + u32::from(!months_agree) * 4;
            if best.as_ref().is_none_or(|(c, _)| cost < *c) {
                best = Some((
                    cost,
                    MonthDate {
                        date,
                        months_agree,
                        year_digits,
                    },
                ));
            }
        }
    }
    best.map(|(_, d)| d)
}

/// Formats a date as a bilingual month date: `10 MAA/MAR 1965` (`local` = [`MONTHS_NL`],
/// [`YearDigits::Four`]) or `23 APR/APR 56` ([`MONTHS_NO`], [`YearDigits::Two`]).
pub fn format_month_date(date: Date, local: &MonthTable, year: YearDigits) -> String {
    let month = (date.month.clamp(1, 12) - 1) as usize;
    format!(
        "{:02} {}/{} {}",
        date.day,
        local[month],
        MONTHS_EN[month],
        format_year(date.year, year)
    )
}

/// Parses a numeric date `DD MM YYYY` with any separators (`23 02 2000`, `01.08.1983`,
/// `15.10.90`, `23022000`); `resolve_year` gives the full year for a two-digit one. Letters
/// that look like digits (`O`, `I`, `S`, `B`, ...) are read as those digits. `None` when the
/// text is not a date that exists.
pub fn parse_numeric_date(text: &str, resolve_year: impl Fn(u32) -> i32) -> Option<Date> {
    let upper: String = text.chars().flat_map(char::to_uppercase).collect();
    let groups: Vec<Vec<char>> = upper
        .split(|c: char| !c.is_alphanumeric())
        .filter(|g| !g.is_empty())
        .map(|g| g.chars().collect())
        .collect();
    let numbers: Option<Vec<(u32, usize)>> = groups
        .iter()
        .map(|g| number_from(g).map(|(n, _)| (n, g.len())))
        .collect();
    let numbers = numbers?;
    let (day, month, year, year_len) = match numbers.as_slice() {
        [(d, dl), (m, ml), (y, yl)] if *dl <= 2 && *ml <= 2 => (*d, *m, *y, *yl),
        _ => {
            // One run of digits (separators lost): DDMMYYYY or DDMMYY.
            let all: Vec<char> = groups.concat();
            let (n, _) = number_from(&all)?;
            match all.len() {
                8 => (n / 1_000_000, n / 10_000 % 100, n % 10_000, 4),
                6 => (n / 10_000, n / 100 % 100, n % 100, 2),
                _ => return None,
            }
        }
    };
    let year = match year_len {
        4 => year as i32,
        2 => resolve_year(year),
        _ => return None,
    };
    Date::new(year, month, day)
}

/// Formats a date as `DD<sep>MM<sep>YYYY` (or `YY`): `format_numeric_date(d, ' ', Four)` gives
/// `23 02 2000`, `format_numeric_date(d, '.', Two)` gives `15.10.90`.
pub fn format_numeric_date(date: Date, separator: char, year: YearDigits) -> String {
    format!(
        "{:02}{separator}{:02}{separator}{}",
        date.day,
        date.month,
        format_year(date.year, year)
    )
}

fn format_year(year: i32, digits: YearDigits) -> String {
    match digits {
        YearDigits::Four => format!("{year:04}"),
        YearDigits::Two => format!("{:02}", year.rem_euclid(100)),
    }
}

/// The digit a character stands for in a number, and whether it was a look-alike letter.
fn as_digit(c: char) -> Option<(u32, bool)> {
    let swapped = !c.is_ascii_digit();
    digit_for(c).to_digit(10).map(|d| (d, swapped))
}

/// The letter a character stands for in a month name, and whether it was a look-alike digit.
fn as_letter(c: char) -> Option<(char, bool)> {
    let letter = letter_for(c);
    letter
        .is_alphabetic()
        .then_some((letter, !c.is_alphabetic()))
}

/// The number in `chars` (all digits or look-alikes) and how many look-alikes it took.
fn number_from(chars: &[char]) -> Option<(u32, u32)> {
    if chars.is_empty() || chars.len() > 9 {
        return None;
    }
    chars.iter().try_fold((0u32, 0u32), |(n, cost), &c| {
        let (d, swapped) = as_digit(c)?;
        Some((n * 10 + d, cost + u32::from(swapped)))
    })
}

/// The month named by the middle of a bilingual date (`MAA/MAR` with the `/` already dropped
/// or read as a letter), whether both names agree, and the cost of the look-alikes and fuzzy
/// matches it took.
fn month_from(middle: &[char], local: &MonthTable) -> Option<(u32, bool, u32)> {
    let mut letters = Vec::with_capacity(middle.len());
    let mut cost = 0;
    for &c in middle {
        let (l, swapped) = as_letter(c)?;
        letters.push(l);
        cost += u32::from(swapped);
    }
    let (first, second) = match letters.len() {
        6 => (&letters[..3], &letters[3..]),
        // The `/` read as a letter (`I`, `L`, `J`) or digit (`1`).
        7 if matches!(letters[3], 'I' | 'L' | 'J') => (&letters[..3], &letters[4..]),
        // One name read with a letter missing (`KT/OCT`): the complete one decides alone.
        5 => return one_complete_name(&letters, local).map(|m| (m, false, cost)),
        _ => return None,
    };
    let local_months = matching_months(first, local);
    let english_months = matching_months(second, &MONTHS_EN);
    let both: Vec<(u32, u32)> = local_months
        .iter()
        .filter_map(|(m, d)| {
            english_months
                .iter()
                .find(|(e, _)| e == m)
                .map(|(_, e)| (*m, d + e))
        })
        .collect();
    if let [(month, distance)] = both.as_slice() {
        return Some((*month, true, cost + distance));
    }
    if !both.is_empty() {
        return None;
    }
    // One name unreadable: the other decides alone, but only when read exactly.
    match (local_months.as_slice(), english_months.as_slice()) {
        ([(m, 0)], []) | ([], [(m, 0)]) => Some((*m, false, cost)),
        _ => None,
    }
}

/// The month of five letters read for two three-letter names, one of which lost a letter: the
/// name read whole (the first three letters in the local table, or the last three in English)
/// when it matches exactly one month and the other reading does not say otherwise.
fn one_complete_name(letters: &[char], local: &MonthTable) -> Option<u32> {
    let exact = |token: &[char], table: &MonthTable| match matching_months(token, table)[..] {
        [(m, 0)] => Some(m),
        _ => None,
    };
    match (
        exact(&letters[..3], local),
        exact(&letters[2..], &MONTHS_EN),
    ) {
        (Some(a), Some(b)) if a != b => None,
        (Some(m), _) | (None, Some(m)) => Some(m),
        (None, None) => None,
    }
}

/// Months whose abbreviation equals `token` (distance 0) or, when none does, differs from it in
/// exactly one letter (distance 1).
fn matching_months(token: &[char], table: &MonthTable) -> Vec<(u32, u32)> {
    let distance = |name: &str| -> Option<u32> {
        let name: Vec<char> = name.chars().collect();
        (name.len() == token.len())
            .then(|| name.iter().zip(token).filter(|(a, b)| a != b).count() as u32)
    };
    let exact: Vec<(u32, u32)> = (1..=12u32)
        .filter(|&m| distance(table[m as usize - 1]) == Some(0))
        .map(|m| (m, 0))
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    (1..=12u32)
        .filter(|&m| distance(table[m as usize - 1]) == Some(1))
        .map(|m| (m, 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::resolve_two_digit_year;

    fn birth(yy: u32) -> i32 {
        resolve_two_digit_year(yy, 2026)
    }

    fn date(y: i32, m: u32, d: u32) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn a_month_name_with_a_letter_lost_leaves_the_other_to_decide() {
        let read = |t: &str| parse_month_date(t, &MONTHS_NL, |yy| 2000 + yy as i32);
        let lost = read("27 KT/OCT 2034").unwrap();
        assert_eq!((lost.date, lost.months_agree), (date(2034, 10, 27), false));
        let lost = read("10 MAA/MR 1965").unwrap();
        assert_eq!(lost.date, date(1965, 3, 10));
        assert!(read("27 KT/OC 2034").is_none());
    }

    #[test]
    fn dutch_dates_read_and_format_back() {
        let read = parse_month_date("10 MAA/MAR 1965", &MONTHS_NL, birth).unwrap();
        assert_eq!(read.date, date(1965, 3, 10));
        assert!(read.months_agree);
        assert_eq!(read.year_digits, YearDigits::Four);
        for (m, text) in [(5, "MEI/MAY"), (10, "OKT/OCT"), (12, "DEC/DEC")] {
            let read = parse_month_date(&format!("01 {text} 2030"), &MONTHS_NL, birth).unwrap();
            assert_eq!(read.date.month, m, "{text}");
        }
        assert_eq!(
            format_month_date(date(1965, 3, 10), &MONTHS_NL, YearDigits::Four),
            "10 MAA/MAR 1965"
        );
    }

    #[test]
    fn norwegian_two_digit_years_use_the_resolver() {
        let read = parse_month_date("23 APR/APR 56", &MONTHS_NO, birth).unwrap();
        assert_eq!(read.date, date(1956, 4, 23));
        assert_eq!(read.year_digits, YearDigits::Two);
        let read = parse_month_date("31 DES/DEC 34", &MONTHS_NO, |yy| 2000 + yy as i32).unwrap();
        assert_eq!(read.date, date(2034, 12, 31));
        assert_eq!(
            format_month_date(date(1956, 4, 23), &MONTHS_NO, YearDigits::Two),
            "23 APR/APR 56"
        );
    }

    #[test]
    fn ocr_damage_is_repaired_only_where_unambiguous() {
        for text in [
            "10MAA/MAR1965",
            "1O MAA/MAR 1965",
            "10 MAA / MAR 1965",
            "10 MAAIMAR 1965",
            "10 MAAMAR 1965",
            "10 MAA/MAP 1965",
            "10 MAA/MAR I965",
            "10 maa/mar 1965",
        ] {
            let read = parse_month_date(text, &MONTHS_NL, birth);
            assert_eq!(read.map(|r| r.date), Some(date(1965, 3, 10)), "{text}");
        }
        // One name unreadable: the other decides, and says so.
        let read = parse_month_date("10 XQZ/MAR 1965", &MONTHS_NL, birth).unwrap();
        assert_eq!(read.date, date(1965, 3, 10));
        assert!(!read.months_agree);
    }

    #[test]
    fn impossible_or_contradictory_dates_are_refused() {
        for text in [
            "31 FEB/FEB 1990",
            "10 JAN/DEC 1965",
            "10 MAA/MAR",
            "",
            "PETERS",
            "10 MAA/MAR 19655",
            "ÄÖÜ/ÅØ 12",
        ] {
            assert_eq!(parse_month_date(text, &MONTHS_NL, birth), None, "{text}");
        }
    }

    #[test]
    fn german_table_reads_umlauts() {
        let read = parse_month_date("01 MÄR/MAR 1990", &MONTHS_DE, birth).unwrap();
        assert_eq!(read.date, date(1990, 3, 1));
        assert!(read.months_agree);
    }

    #[test]
    fn numeric_dates_read_and_format_back() {
        assert_eq!(
            parse_numeric_date("23 02 2000", birth),
            Some(date(2000, 2, 23))
        );
        assert_eq!(
            parse_numeric_date("01.08.1983", birth),
            Some(date(1983, 8, 1))
        );
        assert_eq!(
            parse_numeric_date("15.10.90", birth),
            Some(date(1990, 10, 15))
        );
        assert_eq!(
            parse_numeric_date("23022000", birth),
            Some(date(2000, 2, 23))
        );
        assert_eq!(
            parse_numeric_date("O1.O8.1983", birth),
            Some(date(1983, 8, 1))
        );
        assert_eq!(
            parse_numeric_date("1.8.1983", birth),
            Some(date(1983, 8, 1))
        );
        for text in [
            "30 02 2000",
            "23 02",
            "",
            "PETERS",
            "123 02 2000",
            "230220001",
        ] {
            assert_eq!(parse_numeric_date(text, birth), None, "{text}");
        }
        assert_eq!(
            format_numeric_date(date(2000, 2, 23), ' ', YearDigits::Four),
            "23 02 2000"
        );
        assert_eq!(
            format_numeric_date(date(1990, 10, 15), '.', YearDigits::Two),
            "15.10.90"
        );
    }
}
