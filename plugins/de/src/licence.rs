//! `ocr/de/driving-licence`: the EU card model (Directive 2006/126/EC) as Germany issues it.
//!
//! Fields are numbered, not labelled in words: `1.` surname, `2.` given names, `3.` date and
//! place of birth, `4a.` issue, `4b.` expiry, `4c.` authority, `5.` licence number, `9.`
//! categories. OCR often misreads or merges the small numbers, so rows are found by content:
//! row 3 (`15.10.90 BERLIN`) is unmistakable, and the other rows are counted from it.

use kycd_plugin_api::checks::{is_plausible_birth_date, Date};
use kycd_plugin_api::diacritics::{reread_line, with_more_diacritics};
use kycd_plugin_api::mrz_identity::today;
use kycd_plugin_api::prelude::*;
use kycd_plugin_api::text::normalize;
use serde_json::json;

use kycd_plugin_api::card_reading::read_card;

use crate::categories::{agreed_categories, categories};
use crate::reading::above;
use crate::values::{
    authority_name, format_long, format_short, licence_number, parse_date_prefix, parse_long_date,
    umlauts, DateWidth, LicenceNumber,
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

/// The line under the title: `BUNDESREPUBLIK DEUTSCHLAND`.
fn is_country(line: &Line) -> bool {
    let text = normalize(&line.text);
    text.contains("bundesrepublik") || text.contains("deutschland")
}

fn is_header(line: &Line) -> bool {
    is_title(line) || is_country(line)
}

/// A field number (`1.`, `4a.`, `9.`, and OCR's `4.0`, `4C`, `4℃`, `46.`) at the start of a line: the
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
                '.' | ',' | 'a' | 'b' | 'c' | 'A' | 'B' | 'C' | '℃' | '°' | '0' | '1' | '2' | '6'
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
struct Row<'a> {
    lines: Vec<&'a Line>,
    text: String,
    confidence: f32,
    top: f32,
}

/// A field number read as a line of its own (`1.`, `4c.`, and misreads such as `ac`): a short
/// line that ends left of where the column's values start.
fn is_field_number_box(line: &Line, values_left: f32) -> bool {
    line.text.chars().filter(|c| !c.is_whitespace()).count() <= 3
        && line.right < values_left + 0.3 * line.height()
}

fn rows<'a>(page: &'a Page, anchor: &Line) -> Vec<Row<'a>> {
    let h = anchor.height();
    let column: Vec<&Line> = page
        .lines()
        .iter()
        .filter(|l| !is_header(l))
        .filter(|l| l.left >= anchor.left - 2.6 * h && l.left <= anchor.left + 2.0 * h)
        .filter(|l| !strip_field_number(&l.text).is_empty())
        .collect();
    // Where the values start: the median left edge of the column's longer lines.
    let mut lefts: Vec<f32> = column
        .iter()
        .filter(|l| l.text.chars().count() >= 5)
        .map(|l| l.left)
        .collect();
    lefts.sort_by(f32::total_cmp);
    let values_left = lefts.get(lefts.len() / 2).copied();
    let column = column
        .into_iter()
        .filter(|l| values_left.is_none_or(|left| !is_field_number_box(l, left)));
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
                lines,
            }
        })
        .collect();
    rows.sort_by(|a, b| a.top.total_cmp(&b.top));
    rows
}

/// The row's text with the umlauts the batch read lost restored: each line of the row read
/// once more on its own ([`reread_line`]), the re-read kept only when it adds diacritics; an
/// accent read on A, O, U is the umlaut ([`umlauts`]).
fn text_with_umlauts(host: &Host<'_>, image: ImageRef<'_>, row: &Row) -> String {
    row.lines
        .iter()
        .map(|line| {
            let first = umlauts(strip_field_number(&line.text));
            if !first.chars().any(|c| "AOUaou".contains(c)) {
                return first;
            }
            reread_line(host, image, line)
                .and_then(|reread| {
                    with_more_diacritics(&first, &umlauts(strip_field_number(&reread)))
                })
                .unwrap_or(first)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a row is made only of what field 9 prints (category letters, digits 1 and 2,
/// separators and their look-alikes): the row to read the categories from.
fn looks_like_categories(row: &Row) -> bool {
    let text = row.text.to_uppercase();
    text.chars().any(|c| c.is_ascii_alphabetic())
        && text.chars().all(|c| "AMBCDELTI12/|\\,. 8".contains(c))
}

/// `quad` grown (or shrunk, for negative amounts) along its own axes: its top and bottom edges
/// each moved out by `vertical`, its ends by `horizontal`, both in multiples of its height.
fn padded(quad: Quad, vertical: f32, horizontal: f32) -> Quad {
    let [p0, p1, p2, p3] = quad.points;
    let height = ((p3.x - p0.x).hypot(p3.y - p0.y) + (p2.x - p1.x).hypot(p2.y - p1.y)) / 2.0;
    let length = (p1.x - p0.x).hypot(p1.y - p0.y).max(1.0);
    let along = ((p1.x - p0.x) / length, (p1.y - p0.y) / length);
    let down = (-along.1, along.0);
    let (v, h) = (vertical * height, horizontal * height);
    let shift = |p: Point, a: f32, d: f32| Point {
        x: p.x + a * along.0 + d * down.0,
        y: p.y + a * along.1 + d * down.1,
    };
    Quad {
        points: [
            shift(p0, -h, -v),
            shift(p1, h, -v),
            shift(p2, h, v),
            shift(p3, -h, v),
        ],
    }
}

/// The licence number's row read again on its own (letters and digits only, in the three
/// framings of [`read_categories`]) when the batch reading's check character does not hold:
/// the first re-read whose check character holds.
fn reread_number(host: &Host<'_>, image: ImageRef<'_>, row: &Row) -> Option<LicenceNumber> {
    REREAD_FRAMES.iter().find_map(|&(vertical, horizontal)| {
        let text: String = row
            .lines
            .iter()
            .map(|line| {
                host.recognize_region(
                    image,
                    padded(line.quad, vertical, horizontal),
                    Charset::UPPER_ALNUM,
                )
                .text
                .as_str()
                .to_string()
            })
            .collect();
        licence_number(strip_field_number(&text)).filter(|n| n.check_valid)
    })
}

/// How a line is framed when read again on its own: its box as found, shrunk by a tenth of
/// its height, and grown by a fifth above and below and a tenth at the ends.
const REREAD_FRAMES: [(f32, f32); 3] = [(0.0, 0.0), (-0.1, 0.0), (0.2, 0.1)];

/// Field 9 from its row: the batch reading when it parses into categories as read; otherwise
/// the row's lines read again on their own, in three framings, and the list the readings agree
/// on with the fewest slips ([`agreed_categories`]). The categories and the slips they took.
fn read_categories(host: &Host<'_>, image: ImageRef<'_>, row: &Row) -> Option<(String, u32)> {
    if let Some(list) = categories(&row.text) {
        return Some((list, 0));
    }
    let mut readings = vec![row.text.clone()];
    for (vertical, horizontal) in REREAD_FRAMES {
        let reading = row
            .lines
            .iter()
            .map(|line| {
                let read = host.recognize_region(
                    image,
                    padded(line.quad, vertical, horizontal),
                    Charset::ANY,
                );
                strip_field_number(read.text.as_str()).to_string()
            })
            .collect::<Vec<_>>()
            .join(" ");
        readings.push(reading);
    }
    let readings: Vec<&str> = readings.iter().map(String::as_str).collect();
    agreed_categories(&readings)
}

/// The line that starts row 3: a date with a two-digit year, the place after it (or in the
/// next box of the row).
fn is_birth_row(line: &Line, today: Date) -> bool {
    parse_date_prefix(strip_field_number(&line.text), DateWidth::Short, today.year).is_some()
}

/// How much of the licence's layout the page shows, plus three when the header is above the
/// rest and three when the dates and the licence number are below row 3 (two signs of the
/// upright one of two levelled readings; a crop that cut the header off still has the second),
/// plus one when row 3 has the two name rows above it.
fn score(page: &Page) -> i32 {
    let (header, rest): (Vec<&Line>, Vec<&Line>) = page.lines().iter().partition(|l| is_header(l));
    (fields_score(page) + 3 * usize::from(above(&header, &rest)) + rows_score(page)) as i32
}

/// Three when a long date or the licence number is below row 3, plus one when two rows are
/// above it (surname and given names); 0 without row 3.
fn rows_score(page: &Page) -> usize {
    let today = today();
    let Some(anchor) = page.find(|l| is_birth_row(l, today)) else {
        return 0;
    };
    let upright = page.lines().iter().any(|l| {
        let value = strip_field_number(&l.text);
        l.middle() > anchor.bottom
            && (parse_long_date(value).is_some() || licence_number(value).is_some())
    });
    let rows = rows(page, anchor);
    let names_above = rows
        .iter()
        .filter(|r| r.top < anchor.top - 0.5 * anchor.height())
        .count()
        >= 2;
    3 * usize::from(upright) + usize::from(names_above)
}

fn fields_score(page: &Page) -> usize {
    let today = today();
    let lines = page.lines();
    2 * usize::from(lines.iter().any(is_title))
        + usize::from(lines.iter().any(is_country))
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
    // A crop that cut the header off: the whole German layout without its words (row 3, both
    // long dates, a licence number of the German shape and the categories).
    let whole_layout = anchor.is_some()
        && has_categories
        && page
            .lines()
            .iter()
            .any(|l| licence_number(strip_field_number(&l.text)).is_some())
        && page
            .lines()
            .iter()
            .filter(|l| parse_long_date(strip_field_number(&l.text)).is_some())
            .count()
            >= 2;
    if !(titled || (german && anchor.is_some() && has_categories) || whole_layout) {
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
        .find(|r| looks_like_categories(r) || categories(&r.text).is_some());
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
    // The image the lines were read on: umlauts and categories are read again there.
    let image = reading
        .crop
        .as_ref()
        .map_or(request.image(), |c| c.image.as_ref());
    let text_field = |key: &str, row: Option<&Row>| match row {
        Some(r) => Field::ocr(key, text_with_umlauts(host, image, r), r.confidence),
        None => Field::ocr(key, "", 0.0),
    };
    let row3 = &rows[i3];
    let place = if place.is_empty() {
        place
    } else {
        parse_date_prefix(
            &text_with_umlauts(host, image, row3),
            DateWidth::Short,
            today.year,
        )
        .map_or(place, |(_, restored)| restored)
    };
    let number = match number.check_valid {
        true => number,
        false => reread_number(host, image, number_row).unwrap_or(number),
    };
    let classes = classes.and_then(|r| {
        read_categories(host, image, r).map(|(list, slips)| {
            // Each slip the list needed lowers its confidence.
            (list, r.confidence * 0.9f32.powi(slips.min(3) as i32))
        })
    });
    let fields = vec![
        Field::ocr("CardId", number.number, number_row.confidence).checked(number.check_valid),
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
                .map(|r| authority_name(&text_with_umlauts(host, image, r)))
                .collect::<Vec<_>>()
                .join(" "),
            authority.iter().map(|r| r.confidence).fold(1.0, f32::min),
        ),
        match classes {
            Some((list, confidence)) => Field::ocr("Class", list, confidence).checked(true),
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

    /// A line of text `w` wide and 44 high with its top-left corner at (`x`, `y`).
    fn line(text: &str, x: f32, y: f32, w: f32) -> TextLine {
        TextLine::latin(text, Rect::new(x, y, w, 44.0), 0.95)
    }

    /// The value column of a located licence as a photo reads it: field numbers as boxes of
    /// their own left of the values, one of them misread (`ac` for `4c.`).
    fn photo_page() -> Page {
        let lines = [
            line("FÜHRERSCHEIN", 140.0, 6.0, 400.0),
            line("KLEIN", 372.0, 108.0, 120.0),
            line("FELIX", 372.0, 153.0, 110.0),
            line("1", 325.0, 205.0, 12.0),
            line("02.05.69 BREMEN", 373.0, 199.0, 300.0),
            line("26.02.2016", 373.0, 245.0, 200.0),
            line("4", 324.0, 296.0, 20.0),
            line("26.02.2031", 373.0, 291.0, 200.0),
            line("ac", 324.0, 341.0, 30.0),
            line("Landratsamt Rhein-Neckar-Kreis", 374.0, 338.0, 520.0),
            line("C130Z048101", 376.0, 383.0, 240.0),
            line("AM/BA", 375.0, 428.0, 120.0),
        ];
        Page::new(&lines, 1000, 630)
    }

    #[test]
    fn field_numbers_read_as_boxes_of_their_own_are_left_out_of_the_rows() {
        let page = photo_page();
        let anchor = page.find(|l| l.text.starts_with("02.05")).unwrap();
        let rows = rows(&page, anchor);
        let texts: Vec<&str> = rows.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "KLEIN",
                "FELIX",
                "02.05.69 BREMEN",
                "26.02.2016",
                "26.02.2031",
                "Landratsamt Rhein-Neckar-Kreis",
                "C130Z048101",
                "AM/BA"
            ]
        );
        // A one-letter category in the value column is a value, not a field number.
        let single = Page::new(&[line("B", 375.0, 428.0, 20.0)], 1000, 630);
        assert!(!is_field_number_box(&single.lines()[0], 375.0));
        let number = Page::new(&[line("ac", 324.0, 341.0, 30.0)], 1000, 630);
        assert!(is_field_number_box(&number.lines()[0], 374.0));
        assert!(looks_like_categories(&rows[7]));
        assert!(!looks_like_categories(&rows[5]));
    }

    #[test]
    fn the_upright_reading_scores_above_the_turned_one() {
        let page = photo_page();
        // Header above, dates and number below row 3, two name rows above it.
        assert_eq!(rows_score(&page), 4);
        assert!(score(&page) >= 9, "{}", score(&page));
        // Without the header (a crop that cut it off) the rows alone still say upright.
        let headless: Vec<TextLine> = [
            line("KLEIN", 372.0, 108.0, 120.0),
            line("FELIX", 372.0, 153.0, 110.0),
            line("02.05.69 BREMEN", 373.0, 199.0, 300.0),
            line("26.02.2016", 373.0, 245.0, 200.0),
            line("26.02.2031", 373.0, 291.0, 200.0),
            line("Kreis Steinfurt", 374.0, 338.0, 300.0),
            line("C130Z048101", 376.0, 383.0, 240.0),
            line("AM/B/L", 375.0, 428.0, 120.0),
        ]
        .to_vec();
        let upright = Page::new(&headless, 1000, 630);
        assert_eq!(score(&upright), 9);
        // The same lines upside down: row 3's dates above it, no name rows above.
        let turned: Vec<TextLine> = headless
            .iter()
            .map(|l| {
                let b = l.quad.bounds();
                line(
                    l.text.as_str(),
                    1000.0 - b.x - b.width,
                    630.0 - b.y - 44.0,
                    b.width,
                )
            })
            .collect();
        let turned = Page::new(&turned, 1000, 630);
        assert!(score(&turned) < score(&upright));
    }

    #[test]
    fn padding_follows_the_quad_axes() {
        let quad = Quad::from_rect(Rect {
            x: 100.0,
            y: 50.0,
            width: 200.0,
            height: 40.0,
        });
        let grown = padded(quad, 0.25, 0.5).bounds();
        assert_eq!(
            (grown.x, grown.y, grown.width, grown.height),
            (80.0, 40.0, 240.0, 60.0)
        );
        let shrunk = padded(quad, -0.1, 0.0).bounds();
        assert_eq!((shrunk.y, shrunk.height), (54.0, 32.0));
    }

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
        assert_eq!(strip_field_number("46. 05.11.2029"), "05.11.2029");
        assert_eq!(strip_field_number("AM/B/L"), "AM/B/L");
        assert_eq!(strip_field_number("3. 26.11.73 KIEL"), "26.11.73 KIEL");
    }
}
