//! `kycd plugin new`: the scaffold really builds and its template test really passes.
//!
//! SLOW (minutes on a first run): it builds the scaffolded plugin *and the host it tests with*
//! in a workspace of its own, `target/scaffold-test/ws` (the repository's `Cargo.toml` and
//! `Cargo.lock` with only the new plugin as a member, `host/`, `plugin-api/` and `tools/` linked in), with
//! its own target directory `target/scaffold-test/target` (the outer `cargo test` holds the main
//! one), in the dev profile to keep that build short. Later runs reuse that target directory.

mod common;

use std::path::Path;
use std::process::Command;

use common::workspace_root;

/// The repository's workspace manifest with an empty `members` list (the scaffold's printed line
/// goes in there), everything else as it is.
fn workspace_manifest(root: &Path) -> String {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let start = manifest.find("members = [").expect("members in Cargo.toml");
    let end = start + manifest[start..].find(']').unwrap() + 1;
    format!("{}members = [\n]{}", &manifest[..start], &manifest[end..])
}

#[test]
fn scaffolded_plugin_builds_and_passes_its_template_test_slow() {
    let root = workspace_root();
    let base = root.join("target/scaffold-test");
    let ws = base.join("ws");
    let _ = std::fs::remove_dir_all(&ws);
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::write(ws.join("Cargo.toml"), workspace_manifest(&root)).unwrap();
    std::fs::copy(root.join("Cargo.lock"), ws.join("Cargo.lock")).unwrap();
    // `tools/` for the host's dev-dependency on the corpus generator (cargo reads every path
    // dependency's manifest, even one this build does not compile).
    for dir in ["host", "plugin-api", "tools"] {
        std::os::unix::fs::symlink(root.join(dir), ws.join(dir)).unwrap();
    }

    let scaffold = Command::new(env!("CARGO_BIN_EXE_kycd"))
        .args(["plugin", "new", "zz", "--root"])
        .arg(&ws)
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&scaffold.stdout).to_string();
    assert!(
        scaffold.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&scaffold.stderr)
    );
    let member = printed
        .lines()
        .find(|l| l.trim() == "\"plugins/zz\",")
        .unwrap_or_else(|| panic!("no members line printed:\n{printed}"));
    let manifest = std::fs::read_to_string(ws.join("Cargo.toml"))
        .unwrap()
        .replacen("members = [\n", &format!("members = [\n{member}\n"), 1);
    std::fs::write(ws.join("Cargo.toml"), manifest).unwrap();

    // A second scaffold of the same id refuses and leaves the files alone.
    let lib = std::fs::read(ws.join("plugins/zz/src/lib.rs")).unwrap();
    let again = Command::new(env!("CARGO_BIN_EXE_kycd"))
        .args(["plugin", "new", "zz", "--root"])
        .arg(&ws)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(
        std::fs::read(ws.join("plugins/zz/src/lib.rs")).unwrap(),
        lib
    );

    let test = Command::new(env!("CARGO"))
        .current_dir(&ws)
        .args(["test", "--quiet", "-p", "kycd-plugin-zz", "--target-dir"])
        .arg(base.join("target"))
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .expect("running cargo test on the scaffold");
    let out = format!(
        "{}\n{}",
        String::from_utf8_lossy(&test.stdout),
        String::from_utf8_lossy(&test.stderr)
    );
    assert!(
        test.status.success(),
        "the scaffolded plugin's tests failed:\n{out}"
    );
    assert!(
        out.contains("test result: ok. 2 passed"),
        "the template's two golden tests did not both run:\n{out}"
    );
}
