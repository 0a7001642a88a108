//! placeholder
use anyhow::Result;
/// INE.
pub fn ine(_rng: &mut rand_chacha::ChaCha8Rng) -> Result<Vec<crate::doc::Card>> {
    Ok(vec![])
}
