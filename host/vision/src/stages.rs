//! Per-model-stage latency: a fixed, lock-free registry of histograms, one per [`Stage`], that
//! any thread records into with [`record`] (or [`time`]) and the host renders as the
//! `kycd_stage_seconds` histograms of `GET /metrics` from a [`snapshot`].
//!
//! Process-wide on purpose: every request of every route shares the same models, so the time a
//! model stage takes is a property of the process, not of one `Vision`.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A model stage whose latency is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    /// PP-OCR text detection (one call on one image).
    TextDetect,
    /// 0/180 angle classification of a batch of lines.
    TextClassify,
    /// PP-OCR Latin recognition of a batch of lines, or of one region (`recognize_region`).
    TextRecognize,
    /// Tesseract reading Thai or Devanagari lines (re-reads and `recognize_region`).
    Tesseract,
    /// A whole machine-readable-zone read (find, re-read, parse).
    Mrz,
    /// Barcode decoding (QR, PDF417) of one image.
    Barcode,
    /// Finding and rectifying a document in a photo.
    DocumentLocate,
    /// YuNet face detection on one image.
    FaceDetect,
    /// Quality assessment and SFace embedding of one face.
    FaceEmbed,
}

impl Stage {
    /// Every stage, in the order `/metrics` lists them.
    pub const ALL: [Stage; 9] = [
        Stage::TextDetect,
        Stage::TextClassify,
        Stage::TextRecognize,
        Stage::Tesseract,
        Stage::Mrz,
        Stage::Barcode,
        Stage::DocumentLocate,
        Stage::FaceDetect,
        Stage::FaceEmbed,
    ];

    /// The `stage` label value.
    pub fn name(self) -> &'static str {
        match self {
            Stage::TextDetect => "text_detect",
            Stage::TextClassify => "text_classify",
            Stage::TextRecognize => "text_recognize",
            Stage::Tesseract => "tesseract",
            Stage::Mrz => "mrz",
            Stage::Barcode => "barcode",
            Stage::DocumentLocate => "document_locate",
            Stage::FaceDetect => "face_detect",
            Stage::FaceEmbed => "face_embed",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Upper bounds of the histogram buckets, in seconds (a `+Inf` bucket is implied).
pub const BUCKETS_SECONDS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.4, 0.6, 1.0, 2.5, 10.0,
];

struct Histogram {
    /// Per bucket (not cumulative) counts; the last slot is the `+Inf` overflow.
    buckets: [AtomicU64; BUCKETS_SECONDS.len() + 1],
    count: AtomicU64,
    sum_nanos: AtomicU64,
}

impl Histogram {
    const fn new() -> Self {
        Histogram {
            buckets: [const { AtomicU64::new(0) }; BUCKETS_SECONDS.len() + 1],
            count: AtomicU64::new(0),
            sum_nanos: AtomicU64::new(0),
        }
    }
}

static REGISTRY: [Histogram; Stage::ALL.len()] = [const { Histogram::new() }; Stage::ALL.len()];

/// Records one run of `stage` that took `elapsed`. Lock-free; safe from any thread.
pub fn record(stage: Stage, elapsed: Duration) {
    REGISTRY[stage.index()].record(elapsed);
}

/// Runs `work` and records how long it took under `stage`.
pub fn time<T>(stage: Stage, work: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let value = work();
    record(stage, started.elapsed());
    value
}

/// Records the stages one text read went through, from its [`crate::ReadProfile`]: detection,
/// classification and recognition when lines were detected, Tesseract when it re-read any.
/// Meant to be called once per read by the OCR pipeline (`ocr.rs`), where the profile is filled.
pub fn record_read_profile(profile: &crate::ReadProfile) {
    record(Stage::TextDetect, profile.detection);
    if profile.lines > 0 {
        record(Stage::TextClassify, profile.crop_and_classify);
        record(Stage::TextRecognize, profile.recognition);
    }
    if profile.tesseract_calls > 0 {
        record(Stage::Tesseract, profile.tesseract);
    }
}

static CPU_PROFILING: AtomicBool = AtomicBool::new(false);

/// Turns on measuring the process CPU time of each text-read stage into
/// [`crate::ReadProfile`]'s `*_cpu` fields (benchmarks only: the figures are process-wide, so
/// they mean something only while one read runs at a time). Off by default.
pub fn set_cpu_profiling(on: bool) {
    CPU_PROFILING.store(on, Ordering::Relaxed);
}

/// The CPU time (user + system, every thread, exited ones included) this process has used,
/// when CPU profiling is on ([`set_cpu_profiling`]) and the platform can say; else `None`.
pub(crate) fn process_cpu_time() -> Option<Duration> {
    if !CPU_PROFILING.load(Ordering::Relaxed) {
        return None;
    }
    process_cpu_clock()
}

/// The CPU time (user + system, every thread) this process has used, whether or not CPU
/// profiling is on; `None` where the platform cannot say. For benchmarks.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
pub fn process_cpu_clock() -> Option<Duration> {
    #[repr(C)]
    struct Timespec {
        seconds: i64,
        nanoseconds: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }
    const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
    let mut time = Timespec {
        seconds: 0,
        nanoseconds: 0,
    };
    // SAFETY: `time` is a valid, writable timespec of the platform's layout (64-bit Linux).
    let status = unsafe { clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &mut time) };
    (status == 0).then(|| Duration::new(time.seconds as u64, time.nanoseconds as u32))
}

/// See the Linux version: no process CPU clock here.
#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
pub fn process_cpu_clock() -> Option<Duration> {
    None
}

/// CPU time used since `start` (from [`process_cpu_time`]); zero when profiling is off.
pub(crate) fn cpu_since(start: Option<Duration>) -> Duration {
    match (start, process_cpu_clock()) {
        (Some(start), Some(now)) => now.saturating_sub(start),
        _ => Duration::ZERO,
    }
}

/// One stage's histogram at the time of a [`snapshot`].
#[derive(Clone, Debug, PartialEq)]
pub struct StageSnapshot {
    /// The stage.
    pub stage: Stage,
    /// Cumulative counts per bound of [`BUCKETS_SECONDS`] (Prometheus `le` buckets).
    pub cumulative: [u64; BUCKETS_SECONDS.len()],
    /// Runs recorded (the `+Inf` bucket).
    pub count: u64,
    /// Total time recorded, in seconds.
    pub sum_seconds: f64,
}

impl Histogram {
    fn record(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let slot = BUCKETS_SECONDS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(BUCKETS_SECONDS.len());
        self.buckets[slot].fetch_add(1, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        self.sum_nanos.fetch_add(nanos, Ordering::Relaxed);
    }

    /// Counters are read one by one without a lock, so a record racing the snapshot may show in
    /// `count` and not yet in a bucket (or the reverse): `count` is raised to the buckets' total
    /// to keep the exposition consistent.
    fn snapshot(&self, stage: Stage) -> StageSnapshot {
        let mut cumulative = [0u64; BUCKETS_SECONDS.len()];
        let mut running = 0u64;
        for (i, slot) in cumulative.iter_mut().enumerate() {
            running += self.buckets[i].load(Ordering::Relaxed);
            *slot = running;
        }
        let overflow = self.buckets[BUCKETS_SECONDS.len()].load(Ordering::Relaxed);
        StageSnapshot {
            stage,
            cumulative,
            count: self.count.load(Ordering::Relaxed).max(running + overflow),
            sum_seconds: self.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9,
        }
    }
}

/// Every stage's histogram, in [`Stage::ALL`] order.
pub fn snapshot() -> Vec<StageSnapshot> {
    Stage::ALL
        .iter()
        .map(|&stage| REGISTRY[stage.index()].snapshot(stage))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_land_in_the_right_cumulative_buckets() {
        let histogram = Histogram::new();
        histogram.record(Duration::from_millis(3));
        histogram.record(Duration::from_secs(20));
        let snap = histogram.snapshot(Stage::Tesseract);
        let bucket = |bound: f64| BUCKETS_SECONDS.iter().position(|b| *b == bound).unwrap();
        assert_eq!(snap.count, 2);
        assert_eq!(snap.cumulative[bucket(0.0025)], 0);
        assert_eq!(snap.cumulative[bucket(0.005)], 1);
        // 20 s is past the last bound: only the +Inf bucket (count) has it.
        assert_eq!(snap.cumulative[bucket(10.0)], 1);
        assert!(
            (snap.sum_seconds - 20.003).abs() < 1e-6,
            "{}",
            snap.sum_seconds
        );
    }

    #[test]
    fn time_records_its_work_into_the_registry() {
        let count = || snapshot()[Stage::FaceEmbed.index()].count;
        let before = count();
        assert_eq!(time(Stage::FaceEmbed, || 7), 7);
        assert!(count() > before);
    }

    #[test]
    fn a_read_profile_records_only_the_stages_that_ran() {
        let count = |stage: Stage| snapshot()[stage.index()].count;
        let before = Stage::ALL.map(count);
        let profile = crate::ReadProfile {
            detection: Duration::from_millis(40),
            crop_and_classify: Duration::from_millis(5),
            recognition: Duration::from_millis(90),
            lines: 12,
            ..Default::default()
        };
        record_read_profile(&profile);
        // Other tests of this binary may record at the same time: counts only grow.
        for stage in [Stage::TextDetect, Stage::TextClassify, Stage::TextRecognize] {
            assert!(count(stage) > before[stage.index()], "{stage:?}");
        }
    }

    #[test]
    fn names_are_distinct() {
        let names: std::collections::HashSet<_> = Stage::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(names.len(), Stage::ALL.len());
        for (i, stage) in Stage::ALL.iter().enumerate() {
            assert_eq!(stage.index(), i);
        }
    }
}
