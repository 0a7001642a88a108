//! `kycd plugin new <country>`: scaffolds `plugins/<country>/` — a plugin crate with one route
//! (`ocr/<country>/id-card`) whose extract reads the text through the host and takes a value
//! under its label with `Page`, and a golden test that renders a card and runs the plugin with
//! the real models. It builds and its test passes as generated; `docs/plugin-guide.md` goes on
//! from there.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

const CARGO_TOML: &str = r#"[package]
name = "kycd-plugin-{cc}"
version = "0.1.0"
description = "kycd plugin: {CC} identity card (scaffolded by `kycd plugin new {cc}`)."
edition.workspace = true
license.workspace = true
publish.workspace = true

[lib]
name = "kycd_plugin_{cc}"         # the host loads files named libkycd_plugin_<id>.so
crate-type = ["cdylib", "rlib"]  # rlib: so the plugin's own tests can link it

[dependencies]
kycd-plugin-api.workspace = true
abi_stable.workspace = true      # export_plugin! refers to it by name

[dev-dependencies]
kycd = { path = "{host}" }   # LocalRunner: the plugin with the real runtime, in-process
image.workspace = true
imageproc = { workspace = true, features = ["text"] }
ab_glyph.workspace = true
serde_json.workspace = true
"#;

const LIB_RS: &str = r#"//! kycd plugin for {CC}: `ocr/{cc}/id-card`. Scaffolded by `kycd plugin new {cc}`; grow it
//! following docs/plugin-guide.md (locate the card in photos, more fields, checks, details).

use kycd_plugin_api::prelude::*;

/// The route this plugin serves.
pub const ROUTE: &str = "ocr/{cc}/id-card";

fn manifest() -> Manifest {
    Manifest::new("{cc}", env!("CARGO_PKG_VERSION")).document(
        DocumentSpec::new(ROUTE, "{CC} identity card").field("Surname", "Surname as printed"),
    )
}

fn extract(request: &Request<'_>, host: &Host<'_>) -> Result<Extraction, ExtractError> {
    if request.route() != ROUTE {
        return Err(ExtractError::unknown_route(request.route()));
    }
    // A flat scan is read as it is; for photos, rectify first with host.locate_document(..)
    // and read card.image (docs/plugin-guide.md).
    let image = request.image();
    let lines = host.read_text(image, ReadOptions::latin());
    let page = Page::new(&lines, image.width, image.height);
    let label = page
        .find_label(&["Surname"])
        .ok_or_else(|| ExtractError::not_this_document("no Surname label"))?;
    let value = page
        .below(label, 1.5)
        .or_else(|| page.right_of(label))
        .ok_or_else(|| ExtractError::unreadable("surname unreadable"))?;
    Ok(Extraction::new(vec![Field::ocr(
        "Surname",
        value.text.clone(),
        value.confidence,
    )]))
}

export_plugin!(manifest, extract);
"#;

const GOLDEN_RS: &str = r#"//! Golden tests: the plugin with the real models, in-process (`kycd::local::LocalRunner`), on a
//! card rendered here. Add labelled cards from `kycd-corpus` (docs/corpus.md) as the plugin grows.

use std::io::Cursor;

use ab_glyph::{FontVec, PxScale};
use image::{Rgb, RgbImage};
use kycd::answer::Status;
use kycd::local::LocalRunner;

/// DejaVu Sans Bold (Debian `fonts-dejavu-core`, installed by scripts/install-system-deps.sh).
const FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

fn runner() -> LocalRunner {
    LocalRunner::with_plugin(kycd_plugin_{cc}::kycd_plugin_root_module()).expect("runner")
}

fn png(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A plain card: the label, and the surname under it.
fn card(surname: &str) -> Vec<u8> {
    let font = FontVec::try_from_vec(std::fs::read(FONT).expect(FONT)).unwrap();
    let mut image = RgbImage::from_pixel(1000, 630, Rgb([236, 240, 244]));
    let ink = Rgb([20, 24, 32]);
    imageproc::drawing::draw_text_mut(&mut image, ink, 60, 140, PxScale::from(34.0), &font, "Surname");
    imageproc::drawing::draw_text_mut(&mut image, ink, 60, 190, PxScale::from(56.0), &font, surname);
    png(&image)
}

#[test]
fn reads_the_surname_under_its_label() {
    let answer = runner().run(kycd_plugin_{cc}::ROUTE, &card("MUSTERMANN"), false);
    assert_eq!(answer.status, Status::Ok, "{}", answer.body());
    assert_eq!(answer.message["Surname"], "MUSTERMANN");
}

#[test]
fn a_blank_image_is_not_this_document() {
    let blank = png(&RgbImage::from_pixel(1000, 630, Rgb([236, 240, 244])));
    let answer = runner().run(kycd_plugin_{cc}::ROUTE, &blank, false);
    assert_eq!(answer.status, Status::ImageRecognizeError, "{}", answer.body());
}
"#;

/// Checks a plugin id: lower-case ASCII letters, digits and `_`, starting with a letter, 2 to 16
/// characters (it names the crate, the library file and the route).
fn check_id(id: &str) -> anyhow::Result<()> {
    let ok = (2..=16).contains(&id.len())
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !ok {
        bail!("plugin id {id:?}: use 2-16 lower-case letters, digits or _, starting with a letter (e.g. an ISO country code: fr)");
    }
    Ok(())
}

/// What [`new_plugin`] wrote.
#[derive(Debug)]
pub struct Scaffold {
    /// The plugin's directory.
    pub dir: PathBuf,
    /// The files written, relative to `dir`.
    pub files: Vec<&'static str>,
    /// The line to add to the workspace `members`.
    pub member_line: String,
}

/// Writes `plugins/<id>/` under the workspace `root` (the directory of the workspace
/// `Cargo.toml`). Refuses to overwrite anything.
pub fn new_plugin(root: &Path, id: &str) -> anyhow::Result<Scaffold> {
    check_id(id)?;
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))
        .with_context(|| format!("{} is not a workspace root (no Cargo.toml)", root.display()))?;
    if !manifest.contains("[workspace]") {
        bail!("{}/Cargo.toml has no [workspace]", root.display());
    }
    let host = if root.join("host/Cargo.toml").exists() {
        "../../host".to_string()
    } else {
        // Outside the kycd repository: depend on the host this binary was built from.
        env!("CARGO_MANIFEST_DIR").to_string()
    };
    let dir = root.join("plugins").join(id);
    if dir.exists() {
        bail!("{} already exists; not overwriting it", dir.display());
    }
    let fill = |template: &str| {
        template
            .replace("{cc}", id)
            .replace("{CC}", &id.to_ascii_uppercase())
            .replace("{host}", &host)
    };
    let files = [
        ("Cargo.toml", fill(CARGO_TOML)),
        ("src/lib.rs", fill(LIB_RS)),
        ("tests/golden.rs", fill(GOLDEN_RS)),
    ];
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::create_dir_all(dir.join("tests"))?;
    for (name, text) in &files {
        let path = dir.join(name);
        // create_new: never clobber a file that appeared meanwhile.
        use std::io::Write;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(Scaffold {
        dir,
        files: files.iter().map(|(name, _)| *name).collect(),
        member_line: format!("    \"plugins/{id}\","),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked() {
        for good in ["fr", "xx", "de_dl", "a1"] {
            assert!(check_id(good).is_ok(), "{good}");
        }
        for bad in ["", "f", "FR", "1x", "fr-x", "../x", "averyveryverylongid"] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn writes_the_crate_and_refuses_to_overwrite_it() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(
            root.path().join("Cargo.toml"),
            "[workspace]\nmembers = []\n",
        )
        .unwrap();
        let scaffold = new_plugin(root.path(), "zz").unwrap();
        let cargo = std::fs::read_to_string(scaffold.dir.join("Cargo.toml")).unwrap();
        assert!(cargo.contains("name = \"kycd_plugin_zz\""));
        let lib = std::fs::read_to_string(scaffold.dir.join("src/lib.rs")).unwrap();
        assert!(lib.contains("\"ocr/zz/id-card\"") && !lib.contains("{cc}"));
        assert_eq!(scaffold.member_line, "    \"plugins/zz\",");
        let again = new_plugin(root.path(), "zz").unwrap_err().to_string();
        assert!(again.contains("already exists"), "{again}");
    }
}
