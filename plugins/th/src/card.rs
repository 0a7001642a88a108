//! Reading a Thai card once: the located card (or the whole image) with the fast Latin
//! recogniser, lines levelled; then only the few Thai fields are re-read, one region each, with
//! the Thai recogniser.

use kycd_plugin_api::prelude::*;
use kycd_plugin_api::skew;
use kycd_plugin_api::text::normalize;

use crate::names;

/// A zone of the card read on its own ([`CardText::read_zone`]).
pub struct ZoneRead {
    /// The zone's pixels as on the card (not stretched), for a second read of a line.
    pub plain: OwnedImage,
    /// The Latin lines read in the contrast-stretched zone, in the zone's coordinates.
    pub lines: Vec<TextLine>,
}

/// One read of a card image.
pub struct CardText<'a> {
    crop: Option<DocumentCrop>,
    original: ImageRef<'a>,
    angle: f32,
    /// The Latin read, levelled, in reading order.
    pub page: Page,
}

impl<'a> CardText<'a> {
    /// Locates the card and reads the crop; the whole image when no card is found.
    pub fn read(host: &Host<'_>, original: ImageRef<'a>) -> CardText<'a> {
        let crop = host.locate_document(original);
        Self::read_in(host, original, crop)
    }

    /// Reads the whole image, ignoring any card outline.
    pub fn read_whole(host: &Host<'_>, original: ImageRef<'a>) -> CardText<'a> {
        Self::read_in(host, original, None)
    }

    /// The first read that `is_this_card` accepts: the located card, else that card turned
    /// half a turn (located upside down and read too badly to tell), else the whole image.
    /// `None` when none is accepted.
    pub fn read_checked(
        host: &Host<'_>,
        original: ImageRef<'a>,
        is_this_card: impl Fn(&CardText<'_>) -> bool,
    ) -> Option<CardText<'a>> {
        let card = Self::read(host, original);
        if is_this_card(&card) {
            return Some(card);
        }
        card.half_turned(host)
            .filter(|turned| is_this_card(turned))
            .or_else(|| Some(Self::read_whole(host, original)).filter(|w| is_this_card(w)))
    }

    fn read_in(
        host: &Host<'_>,
        original: ImageRef<'a>,
        crop: Option<DocumentCrop>,
    ) -> CardText<'a> {
        let image = crop.as_ref().map_or(original, |c| c.image.as_ref());
        let lines = host.read_text(image, ReadOptions::latin());
        let (lines, angle) = skew::deskew(&lines, image.width, image.height);
        let page = Page::new(&lines, image.width, image.height);
        CardText {
            crop,
            original,
            angle,
            page,
        }
    }

    /// The card read again turned half a turn when the locator set it upside down: the Latin
    /// recogniser still reads each line (it turns lines itself), but the layout is mirrored
    /// and the Thai recogniser reads nothing on upside-down lines. `is_header` picks the card's
    /// header line, printed in the top half of an upright card.
    pub fn upright(self, host: &Host<'_>, is_header: impl Fn(&str) -> bool) -> CardText<'a> {
        let upside_down = self
            .page
            .lines()
            .iter()
            .find(|l| is_header(&l.text))
            .is_some_and(|l| l.middle() > 0.5 * self.page.height);
        if !upside_down {
            return self;
        }
        self.half_turned(host).unwrap_or(self)
    }

    /// The located card read again turned half a turn: for a card the locator set upside down
    /// so badly that its header is not read at all (the detector misses most upside-down
    /// lines and the line classifier leaves the rest unturned). `None` when no card was
    /// located.
    pub fn half_turned(&self, host: &Host<'_>) -> Option<CardText<'a>> {
        let crop = self.crop.as_ref()?;
        let turned = DocumentCrop {
            quad: crop.quad,
            image: kycd_plugin_api::upright::turn_image(&crop.image, 2),
            rotation_degrees: (crop.rotation_degrees + 180) % 360,
        };
        Some(Self::read_in(host, self.original, Some(turned)))
    }

    fn image(&self) -> ImageRef<'_> {
        self.crop
            .as_ref()
            .map_or(self.original, |c| c.image.as_ref())
    }

    /// A zone of the card read on its own with the Latin recogniser at full contrast, for small
    /// faint print that the detector misses at card scale (`zone`: left, top, right and bottom
    /// as fractions of the card image; the detector sees a zone this small at full
    /// resolution). `None` when the card was not located (the zone would be a guess in the
    /// whole image) or the zone is empty.
    pub fn read_zone(&self, host: &Host<'_>, zone: [f32; 4]) -> Option<ZoneRead> {
        let crop = self.crop.as_ref()?;
        let image = crop.image.as_ref();
        let (w, h) = (image.width as f32, image.height as f32);
        let rect = Rect {
            x: zone[0] * w,
            y: zone[1] * h,
            width: (zone[2] - zone[0]) * w,
            height: (zone[3] - zone[1]) * h,
        };
        let plain = kycd_plugin_api::pixels::sub_image(image, rect)?;
        let stretched = kycd_plugin_api::pixels::contrast_stretched(plain.as_ref());
        let lines = host.read_text(stretched.as_ref(), ReadOptions::latin());
        Some(ZoneRead { plain, lines })
    }

    /// Reads a region of the (levelled) page with the Thai recogniser: for a Thai line the
    /// Latin pass dropped as unreadable.
    pub fn thai_region(&self, host: &Host<'_>, quad: Quad) -> (String, f32) {
        let image = self.image();
        let quad = skew::reskew(&quad, image.width, image.height, self.angle);
        let read = host.recognize_region(image, quad, Charset::THAI);
        (tidy_thai(read.text.as_str()), read.confidence)
    }

    /// A Thai name row's first read (`first`) settled against its English twin: when it does
    /// not spell the twin, the row is read again 15 % taller below (the Thai recogniser's read
    /// moves with the crop) and [`names::pick_read`] keeps the read that agrees clearly better,
    /// or settles two differing reads by a third from a crop moved up. `to_repair` turns a
    /// region's text into its [`names::TwinRepair`].
    pub fn settled_name(
        &self,
        host: &Host<'_>,
        quad: Quad,
        first: (names::TwinRepair, f32),
        to_repair: impl Fn(&str) -> names::TwinRepair,
    ) -> (names::TwinRepair, f32) {
        if first.0.agrees() {
            return first;
        }
        let read = |top: f32, bottom: f32| {
            let (text, confidence) = self.thai_region(host, shifted(&quad, top, bottom));
            (to_repair(&text), confidence)
        };
        names::pick_read(first, read(0.0, 0.15), || read(-0.15, -0.1))
    }

    /// Reads several regions of the (levelled) page with the Thai recogniser, in their order:
    /// the host reads them side by side (Tesseract takes tens of ms a line), so a card's Thai
    /// fields cost about half as long as read one after the other.
    pub fn thai_regions(&self, host: &Host<'_>, quads: &[Quad]) -> Vec<(String, f32)> {
        let image = self.image();
        let quads: Vec<Quad> = quads
            .iter()
            .map(|quad| skew::reskew(quad, image.width, image.height, self.angle))
            .collect();
        let reads = host.recognize_regions(image, &quads, Charset::THAI);
        let tidy = |read: TextLine| (tidy_thai(read.text.as_str()), read.confidence);
        reads.into_iter().map(tidy).collect()
    }

    /// Re-reads one line with the digits-only Latin recogniser.
    pub fn digits(&self, host: &Host<'_>, line: &Line) -> (String, f32) {
        let image = self.image();
        let quad = skew::reskew(&line.quad, image.width, image.height, self.angle);
        let read = host.recognize_region(image, quad, Charset::DIGITS);
        (read.text.to_string(), read.confidence)
    }

    /// The line that holds an English name when its `Name` label was not read (`Mr. Somchai`,
    /// `Name Mrs. Malee`, `s Miss Rattana`): its first word (or the word after a `Name` label
    /// or a speck of one or two letters) is an English title, followed by `names` words of
    /// letters only; in the left 60 % of the card.
    pub fn titled_line(&self, names: usize) -> Option<&Line> {
        self.page.lines().iter().find(|l| {
            let text = names::unglued_english(&l.text);
            let words: Vec<&str> = text.split_whitespace().collect();
            let start = usize::from(
                words.len() == names + 2
                    && (strsim::levenshtein(&words[0].to_lowercase(), "name") <= 1
                        || words[0].chars().count() <= 2),
            );
            let title: String = words
                .get(start)
                .map(|w| {
                    w.chars()
                        .filter(char::is_ascii_alphabetic)
                        .collect::<String>()
                        .to_lowercase()
                })
                .unwrap_or_default();
            words.len() == start + 1 + names
                && matches!(title.as_str(), "mr" | "mrs" | "miss" | "ms")
                && words[start + 1..]
                    .iter()
                    .all(|w| w.chars().all(char::is_alphabetic))
                && l.left < 0.6 * self.page.width
        })
    }

    /// The first line (reading order) that starts with `label` (normalised, small slips
    /// tolerated).
    pub fn label(&self, label: &str) -> Option<&Line> {
        self.page.lines().iter().find(|l| {
            starts_with_label(&l.text, label).is_some()
                || after_glued_label(&l.text, label).is_some()
        })
    }

    /// The nearest line above `anchor` that overlaps it horizontally and satisfies `accept`.
    pub fn above(&self, anchor: &Line, accept: impl Fn(&Line) -> bool) -> Option<&Line> {
        self.page
            .lines()
            .iter()
            .filter(|l| {
                l.middle() < anchor.top
                    && !l.same_row(anchor)
                    && l.horizontal_overlap(anchor) > 0.0
                    && accept(l)
            })
            .max_by(|a, b| a.bottom.total_cmp(&b.bottom))
    }

    /// The nearest line below `anchor` that overlaps it horizontally and satisfies `accept`.
    pub fn below(&self, anchor: &Line, accept: impl Fn(&Line) -> bool) -> Option<&Line> {
        self.page
            .lines()
            .iter()
            .filter(|l| {
                l.middle() > anchor.bottom
                    && !l.same_row(anchor)
                    && l.horizontal_overlap(anchor) > 0.0
                    && accept(l)
            })
            .min_by(|a, b| a.top.total_cmp(&b.top))
    }

    /// The value of a labelled line: the rest of the line after the label, or else the text of
    /// the lines to its right on the same row. With the line(s) it came from.
    pub fn value_after(&self, label_line: &Line, label: &str) -> Option<(String, f32)> {
        let Some(words) = starts_with_label(&label_line.text, label) else {
            // The label run into its value (`Last nameThongdee`).
            let rest = after_glued_label(&label_line.text, label)?;
            return Some((rest.to_string(), label_line.confidence));
        };
        let rest: Vec<&str> = label_line.text.split_whitespace().skip(words).collect();
        if !rest.is_empty() {
            return Some((rest.join(" "), label_line.confidence));
        }
        let mut right: Vec<&Line> = self
            .page
            .lines()
            .iter()
            .filter(|l| {
                // Detection boxes are padded: a value's box may start inside its label's box
                // (`Name` 190-280, `Mr. Supachai` from 255). It starts right of the label's
                // middle and ends right of the label.
                l.same_row(label_line)
                    && l.left > (label_line.left + label_line.right) / 2.0
                    && l.right > label_line.right + label_line.height()
            })
            .collect();
        right.sort_by(|a, b| a.left.total_cmp(&b.left));
        let first = right.first()?;
        Some((first.text.clone(), first.confidence))
    }
}

/// The text after `label` when `text` starts with the label's letters exactly (case and spaces
/// ignored) and more follows: `Last nameThongdee` gives `Thongdee`.
pub fn after_glued_label<'t>(text: &'t str, label: &str) -> Option<&'t str> {
    let mut wanted = label
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .peekable();
    for (at, c) in text.char_indices() {
        if wanted.peek().is_none() {
            let rest = text[at..].trim();
            return (!rest.is_empty()).then_some(rest);
        }
        if !c.is_alphanumeric() {
            continue;
        }
        if c.to_lowercase().next() != wanted.next() {
            return None;
        }
    }
    None
}

/// A rectangle as a quad.
pub fn rect_quad(left: f32, top: f32, right: f32, bottom: f32) -> Quad {
    Quad::from_rect(Rect {
        x: left,
        y: top,
        width: (right - left).max(1.0),
        height: (bottom - top).max(1.0),
    })
}

/// A region's bounding rectangle with its top and bottom moved down by fractions of its
/// height (negative: up), for reading a Thai line again from a slightly different crop.
pub fn shifted(quad: &Quad, top: f32, bottom: f32) -> Quad {
    let b = quad.bounds();
    rect_quad(
        b.x,
        b.y + top * b.height,
        b.x + b.width,
        b.y + b.height + bottom * b.height,
    )
}

/// When `text` starts with `label` (both normalised; one slip per five letters tolerated),
/// how many whitespace-separated words of `text` the label covers.
pub fn starts_with_label(text: &str, label: &str) -> Option<usize> {
    let wanted = normalize(label);
    let words: Vec<&str> = text.split_whitespace().collect();
    let count = wanted.split(' ').count();
    if words.len() < count {
        return None;
    }
    let head = normalize(&words[..count].join(" "));
    (strsim::normalized_levenshtein(&head, &wanted) >= 0.8).then_some(count)
}

/// Thai text as printed: SARA AM composed, spaces collapsed.
pub fn tidy_thai(text: &str) -> String {
    text.replace("\u{0E4D}\u{0E32}", "\u{0E33}")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Removes a printed Thai label (`ศาสนา`, `ที่อยู่`, `เกิดวันที่`, `ชื่อ`) from the start of a
/// Thai read, when the first word is that label or nearly so.
pub fn strip_thai_label<'t>(text: &'t str, labels: &[&str]) -> &'t str {
    let trimmed = text.trim();
    for label in labels {
        // Exact prefix (the label may run into the value without a space).
        if let Some(rest) = trimmed.strip_prefix(label) {
            return rest.trim_start();
        }
        let first = trimmed.split_whitespace().next().unwrap_or("");
        if !first.is_empty() && strsim::normalized_levenshtein(first, label) >= 0.6 {
            return trimmed[first.len()..].trim_start();
        }
    }
    trimmed
}

/// The digits of a number field, OCR letter confusions mapped back.
pub fn digits_only(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            'O' | 'o' | 'D' | 'Q' => Some('0'),
            'I' | 'l' | '|' | 'i' => Some('1'),
            'Z' | 'z' => Some('2'),
            'S' | 's' => Some('5'),
            'B' => Some('8'),
            _ => None,
        })
        .collect()
}

/// Whether a line is a number printed in digits and spaces only (no letters, no hyphens).
pub fn is_spaced_number(text: &str) -> bool {
    let digits = text.chars().filter(|c| c.is_ascii_digit()).count();
    digits >= 6 && text.chars().all(|c| c.is_ascii_digit() || c == ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_thai_text() {
        assert_eq!(starts_with_label("Last name Phromma", "Last name"), Some(2));
        assert_eq!(starts_with_label("Name Mr. Wichai", "Last name"), None);
        assert_eq!(starts_with_label("NAME: Mr. Wichai", "Name"), Some(1));
        assert_eq!(
            tidy_thai("บ\u{e31}ตรประจ\u{e4d}\u{e32}ต\u{e31}ว  x"),
            "บัตรประจำตัว x"
        );
        assert_eq!(strip_thai_label("ศาสนา พุทธ", &["ศาสนา"]), "พุทธ");
        assert_eq!(strip_thai_label("ศาสนาพุทธ", &["ศาสนา"]), "พุทธ");
        assert_eq!(strip_thai_label("พุทธ", &["ศาสนา"]), "พุทธ");
        assert!(is_spaced_number("8 1030 22289 29 9"));
        assert_eq!(
            after_glued_label("Last nameThongdee", "Last name"),
            Some("Thongdee")
        );
        assert_eq!(after_glued_label("Last name", "Last name"), None);
        assert_eq!(after_glued_label("Lost nameX", "Last name"), None);
        assert!(!is_spaced_number("2476-64-32138285"));
        let taller = shifted(&rect_quad(10.0, 100.0, 200.0, 140.0), -0.25, 0.5);
        let ys: Vec<f32> = taller.points.iter().map(|p| p.y).collect();
        assert_eq!(ys.iter().cloned().fold(f32::MAX, f32::min), 90.0);
        assert_eq!(ys.iter().cloned().fold(f32::MIN, f32::max), 160.0);
    }
}
