//! `ocr/th/id-card`: the Thai national identity card (smart card, bilingual front).
//!
//! English lines and all digits come from the Latin read. The Thai name, religion and address
//! are re-read with the Thai recogniser, one region each. A Thai date's day and Buddhist-era
//! year come from the Latin read of its line and are checked against the English twin; when
//! they agree the Thai date is written from the twin (the month abbreviation is not re-read),
//! otherwise the line is re-read in Thai and reported as read, with the disagreement flagged.

use kycd_plugin_api::checks::{common_era, is_plausible_birth_date, is_valid_thai_id, Date};
use kycd_plugin_api::mrz_identity::today;
use kycd_plugin_api::prelude::*;
use serde_json::json;

use crate::card::{digits_only, is_spaced_number, rect_quad, shifted, strip_thai_label, CardText};
use crate::dates::{self, MonthStyle, Twin};
use crate::names;

/// The route.
pub const ROUTE: &str = "ocr/th/id-card";

/// The card type as printed in Thai.
pub const CARD_TYPE_TH: &str = "บัตรประจำตัวประชาชน";
/// The card type as printed in English.
pub const CARD_TYPE_EN: &str = "Thai National ID Card";

/// Keys and descriptions, in answer order.
pub const KEYS: [(&str, &str); 15] = [
    ("cardTypeTh", "Card type in Thai"),
    ("cardTypeEn", "Card type in English"),
    (
        "idNumber",
        "13-digit ID number, digits only (printed 1 2345 67890 12 3), mod-11 checked",
    ),
    ("serialNumber", "Card request (laser) number when visible"),
    ("nameTh", "Thai title, given name and surname"),
    ("nameEn", "English title and given name"),
    ("lastNameEn", "English surname"),
    (
        "birthTh",
        "Date of birth, Thai, Buddhist era (29 ม.ค. 2540)",
    ),
    ("birthEn", "Date of birth, English (29 Jan. 1997)"),
    ("issueDateEN", "Date of issue, English"),
    ("issueDateTH", "Date of issue, Thai"),
    ("expiryDateEN", "Date of expiry, English"),
    ("expiryDateTH", "Date of expiry, Thai"),
    ("religion", "Religion, Thai"),
    ("address", "Address, Thai"),
];

/// Finds the ID number line (printed grouped `1 2345 67890 12 3`) and validates it; one
/// digits-only re-read when it does not validate. Answered as the 13 digits without spaces.
pub fn id_number(host: &Host<'_>, card: &CardText<'_>) -> Option<Field> {
    let line = card
        .page
        .lines()
        .iter()
        .filter(|l| is_spaced_number(&l.text))
        .min_by_key(|l| digits_only(&l.text).len().abs_diff(13))?;
    let digits = digits_only(&line.text);
    if is_valid_thai_id(&digits) {
        return Some(Field::ocr("idNumber", digits, line.confidence).checked(true));
    }
    let (reread, confidence) = card.digits(host, line);
    let reread = digits_only(&reread);
    if is_valid_thai_id(&reread) {
        return Some(Field::ocr("idNumber", reread, confidence).checked(true));
    }
    Some(Field::ocr("idNumber", digits, line.confidence).checked(false))
}

/// A Thai date and its English twin, read and cross-checked.
pub struct DatePair {
    /// The English field.
    pub en: Field,
    /// The Thai field.
    pub th: Field,
    /// The cross-check.
    pub twin: Twin,
    /// The date, from the English twin.
    pub date: Option<Date>,
}

/// Reads a Thai date line and its English twin line (either may be missing).
pub fn date_pair(
    host: &Host<'_>,
    card: &CardText<'_>,
    keys: (&str, &str),
    english: Option<&Line>,
    thai: Option<&Line>,
    style: MonthStyle,
    birthday: Option<Date>,
) -> DatePair {
    // An English date that lost its day (`May 1956`): the day its Thai twin shows, when the
    // twin's Buddhist-era year is the English year.
    let date = english
        .and_then(|l| dates::parse_en_or_birthday(&l.text, birthday))
        .or_else(|| {
            let (month, year) = dates::month_and_year(&english?.text)?;
            let (day, thai_year) = dates::thai_day_and_year(&thai?.text)?;
            Date::new(year, month, day).filter(|_| common_era(thai_year) == year)
        });
    let en = match (english, date) {
        (Some(line), Some(date)) => {
            let value = dates::format_en_as_printed(date, style, &line.text);
            Field::ocr(keys.0, value, line.confidence)
        }
        (Some(line), None) => Field::ocr(keys.0, line.text.clone(), line.confidence).checked(false),
        (None, _) => Field::absent(keys.0),
    };
    let Some(thai_line) = thai else {
        return DatePair {
            en,
            th: Field::absent(keys.1),
            twin: Twin::Unknown,
            date,
        };
    };
    let latin_digits = dates::thai_day_and_year(&thai_line.text);
    if let (Some(read), Some(date)) = (latin_digits, date) {
        if dates::day_and_year_agree(read, date) {
            let th = Field::ocr(keys.1, dates::format_th(date, style), thai_line.confidence)
                .checked(true);
            return DatePair {
                en,
                th,
                twin: Twin::Agrees,
                date: Some(date),
            };
        }
    }
    // Disagreement or an unreadable twin: read the Thai line itself. A line known only by its
    // year (`may_be_thai_twin`) lost its day at the left: its region reaches a day's width
    // further left; when the Thai recogniser names no date there either (day and month faded
    // by glare), the Thai date is the English twin's, marked `derived`: the Latin read showed
    // the same Buddhist-era year, and the card prints both from one record.
    let day_lost = latin_digits.is_none();
    let quad = if day_lost {
        let h = thai_line.height();
        rect_quad(
            (thai_line.left - 1.5 * h).max(0.0),
            thai_line.top,
            thai_line.right,
            thai_line.bottom,
        )
    } else {
        thai_line.quad
    };
    let (text, confidence) = card.thai_region(host, quad);
    let text = strip_thai_label(&text, &["เกิดวันที่", "วันเกิด"]).to_string();
    // The month too garbled to name (`ภุพ.`) but day and year read as the twin's: the twin's
    // month is taken (both reads agree on the rest).
    let parsed = dates::parse_th(&text).or_else(|| {
        let (read, date) = (dates::thai_day_and_year(&text)?, date?);
        dates::day_and_year_agree(read, date).then_some(date)
    });
    // Day and year the twin's, the month another: the twin's month when the read is one
    // letter from it (`ม.ค.` for `ต.ค.`) or no farther from it than from the month it was
    // parsed as (`ผิ.ค.`, two letters from both `ม.ค.` and `ต.ค.`): a slip of the Thai read,
    // which the twin settles (the two are printed from one record).
    let parsed = match (parsed, date) {
        (Some(th), Some(en)) if th != en && th.day == en.day && th.year == en.year => {
            let to_twin = dates::month_slips(&text, en.month);
            let to_read = dates::month_slips(&text, th.month).unwrap_or(0);
            match to_twin {
                Some(slips) if slips <= to_read.max(1) => Some(en),
                _ => parsed,
            }
        }
        _ => parsed,
    };
    // A read its garble left unparsed or parsed as another date (a label read with a digit,
    // `คม4 16 เบย.2499`) that shows the twin's date wherever it is legible.
    let parsed = match date {
        Some(en) if parsed != Some(en) && dates::agrees_where_read(&text, en) => Some(en),
        _ => parsed,
    };
    let twin = match (parsed, date) {
        (Some(th), Some(en)) => {
            if th == en {
                Twin::Agrees
            } else {
                Twin::Disagrees
            }
        }
        _ => Twin::Unknown,
    };
    if let (true, None, Some(english)) = (day_lost, parsed, date) {
        let th = Field::ocr(
            keys.1,
            dates::format_th(english, style),
            thai_line.confidence,
        )
        .from_source("derived");
        return DatePair {
            en,
            th,
            twin: Twin::Unknown,
            date,
        };
    }
    let value = parsed.map_or(text, |d| dates::format_th(d, style));
    let mut th = Field::ocr(keys.1, value, confidence);
    if twin != Twin::Unknown {
        th = th.checked(twin == Twin::Agrees);
    }
    DatePair { en, th, twin, date }
}

/// The card request number as printed (`4810-53-55860924`): 4, 2 and 8 digits between dashes
/// (a faint dash read as a space); letters read around them are dropped.
fn serial_from(text: &str) -> Option<String> {
    let parts: Vec<String> = text
        .split(['-', ' '])
        .map(digits_only)
        .filter(|p| !p.is_empty())
        .collect();
    let lengths: Vec<usize> = parts.iter().map(String::len).collect();
    (lengths == [4, 2, 8]).then(|| parts.join("-"))
}

/// Where the card request number is printed: under the photo, bottom right (fractions of the
/// card: left, top, right, bottom).
const SERIAL_ZONE: [f32; 4] = [0.72, 0.85, 1.0, 0.96];

/// The recogniser's confidence in a request number read on the card from which it is taken
/// without reading its zone: of 150 numbers the card read found on seeds 57, 45, 7 and 63,
/// every one read at 0.95 or more was right; the six wrong ones were read at 0.82–0.94.
const SURE_SERIAL: f32 = 0.96;

/// The card request number printed small under the photo: the card read when the recogniser is
/// sure of it ([`SURE_SERIAL`]); else the zone under the photo read on its own at full contrast
/// (on a photo the number is often too small and faint for the detector at card scale) and the
/// card read; where both read one and they differ, that line of the zone is read a third time
/// as printed (not stretched) and the number settled digit by digit by majority, the stretched
/// zone's digit without one.
fn serial_number(host: &Host<'_>, card: &CardText<'_>) -> Field {
    let card_read = card
        .page
        .lines()
        .iter()
        .find_map(|l| serial_from(&l.text).map(|v| (v, l.confidence)));
    if let Some((value, confidence)) = card_read.as_ref().filter(|r| r.1 >= SURE_SERIAL) {
        return Field::ocr("serialNumber", value.as_str(), *confidence);
    }
    let zone = card.read_zone(host, SERIAL_ZONE);
    let stretched = zone.as_ref().and_then(|zone| {
        zone.lines
            .iter()
            .find_map(|l| serial_from(&l.text).map(|v| (v, l.confidence, l.quad)))
    });
    // A third read only to settle two that differ (the zone's line again, as printed).
    let differ = stretched
        .as_ref()
        .zip(card_read.as_ref())
        .is_some_and(|(a, b)| a.0 != b.0);
    let plain = zone
        .as_ref()
        .zip(stretched.as_ref())
        .filter(|_| differ)
        .and_then(|(zone, line)| {
            let read = host.recognize_region(zone.plain.as_ref(), line.2, Charset::ANY);
            serial_from(&read.text)
        });
    let reads: Vec<&str> = [
        stretched.as_ref().map(|s| s.0.as_str()),
        card_read.as_ref().map(|s| s.0.as_str()),
        plain.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let confidence = stretched
        .as_ref()
        .map(|s| s.1)
        .or(card_read.as_ref().map(|s| s.1));
    match (majority_by_digit(&reads), confidence) {
        (Some(value), Some(confidence)) => Field::ocr("serialNumber", value, confidence),
        _ => Field::absent("serialNumber"),
    }
}

/// Reads of one number of fixed format (same length, the same separators) settled character by
/// character: the character more than half of the reads of that length agree on, else the
/// first read's.
fn majority_by_digit(reads: &[&str]) -> Option<String> {
    let rows: Vec<Vec<char>> = reads.iter().map(|r| r.chars().collect()).collect();
    let first = rows.first()?;
    let alike: Vec<&Vec<char>> = rows.iter().filter(|r| r.len() == first.len()).collect();
    let settled = (0..first.len()).map(|i| {
        let votes = |c: char| alike.iter().filter(|r| r[i] == c).count();
        alike
            .iter()
            .map(|r| r[i])
            .find(|c| 2 * votes(*c) > alike.len())
            .unwrap_or(first[i])
    });
    Some(settled.collect())
}

/// Whether the page shows a Thai identity card front.
fn is_id_card(card: &CardText<'_>) -> bool {
    let header = card.page.lines().iter().any(|l| {
        let text = kycd_plugin_api::text::normalize(&l.text);
        strsim::normalized_levenshtein(&text, "thai national id card") >= 0.75
            || text.contains("national id card")
    });
    let labels = [
        "Last name",
        "Date of Issue",
        "Date of Expiry",
        "Identification Number",
    ]
    .iter()
    .filter(|l| card.label(l).is_some())
    .count();
    header || labels >= 3
}

/// Extracts the identity card.
pub fn extract(host: &Host<'_>, image: ImageRef<'_>) -> Result<Extraction, ExtractError> {
    let card = CardText::read_checked(host, image, is_id_card)
        .ok_or_else(|| ExtractError::not_this_document("not a Thai national identity card"))?;
    let card = card.upright(host, |text| {
        strsim::normalized_levenshtein(
            &kycd_plugin_api::text::normalize(text),
            "thai national id card",
        ) >= 0.75
    });
    let today = today();
    let id = id_number(host, &card);
    let header = card.page.lines().iter().find(|l| {
        kycd_plugin_api::text::normalize(&l.text).contains("card")
            || strsim::normalized_levenshtein(
                &kycd_plugin_api::text::normalize(&l.text),
                "thai national id card",
            ) >= 0.75
    });
    let card_type_en = Field::ocr(
        "cardTypeEn",
        CARD_TYPE_EN,
        header.map_or(0.5, |l| l.confidence),
    );
    let card_type_th = Field::ocr("cardTypeTh", CARD_TYPE_TH, 1.0).from_source("derived");
    let serial = serial_number(host, &card);

    // English names: right of their labels; where a label was not read (small print on a
    // photo), the line that starts with an English title, and the surname on the row below it.
    let titled = card.titled_line(1);
    let name_line = card.label("Name").or(titled);
    let name_value = card
        .label("Name")
        .and_then(|l| card.value_after(l, "Name"))
        .or_else(|| titled.map(|l| (l.text.clone(), l.confidence)));
    let mut name_en = name_value.map_or(Field::absent("nameEn"), |(v, c)| {
        Field::ocr("nameEn", names::english_title_case(&v), c)
    });
    let last_line = card.label("Last name");
    let last_value = last_line
        .and_then(|l| card.value_after(l, "Last name"))
        .or_else(|| surname_below(&card, titled?));
    let mut last_en = last_value.map_or(Field::absent("lastNameEn"), |(v, c)| {
        Field::ocr("lastNameEn", names::tidy_latin(&v), c)
    });
    // The Thai name is the line above the English name, below the ID number. The Latin pass
    // may drop it as unreadable: then its region is read.
    let id_line = card
        .page
        .lines()
        .iter()
        .find(|l| is_spaced_number(&l.text) && digits_only(&l.text).len() >= 12);
    let name_found = name_line.and_then(|anchor| {
        card.above(anchor, |l| {
            l.width_ok()
                && !is_spaced_number(&l.text)
                && id_line.is_none_or(|id| l.middle() > id.bottom)
        })
    });
    let name_quad = name_line.map(|anchor| match name_found {
        Some(line) => line.quad,
        None => {
            let h = anchor.height();
            let top = id_line.map_or(anchor.top - 1.8 * h, |id| id.bottom + 0.1 * h);
            rect_quad(
                anchor.left - 0.3 * h,
                top,
                anchor.left + 0.56 * card.page.width,
                anchor.top - 0.05 * h,
            )
        }
    });

    // Birth: English after the label; Thai on the line above it.
    let birth_label = card.label("Date of Birth");
    let birth_en_line = birth_label.and_then(|l| {
        card.page
            .lines()
            .iter()
            .filter(|o| o.same_row(l) && dates::parse_en(&o.text).is_some())
            .min_by(|a, b| a.left.total_cmp(&b.left))
    });
    // Without its label: the English date highest on the card (the birth row is above the
    // address; issue and expiry are at the bottom).
    let birth_en_line = birth_en_line.or_else(|| {
        birth_label.is_none().then_some(())?;
        card.page
            .lines()
            .iter()
            .filter(|o| o.top < 0.6 * card.page.height && dates::parse_en(&o.text).is_some())
            .min_by(|a, b| a.top.total_cmp(&b.top))
    });
    // The Thai date above the label, else above the English date (the label's column misses it
    // when the Latin read kept only the value's end).
    let birth_en_date = birth_en_line.and_then(|l| dates::parse_en(&l.text));
    let thai_birth = |o: &Line| dates::may_be_thai_twin(&o.text, birth_en_date);
    let birth_th_line = birth_label
        .or(birth_en_line)
        .and_then(|l| card.above(l, thai_birth))
        .or_else(|| card.above(birth_en_line?, thai_birth));
    let mut birth = date_pair(
        host,
        &card,
        ("birthEn", "birthTh"),
        birth_en_line,
        birth_th_line,
        MonthStyle::Short,
        None,
    );

    // Issue and expiry: English date above the English label, Thai date above that. The
    // expiry date is the holder's birthday, which reads it when its month was cut short.
    let pair = |label: &str, keys: (&str, &str), column: Column, birthday: Option<Date>| {
        let is_date = |text: &str| dates::parse_en_or_birthday(text, birthday).is_some();
        let label_line = card.label(label);
        let en = label_line
            .and_then(|l| card.above(l, |o| is_date(&o.text)))
            .or_else(|| bottom_date(&card, column, birth_en_line, is_date));
        let en_date = en.and_then(|l| dates::parse_en_or_birthday(&l.text, birthday));
        let th = en
            .or(label_line)
            .and_then(|l| card.above(l, |o| dates::may_be_thai_twin(&o.text, en_date)));
        date_pair(host, &card, keys, en, th, MonthStyle::Short, birthday)
    };
    let mut issue = pair(
        "Date of Issue",
        ("issueDateEN", "issueDateTH"),
        Column::Issue,
        None,
    );
    let mut expiry = pair(
        "Date of Expiry",
        ("expiryDateEN", "expiryDateTH"),
        Column::Expiry,
        birth.date,
    );
    // One date read with its month's dot: the card prints every month so.
    let dotted =
        card.page.lines().iter().any(|l| {
            dates::parse_en(&l.text).is_some() && dates::month_dotted(&l.text) == Some(true)
        });
    if dotted {
        for pair in [&mut birth, &mut issue, &mut expiry] {
            if let (Some(date), false) = (pair.date, pair.en.value.is_empty()) {
                pair.en.value = dates::format_en(date, MonthStyle::Short).into();
            }
        }
    }

    // Religion: the row below the birth date (its region when the Latin pass dropped it), at
    // the labels' left edge: the birth label's, else (the label lost to glare) the English
    // name label's, below the English birth date.
    let religion_anchor = birth_label.map(|l| (l, l.left)).or_else(|| {
        let labels_left = card.label("Name").or_else(|| card.label("Last name"))?.left;
        Some((birth_en_line?, labels_left))
    });
    let religion_row = religion_anchor.map(|(label, left)| {
        let h = label.height();
        // The row starts at the labels' edge, or right of it when its label was dropped; the
        // address row below starts well left of it (after `ที่อยู่`), so a religion row the
        // Latin pass missed does not take the address line.
        let found = card.below(label, |o| {
            o.top < label.bottom + 2.2 * h && (-h..3.0 * h).contains(&(o.left - left))
        });
        match found {
            Some(line) => (line.quad, line.top, line.bottom, true),
            None => {
                // Down to the next line below (the address), not into it.
                let next_top = card
                    .below(label, |o| o.top > label.bottom)
                    .map_or(f32::MAX, |o| o.top);
                let top = label.bottom + 0.2 * h;
                let bottom = (label.bottom + 1.9 * h).min(next_top.max(top + h));
                let quad = rect_quad(left - 0.3 * h, top, left + 0.3 * card.page.width, bottom);
                (quad, top, bottom, false)
            }
        }
    });
    // Address: the lines between the religion row and the Thai issue date, left of the photo.
    let address_lines = address_lines(&card, religion_row.map(|r| (r.1, r.2)));

    // The Thai reads, all at once: name, religion, address lines.
    let mut quads: Vec<Quad> = Vec::new();
    quads.extend(name_quad);
    quads.extend(religion_row.map(|r| r.0));
    quads.extend(address_lines.iter().map(|l| l.0));
    let mut reads = card.thai_regions(host, &quads).into_iter();
    // The English given name and surname: the Thai name's title twin and romanisation.
    let english_name = format!("{} {}", name_en.value, last_en.value);
    let mut name_th_repaired = false;
    let name_th = match name_quad.and(reads.next()) {
        Some((text, confidence)) => {
            let mut text = strip_thai_label(&text, &["ชื่อตัวและชื่อสกุล"]).to_string();
            let mut confidence = confidence;
            // Only the label was read: on some cards the name follows it on the same row,
            // where the Latin pass found no line (the specimen at 320 px).
            // Taken only when it starts with the title the English name's title stands for
            // (a region read there may be anything).
            let mut beside_label = false;
            if let (false, Some(label)) = (has_thai_letter(&text), name_found) {
                let h = label.height();
                let right = rect_quad(
                    label.right + 0.2 * h,
                    label.top - 0.6 * h,
                    (label.right + 0.6 * card.page.width).min(card.page.width),
                    label.bottom + 0.6 * h,
                );
                (text, confidence) = card.thai_region(host, right);
                beside_label = true;
            }
            let name = |text: &str| {
                let read = names::thai_name(text, Some(english_name.as_str()));
                names::TwinRepair::new(read, &english_name)
            };
            let mut best = (name(&text), confidence);
            if beside_label && !names::has_twin_title(&best.0.read, &english_name) {
                best.0 = name("");
            }
            // A read that disagrees with the English twin: read again from other crops.
            if let (false, Some(quad)) = (beside_label, name_quad) {
                best = card.settled_name(host, quad, best, |text| {
                    name(strip_thai_label(text, &["ชื่อตัวและชื่อสกุล"]))
                });
            }
            let (repair, confidence) = best;
            // The English read's `rn`/`m` slip settled by the Thai read.
            let one_word_surname =
                !last_en.value.is_empty() && !last_en.value.contains(char::is_whitespace);
            if repair.english != english_name && one_word_surname {
                let mut words = repair.english.split_whitespace();
                let surname = words.next_back().unwrap_or("").to_string();
                name_en.value = words.collect::<Vec<_>>().join(" ").into();
                last_en.value = surname.into();
            }
            name_th_repaired = repair.repaired != repair.read;
            if repair.repaired.is_empty() {
                Field::absent("nameTh")
            } else {
                Field::ocr("nameTh", repair.repaired, confidence)
            }
        }
        None => Field::absent("nameTh"),
    };
    let religion = match religion_row.zip(reads.next()) {
        Some((row, (text, confidence))) => {
            let text = strip_thai_label(&text, &["ศาสนา"]);
            // A read that names no religion: the row read again from a crop trimmed at the
            // top, then from a taller one (the Thai recogniser's read moves with the crop),
            // then, when the line found was the label alone (the detector missed the value
            // beside it), from the row widened to the right as if no line had been found;
            // a read is kept only when it names one.
            let bounds = row.0.bounds();
            let widened = rect_quad(
                bounds.x,
                bounds.y,
                bounds.x + bounds.width.max(0.3 * card.page.width),
                bounds.y + bounds.height,
            );
            let again = || {
                [(0.15, 0.0), (-0.15, 0.15)]
                    .iter()
                    .map(|(top, bottom)| shifted(&row.0, *top, *bottom))
                    .chain((text.is_empty() && row.3).then_some(widened))
                    .find_map(|quad| {
                        let (text, confidence) = card.thai_region(host, quad);
                        names::snap_religion(strip_thai_label(&text, &["ศาสนา"]))
                            .map(|r| (r, confidence))
                    })
            };
            match names::snap_religion(text)
                .map(|r| (r, confidence))
                .or_else(again)
            {
                Some((r, confidence)) => Field::ocr("religion", r, confidence).checked(true),
                None => Field::ocr("religion", text, confidence).checked(false),
            }
        }
        None => Field::absent("religion"),
    };
    let address = address(&address_lines, reads.collect());

    // Validity of dates: birth plausible, issue after birth, expiry after issue.
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

    let id = id.unwrap_or(Field::absent("idNumber"));
    if id.value.is_empty() && name_en.value.is_empty() && name_th.value.is_empty() {
        return Err(ExtractError::unreadable("no id or name found"));
    }
    let fields = vec![
        card_type_th,
        card_type_en,
        id,
        serial,
        name_th,
        name_en,
        last_en,
        birth.th,
        birth_en,
        issue_en,
        issue.th,
        expiry_en,
        expiry.th,
        religion,
        address,
    ];
    Ok(Extraction::new(fields).with_details(json!({
        "side": "front",
        "model": "smart-card",
        "name_th_repaired_from_english": name_th_repaired,
        "thai_dates_match_english": {
            "birth": birth.twin.as_json(),
            "issue": issue.twin.as_json(),
            "expiry": expiry.twin.as_json(),
        },
    })))
}

/// The address lines (region and Latin read): below the religion row, above the issue-date
/// block, left of the photo; at most two, top to bottom. Where the Latin pass found none, the
/// row below religion, with an empty Latin read.
fn address_lines(card: &CardText<'_>, religion: Option<(f32, f32)>) -> Vec<(Quad, String)> {
    let lines = card.page.lines();
    let Some((religion_top, religion_bottom)) = religion else {
        return Vec::new();
    };
    let middle = (religion_top + religion_bottom) / 2.0;
    // The issue-date block starts at the first line with a Buddhist-era year below religion.
    let stop = lines
        .iter()
        .filter(|l| l.top > religion_bottom && dates::thai_day_and_year(&l.text).is_some())
        .map(|l| l.top)
        .fold(f32::MAX, f32::min);
    let photo = card.page.width * 0.74;
    let mut parts: Vec<&Line> = lines
        .iter()
        .filter(|l| {
            l.top > middle
                && l.bottom < stop
                && l.left < photo
                && l.right - l.left > card.page.width * 0.12
        })
        .collect();
    parts.sort_by(|a, b| a.top.total_cmp(&b.top));
    parts.truncate(2);
    if parts.is_empty() {
        // The Latin pass found no address line (photos): the row right below religion, from
        // the card's left edge (the label `ที่อยู่`) to the photo, is read as the address.
        let h = religion_bottom - religion_top;
        let bottom = (religion_bottom + 1.1 * h).min(stop);
        return vec![(
            rect_quad(0.02 * card.page.width, religion_bottom, photo, bottom),
            String::new(),
        )];
    }
    parts
        .into_iter()
        .map(|l| (l.quad, l.text.clone()))
        .collect()
}

/// The address from the Thai reads of its lines. The house number (`203/19`) is taken from the
/// Latin read, which reads digits and slashes better than the Thai recogniser.
fn address(lines: &[(Quad, String)], reads: Vec<(String, f32)>) -> Field {
    if lines.is_empty() {
        return Field::absent("address");
    }
    let mut texts = Vec::new();
    let mut confidence: f32 = 1.0;
    for (n, ((_, latin), (text, c))) in lines.iter().zip(reads).enumerate() {
        let mut text = names::thai_address(strip_thai_label(&text, &["ที่อยู่"]));
        if n == 0 && latin.is_empty() {
            text = names::trim_address_region(&text);
        } else if n == 0 {
            text = names::with_house_number(&text, latin);
        }
        if !text.is_empty() {
            texts.push(text);
            confidence = confidence.min(c);
        }
    }
    let text = names::address_abbreviations(&texts.join(" "));
    let text = crate::admin_areas::snap_place_names(&text);
    Field::ocr("address", text, confidence)
}

/// The English surname when its label was not read: the last word of the row right below the
/// English name, when it is a capitalised word (the label's misread words before it dropped).
fn surname_below(card: &CardText<'_>, name: &Line) -> Option<(String, f32)> {
    let h = name.height();
    let line = card.below(name, |o| o.top < name.bottom + 1.2 * h && !o.same_row(name))?;
    let last = line.text.split_whitespace().last()?;
    let capitalised = last.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && last.chars().count() >= 3
        && last.chars().all(|c| c.is_ascii_alphabetic());
    capitalised.then(|| (last.to_string(), line.confidence))
}

/// The bottom block's columns: issue date on the left, expiry date right of it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Issue,
    Expiry,
}

/// An English date of the bottom block when its label was not read: below the birth row, in
/// the column the card prints it (issue at the text's left edge, expiry a third of the way in), the
/// lowest such line (the English date is below its Thai twin) that `is_date` reads as a date.
fn bottom_date<'c>(
    card: &'c CardText<'_>,
    column: Column,
    birth: Option<&Line>,
    is_date: impl Fn(&str) -> bool,
) -> Option<&'c Line> {
    let h = card.page.height;
    let below = birth.map_or(0.6 * h, |b| b.bottom + 2.0 * b.height());
    // Columns as fractions of the card's text, from its leftmost to its rightmost line: the
    // page when the card was located, the card within it when the locator kept a margin of
    // background (a photo located loosely).
    let lines = card.page.lines();
    let left = lines.iter().map(|l| l.left).fold(f32::MAX, f32::min);
    let right = lines.iter().map(|l| l.right).fold(f32::MIN, f32::max);
    let at = |l: &Line| (l.left - left) / (right - left).max(1.0);
    lines
        .iter()
        .filter(|l| {
            let in_column = match column {
                Column::Issue => at(l) < 0.2,
                Column::Expiry => (0.2..0.6).contains(&at(l)),
            };
            in_column && l.top > below && is_date(&l.text)
        })
        .max_by(|a, b| a.top.total_cmp(&b.top))
}

/// Line helpers used above.
/// Whether a read holds a Thai letter.
fn has_thai_letter(text: &str) -> bool {
    text.chars().any(|c| ('\u{0E01}'..='\u{0E2E}').contains(&c))
}

trait LineExt {
    fn width_ok(&self) -> bool;
}

impl LineExt for Line {
    /// A line wide enough to be a name (not a stray mark).
    fn width_ok(&self) -> bool {
        self.right - self.left > 2.0 * self.height()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_numbers_settled_digit_by_digit() {
        assert_eq!(
            serial_from("3078-02 79311998").as_deref(),
            Some("3078-02-79311998")
        );
        assert_eq!(serial_from("4810-53-5586"), None);
        // Each read wrong in one digit, the majority right.
        let reads = ["3448-93-45491005", "3448-03-65491005", "3448-93-65491005"];
        assert_eq!(
            majority_by_digit(&reads).as_deref(),
            Some("3448-93-65491005")
        );
        // Two reads that differ: the first stands.
        let two = ["4217-17-84941198", "4217-17-84941190"];
        assert_eq!(majority_by_digit(&two).as_deref(), Some("4217-17-84941198"));
        assert_eq!(majority_by_digit(&[]), None);
    }

    /// The address from one line's Thai and Latin reads (as `extract` reads a card).
    fn address_of(thai: &str, latin: &str) -> String {
        let line = (
            crate::card::rect_quad(0.0, 0.0, 600.0, 40.0),
            latin.to_string(),
        );
        address(&[line], vec![(thai.to_string(), 0.8)])
            .value
            .to_string()
    }

    #[test]
    fn addresses_with_their_place_prefixes_garbled() {
        // The house number glued to the village label, the tambon prefix read as digits
        // (`๑.๓`), the amphoe prefix as the changwat's and the changwat's split off (`9`).
        assert_eq!(
            address_of(
                "บบ12หปู่คี 1 ๑.๓ลา0 จ.เบียยสุราษฎร์ธานี 9 สุราษฎร์ธานี.",
                "111/12  1 a.a a. ."
            ),
            "111/12 หมู่ที่ 1 ต.ตลาด อ.เมืองสุราษฎร์ธานี จ.สุราษฎร์ธานี"
        );
        // The house number misread and glued to the village label, the label to its number
        // and that to the tambon, whose prefix is read as digits (`๓๕ลา0`).
        assert_eq!(
            address_of(", ม0ๆ0ตมู่ก่4๓๕ลา0 8.เมือฉสุราษฎร์ธาี 9.สุราษฎร์ธาปี", "10/10   . a"),
            "10/10 หมู่ที่ 4 ต.ตลาด อ.เมืองสุราษฎร์ธานี จ.สุราษฎร์ธานี"
        );
    }

    #[test]
    fn printed_ids_answer_digits_only() {
        // The card prints the grouping; the answer is the 13 digits.
        assert_eq!(digits_only("8 1030 22289 29 9"), "8103022289299");
        assert!(is_valid_thai_id(&digits_only("8 1030 22289 29 9")));
        assert_eq!(digits_only("1 2345 6789O 12 l"), "1234567890121");
    }
}
