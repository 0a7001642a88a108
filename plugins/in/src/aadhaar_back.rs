//! `ocr/in/aadhaar/back`: the address side. The English address follows the `Address:` label
//! and ends with `STATE - PIN`; the number and VID are printed below, the Secure QR beside it.

use kycd_plugin_api::prelude::*;
use kycd_plugin_api::text::{nearest_unique, normalize};
use serde_json::json;

use crate::aadhaar::{self, NumberRead};
use crate::card::{self, is_horizontal, PageFrame, Parsed};
use crate::front_layout::{self, Box4};
use crate::numbers::{digit_runs, squash_spaces};
use crate::qr_agreement::{self, compare, fill_from_qr};
use crate::secure_qr::SecureQr;
use crate::states;

/// Reads the back of an Aadhaar card.
pub fn extract(image: ImageRef<'_>, host: &Host<'_>) -> Result<Extraction, ExtractError> {
    let (mut back, card) = card::read_best::<Back>(image, host);
    if back.pan_markers {
        return Err(ExtractError::not_this_document(
            "this is a PAN card, not an Aadhaar card",
        ));
    }
    if !back.is_back {
        if back.front_like {
            return Err(ExtractError::not_this_document(
                "this is the front of an Aadhaar card (use ocr/in/aadhaar/front)",
            ));
        }
        return Err(ExtractError::not_this_document("no id or address found"));
    }
    if back.vid.as_ref().is_none_or(|v| v.valid != Some(true)) {
        if let Some(reread) = back.vid_under_number(card.source(image), &card.frame, host) {
            back.vid = Some(reread);
        }
    }
    let qr = aadhaar::secure_qr(&card, image, host);
    let Some(number) = &back.number else {
        return Err(ExtractError::unreadable("Aadhaar number unreadable"));
    };
    let Some(address) = &back.address else {
        return Err(ExtractError::unreadable("address unreadable"));
    };
    Ok(extraction(number, address, back.vid.clone(), qr.as_ref()))
}

/// The fields of a back side, as read.
struct Back {
    number: Option<NumberRead>,
    /// The number's line (page coordinates): the VID is printed under it.
    number_box: Option<Box4>,
    address: Option<AddressRead>,
    vid: Option<NumberRead>,
    is_back: bool,
    front_like: bool,
    pan_markers: bool,
}

impl Parsed for Back {
    fn parse(page: &Page) -> Back {
        let number = aadhaar::card_number(page);
        Back {
            number_box: number
                .as_ref()
                .and_then(|n| aadhaar::line_holding(page, &n.digits)),
            number,
            address: address_lines(page),
            vid: aadhaar::vid(page),
            is_back: is_back(page),
            front_like: is_front(page),
            pan_markers: aadhaar::has_pan_markers(page),
        }
    }

    fn score(&self) -> u32 {
        let number = match &self.number {
            Some(n) if n.valid == Some(false) => 2,
            Some(_) => 4,
            None => 0,
        };
        let address = self.address.as_ref().map_or(0, |a| {
            let parts = split_address(&a.text);
            2 + 2 * u32::from(!parts.pin.is_empty()) + 2 * u32::from(!parts.state.is_empty())
        });
        number + address + u32::from(self.vid.is_some()) + u32::from(self.is_back)
    }

    fn complete(&self) -> bool {
        self.is_back
            && self.number.as_ref().is_some_and(|n| n.valid != Some(false))
            && self.address.as_ref().is_some_and(|a| {
                let parts = split_address(&a.text);
                !parts.pin.is_empty() && !parts.state.is_empty()
            })
    }
}

/// Where the VID line is looked for under the number's line, in number-line heights: the
/// line's top and bottom on the cards seen, with a margin, tried nearest first.
const VID_BELOW: [(f32, f32); 3] = [(-0.05, 1.0), (-0.2, 0.85), (0.1, 1.15)];
/// The VID line's width as a share of the number line's (0.82 on both designs), with a margin.
const VID_SHARE: f32 = 0.95;

impl Back {
    /// Reads the VID where both designs print it, centred under the number, when the detector
    /// missed it or cut it short (its label and first groups lost on a blurred photo). Kept only
    /// when the read holds 16 Verhoeff-valid digits.
    fn vid_under_number(
        &self,
        source: ImageRef<'_>,
        frame: &PageFrame,
        host: &Host<'_>,
    ) -> Option<NumberRead> {
        let (left, top, right, bottom) = self.number_box?;
        let (height, centre) = (bottom - top, (left + right) / 2.0);
        let half = VID_SHARE * (right - left) / 2.0;
        VID_BELOW.iter().find_map(|&(from, to)| {
            let (t, b) = (bottom + from * height, bottom + to * height);
            let quad = Quad::from_rect(Rect::new(centre - half, t, 2.0 * half, b - t));
            aadhaar::valid_vid(&front_layout::recognize(source, frame, host, quad))
        })
    }
}

/// Aadhaar words plus the address label.
fn is_back(page: &Page) -> bool {
    aadhaar::has_aadhaar_markers(page) && address_label(page).is_some()
}

/// The front's birth and gender lines.
fn is_front(page: &Page) -> bool {
    page.lines().iter().any(|l| {
        let n = normalize(&l.text);
        n.contains("dob")
            || n.contains("birth")
            || n.split(' ').any(|w| w == "male" || w == "female")
    })
}

fn address_label(page: &Page) -> Option<&Line> {
    page.find(|l| {
        let n = normalize(&l.text);
        n.starts_with("address") || n.starts_with("addres")
    })
}

/// The address as read: lines from the label down to the line ending in the PIN code.
struct AddressRead {
    text: String,
    confidence: f32,
}

fn address_lines(page: &Page) -> Option<AddressRead> {
    let label = address_label(page)?;
    // Text after "Address:" on the label line itself.
    let inline = label
        .text
        .split_once(':')
        .map(|(_, rest)| rest.trim().to_string())
        .unwrap_or_default();
    let mut parts = vec![inline];
    let mut confidence = label.confidence;
    let mut last_bottom = label.bottom;
    let step = label.height();
    let ends_with_pin = |s: &str| trailing_pin(s).is_some();
    if !ends_with_pin(&parts[0]) {
        for line in page.lines().iter().filter(|l| is_horizontal(l)) {
            if line.top < label.middle() || line.same_row(label) {
                continue;
            }
            let aligned = (line.left - label.left).abs() < 3.0 * step;
            if !aligned {
                continue;
            }
            if line.top - last_bottom > 2.5 * step {
                break;
            }
            let digits: usize = digit_runs(&line.text)
                .iter()
                .map(|r| r.digits.len())
                .max()
                .unwrap_or(0);
            if digits >= 12 {
                break;
            }
            parts.push(line.text.clone());
            confidence = confidence.min(line.confidence);
            last_bottom = line.bottom;
            if ends_with_pin(&line.text) {
                break;
            }
        }
    }
    let parts: Vec<String> = parts
        .iter()
        .map(|p| with_address_words(&split_run_together(&commas_for_periods(p))))
        .collect();
    let text = repair_care_of(&squash_spaces(&joined_address(&parts)));
    (!text.is_empty()).then_some(AddressRead { text, confidence })
}

/// The address lines as one text. A line holding the state alone (its PIN after it) follows a
/// comma, which the card prints at the end of the line before and OCR often drops there: without
/// it the city and the state would read as one part (`Lucknow Utar Pradesh`).
fn joined_address(lines: &[String]) -> String {
    let mut text = String::new();
    for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        if !text.is_empty() {
            if is_state_line(line) && !text.ends_with(',') {
                text.push(',');
            }
            text.push(' ');
        }
        text.push_str(line);
    }
    text
}

/// The card separates an address's parts with commas; on a blurred photo OCR often reads
/// them as periods (`271. Station Road`, `Gomti Nagar. Lucknow.`), which would hide the city.
/// A period closing a house number or a word of five letters or more, at the end of the line
/// or before a space, is taken for the comma; abbreviations (`H.No. 12`, `Dr. Road`, `Opp.`)
/// are shorter and keep their period.
fn commas_for_periods(line: &str) -> String {
    line.split(' ')
        .map(|word| match word.strip_suffix('.') {
            Some(stem) if is_part_end(stem) => format!("{stem},"),
            _ => word.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a word ending in a period ends an address part: a house number, or a word of five
/// letters or more that is no initialism (`H.No`).
fn is_part_end(stem: &str) -> bool {
    let digits = !stem.is_empty() && stem.chars().all(|c| c.is_ascii_digit());
    let long_word = stem.chars().count() >= 5 && stem.chars().all(|c| c.is_alphabetic());
    digits || long_word
}

/// Words of six letters or more that Indian addresses print in English, for
/// [`with_address_words`].
const ADDRESS_WORDS: [&str; 14] = [
    "Street",
    "Colony",
    "Sector",
    "Layout",
    "Enclave",
    "Extension",
    "Apartment",
    "Apartments",
    "Society",
    "Opposite",
    "Behind",
    "Village",
    "District",
    "Tehsil",
];

/// A word read one letter off one of [`ADDRESS_WORDS`] (`Streel`) is that word, with the
/// read's case kept. Names are left alone: only words of six letters or more are compared; a
/// listed word is kept as read (`Apartments` is one letter from `Apartment`).
fn with_address_words(line: &str) -> String {
    line.split(' ')
        .map(|token| {
            let word = token.trim_end_matches([',', '.']);
            let tail = &token[word.len()..];
            let listed = ADDRESS_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word));
            let snapped =
                (!listed && word.chars().count() >= 6 && word.chars().all(char::is_alphabetic))
                    .then(|| nearest_unique(word, ADDRESS_WORDS, str::to_lowercase, |_| 1))
                    .flatten();
            match snapped {
                Some(w) if word.chars().all(|c| c.is_uppercase()) => {
                    format!("{}{tail}", w.to_uppercase())
                }
                Some(w) => format!("{w}{tail}"),
                None => token.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words the recogniser ran together (`SureshAgarwal`): a capital after a lower-case letter
/// and before another inside one word starts a new word. Addresses on the card are written in
/// capitalised words, never in camel case.
fn split_run_together(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        let starts_word = i > 0
            && c.is_uppercase()
            && chars[i - 1].is_lowercase()
            && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        if starts_word {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Whether the line is a state's name alone, with or without the PIN after it.
fn is_state_line(line: &str) -> bool {
    let head = match trailing_pin(line) {
        Some((cut, _)) => &line[..cut],
        None => line,
    };
    let head = head.trim_matches(|c: char| c.is_whitespace() || matches!(c, '-' | ',' | ':' | '.'));
    states::canonical(head).is_some()
}

/// Repairs the care-of prefix (`S/O`, `D/O`, `W/O`, `C/O`) when OCR read its slash as `I`,
/// `i`, `l` or `1` or its `O` as `0`.
fn repair_care_of(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let prefix_like = chars.len() > 3
        && matches!(chars[0], 'S' | 'D' | 'W' | 'C')
        && matches!(chars[1], '/' | 'I' | 'i' | 'l' | '1' | '|')
        && matches!(chars[2], 'O' | '0' | 'o')
        && !chars[3].is_alphanumeric();
    if prefix_like {
        format!("{}/O{}", chars[0], chars[3..].iter().collect::<String>())
    } else {
        text.to_string()
    }
}

/// The address split into street part, city, state and PIN.
#[derive(Debug, PartialEq, Eq)]
pub struct AddressParts {
    /// Everything before the city.
    pub address: String,
    /// The city (the component before the state).
    pub city: String,
    /// The state, spelled canonically when it matches a known state.
    pub state: String,
    /// The 6-digit PIN.
    pub pin: String,
}

/// Splits `..., CITY, STATE - PIN` into its parts.
pub fn split_address(text: &str) -> AddressParts {
    let (head, pin) = match trailing_pin(text.trim()) {
        Some((cut, pin)) => (&text.trim()[..cut], pin),
        None => (text.trim(), String::new()),
    };
    let head = head
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '-' | ',' | ':' | '.'))
        .trim_end();
    let head = strip_suffix_words(head, &["pin code", "pincode", "pin"]);
    let mut parts: Vec<String> = head
        .split(',')
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    let state = match parts.last().and_then(|p| states::canonical(p)) {
        Some(state) => {
            parts.pop();
            state.to_string()
        }
        None => String::new(),
    };
    let city = parts.pop().unwrap_or_default();
    AddressParts {
        address: parts.join(", "),
        city,
        state,
        pin,
    }
}

/// The 6-digit PIN at the end of `text` (spaces inside allowed): the byte index where it starts
/// and its digits.
fn trailing_pin(text: &str) -> Option<(usize, String)> {
    let body = text.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ','));
    let mut digits = Vec::new();
    for (i, c) in body.char_indices().rev() {
        if c.is_ascii_digit() {
            digits.push(c);
            if digits.len() == 6 {
                let before = body[..i].chars().next_back();
                if before.is_some_and(|b| b.is_ascii_digit()) {
                    return None;
                }
                return Some((i, digits.iter().rev().collect()));
            }
        } else if c != ' ' {
            return None;
        }
    }
    None
}

fn strip_suffix_words<'a>(text: &'a str, words: &[&str]) -> &'a str {
    for word in words {
        let n = text.len();
        if n >= word.len() {
            if let Some(tail) = text.get(n - word.len()..) {
                if tail.eq_ignore_ascii_case(word) {
                    return text[..n - word.len()].trim_end_matches([' ', ',', ':', '-']);
                }
            }
        }
    }
    text
}

fn extraction(
    number: &NumberRead,
    address: &AddressRead,
    vid: Option<NumberRead>,
    qr: Option<&SecureQr>,
) -> Extraction {
    let parts = split_address(&address.text);
    let c = address.confidence;
    let pin_valid = states::pin_matches_state(&parts.pin, &parts.state);
    let mut fields = vec![
        Field::ocr("Address", &parts.address, c),
        Field::ocr("City", &parts.city, c),
        Field::ocr("Province", &parts.state, c).checked(!parts.state.is_empty()),
        Field::ocr("PostCode", &parts.pin, c).checked(pin_valid),
        vid.map_or(Field::absent("VID"), |v| v.field("VID")),
        number.field("CardNumber"),
    ];
    let mut agreement = Vec::new();
    if let Some(qr) = qr {
        let printed_last4: String = number.digits.chars().skip(8).collect();
        let qr_city = [&qr.vtc, &qr.post_office, &qr.sub_district, &qr.district]
            .into_iter()
            .find(|c| compare(&parts.city, c) == "agree")
            .unwrap_or(&qr.vtc);
        agreement = vec![
            (
                "CardNumber",
                compare(&printed_last4, qr.aadhaar_last4().unwrap_or("")),
            ),
            ("City", compare(&parts.city, qr_city)),
            ("Province", compare(&parts.state, &qr.state)),
            ("PostCode", compare(&parts.pin, &qr.pin_code)),
            (
                "Address",
                if [&qr.care_of, &qr.house, &qr.street, &qr.location]
                    .iter()
                    .filter(|p| !p.is_empty())
                    .all(|p| normalize(&parts.address).contains(&normalize(p)))
                {
                    "agree"
                } else {
                    "disagree"
                },
            ),
        ];
        fields[1] = fill_from_qr(fields[1].clone(), qr_city);
        fields[2] = fill_from_qr(fields[2].clone(), &qr.state);
        fields[3] = fill_from_qr(fields[3].clone(), &qr.pin_code);
    }
    Extraction::new(fields).with_details(json!({
        "side": "back",
        "model": "aadhaar",
        "qr": qr_agreement::details(qr, &agreement),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_city_state_and_pin() {
        let parts = split_address(
            "D/O Suresh Gupta, 127, Gandhi Nagar, Hadapsar, Pune, Maharashtra - 411436",
        );
        assert_eq!(
            parts.address,
            "D/O Suresh Gupta, 127, Gandhi Nagar, Hadapsar"
        );
        assert_eq!(parts.city, "Pune");
        assert_eq!(parts.state, "Maharashtra");
        assert_eq!(parts.pin, "411436");
        let delhi =
            split_address("S/O Vijay Yadav, 135, MG Road, Lajpat Nagar, New Delhi, Delhi - 110465");
        assert_eq!(delhi.city, "New Delhi");
        assert_eq!(delhi.state, "Delhi");
        let ocr =
            split_address("S/O A B, 12, Station Road, Gomti Nagar, Lucknow, Uttar Pradsh-226 136");
        assert_eq!(ocr.state, "Uttar Pradesh");
        assert_eq!(ocr.pin, "226136");
        assert_eq!(ocr.city, "Lucknow");
    }

    #[test]
    fn care_of_prefix_is_repaired() {
        assert_eq!(repair_care_of("DIO Amit Gupta, 264"), "D/O Amit Gupta, 264");
        assert_eq!(repair_care_of("S/0 Amit"), "S/O Amit");
        assert_eq!(repair_care_of("DiO Sanjay Kumar"), "D/O Sanjay Kumar");
    }

    #[test]
    fn a_state_line_follows_a_comma_ocr_dropped() {
        let lines = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let joined = joined_address(&lines(&[
            "S/O Anil Gupta, 300,",
            "Station Road, Aliganj, Lucknow",
            "Utar Pradesh - 226023",
        ]));
        assert_eq!(
            joined,
            "S/O Anil Gupta, 300, Station Road, Aliganj, Lucknow, Utar Pradesh - 226023"
        );
        let parts = split_address(&joined);
        assert_eq!(
            (parts.city.as_str(), parts.state.as_str()),
            ("Lucknow", "Uttar Pradesh")
        );
        // A comma already there is not doubled; a line that is not a state gets none.
        assert_eq!(
            joined_address(&lines(&["12, MG Road, Pune,", "Maharashtra 411001"])),
            "12, MG Road, Pune, Maharashtra 411001"
        );
        assert_eq!(
            joined_address(&lines(&["12, MG Road", "Lajpat Nagar, New Delhi"])),
            "12, MG Road Lajpat Nagar, New Delhi"
        );
        assert_eq!(repair_care_of("DIOS Road"), "DIOS Road");
    }

    #[test]
    fn periods_read_for_commas_are_commas() {
        assert_eq!(
            commas_for_periods("S/O Suresh Agarwal, 271. Station Road,"),
            "S/O Suresh Agarwal, 271, Station Road,"
        );
        assert_eq!(
            commas_for_periods("Gomti Nagar. Lucknow."),
            "Gomti Nagar, Lucknow,"
        );
        // Abbreviations keep their period.
        assert_eq!(
            commas_for_periods("H.No. 12, Opp. Dr. Ambedkar Road"),
            "H.No. 12, Opp. Dr. Ambedkar Road"
        );
        let lines = |l: &[&str]| l.iter().map(|s| commas_for_periods(s)).collect::<Vec<_>>();
        let joined = joined_address(&lines(&[
            "S/O Suresh Agarwal, 271. Station Road,",
            "Gomti Nagar. Lucknow.",
            "Uttar Pradesh - 226585",
        ]));
        let parts = split_address(&joined);
        assert_eq!(
            parts.address,
            "S/O Suresh Agarwal, 271, Station Road, Gomti Nagar"
        );
        assert_eq!(parts.city, "Lucknow");
    }

    #[test]
    fn address_words_one_letter_off_are_put_back() {
        assert_eq!(
            with_address_words("S/O Rohit Verma, 154, Nehru Streel, Shivajinagar"),
            "S/O Rohit Verma, 154, Nehru Street, Shivajinagar"
        );
        assert_eq!(with_address_words("NEHRU STREEL,"), "NEHRU STREET,");
        // Right words, short words and names stay as read.
        assert_eq!(
            with_address_words("Street Road Nagor Mansarovar, Sector 5"),
            "Street Road Nagor Mansarovar, Sector 5"
        );
        assert_eq!(with_address_words("Sai Apartments,"), "Sai Apartments,");
    }

    #[test]
    fn words_run_together_are_split() {
        assert_eq!(
            split_run_together("S/O SureshAgarwal, 271"),
            "S/O Suresh Agarwal, 271"
        );
        assert_eq!(
            split_run_together("MG Road, DLF Phase"),
            "MG Road, DLF Phase"
        );
    }

    #[test]
    fn address_without_pin_or_state_keeps_what_there_is() {
        let parts = split_address("C/O X, 4, Road, Town");
        assert_eq!(parts.pin, "");
        assert_eq!(parts.state, "");
        assert_eq!(parts.city, "Town");
        assert_eq!(parts.address, "C/O X, 4, Road");
    }
}
