//! The in-memory search index of one tenant: every face embedding in one contiguous `Vec<f32>`
//! and an exact scan with SIMD dot products (AVX2+FMA when the CPU has them, detected at run
//! time; a portable 8-lane loop the compiler vectorises otherwise). Large galleries are
//! scanned on two threads.

use std::collections::HashMap;

use crate::DIM;

/// Galleries at least this large are scanned on [`SCAN_THREADS`] threads.
const PARALLEL_FROM: usize = 65_536;
/// Threads for a large scan (the product targets 2-core machines).
const SCAN_THREADS: usize = 2;

/// One tenant's faces and persons, held for search.
#[derive(Default)]
pub(crate) struct TenantIndex {
    /// `faces.len() * DIM` values, face `i` at `i * DIM..(i + 1) * DIM`.
    vectors: Vec<f32>,
    /// The same faces quantised to i8 (`DIM` per face), scanned first in large galleries.
    codes: Vec<i8>,
    /// Per face: the scale of its code (`value ~= scale * code`).
    code_scales: Vec<f32>,
    /// The largest L2 quantisation error `|x - scale * code|` of any face.
    max_code_error: f32,
    /// SQLite row id of each face.
    row_ids: Vec<i64>,
    /// Index into `persons` of each face.
    face_person: Vec<u32>,
    /// Person id strings; a deleted person's slot is reused.
    persons: Vec<PersonSlot>,
    by_id: HashMap<String, u32>,
    free_slots: Vec<u32>,
}

#[derive(Default)]
struct PersonSlot {
    id: String,
    faces: u32,
}

/// A person's best face score, as found by a scan.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hit {
    pub person: u32,
    pub cosine: f32,
}

impl TenantIndex {
    /// Number of persons and faces.
    pub fn size(&self) -> (usize, usize) {
        (self.by_id.len(), self.row_ids.len())
    }

    /// Person id of a slot returned in a [`Hit`].
    pub fn person_id(&self, person: u32) -> &str {
        &self.persons[person as usize].id
    }

    /// Number of faces stored for `person_id` (0 when unknown).
    pub fn face_count(&self, person_id: &str) -> u32 {
        self.by_id
            .get(person_id)
            .map_or(0, |&slot| self.persons[slot as usize].faces)
    }

    /// Adds a face (already unit length, `DIM` values) for `person_id`.
    pub fn push(&mut self, row_id: i64, person_id: &str, vector: &[f32]) {
        debug_assert_eq!(vector.len(), DIM);
        let slot = match self.by_id.get(person_id) {
            Some(&slot) => slot,
            None => {
                let slot = match self.free_slots.pop() {
                    Some(slot) => slot,
                    None => {
                        self.persons.push(PersonSlot::default());
                        (self.persons.len() - 1) as u32
                    }
                };
                self.persons[slot as usize] = PersonSlot {
                    id: person_id.to_owned(),
                    faces: 0,
                };
                self.by_id.insert(person_id.to_owned(), slot);
                slot
            }
        };
        self.persons[slot as usize].faces += 1;
        self.vectors.extend_from_slice(vector);
        let code = Code::of(vector);
        self.codes.extend_from_slice(&code.values);
        self.code_scales.push(code.scale);
        self.max_code_error = self.max_code_error.max(code.error);
        self.row_ids.push(row_id);
        self.face_person.push(slot);
    }

    /// Removes a person and their faces; false when unknown.
    pub fn remove_person(&mut self, person_id: &str) -> bool {
        let Some(slot) = self.by_id.remove(person_id) else {
            return false;
        };
        let mut i = 0;
        while i < self.row_ids.len() {
            if self.face_person[i] == slot {
                self.swap_remove_face(i);
            } else {
                i += 1;
            }
        }
        self.persons[slot as usize] = PersonSlot::default();
        self.free_slots.push(slot);
        true
    }

    fn swap_remove_face(&mut self, i: usize) {
        let last = self.row_ids.len() - 1;
        if i != last {
            let (head, tail) = self.vectors.split_at_mut(last * DIM);
            head[i * DIM..(i + 1) * DIM].copy_from_slice(&tail[..DIM]);
            let (head, tail) = self.codes.split_at_mut(last * DIM);
            head[i * DIM..(i + 1) * DIM].copy_from_slice(&tail[..DIM]);
        }
        self.vectors.truncate(last * DIM);
        self.codes.truncate(last * DIM);
        self.code_scales.swap_remove(i);
        self.row_ids.swap_remove(i);
        self.face_person.swap_remove(i);
    }

    /// The best `top_k` persons with a face scoring at least `min_cosine` against `query`
    /// (unit length, `DIM` values), best first; each person appears once, with their best face.
    pub fn search(&self, query: &[f32], top_k: usize, min_cosine: f32) -> Vec<Hit> {
        let faces = self.row_ids.len();
        let top_k = top_k.min(self.by_id.len());
        if top_k == 0 || faces == 0 || query.len() != DIM {
            return Vec::new();
        }
        let mut best = if faces >= PARALLEL_FROM {
            let per_thread = faces.div_ceil(SCAN_THREADS);
            std::thread::scope(|scope| {
                let workers: Vec<_> = (0..SCAN_THREADS)
                    .map(|t| {
                        let start = (t * per_thread).min(faces);
                        let end = ((t + 1) * per_thread).min(faces);
                        scope.spawn(move || self.scan(query, start..end, top_k, min_cosine))
                    })
                    .collect();
                let mut merged = TopK::new(top_k, min_cosine);
                for worker in workers {
                    let part = worker.join().expect("gallery scan thread panicked");
                    for hit in part.hits {
                        merged.offer(hit.person, hit.cosine);
                    }
                }
                merged
            })
        } else {
            self.scan(query, 0..faces, top_k, min_cosine)
        };
        best.hits.sort_by(|a, b| b.cosine.total_cmp(&a.cosine));
        best.hits
    }

    fn scan(
        &self,
        query: &[f32],
        faces: std::ops::Range<usize>,
        top_k: usize,
        min_cosine: f32,
    ) -> TopK {
        if self.row_ids.len() >= QUANTISED_FROM {
            self.scan_quantised(query, faces, top_k, min_cosine)
        } else {
            self.scan_exact(query, faces, top_k, min_cosine)
        }
    }

    /// Scores every face in `faces` with the f32 dot product.
    fn scan_exact(
        &self,
        query: &[f32],
        faces: std::ops::Range<usize>,
        top_k: usize,
        min_cosine: f32,
    ) -> TopK {
        let mut best = TopK::new(top_k, min_cosine);
        let query: &[f32; DIM] = query.try_into().expect("query has DIM values");
        let block = &self.vectors[faces.start * DIM..faces.end * DIM];
        let mut scores = [0f32; SCORE_BATCH];
        for (batch_no, batch) in block.chunks(SCORE_BATCH * DIM).enumerate() {
            let n = batch.len() / DIM;
            dot_many(query, batch, &mut scores[..n]);
            let first = faces.start + batch_no * SCORE_BATCH;
            for (j, &score) in scores[..n].iter().enumerate() {
                if score >= best.floor {
                    best.offer(self.face_person[first + j], score);
                }
            }
        }
        best
    }

    /// Scores every face in `faces` with the i8 codes (a quarter of the memory traffic) and
    /// re-scores with the f32 dot product every face whose code score, plus the largest possible
    /// quantisation error, could still enter the result. The result is the exact one.
    fn scan_quantised(
        &self,
        query: &[f32],
        faces: std::ops::Range<usize>,
        top_k: usize,
        min_cosine: f32,
    ) -> TopK {
        let mut best = TopK::new(top_k, min_cosine);
        let query: &[f32; DIM] = query.try_into().expect("query has DIM values");
        let code = Code::of(query);
        // |q.x - sq*sx*(cq.cx)| <= |x - sx*cx| + |sx*cx| * |q - sq*cq|, with |q| = |x| = 1;
        // plus a margin for f32 rounding.
        let bound =
            self.max_code_error + (1.0 + self.max_code_error) * code.error + CODE_SCORE_MARGIN;
        let block = &self.codes[faces.start * DIM..faces.end * DIM];
        let mut scores = [0i32; SCORE_BATCH];
        for (batch_no, batch) in block.chunks(SCORE_BATCH * DIM).enumerate() {
            let n = batch.len() / DIM;
            dot_many_i8(&code.values, batch, &mut scores[..n]);
            let first = faces.start + batch_no * SCORE_BATCH;
            for (j, &raw) in scores[..n].iter().enumerate() {
                let face = first + j;
                let approx = raw as f32 * code.scale * self.code_scales[face];
                if approx + bound >= best.floor {
                    let vector = &self.vectors[face * DIM..(face + 1) * DIM];
                    let exact = dot(query, vector.try_into().expect("DIM values"));
                    best.offer(self.face_person[face], exact);
                }
            }
        }
        best
    }
}

/// Galleries at least this large are scanned through their i8 codes first.
const QUANTISED_FROM: usize = 131_072;
/// Allowance for f32 rounding in the quantised score bound.
const CODE_SCORE_MARGIN: f32 = 1e-4;

/// A vector quantised to i8 with one scale.
struct Code {
    values: [i8; DIM],
    scale: f32,
    /// L2 norm of `vector - scale * values`.
    error: f32,
}

impl Code {
    fn of(vector: &[f32]) -> Code {
        let max = vector.iter().fold(0f32, |m, v| m.max(v.abs()));
        let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        let mut values = [0i8; DIM];
        let mut error = 0f32;
        for (q, &v) in values.iter_mut().zip(vector) {
            let r = (v / scale).round().clamp(-127.0, 127.0);
            *q = r as i8;
            let e = v - r * scale;
            error += e * e;
        }
        Code {
            values,
            scale,
            error: error.sqrt() * 1.0001,
        }
    }
}

/// Faces scored per call of the dot-product kernel.
const SCORE_BATCH: usize = 256;

/// The best `k` persons seen so far.
struct TopK {
    k: usize,
    min_cosine: f32,
    /// The score a face must reach to change the result.
    floor: f32,
    hits: Vec<Hit>,
}

impl TopK {
    fn new(k: usize, min_cosine: f32) -> TopK {
        TopK {
            k,
            min_cosine,
            floor: min_cosine,
            hits: Vec::with_capacity(k),
        }
    }

    fn offer(&mut self, person: u32, cosine: f32) {
        // A NaN score never enters the result.
        if cosine.is_nan() || cosine < self.floor {
            return;
        }
        if let Some(hit) = self.hits.iter_mut().find(|h| h.person == person) {
            hit.cosine = hit.cosine.max(cosine);
        } else if self.hits.len() < self.k {
            self.hits.push(Hit { person, cosine });
        } else {
            let worst = self.worst();
            self.hits[worst] = Hit { person, cosine };
        }
        if self.hits.len() == self.k {
            let worst = self.hits[self.worst()].cosine;
            self.floor = worst.max(self.min_cosine);
        }
    }

    fn worst(&self) -> usize {
        let mut worst = 0;
        for (i, hit) in self.hits.iter().enumerate() {
            if hit.cosine < self.hits[worst].cosine {
                worst = i;
            }
        }
        worst
    }
}

/// `scores[i] = dot(query, vectors[i * DIM..])` for every face in `vectors`.
fn dot_many(query: &[f32; DIM], vectors: &[f32], scores: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
            // SAFETY: the CPU supports the features the function is compiled for.
            unsafe { dot_many_avx2(query, vectors, scores) };
            return;
        }
    }
    dot_many_portable(query, vectors, scores);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn dot_many_avx2(query: &[f32; DIM], vectors: &[f32], scores: &mut [f32]) {
    // The same portable code, compiled with 256-bit registers and fused multiply-add.
    dot_many_portable(query, vectors, scores);
}

/// `scores[i]` = integer dot product of `query` and code `i` of `codes`.
fn dot_many_i8(query: &[i8; DIM], codes: &[i8], scores: &mut [i32]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports the feature the function is compiled for.
            unsafe { dot_many_i8_avx2(query, codes, scores) };
            return;
        }
    }
    dot_many_i8_portable(query, codes, scores);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn dot_many_i8_avx2(query: &[i8; DIM], codes: &[i8], scores: &mut [i32]) {
    dot_many_i8_portable(query, codes, scores);
}

#[inline(always)]
fn dot_many_i8_portable(query: &[i8; DIM], codes: &[i8], scores: &mut [i32]) {
    for (score, code) in scores.iter_mut().zip(codes.chunks_exact(DIM)) {
        // i8 x i8 fits i16; pairs of those sum in i32 (the pmaddwd shape).
        *score = query
            .iter()
            .zip(code)
            .map(|(&a, &b)| a as i16 as i32 * b as i16 as i32)
            .sum();
    }
}

#[inline(always)]
fn dot_many_portable(query: &[f32; DIM], vectors: &[f32], scores: &mut [f32]) {
    for (score, vector) in scores.iter_mut().zip(vectors.chunks_exact(DIM)) {
        *score = dot(query, vector.try_into().expect("DIM values"));
    }
}

/// Dot product with four independent 8-lane accumulators, a shape the compiler turns into
/// SIMD multiply-adds.
#[inline(always)]
#[allow(clippy::needless_range_loop)] // explicit lanes keep the SIMD shape obvious
pub(crate) fn dot(a: &[f32; DIM], b: &[f32; DIM]) -> f32 {
    let mut acc = [[0f32; 8]; 4];
    for (a32, b32) in a.chunks_exact(32).zip(b.chunks_exact(32)) {
        for (lane_group, acc) in acc.iter_mut().enumerate() {
            for lane in 0..8 {
                let i = lane_group * 8 + lane;
                acc[lane] = a32[i].mul_add(b32[i], acc[lane]);
            }
        }
    }
    let mut sum = [0f32; 8];
    for acc in acc {
        for (total, lane) in sum.iter_mut().zip(acc) {
            *total += lane;
        }
    }
    sum.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(seed: u32) -> Vec<f32> {
        // A deterministic pseudo-random unit vector (xorshift).
        let mut state = seed.wrapping_mul(2_654_435_761).max(1);
        let mut v: Vec<f32> = (0..DIM)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                (state as f32 / u32::MAX as f32) - 0.5
            })
            .collect();
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter_mut().for_each(|x| *x /= norm);
        v
    }

    #[test]
    fn dot_matches_naive_sum() {
        let (a, b) = (unit(1), unit(2));
        let naive: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        let fast = dot(
            a.as_slice().try_into().unwrap(),
            b.as_slice().try_into().unwrap(),
        );
        assert!((naive - fast).abs() < 1e-5, "{naive} vs {fast}");
        let mut scores = [0f32; 2];
        let both = [a.clone(), b.clone()].concat();
        dot_many(a.as_slice().try_into().unwrap(), &both, &mut scores);
        assert!((scores[0] - 1.0).abs() < 1e-5);
        assert!((scores[1] - naive).abs() < 1e-5);
    }

    #[test]
    fn parallel_scan_equals_serial_scan() {
        let mut index = TenantIndex::default();
        for i in 0..PARALLEL_FROM as u32 + 1000 {
            index.push(i as i64, &format!("p{}", i % 5000), &unit(i + 10));
        }
        let query = unit(777_777);
        let parallel = index.search(&query, 20, -1.0);
        let mut serial = index.scan(&query, 0..index.row_ids.len(), 20, -1.0);
        serial.hits.sort_by(|a, b| b.cosine.total_cmp(&a.cosine));
        let ids = |hits: &[Hit]| hits.iter().map(|h| h.person).collect::<Vec<_>>();
        assert_eq!(ids(&parallel), ids(&serial.hits));
        assert_eq!(parallel.len(), 20);
    }

    #[test]
    fn quantised_scan_equals_exact_scan() {
        let mut index = TenantIndex::default();
        for i in 0..20_000u32 {
            index.push(i as i64, &format!("p{}", i % 15_000), &unit(i + 99));
        }
        for q in 0..6 {
            let query = unit(1_000_000 + q);
            for (top_k, min_cosine) in [(1, -1.0), (10, -1.0), (50, 0.1), (5, 0.35)] {
                let all = 0..index.row_ids.len();
                let mut exact = index.scan_exact(&query, all.clone(), top_k, min_cosine);
                let mut quantised = index.scan_quantised(&query, all, top_k, min_cosine);
                exact.hits.sort_by(|a, b| b.cosine.total_cmp(&a.cosine));
                quantised.hits.sort_by(|a, b| b.cosine.total_cmp(&a.cosine));
                let ids = |hits: &[Hit]| hits.iter().map(|h| h.person).collect::<Vec<_>>();
                assert_eq!(
                    ids(&exact.hits),
                    ids(&quantised.hits),
                    "query {q} k {top_k}"
                );
            }
        }
    }

    #[test]
    fn removing_a_person_keeps_the_others_searchable() {
        let mut index = TenantIndex::default();
        index.push(1, "a", &unit(1));
        index.push(2, "b", &unit(2));
        index.push(3, "a", &unit(3));
        index.push(4, "c", &unit(4));
        assert!(index.remove_person("a"));
        assert!(!index.remove_person("a"));
        assert_eq!(index.size(), (2, 2));
        let hits = index.search(&unit(4), 5, 0.99);
        assert_eq!(hits.len(), 1);
        assert_eq!(index.person_id(hits[0].person), "c");
        index.push(5, "d", &unit(5));
        let hits = index.search(&unit(5), 1, 0.99);
        assert_eq!(index.person_id(hits[0].person), "d");
        assert_eq!(index.face_count("d"), 1);
    }
}
