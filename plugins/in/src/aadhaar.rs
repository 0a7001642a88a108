//! What both Aadhaar sides share: the card number, the VID, the card's marker words and the
//! Secure QR.

use kycd_plugin_api::checks::{is_valid_aadhaar, is_valid_verhoeff};
use kycd_plugin_api::prelude::*;
use kycd_plugin_api::text::normalize;

use crate::card::{is_horizontal, CardText};
use crate::front_layout::Box4;
use crate::numbers::{digit_runs, group4};
use crate::secure_qr::{self, SecureQr};

/// A number read from the card, with how much to trust it.
#[derive(Clone, Debug)]
pub struct NumberRead {
    /// The digits (`X` for masked ones).
    pub digits: String,
    /// Recogniser confidence of its line.
    pub confidence: f32,
    /// Whether the check digit holds (`None`: masked, cannot be checked).
    pub valid: Option<bool>,
}

impl NumberRead {
    /// The field, printed in groups of four.
    pub fn field(&self, key: &str) -> Field {
        let field = Field::ocr(key, group4(&self.digits), self.confidence);
        match self.valid {
            Some(ok) => field.checked(ok),
            None => field,
        }
    }
}

/// Whether a line is the VID line (its 16 digits are not the Aadhaar number).
pub fn is_vid_line(text: &str) -> bool {
    let n = normalize(text);
    n.starts_with("vid") || n.contains(" vid") || n.contains("virtual")
}

/// The 12-digit Aadhaar number: Verhoeff-valid reads first (fewest repaired characters, then
/// the largest print), then masked numbers as printed, then the best unchecked read.
pub fn card_number(page: &Page) -> Option<NumberRead> {
    let mut candidates: Vec<(NumberRead, usize, f32)> = Vec::new();
    for line in page.lines().iter().filter(|l| is_horizontal(l)) {
        let lower = line.text.to_lowercase();
        if is_vid_line(&line.text) || lower.contains("mobile") {
            continue;
        }
        for run in digit_runs(&line.text) {
            if run.digits.chars().count() != 12 {
                continue;
            }
            let valid = if run.is_masked() {
                None
            } else {
                Some(is_valid_aadhaar(&run.digits))
            };
            let read = NumberRead {
                digits: run.digits,
                confidence: line.confidence,
                valid,
            };
            candidates.push((read, run.repaired, line.height()));
        }
    }
    let rank = |r: &NumberRead| match r.valid {
        Some(true) => 0,
        None => 1,
        Some(false) => 2,
    };
    candidates
        .into_iter()
        .min_by(|a, b| {
            rank(&a.0)
                .cmp(&rank(&b.0))
                .then(a.1.cmp(&b.1))
                .then(b.2.total_cmp(&a.2))
        })
        .map(|(read, _, _)| read)
}

/// The box of the horizontal line that holds `digits` as one run.
pub fn line_holding(page: &Page, digits: &str) -> Option<Box4> {
    page.lines()
        .iter()
        .filter(|l| is_horizontal(l))
        .find(|l| digit_runs(&l.text).iter().any(|r| r.digits == digits))
        .map(|l| (l.left, l.top, l.right, l.bottom))
}

/// The 16-digit VID (Verhoeff-checked), preferring a line labelled `VID`.
pub fn vid(page: &Page) -> Option<NumberRead> {
    let mut best: Option<(NumberRead, bool)> = None;
    for line in page.lines().iter().filter(|l| is_horizontal(l)) {
        let labelled = is_vid_line(&line.text);
        for run in digit_runs(&line.text) {
            if run.digits.chars().count() != 16 || run.is_masked() {
                continue;
            }
            let valid = is_valid_verhoeff(&run.digits);
            let better = match &best {
                None => true,
                Some((b, b_labelled)) => (valid, labelled) > (b.valid == Some(true), *b_labelled),
            };
            if better {
                best = Some((
                    NumberRead {
                        digits: run.digits,
                        confidence: line.confidence,
                        valid: Some(valid),
                    },
                    labelled,
                ));
            }
        }
    }
    best.map(|(read, _)| read)
}

/// The Verhoeff-valid 16-digit VID of a re-read `VID` line, if it holds one.
pub fn valid_vid(line: &TextLine) -> Option<NumberRead> {
    digit_runs(line.text.as_str())
        .into_iter()
        .find(|r| r.digits.chars().count() == 16 && !r.is_masked() && is_valid_verhoeff(&r.digits))
        .map(|r| NumberRead {
            digits: r.digits,
            confidence: line.confidence,
            valid: Some(true),
        })
}

/// Words only an Aadhaar card (either side) prints.
pub fn has_aadhaar_markers(page: &Page) -> bool {
    page.lines().iter().any(|line| {
        let n = normalize(&line.text);
        n.contains("government of india")
            || n.contains("govemment of india")
            || n.contains("unique ident")
            || n.contains("authority of india")
            || n.contains("uidai")
            || n.contains("aadhaar")
            || n.contains("aadhar")
            || is_vid_line(&line.text)
    })
}

/// Words of the PAN card, which shares "GOVT. OF INDIA" with Aadhaar.
pub fn has_pan_markers(page: &Page) -> bool {
    page.lines().iter().any(|line| {
        let n = normalize(&line.text);
        n.contains("income tax") || n.contains("permanent account")
    })
}

/// The first decodable Secure QR on the card, if any.
pub fn secure_qr(card: &CardText, image: ImageRef<'_>, host: &Host<'_>) -> Option<SecureQr> {
    card.barcodes(image, host)
        .iter()
        .filter(|b| b.format == BarcodeFormat::QR)
        .find_map(|b| secure_qr::decode(b.text.as_str()))
        .map(|qr| qr.verify(host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kycd_plugin_api::{Quad, Rect, Script, TextLine};

    fn page(lines: &[(&str, f32, f32)]) -> Page {
        let lines: Vec<TextLine> = lines
            .iter()
            .map(|(text, y, h)| TextLine {
                text: (*text).into(),
                confidence: 0.95,
                quad: Quad::from_rect(Rect {
                    x: 300.0,
                    y: *y,
                    width: 380.0,
                    height: *h,
                }),
                script: Script::LATIN,
            })
            .collect();
        Page::new(&lines, 1000, 630)
    }

    #[test]
    fn card_number_prefers_the_verhoeff_valid_read_and_skips_the_vid() {
        let p = page(&[
            ("VID : 6576 2034 5396 0865", 550.0, 30.0),
            ("6504 8814 94l5", 490.0, 50.0),
            ("Mobile No: 9139018726", 330.0, 30.0),
        ]);
        let number = card_number(&p).unwrap();
        assert_eq!(number.field("CardNumber").value.as_str(), "6504 8814 9415");
        assert_eq!(number.valid, Some(true));
        let vid = vid(&p).unwrap();
        assert_eq!(vid.digits, "6576203453960865");
    }

    #[test]
    fn the_uidai_header_read_with_a_slip_still_marks_an_aadhaar() {
        // A glared seed-121 back photo: `IDENTIFICATION` read with an extra letter.
        let header = page(&[("UNIQUE IDENTIFRICATION AUTHORITY OF INDIA", 30.0, 40.0)]);
        assert!(has_aadhaar_markers(&header));
        let pan = page(&[
            ("INCOME TAX DEPARTMENT", 30.0, 40.0),
            ("GOVT. OF INDIA", 600.0, 40.0),
        ]);
        assert!(!has_aadhaar_markers(&pan));
    }

    #[test]
    fn invalid_and_masked_numbers_are_kept_as_printed() {
        let dummy = card_number(&page(&[("4444 5555 6666", 300.0, 40.0)])).unwrap();
        assert_eq!(dummy.valid, Some(false));
        let masked = card_number(&page(&[("XXXX XXXX 1234", 300.0, 40.0)])).unwrap();
        assert_eq!(masked.field("CardNumber").value.as_str(), "XXXX XXXX 1234");
        assert_eq!(masked.valid, None);
    }
}
