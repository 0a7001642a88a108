//! Model files: a missing or corrupt file is a clear error naming it and the fetch command.

mod common;

use kycd_vision::{Vision, VisionConfig, VisionError};

fn copy_models(to: &std::path::Path) {
    let from = common::models_dir();
    std::fs::create_dir_all(to.join("lib")).unwrap();
    for file in [
        "lib/libonnxruntime.so.1.32.0",
        "PP-OCRv6_det_small_nodenormals.onnx",
        "PP-OCRv6_rec_small_latin.onnx",
        "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
    ] {
        std::fs::copy(from.join(file), to.join(file))
            .unwrap_or_else(|e| panic!("{file}: {e} (run models/fetch.sh)"));
    }
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kycd-vision-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn missing_model_names_the_file_and_the_fetch_script() {
    let dir = scratch("missing");
    copy_models(&dir);
    std::fs::remove_file(dir.join("PP-OCRv6_rec_small_latin.onnx")).unwrap();
    let error = Vision::load(&VisionConfig::new(&dir))
        .err()
        .expect("load must fail");
    let message = error.to_string();
    assert!(
        matches!(error, VisionError::MissingModel { .. }),
        "{message}"
    );
    assert!(
        message.contains("PP-OCRv6_rec_small_latin.onnx"),
        "{message}"
    );
    assert!(message.contains("models/fetch.sh"), "{message}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn corrupt_model_is_refused_by_its_checksum() {
    let dir = scratch("corrupt");
    copy_models(&dir);
    let path = dir.join("PP-OCRv6_det_small_nodenormals.onnx");
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&path, bytes).unwrap();
    let error = Vision::load(&VisionConfig::new(&dir))
        .err()
        .expect("load must fail");
    let message = error.to_string();
    assert!(
        matches!(error, VisionError::ChecksumMismatch { .. }),
        "{message}"
    );
    assert!(
        message.contains("PP-OCRv6_det_small_nodenormals.onnx")
            && message.contains("models/fetch.sh"),
        "{message}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn empty_models_dir_is_an_error_not_a_panic() {
    let dir = scratch("empty");
    std::fs::create_dir_all(&dir).unwrap();
    let message = Vision::load(&VisionConfig::new(&dir))
        .err()
        .expect("load must fail")
        .to_string();
    assert!(message.contains("models/fetch.sh"), "{message}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn vision_can_be_shared_between_request_threads() {
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<Vision>();
}
