//! Hot reload of plugin libraries while a client sends requests continuously.

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;

fn generation(host: &TestHost, png: &str) -> Option<String> {
    let (code, body) = host.post_form("fixture/echo", Some(KEY_ALL), &[("img", png)]);
    (code == 200).then(|| {
        body["message"]["Generation"]
            .as_str()
            .unwrap_or("")
            .to_string()
    })
}

/// Runs a client loop until stopped; counts requests and failures.
fn hammer(
    host: &Arc<TestHost>,
    png: &str,
    stop: &Arc<AtomicBool>,
) -> std::thread::JoinHandle<(usize, Vec<String>)> {
    let (host, png, stop) = (host.clone(), png.to_string(), stop.clone());
    std::thread::spawn(move || {
        let mut sent = 0;
        let mut failures = Vec::new();
        while !stop.load(Ordering::Relaxed) && sent < 20_000 {
            let (code, body) = host.post_form("fixture/echo", Some(KEY_ALL), &[("img", &png)]);
            sent += 1;
            if code != 200 {
                failures.push(format!("{code} {body}"));
            }
        }
        (sent, failures)
    })
}

fn swap_under_load(replace: fn(&std::path::Path, &std::path::Path)) {
    let host = Arc::new(TestHost::start(&TestConfig::default()));
    let png = b64(&test_png(16, 16));
    assert_eq!(generation(&host, &png).as_deref(), Some("1.0.0"));
    let stop = Arc::new(AtomicBool::new(false));
    let client = hammer(&host, &png, &stop);
    std::thread::sleep(Duration::from_millis(300));

    let target = host.plugin_dir().join("libkycd_plugin_echo.so");
    replace(&fixtures().echo_v2, &target);
    let took = wait_until(Duration::from_secs(5), || {
        generation(&host, &png).as_deref() == Some("2.0.0")
    });
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    let (sent, failures) = client.join().unwrap();
    let took = took.unwrap_or_else(|| panic!("never switched to v2; log:\n{}", host.log()));
    assert!(
        took <= Duration::from_secs(1),
        "switch took {took:?}; log:\n{}",
        host.log()
    );
    assert!(sent > 10, "the client kept sending ({sent})");
    assert!(
        failures.is_empty(),
        "{} failed requests: {:?}",
        failures.len(),
        &failures[..failures.len().min(3)]
    );
    // Each load maps a private copy and deletes it at once: reloads leave nothing on disk.
    let cache = host.plugin_dir().join("../data/plugin-cache");
    let left: Vec<_> = std::fs::read_dir(&cache)
        .map(|dir| dir.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(
        left.is_empty(),
        "private copies left in {cache:?}: {left:?}"
    );
}

#[test]
fn swap_by_atomic_rename_under_load() {
    swap_under_load(replace_atomically);
}

#[test]
fn swap_by_plain_overwrite_under_load() {
    swap_under_load(|src, dest| {
        std::fs::write(dest, std::fs::read(src).unwrap()).unwrap();
    });
}

#[test]
fn corrupt_and_abi_mismatched_libraries_are_refused_and_previous_keeps_serving() {
    let host = TestHost::start(&TestConfig::default());
    let png = b64(&test_png(16, 16));
    let target = host.plugin_dir().join("libkycd_plugin_echo.so");

    // Corrupt bytes over the loaded plugin's file.
    std::fs::write(&target, b"\x7fELF this is not a shared library").unwrap();
    assert!(wait_until(Duration::from_secs(3), || host
        .log()
        .contains("plugin refused"))
    .is_some());
    assert_eq!(generation(&host, &png).as_deref(), Some("1.0.0"));

    // A library with the right name but another ABI layout, dropped in as a new plugin.
    let refused_before = host.log().matches("plugin refused").count();
    replace_atomically(
        &fixtures().abi_mismatch,
        &host.plugin_dir().join("libkycd_plugin_other.so"),
    );
    assert!(wait_until(Duration::from_secs(3), || host
        .log()
        .matches("plugin refused")
        .count()
        > refused_before)
    .is_some());
    let log = host.log();
    let line = log
        .lines()
        .rfind(|l| l.contains("libkycd_plugin_other.so") && l.contains("plugin refused"));
    assert!(line.is_some(), "the refusal names the file: {log}");
    assert_eq!(generation(&host, &png).as_deref(), Some("1.0.0"));

    // A good v2 still replaces v1 afterwards.
    replace_atomically(&fixtures().echo_v2, &target);
    assert!(
        wait_until(Duration::from_secs(2), || generation(&host, &png)
            .as_deref()
            == Some("2.0.0"))
        .is_some()
    );
}

#[test]
fn added_library_serves_and_removed_library_takes_its_routes_away() {
    let host = TestHost::start(&TestConfig::default());
    let png = b64(&test_png(16, 16));
    std::fs::remove_file(host.plugin_dir().join("libkycd_plugin_echo.so")).unwrap();
    assert!(wait_until(Duration::from_secs(2), || {
        host.post_form("fixture/echo", Some(KEY_ALL), &[("img", &png)])
            .0
            == 404
    })
    .is_some());
    replace_atomically(
        &fixtures().echo_v2,
        &host.plugin_dir().join("libkycd_plugin_echo2.so"),
    );
    assert!(
        wait_until(Duration::from_secs(2), || generation(&host, &png)
            .as_deref()
            == Some("2.0.0"))
        .is_some()
    );
}

#[test]
fn panicking_plugin_gives_retry_later_and_host_survives() {
    let host = Arc::new(TestHost::start(&TestConfig::default()));
    let png = b64(&test_png(16, 16));
    let panics = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (host, png, panics) = (host.clone(), png.clone(), panics.clone());
            std::thread::spawn(move || {
                for _ in 0..5 {
                    let (code, body) =
                        host.post_form("fixture/panic", Some(KEY_ALL), &[("img", &png)]);
                    assert_eq!((code, body["status"].as_str()), (503, Some("RETRY_LATER")));
                    panics.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(panics.load(Ordering::Relaxed), 20);
    assert_eq!(generation(&host, &png).as_deref(), Some("1.0.0"));
    assert!(
        !host.log().contains("fixture panics on purpose"),
        "panic payloads stay out of the log"
    );
}
