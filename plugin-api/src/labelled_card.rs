//! Cards that print every value under a (usually bilingual) label, such as the Dutch, Norwegian,
//! Swedish and German identity cards (`Naam / Surname` above `PETERS`).
//!
//! Read the card with [`crate::card_reading::read_card`], passing [`Labels::layout_score`] so
//! that the upright reading is kept. [`Labels`] knows every label phrase a card prints, so that
//! it can tell labels from values, count how many of the card's labels an image shows (is this
//! the card at all?) and take the value printed under a label.
//!
//! ```ignore
//! let labels = Labels::new(&["naam", "surname", "voornamen", "given names"]);
//! let card = read_card(host, request.image(), |p| labels.layout_score(p, &["nederlanden"]), 6);
//! if labels.count_found(&card.page) < 2 { return Err(ExtractError::not_this_document("no Dutch labels")); }
//! let surname = labels.value_below(&card.page, &["naam", "surname"]);
//! ```

use crate::card_reading::looks_like_mrz;
use crate::checks::Date;
use crate::fields::Field;
use crate::text::{normalize, Line, Page};

/// A value as read, with the confidence of the line it was read from.
pub type Read = (String, f32);

/// A date as read, with the confidence and the line it was read from.
pub type DateRead<'p> = (Date, f32, &'p Line);

/// The field for a value that was read, or an empty value marked invalid when it was not.
pub fn value_field(key: &str, read: Option<Read>) -> Field {
    match read {
        Some((value, confidence)) => Field::ocr(key, value, confidence),
        None => Field::ocr(key, "", 0.0).checked(false),
    }
}

/// The field for a date that was read, written by `format` the way the card prints it and
/// marked valid when `ok`; an empty value marked invalid when it was not read.
pub fn date_field(
    key: &str,
    read: Option<(Date, f32)>,
    ok: bool,
    format: impl Fn(Date) -> String,
) -> Field {
    match read {
        Some((date, confidence)) => Field::ocr(key, format(date), confidence).checked(ok),
        None => Field::ocr(key, "", 0.0).checked(false),
    }
}

/// Whether the page shows a machine-readable zone (at least two MRZ-shaped lines): a card's back
/// rather than its front.
pub fn shows_mrz(page: &Page) -> bool {
    page.lines()
        .iter()
        .filter(|line| looks_like_mrz(&line.text))
        .count()
        >= 2
}

/// Whether `text` could be a printed name: at least one letter, and nothing but letters,
/// spaces, hyphens and apostrophes.
pub fn is_name_shaped(text: &str) -> bool {
    text.chars().any(char::is_alphabetic)
        && text
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’'))
}

/// The text when it is name-shaped ([`is_name_shaped`]), as read.
pub fn name_as_printed(text: &str) -> Option<String> {
    is_name_shaped(text).then(|| text.to_string())
}

/// The label phrases a card prints (in every language it prints them), for telling labels from
/// values and finding values under labels. Phrases are compared after [`normalize`], word by
/// word, so `Naam/Surname` contains the phrase `surname` and `Voornamen` does not contain `naam`.
#[derive(Clone, Debug)]
pub struct Labels {
    phrases: Vec<Phrase>,
}

#[derive(Clone, Debug)]
struct Phrase {
    words: Vec<String>,
    joined: String,
}

impl Phrase {
    fn new(text: &str) -> Phrase {
        let words: Vec<String> = normalize(text)
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let joined = words.concat();
        Phrase { words, joined }
    }

    /// Whether the line's words contain this phrase; a phrase of several words or of six or more
    /// letters also matches when the recogniser dropped the spaces (`DateofBirth`).
    fn found_in(&self, words: &[&str], joined: &str) -> bool {
        if self.words.is_empty() {
            return false;
        }
        let n = self.words.len();
        let by_words = words
            .windows(n)
            .any(|w| w.iter().zip(&self.words).all(|(a, b)| *a == b.as_str()));
        by_words || ((n > 1 || self.joined.chars().count() >= 6) && joined.contains(&self.joined))
    }
}

impl Labels {
    /// Every label phrase the card prints, e.g. `["naam", "surname", "geslacht", "sex"]`.
    pub fn new(phrases: &[&str]) -> Labels {
        Labels {
            phrases: phrases.iter().map(|p| Phrase::new(p)).collect(),
        }
    }

    /// The labels of several lists, e.g. a card's national-language and English labels.
    pub fn joined(lists: &[&[&str]]) -> Labels {
        let all: Vec<&str> = lists.iter().flat_map(|l| l.iter().copied()).collect();
        Labels::new(&all)
    }

    /// Whether `line` carries any of the card's labels.
    pub fn is_label(&self, line: &Line) -> bool {
        let normalized = normalize(&line.text);
        let words: Vec<&str> = normalized.split_whitespace().collect();
        let joined = words.concat();
        self.phrases.iter().any(|p| p.found_in(&words, &joined))
    }

    /// How many of the card's label phrases appear on the page (each counted once).
    pub fn count_found(&self, page: &Page) -> usize {
        let lines: Vec<(Vec<String>, String)> = page
            .lines()
            .iter()
            .map(|line| {
                let words: Vec<String> = normalize(&line.text)
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
                let joined = words.concat();
                (words, joined)
            })
            .collect();
        self.phrases
            .iter()
            .filter(|p| {
                lines.iter().any(|(words, joined)| {
                    let words: Vec<&str> = words.iter().map(String::as_str).collect();
                    p.found_in(&words, joined)
                })
            })
            .count()
    }

    /// How well the page reads as this card held upright, for choosing between the two
    /// orientations of a levelled reading: one point per label with a value under it, three
    /// when a header line (one carrying any of `header_words`, compared by [`normalize`]) is
    /// above every label (three less when one is below every label and none above), two per
    /// MRZ-shaped line in the lower half of the page.
    pub fn layout_score(&self, page: &Page, header_words: &[&str]) -> i32 {
        let lines = page.lines();
        let labels: Vec<&Line> = lines.iter().filter(|l| self.is_label(l)).collect();
        let with_value = labels
            .iter()
            .filter(|l| self.value_below_line(page, l).is_some())
            .count() as i32;
        let first_label = labels.iter().map(|l| l.top).fold(f32::INFINITY, f32::min);
        let last_label = labels
            .iter()
            .map(|l| l.bottom)
            .fold(f32::NEG_INFINITY, f32::max);
        let is_header = |l: &&Line| {
            let text = normalize(&l.text);
            header_words.iter().any(|w| text.contains(&normalize(w)))
        };
        let header_above = lines
            .iter()
            .filter(is_header)
            .any(|l| l.bottom <= first_label);
        // A header under every label and none above: the page read half a turn round (on a
        // blurred photo its labels may still find "values" below them, the row above's).
        let header_below =
            !header_above && lines.iter().filter(is_header).any(|l| l.top >= last_label);
        let mrz_below = lines
            .iter()
            .filter(|l| l.top > page.height / 2.0 && looks_like_mrz(&l.text))
            .count() as i32;
        let header = match (labels.is_empty(), header_above, header_below) {
            (true, _, _) => 0,
            (false, true, _) => 3,
            (false, false, true) => -3,
            (false, false, false) => 0,
        };
        with_value + header + 2 * mrz_below
    }

    /// The first line (in reading order) that carries one of `phrases`.
    pub fn find<'p>(&self, page: &'p Page, phrases: &[&str]) -> Option<&'p Line> {
        let wanted: Vec<Phrase> = phrases.iter().map(|p| Phrase::new(p)).collect();
        page.lines().iter().find(|line| {
            let normalized = normalize(&line.text);
            let words: Vec<&str> = normalized.split_whitespace().collect();
            let joined = words.concat();
            wanted.iter().any(|p| p.found_in(&words, &joined))
        })
    }

    /// The value printed under the label carrying one of `phrases`: the nearest line below the
    /// label that starts near the label's left edge or overlaps it, within two and a half label
    /// heights, and that is not itself a label. `None` when the label or the value is missing.
    pub fn value_below<'p>(&self, page: &'p Page, phrases: &[&str]) -> Option<&'p Line> {
        let label = self.find(page, phrases)?;
        self.value_below_line(page, label)
    }

    /// The value under the label carrying one of `phrases` when `parse` accepts it; otherwise
    /// the first line of the page (in reading order, labels skipped) that `parse` accepts. Small
    /// labels are often lost on photos while the larger values are read, so a value with a
    /// distinctive shape (a date, a number pattern) is still found. Returns the parsed value and
    /// the confidence of its line.
    pub fn read_value<T>(
        &self,
        page: &Page,
        phrases: &[&str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<(T, f32)> {
        self.value_below(page, phrases)
            .and_then(|l| parse(&l.text).map(|v| (v, l.confidence)))
            .or_else(|| {
                page.lines()
                    .iter()
                    .filter(|l| !self.is_label(l))
                    .find_map(|l| parse(&l.text).map(|v| (v, l.confidence)))
            })
    }

    /// The name-shaped lines (letters, spaces, hyphens and apostrophes only, not labels, not
    /// containing any of `exclude`, compared by [`normalize`]) of the value column that ends
    /// above `anchor`: lines whose left edge is within one `anchor` height of its left edge,
    /// top to bottom. On cards that print surname and given names at the top of the value
    /// column, they are the last two of these above the date of birth.
    pub fn names_above<'p>(
        &self,
        page: &'p Page,
        anchor: &Line,
        exclude: &[&str],
    ) -> Vec<&'p Line> {
        page.lines()
            .iter()
            .filter(|l| l.bottom <= anchor.top + 0.25 * anchor.height())
            .filter(|l| (l.left - anchor.left).abs() < anchor.height().max(1.0))
            .filter(|l| !self.is_label(l) && is_name_shaped(&l.text))
            .filter(|l| {
                let text = normalize(&l.text);
                !exclude.iter().any(|w| text.contains(&normalize(w)))
            })
            .collect()
    }

    /// The first line (in reading order) that is not a label and that `accept`s.
    pub fn first_value<'p>(
        &self,
        page: &'p Page,
        accept: impl Fn(&str) -> bool,
    ) -> Option<&'p Line> {
        page.lines()
            .iter()
            .find(|l| !self.is_label(l) && accept(&l.text))
    }

    /// Dates printed under their labels, one per slot (each slot the phrases of one label), the
    /// slots given in the dates' chronological order (birth, issue, expiry). A slot whose label
    /// or value was not read takes the remaining dates of the page (lines that are not labels,
    /// dates not already taken) in chronological order. `parse` reads a line's date with the
    /// confidence to give it.
    pub fn dates_in_order<'p, const N: usize>(
        &self,
        page: &'p Page,
        slots: [&[&str]; N],
        parse: impl Fn(&Line) -> Option<(Date, f32)>,
    ) -> [Option<DateRead<'p>>; N] {
        let mut found = slots.map(|phrases| {
            self.value_below(page, phrases)
                .and_then(|l| parse(l).map(|(d, c)| (d, c, l)))
        });
        if found.iter().any(Option::is_none) {
            let mut rest: Vec<DateRead<'p>> = page
                .lines()
                .iter()
                .filter(|l| !self.is_label(l))
                .filter_map(|l| parse(l).map(|(d, c)| (d, c, l)))
                .filter(|(d, _, _)| found.iter().flatten().all(|(k, _, _)| k != d))
                .collect();
            rest.sort_by_key(|(d, _, _)| *d);
            let mut rest = rest.into_iter();
            for slot in found.iter_mut().filter(|s| s.is_none()) {
                *slot = rest.next();
            }
        }
        found
    }

    /// Surname and given names: each under its label when the value there is name-shaped;
    /// where one is missing, the last two names of the value column above `anchor` (the value
    /// printed right under the names, e.g. the sex), surname first (see
    /// [`Labels::names_above`]; lines carrying any of `exclude` are not names).
    ///
    /// `name` turns a line's text into the name as printed (`None`: not a name), e.g.
    /// [`name_as_printed`], or a card's own repair of letters the recogniser reads as digits.
    pub fn names(
        &self,
        page: &Page,
        surname: &[&str],
        given: &[&str],
        anchor: Option<&Line>,
        exclude: &[&str],
        name: impl Fn(&str) -> Option<String>,
    ) -> (Option<Read>, Option<Read>) {
        let under = |phrases: &[&str]| {
            self.value_below(page, phrases)
                .and_then(|l| name(&l.text).map(|n| (n, l.confidence)))
        };
        let (surname, given) = (under(surname), under(given));
        if surname.is_some() && given.is_some() {
            return (surname, given);
        }
        let column = anchor.map(|a| self.names_above(page, a, exclude));
        match column.as_deref() {
            Some([.., s, g]) => (
                surname.or(Some((s.text.clone(), s.confidence))),
                given.or(Some((g.text.clone(), g.confidence))),
            ),
            _ => (surname, given),
        }
    }

    /// [`Labels::value_below`] for a label line already found.
    pub fn value_below_line<'p>(&self, page: &'p Page, label: &Line) -> Option<&'p Line> {
        let height = label.height().max(1.0);
        let limit = label.bottom + 2.5 * height;
        page.lines()
            .iter()
            .filter(|l| l.top >= label.middle() && l.top <= limit && !l.same_row(label))
            .filter(|l| {
                let aligned = (l.left - label.left).abs() < 2.0 * height;
                let overlap = l.horizontal_overlap(label)
                    > 0.3 * (l.right - l.left).min(label.right - label.left);
                aligned || overlap
            })
            .min_by(|a, b| a.top.total_cmp(&b.top))
            .filter(|l| !self.is_label(l))
    }
}

/// The sex as Norwegian and Swedish cards print it, `K/F` (kvinne, kvinna / female) or `M/M`,
/// from what the recogniser read (the slash read as `I`, `1` or `L`, spaces anywhere).
pub fn nordic_sex(text: &str) -> Option<String> {
    let letters: String = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect();
    match letters.as_str() {
        "KF" | "KIF" | "K1F" | "KLF" => Some("K/F".into()),
        "MM" | "MIM" | "M1M" | "MLM" => Some("M/M".into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Rect, TextLine};

    fn line(text: &str, x: f32, y: f32, w: f32, h: f32) -> TextLine {
        TextLine::latin(text, Rect::new(x, y, w, h), 0.9)
    }

    fn dutch_page() -> Page {
        Page::new(
            &[
                line("Naam / Surname", 344.0, 152.0, 126.0, 16.0),
                line("PETERS", 344.0, 172.0, 112.0, 28.0),
                line("Voornamen/Given names", 344.0, 214.0, 198.0, 16.0),
                line("Bram", 344.0, 234.0, 66.0, 28.0),
                line("Geslacht / Sex", 344.0, 276.0, 107.0, 16.0),
                line("Nationaliteit / Nationality", 544.0, 276.0, 188.0, 16.0),
                line("M/M", 344.0, 296.0, 54.0, 28.0),
                line("Nederlandse", 544.0, 296.0, 158.0, 28.0),
                line("Documentnummer / Document no.", 344.0, 400.0, 260.0, 16.0),
                line(
                    "Datum van afgifte / Date of issue",
                    344.0,
                    462.0,
                    245.0,
                    16.0,
                ),
            ],
            1060,
            686,
        )
    }

    fn dutch_labels() -> Labels {
        Labels::new(&[
            "naam",
            "surname",
            "voornamen",
            "given names",
            "geslacht",
            "nationaliteit",
            "documentnummer",
            "date of issue",
        ])
    }

    #[test]
    fn values_are_taken_under_their_own_label() {
        let page = dutch_page();
        let labels = dutch_labels();
        let value = |phrases: &[&str]| labels.value_below(&page, phrases).map(|l| l.text.clone());
        assert_eq!(value(&["naam", "surname"]).as_deref(), Some("PETERS"));
        assert_eq!(value(&["given names"]).as_deref(), Some("Bram"));
        assert_eq!(value(&["geslacht"]).as_deref(), Some("M/M"));
        assert_eq!(value(&["nationaliteit"]).as_deref(), Some("Nederlandse"));
        // The document number's value is missing: the next label is not taken for it.
        assert_eq!(value(&["documentnummer"]), None);
        assert_eq!(value(&["geboortedatum"]), None);
    }

    #[test]
    fn values_by_shape_and_names_by_column() {
        let page = dutch_page();
        let labels = dutch_labels();
        // The document number's label has no value under it, so the shape search runs (and
        // finds nothing); the sex has its label.
        let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit()).then(|| t.to_string());
        assert_eq!(labels.read_value(&page, &["documentnummer"], digits), None);
        let upper = |t: &str| (t == t.to_uppercase() && t.len() > 3).then(|| t.to_string());
        assert_eq!(
            labels
                .read_value(&page, &["naam"], upper)
                .map(|(v, _)| v)
                .as_deref(),
            Some("PETERS")
        );
        let sex_value = labels.value_below(&page, &["geslacht"]).unwrap();
        let names: Vec<&str> = labels
            .names_above(&page, sex_value, &["nederlanden"])
            .iter()
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(names, ["PETERS", "Bram"]);
        assert!(is_name_shaped("van der Berg-O'Neill"));
        assert!(!is_name_shaped("M/M"));
        assert!(!is_name_shaped("10 MAA/MAR 1965"));
    }

    #[test]
    fn phrases_match_whole_words_or_glued_phrases() {
        let page = dutch_page();
        let labels = dutch_labels();
        assert_eq!(labels.count_found(&page), 8);
        let naam = Labels::new(&["naam"]);
        // `Voornamen` does not contain the word `naam`.
        assert_eq!(naam.find(&page, &["naam"]).unwrap().text, "Naam / Surname");
        let glued = Page::new(&[line("DateofIssue", 0.0, 0.0, 100.0, 16.0)], 200, 50);
        assert_eq!(labels.count_found(&glued), 1);
    }

    #[test]
    fn dates_under_labels_or_in_chronological_order() {
        let labels = Labels::new(&["date of birth", "date of issue", "date of expiry"]);
        // The issue date's label is lost; the expiry's label and value are read, birth's value
        // stands alone above a stray date.
        let page = Page::new(
            &[
                line("20 05 2031", 344.0, 100.0, 120.0, 28.0),
                line("Date of expiry", 344.0, 200.0, 120.0, 16.0),
                line("21 05 2021", 344.0, 220.0, 120.0, 28.0),
                line("03 02 1990", 600.0, 300.0, 120.0, 28.0),
            ],
            1060,
            686,
        );
        let parse = |l: &Line| {
            let n: Vec<u32> = l.text.split(' ').filter_map(|p| p.parse().ok()).collect();
            match n.as_slice() {
                [d, m, y] => Date::new(*y as i32, *m, *d).map(|d| (d, l.confidence)),
                _ => None,
            }
        };
        let [birth, issue, expiry] = labels.dates_in_order(
            &page,
            [&["date of birth"], &["date of issue"], &["date of expiry"]],
            parse,
        );
        let date = |r: Option<DateRead>| r.map(|(d, _, _)| (d.year, d.month, d.day));
        assert_eq!(date(expiry), Some((2021, 5, 21)));
        // The remaining dates, oldest first.
        assert_eq!(date(birth), Some((1990, 2, 3)));
        assert_eq!(date(issue), Some((2031, 5, 20)));
    }

    #[test]
    fn names_under_labels_or_above_the_anchor() {
        let page = dutch_page();
        let labels = dutch_labels();
        let sex = labels.first_value(&page, |t| t == "M/M");
        assert_eq!(sex.map(|l| l.text.as_str()), Some("M/M"));
        let text = |r: Option<Read>| r.map(|(t, _)| t);
        let (surname, given) =
            labels.names(&page, &["naam"], &["voornamen"], sex, &[], name_as_printed);
        assert_eq!(
            (text(surname).as_deref(), text(given).as_deref()),
            (Some("PETERS"), Some("Bram"))
        );
        // Labels that are not on the page: the column above the sex gives both.
        let (surname, given) = labels.names(
            &page,
            &["achternaam"],
            &["roepnaam"],
            sex,
            &[],
            name_as_printed,
        );
        assert_eq!(
            (text(surname).as_deref(), text(given).as_deref()),
            (Some("PETERS"), Some("Bram"))
        );
        assert_eq!(
            labels.names(
                &page,
                &["achternaam"],
                &["roepnaam"],
                None,
                &[],
                name_as_printed
            ),
            (None, None)
        );
        let missing = value_field("Surname", None);
        assert_eq!(
            (missing.value.as_str(), missing.valid),
            ("", crate::fields::Validity::INVALID)
        );
        let date = Date::new(1965, 3, 10).unwrap();
        let field = date_field("DateOfBirth", Some((date, 0.9)), true, |d| d.yymmdd());
        assert_eq!(field.value.as_str(), "650310");
        assert_eq!(field.valid, crate::fields::Validity::VALID);
    }

    #[test]
    fn upright_layouts_score_higher_than_turned_ones() {
        let page = dutch_page();
        let labels = dutch_labels();
        let header = Page::new(
            &[
                line("KONINKRIJK DER NEDERLANDEN", 64.0, 40.0, 400.0, 30.0),
                line("Naam / Surname", 344.0, 152.0, 126.0, 16.0),
                line("PETERS", 344.0, 172.0, 112.0, 28.0),
            ],
            1060,
            686,
        );
        // The same page half a turn round: the value above its label, the header at the bottom.
        let turned = Page::new(
            &[
                line("PETERS", 604.0, 486.0, 112.0, 28.0),
                line("Naam / Surname", 590.0, 518.0, 126.0, 16.0),
                line("KONINKRIJK DER NEDERLANDEN", 596.0, 616.0, 400.0, 30.0),
            ],
            1060,
            686,
        );
        assert_eq!(labels.layout_score(&header, &["nederlanden"]), 4);
        assert_eq!(labels.layout_score(&turned, &["nederlanden"]), -3);
        assert_eq!(labels.layout_score(&page, &[]), 4);
        let back = Page::new(
            &[
                line("I<NLDFSI4H16N31911047712<<<<<<", 90.0, 480.0, 880.0, 40.0),
                line("PETERS<<BRAM<<<<<<<<<<<<<<<<<<", 90.0, 600.0, 880.0, 40.0),
            ],
            1060,
            686,
        );
        assert!(shows_mrz(&back));
        assert!(!shows_mrz(&page));
        assert_eq!(labels.layout_score(&back, &[]), 4);
    }
}
