//! The front of the voter card, read by its labels.

use kycd_plugin_api::card_reading::{
    find_label, first_token, fold, has_label, spanish_name, text_after_label,
};
use kycd_plugin_api::checks::Date;
use kycd_plugin_api::mrz_identity::today;
use kycd_plugin_api::prelude::*;
use serde_json::json;

use crate::curp::{cross_check, name_letters, repair_curp, repair_voter_id, Printed};

/// Labels only the front prints.
const FRONT_LABELS: [&str; 5] = [
    "NOMBRE",
    "DOMICILIO",
    "CLAVE DE ELECTOR",
    "CURP",
    "NACIMIENTO",
];

/// Whether the page shows the front: its header and at least two of its labels, or three labels.
pub fn is_front(page: &Page) -> bool {
    let labels = FRONT_LABELS
        .iter()
        .filter(|l| find_label(page, l).is_some())
        .count();
    let header = page.lines().iter().any(|l| {
        let t = fold(&l.text);
        t.contains("CREDENCIAL PARA VOTAR") || t.contains("ELECTORAL")
    });
    labels >= 3 || (header && labels >= 2)
}

/// Lines of the column under `label` down to (not including) the row of `until`: the value
/// lines of a stacked field such as `NOMBRE` or `DOMICILIO`.
fn lines_under<'p>(page: &'p Page, label: &str, until: &[&str]) -> Vec<&'p Line> {
    let Some(anchor) = find_label(page, label) else {
        return Vec::new();
    };
    let h = anchor.height().max(1.0);
    let stop = page
        .lines()
        .iter()
        .filter(|l| l.top > anchor.middle() && until.iter().any(|u| has_label(l, u)))
        .map(|l| l.middle())
        .fold(f32::INFINITY, f32::min);
    let limit = stop.min(anchor.bottom + 7.0 * h);
    let mut lines: Vec<&Line> = page
        .lines()
        .iter()
        .filter(|l| l.middle() > anchor.bottom - 0.2 * h && l.middle() < limit)
        .filter(|l| !std::ptr::eq(*l, anchor))
        .filter(|l| (l.left - anchor.left).abs() < 3.0 * h)
        .filter(|l| !["SEXO", "EDAD"].iter().any(|x| has_label(l, x)))
        .collect();
    lines.sort_by(|a, b| a.top.total_cmp(&b.top));
    lines
}

/// A line of letters and spaces only, in capitals, as the front prints its names.
fn is_name_text(text: &str) -> bool {
    let text = text.trim();
    text.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && text
            .chars()
            .all(|c| (c.is_alphabetic() && !c.is_lowercase()) || c == ' ')
}

/// The line right under `upper` in its column (its left edge within a line height).
fn next_in_column<'p>(lines: &[&'p Line], upper: &Line) -> Option<&'p Line> {
    let h = upper.height();
    lines
        .iter()
        .copied()
        .filter(|l| l.top > upper.middle() && l.top < upper.bottom + h)
        .filter(|l| (l.left - upper.left).abs() < h)
        .min_by(|a, b| a.top.total_cmp(&b.top))
}

/// The three name lines (father's surname, mother's, given names) when `NOMBRE` was not read:
/// three lines one under the other in one column, letters only, whose RENAPO initials and
/// inner consonants are the CURP's (seven letters the three names must give). Empty when no
/// three lines do.
fn names_by_curp<'p>(page: &'p Page, curp: &str) -> Vec<&'p Line> {
    let chars: Vec<char> = curp.chars().collect();
    if chars.len() != 18 {
        return Vec::new();
    }
    let wanted: (String, String) = (chars[..4].iter().collect(), chars[13..16].iter().collect());
    let lines: Vec<&Line> = page
        .lines()
        .iter()
        .filter(|l| is_name_text(&l.text))
        .collect();
    lines
        .iter()
        .find_map(|first| {
            let second = next_in_column(&lines, first)?;
            let third = next_in_column(&lines, second)?;
            let [father, mother, given] = [*first, second, third].map(|l| spanish_name(&l.text));
            (name_letters(&father, &mother, &given) == wanted).then(|| vec![*first, second, third])
        })
        .unwrap_or_default()
}

/// The address when `DOMICILIO` was not read: up to three lines under the given names in their
/// column, down to the voter key's or the CURP's line.
fn address_below<'p>(page: &'p Page, given: &Line) -> Vec<&'p Line> {
    let all: Vec<&Line> = page.lines().iter().collect();
    let mut address = Vec::new();
    let mut upper = given;
    while let Some(line) = next_in_column(&all, upper) {
        let ends = ["CLAVE DE ELECTOR", "CURP"]
            .iter()
            .any(|l| has_label(line, l))
            || line.text.split_whitespace().any(|t| {
                repair_voter_id(t).is_some() || repair_curp(t, None).is_some_and(|c| c.1.is_some())
            });
        if ends || address.len() == 3 {
            break;
        }
        if line.text.chars().filter(|c| c.is_alphanumeric()).count() >= 3 {
            address.push(line);
        }
        upper = line;
    }
    address
}

/// An address line with one space after each comma, as printed (`COYOACAN, CDMX.`).
fn comma_spaced(text: &str) -> String {
    text.split(',')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `AÑO DE REGISTRO` as six digits (`199311`): what follows the label on its line, else the
/// next line of its row alone (the detector split the value off, leaving a stray digit of it
/// after the label: `AÑO DE REGISTRO 1` | `1993 11`).
fn registration(page: &Page) -> Option<(String, f32)> {
    let six = |text: &str| Some(digits_of(text)).filter(|d| d.len() == 6);
    text_after_label(page, "DE REGISTRO")
        .and_then(|(text, confidence)| six(&text).map(|d| (d, confidence)))
        .or_else(|| {
            let label = find_label(page, "DE REGISTRO")?;
            let next = page.right_of(label)?;
            six(&next.text).map(|d| (d, next.confidence))
        })
}

/// Digits of a numeric field, with the usual letter look-alikes read as digits.
fn digits_of(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'O' | 'o' | 'D' | 'Q' => '0',
            'I' | 'l' | 'L' | '|' => '1',
            'S' => '5',
            'B' => '8',
            'Z' => '2',
            other => other,
        })
        .filter(char::is_ascii_digit)
        .collect()
}

/// Labels that share a row with a number on some model, where OCR may glue them to it.
const ROW_LABELS: [&str; 8] = [
    "ESTADO",
    "MUNICIPIO",
    "LOCALIDAD",
    "DISTRITO",
    "SECCION",
    "EMISION",
    "VIGENCIA",
    "ANO DE",
];

/// `text` up to the first other label glued to it ("31MUNICIPIO 050" gives "31").
fn cut_at_labels(text: &str) -> String {
    let folded = fold(text);
    let end = ROW_LABELS
        .iter()
        .filter_map(|l| folded.find(l))
        .min()
        .unwrap_or(folded.len());
    folded[..end].to_string()
}

/// The number after `label` (its first token), `width` digits long, or `None`.
fn number_after(page: &Page, label: &str, width: usize) -> Option<(String, f32)> {
    let (text, confidence) = text_after_label(page, label)?;
    let digits = digits_of(first_token(&cut_at_labels(&text)));
    (digits.len() == width).then_some((digits, confidence))
}

/// `dd/mm/yyyy` with a real calendar date.
fn parse_birthday(text: &str) -> Option<(String, Date)> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for token in compact.split(|c: char| !(c.is_ascii_alphanumeric() || c == '/')) {
        let parts: Vec<String> = token.split('/').map(digits_of).collect();
        if parts.len() == 3 && parts[0].len() == 2 && parts[1].len() == 2 && parts[2].len() == 4 {
            let n = |s: &str| s.parse::<u32>().ok();
            let date = Date::new(n(&parts[2])? as i32, n(&parts[1])?, n(&parts[0])?)?;
            return Some((format!("{}/{}/{}", parts[0], parts[1], parts[2]), date));
        }
    }
    None
}

/// The four-digit years in `text`, in order.
fn years(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '-')
        .flat_map(between_words)
        .map(digits_of)
        .filter(|d| d.len() == 4 && (d.starts_with("19") || d.starts_with("20")))
        .collect()
}

/// The pieces of a token between the words run into it (three letters or more: a label read
/// without its spaces, `2021VIGENCIA2031`); a letter or two stays, as a digit's look-alike
/// (`2O21`).
fn between_words(token: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let (mut start, mut letters_from) = (0, None);
    for (i, c) in token.char_indices().chain([(token.len(), ' ')]) {
        if c.is_alphabetic() {
            letters_from.get_or_insert(i);
            continue;
        }
        if let Some(from) = letters_from.take() {
            if token[from..i].chars().count() >= 3 {
                pieces.push(&token[start..from]);
                start = i;
            }
        }
    }
    pieces.push(&token[start..]);
    pieces.retain(|p| !p.is_empty());
    pieces
}

/// A search over every token of the page for a code `repair` accepts (a fallback when the
/// label was not read).
fn find_code<T>(page: &Page, repair: impl Fn(&str) -> Option<T>) -> Option<(T, f32)> {
    page.lines().iter().find_map(|l| {
        l.text
            .split_whitespace()
            .find_map(|t| repair(t).map(|v| (v, l.confidence)))
    })
}

fn name_field(key: &str, line: Option<&&Line>) -> Field {
    match line {
        Some(l) => Field::ocr(key, spanish_name(&l.text), l.confidence),
        None => Field::ocr(key, "", 0.0),
    }
}

/// Reads every key of the front.
pub fn extract(page: &Page) -> Result<Extraction, ExtractError> {
    let ife = page
        .lines()
        .iter()
        .any(|l| fold(&l.text).contains("FEDERAL"));
    let prints_place = find_label(page, "ESTADO").is_some();
    let model = match (ife, prints_place) {
        (true, _) => "C/D",
        (false, true) => "E/F",
        (false, false) => "G/H",
    };

    let names = lines_under(page, "NOMBRE", &["DOMICILIO"]);
    let address = lines_under(page, "DOMICILIO", &["CLAVE DE ELECTOR", "CURP"]);
    let address: Vec<&Line> = address
        .into_iter()
        .filter(|l| l.text.chars().filter(|c| c.is_alphanumeric()).count() >= 3)
        .take(3)
        .collect();

    let birthday = text_after_label(page, "NACIMIENTO")
        .and_then(|(t, c)| parse_birthday(&t).map(|b| (b, c)))
        .or_else(|| find_code(page, parse_birthday));
    let birth_year = birthday.as_ref().map(|((_, d), _)| d.year);
    // CURP: after its label, else any token that is a valid CURP.
    let curp = text_after_label(page, "CURP")
        .and_then(|(t, c)| repair_curp(first_token(&t), birth_year).map(|r| (r, c)))
        .filter(|((_, decoded), _)| decoded.is_some())
        .or_else(|| {
            find_code(page, |t| {
                repair_curp(t, birth_year).filter(|(_, d)| d.is_some())
            })
        })
        .or_else(|| {
            text_after_label(page, "CURP")
                .and_then(|(t, c)| repair_curp(first_token(&t), birth_year).map(|r| (r, c)))
        });
    let voter = text_after_label(page, "CLAVE DE ELECTOR")
        .and_then(|(t, c)| repair_voter_id(first_token(&t)).map(|v| (v, c)))
        .or_else(|| find_code(page, repair_voter_id));
    let gender = text_after_label(page, "SEXO")
        .map(|(t, c)| (first_token(&t).to_string(), c))
        .filter(|(t, _)| t == "H" || t == "M");
    let registration = registration(page);
    let emission = text_after_label(page, "EMISION")
        .and_then(|(t, c)| years(&t).first().cloned().map(|y| (y, c)));
    let validity = text_after_label(page, "VIGENCIA").map(|(t, c)| (years(&t), c));
    let (issue, expiry) = match (&emission, &validity) {
        (Some(e), Some((v, c))) => (Some(e.clone()), v.last().map(|y| (y.clone(), *c))),
        (None, Some((v, c))) if v.len() >= 2 => {
            (Some((v[0].clone(), *c)), Some((v[v.len() - 1].clone(), *c)))
        }
        (None, Some((v, c))) => (None, v.last().map(|y| (y.clone(), *c))),
        (e, None) => (e.clone(), None),
    };

    // Labels lost to blur: the names are the three lines the CURP spells, the address the
    // lines under them down to the voter key.
    let (names, address) = match (&curp, names.is_empty()) {
        (Some(((text, _), _)), true) => {
            let names = names_by_curp(page, text);
            let address = match (address.is_empty(), names.last()) {
                (true, Some(given)) => address_below(page, given),
                _ => address,
            };
            (names, address)
        }
        _ => (names, address),
    };
    let (father, mother, given) = (names.first(), names.get(1), names.get(2));
    if curp.as_ref().is_none_or(|((_, d), _)| d.is_none()) && father.is_none() {
        return Err(ExtractError::unreadable(
            "neither the CURP nor the name could be read",
        ));
    }

    let text_of = |l: Option<&&Line>| l.map(|l| spanish_name(&l.text)).unwrap_or_default();
    let full_name = [father, mother, given]
        .iter()
        .filter_map(|l| l.map(|l| spanish_name(&l.text)))
        .collect::<Vec<_>>()
        .join(" ");
    let name_confidence = names
        .iter()
        .take(3)
        .map(|l| l.confidence)
        .fold(1.0f32, f32::min);
    let address_all = address
        .iter()
        .map(|l| comma_spaced(&l.text))
        .collect::<Vec<_>>()
        .join(" ");
    let address_confidence = address.iter().map(|l| l.confidence).fold(1.0f32, f32::min);
    let postal = address.iter().skip(1).chain(address.iter()).find_map(|l| {
        l.text
            .split_whitespace()
            .rev()
            .find(|t| t.len() == 5 && t.chars().all(|c| c.is_ascii_digit()))
            .map(|t| (t.to_string(), l.confidence))
    });
    let state = address.last().filter(|_| address.len() >= 3).and_then(|l| {
        l.text
            .rsplit_once(',')
            .map(|(_, s)| (s.trim().to_string(), l.confidence))
            .filter(|(s, _)| !s.is_empty())
    });

    let opt = |key: &str, v: &Option<(String, f32)>| match v {
        Some((text, c)) => Field::ocr(key, text.clone(), *c),
        None => Field::ocr(key, "", 0.0),
    };
    let place = |key: &str, label: &str, width: usize| {
        if prints_place {
            opt(key, &number_after(page, label, width))
        } else {
            Field::absent(key)
        }
    };

    let birth_date = birthday.as_ref().map(|((_, d), _)| *d);
    let gender_text = gender.as_ref().map(|(g, _)| g.clone()).unwrap_or_default();
    let voter_text = voter.as_ref().map(|(v, _)| v.clone()).unwrap_or_default();
    let curp_checks = curp.as_ref().and_then(|((text, decoded), _)| {
        decoded.as_ref().map(|d| {
            cross_check(
                text,
                d,
                &Printed {
                    father: &text_of(father),
                    mother: &text_of(mother),
                    given: &text_of(given),
                    birth: birth_date,
                    gender: &gender_text,
                    voter_id: &voter_text,
                },
            )
        })
    });
    let now = today();
    let birth_plausible = birth_date.map(|d| d < now && d.year > now.year - 130);
    let issue_year: Option<i32> = issue.as_ref().and_then(|(y, _)| y.parse().ok());
    let expiry_year: Option<i32> = expiry.as_ref().and_then(|(y, _)| y.parse().ok());
    let dates_ordered = match (birth_date, issue_year, expiry_year) {
        (Some(b), Some(i), Some(e)) => Some(b.year < i && i < e),
        _ => None,
    };

    // SEXO unread: the valid CURP states the same H/M (source `derived`).
    let gender_field = match (&gender, &curp) {
        (Some(_), _) => opt("gender", &gender),
        (None, Some(((_, Some(decoded)), c))) if matches!(decoded.sex, 'H' | 'M') => {
            Field::ocr("gender", decoded.sex.to_string(), c * 0.9).from_source("derived")
        }
        _ => Field::ocr("gender", "", 0.0),
    };
    let fields = vec![
        gender_field,
        match &curp {
            Some(((text, decoded), c)) => {
                Field::ocr("idNumber", text.clone(), *c).checked(decoded.is_some())
            }
            None => Field::ocr("idNumber", "", 0.0),
        },
        opt("voterId", &voter),
        Field::ocr("fullName", full_name, name_confidence),
        name_field("fatherLastName", father),
        name_field("motherLastName", mother),
        name_field("name", given),
        match &birthday {
            Some(((text, _), c)) => {
                let field = Field::ocr("birthday", text.clone(), *c);
                match birth_plausible {
                    Some(ok) => field.checked(ok),
                    None => field,
                }
            }
            None => Field::ocr("birthday", "", 0.0),
        },
        opt("issueYear", &issue),
        match &expiry {
            Some((y, c)) => {
                let field = Field::ocr("expiryYear", y.clone(), *c);
                match dates_ordered {
                    Some(ok) => field.checked(ok),
                    None => field,
                }
            }
            None => Field::ocr("expiryYear", "", 0.0),
        },
        opt("registrationYearAndMonth", &registration),
        place("municipalNumber", "MUNICIPIO", 3),
        opt("postalCode", &postal),
        place("placeNumber", "LOCALIDAD", 4),
        place("stateNumber", "ESTADO", 2),
        opt("state", &state),
        if ife {
            opt("district", &number_after(page, "DISTRITO", 2))
        } else {
            Field::absent("district")
        },
        Field::ocr("addressAll", address_all, address_confidence),
    ];
    Ok(Extraction::new(fields).with_details(json!({
        "side": "front",
        "model": model,
        "curp": curp_checks,
        "datesOrdered": dates_ordered,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthday_needs_a_calendar_date() {
        assert_eq!(
            parse_birthday("30/03/1964").map(|(t, _)| t).as_deref(),
            Some("30/03/1964")
        );
        assert_eq!(
            parse_birthday("3O/O3/1964").map(|(t, _)| t).as_deref(),
            Some("30/03/1964")
        );
        assert!(parse_birthday("31/02/1964").is_none());
        assert!(parse_birthday("1964").is_none());
    }

    #[test]
    fn commas_are_spaced_as_printed() {
        assert_eq!(comma_spaced("CUAUHTEMOC,CDMX."), "CUAUHTEMOC, CDMX.");
        assert_eq!(comma_spaced("COYOACAN , CDMX."), "COYOACAN, CDMX.");
    }

    #[test]
    fn registration_split_off_its_label_is_read_from_the_next_box() {
        // The boxes of a seed-7 model-F front scan.
        let page = |boxes: &[(&str, [f32; 4])]| {
            let lines: Vec<TextLine> = boxes
                .iter()
                .map(|(text, [x, y, w, h])| TextLine::latin(text, Rect::new(*x, *y, *w, *h), 0.99))
                .collect();
            Page::new(&lines, 1000, 630)
        };
        let label = [653.0, 342.0, 185.0, 36.0];
        let split = page(&[
            ("AÑO DE REGISTRO 1", label),
            ("1993 11", [822.0, 346.0, 94.0, 27.0]),
        ]);
        assert_eq!(registration(&split).map(|r| r.0).as_deref(), Some("199311"));
        let whole = page(&[("AÑO DE REGISTRO 1993 11", [653.0, 342.0, 280.0, 36.0])]);
        assert_eq!(registration(&whole).map(|r| r.0).as_deref(), Some("199311"));
        let unread = page(&[("AÑO DE REGISTRO 1", label)]);
        assert_eq!(registration(&unread), None);
    }

    #[test]
    fn names_and_address_without_their_labels_are_the_lines_the_curp_spells() {
        // A seed-111 model-D front photo: NOMBRE and DOMICILIO not read, CURP's label garbled.
        let boxes = [
            ("CREDENCIAL PARA VOTAR", [185.0, 43.0, 302.0, 33.0]),
            ("SEXO", [781.0, 87.0, 77.0, 34.0]),
            ("CASTILLO", [291.0, 107.0, 134.0, 43.0]),
            ("GUTIERREZ", [294.0, 140.0, 145.0, 32.0]),
            ("PEDRO", [294.0, 166.0, 94.0, 34.0]),
            ("C FRESNO 235", [293.0, 219.0, 178.0, 36.0]),
            ("COL ECHEGARAY 53099", [293.0, 247.0, 282.0, 37.0]),
            ("NAUCALPAN DE JUAREZ, MEX.", [294.0, 276.0, 358.0, 33.0]),
            (
                "CLAMEDLECTOR CSGTPD57061515H272",
                [290.0, 307.0, 440.0, 42.0],
            ),
            ("CUP CAGP570615HMCSTD76", [291.0, 341.0, 343.0, 37.0]),
        ];
        let lines: Vec<TextLine> = boxes
            .iter()
            .map(|(text, [x, y, w, h])| TextLine::latin(text, Rect::new(*x, *y, *w, *h), 0.99))
            .collect();
        let page = Page::new(&lines, 1000, 630);
        let texts = |lines: Vec<&Line>| lines.iter().map(|l| l.text.clone()).collect::<Vec<_>>();
        let names = names_by_curp(&page, "CAGP570615HMCSTD76");
        assert_eq!(texts(names.clone()), ["CASTILLO", "GUTIERREZ", "PEDRO"]);
        assert_eq!(
            texts(address_below(&page, names[2])),
            [
                "C FRESNO 235",
                "COL ECHEGARAY 53099",
                "NAUCALPAN DE JUAREZ, MEX."
            ]
        );
        // Another person's CURP spells none of these lines.
        assert!(names_by_curp(&page, "JIVR640330HDFMZC20").is_empty());
    }

    #[test]
    fn validity_years() {
        assert_eq!(years("2019 - 2029"), ["2019", "2029"]);
        assert_eq!(years("2032"), ["2032"]);
        assert!(years("0134").is_empty());
        // A row read without its spaces: the label between the years is not a digit.
        assert_eq!(years(" 2021VIGENCIA2031"), ["2021", "2031"]);
        assert_eq!(years("2O21"), ["2021"]);
    }
}
