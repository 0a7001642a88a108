//! The accuracy floors: the fixed corpus (`tests/corpus/`) through every plugin of the workspace,
//! over real HTTP with the `kycd eval` harness, against `tests/accuracy-floors.toml`.

mod common;

use std::collections::BTreeMap;

use common::*;

/// Document-level exact match per (route, condition), from the harness's groups, which are
/// named `route [model] [side] condition`.
fn by_route_and_condition(
    report: &kycd::eval::Report,
) -> BTreeMap<(String, String), (usize, usize)> {
    let mut totals: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for (name, group) in &report.groups {
        let mut words = name.split(' ');
        let route = words.next().unwrap_or_default().to_string();
        let condition = words.next_back().unwrap_or_default().to_string();
        let entry = totals.entry((route, condition)).or_default();
        entry.0 += group.exact_documents;
        entry.1 += group.images;
    }
    totals
}

#[test]
fn fixed_corpus_stays_above_its_accuracy_floors() {
    let root = workspace_root();
    let floors: toml::Table = std::fs::read_to_string(root.join("tests/accuracy-floors.toml"))
        .expect("reading tests/accuracy-floors.toml")
        .parse()
        .expect("parsing tests/accuracy-floors.toml");
    let floors = floors["floors"].as_table().expect("a [floors] table");

    let config = TestConfig {
        model_threads: 2,
        ..TestConfig::default()
    };
    let host = TestHost::with_country_plugins(&[], &config);

    let report = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(kycd::eval::run(
            &root.join("tests/corpus"),
            &host.base,
            KEY_ALL,
        ))
        .expect("running the harness");
    let table = kycd::eval::render(&report);
    println!("{table}");

    let mut failures = Vec::new();
    for ((route, condition), (exact, images)) in by_route_and_condition(&report) {
        let rate = exact as f64 / images as f64;
        match floors
            .get(&route)
            .and_then(|r| r.get(&condition))
            .and_then(|f| f.as_float().or_else(|| f.as_integer().map(|i| i as f64)))
        {
            None => failures.push(format!(
                "{route} {condition}: no floor in tests/accuracy-floors.toml (measured {exact}/{images})"
            )),
            Some(floor) if rate + 1e-9 < floor => failures.push(format!(
                "{route} {condition}: {exact}/{images} exact = {:.0}%, below the floor {:.0}%",
                rate * 100.0,
                floor * 100.0
            )),
            Some(_) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "accuracy below the recorded floors:\n{}\n\n{table}",
        failures.join("\n")
    );
}
