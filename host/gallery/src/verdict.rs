//! From an embedding cosine to what the face routes answer: a `similarity` of 0-100 and a
//! verdict, by two cosine thresholds calibrated on labelled pairs (see `docs/face.md`).

use serde::{Deserialize, Serialize};

/// Cosine thresholds of the face verdicts (the host's `[face]` config section). Both within
/// (-1, 1), `not_same < same`; a config that breaks this is refused when parsed.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawThresholds", deny_unknown_fields)]
pub struct Thresholds {
    /// At or above: `SAME PERSON`; also the cosine at which a gallery add joins a person.
    pub same: f32,
    /// Below: `NOT SAME PERSON`; between the two: `NOT SURE`.
    pub not_same: f32,
}

/// Calibrated `same` threshold for SFace 2021dec (FAR 0 on the calibration set; see
/// `docs/face.md`).
pub const CALIBRATED_SAME: f32 = 0.42;
/// Calibrated `not_same` threshold for SFace 2021dec (see `docs/face.md`).
pub const CALIBRATED_NOT_SAME: f32 = 0.30;

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            same: CALIBRATED_SAME,
            not_same: CALIBRATED_NOT_SAME,
        }
    }
}

impl Thresholds {
    /// Checks `-1 < not_same < same < 1` (both finite).
    pub fn new(same: f32, not_same: f32) -> Result<Thresholds, String> {
        if !(same.is_finite() && not_same.is_finite()) {
            return Err("face thresholds must be finite numbers".into());
        }
        if !(-1.0 < not_same && not_same < same && same < 1.0) {
            return Err(format!(
                "face thresholds need -1 < not_same < same < 1 (got not_same {not_same}, same {same})"
            ));
        }
        Ok(Thresholds { same, not_same })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThresholds {
    #[serde(default = "default_same")]
    same: f32,
    #[serde(default = "default_not_same")]
    not_same: f32,
}

fn default_same() -> f32 {
    CALIBRATED_SAME
}

fn default_not_same() -> f32 {
    CALIBRATED_NOT_SAME
}

impl TryFrom<RawThresholds> for Thresholds {
    type Error = String;
    fn try_from(raw: RawThresholds) -> Result<Thresholds, String> {
        Thresholds::new(raw.same, raw.not_same)
    }
}

/// A face-match verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// Cosine at or above `same`.
    #[serde(rename = "SAME PERSON")]
    SamePerson,
    /// Cosine in `[not_same, same)`.
    #[serde(rename = "NOT SURE")]
    NotSure,
    /// Cosine below `not_same` (or not a number).
    #[serde(rename = "NOT SAME PERSON")]
    NotSamePerson,
}

impl Verdict {
    /// The wire text: `SAME PERSON`, `NOT SURE` or `NOT SAME PERSON`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::SamePerson => "SAME PERSON",
            Verdict::NotSure => "NOT SURE",
            Verdict::NotSamePerson => "NOT SAME PERSON",
        }
    }
}

/// The verdict for a cosine. NaN gives `NOT SAME PERSON`.
pub fn verdict(cosine: f32, thresholds: &Thresholds) -> Verdict {
    if cosine >= thresholds.same {
        Verdict::SamePerson
    } else if cosine >= thresholds.not_same {
        Verdict::NotSure
    } else {
        Verdict::NotSamePerson
    }
}

/// Similarity score shown at `not_same`.
pub const SIMILARITY_AT_NOT_SAME: f32 = 40.0;
/// Similarity score shown at `same`.
pub const SIMILARITY_AT_SAME: f32 = 70.0;

/// The `similarity` (0-100) of a cosine: piecewise linear through (-1, 0), (0, 20),
/// (`not_same`, 40), (`same`, 70) and (1, 100), so that the verdict bands read as
/// `< 40` not the same, `40-70` not sure, `>= 70` the same. Monotone (non-decreasing) in the
/// cosine; a cosine outside [-1, 1] is clamped; NaN gives 0. If `not_same <= 0` the (0, 20)
/// knot is dropped.
pub fn similarity_from_cosine(cosine: f32, thresholds: &Thresholds) -> f32 {
    if cosine.is_nan() {
        return 0.0;
    }
    let c = cosine.clamp(-1.0, 1.0);
    let mut knots: Vec<(f32, f32)> = vec![(-1.0, 0.0)];
    if thresholds.not_same > 0.0 {
        knots.push((0.0, 20.0));
    }
    knots.push((thresholds.not_same, SIMILARITY_AT_NOT_SAME));
    knots.push((thresholds.same, SIMILARITY_AT_SAME));
    knots.push((1.0, 100.0));
    for pair in knots.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        if c <= x1 {
            if x1 <= x0 {
                return y1;
            }
            return (y0 + (c - x0) / (x1 - x0) * (y1 - y0)).clamp(0.0, 100.0);
        }
    }
    100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibrated_defaults_are_valid() {
        let t = Thresholds::default();
        assert_eq!(Thresholds::new(t.same, t.not_same), Ok(t));
    }

    #[test]
    fn similarity_is_monotone_and_bounded() {
        for t in [
            Thresholds::default(),
            Thresholds::new(0.5, -0.2).unwrap(),
            Thresholds::new(0.99, 0.98).unwrap(),
        ] {
            let mut last = -1.0f32;
            for i in -1200..=1200 {
                let c = i as f32 / 1000.0;
                let s = similarity_from_cosine(c, &t);
                assert!((0.0..=100.0).contains(&s), "{c} -> {s}");
                assert!(s >= last, "not monotone at {c}: {last} then {s} ({t:?})");
                last = s;
            }
            assert_eq!(similarity_from_cosine(-1.0, &t), 0.0);
            assert_eq!(similarity_from_cosine(1.0, &t), 100.0);
            assert_eq!(similarity_from_cosine(f32::NAN, &t), 0.0);
            assert_eq!(similarity_from_cosine(f32::INFINITY, &t), 100.0);
        }
    }

    #[test]
    fn similarity_bands_agree_with_verdicts() {
        let t = Thresholds::default();
        assert!((similarity_from_cosine(t.not_same, &t) - 40.0).abs() < 1e-4);
        assert!((similarity_from_cosine(t.same, &t) - 70.0).abs() < 1e-4);
        for i in -1000..=1000 {
            let c = i as f32 / 1000.0;
            let s = similarity_from_cosine(c, &t);
            let expected = if s >= 70.0 - 1e-4 {
                Verdict::SamePerson
            } else if s >= 40.0 - 1e-4 {
                Verdict::NotSure
            } else {
                Verdict::NotSamePerson
            };
            // Exactly at a knot float rounding may differ by one ulp; skip those.
            if (c - t.same).abs() > 1e-3 && (c - t.not_same).abs() > 1e-3 {
                assert_eq!(verdict(c, &t), expected, "cosine {c}, similarity {s}");
            }
        }
    }

    #[test]
    fn verdict_bands() {
        let t = Thresholds::new(0.4, 0.3).unwrap();
        assert_eq!(verdict(0.4, &t), Verdict::SamePerson);
        assert_eq!(verdict(0.95, &t), Verdict::SamePerson);
        assert_eq!(verdict(0.35, &t), Verdict::NotSure);
        assert_eq!(verdict(0.3, &t), Verdict::NotSure);
        assert_eq!(verdict(0.29, &t), Verdict::NotSamePerson);
        assert_eq!(verdict(f32::NAN, &t), Verdict::NotSamePerson);
        assert_eq!(Verdict::NotSure.as_str(), "NOT SURE");
    }

    #[test]
    fn thresholds_from_config() {
        let t: Thresholds = toml::from_str("same = 0.5\nnot_same = 0.2").unwrap();
        assert_eq!(t, Thresholds::new(0.5, 0.2).unwrap());
        let d: Thresholds = toml::from_str("").unwrap();
        assert_eq!(d, Thresholds::default());
        assert!(toml::from_str::<Thresholds>("same = 0.2\nnot_same = 0.5").is_err());
        assert!(toml::from_str::<Thresholds>("same = 1.5").is_err());
        assert!(toml::from_str::<Thresholds>("sme = 0.5").is_err());
        assert_eq!(
            serde_json::to_string(&Verdict::NotSamePerson).unwrap(),
            "\"NOT SAME PERSON\""
        );
    }
}
