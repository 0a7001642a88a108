//! Thai lines read on several threads at once: each read borrows its own Tesseract engine from
//! the pool (a shared engine would garble or crash), and every read stays exact.

mod common;

use common::*;
use kycd_plugin_api::{Charset, Quad, Rect};

#[test]
fn thai_lines_read_exactly_on_two_threads_at_once() {
    let lines = ["เลขประจำตัวประชาชน", "ชื่อตัวและชื่อสกุล"];
    let images: Vec<_> = lines
        .iter()
        .map(|t| render_line(t, THAI_FONT, 44.0))
        .collect();
    let read = |i: usize| {
        let image = &images[i];
        let quad = Quad::from_rect(Rect {
            x: 0.0,
            y: 0.0,
            width: image.width() as f32,
            height: image.height() as f32,
        });
        vision()
            .recognize_region(image_ref(image), quad, Charset::THAI)
            .text
            .to_string()
    };
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|worker| {
                let read = &read;
                scope.spawn(move || (0..3).map(|_| read(worker)).collect::<Vec<_>>())
            })
            .collect();
        for (worker, handle) in workers.into_iter().enumerate() {
            let reads = handle.join().expect("a reading thread panicked");
            for text in reads {
                assert_eq!(text, lines[worker], "thread {worker}");
            }
        }
    });
}

#[test]
fn regions_of_one_page_read_side_by_side_answer_in_the_order_asked() {
    let lines = ["เลขประจำตัวประชาชน", "ชื่อตัวและชื่อสกุล", "วันบัตรหมดอายุ"];
    let images: Vec<_> = lines
        .iter()
        .map(|t| render_line(t, THAI_FONT, 44.0))
        .collect();
    // The lines stacked on one white page, each in its own band.
    let width = images.iter().map(|i| i.width()).max().unwrap_or(1);
    let band = images.iter().map(|i| i.height()).max().unwrap_or(1) + 20;
    let mut page = image::RgbImage::from_pixel(width, band * 3, image::Rgb([255, 255, 255]));
    let mut regions = Vec::new();
    for (row, line) in images.iter().enumerate() {
        let top = row as u32 * band + 10;
        image::imageops::overlay(&mut page, line, 0, i64::from(top));
        regions.push(Quad::from_rect(Rect::new(
            0.0,
            top as f32,
            line.width() as f32,
            line.height() as f32,
        )));
    }
    // Out of page order, with a region that holds no pixels at all.
    let nowhere = Quad::from_rect(Rect::new(0.0, 0.0, 0.0, 0.0));
    let asked = [regions[2], regions[0], nowhere, regions[1]];
    let reads = vision().recognize_regions(image_ref(&page), &asked, Charset::THAI);
    let texts: Vec<&str> = reads.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts, [lines[2], lines[0], "", lines[1]]);
    assert_eq!(reads[0].quad, asked[0]);
    assert_eq!(reads[2].quad, nowhere);
}
