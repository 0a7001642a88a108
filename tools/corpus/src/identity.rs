//! Random but valid identities: names and places from per-country lists
//! (`tools/corpus/data/*.txt`), dates, digit strings. All randomness comes from the sample's
//! seeded [`ChaCha8Rng`].

use kycd_plugin_api::checks::Date;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The fixed "today" of the corpus (no time dependence): documents are issued before it, and
/// ages are computed against it.
pub const REFERENCE_DATE: Date = Date {
    year: 2025,
    month: 6,
    day: 1,
};

/// Sex of the holder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sex {
    /// Male.
    Male,
    /// Female.
    Female,
}

impl Sex {
    /// Random sex, 50/50.
    pub fn random(rng: &mut ChaCha8Rng) -> Sex {
        if rng.random_bool(0.5) {
            Sex::Female
        } else {
            Sex::Male
        }
    }

    /// `M` or `F` (ICAO).
    pub fn icao(self) -> char {
        match self {
            Sex::Male => 'M',
            Sex::Female => 'F',
        }
    }

    /// Whether female.
    pub fn is_female(self) -> bool {
        self == Sex::Female
    }
}

/// A per-country list of names and places, parsed from a data file with `[section]` headers
/// and one entry per line (`#` starts a comment).
pub struct NameList {
    sections: Vec<(&'static str, Vec<&'static str>)>,
}

impl NameList {
    /// Parses a data file.
    pub fn parse(text: &'static str) -> NameList {
        let mut sections: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                sections.push((name, Vec::new()));
            } else if let Some((_, entries)) = sections.last_mut() {
                entries.push(line);
            }
        }
        NameList { sections }
    }

    /// The entries of a section (empty when absent).
    pub fn section(&self, name: &str) -> &[&'static str] {
        self.sections
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, e)| e.as_slice())
            .unwrap_or(&[])
    }

    /// A random entry of a section; empty string when the section is empty.
    pub fn pick(&self, rng: &mut ChaCha8Rng, name: &str) -> &'static str {
        pick(rng, self.section(name))
    }

    /// A random given name for `sex` (sections `male` / `female`).
    pub fn given(&self, rng: &mut ChaCha8Rng, sex: Sex) -> &'static str {
        self.pick(rng, if sex.is_female() { "female" } else { "male" })
    }
}

/// A random element of `items` (empty string when `items` is empty).
pub fn pick<'a>(rng: &mut ChaCha8Rng, items: &[&'a str]) -> &'a str {
    if items.is_empty() {
        ""
    } else {
        items[rng.random_range(0..items.len())]
    }
}

/// A random date in `[from, to]`.
pub fn date_between(rng: &mut ChaCha8Rng, from: Date, to: Date) -> Date {
    let (a, b) = (from.days_since_epoch(), to.days_since_epoch());
    Date::from_days_since_epoch(rng.random_range(a..=b.max(a)))
}

/// A random adult birth date (18 to 80 years before [`REFERENCE_DATE`]).
pub fn birth_date(rng: &mut ChaCha8Rng) -> Date {
    date_between(
        rng,
        REFERENCE_DATE.add_years(-80),
        REFERENCE_DATE.add_years(-18),
    )
}

/// A random issue date within the last `years` years (not before the holder turned 16).
pub fn issue_date(rng: &mut ChaCha8Rng, years: i32, birth: Date) -> Date {
    let earliest = REFERENCE_DATE.add_years(-years).max(birth.add_years(16));
    date_between(rng, earliest, REFERENCE_DATE.add_days(-1))
}

/// `n` random decimal digits.
pub fn digits(rng: &mut ChaCha8Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// `n` random characters from `alphabet`.
pub fn chars_from(rng: &mut ChaCha8Rng, alphabet: &str, n: usize) -> String {
    let chars: Vec<char> = alphabet.chars().collect();
    (0..n)
        .map(|_| chars[rng.random_range(0..chars.len())])
        .collect()
}

/// `n` random capital letters.
pub fn letters(rng: &mut ChaCha8Rng, n: usize) -> String {
    chars_from(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", n)
}

/// English three-letter month abbreviations.
pub const MONTHS_EN: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// `dd.mm.yyyy`.
pub fn dmy_dots(d: Date) -> String {
    format!("{:02}.{:02}.{:04}", d.day, d.month, d.year)
}

/// `dd.mm.yy`.
pub fn dmy_dots_short(d: Date) -> String {
    format!("{:02}.{:02}.{:02}", d.day, d.month, d.year.rem_euclid(100))
}

/// `dd/mm/yyyy`.
pub fn dmy_slashes(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day, d.month, d.year)
}

/// `dd-mm-yyyy`.
pub fn dmy_dashes(d: Date) -> String {
    format!("{:02}-{:02}-{:04}", d.day, d.month, d.year)
}
