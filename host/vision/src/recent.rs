//! Detections of the last few images, so that a plugin's usual sequence (locate the card, then
//! read its text, then its MRZ) runs the text detector once per image instead of three times.
//!
//! Only geometry is kept (line quads and scores, and each line's probability of reading upside
//! down once the locator has classified it), never pixels or text: nothing personal outlives
//! the request in this cache. Entries are keyed by a hash of the pixels and the size.

use std::collections::VecDeque;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use image::RgbImage;
use kycd_plugin_api::{Point, Quad};

use crate::detect::DetectedLine;

/// Images remembered: enough for the requests the workers run at the same time.
const CAPACITY: usize = 8;

/// An image's identity: its size and a hash of its pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ImageKey {
    width: u32,
    height: u32,
    hash: u64,
}

impl ImageKey {
    /// Hashes the pixels (about 1 ms for a 1000x630 card).
    pub(crate) fn of(image: &RgbImage) -> Self {
        Self::of_pixels(image.width(), image.height(), image.as_raw())
    }

    /// [`ImageKey::of`] for an image's size and RGB bytes.
    pub(crate) fn of_pixels(width: u32, height: u32, rgb: &[u8]) -> Self {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        rgb.hash(&mut hasher);
        ImageKey {
            width,
            height,
            hash: hasher.finish(),
        }
    }
}

/// The last `N` values stored by image, newest last: a put for a known key replaces its
/// entry, and a put when full forgets the oldest. Shared by the recent detections and a
/// request's Latin reads (`crate::services::RequestReads`).
pub(crate) struct Remembered<V, const N: usize> {
    entries: Mutex<VecDeque<(ImageKey, V)>>,
}

impl<V, const N: usize> Default for Remembered<V, N> {
    fn default() -> Self {
        Remembered {
            entries: Mutex::new(VecDeque::with_capacity(N)),
        }
    }
}

impl<V, const N: usize> Remembered<V, N> {
    /// What `read` takes from the value remembered for `key`.
    pub(crate) fn lookup<T>(&self, key: ImageKey, read: impl FnOnce(&V) -> Option<T>) -> Option<T> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .and_then(|(_, value)| read(value))
    }

    /// Changes the value remembered for `key`, if any.
    pub(crate) fn update(&self, key: ImageKey, change: impl FnOnce(&mut V)) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, value)) = entries.iter_mut().rev().find(|(k, _)| *k == key) {
            change(value);
        }
    }

    /// Remembers `value` for `key`, forgetting the oldest entry when full.
    pub(crate) fn put(&self, key: ImageKey, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.retain(|(k, _)| *k != key);
        if entries.len() == N {
            entries.pop_front();
        }
        entries.push_back((key, value));
    }
}

/// One image's detections and, when the locator classified them, each line's probability of
/// reading upside down (`None` for a line it did not classify).
struct Entry {
    lines: Arc<Vec<DetectedLine>>,
    upside_down: Option<Arc<Vec<Option<f32>>>>,
}

/// The most recent detections, newest last.
#[derive(Default)]
pub(crate) struct RecentDetections {
    entries: Remembered<Entry, CAPACITY>,
}

impl RecentDetections {
    /// The detections remembered for `key`.
    pub(crate) fn get(&self, key: ImageKey) -> Option<Arc<Vec<DetectedLine>>> {
        self.entries.lookup(key, |entry| Some(entry.lines.clone()))
    }

    /// The upside-down probabilities noted for `key`'s lines, one per line.
    pub(crate) fn upside_down(&self, key: ImageKey) -> Option<Arc<Vec<Option<f32>>>> {
        self.entries.lookup(key, |entry| entry.upside_down.clone())
    }

    /// Remembers the detections of `key`, forgetting the oldest entry when full.
    pub(crate) fn put(&self, key: ImageKey, lines: Arc<Vec<DetectedLine>>) {
        let entry = Entry {
            lines,
            upside_down: None,
        };
        self.entries.put(key, entry);
    }

    /// Notes the upside-down probabilities of `key`'s remembered lines (one per line; ignored
    /// when `key` is no longer remembered or has another number of lines).
    pub(crate) fn note_upside_down(&self, key: ImageKey, probabilities: Vec<Option<f32>>) {
        self.entries.update(key, |entry| {
            if entry.lines.len() == probabilities.len() {
                entry.upside_down = Some(Arc::new(probabilities));
            }
        });
    }
}

/// The detections of an image turned by 180 degrees: every point mirrored through the centre,
/// corners re-labelled so that each quad still starts at its content's top-left.
pub(crate) fn turned_half(lines: &[DetectedLine], width: u32, height: u32) -> Vec<DetectedLine> {
    let (w, h) = (width as f32, height as f32);
    let turn = |p: Point| Point {
        x: (w - 1.0 - p.x).max(0.0),
        y: (h - 1.0 - p.y).max(0.0),
    };
    lines
        .iter()
        .map(|line| {
            let [a, b, c, d] = line.quad.points;
            DetectedLine {
                quad: Quad {
                    points: [turn(c), turn(d), turn(a), turn(b)],
                },
                score: line.score,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(x: f32) -> DetectedLine {
        DetectedLine {
            quad: Quad {
                points: [
                    Point { x, y: 10.0 },
                    Point {
                        x: x + 50.0,
                        y: 10.0,
                    },
                    Point {
                        x: x + 50.0,
                        y: 20.0,
                    },
                    Point { x, y: 20.0 },
                ],
            },
            score: 0.9,
        }
    }

    #[test]
    fn keys_tell_images_apart_by_pixels_and_size() {
        let a = RgbImage::new(4, 2);
        let mut b = a.clone();
        b.put_pixel(3, 1, image::Rgb([1, 0, 0]));
        assert_eq!(ImageKey::of(&a), ImageKey::of(&a.clone()));
        assert_ne!(ImageKey::of(&a), ImageKey::of(&b));
        assert_ne!(ImageKey::of(&a), ImageKey::of(&RgbImage::new(2, 4)));
    }

    #[test]
    fn remembers_the_newest_entries_only() {
        let recent = RecentDetections::default();
        let keys: Vec<ImageKey> = (0..=CAPACITY as u32)
            .map(|i| ImageKey::of(&RgbImage::new(i + 1, 1)))
            .collect();
        for (i, key) in keys.iter().enumerate() {
            recent.put(*key, Arc::new(vec![line(i as f32)]));
        }
        recent.note_upside_down(keys[CAPACITY], vec![Some(0.25)]);
        recent.note_upside_down(keys[1], vec![Some(0.5), None]);
        assert_eq!(
            *recent.upside_down(keys[CAPACITY]).unwrap(),
            vec![Some(0.25)]
        );
        assert!(
            recent.upside_down(keys[1]).is_none(),
            "one probability per line"
        );
        assert!(
            recent.get(keys[0]).is_none(),
            "the oldest entry is forgotten"
        );
        assert_eq!(
            recent.get(keys[CAPACITY]).unwrap()[0].quad.points[0].x,
            CAPACITY as f32
        );
    }

    #[test]
    fn turning_twice_gives_the_same_quads() {
        let lines = vec![line(5.0)];
        let turned = turned_half(&lines, 100, 40);
        // Content top-left of the turned line is the old bottom-right, mirrored.
        assert_eq!(turned[0].quad.points[0], Point { x: 44.0, y: 19.0 });
        let back = turned_half(&turned, 100, 40);
        assert_eq!(back[0].quad, lines[0].quad);
    }
}
