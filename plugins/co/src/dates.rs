//! Dates as the cédula prints them: `17-ENE-1987` (Spanish month abbreviations).

use kycd_plugin_api::checks::Date;

/// Spanish month abbreviations as printed, January first.
pub const MONTHS: [&str; 12] = [
    "ENE", "FEB", "MAR", "ABR", "MAY", "JUN", "JUL", "AGO", "SEP", "OCT", "NOV", "DIC",
];

/// A date in the card's format.
pub fn format(date: Date) -> String {
    format!(
        "{:02}-{}-{}",
        date.day,
        MONTHS[date.month as usize - 1],
        date.year
    )
}

fn digits(text: &str) -> Option<u32> {
    let fixed: String = text
        .chars()
        .map(|c| match c {
            'O' | 'o' | 'D' | 'Q' => '0',
            'I' | 'l' | 'L' | '|' => '1',
            'S' => '5',
            'B' => '8',
            'Z' => '2',
            other => other,
        })
        .collect();
    if fixed.is_empty() || !fixed.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    fixed.parse().ok()
}

fn month(text: &str) -> Option<u32> {
    let letters: String = text
        .chars()
        .map(|c| match c {
            '0' => 'O',
            '1' => 'I',
            '8' => 'B',
            '5' => 'S',
            other => other,
        })
        .flat_map(char::to_uppercase)
        .collect();
    MONTHS
        .iter()
        .position(|m| *m == letters)
        .map(|i| i as u32 + 1)
}

fn parse_one(candidate: &str) -> Option<Date> {
    let parts: Vec<&str> = candidate
        .split(['-', '/', '.', '_', ','])
        .filter(|t| !t.is_empty())
        .collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    if d.len() > 2 || y.len() != 4 {
        return None;
    }
    Date::new(digits(y)? as i32, month(m)?, digits(d)?)
}

/// The first `dd-MMM-yyyy` date in `text` (separators `-`, `.` or `/`, OCR look-alikes
/// repaired, spaces as separators tolerated: `15 ABR 2004`), and the words after it as
/// printed (a leading comma dropped).
pub fn parse(text: &str) -> Option<(Date, String)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    for i in 0..words.len() {
        for span in 1..=3.min(words.len() - i) {
            if let Some(date) = parse_one(&words[i..i + span].join("-")) {
                let rest = words[i + span..].join(" ");
                return Some((date, rest.trim_start_matches([',', ' ']).to_string()));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_format() {
        let (date, rest) = parse("18-FEB-2014 PEREIRA").unwrap();
        assert_eq!(format(date), "18-FEB-2014");
        assert_eq!(rest, "PEREIRA");
        assert_eq!(format(parse("O5- ABR-2O10").unwrap().0), "05-ABR-2010");
        assert_eq!(parse("20 ABR 2022, CARTAGENA").unwrap().1, "CARTAGENA");
        assert_eq!(format(parse("3O-DIC-1945").unwrap().0), "30-DIC-1945");
        assert!(parse("31-FEB-1990").is_none());
        assert_eq!(parse("25-MAR-2025 BOGOTA D.C.").unwrap().1, "BOGOTA D.C.");
    }
}
