//! Crash safety: an add that returned OK survives `kill -9`.
//!
//! The test re-runs its own executable as a child (selected by an environment variable) that
//! adds faces in a loop and prints each person id after `add` returns; the parent kills it with
//! SIGKILL mid-stream, reopens the gallery and checks every printed id is there.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use kycd_gallery::{Gallery, DIM};

const CHILD_DB: &str = "KYCD_GALLERY_CRASH_CHILD_DB";
const MODEL: &str = "sface-2021dec-fp32";

/// The face added as number `i` (deterministic, so the parent can search for it).
fn face(i: u32) -> Vec<f32> {
    let mut state = i.wrapping_mul(2_654_435_761) ^ 0x9e37_79b9;
    let v: Vec<f32> = (0..DIM)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as f32 / u32::MAX as f32 - 0.5
        })
        .collect();
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.into_iter().map(|x| x / n).collect()
}

/// The child's work: add faces until killed, printing `i person_id` after each add returns.
#[test]
fn crash_child() {
    let Some(db) = std::env::var_os(CHILD_DB) else {
        return; // Only does something when run by `adds_acknowledged_before_kill_9_survive`.
    };
    let gallery = Gallery::open(db.as_ref(), MODEL).unwrap();
    for i in 0.. {
        let added = gallery.add("tenant", &face(i), 0.42).unwrap();
        println!("ADDED {i} {}", added.person_id);
    }
}

#[test]
#[cfg(unix)]
fn adds_acknowledged_before_kill_9_survive() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kycd.db");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_DB, &db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut acknowledged: Vec<(u32, String)> = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while acknowledged.len() < 60 {
        let line = lines
            .next()
            .expect("child ended before adding 60 faces")
            .unwrap();
        if let Some(rest) = line.strip_prefix("ADDED ") {
            let (i, id) = rest.split_once(' ').unwrap();
            acknowledged.push((i.parse().unwrap(), id.to_owned()));
        }
    }
    // SIGKILL while the child is in the middle of further adds.
    child.kill().unwrap();
    child.wait().unwrap();
    // Lines the child printed before it died are acknowledged adds too.
    for line in lines.map_while(Result::ok) {
        if let Some(rest) = line.strip_prefix("ADDED ") {
            if let Some((i, id)) = rest.split_once(' ') {
                if id.len() == 32 {
                    acknowledged.push((i.parse().unwrap(), id.to_owned()));
                }
            }
        }
    }

    let gallery = Gallery::open(&db, MODEL).unwrap();
    let (persons, faces) = gallery.tenant_size("tenant");
    assert!(
        faces >= acknowledged.len(),
        "{faces} stored < {} acknowledged",
        acknowledged.len()
    );
    assert_eq!(persons, faces, "every face was a new person");
    for (i, id) in &acknowledged {
        let hits = gallery.search("tenant", &face(*i), 1, 0.999);
        assert_eq!(
            hits.first().map(|h| h.person_id.as_str()),
            Some(id.as_str()),
            "face {i} lost"
        );
    }
}
