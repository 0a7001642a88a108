//! placeholder
use anyhow::Result;
/// Thai ID.
pub fn id_card(_rng: &mut rand_chacha::ChaCha8Rng) -> Result<Vec<crate::doc::Card>> {
    Ok(vec![])
}
