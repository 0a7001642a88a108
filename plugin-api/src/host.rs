//! The host-services handle: how a plugin asks the host's shared vision runtime for work.

use abi_stable::sabi_trait;
use abi_stable::sabi_types::RRef;
use abi_stable::std_types::{ROption, RSlice, RStr, RVec};
use abi_stable::StableAbi;

use crate::types::{
    Barcode, Charset, DocumentCrop, Face, ImageRef, Mrz, Quad, ReadOptions, SignatureCheck,
    TextLine,
};

/// Services the host lends to plugins. Implemented by the host; plugins call it through [`Host`].
///
/// New services are appended after the last method in later minor versions, so a plugin built
/// against this version keeps loading in a newer host. Every method is infallible at the ABI
/// level: "nothing found" is an empty result, and the host never unwinds across the boundary.
#[sabi_trait]
pub trait HostServices: Sync {
    /// Detects text lines, orders them in reading order and recognises them.
    fn read_text(&self, image: ImageRef<'_>, options: ReadOptions) -> RVec<TextLine>;

    /// Recognises the single line of text inside `region` with a character-set constraint,
    /// for template-style fields whose position is known.
    fn recognize_region(&self, image: ImageRef<'_>, region: Quad, charset: Charset) -> TextLine;

    /// Finds an ID-1 card (or similar document) in a photo and rectifies it upright.
    fn locate_document(&self, image: ImageRef<'_>) -> ROption<DocumentCrop>;

    /// Finds and parses an ICAO 9303 machine-readable zone (TD1, TD2 or TD3).
    fn read_mrz(&self, image: ImageRef<'_>) -> ROption<Mrz>;

    /// Decodes the QR codes and PDF417 symbols in the image.
    fn decode_barcodes(&self, image: ImageRef<'_>) -> RVec<Barcode>;

    /// Detects faces, largest first.
    #[sabi(last_prefix_field)]
    fn detect_faces(&self, image: ImageRef<'_>) -> RVec<Face>;

    /// Verifies an RSA signature (PKCS #1 v1.5 over SHA-256, "SHA256withRSA") of `message` with
    /// the public key the operator configured under `key_id` (`[signature_keys]` in the host's
    /// configuration), e.g. `uidai` for Aadhaar Secure QR codes.
    ///
    /// Added in 0.1.1. A host older than that, or one with no key of that name, answers
    /// [`SignatureCheck::NO_KEY`]: a plugin then reports the signature as not verified.
    fn verify_signature(
        &self,
        key_id: RStr<'_>,
        message: RSlice<'_, u8>,
        signature: RSlice<'_, u8>,
    ) -> SignatureCheck {
        let _ = (key_id, message, signature);
        SignatureCheck::NO_KEY
    }

    /// Recognises the single line inside each of `regions` of one image, as
    /// [`HostServices::recognize_region`] does one, answering in the order given. The host
    /// reads them side by side on its own threads (a Thai or Devanagari line costs tens of
    /// milliseconds in Tesseract), so a plugin with several regions to read needs no threads
    /// of its own.
    ///
    /// Added in 0.1.2. A host older than that reads them one after the other.
    fn recognize_regions(
        &self,
        image: ImageRef<'_>,
        regions: RSlice<'_, Quad>,
        charset: Charset,
    ) -> RVec<TextLine> {
        regions
            .iter()
            .map(|region| self.recognize_region(image, *region, charset))
            .collect()
    }
}

/// The FFI-safe trait object the host hands to [`crate::PluginMod::extract`].
pub type HostRef<'a> = HostServices_TO<'a, RRef<'a, ()>>;

/// One extraction request as it crosses the boundary.
#[repr(C)]
#[derive(StableAbi, Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The route asked for, e.g. `ocr/de/id-card` (one plugin may serve several).
    pub route: RStr<'a>,
    /// The decoded, EXIF-oriented image.
    pub image: ImageRef<'a>,
}

impl<'a> Request<'a> {
    /// The route asked for.
    pub fn route(&self) -> &'a str {
        self.route.as_str()
    }

    /// The image.
    pub fn image(&self) -> ImageRef<'a> {
        self.image
    }
}

/// The safe, Rust-typed view of the host services a plugin's extract function receives.
#[repr(transparent)]
pub struct Host<'a> {
    services: HostRef<'a>,
}

impl<'a> Host<'a> {
    /// Views the FFI handle as a `Host`. Called by [`crate::export_plugin!`]; plugin code
    /// receives a `&Host`.
    pub fn from_ffi<'r>(services: &'r HostRef<'a>) -> &'r Host<'a> {
        // SAFETY: `Host` is `repr(transparent)` over `HostRef`, so the layouts are identical.
        unsafe { &*(services as *const HostRef<'a> as *const Host<'a>) }
    }

    /// Detects and recognises every text line, in reading order.
    pub fn read_text(&self, image: ImageRef<'_>, options: ReadOptions) -> Vec<TextLine> {
        self.services.read_text(image, options).into_vec()
    }

    /// Recognises one line inside `region` with a character-set constraint.
    pub fn recognize_region(
        &self,
        image: ImageRef<'_>,
        region: Quad,
        charset: Charset,
    ) -> TextLine {
        self.services.recognize_region(image, region, charset)
    }

    /// Recognises one line inside each of `regions`, in their order, read side by side by
    /// the host ([`HostServices::recognize_regions`]).
    pub fn recognize_regions(
        &self,
        image: ImageRef<'_>,
        regions: &[Quad],
        charset: Charset,
    ) -> Vec<TextLine> {
        self.services
            .recognize_regions(image, RSlice::from_slice(regions), charset)
            .into_vec()
    }

    /// Finds the document in a photo and rectifies it; `None` when no document-like region.
    pub fn locate_document(&self, image: ImageRef<'_>) -> Option<DocumentCrop> {
        self.services.locate_document(image).into_option()
    }

    /// Finds and parses an MRZ.
    pub fn read_mrz(&self, image: ImageRef<'_>) -> Option<Mrz> {
        self.services.read_mrz(image).into_option()
    }

    /// Decodes QR codes and PDF417 symbols.
    pub fn decode_barcodes(&self, image: ImageRef<'_>) -> Vec<Barcode> {
        self.services.decode_barcodes(image).into_vec()
    }

    /// Detects faces, largest first.
    pub fn detect_faces(&self, image: ImageRef<'_>) -> Vec<Face> {
        self.services.detect_faces(image).into_vec()
    }

    /// Verifies `signature` over `message` with the operator's key `key_id`
    /// ([`HostServices::verify_signature`]).
    pub fn verify_signature(
        &self,
        key_id: &str,
        message: &[u8],
        signature: &[u8],
    ) -> SignatureCheck {
        self.services.verify_signature(
            RStr::from_str(key_id),
            RSlice::from_slice(message),
            RSlice::from_slice(signature),
        )
    }
}
