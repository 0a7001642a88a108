//! The text pipeline: detect lines, crop them upright, fix 180-degree lines, recognise
//! (Latin CTC, then Tesseract for Thai/Devanagari lines when asked), order for reading.

use std::sync::Arc;
use std::time::{Duration, Instant};

use image::{imageops, RgbImage};
use kycd_plugin_api::{Charset, Quad, ReadOptions, Script, TextLine};

use crate::detect::DetectedLine;
use crate::imaging::{aspect_ratio, crop_line, is_vertical};
use crate::lanes::{in_lanes, in_lanes_costliest_first};
use crate::recent::ImageKey;
use crate::tesseract::TessLanguage;
use crate::Vision;

/// Classifier probability above which a line crop is turned by 180 degrees.
const UPSIDE_DOWN: f32 = 0.9;
/// Lines of one orientation group classified first; their vote can decide for the group.
const SAMPLE_LINES: usize = 5;
/// Sampled lines that must vote alike (probability above or below 0.5) to decide the group.
const SAMPLE_AGREE: usize = 4;
/// Lines the Latin recogniser reads with less confidence than this are dropped (noise).
const MIN_CONFIDENCE: f32 = 0.5;
/// Latin reads below this confidence are re-read by Tesseract when a script is enabled.
const LATIN_TRUSTED: f32 = 0.93;

/// A line read again by Tesseract: its text, confidence and script.
type Reread = (String, f32, Script);

/// Where the time of one [`Vision::read_text_profiled`] call went.
#[derive(Clone, Debug, Default)]
pub struct ReadProfile {
    /// Text detection, including pre- and post-processing.
    pub detection: Duration,
    /// Cropping the lines and the 0/180 classifier.
    pub crop_and_classify: Duration,
    /// Latin recognition of every line.
    pub recognition: Duration,
    /// Tesseract re-reads (Thai/Devanagari).
    pub tesseract: Duration,
    /// Lines detected.
    pub lines: usize,
    /// Lines re-read by Tesseract (calls, counting both orientations).
    pub tesseract_calls: usize,
    /// Lines the 0/180 classifier looked at (not those `locate_document` classified when it
    /// rectified this card).
    pub classified: usize,
    /// Process CPU time of detection, when [`crate::stages::set_cpu_profiling`] is on.
    pub detection_cpu: Duration,
    /// Process CPU time of cropping and classifying, when CPU profiling is on.
    pub crop_and_classify_cpu: Duration,
    /// Process CPU time of Latin recognition, when CPU profiling is on.
    pub recognition_cpu: Duration,
}

/// A cropped, upright line ready for recognition.
pub(crate) struct LineCrop {
    pub quad: Quad,
    pub image: RgbImage,
    /// Whether the angle classifier turned the crop by 180 degrees.
    pub flipped: bool,
    /// Whether the detected box was vertical and the crop was turned to lie horizontally.
    pub from_vertical: bool,
    /// The classifier's probability that the crop reads upside down, when already known.
    pub upside_down: Option<f32>,
}

impl Vision {
    /// The text lines of `image` from the detector, or from [`RecentDetections`] when the same
    /// image was seen a moment ago (a card `locate_document` just rectified, read again for
    /// its text and its MRZ).
    ///
    /// [`RecentDetections`]: crate::recent::RecentDetections
    pub(crate) fn detect_lines(
        &self,
        image: &RgbImage,
    ) -> Result<Arc<Vec<DetectedLine>>, ort::Error> {
        self.detect_lines_of(ImageKey::of(image), image)
    }

    /// [`Vision::detect_lines`] for an image whose key is known.
    pub(crate) fn detect_lines_of(
        &self,
        key: ImageKey,
        image: &RgbImage,
    ) -> Result<Arc<Vec<DetectedLine>>, ort::Error> {
        if let Some(known) = self.recent.get(key) {
            return Ok(known);
        }
        let lines = Arc::new(self.detector.detect(image)?);
        self.recent.put(key, lines.clone());
        Ok(lines)
    }

    /// Detects and crops the lines of `image`, each turned upright by the angle classifier.
    pub(crate) fn line_crops(&self, image: &RgbImage, profile: &mut ReadProfile) -> Vec<LineCrop> {
        let started = Instant::now();
        let cpu = crate::stages::process_cpu_time();
        let key = ImageKey::of(image);
        let detected = match self.detect_lines_of(key, image) {
            Ok(lines) => lines,
            Err(error) => {
                tracing::warn!(%error, "text detection failed");
                return Vec::new();
            }
        };
        // The locator's classification of these lines, when it just rectified this card.
        let noted = self.recent.upside_down(key);
        profile.detection = started.elapsed();
        profile.detection_cpu = crate::stages::cpu_since(cpu);
        profile.lines = detected.len();
        let started = Instant::now();
        let cpu = crate::stages::process_cpu_time();
        let mut crops: Vec<LineCrop> = detected
            .iter()
            .enumerate()
            .filter_map(|(index, line)| {
                let from_vertical = is_vertical(&line.quad);
                crop_line(image, &line.quad).map(|crop| LineCrop {
                    quad: line.quad,
                    from_vertical,
                    image: crop,
                    flipped: false,
                    // The locator classified the same crop of a box as it lies.
                    upside_down: noted
                        .as_ref()
                        .filter(|_| !from_vertical)
                        .and_then(|noted| noted.get(index).copied().flatten()),
                })
            })
            .collect();
        let classified = std::cell::Cell::new(0);
        match self.turned_lines(&crops, &classified) {
            Ok(turned) => {
                for (crop, turn) in crops.iter_mut().zip(turned) {
                    if turn {
                        imageops::rotate180_in_place(&mut crop.image);
                        crop.flipped = true;
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "angle classification failed"),
        }
        profile.classified = classified.get();
        profile.crop_and_classify = started.elapsed();
        profile.crop_and_classify_cpu = crate::stages::cpu_since(cpu);
        crops
    }

    /// Which crops read upside down. The lines of a card share its orientation, so the
    /// classifier first looks at [`SAMPLE_LINES`] lines of median width in each group (lines
    /// cropped as they lie; lines turned from vertical boxes): when at least [`SAMPLE_AGREE`]
    /// of them vote the same way, the group's other lines follow them unclassified, and only
    /// the sampled lines keep their own verdict. Otherwise every line is classified on its own.
    /// (The widest lines are not sampled: MRZ filler often looks turned to the classifier.)
    /// `classified` counts the lines given to the classifier.
    fn turned_lines(
        &self,
        crops: &[LineCrop],
        classified: &std::cell::Cell<usize>,
    ) -> Result<Vec<bool>, ort::Error> {
        let mut turned = vec![false; crops.len()];
        for group in [false, true] {
            let mut members: Vec<usize> = (0..crops.len())
                .filter(|&index| crops[index].from_vertical == group)
                .collect();
            let sample = classifier_sample(&mut members, |i| aspect_ratio(&crops[i].image));
            let count = sample.len();
            let probabilities = self.classify(crops, &sample, classified)?;
            for (&index, &probability) in sample.iter().zip(&probabilities) {
                turned[index] = probability > UPSIDE_DOWN;
            }
            if members.is_empty() {
                continue;
            }
            let votes = probabilities.iter().filter(|&&p| p > 0.5).count();
            if votes >= SAMPLE_AGREE || count - votes >= SAMPLE_AGREE {
                let page_turned = votes >= SAMPLE_AGREE;
                members
                    .iter()
                    .for_each(|&index| turned[index] = page_turned);
            } else {
                for (&index, probability) in members
                    .iter()
                    .zip(self.classify(crops, &members, classified)?)
                {
                    turned[index] = probability > UPSIDE_DOWN;
                }
            }
        }
        Ok(turned)
    }

    /// The classifier's upside-down probability of the crops at `indices` (those already
    /// known are not classified again; `classified` counts those that are).
    fn classify(
        &self,
        crops: &[LineCrop],
        indices: &[usize],
        classified: &std::cell::Cell<usize>,
    ) -> Result<Vec<f32>, ort::Error> {
        let unknown: Vec<usize> = indices
            .iter()
            .copied()
            .filter(|&i| crops[i].upside_down.is_none())
            .collect();
        let images: Vec<&RgbImage> = unknown.iter().map(|&i| &crops[i].image).collect();
        classified.set(classified.get() + images.len());
        let mut probabilities = if images.is_empty() {
            Vec::new()
        } else {
            self.classifier.upside_down(&images)?
        }
        .into_iter();
        Ok(indices
            .iter()
            .map(|&i| {
                crops[i]
                    .upside_down
                    .unwrap_or_else(|| probabilities.next().unwrap_or(0.0))
            })
            .collect())
    }

    /// The full read: detection, recognition, script choice, reading order.
    pub(crate) fn read_lines(
        &self,
        image: &RgbImage,
        options: ReadOptions,
        profile: &mut ReadProfile,
    ) -> Vec<TextLine> {
        let crops = self.line_crops(image, profile);
        let started = Instant::now();
        let cpu = crate::stages::process_cpu_time();
        // The classifier sometimes turns symmetric-looking lines (MRZ filler "<<<<") that
        // were upright: a turned line is also recognised as cropped, the more confident wins.
        let mut crops = crops;
        let unturned: Vec<(usize, RgbImage)> = crops
            .iter()
            .enumerate()
            .filter(|(_, crop)| crop.flipped)
            .map(|(index, crop)| (index, imageops::rotate180(&crop.image)))
            .collect();
        let images: Vec<&RgbImage> = crops
            .iter()
            .map(|c| &c.image)
            .chain(unturned.iter().map(|(_, image)| image))
            .collect();
        let mut latin = match self.recognizer.recognize(&images, Charset::ANY) {
            Ok(results) => results,
            Err(error) => {
                tracing::warn!(%error, "text recognition failed");
                return Vec::new();
            }
        };
        let alternatives = latin.split_off(crops.len());
        for ((index, image), alternative) in unturned.into_iter().zip(alternatives) {
            if alternative.confidence > latin[index].confidence {
                latin[index] = alternative;
                crops[index].image = image;
                crops[index].flipped = false;
            }
        }
        profile.recognition = started.elapsed();
        profile.recognition_cpu = crate::stages::cpu_since(cpu);
        // Lines the Latin recogniser reads poorly are read again with Tesseract for the other
        // scripts asked for, on two threads (tens of ms a line).
        let other_scripts = options.thai || options.devanagari;
        let doubtful: Vec<usize> = (0..crops.len())
            .filter(|&index| {
                let read = &latin[index];
                other_scripts
                    && (read.confidence < LATIN_TRUSTED || read.text.chars().any(|c| !is_latin(c)))
            })
            .collect();
        let started = Instant::now();
        let (rereads, calls) = self.reread_lines(&crops, &doubtful, options);
        profile.tesseract += started.elapsed();
        profile.tesseract_calls += calls;
        let mut rereads = doubtful.into_iter().zip(rereads).peekable();
        let mut lines = Vec::with_capacity(crops.len());
        for (index, (crop, read)) in crops.iter().zip(latin).enumerate() {
            let mut line = TextLine {
                text: read.text.as_str().into(),
                confidence: read.confidence,
                quad: crop.quad,
                script: Script::LATIN,
            };
            if let Some((_, Some(better))) = rereads.next_if(|(doubtful, _)| *doubtful == index) {
                line.text = better.0.as_str().into();
                line.confidence = better.1;
                line.script = better.2;
            }
            let keep = line.script != Script::LATIN || line.confidence >= MIN_CONFIDENCE;
            if keep && !line.text.is_empty() {
                lines.push(line);
            }
        }
        crate::reading_order::sort_reading_order(&mut lines);
        crate::stages::record_read_profile(profile);
        lines
    }

    /// [`Vision::reread_other_scripts`] for the crops at `indices`, on [`TESSERACT_LANES`]
    /// threads taking the next line in turn (each borrows its own Tesseract engine), and the
    /// Tesseract calls made.
    fn reread_lines(
        &self,
        crops: &[LineCrop],
        indices: &[usize],
        options: ReadOptions,
    ) -> (Vec<Option<Reread>>, usize) {
        let reads = in_lanes(indices.len(), TESSERACT_LANES, |position| {
            let mut calls = 0;
            let read = self.reread_other_scripts(&crops[indices[position]], options, &mut calls);
            (read, calls)
        });
        let calls = reads.iter().map(|(_, calls)| calls).sum();
        let rereads = reads.into_iter().map(|(read, _)| read).collect();
        (rereads, calls)
    }

    /// Re-reads a line with Tesseract for each enabled script; keeps the most confident read
    /// whose characters are mostly of that script. The 0/180 classifier only knows Latin and
    /// Chinese, so a line it turned is also read the other way round.
    fn reread_other_scripts(
        &self,
        crop: &LineCrop,
        options: ReadOptions,
        calls: &mut usize,
    ) -> Option<Reread> {
        let mut best: Option<Reread> = None;
        let candidates = [
            (options.thai, TessLanguage::Thai, Script::THAI),
            (options.devanagari, TessLanguage::Hindi, Script::DEVANAGARI),
        ];
        let turned_back = crop.flipped.then(|| imageops::rotate180(&crop.image));
        for (enabled, language, script) in candidates {
            if !enabled {
                continue;
            }
            for image in std::iter::once(&crop.image).chain(turned_back.as_ref()) {
                *calls += 1;
                let (text, confidence) = match self.tesseract.read_line(image, language) {
                    Ok(read) => read,
                    Err(error) => {
                        tracing::warn!(%error, "tesseract failed");
                        continue;
                    }
                };
                if script_share(&text, script) >= 0.5
                    && best.as_ref().is_none_or(|b| confidence > b.1)
                {
                    best = Some((text, confidence, script));
                }
            }
        }
        best
    }

    /// Reads one line inside `region` with a character-set constraint.
    pub(crate) fn read_region(&self, image: &RgbImage, region: Quad, charset: Charset) -> TextLine {
        let (language, script) = match charset {
            Charset::THAI => (TessLanguage::Thai, Script::THAI),
            Charset::DEVANAGARI => (TessLanguage::Hindi, Script::DEVANAGARI),
            _ => {
                let mut reads = self.read_regions(image, &[region], charset);
                return reads
                    .pop()
                    .unwrap_or_else(|| empty_line(region, Script::LATIN));
            }
        };
        let Some(crop) = crop_line(image, &region) else {
            return empty_line(region, script);
        };
        let read = crate::stages::time(crate::stages::Stage::Tesseract, || {
            self.tesseract.read_line(&crop, language)
        });
        match read {
            Ok((text, confidence)) => TextLine {
                text: text.as_str().into(),
                confidence,
                quad: region,
                script,
            },
            Err(error) => {
                tracing::warn!(%error, "tesseract failed");
                empty_line(region, script)
            }
        }
    }

    /// [`Vision::read_region`] for several regions at once, in the order given: with the Latin
    /// recogniser the lines are recognised in one call, on its parallel lanes (an MRZ's two or
    /// three rows side by side); Thai and Devanagari regions on [`TESSERACT_LANES`] threads,
    /// the widest first (each thread borrows its own Tesseract engine).
    pub(crate) fn read_regions(
        &self,
        image: &RgbImage,
        regions: &[Quad],
        charset: Charset,
    ) -> Vec<TextLine> {
        if matches!(charset, Charset::THAI | Charset::DEVANAGARI) {
            return in_lanes_costliest_first(
                regions.len(),
                TESSERACT_LANES,
                |index| regions[index].bounds().width,
                |index| self.read_region(image, regions[index], charset),
            );
        }
        let crops: Vec<Option<RgbImage>> = regions
            .iter()
            .map(|region| crop_line(image, region))
            .collect();
        let present: Vec<&RgbImage> = crops.iter().flatten().collect();
        let reads = crate::stages::time(crate::stages::Stage::TextRecognize, || {
            self.recognizer.recognize(&present, charset)
        });
        let mut reads = match reads {
            Ok(reads) => reads.into_iter(),
            Err(error) => {
                tracing::warn!(%error, "text recognition failed");
                Vec::new().into_iter()
            }
        };
        regions
            .iter()
            .zip(&crops)
            .map(|(region, crop)| match (crop, reads.next()) {
                (Some(_), Some(read)) => TextLine {
                    text: read.text.as_str().into(),
                    confidence: read.confidence,
                    quad: *region,
                    script: Script::LATIN,
                },
                _ => empty_line(*region, Script::LATIN),
            })
            .collect()
    }
}

/// Threads that read Thai and Devanagari lines at once: Tesseract takes tens of milliseconds
/// a line on one core, and kycd is sized for two.
const TESSERACT_LANES: usize = 2;

/// The line read from a region where nothing could be read.
pub(crate) fn empty_line(region: Quad, script: Script) -> TextLine {
    TextLine {
        text: "".into(),
        confidence: 0.0,
        quad: region,
        script,
    }
}

/// Characters the Latin recogniser is expected to produce on Latin documents.
fn is_latin(c: char) -> bool {
    c.is_ascii()
        || ('\u{00A0}'..='\u{024F}').contains(&c)
        || ('\u{1E00}'..='\u{1EFF}').contains(&c)
        || ('\u{2000}'..='\u{206F}').contains(&c)
}

/// Share of the non-space characters of `text` that belong to `script`'s Unicode block.
fn script_share(text: &str, script: Script) -> f32 {
    let range = match script {
        Script::THAI => '\u{0E00}'..='\u{0E7F}',
        Script::DEVANAGARI => '\u{0900}'..='\u{097F}',
        _ => return 0.0,
    };
    let (mut inside, mut total) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        total += 1;
        if range.contains(&c) {
            inside += 1;
        }
    }
    if total == 0 {
        0.0
    } else {
        inside as f32 / total as f32
    }
}

/// The [`SAMPLE_LINES`] lines of median width whose classification can decide a group's
/// orientation (the widest are left out: MRZ filler often looks turned to the classifier),
/// drained from `members` (line indices), which are left sorted widest first. `aspect` gives
/// a line's crop width over height. The locator classifies the same sample first, so that a
/// card it rectified is not classified again.
pub(crate) fn classifier_sample(
    members: &mut Vec<usize>,
    aspect: impl Fn(usize) -> f32,
) -> Vec<usize> {
    members.sort_by(|&a, &b| aspect(b).total_cmp(&aspect(a)));
    let count = members.len().min(SAMPLE_LINES);
    let start = (members.len() - count) / 2;
    members.drain(start..start + count).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_share_counts_block_characters() {
        assert_eq!(script_share("ไทย ab", Script::THAI), 0.6);
        assert_eq!(script_share("भारत", Script::DEVANAGARI), 1.0);
        assert_eq!(script_share("", Script::THAI), 0.0);
        assert!(is_latin('Ø') && is_latin('ß') && !is_latin('ท') && !is_latin('中'));
    }
}
