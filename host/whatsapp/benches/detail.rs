//! Prints latency/throughput figures of the detail check against a loopback
//! upstream: `cargo bench -p kycd-whatsapp --bench detail`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::*;
use kycd_whatsapp::number::normalize;
use kycd_whatsapp::WhatsappService;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{name:<28} n={:<6} p50={:>9.1?} p99={:>9.1?} max={:>9.1?}",
        samples.len(),
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        samples[samples.len() - 1]
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let numbers: Vec<String> = (0..500)
        .map(|i| format!("+62812345{:05}", 10_000 + i))
        .collect();
    let known: HashMap<String, serde_json::Value> = numbers
        .iter()
        .step_by(2)
        .map(|n| (n.clone(), user("20240101", "hello", false, true)))
        .collect();

    let samples = (0..20_000)
        .map(|i| {
            let start = Instant::now();
            normalize(&format!("0812 345{:05}", 10_000 + i % 500), Some("ID")).unwrap();
            start.elapsed()
        })
        .collect();
    report("normalize (national, ID)", samples);

    let upstream = Upstream::start(known).await;
    let service = WhatsappService::start(config(upstream.provider()), &temp_db("bench"))
        .await
        .unwrap();

    // Queue 500 distinct numbers, then wait until every one is answered.
    let start = Instant::now();
    let mut enqueue = Vec::new();
    for n in &numbers {
        let t = Instant::now();
        service
            .detail("bench", SECRET, &params(&[("number", n)]))
            .await;
        enqueue.push(t.elapsed());
    }
    let mut last_report = Instant::now();
    while service.queue_depth() > 0 {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "queue did not drain: {} left, {} upstream calls",
            service.queue_depth(),
            upstream.hits()
        );
        if last_report.elapsed() > Duration::from_secs(2) {
            eprintln!(
                "  ... {} queued, {} upstream calls",
                service.queue_depth(),
                upstream.hits()
            );
            last_report = Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let drained = start.elapsed();
    report("uncached -> checking", enqueue);
    println!(
        "{:<28} {} lookups in {:.2?} ({:.0}/s, 2 workers, loopback upstream)",
        "queue drain",
        numbers.len(),
        drained,
        numbers.len() as f64 / drained.as_secs_f64()
    );

    // Cached answers.
    let mut cached = Vec::new();
    for i in 0..5_000 {
        let t = Instant::now();
        let answer = service
            .detail(
                "bench",
                SECRET,
                &params(&[("number", &numbers[i % numbers.len()])]),
            )
            .await;
        cached.push(t.elapsed());
        assert!(answer.billable);
    }
    report("cached answer", cached);
    service.shutdown().await;
}
