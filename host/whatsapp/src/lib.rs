//! WhatsApp detail check. See `docs/whatsapp.md`.
