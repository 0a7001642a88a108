//! The host services a plugin receives with each request: the shared vision runtime plus the
//! operator's signature keys, behind the plugin ABI's `HostServices` trait.

use abi_stable::std_types::{ROption, RSlice, RStr, RVec};
use kycd_plugin_api::{
    Barcode, Charset, DocumentCrop, Face, HostServices, ImageRef, Mrz, Quad, ReadOptions,
    SignatureCheck, TextLine,
};
use kycd_vision::services::RequestReads;
use kycd_vision::Vision;

use crate::signatures::SignatureKeys;

/// Everything the host lends a plugin for one request.
pub struct Services<'a> {
    /// Models: text, MRZ, barcodes, document geometry, faces.
    pub vision: &'a Vision,
    /// Keys for `verify_signature`.
    pub signatures: &'a SignatureKeys,
    /// This request's Latin reads, for `read_mrz` on an image already read (dropped with the
    /// request).
    pub reads: RequestReads,
}

impl HostServices for Services<'_> {
    fn read_text(&self, image: ImageRef<'_>, options: ReadOptions) -> RVec<TextLine> {
        self.reads.read_text(self.vision, image, options)
    }

    fn recognize_region(&self, image: ImageRef<'_>, region: Quad, charset: Charset) -> TextLine {
        HostServices::recognize_region(self.vision, image, region, charset)
    }

    fn recognize_regions(
        &self,
        image: ImageRef<'_>,
        regions: RSlice<'_, Quad>,
        charset: Charset,
    ) -> RVec<TextLine> {
        HostServices::recognize_regions(self.vision, image, regions, charset)
    }

    fn locate_document(&self, image: ImageRef<'_>) -> ROption<DocumentCrop> {
        HostServices::locate_document(self.vision, image)
    }

    fn read_mrz(&self, image: ImageRef<'_>) -> ROption<Mrz> {
        self.reads.read_mrz(self.vision, image)
    }

    fn decode_barcodes(&self, image: ImageRef<'_>) -> RVec<Barcode> {
        HostServices::decode_barcodes(self.vision, image)
    }

    fn detect_faces(&self, image: ImageRef<'_>) -> RVec<Face> {
        HostServices::detect_faces(self.vision, image)
    }

    fn verify_signature(
        &self,
        key_id: RStr<'_>,
        message: RSlice<'_, u8>,
        signature: RSlice<'_, u8>,
    ) -> SignatureCheck {
        self.signatures
            .verify(key_id.as_str(), message.as_slice(), signature.as_slice())
    }
}
