//! Latin text-line recognition: PP-OCRv6 recogniser with greedy CTC decoding, optionally
//! restricted to a character set (for fields whose alphabet is known).

use image::RgbImage;
use kycd_plugin_api::Charset;
use ort::value::TensorRef;

use crate::imaging::{aspect_ratio, line_batch};
use crate::lanes::in_lanes_costliest_first;
use crate::runtime::SessionPool;
use crate::VisionError;

/// Input height of the recogniser.
const LINE_HEIGHT: usize = 48;
/// Widest line (in model pixels) fed to the recogniser: about 40 characters per 48 px height.
const MAX_LINE_WIDTH: usize = 48 * 40;

/// One recognised line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recognized {
    /// The text, trimmed.
    pub text: String,
    /// Mean probability of the characters kept, 0 when empty.
    pub confidence: f32,
}

/// The CTC recogniser and its alphabet.
pub struct TextRecognizer {
    sessions: SessionPool,
    /// Class index to text: 0 is the CTC blank (empty string), the last is a space.
    classes: Vec<String>,
    digits: Vec<usize>,
    mrz: Vec<usize>,
    upper_alnum: Vec<usize>,
}

impl TextRecognizer {
    /// Wraps loaded recogniser sessions; the alphabet comes from the model's `character`
    /// metadata.
    pub fn new(sessions: SessionPool) -> Result<Self, VisionError> {
        let alphabet = {
            let session = sessions.get();
            let metadata = session.metadata().map_err(|error| VisionError::Runtime {
                path: sessions.path.clone(),
                message: error.to_string(),
            })?;
            metadata
                .custom("character")
                .ok_or_else(|| VisionError::Runtime {
                    path: sessions.path.clone(),
                    message: "no `character` metadata: not a PaddleOCR recogniser".into(),
                })?
        };
        let mut classes = vec![String::new()];
        classes.extend(alphabet.split('\n').map(str::to_string));
        classes.push(" ".into());
        let select = |keep: &dyn Fn(char) -> bool| -> Vec<usize> {
            let mut chosen = vec![0];
            chosen.extend((1..classes.len()).filter(|&index| {
                let mut chars = classes[index].chars();
                matches!((chars.next(), chars.next()), (Some(c), None) if keep(c))
            }));
            chosen
        };
        let digits = select(&|c| c.is_ascii_digit());
        let mrz = select(&|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '<');
        let upper_alnum = select(&|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == ' ');
        Ok(TextRecognizer {
            sessions,
            classes,
            digits,
            mrz,
            upper_alnum,
        })
    }

    /// Recognises every line (upright crops), keeping the input order.
    pub fn recognize(
        &self,
        lines: &[&RgbImage],
        charset: Charset,
    ) -> Result<Vec<Recognized>, ort::Error> {
        let allowed = match charset {
            Charset::DIGITS => Some(self.digits.as_slice()),
            Charset::MRZ => Some(self.mrz.as_slice()),
            Charset::UPPER_ALNUM => Some(self.upper_alnum.as_slice()),
            _ => None,
        };
        // One line per model call, at its own width: no padding to compute, and with the
        // widest lines dealt out first the lanes finish together. (Batches of up to four
        // similar lines cost 5-10 % more CPU per card in `bench_ocr` for the same text.) One
        // lane per session.
        let reads = in_lanes_costliest_first(
            lines.len(),
            self.sessions.len(),
            |index| aspect_ratio(lines[index]),
            |index| {
                self.recognize_batch(lines, &[index], allowed)
                    .map(|mut read| read.pop().unwrap_or_default())
            },
        );
        reads.into_iter().collect()
    }

    /// Recognises one batch of lines (indices into `lines`) padded to its widest line.
    fn recognize_batch(
        &self,
        lines: &[&RgbImage],
        chunk: &[usize],
        allowed: Option<&[usize]>,
    ) -> Result<Vec<Recognized>, ort::Error> {
        let widest = chunk
            .iter()
            .map(|&i| aspect_ratio(lines[i]))
            .fold(1.0f32, f32::max);
        let width =
            ((LINE_HEIGHT as f32 * widest).ceil() as usize).clamp(LINE_HEIGHT, MAX_LINE_WIDTH);
        let images: Vec<&RgbImage> = chunk.iter().map(|&i| lines[i]).collect();
        let batch = line_batch(&images, LINE_HEIGHT, width);
        let mut session = self.sessions.get();
        let outputs = session.run(ort::inputs![TensorRef::from_array_view(&batch)?])?;
        let (shape, data) = outputs[0].try_extract_tensor::<f32>()?;
        let (steps, classes) = (shape[1] as usize, shape[2] as usize);
        Ok((0..chunk.len())
            .map(|row| {
                let scores = &data[row * steps * classes..(row + 1) * steps * classes];
                self.decode(scores, steps, classes, allowed)
            })
            .collect())
    }

    /// Greedy CTC: the best class per time step, repeats merged, blanks dropped. With an
    /// `allowed` set, a step whose best class is outside it emits the best allowed class
    /// instead; repeats are merged on the unconstrained best class, so "<<" read as "<く" stays
    /// two characters.
    fn decode(
        &self,
        scores: &[f32],
        steps: usize,
        classes: usize,
        allowed: Option<&[usize]>,
    ) -> Recognized {
        let best_of = |row: &[f32], indices: &mut dyn Iterator<Item = usize>| {
            indices.filter(|&i| i < classes).map(|i| (i, row[i])).fold(
                (0, f32::MIN),
                |acc, item| if item.1 > acc.1 { item } else { acc },
            )
        };
        let mut text = String::new();
        let (mut sum, mut count) = (0.0f32, 0usize);
        let mut previous = 0usize;
        for step in 0..steps {
            let row = &scores[step * classes..(step + 1) * classes];
            let raw = best_of(row, &mut (0..classes));
            let chosen = match allowed {
                Some(indices) if !indices.contains(&raw.0) => {
                    best_of(row, &mut indices.iter().copied())
                }
                _ => raw,
            };
            if chosen.0 != 0 && raw.0 != previous {
                if let Some(class) = self.classes.get(chosen.0) {
                    text.push_str(class);
                    sum += chosen.1;
                    count += 1;
                }
            }
            previous = raw.0;
        }
        let trimmed = text.trim();
        Recognized {
            confidence: if count == 0 || trimmed.is_empty() {
                0.0
            } else {
                sum / count as f32
            },
            text: trimmed.to_string(),
        }
    }
}
