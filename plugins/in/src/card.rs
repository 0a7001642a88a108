//! Reading one card image: locate and rectify it, read its text once, and decode its barcodes.

use kycd_plugin_api::checks::Date;
use kycd_plugin_api::prelude::*;

/// The text of a card image, read once, with the image it was read from.
pub struct CardText {
    /// The recognised lines, in reading order.
    pub page: Page,
    /// The rectified card when `locate_document` found one.
    pub crop: Option<DocumentCrop>,
}

impl CardText {
    /// Locates the card (upright 1000x630 crop) and reads its text; falls back to the whole
    /// image when no card edge is found.
    pub fn read(image: ImageRef<'_>, host: &Host<'_>, options: ReadOptions) -> CardText {
        let crop = host.locate_document(image);
        let target = crop.as_ref().map_or(image, |c| c.image.as_ref());
        let lines = host.read_text(target, options);
        CardText {
            page: Page::new(&lines, target.width, target.height),
            crop,
        }
    }

    /// Reads the whole image, ignoring the located card (used when the crop missed the card's
    /// text).
    pub fn read_whole(image: ImageRef<'_>, host: &Host<'_>, options: ReadOptions) -> CardText {
        let lines = host.read_text(image, options);
        CardText {
            page: Page::new(&lines, image.width, image.height),
            crop: None,
        }
    }

    /// Decodes the barcodes on the rectified card, or on the whole image when there is no crop
    /// or nothing was found on it.
    pub fn barcodes(&self, image: ImageRef<'_>, host: &Host<'_>) -> Vec<Barcode> {
        if let Some(crop) = &self.crop {
            let found = host.decode_barcodes(crop.image.as_ref());
            if !found.is_empty() {
                return found;
            }
        }
        host.decode_barcodes(image)
    }
}

/// Whether a recognised line is written horizontally (the e-Aadhaar prints two dates
/// vertically beside the photo).
pub fn is_horizontal(line: &Line) -> bool {
    line.right - line.left >= line.height()
}

/// Today's date from the system clock (used only for date plausibility).
pub fn today() -> Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    Date::from_days_since_epoch(days as i64)
}
