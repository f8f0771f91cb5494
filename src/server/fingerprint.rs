//! The fingerprint of the policy a shopper agrees to.

use std::{collections::BTreeMap, fmt, str::FromStr};

use sha2::{Digest, Sha256};

use crate::{Category, ConsentMode, ConsentTexts, Service};

/// A short hash of what the shopper agreed to: the consent mode and, in every locale, the
/// banner message and each category's label and description, and the cookie registry
/// (see [`RegistrySnapshot::fingerprint`](crate::registry::RegistrySnapshot::fingerprint)). When it changes, earlier decisions are stale and shoppers are asked again; no
/// revision number to bump by hand.
///
/// Wording that does not change what is agreed to (button labels, headings) is left out.
///
/// ```
/// use leptos_consent::{ConsentConfig, texts::ConsentTexts};
///
/// let secret = [7; 32];
/// let before = ConsentConfig::builder().secret(secret).build()?.fingerprint();
/// let texts = ConsentTexts::english().with_message("We now also measure scroll depth.");
/// let after = ConsentConfig::builder().secret(secret).texts("en", texts).build()?.fingerprint();
/// assert_ne!(before, after, "a new purpose asks shoppers again");
/// # Ok::<(), leptos_consent::ConfigError>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct PolicyFingerprint([u8; 8]);

impl PolicyFingerprint {
    /// The fingerprint of a mode and the texts of every locale.
    pub fn of_policy(
        mode: ConsentMode,
        texts: &BTreeMap<String, ConsentTexts>,
        services: &[Service],
    ) -> Self {
        let mut hasher = Sha256::new();
        let mut field = |value: &str| {
            // Length-prefixed, so that moving words between fields changes the hash.
            hasher.update((value.len() as u64).to_le_bytes());
            hasher.update(value.as_bytes());
        };
        field("leptos-consent policy v1");
        field(mode.as_str());
        for (locale, texts) in texts {
            field(locale);
            field(&texts.message);
            field(&texts.passive_message);
            for category in Category::ALL {
                let text = texts.category(category);
                field(category.as_str());
                field(&text.label);
                field(&text.description);
            }
        }
        // Only when the shop declares services, so that shops without any keep their
        // fingerprint (and nobody is asked again).
        for service in services {
            field("service");
            field(&service.id);
            field(&service.name);
            field(service.category.as_str());
            for cookie in &service.cookies {
                field(cookie);
            }
        }
        Self::from_digest(&hasher.finalize())
    }

    /// This fingerprint extended with the cookie registry's.
    pub(crate) fn with_registry(self, registry: PolicyFingerprint) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(self.0);
        hasher.update(registry.0);
        Self::from_digest(&hasher.finalize())
    }

    /// The first eight bytes of a SHA-256 digest.
    pub(crate) fn from_digest(digest: &[u8]) -> Self {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(&digest[..8]);
        PolicyFingerprint(bytes)
    }
}

impl fmt::Display for PolicyFingerprint {
    /// 16 lowercase hex digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl FromStr for PolicyFingerprint {
    type Err = ();

    /// Parses the 16 hex digits of [`Display`](fmt::Display).
    fn from_str(s: &str) -> Result<Self, ()> {
        if s.len() != 16 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(());
        }
        let mut bytes = [0; 8];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).map_err(|_| ())?;
        }
        Ok(PolicyFingerprint(bytes))
    }
}
