//! `ocr/in/aadhaar/front`: the side with the photo, name, date (or year) of birth, gender,
//! number and VID; the e-Aadhaar print adds the mobile number and the issue and download dates
//! (written vertically beside the photo).

use kycd_plugin_api::checks::{is_plausible_birth_date, Date};
use kycd_plugin_api::prelude::*;
use kycd_plugin_api::text::normalize;
use serde_json::json;

use crate::aadhaar::{self, NumberRead};
use crate::card::{self, is_horizontal, today, PageFrame, Parsed};
use crate::front_layout::{
    self, Box4, Layout, DOWNLOAD_COLUMN, ISSUE_COLUMN, PVC_ISSUED_LINE, VID_WIDTH,
};
use crate::numbers::{
    digit_runs, find_date, find_small_date, find_year, looks_like_name, squash_spaces,
};
use crate::qr_agreement::{self, compare, fill_from_qr};

/// Words that are labels or headers, never a name.
const NOT_NAME: [&str; 14] = [
    "government",
    "india",
    "dob",
    "birth",
    "male",
    "vid",
    "mobile",
    "issue",
    "download",
    "aadhaar",
    "aadhar",
    "address",
    "unique",
    "authority",
];

/// Reads the front of an Aadhaar card.
pub fn extract(image: ImageRef<'_>, host: &Host<'_>) -> Result<Extraction, ExtractError> {
    let (front, card) = card::read_best::<Front>(image, host);
    if front.pan_markers {
        return Err(ExtractError::not_this_document(
            "this is a PAN card, not an Aadhaar card",
        ));
    }
    if front.number.is_none() && front.name.is_none() {
        return Err(ExtractError::not_this_document("no id or name found"));
    }
    if !front.looks_like_aadhaar() {
        return Err(ExtractError::not_this_document("not an Aadhaar card"));
    }
    if front.back_side {
        return Err(ExtractError::not_this_document(
            "this is the back of an Aadhaar card (use ocr/in/aadhaar/back)",
        ));
    }
    if front.number.is_none() || front.name.is_none() {
        return Err(ExtractError::unreadable(if front.number.is_none() {
            "Aadhaar number unreadable"
        } else {
            "name unreadable"
        }));
    }
    let qr = aadhaar::secure_qr(&card, image, host);
    let (Some(number), Some(name)) = (&front.number, &front.name) else {
        return Err(ExtractError::unreadable(
            "Aadhaar number or name unreadable",
        ));
    };
    Ok(front.extraction(number, name, qr.as_ref()))
}

/// A value read from one line.
struct Read {
    value: String,
    confidence: f32,
}

/// The fields of a front side, as read.
struct Front {
    number: Option<NumberRead>,
    name: Option<Read>,
    birth: Option<(Read, Option<Date>)>,
    gender: Option<Read>,
    vid: Option<NumberRead>,
    mobile: Option<Read>,
    issued: Option<(Read, Date)>,
    downloaded: Option<(Read, Date)>,
    /// Boxes of the `GOVERNMENT OF INDIA` line and of the number's line: where they are says
    /// where the small print is ([`Layout`]).
    header: Option<Box4>,
    number_box: Option<Box4>,
    /// The box of a `VID` line whose number was not read whole (cut short or misread).
    vid_line: Option<Box4>,
    has_markers: bool,
    pan_markers: bool,
    back_side: bool,
}

impl Parsed for Front {
    fn parse(page: &Page) -> Front {
        Front::parse_page(page)
    }

    fn score(&self) -> u32 {
        let number = match &self.number {
            Some(n) if n.valid == Some(false) => 2,
            Some(_) => 4,
            None => 0,
        };
        number
            + 3 * u32::from(self.name.is_some())
            + 2 * u32::from(self.birth.is_some())
            + u32::from(self.gender.is_some())
            + u32::from(self.vid.is_some())
            + u32::from(self.has_markers)
            + u32::from(self.issued.is_some())
            + u32::from(self.downloaded.is_some())
            + u32::from(self.mobile.is_some())
    }

    fn fill_in(&mut self, source: ImageRef<'_>, frame: &PageFrame, host: &Host<'_>) {
        self.read_small_print(source, frame, host);
    }

    fn complete(&self) -> bool {
        self.number.as_ref().is_some_and(|n| n.valid != Some(false))
            && self.name.is_some()
            && self.birth.is_some()
            && self.gender.is_some()
            && self.issued.is_some()
            // The e-Aadhaar (mobile number printed) also prints the download date.
            && (self.mobile.is_none() || self.downloaded.is_some())
    }
}

impl Front {
    fn parse_page(page: &Page) -> Front {
        let birth_line = page.find(|l| {
            let n = normalize(&l.text);
            is_horizontal(l)
                && (n.contains("dob") || n.contains("birth") || n.contains("yob"))
                && (find_date(&l.text).is_some() || find_year(&l.text).is_some())
        });
        let number = aadhaar::card_number(page);
        Front {
            number: number.clone(),
            name: name(page, birth_line),
            birth: birth_line.and_then(birth),
            gender: gender(page),
            vid: aadhaar::vid(page),
            mobile: mobile(page),
            issued: labelled_date(page, "issue"),
            downloaded: labelled_date(page, "download"),
            header: page
                .find_label(&["government of india"])
                .map(|l| (l.left, l.top, l.right, l.bottom)),
            number_box: number
                .as_ref()
                .and_then(|n| aadhaar::line_holding(page, &n.digits)),
            vid_line: page
                .lines()
                .iter()
                .find(|l| is_horizontal(l) && aadhaar::is_vid_line(&l.text))
                .map(|l| (l.left, l.top, l.right, l.bottom)),
            has_markers: aadhaar::has_aadhaar_markers(page),
            pan_markers: aadhaar::has_pan_markers(page),
            back_side: false,
        }
        .with_side(page)
    }

    fn with_side(mut self, page: &Page) -> Front {
        self.back_side = self.is_back_side(page);
        self
    }

    /// Aadhaar words on the card, or a Verhoeff-valid number beside a birth or gender line.
    fn looks_like_aadhaar(&self) -> bool {
        let valid_number = self.number.as_ref().is_some_and(|n| n.valid == Some(true));
        self.has_markers || (valid_number && (self.birth.is_some() || self.gender.is_some()))
    }

    /// The back prints the address and none of the personal lines of the front.
    fn is_back_side(&self, page: &Page) -> bool {
        let address = page.lines().iter().any(|l| {
            let n = normalize(&l.text);
            n.starts_with("address") || n.contains("unique identification")
        });
        address && self.birth.is_none() && self.gender.is_none()
    }

    fn extraction(
        &self,
        number: &NumberRead,
        name: &Read,
        qr: Option<&crate::secure_qr::SecureQr>,
    ) -> Extraction {
        let today = today();
        let issue_date = self.issued.as_ref().map(|(_, d)| *d);
        let birth_field = match &self.birth {
            Some((read, Some(date))) => Field::ocr("DateOfBirth", &read.value, read.confidence)
                .checked(
                    is_plausible_birth_date(*date, today) && issue_date.is_none_or(|i| *date < i),
                ),
            Some((read, None)) => {
                let year: i32 = read.value.parse().unwrap_or(0);
                Field::ocr("DateOfBirth", &read.value, read.confidence)
                    .checked(year <= today.year && year >= today.year - 130)
            }
            None => Field::ocr("DateOfBirth", "", 0.0),
        };
        let mut fields = vec![
            number.field("CardNumber"),
            Field::ocr("Name", &name.value, name.confidence),
            birth_field,
            self.gender
                .as_ref()
                .map_or(Field::ocr("Gender", "", 0.0), |g| {
                    Field::ocr("Gender", &g.value, g.confidence)
                }),
            self.vid
                .as_ref()
                .map_or(Field::absent("VID"), |v| v.field("VID")),
            self.mobile
                .as_ref()
                .map_or(Field::absent("MobileNumber"), |m| {
                    Field::ocr("MobileNumber", &m.value, m.confidence)
                        .checked(m.value.starts_with(['6', '7', '8', '9']))
                }),
            self.issued
                .as_ref()
                .map_or(Field::absent("IssueDate"), |(r, d)| {
                    Field::ocr("IssueDate", &r.value, r.confidence).checked(*d <= today)
                }),
            self.downloaded
                .as_ref()
                .map_or(Field::absent("DownloadDate"), |(r, d)| {
                    Field::ocr("DownloadDate", &r.value, r.confidence)
                        .checked(*d <= today && issue_date.is_none_or(|i| i <= *d))
                }),
        ];
        let mut agreement = Vec::new();
        if let Some(qr) = qr {
            let printed_last4: String = number.digits.chars().skip(8).collect();
            agreement = vec![
                (
                    "CardNumber",
                    compare(&printed_last4, qr.aadhaar_last4().unwrap_or("")),
                ),
                ("Name", compare(&fields[1].value, &qr.name)),
                (
                    "DateOfBirth",
                    compare(&fields[2].value, &qr.date_of_birth_printed()),
                ),
                ("Gender", compare(&fields[3].value, qr.gender_printed())),
            ];
            fields[2] = fill_from_qr(fields[2].clone(), &qr.date_of_birth_printed());
            fields[3] = fill_from_qr(fields[3].clone(), qr.gender_printed());
        }
        let model = if self.downloaded.is_some() {
            "e-aadhaar"
        } else {
            "pvc"
        };
        Extraction::new(fields).with_details(json!({
            "side": "front",
            "model": model,
            "masked": number.digits.contains('X'),
            "qr": qr_agreement::details(qr, &agreement),
        }))
    }
}

/// The English name: the name-like line nearest above the birth line (the Hindi name, if read
/// at all, is above it), or the first name-like line below the header.
fn name(page: &Page, birth_line: Option<&Line>) -> Option<Read> {
    let candidates: Vec<&Line> = page
        .lines()
        .iter()
        .filter(|l| is_horizontal(l) && l.confidence >= 0.8 && looks_like_name(&l.text))
        .filter(|l| {
            let n = normalize(&l.text);
            !n.split(' ').any(|w| NOT_NAME.contains(&w) || w == "female")
        })
        .collect();
    let chosen = match birth_line {
        Some(birth) => candidates
            .iter()
            .filter(|l| l.bottom <= birth.middle() && birth.top - l.bottom < 3.0 * birth.height())
            .max_by(|a, b| a.top.total_cmp(&b.top))
            .copied(),
        None => {
            let header = page.find_label(&["government of india"]);
            candidates
                .iter()
                .find(|l| header.is_none_or(|h| l.top > h.bottom))
                .copied()
        }
    }?;
    Some(Read {
        value: squash_spaces(&chosen.text),
        confidence: chosen.confidence,
    })
}

/// The date of birth (`dd/mm/yyyy`), or the year when only "Year of Birth" is printed.
fn birth(line: &Line) -> Option<(Read, Option<Date>)> {
    if let Some((date, text)) = find_date(&line.text) {
        return Some((
            Read {
                value: text,
                confidence: line.confidence,
            },
            Some(date),
        ));
    }
    find_year(&line.text).map(|year| {
        (
            Read {
                value: year.to_string(),
                confidence: line.confidence,
            },
            None,
        )
    })
}

/// `MALE`, `FEMALE` or `TRANSGENDER`, in the case printed.
fn gender(page: &Page) -> Option<Read> {
    for line in page.lines() {
        for word in line.text.split(|c: char| !c.is_ascii_alphabetic()) {
            let lower = word.to_ascii_lowercase();
            if matches!(lower.as_str(), "male" | "female" | "transgender") {
                return Some(Read {
                    value: word.to_string(),
                    confidence: line.confidence,
                });
            }
        }
    }
    None
}

/// The 10-digit mobile number of the line labelled "Mobile".
fn mobile(page: &Page) -> Option<Read> {
    page.lines()
        .iter()
        .filter(|l| normalize(&l.text).contains("mobile"))
        .find_map(|l| {
            digit_runs(&l.text)
                .into_iter()
                .find(|r| r.digits.len() == 10 && !r.is_masked())
                .map(|r| Read {
                    value: r.digits,
                    confidence: l.confidence,
                })
        })
}

/// The date on the line whose label contains `label` ("issue", "download").
fn labelled_date(page: &Page, label: &str) -> Option<(Read, Date)> {
    page.lines()
        .iter()
        .filter(|l| normalize(&l.text).contains(label))
        .find_map(|l| {
            find_date(&l.text).map(|(date, text)| {
                (
                    Read {
                        value: text,
                        confidence: l.confidence,
                    },
                    date,
                )
            })
        })
}

/// Offsets (reference pixels) tried around a small line's expected place, nearest first.
const NUDGES: [f32; 5] = [0.0, -7.0, 7.0, -14.0, 14.0];

impl Front {
    /// Reads the small print the detector missed where the layout puts it: the VID's whole line,
    /// the PVC card's issue line, the e-Aadhaar's issue and download date columns.
    fn read_small_print(&mut self, source: ImageRef<'_>, frame: &PageFrame, host: &Host<'_>) {
        let Some(layout) = Layout::fit(self.header, self.number_box) else {
            return;
        };
        let read = |quad: Quad| front_layout::recognize(source, frame, host, quad);
        if self.vid.as_ref().is_none_or(|v| v.valid != Some(true)) {
            if let Some((l, t, _, b)) = self.vid_line {
                let right = l + VID_WIDTH * layout.scale();
                let grow = 0.1 * (b - t);
                let p = |x: f32, y: f32| Point { x, y };
                let reread = [b, b + grow].into_iter().find_map(|bottom| {
                    let quad = Quad {
                        points: [p(l, t), p(right, t), p(right, bottom), p(l, bottom)],
                    };
                    aadhaar::valid_vid(&read(quad))
                });
                if reread.is_some() {
                    self.vid = reread;
                }
            }
        }
        let today = today();
        let birth = self.birth.as_ref().and_then(|(_, d)| *d);
        let issued_ok = |d: Date| d <= today && birth.is_none_or(|b| b < d);
        let e_aadhaar = self.mobile.is_some() || self.downloaded.is_some();
        let mut from_column = false;
        if self.issued.is_none() && !e_aadhaar {
            self.issued = agreed_read(|dy| read(layout.line(PVC_ISSUED_LINE, dy)), issued_ok);
        }
        if self.issued.is_none() {
            self.issued = agreed_read(|dx| read(layout.upward_column(ISSUE_COLUMN, dx)), issued_ok);
            from_column = self.issued.is_some();
        }
        if self.downloaded.is_none() && (e_aadhaar || from_column) {
            let issued = self.issued.as_ref().map(|(_, d)| *d);
            self.downloaded = agreed_read(
                |dx| read(layout.upward_column(DOWNLOAD_COLUMN, dx)),
                |d| d <= today && issued.is_none_or(|i| i <= d),
            );
        }
    }
}

/// The date of a small line read at each nudge of its place (`read_at`), kept when `plausible`:
/// the first date read twice (small print read at slightly different places comes out
/// differently), else the one read at the nearest place.
fn agreed_read(
    read_at: impl Fn(f32) -> TextLine,
    plausible: impl Fn(Date) -> bool,
) -> Option<(Read, Date)> {
    let mut reads: Vec<(Read, Date)> = Vec::new();
    for nudge in NUDGES {
        let Some((read, date)) = dated_read(&read_at(nudge)).filter(|(_, d)| plausible(*d)) else {
            continue;
        };
        if reads.iter().any(|(r, _)| r.value == read.value) {
            return Some((read, date));
        }
        reads.push((read, date));
    }
    reads.into_iter().next()
}

/// A date read from a small line, with its label: at least four letters before the date (the
/// place is known; the letters say the line was read, not noise).
fn dated_read(line: &TextLine) -> Option<(Read, Date)> {
    let text = line.text.as_str();
    let (date, value, start) = find_small_date(text)?;
    let letters = text
        .chars()
        .take(start)
        .filter(char::is_ascii_alphabetic)
        .count();
    (letters >= 4).then_some((
        Read {
            value,
            confidence: line.confidence,
        },
        date,
    ))
}
