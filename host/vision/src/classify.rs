//! The PP-OCR 0/180 degree text-line classifier.

use image::RgbImage;
use ort::value::TensorRef;

use crate::imaging::line_batch;
use crate::runtime::SessionPool;

const HEIGHT: usize = 48;
const WIDTH: usize = 192;
const BATCH: usize = 8;

/// Decides, per line crop, whether it is upside down.
pub struct AngleClassifier {
    sessions: SessionPool,
}

impl AngleClassifier {
    /// Wraps loaded classifier sessions.
    pub fn new(sessions: SessionPool) -> Self {
        AngleClassifier { sessions }
    }

    /// Probability, per line, that it is rotated by 180 degrees.
    pub fn upside_down(&self, lines: &[&RgbImage]) -> Result<Vec<f32>, ort::Error> {
        let mut result = Vec::with_capacity(lines.len());
        for chunk in lines.chunks(BATCH) {
            let batch = line_batch(chunk, HEIGHT, WIDTH);
            let mut session = self.sessions.get();
            let outputs = session.run(ort::inputs![TensorRef::from_array_view(&batch)?])?;
            let (_, data) = outputs[0].try_extract_tensor::<f32>()?;
            result.extend(data.chunks(2).map(|pair| pair[1]));
        }
        Ok(result)
    }
}
