//! The client examples of `docs/clients.md`, run as they are (`tests/clients/*.sh|py|mjs`) against
//! a live host: curl, Python `requests` (pinned, in `target/clients-venv`, made by
//! `tests/clients/setup.sh`) and Node's `fetch`. Each example prints one JSON answer per line;
//! the test checks every answer.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{workspace_root, LoopbackServer, TestConfig, TestHost, KEY_ALL};
use serde_json::Value;

fn clients_dir() -> PathBuf {
    workspace_root().join("tests/clients")
}

/// The interpreter for an example file.
fn interpreter(file: &str) -> PathBuf {
    match file.rsplit('.').next() {
        Some("sh") => PathBuf::from("bash"),
        Some("mjs") => PathBuf::from("node"),
        Some("py") => {
            let status = Command::new("bash")
                .arg(clients_dir().join("setup.sh"))
                .status()
                .expect("running tests/clients/setup.sh");
            assert!(status.success(), "tests/clients/setup.sh failed");
            workspace_root().join("target/clients-venv/bin/python")
        }
        _ => panic!("no interpreter for {file}"),
    }
}

/// Runs one example with `env`; returns its output lines parsed as JSON.
fn run(file: &str, env: &[(&str, String)]) -> Vec<Value> {
    let output = Command::new(interpreter(file))
        .arg(clients_dir().join(file))
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap_or_else(|e| panic!("running {file}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{file} failed ({}):\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{file}: {e}: {l}")))
        .collect()
}

fn face_sample(name: &str) -> String {
    let path = workspace_root()
        .join("host/vision/tests/data/cache")
        .join(name);
    assert!(
        path.exists(),
        "{}: run host/vision/tests/data/fetch-face-samples.sh",
        path.display()
    );
    path.display().to_string()
}

#[test]
fn every_client_example_runs_against_a_live_host() {
    let upstream = LoopbackServer::start(|_| {
        (200, r#"{"whatsapp":true,"status_update":"20180825","signature":"","business_user":false,"avatar":false}"#.into())
    });
    let host = TestHost::start(&TestConfig {
        extra: format!(
            "\n[whatsapp]\nbackoff_ms = 20\n\n[whatsapp.provider]\nkind = \"http\"\nurl_template = \"http://127.0.0.1:{}/lookup/{{number}}\"\ntimeout_ms = 2000\n",
            upstream.port
        ),
        ..TestConfig::default()
    });
    let card = workspace_root().join("tests/corpus/de-id-0000-back-scan.png");
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(card.with_extension("json")).unwrap())
            .unwrap();
    let env = vec![
        ("KYCD_URL", host.base.clone()),
        ("KYCD_KEY", KEY_ALL.to_string()),
        ("IMAGE", card.display().to_string()),
        ("ROUTE", "ocr/mrz".to_string()),
        ("FACE_A", face_sample("obama.jpg")),
        ("FACE_B", face_sample("obama2.jpg")),
        ("NUMBER", "+6281234567890".to_string()),
    ];
    let mut total_before = 0;
    for language in ["sh", "py", "mjs"] {
        let ocr = run(&format!("ocr.{language}"), &env);
        assert_eq!(ocr.len(), 3, "ocr.{language}: {ocr:?}");
        for answer in &ocr[..2] {
            assert_eq!(answer["status"], "OK", "ocr.{language}: {answer}");
            assert_eq!(answer["message"]["Surname"], truth["message"]["Surname"]);
            assert_eq!(
                answer["message"]["DocumentNumber"],
                truth["message"]["CardNumber"]
            );
        }
        assert!(
            ocr[0]["message"]["details"].is_object(),
            "details=1 was sent"
        );
        let total = ocr[2]["message"]["total"].as_u64().unwrap();
        assert!(total >= total_before + 2, "usage total {total}");
        total_before = total;

        let face = run(&format!("face.{language}"), &env);
        assert_eq!(face.len(), 3, "face.{language}: {face:?}");
        assert_eq!(face[0]["status"], "OK", "{}", face[0]);
        assert_eq!(face[0]["message"]["result"], "SAME PERSON", "{}", face[0]);
        assert_eq!(face[1]["status"], "OK", "{}", face[1]);
        let person = face[1]["message"]["person_id"].as_str().unwrap();
        assert_eq!(face[2]["status"], "OK", "{}", face[2]);
        assert_eq!(face[2]["message"]["person_id"], person, "{}", face[2]);

        let whatsapp = run(&format!("whatsapp.{language}"), &env);
        assert_eq!(whatsapp[0]["status"], "OK", "{}", whatsapp[0]);
        assert_eq!(whatsapp[0]["message"]["number"], "+6281234567890");
        let state = whatsapp[0]["message"]["whatsapp"].as_str().unwrap();
        assert!(["checking", "yes"].contains(&state), "{}", whatsapp[0]);
    }
}
