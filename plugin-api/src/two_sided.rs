//! Identity cards whose front prints labelled values and whose back carries a TD1
//! machine-readable zone (the Dutch, Norwegian and Swedish cards): one reading of the image
//! tells the sides apart, and the back's identity is checked against the card's issuing state
//! and written the way the front prints it.
//!
//! ```ignore
//! let card = TwoSidedCard { labels: &front::labels(), header: &front::HEADER, state: "NLD",
//!     country_words: &["nederlanden", "nld"], country: "Dutch" };
//! card.read(host, request.image(), front::extract, |id| back::extract(&id))
//! ```

use crate::card_reading::{read_card, read_mrz_upright, CardReading};
use crate::fields::{ErrorKind, ExtractError, Extraction, Field};
use crate::host::Host;
use crate::labelled_card::{shows_mrz, Labels};
use crate::mrz_identity::{today, MrzIdentity};
use crate::text::{normalize, Page};
use crate::types::ImageRef;

/// The layout score ([`Labels::layout_score`]) from which a located crop's reading is kept
/// without reading the whole image as well.
const ENOUGH: i32 = 6;

/// What tells a two-sided card: its front's labels and header, its back's issuing state.
pub struct TwoSidedCard<'a> {
    /// Every label of the front.
    pub labels: &'a Labels,
    /// Words of the front's header (e.g. `nederlanden`), for scoring the upright reading.
    pub header: &'a [&'a str],
    /// The ICAO code of the issuing state and of its citizens' nationality (`NLD`).
    pub state: &'a str,
    /// Words (compared by [`normalize`]) that, read on an image whose zone is unreadable, say it
    /// is this country's card (`FAIL` rather than `IMAGE_RECOGNIZE_ERROR`).
    pub country_words: &'a [&'a str],
    /// The country's adjective in English (`Dutch`), for error messages.
    pub country: &'a str,
}

impl TwoSidedCard<'_> {
    /// Reads the image once (the upright reading by the front's layout) and answers with the
    /// back when the page shows a machine-readable zone, else with the front. A front that is
    /// not recognised may be a back whose zone the page did not show (turned, blurred): the
    /// zone is asked for then, and the front's refusal kept if that fails too.
    pub fn read(
        &self,
        host: &Host<'_>,
        image: ImageRef<'_>,
        front: impl FnOnce(&Page) -> Result<Extraction, ExtractError>,
        back: impl FnOnce(MrzIdentity) -> Result<Extraction, ExtractError>,
    ) -> Result<Extraction, ExtractError> {
        let card = read_card(
            host,
            image,
            |page| self.labels.layout_score(page, self.header),
            ENOUGH,
        );
        if shows_mrz(&card.page) {
            return back(self.back_identity(host, image, &card)?);
        }
        match front(&card.page) {
            Err(e) if e.kind == ErrorKind::NOT_THIS_DOCUMENT => self
                .back_identity(host, image, &card)
                .and_then(back)
                .map_err(|_| e),
            other => other,
        }
    }

    /// The identity in the back's TD1 zone (see [`read_mrz_upright`]): `FAIL` when no zone is
    /// readable on what shows one of the country's words, `IMAGE_RECOGNIZE_ERROR` when there is
    /// none or it is not this state's identity card.
    pub fn back_identity(
        &self,
        host: &Host<'_>,
        image: ImageRef<'_>,
        card: &CardReading,
    ) -> Result<MrzIdentity, ExtractError> {
        let Some(mrz) = read_mrz_upright(host, image, card) else {
            let text = normalize(&card.page.full_text());
            return Err(if self.country_words.iter().any(|w| text.contains(w)) {
                ExtractError::unreadable("machine-readable zone unreadable")
            } else {
                ExtractError::not_this_document(&format!(
                    "no {} machine-readable zone",
                    self.country
                ))
            });
        };
        let id = MrzIdentity::from_mrz(&mrz, today());
        if id.format != "TD1"
            || id.issuing_state != self.state
            || !id.document_code.starts_with('I')
        {
            return Err(ExtractError::not_this_document(&format!(
                "not a {} identity card",
                self.country
            )));
        }
        Ok(id)
    }

    /// The zone's nationality as the front prints it for a citizen (`printed`), valid when it
    /// is the issuing state's; empty for any other nationality.
    pub fn nationality_field(&self, id: &MrzIdentity, key: &str, printed: &str) -> Field {
        let citizen = id.nationality.value == self.state;
        id.nationality
            .field(key, |_| {
                Some(if citizen {
                    printed.to_string()
                } else {
                    String::new()
                })
            })
            .checked(citizen)
    }
}

/// The zone's sex as the front prints it: `female` for `F`, `male` for `M`, empty when the
/// zone leaves it unspecified.
pub fn sex_field(id: &MrzIdentity, key: &str, female: &str, male: &str) -> Field {
    id.sex.field(key, |s| {
        Some(match s.as_str() {
            "F" => female.to_string(),
            "M" => male.to_string(),
            _ => String::new(),
        })
    })
}

/// The zone's value as it stands, or an empty value marked invalid when the zone has none.
pub fn text_field(value: &crate::mrz_identity::MrzValue<String>, key: &str) -> Field {
    value.field(key, |v| (!v.is_empty()).then(|| v.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::Validity;
    use crate::mrz_identity::MrzValue;

    fn value(text: &str) -> MrzValue<String> {
        MrzValue {
            value: text.into(),
            check_digit_valid: None,
            zone_valid: true,
        }
    }

    fn identity(sex: &str, nationality: &str) -> MrzIdentity {
        let date = MrzValue {
            value: None,
            check_digit_valid: Some(false),
            zone_valid: true,
        };
        MrzIdentity {
            format: "TD1".into(),
            document_code: "I".into(),
            issuing_state: nationality.into(),
            document_number: value("SPECI2021"),
            surname: value("PETERS"),
            given_names: value("BRAM"),
            birth_date: date.clone(),
            expiry_date: date,
            sex: value(sex),
            nationality: value(nationality),
            optional_data: value(""),
            optional_data_2: value(""),
            all_checks_valid: true,
        }
    }

    #[test]
    fn sex_and_nationality_are_written_as_the_front_prints_them() {
        let labels = Labels::new(&["naam"]);
        let card = TwoSidedCard {
            labels: &labels,
            header: &[],
            state: "NLD",
            country_words: &["nederlanden"],
            country: "Dutch",
        };
        let woman = identity("F", "NLD");
        assert_eq!(sex_field(&woman, "Gender", "V/F", "M/M").value, "V/F");
        assert_eq!(
            sex_field(&identity("M", "NLD"), "Gender", "V/F", "M/M").value,
            "M/M"
        );
        assert_eq!(
            sex_field(&identity("", "NLD"), "Gender", "V/F", "M/M").value,
            ""
        );
        let dutch = card.nationality_field(&woman, "Nationality", "Nederlandse");
        assert_eq!(
            (dutch.value.as_str(), dutch.valid),
            ("Nederlandse", Validity::VALID)
        );
        let other = card.nationality_field(&identity("F", "BEL"), "Nationality", "Nederlandse");
        assert_eq!((other.value.as_str(), other.valid), ("", Validity::INVALID));
        assert_eq!(text_field(&value(""), "Surname").valid, Validity::INVALID);
        assert_eq!(text_field(&value("PETERS"), "Surname").value, "PETERS");
    }
}
