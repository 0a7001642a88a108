//! Document types, sides and the rendered card a country module returns.

use anyhow::Result;
use image::RgbaImage;
use rand_chacha::ChaCha8Rng;

use crate::countries;

/// Card width in pixels at the base resolution (ID-1, 85.6 mm at about 300 dpi).
pub const CARD_W: u32 = 1012;
/// Card height in pixels (ID-1, 54 mm).
pub const CARD_H: u32 = 638;

/// Which side of the card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The front.
    Front,
    /// The back.
    Back,
}

impl Side {
    /// `front` or `back`.
    pub fn name(self) -> &'static str {
        match self {
            Side::Front => "front",
            Side::Back => "back",
        }
    }
}

/// One rendered card side with its ground truth.
pub struct Card {
    /// The route the host serves this side on (e.g. `ocr/de/id-card`).
    pub route: &'static str,
    /// Side.
    pub side: Side,
    /// Card model (e.g. `2010`, `2021`, `C`).
    pub model: String,
    /// The expected `message`: every key of the route, in order, with the value as printed
    /// (empty when this model/side does not print it).
    pub message: Vec<(&'static str, String)>,
    /// The card pixels, transparent outside the rounded corners.
    pub image: RgbaImage,
}

/// The document types the generator draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocType {
    /// Germany identity card (`ocr/de/id-card`), 2010 and 2021 models, front and back.
    DeIdCard,
    /// Indonesia e-KTP (`ocr/id/ktp`).
    IdKtp,
    /// Thailand identity card (`ocr/th/id-card`).
    ThIdCard,
    /// Mexico INE voter card (`ocr/mx/ine`), models C-H, front and back.
    MxIne,
    /// India Aadhaar (`ocr/in/aadhaar/front`, `ocr/in/aadhaar/back`), PVC and e-Aadhaar.
    InAadhaar,
    /// India PAN card (`ocr/in/pan`), old and current design.
    InPan,
    /// Netherlands identity card (`ocr/nl/id-card`), 2014 and 2021 models, front and back.
    NlIdCard,
    /// Norway identity card (`ocr/no/id-card`), front and back.
    NoIdCard,
    /// Sweden identity card (`ocr/se/id-card`), front and back.
    SeIdCard,
    /// Germany driving licence (`ocr/de/driving-licence`), EU card model.
    DeDrivingLicence,
    /// Thailand driving licence (`ocr/th/driving-licence`).
    ThDrivingLicence,
    /// Colombia cédula (`ocr/co/cedula/front`, `ocr/co/cedula/back`), yellow and digital.
    CoCedula,
}

impl DocType {
    /// Every implemented type, in output order.
    pub const ALL: [DocType; 12] = [
        DocType::DeIdCard,
        DocType::IdKtp,
        DocType::ThIdCard,
        DocType::MxIne,
        DocType::InAadhaar,
        DocType::InPan,
        DocType::NlIdCard,
        DocType::NoIdCard,
        DocType::SeIdCard,
        DocType::DeDrivingLicence,
        DocType::ThDrivingLicence,
        DocType::CoCedula,
    ];

    /// The name used on the command line and in file names.
    pub fn name(self) -> &'static str {
        match self {
            DocType::DeIdCard => "de-id",
            DocType::IdKtp => "id-ktp",
            DocType::ThIdCard => "th-id",
            DocType::MxIne => "mx-ine",
            DocType::InAadhaar => "in-aadhaar",
            DocType::InPan => "in-pan",
            DocType::NlIdCard => "nl-id",
            DocType::NoIdCard => "no-id",
            DocType::SeIdCard => "se-id",
            DocType::DeDrivingLicence => "de-dl",
            DocType::ThDrivingLicence => "th-dl",
            DocType::CoCedula => "co-cedula",
        }
    }

    /// The type with this name.
    pub fn from_name(name: &str) -> Option<DocType> {
        DocType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Draws one document (all its sides) for a fresh random identity.
    pub fn render(self, rng: &mut ChaCha8Rng) -> Result<Vec<Card>> {
        match self {
            DocType::DeIdCard => countries::de::id_card(rng),
            DocType::IdKtp => countries::id::ktp(rng),
            DocType::ThIdCard => countries::th::id_card(rng),
            DocType::MxIne => countries::mx::ine(rng),
            DocType::InAadhaar => countries::india::aadhaar(rng),
            DocType::InPan => countries::india::pan(rng),
            DocType::NlIdCard => countries::nl::id_card(rng),
            DocType::NoIdCard => countries::no::id_card(rng),
            DocType::SeIdCard => countries::se::id_card(rng),
            DocType::DeDrivingLicence => countries::de_dl::driving_licence(rng),
            DocType::ThDrivingLicence => countries::th::driving_licence(rng),
            DocType::CoCedula => countries::co::cedula(rng),
        }
    }
}
