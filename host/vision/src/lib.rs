//! kycd's shared vision runtime. See `docs/vision.md`.
pub mod mrz;
