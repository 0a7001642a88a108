//! # kycd-corpus
//!
//! Synthetic, labelled identity-document images for kycd's tests and accuracy harness. Real
//! identity documents cannot be shipped, so this crate draws cards that follow the real layouts
//! (field positions, bilingual labels, tints, guilloche-like patterns, a drawn portrait, MRZ and
//! 2-D barcodes with the real payload formats) around random but *valid* identities (every
//! number passes [`kycd_plugin_api::checks`]), then photographs or scans them under named
//! [`conditions`].
//!
//! Everything is deterministic from a seed: the same seed, types and conditions give identical
//! bytes. Each sample has its own ChaCha RNG derived from (seed, document type, index,
//! condition), so adding a type or a condition does not change the other samples.
//!
//! ```no_run
//! use kycd_corpus::{generate, GenerateOptions};
//! let samples = generate(&GenerateOptions { seed: 7, per_type: 2, ..Default::default() })?;
//! for s in &samples { println!("{} {}", s.file_stem, s.truth["route"]); }
//! # anyhow::Ok(())
//! ```

pub mod barcode;
pub mod canvas;
pub mod conditions;
pub mod countries;
pub mod doc;
pub mod fonts;
pub mod generate;
pub mod identity;
pub mod layout;
pub mod mrz;
pub mod portrait;

pub use conditions::Condition;
pub use doc::{Card, DocType, Side};
pub use generate::{generate, write_samples, GenerateOptions, Sample};
