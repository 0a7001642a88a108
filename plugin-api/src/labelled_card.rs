//! Cards that print every value under a (usually bilingual) label, such as the Dutch, Norwegian,
//! Swedish and German identity cards (`Naam / Surname` above `PETERS`).
//!
//! [`CardText::read`] reads a card once: the rectified card when the host finds one in the photo
//! (any rotation, perspective, card small in the frame), otherwise the whole image.
//! [`Labels`] knows every label phrase a card prints, so that it can tell labels from values,
//! count how many of the card's labels an image shows (is this the card at all?) and take the
//! value printed under a label.
//!
//! ```ignore
//! let card = CardText::read(host, request.image());
//! let labels = Labels::new(&["naam", "surname", "voornamen", "given names"]);
//! if labels.count_found(&card.page) < 2 { return Err(ExtractError::not_this_document("no Dutch labels")); }
//! let surname = labels.value_below(&card.page, &["naam", "surname"]);
//! ```

use crate::host::Host;
use crate::text::{normalize, Line, Page};
use crate::types::{DocumentCrop, ImageRef, ReadOptions};

/// The text of one card image, read once.
#[derive(Debug)]
pub struct CardText {
    /// The card rectified upright, when the host found its outline (or text block) in the image.
    pub crop: Option<DocumentCrop>,
    /// The lines read, in reading order, in the coordinates of the crop when there is one and of
    /// the original image otherwise.
    pub page: Page,
}

impl CardText {
    /// Locates the card and reads the rectified crop; reads the whole image when no card is
    /// found. One text detection and recognition pass either way.
    pub fn read(host: &Host<'_>, image: ImageRef<'_>) -> CardText {
        match host.locate_document(image) {
            Some(crop) => {
                let lines = host.read_text(crop.image.as_ref(), ReadOptions::latin());
                let page = Page::new(&lines, crop.image.width, crop.image.height);
                CardText {
                    crop: Some(crop),
                    page,
                }
            }
            None => {
                let lines = host.read_text(image, ReadOptions::latin());
                CardText {
                    crop: None,
                    page: Page::new(&lines, image.width, image.height),
                }
            }
        }
    }

    /// The image the page was read from: the crop, or `original` when there is none. Use it for
    /// further host calls (MRZ, regions) so that coordinates and orientation match the page.
    pub fn image<'a>(&'a self, original: ImageRef<'a>) -> ImageRef<'a> {
        match &self.crop {
            Some(crop) => crop.image.as_ref(),
            None => original,
        }
    }

    /// Whether the page shows a machine-readable zone: at least two lines that are mostly the
    /// MRZ alphabet and carry a run of `<` fillers (a card's back rather than its front).
    pub fn shows_mrz(&self) -> bool {
        self.page
            .lines()
            .iter()
            .filter(|line| looks_like_mrz(&line.text))
            .count()
            >= 2
    }
}

/// Whether a line of text looks like a row of a machine-readable zone.
pub fn looks_like_mrz(text: &str) -> bool {
    let compact: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let fillers = compact
        .iter()
        .filter(|&&c| matches!(c, '<' | '«' | '‹'))
        .count();
    compact.len() >= 20 && fillers >= 2
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Quad, Rect, Script, TextLine};

    fn line(text: &str, x: f32, y: f32, w: f32, h: f32) -> TextLine {
        TextLine {
            text: text.into(),
            confidence: 0.9,
            quad: Quad::from_rect(Rect {
                x,
                y,
                width: w,
                height: h,
            }),
            script: Script::LATIN,
        }
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
    fn mrz_rows_are_recognised() {
        assert!(looks_like_mrz("I<NLDFSI4H16N31911047712<<<<<<"));
        assert!(looks_like_mrz("PETERS<<BRAM<<<<<<<<<<<<<<<<<<"));
        assert!(!looks_like_mrz("KONINKRIJK DER NEDERLANDEN"));
        assert!(!looks_like_mrz("10 MAA/MAR 1965"));
    }
}
