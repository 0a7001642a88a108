//! placeholder
use anyhow::Result;
/// KTP.
pub fn ktp(_rng: &mut rand_chacha::ChaCha8Rng) -> Result<Vec<crate::doc::Card>> {
    Ok(vec![])
}
