//! `ocr/in/pan`: the PAN card. The current design labels each value bilingually
//! (`नाम / Name`, `पिता का नाम / Father's Name`, `जन्म की तारीख / Date of Birth`) with the value
//! below; the old design prints name, father's name and date of birth as unlabelled lines under
//! the header, then `Permanent Account Number` and the number.

use kycd_plugin_api::checks::{is_plausible_birth_date, is_valid_pan, pan_holder_type};
use kycd_plugin_api::prelude::*;
use kycd_plugin_api::text::{normalize, within_one_edit};
use serde_json::json;

use crate::aadhaar;
use crate::card::{self, is_horizontal, today, Parsed};
use crate::numbers::{as_digit, as_letter, find_date, looks_like_name, squash_spaces};

/// Words of headers and labels, never part of a name.
const NOT_NAME: [&str; 15] = [
    "income",
    "tax",
    "department",
    "govt",
    "government",
    "india",
    "permanent",
    "account",
    "number",
    "card",
    "signature",
    "name",
    "father",
    "date",
    "birth",
];

/// Reads a PAN card.
pub fn extract(image: ImageRef<'_>, host: &Host<'_>) -> Result<Extraction, ExtractError> {
    let (read, _card) = card::read_best::<PanRead>(image, host);
    if !read.is_pan {
        return Err(ExtractError::not_this_document("not a PAN card"));
    }
    let fields = read.values;
    let (Some(number), Some(name)) = (read.number, fields.name.clone()) else {
        return Err(ExtractError::unreadable("PAN or name unreadable"));
    };
    let today = today();
    let birth = fields
        .birth
        .as_ref()
        .map_or(Field::ocr("DateOfBirth", "", 0.0), |(v, c, d)| {
            Field::ocr("DateOfBirth", v, *c).checked(is_plausible_birth_date(*d, today))
        });
    let initial_agrees = surname_initial_agrees(&number.0, &name.0);
    Ok(Extraction::new(vec![
        Field::ocr("CardNumber", &number.0, number.1).checked(is_valid_pan(&number.0)),
        Field::ocr("Name", &name.0, name.1),
        fields
            .father
            .as_ref()
            .map_or(Field::ocr("FatherName", "", 0.0), |(v, c)| {
                Field::ocr("FatherName", v, *c)
            }),
        birth,
    ])
    .with_details(json!({
        "side": "front",
        "model": if fields.labelled { "current" } else { "old" },
        "holder_type": pan_holder_type(&number.0).unwrap_or(""),
        "surname_initial": match initial_agrees {
            Some(true) => "agree",
            Some(false) => "disagree",
            None => "not applicable",
        },
    })))
}

/// A PAN card's page, parsed.
struct PanRead {
    number: Option<(String, f32)>,
    values: Values,
    is_pan: bool,
}

impl Parsed for PanRead {
    fn parse(page: &Page) -> PanRead {
        PanRead {
            number: pan_number(page),
            values: Values::parse(page),
            is_pan: is_pan(page),
        }
    }

    fn score(&self) -> u32 {
        4 * u32::from(self.number.is_some())
            + 3 * u32::from(self.values.name.is_some())
            + 2 * u32::from(self.values.father.is_some())
            + 2 * u32::from(self.values.birth.is_some())
            + u32::from(self.is_pan)
    }

    fn complete(&self) -> bool {
        self.is_pan
            && self.number.is_some()
            && self.values.name.is_some()
            && self.values.father.is_some()
            && self.values.birth.is_some()
    }
}

/// The PAN header or label, or a valid PAN beside "GOVT. OF INDIA" (and no Aadhaar words).
fn is_pan(page: &Page) -> bool {
    if aadhaar::has_pan_markers(page) {
        return true;
    }
    let govt = page.find_label(&["govt of india"]).is_some();
    govt && pan_number(page).is_some() && !aadhaar::has_aadhaar_markers(page)
}

/// For an individual's PAN (4th letter `P`), the 5th letter is the surname's initial.
fn surname_initial_agrees(pan: &str, name: &str) -> Option<bool> {
    let mut letters = pan.chars();
    if letters.nth(3) != Some('P') {
        return None;
    }
    let fifth = letters.next()?;
    let surname = name.split_whitespace().last()?;
    Some(surname.chars().next()?.to_ascii_uppercase() == fifth)
}

/// The PAN (`AAAAA9999A`) with letter/digit confusions repaired by position: the valid read
/// with the fewest repairs, then the largest print.
fn pan_number(page: &Page) -> Option<(String, f32)> {
    let mut best: Option<(String, f32, usize, f32)> = None;
    for line in page.lines() {
        let compact: String = line.text.chars().filter(|c| !c.is_whitespace()).collect();
        let tokens = line
            .text
            .split(|c: char| !c.is_alphanumeric())
            .map(str::to_string)
            .chain(std::iter::once(compact));
        for token in tokens {
            let Some((pan, repairs)) = repair_pan(&token) else {
                continue;
            };
            if !is_valid_pan(&pan) {
                continue;
            }
            let better = best
                .as_ref()
                .is_none_or(|b| (repairs, -line.height()) < (b.2, -b.3));
            if better {
                best = Some((pan, line.confidence, repairs, line.height()));
            }
        }
    }
    best.map(|(pan, confidence, _, _)| (pan, confidence))
}

/// Reads a 10-character token as `AAAAA9999A`, counting the characters that had to change.
fn repair_pan(token: &str) -> Option<(String, usize)> {
    let chars: Vec<char> = token.chars().collect();
    if chars.len() != 10 {
        return None;
    }
    let mut out = String::with_capacity(10);
    let mut repairs = 0;
    for (i, &c) in chars.iter().enumerate() {
        let fixed = if (5..9).contains(&i) {
            as_digit(c)?
        } else {
            as_letter(c)?
        };
        if fixed != c {
            repairs += 1;
        }
        out.push(fixed);
    }
    // Too many repairs means it was a word, not a number.
    (repairs <= 2).then_some((out, repairs))
}

/// Name, father's name and date of birth.
struct Values {
    name: Option<(String, f32)>,
    father: Option<(String, f32)>,
    birth: Option<(String, f32, kycd_plugin_api::checks::Date)>,
    labelled: bool,
}

impl Values {
    fn parse(page: &Page) -> Values {
        let label = |pred: &dyn Fn(&str) -> bool| {
            page.find(|l| {
                let n = normalize(&l.text);
                is_horizontal(l)
                    && pred(&n)
                    && l.text.chars().filter(|c| c.is_ascii_digit()).count() == 0
            })
        };
        let name_label = label(&|n: &str| n.split(' ').any(|w| w == "name") && !is_father_label(n));
        let father_label = label(&is_father_label);
        let birth_label = label(&|n: &str| n.contains("birth"));
        let value_below = |l: Option<&Line>| {
            l.and_then(|l| page.below(l, 1.5))
                .filter(|v| is_name_line(v))
                .map(|v| (squash_spaces(&v.text).to_uppercase(), v.confidence))
        };
        let labelled = name_label.is_some() || father_label.is_some();
        let (mut name, mut father) = (value_below(name_label), value_below(father_label));
        if name_label.is_none() {
            // The name label unreadable: the holder's name is the line right above the father's
            // name label.
            name = father_label
                .and_then(|f| {
                    page.lines()
                        .iter()
                        .rev()
                        .find(|l| f.is_below(l, 1.5) && l.horizontal_overlap(f) > 0.0)
                })
                .filter(|l| is_name_line(l))
                .map(|l| (squash_spaces(&l.text).to_uppercase(), l.confidence));
        }
        if name.is_none() || father.is_none() {
            // Old design: the first two name-like lines under the header.
            let header_bottom = page
                .find_label(&["income tax", "govt of india"])
                .map_or(0.0, |h| h.bottom);
            let mut lines = page
                .lines()
                .iter()
                .filter(|l| l.top > header_bottom && is_name_line(l))
                .map(|l| (squash_spaces(&l.text).to_uppercase(), l.confidence));
            if !labelled {
                name = name.or_else(|| lines.next());
                father = father.or_else(|| lines.next());
            }
        }
        let birth = birth_label
            .and_then(|l| page.below(l, 1.5))
            .and_then(|l| find_date(&l.text).map(|(d, t)| (t, l.confidence, d)))
            .or_else(|| {
                page.lines()
                    .iter()
                    .find_map(|l| find_date(&l.text).map(|(d, t)| (t, l.confidence, d)))
            });
        Values {
            name,
            father,
            birth,
            labelled,
        }
    }
}

/// Whether the normalised `text` is the father's name label (`Father's Name`, `Faiher's Nare`:
/// a word within one edit of "father").
fn is_father_label(text: &str) -> bool {
    text.split(' ')
        .any(|w| w.len() >= 5 && within_one_edit(w, "father"))
}

/// A line that can be a holder's name: letters only, confident, not a header or label.
fn is_name_line(line: &Line) -> bool {
    is_horizontal(line)
        && line.confidence >= 0.8
        && looks_like_name(&line.text)
        && !normalize(&line.text)
            .split(' ')
            .any(|w| NOT_NAME.contains(&w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pan_repair_by_position() {
        assert_eq!(repair_pan("NLVPJ4280E"), Some(("NLVPJ4280E".into(), 0)));
        assert_eq!(repair_pan("NLVPJ42B0E"), Some(("NLVPJ4280E".into(), 1)));
        assert_eq!(repair_pan("N1VPJ4280E"), Some(("NIVPJ4280E".into(), 1)));
        assert_eq!(repair_pan("SIGNATURES"), None);
        assert_eq!(repair_pan("NLVPJ4280"), None);
    }

    #[test]
    fn father_label_read_with_a_slip() {
        assert!(is_father_label(&normalize("f / Faiher's Nare")));
        assert!(is_father_label(&normalize("पिता का नाम / Father's Name")));
        assert!(!is_father_label(&normalize("नाम / Name")));
        assert!(!is_father_label(&normalize("RAJESH FATEH")));
    }

    #[test]
    fn surname_initial_check() {
        assert_eq!(
            surname_initial_agrees("NLVPJ4280E", "AMIT JAIN"),
            Some(true)
        );
        assert_eq!(
            surname_initial_agrees("NLVPK4280E", "AMIT JAIN"),
            Some(false)
        );
        assert_eq!(surname_initial_agrees("NLVCJ4280E", "AMIT JAIN"), None);
    }
}
