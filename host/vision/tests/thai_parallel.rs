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
