//! Reload benchmark: 100 plugin swaps against a running host, each with distinct bytes (so each
//! maps a new library, the worst case), printing swap-to-first-answer latency and RSS growth.
//!
//! `cargo bench -p kycd --bench reload` (needs `models/fetch.sh` to have run).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Duration;

use common::*;

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    const RELOADS: usize = 100;
    let host = TestHost::start(&TestConfig::default());
    let png = b64(&test_png(16, 16));
    let target = host.plugin_dir().join("libkycd_plugin_echo.so");
    let generation = |host: &TestHost| {
        let (_, body) = host.post_form("fixture/echo", Some(KEY_ALL), &[("img", &png)]);
        body["message"]["Generation"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    // Warm up: one request so every lazily initialised part is in the RSS baseline.
    assert_eq!(generation(&host), "1.0.0");
    let pid = host.pid();
    let rss_before = rss_kib(pid);
    let library_kib = std::fs::metadata(&fixtures().echo_v1).unwrap().len() / 1024;

    let mut latencies_ms = Vec::with_capacity(RELOADS);
    for i in 0..RELOADS {
        let (source, expected) = if i % 2 == 0 {
            (&fixtures().echo_v2, "2.0.0")
        } else {
            (&fixtures().echo_v1, "1.0.0")
        };
        // A unique trailer makes the bytes new, so the host maps a fresh copy every time.
        let mut bytes = std::fs::read(source).unwrap();
        bytes.extend_from_slice(format!("reload-{i}").as_bytes());
        let staging = target.with_extension("staging");
        std::fs::write(&staging, &bytes).unwrap();
        std::fs::rename(&staging, &target).unwrap();
        let took = wait_until(Duration::from_secs(10), || generation(&host) == expected)
            .unwrap_or_else(|| panic!("reload {i} never became visible; log:\n{}", host.log()));
        latencies_ms.push(took.as_secs_f64() * 1000.0);
    }
    let rss_after = rss_kib(pid);
    latencies_ms.sort_by(f64::total_cmp);
    println!(
        "reload benchmark: {RELOADS} swaps of a {library_kib} KiB plugin, each with new bytes"
    );
    println!(
        "swap -> first answer from the new version: p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms",
        percentile(&latencies_ms, 0.5),
        percentile(&latencies_ms, 0.95),
        latencies_ms[RELOADS - 1]
    );
    println!(
        "RSS: {} KiB before, {} KiB after, growth {} KiB total, {:.0} KiB per reload",
        rss_before,
        rss_after,
        rss_after.saturating_sub(rss_before),
        rss_after.saturating_sub(rss_before) as f64 / RELOADS as f64
    );
}
