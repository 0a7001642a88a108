//! Finding the e-KTP's rows on a page of recognised lines: the two header lines and the
//! label/colon/value rows. Values come back as read (leading colon removed); [`crate::fields`]
//! cleans and validates them.

use kycd_plugin_api::prelude::*;
use kycd_plugin_api::text::normalize;

/// The labelled rows of the card, in printed order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Label {
    /// `NIK`.
    Nik,
    /// `Nama`.
    Name,
    /// `Tempat/Tgl Lahir`.
    BirthPlaceDate,
    /// `Jenis Kelamin` (the row also carries `Gol. Darah`).
    Gender,
    /// `Alamat`.
    Address,
    /// `RT/RW`.
    RtRw,
    /// `Kel/Desa`.
    Village,
    /// `Kecamatan`.
    District,
    /// `Agama`.
    Religion,
    /// `Status Perkawinan`.
    Marital,
    /// `Pekerjaan`.
    Work,
    /// `Kewarganegaraan`.
    Nationality,
    /// `Berlaku Hingga`.
    ValidUntil,
}

/// Each label with the spellings it is printed in (normalised by [`normalize`]).
const LABELS: [(Label, &[&str]); 13] = [
    (Label::Nik, &["nik"]),
    (Label::Name, &["nama"]),
    (
        Label::BirthPlaceDate,
        &["tempat tgl lahir", "tempat tanggal lahir", "tempat lahir"],
    ),
    // A two-word label whose faint first word was lost is known by its second.
    (Label::Gender, &["jenis kelamin", "kelamin"]),
    (Label::Address, &["alamat"]),
    // The slash is often read as `I`.
    (Label::RtRw, &["rt rw", "rtirw"]),
    (Label::Village, &["kel desa"]),
    (Label::District, &["kecamatan"]),
    (Label::Religion, &["agama"]),
    (Label::Marital, &["status perkawinan", "perkawinan"]),
    (Label::Work, &["pekerjaan"]),
    (Label::Nationality, &["kewarganegaraan"]),
    (Label::ValidUntil, &["berlaku hingga"]),
];

/// A label's row number on the card (`NIK` 0, `Nama` 1, … `Berlaku Hingga` 12).
fn row_number(label: Label) -> usize {
    LABELS.iter().position(|(l, _)| *l == label).unwrap_or(0)
}

/// Where the card's rows lie on the page, from the labels that were read: the rows under the
/// NIK are evenly spaced, so a line's middle says its row when its label was lost (small grey
/// labels fade on a blurred or glared photo while the black values stay legible).
#[derive(Clone, Copy, Debug, PartialEq)]
struct RowRuler {
    /// Middle of row 0 (extrapolated: the NIK row itself is printed larger).
    origin: f32,
    /// Distance between two rows' middles.
    pitch: f32,
}

impl RowRuler {
    /// Fits the rows to the middles of the labels read under the NIK (`(row number, middle)`):
    /// of the spacings any two labels give, the one most labels agree with (within a third of
    /// a row), then a least-squares fit to those labels. `None` with fewer than two labels
    /// agreeing, or a spacing unlike a line height (`line_height`: the median height of the
    /// page's value lines), which a label read in the wrong place gives.
    fn fit(rows: &[(usize, f32)], line_height: f32) -> Option<RowRuler> {
        let agreeing = |ruler: RowRuler| -> Vec<(usize, f32)> {
            rows.iter()
                .copied()
                .filter(|&(k, y)| (ruler.middle(k) - y).abs() <= ruler.pitch.abs() / 3.0)
                .collect()
        };
        let mut best: Option<Vec<(usize, f32)>> = None;
        for (i, a) in rows.iter().enumerate() {
            for b in &rows[i + 1..] {
                let Some(pair) = RowRuler::least_squares(&[*a, *b]) else {
                    continue;
                };
                let kept = agreeing(pair);
                if best.as_ref().is_none_or(|best| kept.len() > best.len()) {
                    best = Some(kept);
                }
            }
        }
        let ruler = RowRuler::least_squares(&best?)?;
        let plausible = (0.6 * line_height..=1.6 * line_height).contains(&ruler.pitch);
        plausible.then_some(ruler)
    }

    /// The line through the points; `None` for fewer than two rows.
    fn least_squares(points: &[(usize, f32)]) -> Option<RowRuler> {
        let n = points.len() as f32;
        let mean_k = points.iter().map(|p| p.0 as f32).sum::<f32>() / n;
        let mean_y = points.iter().map(|p| p.1).sum::<f32>() / n;
        let spread: f32 = points.iter().map(|p| (p.0 as f32 - mean_k).powi(2)).sum();
        if spread <= 0.0 {
            return None;
        }
        let pitch = points
            .iter()
            .map(|p| (p.0 as f32 - mean_k) * (p.1 - mean_y))
            .sum::<f32>()
            / spread;
        Some(RowRuler {
            origin: mean_y - pitch * mean_k,
            pitch,
        })
    }

    fn middle(self, row: usize) -> f32 {
        self.origin + self.pitch * row as f32
    }

    /// The row a line's middle falls in, when it falls within a third of a row of one.
    fn row_at(self, middle: f32) -> Option<usize> {
        let k = ((middle - self.origin) / self.pitch).round();
        let near = (self.middle(k.max(0.0) as usize) - middle).abs() <= self.pitch / 3.0;
        (k >= 1.0 && (k as usize) < LABELS.len() && near).then_some(k as usize)
    }
}

/// A value as read: text, recogniser confidence, where it is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Read {
    /// The text, trimmed, leading colon removed.
    pub text: String,
    /// The lowest confidence of the lines it was built from.
    pub confidence: f32,
    /// The quad of the line holding the value, when the value is a line of its own (not merged
    /// with its label).
    pub own_quad: Option<Quad>,
}

/// The name when its small `Nama` label was lost (glare on a photo): the value right under the
/// NIK row (its middle within a line and a half of the NIK row's bottom), a line of letters in
/// the value column that joined no label's row. `None` when the label was read, or no such line
/// is there.
fn nameless_value(
    lines: &[Line],
    labels: &[(Label, usize, usize)],
    assigned: &[Vec<usize>],
    label_column: f32,
    photo_column: f32,
) -> Option<usize> {
    if labels.iter().any(|(l, _, _)| *l == Label::Name) {
        return None;
    }
    let nik = &lines[labels.iter().find(|(l, _, _)| *l == Label::Nik)?.1];
    let taken = |i: usize| {
        labels.iter().any(|(_, l, _)| *l == i) || assigned.iter().flatten().any(|&a| a == i)
    };
    let h = nik.height();
    (0..lines.len())
        .filter(|&i| !taken(i))
        .filter(|&i| {
            let l = &lines[i];
            l.left > label_column
                && l.left < photo_column
                && l.top > nik.middle()
                && l.middle() < nik.bottom + 1.5 * h
                && l.text.chars().any(char::is_alphabetic)
                && l.text
                    .chars()
                    .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | ',' | '\'' | '-'))
        })
        .min_by(|&a, &b| lines[a].top.total_cmp(&lines[b].top))
}

/// A row's value: the text merged into its label's line (`inline`, if any), then the value
/// lines left to right. A bare colon read as a line of its own belongs to nothing; the blood
/// group belongs to no field but the gender row's (the fields split it off).
fn row_read(
    lines: &[Line],
    label: Label,
    inline: Vec<(String, f32)>,
    mut values: Vec<usize>,
) -> Read {
    let mut parts = inline;
    let mut own_quad = None;
    values.sort_by(|a, b| lines[*a].left.total_cmp(&lines[*b].left));
    for i in values {
        let text = strip_leading_separators(&lines[i].text);
        if text.is_empty() || (label != Label::Gender && is_blood_group(text)) {
            continue;
        }
        if parts.is_empty() {
            own_quad = Some(lines[i].quad);
        }
        parts.push((text.to_string(), lines[i].confidence));
    }
    Read {
        text: parts
            .iter()
            .map(|p| p.0.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        confidence: parts.iter().map(|p| p.1).fold(1.0, f32::min),
        own_quad: if parts.len() == 1 { own_quad } else { None },
    }
}

/// The rows whose label was lost, found by where their values stand ([`RowRuler`], fitted to
/// the labels that were read): each value-column line no label took goes to the row its
/// middle falls in, when that row's label was not read. Empty with fewer than two labels
/// under the NIK to measure the rows by.
fn rows_by_ruler(
    lines: &[Line],
    labels: &[(Label, usize, usize)],
    assigned: &[Vec<usize>],
    name_lost: Option<usize>,
    label_column: f32,
    photo_column: f32,
) -> Vec<(Label, Vec<usize>)> {
    let read_rows: Vec<(usize, f32)> = labels
        .iter()
        .filter(|(l, _, _)| *l != Label::Nik)
        .map(|(l, i, _)| (row_number(*l), lines[*i].middle()))
        .collect();
    let taken = |i: usize| {
        name_lost == Some(i)
            || labels.iter().any(|(_, l, _)| *l == i)
            || assigned.iter().flatten().any(|&a| a == i)
    };
    let free: Vec<usize> = (0..lines.len())
        .filter(|&i| !taken(i) && lines[i].left > label_column && lines[i].left < photo_column)
        .collect();
    let mut heights: Vec<f32> = free.iter().map(|&i| lines[i].height()).collect();
    heights.sort_by(f32::total_cmp);
    let Some(&line_height) = heights.get(heights.len() / 2) else {
        return Vec::new();
    };
    let Some(ruler) = RowRuler::fit(&read_rows, line_height) else {
        return Vec::new();
    };
    let mut rows: Vec<(Label, Vec<usize>)> = Vec::new();
    for i in free {
        let Some(k) = ruler.row_at(lines[i].middle()) else {
            continue;
        };
        let label = LABELS[k].0;
        let known = labels.iter().any(|(l, _, _)| *l == label)
            || (label == Label::Name && name_lost.is_some());
        if known {
            continue;
        }
        match rows.iter_mut().find(|(l, _)| *l == label) {
            Some((_, values)) => values.push(i),
            None => rows.push((label, vec![i])),
        }
    }
    rows
}

/// What was found of a KTP on a page.
#[derive(Clone, Debug, Default)]
pub struct KtpText {
    /// The header `PROVINSI …` without the word `PROVINSI`.
    pub province: Option<Read>,
    /// The second header line (regency or city), as printed.
    pub city: Option<Read>,
    rows: Vec<(Label, Read)>,
}

/// Characters that separate a label from its value (OCR reads the colon several ways).
fn is_colon(c: char) -> bool {
    matches!(c, ':' | '：' | ';' | '∶' | '꞉')
}

/// Removes separators and stray punctuation at the start of a value.
pub fn strip_leading_separators(text: &str) -> &str {
    text.trim_start_matches(|c: char| {
        is_colon(c) || c.is_whitespace() || matches!(c, '.' | ',' | '\'' | '"' | '|' | '!' | 'ː')
    })
    .trim_end()
}

/// Whether a line is the `Gol. Darah` (blood group) entry of the gender row.
fn is_blood_group(text: &str) -> bool {
    let normalized = normalize(text);
    normalized.starts_with("gol") || normalized.contains("darah")
}

/// How well `text` (normalised) starts with `label` (normalised): 1.0 exact, 0.0 unrelated.
/// Compares the label against the same number of leading words of `text`.
fn label_score(text: &str, label: &str) -> (f64, usize) {
    let words: Vec<&str> = text.split(' ').collect();
    let wanted = label.split(' ').count();
    let mut best = (0.0, 0);
    // The label may be read as one word more or less (a slash read as a letter, a split word).
    for take in wanted.saturating_sub(1).max(1)..=(wanted + 1).min(words.len()) {
        let head = words[..take].join(" ");
        let score = strsim::normalized_levenshtein(&head, label);
        if score > best.0 {
            best = (score, take);
        }
    }
    best
}

/// The best-matching label for the start of a line, its score and how many words it took.
fn match_label(text: &str) -> Option<(Label, f64, usize)> {
    let normalized = normalize(text);
    if normalized.is_empty() {
        return None;
    }
    let mut best: Option<(Label, f64, usize)> = None;
    for (label, spellings) in LABELS {
        for spelling in spellings {
            let (score, words) = label_score(&normalized, spelling);
            // Short labels (NIK, Nama) must be read exactly or nearly so.
            let needed = if spelling.len() <= 4 { 0.74 } else { 0.7 };
            if score >= needed && best.is_none_or(|b| score > b.1) {
                best = Some((label, score, words));
            }
        }
    }
    best.or_else(|| match_label_tail(&normalized))
}

/// Letters a long label's read must keep, at its end, to be known by them.
const LABEL_TAIL: usize = 7;

/// A long label whose beginning the detector's box cut off (`anegaraan` for
/// `Kewarganegaraan`, glare on the card's left edge): the line is one word that is, nearly,
/// the last letters of a long label. Scored below any whole label.
fn match_label_tail(normalized: &str) -> Option<(Label, f64, usize)> {
    let letters = normalized.chars().count();
    if letters < LABEL_TAIL || normalized.contains(' ') {
        return None;
    }
    let mut best: Option<(Label, f64, usize)> = None;
    for (label, spellings) in LABELS {
        for spelling in spellings.iter().filter(|s| s.len() >= 2 * LABEL_TAIL) {
            let chars: Vec<char> = spelling.chars().collect();
            if letters >= chars.len() {
                continue;
            }
            let tail: String = chars[chars.len() - letters..].iter().collect();
            let score = strsim::normalized_levenshtein(normalized, &tail);
            if score >= 0.85 && best.is_none_or(|b| score * 0.5 > b.1) {
                best = Some((label, score * 0.5, 1));
            }
        }
    }
    best
}

impl KtpText {
    /// Finds the KTP's rows; `None` unless the page has the NIK label or the `PROVINSI` header
    /// and at least three other KTP rows ([`KtpText::is_ktp`]).
    pub fn find(page: &Page) -> Option<KtpText> {
        Some(KtpText::find_any(page)).filter(KtpText::is_ktp)
    }

    /// Whatever rows and header lines the page shows, KTP or not.
    pub fn find_any(page: &Page) -> KtpText {
        let lines = page.lines();
        let left_edge = lines.iter().map(|l| l.left).fold(f32::MAX, f32::min);
        let right_edge = lines.iter().map(|l| l.right).fold(f32::MIN, f32::max);
        let span = (right_edge - left_edge).max(1.0);
        // Labels sit in the left column; the place/date of issue under the photo, right.
        let label_column = left_edge + 0.2 * span;
        let photo_column = left_edge + 0.68 * span;

        // Pass 1: the label lines (each label once, the first in reading order).
        let mut labels: Vec<(Label, usize, usize)> = Vec::new(); // label, line index, words
        for (index, line) in lines.iter().enumerate() {
            if line.left > label_column {
                continue;
            }
            if let Some((label, _, words)) = match_label(&line.text) {
                if !labels.iter().any(|(l, _, _)| *l == label) {
                    labels.push((label, index, words));
                }
            }
        }
        // Pass 2: every other line in the value column goes to the label row it shares most
        // with (rows crowd together on a photo taken at an angle).
        let mut assigned: Vec<Vec<usize>> = vec![Vec::new(); labels.len()];
        for (index, line) in lines.iter().enumerate() {
            if line.left >= photo_column || labels.iter().any(|(_, i, _)| *i == index) {
                continue;
            }
            let nearest = labels
                .iter()
                .enumerate()
                .filter(|(_, (_, i, _))| {
                    let label = &lines[*i];
                    line.same_row(label) && line.left >= label.right - label.height() * 0.5
                })
                .min_by(|a, b| {
                    let distance = |i: usize| (lines[i].middle() - line.middle()).abs();
                    distance(a.1 .1).total_cmp(&distance(b.1 .1))
                });
            if let Some((slot, _)) = nearest {
                assigned[slot].push(index);
            }
        }
        let name_lost = nameless_value(lines, &labels, &assigned, label_column, photo_column);
        let unlabelled = rows_by_ruler(
            lines,
            &labels,
            &assigned,
            name_lost,
            label_column,
            photo_column,
        );
        let mut found = KtpText::default();
        for ((label, index, words), values) in labels.into_iter().zip(assigned) {
            let line = &lines[index];
            let mut parts: Vec<(String, f32)> = Vec::new();
            // The value merged into the label's line: after the colon, or after the label words.
            let inline = match line.text.find(is_colon) {
                Some(at) => line.text[at..].to_string(),
                None => line
                    .text
                    .split_whitespace()
                    .skip(words)
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            let inline = strip_leading_separators(&inline);
            if !inline.is_empty() {
                parts.push((inline.to_string(), line.confidence));
            }
            found
                .rows
                .push((label, row_read(lines, label, parts, values)));
        }
        for (label, values) in unlabelled {
            found
                .rows
                .push((label, row_read(lines, label, Vec::new(), values)));
        }

        if let Some(index) = name_lost {
            let line = &lines[index];
            found.rows.push((
                Label::Name,
                Read {
                    text: strip_leading_separators(&line.text).to_string(),
                    confidence: line.confidence,
                    own_quad: Some(line.quad),
                },
            ));
        }
        found.find_header(lines);
        found
    }

    /// Whether the page shows the card's anchor: the NIK row or the `PROVINSI` header.
    pub fn is_anchored(&self) -> bool {
        self.row(Label::Nik).is_some() || self.province.is_some()
    }

    /// Whether enough was found to call the page a KTP: the anchor and three other rows.
    pub fn is_ktp(&self) -> bool {
        let others = self.rows.iter().filter(|(l, _)| *l != Label::Nik).count();
        self.is_anchored() && others >= 3
    }

    /// Finds `PROVINSI …` above the NIK row, and the regency/city line under it.
    fn find_header(&mut self, lines: &[Line]) {
        let nik_top = self.row_line_top(lines);
        let Some((index, province_line)) = lines.iter().enumerate().find(|(_, l)| {
            let normalized = normalize(&l.text);
            let first = normalized.split(' ').next().unwrap_or("");
            strsim::normalized_levenshtein(first, "provinsi") >= 0.75
                && nik_top.is_none_or(|top| l.bottom <= top + l.height() * 0.5)
        }) else {
            return;
        };
        let rest: String = province_line
            .text
            .split_whitespace()
            .skip(1)
            .collect::<Vec<_>>()
            .join(" ");
        self.province = Some(Read {
            text: strip_leading_separators(&rest).to_string(),
            confidence: province_line.confidence,
            own_quad: None,
        });
        let limit = province_line.bottom + province_line.height() * 2.5;
        let city = lines.iter().skip(index + 1).find(|l| {
            !l.same_row(province_line)
                && l.top >= province_line.middle()
                && l.top <= limit
                && l.horizontal_overlap(province_line) > 0.0
                && nik_top.is_none_or(|top| l.bottom <= top + l.height() * 0.5)
        });
        self.city = city.map(|l| Read {
            text: l.text.clone(),
            confidence: l.confidence,
            own_quad: Some(l.quad),
        });
    }

    /// Top of the NIK label's line, if the NIK row was found.
    fn row_line_top(&self, lines: &[Line]) -> Option<f32> {
        self.row(Label::Nik)?;
        lines
            .iter()
            .find(|l| matches!(match_label(&l.text), Some((Label::Nik, _, _))))
            .map(|l| l.top)
    }

    /// The value read for a label.
    pub fn row(&self, label: Label) -> Option<&Read> {
        self.rows.iter().find(|(l, _)| *l == label).map(|(_, r)| r)
    }

    /// The quad of the NIK value when it is a line of its own (for a digits-only re-read).
    pub fn nik_value_quad(&self) -> Option<Quad> {
        self.row(Label::Nik).and_then(|r| r.own_quad)
    }

    /// How many labelled rows were found.
    pub fn rows_found(&self) -> usize {
        self.rows.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kycd_plugin_api::{Rect, TextLine};

    fn line(text: &str, x: f32, y: f32, w: f32) -> TextLine {
        TextLine::latin(text, Rect::new(x, y, w, 30.0), 0.95)
    }

    fn sample() -> Vec<TextLine> {
        vec![
            line("PROVINSI JAWA BARAT", 352.0, 42.0, 356.0),
            line("KABUPATEN BOGOR", 366.0, 78.0, 326.0),
            line("NIK", 56.0, 127.0, 86.0),
            line(":3201011311844671", 172.0, 125.0, 496.0),
            line("Nama", 57.0, 181.0, 72.0),
            line(": ANDI HANDAYANI", 268.0, 181.0, 211.0),
            line("Tempat/Tgl Lahir", 60.0, 218.0, 173.0),
            line("： SEMARANG, 13-11-1984", 267.0, 216.0, 277.0),
            line("Jenis Kelamin : LAKI-LAKI", 58.0, 254.0, 340.0),
            line("Gol. Darah : -", 541.0, 254.0, 141.0),
            line("Agama", 57.0, 432.0, 85.0),
            line(": ISLAM", 268.0, 432.0, 95.0),
            line("KABUPATEN BOGOR", 788.0, 429.0, 211.0),
        ]
    }

    #[test]
    fn rows_and_header_are_found() {
        let page = Page::new(&sample(), 1000, 630);
        let ktp = KtpText::find(&page).expect("a KTP");
        assert_eq!(ktp.province.as_ref().unwrap().text, "JAWA BARAT");
        assert_eq!(ktp.city.as_ref().unwrap().text, "KABUPATEN BOGOR");
        assert_eq!(ktp.row(Label::Nik).unwrap().text, "3201011311844671");
        assert!(ktp.nik_value_quad().is_some());
        assert_eq!(ktp.row(Label::Name).unwrap().text, "ANDI HANDAYANI");
        assert_eq!(
            ktp.row(Label::BirthPlaceDate).unwrap().text,
            "SEMARANG, 13-11-1984"
        );
        // Merged label and value, with the blood group to the right.
        assert_eq!(
            ktp.row(Label::Gender).unwrap().text,
            "LAKI-LAKI Gol. Darah : -"
        );
        // The place of issue under the photo is not the religion.
        assert_eq!(ktp.row(Label::Religion).unwrap().text, "ISLAM");
    }

    #[test]
    fn a_name_whose_label_was_lost_is_the_value_under_the_nik() {
        // The `Nama` label lost to glare; its value line joins no row.
        let lines: Vec<TextLine> = sample()
            .into_iter()
            .filter(|l| l.text.as_str() != "Nama")
            .map(|mut l| {
                if l.text.as_str() == ": ANDI HANDAYANI" {
                    l.text = "ANDI HANDAYANI".into();
                }
                l
            })
            .collect();
        let ktp = KtpText::find(&Page::new(&lines, 1000, 630)).expect("a KTP");
        assert_eq!(ktp.row(Label::Name).unwrap().text, "ANDI HANDAYANI");
        // With its label read, the label's row is the name (no second guess).
        let ktp = KtpText::find(&Page::new(&sample(), 1000, 630)).unwrap();
        assert_eq!(
            ktp.rows.iter().filter(|(l, _)| *l == Label::Name).count(),
            1
        );
    }

    /// The rows of a card whose grey labels faded (seed-131 photo): only `RTIRW`, `Agama` and
    /// `Pekerjaan` were read, every value was.
    fn faded_labels() -> Vec<TextLine> {
        let row = |k: f32| 165.0 + 36.0 * (k - 1.0) - 15.0;
        vec![
            line("PROVINSI JAWA BARAT", 315.0, 8.0, 363.0),
            line("KABUPATEN BOGOR", 334.0, 42.0, 327.0),
            line("NIK :3201012507860726", 18.0, 87.0, 623.0),
            line("WAHYU WULANDARI", 248.0, row(1.0), 236.0),
            line("JAKARTA TIMUR, 25-07-1986", 246.0, row(2.0) - 3.0, 315.0),
            line("LAKI-LAKI", 248.0, row(3.0), 118.0),
            line("Gol. Darah : AB", 500.0, row(3.0) + 2.0, 165.0),
            line("JL. PAHLAWAN NO. 105", 244.0, row(4.0), 263.0),
            line("RTIRW", 51.0, row(5.0), 87.0),
            line("008/007", 247.0, row(5.0) + 2.0, 93.0),
            line("CIBINONG", 241.0, row(7.0) + 4.0, 131.0),
            line("Agama", 20.0, row(8.0), 85.0),
            line("KRISTEN", 244.0, row(8.0), 111.0),
            line("KABUPATEN BOGOR", 742.0, row(8.0) - 2.0, 220.0),
            line("KAWIN", 240.0, row(9.0) + 3.0, 91.0),
            line("Pekerjaan", 14.0, row(10.0), 123.0),
            line("PELAJAR/MAHASISWA", 240.0, row(10.0), 255.0),
            line("WNI", 237.0, row(11.0) + 5.0, 66.0),
        ]
    }

    #[test]
    fn rows_whose_labels_faded_are_known_by_where_they_stand() {
        let ktp = KtpText::find(&Page::new(&faded_labels(), 1000, 630)).expect("a KTP");
        let text = |label| ktp.row(label).map(|r| r.text.clone());
        assert_eq!(text(Label::Name).as_deref(), Some("WAHYU WULANDARI"));
        assert_eq!(
            text(Label::BirthPlaceDate).as_deref(),
            Some("JAKARTA TIMUR, 25-07-1986")
        );
        assert_eq!(
            text(Label::Gender).as_deref(),
            Some("LAKI-LAKI Gol. Darah : AB")
        );
        assert_eq!(
            text(Label::Address).as_deref(),
            Some("JL. PAHLAWAN NO. 105")
        );
        assert_eq!(text(Label::RtRw).as_deref(), Some("008/007"));
        // Row 6 (the village) was not read at all: nothing is put there.
        assert_eq!(text(Label::Village), None);
        assert_eq!(text(Label::District).as_deref(), Some("CIBINONG"));
        assert_eq!(text(Label::Marital).as_deref(), Some("KAWIN"));
        assert_eq!(text(Label::Nationality).as_deref(), Some("WNI"));
        // The place of issue under the photo stays out of the rows.
        assert_eq!(text(Label::Religion).as_deref(), Some("KRISTEN"));
    }

    #[test]
    fn the_ruler_needs_two_labels_and_a_line_spacing() {
        // One label under the NIK measures nothing.
        let one = RowRuler::fit(&[(5, 300.0)], 30.0);
        assert_eq!(one, None);
        let ruler = RowRuler::fit(&[(5, 310.0), (8, 418.0), (10, 490.0)], 33.0).unwrap();
        assert!((ruler.pitch - 36.0).abs() < 0.01 && (ruler.origin - 130.0).abs() < 0.01);
        assert_eq!(ruler.row_at(167.0), Some(1));
        // Between two rows, or above the first row under the NIK: no row.
        assert_eq!(ruler.row_at(184.0), None);
        assert_eq!(ruler.row_at(120.0), None);
        // A label read far from its row is left out of the fit.
        let with_stray = RowRuler::fit(&[(5, 310.0), (8, 418.0), (10, 490.0), (7, 300.0)], 33.0);
        assert_eq!(with_stray, Some(ruler));
        // Rows spaced unlike the text's lines (a label matched in the wrong place).
        assert_eq!(RowRuler::fit(&[(2, 200.0), (3, 400.0)], 33.0), None);
    }

    #[test]
    fn other_text_is_not_a_ktp() {
        let page = Page::new(
            &[
                line("BUNDESREPUBLIK DEUTSCHLAND", 50.0, 20.0, 400.0),
                line("Name", 50.0, 100.0, 80.0),
                line("MUSTERMANN", 50.0, 140.0, 200.0),
            ],
            1000,
            630,
        );
        assert!(KtpText::find(&page).is_none());
    }

    #[test]
    fn labels_tolerate_small_misreads() {
        assert_eq!(
            match_label("Kewarganegaraar").map(|m| m.0),
            Some(Label::Nationality)
        );
        assert_eq!(match_label("RT/RW").map(|m| m.0), Some(Label::RtRw));
        assert_eq!(match_label("Kel/Desa").map(|m| m.0), Some(Label::Village));
        // A slash read as `I`; a first word lost.
        assert_eq!(match_label("RTIAW").map(|m| m.0), Some(Label::RtRw));
        assert_eq!(match_label("Kelamin").map(|m| m.0), Some(Label::Gender));
        assert_eq!(match_label("Perkawinan").map(|m| m.0), Some(Label::Marital));
        // A long label whose beginning was cut off; not a short or a two-word value.
        assert_eq!(
            match_label("anegaraan").map(|m| m.0),
            Some(Label::Nationality)
        );
        assert_eq!(match_label("ku Hingga"), None);
        assert_eq!(match_label("aan"), None);
        assert_eq!(match_label("WIRASWASTA"), None);
        assert_eq!(match_label("SEMARANG"), None);
        assert_eq!(strip_leading_separators("：014/009 "), "014/009");
    }
}
