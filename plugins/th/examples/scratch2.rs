use kycd_plugin_api::pixels::{contrast_stretched, sub_image};
use kycd_plugin_api::{Charset, ImageRef, ReadOptions, Rect};
use kycd_vision::{Vision, VisionConfig};
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let vision = Vision::load(&VisionConfig::new(kycd::local::repository_models_dir()))?;
    let path = std::env::args().nth(1).unwrap();
    let image = image::open(&path)?.to_rgb8();
    let rgb = ImageRef::new(image.width(), image.height(), image.as_raw()).ok_or("bad")?;
    let crop = vision.locate_document(rgb).ok_or("no card")?;
    let img = crop.image.as_ref();
    for line in vision.read_text(img, ReadOptions::latin()) {
        let b = line.quad.bounds();
        let m = b.height * 0.3;
        let part = sub_image(
            img,
            Rect {
                x: b.x - m,
                y: b.y - m,
                width: b.width + 2.0 * m,
                height: b.height + 2.0 * m,
            },
        )
        .ok_or("empty")?;
        let st = contrast_stretched(part.as_ref());
        let again = vision.read_text(st.as_ref(), ReadOptions::latin());
        let region = vision.recognize_region(
            st.as_ref(),
            kycd_plugin_api::Quad::from_rect(Rect {
                x: m * 0.5,
                y: m * 0.5,
                width: b.width + m,
                height: b.height + m,
            }),
            Charset::ANY,
        );
        println!(
            "{:?} | zone {:?} | region {:?}",
            line.text.as_str(),
            again.iter().map(|l| l.text.to_string()).collect::<Vec<_>>(),
            region.text.as_str()
        );
    }
    Ok(())
}
