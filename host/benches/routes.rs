//! Document-route benchmark: a host serving every country plugin, each image of the fixed
//! corpus (`tests/corpus/`, one scan and one photo per document side) posted as a client does
//! (urlencoded base64, one request at a time), `ROUNDS` times after a warm-up request. Prints
//! the p50 and p95 request time per route and condition, then over all scans and all photos,
//! and the process CPU time per request. The answers are not checked here (the accuracy
//! floors test does that); no text read from the images is printed.
//!
//! `cargo bench -p kycd --bench routes [-- ROUNDS]` (default 3; needs `models/fetch.sh` to
//! have run).

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::time::Instant;

use common::*;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// User plus system CPU time of process `pid`, in milliseconds.
fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|i| fields.get(*i).and_then(|v| v.parse::<f64>().ok()))
        .sum();
    // Linux reports these in USER_HZ, 100 per second everywhere kycd runs.
    ticks * 10.0
}

fn summary(label: &str, times: &mut [f64]) {
    times.sort_by(f64::total_cmp);
    println!(
        "{label:<36} {:>4} requests  p50 {:>5.0} ms  p95 {:>5.0} ms",
        times.len(),
        percentile(times, 0.5),
        percentile(times, 0.95)
    );
}

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(3);
    let root = workspace_root();
    let config = TestConfig {
        model_threads: 2,
        ..TestConfig::default()
    };
    let host = TestHost::with_country_plugins(&[], &config);

    // (route, condition, base64 image), in file-name order.
    let corpus = root.join("tests/corpus");
    let mut cases: Vec<(String, String, String)> = Vec::new();
    let mut jsons: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap_or_else(|e| panic!("{}: {e}", corpus.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    jsons.sort();
    for json in jsons {
        let truth: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        let image = ["jpg", "png", "bmp"]
            .iter()
            .map(|ext| json.with_extension(ext))
            .find(|p| p.exists())
            .unwrap_or_else(|| panic!("no image beside {}", json.display()));
        cases.push((
            truth["route"].as_str().unwrap().to_string(),
            truth["condition"].as_str().unwrap_or("scan").to_string(),
            b64(&std::fs::read(&image).unwrap()),
        ));
    }
    assert!(!cases.is_empty(), "no images in {}", corpus.display());

    let post = |route: &str, img: &str| {
        let (status, _) = host.post_form(route, Some(KEY_ALL), &[("img", img)]);
        assert!(status < 500, "{route}: HTTP {status}");
    };
    post(&cases[0].0, &cases[0].2);
    let cpu_before = cpu_ms(host.pid());
    let mut by_route: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    let mut by_condition: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for _ in 0..rounds {
        for (route, condition, img) in &cases {
            let started = Instant::now();
            post(route, img);
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            by_route
                .entry((route.clone(), condition.clone()))
                .or_default()
                .push(ms);
            by_condition.entry(condition.clone()).or_default().push(ms);
        }
    }
    let requests = (rounds * cases.len()) as f64;
    println!(
        "{} images x {rounds} rounds, one request at a time; host CPU per request {:.0} ms",
        cases.len(),
        (cpu_ms(host.pid()) - cpu_before) / requests
    );
    for ((route, condition), times) in &mut by_route {
        summary(&format!("{route} {condition}"), times);
    }
    for (condition, times) in &mut by_condition {
        summary(&format!("all routes, {condition}"), times);
    }
}
