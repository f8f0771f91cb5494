//! The consent cookie: one decision in about 110 bytes, signed with HMAC-SHA256.
//!
//! Value: `<base64 HMAC>1.<consent id>.<categories>.<action>.<unix time>.<fingerprint>`,
//! in the `cookie` crate's signed-cookie format (see [`signing`](super::signing)). Anything that does not verify, parse, match the
//! current policy fingerprint and lie within the lifetime means "no decision": the shopper is
//! asked again and nothing fails.

use http::HeaderValue;
use uuid::Uuid;

use super::{ConsentConfig, PolicyFingerprint, cookies::CookieAttributes};
use crate::ConsentDecision;

const FORMAT_VERSION: &str = "1";

/// How far a decision's time may lie in the future (clock skew between shop instances).
const FUTURE_SKEW_SECS: i64 = 300;

/// Why a consent cookie was not accepted. Every case means "ask again".
///
/// Returned by [`ConsentConfig::decode_decision`](crate::ConsentConfig::decode_decision),
/// whose example shows a forged cookie refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CookieRejection {
    /// The signature does not verify: forged, truncated, or signed with another secret.
    #[error("the consent cookie's signature does not verify")]
    Forged,
    /// Signed by us, but not in a format this version reads.
    #[error("the consent cookie is malformed")]
    Malformed,
    /// Older than the configured lifetime.
    #[error("the consent cookie has expired")]
    Expired,
    /// Dated in the future.
    #[error("the consent cookie is dated in the future")]
    FromTheFuture,
    /// Made under a policy that has changed since.
    #[error("the consent cookie was given for an earlier policy")]
    Stale,
}

/// What a request's consent cookies say (see [`ConsentConfig::read_consent_cookies`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ConsentCookie {
    /// The valid decision, if any.
    pub(crate) decision: Option<ConsentDecision>,
    /// The consent id of a cookie we signed, valid or not.
    pub(crate) previous_consent_id: Option<Uuid>,
}

/// Counts signature verifications on the test's thread, so that a test can check that a
/// request verifies its consent cookie once.
#[cfg(test)]
pub(crate) mod verifications {
    use std::cell::Cell;

    thread_local!(static COUNT: Cell<u64> = const { Cell::new(0) });

    pub(super) fn count() {
        COUNT.with(|count| count.set(count.get() + 1));
    }

    /// Verifications on this thread so far.
    pub(crate) fn so_far() -> u64 {
        COUNT.with(Cell::get)
    }
}

/// A verified cookie, before the checks of time and policy.
struct Signed {
    decision: ConsentDecision,
    fingerprint: PolicyFingerprint,
}

impl ConsentConfig {
    /// The signed cookie value that records `decision` under the current policy.
    pub fn encode_decision(&self, decision: &ConsentDecision) -> String {
        let payload = format!(
            "{FORMAT_VERSION}.{}.{}",
            decision.encode_compact(),
            self.fingerprint()
        );
        self.signer().sign(&payload)
    }

    /// The consent cookie's attributes (name, domain, `Secure`; always `HttpOnly`).
    pub(crate) fn consent_cookie(&self) -> CookieAttributes {
        CookieAttributes::new(self.cookie_name(), self.secure(), true)
            .on(self.cookie_domain().map(str::to_owned))
    }

    /// The `Set-Cookie` header that stores `decision`.
    pub(crate) fn set_cookie_header(&self, decision: &ConsentDecision) -> Option<HeaderValue> {
        self.consent_cookie()
            .set(self.encode_decision(decision), self.lifetime_of(decision))
    }

    /// The `Set-Cookie` header that deletes the consent cookie (same path, domain and flags).
    pub(crate) fn removal_header(&self) -> Option<HeaderValue> {
        self.consent_cookie().expire()
    }

    /// What a request's consent cookies say, each verified once: the first valid decision,
    /// and the consent id of the first cookie we signed, valid or not (stale and expired
    /// decisions keep their id, so that one browser keeps one consent id in the log).
    pub(crate) fn read_consent_cookies<'v>(
        &self,
        values: impl Iterator<Item = &'v str>,
        now: i64,
    ) -> ConsentCookie {
        let mut read = ConsentCookie::default();
        for value in values {
            let signed = match self.verify(value) {
                Ok(signed) => signed,
                Err(rejection) => {
                    tracing::debug!(%rejection, "consent cookie ignored");
                    continue;
                }
            };
            read.previous_consent_id
                .get_or_insert(signed.decision.consent_id);
            match self.check(signed, now) {
                Ok(decision) => {
                    read.decision = Some(decision);
                    break;
                }
                Err(rejection) => tracing::debug!(%rejection, "consent cookie ignored"),
            }
        }
        read
    }

    /// Reads a decision from a consent cookie's value, as of `now` (Unix seconds).
    ///
    /// ```
    /// use leptos_consent::{CategorySet, ConsentAction, ConsentConfig, ConsentDecision, CookieRejection, Uuid};
    ///
    /// let config = ConsentConfig::builder().secret([9; 32]).build()?;
    /// let decision = ConsentDecision {
    ///     consent_id: Uuid::new_v4(),
    ///     granted: CategorySet::essential(),
    ///     action: ConsentAction::RejectAll,
    ///     decided_at: 1_700_000_000,
    ///     refused_services: Default::default(),
    /// };
    /// let value = config.encode_decision(&decision);
    /// assert_eq!(config.decode_decision(&value, 1_700_000_060), Ok(decision));
    /// let tampered = value.replace(".1.r.", ".f.a.");
    /// assert_eq!(config.decode_decision(&tampered, 1_700_000_060), Err(CookieRejection::Forged));
    /// # Ok::<(), leptos_consent::ConfigError>(())
    /// ```
    pub fn decode_decision(
        &self,
        value: &str,
        now: i64,
    ) -> Result<ConsentDecision, CookieRejection> {
        self.check(self.verify(value)?, now)
    }

    /// The decision of a verified cookie, if it was made under the current policy and
    /// within the lifetime.
    fn check(&self, signed: Signed, now: i64) -> Result<ConsentDecision, CookieRejection> {
        if signed.fingerprint != self.fingerprint() {
            return Err(CookieRejection::Stale);
        }
        let decided_at = signed.decision.decided_at;
        if decided_at > now.saturating_add(FUTURE_SKEW_SECS) {
            return Err(CookieRejection::FromTheFuture);
        }
        if now.saturating_sub(decided_at) >= self.lifetime_of(&signed.decision) {
            return Err(CookieRejection::Expired);
        }
        Ok(signed.decision)
    }

    fn verify(&self, value: &str) -> Result<Signed, CookieRejection> {
        #[cfg(test)]
        verifications::count();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        let payload = self.signer().verify(value).ok_or(CookieRejection::Forged)?;
        parse_payload(payload).ok_or(CookieRejection::Malformed)
    }
}

fn parse_payload(payload: &str) -> Option<Signed> {
    let rest = payload.strip_prefix(FORMAT_VERSION)?.strip_prefix('.')?;
    let (decision, fingerprint) = rest.rsplit_once('.')?;
    Some(Signed {
        decision: ConsentDecision::decode_compact(decision)?,
        fingerprint: fingerprint.parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::{Category, CategorySet, ConsentAction, ConsentMode, ConsentTexts};

    const NOW: i64 = 1_790_000_000;

    fn config() -> ConsentConfig {
        ConsentConfig::builder().secret([3u8; 32]).build().unwrap()
    }

    fn decision(granted: CategorySet, action: ConsentAction) -> ConsentDecision {
        ConsentDecision {
            consent_id: Uuid::new_v4(),
            granted,
            action,
            decided_at: NOW,
            refused_services: Default::default(),
        }
    }

    #[test]
    fn round_trips_every_action_and_set() {
        let config = config();
        for action in [
            ConsentAction::AcceptAll,
            ConsentAction::RejectAll,
            ConsentAction::Custom,
            ConsentAction::Acknowledge,
        ] {
            for bits in 0..16u8 {
                let granted = CategorySet::from_bits(bits).unwrap().with(Category::System);
                let d = decision(granted, action);
                let value = config.encode_decision(&d);
                assert!(value.len() < 128, "{} bytes: {value}", value.len());
                assert_eq!(config.decode_decision(&value, NOW + 1), Ok(d));
            }
        }
    }

    #[test]
    fn quoted_values_are_read() {
        let config = config();
        let d = decision(CategorySet::all(), ConsentAction::AcceptAll);
        let value = format!("\"{}\"", config.encode_decision(&d));
        assert_eq!(config.decode_decision(&value, NOW), Ok(d));
    }

    #[test]
    fn another_secret_cannot_forge() {
        let other = ConsentConfig::builder().secret([4u8; 32]).build().unwrap();
        let forged = other.encode_decision(&decision(CategorySet::all(), ConsentAction::AcceptAll));
        assert_eq!(
            config().decode_decision(&forged, NOW),
            Err(CookieRejection::Forged)
        );
    }

    #[test]
    fn tampering_and_truncation_are_forgeries() {
        let config = config();
        let value = config.encode_decision(&decision(
            CategorySet::essential(),
            ConsentAction::RejectAll,
        ));
        let granted_all = value.replacen(".1.r.", ".f.a.", 1);
        assert_ne!(granted_all, value);
        assert_eq!(
            config.decode_decision(&granted_all, NOW),
            Err(CookieRejection::Forged)
        );
        for len in 0..value.len() {
            assert!(
                config.decode_decision(&value[..len], NOW).is_err(),
                "prefix of {len} bytes"
            );
        }
        assert_eq!(
            config.decode_decision("", NOW),
            Err(CookieRejection::Forged)
        );
        assert_eq!(
            config.decode_decision("ééé", NOW),
            Err(CookieRejection::Forged)
        );
    }

    #[test]
    fn expiry_and_future_dates() {
        let config = config();
        let d = decision(CategorySet::all(), ConsentAction::AcceptAll);
        let value = config.encode_decision(&d);
        let lifetime = config.lifetime_secs();
        assert!(config.decode_decision(&value, NOW + lifetime - 1).is_ok());
        assert_eq!(
            config.decode_decision(&value, NOW + lifetime),
            Err(CookieRejection::Expired)
        );
        assert_eq!(
            config.decode_decision(&value, NOW - FUTURE_SKEW_SECS - 1),
            Err(CookieRejection::FromTheFuture)
        );
    }

    #[test]
    fn a_refusal_is_kept_for_its_own_lifetime() {
        let config = ConsentConfig::builder()
            .secret([3u8; 32])
            .lifetime_days(182)
            .refusal_lifetime_days(395)
            .build()
            .unwrap();
        let consent = decision(CategorySet::all(), ConsentAction::AcceptAll);
        let refusal = decision(CategorySet::essential(), ConsentAction::RejectAll);
        // A custom choice of nothing but the necessary is a refusal too.
        let nothing = decision(CategorySet::essential(), ConsentAction::Custom);
        let day = 86_400;
        let after = |d: &ConsentDecision, days: i64| {
            config.decode_decision(&config.encode_decision(d), NOW + days * day)
        };
        assert!(after(&consent, 181).is_ok());
        assert_eq!(after(&consent, 182), Err(CookieRejection::Expired));
        for refused in [&refusal, &nothing] {
            assert!(after(refused, 394).is_ok());
            assert_eq!(after(refused, 395), Err(CookieRejection::Expired));
        }
        let max_age = |d: &ConsentDecision| {
            let header = config.set_cookie_header(d).unwrap();
            let header = header.to_str().unwrap().to_owned();
            header
                .split("; ")
                .find_map(|part| part.strip_prefix("Max-Age="))
                .unwrap()
                .to_owned()
        };
        assert_eq!(max_age(&consent), (182 * day).to_string());
        assert_eq!(max_age(&refusal), (395 * day).to_string());
    }

    #[test]
    fn a_changed_policy_makes_decisions_stale_but_keeps_the_id() {
        let old = config();
        let d = decision(CategorySet::all(), ConsentAction::AcceptAll);
        let value = old.encode_decision(&d);
        let mut texts = ConsentTexts::english();
        texts.tracking.description = "Now also sold to data brokers.".into();
        let changed = ConsentConfig::builder()
            .secret([3u8; 32])
            .texts("en", texts)
            .build()
            .unwrap();
        assert_eq!(
            changed.decode_decision(&value, NOW),
            Err(CookieRejection::Stale)
        );
        assert_eq!(
            changed.read_consent_cookies([value.as_str()].into_iter(), NOW),
            ConsentCookie {
                decision: None,
                previous_consent_id: Some(d.consent_id)
            }
        );
        let passive = ConsentConfig::builder()
            .secret([3u8; 32])
            .mode(ConsentMode::PassiveInfo)
            .build()
            .unwrap();
        assert_eq!(
            passive.decode_decision(&value, NOW),
            Err(CookieRejection::Stale)
        );
    }

    #[test]
    fn signed_garbage_payloads_are_malformed() {
        let config = config();
        let fp = config.fingerprint();
        let id = Uuid::new_v4().simple();
        for payload in [
            String::new(),
            "1".to_owned(),
            format!("2.{id}.f.a.{NOW}.{fp}"),
            format!("1.{id}.f.x.{NOW}.{fp}"),
            format!("1.{id}.1f.a.{NOW}.{fp}"),
            format!("1.{id}.e.a.{NOW}.{fp}"), // no system bit
            format!("1.{id}.f.a.-5.{fp}"),
            format!("1.{id}.f.a.+{NOW}.{fp}"),
            format!("1.{id}.f.a.{NOW}.{fp}.extra"),
            format!("1.nothex{}.f.a.{NOW}.{fp}", &id.to_string()[7..]),
            format!("1.{id}.f.a.{NOW}.zz"),
            format!("1.{id}.f.a.{NOW}"),
        ] {
            let value = config.signer().sign(&payload);
            assert_eq!(
                config.decode_decision(&value, NOW),
                Err(CookieRejection::Malformed),
                "{payload}"
            );
        }
    }

    proptest! {
        #[test]
        fn arbitrary_values_never_panic_and_never_verify(value in ".{0,300}") {
            prop_assert!(config().decode_decision(&value, NOW).is_err());
        }

        #[test]
        fn arbitrary_bytes_after_a_valid_signature_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..200)) {
            let config = config();
            let value = config.encode_decision(&decision(CategorySet::all(), ConsentAction::AcceptAll));
            let mut mangled = value[..44].to_owned();
            mangled.push_str(&String::from_utf8_lossy(&tail));
            prop_assert!(config.decode_decision(&mangled, NOW).is_err());
        }
    }
}
