//! HMAC-SHA256 signatures for the consent cookie, keyed once.
//!
//! The format is the `cookie` crate's signed-cookie format (`base64(tag)` then the value),
//! but the MAC is keyed once at start-up and cloned per request instead of re-keyed (two
//! SHA-256 blocks saved on every page), and verifying borrows instead of allocating. The
//! cryptography is RustCrypto's `hmac` and `sha2`; the comparison is constant-time.

use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Length of a base64-encoded HMAC-SHA256 tag (32 bytes, padded).
const TAG_LEN: usize = 44;

/// Signs and verifies values with one key.
#[derive(Clone)]
pub(crate) struct Signer {
    keyed: Hmac<Sha256>,
}

impl Signer {
    /// A signer for a signing key (from `cookie::Key::signing`).
    pub(crate) fn new(key: &[u8]) -> Self {
        Signer {
            keyed: Hmac::new_from_slice(key).expect("HMAC takes keys of any length"),
        }
    }

    /// `value` with its signature in front.
    pub(crate) fn sign(&self, value: &str) -> String {
        let tag = self
            .keyed
            .clone()
            .chain_update(value)
            .finalize()
            .into_bytes();
        let mut signed = STANDARD.encode(tag);
        signed.push_str(value);
        signed
    }

    /// The value of a signed string, if the signature is right.
    pub(crate) fn verify<'s>(&self, signed: &'s str) -> Option<&'s str> {
        if !signed.is_char_boundary(TAG_LEN) {
            return None;
        }
        let (tag, value) = signed.split_at(TAG_LEN);
        let mut decoded = [0u8; 33];
        let len = STANDARD.decode_slice(tag, &mut decoded).ok()?;
        self.keyed
            .clone()
            .chain_update(value)
            .verify_slice(&decoded[..len])
            .ok()
            .map(|()| value)
    }
}

/// A 32-byte key for one `purpose`, derived from the shop's `secret` (HMAC-SHA256 of the
/// purpose under the secret), so that one secret can key unrelated signatures.
#[cfg_attr(not(feature = "console"), allow(dead_code))]
pub(crate) fn derive_key(secret: &[u8], purpose: &str) -> [u8; 32] {
    Hmac::<Sha256>::new_from_slice(secret)
        .expect("HMAC takes keys of any length")
        .chain_update(purpose)
        .finalize()
        .into_bytes()
        .into()
}

#[cfg(test)]
mod tests {
    use cookie::{Cookie, CookieJar, Key};

    use super::*;

    #[test]
    fn reads_and_writes_the_cookie_crates_signed_format() {
        let key = Key::derive_from(&[9u8; 32]);
        let signer = Signer::new(key.signing());
        let mut jar = CookieJar::new();
        jar.signed_mut(&key).add(Cookie::new("c", "1.payload"));
        let by_cookie_crate = jar.get("c").unwrap().value().to_owned();
        assert_eq!(signer.sign("1.payload"), by_cookie_crate);
        assert_eq!(signer.verify(&by_cookie_crate), Some("1.payload"));
    }

    #[test]
    fn refuses_what_it_did_not_sign() {
        let signer = Signer::new(&[1u8; 32]);
        let other = Signer::new(&[2u8; 32]);
        let signed = signer.sign("value");
        assert_eq!(other.verify(&signed), None);
        assert_eq!(signer.verify(&signed.replace("value", "valuf")), None);
        assert_eq!(signer.verify(&signed[..43]), None);
        assert_eq!(signer.verify(""), None);
        assert_eq!(signer.verify("ééééééééééééééééééééééé"), None);
        assert_eq!(signer.verify(&format!("{}value", "!".repeat(44))), None);
    }
}
