//! Prometheus text exposition at `GET /metrics`: requests by route and status, latency
//! histograms per route, per model stage (`kycd_stage_seconds`, from `kycd_vision::stages`),
//! plugin versions and reload count.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::plugins::LoadedPlugin;

const BUCKETS_MS: [f64; 12] = [
    5.0, 10.0, 25.0, 50.0, 100.0, 150.0, 250.0, 400.0, 600.0, 1000.0, 2500.0, 10000.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS_MS.len()],
    count: u64,
    sum_ms: f64,
}

/// Process-wide counters.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    plugins: Mutex<Vec<(String, String)>>,
    mapped_libraries: AtomicU64,
    reloads: AtomicU64,
}

impl Metrics {
    /// Counts one answered request.
    pub fn observe(&self, route: &str, status: &str, elapsed: Duration) {
        let ms = elapsed.as_secs_f64() * 1000.0;
        *self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry((route.to_string(), status.to_string()))
            .or_default() += 1;
        let mut latency = self.latency.lock().unwrap_or_else(|e| e.into_inner());
        let h = latency.entry(route.to_string()).or_default();
        for (i, bound) in BUCKETS_MS.iter().enumerate() {
            if ms <= *bound {
                h.counts[i] += 1;
            }
        }
        h.count += 1;
        h.sum_ms += ms;
    }

    pub fn set_plugins(&self, plugins: &[Arc<LoadedPlugin>], mapped: usize) {
        *self.plugins.lock().unwrap_or_else(|e| e.into_inner()) = plugins
            .iter()
            .map(|p| (p.id.clone(), p.version.clone()))
            .collect();
        self.mapped_libraries
            .store(mapped as u64, Ordering::Relaxed);
    }

    pub fn reloaded(&self) {
        self.reloads.fetch_add(1, Ordering::Relaxed);
    }

    pub fn reload_count(&self) -> u64 {
        self.reloads.load(Ordering::Relaxed)
    }

    /// The exposition text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP kycd_requests_total Answers by route and status.\n# TYPE kycd_requests_total counter\n");
        for ((route, status), n) in self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let _ = writeln!(
                out,
                "kycd_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        out.push_str("# HELP kycd_request_duration_ms Request latency by route.\n# TYPE kycd_request_duration_ms histogram\n");
        for (route, h) in self
            .latency
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            for (bound, n) in BUCKETS_MS.iter().zip(h.counts) {
                let _ = writeln!(
                    out,
                    "kycd_request_duration_ms_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "kycd_request_duration_ms_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "kycd_request_duration_ms_sum{{route=\"{route}\"}} {}",
                h.sum_ms
            );
            let _ = writeln!(
                out,
                "kycd_request_duration_ms_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
        render_stages(&mut out);
        out.push_str("# HELP kycd_plugin_info Loaded plugins.\n# TYPE kycd_plugin_info gauge\n");
        for (id, version) in self
            .plugins
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let _ = writeln!(
                out,
                "kycd_plugin_info{{plugin=\"{id}\",version=\"{version}\"}} 1"
            );
        }
        let _ = writeln!(
            out,
            "# HELP kycd_reloads_total Route-table reloads.\n# TYPE kycd_reloads_total counter\nkycd_reloads_total {}",
            self.reload_count()
        );
        let _ = writeln!(
            out,
            "# HELP kycd_plugin_libraries_mapped Plugin libraries mapped since start (never unloaded).\n# TYPE kycd_plugin_libraries_mapped gauge\nkycd_plugin_libraries_mapped {}",
            self.mapped_libraries.load(Ordering::Relaxed)
        );
        out
    }
}

/// `kycd_stage_seconds`: one histogram per model stage, every stage listed (zero until used).
fn render_stages(out: &mut String) {
    use kycd_vision::stages::{snapshot, BUCKETS_SECONDS};
    out.push_str("# HELP kycd_stage_seconds Time spent in each model stage (one observation per call).\n# TYPE kycd_stage_seconds histogram\n");
    for stage in snapshot() {
        let name = stage.stage.name();
        for (bound, n) in BUCKETS_SECONDS.iter().zip(stage.cumulative) {
            let _ = writeln!(
                out,
                "kycd_stage_seconds_bucket{{stage=\"{name}\",le=\"{bound}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "kycd_stage_seconds_bucket{{stage=\"{name}\",le=\"+Inf\"}} {}\nkycd_stage_seconds_sum{{stage=\"{name}\"}} {}\nkycd_stage_seconds_count{{stage=\"{name}\"}} {}",
            stage.count, stage.sum_seconds, stage.count
        );
    }
}
