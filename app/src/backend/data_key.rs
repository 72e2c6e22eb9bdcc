//! The key that seals secrets at rest (bank account numbers, TINs, VAT ids): AES-256-GCM, with
//! a random nonce per value and associated data that ties each value to its partner and field,
//! so a sealed value copied onto another row doesn't open. The key comes from the environment
//! (`TRELLIS_DATA_KEY`, or the file `TRELLIS_DATA_KEY_FILE` names); rows record its id, a
//! fingerprint, never the key.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The first byte of every sealed value: the format, should it ever change.
const FORMAT: u8 = 1;
const NONCE_LEN: usize = 12;

#[derive(Clone)]
pub struct DataKey {
    cipher: Aes256Gcm,
    id: String,
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DataKey({})", self.id)
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("the data key must be 32 random bytes in base64 (44 characters); make one with `trellis data-key new`")]
    Malformed,
    #[error("a sealed value could not be opened with data key {0}: it was sealed with another key, or changed")]
    CannotOpen(String),
}

impl DataKey {
    /// Reads a key in base64 (surrounding whitespace is ignored, as in a key file).
    pub fn from_base64(text: &str) -> Result<Self, KeyError> {
        let bytes = STANDARD.decode(text.trim()).map_err(|_| KeyError::Malformed)?;
        if bytes.len() != 32 {
            return Err(KeyError::Malformed);
        }
        let digest = Sha256::new_with_prefix(b"trellis data key\0")
            .chain_update(&bytes)
            .finalize();
        Ok(Self {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&bytes)),
            id: hex::encode(&digest[..6]),
        })
    }

    /// A new random key, in base64.
    pub fn generate() -> String {
        STANDARD.encode(Aes256Gcm::generate_key(&mut OsRng))
    }

    /// The key's fingerprint, stored beside what it sealed.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Seals `plaintext` for `context` (for example "partner:7:iban").
    pub fn seal(&self, plaintext: &str, context: &str) -> Vec<u8> {
        self.seal_bytes(plaintext.as_bytes(), context)
    }

    /// Seals bytes (a file) for `context`.
    pub fn seal_bytes(&self, plaintext: &[u8], context: &str) -> Vec<u8> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .expect("AES-GCM encryption cannot fail below its 64 GB message limit");
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(FORMAT);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens what `seal` made for the same context.
    pub fn open(&self, sealed: &[u8], context: &str) -> Result<String, KeyError> {
        let plain = self.open_bytes(sealed, context)?;
        String::from_utf8(plain).map_err(|_| KeyError::CannotOpen(self.id.clone()))
    }

    /// Opens what `seal_bytes` made for the same context.
    pub fn open_bytes(&self, sealed: &[u8], context: &str) -> Result<Vec<u8>, KeyError> {
        let fail = || KeyError::CannotOpen(self.id.clone());
        if sealed.len() < 1 + NONCE_LEN || sealed[0] != FORMAT {
            return Err(fail());
        }
        let (nonce, body) = sealed[1..].split_at(NONCE_LEN);
        self.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| fail())
    }
}

/// The context a partner's secret field is sealed for.
pub fn context(partner_id: i64, field: &str) -> String {
    format!("partner:{partner_id}:{field}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_context() {
        let key = DataKey::from_base64(&DataKey::generate()).unwrap();
        let sealed = key.seal("DE89370400440532013000", "partner:7:account");
        assert!(
            !sealed.windows(4).any(|w| w == b"3704"),
            "no plaintext in the sealed bytes"
        );
        assert_eq!(
            key.open(&sealed, "partner:7:account").unwrap(),
            "DE89370400440532013000"
        );
        assert!(key.open(&sealed, "partner:8:account").is_err(), "another partner's row");
        let other = DataKey::from_base64(&DataKey::generate()).unwrap();
        assert_ne!(other.id(), key.id());
        assert_eq!(
            other.open(&sealed, "partner:7:account"),
            Err(KeyError::CannotOpen(other.id().to_owned()))
        );
        let mut changed = sealed.clone();
        *changed.last_mut().unwrap() ^= 1;
        assert!(key.open(&changed, "partner:7:account").is_err());
    }

    #[test]
    fn two_seals_of_one_value_differ() {
        let key = DataKey::from_base64(&DataKey::generate()).unwrap();
        assert_ne!(key.seal("x", "c"), key.seal("x", "c"));
    }

    #[test]
    fn malformed_keys_are_refused_and_ids_are_stable() {
        assert_eq!(DataKey::from_base64("short").unwrap_err(), KeyError::Malformed);
        assert_eq!(
            DataKey::from_base64(&STANDARD.encode([1u8; 16])).unwrap_err(),
            KeyError::Malformed
        );
        let text = STANDARD.encode([7u8; 32]);
        let (a, b) = (
            DataKey::from_base64(&text).unwrap(),
            DataKey::from_base64(&format!("{text}\n")).unwrap(),
        );
        assert_eq!(a.id(), b.id());
        assert_eq!(a.id().len(), 12);
        assert!(!format!("{a:?}").contains(&text));
    }
}
