//! The back: the yellow model prints each value over its label and carries a PDF417; the
//! digital model carries a TD1 MRZ (`ICCOL...`) and a QR.

use kycd_plugin_api::card_reading::{
    find_label, fold, looks_like_mrz, read_card, read_mrz_upright, CardReading,
};
use kycd_plugin_api::checks::Date;
use kycd_plugin_api::mrz_identity::{today, MrzIdentity};
use kycd_plugin_api::prelude::*;
use serde_json::{json, Value};

use crate::dates;
use crate::front::above;

/// The yellow back's labels.
const LABELS: [&str; 6] = [
    "FECHA DE NACIMIENTO",
    "LUGAR DE NACIMIENTO",
    "ESTATURA",
    "G.S",
    "SEXO",
    "INDICE DERECHO",
];

fn score(page: &Page) -> i32 {
    let tops: Vec<f32> = LABELS[..5]
        .iter()
        .filter_map(|l| find_label(page, l).map(|l| l.top))
        .collect();
    let labels = tops.len() as i32 + tops.windows(2).filter(|w| w[0] < w[1]).count() as i32;
    let zone = page
        .lines()
        .iter()
        .filter(|l| looks_like_mrz(&l.text))
        .count() as i32;
    labels.max(if zone >= 2 { 4 + zone } else { 0 })
}

/// The value printed over `label`.
fn over<'p>(page: &'p Page, label: &str) -> Option<&'p Line> {
    find_label(page, label).and_then(|l| above(page, l, 1.5))
}

/// A blood group as printed (`A+`, `AB-`, `O+`): the group letters (0 read as O) and the sign,
/// in whichever order OCR returned them.
pub fn blood_type(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '0' | 'o' | 'Q' | 'D' => 'O',
            '8' => 'B',
            other => other,
        })
        .collect();
    let sign = compact.chars().find(|c| matches!(c, '+' | '-'))?;
    let group: String = compact
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect();
    matches!(group.as_str(), "A" | "B" | "AB" | "O").then(|| format!("{group}{sign}"))
}

/// A height in metres as printed (`1.72`).
pub fn height(text: &str) -> Option<String> {
    let digits: String = text
        .chars()
        .map(|c| match c {
            'I' | 'l' | '|' => '1',
            'O' | 'o' => '0',
            other => other,
        })
        .filter(char::is_ascii_digit)
        .collect();
    (digits.len() == 3 && (digits.starts_with('1') || digits.starts_with('2')))
        .then(|| format!("{}.{}", &digits[..1], &digits[1..]))
}

/// The yellow card's PDF417 record (fixed-width: a 48-character header, the number (10),
/// surnames and given names (4 x 23), `0`, sex, birth date `YYYYMMDD`, municipality and
/// department codes, `0`, blood group).
struct Pdf417Record {
    number: String,
    sex: String,
    birth: Option<Date>,
    blood: String,
}

fn parse_pdf417(text: &str) -> Option<Pdf417Record> {
    let chars: Vec<char> = text.chars().collect();
    let field = |from: usize, len: usize| -> Option<String> {
        chars
            .get(from..from + len)
            .map(|s| s.iter().collect::<String>().trim().to_string())
    };
    let after_names = 48 + 10 + 4 * 23;
    let birth = field(after_names + 2, 8)?;
    let n = |s: &str| s.parse::<u32>().ok();
    Some(Pdf417Record {
        number: field(48, 10)?.trim_start_matches('0').to_string(),
        sex: field(after_names + 1, 1)?,
        birth: Date::new(n(&birth[..4])? as i32, n(&birth[4..6])?, n(&birth[6..])?),
        blood: field(after_names + 2 + 8 + 5 + 1, 3).unwrap_or_default(),
    })
}

fn yellow(
    host: &Host<'_>,
    image: ImageRef<'_>,
    card: &CardReading,
) -> Result<Extraction, ExtractError> {
    let page = &card.page;
    let labels = LABELS
        .iter()
        .filter(|l| find_label(page, l).is_some())
        .count();
    if labels < 3 {
        return Err(ExtractError::not_this_document(
            "not the back of a Colombian cédula",
        ));
    }
    let target = card.crop.as_ref().map_or(image, |c| c.image.as_ref());
    let record = host
        .decode_barcodes(target)
        .iter()
        .filter(|b| b.format == BarcodeFormat::PDF417)
        .find_map(|b| parse_pdf417(b.text.as_str()));

    let birth_line = over(page, "FECHA DE NACIMIENTO");
    let birth = birth_line.and_then(|l| dates::parse(&l.text).map(|(d, _)| (d, l.confidence)));
    let issue_line = over(page, "EXPEDICION");
    let issue = issue_line.and_then(|l| dates::parse(&l.text).map(|(d, p)| (d, p, l.confidence)));
    let height_read =
        over(page, "ESTATURA").and_then(|l| height(&l.text).map(|h| (h, l.confidence)));
    let blood_read = over(page, "G.S").and_then(|l| blood_type(&l.text).map(|b| (b, l.confidence)));
    let sex_read = over(page, "SEXO").and_then(|l| {
        let t = fold(&l.text);
        matches!(t.trim(), "M" | "F").then(|| (t.trim().to_string(), l.confidence))
    });
    if birth.is_none() && issue.is_none() && record.is_none() {
        return Err(ExtractError::unreadable(
            "the back's dates could not be read",
        ));
    }
    let now = today();
    let birth_issue_ordered = match (&birth, &issue) {
        (Some((b, _)), Some((i, _, _))) => Some(b < i && *i <= now),
        _ => None,
    };

    // Printed first; the PDF417 fills what OCR missed and cross-checks the rest.
    let date_of_birth = match (&birth, record.as_ref().and_then(|r| r.birth)) {
        (Some((d, c)), from_code) => {
            let agrees = from_code.is_none_or(|p| p == *d);
            Field::ocr("DateOfBirth", dates::format(*d), *c).checked(agrees && *d < now)
        }
        (None, Some(p)) => Field::ocr("DateOfBirth", dates::format(p), 0.95)
            .from_source("pdf417")
            .checked(p < now),
        (None, None) => Field::ocr("DateOfBirth", "", 0.0),
    };
    let gender = match (&sex_read, record.as_ref().map(|r| r.sex.clone())) {
        (Some((s, c)), from_code) => {
            let field = Field::ocr("Gender", s.clone(), *c);
            match from_code {
                Some(p) => field.checked(p == *s),
                None => field,
            }
        }
        (None, Some(p)) if p == "M" || p == "F" => {
            Field::ocr("Gender", p, 0.95).from_source("pdf417")
        }
        _ => Field::ocr("Gender", "", 0.0),
    };
    let blood = match (&blood_read, record.as_ref().map(|r| r.blood.clone())) {
        (Some((b, c)), from_code) => {
            let field = Field::ocr("BloodType", b.clone(), *c);
            match from_code.filter(|p| !p.is_empty()) {
                Some(p) => field.checked(p == *b),
                None => field,
            }
        }
        (None, Some(p)) if blood_type(&p).is_some() => {
            Field::ocr("BloodType", p, 0.95).from_source("pdf417")
        }
        _ => Field::ocr("BloodType", "", 0.0),
    };
    let fields = vec![
        date_of_birth,
        match &height_read {
            Some((h, c)) => Field::ocr("Height", h.clone(), *c),
            None => Field::ocr("Height", "", 0.0),
        },
        blood,
        match &issue {
            Some((d, _, c)) => {
                let field = Field::ocr("DateOfIssue", dates::format(*d), *c);
                match birth_issue_ordered {
                    Some(ok) => field.checked(ok),
                    None => field,
                }
            }
            None => Field::ocr("DateOfIssue", "", 0.0),
        },
        match &issue {
            Some((_, place, c)) if !place.is_empty() => {
                Field::ocr("PlaceOfIssue", place.clone(), *c)
            }
            _ => Field::ocr("PlaceOfIssue", "", 0.0),
        },
        gender,
    ];
    let pdf417 = record.map(|r| {
        json!({
            "read": true,
            "number": r.number,
            "birthDateMatches": birth.map(|(d, _)| Some(d) == r.birth),
            "sexMatches": sex_read.map(|(s, _)| s == r.sex),
            "bloodTypeMatches": blood_read.map(|(b, _)| b == r.blood),
        })
    });
    Ok(Extraction::new(fields).with_details(json!({
        "side": "back",
        "model": "yellow",
        "pdf417": pdf417,
        "datesOrdered": birth_issue_ordered,
    })))
}

/// What the digital back's QR says (`number|surnames|given names|sex|YYYYMMDD|blood|issue`),
/// compared with the MRZ.
fn qr_details(host: &Host<'_>, image: ImageRef<'_>, id: &MrzIdentity) -> Value {
    let codes = host.decode_barcodes(image);
    let Some(qr) = codes.iter().find(|b| b.format == BarcodeFormat::QR) else {
        return Value::Null;
    };
    let parts: Vec<&str> = qr.text.as_str().split('|').collect();
    if parts.len() < 7 {
        return json!({"read": true, "parsed": false});
    }
    let birth = id
        .birth_date
        .value
        .map(|d| format!("{:04}{:02}{:02}", d.year, d.month, d.day));
    json!({
        "read": true,
        "parsed": true,
        "number": parts[0],
        "numberMatchesMrz": parts[0] == id.optional_data.value,
        "birthDateMatchesMrz": birth.as_deref() == Some(parts[4]),
        "sexMatchesMrz": parts[3] == id.sex.value,
        "bloodType": parts[5],
        "dateOfIssue": parts[6],
    })
}

fn digital(
    host: &Host<'_>,
    image: ImageRef<'_>,
    card: &CardReading,
    looks_like_the_card: bool,
) -> Result<Extraction, ExtractError> {
    let Some(zone) = read_mrz_upright(host, image, card) else {
        return Err(if looks_like_the_card {
            ExtractError::unreadable("the MRZ could not be read")
        } else {
            ExtractError::not_this_document("not the back of a Colombian cédula")
        });
    };
    let id = MrzIdentity::from_mrz(&zone, today());
    if id.issuing_state != "COL" || !id.document_code.starts_with('I') {
        return Err(ExtractError::not_this_document(
            "the MRZ is not a Colombian ID card's",
        ));
    }
    let fields = vec![
        id.birth_date.field("DateOfBirth", |d| d.map(dates::format)),
        Field::absent("Height"),
        Field::absent("BloodType"),
        Field::absent("DateOfIssue"),
        Field::absent("PlaceOfIssue"),
        id.sex
            .field("Gender", |s| (!s.is_empty()).then(|| s.clone())),
    ];
    let target = card.crop.as_ref().map_or(image, |c| c.image.as_ref());
    let qr = qr_details(host, target, &id);
    Ok(Extraction::new(fields).with_details(json!({
        "side": "back",
        "model": "digital",
        "mrz": {
            "valid": id.all_checks_valid,
            "documentNumber": id.document_number.value,
            "documentNumberValid": id.document_number.check_digit_valid,
            "birthDateValid": id.birth_date.check_digit_valid,
            "expiryDateValid": id.expiry_date.check_digit_valid,
            "nuip": id.optional_data.value,
            "surname": id.surname.value,
            "givenNames": id.given_names.value,
        },
        "qr": qr,
    })))
}

/// Reads the back of either model.
pub fn extract(host: &Host<'_>, image: ImageRef<'_>) -> Result<Extraction, ExtractError> {
    let card = read_card(host, image, score, 6);
    let zone = card
        .page
        .lines()
        .iter()
        .filter(|l| looks_like_mrz(&l.text) || fold(&l.text).contains("ICCOL"))
        .count();
    let labels = LABELS
        .iter()
        .filter(|l| find_label(&card.page, l).is_some())
        .count();
    if zone >= 2 || labels < 3 {
        // An MRZ the page reading garbled (a turned crop) is looked for before giving up.
        return digital(host, image, &card, labels >= 3 || zone >= 1);
    }
    yellow(host, image, &card)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blood_type_in_either_order() {
        assert_eq!(blood_type("O+").as_deref(), Some("O+"));
        assert_eq!(blood_type("+0").as_deref(), Some("O+"));
        assert_eq!(blood_type("AB -").as_deref(), Some("AB-"));
        assert!(blood_type("C+").is_none());
        assert!(blood_type("A").is_none());
    }

    #[test]
    fn height_in_metres() {
        assert_eq!(height("1.72").as_deref(), Some("1.72"));
        assert_eq!(height("I.52").as_deref(), Some("1.52"));
        assert!(height("172 cm 5").is_none());
    }

    #[test]
    fn pdf417_record_fields() {
        let pad = |s: &str, n: usize| format!("{s:<n$}");
        let text = format!(
            "{}{:0>10}{}{}{}{}0F19670718066660O+ ",
            "1".repeat(48),
            "89171930",
            pad("JIMENEZ", 23),
            pad("LOPEZ", 23),
            pad("DIANA", 23),
            pad("", 23),
        );
        let r = parse_pdf417(&text).unwrap();
        assert_eq!(r.number, "89171930");
        assert_eq!(r.sex, "F");
        assert_eq!(r.birth, Date::new(1967, 7, 18));
        assert_eq!(r.blood, "O+");
    }
}
