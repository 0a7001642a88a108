//! `ocr/de/driving-licence`: the EU card model (Directive 2006/126/EC) as Germany issues it.
//!
//! Fields are numbered, not labelled in words: `1.` surname, `2.` given names, `3.` date and
//! place of birth, `4a.` issue, `4b.` expiry, `4c.` authority, `5.` licence number, `9.`
//! categories. OCR often misreads or merges the small numbers, so rows are found by content:
//! row 3 (`15.10.90 BERLIN`) is unmistakable, and the other rows are counted from it.

use kycd_plugin_api::checks::{is_plausible_birth_date, Date};
use kycd_plugin_api::mrz_identity::today;
use kycd_plugin_api::prelude::*;
use kycd_plugin_api::text::normalize;
use serde_json::json;

use kycd_plugin_api::card_reading::read_card;

use crate::reading::above;
use crate::values::{
    categories, format_long, format_short, licence_number, parse_date_prefix, parse_long_date,
    DateWidth,
};

/// The route.
pub const ROUTE: &str = "ocr/de/driving-licence";

/// The keys, in answer order.
pub const KEYS: [&str; 9] = [
    "CardId",
    "Surname",
    "GivenNames",
    "DateOfBirth",
    "PlaceOfBirth",
    "DateOfIssue",
    "DateOfExpiry",
    "Address",
    "Class",
];

/// The card's title (`FÜHRERSCHEIN`), also as OCR tends to cut it.
fn is_title(line: &Line) -> bool {
    let text = normalize(&line.text);
    [
        "führerschein",
        "fuhrerschein",
        "hrerschein",
        "fuhrersch",
        "führersch",
        "hrersch",
        "hrersc",
    ]
    .iter()
    .any(|w| text.contains(w))
}

fn is_header(line: &Line) -> bool {
    let text = normalize(&line.text);
    is_title(line) || text.contains("bundesrepublik") || text.contains("deutschland")
}

/// A field number (`1.`, `4a.`, `9.`, and OCR's `4.0`, `4C`, `4℃`) at the start of a line: the
/// rest of the line.
fn strip_field_number(text: &str) -> &str {
    let text = text.trim();
    let (first, rest) = match text.split_once(char::is_whitespace) {
        Some((first, rest)) => (first, rest.trim()),
        None => (text, ""),
    };
    let is_number = first.chars().count() <= 4
        && first.chars().next().is_some_and(|c| c.is_ascii_digit())
        && first.chars().skip(1).all(|c| {
            matches!(
                c,
                '.' | ',' | 'a' | 'b' | 'c' | 'A' | 'B' | 'C' | '℃' | '°' | '0' | '1' | '2'
            )
        });
    // A whole date or number is a value, not a field number.
    if is_number && !(rest.is_empty() && first.chars().filter(char::is_ascii_digit).count() > 2) {
        rest
    } else {
        text
    }
}

/// One row of values: the lines of a row, field numbers removed, joined left to right.
struct Row {
    text: String,
    confidence: f32,
    top: f32,
}

fn rows(page: &Page, anchor: &Line) -> Vec<Row> {
    let h = anchor.height();
    let column: Vec<&Line> = page
        .lines()
        .iter()
        .filter(|l| !is_header(l))
        .filter(|l| l.left >= anchor.left - 2.6 * h && l.left <= anchor.left + 2.0 * h)
        .filter(|l| !strip_field_number(&l.text).is_empty())
        .collect();
    let mut rows: Vec<Vec<&Line>> = Vec::new();
    for line in column {
        match rows.iter_mut().find(|row| row[0].same_row(line)) {
            Some(row) => row.push(line),
            None => rows.push(vec![line]),
        }
    }
    let mut rows: Vec<Row> = rows
        .into_iter()
        .map(|mut lines| {
            lines.sort_by(|a, b| a.left.total_cmp(&b.left));
            Row {
                text: lines
                    .iter()
                    .map(|l| strip_field_number(&l.text))
                    .collect::<Vec<_>>()
                    .join(" "),
                confidence: lines.iter().map(|l| l.confidence).fold(1.0, f32::min),
                top: lines.iter().map(|l| l.top).fold(f32::MAX, f32::min),
            }
        })
        .collect();
    rows.sort_by(|a, b| a.top.total_cmp(&b.top));
    rows
}

/// The line that starts row 3: a date with a two-digit year, the place after it (or in the
/// next box of the row).
fn is_birth_row(line: &Line, today: Date) -> bool {
    parse_date_prefix(strip_field_number(&line.text), DateWidth::Short, today.year).is_some()
}

/// How much of the licence's layout the page shows, plus three when the title is above the
/// rest (the upright one of two levelled readings).
fn score(page: &Page) -> i32 {
    let (title, rest): (Vec<&Line>, Vec<&Line>) = page.lines().iter().partition(|l| is_title(l));
    (fields_score(page) + 3 * usize::from(above(&title, &rest))) as i32
}

fn fields_score(page: &Page) -> usize {
    let today = today();
    let lines = page.lines();
    2 * usize::from(lines.iter().any(is_title))
        + usize::from(lines.iter().any(|l| is_birth_row(l, today)))
        + usize::from(
            lines
                .iter()
                .any(|l| categories(strip_field_number(&l.text)).is_some()),
        )
        + usize::from(
            lines
                .iter()
                .any(|l| licence_number(strip_field_number(&l.text)).is_some()),
        )
        + lines
            .iter()
            .filter(|l| parse_long_date(strip_field_number(&l.text)).is_some())
            .count()
            .min(2)
}

/// Reads the licence's front.
pub fn extract(request: &Request<'_>, host: &Host<'_>) -> Result<Extraction, ExtractError> {
    let reading = read_card(host, request.image(), score, 9);
    let page = &reading.page;
    let today = today();
    let titled = page.lines().iter().any(is_title);
    let german = page
        .lines()
        .iter()
        .any(|l| normalize(&l.text).contains("deutschland"));
    let anchor = page.find(|l| is_birth_row(l, today));
    let has_categories = page
        .lines()
        .iter()
        .any(|l| categories(strip_field_number(&l.text)).is_some());
    if !(titled || (german && anchor.is_some() && has_categories)) {
        return Err(ExtractError::not_this_document(
            "no German driving licence found",
        ));
    }
    let Some(anchor) = anchor else {
        return Err(ExtractError::unreadable(
            "German driving licence, but field 3 (date and place of birth) is unreadable",
        ));
    };
    let rows = rows(page, anchor);
    let Some(i3) = rows
        .iter()
        .position(|r| r.top >= anchor.top - 1.0 && r.top <= anchor.bottom)
    else {
        return Err(ExtractError::unreadable(
            "German driving licence, rows not found",
        ));
    };
    let row = |i: Option<usize>| i.and_then(|i| rows.get(i));
    let surname = row(i3.checked_sub(2));
    let given = row(i3.checked_sub(1));
    let (birth, place) = match parse_date_prefix(&rows[i3].text, DateWidth::Short, today.year) {
        Some((date, place)) => (Some(date), place),
        None => (None, String::new()),
    };
    // Below row 3: the two long dates (4a, 4b), then 4c up to the licence number (5), then 9.
    let below = &rows[i3 + 1..];
    let dates: Vec<(usize, Date, &Row)> = below
        .iter()
        .enumerate()
        .filter_map(|(i, r)| parse_long_date(&r.text).map(|d| (i, d, r)))
        .take(2)
        .collect();
    let after_dates = dates.last().map_or(2, |(i, _, _)| i + 1);
    let number_at = below
        .iter()
        .enumerate()
        .skip(after_dates)
        .find(|(_, r)| licence_number(&r.text).is_some())
        .map(|(i, _)| i);
    let authority: Vec<&Row> = match number_at {
        Some(n) => below[after_dates.min(n)..n].iter().collect(),
        None => below.get(after_dates).into_iter().collect(),
    };
    let classes = number_at
        .map_or(
            below.iter().skip(after_dates + 1).collect::<Vec<_>>(),
            |n| below.iter().skip(n + 1).collect(),
        )
        .into_iter()
        .find_map(|r| categories(&r.text).map(|c| (c, r)));
    let number = number_at.and_then(|n| licence_number(&below[n].text).map(|v| (v, &below[n])));

    let (Some(surname), Some((number, number_row))) = (surname, number) else {
        return Err(ExtractError::unreadable(
            "German driving licence, but the surname or the licence number is unreadable",
        ));
    };
    let issue = dates.first().map(|(_, d, r)| (*d, *r));
    let expiry = dates.get(1).map(|(_, d, r)| (*d, *r));
    let in_order = match (birth, issue, expiry) {
        (Some(b), Some((i, _)), Some((e, _))) => b < i && i < e,
        _ => false,
    };
    let text_field = |key: &str, row: Option<&Row>| match row {
        Some(r) => Field::ocr(key, r.text.clone(), r.confidence),
        None => Field::ocr(key, "", 0.0),
    };
    let row3 = &rows[i3];
    let fields = vec![
        Field::ocr("CardId", number, number_row.confidence).checked(true),
        text_field("Surname", Some(surname)),
        text_field("GivenNames", given),
        match birth {
            Some(b) => Field::ocr("DateOfBirth", format_short(b), row3.confidence)
                .checked(is_plausible_birth_date(b, today) && in_order),
            None => Field::ocr("DateOfBirth", "", 0.0),
        },
        Field::ocr("PlaceOfBirth", place, row3.confidence),
        match issue {
            Some((d, r)) => Field::ocr("DateOfIssue", format_long(d), r.confidence)
                .checked(in_order && d <= today),
            None => Field::ocr("DateOfIssue", "", 0.0),
        },
        match expiry {
            Some((d, r)) => {
                Field::ocr("DateOfExpiry", format_long(d), r.confidence).checked(in_order)
            }
            None => Field::ocr("DateOfExpiry", "", 0.0),
        },
        Field::ocr(
            "Address",
            authority
                .iter()
                .map(|r| r.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            authority.iter().map(|r| r.confidence).fold(1.0, f32::min),
        ),
        match classes {
            Some((c, r)) => Field::ocr("Class", c, r.confidence).checked(true),
            None => Field::ocr("Class", "", 0.0),
        },
    ];
    Ok(Extraction::new(fields).with_details(json!({
        "side": "front",
        "model": "EU-2013",
        "located": reading.crop.is_some(),
        "dates_in_order": in_order,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_numbers_are_stripped_but_values_kept() {
        assert_eq!(strip_field_number("4a. 29.04.2015"), "29.04.2015");
        assert_eq!(
            strip_field_number("4c. Landratsamt Rhein-Neckar-Kreis"),
            "Landratsamt Rhein-Neckar-Kreis"
        );
        assert_eq!(strip_field_number("4℃"), "");
        assert_eq!(strip_field_number("1."), "");
        assert_eq!(
            strip_field_number("26.11.73 BIELEFELD"),
            "26.11.73 BIELEFELD"
        );
        assert_eq!(strip_field_number("29.04.2015"), "29.04.2015");
        assert_eq!(strip_field_number("AM/B/L"), "AM/B/L");
        assert_eq!(strip_field_number("3. 26.11.73 KIEL"), "26.11.73 KIEL");
    }
}
