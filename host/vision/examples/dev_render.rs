#[path = "../tests/common/mod.rs"]
mod common;
fn main() {
    let t = "Müller Åsa Øvre Ærø Peña Ñandú Straße";
    for (i, f) in [common::DEJAVU_SANS, common::LIBERATION_SANS, "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"].iter().enumerate() {
        for s in [32.0, 40.0, 48.0] {
            common::render_line(t, f, s).save(format!("/tmp/a1/lat{i}_{s}.png")).unwrap();
        }
    }
    common::render_card(0).save("/tmp/a1/card.png").unwrap();
}
