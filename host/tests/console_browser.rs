//! The web console end to end in a real browser: Debian's headless Chromium driven over
//! WebDriver (`chromedriver`, package `chromium-driver`) by `fantoccini`. Enters a key, picks
//! the built-in `ocr/mrz` route, uploads a generated card back from `tests/corpus/`, and checks
//! that the fields appear in the page, that the overlay canvas has the MRZ outline drawn on it,
//! and that the usage table counts the request; then compares two face photos and checks both
//! overlays. Keeps screenshots as test artefacts: `target/test-artefacts/console.png` and
//! `console-compare.png`.
//!
//! Chromium missing is a failure, not a skip: `scripts/install-system-deps.sh` installs it.

mod common;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{workspace_root, TestConfig, TestHost, KEY_ALL};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "chromedriver";

/// A `chromedriver` process, killed on drop.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start() -> Driver {
        assert!(
            std::path::Path::new(CHROMIUM).exists(),
            "{CHROMIUM} is missing: run scripts/install-system-deps.sh (Debian packages chromium, chromium-driver)"
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("starting {CHROMEDRIVER} failed ({e}): run scripts/install-system-deps.sh (Debian package chromium-driver)")
            });
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn browser(driver: &Driver) -> Client {
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1600"]
        }
    });
    let Value::Object(capabilities) = capabilities else {
        unreachable!()
    };
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("opening a Chromium session through chromedriver")
}

fn artefact_path() -> PathBuf {
    let dir = workspace_root().join("target").join("test-artefacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("console.png")
}

/// Counts the pixels something was drawn on in the overlay canvas of image parameter `param`.
const DRAWN_PIXELS: &str = r#"
const canvas = document.querySelector("canvas.overlay[data-param='" + arguments[0] + "']");
if (!canvas || !canvas.width) return -1;
const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
let drawn = 0;
for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
return drawn;
"#;

async fn text_of(client: &Client, css: &str) -> String {
    client
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} never appeared: {e}"))
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_reads_an_mrz_and_draws_its_outline() {
    let host = tokio::task::spawn_blocking(|| TestHost::start(&TestConfig::default()))
        .await
        .unwrap();
    let driver = Driver::start();
    let client = browser(&driver).await;
    let card = workspace_root().join("tests/corpus/de-id-0000-back-scan.png");
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(card.with_extension("json")).unwrap())
            .unwrap();

    let result = async {
        client.goto(&format!("{}/", host.base)).await?;
        client
            .find(Locator::Id("key"))
            .await?
            .send_keys(KEY_ALL)
            .await?;
        client.find(Locator::Id("connect")).await?.click().await?;
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("#route option[value='ocr/mrz']"))
            .await?;
        client
            .find(Locator::Id("route"))
            .await?
            .select_by_value("ocr/mrz")
            .await?;
        client
            .find(Locator::Css("#files input[type=file][data-param='img']"))
            .await?
            .send_keys(card.to_str().unwrap())
            .await?;
        client.find(Locator::Id("send")).await?.click().await?;
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    if let Err(e) = result {
        let _ = std::fs::write(
            artefact_path(),
            client.screenshot().await.unwrap_or_default(),
        );
        panic!("driving the console failed: {e}\nhost log:\n{}", host.log());
    }

    let status = text_of(&client, "#status[data-status]").await;
    let screenshot = client.screenshot().await.expect("screenshot");
    std::fs::write(artefact_path(), &screenshot).unwrap();
    assert_eq!(
        status,
        "OK",
        "answer: {}",
        text_of(&client, "#answer").await
    );
    let surname = text_of(&client, "#fields td[data-field='Surname']").await;
    let number = text_of(&client, "#fields td[data-field='DocumentNumber']").await;
    assert_eq!(surname, truth["message"]["Surname"].as_str().unwrap());
    assert_eq!(number, truth["message"]["CardNumber"].as_str().unwrap());

    let drawn = client
        .execute(DRAWN_PIXELS, vec![json!("img")])
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    assert!(
        drawn > 500,
        "the overlay canvas has {drawn} drawn pixels: the MRZ outline was not drawn"
    );
    let usage = text_of(&client, "#usage tbody").await;
    assert!(usage.contains("ocr/mrz"), "usage table: {usage}");

    // Two photos for face/compare: one view per photo, each with its face box drawn.
    let faces = workspace_root().join("host/vision/tests/data/cache");
    assert!(
        faces.join("obama.jpg").exists(),
        "run host/vision/tests/data/fetch-face-samples.sh"
    );
    let result = async {
        client
            .find(Locator::Id("route"))
            .await?
            .select_by_value("face/compare")
            .await?;
        for (param, file) in [("img1", "obama.jpg"), ("img2", "obama2.jpg")] {
            client
                .find(Locator::Css(&format!("#files input[data-param='{param}']")))
                .await?
                .send_keys(faces.join(file).to_str().unwrap())
                .await?;
        }
        client.find(Locator::Id("send")).await?.click().await?;
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    result.unwrap_or_else(|e| panic!("driving face/compare failed: {e}"));
    let verdict = text_of(&client, "#fields td[data-field='result']").await;
    let compare_shot = client.screenshot().await.expect("screenshot");
    std::fs::write(
        artefact_path().with_file_name("console-compare.png"),
        &compare_shot,
    )
    .unwrap();
    assert_eq!(verdict, "SAME PERSON");
    for param in ["img1", "img2"] {
        let drawn = client
            .execute(DRAWN_PIXELS, vec![json!(param)])
            .await
            .unwrap()
            .as_i64()
            .unwrap();
        assert!(drawn > 500, "{param}: {drawn} drawn pixels: no face box");
    }

    // The API reference page renders the live OpenAPI document.
    client.goto(&format!("{}/docs", host.base)).await.unwrap();
    let toc = text_of(&client, "#toc li:last-child").await;
    assert!(!toc.is_empty());
    let toc = text_of(&client, "#toc").await;
    assert!(toc.contains("/v1/ocr/mrz"), "reference page: {toc}");
    client.close().await.unwrap();
    assert!(
        screenshot.starts_with(b"\x89PNG"),
        "screenshot is not a PNG"
    );
}
