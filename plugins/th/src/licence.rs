//! `ocr/th/driving-licence`: the Thai driving licence (bilingual front, Department of Land
//! Transport).
//!
//! The English card type, name and dates and every number come from the Latin read; the Thai
//! name is re-read with the Thai recogniser. The Thai card type is the Thai name of the English
//! type read (the two are printed together); the Thai birth date is checked against its
//! English twin like on the identity card.

use kycd_plugin_api::checks::{is_plausible_birth_date, Date};
use kycd_plugin_api::mrz_identity::today;
use kycd_plugin_api::prelude::*;
use kycd_plugin_api::text::normalize;
use serde_json::json;

use crate::card::{after_glued_label, rect_quad, starts_with_label, strip_thai_label, CardText};
use crate::dates::{self, MonthStyle, Twin};
use crate::id_card::{date_pair, id_number, DatePair};
use crate::names;

/// The route.
pub const ROUTE: &str = "ocr/th/driving-licence";

/// Keys and descriptions, in answer order.
pub const KEYS: [(&str, &str); 10] = [
    ("cardTypeTh", "Licence type in Thai"),
    ("cardTypeEn", "Licence type in English"),
    ("licenseNumber", "Licence number"),
    (
        "idNumber",
        "Holder's 13-digit national ID number, digits only",
    ),
    ("nameTh", "Thai title, given name and surname"),
    ("nameEn", "English title, given name and surname"),
    (
        "birthTh",
        "Date of birth, Thai, Buddhist era (21 มีนาคม 2509)",
    ),
    ("birthEn", "Date of birth, English (21 March 1966)"),
    ("issueDate", "Date of issue, English"),
    ("expiryDate", "Date of expiry, English"),
];

/// Licence types: (English, Thai), as printed in the header.
pub const TYPES: [(&str, &str); 4] = [
    (
        "Temporary Private Car Driving Licence",
        "ใบอนุญาตขับรถยนต์ส่วนบุคคลชั่วคราว",
    ),
    ("Private Car Driving Licence", "ใบอนุญาตขับรถยนต์ส่วนบุคคล"),
    (
        "Temporary Private Motorcycle Driving Licence",
        "ใบอนุญาตขับรถจักรยานยนต์ส่วนบุคคลชั่วคราว",
    ),
    (
        "Private Motorcycle Driving Licence",
        "ใบอนุญาตขับรถจักรยานยนต์ส่วนบุคคล",
    ),
];

/// The licence type an English header line reads as, when clearly one of [`TYPES`].
pub fn licence_type(text: &str) -> Option<(&'static str, &'static str)> {
    let read = normalize(text);
    let mut scored: Vec<(f64, (&str, &str))> = TYPES
        .iter()
        .map(|t| (strsim::normalized_levenshtein(&read, &normalize(t.0)), *t))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    (scored[0].0 >= 0.8 && scored[0].0 - scored[1].0 >= 0.05).then_some(scored[0].1)
}

/// The licence number a line holds: its only run of digits, 6 to 10 long, as a word of its own.
pub fn licence_number(text: &str) -> Option<String> {
    let runs: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|r| !r.is_empty())
        .collect();
    let [run] = runs.as_slice() else {
        return None;
    };
    (6..=10).contains(&run.len()).then(|| run.to_string())
}

fn is_licence(card: &CardText<'_>) -> bool {
    card.page.lines().iter().any(|l| {
        let text = normalize(&l.text);
        text.contains("driving licen")
            || text.contains("land transport")
            || licence_type(&l.text).is_some()
    })
}

/// Extracts the driving licence.
pub fn extract(host: &Host<'_>, image: ImageRef<'_>) -> Result<Extraction, ExtractError> {
    let card = CardText::read_checked(host, image, is_licence)
        .ok_or_else(|| ExtractError::not_this_document("not a Thai driving licence"))?;
    let card = card.upright(host, |text| licence_type(text).is_some());
    let today = today();
    let header = card
        .page
        .lines()
        .iter()
        .find_map(|l| licence_type(&l.text).map(|t| (t, l.confidence)));
    let (type_en, type_th) = match header {
        Some(((en, th), confidence)) => (
            Field::ocr("cardTypeEn", en, confidence),
            Field::ocr("cardTypeTh", th, confidence).from_source("derived"),
        ),
        None => (Field::absent("cardTypeEn"), Field::absent("cardTypeTh")),
    };
    let id = id_number(host, &card).unwrap_or(Field::absent("idNumber"));
    // The value of an English label: after the label on its own line, or the line to its
    // right on the same row.
    let value_right = |label: &str| -> Option<(&Line, String)> {
        let label_line = card.label(label)?;
        let inline = match starts_with_label(&label_line.text, label) {
            Some(words) => label_line
                .text
                .split_whitespace()
                .skip(words)
                .collect::<Vec<_>>()
                .join(" "),
            None => after_glued_label(&label_line.text, label)
                .unwrap_or("")
                .to_string(),
        };
        if !inline.is_empty() {
            return Some((label_line, inline));
        }
        card.page
            .lines()
            .iter()
            .filter(|o| o.same_row(label_line) && o.left >= label_line.right - label_line.height())
            .min_by(|a, b| a.left.total_cmp(&b.left))
            .map(|l| (l, l.text.clone()))
    };
    // The licence number: right of the `No.` label, else the one line holding a single run of
    // 6 to 10 digits and no other digit (a Thai label read as Latin noise may precede it).
    let number = value_right("No.")
        .and_then(|(l, text)| licence_number(&text).map(|n| (n, l.confidence)))
        .or_else(|| {
            card.page
                .lines()
                .iter()
                .find_map(|l| licence_number(&l.text).map(|n| (n, l.confidence)))
        })
        .map_or(Field::absent("licenseNumber"), |(v, c)| {
            Field::ocr("licenseNumber", v, c)
        });
    // Without its label (small print on a photo): the line starting with an English title.
    let name_en_line = value_right("Name").or_else(|| {
        let line = card.titled_line(2)?;
        Some((line, line.text.clone()))
    });
    let name_anchor = name_en_line.as_ref().map(|(l, _)| *l);
    let mut name_en = name_en_line
        .as_ref()
        .map_or(Field::absent("nameEn"), |(l, text)| {
            Field::ocr("nameEn", names::english_title_case(text), l.confidence)
        });
    // The Thai name: its title twin and romanisation are the English name's.
    let mut name_th_repaired = false;
    let mut english_fixed = None;
    // The Thai name is the row right above the English name; where the Latin pass found no
    // line there (Thai print it dropped), that row's region is read.
    let name_th = name_en_line
        .map(|(anchor, _)| {
            let h = anchor.height();
            let is_label_or_date = |l: &Line| {
                ["Expiry Date", "Issue Date", "No."]
                    .iter()
                    .any(|label| starts_with_label(&l.text, label).is_some())
                    || dates::parse_en(&l.text).is_some()
                    || dates::thai_day_and_year(&l.text).is_some()
            };
            // The row above the name (expiry date and its labels) ends here: a line whose
            // middle is above it is that row's Thai label (`วันสิ้นอายุ`), not the name.
            let row_above = card.above(anchor, is_label_or_date);
            let floor = row_above.map_or(f32::MIN, |l| l.bottom);
            let row = card.above(anchor, |l| {
                l.right - l.left > 2.0 * l.height()
                    && l.bottom > anchor.top - 1.5 * h
                    && l.middle() > floor
                    && !is_label_or_date(l)
            });
            match row {
                Some(line) => line.quad,
                None => {
                    // Below the row above (its dates and labels), at most a line up, and never
                    // thinner than most of a line: the nearest line above may be the name
                    // row's own short Thai label (`ชื่อ`), not the row above.
                    let top = row_above
                        .or_else(|| card.above(anchor, |_| true))
                        .map_or(anchor.top - h, |l| l.bottom - 0.1 * h);
                    rect_quad(
                        anchor.left - 0.3 * h,
                        top.max(anchor.top - h).min(anchor.top - 0.8 * h),
                        anchor.right + 2.0 * h,
                        anchor.top + 0.1 * h,
                    )
                }
            }
        })
        .map(|quad| {
            let english_read = name_en.value.to_string();
            let name = |text: &str| {
                let text = strip_thai_label(text, &["ชื่อ"]);
                let mut read = names::thai_name(text, Some(english_read.as_str()));
                // A region read (or a line the Latin pass took for the name row) may hold
                // anything (the label of the row above, `วันสิ้นอายุ`): taken only when it
                // starts with the title the English name's title stands for (every licence
                // name has one).
                if !names::has_twin_title(&read, &english_read) {
                    read.clear();
                }
                names::TwinRepair::new(read, &english_read)
            };
            let (text, confidence) = card.thai_region(host, quad);
            // A read that disagrees with the English twin: read again from other crops.
            let best = card.settled_name(host, quad, (name(&text), confidence), name);
            let (repair, confidence) = best;
            english_fixed =
                (repair.english != name_en.value.as_str()).then(|| repair.english.clone());
            name_th_repaired = repair.repaired != repair.read;
            if repair.repaired.is_empty() {
                Field::absent("nameTh")
            } else {
                Field::ocr("nameTh", repair.repaired, confidence)
            }
        })
        .unwrap_or(Field::absent("nameTh"));
    if let Some(english) = english_fixed {
        name_en.value = english.into();
    }

    // Dates whose labels were not read, by the layout: the birth date on the row below the
    // name; issue and expiry the two English dates above it, in that order.
    let is_date = |l: &&Line| dates::parse_en(&l.text).is_some();
    // (A birth date read without its day, `May 1956`, too: its Thai twin gives the day.)
    let birth_below = name_anchor.and_then(|name| {
        let h = name.height();
        card.below(name, |o| {
            o.top < name.bottom + 2.5 * h
                && (dates::parse_en(&o.text).is_some() || dates::month_and_year(&o.text).is_some())
        })
    });
    let above_name: Vec<&Line> = name_anchor.map_or(Vec::new(), |name| {
        let mut above: Vec<&Line> = card
            .page
            .lines()
            .iter()
            .filter(|l| l.bottom < name.top && l.horizontal_overlap(name) > 0.0)
            .filter(is_date)
            .collect();
        above.sort_by(|a, b| a.top.total_cmp(&b.top));
        above
    });
    // No name line either (a photo whose name row glare or a misread title hid): the card's
    // English dates, top to bottom issue, expiry and birth, when their dates agree with that
    // order (birth before issue before expiry).
    let mut dated_lines: Vec<(&Line, Date)> = match name_anchor {
        Some(_) => Vec::new(),
        None => card
            .page
            .lines()
            .iter()
            .filter_map(|l| dates::parse_en(&l.text).map(|date| (l, date)))
            .collect(),
    };
    dated_lines.sort_by(|a, b| a.0.top.total_cmp(&b.0.top));
    // Two of the three read: top to bottom, only issue then expiry grow later; a later date
    // above an earlier one has the birth date below (issue or expiry above it).
    let column: Vec<Option<&Line>> = match dated_lines[..] {
        [(issue, i), (expiry, e), (birth, b)] if b < i && i < e => {
            vec![Some(issue), Some(expiry), Some(birth)]
        }
        [(issue, i), (expiry, e)] if i < e => vec![Some(issue), Some(expiry), None],
        [(_, upper), (birth, b)] if b < upper => vec![None, None, Some(birth)],
        _ => Vec::new(),
    };
    let by_layout = |label: &str| match (label, above_name.as_slice(), column.as_slice()) {
        ("Date of Birth", _, [_, _, birth]) => *birth,
        ("Date of Birth", _, _) => birth_below,
        ("Issue Date", [issue, _], _) => Some(*issue),
        ("Issue Date", _, [issue, _, _]) => *issue,
        ("Expiry Date", [_, expiry], _) => Some(*expiry),
        ("Expiry Date", _, [_, expiry, _]) => *expiry,
        _ => None,
    };
    // The expiry date is the holder's birthday, which reads it when its month was cut short
    // (`10 Ma 2025`).
    let dated = |label: &str, keys: (&str, &str), birthday: Option<Date>| {
        let right = value_right(label).map(|(l, _)| l);
        let en = right
            .filter(|l| dates::parse_en_or_birthday(&l.text, birthday).is_some())
            .or_else(|| by_layout(label));
        if let (None, Some(cut)) = (en, right) {
            if let Some(pair) = from_thai_twin(host, &card, keys, cut) {
                return pair;
            }
        }
        let en_date = en.and_then(|l| dates::parse_en_or_birthday(&l.text, birthday));
        let th = en.and_then(|l| card.above(l, |o| dates::may_be_thai_twin(&o.text, en_date)));
        date_pair(host, &card, keys, en, th, MonthStyle::Full, birthday)
    };
    let birth = dated("Date of Birth", ("birthEn", "birthTh"), None);
    let issue = dated("Issue Date", ("issueDate", "issueDateTh"), None);
    let expiry = dated("Expiry Date", ("expiryDate", "expiryDateTh"), birth.date);

    let mut birth_en = birth.en;
    if let Some(b) = birth.date {
        birth_en = birth_en.checked(is_plausible_birth_date(b, today));
    }
    let mut issue_en = issue.en;
    if let (Some(b), Some(i)) = (birth.date, issue.date) {
        issue_en = issue_en.checked(b < i && i <= today);
    }
    let mut expiry_en = expiry.en;
    if let (Some(i), Some(e)) = (issue.date, expiry.date) {
        expiry_en = expiry_en.checked(i < e);
    }
    if id.value.is_empty() && number.value.is_empty() && name_en.value.is_empty() {
        return Err(ExtractError::unreadable("no licence number or name found"));
    }
    let model = if type_en.value.starts_with("Temporary") {
        "temporary"
    } else {
        "private"
    };
    let fields = vec![
        type_th, type_en, number, id, name_th, name_en, birth.th, birth_en, issue_en, expiry_en,
    ];
    Ok(Extraction::new(fields).with_details(json!({
        "side": "front",
        "model": model,
        "name_th_repaired_from_english": name_th_repaired,
        "thai_dates_match_english": {
            "birth": birth.twin.as_json(),
            "issue": issue.twin.as_json(),
            "expiry": expiry.twin.as_json(),
        },
    })))
}

/// An English date cut short by glare (`5 January`, `17 Augu`: its year washed out) read from
/// its Thai twin right above it, when the Thai recogniser reads that twin whole and the English
/// read shows the same day and the start of the same month. The two are printed from one
/// record; the English field is marked `derived`.
fn from_thai_twin(
    host: &Host<'_>,
    card: &CardText<'_>,
    keys: (&str, &str),
    cut: &Line,
) -> Option<DatePair> {
    let twin = card.above(cut, |_| true)?;
    let (text, confidence) = card.thai_region(host, twin.quad);
    let date = dates::parse_th(strip_thai_label(&text, &["วันที่ออกใบอนุญาต", "วันสิ้นอายุ"]))?;
    if !dates::starts_like(&cut.text, date) {
        return None;
    }
    Some(DatePair {
        en: Field::ocr(keys.0, dates::format_en(date, MonthStyle::Full), confidence)
            .from_source("derived"),
        th: Field::ocr(keys.1, dates::format_th(date, MonthStyle::Full), confidence),
        twin: Twin::Unknown,
        date: Some(date),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licence_types_snap() {
        assert_eq!(
            licence_type("Private Car Driving Licence").map(|t| t.1),
            Some("ใบอนุญาตขับรถยนต์ส่วนบุคคล")
        );
        assert_eq!(
            licence_type("Temporary Private Car Driving Licence").map(|t| t.0),
            Some("Temporary Private Car Driving Licence")
        );
        assert_eq!(
            licence_type("Private Car Drivinq Licence").map(|t| t.0),
            Some("Private Car Driving Licence")
        );
        assert_eq!(licence_type("Thai National ID Card"), None);
    }

    #[test]
    fn licence_numbers() {
        assert_eq!(licence_number("63830934").as_deref(), Some("63830934"));
        assert_eq!(licence_number("aUUN 63830934").as_deref(), Some("63830934"));
        assert_eq!(licence_number("27 2568"), None);
        assert_eq!(licence_number("1 8401 75927 26 1"), None);
        assert_eq!(licence_number("12345"), None);
    }
}
