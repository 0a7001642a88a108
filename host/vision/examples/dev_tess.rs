fn main() {
    let reader = kycd_vision::tesseract::LineReader::default();
    for f in std::env::args().skip(1) {
        let im = image::open(&f).unwrap().to_rgb8();
        println!("{f}: {:?}", reader.read_line(&im, kycd_vision::tesseract::TessLanguage::Thai));
    }
}
