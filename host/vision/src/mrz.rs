//! ICAO 9303 machine-readable zones: finding the MRZ lines among recognised text, normalising
//! OCR output, repairing misreads that a check digit proves, and parsing TD1, TD2 and TD3.
//!
//! Parsing and check-digit arithmetic come from the [`mrz`] crate; this module adds the OCR
//! side: lookalike normalisation, line-width fitting, the proven-repair rule and the mapping to
//! the plugin API's [`Mrz`] type.
//!
//! **Repair rule.** A character is changed only inside a field protected by its own check
//! digit (document number, birth date, expiry date, TD3 personal number), only to a visually
//! confusable glyph (`O`/`0`, `I`/`1`, `B`/`8`, `S`/`5`, `Z`/`2`, ...), only when the field
//! fails its check as read, and only when exactly one such substitution makes it pass. Fields
//! with no check digit of their own (names, codes, TD1/TD2 optional data) are never repaired.
//!
//! **Letter-only fields.** The document code, the issuing state, the nationality and the names
//! may hold only letters and `<` (ICAO 9303 part 3/4), so a digit there cannot be what is
//! printed. It is read as its confusable letter when exactly one reading is possible: for the
//! state and nationality codes, exactly one reading must be a code of ICAO 9303 part 3 (ISO
//! 3166-1 alpha-3 plus the ICAO additions), e.g. `UT0` stays ambiguous between `UTO` and `UTQ`
//! only if both were codes; for names, the confusion table's letter; for the document code's
//! first letter, one of `A C I P V`. A document code `I` + `0` is read `ID`, the only
//! two-letter identity-card code that a round glyph can be.

use ::mrz::{FieldKind, MrzData};
use abi_stable::std_types::{ROption, RString, RVec};
use kycd_plugin_api::{Mrz, MrzField, Point, Quad, TextLine};

/// An ICAO 9303 layout: how many lines of how many characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    Td1,
    Td2,
    Td3,
}

impl Layout {
    fn width(self) -> usize {
        match self {
            Layout::Td1 => 30,
            Layout::Td2 => 36,
            Layout::Td3 => 44,
        }
    }

    fn line_count(self) -> usize {
        match self {
            Layout::Td1 => 3,
            Layout::Td2 | Layout::Td3 => 2,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Layout::Td1 => "TD1",
            Layout::Td2 => "TD2",
            Layout::Td3 => "TD3",
        }
    }

    /// The layout whose line count matches and whose width is within one character of every
    /// line.
    fn detect(lines: &[String]) -> Option<Layout> {
        [Layout::Td1, Layout::Td2, Layout::Td3]
            .into_iter()
            .find(|layout| {
                lines.len() == layout.line_count()
                    && lines.iter().all(|l| l.len().abs_diff(layout.width()) <= 1)
            })
    }

    /// Fields protected by their own check digit: (line, field range, check-digit position,
    /// structural kind).
    fn checked_fields(self) -> &'static [(usize, std::ops::Range<usize>, usize, FieldKind)] {
        const TD1: &[(usize, std::ops::Range<usize>, usize, FieldKind)] = &[
            (0, 5..14, 14, FieldKind::DocumentNumber),
            (1, 0..6, 6, FieldKind::Date),
            (1, 8..14, 14, FieldKind::Date),
        ];
        const TD2: &[(usize, std::ops::Range<usize>, usize, FieldKind)] = &[
            (1, 0..9, 9, FieldKind::DocumentNumber),
            (1, 13..19, 19, FieldKind::Date),
            (1, 21..27, 27, FieldKind::Date),
        ];
        const TD3: &[(usize, std::ops::Range<usize>, usize, FieldKind)] = &[
            (1, 0..9, 9, FieldKind::DocumentNumber),
            (1, 13..19, 19, FieldKind::Date),
            (1, 21..27, 27, FieldKind::Date),
            (1, 28..42, 42, FieldKind::PersonalNumber),
        ];
        match self {
            Layout::Td1 => TD1,
            Layout::Td2 => TD2,
            Layout::Td3 => TD3,
        }
    }

    /// (line, range) of the birth and expiry dates, as printed (YYMMDD).
    fn date_ranges(self) -> [(usize, std::ops::Range<usize>); 2] {
        match self {
            Layout::Td1 => [(1, 0..6), (1, 8..14)],
            Layout::Td2 | Layout::Td3 => [(1, 13..19), (1, 21..27)],
        }
    }

    fn parse(self, lines: &[String]) -> Option<MrzData> {
        match self {
            Layout::Td1 => ::mrz::parse_td1(&lines[0], &lines[1], &lines[2]).ok(),
            Layout::Td2 => ::mrz::parse_td2(&lines[0], &lines[1]).ok(),
            Layout::Td3 => ::mrz::parse_td3(&lines[0], &lines[1]).ok(),
        }
    }
}

/// Upper-cases OCR text and maps lookalikes of the filler to `<`; drops whitespace and any
/// character outside the MRZ alphabet `A-Z0-9<`.
pub fn normalize_mrz_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            '«' | '‹' | '〈' | '＜' | 'く' | 'ㄑ' | '≤' | '⟨' => '<',
            c => c.to_ascii_uppercase(),
        };
        if c.is_ascii_uppercase() || c.is_ascii_digit() || c == '<' {
            out.push(c);
        }
    }
    out
}

/// The ways to bring one line to `width` characters: unchanged when it fits; one filler
/// removed (or the last character) when one too long; one filler inserted next to a filler run
/// (or at the end) when one too short.
fn width_fits(line: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if s.len() == width && !out.contains(&s) {
            out.push(s);
        }
    };
    match line.len() {
        n if n == width => push(line.to_string()),
        n if n == width + 1 => {
            for (i, c) in line.char_indices() {
                if c == '<' {
                    push(format!("{}{}", &line[..i], &line[i + 1..]));
                }
            }
            push(line[..width].to_string());
        }
        n if n + 1 == width => {
            for (i, c) in line.char_indices() {
                if c == '<' {
                    push(format!("{}<{}", &line[..i], &line[i..]));
                }
            }
            push(format!("{line}<"));
        }
        _ => {}
    }
    out
}

/// ICAO 9303 part 3 codes of issuing states and nationalities: ISO 3166-1 alpha-3 (generated
/// from the ISO list) plus the ICAO additions (`D` Germany, `EUE`, the British `GB?` codes,
/// `RKS`, the `UN?` and `X??` codes) and `UTO`, the fictional state of the ICAO specimens.
const STATE_CODES: &str = "ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR COD COG COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE \
D EUE GBD GBN GBO GBP GBS RKS UNA UNK UNO XBA XCC XCE XCO XDC XEC XES XIM XMP XOM XPO XXA XXB XXC XXX UTO";

fn is_state_code(field: &str) -> bool {
    let code = field.trim_end_matches('<');
    !code.is_empty() && STATE_CODES.split_whitespace().any(|c| c == code)
}

/// Readings of a letter-only position: a letter or filler as is, a digit as each of its
/// confusable letters.
fn letter_readings(c: char) -> Vec<char> {
    if c.is_ascii_digit() {
        confusable(c)
            .into_iter()
            .filter(|l| l.is_ascii_uppercase())
            .collect()
    } else {
        vec![c]
    }
}

/// A state or nationality code read with digits: the one reading that is a code, if unique.
fn read_state_code(field: &str) -> Option<String> {
    if !field.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut readings = vec![String::new()];
    for c in field.chars() {
        readings = readings
            .iter()
            .flat_map(|prefix| {
                letter_readings(c)
                    .into_iter()
                    .map(move |l| format!("{prefix}{l}"))
            })
            .collect();
    }
    let codes: Vec<String> = readings.into_iter().filter(|r| is_state_code(r)).collect();
    match codes.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    }
}

/// A field's position: line index and character range.
type FieldAt = (usize, std::ops::Range<usize>);

/// Positions of the letter-only fields: the issuing state and the nationality, and the names.
fn letter_fields(layout: Layout) -> ([FieldAt; 2], FieldAt) {
    match layout {
        Layout::Td1 => ([(0, 2..5), (1, 15..18)], (2, 0..30)),
        Layout::Td2 => ([(0, 2..5), (1, 10..13)], (0, 5..36)),
        Layout::Td3 => ([(0, 2..5), (1, 10..13)], (0, 5..44)),
    }
}

/// Reads digits in letter-only fields as letters (see the module docs), in place.
fn read_letter_fields(layout: Layout, lines: &mut [String]) {
    let replace = |line: &mut String, range: std::ops::Range<usize>, with: &str| {
        line.replace_range(range, with);
    };
    // Document code: first letter one of A C I P V; "I0" is an identity card's "ID".
    let code: Vec<char> = lines[0].chars().take(2).collect();
    if code.len() == 2 && code.iter().any(char::is_ascii_digit) {
        let first: Vec<char> = letter_readings(code[0])
            .into_iter()
            .filter(|c| "ACIPV".contains(*c))
            .collect();
        let second = match (first.as_slice(), code[1]) {
            ([_], '0') => Some('D'),
            ([_], c) => match letter_readings(c).as_slice() {
                [only] => Some(*only),
                _ => None,
            },
            _ => None,
        };
        if let ([f], Some(s)) = (first.as_slice(), second) {
            replace(&mut lines[0], 0..2, &format!("{f}{s}"));
        }
    }
    let (codes, names) = letter_fields(layout);
    for (line, range) in codes {
        let field = lines.get(line).and_then(|l| l.get(range.clone()));
        if let Some(code) = field.and_then(read_state_code) {
            replace(&mut lines[line], range, &code);
        }
    }
    let (line, range) = names;
    if let Some(text) = lines.get(line).and_then(|l| l.get(range.clone())) {
        let fixed: String = text
            .chars()
            .map(|c| match letter_readings(c).as_slice() {
                [only] => *only,
                [first, ..] if c == '0' => *first,
                _ => c,
            })
            .collect();
        replace(&mut lines[line], range, &fixed);
    }
}

/// OCR confusions between a digit and a letter that the repair may undo: `(digit, letters)`.
/// Deliberately narrow (round, vertical-stroke and S/Z/B shapes in OCR-B) so that a check digit
/// separates the candidates; wider tables make most repairs ambiguous.
const CONFUSIONS: &[(char, &str)] = &[
    ('0', "OQD"),
    ('1', "I"),
    ('2', "Z"),
    ('5', "S"),
    ('6', "G"),
    ('8', "B"),
];

/// The other readings of one glyph under [`CONFUSIONS`].
fn confusable(c: char) -> Vec<char> {
    let mut out = Vec::new();
    for (digit, letters) in CONFUSIONS {
        if c == *digit {
            out.extend(letters.chars());
        } else if letters.contains(c) {
            out.push(*digit);
        }
    }
    out
}

/// Digits a check-digit glyph may stand for: itself when a digit (or the filler), else its
/// confusable digits.
fn check_digit_readings(c: char) -> Vec<char> {
    if c.is_ascii_digit() || c == '<' {
        vec![c]
    } else {
        confusable(c)
            .into_iter()
            .filter(char::is_ascii_digit)
            .collect()
    }
}

/// Whether a field value is structurally possible for its kind: dates are six digits;
/// document and personal numbers are left-justified (no filler before a character).
fn well_formed(field: &str, kind: FieldKind) -> bool {
    match kind {
        FieldKind::Date => field.len() == 6 && field.bytes().all(|b| b.is_ascii_digit()),
        _ => !field.trim_end_matches('<').contains('<'),
    }
}

/// Every reading of `field` with at most one [`CONFUSIONS`] swap that passes `check` and is
/// well formed.
fn proven_readings(field: &str, check: char, kind: FieldKind) -> Vec<String> {
    let mut hits = Vec::new();
    let chars: Vec<char> = field.chars().collect();
    let mut consider = |candidate: String| {
        if well_formed(&candidate, kind)
            && ::mrz::verify(&candidate, check)
            && !hits.contains(&candidate)
        {
            hits.push(candidate);
        }
    };
    for i in 0..chars.len() {
        for alt in confusable(chars[i]) {
            let mut c = chars.clone();
            c[i] = alt;
            consider(c.into_iter().collect());
        }
    }
    hits
}

/// Repairs, in place, each own-check-digit field that fails its check and has exactly one
/// confusable-glyph reading (field and check digit together) that passes. Returns how many
/// fields were repaired.
fn repair_checked_fields(layout: Layout, lines: &mut [String]) -> usize {
    let mut repaired = 0;
    for (line_index, range, check_pos, kind) in layout.checked_fields() {
        let line = &lines[*line_index];
        let field = &line[range.clone()];
        let check = line.as_bytes()[*check_pos] as char;
        if check == '<' && *kind == FieldKind::DocumentNumber {
            // TD1/TD2 long document number: the real check digit is in the optional data.
            continue;
        }
        if check.is_ascii_digit() && ::mrz::verify(field, check) {
            continue;
        }
        let mut proven: Vec<(String, char)> = Vec::new();
        for reading in check_digit_readings(check) {
            if reading != check {
                // The check digit itself was misread: the field must verify as read.
                if well_formed(field, *kind) && ::mrz::verify(field, reading) {
                    proven.push((field.to_string(), reading));
                }
            } else {
                for fixed in proven_readings(field, reading, *kind) {
                    proven.push((fixed, reading));
                }
            }
        }
        if let [(fixed, reading)] = proven.as_slice() {
            let mut new_line = String::with_capacity(line.len());
            new_line.push_str(&line[..range.start]);
            new_line.push_str(fixed);
            new_line.push_str(&line[range.end..*check_pos]);
            new_line.push(*reading);
            new_line.push_str(&line[*check_pos + 1..]);
            lines[*line_index] = new_line;
            repaired += 1;
        }
    }
    repaired
}

/// A parsed reading and how good it is.
struct Reading {
    layout: Layout,
    lines: Vec<String>,
    data: MrzData,
}

impl Reading {
    /// Ranks readings: all checks valid first, then more verified check digits, then fewer
    /// repairs (encoded by the caller's order: earlier wins ties).
    fn score(&self) -> (bool, u8) {
        (self.data.checks.all_valid(), self.data.checks.verified())
    }
}

/// Parses normalised lines of a known layout, trying width fits and proven repairs, and
/// returns the best reading.
fn best_reading(layout: Layout, lines: &[String]) -> Option<Reading> {
    let fits: Vec<Vec<String>> = lines
        .iter()
        .map(|l| width_fits(l, layout.width()))
        .collect();
    if fits.iter().any(Vec::is_empty) {
        return None;
    }
    let mut best: Option<Reading> = None;
    let total: usize = fits.iter().map(Vec::len).product();
    for combo in 0..total.min(512) {
        let mut rest = combo;
        let mut candidate: Vec<String> = Vec::with_capacity(fits.len());
        for options in &fits {
            candidate.push(options[rest % options.len()].clone());
            rest /= options.len();
        }
        read_letter_fields(layout, &mut candidate);
        repair_checked_fields(layout, &mut candidate);
        let Some(data) = layout.parse(&candidate) else {
            continue;
        };
        let reading = Reading {
            layout,
            lines: candidate,
            data,
        };
        if best.as_ref().is_none_or(|b| reading.score() > b.score()) {
            best = Some(reading);
        }
    }
    best
}

/// Parses the lines of one MRZ (TD1: 3 lines of 30; TD2: 2 of 36; TD3: 2 of 44) as read by
/// OCR. Text is normalised first ([`normalize_mrz_text`]); a line one character too long or
/// too short is fitted by removing or inserting a filler. Misreads in check-digit-protected
/// fields are repaired only where the check digit proves the repair (see the module docs).
///
/// Returns `None` when the lines do not have an MRZ shape or do not parse (bad document code,
/// a document number starting with a filler). A parse whose check digits fail is returned with
/// `check_digit_valid: Some(false)` on those fields and `all_checks_valid: false`. The
/// returned `quad` is all zeros; [`read_mrz`] fills it.
pub fn parse_mrz_lines(lines: &[&str]) -> Option<Mrz> {
    let normalized: Vec<String> = lines
        .iter()
        .map(|l| normalize_mrz_text(l))
        .filter(|l| !l.is_empty())
        .collect();
    let layout = Layout::detect(&normalized)?;
    let reading = best_reading(layout, &normalized)?;
    Some(to_api(&reading, Quad::default()))
}

/// Maps a reading to the plugin API's [`Mrz`].
fn to_api(reading: &Reading, quad: Quad) -> Mrz {
    let data = &reading.data;
    let checks = &data.checks;
    let lines = &reading.lines;
    let field = |name: &str, value: &str, check: Option<bool>| MrzField {
        name: RString::from(name),
        value: RString::from(value),
        check_digit_valid: match check {
            Some(valid) => ROption::RSome(valid),
            None => ROption::RNone,
        },
    };
    let [birth, expiry] = reading.layout.date_ranges();
    let raw_date = |(line, range): (usize, std::ops::Range<usize>)| {
        lines[line][range].trim_end_matches('<').to_string()
    };
    let sex = match data.sex.zone_char() {
        '<' => String::new(),
        c => c.to_string(),
    };
    let mut fields = vec![
        field("document_code", &data.document_type, None),
        field("issuing_state", &data.issuing_country, None),
        field(
            "document_number",
            data.full_document_number(),
            checks.document_number,
        ),
        field(
            "optional_data",
            data.optional_data_1.as_deref().unwrap_or(""),
            checks.personal_number,
        ),
        field("birth_date", &raw_date(birth), checks.date_of_birth),
        field("sex", &sex, None),
        field("expiry_date", &raw_date(expiry), checks.date_of_expiry),
        field("nationality", &data.nationality, None),
    ];
    if reading.layout == Layout::Td1 {
        fields.push(field(
            "optional_data_2",
            data.optional_data_2.as_deref().unwrap_or(""),
            None,
        ));
    }
    fields.push(field("surname", &data.surname, None));
    fields.push(field("given_names", &data.given_names, None));
    Mrz {
        format: RString::from(reading.layout.name()),
        lines: lines.iter().map(|l| RString::from(l.as_str())).collect(),
        fields: RVec::from(fields),
        all_checks_valid: checks.all_valid(),
        quad,
    }
}

/// One physical row of text: pieces on the same row joined left to right.
struct Row {
    text: String,
    quad: Quad,
}

/// The lines' common lean in radians within (-pi/2, pi/2] (0: level), each line voting with its
/// length on doubled angles so that opposite reading directions agree.
fn common_lean(lines: &[&TextLine]) -> f32 {
    let (mut x, mut y) = (0.0f32, 0.0f32);
    for line in lines {
        let [a, b, c, d] = line.quad.points;
        let length = |p: Point, q: Point| (q.x - p.x).hypot(q.y - p.y);
        // The quad's longer pair of sides runs along the line.
        let (from, to) = if length(a, b) + length(d, c) >= length(b, c) + length(a, d) {
            (a, b)
        } else {
            (b, c)
        };
        let (long, angle) = (length(from, to), (to.y - from.y).atan2(to.x - from.x));
        x += long * (2.0 * angle).cos();
        y += long * (2.0 * angle).sin();
    }
    if x.hypot(y) == 0.0 {
        0.0
    } else {
        y.atan2(x) / 2.0
    }
}

/// A line's extent in levelled coordinates: (left, top, right, bottom).
type Bounds = (f32, f32, f32, f32);

/// A line's extent in coordinates turned back by `lean`.
fn levelled_bounds(quad: &Quad, lean: f32) -> Bounds {
    let (sin, cos) = lean.sin_cos();
    quad.points.iter().fold(
        (f32::MAX, f32::MAX, f32::MIN, f32::MIN),
        |(x0, y0, x1, y1), p| {
            let (x, y) = (p.x * cos + p.y * sin, -p.x * sin + p.y * cos);
            (x0.min(x), y0.min(y), x1.max(x), y1.max(y))
        },
    )
}

/// Groups recognised lines into rows (top to bottom) and joins the pieces of each row.
///
/// Rows are grouped in coordinates turned back by the lines' common lean: the axis-aligned
/// boxes of rows leaning ~30 degrees overlap vertically and would merge into one row.
fn rows(lines: &[TextLine]) -> Vec<Row> {
    let kept: Vec<&TextLine> = lines.iter().filter(|l| !l.text.trim().is_empty()).collect();
    let lean = common_lean(&kept);
    let mut sorted: Vec<(&TextLine, Bounds)> = kept
        .into_iter()
        .map(|line| (line, levelled_bounds(&line.quad, lean)))
        .collect();
    sorted.sort_by(|a, b| (a.1 .1 + a.1 .3).total_cmp(&(b.1 .1 + b.1 .3)));
    let mut rows: Vec<Vec<(&TextLine, Bounds)>> = Vec::new();
    for (line, bounds) in sorted {
        let (_, top, _, bottom) = bounds;
        let same_row = rows.last().is_some_and(|row| {
            let (_, row_top, _, row_bottom) = row[0].1;
            let overlap = row_bottom.min(bottom) - row_top.max(top);
            overlap > 0.5 * (row_bottom - row_top).min(bottom - top)
        });
        if same_row {
            rows.last_mut().expect("checked").push((line, bounds));
        } else {
            rows.push(vec![(line, bounds)]);
        }
    }
    rows.into_iter()
        .map(|mut row| {
            row.sort_by(|a, b| a.1 .0.total_cmp(&b.1 .0));
            let text: String = row
                .iter()
                .map(|(l, _)| l.text.as_str())
                .collect::<Vec<_>>()
                .join("");
            let first = row[0].0.quad.points;
            let last = row[row.len() - 1].0.quad.points;
            Row {
                text,
                quad: Quad {
                    points: [first[0], last[1], last[2], first[3]],
                },
            }
        })
        .collect()
}

/// Whether a normalised row could be an MRZ line of some layout.
fn mrz_like(normalized: &str) -> bool {
    (29..=45).contains(&normalized.len()) && normalized.contains('<')
}

/// The quad spanning the first row's top edge and the last row's bottom edge.
fn zone_quad(first: Quad, last: Quad) -> Quad {
    let (a, b) = (first.points, last.points);
    Quad {
        points: [a[0], a[1], b[2], b[3]],
    }
}

/// Finds and parses an MRZ among the recognised lines of one image.
///
/// Lines are grouped into rows; consecutive MRZ-shaped rows (2 or 3, by layout) are parsed with
/// [`parse_mrz_lines`]'s rules. The best window's rows are then re-read, all at once, with
/// `rerecognize` (the caller passes a closure recognising each quad with `Charset::MRZ`, one
/// line per quad in order, so it can run them side by side), and every
/// mix of first reading and re-reading is parsed; the reading with all checks valid and the most
/// verified check digits wins, preferring re-read lines on ties.
///
/// Returns `None` when no MRZ-shaped rows parse.
///
/// When the rows read top to bottom give no MRZ, they are tried bottom to top with their quads
/// turned half round: on an upside-down document the classifier turns each row upright, so the
/// rows read well but come in reverse order.
pub fn read_mrz(lines: &[TextLine], rerecognize: &dyn Fn(&[Quad]) -> Vec<TextLine>) -> Option<Mrz> {
    let rows = rows(lines);
    read_mrz_rows(&rows, rerecognize).or_else(|| {
        let turned: Vec<Row> = rows
            .iter()
            .rev()
            .map(|row| {
                let [a, b, c, d] = row.quad.points;
                Row {
                    text: row.text.clone(),
                    quad: Quad {
                        points: [c, d, a, b],
                    },
                }
            })
            .collect();
        read_mrz_rows(&turned, rerecognize)
    })
}

/// [`read_mrz`] over rows in reading order.
fn read_mrz_rows(rows: &[Row], rerecognize: &dyn Fn(&[Quad]) -> Vec<TextLine>) -> Option<Mrz> {
    let normalized: Vec<String> = rows.iter().map(|r| normalize_mrz_text(&r.text)).collect();
    // Best window over the first reading: (score, start, layout).
    let mut best: Option<((bool, u8), usize, Layout)> = None;
    // The lowest MRZ-shaped window, re-read even when its first reading does not parse (e.g. a
    // document code misread as a digit).
    let mut shaped: Option<(usize, Layout)> = None;
    for layout in [Layout::Td1, Layout::Td2, Layout::Td3] {
        let n = layout.line_count();
        for start in 0..normalized.len().saturating_sub(n - 1) {
            let window = &normalized[start..start + n];
            if !window.iter().all(|l| mrz_like(l)) || Layout::detect(window) != Some(layout) {
                continue;
            }
            if shaped.is_none_or(|(s, _)| start >= s) {
                shaped = Some((start, layout));
            }
            if let Some(reading) = best_reading(layout, window) {
                let score = reading.score();
                // Later (lower on the page) windows win ties: the MRZ is at the bottom.
                if best.is_none_or(|(s, _, _)| score >= s) {
                    best = Some((score, start, layout));
                }
            }
        }
    }
    let (start, layout) = match best {
        Some((_, start, layout)) => (start, layout),
        None => shaped?,
    };
    let n = layout.line_count();
    let window_rows = &rows[start..start + n];
    let first: Vec<String> = normalized[start..start + n].to_vec();
    let quads: Vec<Quad> = window_rows.iter().map(|row| row.quad).collect();
    let mut reread: Vec<String> = rerecognize(&quads)
        .iter()
        .map(|line| normalize_mrz_text(&line.text))
        .collect();
    reread.resize(n, String::new());
    // Every mix of first reading and re-reading, re-read lines first so they win ties.
    let mut chosen: Option<Reading> = None;
    for mask in (0..(1u32 << n)).rev() {
        let candidate: Vec<String> = (0..n)
            .map(|i| {
                if mask & (1 << i) != 0 {
                    reread[i].clone()
                } else {
                    first[i].clone()
                }
            })
            .collect();
        if Layout::detect(&candidate) != Some(layout) {
            continue;
        }
        if let Some(reading) = best_reading(layout, &candidate) {
            if chosen.as_ref().is_none_or(|c| reading.score() > c.score()) {
                chosen = Some(reading);
            }
        }
    }
    let chosen = chosen?;
    let quad = zone_quad(window_rows[0].quad, window_rows[n - 1].quad);
    Some(to_api(&chosen, quad))
}

#[cfg(test)]
mod tests {

    const TD1_ROWS: [&str; 3] = [
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ];

    /// A 560x30 row turned by `lean` degrees about (400, 400), `offset` px down its normal.
    fn leaning_row(text: &str, lean: f32, offset: f32) -> TextLine {
        let (sin, cos) = lean.to_radians().sin_cos();
        let place = |u: f32, v: f32| Point {
            x: 400.0 + u * cos - (v + offset) * sin,
            y: 400.0 + u * sin + (v + offset) * cos,
        };
        TextLine {
            text: text.into(),
            confidence: 0.9,
            quad: Quad {
                points: [
                    place(-280.0, -15.0),
                    place(280.0, -15.0),
                    place(280.0, 15.0),
                    place(-280.0, 15.0),
                ],
            },
            script: kycd_plugin_api::Script::LATIN,
        }
    }

    fn unreadable(quad: Quad) -> TextLine {
        TextLine {
            text: "".into(),
            confidence: 0.0,
            quad,
            script: kycd_plugin_api::Script::LATIN,
        }
    }

    #[test]
    fn rows_leaning_thirty_degrees_stay_apart() {
        for lean in [-30.0f32, 30.0] {
            let lines: Vec<TextLine> = TD1_ROWS
                .iter()
                .enumerate()
                .map(|(i, text)| leaning_row(text, lean, 45.0 * i as f32))
                .collect();
            assert_eq!(rows(&lines).len(), 3, "lean {lean}");
            let mrz = read_mrz(&lines, &|quads: &[Quad]| {
                quads.iter().map(|q| unreadable(*q)).collect()
            })
            .expect("leaning TD1 parses");
            assert!(mrz.all_checks_valid, "lean {lean}");
            assert_eq!(mrz.field("surname").unwrap().value.as_str(), "ERIKSSON");
        }
    }

    #[test]
    fn an_upside_down_zone_reads_bottom_to_top() {
        // Half a turn: the first row is the lowest on the image, its quad turned with it.
        let lines: Vec<TextLine> = TD1_ROWS
            .iter()
            .enumerate()
            .map(|(i, text)| leaning_row(text, 180.0, 45.0 * i as f32))
            .collect();
        let mrz = read_mrz(&lines, &|quads: &[Quad]| {
            quads.iter().map(|q| unreadable(*q)).collect()
        })
        .expect("upside-down TD1 parses");
        assert!(mrz.all_checks_valid);
        assert_eq!(
            mrz.field("document_number").unwrap().value.as_str(),
            "D23145890"
        );
    }

    #[test]
    fn digits_in_letter_only_fields_read_as_the_one_possible_letter() {
        let td3 = parse_mrz_lines(&[
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UT07408122F1204159ZE184226B<<<<<10",
        ])
        .unwrap();
        assert_eq!(td3.field("nationality").unwrap().value.as_str(), "UTO");
        assert!(td3.all_checks_valid);
        // A German ID card back whose "IDD" was read "100", and a surname with a 0 for an O.
        let de = parse_mrz_lines(&[
            "100<<T220001293<<<<<<<<<<<<<<<",
            "6408125<2010315D<<<<<<<<<<<<<4",
            "MUSTERMANN<<ERIKA<<<<<<<<<<<<<",
        ])
        .unwrap();
        assert_eq!(de.field("document_code").unwrap().value.as_str(), "ID");
        assert_eq!(de.field("issuing_state").unwrap().value.as_str(), "D");
        let names = parse_mrz_lines(&[
            "IDD<<T220001293<<<<<<<<<<<<<<<",
            "6408125<2010315D<<<<<<<<<<<<<4",
            "MUSTERMANN<<ER1KA<<<<<<<<<<<<<",
        ])
        .unwrap();
        assert_eq!(names.field("given_names").unwrap().value.as_str(), "ERIKA");
        // A code that stays ambiguous is left as read.
        assert_eq!(read_state_code("0<<"), Some("D<<".to_string()));
        assert_eq!(read_state_code("DEU"), None);
    }

    use super::*;

    #[test]
    fn normalization_maps_lookalikes_and_drops_noise() {
        assert_eq!(
            normalize_mrz_text("p<uto eriksson«‹ANNA く"),
            "P<UTOERIKSSON<<ANNA<"
        );
    }

    #[test]
    fn width_fit_pads_and_trims_fillers() {
        assert!(width_fits("AB<<C", 4).contains(&"AB<C".to_string()));
        assert!(width_fits("AB<C", 5).contains(&"AB<<C".to_string()));
        assert!(width_fits("ABC", 5).is_empty());
    }
}
