//! Face quality checks that make a match unreliable: a face too small to carry identity
//! detail, and a face too blurred (variance of the Laplacian over the aligned crop).

use std::fmt;

use super::align::ALIGNED_SIZE;

/// Below this distance between the eye centres (source pixels) a face is too small.
pub const MIN_EYE_DISTANCE_PX: f32 = 20.0;
/// Below this variance of the Laplacian of the aligned 112x112 grey crop a face is too blurred
/// (sharp photos of the dev set measure 500 to 6400; a Gaussian blur of sigma = eye distance / 8
/// measures about 1).
pub const MIN_SHARPNESS: f32 = 100.0;

/// Why a face is unfit for matching.
#[derive(Clone, Debug, PartialEq)]
pub enum QualityIssue {
    /// The eyes are closer than [`MIN_EYE_DISTANCE_PX`].
    TooSmall {
        /// Measured eye distance in source pixels.
        eye_distance_px: f32,
    },
    /// The aligned crop's Laplacian variance is below [`MIN_SHARPNESS`].
    TooBlurred {
        /// Measured Laplacian variance.
        sharpness: f32,
    },
}

impl fmt::Display for QualityIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QualityIssue::TooSmall { eye_distance_px } => write!(
                f,
                "face too small: eyes {eye_distance_px:.1} px apart (need at least {MIN_EYE_DISTANCE_PX})"
            ),
            QualityIssue::TooBlurred { sharpness } => write!(
                f,
                "face too blurred: sharpness {sharpness:.1} (need at least {MIN_SHARPNESS})"
            ),
        }
    }
}

/// The quality measures of one detected face.
#[derive(Clone, Debug, PartialEq)]
pub struct FaceQuality {
    /// Distance between the eye landmarks, in source pixels.
    pub eye_distance_px: f32,
    /// Variance of the Laplacian of the aligned grey crop (higher is sharper).
    pub sharpness: f32,
    /// Problems found; empty when the face is fit for matching.
    pub issues: Vec<QualityIssue>,
}

impl FaceQuality {
    /// Builds the assessment from the two measures.
    pub fn from_measures(eye_distance_px: f32, sharpness: f32) -> FaceQuality {
        let mut issues = Vec::new();
        if eye_distance_px.is_nan() || eye_distance_px < MIN_EYE_DISTANCE_PX {
            issues.push(QualityIssue::TooSmall { eye_distance_px });
        }
        if sharpness.is_nan() || sharpness < MIN_SHARPNESS {
            issues.push(QualityIssue::TooBlurred { sharpness });
        }
        FaceQuality {
            eye_distance_px,
            sharpness,
            issues,
        }
    }

    /// Whether no issue was found.
    pub fn is_acceptable(&self) -> bool {
        self.issues.is_empty()
    }

    /// Whether the face was flagged too small.
    pub fn too_small(&self) -> bool {
        self.issues
            .iter()
            .any(|i| matches!(i, QualityIssue::TooSmall { .. }))
    }

    /// Whether the face was flagged too blurred.
    pub fn too_blurred(&self) -> bool {
        self.issues
            .iter()
            .any(|i| matches!(i, QualityIssue::TooBlurred { .. }))
    }

    /// Human-readable reasons, one per issue.
    pub fn reasons(&self) -> Vec<String> {
        self.issues.iter().map(ToString::to_string).collect()
    }
}

/// Variance of the 4-neighbour Laplacian over the inner part of an aligned RGB crop (the
/// border, where the warp may have sampled outside the image, is skipped).
pub fn laplacian_variance(aligned_rgb: &[u8]) -> f32 {
    let n = ALIGNED_SIZE;
    if aligned_rgb.len() < n * n * 3 {
        return 0.0;
    }
    let grey: Vec<f32> = aligned_rgb
        .chunks_exact(3)
        .map(|p| 0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32)
        .collect();
    let margin = 16;
    let (mut sum, mut sum_sq, mut count) = (0f64, 0f64, 0f64);
    for y in margin..n - margin {
        for x in margin..n - margin {
            let i = y * n + x;
            let lap = grey[i - 1] + grey[i + 1] + grey[i - n] + grey[i + n] - 4.0 * grey[i];
            sum += lap as f64;
            sum_sq += (lap * lap) as f64;
            count += 1.0;
        }
    }
    let mean = sum / count;
    (sum_sq / count - mean * mean) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_crop_is_blurred_and_checkerboard_is_sharp() {
        let n = ALIGNED_SIZE;
        let flat = vec![128u8; n * n * 3];
        assert_eq!(laplacian_variance(&flat), 0.0);
        let checker: Vec<u8> = (0..n * n)
            .flat_map(|i| {
                let v = if (i % n + i / n).is_multiple_of(2) {
                    0
                } else {
                    255
                };
                [v, v, v]
            })
            .collect();
        assert!(laplacian_variance(&checker) > 1000.0);
    }

    #[test]
    fn reasons_name_each_issue() {
        let q = FaceQuality::from_measures(12.0, 5.0);
        assert!(q.too_small() && q.too_blurred() && !q.is_acceptable());
        assert_eq!(q.reasons().len(), 2);
        assert!(FaceQuality::from_measures(60.0, 300.0).is_acceptable());
    }
}
