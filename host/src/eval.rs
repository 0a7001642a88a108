//! The accuracy harness: `kycd eval DIR --url URL --key KEY`. Posts every labelled image in a
//! folder to its route over real HTTP and reports, per document type and capture condition:
//! images, status distribution, document-level exact match, per-field exact match, worst fields
//! and latency. Works on any folder of `NAME.{jpg,png,bmp}` + `NAME.json` where the JSON holds
//! `{"route": ..., "message": {expected fields}}` (the generated corpus, real specimens).
//!
//! Normalisation, the only thing forgiven: surrounding whitespace and letter case. Nothing else
//! (not punctuation, not inner spaces, not diacritics).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use serde::Serialize;
use serde_json::Value;

/// How values are compared.
pub fn normalize(value: &str) -> String {
    value.trim().to_lowercase()
}

/// One labelled image.
struct Labelled {
    image: PathBuf,
    route: String,
    group: String,
    expected: serde_json::Map<String, Value>,
}

/// Per-group results.
#[derive(Default, Serialize)]
pub struct GroupReport {
    pub images: usize,
    pub statuses: BTreeMap<String, usize>,
    pub exact_documents: usize,
    pub document_exact_match: f64,
    pub field_exact_match: f64,
    /// Field key -> (matched, compared).
    pub fields: BTreeMap<String, (usize, usize)>,
    pub latency_ms_p50: f64,
    pub latency_ms_p95: f64,
    #[serde(skip)]
    latencies: Vec<f64>,
}

/// The whole run.
#[derive(Serialize)]
pub struct Report {
    pub directory: String,
    pub normalisation: &'static str,
    pub groups: BTreeMap<String, GroupReport>,
}

fn find_labelled(dir: &Path) -> anyhow::Result<Vec<Labelled>> {
    let mut found = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for json in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let truth: Value = serde_json::from_str(&std::fs::read_to_string(json)?)
            .with_context(|| format!("parsing {}", json.display()))?;
        let (Some(route), Some(Value::Object(expected))) =
            (truth["route"].as_str(), truth.get("message"))
        else {
            continue;
        };
        let Some(image) = ["jpg", "jpeg", "png", "bmp"]
            .iter()
            .map(|ext| json.with_extension(ext))
            .find(|p| p.exists())
        else {
            continue;
        };
        let mut group = route.to_string();
        for part in ["model", "side", "condition"] {
            if let Some(v) = truth[part].as_str() {
                group.push_str(&format!(" {v}"));
            }
        }
        found.push(Labelled {
            image,
            route: route.to_string(),
            group,
            expected: expected.clone(),
        });
    }
    Ok(found)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Runs the harness against a live host.
pub async fn run(dir: &Path, url: &str, key: &str) -> anyhow::Result<Report> {
    let labelled = find_labelled(dir)?;
    if labelled.is_empty() {
        bail!(
            "no NAME.json + NAME.{{jpg,png,bmp}} pairs with a route and a message in {}",
            dir.display()
        );
    }
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()?;
    let mut groups: BTreeMap<String, GroupReport> = BTreeMap::new();
    for item in &labelled {
        let bytes = std::fs::read(&item.image)?;
        let img = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &bytes);
        let started = Instant::now();
        let response = client
            .post(format!("{}/v1/{}", url.trim_end_matches('/'), item.route))
            .header("Authorization", key)
            .form(&[("img", img.as_str())])
            .send()
            .await
            .with_context(|| format!("posting {}", item.image.display()))?;
        let body: Value = response.json().await.unwrap_or(Value::Null);
        let latency = started.elapsed().as_secs_f64() * 1000.0;
        let group = groups.entry(item.group.clone()).or_default();
        group.images += 1;
        group.latencies.push(latency);
        let status = body["status"].as_str().unwrap_or("<no status>").to_string();
        *group.statuses.entry(status.clone()).or_default() += 1;
        let mut all = status == "OK";
        for (key, expected) in &item.expected {
            let expected = expected
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| expected.to_string());
            let got = body["message"][key].as_str().unwrap_or("");
            let matched = status == "OK" && normalize(got) == normalize(&expected);
            all &= matched;
            let entry = group.fields.entry(key.clone()).or_default();
            entry.0 += usize::from(matched);
            entry.1 += 1;
        }
        group.exact_documents += usize::from(all);
    }
    for group in groups.values_mut() {
        group.latencies.sort_by(f64::total_cmp);
        group.latency_ms_p50 = percentile(&group.latencies, 0.5);
        group.latency_ms_p95 = percentile(&group.latencies, 0.95);
        group.document_exact_match = group.exact_documents as f64 / group.images as f64;
        let (matched, compared) = group
            .fields
            .values()
            .fold((0, 0), |(m, c), (fm, fc)| (m + fm, c + fc));
        group.field_exact_match = if compared == 0 {
            0.0
        } else {
            matched as f64 / compared as f64
        };
    }
    Ok(Report {
        directory: dir.display().to_string(),
        normalisation: "surrounding whitespace trimmed, letter case ignored; nothing else",
        groups,
    })
}

/// The report as a Markdown table (printed by `kycd eval`, pasted into `docs/accuracy.md`).
pub fn render(report: &Report) -> String {
    let mut out = String::from(
        "| document type | images | statuses | document exact | field exact | worst fields | p50 ms | p95 ms |\n|---|---|---|---|---|---|---|---|\n",
    );
    for (name, g) in &report.groups {
        let statuses: Vec<String> = g.statuses.iter().map(|(s, n)| format!("{s} {n}")).collect();
        let mut fields: Vec<(&String, f64)> = g
            .fields
            .iter()
            .map(|(k, (m, c))| (k, *m as f64 / (*c).max(1) as f64))
            .collect();
        fields.sort_by(|a, b| a.1.total_cmp(&b.1));
        let worst: Vec<String> = fields
            .iter()
            .take(3)
            .filter(|(_, r)| *r < 1.0)
            .map(|(k, r)| format!("{k} {:.0}%", r * 100.0))
            .collect();
        out.push_str(&format!(
            "| {name} | {} | {} | {:.0}% | {:.0}% | {} | {:.0} | {:.0} |\n",
            g.images,
            statuses.join(", "),
            g.document_exact_match * 100.0,
            g.field_exact_match * 100.0,
            if worst.is_empty() {
                "-".into()
            } else {
                worst.join(", ")
            },
            g.latency_ms_p50,
            g.latency_ms_p95
        ));
    }
    out
}
