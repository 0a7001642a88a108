//! Number, date and name patterns of Indian cards, read from OCR text.
//!
//! OCR confuses a few letters and digits (`O`/`0`, `I`/`1`, `S`/`5`, `B`/`8`). In a field that
//! can only hold digits, such letters are read as the digit; the caller uses the check digit
//! (Verhoeff) to choose between candidates, never to invent one.

use kycd_plugin_api::checks::Date;

/// The digit a character stands for in a digits-only field, or `None`.
pub fn as_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        'O' | 'o' | 'D' | 'Q' => Some('0'),
        'I' | 'l' | 'i' | '|' | '!' => Some('1'),
        'Z' | 'z' => Some('2'),
        'S' | 's' => Some('5'),
        'B' => Some('8'),
        'b' | 'G' => Some('6'),
        _ => None,
    }
}

/// The letter a character stands for in a letters-only field (PAN), or `None`.
pub fn as_letter(c: char) -> Option<char> {
    match c {
        'A'..='Z' => Some(c),
        'a'..='z' => Some(c.to_ascii_uppercase()),
        '0' => Some('O'),
        '1' => Some('I'),
        '2' => Some('Z'),
        '5' => Some('S'),
        '8' => Some('B'),
        '6' => Some('G'),
        _ => None,
    }
}

/// `s` in groups of four separated by spaces (`123412341234` -> `1234 1234 1234`).
pub fn group4(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A run of digit groups read from one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigitRun {
    /// The digits, with `X` for masked digits.
    pub digits: String,
    /// How many characters had to be read as digits (`O` -> `0`...).
    pub repaired: usize,
}

impl DigitRun {
    /// Whether some digits are masked (`XXXX XXXX 1234`).
    pub fn is_masked(&self) -> bool {
        self.digits.contains('X')
    }
}

/// Mostly-digit tokens of a line joined into runs: each run is a sequence of consecutive tokens
/// that are digits (after repair) or masks (`XXXX`).
pub fn digit_runs(text: &str) -> Vec<DigitRun> {
    let mut runs = Vec::new();
    let mut current = DigitRun {
        digits: String::new(),
        repaired: 0,
    };
    let tokens = text.split(|c: char| c.is_whitespace() || c == ':' || c == ',');
    for token in tokens.filter(|t| !t.is_empty()) {
        match token_digits(token) {
            Some((digits, repaired)) => {
                current.digits.push_str(&digits);
                current.repaired += repaired;
            }
            None => {
                if !current.digits.is_empty() {
                    runs.push(std::mem::replace(
                        &mut current,
                        DigitRun {
                            digits: String::new(),
                            repaired: 0,
                        },
                    ));
                }
            }
        }
    }
    if !current.digits.is_empty() {
        runs.push(current);
    }
    runs
}

/// A token's digits when it is a digit group: mostly real digits with a few confusable letters,
/// or an all-`X` mask.
fn token_digits(token: &str) -> Option<(String, usize)> {
    let token = token.trim_matches(|c: char| matches!(c, '.' | '-' | '_' | '\'' | '"'));
    if token.is_empty() {
        return None;
    }
    if token.chars().all(|c| c == 'X' || c == 'x') {
        return Some(("X".repeat(token.chars().count()), 0));
    }
    let real = token.chars().filter(char::is_ascii_digit).count();
    let total = token.chars().count();
    if real * 2 < total || real == 0 {
        return None;
    }
    let mut digits = String::with_capacity(total);
    for c in token.chars() {
        digits.push(as_digit(c)?);
    }
    Some((digits, total - real))
}

/// A date `dd/mm/yyyy` (separators `/`, `-` or `.`) anywhere in `text`, formatted `dd/mm/yyyy`.
pub fn find_date(text: &str) -> Option<(Date, String)> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let is_sep = |c: char| matches!(c, '/' | '-' | '.' | '|');
    for start in 0..chars.len() {
        if start > 0 && chars[start - 1].is_ascii_digit() {
            continue;
        }
        let Some((date, len)) = date_at(&chars[start..], is_sep) else {
            continue;
        };
        if chars.get(start + len).is_some_and(char::is_ascii_digit) {
            continue;
        }
        let formatted = format!("{:02}/{:02}/{:04}", date.day, date.month, date.year);
        return Some((date, formatted));
    }
    None
}

/// A date in small print read at a known place: as [`find_date`], and else eight digits in one
/// run of digits and separators (`1403/2017`: a separator lost between day and month) read as
/// `ddmmyyyy`. Returns the date, its formatted text and where it starts (in characters).
pub fn find_small_date(text: &str) -> Option<(Date, String, usize)> {
    let chars: Vec<char> = text.chars().collect();
    if let Some((date, formatted)) = find_date(text) {
        let start = chars.iter().position(|c| c.is_ascii_digit()).unwrap_or(0);
        return Some((date, formatted, start));
    }
    let is_sep = |c: char| matches!(c, '/' | '-' | '.' | '|' | ' ');
    let mut start = 0;
    while start < chars.len() {
        if !chars[start].is_ascii_digit() {
            start += 1;
            continue;
        }
        let mut end = start;
        let mut digits = String::new();
        while end < chars.len() {
            let c = chars[end];
            if c.is_ascii_digit() {
                digits.push(c);
            } else if !is_sep(c) {
                break;
            }
            end += 1;
        }
        if digits.len() == 8 {
            let number = |range: std::ops::Range<usize>| digits[range].parse::<u32>().ok();
            if let (Some(day), Some(month), Some(year)) = (number(0..2), number(2..4), number(4..8))
            {
                if let Some(date) = Date::new(year as i32, month, day) {
                    let formatted = format!("{day:02}/{month:02}/{year:04}");
                    return Some((date, formatted, start));
                }
            }
        }
        start = end.max(start + 1);
    }
    None
}

/// Parses `d{1,2} SEP d{1,2} SEP dddd` at the start of `chars`; returns the date and how many
/// characters it took.
fn date_at(chars: &[char], is_sep: impl Fn(char) -> bool) -> Option<(Date, usize)> {
    let mut pos = 0;
    let mut parts = [0u32; 3];
    for (i, part) in parts.iter_mut().enumerate() {
        let max = if i == 2 { 4 } else { 2 };
        let min = if i == 2 { 4 } else { 1 };
        let mut n = 0;
        let mut value = 0u32;
        while n < max {
            match chars.get(pos).copied().and_then(|c| {
                if n == 0 && !c.is_ascii_digit() {
                    None
                } else {
                    as_digit(c)
                }
            }) {
                Some(d) => {
                    value = value * 10 + d.to_digit(10)?;
                    n += 1;
                    pos += 1;
                }
                None => break,
            }
        }
        if n < min {
            return None;
        }
        *part = value;
        if i < 2 {
            if !chars.get(pos).is_some_and(|c| is_sep(*c)) {
                return None;
            }
            pos += 1;
        }
    }
    let date = Date::new(parts[2] as i32, parts[1], parts[0])?;
    Some((date, pos))
}

/// A four-digit year 1900-2099 standing alone in `text` (Year of Birth).
pub fn find_year(text: &str) -> Option<i32> {
    digit_runs(text)
        .into_iter()
        .filter(|r| r.digits.len() == 4 && !r.is_masked())
        .filter_map(|r| r.digits.parse::<i32>().ok())
        .find(|y| (1900..=2099).contains(y))
}

/// Whether `text` looks like a person's name in Latin letters: letters, spaces, dots,
/// apostrophes and hyphens, at least two letters, mostly letters.
pub fn looks_like_name(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_ascii_alphabetic()).count();
    letters >= 2
        && text
            .chars()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, ' ' | '.' | '\'' | '-'))
}

/// Collapses runs of spaces and trims.
pub fn squash_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_runs_join_groups_and_repair_confusions() {
        let runs = digit_runs("6504 88I4 94l5");
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].digits, "650488149415");
        assert_eq!(runs[0].repaired, 2);
        let vid = digit_runs("VID : 6576 2034 5396 0865");
        assert_eq!(vid[0].digits, "6576203453960865");
        let masked = digit_runs("XXXX XXXX 1234");
        assert_eq!(masked[0].digits, "XXXXXXXX1234");
        assert!(masked[0].is_masked());
        assert!(digit_runs("GOVERNMENT OF INDIA").is_empty());
    }

    #[test]
    fn dates_are_found_and_formatted() {
        assert_eq!(find_date("A/DOB: 25/08/1952").unwrap().1, "25/08/1952");
        assert_eq!(find_date("Issue Date: 7-6-2018").unwrap().1, "07/06/2018");
        assert_eq!(find_date("DOB:2S/08/ 1952").unwrap().1, "25/08/1952");
        assert!(find_date("31/02/2000").is_none());
        assert!(find_date("Mobile No: 9139018726").is_none());
        assert!(find_date("123/08/1952").is_none());
    }

    #[test]
    fn small_print_dates_may_lose_a_separator() {
        let (_, text, start) = find_small_date("Asdhaal ne aued 1403/2017").unwrap();
        assert_eq!((text.as_str(), start), ("14/03/2017", 16));
        assert_eq!(
            find_small_date("Issue Date: 17/05/2012").unwrap().1,
            "17/05/2012"
        );
        assert!(find_small_date("Issue Date 31/0172012").is_none());
        assert!(find_small_date("Issue Date 3201/2012").is_none());
    }

    #[test]
    fn year_of_birth() {
        assert_eq!(find_year("af/Year of Birth : 1990"), Some(1990));
        assert_eq!(find_year("6504 8814 9415"), None);
    }

    #[test]
    fn names_and_groups() {
        assert!(looks_like_name("Sapna Singh"));
        assert!(!looks_like_name("VID : 1234"));
        assert!(!looks_like_name("/ FEMALE 2"));
        assert_eq!(group4("123412341234"), "1234 1234 1234");
        assert_eq!(squash_spaces("  A   B "), "A B");
    }
}
