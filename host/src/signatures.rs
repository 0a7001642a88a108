//! Public keys the operator trusts for signed document data, and the signature check plugins
//! ask for through `HostServices::verify_signature`.
//!
//! Configured in `[signature_keys]` as `name = "path"`; the file is an X.509 certificate (PEM or
//! DER, as UIDAI publishes its Aadhaar offline-verification certificate) or a PEM public key
//! (`BEGIN PUBLIC KEY`). Keys are read when the configuration is loaded or reloaded: a file that
//! is missing or holds no RSA key is a configuration error naming the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kycd_plugin_api::SignatureCheck;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use rsa::PublicKey;
use sha2_v011::Sha256;
use x509_cert::der::{Decode, DecodePem, Encode};
use x509_cert::Certificate;

/// The trusted keys by name. Cheap to share behind an `Arc`; empty when none is configured.
#[derive(Default, Debug)]
pub struct SignatureKeys {
    keys: BTreeMap<String, VerifyingKey<Sha256>>,
}

impl SignatureKeys {
    /// Reads every configured key file; the error names the key and the file.
    pub fn load(files: &BTreeMap<String, PathBuf>) -> anyhow::Result<SignatureKeys> {
        let mut keys = BTreeMap::new();
        for (name, path) in files {
            let key = read_public_key(path).map_err(|e| {
                anyhow::anyhow!("[signature_keys] {name} = {}: {e}", path.display())
            })?;
            keys.insert(name.clone(), VerifyingKey::new(key));
        }
        Ok(SignatureKeys { keys })
    }

    /// The names of the configured keys.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }

    /// Checks an RSA PKCS #1 v1.5 SHA-256 signature of `message` with the key `name`.
    pub fn verify(&self, name: &str, message: &[u8], signature: &[u8]) -> SignatureCheck {
        let Some(key) = self.keys.get(name) else {
            return SignatureCheck::NO_KEY;
        };
        let valid = Signature::try_from(signature)
            .map(|signature| key.verify(message, &signature).is_ok())
            .unwrap_or(false);
        if valid {
            SignatureCheck::VALID
        } else {
            SignatureCheck::INVALID
        }
    }
}

fn read_public_key(path: &Path) -> anyhow::Result<PublicKey> {
    let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read the file: {e}"))?;
    let text = std::str::from_utf8(&bytes).ok();
    let key = match text {
        Some(pem) if pem.contains("-----BEGIN CERTIFICATE-----") => {
            certificate_key(&Certificate::from_pem(pem)?)?
        }
        Some(pem) if pem.contains("-----BEGIN PUBLIC KEY-----") => {
            PublicKey::from_public_key_pem(pem.trim())?
        }
        _ => certificate_key(&Certificate::from_der(&bytes).map_err(|_| {
            anyhow::anyhow!("not an X.509 certificate (PEM or DER) or a PEM public key")
        })?)?,
    };
    Ok(key)
}

fn certificate_key(certificate: &Certificate) -> anyhow::Result<PublicKey> {
    let spki = certificate
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()?;
    PublicKey::from_public_key_der(&spki)
        .map_err(|e| anyhow::anyhow!("the certificate's key is not an RSA key: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus_data(file: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tools/corpus/data")
            .join(file)
    }

    fn test_keys() -> SignatureKeys {
        let files = BTreeMap::from([(
            "test".to_string(),
            corpus_data("secure-qr-test-certificate.pem"),
        )]);
        SignatureKeys::load(&files).unwrap()
    }

    #[test]
    fn a_key_that_is_not_configured_verifies_nothing() {
        let keys = test_keys();
        assert_eq!(
            keys.verify("uidai", b"data", &[0; 256]),
            SignatureCheck::NO_KEY
        );
    }

    #[test]
    fn a_signature_by_the_certificate_key_is_valid_and_only_for_its_message() {
        use rsa::pkcs8::DecodePrivateKey;
        use rsa::signature::{SignatureEncoding, Signer};
        let pem = std::fs::read_to_string(corpus_data("secure-qr-test-key.pem")).unwrap();
        let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(
            rsa::PrivateKey::from_pkcs8_pem(&pem).unwrap(),
        );
        let signature = signer.sign(b"reference id, name, birth date").to_vec();
        let keys = test_keys();
        assert_eq!(
            keys.verify("test", b"reference id, name, birth date", &signature),
            SignatureCheck::VALID
        );
        assert_eq!(
            keys.verify("test", b"reference id, name, birth date!", &signature),
            SignatureCheck::INVALID
        );
    }

    #[test]
    fn garbage_is_an_invalid_signature_not_an_error() {
        let keys = test_keys();
        assert_eq!(
            keys.verify("test", b"data", &[0; 256]),
            SignatureCheck::INVALID
        );
        assert_eq!(keys.verify("test", b"data", &[]), SignatureCheck::INVALID);
    }

    #[test]
    fn a_file_without_a_key_is_named_in_the_error() {
        let files = BTreeMap::from([("uidai".to_string(), corpus_data("de.txt"))]);
        let error = SignatureKeys::load(&files).unwrap_err().to_string();
        assert!(
            error.contains("uidai") && error.contains("de.txt"),
            "{error}"
        );
        let files = BTreeMap::from([("uidai".to_string(), corpus_data("missing.cer"))]);
        let error = SignatureKeys::load(&files).unwrap_err().to_string();
        assert!(
            error.contains("missing.cer") && error.contains("cannot read"),
            "{error}"
        );
    }
}
