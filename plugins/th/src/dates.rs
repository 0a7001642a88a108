//! Dates as Thai documents print them: English (`29 Jan. 1997`, `21 March 1966`) and Thai in the
//! Buddhist era (`29 ม.ค. 2540`, `21 มีนาคม 2509`), and the check that a Thai date and its
//! English twin are the same day.

use kycd_plugin_api::checks::{buddhist_era, common_era, Date};
use kycd_plugin_api::text::edit_distance_chars;

/// English month abbreviations as printed on the identity card.
pub const MONTHS_EN_SHORT: [&str; 12] = [
    "Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sep.", "Oct.", "Nov.", "Dec.",
];

/// English month names as printed on the driving licence.
pub const MONTHS_EN_FULL: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Thai month abbreviations (identity card).
pub const MONTHS_TH_SHORT: [&str; 12] = [
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
];

/// Thai month names (driving licence).
pub const MONTHS_TH_FULL: [&str; 12] = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
];

/// Which month names a document prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MonthStyle {
    /// `Jan.` / `ม.ค.` (identity card).
    Short,
    /// `January` / `มกราคม` (driving licence).
    Full,
}

/// `29 Jan. 1997` or `29 January 1997`.
pub fn format_en(date: Date, style: MonthStyle) -> String {
    let months = match style {
        MonthStyle::Short => &MONTHS_EN_SHORT,
        MonthStyle::Full => &MONTHS_EN_FULL,
    };
    format!(
        "{} {} {}",
        date.day,
        months[date.month as usize - 1],
        date.year
    )
}

/// [`format_en`] as the card printed it: an abbreviated month keeps its dot only when the read
/// shows one (`29 Jan. 1997` on the generated and most real cards, `14 Jan 1980` on others).
pub fn format_en_as_printed(date: Date, style: MonthStyle, read: &str) -> String {
    let formatted = format_en(date, style);
    let read = split_glued(read);
    let month_word = read
        .split_whitespace()
        .find(|w| !w.chars().any(|c| c.is_ascii_digit()) && english_month(w) == Some(date.month));
    match month_word {
        Some(word) if style == MonthStyle::Short && !word.ends_with('.') => {
            formatted.replacen('.', "", 1)
        }
        _ => formatted,
    }
}

/// Whether an English date read shows its abbreviated month with a dot (`Jan.`): `None` when
/// the read holds no month word. A card prints all its dates alike, so one dotted read tells
/// that a read without the dot (small print on a photo) lost it.
pub fn month_dotted(read: &str) -> Option<bool> {
    let read = split_glued(read);
    read.split_whitespace()
        .find(|w| !w.chars().any(|c| c.is_ascii_digit()) && english_month(w).is_some())
        .map(|w| w.ends_with('.'))
}

/// `29 ม.ค. 2540` or `29 มกราคม 2540` (Buddhist era).
pub fn format_th(date: Date, style: MonthStyle) -> String {
    let months = match style {
        MonthStyle::Short => &MONTHS_TH_SHORT,
        MonthStyle::Full => &MONTHS_TH_FULL,
    };
    format!(
        "{} {} {}",
        date.day,
        months[date.month as usize - 1],
        buddhist_era(date.year)
    )
}

/// Runs of ASCII digits in `text`, in order.
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            current.push(c);
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The month named by an English word (full name or abbreviation, dot optional, small OCR
/// slips tolerated): 1 to 12.
fn english_month(word: &str) -> Option<u32> {
    let word: String = word
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_lowercase();
    if word.len() < 3 {
        return None;
    }
    let mut best: Option<(f64, u32)> = None;
    for (i, name) in MONTHS_EN_FULL.iter().enumerate() {
        let name = name.to_lowercase();
        let candidates = [name.clone(), name[..3].to_string()];
        for candidate in candidates {
            let score = strsim::normalized_levenshtein(&word, &candidate);
            if best.is_none_or(|b| score > b.0) {
                best = Some((score, i as u32 + 1));
            }
        }
    }
    best.filter(|b| b.0 >= 0.65).map(|b| b.1)
}

/// Parses an English date `29 Jan. 1997` / `21 March 1966` (OCR-tolerant month).
pub fn parse_en(text: &str) -> Option<Date> {
    let text = split_glued(text);
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        let Some(month) = english_month(word) else {
            continue;
        };
        let day = words[..i].last().and_then(|w| numbers(w).pop())?;
        let year = words[i + 1..]
            .first()
            .and_then(|w| numbers(w).into_iter().next())?;
        if day.len() > 2 || year.len() != 4 {
            return None;
        }
        return Date::new(year.parse().ok()?, month, day.parse().ok()?);
    }
    None
}

/// An expiry date read with its month cut short or lost (`10 Ma 2025`, `10  2025`), read by the
/// rule both Thai cards are printed by: they expire on the holder's birthday. Taken only when
/// the read is a day, at most a month's first letters, and a year: the day must be the
/// birthday's, the letters must begin the birthday month's English name, and the year must be
/// of the common era and after the birth (a Buddhist-era year is the Thai twin's). `None`
/// otherwise (a full month is [`parse_en`]'s to read).
pub fn parse_on_birthday(text: &str, birth: Date) -> Option<Date> {
    let text = split_glued(text);
    let words: Vec<&str> = text.split_whitespace().collect();
    let [day, between @ .., year] = words.as_slice() else {
        return None;
    };
    let digits_only = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
    let letters: String = between
        .iter()
        .flat_map(|w| w.chars().filter(|c| *c != '.'))
        .collect::<String>()
        .to_lowercase();
    let month = MONTHS_EN_FULL[birth.month as usize - 1].to_lowercase();
    let month_fits =
        letters.chars().all(|c| c.is_ascii_alphabetic()) && month.starts_with(&letters);
    if !digits_only(day) || !digits_only(year) || year.len() != 4 || !month_fits {
        return None;
    }
    let (day, year): (u32, i32) = (day.parse().ok()?, year.parse().ok()?);
    let after_birth = year - birth.year;
    if day != birth.day || !(1..=120).contains(&after_birth) {
        return None;
    }
    Date::new(year, birth.month, day)
}

/// The month and year of an English date read without its day (`May 1956`: the day and the
/// label before it lost to glare): exactly a month word and a four-digit year.
pub fn month_and_year(text: &str) -> Option<(u32, i32)> {
    let text = split_glued(text);
    let words: Vec<&str> = text.split_whitespace().collect();
    let [month, year] = words.as_slice() else {
        return None;
    };
    let month = english_month(month)?;
    let year_read = year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit());
    Some((month, year.parse().ok().filter(|_| year_read)?))
}

/// [`parse_en`], else (an expiry date given the holder's `birthday`) [`parse_on_birthday`].
pub fn parse_en_or_birthday(text: &str, birthday: Option<Date>) -> Option<Date> {
    parse_en(text).or_else(|| parse_on_birthday(text, birthday?))
}

/// `text` with a space between a digit and a letter (or an abbreviated month's dot) that the
/// recogniser ran together (`21March 2028` reads as `21 March 2028`, `29 Sep.1997` as
/// `29 Sep. 1997`).
fn split_glued(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    let mut before: [Option<char>; 2] = [None, None];
    for c in text.chars() {
        if let [Some(p), earlier] = before {
            let glued = (p.is_ascii_digit() && c.is_alphabetic())
                || (p.is_alphabetic() && c.is_ascii_digit())
                || (p == '.' && c.is_ascii_digit() && earlier.is_some_and(char::is_alphabetic));
            if glued {
                out.push(' ');
            }
        }
        out.push(c);
        before = [Some(c), before[0]];
    }
    out
}

/// The day and Buddhist-era year of a Thai date line, from its digits only (the Latin
/// recogniser reads the digits of a Thai date but not its month): the first 1-2 digit number
/// before the last 4-digit number (a month misread as a digit comes after the day).
pub fn thai_day_and_year(text: &str) -> Option<(u32, i32)> {
    let numbers = numbers(text);
    let year_at = numbers.iter().rposition(|n| n.len() == 4)?;
    let year: i32 = numbers[year_at].parse().ok()?;
    let day = numbers[..year_at].iter().find(|n| n.len() <= 2)?;
    let day: u32 = day.parse().ok()?;
    ((1..=31).contains(&day) && (2400..=2700).contains(&year)).then_some((day, year))
}

/// Whether a line's Latin read can be the Thai twin of `english` (the date printed in English
/// beside or below it): its day and Buddhist-era year read ([`thai_day_and_year`]), or, its day
/// lost, the twin's Buddhist-era year (`un. 2513` above `17 Jan. 1970`).
pub fn may_be_thai_twin(text: &str, english: Option<Date>) -> bool {
    thai_day_and_year(text).is_some()
        || english.is_some_and(|date| {
            let year = date.buddhist_year().to_string();
            numbers(text).contains(&year)
        })
}

/// Parses a Thai date as the Thai recogniser reads it (`29 ม.ค. 2540`, `21 มีนาคม 2509`; a
/// label before it is ignored): the month is the nearest month name or abbreviation.
pub fn parse_th(text: &str) -> Option<Date> {
    let (day, year) = thai_day_and_year(text)?;
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut best: Option<(f64, u32)> = None;
    for word in &words {
        if word.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        for (i, (short, full)) in MONTHS_TH_SHORT.iter().zip(MONTHS_TH_FULL).enumerate() {
            for name in [*short, full] {
                let score = strsim::normalized_levenshtein(word, name);
                if best.is_none_or(|b| score > b.0) {
                    best = Some((score, i as u32 + 1));
                }
            }
        }
    }
    let (score, month) = best?;
    (score >= 0.6)
        .then(|| Date::new(common_era(year), month, day))
        .flatten()
}

/// How a Thai date compares with its English twin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Twin {
    /// Same day, month and year (BE = CE + 543).
    Agrees,
    /// Read, and a different date.
    Disagrees,
    /// One of the two could not be read.
    Unknown,
}

impl Twin {
    /// For the details payload: `true`, `false` or `null`.
    pub fn as_json(self) -> serde_json::Value {
        match self {
            Twin::Agrees => true.into(),
            Twin::Disagrees => false.into(),
            Twin::Unknown => serde_json::Value::Null,
        }
    }
}

/// Whether the day and Buddhist-era year read on a Thai date line match the English date.
pub fn day_and_year_agree(thai: (u32, i32), english: Date) -> bool {
    thai.0 == english.day && thai.1 == buddhist_era(english.year)
}

/// How many letters a Thai date read slips from naming `month` (1 to 12): the least edit
/// distance of a word of `text` (not the day or year) to the month's abbreviation or full name
/// (`ม.ค.` read for `ต.ค.`: 1). `None` when the read has no such word.
pub fn month_slips(text: &str, month: u32) -> Option<usize> {
    let at = month
        .checked_sub(1)
        .map(|m| m as usize)
        .filter(|m| *m < 12)?;
    text.split_whitespace()
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .flat_map(|w| {
            [MONTHS_TH_SHORT[at], MONTHS_TH_FULL[at]].map(|name| strsim::levenshtein(w, name))
        })
        .min()
}

/// Whether an English date read cut short (`5 January`, `17 Augu`, `17 Aug`) begins as `date`
/// prints: its first number is the day, and the word after it at least three letters that
/// begin the month's name (one letter may slip in five or more: `Januars`).
pub fn starts_like(text: &str, date: Date) -> bool {
    let mut words = text.split_whitespace();
    let day_read = words
        .next()
        .and_then(|w| w.parse::<u32>().ok())
        .is_some_and(|day| day == date.day);
    let month: Vec<char> = MONTHS_EN_FULL[date.month as usize - 1]
        .to_lowercase()
        .chars()
        .collect();
    let month_read = words.next().is_some_and(|w| {
        let w: Vec<char> = w.trim_end_matches('.').to_lowercase().chars().collect();
        let start = &month[..w.len().min(month.len())];
        let slips = if w.len() >= 5 { 1 } else { 0 };
        w.len() >= 3 && edit_distance_chars(&w, start) <= slips
    });
    day_read && month_read
}

/// Whether a Thai date read too garbled to parse (its label or year misread, `เศตรนที่ 17 พ.ค.
/// 2ิ5331`, `คม4 16 เบย.2499`, `กกรนคี่ 1 ธ.ค. วิสขิ`) shows its English twin wherever it is
/// legible: the twin's day as a number of its own, the twin's month the nearest month name (at
/// most two letters off, nearer than any other month or, with the year read, as near), and no
/// Buddhist-era year that differs from the twin's (a year read as another year is a
/// disagreement; one garbled past reading is not). The two are printed from one record, so such
/// a read is the twin's date.
pub fn agrees_where_read(text: &str, english: Date) -> bool {
    let numbers = numbers(text);
    let day = english.day.to_string();
    let day_read = numbers
        .iter()
        .any(|n| n.len() <= 2 && n.trim_start_matches('0') == day);
    // Words apart from digits glued to them (`เบย.2499`).
    let words: String = text
        .chars()
        .map(|c| if c.is_ascii_digit() { ' ' } else { c })
        .collect();
    let slips = |month: u32| month_slips(&words, month).unwrap_or(usize::MAX);
    let year = buddhist_era(english.year);
    let year_text = year.to_string();
    let year_read = numbers.contains(&year_text);
    let other_year = numbers.iter().any(|n| {
        n.len() == 4
            && n.parse::<i32>()
                .is_ok_and(|y| (2400..=2700).contains(&y) && y != year)
    });
    // With day and year read as the twin's, a month as near another month's name will do
    // (`เบย.` is two letters from both `เม.ย.` and `ก.ย.`).
    let to_twin = slips(english.month);
    let month_read = to_twin <= 2
        && (1..=12)
            .filter(|m| *m != english.month)
            .all(|m| slips(m) > to_twin || (year_read && slips(m) == to_twin));
    day_read && month_read && !other_year
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_cut_short_starts_like_its_twin() {
        let date = Date::new(2026, 8, 17).unwrap();
        assert!(starts_like("17 Augu", date));
        assert!(starts_like("17 Aug.", date));
        assert!(!starts_like("17 Au", date));
        assert!(!starts_like("11 Augu", date));
        assert!(!starts_like("17 Sept", date));
        assert!(starts_like("5 January", Date::new(2021, 1, 5).unwrap()));
        assert!(starts_like("5 Januars", Date::new(2021, 1, 5).unwrap()));
        assert!(!starts_like("5 Jume", Date::new(2021, 1, 5).unwrap()));
    }

    #[test]
    fn month_slips_count_letters() {
        assert_eq!(month_slips("23 ม.ค. 2489", 10), Some(1));
        assert_eq!(month_slips("23 ต.ค. 2489", 10), Some(0));
        assert_eq!(month_slips("23 ผิ.ค. 2489", 10), Some(2));
        assert_eq!(month_slips("21 มีนาดม 2509", 3), Some(1));
        assert_eq!(month_slips("23 2489", 10), None);
        assert_eq!(month_slips("23 ต.ค. 2489", 13), None);
    }

    #[test]
    fn expiry_with_its_month_lost_is_the_birthday() {
        let birth = Date::new(1979, 5, 10).unwrap();
        let may_2025 = Date::new(2025, 5, 10);
        assert_eq!(parse_on_birthday("10 Ma 2025", birth), may_2025);
        assert_eq!(parse_on_birthday("10  2025", birth), may_2025);
        assert_eq!(parse_on_birthday("10M 2025", birth), may_2025);
        assert_eq!(parse_en_or_birthday("10 Ma 2025", Some(birth)), may_2025);
        assert_eq!(parse_en_or_birthday("10 Ma 2025", None), None);
        // Another day, letters of another month, a year too far, more digits: not a birthday.
        assert_eq!(parse_on_birthday("11 Ma 2025", birth), None);
        assert_eq!(parse_on_birthday("10 Ju 2025", birth), None);
        assert_eq!(parse_on_birthday("10 Ma 2568", birth), None);
        assert_eq!(parse_on_birthday("1 1004 26617 70 1", birth), None);
        assert_eq!(parse_on_birthday("10 2025 17", birth), None);
        // A 29 February birthday has no such day in most years.
        let leap = Date::new(1980, 2, 29).unwrap();
        assert_eq!(parse_on_birthday("29 F 2027", leap), None);
    }

    #[test]
    fn a_date_without_its_day_gives_month_and_year() {
        assert_eq!(month_and_year("May 1956"), Some((5, 1956)));
        assert_eq!(month_and_year("Oct. 1966"), Some((10, 1966)));
        assert_eq!(month_and_year("12 May 1956"), None);
        assert_eq!(month_and_year("May 19560"), None);
        assert_eq!(month_and_year("Name 1956"), None);
    }

    #[test]
    fn a_thai_twin_is_known_by_its_year_when_its_day_is_lost() {
        let birth = Date::new(1970, 1, 17);
        assert!(may_be_thai_twin("17 un. 2513", None));
        assert!(may_be_thai_twin("un. 2513", birth));
        assert!(!may_be_thai_twin("un. 2513", None));
        assert!(!may_be_thai_twin("un. 2514", birth));
        assert!(!may_be_thai_twin("Saengthong", birth));
    }

    #[test]
    fn month_dot_as_read() {
        assert_eq!(month_dotted("21 Apr. 2023"), Some(true));
        assert_eq!(month_dotted("21 Apr 2023"), Some(false));
        assert_eq!(month_dotted("21Apr. 2023"), Some(true));
        assert_eq!(month_dotted("Date of Birth"), None);
    }

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn english_dates() {
        assert_eq!(parse_en("29 Jan. 1997"), Some(d(1997, 1, 29)));
        assert_eq!(parse_en("Date of Birth 15 May 1958"), Some(d(1958, 5, 15)));
        assert_eq!(parse_en("21 March 1966"), Some(d(1966, 3, 21)));
        assert_eq!(parse_en("17 Mar 2023"), Some(d(2023, 3, 17)));
        assert_eq!(parse_en("21March 2028"), Some(d(2028, 3, 21)));
        assert_eq!(parse_en("29 Sep.1997"), Some(d(1997, 9, 29)));
        assert_eq!(parse_en("21 March2028"), Some(d(2028, 3, 21)));
        assert_eq!(parse_en("31 Feb. 2023"), None);
        assert_eq!(parse_en("Date of Issue"), None);
        assert_eq!(format_en(d(1997, 1, 29), MonthStyle::Short), "29 Jan. 1997");
        assert_eq!(format_en(d(1997, 5, 9), MonthStyle::Short), "9 May 1997");
        assert_eq!(format_en(d(1966, 3, 21), MonthStyle::Full), "21 March 1966");
        let jan = d(1980, 1, 14);
        assert_eq!(
            format_en_as_printed(jan, MonthStyle::Short, "14 Jan 1980"),
            "14 Jan 1980"
        );
        assert_eq!(
            format_en_as_printed(jan, MonthStyle::Short, "14 Jan. 1980"),
            "14 Jan. 1980"
        );
        assert_eq!(
            format_en_as_printed(jan, MonthStyle::Short, "14 Jam. 1980"),
            "14 Jan. 1980"
        );
        assert_eq!(
            format_en_as_printed(jan, MonthStyle::Full, "14 January 1980"),
            "14 January 1980"
        );
        assert_eq!(
            format_en_as_printed(d(2032, 1, 1), MonthStyle::Short, "1Jan 2032"),
            "1 Jan 2032"
        );
    }

    #[test]
    fn thai_dates() {
        assert_eq!(format_th(d(1997, 1, 29), MonthStyle::Short), "29 ม.ค. 2540");
        assert_eq!(format_th(d(1966, 3, 21), MonthStyle::Full), "21 มีนาคม 2509");
        assert_eq!(parse_th("เกิดวันที่ 15 พ.ค. 2501"), Some(d(1958, 5, 15)));
        assert_eq!(parse_th("17 มี.ค. 2566"), Some(d(2023, 3, 17)));
        assert_eq!(parse_th("21 มีนาคม 2509"), Some(d(1966, 3, 21)));
        // The Latin recogniser's read of a Thai date: digits only.
        assert_eq!(thai_day_and_year("lāaōu 15 W.A. 2501"), Some((15, 2501)));
        assert_eq!(thai_day_and_year("17 .A. 2566"), Some((17, 2566)));
        assert_eq!(thai_day_and_year("5 0.A. 2566"), Some((5, 2566)));
        assert_eq!(thai_day_and_year("15 May 1958"), None);
        assert!(day_and_year_agree((15, 2501), d(1958, 5, 15)));
        assert!(!day_and_year_agree((15, 2502), d(1958, 5, 15)));
    }

    #[test]
    fn garbled_thai_dates_agree_with_their_twin_where_legible() {
        // A label read as letters and digits, a year with a mark inside, no year at all.
        assert!(agrees_where_read("เศตรนที่ 17 พ.ค. 2ิ5331", d(1990, 5, 17)));
        assert!(agrees_where_read("คม4 16 เบย.2499", d(1956, 4, 16)));
        assert!(agrees_where_read("กกรนคี่ 1 ธ.ค. วิสขิ", d(1948, 12, 1)));
        // Another day, another month, another year, no day: not the twin's date.
        assert!(!agrees_where_read("เกิดวันที่ 18 พ.ค. 2533", d(1990, 5, 17)));
        assert!(!agrees_where_read("เกิดวันที่ 17 มิ.ย. 2533", d(1990, 5, 17)));
        assert!(!agrees_where_read("เกิดวันที่ 17 พ.ค. 2534", d(1990, 5, 17)));
        assert!(!agrees_where_read("เกิดวันที่ พ.ค. 2533", d(1990, 5, 17)));
    }
}
