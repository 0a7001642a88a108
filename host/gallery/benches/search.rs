//! Gallery add and search latency at 1k, 100k and 1M stored faces (synthetic random unit
//! vectors, one tenant), with p50/p95, resident memory and the reopen (index rebuild) time.
//!
//! `cargo bench -p kycd-gallery --bench search` (add `-- 1000 100000` for other sizes).
//! The database lives in a temporary directory (`TMPDIR`); 1M faces take about 0.7 GB there.

use std::time::{Duration, Instant};

use kycd_gallery::{Gallery, DIM};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const MODEL: &str = "bench-model";
const LOAD_BATCH: usize = 50_000;

fn random_unit(rng: &mut ChaCha8Rng) -> Vec<f32> {
    let v: Vec<f32> = (0..DIM).map(|_| rng.random::<f32>() * 2.0 - 1.0).collect();
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.into_iter().map(|x| x / n).collect()
}

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let i = ((samples.len() - 1) as f64 * p).round() as usize;
    samples[i].as_secs_f64() * 1000.0
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// CPU time (user + system) this process has used, in ms (clock ticks of 10 ms).
fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let after = s.rsplit_once(')')?.1;
            let fields: Vec<&str> = after.split_whitespace().collect();
            let utime: f64 = fields.get(11)?.parse().ok()?;
            let stime: f64 = fields.get(12)?.parse().ok()?;
            Some((utime + stime) * 10.0)
        })
        .unwrap_or(f64::NAN)
}

fn run(size: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("bench.db");
    let mut rng = ChaCha8Rng::seed_from_u64(size as u64);
    let rss_before = rss_mib();
    let mut index_growth = 0.0;
    let gallery = Gallery::open(&db, MODEL).expect("open");
    let started = Instant::now();
    let mut stored: Vec<Vec<f32>> = Vec::new();
    let mut all: Vec<f32> = Vec::with_capacity(size * DIM);
    let mut ids: Vec<String> = Vec::with_capacity(size);
    let mut left = size;
    while left > 0 {
        let n = left.min(LOAD_BATCH);
        let batch: Vec<f32> = (0..n).flat_map(|_| random_unit(&mut rng)).collect();
        if stored.len() < 100 {
            stored.extend(batch.chunks_exact(DIM).take(100).map(<[f32]>::to_vec));
        }
        let rss = rss_mib();
        ids.extend(
            gallery
                .add_new_persons_unmatched("tenant", &batch)
                .expect("load"),
        );
        index_growth += rss_mib() - rss;
        all.extend_from_slice(&batch);
        left -= n;
    }
    let load = started.elapsed();
    let rss_loaded = rss_before + index_growth;

    // Recall of the gallery's search against a brute-force f32 scan in this process.
    let recall_queries = 20;
    let (mut at1, mut at10) = (0usize, 0usize);
    for _ in 0..recall_queries {
        let query = random_unit(&mut rng);
        let mut scored: Vec<(f32, usize)> = all
            .chunks_exact(DIM)
            .enumerate()
            .map(|(i, v)| (v.iter().zip(&query).map(|(a, b)| a * b).sum(), i))
            .collect();
        scored.select_nth_unstable_by(9, |a, b| b.0.total_cmp(&a.0));
        scored[..10].sort_by(|a, b| b.0.total_cmp(&a.0));
        let hits = gallery.search("tenant", &query, 10, -1.0);
        if hits.first().map(|h| &h.person_id) == Some(&ids[scored[0].1]) {
            at1 += 1;
        }
        at10 += scored[..10]
            .iter()
            .filter(|(_, i)| hits.iter().any(|h| h.person_id == ids[*i]))
            .count();
    }
    drop(all);

    // Search: random queries (no close match) and probes of stored faces (an exact match).
    let queries = if size >= 1_000_000 { 200 } else { 500 };
    let mut search = Vec::with_capacity(queries);
    let mut found = 0;
    let cpu_before = cpu_ms();
    for q in 0..queries {
        let query = if q % 2 == 0 {
            random_unit(&mut rng)
        } else {
            stored[q % stored.len()].clone()
        };
        let t = Instant::now();
        let hits = gallery.search("tenant", &query, 10, 0.3);
        search.push(t.elapsed());
        if q % 2 == 1 && hits.first().is_some_and(|h| h.cosine > 0.999) {
            found += 1;
        }
    }
    let search_cpu = (cpu_ms() - cpu_before) / queries as f64;
    let search_wall: f64 =
        search.iter().map(Duration::as_secs_f64).sum::<f64>() * 1000.0 / queries as f64;
    assert_eq!(found, queries / 2, "every stored face must find itself");

    // Add: search for the best match + a committed, fsync'd insert.
    let adds = 100;
    let mut add = Vec::with_capacity(adds);
    for _ in 0..adds {
        let face = random_unit(&mut rng);
        let t = Instant::now();
        gallery.add("tenant", &face, 0.42).expect("add");
        add.push(t.elapsed());
    }
    drop(gallery);
    let t = Instant::now();
    let reopened = Gallery::open(&db, MODEL).expect("reopen");
    let reopen = t.elapsed();
    assert_eq!(reopened.tenant_size("tenant").1, size + adds);

    println!(
        "faces {size:>8}: recall@1 {:.3} recall@10 {:.3} vs brute force ({recall_queries} queries)",
        at1 as f64 / recall_queries as f64,
        at10 as f64 / (10 * recall_queries) as f64
    );
    println!(
        "faces {size:>8}: search mean {search_wall:.2} ms wall, {search_cpu:.2} ms CPU (both threads); load average {}",
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split_whitespace().next().unwrap_or("?")
    );
    println!(
        "faces {size:>8}: search p50 {:7.2} ms p95 {:7.2} ms ({queries} queries, top 10) | add p50 {:6.2} ms p95 {:6.2} ms ({adds} adds) | gallery RSS +{:6.0} MiB | bulk load {:6.1} s | reopen {:6.2} s",
        percentile(&mut search, 0.5),
        percentile(&mut search, 0.95),
        percentile(&mut add, 0.5),
        percentile(&mut add, 0.95),
        rss_loaded - rss_before,
        load.as_secs_f64(),
        reopen.as_secs_f64(),
    );
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 100_000, 1_000_000]
    } else {
        sizes
    };
    println!(
        "kycd-gallery search bench: {} CPUs available, dim {DIM}",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    for size in sizes {
        run(size);
    }
}
