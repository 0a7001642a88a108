//! Test harness: builds the fixture plugins, starts a real `kycd serve` on a free loopback port
//! with a temporary configuration, and talks to it over HTTP.

#![allow(dead_code)]

use std::io::Cursor;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const KEY_ALL: &str = "test-key-all";
pub const KEY_DE_ONLY: &str = "test-key-de-only";
pub const KEY_SLOW: &str = "test-key-slow";

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The fixture libraries, built once per test binary into their own target directory (the outer
/// `cargo test` holds the lock on the main one).
pub struct Fixtures {
    pub echo_v1: PathBuf,
    pub echo_v2: PathBuf,
    pub abi_mismatch: PathBuf,
}

pub fn fixtures() -> &'static Fixtures {
    static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let target = workspace_root().join("target").join("fixtures");
        let status = Command::new(env!("CARGO"))
            .current_dir(workspace_root())
            .args([
                "build",
                "--quiet",
                "--release",
                "-p",
                "kycd-fixture-echo-v1",
                "-p",
                "kycd-fixture-echo-v2",
                "-p",
                "kycd-fixture-abi-mismatch",
                "--target-dir",
            ])
            .arg(&target)
            .status()
            .expect("running cargo to build the fixture plugins");
        assert!(status.success(), "building the fixture plugins failed");
        let lib = |name: &str| target.join("release").join(format!("lib{name}.so"));
        Fixtures {
            echo_v1: lib("kycd_fixture_echo_v1"),
            echo_v2: lib("kycd_fixture_echo_v2"),
            abi_mismatch: lib("kycd_fixture_abi_mismatch"),
        }
    })
}

/// The `plugins/<id>/` crates of the workspace named in `only` (all of them when empty), built
/// into their own target directory (the outer `cargo test` holds the lock on the main one), and
/// the libraries they produced.
pub fn build_country_plugins(only: &[&str]) -> Vec<PathBuf> {
    let root = workspace_root();
    let mut ids: Vec<String> = std::fs::read_dir(root.join("plugins"))
        .expect("reading plugins/")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("Cargo.toml").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|id| only.is_empty() || only.contains(&id.as_str()))
        .collect();
    ids.sort();
    assert!(
        !ids.is_empty(),
        "no plugin crates under plugins/ match {only:?}"
    );
    let target = root.join("target").join("fixtures");
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .current_dir(&root)
        .args(["build", "--quiet", "--release", "--target-dir"])
        .arg(&target);
    for id in &ids {
        cargo.args(["-p", &format!("kycd-plugin-{id}")]);
    }
    let status = cargo.status().expect("running cargo to build the plugins");
    assert!(status.success(), "building the country plugins failed");
    ids.iter()
        .map(|id| {
            target
                .join("release")
                .join(format!("libkycd_plugin_{id}.so"))
        })
        .collect()
}

pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The configuration a test host starts with; tests may rewrite it while the host runs.
pub struct TestConfig {
    pub de_only_routes: Vec<String>,
    pub max_pixels: u64,
    pub max_body_bytes: usize,
    pub queue_timeout_ms: u64,
    /// ONNX Runtime intra-op threads (benchmarks use the machine's cores).
    pub model_threads: usize,
    pub extra: String,
}

impl Default for TestConfig {
    fn default() -> Self {
        TestConfig {
            de_only_routes: vec!["ocr/de/*".into()],
            max_pixels: 40_000_000,
            max_body_bytes: 8 * 1024 * 1024,
            queue_timeout_ms: 10_000,
            model_threads: 1,
            extra: String::new(),
        }
    }
}

impl TestConfig {
    pub fn render(&self, dir: &Path) -> String {
        let routes = self
            .de_only_routes
            .iter()
            .map(|r| format!("{r:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            r#"
[server]
data_dir = "{data}"
max_pixels = {max_pixels}
max_body_bytes = {max_body}
queue_timeout_ms = {queue_timeout}
workers = 2

[models]
dir = "{models}"
threads = {threads}

[plugins]
dir = "{plugins}"
enabled = ["*"]

# The reload tests hammer the host with one client as fast as it answers (over a thousand
# requests a second on a quiet machine): this key's limit must not be what they meet.
[[keys]]
name = "all"
sha256 = "{all}"
routes = ["*"]
rate_per_sec = 1000000
burst = 1000000

[[keys]]
name = "de-only"
sha256 = "{de}"
routes = [{routes}]

[[keys]]
name = "slow"
sha256 = "{slow}"
routes = ["*"]
rate_per_sec = 0.01
burst = 2
{extra}
"#,
            data = dir.join("data").display(),
            max_pixels = self.max_pixels,
            max_body = self.max_body_bytes,
            queue_timeout = self.queue_timeout_ms,
            threads = self.model_threads,
            models = workspace_root().join("models").display(),
            plugins = dir.join("plugins").display(),
            all = sha256_hex(KEY_ALL),
            de = sha256_hex(KEY_DE_ONLY),
            slow = sha256_hex(KEY_SLOW),
            extra = self.extra,
        )
    }
}

/// A running `kycd serve`. Killed on drop.
pub struct TestHost {
    pub dir: tempfile::TempDir,
    pub base: String,
    child: Child,
    client: reqwest::blocking::Client,
}

impl TestHost {
    /// Starts a host with the echo v1 fixture installed.
    pub fn start(config: &TestConfig) -> TestHost {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("plugins")).unwrap();
        std::fs::copy(
            &fixtures().echo_v1,
            dir.path().join("plugins/libkycd_plugin_echo.so"),
        )
        .unwrap();
        std::fs::write(dir.path().join("plugins.toml"), config.render(dir.path())).unwrap();
        Self::start_in(dir)
    }

    /// Starts a host serving the country plugins named in `only` (all of them when empty,
    /// release builds, [`build_country_plugins`]) with `config`.
    pub fn with_country_plugins(only: &[&str], config: &TestConfig) -> TestHost {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("plugins")).unwrap();
        for lib in build_country_plugins(only) {
            std::fs::copy(
                &lib,
                dir.path().join("plugins").join(lib.file_name().unwrap()),
            )
            .unwrap_or_else(|e| panic!("copying {}: {e}", lib.display()));
        }
        std::fs::write(dir.path().join("plugins.toml"), config.render(dir.path())).unwrap();
        Self::start_in(dir)
    }

    /// Starts a host on an existing directory (for restarts).
    pub fn start_in(dir: tempfile::TempDir) -> TestHost {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_kycd"))
            .args(["serve", "--config"])
            .arg(dir.path().join("plugins.toml"))
            .env("KYCD_LISTEN", format!("127.0.0.1:{port}"))
            .env("KYCD_LOG", "info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.path().join("kycd.log")).unwrap())
            .spawn()
            .expect("starting kycd");
        let host = TestHost {
            dir,
            base: format!("http://127.0.0.1:{port}"),
            child,
            client: reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap(),
        };
        host.wait_ready();
        host
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(90);
        while Instant::now() < deadline {
            if let Ok(r) = self.client.get(format!("{}/healthz", self.base)).send() {
                if r.status().is_success() {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("kycd did not start; log:\n{}", self.log());
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("kycd.log")).unwrap_or_default()
    }

    pub fn plugin_dir(&self) -> PathBuf {
        self.dir.path().join("plugins")
    }

    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("plugins.toml")
    }

    /// Stops the host (SIGTERM, then waits) and gives back its directory for a restart.
    pub fn stop(mut self) -> tempfile::TempDir {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::mem::replace(&mut self.dir, tempfile::tempdir().unwrap())
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn client(&self) -> &reqwest::blocking::Client {
        &self.client
    }

    /// POSTs a form to `/v1/<route>`; returns the HTTP code and the JSON body.
    pub fn post_form(&self, route: &str, key: Option<&str>, form: &[(&str, &str)]) -> (u16, Value) {
        let mut request = self
            .client
            .post(format!("{}/v1/{route}", self.base))
            .form(form);
        if let Some(key) = key {
            request = request.header("Authorization", key);
        }
        read(request.send().expect("request failed"))
    }

    pub fn get(&self, path: &str, key: Option<&str>) -> (u16, Value) {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(key) = key {
            request = request.header("Authorization", key);
        }
        read(request.send().expect("request failed"))
    }

    /// Asserts the host still answers (after an error case).
    pub fn assert_alive(&self) {
        let (code, body) = self.get("/healthz", None);
        assert_eq!(
            code,
            200,
            "host stopped answering: {body}\nlog:\n{}",
            self.log()
        );
    }
}

impl Drop for TestHost {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn read(response: reqwest::blocking::Response) -> (u16, Value) {
    let code = response.status().as_u16();
    let text = response.text().unwrap_or_default();
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("answer is not JSON (HTTP {code}): {text:?}"));
    (code, body)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A PNG with some structure (not a single colour).
pub fn test_png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

pub fn blank_png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 200, 200]));
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Replaces a file the way `mv` does: write aside, then rename over.
pub fn replace_atomically(src: &Path, dest: &Path) {
    let staging = dest.with_extension("staging");
    std::fs::copy(src, &staging).unwrap();
    std::fs::rename(&staging, dest).unwrap();
}

/// Polls `check` until it returns true or `limit` passes; returns the time it took.
pub fn wait_until(limit: Duration, mut check: impl FnMut() -> bool) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if check() {
            return Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

/// A request seen by a [`LoopbackServer`].
#[derive(Clone, Debug)]
pub struct SeenRequest {
    pub method: String,
    /// Path and raw query, exactly as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
}

impl SeenRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A minimal HTTP/1.1 server on 127.0.0.1 for fake upstreams and callback receivers: answers
/// each request with `handler`'s status and JSON body and records what it saw.
pub struct LoopbackServer {
    pub port: u16,
    pub seen: std::sync::Arc<std::sync::Mutex<Vec<SeenRequest>>>,
}

impl LoopbackServer {
    pub fn start(handler: impl Fn(&SeenRequest) -> (u16, String) + Send + Sync + 'static) -> Self {
        use std::io::{BufRead, BufReader, Write};
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (seen2, handler) = (seen.clone(), std::sync::Arc::new(handler));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (seen, handler) = (seen2.clone(), handler.clone());
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut line = String::new();
                    if reader.read_line(&mut line).is_err() {
                        return;
                    }
                    let mut parts = line.split_whitespace();
                    let method = parts.next().unwrap_or("").to_string();
                    let target = parts.next().unwrap_or("").to_string();
                    let mut headers = Vec::new();
                    let mut length = 0usize;
                    loop {
                        let mut header = String::new();
                        if reader.read_line(&mut header).unwrap_or(0) == 0
                            || header.trim().is_empty()
                        {
                            break;
                        }
                        if let Some((k, v)) = header.trim_end().split_once(':') {
                            if k.eq_ignore_ascii_case("content-length") {
                                length = v.trim().parse().unwrap_or(0);
                            }
                            headers.push((k.trim().to_string(), v.trim().to_string()));
                        }
                    }
                    let mut body = vec![0u8; length];
                    let _ = std::io::Read::read_exact(&mut reader, &mut body);
                    let request = SeenRequest {
                        method,
                        target,
                        headers,
                    };
                    let (code, body) = handler(&request);
                    seen.lock().unwrap().push(request);
                    let mut stream = stream;
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {code} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                });
            }
        });
        LoopbackServer { port, seen }
    }

    pub fn requests(&self) -> Vec<SeenRequest> {
        self.seen.lock().unwrap().clone()
    }
}
